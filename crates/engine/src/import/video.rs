//! Analytics → Video exports (docs/formats.md §4): the Video Performance List (one row per video) and the
//! video core stats (one row per day), into the content layer's records (`content::VideoRow`,
//! `content::DailyStat`; docs/metrics.md §11).
//!
//! What the real files show (tests/fixtures/analytics/): the period stands above the header
//! (`[Rango de fechas]: 2026-05-01 ~ 2026-05-31`, a line break inside the cell); the currency is in the
//! amount headers (`GMV atribuido al video (MX$)`); `Productos` names each product as `name(productId)`;
//! `Clientes únicos` may be blank (then `None`, never 0). The helpers shared with the LIVE reader and the
//! other analytics readers (currency, period, cells, the per-day reader, the report) are in
//! `import::analytics`, whose `read` is this module's.

use super::ImportError;
// `read` (called by `import`) is the analytics reader, which hands this module's kinds to it.
pub(crate) use super::analytics::read;
use super::analytics::{
    ATTRIBUTED_SKU_ORDERS, BadCell, Cells, DAY, PRODUCTS_CLICKS, PRODUCTS_IMPRESSIONS, Sheet,
    is_total, stated,
};
use super::table::ColumnSpec;
use super::values::{DateOrder, clean_id, parse_timestamp};
use crate::content::{ContentData, VideoRow};
use chrono::NaiveDate;

/// Video views, in the list and the core stats.
const VIEWS: &[&str] = &[
    "vv",
    "video views",
    "vistas del video",
    "visualizações do vídeo",
];

/// Video Performance List: one row per video. Aliases are normalised headers (lower case, single
/// spaces), Spanish as the real export writes them, English and Portuguese spellings of the same
/// figures. A currency in parentheses at the end of a header is taken off before the lookup.
const LIST: &[ColumnSpec] = &[
    (
        "creator",
        true,
        &["creator name", "nombre del creador", "nome do criador"],
    ),
    (
        "creator_id",
        false,
        &["creator id", "id del creador", "id do criador"],
    ),
    (
        "video_id",
        true,
        &["video id", "id del video", "id do vídeo"],
    ),
    (
        "title",
        false,
        &[
            "video info",
            "video information",
            "información del video",
            "informações do vídeo",
        ],
    ),
    (
        "posted",
        false,
        &[
            "time",
            "post time",
            "hora",
            "hora de publicación",
            "horário",
            "horário de publicação",
        ],
    ),
    ("products", false, &["products", "productos", "produtos"]),
    ("views", true, VIEWS),
    (
        "impressions",
        true,
        &[
            "product impressions",
            "video product impressions",
            "impresiones de productos",
            "impressões de produtos",
        ],
    ),
    (
        "clicks",
        true,
        &[
            "product clicks",
            "video product clicks",
            "clics de productos",
            "cliques em produtos",
            "cliques de produtos",
        ],
    ),
    ("customers", false, &["unique customers", "clientes únicos"]),
    (
        "orders",
        true,
        &[
            "attributed sku orders",
            "video-attributed orders",
            "pedidos con sku atribuidos",
            "pedidos de sku atribuídos",
        ],
    ),
    (
        "items",
        true,
        &[
            "attributed items sold",
            "ventas de artículos atribuidas a videos",
            "itens vendidos atribuídos",
            "itens vendidos atribuídos a vídeos",
        ],
    ),
    (
        "gmv",
        true,
        &[
            "attributed gmv",
            "video-attributed gmv",
            "creator video-attributed gmv",
            "gmv atribuido al video",
            "gmv atribuído ao vídeo",
        ],
    ),
    (
        "direct_gmv",
        false,
        &["video gmv", "gmv de videos", "gmv de vídeos"],
    ),
];

/// Video core stats: one row per day (`Hora` holds the day).
pub(super) const CORE_STATS: &[ColumnSpec] = &[
    DAY,
    (
        "gmv",
        false,
        &[
            "gmv atribuido al video",
            "video-attributed gmv",
            "attributed gmv",
            "gmv atribuído ao vídeo",
        ],
    ),
    ("views", false, VIEWS),
    ("orders", false, ATTRIBUTED_SKU_ORDERS),
    (
        "items",
        false,
        &[
            "ventas de artículos atribuidas a videos",
            "attributed items sold",
            "itens vendidos atribuídos",
        ],
    ),
    (
        "customers",
        false,
        &[
            "clientes diarios prom.",
            "avg. daily customers",
            "customers",
            "clientes",
            "média de clientes diários",
        ],
    ),
    // The viewers of the videos' products: the conversion denominator of the video channel.
    (
        "visitors",
        false,
        &[
            "espectadores de productos de videos",
            "video product viewers",
            "espectadores de produtos de vídeos",
        ],
    ),
    ("impressions", false, PRODUCTS_IMPRESSIONS),
    ("clicks", false, PRODUCTS_CLICKS),
];

/// The fewest digits a product ID in `Productos` has (TikTok's are 19): a shorter number in parentheses is
/// part of a product's name (`Caja (12)`).
const MIN_PRODUCT_ID_DIGITS: usize = 10;

/// The Video Performance List: one [`VideoRow`] per row.
pub(super) fn videos(s: &mut Sheet<'_>) -> Result<ContentData, ImportError> {
    let map = s.map_header(LIST)?;
    let exported_through = stated(s.src).map(|((_, to), _)| to);
    let order = s.given_date_order();
    let mut out = Vec::new();
    s.each_row(&map, &mut |s, c, line| {
        if is_total(c.text("creator")) && c.text("video_id").is_empty() {
            s.tally.skip("total row");
            return Ok(());
        }
        let read = video(c, order, exported_through);
        if s.keep(c, line, read.as_ref().err(), &["gmv", "direct_gmv"])?
            && let Ok(video) = read
        {
            if video.product_ids.is_empty() && !c.text("products").is_empty() {
                s.tally.warn(format!(
                    "row {line}, column \"{}\": no product ID in parentheses: the video is read without its products",
                    c.map.header("products")
                ));
            }
            if let Some(posted) = video.posted {
                s.saw_day(posted.date());
            }
            out.push(video);
        }
        Ok(())
    })?;
    Ok(ContentData::Videos(out))
}

/// One video from its row's cells.
fn video(
    c: &Cells<'_>,
    order: DateOrder,
    exported_through: Option<NaiveDate>,
) -> Result<VideoRow, BadCell> {
    let video_id = id(c, "video_id")?;
    if video_id.is_empty() {
        return Err(c.bad("video_id", "blank: the row has no video ID".into()));
    }
    let creator_id = id(c, "creator_id")?;
    let posted =
        parse_timestamp(c.text("posted"), order).map_err(|_| c.not("posted", "a date and time"))?;
    Ok(VideoRow {
        creator: c.text("creator").to_string(),
        creator_id,
        video_id,
        title: c.text("title").to_string(),
        posted,
        product_ids: product_ids(c.text("products")),
        views: c.needed_count("views")?,
        product_impressions: c.needed_count("impressions")?,
        product_clicks: c.needed_count("clicks")?,
        customers: c.count("customers")?,
        orders: c.needed_count("orders")?,
        items: c.needed_count("items")?,
        gmv: c.needed_amount("gmv")?,
        direct_gmv: c.amount("direct_gmv")?,
        exported_through,
    })
}

/// An ID cell ("" when blank); one a spreadsheet wrote in scientific notation is an error.
fn id(c: &Cells<'_>, key: &str) -> Result<String, BadCell> {
    clean_id(c.text(key)).map_err(|_| {
        c.bad(
            key,
            format!(
                "{:?} is an ID a spreadsheet shortened to scientific notation: export the file again",
                c.text(key)
            ),
        )
    })
}

/// The product IDs of a `Productos` cell: the digits in parentheses after each product's name
/// (`Playera Oversize(1735523101213165258)`), in order, each once. A product name that itself holds
/// parentheses or commas does not matter: only a long run of digits alone in parentheses is an ID.
fn product_ids(cell: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = cell;
    while let Some(open) = rest.find('(') {
        let Some(after) = rest.get(open + 1..) else {
            break;
        };
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits >= MIN_PRODUCT_ID_DIGITS
            && after.get(digits..).is_some_and(|t| t.starts_with(')'))
            && let Some(id) = after.get(..digits)
            && !out.iter().any(|x| x == id)
        {
            out.push(id.to_string());
        }
        rest = after;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::product_ids;

    #[test]
    fn product_ids_from_names() {
        assert_eq!(
            product_ids("Playera Oversize  para Hombre(1735523101213165258)"),
            vec!["1735523101213165258"]
        );
        assert_eq!(
            product_ids(
                "Chaleco (2 en 1)(1734968579420423882), Caja (12) piezas(1735509236324992714)\n\
                 Chaleco (2 en 1)(1734968579420423882)"
            ),
            vec!["1734968579420423882", "1735509236324992714"]
        );
        assert!(product_ids("").is_empty());
        assert!(product_ids("Caja (12)").is_empty());
    }
}
