//! Product analytics exports (docs/formats.md §4): Analytics → Product → `product_list` (one row per
//! product, its columns repeated once per channel under a channel row above the header), the product
//! card list (one row per product) and the product card traffic stats (one row per day).
//!
//! The first gives one [`ProductFunnelRow`] per product and channel present (`All`, `LIVE`, `Video`,
//! `Product card`, `Affiliate`), the second one per product in the `Product card` channel (its card
//! views are the impressions), the third one [`DailyStat`] per day (`StatSource::ProductCard`).
//!
//! [`DailyStat`]: crate::content::DailyStat
//!
//! What the analytics readers share — the currency marks (`R$`, `MX$`, `GMV (MX$)`), headers mapped
//! without their currency mark, the stated period, cells read into a row or a reason naming the column,
//! and the report — is in `import::analytics`, whose `read` is this module's.

// `read` (called by `import`) is the analytics reader, which hands this module's kinds to it.
pub(crate) use super::analytics::read;
use super::analytics::{
    ATTRIBUTED_SKU_ORDERS, BadCell, Cells, ITEMS_SOLD, PRODUCT_CLICKS, PRODUCT_IMPRESSIONS,
    SKU_ORDERS, Sheet, day_row,
};
use super::table::{ColumnMap, ColumnSpec};
use super::values::{DateOrder, IdError, clean_id, trim_cell};
use super::{ImportError, normalise_header};
use crate::content::{ContentData, ProductFunnelRow, StatSource};

// ---- product_list ---------------------------------------------------------------------------------

/// The product's own columns, left of the first channel.
const PRODUCT_COLUMNS: &[ColumnSpec] = &[PRODUCT_ID, PRODUCT_NAME];

const PRODUCT_ID: ColumnSpec = (
    "product_id",
    true,
    &["id del producto", "product id", "id do produto"],
);

const PRODUCT_NAME: ColumnSpec = (
    "product_name",
    false,
    &["nombre del producto", "product name", "nome do produto"],
);

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
    ("orders_attributed", false, ATTRIBUTED_SKU_ORDERS),
    ("orders", false, SKU_ORDERS),
    (
        "items_attributed",
        false,
        &[
            "ventas de artículos atribuidas",
            "attributed items sold",
            "itens vendidos atribuídos",
        ],
    ),
    ("items", false, ITEMS_SOLD),
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
    ("impressions", false, PRODUCT_IMPRESSIONS),
    ("clicks", false, PRODUCT_CLICKS),
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

/// The header with only the cells of the channel `label` (`None`: of no channel) left.
fn masked(header: &[String], labels: &[Option<String>], label: Option<&str>) -> Vec<String> {
    header
        .iter()
        .zip(labels)
        .map(|(h, l)| {
            if l.as_deref() == label {
                h.clone()
            } else {
                String::new()
            }
        })
        .collect()
}

/// `product_list`: one [`ProductFunnelRow`] per product and channel.
pub(super) fn product_list(s: &mut Sheet<'_>) -> Result<ContentData, ImportError> {
    let (header, header_line) = (s.header, s.header_line);
    let labels = column_channels(&s.src.preamble, header.len());
    // The product's own columns: those outside every channel.
    let own = masked(header, &labels, None);
    let own = if own.iter().any(|h| !h.is_empty()) {
        own
    } else {
        header.to_vec()
    };
    let product = s.map(header_line, &own, header, PRODUCT_COLUMNS)?;
    let mut written: Vec<&str> = Vec::new();
    for l in labels.iter().flatten() {
        if !written.contains(&l.as_str()) {
            written.push(l);
        }
    }
    let mut channels = Vec::new();
    let mut used_idx: Vec<usize> = product
        .indices(PRODUCT_COLUMNS)
        .into_iter()
        .flatten()
        .collect();
    for label in written {
        let Some(english) = channel_name(label) else {
            s.tally.warn(format!(
                "the columns under the channel \"{label}\" are not read (a channel Margin Lab does not know)"
            ));
            continue;
        };
        let map = s.map(
            header_line,
            &masked(header, &labels, Some(label)),
            header,
            CHANNEL_COLUMNS,
        )?;
        let read = map.indices(CHANNEL_COLUMNS);
        if read.iter().all(Option::is_none) {
            continue;
        }
        used_idx.extend(read.into_iter().flatten());
        channels.push(Channel { name: english, map });
    }
    if channels.is_empty() {
        return Err(s.header_error(
            None,
            "has no column of product impressions, clicks, orders or GMV in any channel",
        ));
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
    s.used_columns = used_idx.iter().filter_map(|&i| shown(i)).collect();
    s.ignored_columns = (0..header.len())
        .filter(|i| !used_idx.contains(i))
        .filter(|&i| header.get(i).is_some_and(|h| !trim_cell(h).is_empty()))
        .filter_map(shown)
        .collect();

    let mut out = Vec::new();
    let mut used_rows = 0u64;
    s.each_row(&product, &mut |s, c, line| {
        let Some(product_id) = product_id(s, c, line) else {
            return Ok(());
        };
        let product_name = c.text("product_name");
        let read: Result<Vec<_>, _> = channels
            .iter()
            .map(|ch| {
                funnel_row(
                    &Cells::new(&ch.map, c.record),
                    &product_id,
                    product_name,
                    ch.name,
                )
            })
            .collect();
        if s.keep(c, line, read.as_ref().err(), &[])?
            && let Ok(these) = read
        {
            for ch in &channels {
                s.amounts(
                    &Cells::new(&ch.map, c.record),
                    &["gmv_attributed", "gmv"],
                    line,
                )?;
            }
            used_rows += 1;
            out.extend(these);
        }
        Ok(())
    })?;
    s.used_rows = Some(used_rows);
    Ok(ContentData::Products(out))
}

/// The product ID of a row; `None` when the row is skipped for it (blank, or shortened by a
/// spreadsheet).
fn product_id(s: &mut Sheet<'_>, c: &Cells<'_>, line: u64) -> Option<String> {
    match clean_id(c.text("product_id")) {
        Ok(id) if id.is_empty() => {
            s.tally.skip("no product ID");
            None
        }
        Ok(id) => Some(id),
        Err(IdError::Scientific) => {
            s.tally.skip_cell(
                line,
                &c.map.header("product_id"),
                "the ID was shortened to scientific notation by a spreadsheet",
            );
            None
        }
    }
}

/// One product's figures in one channel: the attributed figures where the channel has them.
fn funnel_row(
    c: &Cells<'_>,
    product_id: &str,
    product_name: &str,
    channel: &str,
) -> Result<ProductFunnelRow, BadCell> {
    Ok(ProductFunnelRow {
        product_id: product_id.to_string(),
        product_name: product_name.to_string(),
        channel: channel.to_string(),
        impressions: c.count("impressions")?,
        clicks: c.count("clicks")?,
        orders: c.count(c.pick("orders_attributed", "orders"))?,
        items: c.count(c.pick("items_attributed", "items"))?,
        customers: c.count("customers")?,
        gmv: c.amount(c.pick("gmv_attributed", "gmv"))?,
    })
}

// ---- product card list ----------------------------------------------------------------------------

/// The card's views are its impressions.
const CARD_LIST_COLUMNS: &[ColumnSpec] = &[
    PRODUCT_ID,
    PRODUCT_NAME,
    ("impressions", false, CARD_VIEWS),
    ("clicks", false, CARD_CLICKS),
    ("orders", false, SKU_ORDERS),
    ("items", false, ITEMS_SOLD),
    ("customers", false, CARD_CUSTOMERS),
    ("gmv", false, &["gmv"]),
];

/// Card views, in the card list and the card traffic stats.
const CARD_VIEWS: &[&str] = &["vistas", "views", "visualizações"];

/// Card clicks, in the card list and the card traffic stats.
const CARD_CLICKS: &[&str] = &["clics", "clicks", "cliques"];

/// Customers, in the card list and the card traffic stats.
const CARD_CUSTOMERS: &[&str] = &["clientes", "customers"];

/// The product card list: one [`ProductFunnelRow`] per product, in the `Product card` channel.
pub(super) fn card_list(s: &mut Sheet<'_>) -> Result<ContentData, ImportError> {
    let map = s.map_header(CARD_LIST_COLUMNS)?;
    let mut out = Vec::new();
    s.each_row(&map, &mut |s, c, line| {
        let Some(product_id) = product_id(s, c, line) else {
            return Ok(());
        };
        let read = funnel_row(c, &product_id, c.text("product_name"), "Product card");
        if s.keep(c, line, read.as_ref().err(), &["gmv"])? {
            out.extend(read.ok());
        }
        Ok(())
    })?;
    Ok(ContentData::Products(out))
}

// ---- product card traffic -------------------------------------------------------------------------

const CARD_TRAFFIC_COLUMNS: &[ColumnSpec] = &[
    (
        "date",
        true,
        &["hora", "time", "date", "fecha", "data", "horário"],
    ),
    ("views", false, CARD_VIEWS),
    (
        "visitors",
        false,
        &["espectadores", "viewers", "visitors", "visitantes"],
    ),
    ("clicks", false, CARD_CLICKS),
    ("orders_attributed", false, ATTRIBUTED_SKU_ORDERS),
    (
        "orders",
        false,
        &["pedidos con sku", "sku orders", "pedidos de sku"],
    ),
    ("items", false, ITEMS_SOLD),
    ("customers", false, CARD_CUSTOMERS),
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
    ("impressions", false, PRODUCT_IMPRESSIONS),
];

/// The product card traffic stats: one [`DailyStat`](crate::content::DailyStat) per day.
pub(super) fn card_traffic(s: &mut Sheet<'_>) -> Result<ContentData, ImportError> {
    let map = s.map_header(CARD_TRAFFIC_COLUMNS)?;
    let order = s.src.options.date_order.unwrap_or(DateOrder::DayFirst);
    let mut out = Vec::new();
    s.each_row(&map, &mut |s, c, line| {
        day_row(s, c, line, StatSource::ProductCard, order, true, &mut out)
    })?;
    Ok(ContentData::Daily(out))
}
