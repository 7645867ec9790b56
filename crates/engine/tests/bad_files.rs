//! The bad-input corpus (tests/fixtures/bad, see its README): every file gives its documented outcome —
//! a message naming file, row and column, or a correct import — and none panics.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use margin_engine::costs::CostsTable;
use margin_engine::import::{ImportError, ImportOptions, ImportedFile, read_any};
use margin_engine::report;
use std::path::PathBuf;

fn path(name: &str) -> PathBuf {
    common::fixture("bad", name)
}

fn read(name: &str) -> Result<ImportedFile, ImportError> {
    let f = std::fs::File::open(path(name)).unwrap();
    read_any(name, f, ImportOptions::default())
}

fn ok(name: &str) -> ImportedFile {
    read(name).unwrap_or_else(|e| panic!("{name} should import: {e}"))
}

fn err(name: &str) -> ImportError {
    match read(name) {
        Ok(f) => panic!("{name} should fail, got {:?}", f.report),
        Err(e) => {
            assert_eq!(e.file, name);
            assert!(e.user_message().starts_with(name));
            e
        }
    }
}

fn gmv(files: &[ImportedFile]) -> String {
    report::build(files, &CostsTable::default(), None, None)
        .unwrap()
        .0
        .totals
        .gmv
}

#[test]
fn unreadable_files_say_so() {
    assert_eq!(err("empty.csv").message, "the file is empty");
    for name in [
        "binary_renamed.csv",
        "png_renamed.csv",
        "wide_10000_columns.csv",
        "bom_only.csv",
        "html_renamed.xlsx",
    ] {
        assert!(
            err(name).message.starts_with("not a file Margin Lab reads"),
            "{name}"
        );
    }
    // A known export Margin Lab does not read yet is named, with where the one it reads is (issue 19).
    let m = err("unsupported_export.csv").message;
    assert!(
        m.contains("Shop Analytics key metrics") && m.contains("Seller Center → Orders → Export"),
        "{m}"
    );
    assert!(
        err("zip_not_xlsx.xlsx")
            .message
            .contains("not an Excel workbook")
    );
}

#[test]
fn empty_exports_import_with_a_warning() {
    for name in ["header_only.csv", "description_row_only.csv"] {
        let f = ok(name);
        assert_eq!(f.report.used_rows, 0, "{name}");
        assert!(
            f.report
                .warnings
                .iter()
                .any(|w| w.contains("no order rows")),
            "{name}: {:?}",
            f.report.warnings
        );
    }
}

#[test]
fn what_excel_does_is_undone() {
    // The same two lines (gross 39.98 − 5.00 and 12.00) through every encoding and delimiter.
    for name in [
        "utf16le_bom_tab.csv",
        "semicolon.csv",
        "tab_delimited.csv",
        "excel_reformatted_dates.csv",
        "duplicate_upload_a.csv",
        "crlf_quoted_newline.csv",
        "xlsx_wrong_dimension.xlsx",
        "xlsx_huge_dimension.xlsx",
    ] {
        let f = ok(name);
        assert_eq!(f.report.used_rows, 2, "{name}: {:?}", f.report.warnings);
        assert_eq!(gmv(&[f]), "46.98", "{name}");
    }
    assert_eq!(ok("utf16le_bom_tab.csv").report.encoding, "UTF-16LE");
    let latin = ok("latin1.csv");
    assert_eq!(latin.report.encoding, "Windows-1252");
    assert_eq!(&*latin.order_lines()[0].product_name, "Thé, café");
}

#[test]
fn mangled_values_name_row_and_column() {
    let e = err("excel_resaved_ids.csv");
    assert_eq!((e.row, e.column.as_deref()), (Some(2), Some("Order ID")));
    let e = err("excel_resaved_sku.csv");
    assert_eq!((e.row, e.column.as_deref()), (Some(2), Some("SKU ID")));
    let e = err("mixed_currencies.csv");
    assert_eq!(
        (e.row, e.column.as_deref()),
        (Some(3), Some("SKU Subtotal Before Discount"))
    );
    assert!(e.message.contains("EUR") && e.message.contains("GBP"));
    let e = err("ads_mixed_currencies.csv");
    assert_eq!((e.row, e.column.as_deref()), (Some(3), Some("Currency")));
    assert!(e.message.contains("USD") && e.message.contains("GBP"));
}

#[test]
fn line_breaks_inside_quotes_stay_in_the_cell() {
    let f = ok("crlf_quoted_newline.csv");
    assert_eq!(&*f.order_lines()[0].product_name, "Tea,\r\nloose");
    assert_eq!(&*f.order_lines()[1].seller_sku, "MUG-1");
}

#[test]
fn bad_rows_are_skipped_with_a_warning_naming_them() {
    let f = ok("negative_quantity.csv");
    assert_eq!(f.report.used_rows, 1);
    assert!(
        f.report.warnings[0].starts_with("row 2, column \"Quantity\""),
        "{:?}",
        f.report.warnings
    );
    let f = ok("year_9999.csv");
    assert_eq!(f.report.used_rows, 0);
    assert!(
        f.report.warnings[0].starts_with("row 2, column \"Created Time\""),
        "{:?}",
        f.report.warnings
    );
    for (name, used) in [("truncated_mid_row.csv", 1), ("truncated_mid_quote.csv", 0)] {
        let f = ok(name);
        assert_eq!(f.report.used_rows, used, "{name}");
        assert!(
            f.report.warnings.iter().any(|w| w.contains("cut off")),
            "{name}: {:?}",
            f.report.warnings
        );
    }
}

#[test]
fn other_sides_exports_are_refused_with_what_to_download() {
    for name in ["creator_side_affiliate.csv", "partner_side_affiliate.csv"] {
        let e = err(name);
        assert_eq!(e.row, Some(1));
        assert!(
            e.message.contains("Seller Center → Affiliate → Orders"),
            "{name}: {}",
            e.message
        );
    }
}

#[test]
fn bad_costs_sheets_name_row_and_column() {
    let e = CostsTable::read(
        "costs_bad_value.csv",
        std::fs::File::open(path("costs_bad_value.csv")).unwrap(),
    )
    .unwrap_err();
    assert_eq!((e.row, e.column.as_deref()), (Some(3), Some("unit_cost")));
    let e = CostsTable::read(
        "costs_negative.csv",
        std::fs::File::open(path("costs_negative.csv")).unwrap(),
    )
    .unwrap_err();
    assert_eq!(e.row, Some(2));
}

#[test]
fn duplicate_uploads_count_once() {
    let files = [ok("duplicate_upload_a.csv"), ok("duplicate_upload_b.csv")];
    let (r, _) = report::build(&files, &CostsTable::default(), None, None).unwrap();
    assert_eq!(r.totals.gmv, "46.98");
    assert_eq!(r.totals.orders, 2);
    common::assert_warns(&r.warnings, "2 order lines appear in more than one file");
}

#[test]
fn overlapping_uploads_count_shared_lines_once() {
    let files = [ok("duplicate_upload_a.csv"), ok("overlapping_upload_c.csv")];
    let (r, _) = report::build(&files, &CostsTable::default(), None, None).unwrap();
    // a: 34.98 + 12.00; c: the same 12.00 line again and a new 12.00 line.
    assert_eq!(r.totals.gmv, "58.98");
    assert_eq!(r.totals.orders, 3);
    common::assert_warns(&r.warnings, "1 order lines appear in more than one file");
}

#[test]
fn the_corpus_has_a_readme_line_for_every_file() {
    let readme = std::fs::read_to_string(path("README.md")).unwrap();
    let mut files = 0;
    for e in std::fs::read_dir(path("")).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".csv") || name.ends_with(".xlsx") {
            files += 1;
            assert!(readme.contains(&name), "{name} has no line in README.md");
        }
    }
    assert!(files >= 30, "{files} files");
}

#[test]
fn a_10_mb_cell_imports() {
    let header = "Order ID,Order Status,SKU ID,Product Name,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n";
    let name = "N".repeat(10 * 1024 * 1024);
    let text = format!(
        "{header}577396316691665747,Shipped,1729581609641744555,\"{name}\",1,10.00,0,05/17/2026 9:41:56 PM,05/17/2026 9:42:00 PM\n"
    );
    let f = read_any("huge.csv", text.as_bytes(), ImportOptions::default()).unwrap();
    assert_eq!(f.order_lines()[0].product_name.len(), 10 * 1024 * 1024);
}

#[test]
fn earlier_files_are_unaffected_by_a_failing_one() {
    // The engine keeps no state between files: a failure returns an error and the caller's list is unchanged.
    let mut loaded = vec![ok("duplicate_upload_a.csv")];
    if let Ok(f) = read("excel_resaved_ids.csv") {
        loaded.push(f);
    }
    assert_eq!(loaded.len(), 1);
    assert_eq!(gmv(&loaded), "46.98");
}
