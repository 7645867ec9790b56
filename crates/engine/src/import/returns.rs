//! The Returns & refunds export (Seller Center → Orders → Returns → Export; docs/formats.md §1.6): one row
//! per SKU of a return or refund request, with the time the buyer asked (`Time Requested`) and the time
//! the refund was paid (`Refund Time`). The return-rate alert counts returns by when they were requested
//! (docs/metrics.md §12); no figure of the P&L reads this export.
//!
//! The header is the one public parsers of the export read: `Return Order ID, Order ID, Order Amount,
//! Order Status, Order Substatus, Payment Method, SKU ID, Seller SKU, Product Name, SKU Name, Buyer
//! Username, Return Type, Time Requested, Return Reason, Return unit price, Return Quantity, Return
//! Logistics Tracking ID, Return Status, Return Sub Status, Refund Time, …`. No real file was available:
//! `tests/fixtures/handmade/returns_refunds.csv` is hand-made in that shape.

use super::table::{ColumnMap, ColumnSpec, Rows, Tally, is_blank, one_currency};
use super::values::{DateOrder, clean_id, parse_count, parse_timestamp, trim_cell};
use super::{ExportKind, FileData, ImportError, ImportReport, ImportedFile, Source};
use crate::money::{Currency, parse_money};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// One SKU of a return or refund request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnRow {
    /// `Return Order ID`.
    pub return_id: String,
    /// `Order ID` of the order the request is about.
    pub order_id: String,
    /// `SKU ID` (may be empty: then `seller_sku` names the SKU).
    pub sku_id: String,
    /// `Seller SKU`.
    pub seller_sku: String,
    /// `Product Name`.
    pub product_name: String,
    /// `Return Type` as written ("Return and refund", "Refund only", …).
    pub return_type: String,
    /// `Return Status` as written.
    pub status: String,
    /// Units asked back (`Return Quantity`; 1 when the column is blank or absent).
    pub quantity: i64,
    /// `Time Requested`: when the buyer asked.
    pub requested: NaiveDateTime,
    /// `Refund Time`, when the refund was paid.
    pub refunded: Option<NaiveDateTime>,
    /// The request was rejected or cancelled (its status or sub-status says so): not a return.
    pub withdrawn: bool,
}

/// Columns, by their English headers and the aliases seen in parsers of the export.
const COLUMNS: &[ColumnSpec] = &[
    (
        "return_id",
        true,
        &[
            "return order id",
            "return id",
            "return/refund id",
            "return request id",
        ],
    ),
    ("order_id", true, &["order id"]),
    ("sku_id", false, &["sku id"]),
    ("seller_sku", false, &["seller sku"]),
    ("product_name", false, &["product name"]),
    ("return_type", false, &["return type"]),
    (
        "requested",
        true,
        &[
            "time requested",
            "requested time",
            "request time",
            "return request time",
            "return requested time",
        ],
    ),
    (
        "quantity",
        false,
        &["return quantity", "returned quantity", "quantity"],
    ),
    ("status", false, &["return status"]),
    (
        "sub_status",
        false,
        &["return sub status", "return substatus"],
    ),
    (
        "refunded",
        false,
        &["refund time", "refunded time", "time refunded"],
    ),
    ("unit_price", false, &["return unit price"]),
    ("order_amount", false, &["order amount"]),
    ("currency", false, &["currency"]),
];

/// A row read, its times still as written: the file's date order is decided from every row at the end
/// (docs/formats.md §1.6).
struct Pending {
    line: u64,
    row: ReturnRow,
    requested: String,
    refunded: String,
}

/// Reads a Returns & refunds export after its header.
pub(crate) fn read(
    src: &Source<'_>,
    header_line: u64,
    header: &[String],
    rows: &mut dyn Rows,
) -> Result<ImportedFile, ImportError> {
    let name = src.name;
    let kind = ExportKind::Returns;
    let map = ColumnMap::new(name, header_line, header, COLUMNS, kind.label())?;
    let fail = |row: Option<u64>, column: Option<String>, message: String| ImportError {
        file: name.to_string(),
        row,
        column,
        message,
    };
    if !map.has("sku_id") && !map.has("seller_sku") {
        return Err(fail(
            Some(header_line),
            None,
            "the Returns & refunds export has neither \"SKU ID\" nor \"Seller SKU\": its returns cannot be matched to products"
                .to_string(),
        ));
    }
    let mut currency = src.options.currency;
    let mut evidence: Vec<String> = Vec::new();
    if src.options.currency.is_some() {
        evidence.push("currency set by you".to_string());
    }
    let mut tally = Tally::default();
    let mut pending: Vec<Pending> = Vec::new();
    let mut record = csv::StringRecord::new();
    while let Some(line) = rows.next_row(&mut record)? {
        tally.rows += 1;
        if is_blank(&record) {
            tally.skip("empty row");
            continue;
        }
        let cell = |k: &str| trim_cell(map.cell(&record, k));
        let id = |k: &str| {
            clean_id(cell(k)).map_err(|_| {
                fail(
                    Some(line),
                    Some(map.header(k)),
                    format!(
                        "the ID {:?} was saved as a number by a spreadsheet, which lost its last digits; export the file again",
                        cell(k)
                    ),
                )
            })
        };
        let return_id = id("return_id")?;
        let order_id = id("order_id")?;
        if return_id.is_empty() || order_id.is_empty() {
            tally.skip("not a return row");
            tally.warn(format!(
                "row {line}: no \"{}\" or \"{}\"; row skipped",
                map.header("return_id"),
                map.header("order_id")
            ));
            continue;
        }
        let sku_id = id("sku_id")?;
        let seller_sku = cell("seller_sku").to_string();
        if sku_id.is_empty() && seller_sku.is_empty() {
            tally.skip("no SKU");
            tally.warn(format!(
                "row {line}: return {return_id} names no SKU; row skipped"
            ));
            continue;
        }
        let quantity = match parse_count(cell("quantity")) {
            None => 1,
            Some(Ok(n)) if n >= 0 => n,
            Some(_) => {
                tally.skip_cell(
                    line,
                    &map.header("quantity"),
                    &format!("{:?} is not a quantity", cell("quantity")),
                );
                continue;
            }
        };
        if let Some(c) = map
            .index("currency")
            .and(Currency::from_code(cell("currency")))
        {
            if one_currency(&mut currency, c, name, line, map.header("currency"))? {
                evidence.push(format!("currency {c} from the Currency column"));
            }
        } else {
            for k in ["unit_price", "order_amount"] {
                if let Ok(Some(m)) = parse_money(cell(k))
                    && let Some(c) = m.currency
                    && one_currency(&mut currency, c, name, line, map.header(k))?
                {
                    evidence.push(format!("currency {c} written in the amounts"));
                }
            }
        }
        let status = cell("status").to_string();
        let withdrawn = [status.as_str(), cell("sub_status")].iter().any(|s| {
            let s = s.to_lowercase();
            s.contains("reject") || s.contains("cancel")
        });
        pending.push(Pending {
            line,
            requested: cell("requested").to_string(),
            refunded: cell("refunded").to_string(),
            row: ReturnRow {
                return_id,
                order_id,
                sku_id,
                seller_sku,
                product_name: cell("product_name").to_string(),
                return_type: cell("return_type").to_string(),
                status,
                quantity,
                requested: NaiveDateTime::MIN,
                refunded: None,
                withdrawn,
            },
        });
    }
    let (order, why) = match src.options.date_order {
        Some(o) => (o, "date order set by you".to_string()),
        None => decide_order(
            pending
                .iter()
                .flat_map(|p| [p.requested.as_str(), p.refunded.as_str()]),
        ),
    };
    evidence.push(why);
    let mut out: Vec<ReturnRow> = Vec::with_capacity(pending.len());
    for p in pending {
        let Pending {
            line,
            mut row,
            requested,
            refunded,
        } = p;
        let how = format_of(order);
        match parse_timestamp(&requested, order) {
            Ok(Some(t)) => row.requested = t,
            Ok(None) => {
                tally.skip_cell(
                    line,
                    &map.header("requested"),
                    "no request time: the return cannot be dated",
                );
                continue;
            }
            Err(_) => {
                tally.skip_cell(
                    line,
                    &map.header("requested"),
                    &format!("{requested:?} is not a date in this file's format ({how})"),
                );
                continue;
            }
        }
        row.refunded = match parse_timestamp(&refunded, order) {
            Ok(t) => t,
            Err(_) => {
                tally.warn(format!(
                    "row {line}, column \"{}\": {refunded:?} is not a date in this file's format ({how}); the refund time is left blank",
                    map.header("refunded")
                ));
                None
            }
        };
        out.push(row);
    }
    let date_range = out.iter().map(|r| r.requested.date()).fold(
        None,
        |acc: Option<(NaiveDate, NaiveDate)>, d| {
            Some(acc.map_or((d, d), |(a, b)| (a.min(d), b.max(d))))
        },
    );
    Ok(ImportedFile {
        report: ImportReport {
            name: name.to_string(),
            kind,
            currency,
            market: currency.and_then(crate::settings::default_market),
            date_order: Some(order),
            encoding: src.encoding.to_string(),
            evidence: evidence.join("; "),
            rows: tally.rows,
            used_rows: out.len() as u64,
            skipped: tally.skipped(),
            used_columns: map.used(),
            ignored_columns: map.ignored(),
            date_range,
            warnings: tally.warnings(),
            vat_in_export: false,
        },
        data: FileData::Returns(out),
    })
}

/// How a date of `order` is written, for messages.
fn format_of(order: DateOrder) -> &'static str {
    match order {
        DateOrder::MonthFirst => "MM/DD/YYYY HH:mm:ss",
        DateOrder::DayFirst => "DD/MM/YYYY HH:mm:ss",
        DateOrder::YearFirst => "YYYY/MM/DD HH:mm:ss",
    }
}

/// The file's date order from all its time cells: a 12-hour clock (AM/PM) or a second part above 12
/// means month first; a first part above 12 means day first; otherwise day first, as the public parsers
/// of this export read it. Year-first and Excel serial cells read the same either way.
fn decide_order<'a>(cells: impl Iterator<Item = &'a str>) -> (DateOrder, String) {
    let (mut day_first, mut month_first, mut clock) = (false, false, false);
    for t in cells.map(trim_cell).filter(|t| !t.is_empty()) {
        let upper = t.to_ascii_uppercase();
        if upper.ends_with("AM") || upper.ends_with("PM") {
            clock = true;
        }
        let parts: Vec<u32> = t
            .split([' ', 'T'])
            .next()
            .unwrap_or("")
            .split(['/', '-', '.'])
            .map(|p| p.parse().unwrap_or(0))
            .collect();
        if parts.first().is_some_and(|p| *p > 31) {
            // Year first: says nothing about day and month.
            continue;
        }
        if parts.first().is_some_and(|p| *p > 12) {
            day_first = true;
        }
        if parts.get(1).is_some_and(|p| *p > 12) {
            month_first = true;
        }
    }
    match (day_first, month_first || clock) {
        (true, false) => (
            DateOrder::DayFirst,
            "dates day first (a first part above 12)".to_string(),
        ),
        (false, true) => (
            DateOrder::MonthFirst,
            "dates month first (a second part above 12, or a 12-hour clock)".to_string(),
        ),
        (true, true) => (
            DateOrder::DayFirst,
            "dates day first; some dates read month first do not parse and are named in the warnings"
                .to_string(),
        ),
        (false, false) => (
            DateOrder::DayFirst,
            "dates day first (no date tells; as public parsers of this export read them)".to_string(),
        ),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_date_order_comes_from_every_cell() {
        let o = |cells: &[&str]| decide_order(cells.iter().copied()).0;
        assert_eq!(
            o(&["05/04/2026 10:00:00", "17/05/2026 10:00:00"]),
            DateOrder::DayFirst
        );
        assert_eq!(
            o(&["05/04/2026 10:00:00", "05/17/2026 10:00:00"]),
            DateOrder::MonthFirst
        );
        assert_eq!(o(&["05/04/2026 10:00:00 AM"]), DateOrder::MonthFirst);
        assert_eq!(
            o(&["2026-05-17 10:00:00", "05/04/2026"]),
            DateOrder::DayFirst
        );
        assert_eq!(o(&[]), DateOrder::DayFirst);
    }
}
