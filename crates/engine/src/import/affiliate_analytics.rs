//! Affiliate analytics exports (docs/formats.md §4): Affiliate → Analytics → Creator list (one row per
//! creator) and → Core metrics (one row: the period's totals). Each row becomes a [`CreatorStat`]; the
//! core metrics' row has an empty `creator`.
//!
//! Neither states its period above the header: it is in the file name
//! (`br_affiliate_creator_list_20260201-20260228.xlsx`). Amounts are written `R$ 256.417,28`.

use super::product_analytics::{BadCell, Done, FileCurrency, amount, count, imported, map_columns};
use super::table::{ColumnMap, ColumnSpec, Rows, Tally, is_blank};
use super::values::trim_cell;
use super::{ExportKind, ImportError, ImportedFile, Source};
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

/// Reads an affiliate analytics creator list or core metrics export after its header.
pub(crate) fn read(
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
        COLUMNS,
        kind.label(),
        &mut currency,
    )?;
    let per_creator = kind == ExportKind::AffiliateCreatorList;
    if per_creator && !map.has("creator") {
        return Err(ImportError {
            file: name.to_string(),
            row: Some(header_line),
            column: Some("Creator name".to_string()),
            message: format!("the {} has no \"Creator name\" column", kind.label()),
        });
    }
    let mut tally = Tally::default();
    let mut out = Vec::new();
    let mut record = csv::StringRecord::new();
    while let Some(line) = rows.next_row(&mut record)? {
        tally.rows += 1;
        if is_blank(&record) {
            tally.skip("empty row");
            continue;
        }
        // The core metrics are the period's totals: no creator.
        let creator = if per_creator {
            let c = trim_cell(map.cell(&record, "creator"));
            if c.is_empty() {
                tally.skip("no creator name");
                continue;
            }
            c.to_string()
        } else {
            String::new()
        };
        match creator_row(&map, &record, creator) {
            Ok(r) => {
                currency.amounts(&map, &record, AMOUNTS, name, line)?;
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
            data: ContentData::Creators(out),
        },
    ))
}

fn creator_row(
    map: &ColumnMap,
    record: &csv::StringRecord,
    creator: String,
) -> Result<CreatorStat, BadCell> {
    let Some(gmv) = amount(map, record, "gmv")? else {
        return Err(BadCell {
            column: map.header("gmv"),
            why: "no attributed GMV".to_string(),
        });
    };
    Ok(CreatorStat {
        creator,
        gmv,
        refunds: amount(map, record, "refunds")?,
        orders: count(map, record, "orders")?,
        items: count(map, record, "items")?,
        items_refunded: count(map, record, "items_refunded")?,
        videos: count(map, record, "videos")?,
        lives: count(map, record, "lives")?,
        est_commission: amount(map, record, "est_commission")?,
        samples: count(map, record, "samples")?,
    })
}
