//! The content layer (docs/metrics.md §11): what Seller Center's analytics exports say about LIVE
//! sessions, videos, products' traffic and the shop's visitors, and the creators' content P&L built from
//! the Affiliate export already loaded.
//!
//! The records here are what the analytics importers (`import::live`, `import::video`,
//! `import::product_analytics`, `import::shop_analytics`, `import::affiliate_analytics`) produce; the
//! figures built from them are in [`figures`].

pub mod figures;
pub mod values;

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The records of one analytics export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContentData {
    /// Creator LIVE Performance: one row per LIVE session.
    Live(Vec<LiveSession>),
    /// Video Performance List: one row per video.
    Videos(Vec<VideoRow>),
    /// Per-day core stats (LIVE, video, product card, shop).
    Daily(Vec<DailyStat>),
    /// Product analytics: one row per product and channel.
    Products(Vec<ProductFunnelRow>),
    /// Affiliate analytics: one row per creator (creator list), or one totals row (core metrics).
    Creators(Vec<CreatorStat>),
}

impl ContentData {
    /// How many records.
    pub fn len(&self) -> usize {
        match self {
            ContentData::Live(v) => v.len(),
            ContentData::Videos(v) => v.len(),
            ContentData::Daily(v) => v.len(),
            ContentData::Products(v) => v.len(),
            ContentData::Creators(v) => v.len(),
        }
    }

    /// True when there is no record.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One LIVE session of the Creator LIVE Performance export (Analytics → LIVE). Two schemas exist:
/// before May 2026 (`Gross revenue`, `Direct GMV`, `Viewers`, `Avg. view duration`) and after
/// (`Attributed GMV`, no `Viewers`, `Avg. viewing duration per viewer`); a figure the file does not
/// give is `None`, never 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveSession {
    /// `Livestream`: the session's title.
    pub title: String,
    /// `Start time` (to the minute, the shop's time zone).
    pub start: NaiveDateTime,
    /// `Duration` in seconds; `None` when the export shows a negative duration (a LIVE still running
    /// when it was exported: see `running`).
    pub duration_secs: Option<i64>,
    /// The session was still running when exported (its `Duration` cell is negative).
    pub running: bool,
    /// `Gross revenue` (old) / `Attributed GMV` (new).
    pub gmv: Decimal,
    /// `Direct GMV` (old schema only): orders placed in the LIVE room itself.
    pub direct_gmv: Option<Decimal>,
    /// `Items sold` / `Attributed items sold`.
    pub items: i64,
    /// `Customers`.
    pub customers: i64,
    /// `Orders paid for` (old) / `Attributed SKU orders` (new).
    pub orders: i64,
    /// `Views`.
    pub views: i64,
    /// `Viewers` (old schema only).
    pub viewers: Option<i64>,
    /// `Product impressions`.
    pub product_impressions: i64,
    /// `Product clicks`.
    pub product_clicks: i64,
    /// `Avg. view duration` (old, seconds per view) / `Avg. viewing duration` (new).
    pub avg_view_secs: Option<Decimal>,
    /// `Ads Cost` (new schema, where filled).
    pub ads_cost: Option<Decimal>,
    /// The last day of the period the export states (row 1): which of two exports is newer.
    pub exported_through: Option<NaiveDate>,
}

/// One video of the Video Performance List export (Analytics → Video).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VideoRow {
    /// `Creator name`.
    pub creator: String,
    /// `Creator ID`.
    pub creator_id: String,
    /// `Video ID`: the `Content ID` of an Affiliate row for the same video.
    pub video_id: String,
    /// `Video info`: the caption.
    pub title: String,
    /// `Time` the video was posted.
    pub posted: Option<NaiveDateTime>,
    /// Product IDs named in `Products` (`name(1735523101213165258)`).
    pub product_ids: Vec<String>,
    /// `VV`: video views.
    pub views: i64,
    /// `Product impressions`.
    pub product_impressions: i64,
    /// `Product clicks`.
    pub product_clicks: i64,
    /// `Unique customers`.
    pub customers: Option<i64>,
    /// `Attributed SKU orders`.
    pub orders: i64,
    /// `Attributed items sold`.
    pub items: i64,
    /// `Attributed GMV` of the video.
    pub gmv: Decimal,
    /// `Video GMV` (direct), where given.
    pub direct_gmv: Option<Decimal>,
    /// The last day of the period the export states.
    pub exported_through: Option<NaiveDate>,
}

/// Which per-day export a [`DailyStat`] comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatSource {
    /// LIVE core stats (Analytics → LIVE → Core stats).
    Live,
    /// Video core stats (Analytics → Video → Core stats).
    Video,
    /// Product card traffic (Analytics → Product → Product card).
    ProductCard,
    /// The shop's key metrics / "My Business Performance" overview (daily block).
    Shop,
}

/// One day of a per-day analytics export. Each figure is `None` when the export has no such column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailyStat {
    /// The export it comes from.
    pub source: StatSource,
    /// The day.
    pub date: NaiveDate,
    /// GMV attributed to the source (the shop's GMV for `Shop`).
    pub gmv: Option<Decimal>,
    /// Refunds (shop overview).
    pub refunds: Option<Decimal>,
    /// SKU orders.
    pub orders: Option<i64>,
    /// Items sold.
    pub items: Option<i64>,
    /// Customers / buyers.
    pub customers: Option<i64>,
    /// Views (LIVE views, video views, product card views).
    pub views: Option<i64>,
    /// Visitors / viewers (the conversion denominator).
    pub visitors: Option<i64>,
    /// Page views (shop).
    pub page_views: Option<i64>,
    /// Product impressions.
    pub impressions: Option<i64>,
    /// Product clicks.
    pub clicks: Option<i64>,
    /// LIVE sessions streamed that day (LIVE core stats).
    pub sessions: Option<i64>,
}

/// One product in one channel of a product analytics export (`product_list`, product card list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductFunnelRow {
    /// Product ID.
    pub product_id: String,
    /// Product name.
    pub product_name: String,
    /// The channel in English: `All`, `LIVE`, `Video`, `Product card` (the channel row above the header).
    pub channel: String,
    /// Product impressions (or card views).
    pub impressions: Option<i64>,
    /// Product clicks.
    pub clicks: Option<i64>,
    /// SKU orders.
    pub orders: Option<i64>,
    /// Items sold.
    pub items: Option<i64>,
    /// Customers.
    pub customers: Option<i64>,
    /// GMV.
    pub gmv: Option<Decimal>,
}

/// One creator of the affiliate analytics creator list, or the period's totals of its core metrics
/// export (`creator` empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatorStat {
    /// `Creator name` (empty for the core metrics' totals).
    pub creator: String,
    /// Affiliate-attributed GMV.
    pub gmv: Decimal,
    /// Refunds.
    pub refunds: Option<Decimal>,
    /// Attributed orders.
    pub orders: Option<i64>,
    /// Attributed items sold.
    pub items: Option<i64>,
    /// Items refunded.
    pub items_refunded: Option<i64>,
    /// Videos.
    pub videos: Option<i64>,
    /// LIVE streams.
    pub lives: Option<i64>,
    /// Estimated commission.
    pub est_commission: Option<Decimal>,
    /// Samples sent.
    pub samples: Option<i64>,
}
