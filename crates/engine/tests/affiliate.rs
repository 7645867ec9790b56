//! Affiliate orders joined to the real Orders exports: commissions, creators (docs/metrics.md §5) and
//! channels. The expected figures are computed inside each test by a second, independent method: a
//! plain `csv` pass over the raw files with the rules of docs/metrics.md written out again here (join on
//! Order ID + SKU ID with TABs trimmed, skip unpaid lines, Actual commission when > 0 else Est.,
//! Ineligible rows count 0; an affiliate row with no order line counts for its creator only when the
//! Orders export covers its day, docs/metrics.md §5 and §9), compared with `report::build` on the same
//! files.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use margin_engine::costs::CostsTable;
use margin_engine::import::{ImportOptions, ImportedFile, read_any};
use margin_engine::report;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

fn path(name: &str) -> PathBuf {
    common::fixture("tiktok", name)
}

fn import(name: &str) -> ImportedFile {
    let f = std::fs::File::open(path(name)).unwrap();
    read_any(name, std::io::BufReader::new(f), ImportOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn raw(name: &str) -> Vec<HashMap<String, String>> {
    common::raw_rows(&path(name))
}

use common::money;

/// Independent tally of the matched commissions and of one creator's figures.
struct Tally {
    matched_commission: Decimal,
    matched_rows: usize,
    unmatched_rows: usize,
    /// Unmatched rows dated outside the Orders export's span: left out of the creators.
    excluded_rows: usize,
    per_creator: BTreeMap<String, (Decimal, Decimal, HashSet<String>)>, // commission, matched gross sales, orders
}

/// True for the UK Orders export (dates day first).
fn day_first(orders: &str) -> bool {
    orders.starts_with("uk_")
}

fn tally(orders: &str, affiliate: &str) -> Tally {
    // The days the Orders export covers: its first to last paid line.
    let (first, last) = common::raw_orders_span(&raw(orders), day_first(orders));
    let covered = |r: &HashMap<String, String>| {
        common::raw_date(&r["Time Created"], true).is_some_and(|d| d >= first && d <= last)
    };
    // Paid order lines: (order, sku) → (gross_sales, status).
    let mut lines: HashMap<(String, String), (Decimal, String)> = HashMap::new();
    for r in raw(orders) {
        if r["Paid Time"].is_empty() {
            continue;
        }
        let gross = money(&r["SKU Subtotal Before Discount"]) - money(&r["SKU Seller Discount"]);
        lines.insert(
            (r["Order ID"].clone(), r["SKU ID"].clone()),
            (gross, r["Order Status"].clone()),
        );
    }
    let mut t = Tally {
        matched_commission: Decimal::ZERO,
        matched_rows: 0,
        unmatched_rows: 0,
        excluded_rows: 0,
        per_creator: BTreeMap::new(),
    };
    let mut first_creator_of_line: HashMap<(String, String), String> = HashMap::new();
    for r in raw(affiliate) {
        let commission = if r["Order Status"] == "Ineligible" {
            Decimal::ZERO
        } else {
            common::raw_commission(&r)
        };
        let key = (r["Order ID"].clone(), r["SKU ID"].clone());
        if !lines.contains_key(&key) && !covered(&r) {
            t.excluded_rows += 1;
            continue;
        }
        let entry = t
            .per_creator
            .entry(r["Creator Username"].clone())
            .or_default();
        entry.0 += commission;
        match lines.get(&key) {
            Some((gross, status)) => {
                t.matched_commission += commission;
                t.matched_rows += 1;
                let first = first_creator_of_line
                    .entry(key.clone())
                    .or_insert_with(|| r["Creator Username"].clone());
                if *first == r["Creator Username"]
                    && !status.starts_with("Cancel")
                    && *gross > Decimal::ZERO
                {
                    entry.1 += *gross;
                    entry.2.insert(key.0.clone());
                }
            }
            None => t.unmatched_rows += 1,
        }
    }
    t
}

fn check(orders: &str, affiliate: &str) {
    let want = tally(orders, affiliate);
    let (r, a) = report::build(
        &[import(orders), import(affiliate)],
        &CostsTable::default(),
        None,
        None,
    )
    .unwrap();
    assert_eq!(
        r.totals.affiliate_commission,
        r_money(want.matched_commission),
        "{orders}: matched commission"
    );
    assert_eq!(
        a.unmatched_affiliate_rows as usize, want.unmatched_rows,
        "{orders}: unmatched rows"
    );
    assert_eq!(
        a.creators_excluded.rows as usize, want.excluded_rows,
        "{orders}: rows left out"
    );
    assert_eq!(r.creators_excluded.rows as usize, want.excluded_rows);
    // Every creator's commission, matched or not (unmatched rows on covered days only).
    assert_eq!(
        r.creators.len(),
        want.per_creator.len(),
        "{orders}: creators"
    );
    for (creator, (commission, _, _)) in &want.per_creator {
        let c = r
            .creators
            .iter()
            .find(|c| &c.creator == creator)
            .unwrap_or_else(|| panic!("no creator {creator}"));
        assert_eq!(c.commission, r_money(*commission), "{creator} commission");
    }
    // The creator with the most matched sales: gross sales of their matched, sold lines.
    let (creator, (_, gross, orders_set)) = want
        .per_creator
        .iter()
        .max_by_key(|(_, (_, g, _))| *g)
        .unwrap();
    let c = a.creators.iter().find(|c| &c.creator == creator).unwrap();
    let matched_rows = c.figures.lines;
    assert!(matched_rows > 0, "{creator} has matched lines");
    let engine_matched_gross: Decimal = {
        // Only the matched part: the creator's unmatched rows add their commission base on top.
        let unmatched_base: Decimal = raw(affiliate)
            .iter()
            .filter(|x| &x["Creator Username"] == creator)
            .filter(|x| !raw_has_line(orders, &x["Order ID"], &x["SKU ID"]))
            .filter(|x| {
                let (first, last) = common::raw_orders_span(&raw(orders), day_first(orders));
                common::raw_date(&x["Time Created"], true).is_some_and(|d| d >= first && d <= last)
            })
            .filter(|x| {
                x["Order Status"] != "Ineligible" || x["Fully returned or refunded"] == "Yes"
            })
            .map(|x| money(&x["Est. Commission Base"]))
            .sum();
        c.gross_sales() - unmatched_base
    };
    assert_eq!(
        engine_matched_gross, *gross,
        "{creator} matched gross sales"
    );
    assert!(c.figures.orders as usize >= orders_set.len());
    // The channels split the totals exactly.
    let sum: Decimal = a.channels.iter().map(|(_, f)| f.net_sales()).sum();
    assert_eq!(sum, a.totals.net_sales());
    let sum: Decimal = a
        .channels
        .iter()
        .map(|(_, f)| f.affiliate_commission())
        .sum();
    assert_eq!(sum, a.totals.affiliate_commission());
}

fn raw_has_line(orders: &str, order: &str, sku: &str) -> bool {
    raw(orders)
        .iter()
        .any(|r| r["Order ID"] == order && r["SKU ID"] == sku && !r["Paid Time"].is_empty())
}

fn r_money(d: Decimal) -> String {
    margin_engine::money::Currency::USD.round(d).to_string()
}

#[test]
fn us_affiliate_orders_join_the_us_orders() {
    check(
        "us_orders_2026-05-17.csv",
        "us_affiliate_orders_2026-05.csv",
    );
    // The fixtures' README: 43 rows of the US affiliate file join the US orders file.
    let (_, a) = report::build(
        &[
            import("us_orders_2026-05-17.csv"),
            import("us_affiliate_orders_2026-05.csv"),
        ],
        &CostsTable::default(),
        None,
        None,
    )
    .unwrap();
    // Of the other 653, those dated 15–17 May (the days the Orders export covers) count for their
    // creators; the rest are left out.
    assert_eq!(
        a.unmatched_affiliate_rows + a.creators_excluded.rows,
        696 - 43
    );
}

#[test]
fn uk_affiliate_orders_join_the_uk_orders() {
    check(
        "uk_orders_2026-05-17.csv",
        "uk_affiliate_orders_2026-05.csv",
    );
}

#[test]
fn affiliate_export_report() {
    let f = import("uk_affiliate_orders_2026-05.csv");
    assert_eq!(f.report.rows, 555);
    assert_eq!(f.report.used_rows, 555);
    assert_eq!(f.report.currency, Some(margin_engine::money::Currency::GBP));
    assert!(
        f.report
            .used_columns
            .iter()
            .any(|c| c == "Creator Username")
    );
    assert!(
        f.report
            .ignored_columns
            .iter()
            .any(|c| c == "Creator Region")
    );
}

/// docs/metrics.md §1 on the real exports: the affiliate rows that join a loaded (paid) order line, and
/// the lines an affiliate row shows fully returned or refunded while the Orders export shows them sold
/// (neither returned, cancelled nor a sample) — each such line the Affiliate export updates.
fn tally_joins(orders: &str, affiliate: &str) -> (u64, u64) {
    // Paid lines: (order, sku) → still sold per the Orders export.
    let mut sold: HashMap<(String, String), bool> = HashMap::new();
    for r in raw(orders) {
        if r["Paid Time"].is_empty() || r["Order Status"] == "Unpaid" {
            continue;
        }
        let still_sold = !r["Order Status"].starts_with("Cancel")
            && r["Cancelation/Return Type"] != "Return/Refund"
            && !money(&r["SKU Subtotal Before Discount"]).is_zero();
        sold.insert((r["Order ID"].clone(), r["SKU ID"].clone()), still_sold);
    }
    let mut joined = 0;
    let mut updated: HashSet<(String, String)> = HashSet::new();
    for r in raw(affiliate) {
        let key = (r["Order ID"].clone(), r["SKU ID"].clone());
        if let Some(&still_sold) = sold.get(&key) {
            joined += 1;
            if still_sold && r["Fully returned or refunded"] == "Yes" {
                updated.insert(key);
            }
        }
    }
    (joined, updated.len() as u64)
}

#[test]
fn the_affiliate_card_counts_rows_joined_and_lines_it_updated() {
    for (orders, affiliate) in [
        (
            "us_orders_2026-05-17.csv",
            "us_affiliate_orders_2026-05.csv",
        ),
        (
            "uk_orders_2026-05-17.csv",
            "uk_affiliate_orders_2026-05.csv",
        ),
    ] {
        let (joined, updated) = tally_joins(orders, affiliate);
        let (r, _) = report::build(
            &[import(orders), import(affiliate)],
            &CostsTable::default(),
            None,
            None,
        )
        .unwrap();
        let f = r.files.iter().find(|f| f.name == affiliate).unwrap();
        assert_eq!(f.joined_rows, Some(joined), "{affiliate} joined rows");
        assert_eq!(f.overrides.refunded, updated, "{affiliate} lines refunded");
        assert_eq!(f.overrides.cancelled, 0, "{affiliate}: no cancellation");
        let o = r.files.iter().find(|f| f.name == orders).unwrap();
        assert_eq!(o.joined_rows, None);
        assert_eq!(o.overrides.total(), 0);
    }
}

#[test]
fn no_real_affiliate_row_refunds_a_line_the_orders_export_shows_sold() {
    // What the tally finds on the real fixtures (so the terminal rule leaves their figures unchanged):
    // US — 43 of 696 rows join a paid line, none of the 5 fully-returned rows among them; UK — the
    // fully-returned flag is No on every row.
    assert_eq!(
        tally_joins(
            "us_orders_2026-05-17.csv",
            "us_affiliate_orders_2026-05.csv"
        ),
        (43, 0)
    );
    assert_eq!(
        tally_joins(
            "uk_orders_2026-05-17.csv",
            "uk_affiliate_orders_2026-05.csv"
        )
        .1,
        0
    );
}
