//! `cargo fuzz run workspace`: see fuzz/harness.rs::workspace.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::workspace(data));
