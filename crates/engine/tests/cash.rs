//! Estimated vs settled cash (docs/metrics.md §6, §1 settlement date, §2 refunds): per order the estimated
//! settlement beside the finance export's, the finance refund amounts replacing the unit-based estimate,
//! the unsettled orders (on-hold export, or in no finance export) and the cash still to come, the loaded
//! orders by settlement date and every settled row by day. Small hand-made files (values tallied by hand
//! in the comments) and the real Indonesian income export (values tallied with Python, openpyxl).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::NaiveDate;
use margin_engine::costs::CostsTable;
use margin_engine::import::{ImportOptions, ImportedFile, read_any};
use margin_engine::money::Currency;
use margin_engine::report::{self, CashSection, Report};
use margin_engine::settings::Settings;

fn file(name: &str, csv: &str) -> ImportedFile {
    read_any(name, csv.as_bytes(), ImportOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn cash(r: &Report) -> &CashSection {
    r.cash
        .as_ref()
        .expect("a cash section: a finance export is loaded")
}

const ORDERS_HEADER: &str = "Order ID,Order Status,Cancelation/Return Type,SKU ID,Quantity,Sku Quantity of return,\
SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n";

/// Six US orders (no fee rule set, so an unmatched line's fees are 0; shipping 2.00 per unmatched order):
/// - A …001: 2 units, 40.00, 1 May — settled: revenue 40, fees 4 + seller shipping 3, settlement 33 on
///   10 May, and a −5.00 violation fee of the order on 12 May
/// - B …002: 2 units, 50.00, 2 May — settled 12 May: a refund of 15.00 (of one unit of 25.00), fees
///   3.50, settlement 31.50
/// - C …003: 1 unit, 30.00, 3 May — on hold: 26.00 expected
/// - D …004: 1 unit, 20.00, 3 May — in no finance export
/// - E …005: 1 unit, 10.00, 4 May, Return/Refund in the Orders export — in no finance export
/// - F …006: 1 unit, 12.00, 28 April — settled 5 May: fees 1, settlement 11
fn files() -> Vec<ImportedFile> {
    // tests/fixtures/handmade/cash (the CLI's tests read the same files).
    ["orders.csv", "income_2026-05.csv", "onhold.csv"]
        .into_iter()
        .map(|name| {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../tests/fixtures/handmade/cash")
                .join(name);
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
            file(name, &text)
        })
        .collect()
}

/// The settings of these files: no fee rule, 2.00 of shipping per order (tests/fixtures/handmade/cash/
/// settings.json says the same to the CLI).
fn settings() -> Settings {
    Settings {
        fee_rules: Vec::new(),
        shipping_per_order: rust_decimal::Decimal::new(200, 2),
        ..Settings::default()
    }
}

fn may() -> Report {
    report::build_with_settings(
        &files(),
        &CostsTable::default(),
        &settings(),
        None,
        Some((day(2026, 5, 1), day(2026, 5, 31))),
    )
    .unwrap()
    .0
}

#[test]
fn each_settled_order_shows_its_estimate_beside_what_the_finance_export_paid() {
    let r = may();
    let c = cash(&r);
    // Orders of May matched to settled rows: A and B (F was ordered in April).
    assert_eq!(c.matched_orders, 2);
    // A: 40 − fees 4 − shipping 3 = 33.00 estimated; paid 33.00 − 5.00 violation fee = 28.00.
    // B: (50 − 15 refund) − fees 3.50 − shipping 0 = 31.50; paid 31.50.
    // 33.00 + 31.50 = 64.50 estimated, 28.00 + 31.50 = 59.50 paid, −5.00.
    assert_eq!(
        (
            c.estimated_settlement_of_matched.as_str(),
            c.actual_settlement.as_str(),
            c.settlement_difference.as_str()
        ),
        ("64.50", "59.50", "-5.00")
    );
    // The waterfall's figures are the same ones.
    assert_eq!(
        r.waterfall.estimated_settlement_of_matched.as_deref(),
        Some("64.50")
    );
    assert_eq!(r.waterfall.actual_settlement.as_deref(), Some("59.50"));
    // The largest difference first.
    let rows: Vec<(&str, &str, &str, &str, Option<NaiveDate>)> = c
        .orders
        .iter()
        .map(|o| {
            (
                o.order_id.as_str(),
                o.estimated_settlement.as_str(),
                o.actual_settlement.as_str(),
                o.difference.as_str(),
                o.settled_date,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "576000000000000001",
                "33.00",
                "28.00",
                "-5.00",
                Some(day(2026, 5, 10))
            ),
            (
                "576000000000000002",
                "31.50",
                "31.50",
                "0.00",
                Some(day(2026, 5, 12))
            ),
        ]
    );
}

#[test]
fn net_sales_use_the_finance_refund_amount_and_the_rest_stays_estimated() {
    let r = may();
    // B's refund of 15.00 is one of its two units (2 × 15 / 50 = 0.6, rounded: 1) but the money is
    // 15.00, not 25.00; E's refund is the Orders export's: 10.00 × 1 / 1, estimated.
    let c = cash(&r);
    assert_eq!(
        (
            c.refunds.from_finance.as_str(),
            c.refunds.from_finance_lines,
            c.refunds.estimated.as_str(),
            c.refunds.estimated_lines
        ),
        ("15.00", 1, "10.00", 1)
    );
    // gmv 40 + 50 + 30 + 20 + 10 = 150.00; refunds 15 + 10 = 25.00; net sales 125.00.
    let t = &r.totals;
    assert_eq!(
        (t.gmv.as_str(), t.refunds.as_str(), t.net_sales.as_str()),
        ("150.00", "25.00", "125.00")
    );
    assert_eq!((t.units_returned, t.units_sold), (2, 5));
}

#[test]
fn unsettled_orders_and_the_cash_still_to_come() {
    let c = may().cash.unwrap();
    let u = &c.unsettled;
    // C is on hold: the on-hold export expects 26.00, our estimate is 30 − 2.00 shipping = 28.00.
    assert_eq!(
        (
            u.on_hold_orders,
            u.on_hold_expected.as_str(),
            u.on_hold_estimated.as_str()
        ),
        (1, "26.00", "28.00")
    );
    // D: 20 − 2 = 18.00; E: (10 − 10 refunded) − 2 = −2.00; together 16.00.
    assert_eq!(
        (u.not_in_finance_orders, u.not_in_finance_estimated.as_str()),
        (2, "16.00")
    );
    // …099 is on hold and not among the Orders exports: 7.50 expected.
    assert_eq!(
        (
            u.other_on_hold_rows,
            u.other_on_hold_orders,
            u.other_on_hold_expected.as_str()
        ),
        (1, 1, "7.50")
    );
    // 26.00 + 16.00 + 7.50
    assert_eq!(u.expected_cash, "49.50");
    // Most cash to come first: C (26.00 on hold), D (18.00), E (−2.00).
    let listed: Vec<(&str, &str, Option<&str>)> = u
        .orders
        .iter()
        .map(|o| {
            (
                o.order_id.as_str(),
                o.estimated_settlement.as_str(),
                o.on_hold_expected.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            ("576000000000000003", "28.00", Some("26.00")),
            ("576000000000000004", "18.00", None),
            ("576000000000000005", "-2.00", None),
        ]
    );
}

#[test]
fn the_settlement_date_view_dates_orders_by_when_they_settled() {
    let c = may().cash.unwrap();
    // F (ordered 28 April) settled 5 May: net 12, fees 1, estimate 11.00, paid 11.00. A settled first on
    // 10 May (its fee on 12 May counts with it): estimate 33.00, paid 28.00. B on 12 May: 31.50 / 31.50.
    let by_date: Vec<(NaiveDate, u64, &str, &str, &str, &str)> = c
        .by_settled_date
        .iter()
        .map(|d| {
            (
                d.date,
                d.orders,
                d.net_sales.as_str(),
                d.platform_fees.as_str(),
                d.estimated_settlement.as_str(),
                d.actual_settlement.as_str(),
            )
        })
        .collect();
    assert_eq!(
        by_date,
        [
            (day(2026, 5, 5), 1, "12.00", "1.00", "11.00", "11.00"),
            (day(2026, 5, 10), 1, "40.00", "4.00", "33.00", "28.00"),
            (day(2026, 5, 12), 1, "35.00", "3.50", "31.50", "31.50"),
        ]
    );
    // Every settled row by its own date: 5 May F 11.00; 10 May A 33.00 and the ad payment −20.00
    // (13.00, 20.00 paid for ads); 12 May B 31.50 and A's fee −5.00 (26.50), B's refund 15.00.
    let rows: Vec<(NaiveDate, u64, &str, &str, &str)> = c
        .finance_by_day
        .iter()
        .map(|d| {
            (
                d.date,
                d.rows,
                d.settlement.as_str(),
                d.refunds.as_str(),
                d.ad_payments.as_str(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (day(2026, 5, 5), 1, "11.00", "0.00", "0.00"),
            (day(2026, 5, 10), 2, "13.00", "0.00", "20.00"),
            (day(2026, 5, 12), 2, "26.50", "15.00", "0.00"),
        ]
    );
    // April: only F is ordered then; nothing settled in April.
    let april = report::build_with_settings(
        &files(),
        &CostsTable::default(),
        &settings(),
        None,
        Some((day(2026, 4, 1), day(2026, 4, 30))),
    )
    .unwrap()
    .0;
    let c = cash(&april);
    assert_eq!(
        (
            c.matched_orders,
            c.by_settled_date.len(),
            c.finance_by_day.len()
        ),
        (1, 0, 0)
    );
}

#[test]
fn without_a_finance_export_there_is_no_cash_section() {
    let r = report::build_with_settings(
        &files()[..1],
        &CostsTable::default(),
        &settings(),
        None,
        None,
    )
    .unwrap()
    .0;
    assert!(r.cash.is_none());
    let json = serde_json::to_value(&r).unwrap();
    assert!(json["cash"].is_null());
}

#[test]
fn a_statement_refund_before_seller_discounts_is_netted_with_their_refund() {
    // The US statement gives `Gross sales refund` before seller discounts and `Seller discount refund`
    // apart (docs/formats.md §2.2): a line of 2 units at 39.99 with 11.00 of seller discount (gross
    // 68.98) refunded one unit: −39.99 + 5.50 = 34.49, not 39.99.
    let orders = file(
        "orders.csv",
        &format!(
            "{ORDERS_HEADER}\
577396316691665747,Delivered,,1729384756102938475,2,0,79.98,11.00,04/12/2026 10:00:00 AM,04/12/2026 10:00:05 AM\n"
        ),
    );
    let statement = file(
        "statement.csv",
        "Order ID,SKU ID,Order settled date,Net order margin,Gross sales,Seller discount,Gross sales refund,\
Seller discount refund,Referral fee\n\
577396316691665747,1729384756102938475,20260421,30.00,79.98,-11.00,-39.99,5.50,-4.49\n",
    );
    let r = report::build_with_settings(
        &[orders, statement],
        &CostsTable::default(),
        &settings(),
        None,
        None,
    )
    .unwrap()
    .0;
    // 68.98 − 34.49 = 34.49 net sales; the refund is the finance export's amount.
    assert_eq!(
        (r.totals.refunds.as_str(), r.totals.net_sales.as_str()),
        ("34.49", "34.49")
    );
    assert_eq!(cash(&r).refunds.from_finance, "34.49");
    // 2 × 34.49 / 68.98 = 1 unit returned.
    assert_eq!(r.totals.units_returned, 1);
}

/// The real Indonesian income export (tests/fixtures/finance), read once for the tests that use it.
fn id_income() -> ImportedFile {
    static FILE: std::sync::OnceLock<ImportedFile> = std::sync::OnceLock::new();
    FILE.get_or_init(|| {
        let name = "id_finance_income_20260317001253.xlsx";
        read_any(
            name,
            std::fs::File::open(common::fixture("finance", name)).unwrap(),
            ImportOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"))
    })
    .clone()
}

#[test]
fn the_real_income_export_settled_money_by_day() {
    let f = id_income();
    assert_eq!(f.report.currency, Some(Currency::from_code("IDR").unwrap()));
    let r = report::build(&[f], &CostsTable::default(), None, None)
        .unwrap()
        .0;
    let c = cash(&r);
    // Python (openpyxl) over `Order details`: 7,976 rows settled on 86 days from 2025/12/21 to
    // 2026/03/16; Σ Total settlement amount 427,737,721 (the `Reports` sheet's total), Σ refunds
    // (Refund subtotal after seller discounts) 17,528,699, Σ GMV Payment for TikTok Ads 5,328,000.
    assert_eq!(c.finance_by_day.len(), 86);
    let sum = |f: &dyn Fn(&report::FinanceDayEntry) -> &str| -> i64 {
        c.finance_by_day
            .iter()
            .map(|d| f(d).parse::<i64>().unwrap())
            .sum()
    };
    assert_eq!(c.finance_by_day.iter().map(|d| d.rows).sum::<u64>(), 7976);
    assert_eq!(sum(&|d| &d.settlement), 427_737_721);
    assert_eq!(sum(&|d| &d.refunds), 17_528_699);
    assert_eq!(sum(&|d| &d.ad_payments), 5_328_000);
    // Python, per day: 2025/12/21 71 rows 3,988,570; 2026/02/14 129 rows 7,138,115 (refunds 62,400);
    // 2026/03/16 177 rows 9,120,472 (refunds 201,500).
    let on = |d: NaiveDate| c.finance_by_day.iter().find(|x| x.date == d).unwrap();
    let d = on(day(2025, 12, 21));
    assert_eq!((d.rows, d.settlement.as_str()), (71, "3988570"));
    let d = on(day(2026, 2, 14));
    assert_eq!(
        (d.rows, d.settlement.as_str(), d.refunds.as_str()),
        (129, "7138115", "62400")
    );
    let d = on(day(2026, 3, 16));
    assert_eq!(
        (d.rows, d.settlement.as_str(), d.refunds.as_str()),
        (177, "9120472", "201500")
    );
    // No Orders export: no order to compare, none unsettled.
    assert_eq!(
        (c.matched_orders, c.unsettled.expected_cash.as_str()),
        (0, "0")
    );
}

#[test]
fn three_real_orders_joined_to_the_real_income_export() {
    // Orders lines written for three of the file's orders (Python, openpyxl, over `Order details`):
    // - …0853, 12 March: subtotal before discounts 120,000, seller discounts 62,376 (gross 57,624); settled
    //   16 March: Total Fees −17,481 of which Affiliate Commission −5,139; settlement 40,143
    // - …8794, 7 March: 180,000 − 101,800 = 78,200, refunded whole on its settlement (−78,200) on 16 March;
    //   Total Fees −50,051; settlement −50,051
    // - …6020, 7 March: 120,000 − 61,200 = 58,800; settled 12 March (fees −11,834, settlement 46,966),
    //   then refunded whole on 16 March (−58,800; fees −37,150; settlement −95,950)
    let orders = read_any(
        "id_orders.csv",
        format!(
            "{ORDERS_HEADER}\
583043740275410853,Completed,,1,1,0,120000,62376,12/03/2026 10:00:00,12/03/2026 10:00:05\n\
582956757160068794,Completed,,2,1,0,180000,101800,07/03/2026 10:00:00,07/03/2026 10:00:05\n\
582955320247486020,Completed,,3,1,0,120000,61200,07/03/2026 11:00:00,07/03/2026 11:00:05\n"
        )
        .as_bytes(),
        ImportOptions {
            currency: Some(Currency::from_code("IDR").unwrap()),
            ..ImportOptions::default()
        },
    )
    .unwrap();
    let (r, _) = report::build(
        &[orders, id_income()],
        &CostsTable::default(),
        None,
        Some((day(2026, 3, 1), day(2026, 3, 16))),
    )
    .unwrap();
    let c = cash(&r);
    // Platform fees are Total Fees less the affiliate commission they nest: 17,481 − 5,139 = 12,342;
    // 50,051; 11,834 + 37,150 = 48,984. No Affiliate export is loaded, so no commission is estimated:
    // …0853: 57,624 − 12,342 = 45,282 estimated, 40,143 paid, −5,139 (the creator's commission);
    // …8794: 0 − 50,051 = −50,051 both; …6020: 0 − 48,984 = −48,984, paid 46,966 − 95,950 = −48,984.
    let rows: Vec<(&str, &str, &str, &str)> = c
        .orders
        .iter()
        .map(|o| {
            (
                o.order_id.as_str(),
                o.estimated_settlement.as_str(),
                o.actual_settlement.as_str(),
                o.difference.as_str(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("583043740275410853", "45282", "40143", "-5139"),
            ("582955320247486020", "-48984", "-48984", "0"),
            ("582956757160068794", "-50051", "-50051", "0"),
        ]
    );
    // Σ: 45,282 − 50,051 − 48,984 = −53,753 estimated; 40,143 − 50,051 − 48,984 = −58,892 paid.
    assert_eq!(
        (
            c.estimated_settlement_of_matched.as_str(),
            c.actual_settlement.as_str(),
            c.settlement_difference.as_str()
        ),
        ("-53753", "-58892", "-5139")
    );
    // Net sales: 57,624 + 78,200 + 58,800 − the refunds 78,200 + 58,800 (the finance export's).
    assert_eq!(
        (r.totals.refunds.as_str(), r.totals.net_sales.as_str()),
        ("137000", "57624")
    );
    assert_eq!(
        (
            c.refunds.from_finance.as_str(),
            c.refunds.from_finance_lines
        ),
        ("137000", 2)
    );
    // By settlement date: …6020 first settled 12 March; …0853 and …8794 on 16 March
    // (45,282 − 50,051 = −4,769 estimated; 40,143 − 50,051 = −9,908 paid).
    let by_date: Vec<(NaiveDate, u64, &str, &str)> = c
        .by_settled_date
        .iter()
        .map(|d| {
            (
                d.date,
                d.orders,
                d.estimated_settlement.as_str(),
                d.actual_settlement.as_str(),
            )
        })
        .collect();
    assert_eq!(
        by_date,
        [
            (day(2026, 3, 12), 1, "-48984", "-48984"),
            (day(2026, 3, 16), 2, "-4769", "-9908"),
        ]
    );
    // Every settled row of 1–16 March (Python): 2,281 rows, 125,736,215 settled, 5,151,085 refunded.
    let rows: u64 = c.finance_by_day.iter().map(|d| d.rows).sum();
    let settled: i64 = c
        .finance_by_day
        .iter()
        .map(|d| d.settlement.parse::<i64>().unwrap())
        .sum();
    let refunds: i64 = c
        .finance_by_day
        .iter()
        .map(|d| d.refunds.parse::<i64>().unwrap())
        .sum();
    assert_eq!((rows, settled, refunds), (2281, 125_736_215, 5_151_085));
}

#[test]
fn long_lists_keep_the_orders_with_the_most_cash_to_come() {
    // 450 unsettled orders over two days (odd prices on 6 May, even ones on 7 May), priced 1.00 to
    // 450.00: each is estimated at its price − 2.00 of shipping. A finance export is loaded (one settled
    // row of another order), none of them is in it.
    let mut csv = ORDERS_HEADER.to_string();
    for i in 1..=450u32 {
        let d = if i % 2 == 1 { 6 } else { 7 };
        csv.push_str(&format!(
            "{},Delivered,,22,1,0,{i}.00,0.00,05/0{d}/2026 10:00:00 AM,05/0{d}/2026 10:00:05 AM\n",
            576100000000000000u64 + u64::from(i)
        ));
    }
    let income = file(
        "income.csv",
        "Order/adjustment ID,Type,Order created time,Order settled time,Currency,Total settlement amount\n\
576999999999999999,Order,2026/05/01,2026/05/10,USD,5.00\n",
    );
    let r = report::build_with_settings(
        &[file("orders.csv", &csv), income],
        &CostsTable::default(),
        &settings(),
        None,
        None,
    )
    .unwrap()
    .0;
    let u = &cash(&r).unsettled;
    // Σ (i − 2) for i = 1…450 = 101,475 − 900 = 100,575.00, over all 450.
    assert_eq!(
        (u.not_in_finance_orders, u.not_in_finance_estimated.as_str()),
        (450, "100575.00")
    );
    // The 200 listed are the prices 450.00 down to 251.00.
    assert_eq!(u.orders.len(), 200);
    assert_eq!(u.orders[0].estimated_settlement, "448.00");
    assert_eq!(u.orders[199].estimated_settlement, "249.00");
}
