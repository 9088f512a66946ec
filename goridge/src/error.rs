//! Errors of the frame codec and of the relays.

use std::io;

/// A frame could not be decoded or encoded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FrameError {
    /// The header length nibble (low 4 bits of byte 0) is outside 3..=13.
    #[error("frame header length of {0} words is outside 3..=13: this is not a goridge v3 frame")]
    HeaderLength(u8),
    /// The CRC-32 of header bytes 0..=5 does not match bytes 6..=9.
    #[error(
        "frame header CRC mismatch (header {expected:#010x}, computed {actual:#010x}, bytes {header:02x?}): \
         the stream is out of sync; stray output on a worker's stdout is the usual cause \
         (see RoadRunner's docs on error code stdout-crc)"
    )]
    Crc {
        /// The CRC stored in the header.
        expected: u32,
        /// The CRC computed over bytes 0..=5.
        actual: u32,
        /// The 12 header bytes as received.
        header: [u8; 12],
    },
    /// The payload is longer than the configured maximum.
    #[error("frame payload of {len} bytes exceeds the limit of {max} bytes")]
    PayloadTooLarge {
        /// Length announced by the header.
        len: u32,
        /// The configured limit.
        max: u32,
    },
    /// More than 10 options were given.
    #[error("a frame carries at most 10 options, {0} were given")]
    TooManyOptions(usize),
    /// The payload does not fit the 32-bit length field.
    #[error("a payload of {0} bytes does not fit a frame (at most 4294967295 bytes)")]
    PayloadLength(u64),
}

/// A relay could not send or receive a frame.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RelayError {
    /// The peer closed the relay between two frames.
    #[error("relay closed by the peer")]
    Closed,
    /// The peer closed the relay in the middle of a frame.
    #[error("relay closed in the middle of a frame ({got} of {expected} bytes of its {part})")]
    Truncated {
        /// Which part was being read: "header", "options" or "payload".
        part: &'static str,
        /// Bytes of that part received.
        got: usize,
        /// Bytes of that part expected.
        expected: usize,
    },
    /// The peer stopped sending in the middle of a frame for longer than the relay's frame
    /// timeout ([`StreamRelay::with_frame_timeout`](crate::StreamRelay::with_frame_timeout)).
    #[error(
        "the peer stopped sending in the middle of a frame: {got} of {expected} bytes of its \
         {part} within the frame timeout of {timeout:?}"
    )]
    Stalled {
        /// Which part was being read: "header", "options" or "payload".
        part: &'static str,
        /// Bytes of that part received.
        got: usize,
        /// Bytes of that part expected.
        expected: usize,
        /// The frame timeout.
        timeout: std::time::Duration,
    },
    /// A frame was malformed.
    #[error(transparent)]
    Frame(#[from] FrameError),
    /// Reading or writing failed.
    #[error("relay I/O failed: {0}")]
    Io(#[from] io::Error),
    /// A DSN string could not be understood.
    #[error(
        "invalid relay DSN {dsn:?}: {reason} (expected `pipes`, `tcp://host:port` or `unix://path`)"
    )]
    InvalidDsn {
        /// The DSN as given.
        dsn: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Connecting to the server failed.
    #[error("cannot connect to {dsn}: {source}")]
    Connect {
        /// The DSN connected to.
        dsn: String,
        /// The last connection error.
        source: io::Error,
    },
}
