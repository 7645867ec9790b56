//! `cargo fuzz run xlsx`: see fuzz/harness.rs::xlsx.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::xlsx(data));
