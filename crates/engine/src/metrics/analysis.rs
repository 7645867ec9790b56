//! The result types of an analysis: totals and breakdowns.

use super::Figures;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// One SKU's identity and figures.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SkuFigures {
    /// Platform SKU ID.
    pub sku_id: String,
    /// The seller's SKU code (may be empty).
    pub seller_sku: String,
    /// Product name.
    pub product_name: String,
    /// Variation.
    pub variation: String,
    /// Product group (costs sheet `product`, else the product name).
    pub product_group: String,
    /// The unit cost shown for editing (undated or latest), if any.
    pub unit_cost: Option<Decimal>,
    /// Sums.
    pub figures: Figures,
}

/// One creator's figures (docs/metrics.md §5).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CreatorFigures {
    /// `Creator Username`.
    pub creator: String,
    /// Content types the creator sold through.
    pub content_types: Vec<String>,
    /// Sums over the creator's order lines (and unmatched rows).
    pub figures: Figures,
    /// Affiliate rows of this creator with no order line loaded.
    pub unmatched_rows: u64,
}

impl CreatorFigures {
    /// gross_sales of the creator: sold and returned lines (cancelled ones never became sales).
    pub fn gross_sales(&self) -> Decimal {
        self.figures.gmv - self.figures.cancelled_sales
    }
    /// net_revenue − commission.
    pub fn net_after_commission(&self) -> Decimal {
        self.figures.net_revenue() - self.figures.affiliate_commission()
    }
    /// Net revenue per 1.00 of commission; `None` when no commission was paid.
    pub fn efficiency(&self) -> Option<Decimal> {
        let c = self.figures.affiliate_commission();
        (!c.is_zero())
            .then(|| self.figures.net_revenue().checked_div(c))
            .flatten()
    }
    /// Creator contribution `cm` (docs/metrics.md §5): the creator's lines' cm1 − commission.
    ///
    /// ```
    /// use margin_engine::metrics::{CreatorFigures, Figures};
    /// use rust_decimal_macros::dec;
    /// let mut figures = Figures::default();
    /// figures.gmv = dec!(100);
    /// figures.cogs = dec!(30);
    /// figures.standard_commission = dec!(15);
    /// let c = CreatorFigures { creator: "a".into(), content_types: vec![], figures, unmatched_rows: 0 };
    /// // cm1 = 100 − 30 = 70; cm = 70 − 15
    /// assert_eq!(c.cm(), dec!(55));
    /// ```
    pub fn cm(&self) -> Decimal {
        self.figures.cm1() - self.figures.affiliate_commission()
    }
}

/// One piece of content's figures (docs/metrics.md §11): the creator P&L of the Affiliate rows that
/// name this `Content ID` (a creator's video or LIVE room).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ContentFigures {
    /// The Affiliate export's `Content ID` (empty when the rows leave it blank).
    pub content_id: String,
    /// The creator's figures over this content's rows (`creator` is the creator).
    pub figures: CreatorFigures,
}

/// What one creator sold of one SKU (docs/metrics.md §11, creator × product).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CreatorProductFigures {
    /// Platform SKU ID.
    pub sku_id: String,
    /// The seller's SKU code.
    pub seller_sku: String,
    /// Product name.
    pub product_name: String,
    /// The creator's figures over their rows of this SKU.
    pub figures: CreatorFigures,
}

/// The figures of a period: totals and every breakdown.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Analysis {
    /// First and last order date included, when any line is.
    pub period: Option<(NaiveDate, NaiveDate)>,
    /// Everything.
    pub totals: Figures,
    /// Per SKU, ranked by net sales (highest first), then SKU ID.
    pub skus: Vec<SkuFigures>,
    /// Per product group, by name.
    pub product_groups: Vec<(String, Figures)>,
    /// Per creator, ranked by net revenue.
    pub creators: Vec<CreatorFigures>,
    /// Per creator and `Content ID`, ranked by creator CM (docs/metrics.md §11); the same rows as
    /// `creators`, so each creator's contents add up to the creator.
    #[serde(default)]
    pub contents: Vec<ContentFigures>,
    /// Per creator and SKU, ranked by creator CM; rows whose order line is not loaded have no SKU and
    /// are left out (they are in `contents`).
    #[serde(default)]
    pub creator_products: Vec<CreatorProductFigures>,
    /// Per channel: the affiliate content type, or `Shop`.
    pub channels: Vec<(String, Figures)>,
    /// Per order date.
    pub days: Vec<(NaiveDate, Figures)>,
    /// Per channel and order date (for trends by channel).
    pub channel_days: Vec<((String, NaiveDate), Figures)>,
    /// Affiliate rows (in the period, on days the Orders exports cover) whose order line is not
    /// loaded: they count for their creators on their commission base.
    pub unmatched_affiliate_rows: u64,
    /// Affiliate rows of the period left out of the creator figures: dated on days no Orders export
    /// covers (docs/metrics.md §5, §9).
    #[serde(default)]
    pub creators_excluded: crate::coverage::ExcludedRows,
    /// The totals over only the days both the Orders and the Affiliate exports cover, when the
    /// period has order days the Affiliate exports do not cover (else `None`: the totals are that
    /// base): what the affiliate share is computed on (docs/metrics.md §9).
    #[serde(default)]
    pub cross_totals: Option<Figures>,
    /// Orders whose fees a finance export gives: modelled vs actual.
    pub fee_checks: Vec<FeeCheck>,
    /// Ad spend per day of the period, as loaded (before allocation).
    pub ad_spend_by_day: BTreeMap<NaiveDate, Decimal>,
    /// Gross revenue the ads exports report for the period (for the reported ROAS).
    pub ads_gross_revenue: Option<Decimal>,
    /// Where ad spend came from.
    pub ads_source: AdsSource,
    /// Estimated vs settled cash (docs/metrics.md §6); `None` when no finance export is loaded.
    #[serde(default)]
    pub cash: Option<super::cash::CashFigures>,
    /// The seller's custom costs and what the period carries of each (docs/metrics.md §3).
    #[serde(default)]
    pub custom_costs: Vec<super::custom_costs::CustomCostAmount>,
    /// The GMV Max creatives' spend per product ID and what was charged to each product's SKUs
    /// (docs/metrics.md §3).
    #[serde(default)]
    pub product_ads: super::ProductAdSpend,
}

/// One order's fees as the rules model them and as the finance export charged them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FeeCheck {
    /// Order ID.
    pub order_id: String,
    /// Modelled by the fee rules.
    pub modelled: Decimal,
    /// Charged (finance export).
    pub actual: Decimal,
}

/// Where the period's ad spend comes from (never two sources for the same money, docs/metrics.md §3).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdsSource {
    /// No ad spend loaded.
    #[default]
    None,
    /// GMV Max or Ads Manager exports.
    AdsExports,
    /// The finance export's `GMV Payment for TikTok Ads` rows (no ads export loaded).
    FinancePayments,
    /// The GMV Max detail exports alone (creatives of product campaigns, LIVE campaigns): no daily
    /// source is loaded (docs/metrics.md §3).
    GmvMaxDetail,
}

/// One SKU's returns over a few days (for the return-rate alert).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkuReturns {
    /// Platform SKU ID.
    pub sku_id: String,
    /// `Product Category` of its first line.
    pub category: String,
    /// Units returned.
    pub units_returned: i64,
    /// Units of sold and returned lines.
    pub units_shipped: i64,
    /// Order IDs of its returned lines, in line order.
    pub orders: Vec<String>,
}
