//! Statuses and failures: panics, errors after hints, dropped responders, 1xx, 204, 304.

use super::*;

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
