//! Issue 3, early hints through the real rr v2025.1.15.
//!
//! The worker sends what the protocol says (unit tests in rr-http check the frames byte for
//! byte against vector D of http.md §12.4): a 103 frame with STREAM set, then the final
//! response. What the client receives is rr's doing, including upstream issue 2381: the
//! log middleware drops every WriteHeader after the first 1xx, so the final status becomes an
//! implicit 200 and the 103's headers are repeated on the final response.

use rr_e2e::{Request, RrServer, ServerConfig, test_worker};

const LINKS: [&str; 2] = [
    "</style.css>; rel=preload; as=style",
    "</app.js>; rel=preload; as=script",
];

#[test]
fn hints_103_then_200() {
    let rr = RrServer::start(ServerConfig::new(test_worker()));
    let res = Request::get("/hints").send(rr.addr);
    assert_eq!(res.informational.len(), 1, "{:?}", res.informational);
    assert_eq!(res.informational[0].0, 103);
    let links = res.informational_header_all(0, "link");
    assert_eq!(links, LINKS);
    assert_eq!(res.status, 200);
    assert_eq!(res.text(), "<html>hinted</html>");
    assert_eq!(res.header("content-type"), Some("text/html"));
}

#[test]
fn hints_then_404_is_delivered_as_200_by_rr_2025_1_15_issue_2381() {
    let rr = RrServer::start(ServerConfig::new(test_worker()));
    let res = Request::get("/hints?code=404").send(rr.addr);
    assert_eq!(res.informational.len(), 1);
    assert_eq!(res.informational[0].0, 103);
    // Right would be 404. rr v2025.1.15 drops the final WriteHeader after a 1xx (issue 2381).
    assert_eq!(
        res.status, 200,
        "if this fails with 404, upstream fixed issue 2381: update the docs"
    );
    assert_eq!(res.text(), "<html>hinted</html>");
    // …and repeats the 103's Link headers on the final response.
    assert_eq!(res.header_all("link"), LINKS);
    // rr's access log still records what the worker sent (the URI holds "404" too: match the
    // status field).
    assert!(rr.log_contains("\"status\": 404"), "{}", rr.log());
}

#[test]
fn worker_keeps_serving_after_hints() {
    let rr = RrServer::start(ServerConfig::new(test_worker()).workers(1));
    for _ in 0..3 {
        assert_eq!(Request::get("/hints").send(rr.addr).status, 200);
        assert_eq!(
            Request::get("/hello").send(rr.addr).text(),
            "Hello RoadRunner!"
        );
    }
}

#[test]
fn second_informational_response_is_dropped_by_rr_2025_1_15() {
    let rr = RrServer::start(ServerConfig::new(test_worker()));
    let res = Request::get("/hints-twice").send(rr.addr);
    // The worker sends two 103 frames (see rr-http's wire tests); rr's log middleware lets
    // only the first WriteHeader after a 1xx through (issue 2381), so the client sees one.
    assert_eq!(res.informational.len(), 1, "{:?}", res.informational);
    assert_eq!(
        res.informational_header_all(0, "link"),
        ["</first.css>; rel=preload; as=style"]
    );
    assert_eq!(res.status, 200);
    assert_eq!(res.text(), "twice hinted");
}
