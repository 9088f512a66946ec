//! Frames: what precedes the payload ([`FrameHead`]) and a whole received frame ([`Frame`]).

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
    pub const fn new(flags: Flags) -> Self {
        Self {
            flags,
            stream: StreamFlags::EMPTY,
            options: Options::new(),
        }
    }

    /// Sets the stream flags.
    pub const fn with_stream(mut self, stream: StreamFlags) -> Self {
        self.stream = stream;
        self
    }

    /// Sets the options.
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
    pub fn new(head: FrameHead, payload: impl Into<Bytes>) -> Self {
        Self {
            head,
            payload: payload.into(),
        }
    }

    /// Byte 1 of the frame.
    pub fn flags(&self) -> Flags {
        self.head.flags
    }

    /// Byte 10 of the frame.
    pub fn stream(&self) -> StreamFlags {
        self.head.stream
    }

    /// The options of the frame.
    pub fn options(&self) -> &[u32] {
        self.head.options.as_slice()
    }

    /// The whole frame as bytes, as it would travel on the wire.
    ///
    /// # Errors
    ///
    /// [`FrameError::PayloadLength`](crate::FrameError::PayloadLength) when the payload does not fit
    /// the 32-bit length field.
    pub fn to_bytes(&self) -> Result<Vec<u8>, crate::FrameError> {
        let mut out = bytes::BytesMut::new();
        crate::FrameCodec::new().encode(self, &mut out)?;
        // Hands over the buffer the codec wrote into, without copying it.
        Ok(Vec::from(out))
    }
}
