//! The page's engine worker prepares the lines' figures once (`report::prepare`) and asks for one
//! period after another. Each answer must be the report a fresh build gives for that period, whatever
//! was asked before: nothing may carry over from one period's answer to the next.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::NaiveDate;
use margin_engine::costs::CostsTable;
use margin_engine::import::{ImportOptions, ImportedFile, import_file};
use margin_engine::report;
use margin_engine::settings::{MarketingEntry, Settings};
use rust_decimal::Decimal;

fn fixture(name: &str) -> ImportedFile {
    let bytes = common::fixture_bytes("tiktok", name);
    import_file(name, bytes.as_slice(), ImportOptions::default())
        .unwrap_or_else(|e| panic!("{}", e.user_message()))
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 5, d).unwrap()
}

#[test]
fn a_prepared_report_answers_each_period_as_a_fresh_build_does() {
    let files = vec![
        fixture("us_orders_2026-05-17.csv"),
        fixture("us_affiliate_orders_2026-05.csv"),
    ];
    let costs_bytes = std::fs::read(common::repo("tests/fixtures/costs_for_fixtures.csv")).unwrap();
    let costs = CostsTable::read("costs.csv", costs_bytes.as_slice()).unwrap();
    // Everything a period decides: overhead by the month, marketing on given days, per-SKU spend.
    let settings = Settings {
        overhead_per_month: Decimal::new(3100, 0),
        other_marketing: vec![
            MarketingEntry {
                date: day(3),
                amount: Decimal::new(25000, 2),
                label: "shoot".into(),
            },
            MarketingEntry {
                date: day(12),
                amount: Decimal::new(9999, 2),
                label: "samples".into(),
            },
        ],
        ad_spend_per_sku: vec![("1731877424524333233".into(), Decimal::new(33333, 2))],
        ..Settings::default()
    };
    let prepared = report::prepare(&files, &costs, &settings, None, 1).unwrap();
    let periods = [
        None,
        Some((day(11), day(17))),
        Some((day(17), day(17))),
        Some((day(1), day(10))),
        None,
        Some((day(11), day(17))),
    ];
    for period in periods {
        let fresh = report::build_detailed(&files, &costs, &settings, None, period).unwrap();
        let again = prepared.build(&settings, period);
        assert_eq!(again, fresh, "period {period:?}");
        assert!(
            again.analysis.totals.lines > 0 || period == Some((day(1), day(10))),
            "period {period:?} has lines"
        );
    }
}
