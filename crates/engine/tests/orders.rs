//! Orders import and §1–§4 figures on hand-made and real exports. Every expected value is worked out
//! by hand in the comments (or, for the real fixtures, by a separate spreadsheet-style tally that is
//! described next to the numbers), never copied from the program's output.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use margin_engine::costs::CostsTable;
use margin_engine::import::values::DateOrder;
use margin_engine::import::{ExportKind, ImportOptions, ImportedFile, import_file};
use margin_engine::money::Currency;
use margin_engine::report::{self, Report, SkuEntry};

const HEADER: &str = "Order ID,Order Status,Order Substatus,Cancelation/Return Type,SKU ID,Seller SKU,Product Name,Variation,Quantity,Sku Quantity of return,SKU Subtotal Before Discount,SKU Platform Discount,SKU Seller Discount,Created Time,Paid Time,Shipped Time";

fn import(name: &str, text: &str) -> ImportedFile {
    match import_file(name, text.as_bytes(), ImportOptions::default()) {
        Ok(f) => f,
        Err(e) => panic!("{}", e.user_message()),
    }
}

fn sku<'a>(r: &'a Report, id: &str) -> &'a SkuEntry {
    r.skus
        .iter()
        .find(|s| s.sku_id == id)
        .unwrap_or_else(|| panic!("no SKU {id}"))
}

fn costs(text: &str) -> CostsTable {
    CostsTable::read("costs.csv", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

/// A US-shaped export with one line of every class of docs/metrics.md §1, a description row, TABs and a BOM.
fn us_sample() -> String {
    format!(
        "\u{feff}{HEADER}\n\
Platform unique order ID.,Current order status.,,The filed to explain,Platform SKU ID.,Seller sku,Platform product name.,Platform SKU variation,SKU sold quantity in the order.,SKU returned quantity,1 SKU original price.,Total platform discount,Total seller discount,Order created time,Paid time,Shipped time\n\
576000000000000001\t,Shipped,Delivered,,1729000000000000001\t,TEA-A,Tea A,Box,2,0,40.00,3.00,5.00,05/17/2026 9:41:56 PM\t,05/17/2026 9:42:00 PM\t,\t\n\
576000000000000002\t,Completed,Completed,Return/Refund,1729000000000000001\t,TEA-A,Tea A,Box,3,1,60.00,0,0,05/16/2026 10:00:00 AM\t,05/16/2026 10:00:09 AM\t,05/17/2026 8:00:00 AM\t\n\
576000000000000003\t,Canceled,Canceled,Cancel,1729000000000000001\t,TEA-A,Tea A,Box,1,1,20.00,0,0,05/15/2026 1:00:00 PM\t,05/15/2026 1:00:05 PM\t,\t\n\
576000000000000004\t,Shipped,In transit,,1729000000000000001\t,TEA-A,Tea A,Box,1,0,0,0,0,05/15/2026 2:00:00 PM\t,05/15/2026 2:00:00 PM\t,\t\n\
576000000000000005\t,Unpaid,Unpaid,,1729000000000000002\t,,Mug B,,1,0,10.00,0,0,05/15/2026 3:00:00 PM\t,\t,\t\n\
576000000000000002\t,Completed,Completed,,1729000000000000002\t,,Mug B,,1,0,15.50,0,0.50,05/16/2026 10:00:00 AM\t,05/16/2026 10:00:09 AM\t,05/17/2026 8:00:00 AM\t\n"
    )
}

#[test]
fn every_line_class_by_hand() {
    let file = import("us.csv", &us_sample());
    assert_eq!(file.report.kind, ExportKind::Orders);
    assert_eq!(file.report.currency, Some(Currency::USD));
    assert_eq!(file.report.date_order, Some(DateOrder::MonthFirst));
    assert_eq!(file.report.rows, 7, "description row + 6 lines");
    assert_eq!(
        file.report.used_rows, 5,
        "the description row and the unpaid line are not used"
    );
    let (r, _) = report::build(&[file], &costs("sku,unit_cost\nTEA-A,4.00\n"), None, None).unwrap();

    // gross_sales per line: 40−5=35 (sold), 60 (returned 1 of 3), 20 (cancelled), 0 (sample), 15.50−0.50=15 (sold).
    // gmv = 35+60+20+15 = 130; cancelled 20; refunds 60×1/3 = 20; net_sales = 90.
    let t = &r.totals;
    assert_eq!(
        (
            t.gmv.as_str(),
            t.cancelled_sales.as_str(),
            t.refunds.as_str()
        ),
        ("130.00", "20.00", "20.00")
    );
    assert_eq!(
        (
            t.net_sales.as_str(),
            t.net_revenue.as_str(),
            t.output_vat.as_str()
        ),
        ("90.00", "90.00", "0.00")
    );
    // orders with a sold or returned line: …001 and …002 → 2; units sold 2 + (3−1) + 1 = 5.
    assert_eq!(
        (t.orders, t.units_sold, t.units_returned, t.sample_units),
        (2, 5, 1, 1)
    );
    assert_eq!(t.aov.as_deref(), Some("45.00"));
    assert_eq!(t.return_rate.as_deref(), Some("16.67"), "1 / (5 + 1)");
    assert_eq!(t.cancel_rate.as_deref(), Some("15.38"), "20 / 130");
    // cogs: TEA-A 4 units × 4.00 = 16; Mug B has no cost (counted 0, flagged).
    assert_eq!(
        (t.cogs.as_str(), t.gross_profit.as_str()),
        ("16.00", "74.00")
    );
    assert_eq!(t.gross_margin_pct.as_deref(), Some("82.22"), "74 / 90");
    assert!(t.cost_missing);

    let a = sku(&r, "1729000000000000001");
    // gmv 35+60+20 = 115; net 115 − 20 − 20 = 75; cogs 16; gp 59; 59/75 = 78.666… → 78.67.
    assert_eq!(
        (a.figures.gmv.as_str(), a.figures.net_sales.as_str()),
        ("115.00", "75.00")
    );
    assert_eq!(
        (
            a.figures.orders,
            a.figures.units_sold,
            a.figures.sample_units
        ),
        (2, 4, 1)
    );
    assert_eq!(a.figures.gross_margin_pct.as_deref(), Some("78.67"));
    assert!(!a.figures.cost_missing);
    assert_eq!(a.unit_cost.as_deref(), Some("4.00"));
    let b = sku(&r, "1729000000000000002");
    assert!(b.figures.cost_missing);
    assert_eq!(
        (
            b.figures.net_sales.as_str(),
            b.figures.gross_profit.as_str()
        ),
        ("15.00", "15.00")
    );
    assert!(
        r.warnings.iter().any(|w| w.contains("1729000000000000002")),
        "{:?}",
        r.warnings
    );
    assert_eq!(
        r.skus[0].sku_id, "1729000000000000001",
        "ranked by net sales"
    );
}

#[test]
fn uk_vat_from_the_product_tax_rate() {
    let text = "Order ID,Order Status,SKU ID,Seller SKU,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time,RTH Time,Product Tax Rate\n\
577000000000000001\t,Shipped,1729000000000000009\t,MUG,2,GBP 30.00,GBP 6.00,17/05/2026 23:58:33\t,17/05/2026 23:58:36\t,\t,20%\n\
577000000000000002\t,Shipped,1729000000000000009\t,MUG,1,GBP 12.00,GBP 0.00,13/05/2026 08:00:00\t,13/05/2026 08:00:01\t,\t,0\n";
    let file = import("uk.csv", text);
    assert_eq!(file.report.currency, Some(Currency::GBP));
    assert_eq!(file.report.date_order, Some(DateOrder::DayFirst));
    assert_eq!(
        file.report
            .date_range
            .map(|(a, b)| (a.to_string(), b.to_string())),
        Some(("2026-05-13".into(), "2026-05-17".into()))
    );
    let (r, _) = report::build(
        &[file],
        &costs("Seller SKU,Unit cost\nMUG,GBP 2.50\n"),
        None,
        None,
    )
    .unwrap();
    // Line 1: 24.00 incl. 20% VAT → VAT 4.00; line 2: zero-rated. net_revenue = 36 − 4 = 32; cogs 3 × 2.50.
    assert_eq!(
        (r.totals.net_sales.as_str(), r.totals.output_vat.as_str()),
        ("36.00", "4.00")
    );
    assert_eq!(
        (r.totals.net_revenue.as_str(), r.totals.cogs.as_str()),
        ("32.00", "7.50")
    );
    assert_eq!(
        r.totals.gross_margin_pct.as_deref(),
        Some("76.56"),
        "24.50 / 32"
    );
}

#[test]
fn overlapping_files_count_each_line_once_from_the_newest_copy() {
    let old = import("old.csv", &us_sample());
    // The same order 002/A a day later, now with 2 of 3 units returned.
    let newer = format!(
        "{HEADER}\n576000000000000002\t,Completed,Completed,Return/Refund,1729000000000000001\t,TEA-A,Tea A,Box,3,2,60.00,0,0,05/16/2026 10:00:00 AM\t,05/16/2026 10:00:09 AM\t,05/18/2026 8:00:00 AM\t\n"
    );
    let newer = import("new.csv", &newer);
    let (r, _) = report::build(&[old, newer], &CostsTable::default(), None, None).unwrap();
    // refunds now 60 × 2/3 = 40; net_sales = 130 − 20 − 40 = 70.
    assert_eq!(r.totals.refunds, "40.00");
    assert_eq!(r.totals.net_sales, "70.00");
    common::assert_warns(&r.warnings, "1 order lines appear in more than one file");
}

#[test]
fn period_filter_uses_the_order_date() {
    let file = import("us.csv", &us_sample());
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default();
    let (r, _) = report::build(
        &[file],
        &CostsTable::default(),
        None,
        Some((day("2026-05-16"), day("2026-05-16"))),
    )
    .unwrap();
    // Only order 002's two lines: A (60, 1 of 3 returned) and B (15).
    assert_eq!(
        (
            r.totals.gmv.as_str(),
            r.totals.net_sales.as_str(),
            r.totals.orders
        ),
        ("75.00", "55.00", 1)
    );
}

#[test]
fn bad_files_name_file_row_and_column() {
    let e = import_file("excel.csv", format!("{HEADER}\n5.77E+17,Shipped,,,1729000000000000001,,,,1,0,1,0,0,05/17/2026 9:41:56 PM,05/17/2026 9:41:56 PM,\n").as_bytes(), ImportOptions::default()).unwrap_err();
    assert_eq!(
        (e.file.as_str(), e.row, e.column.as_deref()),
        ("excel.csv", Some(2), Some("Order ID"))
    );
    assert!(e.message.contains("spreadsheet"), "{}", e.message);

    let e = import_file(
        "x.csv",
        "Order ID,SKU ID,Order Status\n1,2,3\n".as_bytes(),
        ImportOptions::default(),
    )
    .unwrap_err();
    assert_eq!(e.row, Some(1));
    assert!(e.message.contains("Quantity"), "{}", e.message);

    let e = import_file(
        "photo.csv",
        &[0xff, 0xd8, 0xff, 0xe0, 0, 1, 2][..],
        ImportOptions::default(),
    )
    .unwrap_err();
    assert!(
        e.user_message().starts_with("photo.csv"),
        "{}",
        e.user_message()
    );

    let e = import_file("mixed.csv", format!("{HEADER}\n576000000000000001,Shipped,,,1,,,,1,0,GBP 10.00,0,0,17/05/2026 10:00:00,17/05/2026 10:00:00,\n576000000000000002,Shipped,,,1,,,,1,0,EUR 10.00,0,0,17/05/2026 10:00:00,17/05/2026 10:00:00,\n").as_bytes(), ImportOptions::default()).unwrap_err();
    assert_eq!(
        (e.row, e.column.as_deref()),
        (Some(3), Some("SKU Subtotal Before Discount"))
    );

    // A bad date in one row skips that row with a warning naming it; the rest of the file is used.
    let f = import(
        "dates.csv",
        &format!(
            "{HEADER}\n576000000000000001,Shipped,,,1,,,,1,0,10.00,0,0,05/17/2026 9:41:56 PM,05/17/2026 9:41:56 PM,\n576000000000000002,Shipped,,,1,,,,1,0,10.00,0,0,17/05/2026 9:41:56 PM,17/05/2026 9:41:56 PM,\n"
        ),
    );
    assert_eq!(f.report.used_rows, 1);
    assert!(
        f.report.warnings[0].starts_with("row 3, column \"Created Time\""),
        "{:?}",
        f.report.warnings
    );
}

#[test]
fn several_currencies_are_never_added() {
    let us = import("us.csv", &us_sample());
    let uk = import(
        "uk.csv",
        "Order ID,Order Status,SKU ID,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n577000000000000001,Shipped,9,1,GBP 5.00,GBP 0,17/05/2026 10:00:00,17/05/2026 10:00:00\n",
    );
    let files = [us, uk];
    assert!(report::build(&files, &CostsTable::default(), None, None).is_err());
    let (r, _) = report::build(&files, &CostsTable::default(), Some(Currency::GBP), None).unwrap();
    assert_eq!(r.totals.gmv, "5.00");
    assert!(r.warnings.iter().any(|w| w.contains("us.csv is in USD")));
}

fn fixture(name: &str) -> ImportedFile {
    let path = common::fixture("tiktok", name);
    let f = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    import_file(name, std::io::BufReader::new(f), ImportOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Expected values tallied separately from the raw CSV (a Python `csv.DictReader` pass over the file, by
/// the rules of docs/metrics.md §1–§2 written out independently: skip blank `Paid Time`; subtotal 0 → sample;
/// `Canceled` → cancelled; gross = subtotal − seller discount), then multiplied out by hand below.
#[test]
fn real_us_orders_export() {
    let f = fixture("us_orders_2026-05-17.csv");
    assert_eq!((f.report.rows, f.report.used_rows), (349, 349));
    assert_eq!(f.report.currency, Some(Currency::USD));
    assert_eq!(f.report.date_order, Some(DateOrder::MonthFirst));
    assert!(
        f.report
            .ignored_columns
            .iter()
            .any(|c| c == "Shipping Information")
    );
    let c = costs("Seller SKU,Unit cost\nAW-6RME-O0CZ,6.50\n");
    let (r, _) = report::build(&[f], &c, None, None).unwrap();
    // Totals: gmv 7360.07, cancelled 404.45 (13 lines), no returns in this export → net 6955.62.
    assert_eq!(
        (r.totals.gmv.as_str(), r.totals.cancelled_sales.as_str()),
        ("7360.07", "404.45")
    );
    assert_eq!(
        (r.totals.refunds.as_str(), r.totals.net_sales.as_str()),
        ("0.00", "6955.62")
    );
    assert_eq!(
        (r.totals.orders, r.totals.units_sold, r.totals.sample_units),
        (251, 260, 85)
    );
    // SKU 1731877424524333233 (seller SKU AW-6RME-O0CZ): gmv 2325.22, cancelled 106.95 → net 2218.27;
    // 101 units × 6.50 = 656.50; gross profit 1561.77; 1561.77 / 2218.27 = 70.404…%.
    let s = sku(&r, "1731877424524333233");
    assert_eq!(s.seller_sku, "AW-6RME-O0CZ");
    assert_eq!(
        (
            s.figures.gmv.as_str(),
            s.figures.cancelled_sales.as_str(),
            s.figures.net_sales.as_str()
        ),
        ("2325.22", "106.95", "2218.27")
    );
    assert_eq!(
        (
            s.figures.units_sold,
            s.figures.sample_units,
            s.figures.orders
        ),
        (101, 10, 98)
    );
    assert_eq!(
        (s.figures.cogs.as_str(), s.figures.gross_profit.as_str()),
        ("656.50", "1561.77")
    );
    assert_eq!(s.figures.gross_margin_pct.as_deref(), Some("70.40"));
    assert_eq!(
        r.skus[0].sku_id, "1731877424524333233",
        "the best seller by net sales"
    );
}

#[test]
fn real_uk_orders_export() {
    let f = fixture("uk_orders_2026-05-17.csv");
    assert_eq!(f.report.rows, 896);
    assert_eq!(f.report.currency, Some(Currency::GBP));
    assert_eq!(f.report.date_order, Some(DateOrder::DayFirst));
    let unpaid = f
        .report
        .skipped
        .iter()
        .find(|s| s.reason == "unpaid")
        .map_or(0, |s| s.count);
    assert_eq!(f.report.used_rows + unpaid, 896);
    let c = costs("sku,unit_cost\nTC-100 G,GBP 3.10\n");
    let (r, _) = report::build(&[f], &c, None, None).unwrap();
    assert_eq!(
        (r.totals.gmv.as_str(), r.totals.cancelled_sales.as_str()),
        ("23439.17", "508.00")
    );
    assert_eq!(
        (
            r.totals.net_sales.as_str(),
            r.totals.orders,
            r.totals.units_sold
        ),
        ("22931.17", 618, 631)
    );
    // Product Tax Rate is 0 on every paid line of this shop: no output VAT.
    assert_eq!(r.totals.output_vat, "0.00");
    // SKU 1729581609641744555 (TC-100 G): gmv 8751.37 − cancelled 149.55 = 8601.82; 348 × 3.10 = 1078.80;
    // gross profit 7523.02; 7523.02 / 8601.82 = 87.458…%.
    let s = sku(&r, "1729581609641744555");
    assert_eq!(
        (s.figures.net_sales.as_str(), s.figures.cogs.as_str()),
        ("8601.82", "1078.80")
    );
    assert_eq!(
        (
            s.figures.units_sold,
            s.figures.orders,
            s.figures.sample_units
        ),
        (348, 346, 22)
    );
    assert_eq!(
        (
            s.figures.gross_profit.as_str(),
            s.figures.gross_margin_pct.as_deref()
        ),
        ("7523.02", Some("87.46"))
    );
}

#[test]
fn uk_layout_without_currency_codes_reads_day_first_in_pounds() {
    // A UK export re-saved by a spreadsheet: "GBP " prefixes gone, every date ambiguous (day ≤ 12).
    let text = "Order ID,Order Status,SKU ID,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time,RTH Time\n\
577000000000000001,Shipped,1,1,12.00,0,03/05/2026 10:00:00,03/05/2026 10:00:05,\n";
    let f = import("uk_resaved.csv", text);
    assert_eq!(f.report.currency, Some(Currency::GBP));
    assert_eq!(f.report.date_order, Some(DateOrder::DayFirst));
    assert_eq!(
        f.order_lines()[0].created.to_string(),
        "2026-05-03 10:00:00"
    );
    assert!(
        f.report.evidence.contains("UK column layout"),
        "{}",
        f.report.evidence
    );
}

#[test]
fn localised_headers_are_read_through_the_same_aliases() {
    // Thai affiliate export headers (docs/formats.md §3.1): Order ID, Creator username, Seller SKU, Quantity,
    // Est. standard commission payment, Est. Shop Ads commission payment.
    let text = "หมายเลขคำสั่งซื้อ,ชื่อผู้ใช้ของครีเอเตอร์,SKU ของผู้ขาย,ปริมาณ,การจ่ายค่าคอมมิชชั่นมาตรฐานโดยประมาณ,การจ่ายค่าคอมมิชชั่นโฆษณาร้านค้าโดยประมาณ\n\
578100000000000001,creator_th,TEA-1,2,15.50,\n";
    let f = import("creator_order_all_th.csv", text);
    assert_eq!(f.report.kind, ExportKind::AffiliateOrders);
    let margin_engine::import::FileData::Affiliate(rows) = &f.data else {
        panic!()
    };
    assert_eq!(
        (
            rows[0].creator.as_str(),
            rows[0].seller_sku.as_str(),
            rows[0].quantity
        ),
        ("creator_th", "TEA-1", 2)
    );
    assert_eq!(rows[0].commission().to_string(), "15.50");
}
