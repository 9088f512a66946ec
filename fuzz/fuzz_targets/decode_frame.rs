//! Fuzzes the goridge decoders: libFuzzer's inputs become `rr_fuzz_props::frames::FrameInput`
//! (noise, valid frames, mutated frames, a payload limit, piece and read sizes) and go through
//! `rr_fuzz_props::frames::check`, the property the test loop `goridge/tests/fuzz_decode.rs`
//! runs on fixed seeds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rr_fuzz_props::frames::{FrameInput, check};

fuzz_target!(|input: FrameInput| {
    check(&input);
});
