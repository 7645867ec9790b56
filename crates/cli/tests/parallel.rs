//! The parallel Orders import (engine feature `parallel`, which this CLI turns on) gives exactly what
//! the sequential import gives: the same records, counts, warnings (with the same row numbers) and so
//! the same report JSON, on the real fixtures and on generated exports, whatever the number of parts.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../../engine/tests/common/mod.rs"]
mod common;

use margin_engine::costs::CostsTable;
use margin_engine::import::{ImportOptions, ImportedFile, parallel, read_any};
use margin_engine::ledger::Ledger;
use margin_engine::settings::Settings;
use margin_engine::{metrics, report};
use std::process::Command;

use common::repo;

fn generated(args: &[&str]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_margin-lab"))
        .args(["generate", "orders"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success());
    out.stdout
}

fn report_json(file: ImportedFile) -> String {
    let (r, analysis) = report::build(
        std::slice::from_ref(&file),
        &CostsTable::default(),
        None,
        None,
    )
    .unwrap();
    // The lines' own figures on several threads give the same analysis (report::build_with_threads
    // only splits ledgers of 5,000 lines and more; the analysis itself splits any).
    let mut ledger = Ledger::new();
    ledger.add(file.order_lines());
    let settings = Settings::default();
    let currency = file.report.currency.unwrap();
    for threads in [2, 3]
        .into_iter()
        .filter(|_| !file.order_lines().is_empty())
    {
        let split = metrics::analyse_with_threads(
            &ledger,
            &CostsTable::default(),
            &settings,
            currency,
            None,
            threads,
        );
        assert!(
            split == analysis,
            "the split analysis differs ({threads} threads)"
        );
    }
    serde_json::to_string_pretty(&r).unwrap()
}

/// Sequential and split reads of `bytes` agree for 2, 3 and 5 parts; returns whether every split
/// was taken (not a fallback).
fn check(name: &str, bytes: &[u8]) -> bool {
    let opts = ImportOptions::default();
    let sequential = read_any(name, bytes, opts).unwrap();
    let mut all_split = true;
    for threads in [2, 3, 5] {
        let split = parallel::read_split(name, bytes, opts, threads);
        all_split &= split.is_some();
        if let Some(s) = split {
            assert_eq!(s, sequential, "{name}, {threads} parts");
        }
        let via = parallel::read_bytes_with(name, bytes, opts, threads, 0).unwrap();
        assert_eq!(via, sequential, "{name}, {threads} parts");
        assert_eq!(report_json(via), report_json(sequential.clone()), "{name}");
    }
    all_split
}

#[test]
fn the_real_orders_exports_split_and_read_the_same() {
    for f in ["us_orders_2026-05-17.csv", "uk_orders_2026-05-17.csv"] {
        let bytes = std::fs::read(repo(&format!("tests/fixtures/tiktok/{f}"))).unwrap();
        assert!(check(f, &bytes), "{f} was not split");
    }
    // Other kinds are read sequentially by the same call.
    for f in [
        "us_affiliate_orders_2026-05.csv",
        "uk_affiliate_orders_2026-05.csv",
    ] {
        let bytes = std::fs::read(repo(&format!("tests/fixtures/tiktok/{f}"))).unwrap();
        assert!(parallel::read_split(f, &bytes, ImportOptions::default(), 2).is_none());
        assert!(!check(f, &bytes));
    }
}

#[test]
fn generated_exports_split_and_read_the_same() {
    let us = generated(&["--market", "us", "--seed", "11", "--orders", "2500"]);
    assert!(check("us.csv", &us));
    let uk = generated(&["--market", "uk", "--seed", "12", "--orders", "2500"]);
    assert!(check("uk.csv", &uk));
}

#[test]
fn warnings_keep_their_row_numbers_across_parts() {
    let mut text = String::from_utf8(generated(&[
        "--market", "us", "--seed", "13", "--orders", "3000",
    ]))
    .unwrap();
    // Bad rows at row starts spread over the file (an Order ID after a line feed): a cut row and a
    // row whose Order ID is not one, each giving a warning that names its row.
    let len = text.len();
    for at in [len / 5, len / 2, len * 4 / 5] {
        let row_start = text[at..].find("\n5764").unwrap() + at + 1;
        text.insert_str(row_start, &format!("oops\nABC{}\n", ",".repeat(59)));
    }
    assert!(check("us_bad.csv", text.as_bytes()));
    let f = read_any("us_bad.csv", text.as_bytes(), ImportOptions::default()).unwrap();
    assert_eq!(f.report.warnings.len(), 6, "{:?}", f.report.warnings);
}

#[test]
fn a_stray_quote_is_caught_and_the_file_read_sequentially() {
    let mut text = String::from_utf8(generated(&[
        "--market", "us", "--seed", "14", "--orders", "3000",
    ]))
    .unwrap();
    // `Glass Tea Mug` → `Glass 5" Tea Mug` in an unquoted cell early on: csv reads the quote as a
    // literal, but it turns the quote parity every later cut relies on.
    let at = text.find(",Demo Glass Tea Mug").unwrap();
    text.replace_range(at..at + 11, ",Demo Glass 5\"");
    check("us_quote.csv", text.as_bytes());
}

#[test]
fn split_analysis_with_affiliate_rows_and_spread_costs_is_the_same() {
    let bin = env!("CARGO_BIN_EXE_margin-lab");
    let dir = std::env::temp_dir().join(format!("margin-lab-parallel-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let orders_path = dir.join("orders.csv");
    std::fs::write(
        &orders_path,
        generated(&["--market", "us", "--seed", "15", "--orders", "2500"]),
    )
    .unwrap();
    let aff = Command::new(bin)
        .args([
            "generate",
            "affiliate",
            "--market",
            "us",
            "--seed",
            "15",
            "--from-orders",
        ])
        .arg(&orders_path)
        .output()
        .unwrap();
    assert!(aff.status.success());
    let opts = ImportOptions::default();
    let orders = read_any(
        "orders.csv",
        &std::fs::read(&orders_path).unwrap()[..],
        opts,
    )
    .unwrap();
    let affiliate = read_any("aff.csv", &aff.stdout[..], opts).unwrap();
    let mut ledger = Ledger::new();
    ledger.add(orders.order_lines());
    if let margin_engine::import::FileData::Affiliate(rows) = &affiliate.data {
        ledger.add_affiliate(rows.iter());
    }
    // Lines gathered as they are made (nothing to spread), and stored then spread (overhead set).
    let plain = Settings::default();
    let spread = Settings::from_json(r#"{"overhead_per_month": "3000"}"#).unwrap();
    assert!(!spread.overhead_per_month.is_zero());
    for settings in [plain, spread] {
        let one = metrics::analyse_with_threads(
            &ledger,
            &CostsTable::default(),
            &settings,
            margin_engine::money::Currency::USD,
            None,
            1,
        );
        assert!(!one.creators.is_empty());
        for threads in [2, 3, 7] {
            let split = metrics::analyse_with_threads(
                &ledger,
                &CostsTable::default(),
                &settings,
                margin_engine::money::Currency::USD,
                None,
                threads,
            );
            assert!(split == one, "{threads} threads differ");
        }
    }
}
