//! `cargo fuzz run affiliate_analytics`: see fuzz/harness.rs::affiliate_analytics.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::affiliate_analytics(data));
