//! `cargo fuzz run shop_analytics`: see fuzz/harness.rs::shop_analytics.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::shop_analytics(data));
