//! Product analytics exports (docs/formats.md §4): Analytics → Product → `product_list` (one row per
//! product, its columns repeated once per channel under a channel row above the header), the product
//! card list (one row per product) and the product card traffic stats (one row per day).
//!
//! The first gives one [`ProductFunnelRow`] per product and channel present (`All`, `LIVE`, `Video`,
//! `Product card`, `Affiliate`), the second one per product in the `Product card` channel (its card
//! views are the impressions), the third one [`DailyStat`] per day (`StatSource::ProductCard`).
//!
//! This file also holds what the three analytics readers (`product_analytics`, `shop_analytics`,
//! `affiliate_analytics`) share: the currency marks (`R$`, `MX$`, `GMV (MX$)`), headers mapped without
//! their currency mark, the stated period, cells read into a row or a reason naming the column, and the
//! report.

use super::table::{ColumnMap, ColumnSpec, Rows, Tally, is_blank, one_currency};
use super::values::{DateOrder, IdError, clean_id, parse_timestamp, trim_cell};
use super::{
    ExportKind, FileData, ImportError, ImportOptions, ImportReport, ImportedFile, Source,
    normalise_header,
};
use crate::content::values::{parse_amount, parse_count, stated_period};
use crate::content::{ContentData, DailyStat, ProductFunnelRow, StatSource};
use crate::money::Currency;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Reads a product analytics export after its header.
pub(crate) fn read(
    src: &Source<'_>,
    kind: ExportKind,
    header_line: u64,
    header: &[String],
    rows: &mut dyn Rows,
) -> Result<ImportedFile, ImportError> {
    match kind {
        ExportKind::ProductAnalytics => read_product_list(src, kind, header_line, header, rows),
        ExportKind::ProductCardList => read_card_list(src, kind, header_line, header, rows),
        ExportKind::ProductCardTraffic => read_card_traffic(src, kind, header_line, header, rows),
        _ => Err(ImportError {
            file: src.name.to_string(),
            row: Some(header_line),
            column: None,
            message: format!("the {} is not a product analytics export", kind.label()),
        }),
    }
}

// ---- product_list ---------------------------------------------------------------------------------

/// The product's own columns, left of the first channel.
const PRODUCT_COLUMNS: &[ColumnSpec] = &[
    (
        "product_id",
        true,
        &["id del producto", "product id", "id do produto"],
    ),
    (
        "product_name",
        false,
        &["nombre del producto", "product name", "nome do produto"],
    ),
];

/// The columns read in each channel's block. A channel's GMV, SKU orders and items are its
/// *attributed* figures (`GMV atribuido`, `Pedidos con SKU atribuidos`, `Ventas de artículos
/// atribuidas`: direct and indirect, what its impressions and clicks lead to, and what the LIVE and
/// video exports call GMV); the direct-only `GMV` / `Pedidos con SKU` / `Artículos vendidos` are read
/// when the block has no attributed column — always so in the `All` block, where they are the
/// product's totals.
const CHANNEL_COLUMNS: &[ColumnSpec] = &[
    (
        "gmv_attributed",
        false,
        &["gmv atribuido", "attributed gmv", "gmv atribuído"],
    ),
    ("gmv", false, &["gmv"]),
    (
        "orders_attributed",
        false,
        &[
            "pedidos con sku atribuidos",
            "attributed sku orders",
            "pedidos de sku atribuídos",
        ],
    ),
    (
        "orders",
        false,
        &[
            "pedidos con sku",
            "sku orders",
            "pedidos de sku",
            "pedido de sku",
        ],
    ),
    (
        "items_attributed",
        false,
        &[
            "ventas de artículos atribuidas",
            "attributed items sold",
            "itens vendidos atribuídos",
        ],
    ),
    (
        "items",
        false,
        &["artículos vendidos", "items sold", "itens vendidos"],
    ),
    (
        "customers",
        false,
        &[
            "clientes estimados",
            "est. customers",
            "estimated customers",
            "customers",
            "clientes",
        ],
    ),
    (
        "impressions",
        false,
        &[
            "impresiones del producto",
            "product impressions",
            "impressões do produto",
        ],
    ),
    (
        "clicks",
        false,
        &[
            "clics en el producto",
            "product clicks",
            "cliques no produto",
        ],
    ),
];

/// The channels of the channel row (normalised spellings) and their English names.
const CHANNELS: &[(&str, &[&str])] = &[
    ("All", &["todo", "todos", "tudo", "all", "total"]),
    (
        "LIVE",
        &[
            "live del vendedor",
            "seller live",
            "seller's live",
            "seller lives",
            "live do vendedor",
            "live",
        ],
    ),
    (
        "Video",
        &[
            "video del vendedor",
            "seller video",
            "seller's video",
            "seller videos",
            "vídeo do vendedor",
            "video",
        ],
    ),
    (
        "Product card",
        &[
            "tarjeta de producto de vendedores",
            "tarjeta de producto",
            "seller product card",
            "seller's product card",
            "product card",
            "cartão de produto do vendedor",
            "cartão de produto",
        ],
    ),
    (
        "Affiliate",
        &["afiliado", "afiliados", "affiliate", "affiliates"],
    ),
];

/// The English name of a channel cell, if it is one.
fn channel_name(cell: &str) -> Option<&'static str> {
    let n = normalise_header(cell);
    CHANNELS
        .iter()
        .find(|(_, spellings)| spellings.contains(&n.as_str()))
        .map(|(english, _)| *english)
}

/// One channel's block of columns.
struct Channel {
    /// English name.
    name: &'static str,
    /// The columns of this block only (the others are hidden from its map).
    map: ColumnMap,
}

/// The channel of each column: from the last row above the header that names a known channel, each
/// blank cell taking the channel of the cell to its left (a merged cell in a workbook); `None` left of
/// the first channel. With no channel row, every column is in `All`.
fn column_channels(preamble: &[Vec<String>], width: usize) -> Vec<Option<String>> {
    let Some(row) = preamble
        .iter()
        .rev()
        .find(|row| row.iter().any(|c| channel_name(c).is_some()))
    else {
        return vec![Some("All".to_string()); width];
    };
    let mut current: Option<String> = None;
    (0..width)
        .map(|i| {
            let c = row.get(i).map_or("", |c| trim_cell(c));
            if !c.is_empty() {
                current = Some(c.to_string());
            }
            current.clone()
        })
        .collect()
}

fn read_product_list(
    src: &Source<'_>,
    kind: ExportKind,
    header_line: u64,
    header: &[String],
    rows: &mut dyn Rows,
) -> Result<ImportedFile, ImportError> {
    let name = src.name;
    let mut currency = FileCurrency::default();
    let mut tally = Tally::default();
    let labels = column_channels(&src.preamble, header.len());
    // The product's own columns: those outside every channel.
    let own: Vec<String> = header
        .iter()
        .zip(&labels)
        .map(|(h, l)| {
            if l.is_none() {
                h.clone()
            } else {
                String::new()
            }
        })
        .collect();
    let own = if own.iter().any(|h| !h.is_empty()) {
        own
    } else {
        header.to_vec()
    };
    let product = map_columns(
        src,
        header_line,
        &own,
        header,
        PRODUCT_COLUMNS,
        kind.label(),
        &mut currency,
    )?;
    let mut written: Vec<&str> = Vec::new();
    for l in labels.iter().flatten() {
        if !written.contains(&l.as_str()) {
            written.push(l);
        }
    }
    let mut channels = Vec::new();
    let mut used_idx: Vec<usize> = PRODUCT_COLUMNS
        .iter()
        .filter_map(|(k, _, _)| product.index(k))
        .collect();
    for label in written {
        let Some(english) = channel_name(label) else {
            tally.warn(format!(
                "the columns under the channel \"{label}\" are not read (a channel Margin Lab does not know)"
            ));
            continue;
        };
        let masked: Vec<String> = header
            .iter()
            .zip(&labels)
            .map(|(h, l)| {
                if l.as_deref() == Some(label) {
                    h.clone()
                } else {
                    String::new()
                }
            })
            .collect();
        let map = map_columns(
            src,
            header_line,
            &masked,
            header,
            CHANNEL_COLUMNS,
            kind.label(),
            &mut currency,
        )?;
        let read: Vec<usize> = CHANNEL_COLUMNS
            .iter()
            .filter_map(|(k, _, _)| map.index(k))
            .collect();
        if read.is_empty() {
            continue;
        }
        used_idx.extend(read);
        channels.push(Channel { name: english, map });
    }
    if channels.is_empty() {
        return Err(ImportError {
            file: name.to_string(),
            row: Some(header_line),
            column: None,
            message: format!(
                "the {} has no column of product impressions, clicks, orders or GMV in any channel",
                kind.label()
            ),
        });
    }
    used_idx.sort_unstable();
    used_idx.dedup();
    let shown = |i: usize| -> Option<String> {
        let h = header.get(i).map(|h| trim_cell(h))?;
        match labels.get(i).and_then(Option::as_deref) {
            Some(l) if !h.is_empty() => Some(format!("{l} / {h}")),
            _ => Some(h.to_string()),
        }
    };
    let used_columns: Vec<String> = used_idx.iter().filter_map(|&i| shown(i)).collect();
    let ignored_columns: Vec<String> = (0..header.len())
        .filter(|i| !used_idx.contains(i))
        .filter(|&i| header.get(i).is_some_and(|h| !trim_cell(h).is_empty()))
        .filter_map(shown)
        .collect();

    let mut out = Vec::new();
    let mut used_rows = 0u64;
    let mut record = csv::StringRecord::new();
    'rows: while let Some(line) = rows.next_row(&mut record)? {
        tally.rows += 1;
        if is_blank(&record) {
            tally.skip("empty row");
            continue;
        }
        let product_id = match clean_id(product.cell(&record, "product_id")) {
            Ok(id) if id.is_empty() => {
                tally.skip("no product ID");
                continue;
            }
            Ok(id) => id,
            Err(IdError::Scientific) => {
                tally.skip_cell(
                    line,
                    &product.header("product_id"),
                    "the ID was shortened to scientific notation by a spreadsheet",
                );
                continue;
            }
        };
        let product_name = trim_cell(product.cell(&record, "product_name")).to_string();
        let mut these = Vec::with_capacity(channels.len());
        for ch in &channels {
            match channel_row(&ch.map, &record, &product_id, &product_name, ch.name) {
                Ok(r) => these.push(r),
                Err(bad) => {
                    tally.skip_cell(line, &bad.column, &bad.why);
                    continue 'rows;
                }
            }
        }
        for ch in &channels {
            currency.amounts(&ch.map, &record, &["gmv_attributed", "gmv"], name, line)?;
        }
        used_rows += 1;
        out.extend(these);
    }
    Ok(imported(
        src,
        Done {
            kind,
            tally,
            currency,
            used_rows,
            used_columns,
            ignored_columns,
            rows_span: None,
            date_order: None,
            data: ContentData::Products(out),
        },
    ))
}

/// One product's figures in one channel.
fn channel_row(
    map: &ColumnMap,
    record: &csv::StringRecord,
    product_id: &str,
    product_name: &str,
    channel: &str,
) -> Result<ProductFunnelRow, BadCell> {
    Ok(ProductFunnelRow {
        product_id: product_id.to_string(),
        product_name: product_name.to_string(),
        channel: channel.to_string(),
        impressions: count(map, record, "impressions")?,
        clicks: count(map, record, "clicks")?,
        orders: preferred(map, "orders_attributed", "orders", |k| {
            count(map, record, k)
        })?,
        items: preferred(map, "items_attributed", "items", |k| count(map, record, k))?,
        customers: count(map, record, "customers")?,
        gmv: preferred(map, "gmv_attributed", "gmv", |k| amount(map, record, k))?,
    })
}

/// The figure of the `first` column when the file has it, else of the `then` column.
fn preferred<T>(
    map: &ColumnMap,
    first: &str,
    then: &str,
    read: impl Fn(&str) -> Result<Option<T>, BadCell>,
) -> Result<Option<T>, BadCell> {
    read(if map.has(first) { first } else { then })
}

// ---- product card list ----------------------------------------------------------------------------

const CARD_LIST_COLUMNS: &[ColumnSpec] = &[
    (
        "product_id",
        true,
        &["id del producto", "product id", "id do produto"],
    ),
    (
        "product_name",
        false,
        &["nombre del producto", "product name", "nome do produto"],
    ),
    ("views", false, &["vistas", "views", "visualizações"]),
    ("clicks", false, &["clics", "clicks", "cliques"]),
    (
        "orders",
        false,
        &[
            "pedidos con sku",
            "sku orders",
            "pedidos de sku",
            "pedido de sku",
        ],
    ),
    (
        "items",
        false,
        &["artículos vendidos", "items sold", "itens vendidos"],
    ),
    ("customers", false, &["clientes", "customers"]),
    ("gmv", false, &["gmv"]),
];

fn read_card_list(
    src: &Source<'_>,
    kind: ExportKind,
    header_line: u64,
    header: &[String],
    rows: &mut dyn Rows,
) -> Result<ImportedFile, ImportError> {
    let name = src.name;
    let mut currency = FileCurrency::default();
    let map = map_columns(
        src,
        header_line,
        header,
        header,
        CARD_LIST_COLUMNS,
        kind.label(),
        &mut currency,
    )?;
    let mut tally = Tally::default();
    let mut out = Vec::new();
    let mut record = csv::StringRecord::new();
    while let Some(line) = rows.next_row(&mut record)? {
        tally.rows += 1;
        if is_blank(&record) {
            tally.skip("empty row");
            continue;
        }
        let product_id = match clean_id(map.cell(&record, "product_id")) {
            Ok(id) if id.is_empty() => {
                tally.skip("no product ID");
                continue;
            }
            Ok(id) => id,
            Err(IdError::Scientific) => {
                tally.skip_cell(
                    line,
                    &map.header("product_id"),
                    "the ID was shortened to scientific notation by a spreadsheet",
                );
                continue;
            }
        };
        match card_product(&map, &record, product_id) {
            Ok(r) => {
                currency.amounts(&map, &record, &["gmv"], name, line)?;
                out.push(r);
            }
            Err(bad) => tally.skip_cell(line, &bad.column, &bad.why),
        }
    }
    Ok(imported(
        src,
        Done {
            kind,
            tally,
            currency,
            used_rows: out.len() as u64,
            used_columns: map.used(),
            ignored_columns: map.ignored(),
            rows_span: None,
            date_order: None,
            data: ContentData::Products(out),
        },
    ))
}

fn card_product(
    map: &ColumnMap,
    record: &csv::StringRecord,
    product_id: String,
) -> Result<ProductFunnelRow, BadCell> {
    Ok(ProductFunnelRow {
        product_id,
        product_name: trim_cell(map.cell(record, "product_name")).to_string(),
        channel: "Product card".to_string(),
        // The card's views are its impressions.
        impressions: count(map, record, "views")?,
        clicks: count(map, record, "clicks")?,
        orders: count(map, record, "orders")?,
        items: count(map, record, "items")?,
        customers: count(map, record, "customers")?,
        gmv: amount(map, record, "gmv")?,
    })
}

// ---- product card traffic -------------------------------------------------------------------------

const CARD_TRAFFIC_COLUMNS: &[ColumnSpec] = &[
    (
        "date",
        true,
        &["hora", "time", "date", "fecha", "data", "horário"],
    ),
    ("views", false, &["vistas", "views", "visualizações"]),
    (
        "visitors",
        false,
        &["espectadores", "viewers", "visitors", "visitantes"],
    ),
    ("clicks", false, &["clics", "clicks", "cliques"]),
    (
        "orders_attributed",
        false,
        &[
            "pedidos con sku atribuidos",
            "attributed sku orders",
            "pedidos de sku atribuídos",
        ],
    ),
    (
        "orders",
        false,
        &["pedidos con sku", "sku orders", "pedidos de sku"],
    ),
    (
        "items",
        false,
        &["artículos vendidos", "items sold", "itens vendidos"],
    ),
    ("customers", false, &["clientes", "customers"]),
    (
        "gmv",
        false,
        &[
            "gmv atribuido a tarjetas de productos",
            "product card attributed gmv",
            "gmv attributed to product cards",
            "product card gmv",
            "gmv atribuído a cartões de produto",
        ],
    ),
    (
        "impressions",
        false,
        &[
            "impresiones del producto",
            "product impressions",
            "impressões do produto",
        ],
    ),
];

fn read_card_traffic(
    src: &Source<'_>,
    kind: ExportKind,
    header_line: u64,
    header: &[String],
    rows: &mut dyn Rows,
) -> Result<ImportedFile, ImportError> {
    let name = src.name;
    let mut currency = FileCurrency::default();
    let map = map_columns(
        src,
        header_line,
        header,
        header,
        CARD_TRAFFIC_COLUMNS,
        kind.label(),
        &mut currency,
    )?;
    let order = src.options.date_order.unwrap_or(DateOrder::DayFirst);
    let mut days = DayOrder::default();
    let mut tally = Tally::default();
    let mut out = Vec::new();
    let mut record = csv::StringRecord::new();
    while let Some(line) = rows.next_row(&mut record)? {
        tally.rows += 1;
        if is_blank(&record) {
            tally.skip("empty row");
            continue;
        }
        let date = match day(map.cell(&record, "date"), order) {
            Some(d) => d,
            None => {
                tally.skip_cell(
                    line,
                    &map.header("date"),
                    &format!("{:?} is not a date", trim_cell(map.cell(&record, "date"))),
                );
                continue;
            }
        };
        days.saw(map.cell(&record, "date"));
        match card_day(&map, &record, date) {
            Ok(r) => {
                currency.amounts(&map, &record, &["gmv"], name, line)?;
                out.push(r);
            }
            Err(bad) => tally.skip_cell(line, &bad.column, &bad.why),
        }
    }
    Ok(imported(
        src,
        Done {
            kind,
            tally,
            currency,
            used_rows: out.len() as u64,
            used_columns: map.used(),
            ignored_columns: map.ignored(),
            rows_span: span(out.iter().map(|d: &DailyStat| d.date)),
            date_order: days.order(order),
            data: ContentData::Daily(out),
        },
    ))
}

fn card_day(
    map: &ColumnMap,
    record: &csv::StringRecord,
    date: NaiveDate,
) -> Result<DailyStat, BadCell> {
    Ok(DailyStat {
        source: StatSource::ProductCard,
        date,
        gmv: amount(map, record, "gmv")?,
        refunds: None,
        orders: preferred(map, "orders_attributed", "orders", |k| {
            count(map, record, k)
        })?,
        items: count(map, record, "items")?,
        customers: count(map, record, "customers")?,
        views: count(map, record, "views")?,
        visitors: count(map, record, "visitors")?,
        page_views: None,
        impressions: count(map, record, "impressions")?,
        clicks: count(map, record, "clicks")?,
        sessions: None,
    })
}

// ---- shared by the analytics readers --------------------------------------------------------------

/// Currency marks of the analytics exports, in a cell (`R$ 1.686,71`, `MX$0.00`) or in brackets at the
/// end of a header (`GMV (MX$)`). A lone `$` names no currency (US or Mexico). A new market is a row.
const CURRENCY_MARKS: &[(&str, &str)] = &[
    ("MX$", "MXN"),
    ("R$", "BRL"),
    ("US$", "USD"),
    ("S$", "SGD"),
    ("RM", "MYR"),
    ("Rp", "IDR"),
    ("£", "GBP"),
    ("€", "EUR"),
    ("₫", "VND"),
    ("฿", "THB"),
    ("₱", "PHP"),
];

/// Currency codes an analytics export may write instead of a symbol (`GMV (BRL)`, `1.000 VND`).
const CURRENCY_CODES: &[&str] = &[
    "USD", "GBP", "EUR", "BRL", "MXN", "IDR", "VND", "THB", "PHP", "MYR", "SGD", "JPY",
];

/// The currency a mark names (`R$`, `mx$`, `BRL`), if any.
fn currency_mark(mark: &str) -> Option<Currency> {
    let m = mark.trim();
    if m.is_empty() {
        return None;
    }
    CURRENCY_MARKS
        .iter()
        .find(|(s, _)| s.eq_ignore_ascii_case(m))
        .map(|(_, c)| *c)
        .or_else(|| {
            CURRENCY_CODES
                .iter()
                .find(|c| c.eq_ignore_ascii_case(m))
                .copied()
        })
        .and_then(Currency::from_code)
}

/// The currency a cell's amount is written in (`R$ 1.686,71` → BRL, `MX$0.00` → MXN): the text before
/// its first digit (a sign aside) or after its last one.
pub(crate) fn cell_currency(cell: &str) -> Option<Currency> {
    let t = trim_cell(cell);
    let start = t.find(|c: char| c.is_ascii_digit())?;
    let end = t.rfind(|c: char| c.is_ascii_digit())? + 1;
    let prefix = t.get(..start)?.trim().trim_matches('-').trim();
    currency_mark(prefix).or_else(|| currency_mark(t.get(end..)?))
}

/// A header normalised without its currency mark (`GMV (MX$)` → `gmv`), and the currency it names.
pub(crate) fn split_header_currency(raw: &str) -> (String, Option<Currency>) {
    let n = normalise_header(raw);
    if let Some(body) = n.strip_suffix(')')
        && let Some(open) = body.rfind('(')
        && let Some(c) = body.get(open + 1..).and_then(currency_mark)
    {
        return (normalise_header(body.get(..open).unwrap_or("")), Some(c));
    }
    (n, None)
}

/// Maps the headers `visible` (the file's `header` with the cells a reader must not see blanked: the
/// other channels of `product_list`) by their names without currency marks, so `GMV (MX$)` is the
/// `gmv` alias; a mark is the file's currency. The map names the columns as the file writes them.
pub(crate) fn map_columns(
    src: &Source<'_>,
    header_line: u64,
    visible: &[String],
    header: &[String],
    spec: &[ColumnSpec],
    export: &str,
    currency: &mut FileCurrency,
) -> Result<ColumnMap, ImportError> {
    let mut stripped = Vec::with_capacity(visible.len());
    for h in visible {
        let (n, c) = split_header_currency(h);
        if let Some(c) = c {
            currency.see(
                c,
                || format!("the header \"{}\"", trim_cell(h)),
                src.name,
                header_line,
                h,
            )?;
        }
        stripped.push(n);
    }
    let mut map = ColumnMap::new(src.name, header_line, &stripped, spec, export)?;
    map.raw = header.iter().map(|h| trim_cell(h).to_string()).collect();
    Ok(map)
}

/// The file's currency, from the marks its headers and amounts write, with how it was found.
#[derive(Debug, Default)]
pub(crate) struct FileCurrency {
    currency: Option<Currency>,
    evidence: String,
}

impl FileCurrency {
    /// A currency found at `line` in `column`: the first is the file's, another one is an error naming
    /// the row and column (one file holds one shop's currency).
    pub(crate) fn see(
        &mut self,
        found: Currency,
        place: impl FnOnce() -> String,
        file: &str,
        line: u64,
        column: &str,
    ) -> Result<(), ImportError> {
        if self.currency == Some(found) {
            return Ok(());
        }
        if one_currency(
            &mut self.currency,
            found,
            file,
            line,
            trim_cell(column).to_string(),
        )? {
            self.evidence = format!("currency {} from {}", found.code(), place());
        }
        Ok(())
    }

    /// Looks for a currency mark in the amount cells `keys` of a row.
    pub(crate) fn amounts(
        &mut self,
        map: &ColumnMap,
        record: &csv::StringRecord,
        keys: &[&str],
        file: &str,
        line: u64,
    ) -> Result<(), ImportError> {
        for key in keys {
            let cell = map.cell(record, key);
            if let Some(c) = cell_currency(cell) {
                let column = map.header(key);
                self.see(
                    c,
                    || {
                        format!(
                            "\"{}\" in column \"{column}\" (row {line})",
                            trim_cell(cell)
                        )
                    },
                    file,
                    line,
                    &column,
                )?;
            }
        }
        Ok(())
    }

    /// The currency for the report, and why: the file's mark, else the import options', else none.
    pub(crate) fn decide(&self, options: &ImportOptions) -> (Option<Currency>, String) {
        match (self.currency, options.currency) {
            (Some(c), _) => (Some(c), self.evidence.clone()),
            (None, Some(c)) => (
                Some(c),
                format!(
                    "no currency written in the file: {} as chosen in the import options",
                    c.code()
                ),
            ),
            (None, None) => (
                None,
                "no currency written in the file (no R$, MX$ or currency code in its headers or amounts) \
                 and none chosen: its amounts have no currency"
                    .to_string(),
            ),
        }
    }
}

/// A cell that stops its row from being read: the column as the file writes it, and why.
pub(crate) struct BadCell {
    /// The column's header.
    pub column: String,
    /// What is wrong.
    pub why: String,
}

/// A count cell of `key` (`None` when blank, `-` or the file has no such column).
pub(crate) fn count(
    map: &ColumnMap,
    record: &csv::StringRecord,
    key: &str,
) -> Result<Option<i64>, BadCell> {
    let cell = map.cell(record, key);
    parse_count(cell).map_err(|_| BadCell {
        column: map.header(key),
        why: format!("{:?} is not a count", trim_cell(cell)),
    })
}

/// An amount cell of `key` (`None` when blank, `-` or the file has no such column).
pub(crate) fn amount(
    map: &ColumnMap,
    record: &csv::StringRecord,
    key: &str,
) -> Result<Option<Decimal>, BadCell> {
    let cell = map.cell(record, key);
    parse_amount(cell).map_err(|_| BadCell {
        column: map.header(key),
        why: format!("{:?} is not an amount", trim_cell(cell)),
    })
}

/// A day cell: `2026-05-01`, or `01/05/2026` in `order` (day-first in every analytics export seen).
/// `None` when it is not a date.
pub(crate) fn day(cell: &str, order: DateOrder) -> Option<NaiveDate> {
    parse_timestamp(cell, order)
        .ok()
        .flatten()
        .map(|t| t.date())
}

/// Whether the day cells of a file were year-first (`2026-05-01`) or in the file's order (`01/05/2026`).
#[derive(Debug, Default)]
pub(crate) struct DayOrder {
    slashed: bool,
    seen: bool,
}

impl DayOrder {
    /// Notes a day cell that was read.
    pub(crate) fn saw(&mut self, cell: &str) {
        self.seen = true;
        let t = trim_cell(cell);
        let year_first = t
            .as_bytes()
            .get(..4)
            .is_some_and(|p| p.iter().all(u8::is_ascii_digit));
        self.slashed |= !year_first;
    }

    /// The date order to report.
    pub(crate) fn order(&self, order: DateOrder) -> Option<DateOrder> {
        match (self.seen, self.slashed) {
            (false, _) => None,
            (true, true) => Some(order),
            (true, false) => Some(DateOrder::YearFirst),
        }
    }
}

/// First and last of some days.
pub(crate) fn span(dates: impl Iterator<Item = NaiveDate>) -> Option<(NaiveDate, NaiveDate)> {
    dates.fold(None, |acc, d| {
        Some(acc.map_or((d, d), |(a, b): (NaiveDate, NaiveDate)| {
            (a.min(d), b.max(d))
        }))
    })
}

/// The period an export states: in a row above its header (a cell, else the whole row), else in its
/// file name (`…_20260401-20260411.xlsx`); with where it was found.
pub(crate) fn stated(src: &Source<'_>) -> Option<((NaiveDate, NaiveDate), &'static str)> {
    for row in &src.preamble {
        if let Some(p) = row.iter().find_map(|c| stated_period(c)) {
            return Some((p, "the period stated above the header"));
        }
        if let Some(p) = stated_period(&row.join(" ")) {
            return Some((p, "the period stated above the header"));
        }
    }
    stated_period(src.name).map(|p| (p, "the period in the file name"))
}

/// What a reader found, for [`imported`].
pub(crate) struct Done {
    /// The export.
    pub kind: ExportKind,
    /// Rows read and skipped, warnings.
    pub tally: Tally,
    /// The currency marks seen.
    pub currency: FileCurrency,
    /// Rows that became records.
    pub used_rows: u64,
    /// Columns read.
    pub used_columns: Vec<String>,
    /// Columns not read.
    pub ignored_columns: Vec<String>,
    /// First and last day of the daily rows (per-day exports).
    pub rows_span: Option<(NaiveDate, NaiveDate)>,
    /// How the day cells were read (per-day exports).
    pub date_order: Option<DateOrder>,
    /// The records.
    pub data: ContentData,
}

/// The imported file: its report's period is the stated one (above the header, else in the file
/// name), else the span of its daily rows; its currency is the one it writes, else the options'.
pub(crate) fn imported(src: &Source<'_>, done: Done) -> ImportedFile {
    let (currency, currency_evidence) = done.currency.decide(&src.options);
    let mut evidence = vec![currency_evidence];
    let date_range = match stated(src) {
        Some(((a, b), from)) => {
            evidence.push(format!("period {a} – {b} from {from}"));
            Some((a, b))
        }
        None => {
            if let Some((a, b)) = done.rows_span {
                evidence.push(format!(
                    "no period stated: {a} – {b}, the first and last day of its rows"
                ));
            }
            done.rows_span
        }
    };
    match done.date_order {
        Some(DateOrder::DayFirst) => evidence.push("days read day-first (dd/mm/yyyy)".to_string()),
        Some(DateOrder::MonthFirst) => {
            evidence.push("days read month-first (mm/dd/yyyy)".to_string());
        }
        Some(DateOrder::YearFirst) => evidence.push("days written yyyy-mm-dd".to_string()),
        None => {}
    }
    ImportedFile {
        report: ImportReport {
            name: src.name.to_string(),
            kind: done.kind,
            currency,
            market: currency.and_then(crate::settings::default_market),
            date_order: done.date_order,
            encoding: src.encoding.to_string(),
            evidence: evidence.join("; "),
            rows: done.tally.rows,
            used_rows: done.used_rows,
            skipped: done.tally.skipped(),
            used_columns: done.used_columns,
            ignored_columns: done.ignored_columns,
            date_range,
            warnings: done.tally.warnings(),
            vat_in_export: false,
        },
        data: FileData::Content(done.data),
    }
}
