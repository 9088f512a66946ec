//! Fuzzes request decoding: libFuzzer's bytes drive the generator of
//! `rr_fuzz_props::requests` (hostile heads in both codecs, form and upload trees, mutations)
//! and go through `rr_fuzz_props::requests::check`, the property the test loop
//! `rr-http/tests/fuzz_requests.rs` runs on fixed seeds.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    rr_fuzz_props::requests::check(data);
});
