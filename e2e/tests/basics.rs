//! Issue 2: a Rust worker spawned by the real RoadRunner answers real HTTP, over every relay.

use rr_e2e::{Relay, Request, RrServer, ServerConfig, test_worker};

fn server(relay: Relay) -> RrServer {
    RrServer::start(ServerConfig::new(test_worker()).relay(relay).workers(2))
}

fn get_and_post(relay: Relay) {
    let rr = server(relay);
    let res = Request::get("/hello").send(rr.addr);
    assert_eq!(res.status, 200, "{relay:?}");
    assert_eq!(res.text(), "Hello RoadRunner!");

    let res = Request::post("/echo?x=1", "posted body")
        .header("Content-Type", "text/plain")
        .header("X-Multi", "a")
        .header("X-Multi", "b")
        .send(rr.addr);
    assert_eq!(res.status, 200);
    let echo = res.json();
    assert_eq!(echo["method"], "POST");
    assert_eq!(echo["body"], "posted body");
    assert_eq!(echo["headers"]["x-multi"], serde_json::json!(["a", "b"]));
    assert_eq!(echo["uri"], format!("http://{}/echo?x=1", rr.addr));
    assert_eq!(
        echo["headers"]["host"],
        serde_json::json!([rr.addr.to_string()])
    );
    assert_eq!(echo["remote_addr"], "127.0.0.1");

    let res = Request::get("/status?code=201").send(rr.addr);
    assert_eq!(res.status, 201);
    assert_eq!(res.header_all("x-multi"), ["one", "two"]);
    assert_eq!(res.text(), "status 201");
}

#[test]
fn get_and_post_over_pipes() {
    get_and_post(Relay::Pipes);
}

#[test]
fn get_and_post_over_tcp() {
    get_and_post(Relay::Tcp);
}

#[test]
fn get_and_post_over_unix_socket() {
    get_and_post(Relay::Unix);
}

#[test]
fn handler_error_gives_500_and_worker_keeps_serving() {
    let rr = server(Relay::Pipes);
    let pids_before = rr.worker_pids();
    for _ in 0..3 {
        let res = Request::get("/error").send(rr.addr);
        assert_eq!(res.status, 500);
        assert_eq!(
            Request::get("/hello").send(rr.addr).text(),
            "Hello RoadRunner!"
        );
    }
    assert_eq!(rr.worker_pids(), pids_before, "no worker was replaced");
    assert!(
        rr.log_contains("deliberate failure"),
        "the error text reaches rr's log"
    );
}

#[test]
fn stdout_output_in_pipes_mode_does_not_corrupt_frames() {
    let rr = server(Relay::Pipes);
    let pids = rr.worker_pids();
    for _ in 0..4 {
        let res = Request::get("/print").send(rr.addr);
        assert_eq!(res.status, 200);
        assert_eq!(res.text(), "printed");
    }
    assert_eq!(rr.worker_pids(), pids, "no worker was killed for a bad CRC");
    assert!(
        rr.log_contains("stray output from a handler"),
        "println! went to rr's log via stderr"
    );
}
