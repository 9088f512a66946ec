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
    assert_eq!(
        frame.to_bytes().unwrap(),
        rr_testkit::vectors::http::http_e4_worker_error().wire
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
    // Vector V12 of docs/frames.md.
    assert_eq!(
        server.receive().unwrap().to_bytes().unwrap(),
        rr_testkit::vectors::frames::v12_stop_request().wire
    );
}

#[test]
fn malformed_request_metadata_is_answered_with_an_error_and_the_worker_goes_on() {
    malformed_metadata_is_answered(false);
}

#[test]
fn malformed_request_metadata_is_answered_with_stop_signals_installed_too() {
    // Stop signals mark the worker busy per payload: a refused frame must not leave it busy.
    malformed_metadata_is_answered(true);
}

fn malformed_metadata_is_answered(with_signals: bool) {
    let (relay, mut server) = ScriptedServer::pair();
    server
        .send(&FrameHead::new(Flags::CODEC_PROTO), &[b"no option"])
        .unwrap();
    let head = FrameHead::new(Flags::CODEC_PROTO).with_options(Options::one(99));
    server.send(&head, &[b"short"]).unwrap();
    let head = FrameHead::new(Flags::CODEC_PROTO).with_options(Options::one(3));
    server.send(&head, &[b"ctxbody"]).unwrap();

    let mut worker = Worker::new(relay);
    if with_signals {
        worker = worker.with_stop_signals(rr_worker::StopSignals::unregistered());
    }
    let payload = worker.wait_payload().unwrap().expect("the valid request");
    assert_eq!(
        (&payload.context[..], &payload.body[..]),
        (&b"ctx"[..], &b"body"[..])
    );
    for expected in [
        WorkerError::MissingContextLength.to_string(),
        WorkerError::ContextOutOfBounds {
            context: 99,
            payload: 5,
        }
        .to_string(),
    ] {
        let reply = server.receive().unwrap();
        assert_eq!(reply.flags(), Flags::ERROR);
        let text = String::from_utf8_lossy(&reply.payload).into_owned();
        assert!(text.contains(&expected), "{text}");
    }
}

#[test]
fn a_control_frame_that_is_not_understood_is_a_typed_error() {
    let (relay, mut server) = ScriptedServer::pair();
    server.control("{}");
    assert!(matches!(
        Worker::new(relay).wait_payload(),
        Err(WorkerError::UnknownControl(_))
    ));
}
