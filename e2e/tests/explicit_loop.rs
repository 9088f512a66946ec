//! What only the explicit loop offers, through the real rr: `Responder::recycle` and the
//! `Delivery` a response ended with.

use std::io::Read;

use rr_e2e::{Request, RrServer, ServerConfig, raw_exchange, sibling_binary, wait_gone};

fn server() -> RrServer {
    RrServer::start(ServerConfig::new(sibling_binary("e2e-loop-worker")).workers(1))
}

#[test]
fn recycle_hands_the_request_to_a_fresh_worker_and_stops_this_one() {
    let rr = server();
    let first = rr.worker_pids();
    assert_eq!(first.len(), 1);
    let res = Request::get("/recycle").send(rr.addr);
    assert_eq!(res.status, 200, "{}", res.text());
    let served_by: i32 = res.text().parse().unwrap();
    let recycled: i32 = std::fs::read_to_string(rr.path("recycled"))
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(recycled, first[0], "the first worker asked to be replaced");
    assert_ne!(
        served_by, first[0],
        "a fresh worker answered the same request"
    );
    assert!(rr.worker_pids().contains(&served_by));
    let alive = wait_gone(&first[..1], std::time::Duration::from_secs(10));
    assert!(alive.is_empty(), "the recycled worker exited");
}

#[test]
fn a_client_leaving_an_endless_body_is_reported_as_client_gone() {
    let rr = server();
    let pids = rr.worker_pids();
    {
        let mut conn = raw_exchange(rr.addr, &Request::get("/forever").to_bytes(rr.addr));
        let mut buf = vec![0u8; 64 * 1024];
        let mut got = 0;
        while got < 1 << 20 {
            got += conn.read(&mut buf).unwrap();
        }
    }
    assert!(
        rr.log_contains("e2e: delivery ClientGone"),
        "respond returned Delivery::ClientGone:\n{}",
        rr.log()
    );
    let res = Request::get("/pid").send(rr.addr);
    assert_eq!(res.text(), pids[0].to_string(), "the same worker goes on");
}

#[test]
fn an_invalid_response_gets_one_500_and_the_worker_written_with_question_marks_goes_on() {
    let rr = server();
    let pids = rr.worker_pids();
    let res = Request::get("/invalid").send(rr.addr);
    assert_eq!(res.status, 500, "{}", res.text());
    assert!(
        rr.log_contains("e2e: delivery Refused"),
        "respond returned Delivery::Refused:\n{}",
        rr.log()
    );
    let res = Request::get("/pid").send(rr.addr);
    assert_eq!(res.status, 200);
    assert_eq!(res.text(), pids[0].to_string(), "the same worker goes on");
    let log = rr.log();
    assert_eq!(
        log.matches("status 610 cannot end a response").count(),
        1,
        "the refusal is reported once:\n{log}"
    );
    assert!(!log.contains("left unanswered"), "{log}");
}
