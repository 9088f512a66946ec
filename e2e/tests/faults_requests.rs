//! Oversized requests through the real rr: a 200 MB raw body and multipart upload (hash
//! checked, the worker's peak RSS printed and bounded), 1,000 headers, a 1 MiB header value,
//! 10,000 query parameters. What the client sees is asserted; RELIABILITY.md has the figures.

use std::io::Write;

use rr_e2e::{Request, RrServer, ServerConfig, curl, fnv, sibling_binary};

const BIG: usize = 200 << 20;

fn server() -> RrServer {
    RrServer::start(ServerConfig::new(sibling_binary("e2e-fault-worker")).max_request_mb(256))
}

/// A 200 MiB file of a non-repeating pattern in the test's directory, and its hash.
fn big_file(rr: &RrServer) -> (std::path::PathBuf, String) {
    let path = rr.path("big.bin");
    let mut data = Vec::with_capacity(BIG);
    let mut x: u32 = 0x1234_5678;
    while data.len() < BIG {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        data.extend_from_slice(&x.to_le_bytes());
    }
    std::fs::File::create(&path)
        .unwrap()
        .write_all(&data)
        .unwrap();
    (path, fnv(&data))
}

fn hash_reply(json: &str) -> serde_json::Value {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

#[test]
fn a_200_mib_raw_body_and_upload_arrive_intact() {
    let rr = server();
    let (path, hash) = big_file(&rr);
    let file = format!("@{}", path.display());

    let raw = hash_reply(&curl(&[
        "--data-binary",
        &file,
        "-H",
        "content-type: application/octet-stream",
        &rr.url("/hash"),
    ]));
    let raw_rss = raw["peak_rss_kb"].as_u64().unwrap();
    eprintln!(
        "200 MiB raw body: {} bytes, hash {}, worker peak RSS {} MiB",
        raw["body_size"],
        raw["body_fnv"],
        raw_rss >> 10
    );
    assert_eq!(raw["body_size"], BIG);
    assert_eq!(raw["body_fnv"], hash.as_str());
    // rr hands the body over in one frame: it is in memory once, plus the collected copy.
    assert!(raw_rss < 3 * (BIG as u64 >> 10), "{raw_rss} kB");

    // A fresh server, so the peak RSS is the upload's own.
    drop(rr);
    let rr = server();
    let (path, hash) = big_file(&rr);
    let up = hash_reply(&curl(&[
        "-F",
        &format!("file=@{}", path.display()),
        &rr.url("/hash"),
    ]));
    let up_rss = up["peak_rss_kb"].as_u64().unwrap();
    eprintln!(
        "200 MiB multipart upload: {} bytes, hash {}, worker peak RSS {} MiB",
        up["files"][0]["size"],
        up["files"][0]["fnv"],
        up_rss >> 10
    );
    assert_eq!(up["files"][0]["size"], BIG);
    assert_eq!(up["files"][0]["fnv"], hash.as_str());
    // rr writes the upload to disk and sends its path: the worker never holds it.
    assert!(up_rss < 32 << 10, "{up_rss} kB");
}

#[test]
fn a_thousand_headers_arrive() {
    let rr = server();
    let mut req = Request::get("/headers");
    for i in 0..1000 {
        req = req.header(&format!("x-h-{i}"), &format!("value {i}"));
    }
    let res = req.send(rr.addr);
    assert_eq!(res.status, 200, "{}", res.text());
    let count = res.json()["headers"].as_u64().unwrap();
    eprintln!("1,000 headers: 200, the worker saw {count} headers");
    assert!(count >= 1000, "{count}");
}

#[test]
fn a_1_mib_header_value_arrives_whole() {
    let rr = server();
    let res = Request::get("/headers")
        .header("x-big", &"v".repeat(1 << 20))
        .send(rr.addr);
    assert_eq!(res.status, 200, "{}", res.text());
    let longest = res.json()["longest_value"].as_u64().unwrap();
    eprintln!("1 MiB header value: 200, the worker saw a value of {longest} bytes");
    assert_eq!(longest, 1 << 20);
}

#[test]
fn ten_thousand_query_parameters_stop_at_php_s_limit() {
    let rr = server();
    // Three-letter keys keep the URI under the 64 KiB an `http::Uri` can hold (a longer one is
    // answered 414: `a_uri_longer_than_an_http_uri_holds_is_a_414_not_a_request_for_slash`).
    let key = |i: usize| {
        let abc = |n: usize| char::from(b'a' + (n % 26) as u8);
        format!("{}{}{}", abc(i / 676), abc(i / 26), abc(i))
    };
    let query: Vec<String> = (0..10_000)
        .map(|i| format!("{}{}=", key(i), i / 17576))
        .collect();
    let res = Request::get(&format!("/headers?{}", query.join("&"))).send(rr.addr);
    assert_eq!(res.status, 200, "{}", res.text());
    let keys = res.json()["query_keys"].as_u64().unwrap();
    eprintln!("10,000 query parameters: 200, {keys} parsed (PHP's max_input_vars)");
    assert_eq!(keys, 1000);
}

#[test]
fn a_uri_longer_than_an_http_uri_holds_is_a_414_not_a_request_for_slash() {
    let rr = server();
    // 70,000 bytes: more than the 65,534 an `http::Uri` can hold.
    let res = Request::get(&format!("/headers?q={}", "a".repeat(70_000))).send(rr.addr);
    assert_eq!(res.status, 414, "{}", res.text());
    // The worker goes on: the next request is served.
    let res = Request::get("/headers?q=1").send(rr.addr);
    assert_eq!(res.status, 200, "{}", res.text());
    assert!(rr.log_contains("URI of 70"), "{}", rr.log());
}
