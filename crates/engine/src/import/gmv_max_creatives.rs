//! GMV Max → product campaign → Creatives → Export, "creative data for product campaigns" (docs/formats.md
//! §4): one row per campaign × product ID × creative (a video, or the product card), with its cost, SKU
//! orders and gross revenue. The rows state no date: the file name states the window the spend was made
//! over (`creative data for product campaigns 2026-01-01 00 ~ 2026-01-31 23.xlsx`) or only the day it was
//! exported (`…_2026-03-20.xlsx`); docs/metrics.md §3 says how either meets a report period.
//!
//! What the real file shows (the BR fixture, Portuguese UI): every cell is text; amounts are written
//! `77.470`, a decimal point with three decimals ([`parse_amount`] reads them so); a product card's
//! video ID and a missing product ID are `N/A`; `Moeda` names the currency on every row. Vietnamese files
//! may carry the currency in the headers (`Chi phí (VND)`).

use super::table::{ColumnMap, ColumnSpec, Rows, Tally, is_blank, one_currency};
use super::values::{IdError, clean_id, trim_cell};
use super::{ExportKind, FileData, ImportError, ImportReport, ImportedFile, Source};
use crate::content::values::{parse_amount, parse_count, stated_period};
use crate::gmv_max::{CreativeRow, CreativesExport, GmvMaxData, date_in_name};
use crate::money::Currency;
use rust_decimal::Decimal;

/// Columns both GMV Max detail exports have (the LIVE campaigns' importer uses them too), in the languages
/// of the list below.
pub(crate) const CAMPAIGN: ColumnSpec = (
    "campaign",
    false,
    &[
        "campaign name",
        "nome da campanha",
        "tên chiến dịch",
        "nama kampanye",
        "nombre de la campaña",
        "ชื่อแคมเปญ",
    ],
);

pub(crate) const CAMPAIGN_ID: ColumnSpec = (
    "campaign_id",
    false,
    &[
        "campaign id",
        "id da campanha",
        "id chiến dịch",
        "id campaign",
        "id kampanye",
        "id de la campaña",
        "id de campaña",
        "id แคมเปญ",
    ],
);

pub(crate) const COST: ColumnSpec = (
    "cost",
    true,
    &["cost", "custo", "chi phí", "biaya", "costo", "coste"],
);

pub(crate) const SKU_ORDERS: ColumnSpec = (
    "sku_orders",
    false,
    &[
        "sku orders",
        "pedidos de sku",
        "số lượng đơn hàng sku",
        "pesanan sku",
        "pedidos con sku",
        "คำสั่งซื้อ sku",
    ],
);

pub(crate) const CURRENCY: ColumnSpec = (
    "currency",
    false,
    &[
        "currency",
        "moeda",
        "tiền tệ",
        "đơn vị tiền tệ",
        "mata uang",
        "moneda",
    ],
);

/// Columns (normalised headers): English, Portuguese (the BR fixture), Vietnamese and Indonesian (public
/// parsers of real files), Spanish and Thai (inferred from TikTok's vocabulary of the other exports; Thai
/// `ต้นทุน` and `สกุลเงิน` are normalised to `cost` and `currency` by `import::LOCALISED_HEADERS`).
pub(crate) const COLUMNS: &[ColumnSpec] = &[
    CAMPAIGN,
    CAMPAIGN_ID,
    (
        "product_id",
        false,
        &[
            "product id",
            "id do produto",
            "id sản phẩm",
            "id produk",
            "id del producto",
            "id de producto",
            "id สินค้า",
            "รหัสสินค้า",
        ],
    ),
    (
        "creative_type",
        false,
        &[
            "creative type",
            "tipo de criativo",
            "loại nội dung sáng tạo",
            "jenis materi iklan",
            "tipo de creatividad",
            "tipo de creativo",
            "ประเภทครีเอทีฟ",
        ],
    ),
    (
        "video_id",
        false,
        &[
            "video id",
            "id do vídeo",
            "id video",
            "id del video",
            "id del vídeo",
            "id วิดีโอ",
        ],
    ),
    COST,
    SKU_ORDERS,
    (
        "gross_revenue",
        false,
        &[
            "gross revenue",
            "receita bruta",
            "doanh thu gộp",
            "pendapatan kotor",
            "ingresos brutos",
            "รายได้ขั้นต้น",
        ],
    ),
    CURRENCY,
];

/// Cells that stand for "no ID" (`N/A` on a product card's video, `-`).
pub(super) fn no_id(cell: &str) -> bool {
    matches!(
        trim_cell(cell).to_ascii_lowercase().as_str(),
        "" | "-" | "--" | "n/a" | "na" | "/"
    )
}

/// Headers with a currency code in parentheses at the end (`Chi phí (VND)`): the header without it, and
/// the currency (the first one found) with its header.
pub(super) fn strip_currency(header: &[String]) -> (Vec<String>, Option<(Currency, String)>) {
    let mut found = None;
    let raw = header
        .iter()
        .map(|h| {
            let t = h.trim();
            if let Some(open) = t.rfind('(')
                && t.ends_with(')')
                && let Some(code) = t.get(open + 1..t.len() - 1)
                && code.len() == 3
                && code.bytes().all(|b| b.is_ascii_uppercase())
                && let Some(c) = Currency::from_code(code)
            {
                found.get_or_insert((c, t.to_string()));
                t.get(..open).unwrap_or(t).trim_end().to_string()
            } else {
                h.clone()
            }
        })
        .collect();
    (raw, found)
}

/// An ID cell: `None` for "no ID"; an error message for an ID a spreadsheet turned into `1.73E+18`.
pub(super) fn id_cell(cell: &str) -> Result<String, String> {
    if no_id(cell) {
        return Ok(String::new());
    }
    clean_id(cell).map_err(|IdError::Scientific| {
        format!(
            "{:?} is an ID a spreadsheet rewrote in scientific notation: its digits are lost; export the file again",
            trim_cell(cell)
        )
    })
}

/// Cells of a totals row (`Total`, `-`).
pub(super) fn is_total(cell: &str) -> bool {
    let t = trim_cell(cell).to_lowercase();
    matches!(
        t.as_str(),
        "" | "-" | "total" | "totals" | "summary" | "tổng" | "tổng cộng" | "รวม"
    )
}

/// Reads a creatives export after its header.
pub(crate) fn read(
    src: &Source<'_>,
    header_line: u64,
    header: &[String],
    rows: &mut dyn Rows,
) -> Result<ImportedFile, ImportError> {
    let name = src.name;
    let kind = ExportKind::GmvMaxCreatives;
    let (raw, header_currency) = strip_currency(header);
    let map = ColumnMap::new(name, header_line, &raw, COLUMNS, kind.label())?;
    let mut currency = src.options.currency;
    let mut evidence = Vec::new();
    if let Some((c, h)) = header_currency
        && one_currency(&mut currency, c, name, header_line, h.clone())?
    {
        evidence.push(format!("currency {c} from the header \"{h}\""));
    }
    let mut tally = Tally::default();
    if !map.has("product_id") {
        tally.warn(
            "no \"Product ID\" column: its spend cannot be charged to products and is spread over the days' sales"
                .to_string(),
        );
    }
    let mut out = Vec::new();
    let mut record = csv::StringRecord::new();
    while let Some(line) = rows.next_row(&mut record)? {
        tally.rows += 1;
        if is_blank(&record) {
            tally.skip("empty row");
            continue;
        }
        let cell = |k: &str| trim_cell(map.cell(&record, k));
        if ["campaign", "campaign_id", "product_id", "video_id"]
            .iter()
            .all(|k| is_total(cell(k)))
        {
            tally.skip("total row");
            continue;
        }
        if let Some(c) = Currency::from_code(cell("currency"))
            && one_currency(&mut currency, c, name, line, map.header("currency"))?
        {
            evidence.push(format!(
                "currency {c} from the column \"{}\"",
                map.header("currency")
            ));
        }
        let cost = match parse_amount(cell("cost")) {
            Ok(v) => v.unwrap_or(Decimal::ZERO),
            Err(_) => {
                tally.skip_cell(
                    line,
                    &map.header("cost"),
                    &format!("{:?} is not an amount", cell("cost")),
                );
                continue;
            }
        };
        let mut ids = [String::new(), String::new(), String::new()];
        let mut bad_id = false;
        for (slot, k) in ids
            .iter_mut()
            .zip(["campaign_id", "product_id", "video_id"])
        {
            match id_cell(cell(k)) {
                Ok(id) => *slot = id,
                Err(why) => {
                    tally.skip_cell(line, &map.header(k), &why);
                    bad_id = true;
                    break;
                }
            }
        }
        if bad_id {
            continue;
        }
        let [campaign_id, product_id, video_id] = ids;
        let sku_orders = match parse_count(cell("sku_orders")) {
            Ok(n) => n,
            Err(_) => {
                tally.warn(format!(
                    "row {line}, column \"{}\": {:?} is not a count; left out",
                    map.header("sku_orders"),
                    cell("sku_orders")
                ));
                None
            }
        };
        let gross_revenue = match parse_amount(cell("gross_revenue")) {
            Ok(v) => v,
            Err(_) => {
                tally.warn(format!(
                    "row {line}, column \"{}\": {:?} is not an amount; left out",
                    map.header("gross_revenue"),
                    cell("gross_revenue")
                ));
                None
            }
        };
        out.push(CreativeRow {
            campaign_id,
            campaign: cell("campaign").to_string(),
            product_id,
            creative_type: cell("creative_type").to_string(),
            video_id,
            cost,
            sku_orders,
            gross_revenue,
        });
    }
    // The file name is all that says which days the rows add up (docs/metrics.md §3).
    let file_name = name.split(" [").next().unwrap_or(name);
    let window = stated_period(file_name);
    let exported_on = if window.is_some() {
        None
    } else {
        date_in_name(file_name)
    };
    evidence.push(match (window, exported_on) {
        (Some((a, b)), _) => format!("the file name states the window {a} – {b}"),
        (None, Some(d)) => format!(
            "the rows and the file name state no window (exported on {d}): the spend is taken over the loaded orders' span"
        ),
        (None, None) => {
            "the rows and the file name state no window: the spend is taken over the loaded orders' span"
                .to_string()
        }
    });
    let used = out.len() as u64;
    Ok(ImportedFile {
        report: ImportReport {
            name: name.to_string(),
            kind,
            currency,
            market: currency.and_then(crate::settings::default_market),
            date_order: None,
            encoding: src.encoding.to_string(),
            evidence: evidence.join("; "),
            rows: tally.rows,
            used_rows: used,
            skipped: tally.skipped(),
            used_columns: map.used(),
            ignored_columns: map.ignored(),
            date_range: window,
            warnings: tally.warnings(),
            vat_in_export: false,
        },
        data: FileData::GmvMax(GmvMaxData::Creatives(CreativesExport {
            window,
            exported_on,
            rows: out,
        })),
    })
}
