//! A deterministic fuzz loop over the decoders: random bytes, valid frames and mutated valid
//! frames go through `FrameCodec::decode` (whole, and fed in random pieces) and through
//! `StreamRelay::receive` (over a `Cursor`, and over a reader returning random-sized reads).
//!
//! Checked for every input:
//!
//! * nothing panics; every error is one of the variants a decoder can produce;
//! * the three paths agree: same frames, and the codec's end state (all consumed, a partial
//!   frame left, an error) matches the relay's (`Closed`, `Truncated` of the right part with the
//!   right counts, the same `FrameError`);
//! * a decoded frame re-encodes to exactly the bytes it was decoded from when those were
//!   written as a writer writes them (version 1, byte 11 zero), and otherwise to a frame that
//!   decodes to the same value.
//!
//! `GORIDGE_FUZZ_ITERATIONS` and `GORIDGE_FUZZ_SEED` override the defaults;
//! `GORIDGE_FUZZ_CASE=<case seed>` replays the one case a failure names.

use std::io::{self, Cursor, Read};

use bytes::BytesMut;
use goridge::relay::ReadReady;
use goridge::{
    Flags, Frame, FrameCodec, FrameError, FrameHead, MAX_OPTIONS, Options, Relay, RelayError,
    StreamFlags, StreamRelay,
};

const DEFAULT_ITERATIONS: u64 = 200_000;
const DEFAULT_SEED: u64 = 0x9E37_79B9_7F4A_7C15;

/// xorshift64*: tiny, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform-ish in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    fn byte(&mut self) -> u8 {
        self.next() as u8
    }

    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.byte()).collect()
    }

    /// A length biased towards small values.
    fn small_len(&mut self, max: usize) -> usize {
        match self.below(4) {
            0 => 0,
            1 => self.below(8.min(max) + 1),
            _ => self.below(max + 1),
        }
    }
}

/// Recomputes the CRC of a buffer's first header, so mutations of bytes 0..=5 get past it.
fn fix_crc(bytes: &mut [u8]) {
    if bytes.len() >= 10 {
        let crc = crc32fast::hash(&bytes[..6]);
        bytes[6..10].copy_from_slice(&crc.to_le_bytes());
    }
}

fn random_frame(rng: &mut Rng) -> Frame {
    let flags = match rng.below(3) {
        0 => Flags::from_bits(rng.byte()),
        1 => Flags::CODEC_PROTO,
        _ => Flags::CONTROL | Flags::CODEC_JSON,
    };
    let stream = if rng.chance(3) {
        StreamFlags::from_bits(rng.byte())
    } else {
        StreamFlags::EMPTY
    };
    let count = rng.below(MAX_OPTIONS + 1);
    let values: Vec<u32> = (0..count).map(|_| rng.next() as u32).collect();
    let options = Options::from_slice(&values).expect("at most 10");
    let len = rng.small_len(300);
    let payload = rng.bytes(len);
    Frame::new(
        FrameHead::new(flags)
            .with_stream(stream)
            .with_options(options),
        payload,
    )
}

/// One fuzz input: the bytes, and whether they are untouched writer output.
fn input(rng: &mut Rng) -> (Vec<u8>, bool) {
    match rng.below(8) {
        // Pure noise.
        0 => {
            let len = rng.small_len(80);
            (rng.bytes(len), false)
        }
        // Noise with a plausible first byte and a correct CRC.
        1 => {
            let len = 12 + rng.small_len(80);
            let mut bytes = rng.bytes(len);
            bytes[0] = (rng.byte() & 0xF0) | (3 + rng.below(11)) as u8;
            // Mostly a small length: a huge one costs a large (if bounded) reservation.
            if !rng.chance(4) {
                bytes[2..6].copy_from_slice(&(rng.below(100) as u32).to_le_bytes());
            }
            fix_crc(&mut bytes);
            (bytes, false)
        }
        // One to three valid frames, back to back.
        2 | 3 => {
            let mut bytes = Vec::new();
            for _ in 0..=rng.below(3) {
                bytes.extend(random_frame(rng).to_bytes().expect("encodable"));
            }
            (bytes, true)
        }
        // A valid frame, mutated.
        _ => {
            let mut bytes = random_frame(rng).to_bytes().expect("encodable");
            if rng.chance(2) {
                bytes.extend(random_frame(rng).to_bytes().expect("encodable"));
            }
            for _ in 0..=rng.below(3) {
                mutate(rng, &mut bytes);
            }
            (bytes, false)
        }
    }
}

fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) {
    match rng.below(7) {
        // Flip a bit anywhere.
        0 if !bytes.is_empty() => {
            let at = rng.below(bytes.len());
            bytes[at] ^= 1 << rng.below(8);
        }
        // Flip a bit of the header, then make the CRC fit again.
        1 if bytes.len() >= 12 => {
            let at = rng.below(6);
            bytes[at] ^= 1 << rng.below(8);
            fix_crc(bytes);
        }
        // A new payload length (small or huge), with a fitting CRC.
        2 if bytes.len() >= 12 => {
            let len: u32 = match rng.below(8) {
                0 => u32::MAX - rng.below(16) as u32,
                1 => 1 << (20 + rng.below(12)),
                _ => rng.below(400) as u32,
            };
            bytes[2..6].copy_from_slice(&len.to_le_bytes());
            fix_crc(bytes);
        }
        // Truncate.
        3 if !bytes.is_empty() => {
            let keep = rng.below(bytes.len());
            bytes.truncate(keep);
        }
        // Extend with noise.
        4 => {
            let extra = rng.small_len(40);
            bytes.extend(rng.bytes(extra));
        }
        // Overwrite a byte of the unprotected part (stream byte, byte 11, options).
        5 if bytes.len() > 10 => {
            let at = 10 + rng.below(bytes.len() - 10);
            bytes[at] = rng.byte();
        }
        // Overwrite a byte anywhere.
        _ if !bytes.is_empty() => {
            let at = rng.below(bytes.len());
            bytes[at] = rng.byte();
        }
        _ => {}
    }
}

/// How a decoder's run over one input ended.
#[derive(Debug, PartialEq)]
enum End {
    /// Every byte was consumed by whole frames.
    Clean,
    /// A partial frame of this many bytes was left.
    Partial(usize),
    /// The decoder refused a header (its `Debug` text, which carries every field).
    Error(String),
}

fn checked_frame_error(err: &FrameError) -> String {
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

/// Decodes the whole input at once.
fn codec_whole(codec: &FrameCodec, input: &[u8]) -> (Vec<Frame>, End) {
    let mut buf = BytesMut::from(input);
    let mut frames = Vec::new();
    loop {
        match codec.decode(&mut buf) {
            Ok(Some(frame)) => frames.push(frame),
            Ok(None) if buf.is_empty() => return (frames, End::Clean),
            Ok(None) => return (frames, End::Partial(buf.len())),
            Err(e) => {
                assert_eq!(
                    buf.len(),
                    input.len() - frames.iter().map(wire_len).sum::<usize>(),
                    "an error consumed bytes"
                );
                return (frames, End::Error(checked_frame_error(&e)));
            }
        }
    }
}

/// Decodes the input fed in random pieces, as a socket would deliver it.
fn codec_pieces(codec: &FrameCodec, input: &[u8], rng: &mut Rng) -> (Vec<Frame>, End) {
    let mut buf = BytesMut::new();
    let mut frames = Vec::new();
    let mut fed = 0;
    loop {
        loop {
            match codec.decode(&mut buf) {
                Ok(Some(frame)) => frames.push(frame),
                Ok(None) => break,
                Err(e) => return (frames, End::Error(checked_frame_error(&e))),
            }
        }
        if fed == input.len() {
            return (
                frames,
                if buf.is_empty() {
                    End::Clean
                } else {
                    End::Partial(buf.len())
                },
            );
        }
        let piece = 1 + rng.below((input.len() - fed).min(64));
        buf.extend_from_slice(&input[fed..fed + piece]);
        fed += piece;
    }
}

/// Returns reads of random sizes (1..=32 bytes).
struct ChoppyReader {
    inner: Cursor<Vec<u8>>,
    rng: Rng,
}

impl Read for ChoppyReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(1 + self.rng.below(32));
        self.inner.read(&mut buf[..n])
    }
}

impl ReadReady for ChoppyReader {
    fn read_ready(&self) -> io::Result<bool> {
        Ok(true)
    }
}

/// Receives frames until the relay reports an error, which ends the run.
fn relay_all<R: Read + ReadReady>(mut relay: StreamRelay<R, io::Sink>) -> (Vec<Frame>, RelayError) {
    let mut frames = Vec::new();
    loop {
        match relay.receive() {
            Ok(frame) => frames.push(frame),
            Err(e) => return (frames, e),
        }
    }
}

fn wire_len(frame: &Frame) -> usize {
    12 + 4 * frame.options().len() + frame.payload.len()
}

/// The relay's end must be the codec's end seen through a stream: `Closed` for a clean end,
/// `Truncated` with exact counts for a partial frame, the same header error otherwise.
fn assert_relay_end_matches(end: &End, err: &RelayError, input: &[u8], consumed: usize) {
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

/// Re-encoding a decoded frame gives back its source bytes when they were canonical.
fn assert_re_encodes(frames: &[Frame], input: &[u8], canonical_input: bool) {
    let mut at = 0;
    for frame in frames {
        let source = &input[at..at + wire_len(frame)];
        at += wire_len(frame);
        let encoded = frame.to_bytes().expect("a decoded frame is encodable");
        let canonical = source[0] >> 4 == 1 && source[11] == 0;
        assert!(
            !canonical_input || canonical,
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

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn check_one(rng: &mut Rng, stats: &mut Stats) {
    let (input, canonical) = input(rng);
    let codec = match rng.below(4) {
        0 => FrameCodec::new().with_max_payload(rng.below(200) as u32),
        1 => FrameCodec::new().with_max_payload(u32::MAX),
        _ => FrameCodec::new(),
    };

    let (frames, end) = codec_whole(&codec, &input);
    let (piece_frames, piece_end) = codec_pieces(&codec, &input, rng);
    assert_eq!(
        piece_frames, frames,
        "piecewise decoding found other frames"
    );
    assert_eq!(piece_end, end, "piecewise decoding ended otherwise");
    if canonical && codec.max_payload() >= 300 {
        assert_eq!(end, End::Clean, "valid frames must decode cleanly");
    }

    let consumed: usize = frames.iter().map(wire_len).sum();
    let relay = StreamRelay::new(Cursor::new(input.clone()), io::sink()).with_codec(codec);
    let (relay_frames, relay_end) = relay_all(relay);
    assert_eq!(relay_frames, frames, "the relay found other frames");
    assert_relay_end_matches(&end, &relay_end, &input, consumed);

    // One case in four: a reader without `read_buf` has the relay's 64 KiB read buffer zeroed
    // once per relay, which would dominate the run time.
    if rng.chance(4) {
        let choppy = ChoppyReader {
            inner: Cursor::new(input.clone()),
            rng: Rng::new(rng.next()),
        };
        let (choppy_frames, choppy_end) =
            relay_all(StreamRelay::new(choppy, io::sink()).with_codec(codec));
        assert_eq!(
            choppy_frames, frames,
            "the relay over a choppy reader found other frames"
        );
        assert_relay_end_matches(&end, &choppy_end, &input, consumed);
    }

    assert_re_encodes(&frames, &input, canonical);

    stats.frames += frames.len();
    match end {
        End::Clean => stats.clean += 1,
        End::Partial(_) => stats.partial += 1,
        End::Error(_) => stats.errors += 1,
    }
}

#[derive(Debug, Default)]
struct Stats {
    frames: usize,
    clean: usize,
    partial: usize,
    errors: usize,
}

#[test]
fn decoders_never_panic_agree_with_each_other_and_re_encode_exactly() {
    let iterations = env_u64("GORIDGE_FUZZ_ITERATIONS", DEFAULT_ITERATIONS);
    let seed = env_u64("GORIDGE_FUZZ_SEED", DEFAULT_SEED);
    let mut rng = Rng::new(seed);
    let mut stats = Stats::default();
    if let Ok(case) = std::env::var("GORIDGE_FUZZ_CASE") {
        let case = u64::from_str_radix(case.trim_start_matches("0x"), 16).expect("hex case seed");
        check_one(&mut Rng::new(case), &mut stats);
        return;
    }
    for i in 0..iterations {
        // Each iteration gets its own seed so a failure can be replayed alone.
        let case_seed = rng.next();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            check_one(&mut Rng::new(case_seed), &mut stats);
        }));
        if let Err(panic) = result {
            eprintln!("fuzz case {i} failed; replay it with GORIDGE_FUZZ_CASE={case_seed:#x}");
            std::panic::resume_unwind(panic);
        }
    }
    // The generator must reach every outcome, or the loop tests less than it claims.
    assert!(stats.frames > iterations as usize / 2, "{stats:?}");
    assert!(stats.clean > iterations as usize / 10, "{stats:?}");
    assert!(stats.partial > iterations as usize / 20, "{stats:?}");
    assert!(stats.errors > iterations as usize / 20, "{stats:?}");
    eprintln!("fuzz: {iterations} inputs, {stats:?}");
}

#[test]
fn xorshift_is_deterministic_and_spreads() {
    let mut a = Rng::new(7);
    let mut b = Rng::new(7);
    let xs: Vec<u64> = (0..64).map(|_| a.next()).collect();
    let ys: Vec<u64> = (0..64).map(|_| b.next()).collect();
    assert_eq!(xs, ys);
    let mut seen = [false; 16];
    for x in &xs {
        seen[(*x >> 60) as usize] = true;
    }
    assert!(seen.iter().filter(|s| **s).count() >= 12);
}
