//! A stop signal while busy: the payload in flight is answered, then `wait_payload` says stop.

use std::time::Duration;

use goridge::{Flags, FrameHead, MemoryRelay, Options, Relay};
use rr_worker::{StopSignals, Worker};

fn send_payload(server: &mut MemoryRelay, body: &[u8]) {
    let head = FrameHead::new(Flags::CODEC_RAW).with_options(Options::one(0));
    server.send(&head, &[body]).unwrap();
}

#[test]
fn after_a_stop_while_busy_later_payloads_go_back_to_rr_until_it_stops_the_worker() {
    let (relay, mut server) = MemoryRelay::pair();
    send_payload(&mut server, b"one");
    send_payload(&mut server, b"two");
    server
        .send(
            &FrameHead::new(Flags::CONTROL | Flags::CODEC_JSON),
            &[br#"{"stop":true}"#],
        )
        .unwrap();
    let signals = StopSignals::unregistered();
    let mut worker = Worker::new(relay).with_stop_signals(signals.clone());
    let job = worker.wait_payload().unwrap().unwrap();
    signals.request();
    worker.respond(&job).unwrap();
    assert!(
        worker.wait_payload().unwrap().is_none(),
        "stops at rr's stop"
    );
    assert_eq!(&server.receive().unwrap().payload[..], b"one");
    let recycle = server.receive().unwrap();
    assert_eq!(
        &recycle.payload[..],
        br#"{"stop":true}"#,
        "payload two was answered with a stop request"
    );
    assert_eq!(recycle.options(), [13]);
}

#[test]
fn a_stream_expires_after_the_grace_that_follows_a_stop() {
    let (relay, mut server) = MemoryRelay::pair();
    send_payload(&mut server, b"go");
    let signals = StopSignals::unregistered();
    let mut worker = Worker::new(relay)
        .with_stop_signals(signals.clone())
        .with_stream_grace(Duration::ZERO);
    worker.wait_payload().unwrap().unwrap();
    worker.send(Flags::CODEC_RAW, b"", b"a", true).unwrap();
    assert!(!worker.stream_expired(), "no stop yet, no maximum");
    signals.request();
    assert!(worker.stream_expired());
    worker.send(Flags::CODEC_RAW, b"", b"", false).unwrap();
    drop(server);
    assert!(worker.wait_payload().unwrap().is_none(), "closed relay");
}

#[test]
fn a_stream_expires_after_its_maximum_duration() {
    let (relay, mut server) = MemoryRelay::pair();
    send_payload(&mut server, b"go");
    let mut worker = Worker::new(relay).with_max_stream_duration(Duration::ZERO);
    worker.wait_payload().unwrap().unwrap();
    assert!(!worker.stream_expired(), "not streaming yet");
    worker.send(Flags::CODEC_RAW, b"", b"a", true).unwrap();
    assert!(worker.stream_expired());
}
