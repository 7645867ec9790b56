//! The what-if baseline reproduces a SKU's history: per-unit figures × units ordered give back the
//! SKU's own P&L (docs/metrics.md §7 starts the grid from the SKU's history).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use margin_engine::costs::CostsTable;
use margin_engine::import::{ImportOptions, read_any};
use margin_engine::money::Currency;
use margin_engine::report;
use margin_engine::settings::Settings;
use margin_engine::whatif::{BaselineSku, baseline};
use rust_decimal_macros::dec;

use common::cents;

#[test]
fn baseline_of_a_real_sku_gives_back_its_history() {
    let p = common::fixture("tiktok", "us_orders_2026-05-17.csv");
    let orders = read_any(
        "us.csv",
        std::fs::File::open(p).unwrap(),
        ImportOptions::default(),
    )
    .unwrap();
    let mut costs = CostsTable::default();
    costs.set_unit_cost("1732109959987564721", Some(dec!(8.00)));
    let settings = Settings {
        fulfillment_per_unit: dec!(1.25),
        shipping_per_order: dec!(4.00),
        ..Settings::default()
    };
    let (_, a) = report::build_with_settings(&[orders], &costs, &settings, None, None).unwrap();
    let sku = a
        .skus
        .iter()
        .find(|s| s.sku_id == "1732109959987564721")
        .unwrap();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 5, 17).unwrap();
    let b = baseline(sku, &settings, &settings.market_of(Currency::USD), date).unwrap();
    // List price 39.99 (4 units), discounts 74.00 of 159.96, 6 % referral fee, 1 unit per order.
    assert_eq!(b.price, dec!(39.99));
    assert_eq!(b.fee_pct, dec!(6));
    assert_eq!((b.units_per_order, b.unit_cost), (dec!(1), dec!(8.00)));
    let out = b.evaluate();
    // Per unit: p = 85.96 / 4 = 21.49; cm1 = 21.49 − 8 − 1.2894 − 1.25 − 4 = 6.9506 = 27.8024 / 4.
    assert_eq!(
        cents(out.net_revenue * dec!(4)),
        cents(sku.figures.net_revenue())
    );
    assert_eq!(cents(out.cm1 * dec!(4)), cents(sku.figures.cm1()));
    assert_eq!(cents(out.cm2 * dec!(4)), cents(sku.figures.cm2()));
    assert_eq!(cents(out.cm1), dec!(6.95));
    // The page's row of it: the same inputs in the market of USD (`Settings::market_of`: US), the 4 units
    // ordered, sold at p = 85.96 / 4 = 21.49 (to the cent: the discount % is a 28-digit quotient).
    let row = BaselineSku::of(sku, &settings, Currency::USD, date).unwrap();
    assert_eq!(row.inputs, b);
    assert_eq!((row.units, cents(row.price)), (dec!(4), dec!(21.49)));
    assert_eq!(row.price, b.evaluate().net_price);
    assert_eq!(row.sku_id, "1732109959987564721");
    assert_eq!(row.group, sku.product_group);
}
