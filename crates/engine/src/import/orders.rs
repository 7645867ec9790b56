//! The Seller Center Orders export (FORMATS.md §1): one row per SKU line of an order.

use super::table::{ColumnMap, ColumnSpec, Rows, Tally};
use super::values::{DateOrder, clean_id, parse_count, parse_timestamp, trim_cell};
use super::{ExportKind, FileData, ImportError, ImportReport, ImportedFile, Source};
use crate::ledger::{LineStatus, OrderLine};
use crate::money::{Currency, parse_money, parse_percent};
use chrono::NaiveDateTime;
use rust_decimal::Decimal;

/// The columns the importer reads: field key, required, header aliases (normalised). A new market's
/// spelling is a new alias here, not a new branch (STYLE.md §4).
const COLUMNS: &[ColumnSpec] = &[
    ("order_id", true, &["order id"]),
    ("status", true, &["order status"]),
    (
        "return_type",
        false,
        &["cancelation/return type", "cancellation/return type"],
    ),
    ("sku_id", true, &["sku id"]),
    ("seller_sku", false, &["seller sku"]),
    ("product_name", false, &["product name"]),
    ("variation", false, &["variation"]),
    ("quantity", true, &["quantity"]),
    ("return_quantity", false, &["sku quantity of return"]),
    (
        "subtotal_before_discount",
        true,
        &["sku subtotal before discount"],
    ),
    ("platform_discount", false, &["sku platform discount"]),
    ("seller_discount", true, &["sku seller discount"]),
    // Order-level values repeated on every line of the order (FORMATS.md §1.5): taken once per order.
    (
        "shipping_fee_after_discount",
        false,
        &["shipping fee after discount"],
    ),
    ("taxes", false, &["taxes"]),
    ("created", true, &["created time"]),
    ("paid", true, &["paid time"]),
    // UK spells it "RTH Time" (FORMATS.md §1.2).
    ("ready", false, &["rts time", "rth time"]),
    ("shipped", false, &["shipped time"]),
    ("delivered", false, &["delivered time"]),
    ("cancelled", false, &["cancelled time", "canceled time"]),
    ("category", false, &["product category"]),
    ("tax_rate", false, &["product tax rate"]),
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

/// Reads the rows of an Orders export after its header.
pub(crate) fn read(
    src: &Source<'_>,
    header_line: u64,
    header: &[String],
    rows: &mut dyn Rows,
) -> Result<ImportedFile, ImportError> {
    let name = src.name;
    let err = |row: Option<u64>, column: Option<String>, message: String| ImportError {
        file: name.to_string(),
        row,
        column,
        message,
    };
    let map = ColumnMap::new(name, header_line, header, COLUMNS, "Orders export")?;
    // The UK layout (FORMATS.md §1.2) names its columns differently: evidence for day-first dates and
    // pounds when the amounts carry no currency code (a file re-saved by a spreadsheet).
    let uk_layout = header
        .iter()
        .map(|h| super::normalise_header(h))
        .any(|h| UK_LAYOUT_COLUMNS.contains(&h.as_str()));
    let mut state = RowState {
        currency: src.options.currency,
        date_order: src.options.date_order,
        evidence: Vec::new(),
        uk_layout,
    };
    if src.options.currency.is_some() {
        state.evidence.push("currency set by you".to_string());
    }
    if src.options.date_order.is_some() {
        state.evidence.push("date order set by you".to_string());
    }
    let mut record = csv::StringRecord::new();
    let mut lines = Vec::new();
    let mut tally = Tally::default();

    while let Some(line_no) = rows.next_row(&mut record)? {
        tally.rows += 1;
        if record.iter().all(|c| trim_cell(c).is_empty()) {
            tally.skip("empty row");
            continue;
        }
        if record.len() < header.len() / 2 {
            tally.skip("incomplete row");
            tally.warn(format!(
                    "row {line_no} has {} of {} columns: the file looks cut off (an interrupted download?); row skipped",
                    record.len(),
                    header.len()
                ));
            continue;
        }
        // The description row: its Order ID cell is a sentence, not an 18-19 digit ID.
        let raw_id = trim_cell(map.cell(&record, "order_id"));
        if raw_id.to_lowercase().contains(DESCRIPTION_MARKER) {
            tally.skip("description row");
            continue;
        }
        let order_id = clean_id(raw_id).map_err(|_| {
            err(
                Some(line_no),
                Some(map.header("order_id")),
                format!(
                    "the order ID {raw_id:?} was saved as a number by a spreadsheet, which lost its last digits; \
                     export the file again from Seller Center and drop it without opening it in Excel"
                ),
            )
        })?;
        let sku_raw = trim_cell(map.cell(&record, "sku_id"));
        let sku_id = clean_id(sku_raw).map_err(|_| {
            err(
                Some(line_no),
                Some(map.header("sku_id")),
                format!("the SKU ID {sku_raw:?} was saved as a number by a spreadsheet, which lost its last digits"),
            )
        })?;
        if order_id.is_empty() || !order_id.bytes().all(|b| b.is_ascii_digit()) {
            tally.skip("not an order row");
            tally.warn(format!(
                "row {line_no}, column \"{}\": {order_id:?} is not an order ID; row skipped",
                map.header("order_id")
            ));
            continue;
        }
        match state.read_line(&record, &map, order_id, sku_id) {
            Ok(Some(line)) => lines.push(line),
            Ok(None) => {
                tally.skip("unpaid");
            }
            Err(RowError::Mixed(found, column)) => {
                return Err(err(
                    Some(line_no),
                    Some(map.header(column)),
                    format!(
                        "amounts in {found} in a file of {} amounts; one file holds one shop's currency — export each market separately",
                        state
                            .currency
                            .map_or("another currency".to_string(), |c| c.to_string())
                    ),
                ));
            }
            Err(RowError::Cell(column, why)) => {
                tally.skip("unreadable value");
                tally.warn(format!(
                    "row {line_no}, column \"{}\": {why}; row skipped",
                    map.header(column)
                ));
            }
        }
    }
    let mut warnings = tally.warnings();
    let not_data = tally.skipped_for("description row") + tally.skipped_for("empty row");
    if tally.rows == not_data {
        warnings.push("the file has a header but no order rows".to_string());
    }
    let currency = match state.currency {
        Some(c) => c,
        None if uk_layout => {
            state.evidence.push(
                "no currency written in the amounts; GBP assumed from the UK column layout (RTH Time)"
                    .to_string(),
            );
            Currency::GBP
        }
        None => {
            state.evidence.push(
                "no currency written in the amounts; assumed USD (plain decimals, as in US exports)"
                    .to_string(),
            );
            Currency::USD
        }
    };
    let date_range = lines
        .iter()
        .map(|l| l.created.date())
        .fold(None, |acc, d| match acc {
            None => Some((d, d)),
            Some((a, b)) => Some((a.min(d), b.max(d))),
        });
    for l in &mut lines {
        l.currency = currency;
    }
    Ok(ImportedFile {
        report: ImportReport {
            name: name.to_string(),
            kind: ExportKind::Orders,
            currency: Some(currency),
            market: crate::settings::default_market(currency),
            date_order: state.date_order,
            encoding: src.encoding.to_string(),
            evidence: state.evidence.join("; "),
            rows: tally.rows,
            used_rows: lines.len() as u64,
            skipped: tally.skipped(),
            used_columns: map.used(),
            ignored_columns: map.ignored(),
            date_range,
            warnings,
        },
        data: FileData::Orders(lines),
    })
}

enum RowError {
    /// A cell that cannot be read: its column and why.
    Cell(&'static str, String),
    /// A money cell in another currency than the file's: the currency and the column.
    Mixed(Currency, &'static str),
}

/// Decisions taken once per file from the first rows' evidence (FORMATS.md §7.6), then applied to all.
struct RowState {
    currency: Option<Currency>,
    date_order: Option<DateOrder>,
    evidence: Vec<String>,
    uk_layout: bool,
}

/// Columns only the UK Orders export has (FORMATS.md §1.2).
const UK_LAYOUT_COLUMNS: &[&str] = &[
    "rth time",
    "house name or number",
    "county",
    "product tax rate",
];

impl RowState {
    fn money(&mut self, cell: &str, field: &'static str) -> Result<Decimal, RowError> {
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

    fn timestamp(
        &mut self,
        cell: &str,
        field: &'static str,
    ) -> Result<Option<NaiveDateTime>, RowError> {
        let t = trim_cell(cell);
        if t.is_empty() {
            return Ok(None);
        }
        if super::values::is_excel_serial(t) {
            return parse_timestamp(t, DateOrder::YearFirst)
                .map_err(|_| RowError::Cell(field, format!("{t:?} is not a date")));
        }
        let order = match self.date_order {
            Some(o) => o,
            None => {
                // US/BR Orders exports write a 12-hour clock with AM/PM, month first; UK and SEA a 24-hour
                // clock, day first (FORMATS.md §5). Decided on the first timestamp, kept for the file:
                // AM/PM, then a part above 12, then the currency (a re-saved file may lose AM/PM).
                let upper = t.to_ascii_uppercase();
                let parts: Vec<u32> = t
                    .split([' ', 'T'])
                    .next()
                    .unwrap_or("")
                    .split(['/', '-', '.'])
                    .map(|p| p.parse().unwrap_or(0))
                    .collect();
                let month_first_currency = !self.uk_layout
                    && matches!(
                        self.currency.map(|c| c.to_string()).as_deref(),
                        None | Some("USD" | "BRL" | "MXN")
                    );
                let (o, why) = if upper.ends_with("AM") || upper.ends_with("PM") {
                    (
                        DateOrder::MonthFirst,
                        "dates month first (12-hour clock with AM/PM, as in US exports)",
                    )
                } else if parts.first().is_some_and(|&p| p > 12 && p < 32) {
                    (
                        DateOrder::DayFirst,
                        "dates day first (a first part above 12)",
                    )
                } else if parts.get(1).is_some_and(|&p| p > 12) {
                    (
                        DateOrder::MonthFirst,
                        "dates month first (a second part above 12)",
                    )
                } else if month_first_currency && parts.first().is_some_and(|&p| p <= 12) {
                    (
                        DateOrder::MonthFirst,
                        "dates month first (US dollar shop without a clock hint)",
                    )
                } else {
                    (
                        DateOrder::DayFirst,
                        "dates day first (24-hour clock, as in UK and SEA exports)",
                    )
                };
                self.evidence.push(why.to_string());
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
        map: &ColumnMap,
        order_id: String,
        sku_id: String,
    ) -> Result<Option<OrderLine>, RowError> {
        let cell = |f: &str| map.cell(record, f);
        let text = |f: &str| trim_cell(cell(f)).to_string();
        let status = text("status").to_lowercase();

        let subtotal = self.money(cell("subtotal_before_discount"), "subtotal_before_discount")?;
        let seller_discount = self.money(cell("seller_discount"), "seller_discount")?;
        let platform_discount = self.money(cell("platform_discount"), "platform_discount")?;
        let order_shipping = self.money(
            cell("shipping_fee_after_discount"),
            "shipping_fee_after_discount",
        )?;
        let order_taxes = self.money(cell("taxes"), "taxes")?;
        let created = self.timestamp(cell("created"), "created")?.ok_or_else(|| {
            RowError::Cell("created", "the order has no created time".to_string())
        })?;
        let paid = self.timestamp(cell("paid"), "paid")?;
        let mut latest = created.max(paid.unwrap_or(created));
        for f in ["ready", "shipped", "delivered", "cancelled"] {
            if let Some(t) = self.timestamp(cell(f), f)? {
                latest = latest.max(t);
            }
        }
        // METRICS.md §1: unpaid lines carry no money.
        if paid.is_none() || UNPAID_STATUSES.contains(&status.as_str()) {
            return Ok(None);
        }
        let count = |f: &'static str| -> Result<i64, RowError> {
            match parse_count(cell(f)) {
                None => Ok(0),
                Some(Ok(n)) if n >= 0 => Ok(n),
                Some(_) => Err(RowError::Cell(
                    f,
                    format!("{:?} is not a quantity", trim_cell(cell(f))),
                )),
            }
        };
        let quantity = count("quantity")?;
        if quantity == 0 {
            return Err(RowError::Cell(
                "quantity",
                "a paid line with quantity 0".to_string(),
            ));
        }
        let return_quantity = count("return_quantity")?;
        let tax_rate = if map.has("tax_rate") {
            parse_percent_or_ratio(cell("tax_rate"))
                .map_err(|why| RowError::Cell("tax_rate", why))?
        } else {
            None
        };
        let return_type = text("return_type").to_lowercase();
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
            seller_sku: text("seller_sku"),
            product_name: text("product_name"),
            variation: text("variation"),
            category: text("category"),
            status: line_status,
            quantity,
            return_quantity,
            subtotal_before_discount: subtotal,
            seller_discount,
            platform_discount,
            order_shipping,
            order_taxes,
            tax_rate,
            currency: Currency::USD,
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
