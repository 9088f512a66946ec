//! Frames: what precedes the payload ([`FrameHead`]) and a whole received frame ([`Frame`]).

mod crc;
mod flags;
mod header;
mod options;

pub use self::flags::{Flags, StreamFlags};
pub use self::header::{FixedHeader, HEADER_LEN, MAX_HEADER_LEN, VERSION};
pub use self::options::{MAX_OPTIONS, Options};

pub(crate) use self::header::{encode_header, parse_options};

use bytes::Bytes;

/// Everything of a frame but its payload: flags, stream flags and options.
///
/// Length and CRC are derived when the frame is written, so they are not stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FrameHead {
    /// Byte 1: control/error markers and codec.
    pub flags: Flags,
    /// Byte 10: stream control.
    pub stream: StreamFlags,
    /// The options.
    pub options: Options,
}

impl FrameHead {
    /// A head with these flags, no stream bits and no options.
    ///
    /// # Example
    ///
    /// ```
    /// let head = goridge::FrameHead::new(goridge::Flags::ERROR);
    /// assert!(head.options.is_empty());
    /// ```
    pub const fn new(flags: Flags) -> Self {
        Self {
            flags,
            stream: StreamFlags::EMPTY,
            options: Options::new(),
        }
    }

    /// Sets the stream flags.
    ///
    /// # Example
    ///
    /// ```
    /// use goridge::{Flags, FrameHead, StreamFlags};
    /// let head = FrameHead::new(Flags::EMPTY).with_stream(StreamFlags::STOP);
    /// assert_eq!(head.stream, StreamFlags::STOP);
    /// ```
    pub const fn with_stream(mut self, stream: StreamFlags) -> Self {
        self.stream = stream;
        self
    }

    /// Sets the options.
    ///
    /// # Example
    ///
    /// ```
    /// use goridge::{Flags, FrameHead, Options};
    /// let head = FrameHead::new(Flags::CODEC_PROTO).with_options(Options::one(3));
    /// assert_eq!(head.options.as_slice(), [3]);
    /// ```
    pub const fn with_options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    /// Encodes the header for a payload of `payload_len` bytes.
    ///
    /// Returns the buffer and how many of its bytes are the header (12 + 4 × options).
    ///
    /// ```
    /// use goridge::{Flags, FrameHead};
    ///
    /// let (buf, len) = FrameHead::new(Flags::CONTROL).encode(0);
    /// assert_eq!(&buf[..len], [0x13, 0x01, 0, 0, 0, 0, 0x26, 0xf8, 0xe0, 0x09, 0, 0]);
    /// ```
    pub fn encode(&self, payload_len: u32) -> ([u8; MAX_HEADER_LEN], usize) {
        let mut buf = [0u8; MAX_HEADER_LEN];
        let len = encode_header(self, payload_len, &mut buf);
        (buf, len)
    }
}

/// A whole frame: head and payload.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Frame {
    /// Flags, stream flags and options.
    pub head: FrameHead,
    /// The payload bytes.
    pub payload: Bytes,
}

impl Frame {
    /// A frame with the given head and payload.
    ///
    /// # Example
    ///
    /// ```
    /// use goridge::{Flags, Frame, FrameHead};
    /// let frame = Frame::new(FrameHead::new(Flags::ERROR), &b"oops"[..]);
    /// assert_eq!(&frame.payload[..], b"oops");
    /// ```
    pub fn new(head: FrameHead, payload: impl Into<Bytes>) -> Self {
        Self {
            head,
            payload: payload.into(),
        }
    }

    /// Byte 1 of the frame.
    ///
    /// # Example
    ///
    /// ```
    /// use goridge::{Flags, Frame, FrameHead};
    /// assert_eq!(Frame::new(FrameHead::new(Flags::ERROR), &b""[..]).flags(), Flags::ERROR);
    /// ```
    pub fn flags(&self) -> Flags {
        self.head.flags
    }

    /// Byte 10 of the frame.
    ///
    /// # Example
    ///
    /// ```
    /// use goridge::{Flags, Frame, FrameHead, StreamFlags};
    /// let head = FrameHead::new(Flags::EMPTY).with_stream(StreamFlags::PONG);
    /// assert_eq!(Frame::new(head, &b""[..]).stream(), StreamFlags::PONG);
    /// ```
    pub fn stream(&self) -> StreamFlags {
        self.head.stream
    }

    /// The options of the frame.
    ///
    /// # Example
    ///
    /// ```
    /// use goridge::{Flags, Frame, FrameHead, Options};
    /// let head = FrameHead::new(Flags::EMPTY).with_options(Options::one(0));
    /// assert_eq!(Frame::new(head, &b""[..]).options(), [0]);
    /// ```
    pub fn options(&self) -> &[u32] {
        self.head.options.as_slice()
    }

    /// The whole frame as bytes, as it would travel on the wire.
    ///
    /// # Errors
    ///
    /// [`FrameError::PayloadLength`](crate::FrameError::PayloadLength) when the payload does not fit
    /// the 32-bit length field.
    ///
    /// # Example
    ///
    /// ```
    /// use goridge::{Flags, Frame, FrameHead};
    /// // Vector V6 of docs/frames.md.
    /// let bytes = Frame::new(FrameHead::new(Flags::ERROR), &b"oops"[..]).to_bytes()?;
    /// assert_eq!(bytes[..2], [0x13, 0x40]);
    /// # Ok::<(), goridge::FrameError>(())
    /// ```
    pub fn to_bytes(&self) -> Result<Vec<u8>, crate::FrameError> {
        let mut out = bytes::BytesMut::new();
        crate::FrameCodec::new().encode(self, &mut out)?;
        // Hands over the buffer the codec wrote into, without copying it.
        Ok(Vec::from(out))
    }
}
