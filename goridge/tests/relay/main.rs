//! Relays over real transports and hostile readers: unix socket pairs, TCP loopback, a reader
//! that hands out one byte per call, early EOFs, corrupt headers, payload limits, the in-memory
//! relay, DSN parsing and `AnyRelay::connect`.
//!
//! The shared helpers are here; the tests, by topic, in the modules below.

mod corrupt;
mod end_of_stream;
mod limits;
mod memory;
mod one_byte;
mod reads;
mod sockets;

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
