//! UK VAT when the export's tax columns are 0 (issue 19; docs/metrics.md §2 output_vat): the seller's answer
//! to "is the shop VAT-registered?" is a setting the engine applies to lines whose export and costs sheet
//! give no rate; an explicit rate in the export still wins, and without an answer nothing changes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use margin_engine::costs::CostsTable;
use margin_engine::import::{ImportOptions, ImportedFile, import_file};
use margin_engine::report;
use margin_engine::settings::{Settings, VatSetting, standard_vat_rate};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const HEADER: &str = "Order ID,Order Status,SKU ID,Seller SKU,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time,RTH Time,Product Tax Amount,Product Tax Rate\n";

fn import(text: &str) -> ImportedFile {
    import_file("uk.csv", text.as_bytes(), ImportOptions::default()).unwrap()
}

/// One UK line of £39.99 with its tax columns at £0.00 / 0 (as a shop's export shows them).
fn zero_tax_line() -> ImportedFile {
    import(&format!(
        "{HEADER}577000000000000001\t,Shipped,1729000000000000009\t,MUG,1,GBP 39.99,GBP 0.00,17/05/2026 23:58:33\t,17/05/2026 23:58:36\t,\t,GBP 0.00,0\n"
    ))
}

fn settings(registered: bool) -> Settings {
    Settings {
        vat: vec![VatSetting {
            market: "GB".into(),
            registered,
            rate: dec!(0.20),
        }],
        ..Settings::default()
    }
}

fn vat_and_revenue(file: ImportedFile, s: &Settings) -> (Decimal, Decimal) {
    let built = report::build_detailed(&[file], &CostsTable::default(), s, None, None).unwrap();
    let t = &built.analysis.totals;
    (t.output_vat, t.net_revenue())
}

#[test]
fn a_zero_tax_export_is_flagged_for_the_question() {
    let f = zero_tax_line();
    assert!(!f.report.vat_in_export);
    assert_eq!(f.report.market.as_deref(), Some("GB"));
    assert_eq!(standard_vat_rate("GB"), Some(dec!(0.20)));
    assert_eq!(standard_vat_rate("US"), None);
}

#[test]
fn registered_uk_shop_takes_vat_out_of_a_zero_tax_line() {
    // £39.99 includes 20 % VAT: VAT = 39.99 × 0.20 / 1.20 = 7.998 / 1.20 = 6.665;
    // net revenue = 39.99 − 6.665 = 33.325.
    assert_eq!(
        vat_and_revenue(zero_tax_line(), &settings(true)),
        (dec!(6.665), dec!(33.325))
    );
}

#[test]
fn not_registered_or_not_answered_keeps_the_price_as_revenue() {
    assert_eq!(
        vat_and_revenue(zero_tax_line(), &settings(false)),
        (dec!(0), dec!(39.99))
    );
    assert_eq!(
        vat_and_revenue(zero_tax_line(), &Settings::default()),
        (dec!(0), dec!(39.99))
    );
}

#[test]
fn the_exports_own_rate_wins_and_its_zero_rated_lines_stay_zero() {
    // Line 1: £24.00 at 20 % → VAT 24 × 0.2 / 1.2 = 4.00. Line 2: an explicit 0 % in a file that carries
    // rates is a zero-rated line: no VAT even for a registered shop. Net revenue = 24 + 12 − 4 = 32.
    let f = import(&format!(
        "{HEADER}577000000000000001\t,Shipped,1729000000000000009\t,MUG,2,GBP 30.00,GBP 6.00,17/05/2026 23:58:33\t,17/05/2026 23:58:36\t,\t,GBP 4.00,20%\n\
         577000000000000002\t,Shipped,1729000000000000010\t,BOOK,1,GBP 12.00,GBP 0.00,13/05/2026 08:00:00\t,13/05/2026 08:00:01\t,\t,GBP 0.00,0\n"
    ));
    assert!(f.report.vat_in_export);
    assert_eq!(
        vat_and_revenue(f, &settings(true)),
        (dec!(4.00), dec!(32.00))
    );
}

#[test]
fn the_answer_survives_the_settings_document() {
    let s = settings(true);
    let back = Settings::from_json(&s.to_json()).unwrap();
    assert_eq!(back.vat_rate_for("gb"), dec!(0.20));
    assert!(back.vat_answered("GB"));
    assert!(!back.vat_answered("DE"));
    // Older documents have no `vat`: nothing answered.
    let old = Settings::from_json(r#"{"version":1}"#).unwrap();
    assert!(old.vat.is_empty());
}

#[test]
fn the_page_collects_the_rate_in_percent() {
    let v = VatSetting::from_percent("gb", true, " 20 % ").unwrap();
    assert_eq!(
        (v.market.as_str(), v.registered, v.rate),
        ("GB", true, dec!(0.20))
    );
    assert_eq!(
        VatSetting::from_percent("DE", true, "17.5").unwrap().rate,
        dec!(0.175)
    );
    assert!(VatSetting::from_percent("GB", true, "abc").is_err());
    assert!(VatSetting::from_percent("GB", true, "-1").is_err());
    assert!(VatSetting::from_percent("GB", true, "100").is_err());
    assert_eq!(VatSetting::percent_text(dec!(0.20)), "20");
    assert_eq!(VatSetting::percent_text(dec!(0.175)), "17.5");
}

#[test]
fn forgetting_a_costs_sheet_takes_out_only_its_skus() {
    let mut table = CostsTable::read("a.csv", &b"SKU,Unit cost\nA,1.00\nB,2.00\n"[..]).unwrap();
    let demo = CostsTable::read("d.csv", &b"SKU,Unit cost\nB,9.00\n"[..]).unwrap();
    table.forget(&demo);
    let skus: Vec<&str> = table.entries.iter().map(|e| e.sku.as_str()).collect();
    assert_eq!(skus, ["A"]);
}
