//! The decoding paths the frame property compares (the codec whole and in pieces, the relay
//! over a choppy reader) and the checks of how each run ended.

use std::io::{self, Cursor, Read};

use bytes::BytesMut;
use goridge::relay::ReadReady;
use goridge::{Frame, FrameCodec, FrameError, Relay, RelayError, StreamRelay};

use super::End;

pub(super) fn checked_frame_error(err: &FrameError) -> String {
    assert!(
        matches!(
            err,
            FrameError::HeaderLength(_)
                | FrameError::Crc { .. }
                | FrameError::PayloadTooLarge { .. }
        ),
        "a decoder produced an encoder error: {err:?}"
    );
    assert!(!err.to_string().is_empty());
    format!("{err:?}")
}

pub(super) fn wire_len(frame: &Frame) -> usize {
    12 + 4 * frame.options().len() + frame.payload.len()
}

/// Decodes `input` fed in pieces of the given sizes (one piece of everything when empty).
pub(super) fn codec_pieces(codec: &FrameCodec, input: &[u8], sizes: &[u8]) -> (Vec<Frame>, End) {
    let mut buf = BytesMut::new();
    let mut frames = Vec::new();
    let mut fed = 0;
    let mut next = sizes.iter().cycle();
    loop {
        loop {
            match codec.decode(&mut buf) {
                Ok(Some(frame)) => frames.push(frame),
                Ok(None) => break,
                Err(e) => {
                    let consumed: usize = frames.iter().map(wire_len).sum();
                    assert_eq!(buf.len(), fed - consumed, "an error consumed bytes");
                    return (frames, End::Error(checked_frame_error(&e)));
                }
            }
        }
        if fed == input.len() {
            let end = if buf.is_empty() {
                End::Clean
            } else {
                End::Partial(buf.len())
            };
            return (frames, end);
        }
        let piece = next.next().map_or(input.len(), |s| usize::from(*s).max(1));
        let piece = piece.min(input.len() - fed);
        buf.extend_from_slice(&input[fed..fed + piece]);
        fed += piece;
    }
}

/// Returns reads of the given sizes, in turn.
pub(super) struct ChoppyReader<'a> {
    pub(super) inner: Cursor<Vec<u8>>,
    pub(super) sizes: std::iter::Cycle<std::slice::Iter<'a, u8>>,
}

impl Read for ChoppyReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self
            .sizes
            .next()
            .map_or(buf.len(), |s| usize::from(*s).max(1));
        let n = n.min(buf.len());
        self.inner.read(&mut buf[..n])
    }
}

impl ReadReady for ChoppyReader<'_> {
    fn read_ready(&self) -> io::Result<bool> {
        Ok(true)
    }
}

pub(super) fn relay_all<R: Read + ReadReady>(
    mut relay: StreamRelay<R, io::Sink>,
) -> (Vec<Frame>, RelayError) {
    let mut frames = Vec::new();
    loop {
        match relay.receive() {
            Ok(frame) => frames.push(frame),
            Err(e) => return (frames, e),
        }
    }
}

/// The relay's end must be the codec's end seen through a stream.
pub(super) fn assert_relay_end_matches(end: &End, err: &RelayError, input: &[u8], consumed: usize) {
    match (end, err) {
        (End::Clean, RelayError::Closed) => {}
        (
            End::Partial(left),
            RelayError::Truncated {
                part,
                got,
                expected,
            },
        ) => {
            let rest = &input[consumed..];
            assert_eq!(rest.len(), *left);
            let want = if rest.len() < 12 {
                ("header", rest.len(), 12)
            } else {
                let options = 4 * usize::from((rest[0] & 0x0F) - 3);
                let payload = u32::from_le_bytes(rest[2..6].try_into().expect("4 bytes")) as usize;
                if rest.len() < 12 + options {
                    ("options", rest.len() - 12, options)
                } else {
                    ("payload", rest.len() - 12 - options, payload)
                }
            };
            assert_eq!((*part, *got, *expected), want, "Truncated counts");
        }
        (End::Error(codec), RelayError::Frame(e)) => assert_eq!(&checked_frame_error(e), codec),
        (end, err) => panic!("codec ended with {end:?} but the relay with {err:?}"),
    }
}

pub(super) fn assert_re_encodes(frames: &[Frame], input: &[u8], writer_output: bool) {
    let mut at = 0;
    for frame in frames {
        let source = &input[at..at + wire_len(frame)];
        at += wire_len(frame);
        let encoded = frame.to_bytes().expect("a decoded frame is encodable");
        let canonical = source[0] >> 4 == 1 && source[11] == 0;
        assert!(
            !writer_output || canonical,
            "writer output must be canonical"
        );
        if canonical {
            assert!(
                encoded == source,
                "re-encoding differs from the decoded bytes"
            );
        } else {
            assert_eq!(encoded.len(), source.len());
            let mut buf = BytesMut::from(&encoded[..]);
            let again = FrameCodec::new()
                .decode(&mut buf)
                .expect("valid")
                .expect("whole");
            assert_eq!(&again, frame);
        }
    }
}
