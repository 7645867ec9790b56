//! Advertising exports (docs/formats.md §4): GMV Max campaign overview by day, and Ads Manager cost reports.

use super::finance::finance_date;
use super::table::{ColumnMap, ColumnSpec, Rows, Tally, is_blank, one_currency};
use super::values::trim_cell;
use super::{ExportKind, FileData, ImportError, ImportReport, ImportedFile, Source};
use crate::ledger::AdSpendRow;
use crate::money::{Currency, parse_money};
use chrono::NaiveDate;

const COLUMNS: &[ColumnSpec] = &[
    ("date", true, &["by day", "date", "time"]),
    ("cost", false, &["cost"]),
    ("amount", false, &["amount"]),
    (
        "orders",
        false,
        &["sku orders (current shop)", "sku orders"],
    ),
    (
        "gross_revenue",
        false,
        &["gross revenue (current shop)", "gross revenue"],
    ),
    ("campaign", false, &["campaign name"]),
    ("currency", false, &["currency"]),
];

/// Date cells that mark the totals row at the bottom (docs/formats.md §4).
const TOTAL_MARKERS: &[&str] = &["-", "total", "summary", "tổng", "รวม"];

/// Reads an ads export after its header.
pub(crate) fn read(
    src: &Source<'_>,
    kind: ExportKind,
    header_line: u64,
    header: &[String],
    rows: &mut dyn Rows,
) -> Result<ImportedFile, ImportError> {
    let name = src.name;
    let map = ColumnMap::new(name, header_line, header, COLUMNS, kind.label())?;
    let cost_key = if map.has("cost") { "cost" } else { "amount" };
    if !map.has(cost_key) {
        return Err(ImportError {
            file: name.to_string(),
            row: Some(header_line),
            column: None,
            message: format!("the {} has no \"Cost\" or \"Amount\" column", kind.label()),
        });
    }
    let mut currency = src.options.currency;
    let mut tally = Tally::default();
    let mut out = Vec::new();
    let mut record = csv::StringRecord::new();
    while let Some(line) = rows.next_row(&mut record)? {
        tally.rows += 1;
        if is_blank(&record) {
            tally.skip("empty row");
            continue;
        }
        let cell = |k: &str| trim_cell(map.cell(&record, k));
        let date_text = cell("date");
        if date_text.is_empty()
            || TOTAL_MARKERS
                .iter()
                .any(|m| date_text.eq_ignore_ascii_case(m))
        {
            tally.skip("total row");
            continue;
        }
        // GMV Max dates are ISO or yyyy/MM/dd; Ads Manager writes YYYY-MM-DD.
        let date = match finance_date(date_text, src.options.date_order) {
            Ok(Some(d)) => d,
            _ => {
                tally.skip_cell(
                    line,
                    &map.header("date"),
                    &format!("{date_text:?} is not a date"),
                );
                continue;
            }
        };
        if let Some(c) = Currency::from_code(cell("currency")) {
            one_currency(&mut currency, c, name, line, map.header("currency"))?;
        }
        let amount = match parse_money(cell(cost_key)) {
            Ok(Some(m)) => m.amount,
            Ok(None) => rust_decimal::Decimal::ZERO,
            Err(e) => {
                tally.skip_cell(line, &map.header(cost_key), &e.to_string());
                continue;
            }
        };
        // Ads Manager writes spend as a negative Amount; GMV Max as a positive Cost.
        let cost = if cost_key == "amount" {
            -amount
        } else {
            amount
        };
        let gross_revenue = parse_money(cell("gross_revenue"))
            .ok()
            .flatten()
            .map(|m| m.amount);
        let orders = cell("orders")
            .parse::<i64>()
            .ok()
            .filter(|n| n.abs() <= super::values::MAX_COUNT);
        out.push(AdSpendRow {
            date,
            cost,
            gross_revenue,
            orders,
            campaign: cell("campaign").to_string(),
        });
    }
    let date_range =
        out.iter()
            .map(|r| r.date)
            .fold(None, |acc: Option<(NaiveDate, NaiveDate)>, d| {
                Some(acc.map_or((d, d), |(a, b)| (a.min(d), b.max(d))))
            });
    Ok(ImportedFile {
        report: ImportReport {
            name: name.to_string(),
            kind,
            currency,
            market: currency.and_then(crate::settings::default_market),
            date_order: None,
            encoding: src.encoding.to_string(),
            evidence: if currency.is_some() {
                "currency from the Currency column".to_string()
            } else {
                String::new()
            },
            rows: tally.rows,
            used_rows: out.len() as u64,
            skipped: tally.skipped(),
            used_columns: map.used(),
            ignored_columns: map.ignored(),
            date_range,
            warnings: tally.warnings(),
            vat_in_export: false,
        },
        data: FileData::Ads(out),
    })
}
