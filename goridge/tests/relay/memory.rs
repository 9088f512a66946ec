//! The in-memory relay, DSN parsing and `AnyRelay`.

use super::*;

#[test]
fn memory_pair_round_trips_context_and_body_both_ways() {
    let (mut worker, mut server) = MemoryRelay::pair();
    worker
        .send(&data_head(3), &[b"ctx", b"body"])
        .expect("send");
    let frame = server.receive().expect("receive");
    assert_eq!(frame.options(), [3]);
    assert_eq!(&frame.payload[..], b"ctxbody");
    server.send(&ten_options_head(), &[b"reply"]).expect("send");
    assert_eq!(
        worker.receive().expect("receive"),
        Frame::new(ten_options_head(), &b"reply"[..])
    );
}

#[test]
fn memory_try_receive_is_none_until_a_frame_was_sent() {
    let (mut a, mut b) = MemoryRelay::pair();
    assert_eq!(b.try_receive().expect("try_receive"), None);
    a.send(&FrameHead::new(Flags::CONTROL), &[b"{}"])
        .expect("send");
    assert_eq!(
        &b.try_receive()
            .expect("try_receive")
            .expect("frame")
            .payload[..],
        b"{}"
    );
}

#[test]
fn memory_send_raw_of_a_frame_with_a_bad_crc_gives_a_crc_error() {
    let (mut a, mut b) = MemoryRelay::pair();
    let mut bytes = wire(data_head(3), b"ctxbody");
    bytes[3] ^= 0x01;
    a.send_raw(bytes).expect("send_raw");
    assert!(matches!(
        b.receive(),
        Err(RelayError::Frame(FrameError::Crc { .. }))
    ));
}

#[test]
fn memory_send_raw_of_a_bad_header_length_gives_a_header_length_error() {
    let (mut a, mut b) = MemoryRelay::pair();
    a.send_raw(header_with_crc(0x1e, 0, 0).to_vec())
        .expect("send_raw");
    assert!(matches!(
        b.receive(),
        Err(RelayError::Frame(FrameError::HeaderLength(14)))
    ));
}

#[test]
fn memory_send_raw_of_half_a_frame_gives_truncated() {
    let (mut a, mut b) = MemoryRelay::pair();
    let bytes = wire(data_head(3), b"ctxbody");
    a.send_raw(bytes[..10].to_vec()).expect("send_raw");
    assert!(matches!(b.receive(), Err(RelayError::Truncated { .. })));
}

#[test]
fn memory_receive_reports_closed_when_the_peer_is_dropped() {
    let (a, mut b) = MemoryRelay::pair();
    drop(a);
    assert!(matches!(b.receive(), Err(RelayError::Closed)));
    assert!(matches!(b.try_receive(), Err(RelayError::Closed)));
}

#[test]
fn dsn_parses_the_forms_roadrunner_uses() {
    let table: &[(&str, Dsn)] = &[
        ("pipes", Dsn::Pipes),
        ("  pipes\n", Dsn::Pipes),
        ("pipes://stdin:stdout", Dsn::Pipes),
        ("tcp://127.0.0.1:7000", Dsn::Tcp("127.0.0.1:7000".into())),
        ("tcp://localhost:6001", Dsn::Tcp("localhost:6001".into())),
        ("tcp://[::1]:80", Dsn::Tcp("[::1]:80".into())),
        (
            "tcp://example.org:65535",
            Dsn::Tcp("example.org:65535".into()),
        ),
        (
            "unix:///var/run/rr.sock",
            Dsn::Unix("/var/run/rr.sock".into()),
        ),
        ("unix://rr.sock", Dsn::Unix("rr.sock".into())),
        ("unix://./dir/rr.sock", Dsn::Unix("./dir/rr.sock".into())),
    ];
    for (text, expected) in table {
        assert_eq!(&text.parse::<Dsn>().expect(text), expected, "{text:?}");
    }
}

#[test]
fn dsn_refuses_malformed_strings_with_a_reason() {
    let table: &[(&str, &str)] = &[
        ("", "unknown scheme"),
        ("udp://127.0.0.1:1", "unknown scheme"),
        ("http://localhost:80", "unknown scheme"),
        ("TCP://127.0.0.1:80", "unknown scheme"),
        ("tcp://", "no port"),
        ("tcp://localhost", "no port"),
        ("tcp://localhost:port", "bad port"),
        ("tcp://localhost:65536", "bad port"),
        ("tcp://localhost:", "bad port"),
        ("unix://", "no socket path"),
    ];
    for (text, reason) in table {
        match text.parse::<Dsn>() {
            Err(RelayError::InvalidDsn { dsn, reason: got }) => {
                assert_eq!(&dsn, text);
                assert_eq!(&got, reason, "{text:?}");
            }
            other => panic!("{text:?}: {other:?}"),
        }
    }
}

#[test]
fn dsn_display_gives_back_the_canonical_string() {
    for text in [
        "pipes",
        "tcp://127.0.0.1:7000",
        "unix:///var/run/rr.sock",
        "unix://rr.sock",
    ] {
        assert_eq!(text.parse::<Dsn>().expect(text).to_string(), text);
    }
}

/// Serves one connection: receives one frame and answers with its payload reversed.
fn echo_reversed<R: Read + ReadReady, W: Write>(mut relay: StreamRelay<R, W>) {
    let frame = relay.receive().expect("server receive");
    let mut payload = frame.payload.to_vec();
    payload.reverse();
    relay.send(&frame.head, &[&payload]).expect("server send");
}

fn client_round_trip(dsn: &str) {
    let dsn: Dsn = dsn.parse().expect("valid dsn");
    let mut relay = AnyRelay::connect(&dsn).expect("connect");
    relay
        .send(&data_head(3), &[b"ctx", b"body"])
        .expect("client send");
    let frame = relay.receive().expect("client receive");
    assert_eq!(frame.options(), [3]);
    assert_eq!(&frame.payload[..], b"ydobxtc");
}

#[test]
fn any_relay_connects_to_a_tcp_listener_and_round_trips() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let server = thread::spawn(move || {
        let (stream, _) = listener.accept().expect("accept");
        echo_reversed(StreamRelay::new(stream.try_clone().expect("clone"), stream));
    });
    client_round_trip(&format!("tcp://{addr}"));
    server.join().expect("server thread");
}

#[test]
fn any_relay_connects_to_a_unix_listener_and_round_trips() {
    let dir = TempDir::new("any-relay-unix");
    let path = dir.path().join("rr.sock");
    let listener = UnixListener::bind(&path).expect("bind");
    let server = thread::spawn(move || {
        let (stream, _) = listener.accept().expect("accept");
        echo_reversed(StreamRelay::new(stream.try_clone().expect("clone"), stream));
    });
    client_round_trip(&format!("unix://{}", path.display()));
    server.join().expect("server thread");
    let kept = dir.path().to_owned();
    drop(dir);
    assert!(
        !kept.exists(),
        "temp dir {} was not removed",
        kept.display()
    );
}

#[test]
fn any_relay_connect_to_a_missing_unix_socket_is_a_connect_error() {
    let dir = TempDir::new("any-relay-missing");
    let dsn = Dsn::Unix(dir.path().join("nobody-listens.sock"));
    match AnyRelay::connect(&dsn) {
        Err(RelayError::Connect { dsn: shown, source }) => {
            assert!(shown.ends_with("nobody-listens.sock"), "{shown}");
            assert_eq!(source.kind(), io::ErrorKind::NotFound);
        }
        other => panic!("{other:?}"),
    }
}
