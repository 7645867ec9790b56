//! `cargo fuzz run affiliate`: see fuzz/harness.rs::affiliate.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::affiliate(data));
