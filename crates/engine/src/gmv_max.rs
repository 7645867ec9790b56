//! GMV Max's detail exports (docs/formats.md §4, docs/metrics.md §3 and §6): the creatives of product
//! campaigns — spend per campaign × product ID × creative (video or product card), a total over a window
//! the rows do not state — and the LIVE campaigns — spend per LIVE, with the time it was launched.
//!
//! What this module holds: the records the importers (`import::gmv_max_creatives`,
//! `import::gmv_max_live`) produce; the records of a shop's files gathered once, the newest export
//! winning ([`GmvMaxRecords`]); which SKUs each product ID stands for, from every loaded export that
//! pairs the two ([`product_skus`]); the LIVE campaigns joined to the LIVE sessions of the content layer
//! ([`join_live`]); and the report's `ads` entries made of them ([`AdsDetail`]). Charging a product's
//! spend to its SKUs is the metrics' (`metrics::product_ads`).

use crate::content::LiveSession;
use crate::costs::CostsTable;
use crate::import::{FileData, ImportedFile};
use crate::ledger::AffiliateRow;
use crate::money::Currency;
use crate::sort_dyn::SortDyn;
use chrono::{NaiveDate, NaiveDateTime, Timelike};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The records of one GMV Max detail export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GmvMaxData {
    /// "Creative data for product campaigns": one row per campaign × product × creative.
    Creatives(CreativesExport),
    /// "Livestream data for LIVE campaigns": one row per LIVE.
    LiveCampaigns(Vec<LiveCampaignRow>),
}

impl GmvMaxData {
    /// How many rows.
    pub fn len(&self) -> usize {
        match self {
            GmvMaxData::Creatives(c) => c.rows.len(),
            GmvMaxData::LiveCampaigns(r) => r.len(),
        }
    }

    /// True when there is no row.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A creatives export: its rows and what its file name says of the days they add up.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreativesExport {
    /// The window the file name states (`… 2026-01-01 00 ~ 2026-01-31 23.xlsx`): the days its spend
    /// was made on. `None` when the name states no window (`…_2026-03-20.xlsx` names the export day
    /// only): then the window is taken to be the loaded orders' span (docs/metrics.md §3).
    pub window: Option<(NaiveDate, NaiveDate)>,
    /// The one date the file name gives when it states no window: the day the file was exported.
    pub exported_on: Option<NaiveDate>,
    /// The rows.
    pub rows: Vec<CreativeRow>,
}

/// One row of the creatives export: a campaign's spend on one product through one creative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreativeRow {
    /// `Campaign ID`.
    pub campaign_id: String,
    /// `Campaign name`.
    pub campaign: String,
    /// `Product ID`; empty when the row gives none (`N/A`).
    pub product_id: String,
    /// `Creative type` as written (`Video`, `Product card`, `Vídeo`, `Cartão do produto`).
    pub creative_type: String,
    /// `Video ID`; empty for a product card (`N/A`).
    pub video_id: String,
    /// `Cost`.
    pub cost: Decimal,
    /// `SKU orders`, when given.
    pub sku_orders: Option<i64>,
    /// `Gross revenue` as GMV Max reports it, when given.
    pub gross_revenue: Option<Decimal>,
}

/// One row of the LIVE campaigns export: a LIVE's campaign spend and what GMV Max credits it with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveCampaignRow {
    /// `LIVE name`.
    pub live_name: String,
    /// `Launched time`: when the LIVE started (to the second, the account's time zone).
    pub launched: NaiveDateTime,
    /// `Campaign ID`.
    pub campaign_id: String,
    /// `Campaign name`.
    pub campaign: String,
    /// `Cost`: the spend (what ad spend counts).
    pub cost: Decimal,
    /// `Net Cost` (cost less credits), when given.
    pub net_cost: Option<Decimal>,
    /// `SKU orders (Current shop)`, else `SKU orders`.
    pub sku_orders: Option<i64>,
    /// `Gross revenue (Current shop)`, else `Gross revenue`.
    pub gross_revenue: Option<Decimal>,
    /// `LIVE views`.
    pub live_views: Option<i64>,
}

/// A creatives row with the window of its export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedCreative {
    /// The export's stated window (`None`: not stated).
    pub window: Option<(NaiveDate, NaiveDate)>,
    /// The row.
    pub row: CreativeRow,
}

/// The GMV Max detail records of one shop's files, each row once: the same creative (window,
/// campaign, product, creative type, video) or LIVE (campaign, launched time, name) in several
/// exports is kept from the newest export (the latest export day, then the one loaded last).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GmvMaxRecords {
    /// Creatives rows, by product ID then campaign.
    pub creatives: Vec<DatedCreative>,
    /// The latest export day named by a creatives file that states no window.
    pub exported_on: Option<NaiveDate>,
    /// LIVE campaign rows, by launched time.
    pub live: Vec<LiveCampaignRow>,
    /// Rows an older export gave and a newer one replaced.
    pub replaced: u64,
}

type CreativeKey = (
    Option<(NaiveDate, NaiveDate)>,
    String,
    String,
    String,
    String,
);

impl GmvMaxRecords {
    /// Gathers the records of `files` (other kinds are ignored).
    pub fn gather(files: &[&ImportedFile]) -> GmvMaxRecords {
        let mut order: Vec<(Option<NaiveDate>, usize, &GmvMaxData)> = files
            .iter()
            .enumerate()
            .filter_map(|(i, f)| match &f.data {
                FileData::GmvMax(d) => {
                    let day = match d {
                        GmvMaxData::Creatives(c) => c.window.map(|w| w.1).or(c.exported_on),
                        GmvMaxData::LiveCampaigns(_) => f.report.date_range.map(|r| r.1),
                    };
                    Some((day, i, d))
                }
                _ => None,
            })
            .collect();
        // Oldest first, so that a newer export's row replaces an older one's.
        order.sort_by_key_dyn(|(day, i, _)| (*day, *i));
        let mut creatives: BTreeMap<CreativeKey, DatedCreative> = BTreeMap::new();
        let mut live: BTreeMap<(NaiveDateTime, String, String), LiveCampaignRow> = BTreeMap::new();
        let mut out = GmvMaxRecords::default();
        for (_, _, data) in order {
            match data {
                GmvMaxData::Creatives(c) => {
                    if c.window.is_none() {
                        out.exported_on = out.exported_on.max(c.exported_on);
                    }
                    for r in &c.rows {
                        let key = (
                            c.window,
                            r.product_id.clone(),
                            r.campaign_id.clone(),
                            r.creative_type.clone(),
                            r.video_id.clone(),
                        );
                        let dated = DatedCreative {
                            window: c.window,
                            row: r.clone(),
                        };
                        out.replaced += u64::from(creatives.insert(key, dated).is_some());
                    }
                }
                GmvMaxData::LiveCampaigns(rows) => {
                    for r in rows {
                        let key = (r.launched, r.campaign_id.clone(), r.live_name.clone());
                        out.replaced += u64::from(live.insert(key, r.clone()).is_some());
                    }
                }
            }
        }
        out.creatives = creatives.into_values().collect();
        out.live = live.into_values().collect();
        out
    }

    /// True when no detail row is loaded.
    pub fn is_empty(&self) -> bool {
        self.creatives.is_empty() && self.live.is_empty()
    }
}

/// Which SKUs each product ID stands for, from every loaded record that pairs the two: the Affiliate
/// orders export (`Product ID` with `SKU ID`, else the seller SKU of older exports) and the costs
/// sheet's optional `product_id` column (its `sku`: a SKU ID or a seller SKU). A SKU is named as those
/// records name it; `metrics` finds it among the order lines by SKU ID or seller SKU.
///
/// ```
/// use margin_engine::costs::{CostsTable, SkuSettings};
/// use margin_engine::gmv_max::product_skus;
/// let costs = CostsTable {
///     skus: vec![SkuSettings { sku: "TEA-1".into(), product_id: Some("1731".into()), ..SkuSettings::default() }],
///     ..CostsTable::default()
/// };
/// let map = product_skus(std::iter::empty(), &costs);
/// assert_eq!(map["1731"].iter().collect::<Vec<_>>(), ["TEA-1"]);
/// ```
pub fn product_skus<'a>(
    affiliate: impl Iterator<Item = &'a AffiliateRow>,
    costs: &CostsTable,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut map: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut pair = |product: &str, sku: &str| {
        let (product, sku) = (product.trim(), sku.trim());
        if !product.is_empty() && !sku.is_empty() {
            map.entry(product.to_string())
                .or_default()
                .insert(sku.to_string());
        }
    };
    for r in affiliate {
        let sku = if r.sku_id.is_empty() {
            &r.seller_sku
        } else {
            &r.sku_id
        };
        pair(&r.product_id, sku);
    }
    for s in &costs.skus {
        if let Some(p) = &s.product_id {
            pair(p, &s.sku);
        }
    }
    map
}

/// A LIVE campaign row and the LIVE session it joined, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveJoin {
    /// The row.
    pub row: LiveCampaignRow,
    /// The session (title, start) whose time holds the row's launched time.
    pub session: Option<(String, NaiveDateTime)>,
}

/// True when `launched` (to the minute) falls within the session: from its start (to the minute, as the
/// LIVE export writes it) to its end (start + duration); a session still running when exported has no
/// end yet and holds every time from its start.
fn holds(s: &LiveSession, launched: NaiveDateTime) -> bool {
    let minute = launched.with_second(0).unwrap_or(launched);
    if minute < s.start {
        return false;
    }
    if s.running {
        return true;
    }
    let end = s
        .duration_secs
        .and_then(chrono::TimeDelta::try_seconds)
        .and_then(|d| s.start.checked_add_signed(d));
    end.is_some_and(|e| minute <= e)
}

/// Joins each LIVE campaign row to the LIVE session whose time holds its launched time (docs/metrics.md
/// §6): among several such sessions, the one titled as the row's LIVE name (trimmed, case ignored),
/// else the one that started last. A joined session's `ads_cost` becomes the sum of its rows' `Cost`
/// (the LIVE export's own `Ads Cost` is the same money and is replaced, never added to); a row no session
/// holds is unmatched.
pub fn join_live(rows: &[LiveCampaignRow], sessions: &mut [LiveSession]) -> Vec<LiveJoin> {
    let mut cost: Vec<Option<Decimal>> = vec![None; sessions.len()];
    let joins = rows
        .iter()
        .map(|row| {
            let name = row.live_name.trim().to_lowercase();
            let held = sessions
                .iter()
                .enumerate()
                .filter(|(_, s)| holds(s, row.launched));
            let best = held.max_by_key(|(_, s)| (s.title.trim().to_lowercase() == name, s.start));
            let session = best.map(|(i, s)| {
                if let Some(c) = cost.get_mut(i) {
                    *c.get_or_insert(Decimal::ZERO) += row.cost;
                }
                (s.title.trim().to_string(), s.start)
            });
            LiveJoin {
                row: row.clone(),
                session,
            }
        })
        .collect();
    for (s, c) in sessions.iter_mut().zip(cost) {
        if let Some(c) = c {
            s.ads_cost = Some(c);
        }
    }
    joins
}

/// The first date a file name gives (`…_2026-03-20.xlsx`, `…_20260320.xlsx`): the day a creatives export
/// that states no window was exported.
///
/// ```
/// use margin_engine::gmv_max::date_in_name;
/// let d = chrono::NaiveDate::from_ymd_opt(2026, 3, 20);
/// assert_eq!(date_in_name("br_gmv_max_creative_data_for_product_campaigns_2026-03-20.xlsx"), d);
/// assert_eq!(date_in_name("creatives_20260320.csv"), d);
/// assert_eq!(date_in_name("creatives.csv"), None);
/// ```
pub fn date_in_name(name: &str) -> Option<NaiveDate> {
    let b = name.as_bytes();
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    let num = |s: &[u8]| std::str::from_utf8(s).ok()?.parse::<u32>().ok();
    for i in 0..b.len() {
        let at = |n: usize| b.get(i..i + n);
        // Not in the middle of a longer number.
        if i > 0 && b.get(i - 1).is_some_and(u8::is_ascii_digit) {
            continue;
        }
        if let Some(s) = at(10)
            && digits(&s[..4])
            && s[4] == b'-'
            && digits(&s[5..7])
            && s[7] == b'-'
            && digits(&s[8..10])
            && let Some(d) = NaiveDate::from_ymd_opt(
                i32::try_from(num(&s[..4])?).ok()?,
                num(&s[5..7])?,
                num(&s[8..10])?,
            )
        {
            return Some(d);
        }
        if let Some(s) = at(8)
            && digits(s)
            && !b.get(i + 8).is_some_and(u8::is_ascii_digit)
            && let Some(d) = NaiveDate::from_ymd_opt(
                i32::try_from(num(&s[..4])?).ok()?,
                num(&s[4..6])?,
                num(&s[6..8])?,
            )
        {
            return Some(d);
        }
    }
    None
}

/// One product ID of the creatives exports as the report's `ads.by_product` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProductAdsEntry {
    /// The product ID (empty for the rows that give none).
    pub product_id: String,
    /// The SKUs it maps to (SKU IDs, else seller SKUs) among the loaded order lines.
    pub skus: Vec<String>,
    /// Σ `Cost` of its rows, as reported.
    pub cost: String,
    /// Σ `SKU orders`, as reported.
    pub sku_orders: i64,
    /// Σ `Gross revenue`, as reported (GMV Max's own attribution: never added to sales).
    pub gross_revenue: Option<String>,
    /// gross_revenue / cost, two decimals.
    pub reported_roas: Option<String>,
    /// The part of its cost this report's period counts (cost × the period's share of the window).
    pub period_cost: String,
    /// What of it is charged to its SKUs (by their net sales within the product).
    pub attributed: String,
}

/// One LIVE campaign row as the report's `ads.live_campaigns` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveCampaignEntry {
    /// `LIVE name`.
    pub live_name: String,
    /// `Launched time`.
    pub launched: NaiveDateTime,
    /// `Campaign name`.
    pub campaign: String,
    /// `Campaign ID`.
    pub campaign_id: String,
    /// `Cost`.
    pub cost: String,
    /// `Net Cost`.
    pub net_cost: Option<String>,
    /// SKU orders (current shop).
    pub sku_orders: Option<i64>,
    /// Gross revenue (current shop), as reported.
    pub gross_revenue: Option<String>,
    /// gross_revenue / cost, two decimals.
    pub reported_roas: Option<String>,
    /// LIVE views.
    pub live_views: Option<i64>,
    /// The LIVE session it joined (`{"title", "start"}`), or `null`: unmatched.
    pub session: Option<SessionRef>,
}

/// A LIVE session named by its title and start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionRef {
    /// The session's title.
    pub title: String,
    /// Its start time.
    pub start: NaiveDateTime,
}

/// The window a creatives export's spend is spread over and the report period's share of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WindowEntry {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// True when the export's file name states it; false when it is the loaded orders' span, taken in
    /// its place.
    pub stated: bool,
    /// Days of the report's period within it ÷ its days, four decimals.
    pub share: String,
}

/// What the GMV Max detail exports add to the report's `ads` (docs/metrics.md §3, §6), written inside it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AdsDetail {
    /// Per product ID of the creatives exports, by cost (highest first).
    pub by_product: Vec<ProductAdsEntry>,
    /// Σ period_cost: the creatives' spend this period counts; `null` without a creatives export.
    pub product_spend: Option<String>,
    /// The windows of that spend and the period's share of each.
    pub product_spend_windows: Vec<WindowEntry>,
    /// The part charged to the SKUs of its product (ad_spend_attributed, without manual per-SKU spend).
    pub attributed_spend: String,
    /// Product spend whose product ID maps to no loaded SKU, or rows with no product ID: spread.
    pub unmapped_spend: String,
    /// Product spend of mapped products not charged to them (their SKUs had no net sales in the
    /// period, or the daily exports' total was smaller): spread.
    pub uncharged_spend: String,
    /// ad_spend − attributed_spend: what is spread by each day's net sales.
    pub spread_spend: String,
    /// LIVE campaign rows launched in the period, by launched time.
    pub live_campaigns: Vec<LiveCampaignEntry>,
    /// Σ cost of the period's LIVE campaign rows that joined no LIVE session; `null` without a LIVE
    /// campaigns export.
    pub live_unmatched_cost: Option<String>,
    /// Cost per order on GMV Max's own orders (docs/metrics.md §6): Σ cost ÷ Σ `SKU orders` of the
    /// creatives rows (each product over its export's window) and of the LIVE campaigns launched in the
    /// period, as they report them; `null` without those exports or when they report no order.
    pub gmv_max_cpo: Option<String>,
}

/// A ratio with two decimals, half away from zero; `None` when `den` is not above zero.
fn roas(num: Option<Decimal>, den: Decimal) -> Option<String> {
    if den <= Decimal::ZERO {
        return None;
    }
    let mut r = num?
        .checked_div(den)?
        .round_dp_with_strategy(2, crate::money::DISPLAY_ROUNDING);
    r.rescale(2);
    Some(r.to_string())
}

/// The report's GMV Max detail of one period: `spend` as the analysis charged it, `joins` the LIVE
/// campaign rows (those launched in `period` are listed; `None` = all), `ad_spend` the period's total
/// spend. Warnings for what the reader should know are added to `warnings`.
pub fn ads_detail(
    spend: &crate::metrics::ProductAdSpend,
    joins: &[LiveJoin],
    period: Option<(NaiveDate, NaiveDate)>,
    ad_spend: Decimal,
    sessions_loaded: bool,
    currency: Currency,
    warnings: &mut Vec<String>,
) -> AdsDetail {
    let m = |d: Decimal| currency.round(d).to_string();
    let mut by_product: Vec<&crate::metrics::ProductAds> = spend.products.iter().collect();
    by_product.sort_by_dyn(|a, b| {
        b.cost
            .cmp(&a.cost)
            .then_with(|| a.product_id.cmp(&b.product_id))
    });
    let sum = |f: &dyn Fn(&crate::metrics::ProductAds) -> Decimal| -> Decimal {
        spend.products.iter().map(f).sum()
    };
    let product_spend = sum(&|p| p.period_cost);
    let attributed = sum(&|p| p.attributed);
    let unmapped = sum(&|p| {
        if p.sku_ids.is_empty() {
            p.period_cost
        } else {
            Decimal::ZERO
        }
    });
    let uncharged = product_spend - attributed - unmapped;
    if spend.loaded {
        let unmapped_ids = spend
            .products
            .iter()
            .filter(|p| p.sku_ids.is_empty() && !p.cost.is_zero())
            .count();
        if !unmapped.is_zero() {
            warnings.push(format!(
                "{} of GMV Max product spend ({unmapped_ids} product IDs) maps to no loaded SKU and is spread over the \
                 SKUs by net sales instead: load the Affiliate orders export (it pairs Product ID with SKU ID) or add a \
                 product_id column to the costs sheet",
                currency.format(unmapped)
            ));
        }
        if spend.capped {
            warnings.push(format!(
                "the GMV Max creatives' product spend of the period is more than the daily ads exports' total ({}): \
                 the product charges were scaled down to that total",
                currency.format(ad_spend)
            ));
        }
        for w in &spend.windows {
            let what = if w.stated {
                format!(
                    "the window its file name states, {} – {}",
                    w.window.0, w.window.1
                )
            } else {
                format!(
                    "the loaded orders' span {} – {}, taken as its window (the export states none{})",
                    w.window.0,
                    w.window.1,
                    spend
                        .exported_on
                        .map(|d| format!("; it was exported on {d}"))
                        .unwrap_or_default()
                )
            };
            if w.share < Decimal::ONE {
                warnings.push(format!(
                    "the GMV Max creatives export's spend covers {what}: this period counts {}% of it, pro rata by days",
                    share_text(w.share * Decimal::ONE_HUNDRED, 2)
                ));
            }
        }
        if let (Some(exported), Some(first)) = (
            spend.exported_on,
            spend.windows.iter().find(|w| !w.stated).map(|w| w.window.0),
        ) && exported < first
        {
            warnings.push(format!(
                "a GMV Max creatives export was exported on {exported}, before the loaded orders' first day {first}: \
                 its spend may belong to other days"
            ));
        }
    }
    let in_period = |t: NaiveDateTime| period.is_none_or(|(a, b)| t.date() >= a && t.date() <= b);
    let live: Vec<&LiveJoin> = joins.iter().filter(|j| in_period(j.row.launched)).collect();
    let unmatched: Decimal = live
        .iter()
        .filter(|j| j.session.is_none())
        .map(|j| j.row.cost)
        .sum();
    let n_unmatched = live
        .iter()
        .filter(|j| j.session.is_none() && !j.row.cost.is_zero())
        .count();
    if n_unmatched > 0 {
        warnings.push(if sessions_loaded {
            format!(
                "{n_unmatched} GMV Max LIVE campaigns ({}) were launched at a time no loaded LIVE session holds: \
                 their cost is unmatched",
                currency.format(unmatched)
            )
        } else {
            format!(
                "{n_unmatched} GMV Max LIVE campaigns ({}) are not joined to LIVE sessions: load the Creator LIVE \
                 Performance export (Analytics → LIVE) to see their cost in each session's P&L",
                currency.format(unmatched)
            )
        });
    }
    // GMV Max's own cost per order: its cost over the orders it reports, both over the same rows.
    let (cost, orders) = spend
        .products
        .iter()
        .map(|p| (p.cost, p.sku_orders))
        .chain(
            live.iter()
                .filter_map(|j| j.row.sku_orders.map(|o| (j.row.cost, o))),
        )
        .fold((Decimal::ZERO, 0i64), |(c, o), (pc, po)| {
            (c + pc, o.saturating_add(po))
        });
    let gmv_max_cpo = (orders > 0)
        .then(|| cost.checked_div(Decimal::from(orders)))
        .flatten()
        .map(m);
    AdsDetail {
        gmv_max_cpo,
        by_product: by_product
            .into_iter()
            .map(|p| ProductAdsEntry {
                product_id: p.product_id.clone(),
                skus: p.sku_ids.clone(),
                cost: m(p.cost),
                sku_orders: p.sku_orders,
                gross_revenue: p.gross_revenue.map(m),
                reported_roas: roas(p.gross_revenue, p.cost),
                period_cost: m(p.period_cost),
                attributed: m(p.attributed),
            })
            .collect(),
        product_spend: spend.loaded.then(|| m(product_spend)),
        product_spend_windows: spend
            .windows
            .iter()
            .map(|w| WindowEntry {
                from: w.window.0,
                to: w.window.1,
                stated: w.stated,
                share: share_text(w.share, 4),
            })
            .collect(),
        attributed_spend: m(attributed),
        unmapped_spend: m(unmapped),
        uncharged_spend: m(uncharged),
        spread_spend: m(ad_spend - attributed),
        live_campaigns: live
            .iter()
            .map(|j| LiveCampaignEntry {
                live_name: j.row.live_name.clone(),
                launched: j.row.launched,
                campaign: j.row.campaign.clone(),
                campaign_id: j.row.campaign_id.clone(),
                cost: m(j.row.cost),
                net_cost: j.row.net_cost.map(m),
                sku_orders: j.row.sku_orders,
                gross_revenue: j.row.gross_revenue.map(m),
                reported_roas: roas(j.row.gross_revenue, j.row.cost),
                live_views: j.row.live_views,
                session: j.session.as_ref().map(|(title, start)| SessionRef {
                    title: title.clone(),
                    start: *start,
                }),
            })
            .collect(),
        live_unmatched_cost: (!joins.is_empty()).then(|| m(unmatched)),
    }
}

/// `v` with `dp` decimals, half away from zero.
fn share_text(v: Decimal, dp: u32) -> String {
    let mut r = v.round_dp_with_strategy(dp, crate::money::DISPLAY_ROUNDING);
    r.rescale(dp);
    r.to_string()
}
