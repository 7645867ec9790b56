//! The Seller Center Orders export (FORMATS.md §1): one row per SKU line of an order.

use super::values::{DateOrder, clean_id, parse_count, parse_timestamp, trim_cell};
use super::{
    ExportKind, ImportError, ImportOptions, ImportReport, ImportedFile, SkipCount, normalise_header,
};
use crate::ledger::{LineStatus, OrderLine};
use crate::money::{Currency, parse_money, parse_percent};
use chrono::NaiveDateTime;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::io::Read;

/// The columns the importer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Field {
    OrderId,
    OrderStatus,
    ReturnType,
    SkuId,
    SellerSku,
    ProductName,
    Variation,
    Quantity,
    ReturnQuantity,
    SubtotalBeforeDiscount,
    SellerDiscount,
    CreatedTime,
    PaidTime,
    ReadyTime,
    ShippedTime,
    DeliveredTime,
    CancelledTime,
    ProductTaxRate,
}

/// Header aliases per field, normalised (see `normalise_header`). A new market's spelling is a new
/// entry here, not a new branch (STYLE.md §4). `required` fields must be present.
const COLUMNS: &[(Field, bool, &[&str])] = &[
    (Field::OrderId, true, &["order id"]),
    (Field::OrderStatus, true, &["order status"]),
    (
        Field::ReturnType,
        false,
        &["cancelation/return type", "cancellation/return type"],
    ),
    (Field::SkuId, true, &["sku id"]),
    (Field::SellerSku, false, &["seller sku"]),
    (Field::ProductName, false, &["product name"]),
    (Field::Variation, false, &["variation"]),
    (Field::Quantity, true, &["quantity"]),
    (Field::ReturnQuantity, false, &["sku quantity of return"]),
    (
        Field::SubtotalBeforeDiscount,
        true,
        &["sku subtotal before discount"],
    ),
    (Field::SellerDiscount, true, &["sku seller discount"]),
    (Field::CreatedTime, true, &["created time"]),
    (Field::PaidTime, true, &["paid time"]),
    // UK spells it "RTH Time" (FORMATS.md §1.2).
    (Field::ReadyTime, false, &["rts time", "rth time"]),
    (Field::ShippedTime, false, &["shipped time"]),
    (Field::DeliveredTime, false, &["delivered time"]),
    (
        Field::CancelledTime,
        false,
        &["cancelled time", "canceled time"],
    ),
    (Field::ProductTaxRate, false, &["product tax rate"]),
];

/// `Order Status` values meaning "not paid", in the languages of FORMATS.md §1.3 (lower case).
const UNPAID_STATUSES: &[&str] = &[
    "unpaid",
    "awaiting payment",
    "belum dibayar",
    "não pago",
    "nao pago",
    "chưa thanh toán",
    "ยังไม่ชำระเงิน",
];
/// `Order Status` values meaning cancelled: US `Canceled`, UK `Cancelled`, ID, BR, TH, VN.
const CANCELLED_STATUSES: &[&str] = &[
    "canceled",
    "cancelled",
    "dibatalkan",
    "cancelado",
    "ยกเลิกแล้ว",
    "đã hủy",
];
/// `Cancelation/Return Type` values meaning a return or refund after sale.
const RETURN_TYPES: &[&str] = &["return/refund"];
/// The description row of XLSX (and some CSV) exports starts with this sentence (FORMATS.md §1.4).
const DESCRIPTION_MARKER: &str = "platform unique order id";
/// How many rows may precede the header (FORMATS.md §7.2).
const HEADER_SCAN_ROWS: usize = 30;
/// Row-level warnings kept verbatim; beyond this they are only counted.
const MAX_WARNINGS: usize = 20;

/// Reads an Orders export. See the module docs for the rules.
pub fn import(
    name: &str,
    reader: impl Read,
    options: ImportOptions,
) -> Result<ImportedFile, ImportError> {
    let err = |row: Option<u64>, column: Option<&str>, message: String| ImportError {
        file: name.to_string(),
        row,
        column: column.map(str::to_string),
        message,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(reader);
    let mut record = csv::StringRecord::new();

    // 1. Find the header row by its signature.
    let mut header: Option<Vec<String>> = None;
    let mut header_line = 1;
    for _ in 0..HEADER_SCAN_ROWS {
        match rdr.read_record(&mut record) {
            Ok(true) => {
                let cells: Vec<String> = record.iter().map(normalise_header).collect();
                if cells.iter().any(|c| c == "order id") && cells.iter().any(|c| c == "sku id") {
                    header = Some(record.iter().map(|c| trim_cell(c).to_string()).collect());
                    header_line = record.position().map_or(1, csv::Position::line);
                    break;
                }
            }
            Ok(false) => break,
            Err(e) => {
                return Err(err(
                    csv_line(&e),
                    None,
                    format!(
                        "this file is not a readable CSV export ({})",
                        csv_reason(&e)
                    ),
                ));
            }
        }
    }
    let Some(raw_header) = header else {
        return Err(err(
            None,
            None,
            "not a recognised file: no header row with \"Order ID\" and \"SKU ID\" (an Orders export) in the first 30 rows, \
             and no \"SKU\" and \"Unit cost\" columns (a costs sheet). Export orders from Seller Center → Orders → Export (CSV)."
                .to_string(),
        ));
    };

    // 2. Map columns by name, never by position.
    let normalised: Vec<String> = raw_header.iter().map(|h| normalise_header(h)).collect();
    let mut index: BTreeMap<Field, usize> = BTreeMap::new();
    for (field, required, aliases) in COLUMNS {
        match normalised
            .iter()
            .position(|h| aliases.contains(&h.as_str()))
        {
            Some(i) => {
                index.insert(*field, i);
            }
            None if *required => {
                return Err(err(
                    Some(header_line),
                    Some(aliases[0]),
                    format!(
                        "the Orders export has no \"{}\" column; it is needed to compute margins",
                        title_case(aliases[0])
                    ),
                ));
            }
            None => {}
        }
    }
    let used: Vec<usize> = index.values().copied().collect();
    let used_columns: Vec<String> = used.iter().map(|&i| raw_header[i].clone()).collect();
    let ignored_columns: Vec<String> = raw_header
        .iter()
        .enumerate()
        .filter(|(i, h)| !used.contains(i) && !h.is_empty())
        .map(|(_, h)| h.clone())
        .collect();
    let col = |f: Field| index.get(&f).copied();
    let header_of = |f: Field| col(f).map_or_else(String::new, |i| raw_header[i].clone());

    // 3. Rows.
    let mut state = RowState {
        currency: options.currency,
        date_order: options.date_order,
        evidence: Vec::new(),
    };
    if options.currency.is_some() {
        state.evidence.push("currency set by you".to_string());
    }
    if options.date_order.is_some() {
        state.evidence.push("date order set by you".to_string());
    }
    let mut lines = Vec::new();
    let mut rows = 0u64;
    let mut skipped: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut warnings = Vec::new();
    let mut extra_warnings = 0u64;
    let mut warn = |w: String, warnings: &mut Vec<String>| {
        if warnings.len() < MAX_WARNINGS {
            warnings.push(w);
        } else {
            extra_warnings += 1;
        }
    };

    loop {
        match rdr.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(err(
                    csv_line(&e),
                    None,
                    format!("the file cannot be read past this row ({})", csv_reason(&e)),
                ));
            }
        }
        rows += 1;
        let line_no = record.position().map_or(0, |p| p.line());
        let cell = |f: Field| col(f).and_then(|i| record.get(i)).unwrap_or("");
        if record.iter().all(|c| trim_cell(c).is_empty()) {
            *skipped.entry("empty row").or_default() += 1;
            continue;
        }
        // The description row: its Order ID cell is a sentence, not an 18-19 digit ID.
        let raw_id = trim_cell(cell(Field::OrderId));
        if raw_id.to_lowercase().contains(DESCRIPTION_MARKER) {
            *skipped.entry("description row").or_default() += 1;
            continue;
        }
        let order_id = clean_id(raw_id).map_err(|_| {
            err(
                Some(line_no),
                Some(&header_of(Field::OrderId)),
                format!(
                    "the order ID {raw_id:?} was saved as a number by a spreadsheet, which lost its last digits; \
                     export the file again from Seller Center and drop it without opening it in Excel"
                ),
            )
        })?;
        let sku_raw = cell(Field::SkuId);
        let sku_id = clean_id(sku_raw).map_err(|_| {
            err(
                Some(line_no),
                Some(&header_of(Field::SkuId)),
                format!("the SKU ID {:?} was saved as a number by a spreadsheet, which lost its last digits", trim_cell(sku_raw)),
            )
        })?;
        if order_id.is_empty() || !order_id.bytes().all(|b| b.is_ascii_digit()) {
            *skipped.entry("not an order row").or_default() += 1;
            warn(
                format!(
                    "row {line_no}, column \"{}\": {order_id:?} is not an order ID; row skipped",
                    header_of(Field::OrderId)
                ),
                &mut warnings,
            );
            continue;
        }
        match state.read_line(&record, &col, order_id, sku_id) {
            Ok(Some(line)) => lines.push(line),
            Ok(None) => {
                *skipped.entry("unpaid").or_default() += 1;
            }
            Err(RowError::Mixed(found, column)) => {
                return Err(err(
                    Some(line_no),
                    Some(&header_of(column)),
                    format!(
                        "amounts in {found} in a file of {} amounts; one file holds one shop's currency — export each market separately",
                        state
                            .currency
                            .map_or("another currency".to_string(), |c| c.to_string())
                    ),
                ));
            }
            Err(RowError::Cell(column, why)) => {
                *skipped.entry("unreadable value").or_default() += 1;
                warn(
                    format!(
                        "row {line_no}, column \"{}\": {why}; row skipped",
                        header_of(column)
                    ),
                    &mut warnings,
                );
            }
        }
    }
    if extra_warnings > 0 {
        warnings.push(format!(
            "… and {extra_warnings} more rows with the same kinds of problem"
        ));
    }
    let not_data =
        skipped.get("description row").unwrap_or(&0) + skipped.get("empty row").unwrap_or(&0);
    if rows == not_data {
        warnings.push("the file has a header but no order rows".to_string());
    }
    let currency = state.currency.unwrap_or(Currency::USD);
    if state.currency.is_none() {
        state
            .evidence
            .push("no rows to tell the currency from; assumed USD".to_string());
    }
    let date_order = state.date_order.unwrap_or(DateOrder::MonthFirst);
    let date_range = lines
        .iter()
        .map(|l| l.created.date())
        .fold(None, |acc, d| match acc {
            None => Some((d, d)),
            Some((a, b)) => Some((a.min(d), b.max(d))),
        });
    Ok(ImportedFile {
        report: ImportReport {
            name: name.to_string(),
            kind: ExportKind::Orders,
            currency,
            date_order,
            evidence: state.evidence.join("; "),
            rows,
            used_rows: lines.len() as u64,
            skipped: skipped
                .into_iter()
                .map(|(reason, count)| SkipCount {
                    reason: reason.to_string(),
                    count,
                })
                .collect(),
            used_columns,
            ignored_columns,
            date_range,
            warnings,
        },
        lines,
    })
}

enum RowError {
    /// A cell that cannot be read: its column and why.
    Cell(Field, String),
    /// A money cell in another currency than the file's: the currency and the column.
    Mixed(Currency, Field),
}

/// Decisions taken once per file from the first rows' evidence (FORMATS.md §7.6), then applied to all.
struct RowState {
    currency: Option<Currency>,
    date_order: Option<DateOrder>,
    evidence: Vec<String>,
}

impl RowState {
    fn money(&mut self, cell: &str, field: Field) -> Result<Decimal, RowError> {
        match parse_money(cell) {
            Ok(None) => Ok(Decimal::ZERO),
            Ok(Some(m)) => {
                match (m.currency, self.currency) {
                    (Some(found), None) => {
                        self.currency = Some(found);
                        self.evidence
                            .push(format!("currency {found} written in the amounts"));
                    }
                    (Some(found), Some(file)) if found != file => {
                        return Err(RowError::Mixed(found, field));
                    }
                    _ => {}
                }
                Ok(m.amount)
            }
            Err(e) => Err(RowError::Cell(field, e.to_string())),
        }
    }

    fn timestamp(&mut self, cell: &str, field: Field) -> Result<Option<NaiveDateTime>, RowError> {
        let t = trim_cell(cell);
        if t.is_empty() {
            return Ok(None);
        }
        let order = match self.date_order {
            Some(o) => o,
            None => {
                // US/BR Orders exports write a 12-hour clock with AM/PM, month first; UK and SEA a 24-hour
                // clock, day first (FORMATS.md §5). Decided on the first timestamp, kept for the file.
                let upper = t.to_ascii_uppercase();
                let o = if upper.ends_with("AM") || upper.ends_with("PM") {
                    self.evidence.push(
                        "dates month first (12-hour clock with AM/PM, as in US exports)"
                            .to_string(),
                    );
                    DateOrder::MonthFirst
                } else {
                    self.evidence.push(
                        "dates day first (24-hour clock, as in UK and SEA exports)".to_string(),
                    );
                    DateOrder::DayFirst
                };
                self.date_order = Some(o);
                o
            }
        };
        parse_timestamp(t, order).map_err(|_| {
            let how = match order {
                DateOrder::MonthFirst => "MM/DD/YYYY h:mm:ss AM/PM",
                DateOrder::DayFirst => "DD/MM/YYYY HH:mm:ss",
                DateOrder::YearFirst => "YYYY/MM/DD",
            };
            RowError::Cell(
                field,
                format!("{t:?} is not a date in this file's format ({how})"),
            )
        })
    }

    fn read_line(
        &mut self,
        record: &csv::StringRecord,
        col: &impl Fn(Field) -> Option<usize>,
        order_id: String,
        sku_id: String,
    ) -> Result<Option<OrderLine>, RowError> {
        let cell = |f: Field| col(f).and_then(|i| record.get(i)).unwrap_or("");
        let text = |f: Field| trim_cell(cell(f)).to_string();
        let status = text(Field::OrderStatus).to_lowercase();

        let subtotal = self.money(
            cell(Field::SubtotalBeforeDiscount),
            Field::SubtotalBeforeDiscount,
        )?;
        let seller_discount = self.money(cell(Field::SellerDiscount), Field::SellerDiscount)?;
        let created = self
            .timestamp(cell(Field::CreatedTime), Field::CreatedTime)?
            .ok_or_else(|| {
                RowError::Cell(
                    Field::CreatedTime,
                    "the order has no created time".to_string(),
                )
            })?;
        let paid = self.timestamp(cell(Field::PaidTime), Field::PaidTime)?;
        let mut latest = created.max(paid.unwrap_or(created));
        for f in [
            Field::ReadyTime,
            Field::ShippedTime,
            Field::DeliveredTime,
            Field::CancelledTime,
        ] {
            if let Some(t) = self.timestamp(cell(f), f)? {
                latest = latest.max(t);
            }
        }
        // METRICS.md §1: unpaid lines carry no money.
        if paid.is_none() || UNPAID_STATUSES.contains(&status.as_str()) {
            return Ok(None);
        }
        let count = |f: Field| -> Result<i64, RowError> {
            match parse_count(cell(f)) {
                None => Ok(0),
                Some(Ok(n)) if n >= 0 => Ok(n),
                Some(_) => Err(RowError::Cell(
                    f,
                    format!("{:?} is not a quantity", trim_cell(cell(f))),
                )),
            }
        };
        let quantity = count(Field::Quantity)?;
        if quantity == 0 {
            return Err(RowError::Cell(
                Field::Quantity,
                "a paid line with quantity 0".to_string(),
            ));
        }
        let return_quantity = count(Field::ReturnQuantity)?;
        let tax_rate = match col(Field::ProductTaxRate) {
            None => None,
            Some(_) => parse_percent_or_ratio(cell(Field::ProductTaxRate))
                .map_err(|why| RowError::Cell(Field::ProductTaxRate, why))?,
        };
        let return_type = text(Field::ReturnType).to_lowercase();
        let line_status = if subtotal.is_zero() {
            LineStatus::Sample
        } else if CANCELLED_STATUSES.contains(&status.as_str()) {
            LineStatus::Cancelled
        } else if RETURN_TYPES.contains(&return_type.as_str()) {
            LineStatus::Returned
        } else {
            LineStatus::Sold
        };
        Ok(Some(OrderLine {
            order_id,
            sku_id,
            seller_sku: text(Field::SellerSku),
            product_name: text(Field::ProductName),
            variation: text(Field::Variation),
            status: line_status,
            quantity,
            return_quantity,
            subtotal_before_discount: subtotal,
            seller_discount,
            tax_rate,
            created,
            latest,
        }))
    }
}

/// `Product Tax Rate` is written as `0`, `0.2`, `20` or `20%` depending on the export; a bare number
/// above 1 is percent points.
fn parse_percent_or_ratio(cell: &str) -> Result<Option<Decimal>, String> {
    let t = trim_cell(cell);
    if t.is_empty() {
        return Ok(None);
    }
    if t.ends_with('%') {
        return parse_percent(t).map_err(|e| e.to_string());
    }
    match parse_money(t) {
        Ok(None) => Ok(None),
        Ok(Some(m)) if m.amount > Decimal::ONE => Ok(Some(m.amount / Decimal::ONE_HUNDRED)),
        Ok(Some(m)) if m.amount.is_sign_negative() => Err(format!("{t:?} is not a tax rate")),
        Ok(Some(m)) => Ok(Some(m.amount)),
        Err(e) => Err(e.to_string()),
    }
}

fn title_case(normalised: &str) -> String {
    normalised
        .split(' ')
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or_else(String::new, |f| {
                f.to_uppercase().collect::<String>() + c.as_str()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn csv_line(e: &csv::Error) -> Option<u64> {
    e.position().map(csv::Position::line)
}

fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "it is not UTF-8 text".to_string(),
        csv::ErrorKind::Io(io) => io.to_string(),
        _ => e.to_string(),
    }
}
