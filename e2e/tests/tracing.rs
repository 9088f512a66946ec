//! Issue 7: `tracing` events (rr-http feature `tracing`) reach rr's log one line each, inside
//! the request's span, from the closure path and from the tower path.

use rr_e2e::{Request, RrServer, ServerConfig, sibling_binary};

#[test]
fn closure_path_events_are_single_log_lines_in_the_request_span() {
    let rr = RrServer::start(ServerConfig::new(sibling_binary("e2e-tracing-worker")));
    let res = Request::post("/sheet?x=1", "12345").send(rr.addr);
    assert_eq!(res.text(), "traced");
    assert!(
        rr.log_contains(
            "INFO request{method=POST path=/sheet}: e2e_tracing_worker: handled size=5"
        ),
        "{}",
        rr.log()
    );
    // A line break inside a message stays inside its one entry.
    assert!(
        rr.log_contains(
            "WARN request{method=POST path=/sheet}: e2e_tracing_worker: first line\\nsecond line"
        ),
        "{}",
        rr.log()
    );
    let log = rr.log();
    assert!(log.contains("e2e_tracing_worker: worker "), "{log}");
    assert!(!log.contains("below the default level"), "{log}");
    assert!(!log.contains('\u{1b}'), "no colour codes: {log}");
    // Each event is one entry: rr puts its own time stamp in front of each.
    let handled = log.lines().find(|l| l.contains("handled size=5")).unwrap();
    assert!(handled.starts_with("20"), "rr's own entry: {handled}");
    assert!(handled.contains("\tINFO request{"), "no padding: {handled}");
}

#[test]
fn tower_path_events_are_single_log_lines_in_the_request_span() {
    let rr = RrServer::start(ServerConfig::new(sibling_binary("axum")));
    let res = Request::post("/php-form", "title=t&rows[0][name]=a")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send(rr.addr);
    assert_eq!(res.status, 200, "{}", res.text());
    assert!(
        rr.log_contains(
            "INFO request{method=POST path=/php-form}: axum: sheet saved rows=1 files=0"
        ),
        "{}",
        rr.log()
    );
    let log = rr.log();
    let line = log.lines().find(|l| l.contains("sheet saved")).unwrap();
    assert_eq!(
        line.matches("request{").count(),
        1,
        "one request span: {line}"
    );
}
