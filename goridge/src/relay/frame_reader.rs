//! [`FrameReader`]: the receiving side of a [`StreamRelay`](super::StreamRelay). Reads go
//! into one buffer (a page at first, 64 KiB from the first frame that needs more), so a small
//! frame (or several) usually arrives in one `read`; each payload is copied once into a second
//! buffer that is reused from frame to frame once the frames handed out of it were dropped, so
//! receiving allocates nothing in the steady state.
//! A frame larger than the read buffer is read straight into its own buffer instead.

use std::fmt;
use std::io::{self, Read};
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};

use super::ReadReady;
use crate::codec::PendingFrame;
use crate::frame::HEADER_LEN;
use crate::{Frame, FrameCodec, RelayError};

/// The read buffer's size: frames up to this size are read through it.
pub(super) const READ_BUFFER: usize = 64 * 1024;

/// The read buffer's size until a frame needs more (then it grows to [`READ_BUFFER`]): one
/// page, enough for typical requests. Zeroing all 64 KiB up front cost a worker's start 16 page
/// faults before the pid request could even be read (about 45 µs of spawn-to-ready, measured
/// with `pipes-bench --starts`).
pub(super) const FIRST_READ_BUFFER: usize = 4 * 1024;

/// Reads frames from `R`.
pub(super) struct FrameReader<R> {
    reader: R,
    /// `scratch[start..end]`: bytes received and not yet handed out.
    scratch: Box<[u8]>,
    start: usize,
    end: usize,
    /// Where small payloads are copied to; split off as `Bytes`, taken back when those dropped.
    payloads: BytesMut,
}

impl<R> fmt::Debug for FrameReader<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FrameReader")
            .field("buffered", &(self.end - self.start))
            .finish_non_exhaustive()
    }
}

impl<R> FrameReader<R> {
    pub(super) fn new(reader: R) -> Self {
        Self {
            reader,
            scratch: Box::default(),
            start: 0,
            end: 0,
            payloads: BytesMut::new(),
        }
    }

    pub(super) fn get_ref(&self) -> &R {
        &self.reader
    }

    /// The reader; bytes received but not handed out yet are dropped.
    pub(super) fn into_inner(self) -> R {
        self.reader
    }

    /// `true` when received bytes wait in the buffer.
    pub(super) fn has_buffered(&self) -> bool {
        self.end > self.start
    }

    fn buffered(&self) -> &[u8] {
        &self.scratch[self.start..self.end]
    }

    /// Which part of the frame is incomplete, how much of it came and how much is expected,
    /// with `got` bytes of the frame received.
    fn part(pending: Option<&PendingFrame>, got: usize) -> (&'static str, usize, usize) {
        let Some(pending) = pending else {
            return ("header", got, HEADER_LEN);
        };
        let options = pending.options_len();
        let got = got - HEADER_LEN;
        if got < options {
            ("options", got, options)
        } else {
            ("payload", got - options, pending.payload_len())
        }
    }

    /// Hands out the whole frame at the front of the buffer: its payload copied into the
    /// reused payload buffer.
    fn take(&mut self, pending: &PendingFrame, total: usize) -> Frame {
        let frame = self.start..self.start + total;
        self.start += total;
        let options_end = HEADER_LEN + pending.options_len();
        let bytes = &self.scratch[frame];
        let head = pending.head(&bytes[HEADER_LEN..options_end]);
        let payload = &bytes[options_end..];
        if self.payloads.capacity() < payload.len() {
            // Takes the buffer back when every payload split off it has been dropped.
            self.payloads.reserve(payload.len().max(READ_BUFFER));
        }
        self.payloads.extend_from_slice(payload);
        Frame {
            head,
            payload: self.payloads.split().freeze(),
        }
    }
}

impl<R: Read + ReadReady> FrameReader<R> {
    /// Reads until one whole frame has arrived and hands it out. With a `timeout`, the first
    /// byte of a frame starts the clock, and the rest must come before it runs out.
    pub(super) fn receive(
        &mut self,
        codec: &FrameCodec,
        timeout: Option<Duration>,
    ) -> Result<Frame, RelayError> {
        if self.scratch.is_empty() {
            self.scratch = vec![0; FIRST_READ_BUFFER].into_boxed_slice();
        }
        let mut deadline = None;
        loop {
            let have = self.end - self.start;
            let mut pending = None;
            if let Some(fixed) = self.buffered().first_chunk::<HEADER_LEN>() {
                let frame = codec.start(fixed)?;
                // At most 52 + u32::MAX: fits a 64-bit usize; saturates on 32-bit.
                let total = HEADER_LEN.saturating_add(frame.rest_len());
                if have >= total {
                    return Ok(self.take(&frame, total));
                }
                let options_end = HEADER_LEN + frame.options_len();
                if total > self.scratch.len() && self.scratch.len() < READ_BUFFER {
                    self.grow();
                }
                if total > self.scratch.len() && have >= options_end {
                    return self.large(&frame, deadline, timeout);
                }
                pending = Some(frame);
            }
            if have > 0 {
                let deadline = *deadline.get_or_insert_with(|| timeout.map(|t| Instant::now() + t));
                if let Some(deadline) = deadline {
                    let (part, got, expected) = Self::part(pending.as_ref(), have);
                    self.wait_more(deadline, timeout, part, got, expected)?;
                }
            }
            if have == 0 || self.scratch.len() - self.end < self.scratch.len() / 4 {
                // Room for a whole typical frame in one read: the frame's first bytes (less
                // than the buffer) move to the front.
                self.scratch.copy_within(self.start..self.end, 0);
                self.end = have;
                self.start = 0;
            }
            match self.reader.read(&mut self.scratch[self.end..]) {
                Ok(0) if have == 0 => return Err(RelayError::Closed),
                Ok(0) => {
                    let (part, got, expected) = Self::part(pending.as_ref(), have);
                    return Err(RelayError::Truncated {
                        part,
                        got,
                        expected,
                    });
                }
                Ok(n) => self.end += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Replaces the first, small read buffer with one of [`READ_BUFFER`] bytes, the bytes
    /// received so far at its front.
    fn grow(&mut self) {
        let mut grown = vec![0; READ_BUFFER].into_boxed_slice();
        let have = self.end - self.start;
        grown[..have].copy_from_slice(self.buffered());
        self.scratch = grown;
        self.start = 0;
        self.end = have;
    }

    /// A frame larger than the read buffer, whose header and options are in it: its payload
    /// is read into its own buffer, which grows with the bytes received (never more than
    /// twice those plus 64 KiB), so a lying length reserves nothing that was not sent.
    fn large(
        &mut self,
        pending: &PendingFrame,
        mut deadline: Option<Option<Instant>>,
        timeout: Option<Duration>,
    ) -> Result<Frame, RelayError> {
        let options_end = HEADER_LEN + pending.options_len();
        let head = pending.head(&self.buffered()[HEADER_LEN..options_end]);
        let expected = pending.payload_len();
        let mut payload = self.buffered()[options_end..].to_vec();
        let mut filled = payload.len();
        self.start = 0;
        self.end = 0;
        let deadline = *deadline.get_or_insert_with(|| timeout.map(|t| Instant::now() + t));
        while filled < expected {
            if filled == payload.len() {
                payload.resize(expected.min(filled.max(READ_BUFFER) * 2), 0);
            }
            if let Some(deadline) = deadline {
                self.wait_more(deadline, timeout, "payload", filled, expected)?;
            }
            match self.reader.read(&mut payload[filled..]) {
                Ok(0) => {
                    return Err(RelayError::Truncated {
                        part: "payload",
                        got: filled,
                        expected,
                    });
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(Frame {
            head,
            payload: Bytes::from(payload),
        })
    }

    /// Returns once bytes are there to read, or fails with [`RelayError::Stalled`] when none
    /// came before `deadline`.
    fn wait_more(
        &self,
        deadline: Instant,
        timeout: Option<Duration>,
        part: &'static str,
        got: usize,
        expected: usize,
    ) -> Result<(), RelayError> {
        let left = deadline.saturating_duration_since(Instant::now());
        if !left.is_zero() && self.reader.wait_ready(left)? {
            return Ok(());
        }
        Err(RelayError::Stalled {
            part,
            got,
            expected,
            timeout: timeout.unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Flags, FrameHead, Options};

    fn wire(payload_len: usize) -> Vec<u8> {
        let head = FrameHead::new(Flags::CODEC_PROTO).with_options(Options::one(0));
        Frame::new(head, vec![7u8; payload_len]).to_bytes().unwrap()
    }

    fn reader_of(lens: &[usize]) -> FrameReader<io::Cursor<Vec<u8>>> {
        FrameReader::new(io::Cursor::new(
            lens.iter().flat_map(|&n| wire(n)).collect(),
        ))
    }

    #[test]
    fn the_buffer_is_taken_back_once_its_frames_were_dropped() {
        let mut reader = reader_of(&[1000; 200]);
        let codec = FrameCodec::new();
        let first = reader.receive(&codec, None).unwrap().payload.as_ptr();
        let reused =
            (1..200).any(|_| reader.receive(&codec, None).unwrap().payload.as_ptr() == first);
        assert!(reused, "the first frame's memory was never used again");
    }

    #[test]
    fn small_frames_are_read_through_the_first_small_buffer() {
        let mut reader = reader_of(&[1000; 3]);
        let codec = FrameCodec::new();
        for _ in 0..3 {
            assert_eq!(reader.receive(&codec, None).unwrap().payload.len(), 1000);
        }
        assert_eq!(reader.scratch.len(), FIRST_READ_BUFFER);
    }

    #[test]
    fn a_frame_beyond_the_first_buffer_grows_it_to_the_read_buffer() {
        let lens = [1000, FIRST_READ_BUFFER * 3, READ_BUFFER - 100, 1000];
        let mut reader = reader_of(&lens);
        let codec = FrameCodec::new();
        for len in lens {
            let frame = reader.receive(&codec, None).unwrap();
            assert_eq!(frame.payload.len(), len);
            assert!(frame.payload.iter().all(|&b| b == 7));
            if len > FIRST_READ_BUFFER {
                assert_eq!(reader.scratch.len(), READ_BUFFER, "grown for {len} bytes");
            }
        }
        assert!(matches!(
            reader.receive(&codec, None),
            Err(RelayError::Closed)
        ));
    }

    #[test]
    fn memory_grown_for_a_large_frame_is_given_back() {
        let mut lens = vec![1000, 2_000_000];
        lens.extend([1000; 100]);
        let mut reader = reader_of(&lens);
        let codec = FrameCodec::new();
        reader.receive(&codec, None).unwrap();
        let large = reader.receive(&codec, None).unwrap().payload;
        let range = large.as_ptr() as usize - 4096..large.as_ptr() as usize + large.len();
        drop(large);
        let mut last = 0;
        for _ in 0..100 {
            last = reader.receive(&codec, None).unwrap().payload.as_ptr() as usize;
        }
        assert!(
            !range.contains(&last),
            "the large frame's memory is still in use"
        );
        assert!(
            reader.payloads.capacity() <= 2 * READ_BUFFER,
            "{}",
            reader.payloads.capacity()
        );
    }
}
