//! `examples/src/bin/async_fn.rs` (an async closure through `rr_http::serve_fn`) under the real
//! rr: answers, timers and spawned tasks, early hints, streaming, errors, panics and a stop.
//! The example must be built into the same target directory (`cargo test --workspace` does).

use std::time::Duration;

use rr_e2e::{Request, RrServer, ServerConfig, sibling_binary, wait_gone};

fn start() -> RrServer {
    RrServer::start(ServerConfig::new(sibling_binary("async_fn")))
}

#[test]
fn an_async_closure_answers_awaits_timers_and_spawned_tasks() {
    let rr = start();
    let res = Request::get("/").send(rr.addr);
    assert_eq!(res.status, 200);
    assert_eq!(res.text(), "Hello from an async closure!");
    let res = Request::get("/slow").send(rr.addr);
    assert_eq!(res.text(), "waited 20 ms");
}

#[test]
fn early_hints_from_an_async_closure_come_before_the_page() {
    let rr = start();
    let res = Request::get("/page").send(rr.addr);
    assert_eq!(res.informational.len(), 1, "{res:?}");
    assert_eq!(res.informational[0].0, 103);
    assert_eq!(
        res.informational_header_all(0, "link"),
        ["</app.css>; rel=preload; as=style"]
    );
    assert_eq!(res.text(), "<html>page</html>");
}

#[test]
fn a_streamed_body_from_an_async_closure_arrives_chunk_by_chunk() {
    let rr = start();
    let res = Request::get("/stream").send(rr.addr);
    assert!(res.chunked);
    assert_eq!(res.chunk_sizes.len(), 5, "one chunk per frame: {res:?}");
    assert_eq!(
        res.text(),
        (1..=5).map(|i| format!("chunk {i}\n")).collect::<String>()
    );
}

#[test]
fn errors_and_panics_answer_one_request_and_the_worker_goes_on() {
    let rr = start();
    let pid = Request::get("/pid").send(rr.addr).text();
    let res = Request::get("/missing").send(rr.addr);
    assert_eq!(res.status, 404);
    assert_eq!(res.text(), "no such page");
    let res = Request::get("/panic").send(rr.addr);
    assert_eq!(res.status, 500);
    assert!(rr.log_contains("the async handler panicked on purpose"));
    assert_eq!(
        Request::get("/pid").send(rr.addr).text(),
        pid,
        "same worker"
    );
}

#[test]
fn rr_stopping_stops_the_async_worker_and_exits_0() {
    let mut rr = start();
    let pid: i32 = Request::get("/pid").send(rr.addr).text().parse().unwrap();
    assert_eq!(rr.stop(Duration::from_secs(30)), Some(0), "{}", rr.log());
    let alive = wait_gone(&[pid], Duration::from_secs(30));
    assert!(alive.is_empty(), "worker still running");
}
