//! Relays over real transports and hostile readers: unix socket pairs, TCP loopback, a reader
//! that hands out one byte per call, early EOFs, corrupt headers, payload limits, the in-memory
//! relay, DSN parsing and `AnyRelay::connect`.

use std::fs;
use std::io::{self, Cursor, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use bytes::BytesMut;
use goridge::relay::{ReadReady, TcpRelay, UnixRelay};
use goridge::{
    AnyRelay, Dsn, Flags, Frame, FrameCodec, FrameError, FrameHead, MemoryRelay, Options, Relay,
    RelayError, StreamFlags, StreamRelay,
};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn data_head(context_len: usize) -> FrameHead {
    FrameHead::new(Flags::CODEC_PROTO).with_options(Options::one(context_len as u32))
}

fn ten_options_head() -> FrameHead {
    FrameHead::new(Flags::CODEC_JSON)
        .with_stream(StreamFlags::STREAM | StreamFlags::PING)
        .with_options(
            Options::from_slice(&[0, 1, 0xFFFF_FFFF, 42, 7, 0x8000_0000, 3, 9, 10, 0xDEAD_BEEF])
                .expect("ten options"),
        )
}

/// A deterministic, non-repeating-looking payload of `len` bytes.
fn pattern(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u32).wrapping_mul(2_654_435_761).to_le_bytes()[3])
        .collect()
}

/// The wire bytes of one frame.
fn wire(head: FrameHead, payload: &[u8]) -> Vec<u8> {
    Frame::new(head, payload.to_vec())
        .to_bytes()
        .expect("encodable")
}

/// A 12-byte header with the given byte 0, flags and length, and a correct CRC.
fn header_with_crc(byte0: u8, flags: u8, payload_len: u32) -> [u8; 12] {
    let mut h = [0u8; 12];
    h[0] = byte0;
    h[1] = flags;
    h[2..6].copy_from_slice(&payload_len.to_le_bytes());
    let crc = crc32fast::hash(&h[..6]);
    h[6..10].copy_from_slice(&crc.to_le_bytes());
    h
}

/// A relay reading `bytes` from memory and writing nowhere.
fn reading(bytes: Vec<u8>) -> StreamRelay<Cursor<Vec<u8>>, io::Sink> {
    StreamRelay::new(Cursor::new(bytes), io::sink())
}

fn unix_pair() -> (UnixRelay, UnixRelay) {
    let (a, b) = UnixStream::pair().expect("socketpair");
    (
        StreamRelay::new(a.try_clone().expect("clone"), a),
        StreamRelay::new(b.try_clone().expect("clone"), b),
    )
}

fn tcp_pair() -> (TcpRelay, TcpRelay) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let client = TcpStream::connect(listener.local_addr().expect("addr")).expect("connect");
    let (server, _) = listener.accept().expect("accept");
    for s in [&client, &server] {
        s.set_nodelay(true).expect("nodelay");
    }
    (
        StreamRelay::new(client.try_clone().expect("clone"), client),
        StreamRelay::new(server.try_clone().expect("clone"), server),
    )
}

/// Polls `try_receive` until it yields a frame; a frame written to a local socket is visible
/// at once, the deadline only guards against a hang.
fn try_receive_soon<R: Relay>(relay: &mut R) -> Frame {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(frame) = relay.try_receive().expect("try_receive") {
            return frame;
        }
        assert!(Instant::now() < deadline, "frame never became ready");
        thread::sleep(Duration::from_millis(1));
    }
}

/// Hands out one byte per `read` call and counts the calls.
struct OneByteAtATime<R> {
    inner: R,
    reads: usize,
}

impl<R> OneByteAtATime<R> {
    fn new(inner: R) -> Self {
        Self { inner, reads: 0 }
    }
}

impl<R: Read> Read for OneByteAtATime<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.reads += 1;
        let n = buf.len().min(1);
        self.inner.read(&mut buf[..n])
    }
}

impl<R> ReadReady for OneByteAtATime<R> {
    fn read_ready(&self) -> io::Result<bool> {
        Ok(true)
    }
}

/// Fails every other `read` with `Interrupted`, and hands out one byte otherwise.
struct Interrupting<R> {
    inner: R,
    interrupt_next: bool,
}

impl<R: Read> Read for Interrupting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.interrupt_next = !self.interrupt_next;
        if !self.interrupt_next {
            return Err(io::ErrorKind::Interrupted.into());
        }
        let n = buf.len().min(1);
        self.inner.read(&mut buf[..n])
    }
}

impl<R> ReadReady for Interrupting<R> {
    fn read_ready(&self) -> io::Result<bool> {
        Ok(true)
    }
}

/// Accepts one byte per `write` call.
#[derive(Default)]
struct OneByteWriter {
    written: Vec<u8>,
    writes: usize,
}

impl Write for OneByteWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writes += 1;
        self.written.extend_from_slice(&buf[..buf.len().min(1)]);
        Ok(buf.len().min(1))
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        let path = std::env::temp_dir().join(format!("goridge-test-{}-{tag}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir(&path).expect("create temp dir");
        Self(path)
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

// ---------------------------------------------------------------------------------------------
// Unix socket pair and TCP loopback: the same behaviours over both
// ---------------------------------------------------------------------------------------------

macro_rules! transport_tests {
    ($module:ident, $pair:path) => {
        mod $module {
            use super::*;

            #[test]
            fn round_trips_context_and_body_parts_as_one_payload() {
                let (mut a, mut b) = $pair();
                a.send(&data_head(3), &[b"ctx", b"body"]).expect("send");
                let frame = b.receive().expect("receive");
                assert_eq!(frame.flags(), Flags::CODEC_PROTO);
                assert_eq!(frame.stream(), StreamFlags::EMPTY);
                assert_eq!(frame.options(), [3]);
                assert_eq!(&frame.payload[..], b"ctxbody");
            }

            #[test]
            fn round_trips_in_both_directions_on_one_connection() {
                let (mut a, mut b) = $pair();
                a.send(&FrameHead::new(Flags::CONTROL), &[br#"{"pid":1}"#])
                    .expect("send");
                assert_eq!(&b.receive().expect("receive").payload[..], br#"{"pid":1}"#);
                b.send(&FrameHead::new(Flags::CONTROL), &[br#"{"pid":2}"#])
                    .expect("send");
                assert_eq!(&a.receive().expect("receive").payload[..], br#"{"pid":2}"#);
            }

            #[test]
            fn round_trips_a_20_mib_payload() {
                let (mut a, mut b) = $pair();
                let body = pattern(20 * 1024 * 1024);
                let sent = body.clone();
                // The socket buffer holds far less than 20 MiB: send from another thread.
                let sender = thread::spawn(move || {
                    a.send(&data_head(5), &[b"ctx!!", &sent]).expect("send");
                    a
                });
                let frame = b.receive().expect("receive");
                sender.join().expect("sender thread");
                assert_eq!(frame.options(), [5]);
                assert_eq!(frame.payload.len(), 5 + body.len());
                assert_eq!(&frame.payload[..5], b"ctx!!");
                assert!(frame.payload[5..] == body[..], "20 MiB body differs");
            }

            #[test]
            fn round_trips_ten_options_and_stream_bits() {
                let (mut a, mut b) = $pair();
                a.send(&ten_options_head(), &[b"x"]).expect("send");
                let frame = b.receive().expect("receive");
                assert_eq!(frame.head, ten_options_head());
                assert_eq!(&frame.payload[..], b"x");
            }

            #[test]
            fn round_trips_many_frames_in_order() {
                let (mut a, mut b) = $pair();
                for i in 0..100u32 {
                    a.send(
                        &data_head(0).with_options(Options::one(i)),
                        &[&pattern(i as usize)],
                    )
                    .expect("send");
                }
                for i in 0..100u32 {
                    let frame = b.receive().expect("receive");
                    assert_eq!(frame.options(), [i]);
                    assert_eq!(frame.payload[..], pattern(i as usize)[..]);
                }
            }

            #[test]
            fn try_receive_returns_none_when_nothing_is_waiting() {
                let (_a, mut b) = $pair();
                assert_eq!(b.try_receive().expect("try_receive"), None);
            }

            #[test]
            fn try_receive_returns_the_frame_once_one_was_written() {
                let (mut a, mut b) = $pair();
                assert_eq!(b.try_receive().expect("try_receive"), None);
                a.send(&data_head(3), &[b"ctx", b"body"]).expect("send");
                let frame = try_receive_soon(&mut b);
                assert_eq!(&frame.payload[..], b"ctxbody");
                assert_eq!(b.try_receive().expect("try_receive"), None);
            }

            #[test]
            fn receive_reports_closed_when_the_peer_hangs_up_between_frames() {
                let (mut a, mut b) = $pair();
                a.send(&data_head(0), &[b"last"]).expect("send");
                drop(a);
                assert_eq!(&b.receive().expect("receive").payload[..], b"last");
                assert!(matches!(b.receive(), Err(RelayError::Closed)));
            }

            #[test]
            fn try_receive_reports_closed_when_the_peer_has_hung_up() {
                let (a, mut b) = $pair();
                drop(a);
                assert!(matches!(b.try_receive(), Err(RelayError::Closed)));
            }
        }
    };
}

transport_tests!(unix_socket_pair, unix_pair);
transport_tests!(tcp_loopback, tcp_pair);

// ---------------------------------------------------------------------------------------------
// Readers and writers that move one byte at a time
// ---------------------------------------------------------------------------------------------

#[test]
fn reader_giving_one_byte_per_read_still_decodes_every_frame() {
    let frames = [
        Frame::new(FrameHead::new(Flags::CONTROL), &br#"{"pid":1}"#[..]),
        Frame::new(ten_options_head(), pattern(1000)),
        Frame::new(data_head(0), Vec::new()),
        Frame::new(
            FrameHead::new(Flags::EMPTY).with_stream(StreamFlags::STOP),
            Vec::new(),
        ),
    ];
    let bytes: Vec<u8> = frames
        .iter()
        .flat_map(|f| f.to_bytes().expect("encodable"))
        .collect();
    let mut relay = StreamRelay::new(OneByteAtATime::new(Cursor::new(bytes.clone())), io::sink());
    for expected in &frames {
        assert_eq!(&relay.receive().expect("receive"), expected);
    }
    assert!(matches!(relay.receive(), Err(RelayError::Closed)));
    let (reader, _) = relay.into_inner();
    assert!(
        reader.reads >= bytes.len(),
        "only {} reads for {} bytes",
        reader.reads,
        bytes.len()
    );
}

#[test]
fn reader_giving_one_byte_per_read_reports_truncated_payload_at_eof() {
    let bytes = wire(data_head(3), b"ctxbody");
    let cut = bytes.len() - 2;
    let mut relay = StreamRelay::new(
        OneByteAtATime::new(Cursor::new(bytes[..cut].to_vec())),
        io::sink(),
    );
    assert!(matches!(
        relay.receive(),
        Err(RelayError::Truncated {
            part: "payload",
            got: 5,
            expected: 7
        })
    ));
}

#[test]
fn interrupted_reads_are_retried() {
    let frame = Frame::new(ten_options_head(), pattern(300));
    let reader = Interrupting {
        inner: Cursor::new(frame.to_bytes().expect("encodable")),
        interrupt_next: false,
    };
    let mut relay = StreamRelay::new(reader, io::sink());
    assert_eq!(relay.receive().expect("receive"), frame);
}

#[test]
fn writer_taking_one_byte_per_write_still_gets_the_exact_frame() {
    let mut relay = StreamRelay::new(&[][..], OneByteWriter::default());
    relay
        .send(&data_head(3), &[b"ctx", b"", b"body"])
        .expect("send");
    let (_, writer) = relay.into_inner();
    assert_eq!(writer.written, wire(data_head(3), b"ctxbody"));
    assert_eq!(writer.writes, writer.written.len());
}

#[test]
fn send_with_more_parts_than_inline_slots_writes_them_contiguously() {
    let mut relay = StreamRelay::new(&[][..], Vec::new());
    relay
        .send(&data_head(2), &[b"c", b"t", b"", b"b", b"o", b"dy"])
        .expect("send");
    let (_, written) = relay.into_inner();
    assert_eq!(written, wire(data_head(2), b"ctbody"));
}

// ---------------------------------------------------------------------------------------------
// End of stream
// ---------------------------------------------------------------------------------------------

#[test]
fn receive_on_an_empty_stream_reports_closed() {
    assert!(matches!(
        reading(Vec::new()).receive(),
        Err(RelayError::Closed)
    ));
}

#[test]
fn eof_exactly_between_frames_reports_closed() {
    let mut bytes = wire(data_head(3), b"ctxbody");
    bytes.extend(wire(FrameHead::new(Flags::CONTROL), b"{}"));
    let mut relay = reading(bytes);
    relay.receive().expect("first frame");
    relay.receive().expect("second frame");
    assert!(matches!(relay.receive(), Err(RelayError::Closed)));
}

#[test]
fn eof_inside_the_header_reports_truncated_header() {
    let bytes = wire(data_head(3), b"ctxbody");
    for cut in 1..12 {
        match reading(bytes[..cut].to_vec()).receive() {
            Err(RelayError::Truncated {
                part: "header",
                got,
                expected: 12,
            }) => {
                assert_eq!(got, cut);
            }
            other => panic!("cut at {cut}: {other:?}"),
        }
    }
}

#[test]
fn eof_inside_the_options_reports_truncated_options() {
    let head =
        FrameHead::new(Flags::CODEC_JSON).with_options(Options::from_slice(&[1, 2]).expect("two"));
    let bytes = wire(head, b"payload");
    for cut in 12..20 {
        match reading(bytes[..cut].to_vec()).receive() {
            Err(RelayError::Truncated {
                part: "options",
                got,
                expected: 8,
            }) => {
                assert_eq!(got, cut - 12);
            }
            other => panic!("cut at {cut}: {other:?}"),
        }
    }
}

#[test]
fn eof_inside_the_payload_reports_truncated_payload() {
    let bytes = wire(data_head(3), b"ctxbody");
    for cut in 16..bytes.len() {
        match reading(bytes[..cut].to_vec()).receive() {
            Err(RelayError::Truncated {
                part: "payload",
                got,
                expected: 7,
            }) => {
                assert_eq!(got, cut - 16);
            }
            other => panic!("cut at {cut}: {other:?}"),
        }
    }
}

#[test]
fn truncated_error_names_the_part_and_the_byte_counts() {
    let bytes = wire(data_head(3), b"ctxbody");
    let err = reading(bytes[..18].to_vec()).receive().unwrap_err();
    assert_eq!(
        err.to_string(),
        "relay closed in the middle of a frame (2 of 7 bytes of its payload)"
    );
}

// ---------------------------------------------------------------------------------------------
// Corrupt headers
// ---------------------------------------------------------------------------------------------

#[test]
fn bad_crc_is_a_typed_crc_error_carrying_the_header() {
    let mut bytes = wire(data_head(3), b"ctxbody");
    bytes[8] ^= 0x10;
    let sent: [u8; 12] = bytes[..12].try_into().expect("12 bytes");
    match reading(bytes).receive() {
        Err(RelayError::Frame(FrameError::Crc {
            expected,
            actual,
            header,
        })) => {
            assert_eq!(header, sent);
            assert_eq!(
                expected,
                u32::from_le_bytes(sent[6..10].try_into().expect("4 bytes"))
            );
            assert_eq!(actual, crc32fast::hash(&sent[..6]));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn any_flipped_bit_in_bytes_0_to_9_is_refused() {
    let bytes = wire(data_head(3), b"ctxbody");
    for bit in 0..80 {
        let mut bad = bytes.clone();
        bad[bit / 8] ^= 1 << (bit % 8);
        match reading(bad).receive() {
            Err(RelayError::Frame(FrameError::Crc { .. } | FrameError::HeaderLength(_))) => {}
            other => panic!("bit {bit}: {other:?}"),
        }
    }
}

#[test]
fn header_length_0_1_2_14_15_is_refused_by_the_relay() {
    for hl in [0u8, 1, 2, 14, 15] {
        let mut bytes = header_with_crc(0x10 | hl, 0, 0).to_vec();
        bytes.extend_from_slice(&[0; 64]);
        match reading(bytes).receive() {
            Err(RelayError::Frame(FrameError::HeaderLength(got))) => assert_eq!(got, hl),
            other => panic!("HL {hl}: {other:?}"),
        }
    }
}

#[test]
fn header_length_0_1_2_14_15_is_refused_by_the_codec() {
    for hl in [0u8, 1, 2, 14, 15] {
        let mut buf = BytesMut::from(&header_with_crc(0x10 | hl, 0, 0)[..]);
        match FrameCodec::new().decode(&mut buf) {
            Err(FrameError::HeaderLength(got)) => assert_eq!(got, hl),
            other => panic!("HL {hl}: {other:?}"),
        }
        assert_eq!(buf.len(), 12, "HL {hl}: the buffer must be left as it was");
    }
}

#[test]
fn header_length_3_to_13_with_any_version_nibble_is_accepted() {
    for version in [0u8, 1, 2, 15] {
        for hl in 3u8..=13 {
            let mut bytes = header_with_crc(version << 4 | hl, 0, 2).to_vec();
            bytes.extend(std::iter::repeat_n(7u8, 4 * usize::from(hl - 3)));
            bytes.extend_from_slice(b"hi");
            let frame = reading(bytes).receive().expect("valid frame");
            assert_eq!(frame.options().len(), usize::from(hl - 3));
            assert_eq!(&frame.payload[..], b"hi");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Payload limits and allocation
// ---------------------------------------------------------------------------------------------

#[test]
fn payload_over_the_configured_max_is_refused() {
    let bytes = wire(data_head(3), b"ctxbody");
    let mut relay = reading(bytes).with_codec(FrameCodec::new().with_max_payload(6));
    assert!(matches!(
        relay.receive(),
        Err(RelayError::Frame(FrameError::PayloadTooLarge {
            len: 7,
            max: 6
        }))
    ));
}

#[test]
fn payload_exactly_at_the_configured_max_is_accepted() {
    let bytes = wire(data_head(3), b"ctxbody");
    let mut relay = reading(bytes).with_codec(FrameCodec::new().with_max_payload(7));
    assert_eq!(&relay.receive().expect("receive").payload[..], b"ctxbody");
}

#[test]
fn payload_over_the_max_is_refused_from_the_header_alone() {
    // Only the header was sent: the relay must refuse it without waiting for the payload.
    let header = header_with_crc(0x13, 0, 0xFFFF_FFFF).to_vec();
    let mut relay = reading(header).with_codec(FrameCodec::new().with_max_payload(1 << 20));
    assert!(matches!(
        relay.receive(),
        Err(RelayError::Frame(FrameError::PayloadTooLarge {
            len: 0xFFFF_FFFF,
            max: 0x10_0000
        }))
    ));
}

#[test]
fn codec_refuses_payload_over_the_configured_max_from_the_header_alone() {
    let mut buf = BytesMut::from(&header_with_crc(0x13, 0, 1001)[..]);
    assert!(matches!(
        FrameCodec::new().with_max_payload(1000).decode(&mut buf),
        Err(FrameError::PayloadTooLarge {
            len: 1001,
            max: 1000
        })
    ));
}

/// Set in the child process that [`under_memory_limit`] starts.
const MEMORY_LIMIT_CHILD: &str = "GORIDGE_TEST_MEMORY_LIMIT_CHILD";

/// Runs the test `name` of this binary again in a child process whose address space is capped
/// at 1 GiB (`ulimit -v`), so that any attempt to allocate gigabytes aborts the child. Returns
/// `true` in the child, where the caller then runs the test body.
fn under_memory_limit(name: &str) -> bool {
    if std::env::var_os(MEMORY_LIMIT_CHILD).is_some() {
        return true;
    }
    let exe = std::env::current_exe().expect("test binary path");
    let out = Command::new("sh")
        .arg("-c")
        .arg(r#"ulimit -v 1048576 && exec "$0" "$@""#)
        .arg(exe)
        .args([name, "--exact", "--test-threads=1", "--nocapture"])
        .env(MEMORY_LIMIT_CHILD, "1")
        .output()
        .expect("run sh");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "under a 1 GiB address-space limit the test failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    false
}

#[test]
fn announced_4_gib_payload_with_10_bytes_sent_is_truncated_without_allocating_4_gib() {
    if !under_memory_limit(
        "announced_4_gib_payload_with_10_bytes_sent_is_truncated_without_allocating_4_gib",
    ) {
        return;
    }
    let mut bytes = header_with_crc(0x13, 0, 0xFFFF_FFFF).to_vec();
    bytes.extend_from_slice(&pattern(10));
    let mut relay = reading(bytes).with_codec(FrameCodec::new().with_max_payload(u32::MAX));
    assert!(matches!(
        relay.receive(),
        Err(RelayError::Truncated {
            part: "payload",
            got: 10,
            expected: 0xFFFF_FFFF
        })
    ));
}

#[test]
fn codec_waiting_for_a_4_gib_payload_reserves_only_a_bounded_buffer() {
    if !under_memory_limit("codec_waiting_for_a_4_gib_payload_reserves_only_a_bounded_buffer") {
        return;
    }
    let mut buf = BytesMut::from(&header_with_crc(0x13, 0, 0xFFFF_FFFF)[..]);
    buf.extend_from_slice(&pattern(10));
    let codec = FrameCodec::new().with_max_payload(u32::MAX);
    assert_eq!(codec.decode(&mut buf).expect("valid header"), None);
    assert_eq!(buf.len(), 22, "nothing consumed");
    assert!(
        buf.capacity() <= 64 << 20,
        "reserved {} bytes up front",
        buf.capacity()
    );
}

// ---------------------------------------------------------------------------------------------
// MemoryRelay
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Dsn
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// AnyRelay
// ---------------------------------------------------------------------------------------------

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
