//! Story 7: an axum `Router` served through the real rr with `rr_http::serve_service`.

use rr_e2e::{Request, RrServer, ServerConfig, raw_exchange, sibling_binary};
use serde_json::json;
use std::io::Read;

fn server() -> RrServer {
    RrServer::start(ServerConfig::new(sibling_binary("axum")).workers(1))
}

#[test]
fn extractors_and_json_work() {
    let rr = server();
    assert_eq!(
        Request::get("/hello?name=rr").send(rr.addr).text(),
        "Hello, rr!"
    );
    let res = Request::post("/json", r#"{"a":[1,2]}"#)
        .header("Content-Type", "application/json")
        .send(rr.addr);
    assert_eq!(res.status, 200);
    assert_eq!(res.header("content-type"), Some("application/json"));
    assert_eq!(res.json(), json!({"received": {"a": [1, 2]}}));
    // axum's own rejection, with axum's status.
    let res = Request::post("/json", "not json")
        .header("Content-Type", "application/json")
        .send(rr.addr);
    assert_eq!(res.status, 400);
    assert_eq!(Request::get("/nope").send(rr.addr).status, 404);
}

#[test]
fn rr_request_data_is_available_as_extensions() {
    let rr = server();
    let res = Request::get("/whoami")
        .header("Cookie", "sid=abc%20def")
        .send(rr.addr);
    assert_eq!(res.text(), "127.0.0.1 sid=abc def");
}

#[test]
fn server_sent_events_stream_through_rr() {
    let rr = server();
    let res = Request::get("/sse?count=3").send(rr.addr);
    assert_eq!(res.status, 200);
    assert_eq!(res.header("content-type"), Some("text/event-stream"));
    assert!(res.chunked, "streamed, not buffered");
    assert_eq!(
        res.text(),
        "data: tick 0\n\ndata: tick 1\n\ndata: tick 2\n\n"
    );
}

#[test]
fn client_leaving_an_endless_stream_frees_the_worker() {
    let rr = server();
    {
        let request = Request::get("/sse?count=100000").to_bytes(rr.addr);
        let mut conn = raw_exchange(rr.addr, &request);
        let mut buf = [0u8; 512];
        let n = conn.read(&mut buf).unwrap();
        assert!(String::from_utf8_lossy(&buf[..n]).contains("200 OK"));
    }
    assert_eq!(
        Request::get("/hello").send(rr.addr).text(),
        "Hello, RoadRunner!"
    );
}

#[test]
fn early_hints_from_a_handler_reach_the_client_before_the_page() {
    let rr = server();
    let res = Request::get("/page").send(rr.addr);
    assert_eq!(res.informational.len(), 1, "{res:?}");
    assert_eq!(res.informational[0].0, 103);
    assert_eq!(
        res.informational_header_all(0, "link"),
        [
            "</app.css>; rel=preload; as=style",
            "</app.js>; rel=preload; as=script"
        ]
    );
    assert_eq!(res.status, 200);
    assert_eq!(res.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(
        res.text(),
        "<html><link rel=stylesheet href=/app.css>rendered</html>"
    );
    // The worker is free for the next request.
    assert_eq!(
        Request::get("/hello").send(rr.addr).text(),
        "Hello, RoadRunner!"
    );
}

#[test]
fn rr_extractors_are_present_and_empty_on_a_bare_request() {
    let rr = server();
    let res = Request::get("/rr").send(rr.addr);
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(
        res.json(),
        json!({"addr": "127.0.0.1", "cookies": {}, "uploads": 0, "attributes": {}, "raw_query": ""})
    );
}

#[test]
fn rr_extractors_carry_what_rr_sent() {
    let rr = RrServer::start(
        ServerConfig::new(sibling_binary("axum"))
            .http_yaml("  middleware: [\"rr_rs_test_attributes\"]\n"),
    );
    let res = Request::get("/rr?q=\"x\"&tags[]=a")
        .header("Cookie", "sid=abc%20def; theme=dark")
        .send(rr.addr);
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(
        res.json(),
        json!({
            "addr": "127.0.0.1",
            "cookies": {"sid": "abc def", "theme": "dark"},
            "uploads": 0,
            "attributes": {"tenant": ["acme"], "role": ["admin", "dev"]},
            "raw_query": "q=\"x\"&tags[]=a",
        })
    );
}

#[test]
fn php_query_follows_php_brackets() {
    let rr = server();
    let res = Request::get("/php-query?tags[]=a%20b&tags[]=c&page=2").send(rr.addr);
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json(), json!({"tags": ["a b", "c"], "page": 2}));
    let res = Request::get("/php-query?page=x").send(rr.addr);
    assert_eq!(res.status, 400);
    assert!(res.text().contains("\"page\""), "{}", res.text());
}
