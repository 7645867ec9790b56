//! The shop's per-day analytics exports (docs/formats.md §4): Analytics → Shop Analytics → Key metrics
//! (`Resumen de los datos` / `Data overview`) and Analytics → Overview → "My Business Performance"
//! (`Visão geral dos dados`).
//!
//! Both start with a totals block (its header, which is how the file is recognised, then one totals row
//! — `Valor total`, or a blank label — and maybe a `Cambio porcentual` row), then a `Datos diarios` /
//! `Dados diários` block with its own header (`Fecha,GMV,…` / `Data,…`) and one row per day, written
//! day-first (`01/05/2026`). Each day becomes a [`DailyStat`] (`StatSource::Shop`). The totals are not
//! records: their GMV (and SKU orders, where both blocks have them) is checked against the sum of the
//! days, and a difference beyond rounding is a warning naming both figures.

use super::product_analytics::{
    BadCell, DayOrder, Done, FileCurrency, amount, count, day, imported, map_columns, span,
    split_header_currency,
};
use super::table::{ColumnMap, ColumnSpec, Rows, Tally, is_blank};
use super::values::{DateOrder, trim_cell};
use super::{ExportKind, ImportError, ImportedFile, Source, normalise_header};
use crate::content::{ContentData, DailyStat, StatSource};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// The day column of the daily block.
const DATE_HEADERS: &[&str] = &["fecha", "data", "date"];

/// The shop's GMV (`Valor bruto da mercadoria (R$)` is read without its currency mark).
const GMV_HEADERS: &[&str] = &[
    "gmv",
    "valor bruto da mercadoria",
    "gross merchandise value",
];

const COLUMNS: &[ColumnSpec] = &[
    ("date", false, DATE_HEADERS),
    ("gmv", false, GMV_HEADERS),
    ("refunds", false, &["reembolsos", "refunds"]),
    // SKU orders (`Pedidos con SKU`, `Pedido de SKU`, `SKU orders`), not `Pedidos` / `Orders` (orders,
    // whatever their SKU lines): `DailyStat::orders` is SKU orders, as in the LIVE, video and product
    // exports. A file with only `Pedidos` gives no orders.
    (
        "orders",
        false,
        &[
            "pedidos con sku",
            "pedido de sku",
            "pedidos de sku",
            "sku orders",
        ],
    ),
    (
        "items",
        false,
        &["artículos vendidos", "itens vendidos", "items sold"],
    ),
    // Per day; the totals block's `Média de clientes diários` is an average, not read.
    (
        "customers",
        false,
        &[
            "clientes",
            "clientes únicos",
            "customers",
            "unique customers",
        ],
    ),
    (
        "page_views",
        false,
        &["vistas de página", "visualizações de página", "page views"],
    ),
    // The conversion denominator: `Visitantes` (key metrics), `Visitas à página da loja` (overview).
    (
        "visitors",
        false,
        &[
            "visitantes",
            "visitas à página da loja",
            "visitors",
            "shop page visits",
            "store page visits",
        ],
    ),
    (
        "impressions",
        false,
        &[
            "impresiones del producto",
            "impressões do produto",
            "product impressions",
        ],
    ),
    (
        "clicks",
        false,
        &[
            "clics en el producto",
            "cliques no produto",
            "product clicks",
        ],
    ),
];

/// The label of the totals row (a blank label too).
const TOTAL_LABELS: &[&str] = &["valor total", "total value", "total", "totais"];

/// The label of the row comparing with the previous period: skipped.
const CHANGE_LABELS: &[&str] = &[
    "cambio porcentual",
    "percentage change",
    "variação percentual",
    "alteração percentual",
];

/// Rows that only title a block.
const SECTION_TITLES: &[&str] = &[
    "datos diarios",
    "dados diários",
    "daily data",
    "resumen de los datos",
    "visão geral dos dados",
    "data overview",
];

/// The totals row: its GMV and SKU orders, where it is, and the columns' headers.
struct Totals {
    line: u64,
    gmv: Option<(Decimal, String)>,
    orders: Option<(i64, String)>,
}

/// Reads a Shop Analytics key metrics or business overview export after its (totals) header.
pub(crate) fn read(
    src: &Source<'_>,
    kind: ExportKind,
    header_line: u64,
    header: &[String],
    rows: &mut dyn Rows,
) -> Result<ImportedFile, ImportError> {
    let name = src.name;
    let mut currency = FileCurrency::default();
    let first = map_columns(
        src,
        header_line,
        header,
        header,
        COLUMNS,
        kind.label(),
        &mut currency,
    )?;
    let (totals_map, mut daily) = if is_daily_header(header.iter().map(String::as_str)) {
        (None, Some(first))
    } else {
        (Some(first), None)
    };
    let order = src.options.date_order.unwrap_or(DateOrder::DayFirst);
    let mut days = DayOrder::default();
    let mut totals: Option<Totals> = None;
    let mut tally = Tally::default();
    let mut out: Vec<DailyStat> = Vec::new();
    let mut record = csv::StringRecord::new();
    while let Some(line) = rows.next_row(&mut record)? {
        tally.rows += 1;
        if is_blank(&record) {
            tally.skip("empty row");
            continue;
        }
        if is_daily_header(record.iter()) {
            let cells: Vec<String> = record.iter().map(|c| trim_cell(c).to_string()).collect();
            daily = Some(map_columns(
                src,
                line,
                &cells,
                &cells,
                COLUMNS,
                kind.label(),
                &mut currency,
            )?);
            tally.skip("header of the daily block");
            continue;
        }
        let label = normalise_header(record.get(0).unwrap_or(""));
        let rest_blank = record.iter().skip(1).all(|c| trim_cell(c).is_empty());
        if SECTION_TITLES.contains(&label.as_str()) && rest_blank {
            tally.skip("block title");
            continue;
        }
        let Some(map) = &daily else {
            // Still in the totals block.
            if CHANGE_LABELS.contains(&label.as_str()) {
                tally.skip("percentage change row");
            } else if let (None, Some(tm)) = (&totals, &totals_map)
                && (label.is_empty() || TOTAL_LABELS.contains(&label.as_str()))
            {
                match totals_row(tm, &record, line) {
                    Ok(t) => totals = Some(t),
                    Err(bad) => {
                        tally.warn(format!(
                            "row {line}, column \"{}\": {}; the totals are not checked",
                            bad.column, bad.why
                        ));
                    }
                }
                tally.skip("totals row");
            } else {
                tally.skip("row before the daily data");
            }
            continue;
        };
        let date_cell = map.cell(&record, "date");
        let Some(date) = day(date_cell, order) else {
            tally.skip_cell(
                line,
                &map.header("date"),
                &format!("{:?} is not a date", trim_cell(date_cell)),
            );
            continue;
        };
        days.saw(date_cell);
        match shop_day(map, &record, date) {
            Ok(d) => {
                currency.amounts(map, &record, &["gmv", "refunds"], name, line)?;
                out.push(d);
            }
            Err(bad) => tally.skip_cell(line, &bad.column, &bad.why),
        }
    }
    if daily.is_none() {
        tally.warn(format!(
            "no daily block (a header starting \"Fecha\", \"Data\" or \"Date\") was found in the {}: no day was read",
            kind.label()
        ));
    }
    if let Some(t) = &totals {
        check_totals(t, &out, &mut tally);
    }
    let shown = daily.as_ref().or(totals_map.as_ref());
    Ok(imported(
        src,
        Done {
            kind,
            tally,
            currency,
            used_rows: out.len() as u64,
            used_columns: shown.map(ColumnMap::used).unwrap_or_default(),
            ignored_columns: shown.map(ColumnMap::ignored).unwrap_or_default(),
            rows_span: span(out.iter().map(|d| d.date)),
            date_order: days.order(order),
            data: ContentData::Daily(out),
        },
    ))
}

/// True for the daily block's header: its first cell is the day column's and it has a GMV column.
fn is_daily_header<'a>(mut cells: impl Iterator<Item = &'a str> + Clone) -> bool {
    let first = cells.clone().map(trim_cell).find(|c| !c.is_empty());
    first.is_some_and(|c| DATE_HEADERS.contains(&normalise_header(c).as_str()))
        && cells.any(|c| GMV_HEADERS.contains(&split_header_currency(c).0.as_str()))
}

fn totals_row(map: &ColumnMap, record: &csv::StringRecord, line: u64) -> Result<Totals, BadCell> {
    Ok(Totals {
        line,
        gmv: amount(map, record, "gmv")?.map(|v| (v, map.header("gmv"))),
        orders: count(map, record, "orders")?.map(|v| (v, map.header("orders"))),
    })
}

fn shop_day(
    map: &ColumnMap,
    record: &csv::StringRecord,
    date: NaiveDate,
) -> Result<DailyStat, BadCell> {
    Ok(DailyStat {
        source: StatSource::Shop,
        date,
        gmv: amount(map, record, "gmv")?,
        refunds: amount(map, record, "refunds")?,
        orders: count(map, record, "orders")?,
        items: count(map, record, "items")?,
        customers: count(map, record, "customers")?,
        views: None,
        visitors: count(map, record, "visitors")?,
        page_views: count(map, record, "page_views")?,
        impressions: count(map, record, "impressions")?,
        clicks: count(map, record, "clicks")?,
        sessions: None,
    })
}

/// Compares the totals row with the sum of the days read: GMV within rounding (half a cent per day and
/// for the total), SKU orders exactly. A difference is a warning naming both figures.
fn check_totals(t: &Totals, days: &[DailyStat], tally: &mut Tally) {
    let n = days.len();
    if let Some((total, column)) = &t.gmv {
        let daily: Vec<Decimal> = days.iter().filter_map(|d| d.gmv).collect();
        if !daily.is_empty() {
            let sum: Decimal = daily.iter().sum();
            let tolerance = Decimal::new(5, 3) * Decimal::from(daily.len() + 1);
            if (*total - sum).abs() > tolerance {
                tally.warn(format!(
                    "row {}, column \"{column}\": the totals block's GMV {total} is not the sum of the {n} daily rows' GMV, {sum}",
                    t.line
                ));
            }
        }
    }
    if let Some((total, column)) = &t.orders {
        let daily: Vec<i64> = days.iter().filter_map(|d| d.orders).collect();
        if !daily.is_empty() {
            let sum: i64 = daily.iter().sum();
            if *total != sum {
                tally.warn(format!(
                    "row {}, column \"{column}\": the totals block's SKU orders {total} are not the sum of the {n} daily rows' SKU orders, {sum}",
                    t.line
                ));
            }
        }
    }
}
