//! The orders are numbered by Order ID whether or not an order's lines are adjacent in the export
//! (the figures reserve room for the orders from the runs of adjacent lines, and file each order under
//! its first line): the same lines in another order give the same totals.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use margin_engine::costs::CostsTable;
use margin_engine::import::{ImportOptions, ImportedFile, read_any};
use margin_engine::report;

const HEADER: &str = "Order ID,Order Status,SKU ID,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,\
Created Time,Paid Time,Buyer Username\n";

const A1: &str = "576000000000000301,Delivered,11,1,10.00,1.00,05/01/2026 10:00:00 AM,05/01/2026 10:00:05 AM,alice\n";
const A2: &str = "576000000000000301,Delivered,22,2,30.00,0.00,05/01/2026 10:00:00 AM,05/01/2026 10:00:05 AM,alice\n";
const B1: &str = "576000000000000302,Delivered,11,1,10.00,0.00,05/02/2026 10:00:00 AM,05/02/2026 10:00:05 AM,bob\n";
const C1: &str = "576000000000000303,Canceled,22,1,15.00,0.00,05/02/2026 11:00:00 AM,05/02/2026 11:00:05 AM,alice\n";
const C2: &str = "576000000000000303,Delivered,33,1,5.00,0.00,05/02/2026 11:00:00 AM,05/02/2026 11:00:05 AM,alice\n";
const D1: &str = "576000000000000304,Delivered,33,3,12.00,2.00,05/03/2026 09:00:00 AM,05/03/2026 09:00:05 AM,alice\n";

fn file(lines: &[&str]) -> ImportedFile {
    let csv = format!("{HEADER}{}", lines.concat());
    read_any("orders.csv", csv.as_bytes(), ImportOptions::default()).unwrap()
}

fn totals(lines: &[&str]) -> serde_json::Value {
    let (r, _) = report::build(&[file(lines)], &CostsTable::default(), None, None).unwrap();
    serde_json::to_value(&r.totals).unwrap()
}

#[test]
fn interleaved_lines_number_the_same_orders() {
    let adjacent = totals(&[A1, A2, B1, C1, C2, D1]);
    assert_eq!(adjacent["orders"], serde_json::json!(4), "{adjacent}");
    // Every line starts a run: more runs than orders.
    assert_eq!(totals(&[A1, C1, B1, A2, D1, C2]), adjacent);
    assert_eq!(totals(&[C2, A2, D1, C1, B1, A1]), adjacent);
}
