//! The fuzz properties of rr-rs, one definition each: an input built from unstructured bytes
//! by `arbitrary` (a derived `Arbitrary` type, or a generator answering its draws from the
//! bytes through [`Draw`]), and a `check` that panics when a property is violated.
//!
//! The deterministic test loops (`goridge/tests/fuzz_decode.rs`, `rr-http/tests/fuzz_requests.rs`,
//! `rr-params/tests/fuzz_params.rs`, run by `cargo xtask test`) feed them through `arbtest`,
//! which shrinks a failing input to a smaller one and prints the seed that replays it; the
//! cargo-fuzz targets in `fuzz/fuzz_targets/` feed them libFuzzer's coverage-guided inputs.
//! Both call the same `check`. Each property is a feature (`frames`, `requests`, `params`),
//! so a test loop builds only the crates its property needs.

mod draw;
#[cfg(feature = "frames")]
pub mod frames;
#[cfg(feature = "params")]
pub mod params;
#[cfg(feature = "requests")]
pub mod requests;

pub use self::draw::Draw;
