//! `cargo fuzz run read_any`: see fuzz/harness.rs::read_any_raw.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::read_any_raw(data));
