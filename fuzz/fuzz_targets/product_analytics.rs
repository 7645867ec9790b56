//! `cargo fuzz run product_analytics`: see fuzz/harness.rs::product_analytics.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::product_analytics(data));
