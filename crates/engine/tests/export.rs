//! Table export (CSV, TSV, XLSX). Every XLSX is read back with the engine's own reader
//! (`import::xlsx::read_workbook`, an independent parser of the same format), every CSV and TSV with the
//! `csv` crate's reader. Expected texts are worked out by hand in the comments.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use margin_engine::export::{
    Cell, ExportError, MAX_CELL_TEXT, MAX_COLUMNS, MAX_ROWS, Sheet, to_csv, to_tsv, to_xlsx,
};
use margin_engine::import::xlsx::{read_workbook, serial_to_datetime};
use margin_engine::money::Currency;
use rust_decimal_macros::dec;
use std::io::Read;

/// The OWASP CSV-injection starters, each as text: all must come back with a leading apostrophe.
const INJECTIONS: [&str; 6] = [
    "=HYPERLINK(\"http://x\")",
    "+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
];

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn sample() -> Sheet {
    let jpy = Currency::from_code("JPY").unwrap();
    Sheet {
        name: "SKUs".into(),
        headers: vec![
            "SKU".into(),
            "Product".into(),
            "Units".into(),
            "Net sales".into(),
            "CM2 %".into(),
            "Day".into(),
            "Note".into(),
        ],
        rows: vec![
            vec![
                Cell::text("1729000000000000001"),
                Cell::text("Tea <&> \"green\" 'leaf'"),
                Cell::Number(dec!(12)),
                // Half away from zero to the cent: 1234.565 → 1234.57.
                Cell::Money(dec!(1234.565), Currency::USD),
                Cell::Percent(dec!(44.75)),
                Cell::Date(day(2026, 5, 17)),
                Cell::text(INJECTIONS[0]),
            ],
            vec![
                Cell::text(INJECTIONS[1]),
                Cell::text(INJECTIONS[2]),
                // Numbers are never neutralised: a negative stays a number.
                Cell::Number(dec!(-1)),
                // −3.105 → −3.11 (away from zero).
                Cell::Money(dec!(-3.105), Currency::GBP),
                Cell::Percent(dec!(-12.5)),
                Cell::Empty,
                Cell::text(INJECTIONS[3]),
            ],
            vec![
                Cell::text(INJECTIONS[4]),
                Cell::text(INJECTIONS[5]),
                // A negative zero is written "0.00", never "-0.00".
                Cell::Number(-dec!(0.00)),
                // JPY has no minor unit: 1234.5 → 1235.
                Cell::Money(dec!(1234.5), jpy),
                Cell::Percent(dec!(0)),
            ],
            vec![
                Cell::text("£ € ₫ 日本語 😀"),
                Cell::text("line\nbreak, and \"quotes\""),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::text(" padded _x000D_ literal "),
            ],
            // A short row, and text that only looks like a formula later on.
            vec![Cell::text("Tea - green = good")],
        ],
    }
}

/// The sample's header row, as every format writes it.
const HEADER: [&str; 7] = [
    "SKU",
    "Product",
    "Units",
    "Net sales",
    "CM2 %",
    "Day",
    "Note",
];

/// The sample as CSV/TSV fields (header included), worked out by hand from the rules.
fn expected_plain() -> Vec<Vec<String>> {
    let rows: [[&str; 7]; 6] = [
        HEADER,
        [
            "1729000000000000001",
            "Tea <&> \"green\" 'leaf'",
            "12",
            "1234.57",
            "44.75",
            "2026-05-17",
            "'=HYPERLINK(\"http://x\")",
        ],
        ["'+1", "'-1+1", "-1", "-3.11", "-12.5", "", "'@SUM(A1)"],
        ["'\t=1", "'\r=1", "0.00", "1235", "0", "", ""],
        [
            "£ € ₫ 日本語 😀",
            "line\nbreak, and \"quotes\"",
            "",
            "",
            "",
            "",
            " padded _x000D_ literal ",
        ],
        ["Tea - green = good", "", "", "", "", "", ""],
    ];
    rows.iter()
        .map(|r| r.iter().map(|s| s.to_string()).collect())
        .collect()
}

fn read_delimited(text: &str, delimiter: u8) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn csv_round_trips_through_the_csv_reader() {
    let text = to_csv(&sample());
    let body = text
        .strip_prefix('\u{feff}')
        .expect("a UTF-8 byte order mark");
    assert!(body.starts_with("SKU,Product,Units,Net sales,CM2 %,Day,Note\r\n"));
    assert_eq!(read_delimited(body, b','), expected_plain());
    // RFC 4180 quoting: the comma/quote/line-break cell in quotes with doubled quotes; a plain cell bare.
    assert!(body.contains(",\"line\nbreak, and \"\"quotes\"\"\","));
    assert!(body.contains("\r\n'+1,'-1+1,-1,-3.11,-12.5,,'@SUM(A1)\r\n"));
}

#[test]
fn tsv_is_what_spreadsheets_paste() {
    let sheet = sample();
    let text = sheet.to_tsv();
    assert!(!text.starts_with('\u{feff}'));
    assert!(text.starts_with("SKU\tProduct\tUnits\tNet sales\tCM2 %\tDay\tNote\r\n"));
    assert_eq!(read_delimited(&text, b'\t'), expected_plain());
    // The TAB-led injection is quoted (it holds a TAB) and neutralised.
    assert!(text.contains("\"'\t=1\""));
    assert!(to_tsv(&sheet.rows[..1]).starts_with("1729000000000000001\t"));
    assert_eq!(to_tsv(&[]), "");
}

#[test]
fn xlsx_round_trips_through_the_engine_reader() {
    let bytes = to_xlsx(&[sample()]).unwrap();
    let sheets = read_workbook(&bytes).unwrap();
    assert_eq!(sheets.len(), 1);
    assert_eq!(sheets[0].name, "SKUs");
    let rows = &sheets[0].rows;
    assert_eq!(
        rows.iter().map(|r| r.number).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5, 6]
    );
    // The reader gives raw `<v>` text for numbers, and trims a row after its last non-empty cell.
    // Percent points become fractions: 44.75 → 0.4475, −12.5 → −0.125, 0 → 0.00.
    // 2026-05-17 as a serial day: 45658 is 2025-01-01; + 365 → 46023 (2026-01-01); + 31 + 28 + 31 + 30
    // → 46143 (1 May); + 16 → 46159.
    let expected: Vec<Vec<&str>> = vec![
        HEADER.to_vec(),
        vec![
            "1729000000000000001",
            "Tea <&> \"green\" 'leaf'",
            "12",
            "1234.57",
            "0.4475",
            "46159",
            "'=HYPERLINK(\"http://x\")",
        ],
        vec!["'+1", "'-1+1", "-1", "-3.11", "-0.125", "", "'@SUM(A1)"],
        vec!["'\t=1", "'\r=1", "0.00", "1235", "0.00"],
        vec![
            "£ € ₫ 日本語 😀",
            "line\nbreak, and \"quotes\"",
            "",
            "",
            "",
            "",
            " padded _x000D_ literal ",
        ],
        vec!["Tea - green = good"],
    ];
    for (row, want) in rows.iter().zip(&expected) {
        assert_eq!(row.cells, *want, "row {}", row.number);
    }
    assert_eq!(
        serial_to_datetime(rows[1].cell(5)).unwrap().date(),
        day(2026, 5, 17)
    );
}

/// The text of one part of the workbook.
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn xlsx_parts_types_and_formats() {
    let bytes = to_xlsx(&[sample()]).unwrap();
    let zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..])).unwrap();
    let mut names: Vec<&str> = zip.file_names().collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "[Content_Types].xml",
            "_rels/.rels",
            "xl/_rels/workbook.xml.rels",
            "xl/styles.xml",
            "xl/workbook.xml",
            "xl/worksheets/sheet1.xml",
        ]
    );
    let styles = part(&bytes, "xl/styles.xml");
    // cellXfs: 3 = built-in 10 ("0.00%"), 4 = built-in 3 ("#,##0"), 6 = built-in 4 ("#,##0.00"),
    // 2 = custom 164 "yyyy-mm-dd".
    assert!(styles.contains(r#"<numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>"#));
    let xfs: Vec<&str> = styles
        .split("<cellXfs")
        .nth(1)
        .unwrap()
        .split("<xf ")
        .skip(1)
        .collect();
    assert!(xfs[2].starts_with(r#"numFmtId="164""#));
    assert!(xfs[3].starts_with(r#"numFmtId="10""#));
    assert!(xfs[4].starts_with(r#"numFmtId="3""#));
    assert!(xfs[6].starts_with(r#"numFmtId="4""#));

    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    // Text is an inline string, XML-escaped; numbers are bare `<v>` with the exact decimal text.
    assert!(sheet.contains(
        r#"<c r="B2" t="inlineStr"><is><t>Tea &lt;&amp;&gt; &quot;green&quot; &apos;leaf&apos;</t></is></c>"#
    ));
    assert!(sheet.contains(r#"<c r="C2"><v>12</v></c>"#));
    assert!(sheet.contains(r#"<c r="D2" s="6"><v>1234.57</v></c>"#));
    assert!(sheet.contains(r#"<c r="E2" s="3"><v>0.4475</v></c>"#));
    assert!(sheet.contains(r#"<c r="F2" s="2"><v>46159</v></c>"#));
    assert!(sheet.contains(r#"<c r="C3"><v>-1</v></c>"#));
    assert!(sheet.contains(r#"<c r="D4" s="4"><v>1235</v></c>"#));
    // CR as a character reference (a literal CR would become LF in any XML reader); the header row bold.
    assert!(sheet.contains(r#"<c r="B4" t="inlineStr"><is><t>&apos;&#13;=1</t></is></c>"#));
    assert!(sheet.contains(r#"<c r="A1" s="1" t="inlineStr"><is><t>SKU</t></is></c>"#));
    assert!(sheet.contains(r#"<dimension ref="A1:G6"/>"#));
    assert!(
        sheet.contains(
            r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
        )
    );

    // The same table gives the same bytes (fixed zip timestamps).
    assert_eq!(to_xlsx(&[sample()]).unwrap(), bytes);
}

#[test]
fn every_injection_is_neutralised_and_numbers_are_not() {
    let sheet = Sheet {
        name: "x".into(),
        headers: vec!["=cmd|' /C calc'!A0".into()],
        rows: INJECTIONS
            .iter()
            .map(|t| {
                vec![
                    Cell::text(*t),
                    Cell::Number(dec!(-5)),
                    Cell::Money(dec!(-5), Currency::USD),
                ]
            })
            .collect(),
    };
    let csv = read_delimited(to_csv(&sheet).trim_start_matches('\u{feff}'), b',');
    let xlsx = read_workbook(&to_xlsx(std::slice::from_ref(&sheet)).unwrap()).unwrap();
    assert_eq!(csv[0][0], "'=cmd|' /C calc'!A0");
    assert_eq!(xlsx[0].rows[0].cells[0], "'=cmd|' /C calc'!A0");
    for (i, text) in INJECTIONS.iter().enumerate() {
        let want = format!("'{text}");
        assert_eq!(csv[i + 1], [want.as_str(), "-5", "-5.00"], "CSV {text:?}");
        assert_eq!(
            xlsx[0].rows[i + 1].cells,
            [want.as_str(), "-5", "-5.00"],
            "XLSX {text:?}"
        );
    }
}

#[test]
fn empty_sheets_and_headers_only() {
    let empty = Sheet {
        name: "Empty".into(),
        ..Sheet::default()
    };
    assert_eq!(to_csv(&empty), "\u{feff}");
    assert_eq!(empty.to_tsv(), "");
    let headers_only = Sheet {
        name: "Head".into(),
        headers: vec!["A".into(), "B".into()],
        rows: Vec::new(),
    };
    assert_eq!(to_csv(&headers_only), "\u{feff}A,B\r\n");
    let sheets = read_workbook(&to_xlsx(&[empty, headers_only]).unwrap()).unwrap();
    assert_eq!(sheets.len(), 2);
    assert_eq!(
        (sheets[0].name.as_str(), sheets[0].rows.len()),
        ("Empty", 0)
    );
    assert_eq!(sheets[1].rows[0].cells, ["A", "B"]);
    assert_eq!(to_xlsx(&[]), Err(ExportError::NoSheets));
}

#[test]
fn sheet_names_are_made_valid_and_distinct() {
    let named = |n: &str| Sheet {
        name: n.into(),
        headers: vec!["h".into()],
        rows: Vec::new(),
    };
    let bytes = to_xlsx(&[
        named("P&L <May> \"26\""),
        named("a/b\\c?d*e[f]g:h"),
        named("Creators — a very long name indeed, over 31"),
        named("creators — a very long name indeed, over 31"),
        named("'History'"),
    ])
    .unwrap();
    let names: Vec<String> = read_workbook(&bytes)
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    // 31 characters: "Creators — a very long name ind"; the repeat keeps 27 and adds " (2)".
    assert_eq!(
        names,
        [
            "P&L <May> \"26\"",
            "a_b_c_d_e_f_g_h",
            "Creators — a very long name ind",
            "creators — a very long name (2)",
            "History_",
        ]
    );
}

#[test]
fn excel_limits_are_refused_not_cut() {
    let wide = Sheet {
        name: "Wide".into(),
        headers: Vec::new(),
        rows: vec![vec![Cell::Empty; MAX_COLUMNS + 1]],
    };
    assert!(matches!(
        to_xlsx(&[wide]),
        Err(ExportError::TooManyColumns { columns, .. }) if columns == MAX_COLUMNS + 1
    ));
    let long = Sheet {
        name: "Long".into(),
        headers: vec!["a".into(), "b".into()],
        rows: vec![vec![Cell::Empty, Cell::text("x".repeat(MAX_CELL_TEXT + 1))]],
    };
    let err = to_xlsx(&[long]).unwrap_err();
    assert_eq!(
        err,
        ExportError::TextTooLong {
            sheet: "Long".into(),
            cell: "B2".into()
        }
    );
    assert!(err.user_message().contains("32767"));
    // MAX_ROWS data rows plus the header is one too many.
    let tall = Sheet {
        name: "Tall".into(),
        headers: vec!["a".into()],
        rows: vec![Vec::new(); MAX_ROWS],
    };
    assert!(matches!(
        to_xlsx(&[tall]),
        Err(ExportError::TooManyRows { rows, .. }) if rows == MAX_ROWS + 1
    ));
}
