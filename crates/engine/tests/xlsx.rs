//! The XLSX reader on the hand-made workbooks of `tests/fixtures/handmade/` (made by `make_fixtures.py` there).
//! Every expected cell is the value the script writes into the fixture, copied from the script (never from
//! the reader's output); serial dates are worked out by hand in the comments.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use margin_engine::import::xlsx::{Row, Sheet, read_workbook, serial_to_datetime};
use std::io::Read;

fn bytes(name: &str) -> Vec<u8> {
    common::fixture_bytes("handmade", name)
}

fn workbook(name: &str) -> Vec<Sheet> {
    read_workbook(&bytes(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn names(sheets: &[Sheet]) -> Vec<&str> {
    sheets.iter().map(|s| s.name.as_str()).collect()
}

fn sheet<'a>(sheets: &'a [Sheet], name: &str) -> &'a Sheet {
    sheets
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no sheet {name}"))
}

fn numbers(sheet: &Sheet) -> Vec<u32> {
    sheet.rows.iter().map(|r| r.number).collect()
}

/// The header row as the importers will find it: the first row whose first cell, trimmed, is `first`.
fn header_row<'a>(sheet: &'a Sheet, first: &str) -> &'a Row {
    sheet
        .rows
        .iter()
        .find(|r| r.cell(0).trim() == first)
        .unwrap_or_else(|| panic!("no header starting {first:?} in {}", sheet.name))
}

/// The column of a header, matched exactly (spaces and TABs included).
fn col(header: &Row, name: &str) -> usize {
    header
        .cells
        .iter()
        .position(|c| c == name)
        .unwrap_or_else(|| panic!("no column {name:?}"))
}

/// The text of a part inside a fixture, read with the zip crate directly (to show what the file holds).
fn part_text(name: &str, part: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes(name))).unwrap();
    let mut text = String::new();
    zip.by_name(part)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

fn dt(raw: &str) -> Option<String> {
    serial_to_datetime(raw).map(|d| d.to_string())
}

#[test]
fn orders_us_orderskulist() {
    let name = "orders_us_orderskulist.xlsx";
    // The file declares one cell as its whole range...
    assert!(part_text(name, "xl/worksheets/sheet1.xml").contains(r#"<dimension ref="A1"/>"#));
    let sheets = workbook(name);
    assert_eq!(names(&sheets), ["OrderSKUList"]);
    let s = &sheets[0];
    // ...but all 7 rows are read: header, description row, 5 SKU lines.
    assert_eq!(numbers(s), [1, 2, 3, 4, 5, 6, 7]);
    let h = header_row(s, "Order ID");
    assert_eq!(h.number, 1);
    assert_eq!(h.cells.len(), 60);
    assert_eq!(h.cell(9), " Virtual Bundle Seller SKU");
    assert_eq!(h.cell(59), "Combined Listing");

    let desc = s.row(2).unwrap();
    assert_eq!(desc.cell(col(h, "Order ID")), "Platform unique order ID.");
    assert_eq!(
        desc.cell(col(h, "SKU Subtotal Before Discount")),
        "It equals to SKU Unit Original Price * Sku Quantity."
    );
    assert_eq!(desc.cell(col(h, "Order Substatus")), "");

    let first = s.row(3).unwrap();
    assert_eq!(first.cell(col(h, "Order ID")), "577396316691665747\t");
    assert_eq!(first.cell(col(h, "SKU ID")), "1729384756102938475\t");
    assert_eq!(first.cell(col(h, "SKU Unit Original Price")), "39.99");
    assert_eq!(first.cell(col(h, "SKU Seller Discount")), "5.5");
    assert_eq!(first.cell(col(h, "SKU Subtotal After Discount")), "34.49");
    assert_eq!(first.cell(col(h, "Order Amount")), "37.34");
    assert_eq!(first.cell(col(h, "Payment platform discount")), "");
    assert_eq!(
        first.cell(col(h, "Created Time")),
        "05/17/2026 9:41:56 PM\t"
    );
    assert_eq!(first.cell(col(h, "Delivered Time")), "\t");
    assert_eq!(first.cell(col(h, "Zipcode")), "93721\t");
    assert_eq!(
        first.cell(col(h, "Shipping Information")),
        "F******** V*****\n(+1)559*****01\nFresno\n93721\nUnited States"
    );
    // The two lines of one order repeat its order-level amount.
    let (b, c) = (s.row(4).unwrap(), s.row(5).unwrap());
    assert_eq!(b.cell(0), c.cell(0));
    assert_eq!(b.cell(col(h, "Order Amount")), "42.1");
    assert_eq!(c.cell(col(h, "Order Amount")), "42.1");
    assert_eq!(c.cell(col(h, "SKU Subtotal Before Discount")), "25");
    let canceled = s.row(6).unwrap();
    assert_eq!(canceled.cell(col(h, "Order Status")), "Canceled");
    assert_eq!(canceled.cell(col(h, "Cancelation/Return Type")), "Cancel");
    assert_eq!(canceled.cell(col(h, "Order Refund Amount")), "25.98");
    let sample = s.row(7).unwrap();
    assert_eq!(
        sample.cell(col(h, " Virtual Bundle Seller SKU")),
        "BNDL-STARTER"
    );
    assert_eq!(sample.cell(col(h, "Seller SKU")), "");
    assert_eq!(sample.cell(col(h, "Payment Method")), "");
    assert_eq!(sample.cell(col(h, "SKU Unit Original Price")), "0");
    // Trailing empty cells are not kept: the sample's last non-empty cell is Shipping Information.
    assert_eq!(sample.cells.len(), col(h, "Shipping Information") + 1);
}

#[test]
fn finance_income_order_details() {
    let sheets = workbook("finance_income_order_details.xlsx");
    assert_eq!(
        names(&sheets),
        [
            "Order details",
            "Reports",
            "Withdrawal records",
            "Fee explanation"
        ]
    );
    let s = sheet(&sheets, "Order details");
    assert_eq!(numbers(s), [1, 2, 3, 4, 5]);
    let h = header_row(s, "Order/adjustment ID");
    assert_eq!(h.number, 1);
    assert_eq!(h.cells.len(), 55);
    assert_eq!(h.cell(0), "Order/adjustment ID  ");
    assert_eq!(h.cell(1), "Type ");
    assert_eq!(col(h, "Affiliate Shop Ads commission\t"), 25);
    let adjustment = col(h, "Ajustment amount");
    let settlement = col(h, "Total settlement amount");

    let sale = s.row(2).unwrap();
    assert_eq!(sale.cell(0), "578012345678901234");
    assert_eq!(sale.cell(1), "Order");
    assert_eq!(sale.cell(col(h, "Order settled time")), "2026/05/17");
    assert_eq!(sale.cell(settlement), "850.36");
    assert_eq!(sale.cell(col(h, "Total fees")), "-249.64");
    assert_eq!(sale.cell(col(h, "Transaction fee")), "-24.64");
    assert_eq!(sale.cell(adjustment), "0");
    assert_eq!(sale.cell(col(h, "Related order ID")), "");
    assert_eq!(sale.cell(col(h, "Actual package weight (g)")), "362");

    assert_eq!(s.row(3).unwrap().cell(settlement), "-15.5");
    let ads = s.row(4).unwrap();
    assert_eq!(ads.cell(1), "GMV Payment for TikTok Ads");
    assert_eq!(ads.cell(adjustment), "-300");
    let violation = s.row(5).unwrap();
    assert_eq!(violation.cell(1), "Violation fee （settlement fee）");
    assert_eq!(
        violation.cell(col(h, "Related order ID")),
        "578012345678901234"
    );

    let reports = sheet(&sheets, "Reports");
    assert_eq!(
        reports.row(1).unwrap().cells,
        ["Time period:", "2026/05/11 - 2026/05/17"]
    );
    assert_eq!(reports.row(2).unwrap().cell(1), "484.86");
    assert_eq!(sheet(&sheets, "Withdrawal records").rows.len(), 2);
}

#[test]
fn statement_pl_us_2026() {
    let sheets = workbook("statement_pl_us_2026.xlsx");
    assert_eq!(
        names(&sheets),
        ["Orders", "Adjustment", "Order payment info"]
    );

    let orders = sheet(&sheets, "Orders");
    // Row 5 is empty, so it is not listed; the row numbers stay those of the file.
    assert_eq!(numbers(orders), [1, 2, 3, 4, 6, 7, 8, 9, 10]);
    let h = header_row(orders, "Order ID");
    assert_eq!(h.number, 6);
    assert_eq!(h.cells.len(), 44);
    let first = orders.row(7).unwrap();
    assert_eq!(first.cell(col(h, "Order ID")), "577396316691665747");
    assert_eq!(first.cell(col(h, "Gross sales")), "39.99");
    assert_eq!(first.cell(col(h, "Seller discount")), "-5.5");
    assert_eq!(first.cell(col(h, "Order Cost")), "-5.84");
    assert_eq!(first.cell(col(h, "Net Order Margin")), "28.65");
    // Settlement dates are integers, kept as written.
    assert_eq!(first.cell(col(h, "Order settled date")), "20260421");
    assert_eq!(
        orders.row(8).unwrap().cell(col(h, "Sample order type")),
        "free sample from seller"
    );
    assert_eq!(orders.row(8).unwrap().cell(col(h, "Order Income")), "0");

    let adj = sheet(&sheets, "Adjustment");
    let ah = header_row(adj, "Adjustment ID");
    assert_eq!(ah.number, 4);
    assert_eq!(ah.cell(7), "llinked payout id");
    let (plus, minus) = (adj.row(5).unwrap(), adj.row(6).unwrap());
    assert_eq!(plus.cell(0), minus.cell(0));
    assert_eq!(plus.cell(col(ah, "Adjustment amount")), "12.34");
    assert_eq!(minus.cell(col(ah, "Adjustment amount")), "-12.34");
    assert_eq!(
        minus.cell(col(ah, "Adjustment Type")),
        "Net earnings deduction"
    );

    let pay = sheet(&sheets, "Order payment info");
    assert_eq!(header_row(pay, "Order ID").number, 1);
    assert_eq!(pay.row(4).unwrap().cell(3), "22.5");
}

#[test]
fn onhold_unsettled() {
    let sheets = workbook("onhold_unsettled.xlsx");
    assert_eq!(names(&sheets), ["Unsettled order and adjustment"]);
    let s = &sheets[0];
    assert_eq!(numbers(s), [1, 2, 3, 5, 6, 7, 8]);
    assert_eq!(
        s.row(2).unwrap().cells,
        ["Download time", "2026/05/20 10:15:32"]
    );
    assert_eq!(s.row(3).unwrap().cells, ["Total Transactions", "3"]);
    let h = header_row(s, "Type");
    assert_eq!(h.number, 5);
    assert_eq!(h.cells.len(), 22);
    let order = s.row(6).unwrap();
    assert_eq!(
        order.cell(col(h, "Total estimated settlement amount")),
        "28.07"
    );
    assert_eq!(
        order.cell(col(h, "Estimated Settle time")),
        "Delivered + 1 days"
    );
    assert_eq!(
        order.cell(col(h, "unsettled reasons")),
        "Waiting for package delivery"
    );
    assert_eq!(order.cell(col(h, "Related order ID")), "/");
    assert_eq!(order.cell(col(h, "Customer-paid shipping fee")), "3.99");
    let adjustment = s.row(8).unwrap();
    assert_eq!(adjustment.cell(0), "Adjustment");
    assert_eq!(adjustment.cell(col(h, "SKU ID")), "/");
    assert_eq!(adjustment.cell(col(h, "Adjustment amount")), "-3.5");
}

#[test]
fn gmv_max_and_ads_manager_cost() {
    let sheets = workbook("gmv_max_campaign.xlsx");
    assert_eq!(names(&sheets), ["Campaign overview"]);
    let s = &sheets[0];
    let h = header_row(s, "By Day");
    assert_eq!(h.number, 1);
    assert_eq!(h.cell(6), "Currency");
    assert_eq!(numbers(s), [1, 2, 3, 4, 5]);
    assert_eq!(
        s.row(2).unwrap().cells,
        ["2026-05-01", "25.5", "3", "8.5", "102", "4", "USD"]
    );
    assert_eq!(s.row(4).unwrap().cell(3), "-");
    let total = s.rows.last().unwrap();
    assert_eq!(
        total.cells,
        ["-", "67.75", "7", "9.68", "252", "3.72", "USD"]
    );

    let sheets = workbook("ads_manager_cost.xlsx");
    assert_eq!(names(&sheets), ["Cost"]);
    let s = &sheets[0];
    let h = header_row(s, "Date");
    assert_eq!(h.number, 1);
    let first = s.row(2).unwrap();
    // Real Excel date cells: the serial, as written. 46143 = 2026-05-01 (45658 = 2025-01-01, plus 365 + 120).
    assert_eq!(first.cell(0), "46143");
    assert_eq!(dt(first.cell(0)).as_deref(), Some("2026-05-01 00:00:00"));
    assert_eq!(first.cell(col(h, "Amount")), "-25.5");
    assert_eq!(first.cell(col(h, "Campaign ID")), "1831234567890123");
    assert_eq!(s.row(4).unwrap().cell(1), "Spring tees & more");
    let total = s.row(5).unwrap();
    assert_eq!(total.cell(0), "Total");
    assert_eq!(total.cell(1), "");
    assert_eq!(total.cell(col(h, "Amount")), "-67.51");
    assert_eq!(total.cells.len(), 8);
}

#[test]
fn numeric_ids_come_back_in_scientific_notation() {
    let sheets = workbook("numeric_ids.xlsx");
    let s = &sheets[0];
    assert_eq!(s.name, "OrderSKUList");
    let h = header_row(s, "Order ID");
    let row = s.row(2).unwrap();
    assert_eq!(row.cell(col(h, "Order ID")), "5.77396316691666E+17");
    assert_eq!(row.cell(col(h, "SKU ID")), "1.72938475610294E+18");
    assert_eq!(row.cell(col(h, "SKU Subtotal Before Discount")), "39.99");
    // 46159 = 2026-05-17; 0.9041203704 day = 78,116.0000 s = 21:41:56; 0.9041666667 day = 78,120 s = 21:42:00.
    assert_eq!(row.cell(col(h, "Created Time")), "46159.9041203704");
    assert_eq!(
        dt(row.cell(col(h, "Created Time"))).as_deref(),
        Some("2026-05-17 21:41:56")
    );
    assert_eq!(
        dt(row.cell(col(h, "Paid Time"))).as_deref(),
        Some("2026-05-17 21:42:00")
    );
    // 46158.41875: 0.41875 day = 36,180 s = 10:03:00.
    assert_eq!(
        dt(s.row(3).unwrap().cell(col(h, "Created Time"))).as_deref(),
        Some("2026-05-16 10:03:00")
    );
}

#[test]
fn shared_and_inline_strings() {
    let name = "shared_and_inline.xlsx";
    // The relationship targets are absolute, and the first tab is the part sheet2.xml.
    let rels = part_text(name, "xl/_rels/workbook.xml.rels");
    assert!(rels.contains(r#"Target="/xl/worksheets/sheet2.xml""#));
    let sheets = workbook(name);
    assert_eq!(names(&sheets), ["Mixed", "Notes"]);
    assert_eq!(
        sheets[1].rows[0].cells,
        ["Notes come second in the workbook, first in the part names."]
    );
    let s = &sheets[0];
    // Row 4 has no cells; row 6 only empty ones.
    assert_eq!(numbers(s), [1, 2, 3, 5]);
    assert_eq!(
        s.row(1).unwrap().cells,
        [
            "Order ID",
            "Product",
            "Rich inline",
            "  padded & <escaped>  ",
            "",
            "東京"
        ]
    );
    assert_eq!(
        s.row(2).unwrap().cells,
        [
            "577396316691665747\t",
            "Organic Cotton Tee",
            "39.99",
            "TRUE",
            "#N/A",
            "79.98"
        ]
    );
    // Row 3 has neither a row number nor cell references: cells by position, `<c/>` an empty C.
    assert_eq!(
        s.row(3).unwrap().cells,
        ["no r", "12.5", "", "line one\r\nline two"]
    );
    // After C5, a cell without r is D5.
    assert_eq!(s.row(5).unwrap().cells, ["", "", "0.1", "A\nB € &"]);
}

#[test]
fn not_a_workbook() {
    let err = read_workbook(&bytes("not_a_workbook.xlsx")).unwrap_err();
    assert_eq!(
        err.message,
        "the file is a zip archive but not an Excel workbook (no xl/workbook.xml)"
    );
    assert_eq!(err.to_string(), err.message);
}

#[test]
fn truncated_workbook() {
    let whole = bytes("orders_us_orderskulist.xlsx");
    let half = bytes("truncated.xlsx");
    assert_eq!(half.len(), whole.len() / 2);
    assert_eq!(half[..], whole[..half.len()]);
    let err = read_workbook(&half).unwrap_err();
    assert!(
        err.message
            .starts_with("the file is an incomplete or damaged Excel workbook"),
        "{}",
        err.message
    );
    assert!(err.message.ends_with("download the export again"));
}

#[test]
fn zip_bomb_is_refused() {
    let err = read_workbook(&bytes("zip_bomb_declared.xlsx")).unwrap_err();
    assert!(
        err.message.starts_with("the workbook is too large to read"),
        "{}",
        err.message
    );
}

#[test]
fn not_a_zip() {
    let csv = b"Order ID,Order Status\n577396316691665747\t,Shipped\n";
    assert_eq!(
        read_workbook(csv).unwrap_err().message,
        "the file is not an Excel workbook (.xlsx): it is not a zip archive"
    );
    assert_eq!(read_workbook(b"").unwrap_err().message, "the file is empty");
    let xls = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0];
    assert!(
        read_workbook(&xls)
            .unwrap_err()
            .message
            .contains("old-format Excel workbook (.xls)")
    );
    assert!(
        read_workbook(b"\xEF\xBB\xBF<html><table>")
            .unwrap_err()
            .message
            .contains("XML or HTML")
    );
    // "PK" and nothing more: looks like a zip, is not one.
    assert!(
        read_workbook(b"PK\x03\x04")
            .unwrap_err()
            .message
            .contains("incomplete or damaged")
    );
}

#[test]
fn serial_dates_by_hand() {
    // 1900 system: serial 1 = 1900-01-01; 59 = 1900-02-28; 60 = Excel's 1900-02-29, which never was;
    // 61 = 1900-03-01.
    assert_eq!(dt("1").as_deref(), Some("1900-01-01 00:00:00"));
    assert_eq!(dt("59").as_deref(), Some("1900-02-28 00:00:00"));
    assert_eq!(dt("60"), None);
    assert_eq!(dt("61").as_deref(), Some("1900-03-01 00:00:00"));
    // 45658 = 2025-01-01. 2025 has 365 days: 46023 = 2026-01-01; + 31 + 28 + 31 + 30 = 46143 = 2026-05-01;
    // + 16 = 46159 = 2026-05-17.
    assert_eq!(dt("45658").as_deref(), Some("2025-01-01 00:00:00"));
    assert_eq!(dt("46023").as_deref(), Some("2026-01-01 00:00:00"));
    assert_eq!(dt("46159.5").as_deref(), Some("2026-05-17 12:00:00"));
    assert_eq!(dt("46159.75").as_deref(), Some("2026-05-17 18:00:00"));
    // 1/86400 day is one second: 46159 + 1/86400 = 46159.0000115740740... → 00:00:01.
    assert_eq!(
        dt("46159.0000115741").as_deref(),
        Some("2026-05-17 00:00:01")
    );
    // Not dates: text, an ID in scientific notation (far past year 9999), a time without a date.
    assert_eq!(dt("05/17/2026 9:41:56 PM"), None);
    assert_eq!(dt("5.77396316691666E+17"), None);
    assert_eq!(dt("0.75"), None);
    assert_eq!(dt(""), None);
}
