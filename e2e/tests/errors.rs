//! Issue 3, failures: panics, error statuses and invalid responses answer one request with an
//! error status, never break the worker, and never send both a response and an error frame.

use rr_e2e::{Request, RrServer, ServerConfig, test_worker};

fn server() -> RrServer {
    RrServer::start(ServerConfig::new(test_worker()).workers(1))
}

fn assert_still_serving(rr: &RrServer, pids: &[i32]) {
    for _ in 0..2 {
        assert_eq!(
            Request::get("/hello").send(rr.addr).text(),
            "Hello RoadRunner!"
        );
    }
    assert_eq!(rr.worker_pids(), pids, "the worker was not replaced");
}

#[test]
fn panicking_handler_gives_500_and_worker_keeps_serving() {
    let rr = server();
    let pids = rr.worker_pids();
    assert_eq!(Request::get("/panic").send(rr.addr).status, 500);
    assert_still_serving(&rr, &pids);
    assert!(
        rr.log_contains("deliberate panic"),
        "panic text reaches rr's log"
    );
}

#[test]
fn error_with_its_own_status() {
    let rr = server();
    let pids = rr.worker_pids();
    let res = Request::get("/error-status").send(rr.addr);
    assert_eq!(res.status, 418);
    assert_eq!(res.text(), "short and stout");
    assert_still_serving(&rr, &pids);
}

#[test]
fn header_value_with_newline_is_refused_with_500() {
    let rr = server();
    let pids = rr.worker_pids();
    let res = Request::get("/newline-header").send(rr.addr);
    assert_eq!(res.status, 500);
    // Nothing of the value reached rr: not as a header of its own, and not folded into another
    // one (Go would turn CR/LF into spaces and send `X-Bad: a  Set-Cookie: evil=1`).
    assert!(res.header("set-cookie").is_none(), "no response splitting");
    assert!(res.header("x-bad").is_none());
    assert!(
        !res.headers.iter().any(|(_, v)| v.contains("evil")) && !res.text().contains("evil"),
        "{res:?}"
    );
    assert!(
        rr.log_contains("failed to parse header value"),
        "the reason is logged:\n{}",
        rr.log()
    );
    assert_still_serving(&rr, &pids);
}

#[test]
fn informational_status_as_final_response_gives_500() {
    let rr = server();
    let pids = rr.worker_pids();
    let res = Request::get("/bad-status").send(rr.addr);
    assert_eq!(res.status, 500);
    assert!(
        rr.log_contains("status 103 cannot end a response"),
        "{}",
        rr.log()
    );
    // The `http` crate allows up to 999; HTTP (and Go) end at 599.
    assert_eq!(Request::get("/status?code=600").send(rr.addr).status, 500);
    assert!(
        rr.log_contains("status 600 cannot end a response"),
        "{}",
        rr.log()
    );
    assert_still_serving(&rr, &pids);
}

#[test]
fn unknown_route_is_404_from_the_handler() {
    let rr = server();
    let res = Request::get("/nope").send(rr.addr);
    assert_eq!(res.status, 404);
    assert_eq!(res.text(), "no route for /nope");
}
