//! `cargo fuzz run ads`: see fuzz/harness.rs::ads.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::ads(data));
