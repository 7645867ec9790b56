//! The Returns & refunds export (docs/formats.md §1.6), on the hand-made fixture
//! `tests/fixtures/handmade/returns_refunds.csv` (no real file was available; the header is the one
//! public parsers of the export read). Expected values read off the fixture by hand.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::NaiveDate;
use margin_engine::costs::CostsTable;
use margin_engine::import::returns::ReturnRow;
use margin_engine::import::values::DateOrder;
use margin_engine::import::{ExportKind, FileData, ImportOptions, read_any};
use margin_engine::money::Currency;
use margin_engine::report;

fn at(d: u32, h: u32, m: u32, s: u32) -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 5, d)
        .unwrap()
        .and_hms_opt(h, m, s)
        .unwrap()
}

#[test]
fn the_hand_made_returns_export_is_read() {
    let bytes = common::fixture_bytes("handmade", "returns_refunds.csv");
    let f = read_any(
        "returns_refunds.csv",
        bytes.as_slice(),
        ImportOptions::default(),
    )
    .unwrap();
    let r = &f.report;
    // Recognised by `Return Order ID` before the Orders signature (it has Order ID, SKU ID, Order Status).
    assert_eq!(r.kind, ExportKind::Returns);
    // 7 rows after the header: 6 requests and a blank row; row 7's `Time Requested` is "not a date".
    assert_eq!((r.rows, r.used_rows), (7, 5));
    assert_eq!(
        r.warnings,
        vec![
            "row 7, column \"Time Requested\": \"not a date\" is not a date in this file's format \
             (DD/MM/YYYY HH:mm:ss); row skipped"
                .to_string()
        ]
    );
    // "14/05/2026": a first part above 12, so day first.
    assert_eq!(r.date_order, Some(DateOrder::DayFirst));
    assert_eq!(r.currency, Some(Currency::USD));
    assert_eq!(
        r.date_range,
        Some((
            NaiveDate::from_ymd_opt(2026, 5, 14).unwrap(),
            NaiveDate::from_ymd_opt(2026, 5, 19).unwrap()
        ))
    );
    let FileData::Returns(rows) = &f.data else {
        panic!("{:?}", f.data)
    };
    let row = |i: usize| -> &ReturnRow { &rows[i] };
    // Row 2: TABs trimmed, 2 units, refunded 18/05 16:02:11.
    assert_eq!(
        row(0),
        &ReturnRow {
            return_id: "4035123456789012341".into(),
            order_id: "577000000000000101".into(),
            sku_id: "1729000000000000101".into(),
            seller_sku: "TEA-1".into(),
            product_name: "Breakfast tea".into(),
            return_type: "Return and refund".into(),
            status: "Completed".into(),
            quantity: 2,
            requested: at(14, 9, 12, 40),
            refunded: Some(at(18, 16, 2, 11)),
            withdrawn: false,
        }
    );
    // Row 3: no SKU ID (seller SKU only), blank quantity → 1, no refund yet.
    assert_eq!(
        (
            row(1).sku_id.as_str(),
            row(1).quantity,
            row(1).refunded,
            row(1).withdrawn
        ),
        ("", 1, None, false)
    );
    // Rows 4 and 5: rejected and cancelled requests are not returns.
    assert!(row(2).withdrawn && row(3).withdrawn);
    // Row 6: a year-first time reads the same whatever the file's order.
    assert_eq!(
        (row(4).requested, row(4).withdrawn),
        (at(19, 7, 0, 0), false)
    );
}

#[test]
fn a_returns_export_joins_its_shop_and_shows_its_coverage() {
    let orders = "Order ID,Order Status,SKU ID,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,\
                  Created Time,Paid Time\n\
                  577000000000000101,Completed,1729000000000000101,2,25.98,0,05/10/2026 9:00:00 AM,05/10/2026 9:00:05 AM\n";
    let orders = read_any("orders.csv", orders.as_bytes(), ImportOptions::default()).unwrap();
    let bytes = common::fixture_bytes("handmade", "returns_refunds.csv");
    let returns = read_any("returns.csv", bytes.as_slice(), ImportOptions::default()).unwrap();
    let (r, _) = report::build(&[orders, returns], &CostsTable::default(), None, None).unwrap();
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["files"][1]["kind"], "returns");
    assert_eq!(
        json["coverage"]["returns"],
        serde_json::json!({"ranges": [["2026-05-14", "2026-05-19"]], "gaps": []})
    );
    // The return requests change no figure of the P&L.
    assert_eq!(r.totals.refunds, "0.00");
}
