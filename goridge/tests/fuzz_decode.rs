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

use fastrand::Rng;

fn random_bytes(rng: &mut Rng, len: usize) -> Vec<u8> {
    let mut bytes = vec![0; len];
    rng.fill(&mut bytes);
    bytes
}

/// A length in `0..=max`, biased towards small values.
fn small_len(rng: &mut Rng, max: usize) -> usize {
    match rng.usize(..4) {
        0 => 0,
        1 => rng.usize(..=8.min(max)),
        _ => rng.usize(..=max),
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
    let flags = match rng.usize(..3) {
        0 => Flags::from_bits(rng.u8(..)),
        1 => Flags::CODEC_PROTO,
        _ => Flags::CONTROL | Flags::CODEC_JSON,
    };
    let stream = if rng.usize(..3) == 0 {
        StreamFlags::from_bits(rng.u8(..))
    } else {
        StreamFlags::EMPTY
    };
    let count = rng.usize(..MAX_OPTIONS + 1);
    let values: Vec<u32> = (0..count).map(|_| rng.u64(..) as u32).collect();
    let options = Options::from_slice(&values).expect("at most 10");
    let len = small_len(rng, 300);
    let payload = random_bytes(rng, len);
    Frame::new(
        FrameHead::new(flags)
            .with_stream(stream)
            .with_options(options),
        payload,
    )
}

/// One fuzz input: the bytes, and whether they are untouched writer output.
fn input(rng: &mut Rng) -> (Vec<u8>, bool) {
    match rng.usize(..8) {
        // Pure noise.
        0 => {
            let len = small_len(rng, 80);
            (random_bytes(rng, len), false)
        }
        // Noise with a plausible first byte and a correct CRC.
        1 => {
            let len = 12 + small_len(rng, 80);
            let mut bytes = random_bytes(rng, len);
            bytes[0] = (rng.u8(..) & 0xF0) | (3 + rng.usize(..11)) as u8;
            // Mostly a small length: a huge one costs a large (if bounded) reservation.
            if rng.usize(..4) != 0 {
                bytes[2..6].copy_from_slice(&(rng.usize(..100) as u32).to_le_bytes());
            }
            fix_crc(&mut bytes);
            (bytes, false)
        }
        // One to three valid frames, back to back.
        2 | 3 => {
            let mut bytes = Vec::new();
            for _ in 0..=rng.usize(..3) {
                bytes.extend(random_frame(rng).to_bytes().expect("encodable"));
            }
            (bytes, true)
        }
        // A valid frame, mutated.
        _ => {
            let mut bytes = random_frame(rng).to_bytes().expect("encodable");
            if rng.usize(..2) == 0 {
                bytes.extend(random_frame(rng).to_bytes().expect("encodable"));
            }
            for _ in 0..=rng.usize(..3) {
                mutate(rng, &mut bytes);
            }
            (bytes, false)
        }
    }
}

fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) {
    match rng.usize(..7) {
        // Flip a bit anywhere.
        0 if !bytes.is_empty() => {
            let at = rng.usize(..bytes.len());
            bytes[at] ^= 1 << rng.usize(..8);
        }
        // Flip a bit of the header, then make the CRC fit again.
        1 if bytes.len() >= 12 => {
            let at = rng.usize(..6);
            bytes[at] ^= 1 << rng.usize(..8);
            fix_crc(bytes);
        }
        // A new payload length (small or huge), with a fitting CRC.
        2 if bytes.len() >= 12 => {
            let len: u32 = match rng.usize(..8) {
                0 => u32::MAX - rng.usize(..16) as u32,
                1 => 1 << (20 + rng.usize(..12)),
                _ => rng.usize(..400) as u32,
            };
            bytes[2..6].copy_from_slice(&len.to_le_bytes());
            fix_crc(bytes);
        }
        // Truncate.
        3 if !bytes.is_empty() => {
            let keep = rng.usize(..bytes.len());
            bytes.truncate(keep);
        }
        // Extend with noise.
        4 => {
            let extra = small_len(rng, 40);
            bytes.extend(random_bytes(rng, extra));
        }
        // Overwrite a byte of the unprotected part (stream byte, byte 11, options).
        5 if bytes.len() > 10 => {
            let at = 10 + rng.usize(..bytes.len() - 10);
            bytes[at] = rng.u8(..);
        }
        // Overwrite a byte anywhere.
        _ if !bytes.is_empty() => {
            let at = rng.usize(..bytes.len());
            bytes[at] = rng.u8(..);
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
        let piece = 1 + rng.usize(..(input.len() - fed).min(64));
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
        let n = buf.len().min(1 + self.rng.usize(..32));
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
    let codec = match rng.usize(..4) {
        0 => FrameCodec::new().with_max_payload(rng.usize(..200) as u32),
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
    if rng.usize(..4) == 0 {
        let choppy = ChoppyReader {
            inner: Cursor::new(input.clone()),
            rng: Rng::with_seed(rng.u64(..)),
        };
        // Half of them with a frame timeout, which reads payloads on its own path.
        let frame_timeout = rng.bool().then_some(std::time::Duration::from_secs(60));
        let relay = StreamRelay::new(choppy, io::sink())
            .with_codec(codec)
            .with_frame_timeout(frame_timeout);
        let (choppy_frames, choppy_end) = relay_all(relay);
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
    let mut rng = Rng::with_seed(seed);
    let mut stats = Stats::default();
    if let Ok(case) = std::env::var("GORIDGE_FUZZ_CASE") {
        let case = u64::from_str_radix(case.trim_start_matches("0x"), 16).expect("hex case seed");
        check_one(&mut Rng::with_seed(case), &mut stats);
        return;
    }
    for i in 0..iterations {
        // Each iteration gets its own seed so a failure can be replayed alone.
        let case_seed = rng.u64(..);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            check_one(&mut Rng::with_seed(case_seed), &mut stats);
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
