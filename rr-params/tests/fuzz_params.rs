//! A deterministic fuzz loop over query parsing and parameter deserialising:
//! `rr_fuzz_props::params` (the property the cargo-fuzz target `parse_params` checks too) on
//! 45,000 `arbtest` seeds drawn from a fixed generator, so every run tests the same inputs.
//!
//! A failure prints `arbtest failed! Seed: 0x…`. `RR_PARAMS_CASE=0x…` replays that one
//! seed, `RR_PARAMS_MINIMIZE=1` with it shrinks the input to a smaller failing one.

use arbitrary::Unstructured;
use fastrand::Rng;
use rr_fuzz_props::params::{Counts, check};

const ITERATIONS: u64 = 45_000;
const SEED: u64 = 0x9E37_79B9_7F4A_7C15;

fn env_u64(name: &str) -> Option<u64> {
    let raw = std::env::var(name).ok()?;
    match raw.trim().strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => raw.trim().parse().ok(),
    }
}

fn property(total: &mut Counts) -> impl FnMut(&mut Unstructured<'_>) -> arbitrary::Result<()> + '_ {
    |u| {
        let counts = check(u.bytes(u.len())?);
        total.ok += counts.ok;
        total.err += counts.err;
        Ok(())
    }
}

#[test]
fn parsing_and_deserialising_never_panic() {
    let mut total = Counts::default();
    if let Some(seed) = env_u64("RR_PARAMS_CASE") {
        let test = arbtest::arbtest(property(&mut total)).seed(seed);
        if env_u64("RR_PARAMS_MINIMIZE").is_some() {
            test.minimize().run();
        } else {
            test.run();
        }
        return;
    }
    let mut seeds = Rng::with_seed(SEED);
    for _ in 0..ITERATIONS {
        let seed = seeds.u64(16..4096) | (u64::from(seeds.u32(..)) << 32);
        arbtest::arbtest(property(&mut total)).seed(seed).run();
    }
    eprintln!("{ITERATIONS} cases: {total:?}");
    // Both outcomes must actually be exercised.
    assert!(total.ok > 1000 && total.err > 1000, "{total:?}");
}
