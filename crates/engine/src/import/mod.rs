//! Import: recognise an export by its header signature, read its rows, normalise them into ledger lines.
//!
//! Every importer takes any `io::Read` and reads it record by record (the whole file is never one string),
//! so the same code serves the CLI on a gigabyte and the page on a dropped file.

pub mod ads;
pub mod affiliate;
pub mod affiliate_analytics;
mod analytics;
pub mod costs;
pub mod finance;
pub mod gmv_max_creatives;
pub mod gmv_max_live;
pub mod live;
pub mod orders;
#[cfg(feature = "parallel")]
pub mod parallel;
pub mod product_analytics;
pub mod returns;
pub mod shop_analytics;
pub mod table;
pub mod text;
pub mod values;
pub mod video;
pub mod xlsx;

use crate::costs::CostsTable;
use crate::ledger::{AdSpendRow, AffiliateRow, FinanceRow, OrderLine};
use crate::money::Currency;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::io::Read;
use values::DateOrder;

/// The kinds of export Margin Lab reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    /// Seller Center → Orders → Export: one row per SKU line (docs/formats.md §1).
    Orders,
    /// Seller Center → Affiliate → Orders (docs/formats.md §3.1).
    AffiliateOrders,
    /// Finance → Transactions / Statements "income" export, sheet `Order details` (docs/formats.md §2.1).
    FinanceIncome,
    /// US 2026 statement P&L export, sheets `Orders` and `Adjustment` (docs/formats.md §2.2).
    FinanceStatement,
    /// On-hold / unsettled orders export (docs/formats.md §2.3).
    FinanceOnHold,
    /// GMV Max → Campaign overview, by day (docs/formats.md §4).
    GmvMaxCampaign,
    /// Ads Manager → Reporting → Cost (docs/formats.md §4).
    AdsManagerCost,
    /// GMV Max → product campaign → Creatives: spend per campaign × product ID × creative (docs/formats.md §4).
    GmvMaxCreatives,
    /// GMV Max → LIVE campaigns: spend per LIVE, with its launched time (docs/formats.md §4).
    GmvMaxLive,
    /// The seller's own costs sheet.
    Costs,
    /// Analytics → LIVE → Creator LIVE Performance: one row per session (docs/formats.md §4).
    LivePerformance,
    /// Analytics → LIVE → Core stats: one row per day.
    LiveCoreStats,
    /// Analytics → Video → Video Performance List: one row per video.
    VideoPerformance,
    /// Analytics → Video → Core stats: one row per day.
    VideoCoreStats,
    /// Analytics → Product → `product_list`: one row per product, columns per channel.
    ProductAnalytics,
    /// Analytics → Product card → product list: one row per product.
    ProductCardList,
    /// Analytics → Product card → traffic stats: one row per day.
    ProductCardTraffic,
    /// Analytics → Shop Analytics → Key metrics: totals block and one row per day.
    ShopKeyMetrics,
    /// Analytics → Overview → "My Business Performance": totals block and one row per day.
    BusinessOverview,
    /// Affiliate → Analytics → Creator list: one row per creator.
    AffiliateCreatorList,
    /// Affiliate → Analytics → Core metrics: the period's totals.
    AffiliateCoreMetrics,
    /// Orders → Returns → Export: one row per SKU of a return or refund request (docs/formats.md §1.6).
    Returns,
}

impl ExportKind {
    /// The name a seller knows the export by.
    pub fn label(&self) -> &'static str {
        match self {
            ExportKind::Orders => "Orders export",
            ExportKind::AffiliateOrders => "Affiliate orders export",
            ExportKind::FinanceIncome => "Finance income export",
            ExportKind::FinanceStatement => "Finance statement (P&L) export",
            ExportKind::FinanceOnHold => "On-hold (unsettled) export",
            ExportKind::GmvMaxCampaign => "GMV Max campaign report",
            ExportKind::AdsManagerCost => "Ads Manager cost report",
            ExportKind::GmvMaxCreatives => "GMV Max creatives export (product campaigns)",
            ExportKind::GmvMaxLive => "GMV Max LIVE campaigns export",
            ExportKind::Costs => "Costs sheet",
            ExportKind::LivePerformance => "Creator LIVE performance export",
            ExportKind::LiveCoreStats => "LIVE core stats export",
            ExportKind::VideoPerformance => "Video performance list",
            ExportKind::VideoCoreStats => "Video core stats export",
            ExportKind::ProductAnalytics => "Product analytics export",
            ExportKind::ProductCardList => "Product card list",
            ExportKind::ProductCardTraffic => "Product card traffic export",
            ExportKind::ShopKeyMetrics => "Shop Analytics key metrics",
            ExportKind::BusinessOverview => "Business performance overview",
            ExportKind::AffiliateCreatorList => "Affiliate analytics creator list",
            ExportKind::AffiliateCoreMetrics => "Affiliate analytics core metrics",
            ExportKind::Returns => "Returns & refunds export",
        }
    }

    /// True for the Seller Center analytics exports of the content layer (docs/metrics.md §11): they
    /// carry no order line and change no figure of the P&L.
    pub fn is_content(&self) -> bool {
        matches!(
            self,
            ExportKind::LivePerformance
                | ExportKind::LiveCoreStats
                | ExportKind::VideoPerformance
                | ExportKind::VideoCoreStats
                | ExportKind::ProductAnalytics
                | ExportKind::ProductCardList
                | ExportKind::ProductCardTraffic
                | ExportKind::ShopKeyMetrics
                | ExportKind::BusinessOverview
                | ExportKind::AffiliateCreatorList
                | ExportKind::AffiliateCoreMetrics
        )
    }
}

/// Choices the user can force instead of letting the importer decide from the file's evidence.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportOptions {
    /// Day/month order of the file's dates.
    pub date_order: Option<DateOrder>,
    /// The currency of amounts written without a currency code.
    pub currency: Option<Currency>,
    /// The file's size in bytes, when the caller knows it: an Orders import reserves room for the
    /// lines it will hold at once instead of doubling its storage as it goes (whose copy costs up to
    /// half again the lines' memory at the last doubling). Not a user choice: never serialised.
    #[serde(skip)]
    pub size_hint: Option<u64>,
}

/// A file that cannot be used, with where and why. Nothing already loaded is affected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportError {
    /// The file's name as the user gave it.
    pub file: String,
    /// 1-based line number in the file (the header is line 1), when the problem is in one row.
    pub row: Option<u64>,
    /// The column's header, when the problem is in one column.
    pub column: Option<String>,
    /// What is wrong and what to do, in the user's words.
    pub message: String,
}

impl ImportError {
    /// The message the page and the CLI show as is: file, row, column, then the reason.
    pub fn user_message(&self) -> String {
        let mut s = self.file.clone();
        if let Some(r) = self.row {
            s.push_str(&format!(", row {r}"));
        }
        if let Some(c) = &self.column {
            s.push_str(&format!(", column \"{c}\""));
        }
        s.push_str(": ");
        s.push_str(&self.message);
        s
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.user_message())
    }
}

impl std::error::Error for ImportError {}

/// What the import of one file found: shown on the file's card and in the report's `files`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// The file's name.
    pub name: String,
    /// The detected export.
    pub kind: ExportKind,
    /// The currency of the file's amounts (none for a costs sheet).
    pub currency: Option<Currency>,
    /// The market the currency stands for by default (`US`, `GB`…); the settings can map it otherwise.
    pub market: Option<String>,
    /// How the file's dates were read.
    pub date_order: Option<DateOrder>,
    /// The text encoding found (CSV), or `xlsx`.
    pub encoding: String,
    /// Why `currency` and `date_order` were chosen.
    pub evidence: String,
    /// Data rows read (after the header).
    pub rows: u64,
    /// Rows that became ledger lines.
    pub used_rows: u64,
    /// Rows skipped, by reason.
    pub skipped: Vec<SkipCount>,
    /// Headers of the columns the importer reads.
    pub used_columns: Vec<String>,
    /// Headers of the columns it ignores.
    pub ignored_columns: Vec<String>,
    /// Order dates of the used rows: first and last.
    pub date_range: Option<(NaiveDate, NaiveDate)>,
    /// Problems worth knowing that did not stop the import (each names its row and column).
    pub warnings: Vec<String>,
    /// An Orders export some of whose lines carry a non-zero `Product Tax Rate`: the VAT is taken from
    /// the export (docs/metrics.md §2 output_vat). False for a UK/EU export whose tax columns are 0 or
    /// absent: the page then asks the seller whether the shop is VAT-registered.
    #[serde(default)]
    pub vat_in_export: bool,
}

/// How many rows were skipped for one reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkipCount {
    /// The reason, e.g. "description row".
    pub reason: String,
    /// How many rows.
    pub count: u64,
}

/// A file read into typed records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedFile {
    /// What was found.
    pub report: ImportReport,
    /// The records.
    pub data: FileData,
}

/// The records of one file, by kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileData {
    /// Order lines.
    Orders(Vec<OrderLine>),
    /// Affiliate rows.
    Affiliate(Vec<AffiliateRow>),
    /// Finance rows.
    Finance(Vec<FinanceRow>),
    /// Ad spend per day.
    Ads(Vec<AdSpendRow>),
    /// GMV Max's detail: spend per product and creative, or per LIVE (docs/metrics.md §3, §6).
    GmvMax(crate::gmv_max::GmvMaxData),
    /// Unit costs.
    Costs(CostsTable),
    /// Seller Center analytics records (docs/metrics.md §11).
    Content(crate::content::ContentData),
    /// Return and refund requests (docs/formats.md §1.6).
    Returns(Vec<returns::ReturnRow>),
}

impl ImportedFile {
    /// The order lines, when this is an Orders export.
    pub fn order_lines(&self) -> &[OrderLine] {
        match &self.data {
            FileData::Orders(l) => l,
            _ => &[],
        }
    }
}

/// Normalises a header cell for lookup (docs/formats.md §7.1): strips the BOM, TABs and spaces at both
/// ends, collapses inner whitespace, lower-cases.
///
/// # Examples
/// ```
/// use margin_engine::import::normalise_header;
/// assert_eq!(normalise_header("\u{feff} Virtual Bundle  Seller SKU\t"), "virtual bundle seller sku");
/// ```
pub fn normalise_header(cell: &str) -> String {
    let n = cell
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    match LOCALISED_HEADERS.iter().find(|(local, _)| *local == n) {
        Some((_, english)) => (*english).to_string(),
        None => n,
    }
}

/// Localised headers (lower case) and the English header they stand for, so one alias table serves
/// every language (docs/formats.md §3.1 Thai and Vietnamese affiliate exports, §2.1 Vietnamese finance,
/// §4 Thai GMV Max). A new language is rows here.
const LOCALISED_HEADERS: &[(&str, &str)] = &[
    // Thai affiliate orders (narongrit).
    ("หมายเลขคำสั่งซื้อ", "order id"),
    ("ชื่อผู้ใช้ของครีเอเตอร์", "creator username"),
    ("sku ของผู้ขาย", "seller sku"),
    ("ปริมาณ", "quantity"),
    (
        "การจ่ายค่าคอมมิชชั่นมาตรฐานโดยประมาณ",
        "est. standard commission payment",
    ),
    (
        "การจ่ายค่าคอมมิชชั่นโฆษณาร้านค้าโดยประมาณ",
        "est. shop ads commission payment",
    ),
    // Vietnamese affiliate orders and finance.
    ("id đơn hàng", "order id"),
    (
        "thanh toán hoa hồng tiêu chuẩn ước tính",
        "est. standard commission payment",
    ),
    (
        "thanh toán hoa hồng quảng cáo cửa hàng ước tính",
        "est. shop ads commission payment",
    ),
    (
        "đã trả hàng hoặc hoàn tiền đầy đủ",
        "fully returned or refunded",
    ),
    ("id đơn hàng/điều chỉnh", "order/adjustment id"),
    ("loại giao dịch", "type"),
    ("tổng số tiền quyết toán", "total settlement amount"),
    ("tổng phí", "total fees"),
    // Thai GMV Max campaign overview.
    ("ตามวัน", "by day"),
    ("ต้นทุน", "cost"),
    ("คำสั่งซื้อ sku (ร้านค้าปัจจุบัน)", "sku orders (current shop)"),
    ("รายได้ขั้นต้น (ร้านค้าปัจจุบัน)", "gross revenue (current shop)"),
    ("สกุลเงิน", "currency"),
];

/// A header signature: the export it identifies, and the normalised headers that must all be present.
/// Checked in order, most specific first. Refusals name the export the seller needs instead.
enum Detected {
    Kind(ExportKind),
    Refuse(&'static str),
}

/// Where the exports Margin Lab reads instead of a known analytics export are found.
macro_rules! orders_where {
    () => {
        "its sales come from Seller Center → Orders → Export (all orders, CSV or XLSX)"
    };
}
#[allow(unused_macros)]
macro_rules! affiliate_where {
    () => {
        "creators' commissions come from Seller Center → Affiliate → Orders → Export"
    };
}
#[allow(unused_macros)]
macro_rules! gmv_max_where {
    () => {
        "ad spend comes from Ads Manager → GMV Max → Campaign overview → Export (by day)"
    };
}

/// A known TikTok export Margin Lab does not read yet: what it is, and where the export it reads is.
macro_rules! unread {
    ($what:literal, ORDERS_WHERE) => {
        unread!(@ $what, orders_where!())
    };
    ($what:literal, AFFILIATE_WHERE) => {
        unread!(@ $what, affiliate_where!())
    };
    ($what:literal, GMV_MAX_WHERE) => {
        unread!(@ $what, gmv_max_where!())
    };
    (@ $what:literal, $where:expr) => {
        Detected::Refuse(concat!(
            "this is ",
            $what,
            ", which Margin Lab does not read yet: ",
            $where,
            "."
        ))
    };
}

const SIGNATURES: &[(Detected, &[&str])] = &[
    // Before the Orders signature: the Returns & refunds export also has Order ID, SKU ID and Order Status.
    (
        Detected::Kind(ExportKind::Returns),
        &["return order id", "order id"],
    ),
    // Creator- and partner-side affiliate exports (docs/formats.md §3.2): not the seller's.
    (
        Detected::Refuse(
            "this is a creator's or partner's affiliate export (it has \"Shop name\" and no \"Creator Username\"). \
             Margin Lab needs the seller's export: Seller Center → Affiliate → Orders → Export",
        ),
        &["order id", "shop name"],
    ),
    (
        Detected::Refuse(
            "this is an Affiliate Partner (TAP/MCN) export. Margin Lab needs the seller's export: \
             Seller Center → Affiliate → Orders → Export",
        ),
        &["partner campaign id"],
    ),
    (
        Detected::Refuse(
            "this is a creator-side affiliate export (\"Order settlement status\"). Margin Lab needs the seller's export: \
             Seller Center → Affiliate → Orders → Export",
        ),
        &["order id", "order settlement status"],
    ),
    (
        Detected::Kind(ExportKind::AffiliateOrders),
        &["order id", "creator username"],
    ),
    (
        Detected::Kind(ExportKind::FinanceStatement),
        &["order id", "sku id", "net order margin"],
    ),
    (
        Detected::Kind(ExportKind::FinanceStatement),
        &["order id", "sku id", "order settled date"],
    ),
    (
        Detected::Kind(ExportKind::Orders),
        &["order id", "sku id", "order status"],
    ),
    (
        Detected::Kind(ExportKind::FinanceOnHold),
        &["order/adjustment id", "total estimated settlement amount"],
    ),
    (
        Detected::Kind(ExportKind::FinanceIncome),
        &["order/adjustment id", "total settlement amount"],
    ),
    (
        Detected::Kind(ExportKind::FinanceStatement),
        &["adjustment id", "adjustment amount"],
    ),
    (
        Detected::Kind(ExportKind::GmvMaxCampaign),
        &["by day", "cost"],
    ),
    (
        Detected::Kind(ExportKind::AdsManagerCost),
        &["date", "amount", "cash cost"],
    ),
    (
        Detected::Kind(ExportKind::AdsManagerCost),
        &["date", "campaign name", "amount"],
    ),
    // Seller Center analytics exports (the content layer, docs/metrics.md §11). Checked after every
    // P&L kind. Each importer's own block: `live`, `video`, `product_analytics`, `shop_analytics`,
    // `affiliate_analytics`. Real files: tests/fixtures/analytics/.
    // -- live.rs
    (
        Detected::Kind(ExportKind::LivePerformance),
        &["livestream", "start time", "duration"],
    ),
    (
        Detected::Kind(ExportKind::LiveCoreStats),
        &["hora", "transmisiones live"],
    ),
    // -- video.rs
    (
        Detected::Kind(ExportKind::VideoPerformance),
        &["video id", "creator name"],
    ),
    (
        Detected::Kind(ExportKind::VideoPerformance),
        &["id del video", "nombre del creador"],
    ),
    (Detected::Kind(ExportKind::VideoCoreStats), &["hora", "vv"]),
    // -- product_analytics.rs
    (
        Detected::Kind(ExportKind::ProductCardTraffic),
        &["hora", "clics para agregar al carrito"],
    ),
    (
        Detected::Kind(ExportKind::ProductAnalytics),
        &["id del producto", "nombre del producto", "rango de gmv"],
    ),
    (
        Detected::Kind(ExportKind::ProductAnalytics),
        &["product id", "product name", "gmv range"],
    ),
    (
        Detected::Kind(ExportKind::ProductCardList),
        &["id del producto", "nombre del producto"],
    ),
    (
        Detected::Kind(ExportKind::ProductAnalytics),
        &["product id", "product impressions", "product clicks"],
    ),
    // -- shop_analytics.rs
    (
        Detected::Kind(ExportKind::ShopKeyMetrics),
        &[
            "gmv",
            "pedidos",
            "clientes",
            "artículos vendidos",
            "visitantes",
        ],
    ),
    (
        Detected::Kind(ExportKind::ShopKeyMetrics),
        &["gmv", "orders", "customers", "items sold", "visitors"],
    ),
    (
        Detected::Kind(ExportKind::BusinessOverview),
        &["visão geral dos dados", "itens vendidos"],
    ),
    // -- affiliate_analytics.rs
    (
        Detected::Kind(ExportKind::AffiliateCreatorList),
        &["creator name", "gmv atribuído a afiliados"],
    ),
    (
        Detected::Kind(ExportKind::AffiliateCreatorList),
        &["creator name", "live streams", "est. commission"],
    ),
    (
        Detected::Kind(ExportKind::AffiliateCoreMetrics),
        &["gmv atribuído a afiliados", "amostras enviadas"],
    ),
    (
        Detected::Kind(ExportKind::AffiliateCoreMetrics),
        &["affiliate-attributed gmv", "samples sent"],
    ),
    // Known TikTok exports Margin Lab does not read yet (docs/formats.md §3.2, §4): each names what the
    // file is and where the export Margin Lab reads instead is found.
    (
        unread!("a LIVE analysis export (Analytics → LIVE)", ORDERS_WHERE),
        &["live time", "gmv from live"],
    ),
    (
        unread!(
            "a product traffic export (Analytics → Product traffic)",
            ORDERS_WHERE
        ),
        &["pedidos con sku", "clientes estimados"],
    ),
    (
        unread!(
            "a Shop Analytics key metrics export (Analytics → Overview)",
            ORDERS_WHERE
        ),
        &["date", "gmv", "orders", "customers", "items sold"],
    ),
    (
        unread!(
            "a store page performance export (Analytics → Store page)",
            ORDERS_WHERE
        ),
        &["resumen de los datos", "visitantes", "vistas de página"],
    ),
    // GMV Max detail exports (docs/formats.md §4): the creatives of product campaigns (English,
    // Portuguese, Vietnamese, Indonesian, Spanish; then files without the campaign or product columns)
    // and the LIVE campaigns.
    // -- gmv_max_creatives.rs
    (
        Detected::Kind(ExportKind::GmvMaxCreatives),
        &["campaign id", "product id", "video id"],
    ),
    (
        Detected::Kind(ExportKind::GmvMaxCreatives),
        &["id da campanha", "id do produto", "id do vídeo"],
    ),
    (
        Detected::Kind(ExportKind::GmvMaxCreatives),
        &["id chiến dịch", "id sản phẩm", "id video"],
    ),
    (
        Detected::Kind(ExportKind::GmvMaxCreatives),
        &["id campaign", "id produk", "id video"],
    ),
    (
        Detected::Kind(ExportKind::GmvMaxCreatives),
        &["id de la campaña", "id del producto", "id del video"],
    ),
    (
        Detected::Kind(ExportKind::GmvMaxCreatives),
        &["video id", "cost", "sku orders"],
    ),
    (
        Detected::Kind(ExportKind::GmvMaxCreatives),
        &["id do vídeo", "custo", "pedidos de sku"],
    ),
    (
        Detected::Kind(ExportKind::GmvMaxCreatives),
        &["id video", "số lượng đơn hàng sku"],
    ),
    (
        Detected::Kind(ExportKind::GmvMaxCreatives),
        &["id video", "biaya", "pesanan sku"],
    ),
    // -- gmv_max_live.rs
    (
        Detected::Kind(ExportKind::GmvMaxLive),
        &["live name", "launched time"],
    ),
    (
        Detected::Kind(ExportKind::GmvMaxLive),
        &["live name", "campaign id", "cost"],
    ),
    (
        Detected::Kind(ExportKind::GmvMaxLive),
        &["nome da live", "id da campanha"],
    ),
    (
        Detected::Kind(ExportKind::GmvMaxLive),
        &["tên live", "id chiến dịch"],
    ),
    (
        Detected::Kind(ExportKind::GmvMaxLive),
        &["nama live", "id campaign"],
    ),
];

/// How many rows may precede the header (docs/formats.md §7.2: 1, 3, 4, 5, 6 or 9 depending on the export).
const HEADER_SCAN_ROWS: usize = 30;

fn detect(normalised: &[String]) -> Option<&'static Detected> {
    let has = |h: &&str| normalised.iter().any(|c| c == h);
    SIGNATURES
        .iter()
        .find(|(_, all)| all.iter().all(&has))
        .map(|(d, _)| d)
        .or_else(|| costs::looks_like_costs_header(normalised).then_some(&COSTS))
}

static COSTS: Detected = Detected::Kind(ExportKind::Costs);

/// How the importer reached the rows: what the per-kind readers need besides the rows.
pub(crate) struct Source<'a> {
    /// The file's name.
    pub name: &'a str,
    /// Encoding label for the report.
    pub encoding: &'static str,
    /// The user's overrides.
    pub options: ImportOptions,
    /// The rows above the header (cells trimmed): where the analytics exports state their period
    /// (`2025-09-20 ~ 2026-03-19`) and where `product_list` writes the channel of each column.
    pub preamble: Vec<Vec<String>>,
}

/// A recognised header: the export, its line, its cells (trimmed) and the rows above it.
type FoundHeader = (ExportKind, u64, Vec<String>, Vec<Vec<String>>);

/// Finds the header row (by signature) in the first rows of a source. Returns the kind, the header
/// line and the raw header cells; an error when nothing is recognised or the export is refused.
fn find_header(name: &str, rows: &mut dyn table::Rows) -> Result<FoundHeader, ImportError> {
    let mut record = csv::StringRecord::new();
    let mut preamble: Vec<Vec<String>> = Vec::new();
    for _ in 0..HEADER_SCAN_ROWS {
        let Some(line) = rows.next_row(&mut record)? else {
            break;
        };
        let normalised: Vec<String> = record.iter().map(normalise_header).collect();
        match detect(&normalised) {
            Some(Detected::Kind(kind)) => {
                return Ok((
                    *kind,
                    line,
                    record
                        .iter()
                        .map(|c| values::trim_cell(c).to_string())
                        .collect(),
                    preamble,
                ));
            }
            Some(Detected::Refuse(why)) => {
                return Err(ImportError {
                    file: name.to_string(),
                    row: Some(line),
                    column: None,
                    message: (*why).to_string(),
                });
            }
            None => preamble.push(
                record
                    .iter()
                    .map(|c| values::trim_cell(c).to_string())
                    .collect(),
            ),
        }
    }
    Err(not_recognised(name))
}

fn not_recognised(name: &str) -> ImportError {
    ImportError {
        file: name.to_string(),
        row: None,
        column: None,
        message: "not a file Margin Lab reads: no header of a TikTok Shop export (Orders, Affiliate orders, Finance, \
                  GMV Max, Ads Manager, or LIVE, video, product, shop or affiliate analytics) nor of a costs sheet (\"SKU\" and \"Unit cost\" columns) in its first 30 rows"
            .to_string(),
    }
}

/// Reads the rows after a recognised header with the kind's reader.
fn read_kind(
    src: &Source<'_>,
    kind: ExportKind,
    header_line: u64,
    header: &[String],
    rows: &mut dyn table::Rows,
) -> Result<ImportedFile, ImportError> {
    match kind {
        ExportKind::Orders => orders::read(src, header_line, header, rows),
        ExportKind::AffiliateOrders => affiliate::read(src, header_line, header, rows),
        ExportKind::FinanceIncome | ExportKind::FinanceStatement | ExportKind::FinanceOnHold => {
            finance::read(src, kind, header_line, header, rows)
        }
        ExportKind::GmvMaxCampaign | ExportKind::AdsManagerCost => {
            ads::read(src, kind, header_line, header, rows)
        }
        ExportKind::GmvMaxCreatives => gmv_max_creatives::read(src, header_line, header, rows),
        ExportKind::GmvMaxLive => gmv_max_live::read(src, header_line, header, rows),
        ExportKind::Costs => costs::read(src, header_line, header, rows),
        ExportKind::Returns => returns::read(src, header_line, header, rows),
        ExportKind::LivePerformance | ExportKind::LiveCoreStats => {
            live::read(src, kind, header_line, header, rows)
        }
        ExportKind::VideoPerformance | ExportKind::VideoCoreStats => {
            video::read(src, kind, header_line, header, rows)
        }
        ExportKind::ProductAnalytics
        | ExportKind::ProductCardList
        | ExportKind::ProductCardTraffic => {
            product_analytics::read(src, kind, header_line, header, rows)
        }
        ExportKind::ShopKeyMetrics | ExportKind::BusinessOverview => {
            shop_analytics::read(src, kind, header_line, header, rows)
        }
        ExportKind::AffiliateCreatorList | ExportKind::AffiliateCoreMetrics => {
            affiliate_analytics::read(src, kind, header_line, header, rows)
        }
    }
}

/// The zip signature every XLSX file starts with.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// Reads a dropped file of any kind Margin Lab knows, recognised by its header (never by its name or
/// extension): a CSV (any encoding, `,` `;` TAB or `|` delimited) is streamed; an XLSX workbook is read
/// sheet by sheet and every recognised sheet is imported. Errors name the file, row and column.
pub fn read_any(
    name: &str,
    reader: impl Read,
    options: ImportOptions,
) -> Result<ImportedFile, ImportError> {
    read_any_with_progress(name, reader, options, &mut |_| {})
}

/// How often `read_any_with_progress` reports rows.
pub const PROGRESS_EVERY_ROWS: u64 = 10_000;

/// Counts the rows a reader takes from a source and reports every [`PROGRESS_EVERY_ROWS`].
struct Counting<'a> {
    inner: &'a mut dyn table::Rows,
    rows: u64,
    on_rows: &'a mut dyn FnMut(u64),
}

impl table::Rows for Counting<'_> {
    fn next_row(&mut self, row: &mut csv::StringRecord) -> Result<Option<u64>, ImportError> {
        let r = self.inner.next_row(row)?;
        if r.is_some() {
            self.rows += 1;
            if self.rows.is_multiple_of(PROGRESS_EVERY_ROWS) {
                (self.on_rows)(self.rows);
            }
        } else {
            (self.on_rows)(self.rows);
        }
        Ok(r)
    }
}

/// [`read_any`], telling `on_rows` how many rows have been read (every [`PROGRESS_EVERY_ROWS`] and at
/// the end of a CSV), for a progress bar that shows rows as well as bytes.
pub fn read_any_with_progress(
    name: &str,
    reader: impl Read,
    options: ImportOptions,
    on_rows: &mut dyn FnMut(u64),
) -> Result<ImportedFile, ImportError> {
    let mut reader = std::io::BufReader::with_capacity(1 << 16, reader);
    let head = std::io::BufRead::fill_buf(&mut reader).map_err(|e| ImportError {
        file: name.to_string(),
        row: None,
        column: None,
        message: format!("the file could not be read: {e}"),
    })?;
    if head.is_empty() {
        return Err(ImportError {
            file: name.to_string(),
            row: None,
            column: None,
            message: "the file is empty".to_string(),
        });
    }
    if head.starts_with(ZIP_MAGIC) {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).map_err(|e| ImportError {
            file: name.to_string(),
            row: None,
            column: None,
            message: format!("the file could not be read: {e}"),
        })?;
        return read_workbook(name, &bytes, options);
    }
    let (decoded, encoding, delimiter) = text::utf8_reader(reader).map_err(|e| ImportError {
        file: name.to_string(),
        row: None,
        column: None,
        message: format!("the file could not be read: {e}"),
    })?;
    let mut csv_rows = table::CsvRows::new(name, decoded, delimiter);
    let mut rows = Counting {
        inner: &mut csv_rows,
        rows: 0,
        on_rows,
    };
    let (kind, line, header, preamble) = find_header(name, &mut rows)?;
    let src = Source {
        name,
        encoding: encoding.label(),
        options,
        preamble,
    };
    read_kind(&src, kind, line, &header, &mut rows)
}

fn read_workbook(
    name: &str,
    bytes: &[u8],
    options: ImportOptions,
) -> Result<ImportedFile, ImportError> {
    let sheets = xlsx::read_workbook(bytes).map_err(|e| ImportError {
        file: name.to_string(),
        row: None,
        column: None,
        message: e.to_string(),
    })?;
    let mut result: Option<ImportedFile> = None;
    let mut refusal = None;
    for sheet in sheets {
        let rows: Vec<(u64, Vec<String>)> = sheet
            .rows
            .into_iter()
            .map(|r| (u64::from(r.number), r.cells))
            .collect();
        let mut rows = table::SheetRows::new(rows);
        let sheet_name = format!("{name} [{}]", sheet.name);
        match find_header(&sheet_name, &mut rows) {
            Ok((kind, line, header, preamble)) => {
                let file = read_kind(
                    &Source {
                        name: &sheet_name,
                        encoding: "xlsx",
                        options,
                        preamble,
                    },
                    kind,
                    line,
                    &header,
                    &mut rows,
                )?;
                result = Some(match result {
                    None => file,
                    Some(prev) => merge_sheets(prev, file),
                });
            }
            Err(e) if e.row.is_some() => refusal = Some(e),
            Err(_) => {}
        }
    }
    match (result, refusal) {
        (Some(mut f), _) => {
            f.report.name = name.to_string();
            Ok(f)
        }
        (None, Some(e)) => Err(e),
        (None, None) => Err(not_recognised(name)),
    }
}

/// Joins a workbook's second recognised sheet into the first (e.g. statement `Orders` + `Adjustment`).
fn merge_sheets(mut a: ImportedFile, b: ImportedFile) -> ImportedFile {
    let r = &mut a.report;
    r.rows += b.report.rows;
    r.used_rows += b.report.used_rows;
    r.used_columns.extend(b.report.used_columns);
    r.ignored_columns.extend(b.report.ignored_columns);
    r.warnings.extend(b.report.warnings);
    for s in b.report.skipped {
        match r.skipped.iter_mut().find(|x| x.reason == s.reason) {
            Some(x) => x.count += s.count,
            None => r.skipped.push(s),
        }
    }
    r.date_range = match (r.date_range, b.report.date_range) {
        (Some((a1, b1)), Some((a2, b2))) => Some((a1.min(a2), b1.max(b2))),
        (x, y) => x.or(y),
    };
    if r.currency.is_none() {
        r.currency = b.report.currency;
    }
    r.vat_in_export |= b.report.vat_in_export;
    a.data = match (a.data, b.data) {
        (FileData::Finance(mut x), FileData::Finance(y)) => {
            x.extend(y);
            FileData::Finance(x)
        }
        (FileData::Ads(mut x), FileData::Ads(y)) => {
            x.extend(y);
            FileData::Ads(x)
        }
        (FileData::Affiliate(mut x), FileData::Affiliate(y)) => {
            x.extend(y);
            FileData::Affiliate(x)
        }
        (FileData::Returns(mut x), FileData::Returns(y)) => {
            x.extend(y);
            FileData::Returns(x)
        }
        (FileData::Orders(mut x), FileData::Orders(y)) => {
            x.extend(y);
            FileData::Orders(x)
        }
        (x, _) => {
            a.report
                .warnings
                .push("a second sheet of another kind was ignored".to_string());
            x
        }
    };
    a
}

/// Reads one export of any supported kind (see [`read_any`]).
pub fn import_file(
    name: &str,
    reader: impl Read,
    options: ImportOptions,
) -> Result<ImportedFile, ImportError> {
    read_any(name, reader, options)
}
