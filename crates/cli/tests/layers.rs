//! Every P&L layer from gmv to net_profit for one SKU of each real Orders export, under a costs table and
//! a settings file written for the test (tests/fixtures/costs_for_fixtures.csv, settings_for_fixtures.json),
//! computed by hand in the comments from the raw rows of the files.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../../engine/tests/common/mod.rs"]
mod common;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::process::Command;

use common::repo_str as repo;

fn report(files: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_margin-lab"))
        .args([
            "report",
            "--json",
            "--costs",
            &repo("tests/fixtures/costs_for_fixtures.csv"),
        ])
        .args([
            "--settings",
            &repo("tests/fixtures/settings_for_fixtures.json"),
        ])
        .args(
            files
                .iter()
                .map(|f| repo(&format!("tests/fixtures/tiktok/{f}"))),
        )
        .output()
        .unwrap();
    common::json_stdout(&out)
}

use common::cents_str as cents;

fn pct(n: Decimal, d: Decimal) -> String {
    cents(n * dec!(100) / d)
}

fn sku<'a>(v: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    v["skus"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["sku_id"] == id)
        .unwrap()
}

#[test]
fn us_sku_7n_3dao_6pwb_every_layer() {
    let v = report(&[
        "us_orders_2026-05-17.csv",
        "us_affiliate_orders_2026-05.csv",
    ]);
    let s = sku(&v, "1732109959987564721");
    // Four single-line orders, all Shipped, 1 unit each, subtotal 39.99, seller discounts 20, 18, 18, 18,
    // buyer shipping 0: gross sales 19.99 + 21.99 × 3 = 85.96. No cancellation, return or VAT (US).
    let net_revenue = dec!(85.96);
    assert_eq!(s["gmv"], "85.96");
    assert_eq!(
        (s["cancelled_sales"].as_str(), s["refunds"].as_str()),
        (Some("0.00"), Some("0.00"))
    );
    assert_eq!(
        (s["net_sales"].as_str(), s["net_revenue"].as_str()),
        (Some("85.96"), Some("85.96"))
    );
    // COGS: 4 units × 8.00 (costs table, by seller SKU) = 32.00; gross profit 53.96.
    let gross_profit = net_revenue - dec!(32.00);
    assert_eq!(
        (s["cogs"].as_str(), s["gross_profit"].as_str()),
        (Some("32.00"), Some("53.96"))
    );
    // US referral fee since 2024-04-01: 6 % of (gross sales + buyer shipping) = 0.06 × 85.96 = 5.1576.
    let fees = dec!(0.06) * net_revenue;
    assert_eq!(s["platform_fees"], cents(fees));
    // Fulfilment 1.25 × 4 units = 5.00; seller shipping 4.00 × 4 orders = 16.00; no returns.
    assert_eq!(
        (
            s["fulfillment"].as_str(),
            s["shipping"].as_str(),
            s["returns_cost"].as_str()
        ),
        (Some("5.00"), Some("16.00"), Some("0.00"))
    );
    let cm1 = gross_profit - fees - dec!(5.00) - dec!(16.00); // 27.8024
    assert_eq!(s["cm1"], cents(cm1));
    // No affiliate row for these orders, no ads, no samples of this SKU, no other marketing.
    assert_eq!(
        (
            s["affiliate_commission"].as_str(),
            s["ad_spend"].as_str(),
            s["sample_cost"].as_str()
        ),
        (Some("0.00"), Some("0.00"), Some("0.00"))
    );
    assert_eq!(s["cm2"], cents(cm1));
    assert_eq!(s["cm2_pct"], pct(cm1, net_revenue)); // 32.34
    // Overhead 3100 a month over 15–17 May (31-day month: 100 a day) = 300, shared by net revenue:
    // the file's net revenue is 6955.62 (gmv 7360.07 − cancelled 404.45, no VAT).
    let overhead = dec!(300) * net_revenue / dec!(6955.62);
    assert_eq!(s["overhead"], cents(overhead)); // 3.71
    assert_eq!(s["net_profit"], cents(cm1 - overhead)); // 24.09
    assert_eq!(s["net_margin_pct"], pct(cm1 - overhead, net_revenue));
    assert_eq!(v["period"]["from"], "2026-05-15");
}

#[test]
fn uk_sku_pack_of_2_every_layer() {
    let v = report(&[
        "uk_orders_2026-05-17.csv",
        "uk_affiliate_orders_2026-05.csv",
    ]);
    let s = sku(&v, "1729723796674418859");
    // Three paid "To ship" lines: 79.99 − 40.00 = 39.99 each (platform discount 2.00, reimbursed), and one
    // Cancelled line 79.99 − 43.99 = 36.00. gmv 155.97; cancelled 36.00; net sales 119.97. Product Tax Rate
    // is 0 on these lines: no output VAT.
    let net_revenue = dec!(119.97);
    assert_eq!(
        (s["gmv"].as_str(), s["cancelled_sales"].as_str()),
        (Some("155.97"), Some("36.00"))
    );
    assert_eq!(
        (
            s["net_sales"].as_str(),
            s["net_revenue"].as_str(),
            s["output_vat"].as_str()
        ),
        (Some("119.97"), Some("119.97"), Some("0.00"))
    );
    // COGS 3 × 12.50 = 37.50; gross profit 82.47 (68.74 %).
    assert_eq!(
        (s["cogs"].as_str(), s["gross_profit"].as_str()),
        (Some("37.50"), Some("82.47"))
    );
    assert_eq!(s["gross_margin_pct"], pct(dec!(82.47), net_revenue));
    // UK commission 9 % of (net sales + buyer shipping 0): 0.09 × 39.99 × 3 = 10.7973; none on the
    // cancelled line.
    let fees = dec!(0.09) * dec!(39.99) * dec!(3);
    assert_eq!(s["platform_fees"], cents(fees)); // 10.80
    // Fulfilment 1.25 × 3 = 3.75; shipping 4.00 × 3 orders = 12.00.
    assert_eq!(
        (s["fulfillment"].as_str(), s["shipping"].as_str()),
        (Some("3.75"), Some("12.00"))
    );
    let cm1 = dec!(82.47) - fees - dec!(3.75) - dec!(12.00); // 55.9227
    assert_eq!(s["cm1"], cents(cm1));
    // Affiliate rows of these orders: Pending 6.00, 6.00 and 12.00 (Est. standard commission, no Actual
    // yet); the cancelled order's row is Ineligible (10.80 estimated, counts 0). Commission 24.00.
    assert_eq!(s["affiliate_commission"], "24.00");
    let cm2 = cm1 - dec!(24.00); // 31.9227
    assert_eq!(s["cm2"], cents(cm2));
    // Overhead: 300 for 15–17 May shared by net revenue; the file's net revenue is 22931.17.
    let overhead = dec!(300) * net_revenue / dec!(22931.17);
    assert_eq!(s["overhead"], cents(overhead)); // 1.57
    assert_eq!(s["net_profit"], cents(cm2 - overhead)); // 30.35
    assert_eq!(s["cm2_pct"], pct(cm2, net_revenue));
}
