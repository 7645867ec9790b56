//! Analytics → Video exports (docs/formats.md §4): the Video Performance List (one row per video) and the
//! video core stats (one row per day), into the content layer's records (`content::VideoRow`,
//! `content::DailyStat`; docs/metrics.md §11).
//!
//! What the real files show (tests/fixtures/analytics/): the period stands above the header
//! (`[Rango de fechas]: 2026-05-01 ~ 2026-05-31`, a line break inside the cell); the currency is in the
//! amount headers (`GMV atribuido al video (MX$)`); `Productos` names each product as `name(productId)`;
//! `Clientes únicos` may be blank (then `None`, never 0). The helpers shared with the LIVE reader (currency,
//! period, cells, the per-day reader, the report) are in `import::live`.

use super::live::{
    CellError, Cells, CurrencyWatch, column_map, is_total, read_daily, report, span, stated,
};
use super::table::{ColumnSpec, Rows, Tally, is_blank};
use super::values::{DateOrder, IdError, clean_id, parse_timestamp};
use super::{ExportKind, FileData, ImportError, ImportedFile, Source};
use crate::content::{ContentData, StatSource, VideoRow};
use chrono::NaiveDate;

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
    (
        "views",
        true,
        &[
            "vv",
            "video views",
            "vistas del video",
            "visualizações do vídeo",
        ],
    ),
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
const CORE_STATS: &[ColumnSpec] = &[
    ("date", true, &["hora", "date", "time", "fecha", "data"]),
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
    (
        "views",
        false,
        &[
            "vv",
            "video views",
            "vistas del video",
            "visualizações do vídeo",
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

/// The fewest digits a product ID in `Productos` has (TikTok's are 19): a shorter number in parentheses is
/// part of a product's name (`Caja (12)`).
const MIN_PRODUCT_ID_DIGITS: usize = 10;

/// Reads a video export after its header.
pub(crate) fn read(
    src: &Source<'_>,
    kind: ExportKind,
    header_line: u64,
    header: &[String],
    rows: &mut dyn Rows,
) -> Result<ImportedFile, ImportError> {
    match kind {
        ExportKind::VideoCoreStats => read_daily(
            src,
            kind,
            StatSource::Video,
            CORE_STATS,
            header_line,
            header,
            rows,
        ),
        _ => read_list(src, kind, header_line, header, rows),
    }
}

/// The Video Performance List: one [`VideoRow`] per row.
fn read_list(
    src: &Source<'_>,
    kind: ExportKind,
    header_line: u64,
    header: &[String],
    rows: &mut dyn Rows,
) -> Result<ImportedFile, ImportError> {
    let name = src.name;
    let map = column_map(src, kind, header_line, header, LIST)?;
    let stated = stated(src);
    let exported_through = stated.map(|((_, to), _)| to);
    let order = src.options.date_order.unwrap_or(DateOrder::YearFirst);
    let mut watch = CurrencyWatch::default();
    watch.headers(name, header_line, header)?;
    let mut tally = Tally::default();
    let mut out: Vec<VideoRow> = Vec::new();
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
        if is_total(c.text("creator")) && c.text("video_id").is_empty() {
            tally.skip("total row");
            continue;
        }
        let video = match video(&c, order, exported_through) {
            Ok(v) => v,
            Err(e) => {
                tally.skip_cell(line, &e.column, &e.why);
                continue;
            }
        };
        if video.product_ids.is_empty() && !c.text("products").is_empty() {
            tally.warn(format!(
                "row {line}, column \"{}\": no product ID in parentheses: the video is read without its products",
                map.header("products")
            ));
        }
        for key in ["gmv", "direct_gmv"] {
            watch.cell(name, line, &map, key, c.text(key))?;
        }
        out.push(video);
    }
    let span = span(out.iter().filter_map(|v| v.posted).map(|t| t.date()));
    let (currency, evidence) = watch.finish(src.options);
    let used = out.len() as u64;
    Ok(ImportedFile {
        report: report(
            src, kind, &map, &tally, used, currency, evidence, stated, span,
        ),
        data: FileData::Content(ContentData::Videos(out)),
    })
}

/// One video from its row's cells.
fn video(
    c: &Cells<'_>,
    order: DateOrder,
    exported_through: Option<NaiveDate>,
) -> Result<VideoRow, CellError> {
    let id_text = c.text("video_id");
    let video_id = match clean_id(id_text) {
        Ok(id) if !id.is_empty() => id,
        Ok(_) => return Err(c.bad("video_id", "blank: the row has no video ID".into())),
        Err(IdError::Scientific) => {
            return Err(c.bad(
                "video_id",
                format!(
                    "{id_text:?} is an ID a spreadsheet shortened to scientific notation: export the file again"
                ),
            ));
        }
    };
    let creator_id = match clean_id(c.text("creator_id")) {
        Ok(id) => id,
        Err(IdError::Scientific) => {
            let t = c.text("creator_id");
            return Err(c.bad(
                "creator_id",
                format!(
                    "{t:?} is an ID a spreadsheet shortened to scientific notation: export the file again"
                ),
            ));
        }
    };
    let posted_text = c.text("posted");
    let posted = parse_timestamp(posted_text, order)
        .map_err(|_| c.bad("posted", format!("{posted_text:?} is not a date and time")))?;
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
