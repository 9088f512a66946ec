//! The worker protocol (`docs/worker.md`) against the test kit's scripted in-memory server.

use goridge::{Flags, FrameHead, Options, Relay, StreamFlags};
use rr_testkit::ScriptedServer;
use rr_worker::{Payload, Worker, WorkerError};

#[test]
fn answers_pid_request_with_own_pid_then_hands_out_payload() {
    let (relay, mut server) = ScriptedServer::pair();
    server.control(r#"{"pid":1000}"#);
    server.request(Flags::CODEC_PROTO, b"ctx", b"body");
    let mut worker = Worker::new(relay);
    let payload = worker.wait_payload().unwrap().unwrap();
    assert_eq!(
        payload,
        Payload::new(Flags::CODEC_PROTO, &b"ctx"[..], &b"body"[..])
    );

    let reply = server.receive().unwrap();
    assert_eq!(reply.flags(), Flags::CONTROL);
    assert!(reply.options().is_empty());
    assert_eq!(
        reply.payload,
        format!("{{\"pid\":{}}}", std::process::id()).as_bytes()
    );
}

#[test]
fn stop_command_ends_the_loop() {
    let (relay, mut server) = ScriptedServer::pair();
    server.control(r#"{"stop":true}"#);
    assert_eq!(Worker::new(relay).wait_payload().unwrap(), None);
}

#[test]
fn closed_relay_ends_the_loop() {
    let (relay, server) = ScriptedServer::pair();
    drop(server);
    assert_eq!(Worker::new(relay).wait_payload().unwrap(), None);
}

#[test]
fn stop_and_pong_while_idle_are_ignored() {
    let (relay, mut server) = ScriptedServer::pair();
    server.stream_bits(StreamFlags::STOP);
    server.stream_bits(StreamFlags::PONG);
    server.request(Flags::CODEC_PROTO, b"", b"x");
    let payload = Worker::new(relay).wait_payload().unwrap().unwrap();
    assert_eq!(&payload.body[..], b"x");
}

#[test]
fn response_frame_has_one_option_and_codec() {
    let (relay, mut server) = ScriptedServer::pair();
    server.request(Flags::CODEC_PROTO, b"c", b"");
    let mut worker = Worker::new(relay);
    worker.wait_payload().unwrap().unwrap();
    worker
        .respond(&Payload::new(
            Flags::CODEC_PROTO,
            &b"head"[..],
            &b"tail"[..],
        ))
        .unwrap();
    let frame = server.receive().unwrap();
    assert_eq!(frame.flags(), Flags::CODEC_PROTO);
    assert_eq!(frame.stream(), StreamFlags::EMPTY);
    assert_eq!(frame.options(), [4]);
    assert_eq!(&frame.payload[..], b"headtail");
}

#[test]
fn error_frame_has_error_flag_and_text() {
    let (relay, mut server) = ScriptedServer::pair();
    server.request(Flags::CODEC_PROTO, b"c", b"");
    let mut worker = Worker::new(relay);
    worker.wait_payload().unwrap();
    worker.error("boom").unwrap();
    let frame = server.receive().unwrap();
    // Vector E4 of http.md §12.5.
    assert_eq!(
        frame.to_bytes().unwrap(),
        [
            0x13, 0x40, 4, 0, 0, 0, 0x88, 0x1e, 0x11, 0xe3, 0, 0, b'b', b'o', b'o', b'm'
        ]
    );
}

#[test]
fn a_second_answer_is_refused() {
    let (relay, mut server) = ScriptedServer::pair();
    server.request(Flags::CODEC_PROTO, b"c", b"");
    let mut worker = Worker::new(relay);
    worker.wait_payload().unwrap();
    worker.respond(&Payload::default()).unwrap();
    assert!(matches!(worker.error("late"), Err(WorkerError::Misuse(_))));
    assert!(matches!(
        worker.respond(&Payload::default()),
        Err(WorkerError::Misuse(_))
    ));
    assert!(server.try_receive().unwrap().is_some());
    assert!(
        server.try_receive().unwrap().is_none(),
        "nothing after the one answer"
    );
}

#[test]
fn error_mid_stream_is_refused() {
    let (relay, mut server) = ScriptedServer::pair();
    server.request(Flags::CODEC_PROTO, b"c", b"");
    let mut worker = Worker::new(relay);
    worker.wait_payload().unwrap();
    worker
        .send(Flags::CODEC_PROTO, b"", b"chunk", true)
        .unwrap();
    assert!(matches!(worker.error("x"), Err(WorkerError::Misuse(_))));
    assert!(matches!(worker.wait_payload(), Err(WorkerError::Misuse(_))));
}

#[test]
fn stream_stop_is_noticed_without_blocking() {
    let (relay, mut server) = ScriptedServer::pair();
    server.request(Flags::CODEC_PROTO, b"c", b"");
    let mut worker = Worker::new(relay);
    worker.wait_payload().unwrap();
    worker.send(Flags::CODEC_PROTO, b"", b"1", true).unwrap();
    assert!(!worker.stream_stopped().unwrap(), "nothing sent yet");
    server.stream_bits(StreamFlags::PONG);
    server.stream_bits(StreamFlags::STOP);
    assert!(worker.stream_stopped().unwrap());
    worker.send(Flags::CODEC_PROTO, b"", b"", false).unwrap();
    server.request(Flags::CODEC_PROTO, b"next", b"");
    assert_eq!(
        &worker.wait_payload().unwrap().unwrap().context[..],
        b"next"
    );
}

#[test]
fn stop_command_mid_stream_is_honoured_after_the_stream() {
    let (relay, mut server) = ScriptedServer::pair();
    server.request(Flags::CODEC_PROTO, b"c", b"");
    let mut worker = Worker::new(relay);
    worker.wait_payload().unwrap();
    worker.send(Flags::CODEC_PROTO, b"", b"1", true).unwrap();
    server.control(r#"{"stop":true}"#);
    assert!(!worker.stream_stopped().unwrap());
    worker.send(Flags::CODEC_PROTO, b"", b"", false).unwrap();
    server.request(Flags::CODEC_PROTO, b"never", b"");
    assert_eq!(worker.wait_payload().unwrap(), None);
}

#[test]
fn stop_request_is_exactly_the_thirteen_byte_context() {
    let (relay, mut server) = ScriptedServer::pair();
    server.request(Flags::CODEC_PROTO, b"c", b"");
    let mut worker = Worker::new(relay);
    worker.wait_payload().unwrap();
    worker.request_stop().unwrap();
    // Vector V12 of protocol.md §6.
    let mut expected = vec![
        0x14, 0x00, 0x0d, 0, 0, 0, 0xf3, 0x39, 0xef, 0xdb, 0, 0, 0x0d, 0, 0, 0,
    ];
    expected.extend_from_slice(br#"{"stop":true}"#);
    assert_eq!(server.receive().unwrap().to_bytes().unwrap(), expected);
}

#[test]
fn malformed_frames_give_typed_errors() {
    let (relay, mut server) = ScriptedServer::pair();
    server
        .send(&FrameHead::new(Flags::CODEC_PROTO), &[b"no option"])
        .unwrap();
    assert!(matches!(
        Worker::new(relay).wait_payload(),
        Err(WorkerError::MissingContextLength)
    ));

    let (relay, mut server) = ScriptedServer::pair();
    let head = FrameHead::new(Flags::CODEC_PROTO).with_options(Options::one(99));
    server.send(&head, &[b"short"]).unwrap();
    assert!(matches!(
        Worker::new(relay).wait_payload(),
        Err(WorkerError::ContextOutOfBounds {
            context: 99,
            payload: 5
        })
    ));

    let (relay, mut server) = ScriptedServer::pair();
    server.control("{}");
    assert!(matches!(
        Worker::new(relay).wait_payload(),
        Err(WorkerError::UnknownControl(_))
    ));
}
