//! The frames rr-http sends, byte for byte, against a scripted in-memory server
//! (vectors of `shared/spec/http.md` §12).

use std::sync::mpsc;
use std::thread;

use goridge::{Flags, Frame, FrameHead, MemoryRelay, Options, Relay, StreamFlags};
use http::{Response, StatusCode};
use rr_http::{Body, HttpError, HttpWorker, RequestExt};
use rr_worker::Worker;

fn unhex(s: &str) -> Vec<u8> {
    let s: String = s.split_whitespace().collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

const VECTOR_A_CONTEXT: &str = "0a093132372e302e302e311208485454502f312e311a034745542226687474703a2f2f6c6f63616c686f73743a383038302f68656c6c6f3f6e616d653d776f726c642a0f0a0641636365707412050a032a2f2a2a1a0a0a557365722d4167656e74120c0a0a6375726c2f382e352e303a0a6e616d653d776f726c64";

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
fn streamed_frames_never_exceed_the_chunk_size() {
    let (relay, mut server) = MemoryRelay::pair();
    let (flags, ctx, body) = get_hello();
    send_request(&mut server, flags, &ctx, &body);
    stop_worker(&mut server);
    let t = thread::spawn(move || {
        HttpWorker::new(Worker::new(relay))
            .with_chunk_size(1000)
            .serve(|_| Response::new(Body::reader(std::io::Cursor::new(vec![1u8; 4500]))))
    });
    t.join().unwrap().unwrap();
    let mut sizes = Vec::new();
    while let Ok(Some(f)) = server.try_receive() {
        let ctx = f.options()[0] as usize;
        sizes.push((
            f.payload.len() - ctx,
            f.stream().contains(StreamFlags::STREAM),
        ));
    }
    assert_eq!(
        sizes,
        [
            (1000, true),
            (1000, true),
            (1000, true),
            (1000, true),
            (500, true),
            (0, false)
        ]
    );
}

#[test]
fn stop_mid_stream_ends_the_stream_and_tells_the_producer() {
    let (relay, mut server) = MemoryRelay::pair();
    let (flags, ctx, body) = get_hello();
    send_request(&mut server, flags, &ctx, &body);
    let (gone_tx, gone_rx) = mpsc::channel();
    let worker = thread::spawn(move || {
        let mut first = true;
        HttpWorker::new(Worker::new(relay)).serve(move |_| {
            if !first {
                return Response::new(Body::from("next"));
            }
            first = false;
            let (tx, body) = Body::channel();
            let gone_tx = gone_tx.clone();
            thread::spawn(move || {
                for i in 0.. {
                    if let Err(e) = tx.send(format!("event {i}\n")) {
                        gone_tx.send(e).unwrap();
                        return;
                    }
                }
            });
            Response::new(body)
        })
    });
    // Let a few chunks through, then say the client is gone.
    let mut streamed = 0;
    while streamed < 3 {
        let f = server.receive().unwrap();
        assert!(f.stream().contains(StreamFlags::STREAM));
        streamed += 1;
    }
    server
        .send(
            &FrameHead::new(Flags::EMPTY).with_stream(StreamFlags::STOP),
            &[],
        )
        .unwrap();
    // Frames already in flight may follow; the stream ends with a frame without STREAM.
    loop {
        let f = server.receive().unwrap();
        if !f.stream().contains(StreamFlags::STREAM) {
            assert_eq!(f.flags(), Flags::CODEC_PROTO);
            assert_eq!(f.options(), [0]);
            assert!(f.payload.is_empty());
            break;
        }
    }
    assert_eq!(gone_rx.recv().unwrap(), rr_http::ClientGone);
    // A late STOP while idle is ignored; the next request is served.
    server
        .send(
            &FrameHead::new(Flags::EMPTY).with_stream(StreamFlags::STOP),
            &[],
        )
        .unwrap();
    send_request(&mut server, flags, &ctx, &body);
    let next = server.receive().unwrap();
    assert!(next.payload.ends_with(b"next"));
    stop_worker(&mut server);
    worker.join().unwrap().unwrap();
}

#[test]
fn panic_sends_exactly_one_error_frame_then_serves_on() {
    let frames = run(vec![get_hello(), get_hello()], {
        let mut n = 0;
        move |_, _| {
            n += 1;
            if n == 1 {
                panic!("boom {n}");
            }
            Response::new(Body::from("ok"))
        }
    });
    assert_eq!(frames.len(), 2, "one frame per request: {frames:?}");
    assert_eq!(frames[0].flags(), Flags::ERROR);
    assert_eq!(&frames[0].payload[..], b"handler panicked: boom 1");
    assert!(frames[1].payload.ends_with(b"ok"));
}

#[test]
fn error_after_a_hint_becomes_a_500_response_not_an_error_frame() {
    let frames = run(
        vec![get_hello()],
        |_, hints| -> Result<Response<Body>, HttpError> {
            hints.early_hints(["</a.css>; rel=preload"])?;
            Err(HttpError::internal("failed after hinting"))
        },
    );
    assert_eq!(frames.len(), 2);
    assert!(frames[0].stream().contains(StreamFlags::STREAM));
    assert_eq!(
        frames[1].flags(),
        Flags::CODEC_PROTO,
        "a response, not an ERROR frame mid-stream"
    );
    assert_eq!(frames[1].stream(), StreamFlags::EMPTY);
    let ctx_len = frames[1].options()[0] as usize;
    assert_eq!(&frames[1].payload[..3], [0x08, 0xf4, 0x03], "status 500");
    assert_eq!(&frames[1].payload[ctx_len..], b"Internal Server Error");
}

#[test]
fn error_with_status_answers_with_that_status() {
    let frames = run(vec![get_hello()], |_, _| -> Result<String, HttpError> {
        Err(HttpError::new(StatusCode::NOT_FOUND, "missing"))
    });
    assert_eq!(frames.len(), 1);
    assert_eq!(&frames[0].payload[..3], [0x08, 0x94, 0x03], "status 404");
    assert!(frames[0].payload.ends_with(b"missing"));
}

#[test]
fn unanswered_request_gets_a_500_when_the_responder_is_dropped() {
    let (relay, mut server) = MemoryRelay::pair();
    let (flags, ctx, body) = get_hello();
    send_request(&mut server, flags, &ctx, &body);
    let mut worker = HttpWorker::new(Worker::new(relay));
    let (_req, responder) = worker.next_request().unwrap().unwrap();
    drop(responder);
    let f = server.receive().unwrap();
    assert_eq!(&f.payload[..3], [0x08, 0xf4, 0x03]);
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

#[test]
fn each_chunk_goes_out_before_the_next_is_produced() {
    let (relay, mut server) = MemoryRelay::pair();
    let (flags, ctx, body) = get_hello();
    send_request(&mut server, flags, &ctx, &body);
    let (go_on_tx, go_on_rx) = mpsc::channel::<()>();
    let go_on_rx = std::sync::Mutex::new(Some(go_on_rx));
    let worker = thread::spawn(move || {
        HttpWorker::new(Worker::new(relay)).serve(move |_| {
            let (tx, body) = Body::channel();
            let go_on = go_on_rx.lock().unwrap().take().unwrap();
            thread::spawn(move || {
                tx.send("event 1").unwrap();
                // The second event waits until the client has seen the first.
                go_on.recv().unwrap();
                tx.send("event 2").unwrap();
            });
            Response::new(body)
        })
    });
    let first = server.receive().unwrap();
    assert!(
        first.payload.ends_with(b"event 1"),
        "the first event is not held back"
    );
    go_on_tx.send(()).unwrap();
    let second = server.receive().unwrap();
    assert_eq!(&second.payload[..], b"event 2");
    let end = server.receive().unwrap();
    assert_eq!(end.stream(), StreamFlags::EMPTY);
    stop_worker(&mut server);
    worker.join().unwrap().unwrap();
}

#[test]
fn body_failing_before_its_first_byte_is_an_error_not_an_empty_200() {
    let frames = run(vec![get_hello()], |_, _| {
        Response::new(Body::try_chunks(vec![Err::<&str, _>(
            std::io::Error::other("db down"),
        )]))
    });
    assert_eq!(frames.len(), 1);
    assert_eq!(frames[0].flags(), Flags::ERROR);
    assert_eq!(&frames[0].payload[..], b"response body failed: db down");
}

#[test]
fn no_body_is_sent_for_204() {
    let frames = run(vec![get_hello()], |_, _| {
        (StatusCode::NO_CONTENT, "ignored")
    });
    assert_eq!(frames.len(), 1);
    assert_eq!(
        frames[0].options()[0] as usize,
        frames[0].payload.len(),
        "context only"
    );
}

#[test]
fn any_number_of_informational_responses_precede_the_final_one() {
    let frames = run(vec![get_hello()], |_, hints| {
        let mut cont = Response::new(());
        *cont.status_mut() = StatusCode::CONTINUE;
        hints.send(cont).unwrap();
        hints.early_hints(["</a.css>; rel=preload"]).unwrap();
        hints.early_hints(["</b.js>; rel=preload"]).unwrap();
        "done"
    });
    assert_eq!(frames.len(), 4);
    let statuses: Vec<_> = frames[..3].iter().map(|f| f.payload[1]).collect();
    assert_eq!(statuses, [100, 103, 103], "status varints of the 1xx heads");
    for f in &frames[..3] {
        assert!(f.stream().contains(StreamFlags::STREAM));
        assert_eq!(
            f.options()[0] as usize,
            f.payload.len(),
            "no body with a 1xx"
        );
    }
    assert_eq!(frames[3].stream(), StreamFlags::EMPTY);
    assert!(frames[3].payload.ends_with(b"done"));
}

#[test]
fn switching_protocols_is_refused_as_an_informational_response() {
    let frames = run(vec![get_hello()], |_, hints| {
        let mut upgrade = Response::new(());
        *upgrade.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
        assert!(hints.send(upgrade).is_err());
        "after refusal"
    });
    assert_eq!(frames.len(), 1, "nothing was sent for the 101");
    assert!(frames[0].payload.ends_with(b"after refusal"));
}

/// One request per case: HEAD with a whole body, 304 with a streamed body, 204 with a reader.
/// Each answer is a single frame whose body part is empty, and no producer is ever read.
#[test]
fn head_304_and_204_answers_carry_no_body_and_never_read_it() {
    let head = (
        Flags::CODEC_JSON,
        br#"{"method":"HEAD","uri":"http://h/","protocol":"HTTP/1.1"}"#.to_vec(),
        Vec::new(),
    );
    let frames = run(vec![head, get_hello(), get_hello()], {
        let mut n = 0;
        move |_, _| {
            n += 1;
            let never_read =
                || std::iter::from_fn(|| -> Option<&'static str> { panic!("body was read") });
            match n {
                1 => Response::new(Body::from("a HEAD answer has no body")),
                2 => Response::builder()
                    .status(304)
                    .header("etag", "\"v1\"")
                    .body(Body::chunks(never_read()))
                    .unwrap(),
                _ => Response::builder()
                    .status(204)
                    .body(Body::reader(std::io::repeat(b'x')))
                    .unwrap(),
            }
        }
    });
    assert_eq!(frames.len(), 3, "{frames:?}");
    for (f, status) in frames.iter().zip([200u16, 304, 204]) {
        assert_eq!(f.stream(), StreamFlags::EMPTY, "one frame, no STREAM bit");
        let ctx_len = f.options()[0] as usize;
        assert_eq!(f.payload.len(), ctx_len, "{status}: the body part is empty");
    }
    // The JSON request is answered in JSON, the protobuf ones in protobuf.
    assert!(
        frames[0].payload.starts_with(br#"{"status":200"#),
        "{:?}",
        frames[0]
    );
    assert_eq!(&frames[1].payload[..3], [0x08, 0xb0, 0x02], "status 304");
    assert_eq!(&frames[2].payload[..3], [0x08, 0xcc, 0x01], "status 204");
}
