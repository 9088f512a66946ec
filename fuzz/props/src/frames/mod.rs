//! The frame decoder property: an arbitrary byte stream (noise, valid frames, mutated frames)
//! goes through `FrameCodec::decode` whole and in pieces and through `StreamRelay::receive`
//! (over a `Cursor`, and over a reader of arbitrary read sizes, with and without a frame
//! timeout). Checked:
//!
//! * nothing panics; every error is one a decoder can produce;
//! * the paths agree: same frames, and the codec's end (all consumed, a partial frame left,
//!   an error) matches the relay's (`Closed`, `Truncated` with exact counts, the same error);
//! * valid writer output decodes cleanly, and a decoded frame re-encodes to exactly its source
//!   bytes when those were canonical (version 1, byte 11 zero), else to an equal frame.

use std::io::{self, Cursor};
use std::time::Duration;

use arbitrary::{Arbitrary, Unstructured};
use goridge::{
    Flags, Frame, FrameCodec, FrameHead, MAX_OPTIONS, Options, StreamFlags, StreamRelay,
};

/// One input: the bytes, the payload limit, how the bytes are cut into pieces and reads.
#[derive(Debug, Arbitrary)]
pub struct FrameInput {
    source: Source,
    limit: Limit,
    /// Sizes of the pieces fed to the incremental decoder (cycled; 0 counts as 1).
    pieces: Vec<u8>,
    /// Read sizes of the choppy reader (cycled; 0 counts as 1), and whether that relay has a
    /// frame timeout (which reads payloads on a path of its own).
    reads: Vec<u8>,
    frame_timeout: bool,
}

#[derive(Debug, Arbitrary)]
enum Source {
    /// Pure noise.
    Noise(#[arbitrary(with = bytes_up_to::<80>)] Vec<u8>),
    /// Noise behind a plausible first byte, a small length and a correct CRC.
    Plausible { byte0: u8, len: u8, rest: Vec<u8> },
    /// One to three valid frames, back to back.
    Frames(Vec<FrameSpec>),
    /// Valid frames, then mutations.
    Mutated(Vec<FrameSpec>, Vec<Mutation>),
}

#[derive(Debug, Arbitrary)]
struct FrameSpec {
    flags: u8,
    stream: u8,
    options: Vec<u32>,
    #[arbitrary(with = bytes_up_to::<300>)]
    payload: Vec<u8>,
}

#[derive(Debug, Arbitrary)]
enum Mutation {
    FlipBit {
        at: u16,
        bit: u8,
    },
    /// A bit of header bytes 0..=5, then the CRC made to fit again.
    FlipHeaderBit {
        at: u8,
        bit: u8,
    },
    /// A new payload length with a fitting CRC: near 4 GiB, a power of two, or small.
    Length(Length),
    Truncate(u16),
    Extend(#[arbitrary(with = bytes_up_to::<40>)] Vec<u8>),
    /// A byte of the part the CRC does not cover (stream byte, byte 11, options, payload).
    Unprotected {
        at: u16,
        value: u8,
    },
    Overwrite {
        at: u16,
        value: u8,
    },
}

#[derive(Debug, Arbitrary)]
enum Length {
    NearMax(u8),
    Power(u8),
    Small(u16),
}

#[derive(Debug, Arbitrary)]
enum Limit {
    Default,
    Max,
    Small(u8),
}

/// Up to `MAX` bytes, as many as the input has left (`arbitrary`'s own `Vec<u8>` is short:
/// each element costs a continuation byte).
fn bytes_up_to<const MAX: usize>(u: &mut Unstructured<'_>) -> arbitrary::Result<Vec<u8>> {
    let len = u.int_in_range(0..=MAX)?.min(u.len());
    Ok(u.bytes(len)?.to_vec())
}

/// How a decoder's run over one input ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum End {
    /// Every byte was consumed by whole frames.
    Clean,
    /// A partial frame of this many bytes was left.
    Partial(usize),
    /// The decoder refused a header (its `Debug` text, which carries every field).
    Error(String),
}

/// What one input gave: the frames decoded and how the stream ended.
#[derive(Debug)]
pub struct Outcome {
    /// Frames decoded.
    pub frames: usize,
    /// How the decoding ended.
    pub end: End,
}

fn fix_crc(bytes: &mut [u8]) {
    if bytes.len() >= 10 {
        let crc = crc32fast::hash(&bytes[..6]);
        bytes[6..10].copy_from_slice(&crc.to_le_bytes());
    }
}

impl FrameSpec {
    fn frame(&self) -> Frame {
        let options = &self.options[..self.options.len().min(MAX_OPTIONS)];
        let head = FrameHead::new(Flags::from_bits(self.flags))
            .with_stream(StreamFlags::from_bits(self.stream))
            .with_options(Options::from_slice(options).expect("at most 10"));
        Frame::new(head, self.payload[..self.payload.len().min(300)].to_vec())
    }
}

fn frames_bytes(specs: &[FrameSpec]) -> Vec<u8> {
    let mut bytes = Vec::new();
    for spec in specs.iter().take(3) {
        bytes.extend(spec.frame().to_bytes().expect("encodable"));
    }
    bytes
}

impl Mutation {
    fn apply(&self, bytes: &mut Vec<u8>) {
        let at = |i: u16, len: usize| usize::from(i) % len;
        match *self {
            Self::FlipBit { at: i, bit } if !bytes.is_empty() => {
                let i = at(i, bytes.len());
                bytes[i] ^= 1 << (bit % 8);
            }
            Self::FlipHeaderBit { at: i, bit } if bytes.len() >= 12 => {
                bytes[usize::from(i % 6)] ^= 1 << (bit % 8);
                fix_crc(bytes);
            }
            Self::Length(ref len) if bytes.len() >= 12 => {
                let len = match *len {
                    Length::NearMax(d) => u32::MAX - u32::from(d % 16),
                    Length::Power(p) => 1 << (20 + p % 12),
                    Length::Small(n) => u32::from(n % 400),
                };
                bytes[2..6].copy_from_slice(&len.to_le_bytes());
                fix_crc(bytes);
            }
            Self::Truncate(i) if !bytes.is_empty() => bytes.truncate(at(i, bytes.len())),
            Self::Extend(ref extra) => bytes.extend(extra.iter().take(40)),
            Self::Unprotected { at: i, value } if bytes.len() > 10 => {
                let i = 10 + at(i, bytes.len() - 10);
                bytes[i] = value;
            }
            Self::Overwrite { at: i, value } if !bytes.is_empty() => {
                let i = at(i, bytes.len());
                bytes[i] = value;
            }
            _ => {}
        }
    }
}

impl Source {
    /// The bytes, and whether they are untouched writer output.
    fn bytes(&self) -> (Vec<u8>, bool) {
        match self {
            Self::Noise(bytes) => (bytes[..bytes.len().min(80)].to_vec(), false),
            Self::Plausible { byte0, len, rest } => {
                let mut bytes = vec![(byte0 & 0xF0) | (3 + byte0 % 11), 0];
                bytes.extend_from_slice(&u32::from(len % 100).to_le_bytes());
                bytes.extend_from_slice(&[0; 6]);
                bytes.extend(rest.iter().take(80));
                fix_crc(&mut bytes);
                (bytes, false)
            }
            Self::Frames(specs) => (frames_bytes(specs), !specs.is_empty()),
            Self::Mutated(specs, mutations) => {
                let mut bytes = frames_bytes(specs);
                for m in mutations.iter().take(4) {
                    m.apply(&mut bytes);
                }
                (bytes, false)
            }
        }
    }
}

mod paths;

use self::paths::{
    ChoppyReader, assert_re_encodes, assert_relay_end_matches, codec_pieces, relay_all, wire_len,
};

/// Runs every check on `input`; panics on a violation.
///
/// ```
/// use arbitrary::{Arbitrary, Unstructured};
///
/// let input = rr_fuzz_props::frames::FrameInput::arbitrary(&mut Unstructured::new(&[7; 64]))?;
/// let outcome = rr_fuzz_props::frames::check(&input);
/// eprintln!("{outcome:?}");
/// # Ok::<(), arbitrary::Error>(())
/// ```
pub fn check(input: &FrameInput) -> Outcome {
    let (bytes, writer_output) = input.source.bytes();
    let codec = match input.limit {
        Limit::Default => FrameCodec::new(),
        Limit::Max => FrameCodec::new().with_max_payload(u32::MAX),
        Limit::Small(max) => FrameCodec::new().with_max_payload(u32::from(max)),
    };
    let (frames, end) = codec_pieces(&codec, &bytes, &[]);
    let (piece_frames, piece_end) = codec_pieces(&codec, &bytes, &input.pieces);
    assert_eq!(
        piece_frames, frames,
        "piecewise decoding found other frames"
    );
    assert_eq!(piece_end, end, "piecewise decoding ended otherwise");
    if writer_output && codec.max_payload() >= 300 {
        assert_eq!(end, End::Clean, "valid frames must decode cleanly");
    }

    let consumed: usize = frames.iter().map(wire_len).sum();
    let relay = StreamRelay::new(Cursor::new(bytes.clone()), io::sink()).with_codec(codec);
    let (relay_frames, relay_end) = relay_all(relay);
    assert_eq!(relay_frames, frames, "the relay found other frames");
    assert_relay_end_matches(&end, &relay_end, &bytes, consumed);

    if !input.reads.is_empty() {
        let choppy = ChoppyReader {
            inner: Cursor::new(bytes.clone()),
            sizes: input.reads.iter().cycle(),
        };
        let timeout = input.frame_timeout.then_some(Duration::from_secs(60));
        let relay = StreamRelay::new(choppy, io::sink())
            .with_codec(codec)
            .with_frame_timeout(timeout);
        let (choppy_frames, choppy_end) = relay_all(relay);
        assert_eq!(
            choppy_frames, frames,
            "the relay over a choppy reader found other frames"
        );
        assert_relay_end_matches(&end, &choppy_end, &bytes, consumed);
    }

    assert_re_encodes(&frames, &bytes, writer_output);
    Outcome {
        frames: frames.len(),
        end,
    }
}
