//! The waterfall's actual vs estimated settlement of the orders matched to a finance export
//! (docs/metrics.md §6), on the hand-made income fixture (tests/fixtures/handmade, docs/formats.md §2.1) and
//! Orders lines written here. Expected values are worked out by hand in the comments.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use margin_engine::costs::CostsTable;
use margin_engine::import::{ImportOptions, ImportedFile, read_any};
use margin_engine::report::{self, StepKey};
use std::path::PathBuf;

fn fixture(name: &str) -> ImportedFile {
    let p: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        "..",
        "tests",
        "fixtures",
        "handmade",
        name,
    ]
    .iter()
    .collect();
    read_any(
        name,
        std::fs::File::open(p).unwrap(),
        ImportOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn orders(csv: &str) -> ImportedFile {
    read_any("orders.csv", csv.as_bytes(), ImportOptions::default()).unwrap()
}

#[test]
fn estimated_settlement_of_matched_covers_only_the_matched_lines() {
    // Order …234 is the income fixture's sale: 1200 − 100 seller discount = 1100 net sales. Order …999
    // has no finance row: its fees are modelled, and it must stay out of the matched estimate.
    let csv = "Order ID,Order Status,SKU ID,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n\
               578012345678901234,Completed,99,1,PHP 1200.00,PHP 100.00,10/05/2026 09:00:00,10/05/2026 09:00:05\n\
               578000000000000999,Completed,98,1,PHP 500.00,PHP 0.00,10/05/2026 10:00:00,10/05/2026 10:00:05\n";
    let (r, _) = report::build(
        &[orders(csv), fixture("finance_income_order_details.xlsx")],
        &CostsTable::default(),
        None,
        None,
    )
    .unwrap();
    let w = &r.waterfall;
    // Matched line: net sales 1100, no VAT rate, platform fees 79.64 (Total fees −249.64 less the
    // affiliate −110 and seller shipping −60 it nests), no affiliate export (commission 0), shipping
    // 60.00: 1100 − 0 − 79.64 − 0 − 60 = 960.36.
    assert_eq!(w.estimated_settlement_of_matched.as_deref(), Some("960.36"));
    // Actual: settlement 850.36 plus the −50 violation fee adjustment of the same order = 800.36.
    assert_eq!(w.actual_settlement.as_deref(), Some("800.36"));
    // 800.36 − 960.36 = −160.00: the creator's 110 (no Affiliate export loaded) and the 50 fee.
    assert_eq!(w.settlement_difference.as_deref(), Some("-160.00"));
    // The whole period's estimate also holds order …999 (500 of net sales less modelled fees).
    let whole = w
        .steps
        .iter()
        .find(|s| s.step == StepKey::EstimatedSettlement)
        .unwrap();
    assert_ne!(whole.amount, "960.36");
}

#[test]
fn without_a_finance_export_there_is_nothing_to_compare() {
    let csv = "Order ID,Order Status,SKU ID,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n\
               576000000000000001,Shipped,1729000000000000001,2,40.00,5.00,05/17/2026 9:00:00 PM,05/17/2026 9:00:05 PM\n";
    let (r, _) = report::build(&[orders(csv)], &CostsTable::default(), None, None).unwrap();
    let w = &r.waterfall;
    assert_eq!(w.actual_settlement, None);
    assert_eq!(w.estimated_settlement_of_matched, None);
    assert_eq!(w.settlement_difference, None);
}
