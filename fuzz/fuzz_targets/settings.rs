//! `cargo fuzz run settings`: see fuzz/harness.rs::settings.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::settings(data));
