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

/// A LIVE session's estimated P&L (docs/metrics.md §11) from the order lines created during it, to the
/// 10 minutes. No fee rule, shipping or fulfilment: CM1 = net revenue − COGS.
/// - 10:05, SKU 1001, 100.00, cost 40.00 → CM1 60.00 (its 10 minutes start at 10:00: inside)
/// - 10:30, SKU 1002, 50.00, cost 10.00 → CM1 40.00 (inside)
/// - 12:00, SKU 1003, 200.00, no cost → outside the 10:06–11:06 session
///
/// Margin 100.00 ÷ 150.00; the session's GMV 300.00 → CM1 200.00; host 20.00 per hour × 1 h = 20.00;
/// profit 180.00. A session at 15:00 with no order created during it has no estimate.
#[test]
fn a_live_sessions_estimate_uses_the_orders_created_during_it() {
    let orders = "Order ID,Order Status,SKU ID,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n\
576000000000000001,Shipped,1001,1,100.00,0,05/10/2026 10:05:00 AM,05/10/2026 10:05:10 AM\n\
576000000000000002,Shipped,1002,1,50.00,0,05/10/2026 10:30:00 AM,05/10/2026 10:30:10 AM\n\
576000000000000003,Shipped,1003,1,200.00,0,05/10/2026 12:00:00 PM,05/10/2026 12:00:10 PM\n";
    let live = "2026-05-01 ~ 2026-05-31\n\n\
Livestream,Start time,Duration,Gross revenue,Direct GMV,Items sold,Customers,Avg. price,Orders paid for,\
GMV/1K shows,GMV/1K views,Views,Viewers,Peak viewers,New followers,Avg. view duration,Likes,Comments,Shares,\
Product impressions,Product clicks,CTR,CTOR (SKU orders)\n\
Morning,2026-05-10 10:06,3600,$300.00,$300.00,2,2,$150.00,2,$0.00,$0.00,1000,800,50,0,60,0,0,0,500,40,0.08,0.05\n\
Afternoon,2026-05-10 15:00,1800,$10.00,$10.00,1,1,$10.00,1,$0.00,$0.00,100,80,5,0,30,0,0,0,50,4,0.08,0.25\n";
    let usd = ImportOptions {
        currency: Some(margin_engine::money::Currency::USD),
        ..ImportOptions::default()
    };
    let files = vec![
        read_any("orders.csv", orders.as_bytes(), usd).unwrap(),
        read_any("live.csv", live.as_bytes(), usd).unwrap(),
    ];
    let costs =
        CostsTable::read("costs.csv", &b"sku,unit_cost\n1001,40.00\n1002,10.00\n"[..]).unwrap();
    let settings = Settings {
        fee_rules: Vec::new(),
        shipping_per_order: Decimal::ZERO,
        fulfillment_per_unit: Decimal::ZERO,
        fulfillment_per_order: Decimal::ZERO,
        live_host_cost_per_hour: Decimal::from(20),
        ..Settings::default()
    };
    let b = report::build_detailed(&files, &costs, &settings, None, None).unwrap();
    let sessions = &b.report.live_sessions;
    assert_eq!(sessions.len(), 2);
    let e = sessions[0].estimate.as_ref().expect("an estimate");
    assert_eq!(
        (
            e.cm1_margin.as_str(),
            e.cm1.as_str(),
            e.host_cost.as_str(),
            e.profit.as_str()
        ),
        ("66.67", "200.00", "20.00", "180.00")
    );
    assert_eq!(e.ads_cost, None);
    assert!(sessions[1].estimate.is_none());
    assert!(
        sessions[1]
            .missing
            .iter()
            .any(|m| m.contains("no loaded order was created during the session"))
    );
    // Per viewer: 300.00 / 800 = 0.375 → 0.38; per hour 300.00; viewer-minutes 1,000 × 60 s / 60 = 1,000.
    assert_eq!(sessions[0].gmv_per_viewer.as_deref(), Some("0.38"));
    assert_eq!(sessions[0].gmv_per_hour.as_deref(), Some("300.00"));
    assert_eq!(sessions[0].viewer_minutes.as_deref(), Some("1000.00"));
    assert_eq!(sessions[0].gmv_per_viewer_minute.as_deref(), Some("0.3000"));
}
