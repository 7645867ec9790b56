//! `cargo fuzz run finance`: see fuzz/harness.rs::finance.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::finance(data));
