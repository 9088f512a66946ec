//! The fixed 12-byte header: layout, CRC, encoding and validation.
//!
//! ```text
//!  0        1       2..=5            6..=9          10        11        12..
//! +--------+-------+----------------+--------------+---------+---------+-------------+
//! |ver | HL| flags | payload len LE | CRC-32 LE of | stream  | reserved| HL-3 options|
//! |4b  | 4b|       | u32            | bytes 0..=5  | flags   | (0)     | u32 LE each |
//! +--------+-------+----------------+--------------+---------+---------+-------------+
//! ```
//!
//! The CRC (IEEE, as zlib and Go's `crc32.ChecksumIEEE`) covers bytes 0..=5 only, so byte 10,
//! the options and the payload are unprotected (`docs/frames.md`, "Layout").

use super::crc::crc32;
use super::{Flags, FrameHead, MAX_OPTIONS, Options, StreamFlags};
use crate::FrameError;

/// Size of the fixed part of every header.
pub const HEADER_LEN: usize = 12;
/// Size of the largest header: 12 bytes plus 10 options.
pub const MAX_HEADER_LEN: usize = HEADER_LEN + 4 * MAX_OPTIONS;
/// The version nibble every writer sends. Readers ignore it, as RoadRunner does.
pub const VERSION: u8 = 1;

/// The fixed part of a header once validated: everything but the options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedHeader {
    /// Version nibble as received (not checked).
    pub version: u8,
    /// Byte 1.
    pub flags: Flags,
    /// Byte 10.
    pub stream: StreamFlags,
    /// Number of options that follow (HL − 3).
    pub option_count: usize,
    /// Length of the payload that follows the options.
    pub payload_len: u32,
}

impl FixedHeader {
    /// Validates the first 12 bytes of a frame.
    ///
    /// # Errors
    ///
    /// [`FrameError::HeaderLength`] when HL is outside 3..=13, [`FrameError::Crc`] when the
    /// checksum of bytes 0..=5 does not match bytes 6..=9.
    ///
    /// # Example
    ///
    /// ```
    /// let header = goridge::FixedHeader::parse(&[0x13, 0x01, 0, 0, 0, 0, 0x26, 0xf8, 0xe0, 0x09, 0, 0])?;
    /// assert_eq!((header.option_count, header.payload_len), (0, 0));
    /// assert!(goridge::FixedHeader::parse(&[0x13, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]).is_err());
    /// # Ok::<(), goridge::FrameError>(())
    /// ```
    pub fn parse(bytes: &[u8; HEADER_LEN]) -> Result<Self, FrameError> {
        // byte0 = vvvv hhhh: version in the high nibble, header length in words in the low one.
        let hl = bytes[0] & 0x0F;
        if !(3..=13).contains(&hl) {
            return Err(FrameError::HeaderLength(hl));
        }
        let expected = u32::from_le_bytes([bytes[6], bytes[7], bytes[8], bytes[9]]);
        let actual = crc32(&bytes[..6]);
        if expected != actual {
            return Err(FrameError::Crc {
                expected,
                actual,
                header: *bytes,
            });
        }
        Ok(Self {
            version: bytes[0] >> 4,
            flags: Flags::from_bits(bytes[1]),
            stream: StreamFlags::from_bits(bytes[10]),
            option_count: usize::from(hl - 3),
            payload_len: u32::from_le_bytes([bytes[2], bytes[3], bytes[4], bytes[5]]),
        })
    }

    /// Bytes of options that follow the fixed header.
    ///
    /// # Example
    ///
    /// ```
    /// // One option: byte 0 is 0x14.
    /// let header = goridge::FixedHeader::parse(&[0x14, 0, 0, 0, 0, 0, 0x2e, 0xe1, 0x85, 0x29, 0, 0])?;
    /// assert_eq!(header.options_len(), 4);
    /// # Ok::<(), goridge::FrameError>(())
    /// ```
    pub const fn options_len(&self) -> usize {
        self.option_count * 4
    }

    /// The head of the frame this header starts, given the options that followed it.
    pub(crate) const fn head(&self, options: Options) -> FrameHead {
        FrameHead {
            flags: self.flags,
            stream: self.stream,
            options,
        }
    }
}

/// Reads `count` little-endian options from `bytes` (which holds at least `4 * count` bytes).
pub(crate) fn parse_options(bytes: &[u8], count: usize) -> Options {
    let mut options = Options::new();
    for word in bytes[..count * 4].chunks_exact(4) {
        // Cannot fail: count ≤ 10 was checked by FixedHeader::parse.
        let _ = options.push(u32::from_le_bytes([word[0], word[1], word[2], word[3]]));
    }
    options
}

/// Writes the header for `head` and a payload of `payload_len` bytes into `dst`;
/// returns how many bytes of `dst` were used (12 + 4 × options).
pub(crate) fn encode_header(
    head: &FrameHead,
    payload_len: u32,
    dst: &mut [u8; MAX_HEADER_LEN],
) -> usize {
    let n = head.options.len();
    let hl = 3 + n as u8;
    dst[0] = (VERSION << 4) | hl;
    dst[1] = head.flags.bits();
    dst[2..6].copy_from_slice(&payload_len.to_le_bytes());
    let crc = crc32(&dst[..6]);
    dst[6..10].copy_from_slice(&crc.to_le_bytes());
    dst[10] = head.stream.bits();
    dst[11] = 0;
    for (i, value) in head.options.as_slice().iter().enumerate() {
        let at = HEADER_LEN + 4 * i;
        dst[at..at + 4].copy_from_slice(&value.to_le_bytes());
    }
    HEADER_LEN + 4 * n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_header_length_outside_range() {
        for byte0 in [0x10u8, 0x12, 0x1e, 0x1f] {
            let mut h = [0u8; 12];
            h[0] = byte0;
            let crc = crc32fast::hash(&h[..6]);
            h[6..10].copy_from_slice(&crc.to_le_bytes());
            assert!(matches!(
                FixedHeader::parse(&h),
                Err(FrameError::HeaderLength(hl)) if hl == byte0 & 0x0f
            ));
        }
    }

    #[test]
    fn stream_byte_is_outside_the_crc() {
        let head = FrameHead::new(Flags::EMPTY).with_stream(StreamFlags::STOP);
        let mut buf = [0u8; MAX_HEADER_LEN];
        encode_header(&head, 0, &mut buf);
        let mut h: [u8; 12] = buf[..12].try_into().unwrap();
        h[10] = 0x08;
        assert_eq!(FixedHeader::parse(&h).unwrap().stream, StreamFlags::PONG);
    }

    #[test]
    fn version_is_ignored_on_input() {
        let mut h = [0x03u8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        let crc = crc32fast::hash(&h[..6]);
        h[6..10].copy_from_slice(&crc.to_le_bytes());
        assert_eq!(FixedHeader::parse(&h).unwrap().version, 0);
    }
}
