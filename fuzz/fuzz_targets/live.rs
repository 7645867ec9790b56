//! `cargo fuzz run live`: see fuzz/harness.rs::live.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::live(data));
