//! `cargo fuzz run gmv_max_creatives`: see fuzz/harness.rs::gmv_max_creatives.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::gmv_max_creatives(data));
