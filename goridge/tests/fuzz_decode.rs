//! A deterministic fuzz loop over the frame decoders: `rr_fuzz_props::frames` (the property
//! the cargo-fuzz target `decode_frame` checks too) on 200,000 `arbtest` seeds drawn from a
//! fixed generator, so every run tests the same inputs.
//!
//! A failure prints `arbtest failed! Seed: 0x…`. `GORIDGE_FUZZ_CASE=0x…` replays that one
//! seed, `GORIDGE_FUZZ_MINIMIZE=1` with it shrinks the input to a smaller failing one.
//! `GORIDGE_FUZZ_ITERATIONS` and `GORIDGE_FUZZ_SEED` override the defaults.

use arbitrary::Unstructured;
use fastrand::Rng;
use rr_fuzz_props::frames::{End, FrameInput, check};

const DEFAULT_ITERATIONS: u64 = 200_000;
const DEFAULT_SEED: u64 = 0x9E37_79B9_7F4A_7C15;

#[derive(Debug, Default)]
struct Stats {
    frames: usize,
    clean: usize,
    partial: usize,
    errors: usize,
}

fn env_u64(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    match value.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => value.parse().ok(),
    }
}

fn property(stats: &mut Stats) -> impl FnMut(&mut Unstructured<'_>) -> arbitrary::Result<()> + '_ {
    |u| {
        let outcome = check(&u.arbitrary::<FrameInput>()?);
        stats.frames += outcome.frames;
        match outcome.end {
            End::Clean => stats.clean += 1,
            End::Partial(_) => stats.partial += 1,
            End::Error(_) => stats.errors += 1,
        }
        Ok(())
    }
}

#[test]
fn decoders_never_panic_agree_with_each_other_and_re_encode_exactly() {
    let mut stats = Stats::default();
    if let Some(seed) = env_u64("GORIDGE_FUZZ_CASE") {
        let test = arbtest::arbtest(property(&mut stats)).seed(seed);
        if env_u64("GORIDGE_FUZZ_MINIMIZE").is_some() {
            test.minimize().run();
        } else {
            test.run();
        }
        return;
    }
    let iterations = env_u64("GORIDGE_FUZZ_ITERATIONS").unwrap_or(DEFAULT_ITERATIONS);
    let mut rng = Rng::with_seed(env_u64("GORIDGE_FUZZ_SEED").unwrap_or(DEFAULT_SEED));
    for _ in 0..iterations {
        // An arbtest seed: the input's size in the low 32 bits, its randomness in the high.
        let size = match rng.usize(..4) {
            0 => rng.u64(..64),
            _ => rng.u64(64..1500),
        };
        let seed = size | (u64::from(rng.u32(..)) << 32);
        arbtest::arbtest(property(&mut stats)).seed(seed).run();
    }
    // The inputs must reach every outcome, or the loop tests less than it claims.
    let n = iterations as usize;
    assert!(stats.frames > n / 4, "{stats:?}");
    assert!(stats.clean > n / 10, "{stats:?}");
    assert!(stats.partial > n / 20, "{stats:?}");
    assert!(stats.errors > n / 20, "{stats:?}");
    eprintln!("fuzz: {iterations} inputs, {stats:?}");
}
