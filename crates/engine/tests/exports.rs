//! Every export kind, read from the hand-made XLSX fixtures of tests/fixtures/handmade (shaped as
//! docs/formats.md describes; see that folder's README). Expected values are the ones written into the
//! fixtures by make_fixtures.py, and sums worked out by hand in the comments.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use margin_engine::costs::CostsTable;
use margin_engine::import::{ExportKind, FileData, ImportOptions, ImportedFile, read_any};
use margin_engine::ledger::FinanceRow;
use margin_engine::money::Currency;
use margin_engine::report;
use rust_decimal_macros::dec;

fn read(name: &str) -> ImportedFile {
    let p = common::fixture("handmade", name);
    read_any(
        name,
        std::fs::File::open(p).unwrap(),
        ImportOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn finance(f: &ImportedFile) -> &[FinanceRow] {
    match &f.data {
        FileData::Finance(r) => r,
        other => panic!("not finance: {other:?}"),
    }
}

#[test]
fn orders_xlsx_with_description_row_and_wrong_dimension() {
    let f = read("orders_us_orderskulist.xlsx");
    assert_eq!(f.report.kind, ExportKind::Orders);
    assert_eq!(f.report.encoding, "xlsx");
    // 6 rows after the header: the description row (skipped) and 5 lines.
    assert_eq!((f.report.rows, f.report.used_rows), (6, 5));
    assert_eq!(f.report.skipped[0].reason, "description row");
    let l = &f.order_lines()[0];
    assert_eq!(
        (l.order_id.as_str(), &*l.sku_id),
        ("577396316691665747", "1729384756102938475")
    );
    assert_eq!(l.created.to_string(), "2026-05-17 21:41:56");
    let (r, _) = report::build(&[f], &CostsTable::default(), None, None).unwrap();
    // gross: 39.99 − 5.5 = 34.49; 12.5; 25; canceled 24; the sample 0 → gmv 95.99, net 71.99.
    assert_eq!(
        (r.totals.gmv.as_str(), r.totals.net_sales.as_str()),
        ("95.99", "71.99")
    );
    assert_eq!((r.totals.orders, r.totals.sample_units), (2, 1));
}

#[test]
fn excel_resaved_numeric_ids_are_refused_with_sheet_row_and_column() {
    let p = common::fixture("handmade", "numeric_ids.xlsx");
    let e = read_any(
        "numeric_ids.xlsx",
        std::fs::File::open(p).unwrap(),
        ImportOptions::default(),
    )
    .unwrap_err();
    assert_eq!((e.row, e.column.as_deref()), (Some(2), Some("Order ID")));
    assert!(
        e.file.contains("numeric_ids.xlsx") && e.file.contains("OrderSKUList"),
        "{}",
        e.file
    );
}

#[test]
fn finance_income_order_details() {
    let f = read("finance_income_order_details.xlsx");
    assert_eq!(f.report.kind, ExportKind::FinanceIncome);
    assert_eq!(f.report.currency, Currency::from_code("PHP"));
    let rows = finance(&f);
    assert_eq!(rows.len(), 4);
    // Headers with trailing spaces and a TAB ("Type ", "Order/adjustment ID  ") are matched.
    let sale = &rows[0];
    assert_eq!(
        (sale.id.as_str(), sale.kind.as_str(), sale.order_id.as_str()),
        ("578012345678901234", "Order", "578012345678901234")
    );
    assert_eq!(
        sale.settled.map(|d| d.to_string()).as_deref(),
        Some("2026-05-17")
    );
    assert_eq!(sale.amounts.settlement, Some(dec!(850.36)));
    assert_eq!(sale.amounts.total_fees, Some(dec!(-249.64)));
    assert_eq!(sale.amounts.affiliate_commission, Some(dec!(-110)));
    assert!(rows[2].is_ads_payment(), "GMV Payment for TikTok Ads");
    // "Ajustment amount" (sic) and the related order of an adjustment.
    assert_eq!(rows[3].amounts.adjustment, Some(dec!(-50)));
    assert_eq!(rows[3].order_id, "578012345678901234");
    assert!(
        f.report
            .ignored_columns
            .iter()
            .any(|c| c == "Estimated package weight (g)")
    );
}

#[test]
fn statement_pl_orders_and_adjustment_sheets() {
    let f = read("statement_pl_us_2026.xlsx");
    assert_eq!(f.report.kind, ExportKind::FinanceStatement);
    let rows = finance(&f);
    let line = rows
        .iter()
        .find(|r| r.sku_id == "1729384756102938475")
        .unwrap();
    // Header on row 6; YYYYMMDD integer dates.
    assert_eq!(
        line.settled.map(|d| d.to_string()).as_deref(),
        Some("2026-04-21")
    );
    assert_eq!(line.amounts.settlement, Some(dec!(28.65)));
    assert_eq!(line.amounts.platform_commission, Some(dec!(-3.11)));
    let sample = rows
        .iter()
        .find(|r| r.sku_id == "1729384756102938479")
        .unwrap();
    assert!(sample.sample);
    assert!(
        rows.iter().any(|r| r.kind.starts_with("Net earnings")),
        "the Adjustment sheet is read too"
    );
}

#[test]
fn actual_fees_from_the_statement_replace_the_modelled_ones() {
    let (r, _) = report::build(
        &[
            read("orders_us_orderskulist.xlsx"),
            read("statement_pl_us_2026.xlsx"),
        ],
        &CostsTable::default(),
        None,
        None,
    )
    .unwrap();
    let sku = |id: &str| r.skus.iter().find(|s| s.sku_id == id).unwrap();
    // Line …475: referral 3.11 + sales tax on fees 0.26 + transaction 1.05 = 4.42; shipping 1.42.
    assert_eq!(
        (
            sku("1729384756102938475").figures.platform_fees.as_str(),
            sku("1729384756102938475").figures.shipping.as_str()
        ),
        ("4.42", "1.42")
    );
    // Lines …476 (1 + 0.5) and …477 (2 + 1).
    assert_eq!(sku("1729384756102938476").figures.platform_fees, "1.50");
    assert_eq!(sku("1729384756102938477").figures.platform_fees, "3.00");
    assert_eq!(r.totals.lines_with_actual_fees, 3);
    assert_eq!(r.totals.actual_fees, "8.92");
    // Per order: …747 actual 4.42 vs modelled 6 % × 34.49 = 2.0694 → +2.35 (the statement also charges
    // sales tax on the fee and a transaction fee, which the US rules do not model).
    let c = r
        .fee_checks
        .iter()
        .find(|c| c.order_id == "577396316691665747")
        .unwrap();
    assert_eq!(
        (
            c.actual_fees.as_str(),
            c.modelled_fees.as_str(),
            c.difference.as_str()
        ),
        ("4.42", "2.07", "2.35")
    );
}

#[test]
fn on_hold_export_rows_are_estimates() {
    let f = read("onhold_unsettled.xlsx");
    assert_eq!(f.report.kind, ExportKind::FinanceOnHold);
    let rows = finance(&f);
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r.estimated));
    assert_eq!(rows[0].amounts.settlement, Some(dec!(28.07)));
    // "Delivered + 1 days" is not a date: the row stays, without a settled date.
    assert_eq!(rows[0].settled, None);
    assert_eq!(
        rows[0].created.map(|d| d.to_string()).as_deref(),
        Some("2026-05-18")
    );
    assert_eq!(
        rows[2].order_id, "577396316691665751",
        "the adjustment's related order"
    );
}

#[test]
fn gmv_max_and_ads_manager_costs() {
    let g = read("gmv_max_campaign.xlsx");
    assert_eq!(g.report.kind, ExportKind::GmvMaxCampaign);
    assert_eq!(
        (g.report.rows, g.report.used_rows),
        (4, 3),
        "the TOTAL row is skipped"
    );
    let a = read("ads_manager_cost.xlsx");
    assert_eq!(a.report.kind, ExportKind::AdsManagerCost);
    let FileData::Ads(rows) = &a.data else {
        panic!()
    };
    // Amounts are negative in Ads Manager; cost is their negation. Dates are Excel serials 46143, 46144.
    assert_eq!(
        rows.iter().map(|r| r.cost).sum::<rust_decimal::Decimal>(),
        dec!(67.51)
    );
    assert_eq!(rows[0].date.to_string(), "2026-05-01");
    let FileData::Ads(g_rows) = &g.data else {
        panic!()
    };
    assert_eq!(
        g_rows.iter().map(|r| r.cost).sum::<rust_decimal::Decimal>(),
        dec!(67.75)
    );
}

#[test]
fn ad_spend_is_allocated_by_net_sales_and_never_counted_twice() {
    // One order line on 2026-05-01 and one on 2026-05-02 (hand-made CSV), and the GMV Max days above.
    let csv = "Order ID,Order Status,SKU ID,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n\
               576000000000000001,Shipped,1,1,30.00,0,05/01/2026 9:00:00 AM,05/01/2026 9:00:01 AM\n\
               576000000000000002,Shipped,2,1,10.00,0,05/02/2026 9:00:00 AM,05/02/2026 9:00:01 AM\n\
               576000000000000003,Shipped,1,1,30.00,0,05/02/2026 9:00:00 AM,05/02/2026 9:00:01 AM\n";
    let orders = read_any("o.csv", csv.as_bytes(), ImportOptions::default()).unwrap();
    let gmv_max = read("gmv_max_campaign.xlsx");
    let (r, _) = report::build(
        &[orders.clone(), gmv_max],
        &CostsTable::default(),
        None,
        None,
    )
    .unwrap();
    // 05-01: 25.50 all to SKU 1. 05-02: 30.00 split 10:30 → SKU 2 7.50, SKU 1 22.50. 05-03 has no sales:
    // its 12.25 is spread over the period by net sales (SKU 1 60/70, SKU 2 10/70).
    // SKU 1: 25.50 + 22.50 + 10.50 = 58.50; SKU 2: 7.50 + 1.75 = 9.25; total 67.75.
    let sku = |id: &str| r.skus.iter().find(|s| s.sku_id == id).unwrap();
    assert_eq!(sku("1").figures.ad_spend, "58.50");
    assert_eq!(sku("2").figures.ad_spend, "9.25");
    assert_eq!(r.totals.ad_spend, "67.75");
    assert_eq!(r.ads.reported_roas.as_deref(), Some("3.72"), "252 / 67.75");
    // With the finance export's ad payment as well, the ads export wins: still 67.75.
    let income_usd = {
        let mut f = read("finance_income_order_details.xlsx");
        f.report.currency = None;
        f
    };
    let (r2, _) = report::build(
        &[orders, read("gmv_max_campaign.xlsx"), income_usd],
        &CostsTable::default(),
        None,
        None,
    )
    .unwrap();
    assert_eq!(r2.totals.ad_spend, "67.75");
}

#[test]
fn income_export_fees_exclude_commission_and_shipping_nested_in_total_fees() {
    // An Orders line for the income fixture's sale 578012345678901234 (PHP): 1200 − 100 seller discount.
    let csv = "Order ID,Order Status,SKU ID,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n\
               578012345678901234,Completed,99,1,PHP 1200.00,PHP 100.00,10/05/2026 09:00:00,10/05/2026 09:00:05\n";
    let orders = read_any("ph.csv", csv.as_bytes(), ImportOptions::default()).unwrap();
    let (r, _) = report::build(
        &[orders, read("finance_income_order_details.xlsx")],
        &CostsTable::default(),
        None,
        None,
    )
    .unwrap();
    assert_eq!(r.currency, Currency::from_code("PHP").unwrap());
    // Total fees −249.64 = transaction −24.64 + commission fee −55 + seller shipping −60 + affiliate −110:
    // platform fees 79.64, shipping 60.00 (the affiliate commission comes from the Affiliate export).
    assert_eq!(
        (r.totals.platform_fees.as_str(), r.totals.shipping.as_str()),
        ("79.64", "60.00")
    );
    // Settlement of the order: 850.36, and the violation fee adjustment tied to it: −50.
    assert_eq!(r.waterfall.actual_settlement.as_deref(), Some("800.36"));
}

#[test]
fn costs_sheet_as_xlsx() {
    let f = read("costs_sheet.xlsx");
    assert_eq!(f.report.kind, ExportKind::Costs);
    let FileData::Costs(t) = &f.data else {
        panic!()
    };
    let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 5, d).unwrap();
    // 4.2 until 9 May, 4.6 from 10 May (effective_from), by seller SKU.
    assert_eq!(t.unit_cost("x", "MUG-BLK-12", day(9)), Some(dec!(4.2)));
    assert_eq!(t.unit_cost("x", "MUG-BLK-12", day(10)), Some(dec!(4.6)));
    assert_eq!(
        t.fulfillment_per_unit_opt("x", "MUG-BLK-12"),
        Some(dec!(0.8))
    );
    assert_eq!(t.product_group("x", "MUG-BLK-12"), Some("Travel Mug"));
    // By SKU ID, with a 20 % VAT rate.
    assert_eq!(
        t.unit_cost("1729384756102938476", "", day(1)),
        Some(dec!(3.05))
    );
    assert_eq!(t.vat_rate("1729384756102938476", ""), dec!(0.20));
}

#[test]
fn affiliate_orders_uk_as_xlsx() {
    let f = read("affiliate_orders_uk.xlsx");
    assert_eq!(f.report.kind, ExportKind::AffiliateOrders);
    assert_eq!(f.report.currency, Currency::from_code("GBP"));
    let FileData::Affiliate(rows) = &f.data else {
        panic!()
    };
    assert_eq!(rows.len(), 3);
    // Settled: the Actual 2.80 replaces the Est. 3.00. Pending Shop Ads: Est. 4.00. Ineligible: 0.
    assert_eq!(rows[0].commission(), dec!(2.8));
    assert_eq!(
        (rows[1].shop_ads_commission(), rows[1].quantity),
        (dec!(4), 2)
    );
    assert_eq!(rows[2].commission(), dec!(0));
    assert!(rows[2].fully_returned);
    // Day-first dates in every market: 13/05/2026.
    assert_eq!(rows[1].created.to_string(), "2026-05-13 21:00:00");
    assert!(
        f.report
            .ignored_columns
            .iter()
            .any(|c| c == "Creator Region")
    );
}
