//! Coverage (docs/metrics.md §9): which days each kind of loaded data describes.
//!
//! Sellers stitch exports: an Orders export is capped at 90 days, the Affiliate, finance and ads
//! exports cover other windows, downloaded on other days. A kind of data **covers** the days from each
//! of its files' first to last record date (or the period an export states in its header, where the
//! importer reads one), unioned over its files; a day inside a file's span with no records is covered (a
//! zero there is a real zero), a day outside every file of the kind is not. The report says so
//! (`coverage` in `report --json`), and the figures follow: a comparison, an alert or a figure that
//! joins two kinds only uses days the kinds it reads cover.
//!
//! ```
//! use margin_engine::coverage::{DayRange, KindCoverage};
//! use chrono::NaiveDate;
//! let d = |day| NaiveDate::from_ymd_opt(2026, 5, day).unwrap();
//! // Two Orders exports: 4–10 May and 18 May.
//! let orders = KindCoverage::from_spans([DayRange::new(d(4), d(10)), DayRange::new(d(18), d(18))]);
//! assert_eq!(orders.gaps, vec![DayRange::new(d(11), d(17))]);
//! assert!(orders.covers(d(7)) && !orders.covers(d(12)));
//! ```

use crate::import::{ExportKind, ImportReport};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A kind of data, as coverage counts it: every export of one kind describes the same days (several
/// exports of a kind are unioned). Serialised as its key (`"orders"`, `"affiliate"`, …). An analytics
/// export covers the period it states above its header (docs/metrics.md §11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataKind {
    /// Orders exports (order lines).
    Orders,
    /// Affiliate orders exports (creator rows).
    Affiliate,
    /// Finance exports: income, statement, on-hold (dated by settlement, else creation).
    Finance,
    /// Ad spend: GMV Max campaign and Ads Manager cost reports.
    Ads,
    /// LIVE analytics: Creator LIVE Performance, LIVE core stats.
    Live,
    /// Video analytics: Video Performance List, video core stats.
    Video,
    /// Product analytics: product list, product card list and traffic.
    Products,
    /// Shop analytics: key metrics, business performance overview.
    ShopAnalytics,
    /// Affiliate analytics: creator list, core metrics.
    AffiliateAnalytics,
    /// Returns & refunds exports, dated by when the buyer asked (`Time Requested`).
    Returns,
}

impl DataKind {
    /// Every kind, in the order the report lists them.
    pub const ALL: [DataKind; 10] = [
        DataKind::Orders,
        DataKind::Affiliate,
        DataKind::Finance,
        DataKind::Ads,
        DataKind::Live,
        DataKind::Video,
        DataKind::Products,
        DataKind::ShopAnalytics,
        DataKind::AffiliateAnalytics,
        DataKind::Returns,
    ];

    /// The kind of data an export holds; `None` for a costs sheet (it describes no days).
    pub fn of_export(kind: ExportKind) -> Option<DataKind> {
        match kind {
            ExportKind::Orders => Some(DataKind::Orders),
            ExportKind::AffiliateOrders => Some(DataKind::Affiliate),
            ExportKind::FinanceIncome
            | ExportKind::FinanceStatement
            | ExportKind::FinanceOnHold => Some(DataKind::Finance),
            ExportKind::GmvMaxCampaign | ExportKind::AdsManagerCost => Some(DataKind::Ads),
            // GMV Max's detail exports hold one kind of campaign each: a day without a row is not a
            // day without spend, so they say nothing of `ads` days (docs/metrics.md §3, §9).
            ExportKind::GmvMaxCreatives | ExportKind::GmvMaxLive => None,
            ExportKind::Costs => None,
            ExportKind::LivePerformance | ExportKind::LiveCoreStats => Some(DataKind::Live),
            ExportKind::VideoPerformance | ExportKind::VideoCoreStats => Some(DataKind::Video),
            ExportKind::ProductAnalytics
            | ExportKind::ProductCardList
            | ExportKind::ProductCardTraffic => Some(DataKind::Products),
            ExportKind::ShopKeyMetrics | ExportKind::BusinessOverview => {
                Some(DataKind::ShopAnalytics)
            }
            ExportKind::AffiliateCreatorList | ExportKind::AffiliateCoreMetrics => {
                Some(DataKind::AffiliateAnalytics)
            }
            ExportKind::Returns => Some(DataKind::Returns),
        }
    }

    /// The key the JSON names the kind by.
    pub fn key(self) -> &'static str {
        match self {
            DataKind::Orders => "orders",
            DataKind::Affiliate => "affiliate",
            DataKind::Finance => "finance",
            DataKind::Ads => "ads",
            DataKind::Live => "live",
            DataKind::Video => "video",
            DataKind::Products => "products",
            DataKind::ShopAnalytics => "shop_analytics",
            DataKind::AffiliateAnalytics => "affiliate_analytics",
            DataKind::Returns => "returns",
        }
    }

    /// The kind as people read it ("the Orders exports").
    pub fn label(self) -> &'static str {
        match self {
            DataKind::Orders => "Orders",
            DataKind::Affiliate => "Affiliate",
            DataKind::Finance => "Finance",
            DataKind::Ads => "Ads",
            DataKind::Live => "LIVE analytics",
            DataKind::Video => "Video analytics",
            DataKind::Products => "Product analytics",
            DataKind::ShopAnalytics => "Shop analytics",
            DataKind::AffiliateAnalytics => "Affiliate analytics",
            DataKind::Returns => "Returns & refunds",
        }
    }
}

impl std::fmt::Display for DataKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// Days `from` to `to`, both included. Serialised as `["2026-05-04", "2026-05-10"]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(from = "(NaiveDate, NaiveDate)", into = "(NaiveDate, NaiveDate)")]
pub struct DayRange {
    /// First day.
    pub from: NaiveDate,
    /// Last day (never before `from`).
    pub to: NaiveDate,
}

impl From<(NaiveDate, NaiveDate)> for DayRange {
    fn from((a, b): (NaiveDate, NaiveDate)) -> DayRange {
        DayRange::new(a, b)
    }
}

impl From<DayRange> for (NaiveDate, NaiveDate) {
    fn from(r: DayRange) -> (NaiveDate, NaiveDate) {
        (r.from, r.to)
    }
}

impl DayRange {
    /// The days between `a` and `b`, whichever comes first.
    pub fn new(a: NaiveDate, b: NaiveDate) -> DayRange {
        DayRange {
            from: a.min(b),
            to: a.max(b),
        }
    }

    /// One day.
    pub fn day(d: NaiveDate) -> DayRange {
        DayRange { from: d, to: d }
    }

    /// How many days.
    pub fn days(self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// True when `d` is one of the days.
    pub fn contains(self, d: NaiveDate) -> bool {
        d >= self.from && d <= self.to
    }
}

/// `2026-05-11 – 2026-05-17`, or `2026-05-11` for one day.
impl std::fmt::Display for DayRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.from == self.to {
            write!(f, "{}", self.from)
        } else {
            write!(f, "{} – {}", self.from, self.to)
        }
    }
}

/// Ranges written as people read them: `2026-05-01 – 2026-05-03, 2026-05-09`.
pub fn ranges_text(ranges: &[DayRange]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for (i, r) in ranges.iter().enumerate() {
        // Writing into a String cannot fail.
        let _ = write!(out, "{}{r}", if i == 0 { "" } else { ", " });
    }
    out
}

/// Whole days as ranges: sorted, overlapping and adjacent ones merged.
fn merge(mut spans: Vec<DayRange>) -> Vec<DayRange> {
    spans.sort_unstable();
    let mut out: Vec<DayRange> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last_mut() {
            Some(last) if last.to.succ_opt().is_none_or(|next| s.from <= next) => {
                last.to = last.to.max(s.to);
            }
            _ => out.push(s),
        }
    }
    out
}

/// The days between consecutive ranges (sorted, merged).
fn between(ranges: &[DayRange]) -> Vec<DayRange> {
    ranges
        .windows(2)
        .filter_map(|w| {
            let [a, b] = w else { return None };
            Some(DayRange {
                from: a.to.succ_opt()?,
                to: b.from.pred_opt()?,
            })
        })
        .collect()
}

/// The days one kind of data covers: its ranges, and the gaps between them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCoverage {
    /// The covered days, as sorted ranges that neither overlap nor touch.
    pub ranges: Vec<DayRange>,
    /// The days between the first and the last covered day that no file covers.
    pub gaps: Vec<DayRange>,
}

impl KindCoverage {
    /// The coverage of files spanning `spans` (each file's first to last day).
    pub fn from_spans(spans: impl IntoIterator<Item = DayRange>) -> KindCoverage {
        let ranges = merge(spans.into_iter().collect());
        let gaps = between(&ranges);
        KindCoverage { ranges, gaps }
    }

    /// True when some file of the kind covers `d`.
    pub fn covers(&self, d: NaiveDate) -> bool {
        // The ranges are sorted and disjoint: the last one starting on or before `d` decides.
        let i = self.ranges.partition_point(|r| r.from <= d);
        i > 0 && self.ranges.get(i - 1).is_some_and(|r| r.contains(d))
    }

    /// The stretches of `r` no file covers (empty when every day of `r` is covered).
    pub fn uncovered(&self, r: DayRange) -> Vec<DayRange> {
        let mut out = Vec::new();
        let mut next = Some(r.from);
        for c in &self.ranges {
            let Some(n) = next.filter(|n| *n <= r.to) else {
                break;
            };
            if c.to < n {
                continue;
            }
            if c.from > n {
                out.push(DayRange::new(n, c.from.pred_opt().unwrap_or(n).min(r.to)));
            }
            next = c.to.succ_opt();
        }
        if let Some(n) = next.filter(|n| *n <= r.to) {
            out.push(DayRange { from: n, to: r.to });
        }
        out
    }

    /// True when every day of `r` is covered.
    pub fn covers_all(&self, r: DayRange) -> bool {
        self.uncovered(r).is_empty()
    }

    /// The coverage seen through `r`: the covered days of `r`, and as gaps every stretch of `r` not
    /// covered (before the first range and after the last one too: what a strip over `r` shows).
    pub fn within(&self, r: DayRange) -> KindCoverage {
        let ranges = self
            .ranges
            .iter()
            .filter(|c| c.to >= r.from && c.from <= r.to)
            .map(|c| DayRange {
                from: c.from.max(r.from),
                to: c.to.min(r.to),
            })
            .collect();
        KindCoverage {
            ranges,
            gaps: self.uncovered(r),
        }
    }

    /// The days both `self` and `other` cover, and the gaps between them.
    pub fn intersect(&self, other: &KindCoverage) -> KindCoverage {
        let mut both = Vec::new();
        for a in &self.ranges {
            for b in &other.ranges {
                let (from, to) = (a.from.max(b.from), a.to.min(b.to));
                if from <= to {
                    both.push(DayRange { from, to });
                }
            }
        }
        KindCoverage::from_spans(both)
    }

    /// The first to the last covered day.
    pub fn span(&self) -> Option<DayRange> {
        Some(DayRange {
            from: self.ranges.first()?.from,
            to: self.ranges.last()?.to,
        })
    }
}

/// The coverage of every loaded kind of data (only loaded kinds: a kind with no file is absent, which
/// is not the same as a loaded kind covering no day). Serialised as `{"orders": {"ranges": …, "gaps":
/// …}, "affiliate": {…}, …}`.
///
/// Kept as a short list sorted by kind (at most one entry per [`DataKind`]) rather than a map: the page's
/// bundle carries every map type's code, and four entries need none of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    kinds: Vec<(DataKind, KindCoverage)>,
}

impl Serialize for Coverage {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.kinds.len()))?;
        for (k, c) in &self.kinds {
            map.serialize_entry(k.key(), c)?;
        }
        map.end()
    }
}

impl Coverage {
    /// The coverage of files of the given kinds spanning the given days. A kind listed with `None`
    /// (a file with no dated record) is loaded but covers nothing of its own.
    pub fn from_spans(spans: impl IntoIterator<Item = (DataKind, Option<DayRange>)>) -> Coverage {
        // In kind order: each kind inserted at its place (four kinds at most, no sort needed).
        let mut per: Vec<(DataKind, Vec<DayRange>)> = Vec::new();
        for (kind, span) in spans {
            let i = per.partition_point(|(k, _)| *k < kind);
            match per.get_mut(i).filter(|(k, _)| *k == kind) {
                Some((_, v)) => v.extend(span),
                None => per.insert(i, (kind, span.into_iter().collect())),
            }
        }
        Coverage {
            kinds: per
                .into_iter()
                .map(|(k, spans)| (k, KindCoverage::from_spans(spans)))
                .collect(),
        }
    }

    /// The coverage of imported files, from each file's span of record dates (its report's
    /// `date_range`). Costs sheets describe no days and are left out, and so are files with no dated
    /// record (an Affiliate export without its `Time Created` column): what days they describe is not
    /// known, so they constrain nothing.
    pub fn of_files<'a>(reports: impl IntoIterator<Item = &'a ImportReport>) -> Coverage {
        Coverage::from_spans(reports.into_iter().filter_map(|r| {
            let kind = DataKind::of_export(r.kind)?;
            Some((kind, Some(DayRange::from(r.date_range?))))
        }))
    }

    /// One kind's coverage; `None` when no file of that kind is loaded.
    pub fn get(&self, kind: DataKind) -> Option<&KindCoverage> {
        self.kinds.iter().find(|(k, _)| *k == kind).map(|(_, c)| c)
    }

    /// True when a file of `kind` is loaded.
    pub fn is_loaded(&self, kind: DataKind) -> bool {
        self.get(kind).is_some()
    }

    /// Every loaded kind and its coverage, in [`DataKind::ALL`]'s order.
    pub fn iter(&self) -> impl Iterator<Item = (DataKind, &KindCoverage)> {
        self.kinds.iter().map(|(k, c)| (*k, c))
    }

    /// True when no file of any kind is loaded.
    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }

    /// Every loaded kind seen through `r` ([`KindCoverage::within`]).
    pub fn within(&self, r: DayRange) -> Coverage {
        Coverage {
            kinds: self.kinds.iter().map(|(k, c)| (*k, c.within(r))).collect(),
        }
    }

    /// The days both the Orders and the Affiliate exports cover, when both are loaded: the days a
    /// figure joining them (affiliate share, creators, channels) may use.
    pub fn joined(&self) -> Option<KindCoverage> {
        let orders = self.get(DataKind::Orders)?;
        let affiliate = self.get(DataKind::Affiliate)?;
        Some(orders.intersect(affiliate))
    }

    /// True when `d` is covered by every kind of `kinds` that is loaded (kinds not loaded are no
    /// constraint).
    pub fn covers_loaded(&self, kinds: &[DataKind], d: NaiveDate) -> bool {
        kinds
            .iter()
            .filter_map(|k| self.get(*k))
            .all(|c| c.covers(d))
    }
}

/// Affiliate rows left out of the creator figures because they are dated on days no Orders export
/// covers (docs/metrics.md §5, §9): how many, and on which days.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExcludedRows {
    /// Rows left out.
    pub rows: u64,
    /// Their days, as ranges of consecutive days.
    pub days: Vec<DayRange>,
}

impl ExcludedRows {
    /// Rows left out on the given days (each day once or more; unsorted is fine).
    pub fn of_days(rows: u64, days: impl IntoIterator<Item = NaiveDate>) -> ExcludedRows {
        ExcludedRows {
            rows,
            days: merge(days.into_iter().map(DayRange::day).collect()),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }
    fn r(a: (u32, u32), b: (u32, u32)) -> DayRange {
        DayRange::new(d(a.0, a.1), d(b.0, b.1))
    }

    #[test]
    fn spans_union_into_ranges_with_gaps_between() {
        // Three Orders exports: 4–10 May, 8–12 May (overlapping), 13 May (touching), 20–21 May.
        let c = KindCoverage::from_spans([
            r((5, 20), (5, 21)),
            r((5, 4), (5, 10)),
            r((5, 8), (5, 12)),
            r((5, 13), (5, 13)),
        ]);
        assert_eq!(c.ranges, vec![r((5, 4), (5, 13)), r((5, 20), (5, 21))]);
        assert_eq!(c.gaps, vec![r((5, 14), (5, 19))]);
        assert_eq!(c.span(), Some(r((5, 4), (5, 21))));
    }

    #[test]
    fn a_day_inside_a_span_is_covered_a_day_outside_is_not() {
        let c = KindCoverage::from_spans([r((5, 4), (5, 10)), r((5, 18), (5, 18))]);
        for (day, want) in [
            (3, false),
            (4, true),
            (7, true),
            (10, true),
            (11, false),
            (17, false),
            (18, true),
            (19, false),
        ] {
            assert_eq!(c.covers(d(5, day)), want, "5/{day}");
        }
        assert!(c.covers_all(r((5, 5), (5, 9))));
        assert!(!c.covers_all(r((5, 5), (5, 11))));
    }

    #[test]
    fn uncovered_stretches_of_a_period() {
        let c = KindCoverage::from_spans([r((5, 4), (5, 10)), r((5, 18), (5, 18))]);
        // 1–25 May: before, between and after.
        assert_eq!(
            c.uncovered(r((5, 1), (5, 25))),
            vec![r((5, 1), (5, 3)), r((5, 11), (5, 17)), r((5, 19), (5, 25))]
        );
        assert_eq!(c.uncovered(r((5, 12), (5, 12))), vec![r((5, 12), (5, 12))]);
        assert_eq!(c.uncovered(r((5, 6), (5, 8))), vec![]);
        // Nothing covered at all.
        assert_eq!(
            KindCoverage::default().uncovered(r((5, 1), (5, 2))),
            vec![r((5, 1), (5, 2))]
        );
        let w = c.within(r((5, 8), (5, 20)));
        assert_eq!(w.ranges, vec![r((5, 8), (5, 10)), r((5, 18), (5, 18))]);
        assert_eq!(w.gaps, vec![r((5, 11), (5, 17)), r((5, 19), (5, 20))]);
    }

    #[test]
    fn both_kinds_cover_their_intersection() {
        let orders = KindCoverage::from_spans([r((5, 4), (5, 10)), r((5, 18), (5, 18))]);
        let affiliate = KindCoverage::from_spans([r((2, 25), (5, 8)), r((5, 15), (5, 25))]);
        let both = orders.intersect(&affiliate);
        assert_eq!(both.ranges, vec![r((5, 4), (5, 8)), r((5, 18), (5, 18))]);
        assert_eq!(both.gaps, vec![r((5, 9), (5, 17))]);
        let c = Coverage::from_spans([
            (DataKind::Affiliate, Some(r((2, 25), (5, 8)))),
            (DataKind::Orders, Some(r((5, 4), (5, 10)))),
            (DataKind::Orders, Some(r((5, 18), (5, 18)))),
            (DataKind::Affiliate, Some(r((5, 15), (5, 25)))),
        ]);
        assert_eq!(c.joined(), Some(both));
        assert!(c.covers_loaded(&[DataKind::Orders, DataKind::Ads], d(5, 5)));
        assert!(!c.covers_loaded(&[DataKind::Orders, DataKind::Affiliate], d(5, 10)));
    }

    #[test]
    fn json_lists_loaded_kinds_with_ranges_and_gaps() {
        let c = Coverage::from_spans([
            (DataKind::Orders, Some(r((5, 4), (5, 10)))),
            (DataKind::Orders, Some(r((5, 18), (5, 18)))),
            (DataKind::Affiliate, Some(r((5, 1), (5, 25)))),
            (DataKind::Ads, None),
        ]);
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "orders": {"ranges": [["2026-05-04", "2026-05-10"], ["2026-05-18", "2026-05-18"]],
                           "gaps": [["2026-05-11", "2026-05-17"]]},
                "affiliate": {"ranges": [["2026-05-01", "2026-05-25"]], "gaps": []},
                "ads": {"ranges": [], "gaps": []},
            })
        );
        assert!(!c.is_loaded(DataKind::Finance));
    }

    #[test]
    fn excluded_days_merge_into_ranges() {
        let e = ExcludedRows::of_days(5, [d(5, 3), d(5, 1), d(5, 2), d(5, 2), d(5, 9)]);
        assert_eq!(e.days, vec![r((5, 1), (5, 3)), r((5, 9), (5, 9))]);
        assert_eq!(ranges_text(&e.days), "2026-05-01 – 2026-05-03, 2026-05-09");
    }
}
