//! `margin-lab report --json` on the four real exports (US and UK Orders + Affiliate orders, May 2026).
//! Expected figures are computed inside the test by an independent method: a plain `csv` pass over the
//! raw files applying docs/metrics.md §1–§2 and §5 as written there, in exact decimals, then rounded half away
//! from zero — never taken from the program's output.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../../engine/tests/common/mod.rs"]
mod common;

use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::process::Command;
use std::str::FromStr;

fn fixture(name: &str) -> String {
    common::fixture("tiktok", name)
        .to_string_lossy()
        .into_owned()
}

fn rows(name: &str) -> Vec<HashMap<String, String>> {
    common::raw_rows(&common::fixture("tiktok", name))
}

use common::money as dec;

use common::cents_str as money;

#[derive(Default, Debug)]
struct Sums {
    gmv: Decimal,
    cancelled: Decimal,
    refunds: Decimal,
    units_sold: i64,
    units_returned: i64,
    samples: i64,
    orders: HashSet<String>,
}

/// docs/metrics.md §1–§2 over the raw Orders file, per SKU and in total.
fn tally_orders(name: &str) -> (Sums, BTreeMap<String, Sums>) {
    let mut total = Sums::default();
    let mut per_sku: BTreeMap<String, Sums> = BTreeMap::new();
    for r in rows(name) {
        if r["Paid Time"].is_empty() || r["Order Status"] == "Unpaid" {
            continue;
        }
        let sub = dec(&r["SKU Subtotal Before Discount"]);
        let gross = sub - dec(&r["SKU Seller Discount"]);
        let qty: i64 = r["Quantity"].parse().unwrap();
        for s in [&mut total, per_sku.entry(r["SKU ID"].clone()).or_default()] {
            if sub.is_zero() {
                s.samples += qty;
                continue;
            }
            s.gmv += gross;
            if r["Order Status"] == "Canceled" || r["Order Status"] == "Cancelled" {
                s.cancelled += gross;
                continue;
            }
            let returned = if r["Cancelation/Return Type"] == "Return/Refund" {
                r["Sku Quantity of return"].parse::<i64>().unwrap().min(qty)
            } else {
                0
            };
            s.refunds += gross * Decimal::from(returned) / Decimal::from(qty);
            s.units_returned += returned;
            s.units_sold += qty - returned;
            s.orders.insert(r["Order ID"].clone());
        }
    }
    (total, per_sku)
}

/// docs/metrics.md §3/§5: commission per creator (Actual when > 0, else Est.; Ineligible 0), over the
/// rows that join a paid line of the Orders export or are dated on a day it covers (its first to last
/// line, docs/metrics.md §9).
fn tally_commission(orders: &str, affiliate: &str) -> BTreeMap<String, Decimal> {
    let order_rows = rows(orders);
    let (first, last) = common::raw_orders_span(&order_rows, orders.starts_with("uk_"));
    let lines: HashSet<(String, String)> = order_rows
        .iter()
        .filter(|r| !r["Paid Time"].is_empty())
        .map(|r| (r["Order ID"].clone(), r["SKU ID"].clone()))
        .collect();
    let mut out = BTreeMap::new();
    for r in rows(affiliate) {
        let joined = lines.contains(&(r["Order ID"].clone(), r["SKU ID"].clone()));
        let covered =
            common::raw_date(&r["Time Created"], true).is_some_and(|d| d >= first && d <= last);
        if !joined && !covered {
            continue;
        }
        if r["Order Status"] == "Ineligible" {
            out.entry(r["Creator Username"].clone())
                .or_insert(Decimal::ZERO);
            continue;
        }
        let c = common::raw_commission(&r);
        *out.entry(r["Creator Username"].clone())
            .or_insert(Decimal::ZERO) += c;
    }
    out
}

fn report(files: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_margin-lab"))
        .arg("report")
        .arg("--json")
        .args(files.iter().map(|f| fixture(f)))
        .output()
        .unwrap();
    common::json_stdout(&out)
}

fn check(orders: &str, affiliate: &str) {
    let v = report(&[orders, affiliate]);
    let (total, per_sku) = tally_orders(orders);
    let t = &v["totals"];
    assert_eq!(t["gmv"], money(total.gmv));
    assert_eq!(t["cancelled_sales"], money(total.cancelled));
    assert_eq!(t["refunds"], money(total.refunds));
    assert_eq!(
        t["net_sales"],
        money(total.gmv - total.cancelled - total.refunds)
    );
    assert_eq!(t["units_sold"], total.units_sold);
    assert_eq!(t["units_returned"], total.units_returned);
    assert_eq!(t["sample_units"], total.samples);
    assert_eq!(t["orders"], total.orders.len() as u64);
    let skus = v["skus"].as_array().unwrap();
    assert_eq!(skus.len(), per_sku.len(), "one entry per SKU");
    for (sku, s) in &per_sku {
        let e = skus
            .iter()
            .find(|x| x["sku_id"] == sku.as_str())
            .unwrap_or_else(|| panic!("{sku}"));
        assert_eq!(e["gmv"], money(s.gmv), "{sku} gmv");
        assert_eq!(e["cancelled_sales"], money(s.cancelled), "{sku} cancelled");
        assert_eq!(
            e["net_sales"],
            money(s.gmv - s.cancelled - s.refunds),
            "{sku} net_sales"
        );
        assert_eq!(e["units_sold"], s.units_sold, "{sku} units");
        assert_eq!(e["sample_units"], s.samples, "{sku} samples");
        assert_eq!(e["orders"], s.orders.len() as u64, "{sku} orders");
    }
    // §5: every creator of the affiliate file with a row on a covered day, with their commission.
    let creators = v["creators"].as_array().unwrap();
    let want = tally_commission(orders, affiliate);
    assert_eq!(creators.len(), want.len(), "one entry per creator");
    for (creator, commission) in &want {
        let c = creators
            .iter()
            .find(|x| x["creator"] == creator.as_str())
            .unwrap_or_else(|| panic!("{creator}"));
        assert_eq!(c["commission"], money(*commission), "{creator} commission");
        let net = Decimal::from_str(c["net_revenue"].as_str().unwrap()).unwrap();
        assert_eq!(
            c["net_after_commission"],
            money(net - commission),
            "{creator} net after commission"
        );
    }
    assert!(v["files"].as_array().unwrap().len() == 2);
    // docs/metrics.md §1, §8: the Affiliate file's entry says how many of its rows join a paid line of
    // the Orders file, and how many lines its `Fully returned or refunded` = Yes rows updated: none here
    // (no such row joins a line the Orders file shows sold).
    let paid: HashSet<(String, String)> = rows(orders)
        .into_iter()
        .filter(|r| !r["Paid Time"].is_empty() && r["Order Status"] != "Unpaid")
        .map(|r| (r["Order ID"].clone(), r["SKU ID"].clone()))
        .collect();
    let joined = rows(affiliate)
        .iter()
        .filter(|r| paid.contains(&(r["Order ID"].clone(), r["SKU ID"].clone())))
        .count();
    let entry = |name: &str| {
        v["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("{name}"))
            .clone()
    };
    let a = entry(affiliate);
    assert_eq!(a["joined_rows"], joined as u64, "{affiliate} joined rows");
    assert_eq!(
        a["overrides"],
        serde_json::json!({"refunded": 0, "cancelled": 0})
    );
    let o = entry(orders);
    assert!(o["joined_rows"].is_null());
}

#[test]
fn us_exports() {
    check(
        "us_orders_2026-05-17.csv",
        "us_affiliate_orders_2026-05.csv",
    );
}

#[test]
fn uk_exports() {
    check(
        "uk_orders_2026-05-17.csv",
        "uk_affiliate_orders_2026-05.csv",
    );
}
