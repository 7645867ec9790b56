//! The Seller Center Orders export (docs/formats.md §1): one row per SKU line of an order.

use super::table::{ColumnMap, ColumnSpec, Rows, Tally};
use super::values::{DateOrder, clean_id, parse_count, parse_timestamp, trim_cell};
use super::{ExportKind, FileData, ImportError, ImportReport, ImportedFile, Source};
use crate::ledger::{LineStatus, OrderLine};
use crate::money::{Currency, parse_money, parse_percent};
use chrono::NaiveDateTime;
use rust_decimal::Decimal;
use std::sync::Arc;

/// The columns the importer reads: field key, required, header aliases (normalised). A new market's
/// spelling is a new alias here, not a new branch (docs/style.md §4).
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
    // Order-level values repeated on every line of the order (docs/formats.md §1.5): taken once per order.
    (
        "shipping_fee_after_discount",
        false,
        &["shipping fee after discount"],
    ),
    ("taxes", false, &["taxes"]),
    ("created", true, &["created time"]),
    ("paid", true, &["paid time"]),
    // UK spells it "RTH Time" (docs/formats.md §1.2).
    ("ready", false, &["rts time", "rth time"]),
    ("shipped", false, &["shipped time"]),
    ("delivered", false, &["delivered time"]),
    ("cancelled", false, &["cancelled time", "canceled time"]),
    ("category", false, &["product category"]),
    ("tax_rate", false, &["product tax rate"]),
    // Hashed in memory for the repeat-purchase rate, never kept as text (docs/metrics.md §2).
    (
        "buyer",
        false,
        &["buyer username", "buyer user name", "buyer id"],
    ),
];

/// What a [`RowState`] keeps to read rows faster: shared texts, the last status and date. Cloning a
/// state starts an empty cache (a part of a split import shares nothing with another thread's), and
/// two states compare equal whatever their caches hold.
#[derive(Debug, Default)]
pub(crate) struct RowCache {
    texts: Texts,
    /// The last `Order Status` seen and whether it means unpaid and cancelled (statuses repeat).
    status: Option<(String, bool, bool)>,
    /// The last date read from a timestamp (neighbouring rows share their day).
    date: super::values::DateCache,
}

impl Clone for RowCache {
    fn clone(&self) -> RowCache {
        RowCache::default()
    }
}

impl PartialEq for RowCache {
    fn eq(&self, _: &RowCache) -> bool {
        true
    }
}

impl Eq for RowCache {}

/// Positions of the fields in [`COLUMNS`]: each row's cells are found through
/// `ColumnMap::indices`, once per file, not by name.
mod field {
    pub const ORDER_ID: usize = 0;
    pub const STATUS: usize = 1;
    pub const RETURN_TYPE: usize = 2;
    pub const SKU_ID: usize = 3;
    pub const SELLER_SKU: usize = 4;
    pub const PRODUCT_NAME: usize = 5;
    pub const VARIATION: usize = 6;
    pub const QUANTITY: usize = 7;
    pub const RETURN_QUANTITY: usize = 8;
    pub const SUBTOTAL: usize = 9;
    pub const PLATFORM_DISCOUNT: usize = 10;
    pub const SELLER_DISCOUNT: usize = 11;
    pub const SHIPPING: usize = 12;
    pub const TAXES: usize = 13;
    pub const CREATED: usize = 14;
    pub const PAID: usize = 15;
    pub const READY: usize = 16;
    pub const SHIPPED: usize = 17;
    pub const DELIVERED: usize = 18;
    pub const CANCELLED: usize = 19;
    pub const CATEGORY: usize = 20;
    pub const TAX_RATE: usize = 21;
    pub const BUYER: usize = 22;
}

/// A row's cells by field position (see [`field`]).
struct Cells<'r> {
    record: &'r csv::StringRecord,
    columns: &'r [Option<usize>],
}

impl<'r> Cells<'r> {
    /// The cell of a field ("" when the file or the row lacks it).
    fn get(&self, f: usize) -> &'r str {
        self.columns
            .get(f)
            .copied()
            .flatten()
            .and_then(|i| self.record.get(i))
            .unwrap_or("")
    }
    /// The field's key in [`COLUMNS`] (for messages).
    fn key(f: usize) -> &'static str {
        COLUMNS.get(f).map_or("", |c| c.0)
    }
}

/// The texts a file repeats on every line of a SKU (SKU ID, seller SKU, product name, variation,
/// category), shared: each distinct text is allocated once per import (or per part of a split import)
/// and every line holds a reference to it.
#[derive(Debug, Default)]
pub(crate) struct Texts {
    known: rustc_hash::FxHashSet<Arc<str>>,
    /// The last text of each field: consecutive lines often repeat it.
    last: [Option<Arc<str>>; 5],
}

impl Texts {
    /// The shared copy of `t`, as field `slot` (0–4) of a line.
    fn get(&mut self, slot: usize, t: &str) -> Arc<str> {
        if let Some(Some(last)) = self.last.get(slot)
            && **last == *t
        {
            return last.clone();
        }
        let shared = match self.known.get(t) {
            Some(k) => k.clone(),
            None => {
                let k: Arc<str> = Arc::from(t);
                self.known.insert(k.clone());
                k
            }
        };
        if let Some(l) = self.last.get_mut(slot) {
            *l = Some(shared.clone());
        }
        shared
    }
}

/// True when `t` lower-cased is one of `list` (lower case): ASCII cells are compared without
/// allocating a lower-cased copy.
fn lower_in(t: &str, list: &[&str]) -> bool {
    if t.is_ascii() {
        list.iter().any(|x| x.eq_ignore_ascii_case(t))
    } else {
        let l = t.to_lowercase();
        list.contains(&l.as_str())
    }
}

/// `Order Status` values meaning "not paid", in the languages of docs/formats.md §1.3 (lower case).
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
/// The description row of XLSX (and some CSV) exports starts with this sentence (docs/formats.md §1.4).
const DESCRIPTION_MARKER: &str = "platform unique order id";

/// Reads the rows of an Orders export after its header.
pub(crate) fn read(
    src: &Source<'_>,
    header_line: u64,
    header: &[String],
    rows: &mut dyn Rows,
) -> Result<ImportedFile, ImportError> {
    let layout = Layout::new(src, header_line, header)?;
    let mut state = RowState::new(src, &layout);
    let mut part = Part::default();
    if let Some(bytes) = src.options.size_hint {
        part.lines.reserve(lines_in(bytes));
    }
    read_rows(src, &layout, &mut state, rows, &mut part, None, 0)?;
    Ok(finish(src, &layout, state, part))
}

/// Bytes per Orders row assumed when reserving room for a file's lines: below what exports have
/// (530 bytes per row for the generated ones, 740–810 for the real US and UK fixtures), so that the
/// room reserved is rarely too small (then it grows as usual) and never more than about 1.6× the lines'.
const RESERVE_BYTES_PER_ROW: u64 = 500;

/// The lines to reserve room for in an Orders CSV of `bytes` bytes (capped: a size is not a promise).
fn lines_in(bytes: u64) -> usize {
    usize::try_from(bytes / RESERVE_BYTES_PER_ROW)
        .unwrap_or(usize::MAX)
        .min(1 << 24)
}

/// What a file's header decides for all its rows.
pub(crate) struct Layout {
    map: ColumnMap,
    /// Column of each field of [`COLUMNS`], by position.
    columns: Vec<Option<usize>>,
    header_len: usize,
    uk_layout: bool,
}

impl Layout {
    /// Maps the header; a missing required column is an error naming it.
    pub(crate) fn new(
        src: &Source<'_>,
        header_line: u64,
        header: &[String],
    ) -> Result<Layout, ImportError> {
        let map = ColumnMap::new(src.name, header_line, header, COLUMNS, "Orders export")?;
        // The UK layout (docs/formats.md §1.2) names its columns differently: evidence for day-first dates
        // and pounds when the amounts carry no currency code (a file re-saved by a spreadsheet).
        let uk_layout = header
            .iter()
            .map(|h| super::normalise_header(h))
            .any(|h| UK_LAYOUT_COLUMNS.contains(&h.as_str()));
        Ok(Layout {
            columns: map.indices(COLUMNS),
            map,
            header_len: header.len(),
            uk_layout,
        })
    }
}

/// The lines, counts and warnings of a run of rows (a whole file, or one part of it read apart).
#[derive(Debug, Default)]
pub(crate) struct Part {
    pub lines: Vec<OrderLine>,
    pub tally: Tally,
    /// What [`finish`] needs to know of all the lines, noted as each is read (while it is in the cache,
    /// and by each part's own thread): no pass over every line after the import.
    seen: Seen,
}

/// What the lines read so far hold, for [`finish`].
#[derive(Debug, Default, Clone, Copy)]
struct Seen {
    /// The first and last creation dates.
    dates: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    /// The currency every line holds, or `None` once two differ.
    currency: Option<Currency>,
    mixed_currency: bool,
    /// Some line carries a tax rate / a non-zero one.
    any_rate: bool,
    nonzero_rate: bool,
}

impl Seen {
    fn note(&mut self, line: &OrderLine) {
        let d = line.created.date();
        self.dates = Some(match self.dates {
            None => (d, d),
            Some((a, b)) => (a.min(d), b.max(d)),
        });
        match self.currency {
            None if !self.mixed_currency => self.currency = Some(line.currency),
            Some(c) if c != line.currency => {
                self.currency = None;
                self.mixed_currency = true;
            }
            _ => {}
        }
        if let Some(r) = line.tax_rate {
            self.any_rate = true;
            self.nonzero_rate |= !r.is_zero();
        }
    }

    /// What the lines of both hold.
    #[cfg(feature = "parallel")]
    fn merge(self, next: Seen) -> Seen {
        let dates = match (self.dates, next.dates) {
            (Some((a, b)), Some((c, d))) => Some((a.min(c), b.max(d))),
            (x, None) | (None, x) => x,
        };
        let mixed_currency = self.mixed_currency
            || next.mixed_currency
            || matches!((self.currency, next.currency), (Some(a), Some(b)) if a != b);
        Seen {
            dates,
            currency: if mixed_currency {
                None
            } else {
                self.currency.or(next.currency)
            },
            mixed_currency,
            any_rate: self.any_rate || next.any_rate,
            nonzero_rate: self.nonzero_rate || next.nonzero_rate,
        }
    }
}

#[cfg(feature = "parallel")]
impl Part {
    /// Appends the next part of the same file.
    pub(crate) fn append(&mut self, mut next: Part) {
        self.lines.append(&mut next.lines);
        self.tally.merge(next.tally);
        self.seen = self.seen.merge(next.seen);
    }
}

/// Reads rows into `part` until the rows end or, with `limit`, after that many rows; returns true when
/// stopped by the limit. `line_offset` is added to the rows' own line numbers (a part of a file read
/// from its middle counts its lines from there).
pub(crate) fn read_rows(
    src: &Source<'_>,
    layout: &Layout,
    state: &mut RowState,
    rows: &mut dyn Rows,
    part: &mut Part,
    limit: Option<u64>,
    line_offset: u64,
) -> Result<bool, ImportError> {
    let name = src.name;
    let map = &layout.map;
    let err = |row: Option<u64>, column: Option<String>, message: String| ImportError {
        file: name.to_string(),
        row,
        column,
        message,
    };
    let mut record = csv::StringRecord::new();
    let tally = &mut part.tally;
    let mut read = 0u64;
    loop {
        if limit.is_some_and(|l| read >= l) {
            return Ok(true);
        }
        let Some(line_no) = rows.next_row(&mut record)? else {
            return Ok(false);
        };
        let line_no = line_no + line_offset;
        read += 1;
        tally.rows += 1;
        if record.iter().all(|c| trim_cell(c).is_empty()) {
            tally.skip("empty row");
            continue;
        }
        if record.len() < layout.header_len / 2 {
            tally.skip("incomplete row");
            tally.warn(format!(
                    "row {line_no} has {} of {} columns: the file looks cut off (an interrupted download?); row skipped",
                    record.len(),
                    layout.header_len
                ));
            continue;
        }
        let cells = Cells {
            record: &record,
            columns: &layout.columns,
        };
        // The description row: its Order ID cell is a sentence, not an 18-19 digit ID.
        let raw_id = trim_cell(cells.get(field::ORDER_ID));
        if !raw_id.bytes().all(|b| b.is_ascii_digit())
            && raw_id.to_lowercase().contains(DESCRIPTION_MARKER)
        {
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
        let sku_raw = trim_cell(cells.get(field::SKU_ID));
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
        match state.read_line(&cells, map, order_id, &sku_id) {
            Ok(Some(line)) => {
                part.seen.note(&line);
                part.lines.push(line);
            }
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
}

/// The file's import: its lines in the currency decided, and what the import found.
pub(crate) fn finish(
    src: &Source<'_>,
    layout: &Layout,
    mut state: RowState,
    part: Part,
) -> ImportedFile {
    let Part {
        mut lines,
        tally,
        seen,
    } = part;
    let mut warnings = tally.warnings();
    let not_data = tally.skipped_for("description row") + tally.skipped_for("empty row");
    if tally.rows == not_data {
        warnings.push("the file has a header but no order rows".to_string());
    }
    let currency = match state.currency {
        Some(c) => c,
        None if layout.uk_layout => {
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
    let date_range = seen.dates;
    // Lines read after the currency was decided hold it already; the others are set now.
    if seen.mixed_currency || seen.currency.is_some_and(|c| c != currency) {
        for l in &mut lines {
            l.currency = currency;
        }
    }

    // docs/metrics.md §2 output_vat: VAT comes from the export only when some line carries a rate. A
    // file whose tax columns are 0 on every line carries no VAT information (a UK shop's export before
    // TikTok fills them): its lines take the costs sheet's or the settings' rate instead.
    let vat_in_export = seen.nonzero_rate;
    if !vat_in_export && seen.any_rate {
        for l in &mut lines {
            l.tax_rate = None;
        }
    }
    // Room reserved from the file's size and not used goes back to the allocator.
    lines.shrink_to_fit();
    ImportedFile {
        report: ImportReport {
            name: src.name.to_string(),
            kind: ExportKind::Orders,
            currency: Some(currency),
            market: crate::settings::default_market(currency),
            date_order: state.date_order,
            encoding: src.encoding.to_string(),
            evidence: state.evidence.join("; "),
            rows: tally.rows,
            used_rows: lines.len() as u64,
            skipped: tally.skipped(),
            used_columns: layout.map.used(),
            ignored_columns: layout.map.ignored(),
            date_range,
            warnings,
            vat_in_export,
        },
        data: FileData::Orders(lines),
    }
}

enum RowError {
    /// A cell that cannot be read: its column and why.
    Cell(&'static str, String),
    /// A money cell in another currency than the file's: the currency and the column.
    Mixed(Currency, &'static str),
}

/// Decisions taken once per file from the first rows' evidence (docs/formats.md §7.6), then applied to all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RowState {
    /// What rows repeat, kept to read the next rows faster (not a decision: left out of comparisons
    /// of states).
    cache: RowCache,
    currency: Option<Currency>,
    date_order: Option<DateOrder>,
    evidence: Vec<String>,
    uk_layout: bool,
}

/// Columns only the UK Orders export has (docs/formats.md §1.2).
const UK_LAYOUT_COLUMNS: &[&str] = &[
    "rth time",
    "house name or number",
    "county",
    "product tax rate",
];

impl RowState {
    /// The state before any row: only the user's overrides are known.
    pub(crate) fn new(src: &Source<'_>, layout: &Layout) -> RowState {
        let mut state = RowState {
            cache: RowCache::default(),
            currency: src.options.currency,
            date_order: src.options.date_order,
            evidence: Vec::new(),
            uk_layout: layout.uk_layout,
        };
        if src.options.currency.is_some() {
            state.evidence.push("currency set by you".to_string());
        }
        if src.options.date_order.is_some() {
            state.evidence.push("date order set by you".to_string());
        }
        state
    }

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
                // clock, day first (docs/formats.md §5). Decided on the first timestamp, kept for the file:
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
        super::values::parse_timestamp_cached(t, order, &mut self.cache.date).map_err(|_| {
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
        cells: &Cells<'_>,
        map: &ColumnMap,
        order_id: String,
        sku_id: &str,
    ) -> Result<Option<OrderLine>, RowError> {
        use field as f;
        let cell = |f: usize| cells.get(f);
        let status = trim_cell(cell(f::STATUS));
        let (unpaid, cancelled) = match &self.cache.status {
            Some((last, unpaid, cancelled)) if last == status => (*unpaid, *cancelled),
            _ => {
                let both = (
                    lower_in(status, UNPAID_STATUSES),
                    lower_in(status, CANCELLED_STATUSES),
                );
                self.cache.status = Some((status.to_string(), both.0, both.1));
                both
            }
        };
        let key = Cells::key;

        let subtotal = self.money(cell(f::SUBTOTAL), key(f::SUBTOTAL))?;
        let seller_discount = self.money(cell(f::SELLER_DISCOUNT), key(f::SELLER_DISCOUNT))?;
        let platform_discount =
            self.money(cell(f::PLATFORM_DISCOUNT), key(f::PLATFORM_DISCOUNT))?;
        let order_shipping = self.money(cell(f::SHIPPING), key(f::SHIPPING))?;
        let order_taxes = self.money(cell(f::TAXES), key(f::TAXES))?;
        let created = self
            .timestamp(cell(f::CREATED), key(f::CREATED))?
            .ok_or_else(|| {
                RowError::Cell("created", "the order has no created time".to_string())
            })?;
        let paid = self.timestamp(cell(f::PAID), key(f::PAID))?;
        let mut latest = created.max(paid.unwrap_or(created));
        for fi in [f::READY, f::SHIPPED, f::DELIVERED, f::CANCELLED] {
            if let Some(t) = self.timestamp(cell(fi), key(fi))? {
                latest = latest.max(t);
            }
        }
        // docs/metrics.md §1: unpaid lines carry no money.
        if paid.is_none() || unpaid {
            return Ok(None);
        }
        let count = |fi: usize| -> Result<i64, RowError> {
            match parse_count(cell(fi)) {
                None => Ok(0),
                Some(Ok(n)) if n >= 0 => Ok(n),
                Some(_) => Err(RowError::Cell(
                    key(fi),
                    format!("{:?} is not a quantity", trim_cell(cell(fi))),
                )),
            }
        };
        let quantity = count(f::QUANTITY)?;
        if quantity == 0 {
            return Err(RowError::Cell(
                "quantity",
                "a paid line with quantity 0".to_string(),
            ));
        }
        let return_quantity = count(f::RETURN_QUANTITY)?;
        let tax_rate = if map.has("tax_rate") {
            parse_percent_or_ratio(cell(f::TAX_RATE))
                .map_err(|why| RowError::Cell("tax_rate", why))?
        } else {
            None
        };
        let line_status = if subtotal.is_zero() {
            LineStatus::Sample
        } else if cancelled {
            LineStatus::Cancelled
        } else if lower_in(trim_cell(cell(f::RETURN_TYPE)), RETURN_TYPES) {
            LineStatus::Returned
        } else {
            LineStatus::Sold
        };
        let texts = &mut self.cache.texts;
        Ok(Some(OrderLine {
            order_id,
            sku_id: texts.get(0, sku_id),
            seller_sku: texts.get(1, trim_cell(cell(f::SELLER_SKU))),
            product_name: texts.get(2, trim_cell(cell(f::PRODUCT_NAME))),
            variation: texts.get(3, trim_cell(cell(f::VARIATION))),
            category: texts.get(4, trim_cell(cell(f::CATEGORY))),
            status: line_status,
            quantity,
            return_quantity,
            subtotal_before_discount: subtotal,
            seller_discount,
            platform_discount,
            order_shipping,
            order_taxes,
            tax_rate,
            // The currency decided so far; [`finish`] sets the file's on any line read before it.
            currency: self.currency.unwrap_or(Currency::USD),
            created,
            latest,
            buyer: crate::ledger::buyer_hash(cell(f::BUYER)),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_positions_name_their_columns() {
        let want = [
            (field::ORDER_ID, "order_id"),
            (field::STATUS, "status"),
            (field::RETURN_TYPE, "return_type"),
            (field::SKU_ID, "sku_id"),
            (field::SELLER_SKU, "seller_sku"),
            (field::PRODUCT_NAME, "product_name"),
            (field::VARIATION, "variation"),
            (field::QUANTITY, "quantity"),
            (field::RETURN_QUANTITY, "return_quantity"),
            (field::SUBTOTAL, "subtotal_before_discount"),
            (field::PLATFORM_DISCOUNT, "platform_discount"),
            (field::SELLER_DISCOUNT, "seller_discount"),
            (field::SHIPPING, "shipping_fee_after_discount"),
            (field::TAXES, "taxes"),
            (field::CREATED, "created"),
            (field::PAID, "paid"),
            (field::READY, "ready"),
            (field::SHIPPED, "shipped"),
            (field::DELIVERED, "delivered"),
            (field::CANCELLED, "cancelled"),
            (field::CATEGORY, "category"),
            (field::TAX_RATE, "tax_rate"),
            (field::BUYER, "buyer"),
        ];
        assert_eq!(want.len(), COLUMNS.len());
        for (f, key) in want {
            assert_eq!(Cells::key(f), key);
        }
    }

    #[test]
    fn statuses_compare_like_lower_case() {
        assert!(lower_in("Canceled", CANCELLED_STATUSES));
        assert!(lower_in("CANCELLED", CANCELLED_STATUSES));
        assert!(lower_in("Đã hủy", CANCELLED_STATUSES));
        assert!(lower_in("Não pago", UNPAID_STATUSES));
        assert!(!lower_in("Completed", CANCELLED_STATUSES));
    }
}
