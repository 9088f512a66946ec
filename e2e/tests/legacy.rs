//! Issue 3, legacy: RoadRunner v2023.3.12 speaks JSON heads (frame flag 0x08) instead of
//! protobuf. The same worker binary detects the codec per request and answers in kind.

use rr_e2e::{Request, RrServer, ServerConfig, fnv, multipart, test_worker};
use serde_json::json;

fn server() -> RrServer {
    RrServer::start(ServerConfig::new(test_worker()).legacy().workers(1))
}

#[test]
fn hello_and_echo_over_json_codec() {
    let rr = server();
    assert_eq!(
        Request::get("/hello").send(rr.addr).text(),
        "Hello RoadRunner!"
    );
    let res = Request::post("/echo?a[]=1&a[]=2&b[c]=3", "raw")
        .header("Cookie", "sid=abc%20def")
        .header("X-Multi", "1")
        .header("X-Multi", "2")
        .send(rr.addr);
    assert_eq!(res.status, 200);
    let echo = res.json();
    assert_eq!(echo["method"], "POST");
    assert_eq!(echo["query"], json!({"a": ["1", "2"], "b": {"c": "3"}}));
    assert_eq!(echo["cookies"], json!({"sid": "abc def"}));
    assert_eq!(echo["headers"]["x-multi"], json!(["1", "2"]));
    assert_eq!(echo["body"], "raw");
    assert_eq!(echo["remote_addr"], "127.0.0.1");
}

#[test]
fn status_and_multi_valued_headers_over_json_codec() {
    let rr = server();
    let res = Request::get("/status?code=202").send(rr.addr);
    assert_eq!(res.status, 202);
    assert_eq!(res.header_all("x-multi"), ["one", "two"]);
    let res = Request::get("/cookies").send(rr.addr);
    assert_eq!(
        res.header_all("set-cookie"),
        ["a=1; Path=/", "b=2; Path=/; HttpOnly"]
    );
}

#[test]
fn forms_and_uploads_over_json_codec() {
    let rr = server();
    let echo = Request::post("/echo", "a=1&b[]=x&b[]=y")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send(rr.addr)
        .json();
    assert_eq!(echo["form"], json!({"a": "1", "b": ["x", "y"]}));

    let content = b"legacy upload".to_vec();
    let (ct, body) = multipart(
        &[("k", "v")],
        &[("doc", "note.txt", "text/plain", &content)],
    );
    let out = Request::post("/upload", body)
        .header("Content-Type", &ct)
        .send(rr.addr)
        .json();
    assert_eq!(out["form"], json!({"k": "v"}));
    let saved = out["files"][0]["saved"].as_str().unwrap();
    assert_eq!(fnv(&std::fs::read(saved).unwrap()), fnv(&content));
}

#[test]
fn errors_and_streams_over_json_codec() {
    let rr = server();
    assert_eq!(Request::get("/error").send(rr.addr).status, 500);
    assert_eq!(Request::get("/panic").send(rr.addr).status, 500);
    let res = Request::get("/chunks").send(rr.addr);
    assert!(res.chunked);
    assert_eq!(
        res.text(),
        (0..5).map(|i| format!("chunk-{i}\n")).collect::<String>()
    );
    assert_eq!(
        Request::get("/hello").send(rr.addr).text(),
        "Hello RoadRunner!"
    );
}

#[test]
fn early_hints_on_2023_3_deliver_103_then_200() {
    let rr = server();
    let res = Request::get("/hints?code=404").send(rr.addr);
    assert_eq!(res.informational.len(), 1);
    assert_eq!(res.informational[0].0, 103);
    // Same upstream bug as v2025.1.15 (issue 2381): the final status after a 1xx is lost.
    assert_eq!(res.status, 200);
    assert_eq!(res.text(), "<html>hinted</html>");
}

#[test]
fn json_codec_chosen_explicitly_works_on_2023_3() {
    let rr = RrServer::start(
        ServerConfig::new(test_worker())
            .legacy()
            .env("E2E_CODEC", "json"),
    );
    let echo = Request::get("/echo?a[]=1&a[]=2")
        .header("Cookie", "sid=x")
        .send(rr.addr)
        .json();
    assert_eq!(echo["query"], json!({"a": ["1", "2"]}));
    assert_eq!(echo["cookies"], json!({"sid": "x"}));
    let res = Request::get("/status?code=201").send(rr.addr);
    assert_eq!(res.status, 201);
    assert_eq!(res.header_all("x-multi"), ["one", "two"]);
}

/// What rr 2023.3.12 sends and accepts below the HTTP layer (`e2e-raw-worker` keeps the raw
/// context and answers with a chosen flags byte).
#[test]
fn rr_2023_3_sends_fixed_key_order_and_accepts_any_response_codec_flag() {
    for flags in ["08", "00", "80"] {
        let rr = RrServer::start(
            ServerConfig::new(rr_e2e::sibling_binary("e2e-raw-worker"))
                .legacy()
                .env("E2E_RESPONSE_FLAGS", flags),
        );
        let res = Request::get("/x?a=1").send(rr.addr);
        assert_eq!(res.status, 200, "flags {flags}: {}", rr.log());
        assert_eq!(res.text(), "raw answer", "flags {flags}");
        assert_eq!(res.header("content-type"), Some("text/plain"));

        let context = std::fs::read_to_string(rr.path("context-0")).unwrap();
        let keys = [
            "remoteAddr",
            "protocol",
            "method",
            "uri",
            "headers",
            "cookies",
            "rawQuery",
            "parsed",
            "uploads",
            "attributes",
        ];
        let positions: Vec<usize> = keys
            .iter()
            .map(|k| {
                context
                    .find(&format!("\"{k}\":"))
                    .unwrap_or_else(|| panic!("no {k} in {context}"))
            })
            .collect();
        assert!(
            positions.windows(2).all(|w| w[0] < w[1]),
            "keys out of order: {context}"
        );
        assert!(context.contains(r#""uploads":null"#), "{context}");
        assert!(context.contains(r#""attributes":{}"#), "{context}");
    }
}
