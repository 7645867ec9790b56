//! GMV Max → LIVE campaigns → Export, "livestream data for LIVE campaigns" (docs/formats.md §4): one row
//! per LIVE with the time it was launched, its campaign, cost and net cost, SKU orders and gross revenue
//! (all shops and the current shop's), ROI and LIVE views.
//!
//! What the real file shows (the VN fixture, English UI): every cell is text; amounts are written with a
//! three-decimal point (`9536465.000` VND, `90366055.117`); `Launched time` is `2026-05-05 07:11:37`; the
//! same LIVE name recurs on several days (one row per LIVE, not per name).

use super::gmv_max_creatives::{id_cell, is_total, strip_currency};
use super::table::{ColumnMap, ColumnSpec, Rows, Tally, is_blank, one_currency};
use super::values::{DateOrder, parse_timestamp, trim_cell};
use super::{ExportKind, FileData, ImportError, ImportReport, ImportedFile, Source};
use crate::content::values::{parse_amount, parse_count};
use crate::gmv_max::{GmvMaxData, LiveCampaignRow};
use crate::money::Currency;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Columns (normalised headers): English as the real file writes them; the Portuguese, Vietnamese,
/// Indonesian and Spanish spellings follow TikTok's vocabulary of the creatives export (inferred).
pub(crate) const COLUMNS: &[ColumnSpec] = &[
    (
        "live_name",
        true,
        &[
            "live name",
            "nome da live",
            "nome do live",
            "tên live",
            "tên phiên live",
            "nama live",
            "nombre del live",
            "nombre de live",
            "ชื่อ live",
        ],
    ),
    (
        "launched",
        true,
        &[
            "launched time",
            "launch time",
            "hora de lançamento",
            "horário de lançamento",
            "thời gian khởi chạy",
            "thời gian ra mắt",
            "waktu peluncuran",
            "waktu diluncurkan",
            "hora de lanzamiento",
            "เวลาที่เปิดตัว",
        ],
    ),
    super::gmv_max_creatives::CAMPAIGN,
    super::gmv_max_creatives::CAMPAIGN_ID,
    super::gmv_max_creatives::COST,
    (
        "net_cost",
        false,
        &[
            "net cost",
            "custo líquido",
            "chi phí ròng",
            "biaya bersih",
            "costo neto",
            "coste neto",
        ],
    ),
    (
        "sku_orders_shop",
        false,
        &[
            "sku orders (current shop)",
            "pedidos de sku (loja atual)",
            "số lượng đơn hàng sku (cửa hàng hiện tại)",
            "pesanan sku (toko saat ini)",
            "pedidos de sku (tienda actual)",
            "คำสั่งซื้อ sku (ร้านค้าปัจจุบัน)",
        ],
    ),
    super::gmv_max_creatives::SKU_ORDERS,
    (
        "gross_shop",
        false,
        &[
            "gross revenue (current shop)",
            "receita bruta (loja atual)",
            "doanh thu gộp (cửa hàng hiện tại)",
            "pendapatan kotor (toko saat ini)",
            "ingresos brutos (tienda actual)",
        ],
    ),
    (
        "gross",
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
    (
        "live_views",
        false,
        &[
            "live views",
            "visualizações da live",
            "lượt xem live",
            "tayangan live",
            "visualizaciones de live",
            "vistas de live",
        ],
    ),
    super::gmv_max_creatives::CURRENCY,
];

/// Reads a LIVE campaigns export after its header.
pub(crate) fn read(
    src: &Source<'_>,
    header_line: u64,
    header: &[String],
    rows: &mut dyn Rows,
) -> Result<ImportedFile, ImportError> {
    let name = src.name;
    let kind = ExportKind::GmvMaxLive;
    let (raw, header_currency) = strip_currency(header);
    let map = ColumnMap::new(name, header_line, &raw, COLUMNS, kind.label())?;
    let mut currency = src.options.currency;
    let mut evidence = Vec::new();
    if let Some((c, h)) = header_currency
        && one_currency(&mut currency, c, name, header_line, h.clone())?
    {
        evidence.push(format!("currency {c} from the header \"{h}\""));
    }
    // ISO dates (`2026-05-05 07:11:37`) are read whatever the order; other shapes day first unless the
    // user chose otherwise.
    let order = src.options.date_order.unwrap_or(DateOrder::DayFirst);
    let mut tally = Tally::default();
    let mut out: Vec<LiveCampaignRow> = Vec::new();
    let mut record = csv::StringRecord::new();
    while let Some(line) = rows.next_row(&mut record)? {
        tally.rows += 1;
        if is_blank(&record) {
            tally.skip("empty row");
            continue;
        }
        let cell = |k: &str| trim_cell(map.cell(&record, k));
        if is_total(cell("live_name")) && is_total(cell("launched")) {
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
        let launched = match parse_timestamp(cell("launched"), order) {
            Ok(Some(t)) => t,
            _ => {
                tally.skip_cell(
                    line,
                    &map.header("launched"),
                    &format!("{:?} is not a date and time", cell("launched")),
                );
                continue;
            }
        };
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
        let campaign_id = match id_cell(cell("campaign_id")) {
            Ok(id) => id,
            Err(why) => {
                tally.skip_cell(line, &map.header("campaign_id"), &why);
                continue;
            }
        };
        let mut amount = |k: &str| match parse_amount(cell(k)) {
            Ok(v) => v,
            Err(_) => {
                tally.warn(format!(
                    "row {line}, column \"{}\": {:?} is not an amount; left out",
                    map.header(k),
                    cell(k)
                ));
                None
            }
        };
        let net_cost = amount("net_cost");
        let gross_revenue = if map.has("gross_shop") {
            amount("gross_shop")
        } else {
            amount("gross")
        };
        let mut count = |k: &str| match parse_count(cell(k)) {
            Ok(v) => v,
            Err(_) => {
                tally.warn(format!(
                    "row {line}, column \"{}\": {:?} is not a count; left out",
                    map.header(k),
                    cell(k)
                ));
                None
            }
        };
        let sku_orders = if map.has("sku_orders_shop") {
            count("sku_orders_shop")
        } else {
            count("sku_orders")
        };
        let live_views = count("live_views");
        out.push(LiveCampaignRow {
            live_name: cell("live_name").to_string(),
            launched,
            campaign_id,
            campaign: cell("campaign").to_string(),
            cost,
            net_cost,
            sku_orders,
            gross_revenue,
            live_views,
        });
    }
    let date_range = out.iter().map(|r| r.launched.date()).fold(
        None,
        |acc: Option<(NaiveDate, NaiveDate)>, d| {
            Some(acc.map_or((d, d), |(a, b)| (a.min(d), b.max(d))))
        },
    );
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
            date_range,
            warnings: tally.warnings(),
            vat_in_export: false,
        },
        data: FileData::GmvMax(GmvMaxData::LiveCampaigns(out)),
    })
}
