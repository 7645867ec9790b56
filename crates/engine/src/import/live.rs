//! Analytics → LIVE exports (docs/formats.md §4): the Creator LIVE Performance list (one row per LIVE
//! session, both the schema before May 2026 — `Gross revenue`, `Direct GMV`, `Viewers` — and the one after
//! — `Attributed GMV`, no `Viewers`) and the LIVE core stats (one row per day), into the content layer's
//! records (`content::LiveSession`, `content::DailyStat`; docs/metrics.md §11).
//!
//! What the real files show (tests/fixtures/analytics/): the period the export covers stands above the
//! header (`2025-09-20 ~ 2026-03-19`, `Rango de fechas: 2026-05-01 ~ 2026-05-31` with a line break inside the
//! cell); every cell may be text; money is written the market's way (`R$ 1.686,71`, `$0.00`, `MX$` in a
//! header); a LIVE still running when the file was exported has a negative `Duration`; a day without a LIVE
//! in the core stats has blank or `N/A` cells.
//!
//! The pieces both this reader and `import::video` need — the currency written in amounts and headers, the
//! stated period, reading a row's cells, the per-day core stats reader and the report — are here.

use super::table::{ColumnMap, ColumnSpec, Rows, Tally, is_blank, one_currency};
use super::values::{DateOrder, parse_timestamp, trim_cell};
use super::{ExportKind, FileData, ImportError, ImportOptions, ImportReport, ImportedFile, Source};
use crate::content::values::{parse_amount, parse_count, parse_duration_secs, stated_period};
use crate::content::{ContentData, DailyStat, LiveSession, StatSource};
use crate::money::Currency;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// Creator LIVE Performance: one row per session. Aliases are normalised headers (lower case, single
/// spaces): English as the real exports write them (BR and MX shops both export English headers), then
/// Spanish and Portuguese spellings of the same figures in TikTok's vocabulary of the other analytics
/// exports. A new language is aliases here.
const PERFORMANCE: &[ColumnSpec] = &[
    (
        "title",
        true,
        &["livestream", "transmisión en vivo", "transmissão ao vivo"],
    ),
    (
        "start",
        true,
        &[
            "start time",
            "hora de inicio",
            "hora de início",
            "horário de início",
        ],
    ),
    ("duration", true, &["duration", "duración", "duração"]),
    // Schema before May 2026.
    (
        "gross_revenue",
        false,
        &["gross revenue", "ingresos brutos", "receita bruta"],
    ),
    // Schema after May 2026.
    (
        "attributed_gmv",
        false,
        &[
            "attributed gmv",
            "gmv atribuido",
            "gmv atribuido a live",
            "gmv atribuído",
            "gmv atribuído à live",
        ],
    ),
    (
        "direct_gmv",
        false,
        &["direct gmv", "gmv directo", "gmv direto"],
    ),
    (
        "items",
        true,
        &[
            "items sold",
            "attributed items sold",
            "artículos vendidos",
            "ventas de artículos atribuidas",
            "itens vendidos",
            "itens vendidos atribuídos",
        ],
    ),
    ("customers", true, &["customers", "clientes"]),
    (
        "orders",
        true,
        &[
            "orders paid for",
            "attributed sku orders",
            "pedidos pagados",
            "pedidos con sku atribuidos",
            "pedidos pagos",
            "pedidos de sku atribuídos",
        ],
    ),
    ("views", true, &["views", "vistas", "visualizações"]),
    ("viewers", false, &["viewers", "espectadores"]),
    (
        "product_impressions",
        true,
        &[
            "product impressions",
            "impresiones de productos",
            "impressões de produtos",
        ],
    ),
    (
        "product_clicks",
        true,
        &[
            "product clicks",
            "clics de productos",
            "cliques em produtos",
            "cliques de produtos",
        ],
    ),
    (
        "avg_view",
        false,
        &[
            "avg. view duration",
            "avg. viewing duration",
            "duración de visualización prom.",
            "duração média de visualização",
        ],
    ),
    (
        "ads_cost",
        false,
        &["ads cost", "costo de anuncios", "custo de anúncios"],
    ),
];

/// LIVE core stats: one row per day (`Hora` holds the day). A currency in parentheses at the end of a
/// header (`GMV atribuido a LIVE (MX$)`) is taken off before the lookup and read as the file's currency.
const CORE_STATS: &[ColumnSpec] = &[
    ("date", true, &["hora", "date", "time", "fecha", "data"]),
    (
        "gmv",
        false,
        &[
            "gmv atribuido a live",
            "live-attributed gmv",
            "live attributed gmv",
            "attributed gmv",
            "gmv atribuído à live",
            "gmv atribuído a live",
        ],
    ),
    (
        "sessions",
        false,
        &[
            "transmisiones live",
            "live streams",
            "lives",
            "transmissões ao vivo",
            "transmissões live",
        ],
    ),
    (
        "items",
        false,
        &[
            "ventas de artículos atribuidas a live",
            "attributed items sold",
            "itens vendidos atribuídos à live",
            "itens vendidos atribuídos",
        ],
    ),
    (
        "orders",
        false,
        &[
            "pedidos con sku atribuidos",
            "attributed sku orders",
            "pedidos de sku atribuídos",
        ],
    ),
    (
        "customers",
        false,
        &["clientes (búsqueda)", "clientes", "customers"],
    ),
    (
        "views",
        false,
        &[
            "vistas de live",
            "live views",
            "views",
            "visualizações da live",
            "visualizações de live",
        ],
    ),
    (
        "impressions",
        false,
        &[
            "impresiones de productos",
            "product impressions",
            "impressões de produtos",
        ],
    ),
    (
        "clicks",
        false,
        &[
            "clics de productos",
            "product clicks",
            "cliques em produtos",
            "cliques de produtos",
        ],
    ),
];

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

/// Reads a LIVE export after its header.
pub(crate) fn read(
    src: &Source<'_>,
    kind: ExportKind,
    header_line: u64,
    header: &[String],
    rows: &mut dyn Rows,
) -> Result<ImportedFile, ImportError> {
    match kind {
        ExportKind::LiveCoreStats => read_daily(
            src,
            kind,
            StatSource::Live,
            CORE_STATS,
            header_line,
            header,
            rows,
        ),
        _ => read_performance(src, kind, header_line, header, rows),
    }
}

/// The Creator LIVE Performance list: one [`LiveSession`] per row.
fn read_performance(
    src: &Source<'_>,
    kind: ExportKind,
    header_line: u64,
    header: &[String],
    rows: &mut dyn Rows,
) -> Result<ImportedFile, ImportError> {
    let name = src.name;
    let map = column_map(src, kind, header_line, header, PERFORMANCE)?;
    // `Attributed GMV` is the newer schema's name for the session's GMV; a file has one or the other.
    let gmv_key = if map.has("attributed_gmv") {
        "attributed_gmv"
    } else if map.has("gross_revenue") {
        "gross_revenue"
    } else {
        return Err(ImportError {
            file: name.to_string(),
            row: Some(header_line),
            column: Some("Gross revenue".to_string()),
            message: format!(
                "the {} has no \"Gross revenue\" or \"Attributed GMV\" column: export the file again with all columns",
                kind.label()
            ),
        });
    };
    let stated = stated(src);
    let exported_through = stated.map(|((_, to), _)| to);
    let order = src.options.date_order.unwrap_or(DateOrder::YearFirst);
    let mut watch = CurrencyWatch::default();
    watch.headers(name, header_line, header)?;
    let mut tally = Tally::default();
    let mut out = Vec::new();
    let mut record = csv::StringRecord::new();
    while let Some(line) = rows.next_row(&mut record)? {
        tally.rows += 1;
        if is_blank(&record) {
            tally.skip("empty row");
            continue;
        }
        let c = Cells {
            map: &map,
            record: &record,
        };
        // A totals row: `Total` where the start time is, or as the title of a row without one.
        let start_text = c.text("start");
        if is_total(start_text)
            || (is_total(c.text("title"))
                && !matches!(parse_timestamp(start_text, order), Ok(Some(_))))
        {
            tally.skip("total row");
            continue;
        }
        let session = match session(&c, gmv_key, order, exported_through) {
            Ok(s) => s,
            Err(e) => {
                tally.skip_cell(line, &e.column, &e.why);
                continue;
            }
        };
        for key in [gmv_key, "direct_gmv", "ads_cost"] {
            watch.cell(name, line, &map, key, c.text(key))?;
        }
        if session.running {
            tally.warn(format!(
                "row {line}, column \"{}\": a LIVE still running when exported: its duration is not known",
                map.header("duration")
            ));
        }
        out.push(session);
    }
    let span = span(out.iter().map(|s| s.start.date()));
    let (currency, evidence) = watch.finish(src.options);
    let used = out.len() as u64;
    Ok(ImportedFile {
        report: report(
            src, kind, &map, &tally, used, currency, evidence, stated, span,
        ),
        data: FileData::Content(ContentData::Live(out)),
    })
}

/// One session from its row's cells.
fn session(
    c: &Cells<'_>,
    gmv_key: &str,
    order: DateOrder,
    exported_through: Option<NaiveDate>,
) -> Result<LiveSession, CellError> {
    let start_text = c.text("start");
    let start = match parse_timestamp(start_text, order) {
        Ok(Some(t)) => t,
        Ok(None) => return Err(c.bad("start", "blank: the session has no start time".into())),
        Err(_) => return Err(c.bad("start", format!("{start_text:?} is not a date and time"))),
    };
    let duration_text = c.text("duration");
    let duration = parse_duration_secs(duration_text)
        .map_err(|_| c.bad("duration", format!("{duration_text:?} is not a duration")))?;
    // A negative duration: the LIVE was still running when the file was exported.
    let running = duration.is_some_and(|d| d < 0);
    let avg_view = c.amount("avg_view").or_else(|e| {
        // `1min 5sec` as some exports write durations.
        parse_duration_secs(c.text("avg_view"))
            .map(|d| d.map(Decimal::from))
            .map_err(|_| e)
    })?;
    Ok(LiveSession {
        title: c.text("title").to_string(),
        start,
        duration_secs: duration.filter(|d| *d >= 0),
        running,
        gmv: c.needed_amount(gmv_key)?,
        direct_gmv: c.amount("direct_gmv")?,
        items: c.needed_count("items")?,
        customers: c.needed_count("customers")?,
        orders: c.needed_count("orders")?,
        views: c.needed_count("views")?,
        viewers: c.count("viewers")?,
        product_impressions: c.needed_count("product_impressions")?,
        product_clicks: c.needed_count("product_clicks")?,
        avg_view_secs: avg_view,
        ads_cost: c.amount("ads_cost")?,
        exported_through,
    })
}

/// Reads a per-day core stats export (LIVE or video): one [`DailyStat`] per day row. `spec` maps the
/// fields of `DailyStat` (`date`, `gmv`, `refunds`, `orders`, `items`, `customers`, `views`, `visitors`,
/// `page_views`, `impressions`, `clicks`, `sessions`); a field without a column is `None`.
pub(super) fn read_daily(
    src: &Source<'_>,
    kind: ExportKind,
    source: StatSource,
    spec: &[ColumnSpec],
    header_line: u64,
    header: &[String],
    rows: &mut dyn Rows,
) -> Result<ImportedFile, ImportError> {
    let name = src.name;
    let map = column_map(src, kind, header_line, header, spec)?;
    let stated = stated(src);
    let order = src.options.date_order.unwrap_or(DateOrder::YearFirst);
    let mut watch = CurrencyWatch::default();
    watch.headers(name, header_line, header)?;
    let mut tally = Tally::default();
    let mut out = Vec::new();
    let mut record = csv::StringRecord::new();
    while let Some(line) = rows.next_row(&mut record)? {
        tally.rows += 1;
        if is_blank(&record) {
            tally.skip("empty row");
            continue;
        }
        let c = Cells {
            map: &map,
            record: &record,
        };
        let date_text = c.text("date");
        if is_total(date_text) {
            tally.skip("total row");
            continue;
        }
        if date_text.is_empty() {
            tally.skip("row without a day");
            continue;
        }
        let stat = match day(&c, source, order) {
            Ok(s) => s,
            Err(e) => {
                tally.skip_cell(line, &e.column, &e.why);
                continue;
            }
        };
        for key in ["gmv", "refunds"] {
            watch.cell(name, line, &map, key, c.text(key))?;
        }
        out.push(stat);
    }
    let span = span(out.iter().map(|s| s.date));
    let (currency, evidence) = watch.finish(src.options);
    let used = out.len() as u64;
    Ok(ImportedFile {
        report: report(
            src, kind, &map, &tally, used, currency, evidence, stated, span,
        ),
        data: FileData::Content(ContentData::Daily(out)),
    })
}

/// One day of a core stats export from its row's cells.
fn day(c: &Cells<'_>, source: StatSource, order: DateOrder) -> Result<DailyStat, CellError> {
    let date_text = c.text("date");
    let date = match parse_timestamp(date_text, order) {
        Ok(Some(t)) => t.date(),
        _ => return Err(c.bad("date", format!("{date_text:?} is not a day"))),
    };
    Ok(DailyStat {
        source,
        date,
        gmv: c.amount("gmv")?,
        refunds: c.amount("refunds")?,
        orders: c.count("orders")?,
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

/// Maps a header through `spec`, with any currency in parentheses at the end of a header
/// (`GMV atribuido al video (MX$)`) taken off for the lookup only: messages and the report's columns
/// show the headers as the file writes them.
pub(super) fn column_map(
    src: &Source<'_>,
    kind: ExportKind,
    header_line: u64,
    header: &[String],
    spec: &[ColumnSpec],
) -> Result<ColumnMap, ImportError> {
    let bare: Vec<String> = header
        .iter()
        .map(|h| match header_symbol(h) {
            Some((_, bare)) => bare.to_string(),
            None => h.clone(),
        })
        .collect();
    let mut map = ColumnMap::new(src.name, header_line, &bare, spec, kind.label())?;
    map.raw = header.iter().map(|h| trim_cell(h).to_string()).collect();
    Ok(map)
}

/// True for the first cell of a totals row.
pub(super) fn is_total(cell: &str) -> bool {
    let t = cell.to_lowercase();
    TOTAL_MARKERS.contains(&t.as_str())
}

/// A cell that stops a row: its column (as the file writes it) and why.
pub(super) struct CellError {
    /// The column's header.
    pub column: String,
    /// What is wrong with the cell.
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
    /// A field's cell, trimmed ("" when the file has no such column).
    pub fn text(&self, key: &str) -> &'a str {
        trim_cell(self.map.cell(self.record, key))
    }

    /// An error about a field's cell.
    pub fn bad(&self, key: &str, why: String) -> CellError {
        CellError {
            column: self.map.header(key),
            why,
        }
    }

    /// An amount; `None` when the file has no such column or the cell holds no value (blank, `-`, `N/A`).
    pub fn amount(&self, key: &str) -> Result<Option<Decimal>, CellError> {
        let t = self.text(key);
        parse_amount(t).map_err(|_| self.bad(key, format!("{t:?} is not an amount")))
    }

    /// A count; `None` when the file has no such column or the cell holds no value (blank, `-`, `N/A`).
    /// Counts past [`parse_count`]'s cap (a video's views can pass a million) are read as whole amounts.
    pub fn count(&self, key: &str) -> Result<Option<i64>, CellError> {
        let t = self.text(key);
        let bad = || self.bad(key, format!("{t:?} is not a whole number"));
        match parse_count(t) {
            Ok(n) => Ok(n),
            Err(_) if t.bytes().all(|b| b.is_ascii_digit() || b"-,.".contains(&b)) => {
                match parse_amount(t) {
                    Ok(None) => Ok(None),
                    Ok(Some(v)) if v.fract().is_zero() => v.to_i64().map(Some).ok_or_else(bad),
                    _ => Err(bad()),
                }
            }
            // `N/A`: no value.
            Err(_) if matches!(parse_amount(t), Ok(None)) => Ok(None),
            Err(_) => Err(bad()),
        }
    }

    /// An amount the record cannot do without: a blank cell is an error.
    pub fn needed_amount(&self, key: &str) -> Result<Decimal, CellError> {
        self.amount(key)?
            .ok_or_else(|| self.bad(key, format!("{:?} holds no amount", self.text(key))))
    }

    /// A count the record cannot do without: a blank cell is an error.
    pub fn needed_count(&self, key: &str) -> Result<i64, CellError> {
        self.count(key)?
            .ok_or_else(|| self.bad(key, format!("{:?} holds no number", self.text(key))))
    }
}

/// The period the export states: above its header, else in its file name; with where it was found.
pub(super) fn stated(src: &Source<'_>) -> Option<((NaiveDate, NaiveDate), &'static str)> {
    src.preamble
        .iter()
        .find_map(|row| stated_period(&row.join(" ")))
        .map(|p| (p, "stated above the header"))
        .or_else(|| stated_period(src.name).map(|p| (p, "from the file name")))
}

/// The first and last of some days.
pub(super) fn span(days: impl Iterator<Item = NaiveDate>) -> Option<(NaiveDate, NaiveDate)> {
    days.fold(None, |acc, d| {
        Some(acc.map_or((d, d), |(a, b): (NaiveDate, NaiveDate)| {
            (a.min(d), b.max(d))
        }))
    })
}

/// The report of an analytics import. `date_range` is the stated period (what coverage uses), else the
/// span of the rows' days.
#[allow(clippy::too_many_arguments)]
pub(super) fn report(
    src: &Source<'_>,
    kind: ExportKind,
    map: &ColumnMap,
    tally: &Tally,
    used_rows: u64,
    currency: Option<Currency>,
    evidence: String,
    stated: Option<((NaiveDate, NaiveDate), &'static str)>,
    span: Option<(NaiveDate, NaiveDate)>,
) -> ImportReport {
    let period = match (stated, span) {
        (Some(((from, to), how)), _) => format!("; period {from} ~ {to} {how}"),
        (None, Some((from, to))) => {
            format!("; no period stated: the rows' days run from {from} to {to}")
        }
        (None, None) => "; no period stated and no row read".to_string(),
    };
    ImportReport {
        name: src.name.to_string(),
        kind,
        currency,
        market: currency.and_then(crate::settings::default_market),
        date_order: src.options.date_order,
        encoding: src.encoding.to_string(),
        evidence: evidence + &period,
        rows: tally.rows,
        used_rows,
        skipped: tally.skipped(),
        used_columns: map.used(),
        ignored_columns: map.ignored(),
        date_range: stated.map(|(p, _)| p).or(span),
        warnings: tally.warnings(),
        vat_in_export: false,
    }
}

/// What a currency symbol says.
enum Symbol {
    /// One currency.
    Known(Currency),
    /// `$` alone: a dollar or a peso of several markets.
    Dollar,
    /// Not a currency symbol.
    Other,
}

/// Symbols written in the analytics exports' amounts and headers, and their currency.
const SYMBOLS: &[(&str, &str)] = &[
    ("R$", "BRL"),
    ("MX$", "MXN"),
    ("US$", "USD"),
    ("S$", "SGD"),
    ("RM", "MYR"),
    ("Rp", "IDR"),
    ("£", "GBP"),
    ("€", "EUR"),
    ("฿", "THB"),
    ("₱", "PHP"),
    ("₫", "VND"),
    ("đ", "VND"),
    ("¥", "JPY"),
];

fn classify(symbol: &str) -> Symbol {
    if symbol == "$" {
        return Symbol::Dollar;
    }
    let known = SYMBOLS
        .iter()
        .find(|(s, _)| *s == symbol)
        .and_then(|(_, code)| Currency::from_code(code))
        // An ISO code (`BRL`) of a market Margin Lab knows; never any three letters (`SKU`).
        .or_else(|| {
            Currency::from_code(symbol).filter(|c| crate::settings::default_market(*c).is_some())
        });
    known.map_or(Symbol::Other, Symbol::Known)
}

/// The currency symbol of an amount cell: what stands before its first digit (the sign left out) or
/// after its last one.
fn cell_symbol(cell: &str) -> Option<&str> {
    let t = trim_cell(cell);
    let start = t.find(|c: char| c.is_ascii_digit())?;
    let end = t.rfind(|c: char| c.is_ascii_digit())? + 1;
    let prefix = t.get(..start)?.trim().trim_matches('-').trim();
    let suffix = t.get(end..)?.trim();
    [prefix, suffix].into_iter().find(|s| !s.is_empty())
}

/// A currency in parentheses at the end of a header (`GMV (MX$)`): the symbol and the header without it.
fn header_symbol(header: &str) -> Option<(&str, &str)> {
    let t = trim_cell(header);
    let inner_end = t.strip_suffix(')')?;
    let open = inner_end.rfind('(')?;
    let symbol = inner_end.get(open + 1..)?.trim();
    match classify(symbol) {
        Symbol::Other => None,
        _ => Some((symbol, inner_end.get(..open)?.trim_end())),
    }
}

/// The currency an analytics file writes its amounts in, gathered from its headers and amount cells.
#[derive(Debug, Default)]
pub(super) struct CurrencyWatch {
    currency: Option<Currency>,
    evidence: String,
    /// Where `$` alone was first seen.
    dollar: Option<String>,
}

impl CurrencyWatch {
    /// Looks for a currency in the headers (`GMV atribuido a LIVE (MX$)`).
    pub fn headers(
        &mut self,
        file: &str,
        header_line: u64,
        header: &[String],
    ) -> Result<(), ImportError> {
        for h in header {
            if let Some((symbol, _)) = header_symbol(h) {
                let h = trim_cell(h);
                self.saw(symbol, file, header_line, h, || {
                    format!("\"{symbol}\" in the header \"{h}\"")
                })?;
            }
        }
        Ok(())
    }

    /// Looks for a currency in one amount cell (`R$ 1.686,71`).
    pub fn cell(
        &mut self,
        file: &str,
        line: u64,
        map: &ColumnMap,
        key: &str,
        cell: &str,
    ) -> Result<(), ImportError> {
        match cell_symbol(cell) {
            Some(symbol) => {
                let column = map.header(key);
                self.saw(symbol, file, line, &column, || {
                    format!("{cell:?} in row {line}, column \"{column}\"")
                })
            }
            None => Ok(()),
        }
    }

    fn saw(
        &mut self,
        symbol: &str,
        file: &str,
        line: u64,
        column: &str,
        evidence: impl FnOnce() -> String,
    ) -> Result<(), ImportError> {
        match classify(symbol) {
            Symbol::Known(c) if self.currency == Some(c) => {}
            Symbol::Known(c) => {
                if one_currency(&mut self.currency, c, file, line, column.to_string())? {
                    self.evidence = evidence();
                }
            }
            Symbol::Dollar if self.dollar.is_none() => self.dollar = Some(evidence()),
            Symbol::Dollar | Symbol::Other => {}
        }
        Ok(())
    }

    /// The file's currency and why. `$` alone names no currency: the one chosen for the file is used,
    /// and none is assumed without it.
    pub fn finish(self, options: ImportOptions) -> (Option<Currency>, String) {
        match (self.currency, self.dollar, options.currency) {
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
                format!("no currency written in the file: the one chosen for it ({c}) is used"),
            ),
            (None, None, None) => (
                None,
                "no currency written in the file: none is assumed".to_string(),
            ),
        }
    }
}
