//! Custom costs (docs/metrics.md §3, settings `custom_costs`): fixed costs prorated over the period's days
//! (monthly, weekly, daily) or counted whole in the period holding their date (one-time), and percentages
//! of a figure; marketing ones lower CM2 (inside `other_marketing`), overhead ones net profit (inside
//! `overhead`), allocated over SKUs. Every expected value is tallied by hand in the comments.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use margin_engine::costs::CostsTable;
use margin_engine::import::{ImportOptions, ImportedFile, read_any};
use margin_engine::report::{self, Report, SkuEntry};
use margin_engine::settings::{CostBase, CostLayer, CostRule, CustomCost, Settings};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

/// Two US orders in the first ten days of May: SKU 11 sells 100.00 on 2 May, SKU 22 300.00 on 5 May.
/// No fee rule, cost, shipping or fulfilment is set: cm1 = net revenue = 400.00 (100 + 300).
fn orders() -> ImportedFile {
    let csv = "Order ID,Order Status,SKU ID,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n\
576000000000000101,Delivered,11,1,100.00,0.00,05/02/2026 10:00:00 AM,05/02/2026 10:00:05 AM\n\
576000000000000102,Delivered,22,1,300.00,0.00,05/05/2026 10:00:00 AM,05/05/2026 10:00:05 AM\n";
    read_any("orders.csv", csv.as_bytes(), ImportOptions::default()).unwrap()
}

fn cost(name: &str, layer: CostLayer, rule: CostRule) -> CustomCost {
    CustomCost {
        name: name.into(),
        layer,
        rule,
    }
}

/// The report of 1–10 May (10 of May's 31 days) under `settings` (fee rules cleared).
fn report_with(mut settings: Settings) -> Report {
    settings.fee_rules = Vec::new();
    report::build_with_settings(
        &[orders()],
        &CostsTable::default(),
        &settings,
        None,
        Some((day(5, 1), day(5, 10))),
    )
    .unwrap()
    .0
}

fn sku<'a>(r: &'a Report, id: &str) -> &'a SkuEntry {
    r.skus.iter().find(|s| s.sku_id == id).unwrap()
}

fn with_costs(costs: Vec<CustomCost>) -> Report {
    report_with(Settings {
        custom_costs: costs,
        ..Settings::default()
    })
}

#[test]
fn a_fixed_monthly_cost_is_prorated_over_the_periods_days() {
    let r = with_costs(vec![
        cost(
            "Rent",
            CostLayer::Overhead,
            CostRule::Monthly {
                amount: dec!(3100),
                from: None,
                to: None,
            },
        ),
        cost(
            "Content retainer",
            CostLayer::Marketing,
            CostRule::Monthly {
                amount: dec!(1000),
                from: None,
                to: None,
            },
        ),
    ]);
    let t = &r.totals;
    // Rent: 3100 × 10 / 31 = 1000.00 of overhead. The retainer: 1000 × 10 / 31 = 322.580645161290 of
    // marketing. cm2 = 400 − 322.580645161290 = 77.419354838710 → 77.42; net = 77.419… − 1000 = −922.58.
    assert_eq!(
        (
            t.overhead.as_str(),
            t.other_marketing.as_str(),
            t.cm2.as_str(),
            t.net_profit.as_str()
        ),
        ("1000.00", "322.58", "77.42", "-922.58")
    );
    // By net revenue share: SKU 11 carries 100 / 400 (250.00 of rent, 80.65 of the retainer), SKU 22
    // 300 / 400 (750.00, 241.94).
    let (a, b) = (sku(&r, "11"), sku(&r, "22"));
    assert_eq!(
        (
            a.figures.overhead.as_str(),
            a.figures.other_marketing.as_str()
        ),
        ("250.00", "80.65")
    );
    assert_eq!(
        (
            b.figures.overhead.as_str(),
            b.figures.other_marketing.as_str()
        ),
        ("750.00", "241.94")
    );
    // The report lists each cost with what the period carries.
    let listed: Vec<(&str, &str)> = r
        .custom_costs
        .iter()
        .map(|c| (c.cost.name.as_str(), c.period_amount.as_str()))
        .collect();
    assert_eq!(
        listed,
        [("Rent", "1000.00"), ("Content retainer", "322.58")]
    );
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["custom_costs"][0]["kind"], "monthly");
    assert_eq!(json["custom_costs"][0]["layer"], "overhead");
    assert_eq!(json["custom_costs"][0]["period_amount"], "1000.00");
}

#[test]
fn weekly_and_daily_costs_count_their_days_in_the_period() {
    let r = with_costs(vec![
        // 70 a week: 70 × 10 / 7 = 100.00.
        cost(
            "Assistant",
            CostLayer::Overhead,
            CostRule::Weekly {
                amount: dec!(70),
                from: None,
                to: None,
            },
        ),
        // 5 a day from 8 May: 8, 9 and 10 May = 15.00.
        cost(
            "Tools",
            CostLayer::Overhead,
            CostRule::Daily {
                amount: dec!(5),
                from: Some(day(5, 8)),
                to: None,
            },
        ),
    ]);
    // 100 + 15 = 115.00 of overhead; net = 400 − 115 = 285.00.
    assert_eq!(
        (r.totals.overhead.as_str(), r.totals.net_profit.as_str()),
        ("115.00", "285.00")
    );
}

#[test]
fn an_agency_fee_of_ten_percent_of_ad_spend_follows_each_skus_ad_spend() {
    let r = report_with(Settings {
        ad_spend_per_sku: vec![("11".into(), dec!(200))],
        custom_costs: vec![cost(
            "Agency",
            CostLayer::Marketing,
            CostRule::Percent {
                percent: dec!(10),
                of: CostBase::AdSpend,
            },
        )],
        ..Settings::default()
    });
    // Ad spend 200.00, all on SKU 11: the agency fee is 10 % of it, 20.00, on SKU 11 alone.
    // cm2 = 400 − 200 − 20 = 180.00.
    let t = &r.totals;
    assert_eq!(
        (
            t.ad_spend.as_str(),
            t.other_marketing.as_str(),
            t.cm2.as_str()
        ),
        ("200.00", "20.00", "180.00")
    );
    assert_eq!(sku(&r, "11").figures.other_marketing, "20.00");
    assert_eq!(sku(&r, "22").figures.other_marketing, "0.00");
    // SKU 11: 100 − 200 − 20 = −120.00.
    assert_eq!(sku(&r, "11").figures.cm2, "-120.00");
    assert_eq!(r.custom_costs[0].period_amount, "20.00");
}

#[test]
fn a_percentage_of_net_revenue_as_overhead() {
    let r = with_costs(vec![cost(
        "Payment provider",
        CostLayer::Overhead,
        CostRule::Percent {
            percent: dec!(2.5),
            of: CostBase::NetRevenue,
        },
    )]);
    // 2.5 % of 400 = 10.00 (SKU 11: 2.50, SKU 22: 7.50); cm2 stays 400.00, net 390.00.
    assert_eq!(
        (r.totals.cm2.as_str(), r.totals.net_profit.as_str()),
        ("400.00", "390.00")
    );
    assert_eq!(sku(&r, "22").figures.overhead, "7.50");
}

#[test]
fn a_one_time_cost_counts_in_the_period_that_holds_its_date() {
    let r = with_costs(vec![
        // Inside 1–10 May: counted whole.
        cost(
            "Photo shoot",
            CostLayer::Marketing,
            CostRule::OneTime {
                amount: dec!(500),
                date: day(5, 5),
            },
        ),
        // 30 April: outside, not counted.
        cost(
            "Trade fair",
            CostLayer::Marketing,
            CostRule::OneTime {
                amount: dec!(700),
                date: day(4, 30),
            },
        ),
    ]);
    // cm2 = 400 − 500 = −100.00.
    assert_eq!(
        (r.totals.other_marketing.as_str(), r.totals.cm2.as_str()),
        ("500.00", "-100.00")
    );
    let listed: Vec<&str> = r
        .custom_costs
        .iter()
        .map(|c| c.period_amount.as_str())
        .collect();
    assert_eq!(listed, ["500.00", "0.00"]);
}

#[test]
fn custom_costs_are_read_from_the_document_and_checked() {
    // Older documents have none.
    assert!(Settings::from_json("{}").unwrap().custom_costs.is_empty());
    let s = Settings::from_json(
        r#"{"custom_costs": [
            {"name": "Agency", "layer": "marketing", "kind": "percent", "percent": "10", "of": "ad_spend"},
            {"name": "Rent", "layer": "overhead", "kind": "monthly", "amount": "3100", "from": "2026-01-01"},
            {"name": "Shoot", "layer": "marketing", "kind": "one_time", "amount": "500", "date": "2026-05-05"}
        ]}"#,
    )
    .unwrap();
    assert_eq!(
        s.custom_costs[1].rule,
        CostRule::Monthly {
            amount: dec!(3100),
            from: Some(day(1, 1)),
            to: None
        }
    );
    assert_eq!(Settings::from_json(&s.to_json()).unwrap(), s);
    assert!(s.check_magnitudes().is_ok());
    let refused = |c: CustomCost| {
        Settings {
            custom_costs: vec![c],
            ..Settings::default()
        }
        .check_magnitudes()
        .unwrap_err()
        .message
    };
    let m = refused(cost(
        "Rent",
        CostLayer::Overhead,
        CostRule::Monthly {
            amount: dec!(-1),
            from: None,
            to: None,
        },
    ));
    assert_eq!(
        m,
        "custom_costs[0] (\"Rent\").amount is -1: a custom cost cannot be negative"
    );
    let m = refused(cost(
        "Agency",
        CostLayer::Marketing,
        CostRule::Percent {
            percent: dec!(1001),
            of: CostBase::Gmv,
        },
    ));
    assert!(
        m.starts_with("custom_costs[0] (\"Agency\").percent is 1001: a rate"),
        "{m}"
    );
    let m = refused(cost(
        "Rent",
        CostLayer::Overhead,
        CostRule::Daily {
            amount: Decimal::from(2_000_000_000_000_i64),
            from: None,
            to: None,
        },
    ));
    assert!(
        m.starts_with("custom_costs[0] (\"Rent\").amount is 2000000000000: an amount"),
        "{m}"
    );
    let m = refused(cost(
        "Rent",
        CostLayer::Overhead,
        CostRule::Weekly {
            amount: dec!(1),
            from: Some(day(5, 10)),
            to: Some(day(5, 1)),
        },
    ));
    assert!(
        m.starts_with("custom_costs[0] (\"Rent\").to is 2026-05-01"),
        "{m}"
    );
    // The report refuses them too, naming the cost.
    let bad = Settings {
        custom_costs: vec![cost(
            "Rent",
            CostLayer::Overhead,
            CostRule::OneTime {
                amount: dec!(-5),
                date: day(5, 1),
            },
        )],
        ..Settings::default()
    };
    let e = report::build_with_settings(&[orders()], &CostsTable::default(), &bad, None, None)
        .unwrap_err();
    assert!(e.to_string().contains("custom_costs[0] (\"Rent\")"), "{e}");
    // A document with a cost of an unknown kind is refused with serde's word for it.
    assert!(
        Settings::from_json(
            r#"{"custom_costs": [{"name": "X", "layer": "overhead", "kind": "yearly", "amount": "1"}]}"#
        )
        .is_err()
    );
}
