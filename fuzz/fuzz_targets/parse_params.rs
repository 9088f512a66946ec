//! Fuzzes PHP-style query parsing and parameter deserialising: libFuzzer's bytes drive
//! `rr_fuzz_props::params::check`, the property the test loop `rr-params/tests/fuzz_params.rs`
//! runs on fixed seeds.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    rr_fuzz_props::params::check(data);
});
