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
//! The pieces this reader shares with `import::video` and the other analytics readers — the currency
//! written in amounts and headers, the stated period, reading a row's cells, the per-day core stats
//! reader and the report — are in `import::analytics`, whose `read` is this module's.

use super::ImportError;
// `read` (called by `import`) is the analytics reader, which hands this module's kinds to it.
pub(crate) use super::analytics::read;
use super::analytics::{
    ATTRIBUTED_SKU_ORDERS, BadCell, Cells, DAY, PRODUCTS_CLICKS, PRODUCTS_IMPRESSIONS, Sheet,
    is_total, stated,
};
use super::table::ColumnSpec;
use super::values::{DateOrder, parse_timestamp};
use crate::content::values::parse_duration_secs;
use crate::content::{ContentData, LiveSession};
use chrono::NaiveDate;
use rust_decimal::Decimal;

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
pub(super) const CORE_STATS: &[ColumnSpec] = &[
    DAY,
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
    ("orders", false, ATTRIBUTED_SKU_ORDERS),
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
    ("impressions", false, PRODUCTS_IMPRESSIONS),
    ("clicks", false, PRODUCTS_CLICKS),
];

/// The Creator LIVE Performance list: one [`LiveSession`] per row.
pub(super) fn sessions(s: &mut Sheet<'_>) -> Result<ContentData, ImportError> {
    let map = s.map_header(PERFORMANCE)?;
    // `Attributed GMV` is the newer schema's name for the session's GMV; a file has one or the other.
    let gmv_key = if map.has("attributed_gmv") {
        "attributed_gmv"
    } else if map.has("gross_revenue") {
        "gross_revenue"
    } else {
        return Err(s.header_error(
            Some("Gross revenue"),
            "has no \"Gross revenue\" or \"Attributed GMV\" column: export the file again with all columns",
        ));
    };
    let exported_through = stated(s.src).map(|((_, to), _)| to);
    let order = s.given_date_order();
    let mut out = Vec::new();
    s.each_row(&map, &mut |s, c, line| {
        // A totals row: `Total` where the start time is, or as the title of a row without one.
        let start_text = c.text("start");
        if is_total(start_text)
            || (is_total(c.text("title"))
                && !matches!(parse_timestamp(start_text, order), Ok(Some(_))))
        {
            s.tally.skip("total row");
            return Ok(());
        }
        let read = session(c, gmv_key, order, exported_through);
        let amounts = [gmv_key, "direct_gmv", "ads_cost"];
        if s.keep(c, line, read.as_ref().err(), &amounts)?
            && let Ok(session) = read
        {
            if session.running {
                s.tally.warn(format!(
                    "row {line}, column \"{}\": a LIVE still running when exported: its duration is not known",
                    c.map.header("duration")
                ));
            }
            s.saw_day(session.start.date());
            out.push(session);
        }
        Ok(())
    })?;
    Ok(ContentData::Live(out))
}

/// One session from its row's cells.
fn session(
    c: &Cells<'_>,
    gmv_key: &str,
    order: DateOrder,
    exported_through: Option<NaiveDate>,
) -> Result<LiveSession, BadCell> {
    let start_text = c.text("start");
    let start = match parse_timestamp(start_text, order) {
        Ok(Some(t)) => t,
        Ok(None) => return Err(c.bad("start", "blank: the session has no start time".into())),
        Err(_) => return Err(c.not("start", "a date and time")),
    };
    let duration =
        parse_duration_secs(c.text("duration")).map_err(|_| c.not("duration", "a duration"))?;
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
