//! A deterministic fuzz loop over request decoding: `rr_fuzz_props::requests` (the property
//! the cargo-fuzz target `decode_request` checks too) on 30,000 `arbtest` seeds drawn from a
//! fixed generator, so every run tests the same inputs.
//!
//! A failure prints `arbtest failed! Seed: 0x…`. `RR_HTTP_FUZZ_CASE=0x…` replays that one
//! seed, `RR_HTTP_FUZZ_MINIMIZE=1` with it shrinks the input to a smaller failing one.
//! `RR_HTTP_FUZZ_ITERATIONS` and `RR_HTTP_FUZZ_SEED` override the defaults.

use std::collections::HashMap;

use arbitrary::Unstructured;
use fastrand::Rng;
use rr_fuzz_props::requests::{Outcome, check};

const DEFAULT_ITERATIONS: u64 = 30_000;
const DEFAULT_SEED: u64 = 0xD1B5_4A32_D192_ED03;

fn env_u64(name: &str) -> Option<u64> {
    let raw = std::env::var(name).ok()?;
    let raw = raw.trim();
    Some(match raw.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).expect("a hex number"),
        None => raw.parse().expect("a number"),
    })
}

fn property(
    seen: &mut HashMap<Outcome, u64>,
) -> impl FnMut(&mut Unstructured<'_>) -> arbitrary::Result<()> + '_ {
    |u| {
        let data = u.bytes(u.len())?;
        *seen.entry(check(data)).or_default() += 1;
        Ok(())
    }
}

#[test]
fn decoding_hostile_requests_never_panics_and_keeps_what_is_valid() {
    let mut seen = HashMap::new();
    if let Some(seed) = env_u64("RR_HTTP_FUZZ_CASE") {
        let test = arbtest::arbtest(property(&mut seen)).seed(seed);
        if env_u64("RR_HTTP_FUZZ_MINIMIZE").is_some() {
            test.minimize().run();
        } else {
            test.run();
        }
        return;
    }
    let iterations = env_u64("RR_HTTP_FUZZ_ITERATIONS").unwrap_or(DEFAULT_ITERATIONS);
    let mut seeds = Rng::with_seed(env_u64("RR_HTTP_FUZZ_SEED").unwrap_or(DEFAULT_SEED));
    for _ in 0..iterations {
        // An arbtest seed: the input's size in the low 32 bits, its randomness in the high.
        let seed = seeds.u64(64..4096) | (u64::from(seeds.u32(..)) << 32);
        arbtest::arbtest(property(&mut seen)).seed(seed).run();
    }
    eprintln!("{iterations} cases: {seen:?}");
    // The inputs must reach every path, or the loop proves little.
    if iterations >= 1_000 {
        for (outcome, per_mille) in [
            (Outcome::Refused, 50),
            (Outcome::Decoded, 5),
            (Outcome::Checked, 300),
        ] {
            let n = seen.get(&outcome).copied().unwrap_or(0);
            assert!(
                n * 1000 >= iterations * per_mille,
                "only {n} cases were {outcome:?}: {seen:?}"
            );
        }
    }
}
