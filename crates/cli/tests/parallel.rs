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

/// `bytes` written to a new file, opened for reading (removed when dropped: unlinked at once).
fn on_disk(name: &str, bytes: &[u8]) -> std::fs::File {
    let path =
        std::env::temp_dir().join(format!("margin-lab-parallel-{}-{name}", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    let file = std::fs::File::open(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    file
}

/// Sequential and split reads of `bytes` agree for 2, 3 and 5 parts; returns whether every split
/// was taken (not a fallback).
fn check(name: &str, bytes: &[u8]) -> bool {
    check_with_bom(name, bytes);
    let opts = ImportOptions::default();
    let sequential = read_any(name, bytes, opts).unwrap();
    let mut all_split = true;
    for threads in [2, 3, 5] {
        let split = parallel::read_split(name, bytes, opts, threads);
        all_split &= split.is_some();
        if let Some(s) = &split {
            assert_eq!(s, &sequential, "{name}, {threads} parts");
        }
        // The same bytes as a file on disk, read by position as the CLI reads it.
        let from_file = parallel::read_split_at(name, &on_disk(name, bytes), opts, threads);
        assert_eq!(
            from_file.is_some(),
            split.is_some(),
            "{name}, {threads} parts"
        );
        if let Some(f) = from_file {
            assert_eq!(f, sequential, "{name}, {threads} parts, from the file");
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

/// A byte-order mark before the header: the split read of the file skips it as the sequential read does.
fn check_with_bom(name: &str, bytes: &[u8]) {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return;
    }
    let mut with = vec![0xEF, 0xBB, 0xBF];
    with.extend_from_slice(bytes);
    let opts = ImportOptions::default();
    let sequential = read_any(name, &with[..], opts).unwrap();
    if let Some(f) = parallel::read_split_at(name, &on_disk(name, &with), opts, 2) {
        assert_eq!(f, sequential, "{name} with a byte-order mark");
    }
}

#[test]
fn a_file_whose_header_is_past_the_first_megabyte_is_read_whole() {
    // A preamble of 1.2 MB before the header: the split read gives up (its head is 1 MiB) and the
    // caller's sequential read is the answer.
    let orders = std::fs::read(repo("tests/fixtures/tiktok/us_orders_2026-05-17.csv")).unwrap();
    let preamble = |rows: usize| {
        let mut text = Vec::new();
        for i in 0..rows {
            text.extend_from_slice(format!("note {i},{}\n", "x".repeat(50_000)).as_bytes());
        }
        text.extend_from_slice(&orders);
        text
    };
    let opts = ImportOptions::default();
    let far = preamble(25);
    let sequential = read_any("far.csv", &far[..], opts).unwrap();
    let plain = read_any("o.csv", &orders[..], opts).unwrap();
    assert_eq!(sequential.order_lines(), plain.order_lines());
    assert!(parallel::read_split_at("far.csv", &on_disk("far.csv", &far), opts, 2).is_none());
    // Within the head, the same preamble is passed and the file split.
    assert!(check("near.csv", &preamble(10)));
}

#[test]
fn a_cut_guessed_inside_a_quoted_cell_is_caught() {
    // Rows whose last cell (Combined Listing, not read) is quoted and holds a line feed and then 60
    // plain values: after that line feed the text looks like a record of the header's width followed by
    // another, so a cut is guessed there. The part before it then reads past the guess (the cell goes
    // on), and the file is read sequentially: the same result either way.
    let text = generated(&["--market", "us", "--seed", "15", "--orders", "3000"]);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&text[..]);
    let records: Vec<csv::ByteRecord> = reader.byte_records().map(Result::unwrap).collect();
    let n = records.len();
    let width = records[0].len();
    let fake = format!("x\n{}", vec!["0"; width].join(","));
    let mut writer = csv::Writer::from_writer(Vec::new());
    for (i, r) in records.iter().enumerate() {
        if i > n / 10 && i < n * 9 / 10 {
            let mut r: Vec<&[u8]> = r.iter().collect();
            *r.last_mut().unwrap() = fake.as_bytes();
            writer.write_record(&r).unwrap();
        } else {
            writer.write_byte_record(r).unwrap();
        }
    }
    let out = writer.into_inner().unwrap();
    let opts = ImportOptions::default();
    let sequential = read_any("n.csv", &out[..], opts).unwrap();
    assert_eq!(
        sequential.order_lines().len(),
        read_any("g.csv", &text[..], opts)
            .unwrap()
            .order_lines()
            .len()
    );
    let mut fell_back = 0;
    for threads in 2..8 {
        match parallel::read_split_at("n.csv", &on_disk("n.csv", &out), opts, threads) {
            Some(f) => assert_eq!(f, sequential, "{threads} parts"),
            None => fell_back += 1,
        }
        assert_eq!(
            parallel::read_bytes_with("n.csv", &out, opts, threads, 0).unwrap(),
            sequential
        );
    }
    // Half of the text after a share's start lies in such a cell: some guess was wrong and caught.
    assert!(fell_back > 0);
}
