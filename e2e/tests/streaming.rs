//! Issue 3, streamed responses: memory stays flat, a client that leaves stops the producer and
//! the worker serves the next request.

use std::io::Read;
use std::time::{Duration, Instant};

use rr_e2e::{Request, RrServer, ServerConfig, curl, raw_exchange, test_worker};

#[test]
fn iterator_chunks_arrive_as_chunked_body() {
    let rr = RrServer::start(ServerConfig::new(test_worker()));
    let res = Request::get("/chunks").send(rr.addr);
    assert_eq!(res.status, 200);
    assert!(res.chunked, "a streamed body is sent with chunked encoding");
    assert_eq!(
        res.text(),
        (0..5).map(|i| format!("chunk-{i}\n")).collect::<String>()
    );
}

#[test]
fn streamed_256_mib_keeps_worker_peak_rss_under_32_mib() {
    let rr = RrServer::start(ServerConfig::new(test_worker()).workers(1));
    let pids = rr.worker_pids();
    let size: u64 = 256 * 1024 * 1024;
    let downloaded = curl(&[
        "-o",
        "/dev/null",
        "-w",
        "%{size_download} %{http_code}",
        &rr.url(&format!("/stream?size={size}")),
    ]);
    assert_eq!(downloaded, format!("{size} 200"));
    let rss = Request::get("/rss").send(rr.addr).json();
    // The peak is the streaming worker's own: the same process, never replaced.
    assert_eq!(pids.len(), 1);
    assert_eq!(rss["pid"], pids[0]);
    assert_eq!(rr.worker_pids(), pids);
    let peak_kb = rss["peak_rss_kb"].as_u64().unwrap();
    eprintln!("worker peak RSS after streaming 256 MiB: {peak_kb} KiB");
    assert!(peak_kb > 0 && peak_kb < 32 * 1024, "peak RSS {peak_kb} KiB");
}

#[test]
fn streamed_body_content_is_exact() {
    let rr = RrServer::start(ServerConfig::new(test_worker()).env("E2E_CHUNK_SIZE", "1000"));
    let res = Request::get("/stream?size=100000").send(rr.addr);
    assert_eq!(res.body.len(), 100_000);
    // Same pattern the worker produces: 'a' + (remaining % 26), counted down.
    let expected: Vec<u8> = (1..=100_000u64)
        .rev()
        .map(|left| b'a' + (left % 26) as u8)
        .collect();
    assert!(
        res.body == expected,
        "streamed bytes differ from the produced pattern"
    );
    // rr writes and flushes each frame as it arrives, so the HTTP chunks show how the worker
    // cut the body: frames of exactly the configured size.
    assert!(res.chunked);
    assert_eq!(res.chunk_sizes, vec![1000; 100], "{:?}", res.chunk_sizes);
}

#[test]
fn client_disconnect_mid_stream_stops_producer_and_next_request_is_served() {
    let rr = RrServer::start(ServerConfig::new(test_worker()).workers(1));
    let pids = rr.worker_pids();
    {
        let mut conn = raw_exchange(rr.addr, &Request::get("/sse").to_bytes(rr.addr));
        let mut buf = [0u8; 256];
        let n = conn.read(&mut buf).unwrap();
        assert!(
            String::from_utf8_lossy(&buf[..n]).contains("200"),
            "stream started"
        );
        // The connection drops here, mid-stream.
    }
    let marker = rr.path("producer-saw-client-gone");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !marker.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        std::fs::read_to_string(&marker).unwrap_or_default(),
        "the client is gone: the response stream was stopped; is_closed: true",
        "the producer got ClientGone, and is_closed agrees"
    );
    for _ in 0..3 {
        assert_eq!(
            Request::get("/hello").send(rr.addr).text(),
            "Hello RoadRunner!"
        );
    }
    assert_eq!(rr.worker_pids(), pids, "the same worker kept serving");
}

#[test]
fn client_disconnect_during_an_endless_reader_stream_is_survived() {
    let rr = RrServer::start(ServerConfig::new(test_worker()).workers(1));
    let pids = rr.worker_pids();
    {
        // A body that never ends: only noticing the client leave can free the worker.
        let path = format!("/stream?size={}", u64::MAX);
        let mut conn = raw_exchange(rr.addr, &Request::get(&path).to_bytes(rr.addr));
        let mut buf = vec![0u8; 1 << 20];
        let mut got = 0;
        while got < 4 << 20 {
            got += conn.read(&mut buf).unwrap();
        }
    }
    let res = Request::get("/hello").send(rr.addr);
    assert_eq!(res.text(), "Hello RoadRunner!");
    assert!(
        rr.log_contains("e2e: stream abandoned with"),
        "the reader was dropped when the client left:\n{}",
        rr.log()
    );
    assert_eq!(rr.worker_pids(), pids, "the same worker kept serving");
}

#[test]
fn headers_named_in_trailer_arrive_as_trailers() {
    let rr = RrServer::start(ServerConfig::new(test_worker()));
    for path in ["/trailers", "/trailers?stream=1"] {
        let res = Request::get(path).send(rr.addr);
        assert_eq!(res.status, 200, "{path}");
        assert!(res.chunked, "{path}: trailers need a chunked body");
        assert_eq!(res.header("x-kept"), Some("header"), "{path}");
        assert_eq!(res.header("x-checksum"), None, "{path}: not a header");
        // Go writes trailers in map order.
        let mut trailers = res.trailers.clone();
        trailers.sort();
        assert_eq!(
            trailers,
            [
                ("x-checksum".to_owned(), "sha256=abc".to_owned()),
                ("x-rows".to_owned(), "3".to_owned())
            ],
            "{path}"
        );
    }
}

#[test]
fn a_producer_failing_answers_500_before_the_first_byte_and_ends_the_stream_after() {
    let rr = RrServer::start(ServerConfig::new(test_worker()).workers(1));
    let pids = rr.worker_pids();
    // Once, on a loaded machine, rr reset this connection instead of answering: if it happens
    // again, rr's log says why.
    let sent = std::panic::catch_unwind(|| Request::get("/abort?after=0").send(rr.addr));
    let Ok(res) = sent else {
        panic!("no answer to /abort?after=0; rr's log:\n{}", rr.log());
    };
    assert_eq!(
        res.status, 500,
        "nothing was sent yet: rr's internal error status"
    );
    assert!(
        rr.log_contains("the producer's database went away"),
        "{}",
        rr.log()
    );
    // After two chunks the status is out: the client gets what was sent, and the stream ends.
    let res = Request::get("/abort?after=2").send(rr.addr);
    assert_eq!(res.status, 200);
    assert_eq!(res.text(), "chunk-0\nchunk-1\n");
    assert_eq!(rr.worker_pids(), pids, "the same worker kept serving");
}

#[test]
fn trailers_arrive_over_http2_too() {
    let rr = RrServer::start(ServerConfig::new(test_worker()).h2c());
    let out = curl(&[
        "--http2-prior-knowledge",
        "-D",
        "-",
        &rr.url("/trailers?stream=1"),
    ]);
    assert!(out.starts_with("HTTP/2 200"), "{out}");
    // curl prints the headers, the body, then the trailer fields.
    let (head, rest) = out.split_once("\r\n\r\n").expect("end of the headers");
    assert!(head.contains("x-kept: header"), "{out}");
    assert!(!head.to_ascii_lowercase().contains("x-checksum"), "{out}");
    let trailers = rest
        .strip_prefix("part-0\npart-1\npart-2\n")
        .unwrap_or_else(|| panic!("the body, then the trailers: {out}"))
        .to_ascii_lowercase();
    assert!(trailers.contains("x-checksum: sha256=abc"), "{out}");
    assert!(trailers.contains("x-rows: 3"), "{out}");
}
