//! The workers of `examples/` do what their docs say, under the real rr, over real HTTP.
//!
//! The example binaries must be built into the same target directory as this test:
//! `cargo test --workspace` and `cargo xtask test` do that; with `-p rr-e2e` alone, run
//! `cargo build -p rr-examples` first.

use std::io::BufRead;
use std::path::Path;
use std::time::{Duration, Instant};

use rr_e2e::{Request, RrServer, ServerConfig, multipart, raw_exchange, sibling_binary};
use serde_json::json;

fn start(example: &str) -> RrServer {
    RrServer::start(ServerConfig::new(sibling_binary(example)))
}

#[test]
fn hello_says_hello() {
    let rr = start("hello");
    let res = Request::get("/").send(rr.addr);
    assert_eq!(res.status, 200);
    assert_eq!(res.text(), "Hello RoadRunner!");
}

#[test]
fn echo_returns_query_cookies_headers_and_address() {
    let rr = start("echo");
    let res = Request::get("/some/path?a[]=1&a[]=2&b[c]=3")
        .header("Cookie", "sid=abc123; theme=dark")
        .header("X-Multi", "one")
        .header("X-Multi", "two")
        .send(rr.addr);
    assert_eq!(res.status, 200);
    assert_eq!(res.header("content-type"), Some("application/json"));
    let echo = res.json();
    assert_eq!(echo["method"], "GET");
    assert_eq!(
        echo["uri"],
        format!("http://{}/some/path?a[]=1&a[]=2&b[c]=3", rr.addr)
    );
    assert_eq!(echo["query"], json!({ "a": ["1", "2"], "b": { "c": "3" } }));
    assert_eq!(echo["cookies"], json!({ "sid": "abc123", "theme": "dark" }));
    assert_eq!(echo["headers"]["x-multi"], json!(["one", "two"]));
    assert_eq!(echo["headers"]["host"], json!([rr.addr.to_string()]));
    assert_eq!(echo["remote_addr"], "127.0.0.1");
    assert_eq!(echo["form"], json!(null));
    assert_eq!(echo["uploads"], json!([]));
    assert_eq!(echo["body"], "");
}

#[test]
fn echo_returns_parsed_forms_and_raw_bodies() {
    let rr = start("echo");
    let form = Request::post("/", "user[name]=ann&tags[]=x&tags[]=y")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send(rr.addr)
        .json();
    assert_eq!(form["method"], "POST");
    assert_eq!(
        form["form"],
        json!({ "user": { "name": "ann" }, "tags": ["x", "y"] })
    );

    let raw = r#"{"not": "a form"}"#;
    let echo = Request::post("/", raw)
        .header("Content-Type", "application/json")
        .send(rr.addr)
        .json();
    assert_eq!(echo["form"], json!(null));
    assert_eq!(echo["body"], raw);
    assert_eq!(echo["body_len"], raw.len());
}

#[test]
fn streaming_numbers_come_from_an_iterator() {
    let rr = start("streaming");
    let res = Request::get("/numbers?count=1000").send(rr.addr);
    assert_eq!(res.status, 200);
    assert!(res.chunked, "a streamed body is sent chunked");
    let expected: String = (1..=1000).map(|n| format!("{n}\n")).collect();
    assert_eq!(res.text(), expected);

    let res = Request::get("/numbers?count=x").send(rr.addr);
    assert_eq!(res.status, 400, "a bad query is the client's fault");
}

#[test]
fn streaming_big_comes_from_a_reader() {
    let rr = start("streaming");
    let res = Request::get("/big?mb=8").send(rr.addr);
    assert_eq!(res.status, 200);
    assert!(res.chunked, "a streamed body is sent chunked");
    assert_eq!(res.body.len(), 8 * 1024 * 1024);
    assert!(res.body.iter().all(|b| *b == b'.'));
}

#[test]
fn streaming_sse_ends_after_count_events() {
    let rr = start("streaming");
    let res = Request::get("/sse?count=3&every_ms=10").send(rr.addr);
    assert_eq!(res.status, 200);
    assert_eq!(res.header("content-type"), Some("text/event-stream"));
    assert_eq!(
        res.text(),
        "id: 1\ndata: tick 1\n\nid: 2\ndata: tick 2\n\nid: 3\ndata: tick 3\n\n"
    );
}

#[test]
fn streaming_sse_producer_stops_when_the_client_goes() {
    let rr = start("streaming");
    let request = Request::get("/sse?every_ms=20").to_bytes(rr.addr);
    let mut reader = raw_exchange(rr.addr, &request);
    let mut line = String::new();
    while line.trim() != "data: tick 3" {
        line.clear();
        reader.read_line(&mut line).expect("an event line");
    }
    drop(reader);

    // One whole line: the example logs it with a single write.
    let producer_stopped = |log: String| {
        log.lines().any(|l| {
            l.contains("sse: client gone after ") && l.ends_with(" events, producer stopped")
        })
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while !producer_stopped(rr.log()) {
        assert!(
            Instant::now() < deadline,
            "the producer did not see the client go; log:\n{}",
            rr.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // The only worker is free again.
    let res = Request::get("/numbers?count=2").send(rr.addr);
    assert_eq!(res.text(), "1\n2\n");
}

#[test]
fn early_hints_then_the_page() {
    let rr = start("early_hints");
    let css = "</style.css>; rel=preload; as=style";
    let js = "</app.js>; rel=preload; as=script";
    let res = Request::get("/").send(rr.addr);
    assert_eq!(res.informational.len(), 1, "{:?}", res.informational);
    assert_eq!(res.informational[0].0, 103);
    let links = res.informational_header_all(0, "link");
    assert_eq!(links, [css, js]);

    assert_eq!(res.status, 200);
    assert_eq!(res.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(res.text().contains("<h1>Hello RoadRunner!</h1>"));
    // RoadRunner v2025.1.15 keeps the 103's headers for the final response
    // (roadrunner-server/roadrunner#2381), so the links arrive twice.
    assert_eq!(res.header_all("link"), [css, js]);

    let res = Request::get("/style.css").send(rr.addr);
    assert!(res.informational.is_empty());
    assert_eq!(res.header("content-type"), Some("text/css"));
    assert!(res.header_all("link").is_empty());
}

fn post_files(rr: &RrServer, content_type: &str, body: Vec<u8>) -> serde_json::Value {
    let res = Request::post("/", body)
        .header("Content-Type", content_type)
        .send(rr.addr);
    assert_eq!(res.status, 200, "{}", res.text());
    res.json()
}

#[test]
fn uploads_are_moved_into_upload_dir() {
    // A relative UPLOAD_DIR resolves against rr's directory, which its workers inherit.
    let rr =
        RrServer::start(ServerConfig::new(sibling_binary("uploads")).env("UPLOAD_DIR", "saved"));
    let saved_dir = rr.path("saved").canonicalize().expect("UPLOAD_DIR exists");

    let form = Request::get("/").send(rr.addr);
    assert_eq!(form.status, 200);
    assert!(form.text().contains("enctype=\"multipart/form-data\""));

    let binary: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
    let text = b"some notes\nwith two lines\n".as_slice();
    let (content_type, body) = multipart(
        &[("note", "hello")],
        &[
            ("doc", "data.bin", "application/octet-stream", &binary[..]),
            ("more[]", "notes.txt", "text/plain", text),
        ],
    );
    let answer = post_files(&rr, &content_type, body.clone());
    assert_eq!(answer["failed"], json!([]));
    assert_eq!(answer["form"], json!({ "note": "hello" }));
    let saved = answer["saved"].as_array().expect("saved list");
    assert_eq!(saved.len(), 2, "{answer:#}");
    for (field, name, media_type, content) in [
        ("doc", "data.bin", "application/octet-stream", &binary[..]),
        ("more[0]", "notes.txt", "text/plain", text),
    ] {
        let entry = saved
            .iter()
            .find(|e| e["field"] == field)
            .unwrap_or_else(|| panic!("no {field} in {answer:#}"));
        assert_eq!(entry["name"], name);
        assert_eq!(entry["media_type"], media_type);
        assert_eq!(entry["size"], content.len());
        let path = Path::new(entry["path"].as_str().expect("a path"));
        assert_eq!(path.canonicalize().unwrap(), saved_dir.join(name));
        assert_eq!(std::fs::read(path).unwrap(), content, "{field}");
    }
    // rr's temp copies were moved, not copied.
    let left = std::fs::read_dir(rr.path("uploads")).unwrap().count();
    assert_eq!(left, 0, "rr's upload dir is empty");

    // The same names again: nothing is overwritten.
    let again = post_files(&rr, &content_type, body);
    let paths: Vec<_> = again["saved"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            Path::new(e["path"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(paths, ["data-1.bin", "notes-1.txt"]);
    assert_eq!(std::fs::read(saved_dir.join("data.bin")).unwrap(), binary);
}
