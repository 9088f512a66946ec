//! [`MemoryRelay`]: two connected in-process relays, for tests.

use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};

use bytes::{Bytes, BytesMut};

use super::Relay;
use crate::{Frame, FrameCodec, FrameHead, RelayError};

/// One end of an in-memory duplex relay. Frames are encoded to bytes on send and decoded on
/// receive, so tests exercise the real codec.
#[derive(Debug)]
pub struct MemoryRelay {
    tx: Sender<Bytes>,
    rx: Receiver<Bytes>,
    codec: FrameCodec,
}

impl MemoryRelay {
    /// Two relays: what one sends the other receives.
    ///
    /// # Example
    ///
    /// ```
    /// use goridge::{Flags, FrameHead, MemoryRelay, Relay};
    ///
    /// let (mut worker, mut server) = MemoryRelay::pair();
    /// server.send(&FrameHead::new(Flags::CODEC_RAW), &[b"ping"])?;
    /// assert_eq!(&worker.receive()?.payload[..], b"ping");
    /// worker.send(&FrameHead::new(Flags::CODEC_RAW), &[b"pong"])?;
    /// assert_eq!(&server.receive()?.payload[..], b"pong");
    /// assert!(worker.try_receive()?.is_none(), "nothing else was sent");
    /// # Ok::<(), goridge::RelayError>(())
    /// ```
    pub fn pair() -> (Self, Self) {
        let (a_tx, b_rx) = channel();
        let (b_tx, a_rx) = channel();
        let codec = FrameCodec::new();
        (
            Self {
                tx: a_tx,
                rx: a_rx,
                codec,
            },
            Self {
                tx: b_tx,
                rx: b_rx,
                codec,
            },
        )
    }

    /// Sends raw bytes as they are, e.g. a corrupt frame. They are received in one piece.
    ///
    /// # Errors
    ///
    /// [`RelayError::Closed`] when the other end is gone.
    ///
    /// # Example
    ///
    /// ```
    /// use goridge::{FrameError, MemoryRelay, Relay, RelayError};
    ///
    /// let (mut worker, mut server) = MemoryRelay::pair();
    /// // V1 of docs/frames.md, an empty CONTROL frame, byte by byte.
    /// let v1 = [0x13, 0x01, 0, 0, 0, 0, 0x26, 0xf8, 0xe0, 0x09, 0, 0];
    /// server.send_raw(v1.to_vec())?;
    /// assert!(worker.receive()?.payload.is_empty());
    /// // Its CRC broken: the receiver notices.
    /// let mut corrupt = v1;
    /// corrupt[6] ^= 0xff;
    /// server.send_raw(corrupt.to_vec())?;
    /// assert!(matches!(worker.receive(), Err(RelayError::Frame(FrameError::Crc { .. }))));
    /// # Ok::<(), goridge::RelayError>(())
    /// ```
    pub fn send_raw(&mut self, bytes: impl Into<Bytes>) -> Result<(), RelayError> {
        self.tx.send(bytes.into()).map_err(|_| RelayError::Closed)
    }

    fn decode(&self, bytes: Bytes) -> Result<Frame, RelayError> {
        let len = bytes.len();
        let mut buf = BytesMut::from(bytes);
        match self.codec.decode(&mut buf)? {
            Some(frame) if buf.is_empty() => Ok(frame),
            Some(_) => Err(RelayError::Io(std::io::Error::other(
                "memory relay: one send held more than one frame",
            ))),
            None => Err(RelayError::Truncated {
                part: "frame",
                got: len,
                expected: len + 1,
            }),
        }
    }
}

impl Relay for MemoryRelay {
    fn send(&mut self, head: &FrameHead, parts: &[&[u8]]) -> Result<(), RelayError> {
        let mut buf = BytesMut::new();
        self.codec.encode_parts(head, parts, &mut buf)?;
        self.send_raw(buf.freeze())
    }

    fn receive(&mut self) -> Result<Frame, RelayError> {
        let bytes = self.rx.recv().map_err(|_| RelayError::Closed)?;
        self.decode(bytes)
    }

    fn try_receive(&mut self) -> Result<Option<Frame>, RelayError> {
        match self.rx.try_recv() {
            Ok(bytes) => self.decode(bytes).map(Some),
            Err(TryRecvError::Empty) => Ok(None),
            Err(TryRecvError::Disconnected) => Err(RelayError::Closed),
        }
    }
}
