//! [`StreamRelay`]: frames over a byte stream (pipes, TCP, unix socket, or any reader/writer).

use std::fs::File;
use std::io::{self, IoSlice, Read, Write};
use std::net::TcpStream;
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Duration;

use super::frame_reader::FrameReader;
use super::{ReadReady, Relay};
use crate::codec::payload_len;
use crate::frame::FrameHead;
use crate::{Frame, FrameCodec, RelayError};

/// Frames over stdin/stdout (RoadRunner's `pipes` relay).
pub type PipeRelay = StreamRelay<File, File>;
/// Frames over a TCP connection (`tcp://host:port`).
pub type TcpRelay = StreamRelay<TcpStream, TcpStream>;
/// Frames over a unix socket (`unix://path`).
pub type UnixRelay = StreamRelay<UnixStream, UnixStream>;

/// Frames over a byte stream: reads into one reused buffer (a small frame usually arrives in
/// one `read`, and its payload is a slice of that buffer, not a copy), writes each frame with
/// one vectored write.
#[derive(Debug)]
pub struct StreamRelay<R, W> {
    reader: FrameReader<R>,
    writer: W,
    codec: FrameCodec,
    /// How long the rest of a frame may take once its first byte arrived (`None`: forever).
    frame_timeout: Option<Duration>,
}

impl<R: Read, W: Write> StreamRelay<R, W> {
    /// A relay reading from `reader` and writing to `writer`.
    pub fn new(reader: R, writer: W) -> Self {
        Self {
            reader: FrameReader::new(reader),
            writer,
            codec: FrameCodec::new(),
            frame_timeout: None,
        }
    }

    /// Bounds the time a frame may take once its first byte arrived: a peer that stops
    /// sending in the middle of a frame for longer makes [`receive`](Relay::receive) fail
    /// with [`RelayError::Stalled`]. The wait for a frame to start stays unbounded (an idle
    /// worker waits for its next request as long as it takes). Off (`None`) by default; it
    /// needs a reader whose [`ReadReady::wait_ready`] can wait (pipes and sockets can).
    ///
    /// ```
    /// use std::time::Duration;
    /// use goridge::{Relay, RelayError, StreamRelay};
    ///
    /// let (ours, mut peer) = std::os::unix::net::UnixStream::pair()?;
    /// let mut relay = StreamRelay::new(ours.try_clone()?, ours)
    ///     .with_frame_timeout(Some(Duration::from_millis(50)));
    /// std::io::Write::write_all(&mut peer, &[0x13, 0x00, 0x00])?; // 3 of 12 header bytes
    /// assert!(matches!(relay.receive(), Err(RelayError::Stalled { got: 3, .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_frame_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.frame_timeout = timeout;
        self
    }

    /// Sets the frame timeout of an open relay; see [`with_frame_timeout`](Self::with_frame_timeout).
    ///
    /// ```
    /// let mut relay = goridge::StreamRelay::new(&b""[..], std::io::sink());
    /// relay.set_frame_timeout(Some(std::time::Duration::from_secs(5)));
    /// ```
    pub fn set_frame_timeout(&mut self, timeout: Option<Duration>) {
        self.frame_timeout = timeout;
    }

    /// Sets the codec (and so the payload limit) used to read frames.
    pub fn with_codec(mut self, codec: FrameCodec) -> Self {
        self.codec = codec;
        self
    }

    /// The reader, writer pair.
    pub fn into_inner(self) -> (R, W) {
        (self.reader.into_inner(), self.writer)
    }
}

impl PipeRelay {
    /// The `pipes` relay: frames in on stdin, out on stdout.
    ///
    /// The relay reads from and writes to its own duplicates of descriptors 0 and 1, so the
    /// process may repoint those descriptors afterwards without touching the frame channel.
    /// That is worker policy and lives in `rr-worker` (its `Worker::connect` sends descriptor 1
    /// to stderr and descriptor 0 to `/dev/null`): this crate never changes process state.
    ///
    /// # Errors
    ///
    /// When a descriptor cannot be duplicated.
    pub fn stdio() -> Result<Self, RelayError> {
        let input = File::from(io::stdin().as_fd().try_clone_to_owned()?);
        let output = File::from(io::stdout().as_fd().try_clone_to_owned()?);
        Ok(Self::new(input, output))
    }
}

/// Connection attempts before giving up (the server may still be starting to listen).
const CONNECT_ATTEMPTS: u32 = 10;
const CONNECT_PAUSE: Duration = Duration::from_millis(50);

fn retry<T>(dsn: &str, mut connect: impl FnMut() -> io::Result<T>) -> Result<T, RelayError> {
    let mut attempt = 1;
    loop {
        match connect() {
            Ok(v) => return Ok(v),
            Err(source) if attempt >= CONNECT_ATTEMPTS => {
                return Err(RelayError::Connect {
                    dsn: dsn.to_owned(),
                    source,
                });
            }
            Err(_) => {
                attempt += 1;
                std::thread::sleep(CONNECT_PAUSE);
            }
        }
    }
}

impl TcpRelay {
    /// Connects to `addr` (`host:port`), retrying briefly; disables Nagle's algorithm.
    ///
    /// # Errors
    ///
    /// [`RelayError::Connect`] when every attempt failed.
    pub fn connect(addr: &str) -> Result<Self, RelayError> {
        let stream = retry(addr, || TcpStream::connect(addr))?;
        stream.set_nodelay(true)?;
        Ok(Self::new(stream.try_clone()?, stream))
    }
}

impl TcpRelay {
    /// Limits how long a receive or send may block (`None`: forever). A receive that times out
    /// fails with an I/O error of kind `WouldBlock` or `TimedOut`.
    ///
    /// # Errors
    ///
    /// When the socket refuses the option.
    pub fn set_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        self.reader.get_ref().set_read_timeout(timeout)?;
        self.writer.set_write_timeout(timeout)
    }
}

impl UnixRelay {
    /// Limits how long a receive or send may block (`None`: forever).
    ///
    /// # Errors
    ///
    /// When the socket refuses the option.
    pub fn set_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        self.reader.get_ref().set_read_timeout(timeout)?;
        self.writer.set_write_timeout(timeout)
    }
}

impl UnixRelay {
    /// Connects to the unix socket at `path`, retrying briefly.
    ///
    /// # Errors
    ///
    /// [`RelayError::Connect`] when every attempt failed.
    pub fn connect(path: impl AsRef<Path>) -> Result<Self, RelayError> {
        let path = path.as_ref();
        let stream = retry(&path.display().to_string(), || UnixStream::connect(path))?;
        Ok(Self::new(stream.try_clone()?, stream))
    }
}

/// Writes all of `bufs`, in as few system calls as the writer allows.
fn write_all_vectored<W: Write>(writer: &mut W, mut bufs: &mut [IoSlice<'_>]) -> io::Result<()> {
    while !bufs.is_empty() {
        match writer.write_vectored(bufs) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => IoSlice::advance_slices(&mut bufs, n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

impl<R: Read + ReadReady, W: Write> Relay for StreamRelay<R, W> {
    fn send(&mut self, head: &FrameHead, parts: &[&[u8]]) -> Result<(), RelayError> {
        let len = payload_len(parts)?;
        let (header, header_len) = head.encode(len);
        const INLINE: usize = 4;
        if parts.len() < INLINE {
            let mut slices = [IoSlice::new(&[]); INLINE];
            slices[0] = IoSlice::new(&header[..header_len]);
            for (slot, part) in slices[1..].iter_mut().zip(parts) {
                *slot = IoSlice::new(part);
            }
            write_all_vectored(&mut self.writer, &mut slices[..=parts.len()])?;
        } else {
            let mut slices: Vec<IoSlice<'_>> = Vec::with_capacity(parts.len() + 1);
            slices.push(IoSlice::new(&header[..header_len]));
            slices.extend(parts.iter().map(|p| IoSlice::new(p)));
            write_all_vectored(&mut self.writer, &mut slices)?;
        }
        self.writer.flush()?;
        Ok(())
    }

    fn receive(&mut self) -> Result<Frame, RelayError> {
        self.reader.receive(&self.codec, self.frame_timeout)
    }

    fn try_receive(&mut self) -> Result<Option<Frame>, RelayError> {
        if !self.reader.has_buffered() && !self.reader.get_ref().read_ready()? {
            return Ok(None);
        }
        // Data is there; if it is only part of a frame the rest is already on its way. An end
        // of stream before any byte of a frame is `Closed`.
        self.receive().map(Some)
    }
}
