//! The report contract (docs/metrics.md §8): the JSON the CLI prints and the page exports.
//!
//! Money is a decimal string rounded half away from zero to the currency's minor unit; percentages are
//! percent points with two decimals; counts are integers; a figure that cannot be computed is `null`.

use crate::costs::CostsTable;
use crate::import::{FileData, ImportedFile};
use crate::ledger::{Duplicates, Ledger};
use crate::metrics::{Analysis, CreatorFigures, Cube, Figures};
use crate::money::Currency;
use crate::registry::{self, CreatorFigure, Figure};
use crate::settings::Settings;
use crate::sort_dyn::SortDyn;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};

#[macro_use]
mod contract;
mod coverage;
mod files;
mod waterfall;
pub use contract::ReportValue;
mod cash;
pub use cash::{
    CashSection, CustomCostEntry, FinanceDayEntry, OrderCashEntry, RefundsEntry, SettledDateEntry,
    UnsettledEntry, UnsettledOrderEntry,
};
use contract::{Typed, write_entries};
use waterfall::waterfall;
mod html;
pub use html::{ClientReport, client_html, escape, file_stem};
mod shops;
pub use shops::{
    Converted, ConvertedShop, Portfolio, PortfolioShop, ShopEntry, build_shops, convert,
};
pub use waterfall::{Step, StepKey, Waterfall};

/// The whole report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The currency of every amount.
    pub currency: Currency,
    /// The order dates covered.
    pub period: Option<Period>,
    /// One entry per input file of this currency.
    pub files: Vec<FileEntry>,
    /// Figures over everything.
    pub totals: FigureSet,
    /// Figures per SKU, ranked by net sales.
    pub skus: Vec<SkuEntry>,
    /// Figures per product group.
    pub product_groups: Vec<GroupEntry>,
    /// Creator P&L (docs/metrics.md §5), ranked by net revenue.
    pub creators: Vec<CreatorEntry>,
    /// Figures per channel (affiliate content type, or Shop).
    pub channels: Vec<ChannelEntry>,
    /// Figures per order date.
    pub days: Vec<DayEntry>,
    /// The previous period of equal length, for period-over-period comparison: `null` unless the
    /// Orders exports cover every day of it and of the period (docs/metrics.md §9; a warning names the
    /// days they do not).
    pub previous: Option<PreviousPeriod>,
    /// The days each loaded kind of data covers, and the gaps inside its span (docs/metrics.md §9).
    pub coverage: crate::coverage::Coverage,
    /// Affiliate rows of the period left out of `creators` because no Orders export covers their day
    /// (docs/metrics.md §5).
    pub creators_excluded: crate::coverage::ExcludedRows,
    /// GMV → settlement waterfall (docs/metrics.md §6).
    pub waterfall: Waterfall,
    /// Advertising figures (docs/metrics.md §6).
    pub ads: AdsSection,
    /// Modelled vs actual fees per order, where a finance export gives them: the 200 largest differences.
    pub fee_checks: Vec<FeeCheckEntry>,
    /// Estimated vs settled cash (docs/metrics.md §6); `null` when no finance export is loaded.
    pub cash: Option<CashSection>,
    /// The seller's custom costs and what the period carries of each (docs/metrics.md §3).
    pub custom_costs: Vec<CustomCostEntry>,
    /// Triggered alerts and rules that need another export.
    pub alerts: crate::alerts::Alerts,
    /// The content P&L (docs/metrics.md §11): per creator and `Content ID` of the Affiliate export,
    /// ranked by creator CM, with the video's own figures where a Video Performance List names it.
    pub contents: Vec<ContentEntry>,
    /// Creator × product: per creator and SKU, ranked by creator CM.
    pub creator_products: Vec<CreatorProductEntry>,
    /// LIVE sessions of the period (Creator LIVE Performance exports).
    pub live_sessions: Vec<crate::content::figures::LiveSessionEntry>,
    /// The account's LIVE benchmark over the period's sessions.
    pub live_benchmark: Option<crate::content::figures::LiveBenchmark>,
    /// Videos of the period (Video Performance List exports).
    pub videos: Vec<crate::content::figures::VideoEntry>,
    /// Products' funnel by channel (product analytics exports).
    pub products_funnel: Vec<crate::content::figures::ProductFunnelEntry>,
    /// Conversion by source per day (shop, LIVE, video and product card analytics).
    pub traffic: Vec<crate::content::figures::TrafficEntry>,
    /// What the reader should know: missing costs, duplicates, files of other currencies.
    pub warnings: Vec<String>,
    /// The same warnings, each with where it matters (docs/metrics.md §12).
    pub notes: Vec<crate::review::Note>,
    /// The morning review: the last covered day, the SKUs that moved, one action per team
    /// (docs/metrics.md §12). It does not depend on `period`.
    pub review: crate::review::Review,
    /// The shop this report is of, when the files make several (docs/metrics.md §10).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shop: Option<String>,
    /// Every loaded shop with its files, coverage and its own full report (the top level's `shops`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub shops: Vec<ShopEntry>,
    /// Loaded files no shop could claim, each with the reason.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unassigned_files: Vec<String>,
    /// The shops side by side in a reporting currency, with the rates used (only when one is given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub portfolio: Option<Portfolio>,
}

/// One piece of content's P&L: a creator's figures over the Affiliate rows naming one `Content ID`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentEntry {
    /// The `Content ID` (the creator's video or LIVE room).
    pub content_id: String,
    /// The video's own figures, where a loaded Video Performance List has this ID.
    pub video: Option<crate::content::figures::VideoEntry>,
    /// The creator's figures over this content (docs/metrics.md §5).
    pub creator: CreatorEntry,
}

impl Serialize for ContentEntry {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(4 + self.creator.values.len()))?;
        map.serialize_entry("content_id", &self.content_id)?;
        map.serialize_entry("creator", &self.creator.creator)?;
        map.serialize_entry("content_types", &self.creator.content_types)?;
        write_entries(&mut map, registry::CREATOR_FIGURES, &self.creator.values)?;
        map.serialize_entry("video", &self.video)?;
        map.end()
    }
}

/// What one creator sold of one SKU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatorProductEntry {
    /// Platform SKU ID.
    pub sku_id: String,
    /// Seller SKU.
    pub seller_sku: String,
    /// Product name.
    pub product_name: String,
    /// The creator's figures over their rows of this SKU.
    pub creator: CreatorEntry,
}

impl Serialize for CreatorProductEntry {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(5 + self.creator.values.len()))?;
        map.serialize_entry("creator", &self.creator.creator)?;
        map.serialize_entry("sku_id", &self.sku_id)?;
        map.serialize_entry("seller_sku", &self.seller_sku)?;
        map.serialize_entry("product_name", &self.product_name)?;
        map.serialize_entry("content_types", &self.creator.content_types)?;
        write_entries(&mut map, registry::CREATOR_FIGURES, &self.creator.values)?;
        map.end()
    }
}

/// The period before, of the same length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreviousPeriod {
    /// Its dates.
    pub period: Period,
    /// Order lines loaded for it (0: the files do not reach back that far).
    pub lines: u64,
    /// Its totals.
    pub totals: FigureSet,
}

/// One order's modelled and actual fees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeeCheckEntry {
    /// Order ID.
    pub order_id: String,
    /// Modelled by the fee rules.
    pub modelled_fees: String,
    /// Charged according to the finance export.
    pub actual_fees: String,
    /// actual − modelled.
    pub difference: String,
}

/// Ads figures of the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdsSection {
    /// Where the spend came from.
    pub source: crate::metrics::AdsSource,
    /// Ad spend.
    pub ad_spend: String,
    /// Gross revenue reported by the ads exports / cost.
    pub reported_roas: Option<String>,
    /// net_sales / ad_spend.
    pub blended_roas: Option<String>,
    /// net_revenue / cm1.
    pub break_even_roas: Option<String>,
    /// (ad spend + commission) / orders.
    pub blended_cpo: Option<String>,
    /// ad spend / orders without an affiliate row.
    pub paid_cpo: Option<String>,
    /// On/off-day incrementality estimate.
    pub incrementality: Incrementality,
    /// Reported gross revenue ÷ incremental net sales: how many times the ads exports' revenue exceeds
    /// what the spend days added (docs/metrics.md §6); null unless both are known and the increment > 0.
    pub attribution_inflation: Option<String>,
    /// GMV Max's detail (docs/metrics.md §3, §6): `by_product`, the product spend charged to SKUs and
    /// what is spread, the LIVE campaigns and the sessions they joined. Written inside `ads`.
    #[serde(flatten)]
    pub detail: crate::gmv_max::AdsDetail,
}

/// Fewer days than this of either kind (with and without ad spend) make the on/off-day estimate a rough
/// sign only (docs/metrics.md §6).
pub const MIN_INCREMENTALITY_DAYS: u64 = 7;

/// (mean daily net sales on days with ad cost − on days without) / mean daily cost, with the counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Incrementality {
    /// Extra net sales per 1.00 of ad cost; null when there are not days of both kinds.
    pub estimate: Option<String>,
    /// Days of the period with ad cost > 0.
    pub days_with_spend: u64,
    /// Days with none.
    pub days_without_spend: u64,
    /// Mean daily net sales on days with spend.
    pub mean_net_sales_with_spend: Option<String>,
    /// Mean daily net sales on days without.
    pub mean_net_sales_without_spend: Option<String>,
    /// Mean daily cost on days with spend.
    pub mean_daily_cost: Option<String>,
    /// (mean daily net sales with spend − without) × days with spend: the net sales the spend days
    /// added, on this estimate.
    pub incremental_net_sales: Option<String>,
    /// Why the estimate is rough, when either kind of day is fewer than [`MIN_INCREMENTALITY_DAYS`].
    pub caution: Option<String>,
}

/// First and last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    /// First order date included.
    pub from: NaiveDate,
    /// Last order date included.
    pub to: NaiveDate,
}

/// A file as the report's `files` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// File name.
    pub name: String,
    /// Export kind.
    pub kind: crate::import::ExportKind,
    /// Data rows read.
    pub rows: u64,
    /// Rows used.
    pub used_rows: u64,
    /// Affiliate and finance exports: the rows joined to a loaded order line (an affiliate row on
    /// Order ID + SKU ID; a settled finance row on its order, and its SKU when it names one); `null` for
    /// other kinds. Rows read but not joined describe orders no loaded Orders export holds.
    pub joined_rows: Option<u64>,
    /// The lines this file's records showed refunded or cancelled where another export said otherwise
    /// (docs/metrics.md §1: a refund or a cancellation is terminal).
    pub overrides: crate::ledger::LineUpdates,
    /// Columns not read.
    pub ignored_columns: Vec<String>,
    /// Non-fatal problems.
    pub warnings: Vec<String>,
}

/// Every figure of one group, formatted for the contract: the entries of
/// [`registry::FIGURES`](crate::registry::FIGURES), written in its order under its keys (docs/metrics.md).
///
/// The named fields are typed copies of the same values for Rust readers; the JSON is written from
/// the registry, so a figure added there is in the report without a field here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureSet {
    /// See docs/metrics.md §2.
    pub gmv: String,
    /// See docs/metrics.md §2.
    pub cancelled_sales: String,
    /// See docs/metrics.md §2.
    pub refunds: String,
    /// See docs/metrics.md §2.
    pub net_sales: String,
    /// See docs/metrics.md §2.
    pub output_vat: String,
    /// See docs/metrics.md §2.
    pub net_revenue: String,
    /// See docs/metrics.md §3.
    pub cogs: String,
    /// See docs/metrics.md §4.
    pub gross_profit: String,
    /// Percent points.
    pub gross_margin_pct: Option<String>,
    /// See docs/metrics.md §2.
    pub orders: u64,
    /// See docs/metrics.md §2.
    pub units_sold: i64,
    /// See docs/metrics.md §2.
    pub units_returned: i64,
    /// See docs/metrics.md §2.
    pub sample_units: i64,
    /// net_sales / orders.
    pub aov: Option<String>,
    /// Percent points.
    pub return_rate: Option<String>,
    /// Percent points.
    pub cancel_rate: Option<String>,
    /// Standard + Shop Ads commission + co-funded creator bonus.
    pub affiliate_commission: String,
    /// The standard part.
    pub standard_commission: String,
    /// The Shop Ads part.
    pub shop_ads_commission: String,
    /// The co-funded creator bonus part (docs/metrics.md §3: commission = standard + Shop Ads + bonus).
    pub creator_bonus: String,
    /// Orders with an affiliate row / orders, percent points.
    pub affiliate_share: Option<String>,
    /// Platform fees (actual where a finance export matched, else modelled).
    pub platform_fees: String,
    /// Fulfilment.
    pub fulfillment: String,
    /// Seller-paid shipping.
    pub shipping: String,
    /// Returns cost.
    pub returns_cost: String,
    /// Contribution before marketing.
    pub cm1: String,
    /// Percent points.
    pub cm1_pct: Option<String>,
    /// Ad spend.
    pub ad_spend: String,
    /// The part of ad spend charged to the SKUs themselves (docs/metrics.md §3).
    pub ad_spend_attributed: String,
    /// ad_spend − ad_spend_attributed: spread by each day's net sales.
    pub ad_spend_spread: String,
    /// Sample cost.
    pub sample_cost: String,
    /// Other marketing.
    pub other_marketing: String,
    /// Contribution margin.
    pub cm2: String,
    /// Percent points.
    pub cm2_pct: Option<String>,
    /// Overhead.
    pub overhead: String,
    /// Net profit.
    pub net_profit: String,
    /// Percent points.
    pub net_margin_pct: Option<String>,
    /// (ad_spend + commission) / orders.
    pub blended_cpo: Option<String>,
    /// ad_spend / orders without an affiliate row.
    pub paid_cpo: Option<String>,
    /// net_sales / ad_spend, two decimals.
    pub blended_roas: Option<String>,
    /// net_revenue / cm1, two decimals.
    pub break_even_roas: Option<String>,
    /// The waterfall's estimated settlement.
    pub estimated_settlement: String,
    /// Fees modelled by the fee rules over every line.
    pub modelled_fees: String,
    /// Actual fees of the lines matched to a finance export.
    pub actual_fees: String,
    /// Actual − modelled fees over the matched lines.
    pub fees_difference: String,
    /// Lines whose fees come from a finance export.
    pub lines_with_actual_fees: u64,
    /// True when some sold unit has no unit cost (counted at 0).
    pub cost_missing: bool,
    /// Every entry of `registry::FIGURES`, in its order: what the JSON is written from.
    values: Vec<ReportValue>,
}

/// A SKU in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkuEntry {
    /// Platform SKU ID.
    pub sku_id: String,
    /// Seller SKU.
    pub seller_sku: String,
    /// Product name.
    pub product_name: String,
    /// Variation.
    pub variation: String,
    /// The unit cost in use, if any.
    pub unit_cost: Option<String>,
    /// Figures.
    #[serde(flatten)]
    pub figures: FigureSet,
}

/// A product group in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupEntry {
    /// The group's name.
    pub product_group: String,
    /// Figures.
    #[serde(flatten)]
    pub figures: FigureSet,
}

/// A creator in the report (docs/metrics.md §5): its name and content types, then the entries of
/// [`registry::CREATOR_FIGURES`](crate::registry::CREATOR_FIGURES) in its order under its keys.
///
/// As in [`FigureSet`], the named figure fields are typed copies for Rust readers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatorEntry {
    /// `Creator Username`.
    pub creator: String,
    /// Content types.
    pub content_types: Vec<String>,
    /// Distinct orders.
    pub orders: u64,
    /// Units sold (after returns).
    pub units: i64,
    /// Sold and returned lines' gross sales.
    pub gross_sales: String,
    /// Refunds.
    pub refunds: String,
    /// Percent points.
    pub return_rate: Option<String>,
    /// Net revenue.
    pub net_revenue: String,
    /// Commission (standard + Shop Ads + bonus).
    pub commission: String,
    /// Standard commission.
    pub standard_commission: String,
    /// Shop Ads commission.
    pub shop_ads_commission: String,
    /// Co-funded creator bonus.
    pub creator_bonus: String,
    /// net_revenue − commission.
    pub net_after_commission: String,
    /// Net revenue per 1.00 of commission, two decimals.
    pub efficiency: Option<String>,
    /// Creator contribution: the creator's lines' cm1 − commission.
    pub cm: String,
    /// Affiliate rows with no order line loaded (counted on their commission base).
    pub unmatched_rows: u64,
    /// Every entry of `registry::CREATOR_FIGURES`, in its order: what the JSON is written from.
    values: Vec<ReportValue>,
}

/// A channel in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChannelEntry {
    /// Video, Livestream, Showcase, External Traffic Program, or Shop.
    pub channel: String,
    /// Figures.
    #[serde(flatten)]
    pub figures: FigureSet,
}

/// A day in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayEntry {
    /// The order date.
    pub date: NaiveDate,
    /// Figures.
    #[serde(flatten)]
    pub figures: FigureSet,
}

/// Why no report can be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportError {
    /// Files in several currencies and none chosen: amounts are never summed across currencies.
    SeveralCurrencies(Vec<Currency>),
    /// No file is in the chosen currency.
    NoFilesInCurrency(Currency),
    /// A setting is out of any shop's range ([`Settings::check_magnitudes`]): its message names it.
    SettingOutOfRange(String),
}

impl std::fmt::Display for ReportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReportError::SeveralCurrencies(cs) => write!(
                f,
                "the files are in several currencies ({}); choose one (--currency), amounts are never added across currencies",
                cs.iter().map(Currency::code).collect::<Vec<_>>().join(", ")
            ),
            ReportError::NoFilesInCurrency(c) => write!(f, "no file is in {c}"),
            ReportError::SettingOutOfRange(m) => write!(f, "a setting is out of range: {m}"),
        }
    }
}

impl std::error::Error for ReportError {}

impl FigureSet {
    /// Formats exact figures for the contract: every entry of `registry::FIGURES`.
    pub fn new(f: &Figures, currency: Currency) -> FigureSet {
        let values: Vec<ReportValue> = registry::FIGURES
            .iter()
            .map(|m| ReportValue::of(m.unit, m.value(f), currency))
            .collect();
        from_registry!(FigureSet {} FIGURES, values;
            gmv, cancelled_sales, refunds, net_sales, output_vat, net_revenue, cogs, gross_profit,
            gross_margin_pct, orders, units_sold, units_returned, sample_units, aov, return_rate,
            cancel_rate, affiliate_commission, standard_commission, shop_ads_commission, creator_bonus,
            affiliate_share, platform_fees, fulfillment, shipping, returns_cost, cm1, cm1_pct, ad_spend,
            ad_spend_attributed, ad_spend_spread, sample_cost, other_marketing, cm2, cm2_pct, overhead, net_profit, net_margin_pct,
            blended_cpo, paid_cpo, blended_roas, break_even_roas, estimated_settlement, modelled_fees,
            actual_fees, fees_difference, lines_with_actual_fees, cost_missing,
        )
    }

    /// The figure called `key` as the report writes it; `None` for a key not in `registry::FIGURES`.
    pub fn get(&self, key: &str) -> Option<&ReportValue> {
        self.values.get(registry::position(registry::FIGURES, key)?)
    }

    /// Every figure with its registry entry, in the registry's order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static Figure, &ReportValue)> {
        registry::FIGURES.iter().zip(&self.values)
    }
}

impl Serialize for FigureSet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.values.len()))?;
        write_entries(&mut map, registry::FIGURES, &self.values)?;
        map.end()
    }
}

impl CreatorEntry {
    /// The figure called `key` as the report writes it; `None` for a key not in
    /// `registry::CREATOR_FIGURES`.
    pub fn get(&self, key: &str) -> Option<&ReportValue> {
        self.values
            .get(registry::position(registry::CREATOR_FIGURES, key)?)
    }

    /// Every figure with its registry entry, in the registry's order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static CreatorFigure, &ReportValue)> {
        registry::CREATOR_FIGURES.iter().zip(&self.values)
    }
}

impl Serialize for CreatorEntry {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2 + self.values.len()))?;
        map.serialize_entry("creator", &self.creator)?;
        map.serialize_entry("content_types", &self.content_types)?;
        write_entries(&mut map, registry::CREATOR_FIGURES, &self.values)?;
        map.end()
    }
}

/// A ratio with two decimals, half away from zero.
fn ratio(d: Decimal) -> String {
    let mut r = d.round_dp_with_strategy(2, crate::money::DISPLAY_ROUNDING);
    r.rescale(2);
    r.to_string()
}

/// The currencies of a set of files (those that state one), in first-seen order.
pub fn currencies(files: &[ImportedFile]) -> Vec<Currency> {
    let mut out: Vec<Currency> = Vec::new();
    for c in files.iter().filter_map(|f| f.report.currency) {
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// [`build_with_settings`] with the default settings (docs/fees.md fee rules, no shipping, fulfilment or
/// overhead set).
pub fn build(
    files: &[ImportedFile],
    costs: &CostsTable,
    currency: Option<Currency>,
    period: Option<(NaiveDate, NaiveDate)>,
) -> Result<(Report, Analysis), ReportError> {
    build_with_settings(files, costs, &Settings::default(), currency, period)
}

/// Builds the ledger of the files in one currency (files that state no currency join any), analyses
/// it under the settings and formats the report. Costs sheets among `files` are merged over `costs`.
pub fn build_with_settings(
    files: &[ImportedFile],
    costs: &CostsTable,
    settings: &Settings,
    currency: Option<Currency>,
    period: Option<(NaiveDate, NaiveDate)>,
) -> Result<(Report, Analysis), ReportError> {
    build_with_threads(files, costs, settings, currency, period, 1)
}

/// [`build_with_settings`], with the lines' figures computed on `threads` threads where that pays
/// (the engine's `parallel` feature, native builds; see [`crate::metrics::analyse_with_threads`]).
/// The same report.
pub fn build_with_threads(
    files: &[ImportedFile],
    costs: &CostsTable,
    settings: &Settings,
    currency: Option<Currency>,
    period: Option<(NaiveDate, NaiveDate)>,
    threads: usize,
) -> Result<(Report, Analysis), ReportError> {
    build_detailed_with_threads(files, costs, settings, currency, period, threads)
        .map(|b| (b.report, b.analysis))
}

/// A report with the exact figures behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Built {
    /// The report (rounded strings).
    pub report: Report,
    /// The exact analysis of the period.
    pub analysis: Analysis,
    /// The previous period of equal length and its exact totals, when the files reach back into it.
    pub previous: Option<(NaiveDate, NaiveDate, Figures)>,
}

/// [`build_with_settings`], also returning the previous period's exact totals (the page compares the
/// period with them).
pub fn build_detailed(
    files: &[ImportedFile],
    costs: &CostsTable,
    settings: &Settings,
    currency: Option<Currency>,
    period: Option<(NaiveDate, NaiveDate)>,
) -> Result<Built, ReportError> {
    build_detailed_with_threads(files, costs, settings, currency, period, 1)
}

/// [`build_detailed`] on `threads` threads where that pays.
pub fn build_detailed_with_threads(
    files: &[ImportedFile],
    costs: &CostsTable,
    settings: &Settings,
    currency: Option<Currency>,
    period: Option<(NaiveDate, NaiveDate)>,
    threads: usize,
) -> Result<Built, ReportError> {
    Ok(prepare(files, costs, settings, currency, threads)?.build(settings, period))
}

/// What a report needs that does not depend on the period: the files' entries, the warnings about
/// currencies and duplicates, and every line's figures summed into a [`Cube`]. Built once per set of
/// files, costs and settings; [`Prepared::build`] then gives any period's report at the cost of a pass
/// over the period's cells (the page's engine worker keeps one between requests).
#[derive(Debug, Clone)]
pub struct Prepared {
    currency: Currency,
    files: Vec<FileEntry>,
    warnings: Vec<String>,
    cube: Cube,
    coverage: crate::coverage::Coverage,
    /// The analytics records (docs/metrics.md §11), each fact from its newest export.
    content: crate::content::figures::ContentRecords,
    /// GMV Max's orders and the return requests, and the alerts and review they gave (docs/metrics.md §12).
    morning: crate::review::Morning,
    /// GMV Max's LIVE campaigns and the LIVE sessions they joined (docs/metrics.md §6).
    live_joins: Vec<crate::gmv_max::LiveJoin>,
}

/// Builds the ledger of the files in one currency (files that state no currency join any) and
/// computes every line's figures under the costs and settings. Costs sheets among `files` are merged
/// over `costs`.
///
/// # Errors
/// A setting out of range, several currencies and none chosen, or none of the files in the chosen one.
pub fn prepare(
    files: &[ImportedFile],
    costs: &CostsTable,
    settings: &Settings,
    currency: Option<Currency>,
    threads: usize,
) -> Result<Prepared, ReportError> {
    let refs: Vec<&ImportedFile> = files.iter().collect();
    prepare_refs(&refs, costs, settings, currency, threads)
}

/// [`prepare`] over borrowed files (one shop's files of all those loaded, without copying them).
///
/// # Errors
/// As [`prepare`].
pub fn prepare_refs(
    files: &[&ImportedFile],
    costs: &CostsTable,
    settings: &Settings,
    currency: Option<Currency>,
    threads: usize,
) -> Result<Prepared, ReportError> {
    settings
        .check_magnitudes()
        .map_err(|e| ReportError::SettingOutOfRange(e.message))?;
    let Loaded {
        currency,
        chosen,
        mut warnings,
        costs,
        mut ledger,
        facts,
    } = load(files, costs, currency)?;
    let threads = if ledger.len() >= crate::metrics::MIN_PARALLEL_LINES {
        threads
    } else {
        1
    };
    ledger.apply_facts(&facts);
    let files = files::entries(&chosen, &ledger, &facts);
    warnings.extend(files.iter().filter_map(|f| f.overrides.sentence(&f.name)));
    // Joined first, so that the ledger's index of lines is freed before the figures' own are made.
    let joined = ledger.join_affiliate();
    ledger.release_keys();
    let mut cube = Cube::build_joined(&ledger, joined, &costs, settings, currency, threads);
    // GMV Max's detail (docs/metrics.md §3): each product's spend charged to the SKUs the loaded
    // exports pair with its Product ID.
    let gmv_max = crate::gmv_max::GmvMaxRecords::gather(&chosen);
    cube.attach_gmv_max(
        &gmv_max,
        &crate::gmv_max::product_skus(ledger.affiliate().iter().copied(), &costs),
    );
    if gmv_max.replaced > 0 {
        warnings.push(format!(
            "{} GMV Max creative or LIVE campaign rows appear in more than one export; each is counted once, from the \
             newest export",
            gmv_max.replaced
        ));
    }
    let morning =
        crate::review::Morning::new(crate::alerts::Signals::gather(ledger.ads(), &chosen));
    let mut content = crate::content::figures::ContentRecords::gather(&chosen);
    // docs/metrics.md §6: a LIVE campaign's cost joins the LIVE session its launched time falls in.
    let live_joins = crate::gmv_max::join_live(&gmv_max.live, &mut content.live);
    if content.replaced > 0 {
        warnings.push(format!(
            "{} LIVE sessions, videos or analytics days appear in more than one analytics export; each is counted once, \
             from the newest export",
            content.replaced
        ));
    }
    Ok(Prepared {
        currency,
        files,
        warnings,
        cube,
        content,
        coverage: crate::coverage::Coverage::of_files(chosen.iter().map(|f| &f.report)),
        morning,
        live_joins,
    })
}

/// The ledger of some files in one currency, as every report reads it (see [`load`]).
pub(crate) struct Loaded<'f> {
    pub(crate) currency: Currency,
    pub(crate) chosen: Vec<&'f ImportedFile>,
    pub(crate) warnings: Vec<String>,
    pub(crate) costs: CostsTable,
    pub(crate) ledger: Ledger<'f>,
    /// docs/metrics.md §1: a refund or a cancellation any loaded export shows is terminal (for the
    /// caller to apply: the ledger borrows them).
    pub(crate) facts: crate::ledger::TerminalFacts,
}

/// Loads `files` into a ledger: the currency chosen (files that state none join any), the files in
/// it, a warning per file in another currency and per kind of duplicate, costs sheets merged over
/// `costs`, and the terminal facts. The report ([`prepare_refs`]) and the warehouse export
/// ([`crate::warehouse`]) both start here, so they read the same lines.
///
/// # Errors
/// Several currencies and none chosen, or none of the files in the chosen one.
pub(crate) fn load<'f>(
    files: &[&'f ImportedFile],
    costs: &CostsTable,
    currency: Option<Currency>,
) -> Result<Loaded<'f>, ReportError> {
    let mut all: Vec<Currency> = Vec::new();
    for c in files.iter().filter_map(|f| f.report.currency) {
        if !all.contains(&c) {
            all.push(c);
        }
    }
    let currency = match currency {
        Some(c) if all.contains(&c) => c,
        Some(c) => return Err(ReportError::NoFilesInCurrency(c)),
        None => match all.as_slice() {
            [] => Currency::USD,
            [one] => *one,
            _ => return Err(ReportError::SeveralCurrencies(all)),
        },
    };
    let mut warnings = Vec::new();
    let chosen: Vec<&ImportedFile> = files
        .iter()
        .copied()
        .filter(|f| f.report.currency.is_none_or(|c| c == currency))
        .collect();
    for f in files
        .iter()
        .filter(|f| f.report.currency.is_some_and(|c| c != currency))
    {
        warnings.push(format!(
            "{} is in {} and is not in this {currency} report",
            f.report.name,
            f.report
                .currency
                .map_or_else(|| "another currency".to_string(), |c| c.to_string())
        ));
    }
    let mut costs = costs.clone();
    let mut ledger = Ledger::new();
    let mut dups = Duplicates::default();
    for (i, f) in chosen.iter().enumerate() {
        ledger.set_source(i);
        match &f.data {
            FileData::Orders(l) => dups.lines += ledger.add(l.iter()),
            FileData::Affiliate(r) => dups.affiliate += ledger.add_affiliate(r.iter()),
            FileData::Finance(r) => dups.finance += ledger.add_finance(r.iter()),
            FileData::Ads(r) => dups.ads += ledger.add_ads(r.iter()),
            FileData::Costs(t) => costs.merge(t.clone()),
            // The content layer is read by `content::figures`, and return requests by the alerts
            // (docs/metrics.md §12), not the ledger.
            FileData::Content(_) | FileData::Returns(_) => {}
            // GMV Max's detail exports are gathered below (`gmv_max`, docs/metrics.md §3, §6).
            FileData::GmvMax(_) => {}
        }
    }
    if dups.lines > 0 {
        warnings.push(format!(
            "{} order lines appear in more than one file; each is counted once, from its newest copy",
            dups.lines
        ));
    }
    if dups.affiliate + dups.finance + dups.ads > 0 {
        warnings.push(format!(
            "{} affiliate, {} finance and {} ad-spend rows appear in more than one file; each is counted once",
            dups.affiliate, dups.finance, dups.ads
        ));
    }
    let facts = ledger.terminal_facts();
    Ok(Loaded {
        currency,
        chosen,
        warnings,
        costs,
        ledger,
        facts,
    })
}

impl Prepared {
    /// The report's currency.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// The days each loaded kind of data covers (docs/metrics.md §9).
    pub fn coverage(&self) -> &crate::coverage::Coverage {
        &self.coverage
    }

    /// The cube every period's figures are summed from.
    pub fn cube(&self) -> &Cube {
        &self.cube
    }

    /// The files read, with what was read of them.
    pub fn files(&self) -> &[FileEntry] {
        &self.files
    }

    /// The report of `period` (inclusive; `None` = every loaded day) and the period before it, with
    /// the spend, overhead and alert settings of `settings` (the same settings as [`prepare`]'s: the
    /// fee rules and per-line costs were applied there).
    pub fn build(&self, settings: &Settings, period: Option<(NaiveDate, NaiveDate)>) -> Built {
        let currency = self.currency;
        let cube = &self.cube;
        let mut warnings = self.warnings.clone();
        let coverage = &self.coverage;
        let analysis = cube.analyse_covered(settings, period, coverage);
        if analysis.ads_source == crate::metrics::AdsSource::None
            && settings.ad_spend_per_sku.is_empty()
        {
            warnings.push(
                "no ad spend loaded: ad spend counts as 0 in CM2 and CPO (load a GMV Max or Ads Manager export, or a \
                 finance export with GMV Max payments)"
                    .to_string(),
            );
        }
        if analysis.unmatched_affiliate_rows > 0 {
            warnings.push(format!(
                "{} affiliate rows have no order line in the loaded Orders exports; they count for their creators on their commission base",
                analysis.unmatched_affiliate_rows
            ));
        }
        coverage::warnings(&analysis, coverage, &mut warnings);
        let missing: Vec<&str> = analysis
            .skus
            .iter()
            .filter(|s| s.figures.cost_missing())
            .map(|s| s.sku_id.as_str())
            .collect();
        if !missing.is_empty() {
            warnings.push(format!(
                "{} SKUs have no unit cost; their cost counts as 0, so cogs and gross profit are incomplete: {}",
                missing.len(),
                missing.join(", ")
            ));
        }
        let set = |f: &Figures| FigureSet::new(f, currency);
        let mut previous_totals = None;
        let previous = analysis.period.and_then(|(from, to)| {
            let prev = coverage::previous_of(from, to)?;
            // Only when the Orders exports cover both periods (docs/metrics.md §9).
            let gaps = coverage::comparison_gaps(coverage, prev, to);
            if !gaps.is_empty() {
                warnings.push(coverage::no_comparison_warning(prev, &gaps));
                return None;
            }
            let (prev_from, prev_to) = (prev.from, prev.to);
            // Summed from the same cells.
            let prev = cube.analyse_covered(settings, Some((prev_from, prev_to)), coverage);
            if prev.totals.lines > 0 {
                previous_totals = Some((prev_from, prev_to, prev.totals.clone()));
            }
            Some(PreviousPeriod {
                period: Period {
                    from: prev_from,
                    to: prev_to,
                },
                lines: prev.totals.lines,
                totals: match &prev.cross_totals {
                    Some(base) => set(&prev.totals).with_affiliate_share_of(base, currency),
                    None => set(&prev.totals),
                },
            })
        });
        let created_between = |a, b| cube.created_between(a, b);
        let content = crate::content::figures::section(
            &self.content,
            &crate::content::figures::SectionInput {
                period,
                currency,
                created_between: &created_between,
                host_cost_per_hour: settings.live_host_cost_per_hour,
                live_miss_pct: settings.alerts.live_miss_pct,
            },
        );
        // The alerts and the review look at their own windows, not at `period` (docs/metrics.md §12).
        let (mut alerts, review) = self.morning.get(
            &crate::alerts::Context {
                cube,
                settings,
                signals: &self.morning.signals,
                coverage,
                currency,
            },
            &crate::review::ContentInput {
                records: &self.content,
                created_between: &created_between,
            },
        );
        if self.content.live.is_empty() {
            alerts.unavailable.push(crate::alerts::Unavailable {
                rule: crate::alerts::RuleKind::LiveBenchmarkMiss,
                needs: "a Creator LIVE Performance export (Analytics → LIVE → Export)".to_string(),
                uncovered: Vec::new(),
            });
        }
        // The LIVE benchmark on its own window too: the last day the Orders exports cover, else the
        // last day the LIVE exports cover (docs/metrics.md §12).
        let live_anchor = alerts.as_of.or_else(|| {
            coverage
                .get(crate::coverage::DataKind::Live)
                .and_then(|c| c.ranges.last())
                .map(|r| r.to)
        });
        // A week the LIVE exports do not cover at all cannot say whether a session missed: the rule
        // says so instead of staying silent (docs/metrics.md §12).
        let live_week = live_anchor
            .filter(|_| !self.content.live.is_empty())
            .map(|a| {
                let week = crate::coverage::DayRange::new(
                    a.checked_sub_days(chrono::Days::new(6)).unwrap_or(a),
                    a,
                );
                crate::alerts::covered(coverage, &[crate::coverage::DataKind::Live], week)
            });
        if let Some(week) = live_week.as_ref().filter(|w| w.days == 0) {
            alerts.unavailable.push(crate::alerts::Unavailable {
                rule: crate::alerts::RuleKind::LiveBenchmarkMiss,
                needs: "a Creator LIVE Performance export covering the last 7 days to the anchor"
                    .to_string(),
                uncovered: week.uncovered.clone(),
            });
        } else if let Some(anchor) = live_anchor {
            alerts.alerts.extend(crate::content::figures::live_alerts(
                &self.content,
                anchor,
                &crate::content::figures::SectionInput {
                    period: None,
                    currency,
                    created_between: &created_between,
                    host_cost_per_hour: settings.live_host_cost_per_hour,
                    live_miss_pct: settings.alerts.live_miss_pct,
                },
            ));
        }
        let videos_by_id: std::collections::HashMap<&str, &crate::content::figures::VideoEntry> =
            content
                .videos
                .iter()
                .map(|v| (v.video_id.as_str(), v))
                .collect();
        let ads = AdsSection {
            detail: crate::gmv_max::ads_detail(
                &analysis.product_ads,
                &self.live_joins,
                period,
                analysis.ad_spend_by_day.values().copied().sum::<Decimal>()
                    + analysis.product_ads.undated_spend(),
                !self.content.live.is_empty(),
                currency,
                &mut warnings,
            ),
            ..ads_section(&analysis, currency)
        };
        let report = Report {
            currency,
            period: analysis.period.map(|(from, to)| Period { from, to }),
            files: self.files.clone(),
            totals: match &analysis.cross_totals {
                Some(base) => set(&analysis.totals).with_affiliate_share_of(base, currency),
                None => set(&analysis.totals),
            },
            skus: analysis
                .skus
                .iter()
                .map(|s| SkuEntry {
                    sku_id: s.sku_id.clone(),
                    seller_sku: s.seller_sku.clone(),
                    product_name: s.product_name.clone(),
                    variation: s.variation.clone(),
                    unit_cost: s.unit_cost.map(|c| currency.round(c).to_string()),
                    figures: set(&s.figures),
                })
                .collect(),
            product_groups: analysis
                .product_groups
                .iter()
                .map(|(g, f)| GroupEntry {
                    product_group: g.clone(),
                    figures: set(f),
                })
                .collect(),
            creators: analysis
                .creators
                .iter()
                .map(|c| CreatorEntry::new(c, currency))
                .collect(),
            channels: analysis
                .channels
                .iter()
                .map(|(c, f)| ChannelEntry {
                    channel: c.clone(),
                    figures: set(f),
                })
                .collect(),
            days: analysis
                .days
                .iter()
                .map(|(d, f)| DayEntry {
                    date: *d,
                    figures: set(f),
                })
                .collect(),
            previous,
            coverage: coverage.clone(),
            creators_excluded: analysis.creators_excluded.clone(),
            waterfall: waterfall(&analysis.totals, currency),
            ads,
            fee_checks: {
                let mut checks: Vec<&crate::metrics::FeeCheck> =
                    analysis.fee_checks.iter().collect();
                checks.sort_by_dyn(|a, b| {
                    (b.actual - b.modelled)
                        .abs()
                        .cmp(&(a.actual - a.modelled).abs())
                });
                checks
                    .into_iter()
                    .take(200)
                    .map(|c| FeeCheckEntry {
                        order_id: c.order_id.clone(),
                        modelled_fees: currency.round(c.modelled).to_string(),
                        actual_fees: currency.round(c.actual).to_string(),
                        difference: currency.round(c.actual - c.modelled).to_string(),
                    })
                    .collect()
            },
            cash: cash::section(&analysis, currency),
            custom_costs: cash::custom_costs(&analysis, currency),
            alerts,
            contents: analysis
                .contents
                .iter()
                .map(|c| ContentEntry {
                    content_id: c.content_id.clone(),
                    video: videos_by_id
                        .get(c.content_id.as_str())
                        .map(|v| (*v).clone()),
                    creator: CreatorEntry::new(&c.figures, currency),
                })
                .collect(),
            creator_products: analysis
                .creator_products
                .iter()
                .map(|c| CreatorProductEntry {
                    sku_id: c.sku_id.clone(),
                    seller_sku: c.seller_sku.clone(),
                    product_name: c.product_name.clone(),
                    creator: CreatorEntry::new(&c.figures, currency),
                })
                .collect(),
            live_sessions: content.live_sessions,
            live_benchmark: content.live_benchmark,
            videos: content.videos,
            products_funnel: content.products_funnel,
            traffic: content.traffic,
            notes: crate::review::notes(&warnings),
            warnings,
            review,
            shop: None,
            shops: Vec::new(),
            unassigned_files: Vec::new(),
            portfolio: None,
        };
        Built {
            report,
            analysis,
            previous: previous_totals,
        }
    }
}

fn ads_section(a: &Analysis, currency: Currency) -> AdsSection {
    let m = |d: Decimal| currency.round(d).to_string();
    let t = &a.totals;
    // The daily sources' spend, and the GMV Max creatives' when they are the spend (docs/metrics.md §3).
    let spend: Decimal =
        a.ad_spend_by_day.values().copied().sum::<Decimal>() + a.product_ads.undated_spend();
    // Every calendar day of the period counts, with or without orders.
    let (mut with, mut without) = ((0u64, Decimal::ZERO, Decimal::ZERO), (0u64, Decimal::ZERO));
    if let Some((from, to)) = a.period {
        let net: std::collections::HashMap<NaiveDate, Decimal> =
            a.days.iter().map(|(d, f)| (*d, f.net_sales())).collect();
        for d in from.iter_days().take_while(|d| *d <= to) {
            let n = net.get(&d).copied().unwrap_or_default();
            match a
                .ad_spend_by_day
                .get(&d)
                .copied()
                .filter(|c| *c > Decimal::ZERO)
            {
                Some(c) => {
                    with.0 += 1;
                    with.1 += n;
                    with.2 += c;
                }
                None => {
                    without.0 += 1;
                    without.1 += n;
                }
            }
        }
    }
    let mean = |sum: Decimal, n: u64| (n > 0).then(|| sum / Decimal::from(n));
    let (mw, mwo, mc) = (
        mean(with.1, with.0),
        mean(without.1, without.0),
        mean(with.2, with.0),
    );
    let estimate = match (mw, mwo, mc) {
        (Some(a), Some(b), Some(c)) if !c.is_zero() => (a - b).checked_div(c).map(ratio),
        _ => None,
    };
    // docs/metrics.md §6: the net sales the spend days added over the days without, and the ads
    // exports' reported revenue per 1.00 of it.
    let incremental = match (mw, mwo) {
        (Some(a), Some(b)) => (a - b).checked_mul(Decimal::from(with.0)),
        _ => None,
    };
    let attribution_inflation = match (a.ads_gross_revenue, incremental) {
        (Some(g), Some(i)) if i > Decimal::ZERO => g.checked_div(i).map(ratio),
        _ => None,
    };
    let caution = (with.0 > 0 && without.0 > 0 && with.0.min(without.0) < MIN_INCREMENTALITY_DAYS)
        .then(|| {
            format!(
                "only {} days with ad spend and {} without: the difference between them is mostly other things \
                 (weekday, promotions, creators' posts); read it as a rough sign, not a measure",
                with.0, without.0
            )
        });
    AdsSection {
        source: a.ads_source,
        ad_spend: m(spend),
        reported_roas: a
            .ads_gross_revenue
            .filter(|_| spend > Decimal::ZERO)
            .and_then(|g| g.checked_div(spend))
            .map(ratio),
        blended_roas: t.blended_roas().map(ratio),
        break_even_roas: t.break_even_roas().map(ratio),
        blended_cpo: t.blended_cpo().map(m),
        // Without any ad spend loaded, a paid CPO of 0 would be a claim, not a figure.
        paid_cpo: t
            .paid_cpo()
            .filter(|_| a.ads_source != crate::metrics::AdsSource::None)
            .map(m),
        incrementality: Incrementality {
            estimate,
            days_with_spend: with.0,
            days_without_spend: without.0,
            mean_net_sales_with_spend: mw.map(m),
            mean_net_sales_without_spend: mwo.map(m),
            mean_daily_cost: mc.map(m),
            incremental_net_sales: incremental.map(m),
            caution,
        },
        attribution_inflation,
        detail: crate::gmv_max::AdsDetail::default(),
    }
}

impl CreatorEntry {
    /// Formats a creator's exact figures for the contract: every entry of `registry::CREATOR_FIGURES`.
    pub fn new(c: &CreatorFigures, currency: Currency) -> CreatorEntry {
        let values: Vec<ReportValue> = registry::CREATOR_FIGURES
            .iter()
            .map(|m| ReportValue::of(m.unit, m.value(c), currency))
            .collect();
        from_registry!(CreatorEntry {
                creator: c.creator.clone(),
                content_types: c.content_types.clone(),
            } CREATOR_FIGURES, values;
            orders, units, gross_sales, refunds, return_rate, net_revenue, commission, standard_commission,
            shop_ads_commission, creator_bonus, net_after_commission, efficiency, cm, unmatched_rows,
        )
    }
}
