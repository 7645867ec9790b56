//! The content P&L and creator × product (docs/metrics.md §11) on the real US exports: every creator's
//! contents and products add up to the creator exactly, and one piece of content's commission is tallied
//! from the raw Affiliate CSV by `csv` alone (not the engine's importer).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{fixture, raw_rows};
use margin_engine::costs::CostsTable;
use margin_engine::import::{ImportOptions, ImportedFile, read_any};
use margin_engine::report;
use margin_engine::settings::Settings;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

fn load(name: &str) -> ImportedFile {
    let p = fixture("tiktok", name);
    read_any(
        name,
        std::fs::File::open(&p).unwrap(),
        ImportOptions::default(),
    )
    .unwrap()
}

fn us() -> report::Built {
    let files = vec![
        load("us_orders_2026-05-17.csv"),
        load("us_affiliate_orders_2026-05.csv"),
    ];
    report::build_detailed(
        &files,
        &CostsTable::default(),
        &Settings::default(),
        None,
        None,
    )
    .unwrap()
}

#[test]
fn contents_and_creator_products_add_up_to_each_creator() {
    let b = us();
    let a = &b.analysis;
    assert!(!a.contents.is_empty());
    let mut by_creator: BTreeMap<&str, (Decimal, Decimal, Decimal)> = BTreeMap::new();
    for c in &a.contents {
        let e = by_creator.entry(c.figures.creator.as_str()).or_default();
        e.0 += c.figures.figures.affiliate_commission();
        e.1 += c.figures.figures.net_revenue();
        e.2 += c.figures.cm();
    }
    assert_eq!(by_creator.len(), a.creators.len());
    for cr in &a.creators {
        let (commission, net_revenue, cm) = by_creator[cr.creator.as_str()];
        assert_eq!(
            commission,
            cr.figures.affiliate_commission(),
            "{}",
            cr.creator
        );
        assert_eq!(net_revenue, cr.figures.net_revenue(), "{}", cr.creator);
        assert_eq!(cm, cr.cm(), "{}", cr.creator);
    }
    // Creator × product: the same, for the rows whose order line is loaded (all of them carry a SKU).
    let mut by_creator: BTreeMap<&str, Decimal> = BTreeMap::new();
    for c in &a.creator_products {
        *by_creator.entry(c.figures.creator.as_str()).or_default() +=
            c.figures.figures.net_revenue();
    }
    let unmatched: u64 = a.creators.iter().map(|c| c.unmatched_rows).sum();
    if unmatched == 0 {
        for cr in &a.creators {
            assert_eq!(
                by_creator[cr.creator.as_str()],
                cr.figures.net_revenue(),
                "{}",
                cr.creator
            );
        }
    }
    // Ranked by creator CM.
    assert!(
        a.contents
            .windows(2)
            .all(|w| w[0].figures.cm() >= w[1].figures.cm())
    );
    // The report writes them, with the creator's name and the content's ID.
    let json = serde_json::to_value(&b.report).unwrap();
    let first = &json["contents"][0];
    assert_eq!(first["content_id"], a.contents[0].content_id.as_str());
    assert_eq!(first["creator"], a.contents[0].figures.creator.as_str());
    assert!(first["cm"].is_string());
    assert!(json["creator_products"][0]["sku_id"].is_string());
}

/// The Actual column when it is filled and > 0, else the Est. column (docs/metrics.md §3).
fn actual_or_est(
    row: &std::collections::HashMap<String, String>,
    est: &str,
    actual: &str,
) -> Decimal {
    let d = |k: &str| Decimal::from_str(row.get(k).map_or("", String::as_str)).ok();
    match d(actual) {
        Some(a) if a > Decimal::ZERO => a,
        _ => d(est).unwrap_or_default(),
    }
}

#[test]
fn one_contents_commission_is_its_rows_commission_in_the_raw_csv() {
    let b = us();
    // Independent tally: the raw Affiliate CSV read by `csv`, restricted to orders the Orders export
    // has (so every row is matched and on a covered day), grouped by Content ID.
    let orders: BTreeSet<String> = raw_rows(&fixture("tiktok", "us_orders_2026-05-17.csv"))
        .into_iter()
        .map(|r| r["Order ID"].clone())
        .collect();
    let rows = raw_rows(&fixture("tiktok", "us_affiliate_orders_2026-05.csv"));
    let mut per_content: BTreeMap<String, (Decimal, usize, bool)> = BTreeMap::new();
    for r in &rows {
        let e = per_content.entry(r["Content ID"].clone()).or_default();
        let matched = orders.contains(&r["Order ID"]);
        if !matched {
            // A content with any unmatched row is not used: its rows' dates decide whether they count.
            e.2 = true;
            continue;
        }
        e.0 += actual_or_est(
            r,
            "Est. standard commission payment",
            "Actual Commission Payment",
        ) + actual_or_est(
            r,
            "Est. Shop Ads commission payment",
            "Actual Shop Ads commission payment",
        ) + actual_or_est(
            r,
            "Est. co-funded creator bonus",
            "Actual co-funded creator bonus",
        );
        e.1 += 1;
    }
    // The content with the most rows, all matched.
    let (id, (commission, n, _)) = per_content
        .iter()
        .filter(|(id, (_, n, unmatched))| !id.is_empty() && *n > 1 && !unmatched)
        .max_by_key(|(id, (_, n, _))| (*n, (*id).clone()))
        .expect("a content with several matched rows");
    let got: Decimal = b
        .analysis
        .contents
        .iter()
        .filter(|c| &c.content_id == id)
        .map(|c| c.figures.figures.affiliate_commission())
        .sum();
    assert_eq!(got, *commission, "content {id} ({n} rows)");
}
