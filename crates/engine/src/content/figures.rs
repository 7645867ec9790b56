//! The content figures (docs/metrics.md §11): LIVE sessions, videos, the products' funnel by channel,
//! the shop's conversion by source, and the LIVE benchmark alert. Every figure a file does not give
//! the inputs of is `null` with the reason in the entry's `missing`, never 0.

use super::{
    ContentData, CreatorStat, DailyStat, LiveSession, ProductFunnelRow, StatSource, VideoRow,
};
use crate::import::{FileData, ImportedFile};
use crate::money::Currency;
use crate::sort_dyn::SortDyn;
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// The analytics records of one shop's files, each fact once: the same LIVE session (start time and
/// title), video (ID), day of a per-day export (source and date), product and channel, or creator in
/// several exports is kept from the newest export — the one whose stated period ends last, then the
/// one loaded last (a later download includes late orders).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContentRecords {
    /// LIVE sessions, by start time.
    pub live: Vec<LiveSession>,
    /// Videos, by posting time then ID.
    pub videos: Vec<VideoRow>,
    /// Per-day stats, by source then date.
    pub daily: Vec<DailyStat>,
    /// Products' funnel rows, by product then channel.
    pub products: Vec<ProductFunnelRow>,
    /// Affiliate analytics creators (the creator list), by attributed GMV.
    pub creators: Vec<CreatorStat>,
    /// Records an older export gave and a newer one replaced.
    pub replaced: u64,
}

impl ContentRecords {
    /// Gathers the records of `files` (other kinds are ignored), newest export winning.
    pub fn gather(files: &[&ImportedFile]) -> ContentRecords {
        // Oldest first, so that a newer export's record replaces an older one's.
        let mut order: Vec<(Option<NaiveDate>, usize, &ContentData)> = files
            .iter()
            .enumerate()
            .filter_map(|(i, f)| match &f.data {
                FileData::Content(c) => Some((f.report.date_range.map(|(_, to)| to), i, c)),
                _ => None,
            })
            .collect();
        order.sort_by_key_dyn(|(to, i, _)| (*to, *i));
        let mut live: BTreeMap<(NaiveDateTime, String), LiveSession> = BTreeMap::new();
        let mut videos: BTreeMap<String, VideoRow> = BTreeMap::new();
        let mut daily: BTreeMap<(StatSource, NaiveDate), DailyStat> = BTreeMap::new();
        let mut products: BTreeMap<(String, String), ProductFunnelRow> = BTreeMap::new();
        let mut creators: BTreeMap<String, CreatorStat> = BTreeMap::new();
        let mut replaced = 0u64;
        let mut count = |was_there: bool| replaced += u64::from(was_there);
        for (_, _, data) in order {
            match data {
                ContentData::Live(v) => {
                    for s in v {
                        count(
                            live.insert((s.start, s.title.trim().to_string()), s.clone())
                                .is_some(),
                        );
                    }
                }
                ContentData::Videos(v) => {
                    for r in v {
                        count(videos.insert(r.video_id.clone(), r.clone()).is_some());
                    }
                }
                ContentData::Daily(v) => {
                    for d in v {
                        count(daily.insert((d.source, d.date), d.clone()).is_some());
                    }
                }
                ContentData::Products(v) => {
                    for p in v {
                        count(
                            products
                                .insert((p.product_id.clone(), p.channel.clone()), p.clone())
                                .is_some(),
                        );
                    }
                }
                ContentData::Creators(v) => {
                    // The core metrics' totals row (no creator) is not a creator.
                    for c in v.iter().filter(|c| !c.creator.is_empty()) {
                        count(creators.insert(c.creator.clone(), c.clone()).is_some());
                    }
                }
            }
        }
        let mut videos: Vec<VideoRow> = videos.into_values().collect();
        videos.sort_by_dyn(|a, b| {
            a.posted
                .cmp(&b.posted)
                .then_with(|| a.video_id.cmp(&b.video_id))
        });
        let mut creators: Vec<CreatorStat> = creators.into_values().collect();
        creators.sort_by_dyn(|a, b| b.gmv.cmp(&a.gmv).then_with(|| a.creator.cmp(&b.creator)));
        ContentRecords {
            live: live.into_values().collect(),
            videos,
            daily: daily.into_values().collect(),
            products: products.into_values().collect(),
            creators,
            replaced,
        }
    }

    /// True when no analytics record is loaded.
    pub fn is_empty(&self) -> bool {
        self.live.is_empty()
            && self.videos.is_empty()
            && self.daily.is_empty()
            && self.products.is_empty()
            && self.creators.is_empty()
    }
}

/// `num / den`, `None` when `den` is zero.
fn div(num: Decimal, den: Decimal) -> Option<Decimal> {
    if den.is_zero() {
        None
    } else {
        num.checked_div(den)
    }
}

/// Percent points with two decimals, half away from zero (docs/metrics.md §4).
fn pct(num: Decimal, den: Decimal) -> Option<String> {
    div(num * Decimal::ONE_HUNDRED, den).map(two)
}

/// Two decimals, half away from zero.
fn two(v: Decimal) -> String {
    let mut r = v.round_dp_with_strategy(2, crate::money::DISPLAY_ROUNDING);
    r.rescale(2);
    r.to_string()
}

/// Four decimals, half away from zero (per-viewer-minute and benchmark figures are small).
fn four(v: Decimal) -> String {
    let mut r = v.round_dp_with_strategy(4, crate::money::DISPLAY_ROUNDING);
    r.rescale(4);
    r.to_string()
}

fn count(n: i64) -> Decimal {
    Decimal::from(n)
}

/// How a LIVE session's estimated P&L is made (docs/metrics.md §11).
pub const LIVE_ESTIMATE_METHOD: &str = "the session's GMV at the CM1 margin (CM1 ÷ GMV) of the loaded orders created \
     during the session (to the 10 minutes: their SKU mix and margins), less the host cost per hour × its duration \
     and its ads cost where the export gives it: an estimate, since the Orders export does not say which orders \
     came from the LIVE room";

/// One LIVE session's figures (docs/metrics.md §11).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveSessionEntry {
    /// The session's title.
    pub title: String,
    /// Start time.
    pub start: NaiveDateTime,
    /// Duration in seconds (`null` while running).
    pub duration_secs: Option<i64>,
    /// Still running when exported.
    pub running: bool,
    /// GMV attributed to the session.
    pub gmv: String,
    /// Direct GMV (older exports).
    pub direct_gmv: Option<String>,
    /// SKU orders.
    pub orders: i64,
    /// Items sold.
    pub items: i64,
    /// Customers.
    pub customers: i64,
    /// Views.
    pub views: i64,
    /// Viewers (older exports).
    pub viewers: Option<i64>,
    /// GMV per hour of the session.
    pub gmv_per_hour: Option<String>,
    /// GMV per 1,000 views.
    pub gmv_per_1k_views: Option<String>,
    /// GMV per viewer.
    pub gmv_per_viewer: Option<String>,
    /// Average view duration, seconds.
    pub avg_view_secs: Option<String>,
    /// Views × average view duration, in minutes: the minutes watched.
    pub viewer_minutes: Option<String>,
    /// GMV per viewer-minute.
    pub gmv_per_viewer_minute: Option<String>,
    /// Product impressions.
    pub product_impressions: i64,
    /// Product clicks.
    pub product_clicks: i64,
    /// Clicks ÷ impressions, percent points.
    pub ctr: Option<String>,
    /// Orders ÷ clicks, percent points.
    pub ctor: Option<String>,
    /// Estimated P&L (docs/metrics.md §11), when the session's day has loaded orders.
    pub estimate: Option<LiveEstimate>,
    /// The session is 30 % (the setting) or more below the account's benchmark.
    pub below_benchmark: bool,
    /// Why a figure above is `null`.
    pub missing: Vec<String>,
}

/// A LIVE session's estimated P&L.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveEstimate {
    /// How it is made.
    pub method: &'static str,
    /// CM1 ÷ GMV of the loaded orders created during the session, percent points.
    pub cm1_margin: String,
    /// GMV × that margin.
    pub cm1: String,
    /// Host cost per hour × duration.
    pub host_cost: String,
    /// The session's ads cost, where the export gives it.
    pub ads_cost: Option<String>,
    /// cm1 − host cost − ads cost.
    pub profit: String,
}

/// One video's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VideoEntry {
    /// Video ID.
    pub video_id: String,
    /// Creator name.
    pub creator: String,
    /// Caption.
    pub title: String,
    /// Posted.
    pub posted: Option<NaiveDateTime>,
    /// Product IDs.
    pub product_ids: Vec<String>,
    /// Views (VV).
    pub views: i64,
    /// Product impressions.
    pub product_impressions: i64,
    /// Product clicks.
    pub product_clicks: i64,
    /// SKU orders.
    pub orders: i64,
    /// Attributed GMV.
    pub gmv: String,
    /// GMV per 1,000 views.
    pub gmv_per_1k_views: Option<String>,
    /// Clicks ÷ impressions, percent points.
    pub ctr: Option<String>,
    /// Orders ÷ clicks, percent points.
    pub ctor: Option<String>,
}

/// One product in one channel: impressions → clicks → orders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProductFunnelEntry {
    /// Product ID.
    pub product_id: String,
    /// Product name.
    pub product_name: String,
    /// Channel (`All`, `LIVE`, `Video`, `Product card`, `Affiliate`).
    pub channel: String,
    /// Impressions.
    pub impressions: Option<i64>,
    /// Clicks.
    pub clicks: Option<i64>,
    /// SKU orders.
    pub orders: Option<i64>,
    /// GMV.
    pub gmv: Option<String>,
    /// Clicks ÷ impressions, percent points.
    pub ctr: Option<String>,
    /// Orders ÷ clicks, percent points.
    pub ctor: Option<String>,
}

/// One day of one source's traffic: visitors (or views) → orders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrafficEntry {
    /// The source: `shop`, `live`, `video`, `product_card`.
    pub source: StatSource,
    /// The day.
    pub date: NaiveDate,
    /// Visitors (shop, product card) or views (LIVE, video): the conversion's denominator.
    pub visitors: Option<i64>,
    /// SKU orders.
    pub orders: Option<i64>,
    /// GMV.
    pub gmv: Option<String>,
    /// Orders ÷ visitors, percent points.
    pub conversion: Option<String>,
}

/// Everything the content layer adds to a report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ContentSection {
    /// LIVE sessions of the period, by start time.
    pub live_sessions: Vec<LiveSessionEntry>,
    /// The account's GMV per viewer (or per 1,000 views when the export gives no viewers) over the
    /// period's sessions: the benchmark.
    pub live_benchmark: Option<LiveBenchmark>,
    /// Videos posted in the period (all loaded videos when none has a posting time).
    pub videos: Vec<VideoEntry>,
    /// Products' funnel by channel.
    pub products_funnel: Vec<ProductFunnelEntry>,
    /// Conversion by source per day of the period.
    pub traffic: Vec<TrafficEntry>,
    /// The LIVE benchmark alerts (the report lists them with the other alerts).
    #[serde(skip)]
    pub alerts: Vec<crate::alerts::Alert>,
}

/// The LIVE benchmark: the account's average over the period's sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveBenchmark {
    /// `gmv_per_viewer` or `gmv_per_1k_views`.
    pub basis: &'static str,
    /// The account's value: Σ GMV ÷ Σ viewers (× 1,000 ÷ Σ views).
    pub average: String,
    /// Sessions below the average by the setting or more.
    pub threshold_pct: Decimal,
    /// Sessions compared.
    pub sessions: u64,
    /// Exact average, for the alert.
    #[serde(skip)]
    pub exact: Decimal,
}

/// What [`section`] needs besides the records.
pub struct SectionInput<'a> {
    /// The period (`None`: everything loaded).
    pub period: Option<(NaiveDate, NaiveDate)>,
    /// The report's currency.
    pub currency: Currency,
    /// GMV (less cancellations) and CM1 of the loaded order lines created between two times (the
    /// LIVE estimate); `None` when none was.
    pub created_between: &'a dyn Fn(NaiveDateTime, NaiveDateTime) -> Option<(Decimal, Decimal)>,
    /// Host cost per hour of LIVE.
    pub host_cost_per_hour: Decimal,
    /// The LIVE miss threshold, percent points.
    pub live_miss_pct: Decimal,
}

/// The content section of a report over `input.period`.
pub fn section(records: &ContentRecords, input: &SectionInput<'_>) -> ContentSection {
    let in_period = |d: NaiveDate| input.period.is_none_or(|(a, b)| d >= a && d <= b);
    let money = |d: Decimal| input.currency.round(d).to_string();
    let sessions: Vec<&LiveSession> = records
        .live
        .iter()
        .filter(|s| in_period(s.start.date()))
        .collect();
    let benchmark = live_benchmark(&sessions, input.live_miss_pct);
    let window = input.period.or_else(|| {
        let days = sessions.iter().map(|s| s.start.date());
        days.clone().min().zip(days.max())
    });
    let alerts = window.map_or_else(Vec::new, |w| {
        misses(&sessions, benchmark.as_ref(), input, w)
    });
    let live_sessions = sessions
        .iter()
        .map(|s| {
            let mut e = live_entry(s, input, &money);
            e.below_benchmark = benchmark.as_ref().is_some_and(|b| below(s, b, input));
            e
        })
        .collect();
    let dated = records.videos.iter().any(|v| v.posted.is_some());
    let videos = records
        .videos
        .iter()
        .filter(|v| !dated || v.posted.is_some_and(|p| in_period(p.date())))
        .map(|v| VideoEntry {
            video_id: v.video_id.clone(),
            creator: v.creator.clone(),
            title: v.title.clone(),
            posted: v.posted,
            product_ids: v.product_ids.clone(),
            views: v.views,
            product_impressions: v.product_impressions,
            product_clicks: v.product_clicks,
            orders: v.orders,
            gmv: money(v.gmv),
            gmv_per_1k_views: div(v.gmv * Decimal::ONE_THOUSAND, count(v.views)).map(&money),
            ctr: pct(count(v.product_clicks), count(v.product_impressions)),
            ctor: pct(count(v.orders), count(v.product_clicks)),
        })
        .collect();
    let products_funnel = records
        .products
        .iter()
        .map(|p| ProductFunnelEntry {
            product_id: p.product_id.clone(),
            product_name: p.product_name.clone(),
            channel: p.channel.clone(),
            impressions: p.impressions,
            clicks: p.clicks,
            orders: p.orders,
            gmv: p.gmv.map(&money),
            ctr: p
                .clicks
                .zip(p.impressions)
                .and_then(|(c, i)| pct(count(c), count(i))),
            ctor: p
                .orders
                .zip(p.clicks)
                .and_then(|(o, c)| pct(count(o), count(c))),
        })
        .collect();
    let traffic = records
        .daily
        .iter()
        .filter(|d| in_period(d.date))
        .map(|d| {
            let visitors = match d.source {
                StatSource::Shop | StatSource::ProductCard => d.visitors.or(d.views),
                StatSource::Live | StatSource::Video => d.views.or(d.visitors),
            };
            TrafficEntry {
                source: d.source,
                date: d.date,
                visitors,
                orders: d.orders,
                gmv: d.gmv.map(&money),
                conversion: visitors
                    .zip(d.orders)
                    .and_then(|(v, o)| pct(count(o), count(v))),
            }
        })
        .collect();
    ContentSection {
        live_sessions,
        live_benchmark: benchmark,
        videos,
        products_funnel,
        traffic,
        alerts,
    }
}

/// The sessions of `sessions` whose value is the threshold or more below the benchmark `b` over the
/// days `window`, as alerts.
fn misses(
    sessions: &[&LiveSession],
    b: Option<&LiveBenchmark>,
    input: &SectionInput<'_>,
    window: (NaiveDate, NaiveDate),
) -> Vec<crate::alerts::Alert> {
    let Some(b) = b else {
        return Vec::new();
    };
    sessions
        .iter()
        .filter(|s| below(s, b, input))
        .filter_map(|s| {
            let v = session_value(s, b.basis)?;
            Some(live_alert(s, v, b, input.currency, window))
        })
        .collect()
}

/// Whether a session's value is the threshold or more below the benchmark `b`: value ≤ average × (1 −
/// threshold).
fn below(s: &LiveSession, b: &LiveBenchmark, input: &SectionInput<'_>) -> bool {
    // An account that sold nothing in LIVE has no benchmark to miss.
    if b.exact <= Decimal::ZERO {
        return false;
    }
    let floor = b.exact * (Decimal::ONE - input.live_miss_pct / Decimal::ONE_HUNDRED);
    session_value(s, b.basis).is_some_and(|v| v <= floor)
}

/// The LIVE benchmark alerts as of `anchor` (docs/metrics.md §12), whatever the period: each session
/// started `anchor − 6` … `anchor` whose value is the threshold or more below the account's benchmark
/// over the sessions of `anchor − 29` … `anchor` (`input.period` is not read).
pub fn live_alerts(
    records: &ContentRecords,
    anchor: NaiveDate,
    input: &SectionInput<'_>,
) -> Vec<crate::alerts::Alert> {
    let back = |n: u64| {
        anchor
            .checked_sub_days(chrono::Days::new(n))
            .unwrap_or(anchor)
    };
    let (from, week) = (back(29), back(6));
    let sessions: Vec<&LiveSession> = records
        .live
        .iter()
        .filter(|s| (from..=anchor).contains(&s.start.date()))
        .collect();
    let benchmark = live_benchmark(&sessions, input.live_miss_pct);
    let recent: Vec<&LiveSession> = sessions
        .iter()
        .copied()
        .filter(|s| s.start.date() >= week)
        .collect();
    misses(&recent, benchmark.as_ref(), input, (from, anchor))
}

/// The alert of a session `value` below the benchmark by the threshold or more.
fn live_alert(
    s: &LiveSession,
    value: Decimal,
    b: &LiveBenchmark,
    currency: Currency,
    (from, to): (NaiveDate, NaiveDate),
) -> crate::alerts::Alert {
    let shown = |v: Decimal| match b.basis {
        "gmv_per_viewer" => format!("{} per viewer", currency.format(v)),
        _ => format!("{} per 1,000 views", currency.format(v)),
    };
    crate::alerts::Alert {
        rule: crate::alerts::Rule::LiveBenchmarkMiss {
            session: s.title.trim().to_string(),
            start: s.start,
            basis: b.basis.to_string(),
            value: value.round_dp_with_strategy(4, crate::money::DISPLAY_ROUNDING),
            average: b
                .exact
                .round_dp_with_strategy(4, crate::money::DISPLAY_ROUNDING),
            threshold_pct: b.threshold_pct,
            from,
            to,
        },
        subject: s.start.to_string(),
        message: format!(
            "LIVE \"{}\" on {} made {}, {}% or more below the account's {} over {} sessions",
            s.title.trim(),
            s.start.format("%Y-%m-%d %H:%M"),
            shown(value),
            b.threshold_pct,
            shown(b.exact),
            b.sessions
        ),
        rows: vec![s.start.to_string()],
    }
}

/// A session's value on the benchmark's basis.
fn session_value(s: &LiveSession, basis: &str) -> Option<Decimal> {
    if s.running {
        return None;
    }
    match basis {
        "gmv_per_viewer" => div(s.gmv, count(s.viewers?)),
        _ => div(s.gmv * Decimal::ONE_THOUSAND, count(s.views)),
    }
}

/// The account's benchmark over `sessions` (running sessions left out): GMV per viewer when every
/// session gives viewers, else GMV per 1,000 views; `None` with fewer than two sessions to compare.
fn live_benchmark(sessions: &[&LiveSession], threshold_pct: Decimal) -> Option<LiveBenchmark> {
    let done: Vec<&&LiveSession> = sessions.iter().filter(|s| !s.running).collect();
    let per_viewer = done.iter().all(|s| s.viewers.is_some());
    let (basis, gmv, base, n) = if per_viewer {
        let v: Vec<_> = done.iter().filter(|s| s.viewers.unwrap_or(0) > 0).collect();
        (
            "gmv_per_viewer",
            v.iter().map(|s| s.gmv).sum::<Decimal>(),
            v.iter()
                .map(|s| count(s.viewers.unwrap_or(0)))
                .sum::<Decimal>(),
            v.len(),
        )
    } else {
        let v: Vec<_> = done.iter().filter(|s| s.views > 0).collect();
        (
            "gmv_per_1k_views",
            v.iter().map(|s| s.gmv).sum::<Decimal>() * Decimal::ONE_THOUSAND,
            v.iter().map(|s| count(s.views)).sum::<Decimal>(),
            v.len(),
        )
    };
    if n < 2 {
        return None;
    }
    let exact = div(gmv, base)?;
    Some(LiveBenchmark {
        basis,
        average: exact
            .round_dp_with_strategy(4, crate::money::DISPLAY_ROUNDING)
            .to_string(),
        threshold_pct,
        sessions: n as u64,
        exact,
    })
}

fn live_entry(
    s: &LiveSession,
    input: &SectionInput<'_>,
    money: &dyn Fn(Decimal) -> String,
) -> LiveSessionEntry {
    let mut missing = Vec::new();
    let hours = s
        .duration_secs
        .filter(|d| *d > 0)
        .map(|d| count(d) / Decimal::from(3600));
    if s.running {
        missing.push(
            "still running when exported: no duration, per-hour figures or estimate".to_string(),
        );
    }
    let gmv_per_viewer = s.viewers.and_then(|v| div(s.gmv, count(v)));
    if s.viewers.is_none() {
        missing.push(
            "the export gives no viewers (LIVE exports since May 2026): no GMV per viewer"
                .to_string(),
        );
    }
    let viewer_minutes = s
        .avg_view_secs
        .and_then(|a| count(s.views).checked_mul(a))
        .map(|m| m / Decimal::from(60));
    if s.avg_view_secs.is_none() {
        missing.push("no average view duration: no viewer-minutes".to_string());
    }
    let estimate = hours.and_then(|h| {
        let end = s
            .start
            .checked_add_signed(chrono::TimeDelta::try_seconds(s.duration_secs?)?)?;
        let (gmv, cm1) = (input.created_between)(s.start, end)?;
        let margin = div(cm1, gmv)?;
        let est_cm1 = s.gmv.checked_mul(margin)?;
        let host = input.host_cost_per_hour.checked_mul(h)?;
        let ads = s.ads_cost.unwrap_or_default();
        Some(LiveEstimate {
            method: LIVE_ESTIMATE_METHOD,
            cm1_margin: two(margin * Decimal::ONE_HUNDRED),
            cm1: money(est_cm1),
            host_cost: money(host),
            ads_cost: s.ads_cost.map(money),
            profit: money(est_cm1 - host - ads),
        })
    });
    if estimate.is_none() && !s.running {
        missing
            .push("no loaded order was created during the session: no estimated P&L".to_string());
    }
    LiveSessionEntry {
        title: s.title.clone(),
        start: s.start,
        duration_secs: s.duration_secs,
        running: s.running,
        gmv: money(s.gmv),
        direct_gmv: s.direct_gmv.map(money),
        orders: s.orders,
        items: s.items,
        customers: s.customers,
        views: s.views,
        viewers: s.viewers,
        gmv_per_hour: hours.and_then(|h| div(s.gmv, h)).map(money),
        gmv_per_1k_views: div(s.gmv * Decimal::ONE_THOUSAND, count(s.views)).map(money),
        gmv_per_viewer: gmv_per_viewer.map(two),
        avg_view_secs: s.avg_view_secs.map(two),
        viewer_minutes: viewer_minutes.map(two),
        gmv_per_viewer_minute: viewer_minutes.and_then(|m| div(s.gmv, m)).map(four),
        product_impressions: s.product_impressions,
        product_clicks: s.product_clicks,
        ctr: pct(count(s.product_clicks), count(s.product_impressions)),
        ctor: pct(count(s.orders), count(s.product_clicks)),
        estimate,
        below_benchmark: false,
        missing,
    }
}
