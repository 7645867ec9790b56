//! The repeat-purchase rate (docs/metrics.md §2): buyers with two orders or more in the period ÷ buyers with
//! one or more, from the Orders export's `Buyer Username` hashed in memory — never kept as text, never
//! serialised. Hand-made orders (tallied in the comments) and the real US export (tallied with Python).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use margin_engine::costs::CostsTable;
use margin_engine::import::{FileData, ImportOptions, ImportedFile, read_any};
use margin_engine::ledger::buyer_hash;
use margin_engine::report::{self, Report};

fn file(csv: &str) -> ImportedFile {
    read_any("orders.csv", csv.as_bytes(), ImportOptions::default()).unwrap()
}

const HEADER: &str = "Order ID,Order Status,SKU ID,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,\
Created Time,Paid Time,Buyer Username\n";

/// - alice: …201 (SKU 11, 1 May) and …202 (SKU 22, 3 May): two orders
/// - bob: …203 (SKU 11, 2 May)
/// - carol: …204 cancelled (no order), …206 (SKU 22, 5 May): one order
/// - dave: …205, two lines (SKU 11 and 22, 4 May): one order
/// - …207 masked (`j*****1`) and …208 blank: no buyer known
fn orders() -> ImportedFile {
    file(&format!(
        "{HEADER}\
576000000000000201,Delivered,11,1,10.00,0.00,05/01/2026 10:00:00 AM,05/01/2026 10:00:05 AM,alice\n\
576000000000000202,Delivered,22,1,10.00,0.00,05/03/2026 10:00:00 AM,05/03/2026 10:00:05 AM,alice\n\
576000000000000203,Delivered,11,1,10.00,0.00,05/02/2026 10:00:00 AM,05/02/2026 10:00:05 AM,bob\n\
576000000000000204,Canceled,11,1,10.00,0.00,05/02/2026 11:00:00 AM,05/02/2026 11:00:05 AM,carol\n\
576000000000000205,Delivered,11,1,10.00,0.00,05/04/2026 10:00:00 AM,05/04/2026 10:00:05 AM,dave\n\
576000000000000205,Delivered,22,1,10.00,0.00,05/04/2026 10:00:00 AM,05/04/2026 10:00:05 AM,dave\n\
576000000000000206,Delivered,22,1,10.00,0.00,05/05/2026 10:00:00 AM,05/05/2026 10:00:05 AM,carol\n\
576000000000000207,Delivered,22,1,10.00,0.00,05/05/2026 11:00:00 AM,05/05/2026 11:00:05 AM,j*****1\n\
576000000000000208,Delivered,22,1,10.00,0.00,05/05/2026 12:00:00 PM,05/05/2026 12:00:05 PM,\n"
    ))
}

fn build(files: &[ImportedFile]) -> (Report, margin_engine::metrics::Analysis) {
    report::build(files, &CostsTable::default(), None, None).unwrap()
}

#[test]
fn buyers_with_two_orders_over_buyers_with_one() {
    let (r, a) = build(&[orders()]);
    // Buyers with an order: alice, bob, dave, carol (4); with two or more: alice (1) → 25.00 %.
    assert_eq!((a.totals.buyers, a.totals.repeat_buyers), (4, 1));
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["totals"]["repeat_purchase_rate"], "25.00");
    // SKU 11: alice, bob, dave — one order each; SKU 22: alice, dave, carol — one each: 0.00 %.
    for s in &json["skus"].as_array().unwrap()[..] {
        assert_eq!(s["repeat_purchase_rate"], "0.00", "{}", s["sku_id"]);
    }
    // 1 May: alice's one order.
    assert_eq!(json["days"][0]["repeat_purchase_rate"], "0.00");
    // Over 3–5 May alice has one order (…202): alice, dave, carol → 0.00 %.
    let from = chrono::NaiveDate::from_ymd_opt(2026, 5, 3).unwrap();
    let to = chrono::NaiveDate::from_ymd_opt(2026, 5, 5).unwrap();
    let (_, a) =
        report::build(&[orders()], &CostsTable::default(), None, Some((from, to))).unwrap();
    assert_eq!((a.totals.buyers, a.totals.repeat_buyers), (3, 0));
}

#[test]
fn without_buyer_ids_there_is_no_rate() {
    let csv = "Order ID,Order Status,SKU ID,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n\
576000000000000201,Delivered,11,1,10.00,0.00,05/01/2026 10:00:00 AM,05/01/2026 10:00:05 AM\n";
    let (r, _) = build(&[file(csv)]);
    let json = serde_json::to_value(&r).unwrap();
    assert!(json["totals"]["repeat_purchase_rate"].is_null());
}

#[test]
fn buyer_identifiers_never_leave_memory() {
    let f = orders();
    let FileData::Orders(lines) = &f.data else {
        panic!("an Orders export")
    };
    // The line holds a hash, not the name; masked and blank cells hold none.
    assert_eq!(lines[0].buyer, buyer_hash("alice"));
    assert_ne!(lines[0].buyer, 0);
    assert_eq!(lines[7].buyer, 0);
    assert_eq!(lines[8].buyer, 0);
    assert_eq!(buyer_hash(" alice\t"), buyer_hash("alice"));
    // Neither the hash nor the name is serialised: not with the line, the imported file or the report.
    let hash = lines[0].buyer.to_string();
    for text in [
        serde_json::to_string(&lines[0]).unwrap(),
        serde_json::to_string(&f).unwrap(),
        serde_json::to_string(&build(&[orders()]).0).unwrap(),
        serde_json::to_string(&build(&[orders()]).1).unwrap(),
    ] {
        assert!(!text.contains("alice") && !text.contains(&hash), "{text}");
        assert!(!text.contains("\"buyer\""), "{text}");
    }
    // A line read back from JSON has no buyer.
    let back: margin_engine::ledger::OrderLine =
        serde_json::from_str(&serde_json::to_string(&lines[0]).unwrap()).unwrap();
    assert_eq!(back.buyer, 0);
}

#[test]
fn the_real_us_export() {
    let name = "us_orders_2026-05-17.csv";
    let f = read_any(
        name,
        std::fs::File::open(common::fixture("tiktok", name)).unwrap(),
        ImportOptions::default(),
    )
    .unwrap();
    let (r, a) = build(&[f]);
    // Python (csv) over the export: paid lines with a subtotal, not cancelled, by `Buyer Username`:
    // 246 buyers, 5 of them with two orders or more → 5 / 246 = 2.0325… % → 2.03.
    assert_eq!((a.totals.buyers, a.totals.repeat_buyers), (246, 5));
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["totals"]["repeat_purchase_rate"], "2.03");
}
