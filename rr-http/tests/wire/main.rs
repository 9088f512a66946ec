//! The frames rr-http sends, byte for byte, against a scripted in-memory server (the HTTP
//! vectors of `docs/http.md`, from `rr_testkit::vectors::http`).
//!
//! Split by topic: the vectors and request decoding here, streaming in `streaming.rs`,
//! statuses, errors and panics in `statuses.rs`.

mod statuses;
mod streaming;

use std::sync::mpsc;
use std::thread;

use goridge::{Flags, Frame, FrameHead, MemoryRelay, Options, Relay, StreamFlags};
use http::{Response, StatusCode};
use rr_http::{Body, HttpError, HttpWorker, RequestExt};
use rr_worker::Worker;

use rr_testkit::unhex;
use rr_testkit::vectors::http::A_CONTEXT as VECTOR_A_CONTEXT;

fn send_request(server: &mut MemoryRelay, flags: Flags, context: &[u8], body: &[u8]) {
    let head = FrameHead::new(flags).with_options(Options::one(context.len() as u32));
    server.send(&head, &[context, body]).unwrap();
}

fn stop_worker(server: &mut MemoryRelay) {
    server
        .send(
            &FrameHead::new(Flags::CONTROL | Flags::CODEC_JSON),
            &[br#"{"stop":true}"#],
        )
        .unwrap();
}

/// Runs `handler` on a worker thread for `requests`, then stops it; returns every frame sent.
fn run<F, T>(requests: Vec<(Flags, Vec<u8>, Vec<u8>)>, handler: F) -> Vec<Frame>
where
    F: FnMut(http::Request<Body>, &mut rr_http::Hints<'_>) -> T + Send + 'static,
    T: rr_http::IntoReply,
{
    let (relay, mut server) = MemoryRelay::pair();
    for (flags, ctx, body) in &requests {
        send_request(&mut server, *flags, ctx, body);
    }
    stop_worker(&mut server);
    let worker =
        thread::spawn(move || HttpWorker::new(Worker::new(relay)).serve_with_hints(handler));
    worker.join().unwrap().unwrap();
    let mut frames = Vec::new();
    while let Ok(Some(f)) = server.try_receive() {
        frames.push(f);
    }
    frames
}

fn get_hello() -> (Flags, Vec<u8>, Vec<u8>) {
    (Flags::CODEC_PROTO, unhex(VECTOR_A_CONTEXT), Vec::new())
}

#[test]
fn vector_a_request_and_vector_b_response() {
    let frames = run(vec![get_hello()], |req, _| {
        assert_eq!(req.method(), http::Method::GET);
        assert_eq!(req.uri(), "http://localhost:8080/hello?name=world");
        assert_eq!(req.headers()["host"], "localhost:8080");
        assert_eq!(req.headers()["user-agent"], "curl/8.5.0");
        assert_eq!(req.remote_addr().unwrap().ip(), Some([127, 0, 0, 1].into()));
        assert_eq!(
            req.query().get("name").and_then(|v| v.as_str()),
            Some("world")
        );
        Response::builder()
            .header("content-type", "text/plain; charset=utf-8")
            .body(Body::from("Hello, World!"))
            .unwrap()
    });
    assert_eq!(frames.len(), 1);
    assert_eq!(
        frames[0].to_bytes().unwrap(),
        unhex(
            "14803d000000c071229a00003000000008c801122b0a0c436f6e74656e742d54797065121b0a19746578742f706c61696e3b20636861727365743d7574662d3848656c6c6f2c20576f726c6421"
        )
    );
}

#[test]
fn vector_c_two_set_cookie_headers_no_body() {
    let frames = run(vec![get_hello()], |_, _| {
        Response::builder()
            .status(204)
            .header("set-cookie", "a=1; Path=/")
            .header("set-cookie", "b=2; Path=/")
            .body(Body::empty())
            .unwrap()
    });
    assert_eq!(
        frames[0].to_bytes().unwrap(),
        unhex(
            "14802d0000005f263bca00002d00000008cc0112280a0a5365742d436f6f6b6965121a0a0b613d313b20506174683d2f0a0b623d323b20506174683d2f"
        )
    );
}

#[test]
fn vector_d_early_hint_then_streamed_body() {
    let frames = run(vec![get_hello()], |_, hints| {
        hints
            .early_hints(["</style.css>; rel=preload; as=style"])
            .unwrap();
        Response::builder()
            .header("content-type", "text/plain")
            .body(Body::chunks(["chunk-1\n", "chunk-2\n"]))
            .unwrap()
    });
    let bytes: Vec<Vec<u8>> = frames.iter().map(|f| f.to_bytes().unwrap()).collect();
    let vector_d = [
        "14803100000078cef4d00100310000000867122d0a044c696e6b12250a233c2f7374796c652e6373733e3b2072656c3d7072656c6f61643b2061733d7374796c65",
        "14802900000008b1594501002100000008c801121c0a0c436f6e74656e742d54797065120c0a0a746578742f706c61696e6368756e6b2d310a",
        "1480080000005379d75d0100000000006368756e6b2d320a",
        "148000000000bc516398000000000000",
    ];
    let expected: Vec<Vec<u8>> = vector_d.iter().map(|h| unhex(h)).collect();
    // D1 103 + Link; D2 head + chunk-1; D3 chunk-2; D4 end of stream.
    assert_eq!(bytes, expected);
}

#[test]
fn form_tree_and_cookies_of_vector_g() {
    let ctx = unhex(
        "0a093132372e302e302e311208485454502f312e311a04504f5354221a687474703a2f2f6c6f63616c686f73743a383038302f666f726d2a160a0e436f6e74656e742d4c656e67746812040a0231352a330a0c436f6e74656e742d5479706512230a216170706c69636174696f6e2f782d7777772d666f726d2d75726c656e636f6465642a190a06436f6f6b6965120f0a0d7369643d61626325323064656632100a0373696412090a076162632064656640017b2261223a2231222c2262223a5b2278222c2279225d7d",
    );
    // The vector's context is followed by its body part; split them as the frame would.
    let ctx_len = 179;
    let (context, body) = ctx.split_at(ctx_len);
    let frames = run(
        vec![(Flags::CODEC_PROTO, context.to_vec(), body.to_vec())],
        |req, _| {
            #[derive(serde::Deserialize)]
            struct Form {
                a: u32,
                b: Vec<String>,
            }
            let form: Form = req.form_as().unwrap();
            assert_eq!((form.a, form.b), (1, vec!["x".to_owned(), "y".to_owned()]));
            assert_eq!(req.cookie("sid"), Some("abc def"));
            "ok"
        },
    );
    assert!(frames[0].payload.ends_with(b"ok"));
}

#[test]
fn legacy_json_request_gets_a_json_response_with_flag_0x08() {
    let ctx = br#"{"remoteAddr":"127.0.0.1","protocol":"HTTP/1.1","method":"GET","uri":"http://localhost:8080/hello?name=world","headers":{"Accept":["*/*"],"User-Agent":["curl/8.5.0"]},"cookies":{},"rawQuery":"name=world","parsed":false,"uploads":null,"attributes":{}}"#;
    let frames = run(
        vec![(Flags::CODEC_JSON, ctx.to_vec(), Vec::new())],
        |req, _| {
            assert_eq!(req.uri().path(), "/hello");
            Response::builder()
                .header("content-type", "text/plain; charset=utf-8")
                .body(Body::from("Hello, World!"))
                .unwrap()
        },
    );
    assert_eq!(frames[0].flags(), Flags::CODEC_JSON);
    let ctx_len = frames[0].options()[0] as usize;
    assert_eq!(
        &frames[0].payload[..ctx_len],
        br#"{"status":200,"headers":{"Content-Type":["text/plain; charset=utf-8"]}}"#
    );
    assert_eq!(&frames[0].payload[ctx_len..], b"Hello, World!");
}

#[test]
fn undecodable_request_is_answered_with_an_error_frame_and_the_worker_goes_on() {
    let frames = run(
        vec![
            (Flags::CODEC_PROTO, vec![0xff, 0xff, 0xff], Vec::new()),
            get_hello(),
        ],
        |_, _| "fine",
    );
    assert_eq!(frames.len(), 2);
    assert_eq!(frames[0].flags(), Flags::ERROR);
    assert!(frames[1].payload.ends_with(b"fine"));
}
