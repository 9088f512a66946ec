//! [`StreamRelay`]: frames over a byte stream (pipes, TCP, unix socket, or any reader/writer);
//! the three kinds RoadRunner offers are in `transports.rs`.

use std::io::{self, IoSlice, Read, Write};
use std::time::Duration;

use super::frame_reader::FrameReader;
use super::{ReadReady, Relay};
use crate::codec::payload_len;
use crate::frame::FrameHead;
use crate::{Frame, FrameCodec, RelayError};

/// Frames over a byte stream: reads into one reused buffer (a small frame usually arrives in
/// one `read`, and its payload is a slice of that buffer, not a copy), writes each frame with
/// one vectored write.
#[derive(Debug)]
pub struct StreamRelay<R, W> {
    pub(super) reader: FrameReader<R>,
    pub(super) writer: W,
    codec: FrameCodec,
    /// How long the rest of a frame may take once its first byte arrived (`None`: forever).
    frame_timeout: Option<Duration>,
}

impl<R: Read, W: Write> StreamRelay<R, W> {
    /// A relay reading from `reader` and writing to `writer`.
    ///
    /// # Example
    ///
    /// Frames written into a buffer, then read back from it:
    ///
    /// ```
    /// use goridge::{Flags, FrameHead, Relay, RelayError, StreamRelay};
    ///
    /// let mut writer = StreamRelay::new(&b""[..], Vec::new());
    /// writer.send(&FrameHead::new(Flags::CODEC_RAW), &[b"hello"])?;
    /// let (_, wire) = writer.into_inner();
    ///
    /// let mut reader = StreamRelay::new(&wire[..], std::io::sink());
    /// assert_eq!(&reader.receive()?.payload[..], b"hello");
    /// assert!(matches!(reader.receive(), Err(RelayError::Closed)));
    /// # Ok::<(), goridge::RelayError>(())
    /// ```
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
    ///
    /// # Example
    ///
    /// ```
    /// use goridge::{Flags, Frame, FrameCodec, FrameError, FrameHead, Relay, RelayError, StreamRelay};
    ///
    /// let wire = Frame::new(FrameHead::new(Flags::CODEC_RAW), "eight by").to_bytes()?;
    /// let mut relay = StreamRelay::new(&wire[..], std::io::sink())
    ///     .with_codec(FrameCodec::new().with_max_payload(4));
    /// let refused = relay.receive();
    /// assert!(matches!(
    ///     refused,
    ///     Err(RelayError::Frame(FrameError::PayloadTooLarge { len: 8, max: 4 }))
    /// ));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_codec(mut self, codec: FrameCodec) -> Self {
        self.codec = codec;
        self
    }

    /// The reader, writer pair.
    ///
    /// # Example
    ///
    /// ```
    /// use goridge::{Flags, FrameHead, Relay, StreamRelay};
    ///
    /// let mut relay = StreamRelay::new(&b""[..], Vec::new());
    /// relay.send(&FrameHead::new(Flags::CONTROL), &[])?;
    /// let (_reader, written) = relay.into_inner();
    /// // V1 of docs/frames.md: an empty CONTROL frame is a bare 12-byte header.
    /// assert_eq!(written, [0x13, 0x01, 0, 0, 0, 0, 0x26, 0xf8, 0xe0, 0x09, 0, 0]);
    /// # Ok::<(), goridge::RelayError>(())
    /// ```
    pub fn into_inner(self) -> (R, W) {
        (self.reader.into_inner(), self.writer)
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
