//! `cargo fuzz run costs`: see fuzz/harness.rs::costs.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::costs(data));
