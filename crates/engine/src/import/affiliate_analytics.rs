//! Affiliate analytics exports (docs/formats.md §4): Affiliate → Analytics → Creator list (one row per
//! creator) and → Core metrics (one row: the period's totals). Each row becomes a [`CreatorStat`]; the
//! core metrics' row has an empty `creator`.
//!
//! Neither states its period above the header: it is in the file name
//! (`br_affiliate_creator_list_20260201-20260228.xlsx`). Amounts are written `R$ 256.417,28`.

// `read` (called by `import`) is the analytics reader, which hands this module's kinds to it.
pub(crate) use super::analytics::read;
use super::analytics::{BadCell, Cells, Sheet};
use super::table::ColumnSpec;
use super::{ExportKind, ImportError};
use crate::content::{ContentData, CreatorStat};

const COLUMNS: &[ColumnSpec] = &[
    (
        "creator",
        false,
        &[
            "creator name",
            "nombre del creador",
            "nome do criador",
            "nome do creator",
        ],
    ),
    (
        "gmv",
        true,
        &[
            "affiliate-attributed gmv",
            "gmv atribuído a afiliados",
            "gmv atribuido a afiliados",
        ],
    ),
    ("refunds", false, &["refunds", "reembolsos"]),
    (
        "orders",
        false,
        &[
            "attributed orders",
            "affiliate-attributed orders",
            "pedidos atribuídos",
            "pedidos atribuidos",
        ],
    ),
    (
        "items",
        false,
        &[
            "affiliate-attributed items sold",
            "attributed items sold",
            "itens vendidos atribuídos ao afiliado",
            "artículos vendidos atribuidos al afiliado",
        ],
    ),
    (
        "items_refunded",
        false,
        &[
            "items refunded",
            "itens reembolsados",
            "artículos reembolsados",
        ],
    ),
    ("videos", false, &["videos", "vídeos"]),
    (
        "lives",
        false,
        &[
            "live streams",
            "lives",
            "transmissões ao vivo",
            "transmisiones live",
        ],
    ),
    (
        "est_commission",
        false,
        &[
            "est. commission",
            "estimated commission",
            "comissão estimada",
            "comisión estimada",
        ],
    ),
    (
        "samples",
        false,
        &["samples sent", "amostras enviadas", "muestras enviadas"],
    ),
];

/// The amount columns, where the currency mark is looked for.
const AMOUNTS: &[&str] = &["gmv", "refunds", "est_commission"];

/// An affiliate analytics creator list or core metrics export: one [`CreatorStat`] per row.
pub(super) fn creators(s: &mut Sheet<'_>) -> Result<ContentData, ImportError> {
    let map = s.map_header(COLUMNS)?;
    let per_creator = s.kind == ExportKind::AffiliateCreatorList;
    if per_creator && !map.has("creator") {
        return Err(s.header_error(Some("Creator name"), "has no \"Creator name\" column"));
    }
    let mut out = Vec::new();
    s.each_row(&map, &mut |s, c, line| {
        // The core metrics are the period's totals: no creator.
        let creator = if per_creator { c.text("creator") } else { "" };
        if per_creator && creator.is_empty() {
            s.tally.skip("no creator name");
            return Ok(());
        }
        let read = creator_row(c, creator);
        if s.keep(c, line, read.as_ref().err(), AMOUNTS)? {
            out.extend(read.ok());
        }
        Ok(())
    })?;
    Ok(ContentData::Creators(out))
}

fn creator_row(c: &Cells<'_>, creator: &str) -> Result<CreatorStat, BadCell> {
    let Some(gmv) = c.amount("gmv")? else {
        return Err(c.bad("gmv", "no attributed GMV".to_string()));
    };
    Ok(CreatorStat {
        creator: creator.to_string(),
        gmv,
        refunds: c.amount("refunds")?,
        orders: c.count("orders")?,
        items: c.count("items")?,
        items_refunded: c.count("items_refunded")?,
        videos: c.count("videos")?,
        lives: c.count("lives")?,
        est_commission: c.amount("est_commission")?,
        samples: c.count("samples")?,
    })
}
