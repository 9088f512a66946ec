//! Issue 7, the query parser's limits through the real rr: PHP's 1000 variables by default,
//! said once in rr's log when a request exceeds them, and configurable.

use rr_e2e::{Request, RrServer, ServerConfig, sibling_binary};

fn query_of(n: usize) -> String {
    let pairs: Vec<String> = (0..n).map(|i| format!("v{i}={i}")).collect();
    format!("/query-len?{}", pairs.join("&"))
}

const LOGGED: &str = "a query string had more than 1000 variables";

#[test]
fn php_limit_by_default_logged_once() {
    let rr = RrServer::start(ServerConfig::new(sibling_binary("e2e-data-worker")));
    assert_eq!(Request::get(&query_of(1000)).send(rr.addr).text(), "1000");
    assert!(!rr.log_contains(LOGGED), "nothing dropped, nothing said");
    for _ in 0..2 {
        assert_eq!(Request::get(&query_of(1500)).send(rr.addr).text(), "1000");
    }
    assert_eq!(
        rr.log().matches(LOGGED).count(),
        1,
        "one line for the first request over the limit:\n{}",
        rr.log()
    );
    assert!(rr.log_contains("500 were ignored"), "{}", rr.log());
}

#[test]
fn limit_raised_by_the_worker() {
    let rr = RrServer::start(
        ServerConfig::new(sibling_binary("e2e-data-worker")).env("E2E_MAX_INPUT_VARS", "2000"),
    );
    assert_eq!(Request::get(&query_of(1500)).send(rr.addr).text(), "1500");
    assert!(
        !rr.log_contains("query string had more than"),
        "{}",
        rr.log()
    );
}
