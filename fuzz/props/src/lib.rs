//! The fuzz properties of rr-rs, one definition each: an input type that `arbitrary` builds
//! from unstructured bytes, and a `check` that panics when a property is violated.
//!
//! The deterministic test loops (`goridge/tests/fuzz_decode.rs`, run by `cargo xtask test`)
//! feed them through `arbtest`, which shrinks a failing input to a small one and prints the
//! seed that replays it; the cargo-fuzz targets in `fuzz/fuzz_targets/` feed them libFuzzer's
//! coverage-guided inputs. Both call the same `check`.

pub mod frames;
