//! Buffer-based encoding and decoding, in the style of `tokio_util::codec`.
//!
//! [`FrameCodec::decode`] takes bytes from a growable buffer and returns `Ok(None)` until a
//! whole frame is there; it then consumes exactly that frame, handing out the payload without
//! copying it. The blocking [`StreamRelay`](crate::StreamRelay) reads from its stream directly
//! but decodes through the same two steps (`FrameCodec::start` on the fixed header, then
//! `PendingFrame::finish` on the options and payload), so there is one frame decoder.

use bytes::{Buf, BufMut, Bytes, BytesMut};

use crate::FrameError;
use crate::frame::{FixedHeader, Frame, FrameHead, HEADER_LEN, parse_options};

/// The default payload limit: 2 GiB.
///
/// RoadRunner's own default request limit (`http.max_request_size` 0) is 1000 MiB, so the
/// default leaves room for that plus the request context.
pub const DEFAULT_MAX_PAYLOAD: u32 = 2 << 30;

/// The most memory [`FrameCodec::decode`] reserves for a frame's payload before its bytes
/// arrived: larger payloads grow as the data comes in, so a lying length can never reserve
/// memory that was not sent. (The stream relay's receive grows its buffer by at most what has
/// arrived, at least 64 KiB.)
pub(crate) const EAGER_RESERVE: usize = 16 * 1024 * 1024;

/// Encodes and decodes frames, refusing payloads longer than a configurable maximum.
#[derive(Debug, Clone, Copy)]
pub struct FrameCodec {
    max_payload: u32,
}

impl Default for FrameCodec {
    fn default() -> Self {
        Self::new()
    }
}

impl FrameCodec {
    /// A codec with the [`DEFAULT_MAX_PAYLOAD`] limit.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(goridge::FrameCodec::new().max_payload(), goridge::DEFAULT_MAX_PAYLOAD);
    /// ```
    pub const fn new() -> Self {
        Self {
            max_payload: DEFAULT_MAX_PAYLOAD,
        }
    }

    /// Sets the largest payload [`decode`](Self::decode) accepts.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(goridge::FrameCodec::new().with_max_payload(10).max_payload(), 10);
    /// ```
    pub const fn with_max_payload(mut self, max: u32) -> Self {
        self.max_payload = max;
        self
    }

    /// The largest payload accepted.
    ///
    /// # Example
    ///
    /// ```
    /// assert_eq!(goridge::FrameCodec::default().max_payload(), 2 << 30);
    /// ```
    pub const fn max_payload(&self) -> u32 {
        self.max_payload
    }

    /// Validates a fixed header and checks its payload length against the limit.
    ///
    /// # Errors
    ///
    /// As [`FixedHeader::parse`], plus [`FrameError::PayloadTooLarge`].
    ///
    /// # Example
    ///
    /// ```
    /// let codec = goridge::FrameCodec::new().with_max_payload(3);
    /// // 4 payload bytes announced: over the limit.
    /// let header = [0x13, 0x40, 4, 0, 0, 0, 0x88, 0x1e, 0x11, 0xe3, 0, 0];
    /// assert!(codec.check_header(&header).is_err());
    /// ```
    pub fn check_header(&self, bytes: &[u8; HEADER_LEN]) -> Result<FixedHeader, FrameError> {
        let header = FixedHeader::parse(bytes)?;
        if header.payload_len > self.max_payload {
            return Err(FrameError::PayloadTooLarge {
                len: header.payload_len,
                max: self.max_payload,
            });
        }
        Ok(header)
    }

    /// First decoding step, shared by [`decode`](Self::decode) and the stream relay: checks
    /// the fixed header and says how many bytes of the frame follow it.
    pub(crate) fn start(&self, fixed: &[u8; HEADER_LEN]) -> Result<PendingFrame, FrameError> {
        self.check_header(fixed)
            .map(|header| PendingFrame { header })
    }

    /// Takes one frame off the front of `src`, or returns `Ok(None)` (consuming nothing) when
    /// the buffer does not hold a whole frame yet. Reserves room for the rest of a partial frame,
    /// up to 16 MiB in all; beyond that the buffer grows as the bytes arrive.
    ///
    /// # Errors
    ///
    /// Any [`FrameError`] of the header; the buffer is then left as it was. A stream that gave a
    /// bad header cannot be re-synchronised: close it.
    ///
    /// # Example
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use goridge::{Flags, Frame, FrameCodec, FrameHead};
    /// let wire = Frame::new(FrameHead::new(Flags::ERROR), &b"oops"[..]).to_bytes()?;
    /// let mut buf = BytesMut::from(&wire[..5]);
    /// assert_eq!(FrameCodec::new().decode(&mut buf)?, None);
    /// buf.extend_from_slice(&wire[5..]);
    /// assert_eq!(&FrameCodec::new().decode(&mut buf)?.unwrap().payload[..], b"oops");
    /// # Ok::<(), goridge::FrameError>(())
    /// ```
    pub fn decode(&self, src: &mut BytesMut) -> Result<Option<Frame>, FrameError> {
        let Some(fixed) = src.get(..HEADER_LEN) else {
            return Ok(None);
        };
        let fixed: &[u8; HEADER_LEN] = fixed.try_into().expect("slice of HEADER_LEN bytes");
        let pending = self.start(fixed)?;
        // At most 52 + u32::MAX: fits a 64-bit usize; saturates (and never matches) on 32-bit.
        let total = HEADER_LEN.saturating_add(pending.rest_len());
        if src.len() < total {
            src.reserve(total.min(EAGER_RESERVE).saturating_sub(src.len()));
            return Ok(None);
        }
        src.advance(HEADER_LEN);
        let options = src.split_to(pending.options_len());
        let payload = src.split_to(pending.payload_len()).freeze();
        Ok(Some(pending.finish(&options, payload)))
    }

    /// Appends `frame` to `dst`.
    ///
    /// # Errors
    ///
    /// [`FrameError::PayloadLength`] when the payload does not fit the 32-bit length field.
    ///
    /// # Example
    ///
    /// ```
    /// use goridge::{Flags, Frame, FrameCodec, FrameHead};
    /// let mut out = bytes::BytesMut::new();
    /// FrameCodec::new().encode(&Frame::new(FrameHead::new(Flags::ERROR), &b"oops"[..]), &mut out)?;
    /// assert_eq!(out.len(), 12 + 4);
    /// # Ok::<(), goridge::FrameError>(())
    /// ```
    pub fn encode(&self, frame: &Frame, dst: &mut BytesMut) -> Result<(), FrameError> {
        self.encode_parts(&frame.head, &[&frame.payload], dst)
    }

    /// Appends a frame whose payload is the concatenation of `parts` (e.g. context and body).
    ///
    /// # Errors
    ///
    /// [`FrameError::PayloadLength`] when the parts together do not fit the 32-bit length field.
    ///
    /// # Example
    ///
    /// ```
    /// use goridge::{Flags, FrameCodec, FrameHead, Options};
    /// let head = FrameHead::new(Flags::CODEC_PROTO).with_options(Options::one(3));
    /// let mut out = bytes::BytesMut::new();
    /// FrameCodec::new().encode_parts(&head, &[b"ctx", b"body"], &mut out)?;
    /// assert_eq!(&out[16..], b"ctxbody");
    /// # Ok::<(), goridge::FrameError>(())
    /// ```
    pub fn encode_parts(
        &self,
        head: &FrameHead,
        parts: &[&[u8]],
        dst: &mut BytesMut,
    ) -> Result<(), FrameError> {
        let len = payload_len(parts)?;
        let (header, header_len) = head.encode(len);
        dst.reserve(header_len + len as usize);
        dst.put_slice(&header[..header_len]);
        for part in parts {
            dst.put_slice(part);
        }
        Ok(())
    }
}

/// A frame whose fixed header was read and checked; its options and payload are still to come.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PendingFrame {
    header: FixedHeader,
}

impl PendingFrame {
    /// Bytes of options after the fixed header.
    pub(crate) const fn options_len(&self) -> usize {
        self.header.options_len()
    }

    /// Bytes of payload after the options.
    pub(crate) const fn payload_len(&self) -> usize {
        self.header.payload_len as usize
    }

    /// Bytes after the fixed header: options and payload.
    pub(crate) const fn rest_len(&self) -> usize {
        self.options_len().saturating_add(self.payload_len())
    }

    /// Second and last decoding step: the frame, from its option bytes (`options_len` of
    /// them) and its payload (`payload_len` bytes).
    pub(crate) fn finish(self, options: &[u8], payload: Bytes) -> Frame {
        debug_assert_eq!(payload.len(), self.payload_len());
        Frame {
            head: self.head(options),
            payload,
        }
    }

    /// The frame's head, from its option bytes (`options_len` of them).
    pub(crate) fn head(&self, options: &[u8]) -> FrameHead {
        self.header
            .head(parse_options(options, self.header.option_count))
    }
}

/// The total length of `parts`, checked against the 32-bit length field.
pub(crate) fn payload_len(parts: &[&[u8]]) -> Result<u32, FrameError> {
    let total: u64 = parts.iter().map(|p| p.len() as u64).sum();
    u32::try_from(total).map_err(|_| FrameError::PayloadLength(total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Flags, Options};

    fn sample() -> Frame {
        Frame::new(
            FrameHead::new(Flags::CODEC_PROTO).with_options(Options::one(3)),
            &b"ctxbody"[..],
        )
    }

    #[test]
    fn decode_waits_for_a_whole_frame() {
        let bytes = sample().to_bytes().unwrap();
        let codec = FrameCodec::new();
        for cut in 0..bytes.len() {
            let mut buf = BytesMut::from(&bytes[..cut]);
            assert_eq!(codec.decode(&mut buf).unwrap(), None, "cut at {cut}");
            assert_eq!(buf.len(), cut, "nothing consumed at {cut}");
        }
        let mut buf = BytesMut::from(&bytes[..]);
        buf.extend_from_slice(&bytes);
        assert_eq!(codec.decode(&mut buf).unwrap(), Some(sample()));
        assert_eq!(codec.decode(&mut buf).unwrap(), Some(sample()));
        assert!(buf.is_empty());
    }

    #[test]
    fn decode_refuses_payload_over_limit_before_buffering_it() {
        let bytes = sample().to_bytes().unwrap();
        let mut buf = BytesMut::from(&bytes[..12]);
        let err = FrameCodec::new()
            .with_max_payload(6)
            .decode(&mut buf)
            .unwrap_err();
        assert!(matches!(
            err,
            FrameError::PayloadTooLarge { len: 7, max: 6 }
        ));
    }

    #[test]
    fn decode_reports_crc_mismatch() {
        let mut bytes = sample().to_bytes().unwrap();
        bytes[2] ^= 0xff;
        let err = FrameCodec::new()
            .decode(&mut BytesMut::from(&bytes[..]))
            .unwrap_err();
        assert!(matches!(err, FrameError::Crc { .. }));
        assert!(err.to_string().contains("stdout"), "{err}");
    }
}
