//! What the Seller Center analytics importers (docs/formats.md §4) share: `import::live`, `import::video`,
//! `import::product_analytics`, `import::shop_analytics` and `import::affiliate_analytics` each read their
//! exports' rows through one copy of it.
//!
//! - [`read`] is the `read` of every one of them: it hands each kind to its module's reader and makes the
//!   report ([`ImportReport`]): the period the export states (above its header, else in its file name),
//!   else the span of its records' days; the currency it writes, else the options'.
//! - [`Sheet`]: the rows after the header (blank ones counted and skipped), headers matched without their
//!   currency mark (`GMV atribuido a LIVE (MX$)` is the `gmv atribuido a live` alias), the currency the
//!   file writes in its headers and amounts (`R$ 1.686,71`, `MX$0.00`; a lone `$` names none), and rows
//!   kept or skipped with a warning naming their row and column.
//! - [`Cells`]: a row's cells read into a record's figures, or a reason naming the column ([`BadCell`]).
//! - [`daily`] and [`day_row`]: the per-day exports' rows, one [`DailyStat`] each.
//! - Header spellings several exports share.

use super::table::{ColumnMap, ColumnSpec, Rows, Tally, is_blank, one_currency};
use super::values::{DateOrder, parse_timestamp, trim_cell};
use super::{
    ExportKind, FileData, ImportError, ImportReport, ImportedFile, Source, affiliate_analytics,
    live, normalise_header, product_analytics, shop_analytics, video,
};
use crate::content::values::{parse_amount, parse_count, stated_period};
use crate::content::{ContentData, DailyStat, StatSource};
use crate::money::Currency;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::fmt::Write as _;

/// Reads an analytics export after its header: the `read` of each analytics module. Each kind goes to
/// its module's reader, which fills the [`Sheet`] and returns the records.
pub(crate) fn read(
    src: &Source<'_>,
    kind: ExportKind,
    header_line: u64,
    header: &[String],
    rows: &mut dyn Rows,
) -> Result<ImportedFile, ImportError> {
    let mut s = Sheet {
        src,
        kind,
        header_line,
        header,
        rows,
        tally: Tally::default(),
        currency: FileCurrency::default(),
        used_rows: None,
        used_columns: Vec::new(),
        ignored_columns: Vec::new(),
        days: None,
        date_order: None,
        days_read: None,
    };
    let data = match kind {
        ExportKind::LivePerformance => live::sessions(&mut s)?,
        ExportKind::LiveCoreStats => daily(&mut s, StatSource::Live, live::CORE_STATS)?,
        ExportKind::VideoPerformance => video::videos(&mut s)?,
        ExportKind::VideoCoreStats => daily(&mut s, StatSource::Video, video::CORE_STATS)?,
        ExportKind::ProductAnalytics => product_analytics::product_list(&mut s)?,
        ExportKind::ProductCardList => product_analytics::card_list(&mut s)?,
        ExportKind::ProductCardTraffic => product_analytics::card_traffic(&mut s)?,
        ExportKind::ShopKeyMetrics | ExportKind::BusinessOverview => shop_analytics::days(&mut s)?,
        ExportKind::AffiliateCreatorList | ExportKind::AffiliateCoreMetrics => {
            affiliate_analytics::creators(&mut s)?
        }
        _ => return Err(s.header_error(None, "is not an analytics export")),
    };
    Ok(s.imported(data))
}

/// An analytics export being read: the file, its header and rows, and what its report is made of.
pub(super) struct Sheet<'a> {
    /// The file.
    pub src: &'a Source<'a>,
    /// The export.
    pub kind: ExportKind,
    /// The header's line.
    pub header_line: u64,
    /// The header's cells.
    pub header: &'a [String],
    rows: &'a mut dyn Rows,
    /// Rows read and skipped, warnings.
    pub tally: Tally,
    /// The currency marks seen.
    pub currency: FileCurrency,
    /// Rows that became records, when that is not one record a row (`product_list`: one a channel).
    pub used_rows: Option<u64>,
    /// Headers of the columns read.
    pub used_columns: Vec<String>,
    /// Headers of the columns not read.
    pub ignored_columns: Vec<String>,
    /// First and last day of the records (see [`Sheet::saw_day`]).
    pub days: Option<(NaiveDate, NaiveDate)>,
    /// The date order to report when no day cell was looked at ([`Sheet::saw_day_cell`]): the
    /// options' for the LIVE and video exports.
    pub date_order: Option<DateOrder>,
    /// How the day cells looked at were written: the report's date order, and its evidence.
    days_read: Option<DateOrder>,
}

/// What a reader does with one data row: its cells (through the reader's map) and its line.
pub(super) type Row<'r, 'a> =
    dyn FnMut(&mut Sheet<'a>, &Cells<'_>, u64) -> Result<(), ImportError> + 'r;

impl<'a> Sheet<'a> {
    /// Calls `row` with each data row after the header, its cells read through `map`.
    pub fn each_row(&mut self, map: &ColumnMap, row: &mut Row<'_, 'a>) -> Result<(), ImportError> {
        let mut record = csv::StringRecord::new();
        while let Some(line) = self.next_row(&mut record)? {
            row(self, &Cells::new(map, &record), line)?;
        }
        Ok(())
    }

    /// The next data row into `record`, and its line: each row is counted, a blank one skipped.
    pub fn next_row(&mut self, record: &mut csv::StringRecord) -> Result<Option<u64>, ImportError> {
        while let Some(line) = self.rows.next_row(record)? {
            self.tally.rows += 1;
            if !is_blank(record) {
                return Ok(Some(line));
            }
            self.tally.skip("empty row");
        }
        Ok(None)
    }

    /// Maps the header through `spec` ([`Sheet::map`]); its columns are the report's.
    pub fn map_header(&mut self, spec: &[ColumnSpec]) -> Result<ColumnMap, ImportError> {
        let map = self.map(self.header_line, self.header, self.header, spec)?;
        self.used_columns = map.used();
        self.ignored_columns = map.ignored();
        Ok(map)
    }

    /// Maps the headers `visible` (the header row `header` at `line`, with the cells a reader must not
    /// see blanked: the other channels of `product_list`) by their names without a currency mark, so
    /// `GMV (MX$)` is the `gmv` alias; a mark is the file's currency. The map names the columns as
    /// `header` writes them.
    pub fn map(
        &mut self,
        line: u64,
        visible: &[String],
        header: &[String],
        spec: &[ColumnSpec],
    ) -> Result<ColumnMap, ImportError> {
        let mut bare = Vec::with_capacity(visible.len());
        for h in visible {
            let (name, mark) = header_mark(h);
            if let Some(mark) = mark
                && self.currency.is_new(mark)
            {
                let h = trim_cell(h);
                let place = || format!("the header \"{h}\"");
                self.currency.saw(mark, self.src.name, line, h, &place)?;
            }
            bare.push(name);
        }
        let mut map = ColumnMap::new(self.src.name, line, &bare, spec, self.kind.label())?;
        map.raw = header.iter().map(|h| trim_cell(h).to_string()).collect();
        Ok(map)
    }

    /// Whether the row at `line` is kept: one with a `bad` cell is skipped with a warning naming its row
    /// and column; the `amounts` cells of a kept one are looked at for a currency mark.
    pub fn keep(
        &mut self,
        c: &Cells<'_>,
        line: u64,
        bad: Option<&BadCell>,
        amounts: &[&str],
    ) -> Result<bool, ImportError> {
        if let Some(bad) = bad {
            self.tally.skip_cell(line, &bad.column, &bad.why);
            return Ok(false);
        }
        self.amounts(c, amounts, line)?;
        Ok(true)
    }

    /// Looks for a currency mark in the amount cells `keys` of the row at `line`.
    pub fn amounts(&mut self, c: &Cells<'_>, keys: &[&str], line: u64) -> Result<(), ImportError> {
        for key in keys {
            let cell = c.text(key);
            if let Some(mark) = cell_mark(cell)
                && self.currency.is_new(mark)
            {
                let column = c.map.header(key);
                let place = || format!("{cell:?} in row {line}, column \"{column}\"");
                self.currency
                    .saw(mark, self.src.name, line, &column, &place)?;
            }
        }
        Ok(())
    }

    /// The date order of the LIVE and video exports' cells: the options', else year-first. The report
    /// gives the options'.
    pub fn given_date_order(&mut self) -> DateOrder {
        self.date_order = self.src.options.date_order;
        self.date_order.unwrap_or(DateOrder::YearFirst)
    }

    /// Notes a day cell read in `order` (`01/05/2026`) or written year-first (`2026-05-01`): the report
    /// says which, `order` as soon as one cell is not year-first.
    pub fn saw_day_cell(&mut self, cell: &str, order: DateOrder) {
        let year_first = trim_cell(cell)
            .as_bytes()
            .get(..4)
            .is_some_and(|p| p.iter().all(u8::is_ascii_digit));
        if !year_first {
            self.days_read = Some(order);
        } else if self.days_read.is_none() {
            self.days_read = Some(DateOrder::YearFirst);
        }
    }

    /// Notes the day of a record read: the report's period when the export states none.
    pub fn saw_day(&mut self, d: NaiveDate) {
        self.days = Some(self.days.map_or((d, d), |(a, b)| (a.min(d), b.max(d))));
    }

    /// An error about the header: the export `what` (e.g. "has no … column"), at the header's line.
    pub fn header_error(&self, column: Option<&str>, what: &str) -> ImportError {
        ImportError {
            file: self.src.name.to_string(),
            row: Some(self.header_line),
            column: column.map(str::to_string),
            message: format!("the {} {what}", self.kind.label()),
        }
    }

    /// The imported file: its report's period is the stated one ([`stated`]), else the span of its
    /// records' days; its currency is the one it writes, else the options'.
    fn imported(self, data: ContentData) -> ImportedFile {
        let (currency, mut evidence) = self.currency.decide(self.src.options.currency);
        let stated = stated(self.src);
        let _ = match (stated, self.days) {
            (Some(((from, to), how)), _) => write!(evidence, "; period {from} ~ {to} {how}"),
            (None, Some((from, to))) => write!(
                evidence,
                "; no period stated: the rows' days run from {from} to {to}"
            ),
            (None, None) => Ok(()),
        };
        evidence.push_str(match self.days_read {
            Some(DateOrder::DayFirst) => "; days read day-first (dd/mm/yyyy)",
            Some(DateOrder::MonthFirst) => "; days read month-first (mm/dd/yyyy)",
            Some(DateOrder::YearFirst) => "; days written yyyy-mm-dd",
            None => "",
        });
        ImportedFile {
            report: ImportReport {
                name: self.src.name.to_string(),
                kind: self.kind,
                currency,
                market: currency.and_then(crate::settings::default_market),
                date_order: self.days_read.or(self.date_order),
                encoding: self.src.encoding.to_string(),
                evidence,
                rows: self.tally.rows,
                used_rows: self.used_rows.unwrap_or(data.len() as u64),
                skipped: self.tally.skipped(),
                used_columns: self.used_columns,
                ignored_columns: self.ignored_columns,
                date_range: stated.map(|(p, _)| p).or(self.days),
                warnings: self.tally.warnings(),
                vat_in_export: false,
            },
            data: FileData::Content(data),
        }
    }
}

/// The period an export states: in a row above its header (a cell, else the whole row), else in its
/// file name (`…_20260401-20260411.xlsx`); with where it was found.
pub(super) fn stated(src: &Source<'_>) -> Option<((NaiveDate, NaiveDate), &'static str)> {
    src.preamble
        .iter()
        .find_map(|row| {
            row.iter()
                .find_map(|c| stated_period(c))
                .or_else(|| stated_period(&row.join(" ")))
        })
        .map(|p| (p, "stated above the header"))
        .or_else(|| stated_period(src.name).map(|p| (p, "from the file name")))
}

// ---- currency ----------------------------------------------------------------------------------------

/// What a currency mark names.
#[derive(Clone, Copy)]
pub(super) enum Mark {
    /// One currency.
    Currency(Currency),
    /// `$` alone: a dollar or a peso of several markets.
    Dollar,
}

/// Currency marks of the analytics exports, in a cell (`R$ 1.686,71`, `MX$0.00`) or in brackets at the
/// end of a header (`GMV (MX$)`), compared without case. A new market is a row.
const MARKS: &[(&str, &str)] = &[
    ("MX$", "MXN"),
    ("R$", "BRL"),
    ("US$", "USD"),
    ("S$", "SGD"),
    ("RM", "MYR"),
    ("Rp", "IDR"),
    ("£", "GBP"),
    ("€", "EUR"),
    ("₫", "VND"),
    ("đ", "VND"),
    ("฿", "THB"),
    ("₱", "PHP"),
    ("¥", "JPY"),
];

/// What a mark (`R$`, `mx$`, `BRL`, `$`) names, if it is one: a symbol of [`MARKS`], `$`, or the ISO
/// code of a market Margin Lab knows (never any three letters: `SKU`).
fn mark(text: &str) -> Option<Mark> {
    let m = text.trim();
    if m == "$" {
        return Some(Mark::Dollar);
    }
    MARKS
        .iter()
        .find(|(s, _)| s.eq_ignore_ascii_case(m))
        .and_then(|(_, code)| Currency::from_code(code))
        .or_else(|| {
            Currency::from_code(m).filter(|c| crate::settings::default_market(*c).is_some())
        })
        .map(Mark::Currency)
}

/// The currency mark of an amount cell (`R$ 1.686,71`, `MX$0.00`, `1.000 VND`): the text before its
/// first digit (a sign aside), else the text after its last one.
fn cell_mark(cell: &str) -> Option<Mark> {
    let t = trim_cell(cell);
    let start = t.find(|c: char| c.is_ascii_digit())?;
    let end = t.rfind(|c: char| c.is_ascii_digit())? + 1;
    mark(t.get(..start)?.trim().trim_matches('-')).or_else(|| mark(t.get(end..)?))
}

/// A header normalised without the currency mark in brackets at its end (`GMV (MX$)` → `gmv`), and
/// the mark.
pub(super) fn header_mark(raw: &str) -> (String, Option<Mark>) {
    let n = normalise_header(raw);
    if let Some(body) = n.strip_suffix(')')
        && let Some(open) = body.rfind('(')
        && let Some(m) = body.get(open + 1..).and_then(mark)
    {
        return (normalise_header(body.get(..open).unwrap_or("")), Some(m));
    }
    (n, None)
}

/// The file's currency, from the marks its headers and amounts write, with where it was found.
#[derive(Default)]
pub(super) struct FileCurrency {
    currency: Option<Currency>,
    /// Where the currency was found.
    evidence: String,
    /// Where `$` alone was first seen.
    dollar: Option<String>,
}

impl FileCurrency {
    /// True when `mark` would change what is known: another currency, or the first `$`.
    fn is_new(&self, mark: Mark) -> bool {
        match mark {
            Mark::Currency(c) => self.currency != Some(c),
            Mark::Dollar => self.dollar.is_none(),
        }
    }

    /// A mark found at `line` in `column`, `place` saying where for the evidence: the first currency is
    /// the file's, another one is an error naming the row and column (one file holds one shop's
    /// currency).
    fn saw(
        &mut self,
        mark: Mark,
        file: &str,
        line: u64,
        column: &str,
        place: &dyn Fn() -> String,
    ) -> Result<(), ImportError> {
        match mark {
            Mark::Currency(c) => {
                if one_currency(&mut self.currency, c, file, line, column.to_string())? {
                    self.evidence = place();
                }
            }
            Mark::Dollar if self.dollar.is_none() => self.dollar = Some(place()),
            Mark::Dollar => {}
        }
        Ok(())
    }

    /// The file's currency and why: its mark, else the one `chosen` in the import options (`$` alone
    /// names none), else none.
    fn decide(self, chosen: Option<Currency>) -> (Option<Currency>, String) {
        match (self.currency, self.dollar, chosen) {
            (Some(c), _, _) => (Some(c), format!("currency {c} from {}", self.evidence)),
            (None, Some(d), Some(c)) => (
                Some(c),
                format!(
                    "amounts are written with \"$\" alone ({d}), which does not say which currency: the one chosen \
                     for the file ({c}) is used"
                ),
            ),
            (None, Some(d), None) => (
                None,
                format!(
                    "amounts are written with \"$\" alone ({d}), which does not say which currency (US dollar, \
                     Mexican peso…): none is assumed — choose the file's currency to use its amounts"
                ),
            ),
            (None, None, Some(c)) => (
                Some(c),
                format!("no currency written in the file: {c} as chosen in the import options"),
            ),
            (None, None, None) => (
                None,
                "no currency written in the file (no R$, MX$ or currency code in its headers or amounts) \
                 and none chosen: its amounts have no currency"
                    .to_string(),
            ),
        }
    }
}

// ---- cells -------------------------------------------------------------------------------------------

/// A cell that stops its row from being read: the column as the file writes it, and why.
pub(super) struct BadCell {
    /// The column's header.
    pub column: String,
    /// What is wrong.
    pub why: String,
}

/// The cells of one row, by field.
pub(super) struct Cells<'a> {
    /// The file's columns.
    pub map: &'a ColumnMap,
    /// The row.
    pub record: &'a csv::StringRecord,
}

impl<'a> Cells<'a> {
    /// The cells of `record` through `map`.
    pub fn new(map: &'a ColumnMap, record: &'a csv::StringRecord) -> Cells<'a> {
        Cells { map, record }
    }

    /// A field's cell, trimmed ("" when the file has no such column).
    pub fn text(&self, key: &str) -> &'a str {
        trim_cell(self.map.cell(self.record, key))
    }

    /// An error about a field's cell.
    pub fn bad(&self, key: &str, why: String) -> BadCell {
        BadCell {
            column: self.map.header(key),
            why,
        }
    }

    /// The error of a field's cell that is not `what` (`"a date"`).
    pub fn not(&self, key: &str, what: &str) -> BadCell {
        self.bad(key, format!("{:?} is not {what}", self.text(key)))
    }

    /// The `first` field when the file has its column, else `then` (an attributed figure over the
    /// direct one).
    pub fn pick(&self, first: &'static str, then: &'static str) -> &'static str {
        if self.map.has(first) { first } else { then }
    }

    /// An amount; `None` when the file has no such column or the cell holds no value (blank, `-`, `N/A`).
    pub fn amount(&self, key: &str) -> Result<Option<Decimal>, BadCell> {
        parse_amount(self.text(key)).map_err(|_| self.not(key, "an amount"))
    }

    /// A count; `None` when the file has no such column or the cell holds no value (blank, `-`, `N/A`).
    /// Counts written with separators (`1.234.567`, `1,234,567`: a video's views pass a million) are read
    /// as whole amounts.
    pub fn count(&self, key: &str) -> Result<Option<i64>, BadCell> {
        let t = self.text(key);
        match parse_count(t) {
            Ok(n) => Ok(n),
            Err(_) if t.bytes().all(|b| b.is_ascii_digit() || b"-,.".contains(&b)) => {
                match parse_amount(t) {
                    Ok(None) => Ok(None),
                    Ok(Some(v)) if v.fract().is_zero() => v
                        .to_i64()
                        .map(Some)
                        .ok_or_else(|| self.not(key, "a whole number")),
                    _ => Err(self.not(key, "a whole number")),
                }
            }
            // `N/A`: no value.
            Err(_) if matches!(parse_amount(t), Ok(None)) => Ok(None),
            Err(_) => Err(self.not(key, "a whole number")),
        }
    }

    /// An amount the record cannot do without: a blank cell is an error.
    pub fn needed_amount(&self, key: &str) -> Result<Decimal, BadCell> {
        self.amount(key)?
            .ok_or_else(|| self.holds_no(key, "amount"))
    }

    /// A count the record cannot do without: a blank cell is an error.
    pub fn needed_count(&self, key: &str) -> Result<i64, BadCell> {
        self.count(key)?.ok_or_else(|| self.holds_no(key, "number"))
    }

    fn holds_no(&self, key: &str, what: &str) -> BadCell {
        self.bad(key, format!("{:?} holds no {what}", self.text(key)))
    }

    /// A day: `2026-05-01`, or `01/05/2026` in `order`.
    pub fn day(&self, key: &str, order: DateOrder) -> Result<NaiveDate, BadCell> {
        match parse_timestamp(self.text(key), order) {
            Ok(Some(t)) => Ok(t.date()),
            _ => Err(self.not(key, "a date")),
        }
    }
}

// ---- per-day exports ---------------------------------------------------------------------------------

/// One day's figures from its row's cells: each field of [`DailyStat`] from the column of its name
/// (`gmv`, `refunds`, `orders`, `items`, `customers`, `views`, `visitors`, `page_views`, `impressions`,
/// `clicks`, `sessions`; `None` without one). SKU orders are the attributed ones where the file has
/// them (`orders_attributed`).
fn daily_stat(c: &Cells<'_>, source: StatSource, date: NaiveDate) -> Result<DailyStat, BadCell> {
    Ok(DailyStat {
        source,
        date,
        gmv: c.amount("gmv")?,
        refunds: c.amount("refunds")?,
        orders: c.count(c.pick("orders_attributed", "orders"))?,
        items: c.count("items")?,
        customers: c.count("customers")?,
        views: c.count("views")?,
        visitors: c.count("visitors")?,
        page_views: c.count("page_views")?,
        impressions: c.count("impressions")?,
        clicks: c.count("clicks")?,
        sessions: c.count("sessions")?,
    })
}

/// A per-day core stats export (LIVE or video): one [`DailyStat`] per day row, through `spec` (see
/// [`daily_stat`]). A totals row and a row without a day are skipped.
fn daily(
    s: &mut Sheet<'_>,
    source: StatSource,
    spec: &[ColumnSpec],
) -> Result<ContentData, ImportError> {
    let map = s.map_header(spec)?;
    let order = s.given_date_order();
    let mut out = Vec::new();
    s.each_row(&map, &mut |s, c, line| {
        let date_text = c.text("date");
        if is_total(date_text) {
            s.tally.skip("total row");
            return Ok(());
        }
        if date_text.is_empty() {
            s.tally.skip("row without a day");
            return Ok(());
        }
        day_row(s, c, line, source, order, false, &mut out)
    })?;
    Ok(ContentData::Daily(out))
}

/// Reads a day row of a per-day export into `out`: its day (`date`, in `order`) and its figures
/// ([`daily_stat`]), or a skip naming the bad cell. `track`: the report says how the day cells were
/// written ([`Sheet::saw_day_cell`]).
pub(super) fn day_row(
    s: &mut Sheet<'_>,
    c: &Cells<'_>,
    line: u64,
    source: StatSource,
    order: DateOrder,
    track: bool,
    out: &mut Vec<DailyStat>,
) -> Result<(), ImportError> {
    let read = c.day("date", order).and_then(|date| {
        if track {
            s.saw_day_cell(c.text("date"), order);
        }
        daily_stat(c, source, date)
    });
    if s.keep(c, line, read.as_ref().err(), &["gmv", "refunds"])?
        && let Ok(day) = read
    {
        s.saw_day(day.date);
        out.push(day);
    }
    Ok(())
}

/// First cells that mark a totals row (compared lower case).
const TOTAL_MARKERS: &[&str] = &[
    "-",
    "total",
    "totals",
    "total value",
    "totales",
    "valor total",
    "summary",
    "resumen",
    "resumo",
    "tổng",
    "รวม",
];

/// True for the first cell of a totals row.
pub(super) fn is_total(cell: &str) -> bool {
    TOTAL_MARKERS.contains(&cell.to_lowercase().as_str())
}

// ---- header spellings several exports share (normalised: lower case, single spaces) -----------------

/// The day column of the LIVE and video core stats (`Hora` holds the day).
pub(super) const DAY: ColumnSpec = ("date", true, &["hora", "date", "time", "fecha", "data"]);

/// Attributed SKU orders.
pub(super) const ATTRIBUTED_SKU_ORDERS: &[&str] = &[
    "pedidos con sku atribuidos",
    "attributed sku orders",
    "pedidos de sku atribuídos",
];

/// SKU orders, direct.
pub(super) const SKU_ORDERS: &[&str] = &[
    "pedidos con sku",
    "sku orders",
    "pedidos de sku",
    "pedido de sku",
];

/// Items sold, direct.
pub(super) const ITEMS_SOLD: &[&str] = &["artículos vendidos", "items sold", "itens vendidos"];

/// Product impressions as the LIVE and video exports write them.
pub(super) const PRODUCTS_IMPRESSIONS: &[&str] = &[
    "impresiones de productos",
    "product impressions",
    "impressões de produtos",
];

/// Product clicks as the LIVE and video exports write them.
pub(super) const PRODUCTS_CLICKS: &[&str] = &[
    "clics de productos",
    "product clicks",
    "cliques em produtos",
    "cliques de produtos",
];

/// Product impressions as the product and shop exports write them.
pub(super) const PRODUCT_IMPRESSIONS: &[&str] = &[
    "impresiones del producto",
    "product impressions",
    "impressões do produto",
];

/// Product clicks as the product and shop exports write them.
pub(super) const PRODUCT_CLICKS: &[&str] = &[
    "clics en el producto",
    "product clicks",
    "cliques no produto",
];
