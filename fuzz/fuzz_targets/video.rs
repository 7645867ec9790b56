//! `cargo fuzz run video`: see fuzz/harness.rs::video.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::video(data));
