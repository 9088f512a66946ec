//! A hostile peer on a socket relay: a fake server of our own (not rr) accepts the Rust
//! worker's TCP connection and sends it broken frames. Checked for each case: the typed error
//! the worker reports, its exit status, how long it took, and its peak memory (`VmPeak`, which
//! also counts memory reserved but never touched, and `VmHWM`), each printed.
//!
//! The rule (RELIABILITY.md): a fault of the byte stream (bad header, CRC, length over the
//! limit, truncation, a stall in the middle of a frame) ends the worker with a typed error
//! and exit status 1; a whole frame whose request is malformed (no context-length option, a
//! context length beyond the payload, a context that does not decode) gets an error reply and
//! the worker goes on.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use goridge::{Flags, FrameHead, Options, Relay, StreamRelay};
use rr_e2e::sibling_binary;

/// The worker's frame timeout in these tests.
const FRAME_TIMEOUT_MS: u64 = 300;
/// Far above any real figure: a worker still running after this is hung.
const HANG: Duration = Duration::from_secs(20);
/// Virtual memory: far below the lengths the peer announces (≥ 1 GiB), so nothing of them was
/// reserved, yet above what the worker's threads reserve (the stop-signal watcher thread alone
/// brings a stack and a malloc arena: VmPeak went from 4.6 MiB to 135 MiB with it).
const VIRTUAL_BOUND_KB: u64 = 512 * 1024;
/// Resident memory: far above the worker's own needs (3.6 MiB in our runs).
const RESIDENT_BOUND_KB: u64 = 32 * 1024;

struct Peer {
    worker: Child,
    conn: TcpStream,
}

impl Peer {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let worker = Command::new(sibling_binary("e2e-fault-worker"))
            .env(
                "RR_RELAY",
                format!("tcp://{}", listener.local_addr().unwrap()),
            )
            .env("E2E_FRAME_TIMEOUT_MS", FRAME_TIMEOUT_MS.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (conn, _) = listener.accept().unwrap();
        Self { worker, conn }
    }

    fn send(&mut self, bytes: &[u8]) {
        self.conn.write_all(bytes).unwrap();
    }

    /// Waits for the worker to exit; its status, stderr and the time since `from`.
    fn exit(mut self, from: Instant) -> (Option<i32>, String, Duration) {
        let status = loop {
            if let Some(status) = self.worker.try_wait().unwrap() {
                break status;
            }
            if from.elapsed() > HANG {
                let _ = self.worker.kill();
                panic!("the worker hung for {HANG:?}");
            }
            std::thread::sleep(Duration::from_millis(2));
        };
        let took = from.elapsed();
        let mut stderr = String::new();
        self.worker
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        (status.code(), stderr, took)
    }
}

/// A fixed header with any header length, flags and payload length; CRC correct unless
/// `bad_crc`.
fn header(hl: u8, flags: u8, payload_len: u32, bad_crc: bool) -> Vec<u8> {
    let mut h = vec![0x10 | hl, flags];
    h.extend_from_slice(&payload_len.to_le_bytes());
    let crc = crc32fast::hash(&h[..6]) ^ u32::from(bad_crc);
    h.extend_from_slice(&crc.to_le_bytes());
    h.extend_from_slice(&[0, 0]);
    h
}

/// A data frame header with one option (the context length) for a payload of `len`.
fn request_header(len: u32, context_len: u32) -> Vec<u8> {
    let mut h = header(4, Flags::CODEC_PROTO.bits(), len, false);
    h.extend_from_slice(&context_len.to_le_bytes());
    h
}

fn kb(stderr: &str, key: &str) -> u64 {
    let at = stderr
        .find(&format!("{key}="))
        .unwrap_or_else(|| panic!("no {key} in {stderr}"));
    stderr[at + key.len() + 1..]
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// Sends `bytes` (then closes the connection when `close`), and checks that the worker exits
/// with status 1, naming `error`, in bounded time and memory.
fn fatal(name: &str, bytes: &[u8], close: bool, error: &str) {
    let mut peer = Peer::start();
    let started = Instant::now();
    peer.send(bytes);
    if close {
        peer.conn.shutdown(std::net::Shutdown::Write).unwrap();
    }
    let (code, stderr, took) = peer.exit(started);
    let (peak, hwm) = (kb(&stderr, "VmPeak"), kb(&stderr, "VmHWM"));
    eprintln!(
        "{name}: exit {code:?} after {} ms, VmPeak {peak} kB, VmHWM {hwm} kB: {}",
        took.as_millis(),
        stderr.lines().last().unwrap_or("")
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains(error), "{name}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(peak < VIRTUAL_BOUND_KB, "{name}: VmPeak {peak} kB");
    assert!(hwm < RESIDENT_BOUND_KB, "{name}: VmHWM {hwm} kB");
}

#[test]
fn a_4_gib_length_is_refused_before_any_byte_of_it() {
    fatal(
        "4 GiB length",
        &request_header(u32::MAX, 0),
        false,
        "exceeds the limit of 2147483648 bytes",
    );
}

#[test]
fn a_bad_crc_header_length_15_or_0_is_a_typed_error() {
    fatal(
        "bad CRC",
        &header(3, 0, 0, true),
        false,
        "frame header CRC mismatch",
    );
    fatal(
        "header length 15",
        &header(15, 0, 0, false),
        false,
        "header length of 15 words",
    );
    fatal(
        "header length 0",
        &header(0, 0, 0, false),
        false,
        "header length of 0 words",
    );
}

#[test]
fn truncated_frames_are_a_typed_error() {
    fatal(
        "truncated header",
        &header(3, 0, 0, false)[..5],
        true,
        "5 of 12 bytes of its header",
    );
    let mut frame = request_header(1 << 20, 0);
    frame.extend_from_slice(&[7; 100]);
    fatal(
        "truncated payload",
        &frame,
        true,
        "100 of 1048576 bytes of its payload",
    );
    // The largest length the limit allows (2 GiB), with 1 KiB of it sent: nothing of the
    // announced size is reserved.
    let mut frame = request_header(2 << 30, 0);
    frame.extend_from_slice(&[7; 1024]);
    fatal(
        "2 GiB announced, 1 KiB sent",
        &frame,
        true,
        "1024 of 2147483648 bytes of its payload",
    );
}

#[test]
fn a_peer_that_stops_sending_mid_frame_meets_the_frame_timeout() {
    fatal(
        "stall in the header",
        &header(4, 0, 10, false)[..7],
        false,
        "7 of 12 bytes of its header within the frame timeout of 300ms",
    );
    let mut frame = request_header(2 << 30, 0);
    frame.extend_from_slice(&[7; 1024]);
    fatal(
        "stall after 1 KiB of an announced 2 GiB",
        &frame,
        false,
        "1024 of 2147483648 bytes of its payload within the frame timeout",
    );
}

/// The legacy JSON context of `GET /pid`.
const PID_REQUEST: &str = r#"{"remoteAddr":"127.0.0.1","protocol":"HTTP/1.1","method":"GET","uri":"http://localhost/pid","headers":{},"cookies":{},"rawQuery":"","parsed":false,"uploads":null,"attributes":{}}"#;

#[test]
fn malformed_requests_get_an_error_reply_and_the_worker_goes_on() {
    let peer = Peer::start();
    let started = Instant::now();
    let conn = peer.conn.try_clone().unwrap();
    let mut server = StreamRelay::new(conn.try_clone().unwrap(), conn);
    let cases: [(&str, FrameHead, &[u8], &str); 3] = [
        (
            "garbage context",
            FrameHead::new(Flags::CODEC_PROTO).with_options(Options::one(6)),
            b"\xff\xff\xff\xff\xff\xffbody",
            "cannot decode the request",
        ),
        (
            "no options",
            FrameHead::new(Flags::CODEC_PROTO),
            b"context",
            "no context-length option",
        ),
        (
            "context length beyond the payload",
            FrameHead::new(Flags::CODEC_PROTO).with_options(Options::one(1000)),
            b"short",
            "context length 1000 exceeds the payload length 5",
        ),
    ];
    for (name, head, payload, error) in cases {
        server.send(&head, &[payload]).unwrap();
        let reply = server.receive().unwrap();
        let text = String::from_utf8_lossy(&reply.payload).into_owned();
        eprintln!("{name}: error reply {text:?}");
        assert!(reply.flags().contains(Flags::ERROR), "{name}: {reply:?}");
        assert!(text.contains(error), "{name}: {text}");
    }
    let head =
        FrameHead::new(Flags::CODEC_JSON).with_options(Options::one(PID_REQUEST.len() as u32));
    server.send(&head, &[PID_REQUEST.as_bytes()]).unwrap();
    let reply = server.receive().unwrap();
    assert!(!reply.flags().contains(Flags::ERROR), "{reply:?}");
    let context_len = reply.options()[0] as usize;
    assert_eq!(
        &reply.payload[context_len..],
        peer.worker.id().to_string().as_bytes(),
        "the next request is served"
    );
    server
        .send(
            &FrameHead::new(Flags::CONTROL | Flags::CODEC_JSON),
            &[br#"{"stop":true}"#],
        )
        .unwrap();
    let (code, stderr, took) = peer.exit(started);
    eprintln!("after three malformed requests and one good one: exit {code:?} in {took:?}");
    assert_eq!(code, Some(0), "{stderr}");
}
