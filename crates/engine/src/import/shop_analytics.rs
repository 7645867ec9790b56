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

// `read` (called by `import`) is the analytics reader, which hands this module's kinds to it.
pub(crate) use super::analytics::read;
use super::analytics::{
    BadCell, Cells, ITEMS_SOLD, PRODUCT_CLICKS, PRODUCT_IMPRESSIONS, SKU_ORDERS, Sheet, day_row,
    header_mark,
};
use super::table::{ColumnSpec, Tally};
use super::values::{DateOrder, trim_cell};
use super::{ImportError, normalise_header};
use crate::content::{ContentData, DailyStat, StatSource};
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
    ("orders", false, SKU_ORDERS),
    ("items", false, ITEMS_SOLD),
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
    ("impressions", false, PRODUCT_IMPRESSIONS),
    ("clicks", false, PRODUCT_CLICKS),
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

/// A Shop Analytics key metrics or business overview export: one [`DailyStat`] per day of its daily
/// block, its totals checked against them.
pub(super) fn days(s: &mut Sheet<'_>) -> Result<ContentData, ImportError> {
    let first = s.map(s.header_line, s.header, s.header, COLUMNS)?;
    let (totals_map, mut daily) = if is_daily_header(&csv::StringRecord::from(s.header.to_vec())) {
        (None, Some(first))
    } else {
        (Some(first), None)
    };
    let order = s.src.options.date_order.unwrap_or(DateOrder::DayFirst);
    let mut totals: Option<Totals> = None;
    let mut out: Vec<DailyStat> = Vec::new();
    let mut record = csv::StringRecord::new();
    while let Some(line) = s.next_row(&mut record)? {
        if is_daily_header(&record) {
            let cells: Vec<String> = record.iter().map(|c| trim_cell(c).to_string()).collect();
            daily = Some(s.map(line, &cells, &cells, COLUMNS)?);
            s.tally.skip("header of the daily block");
            continue;
        }
        let label = normalise_header(record.get(0).unwrap_or(""));
        let rest_blank = record.iter().skip(1).all(|c| trim_cell(c).is_empty());
        if SECTION_TITLES.contains(&label.as_str()) && rest_blank {
            s.tally.skip("block title");
            continue;
        }
        let Some(map) = &daily else {
            // Still in the totals block.
            if CHANGE_LABELS.contains(&label.as_str()) {
                s.tally.skip("percentage change row");
            } else if let (None, Some(map)) = (&totals, &totals_map)
                && (label.is_empty() || TOTAL_LABELS.contains(&label.as_str()))
            {
                match totals_row(&Cells::new(map, &record), line) {
                    Ok(t) => totals = Some(t),
                    Err(bad) => {
                        s.tally.warn(format!(
                            "row {line}, column \"{}\": {}; the totals are not checked",
                            bad.column, bad.why
                        ));
                    }
                }
                s.tally.skip("totals row");
            } else {
                s.tally.skip("row before the daily data");
            }
            continue;
        };
        let c = Cells::new(map, &record);
        day_row(s, &c, line, StatSource::Shop, order, true, &mut out)?;
    }
    if daily.is_none() {
        s.tally.warn(format!(
            "no daily block (a header starting \"Fecha\", \"Data\" or \"Date\") was found in the {}: no day was read",
            s.kind.label()
        ));
    }
    if let Some(t) = &totals {
        check_totals(t, &out, &mut s.tally);
    }
    if let Some(shown) = daily.as_ref().or(totals_map.as_ref()) {
        s.used_columns = shown.used();
        s.ignored_columns = shown.ignored();
    }
    Ok(ContentData::Daily(out))
}

/// True for the daily block's header: its first cell is the day column's and it has a GMV column.
fn is_daily_header(cells: &csv::StringRecord) -> bool {
    let first = cells.iter().map(trim_cell).find(|c| !c.is_empty());
    first.is_some_and(|c| DATE_HEADERS.contains(&normalise_header(c).as_str()))
        && cells
            .iter()
            .any(|c| GMV_HEADERS.contains(&header_mark(c).0.as_str()))
}

fn totals_row(c: &Cells<'_>, line: u64) -> Result<Totals, BadCell> {
    Ok(Totals {
        line,
        gmv: c.amount("gmv")?.map(|v| (v, c.map.header("gmv"))),
        orders: c.count("orders")?.map(|v| (v, c.map.header("orders"))),
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
