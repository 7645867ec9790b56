//! Alert rules (docs/metrics.md §12). Each rule looks at its own rolling window of the data, anchored at
//! the last day the Orders exports cover (`as_of`) — never at the period the page shows — and counts
//! only the days the exports it reads cover (docs/metrics.md §9). A rule that cannot run says why and
//! what would let it ([`Unavailable`]). Every alert says what triggered it and names rows the page can
//! show: SKU IDs, creators, days that have orders.

mod returns;
mod window;

pub(crate) use window::{Window, covered, days_back, window_settings};

use crate::coverage::{Coverage, DataKind, DayRange, ranges_text};
use crate::import::returns::ReturnRow;
use crate::import::{FileData, ImportedFile};
use crate::ledger::AdSpendRow;
use crate::metrics::Cube;
use crate::money::{Currency, percent_points};
use crate::settings::Settings;
use crate::sort_dyn::SortDyn;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which rule, without its figures: what [`Unavailable`] names and what the page links by. Serialised as
/// its key (`"return_rate_spike"`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// A SKU's return rate over the last 7 days above a multiple of its category benchmark.
    ReturnRateSpike,
    /// The last day's cost per order (paid on GMV Max's orders, else blended) above the 7 days
    /// before by more than a percentage.
    CpoDeterioration,
    /// Affiliate orders of the last 7 days down on the 7 days before by more than a percentage.
    AffiliateDropoff,
    /// A LIVE session's GMV per viewer below the account's by more than a percentage (docs/metrics.md
    /// §11; evaluated by `content::figures` over the report's period).
    LiveBenchmarkMiss,
    /// A SKU with net revenue whose CM2 over the last 30 days is negative.
    NegativeCm2,
    /// A creator earning less net revenue per 1.00 of commission over the last 30 days than the
    /// threshold.
    LowCreatorEfficiency,
}

impl RuleKind {
    /// Every rule, in the order the report lists them.
    pub const ALL: [RuleKind; 6] = [
        RuleKind::ReturnRateSpike,
        RuleKind::CpoDeterioration,
        RuleKind::AffiliateDropoff,
        RuleKind::LiveBenchmarkMiss,
        RuleKind::NegativeCm2,
        RuleKind::LowCreatorEfficiency,
    ];

    /// The key the JSON names the rule by.
    pub fn key(self) -> &'static str {
        match self {
            RuleKind::ReturnRateSpike => "return_rate_spike",
            RuleKind::CpoDeterioration => "cpo_deterioration",
            RuleKind::AffiliateDropoff => "affiliate_dropoff",
            RuleKind::LiveBenchmarkMiss => "live_benchmark_miss",
            RuleKind::NegativeCm2 => "negative_cm2",
            RuleKind::LowCreatorEfficiency => "low_creator_efficiency",
        }
    }

    /// The rule's name as people read it.
    pub fn label(self) -> &'static str {
        match self {
            RuleKind::ReturnRateSpike => "Return-rate spike",
            RuleKind::CpoDeterioration => "Cost per order deterioration",
            RuleKind::AffiliateDropoff => "Affiliate order drop-off",
            RuleKind::LiveBenchmarkMiss => "Livestream benchmark miss",
            RuleKind::NegativeCm2 => "Negative CM2",
            RuleKind::LowCreatorEfficiency => "Low creator efficiency",
        }
    }
}

impl std::fmt::Display for RuleKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// Which cost per order the CPO rule compared (docs/metrics.md §12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CpoBasis {
    /// Paid traffic: ad spend ÷ the SKU orders GMV Max reports (`SKU orders (Current shop)`).
    Paid,
    /// Blended: (ad spend + affiliate commission) ÷ the Orders export's orders.
    Blended,
}

impl CpoBasis {
    /// "paid" or "blended", for sentences.
    pub fn word(self) -> &'static str {
        match self {
            CpoBasis::Paid => "paid",
            CpoBasis::Blended => "blended",
        }
    }
}

/// Which returns the return-rate rule counted (docs/metrics.md §12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnBasis {
    /// Return requests by when they were made (the Returns & refunds export), over the units shipped
    /// in the matching days a week earlier.
    ReturnRequests,
    /// The Orders export's returns of the orders created in the window: only the returns known so far
    /// (a line shows its return once the buyer asks), so the rate can still grow.
    ReturnsKnownSoFar,
}

/// A triggered rule with the figures that triggered it. Serialised with its key in `rule` and its
/// figures beside it. Money is rounded to the currency's minor unit (as the report's amounts are),
/// percentages are percent points, thresholds are the settings' values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Rule {
    /// A SKU's return rate above `factor` × `benchmark`.
    ReturnRateSpike {
        /// Platform SKU ID.
        sku_id: String,
        /// `Product Category` of its first line (the benchmark's key).
        category: String,
        /// Which returns were counted.
        basis: ReturnBasis,
        /// First day counted: a request date (`return_requests`) or an order date
        /// (`returns_known_so_far`).
        from: NaiveDate,
        /// Last day counted.
        to: NaiveDate,
        /// First order date of the units shipped (`return_requests`: 7 days before `from`).
        shipped_from: NaiveDate,
        /// Last order date of the units shipped.
        shipped_to: NaiveDate,
        /// Covered days counted (of the 7).
        days: u64,
        /// Units returned.
        units_returned: i64,
        /// Units of sold and returned lines of the shipped days.
        units_shipped: i64,
        /// units_returned / units_shipped, percent points (two decimals).
        return_rate: Decimal,
        /// The category's benchmark, percent points.
        benchmark: Decimal,
        /// The spike factor setting.
        factor: Decimal,
        /// Order IDs of the returns counted (to look up in Seller Center).
        orders: Vec<String>,
    },
    /// The last day's cost per order above the 7 days before by more than `threshold_pct`.
    CpoDeterioration {
        /// The last day the Orders exports cover.
        day: NaiveDate,
        /// Paid (GMV Max's orders) or blended.
        basis: CpoBasis,
        /// That day's cost per order.
        cpo: Decimal,
        /// Its orders on that basis.
        orders: i64,
        /// Σ cost ÷ Σ orders over the days compared with it.
        average: Decimal,
        /// How many of the 7 days before the average covers (3 to 7).
        window_days: u64,
        /// The setting, percent points.
        threshold_pct: Decimal,
    },
    /// Affiliate orders of the 7 days to `week_to` down more than `threshold_pct` on the 7 days before.
    AffiliateDropoff {
        /// Last day of the latest week (the last day the Orders exports cover).
        week_to: NaiveDate,
        /// Affiliate orders of the 7 days to `week_to`.
        this_week: u64,
        /// Affiliate orders of the 7 days before.
        previous_week: u64,
        /// (this − previous) / previous, percent points (two decimals; negative).
        change_pct: Decimal,
        /// The setting, percent points.
        threshold_pct: Decimal,
    },
    /// A LIVE session whose GMV per viewer (per 1,000 views when the export gives no viewers) is
    /// `threshold_pct` or more below the account's over the sessions of `from` … `to` (docs/metrics.md
    /// §11, §12).
    LiveBenchmarkMiss {
        /// The session's title.
        session: String,
        /// Its start time.
        start: chrono::NaiveDateTime,
        /// `gmv_per_viewer` or `gmv_per_1k_views`.
        basis: String,
        /// The session's value (four decimals).
        value: Decimal,
        /// The account's value over the sessions of `from` … `to` (four decimals).
        average: Decimal,
        /// The setting, percent points.
        threshold_pct: Decimal,
        /// The first day whose sessions make the benchmark (docs/metrics.md §12: the 30 days to the
        /// anchor).
        from: NaiveDate,
        /// The last such day (the anchor).
        to: NaiveDate,
    },
    /// A SKU with positive net revenue and negative CM2 over its window.
    NegativeCm2 {
        /// Platform SKU ID.
        sku_id: String,
        /// Its `Seller SKU` (may be empty).
        seller_sku: String,
        /// Its CM2.
        cm2: Decimal,
        /// Its net revenue.
        net_revenue: Decimal,
        /// First covered day counted.
        from: NaiveDate,
        /// Last covered day counted.
        to: NaiveDate,
        /// Covered days counted (of the 30).
        days: u64,
    },
    /// A creator below the efficiency threshold over its window.
    LowCreatorEfficiency {
        /// `Creator Username`.
        creator: String,
        /// Net revenue per 1.00 of commission (two decimals).
        efficiency: Decimal,
        /// The setting.
        threshold: Decimal,
        /// First covered day counted.
        from: NaiveDate,
        /// Last covered day counted.
        to: NaiveDate,
        /// Covered days counted (of the 30).
        days: u64,
    },
}

impl Rule {
    /// Which rule this is.
    pub fn kind(&self) -> RuleKind {
        match self {
            Rule::ReturnRateSpike { .. } => RuleKind::ReturnRateSpike,
            Rule::CpoDeterioration { .. } => RuleKind::CpoDeterioration,
            Rule::AffiliateDropoff { .. } => RuleKind::AffiliateDropoff,
            Rule::LiveBenchmarkMiss { .. } => RuleKind::LiveBenchmarkMiss,
            Rule::NegativeCm2 { .. } => RuleKind::NegativeCm2,
            Rule::LowCreatorEfficiency { .. } => RuleKind::LowCreatorEfficiency,
        }
    }
}

/// Shown as the rule's key, as the JSON names it.
impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.kind().key())
    }
}

/// One triggered alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    /// The rule and its figures (flattened: `"rule": "negative_cm2"` and the figures beside it).
    #[serde(flatten)]
    pub rule: Rule,
    /// What it is about: a SKU ID, a creator, a date.
    pub subject: String,
    /// The sentence shown to the seller.
    pub message: String,
    /// The rows behind it, each one the page can show: SKU IDs (`return_rate_spike`, `negative_cm2`),
    /// creators (`low_creator_efficiency`, `affiliate_dropoff`), days that have orders
    /// (`cpo_deterioration`), a LIVE session's start time (`live_benchmark_miss`).
    pub rows: Vec<String>,
}

/// A rule that could not run, and what would let it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unavailable {
    /// The rule.
    pub rule: RuleKind,
    /// What to load (or why the data cannot answer).
    pub needs: String,
    /// The days the rule looks at that the exports it reads do not cover (docs/metrics.md §9): why
    /// it could not run on the loaded files. Empty (and not written) when a whole export is missing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uncovered: Vec<DayRange>,
}

impl Unavailable {
    /// A rule whose data is not loaded at all (or cannot answer).
    fn needs(rule: RuleKind, needs: &str) -> Unavailable {
        Unavailable {
            rule,
            needs: needs.to_string(),
            uncovered: Vec::new(),
        }
    }

    /// A rule that looks at `days`, some of which (`uncovered`) the `kinds` it reads do not cover.
    fn uncovered(
        rule: RuleKind,
        kinds: &str,
        days: DayRange,
        uncovered: Vec<DayRange>,
    ) -> Unavailable {
        Unavailable {
            rule,
            needs: format!(
                "{kinds} covering the days of {days} (not covered: {})",
                ranges_text(&uncovered)
            ),
            uncovered,
        }
    }
}

/// The loaded kinds among `kinds`, named for a sentence ("Orders and Affiliate exports").
fn kinds_text(coverage: &Coverage, kinds: &[DataKind]) -> String {
    let names: Vec<&str> = kinds
        .iter()
        .filter(|k| coverage.is_loaded(**k) || **k == DataKind::Orders)
        .map(|k| k.label())
        .collect();
    format!("{} exports", names.join(" and "))
}

/// Every alert, and the rules that could not run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alerts {
    /// The day the rules are anchored at: the last day the Orders exports cover (`null` when no order
    /// is loaded).
    #[serde(default)]
    pub as_of: Option<NaiveDate>,
    /// Triggered alerts.
    pub alerts: Vec<Alert>,
    /// Rules that could not run.
    pub unavailable: Vec<Unavailable>,
}

/// One day's ad cost and the SKU orders the ads exports report for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PaidDay {
    /// Σ cost of the day's ads rows.
    pub cost: Decimal,
    /// Σ `SKU orders (Current shop)` when every ads row of the day reports it (GMV Max), else `None`.
    pub orders: Option<i64>,
}

/// What the rules read besides the cube, gathered once per set of files: GMV Max's own orders per day
/// and the return requests of the Returns & refunds exports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signals {
    /// Per day: ad cost and GMV Max's SKU orders.
    pub paid: BTreeMap<NaiveDate, PaidDay>,
    /// Return requests, once each (the copy of the last file loaded wins).
    pub returns: Vec<ReturnRow>,
    /// True when a Returns & refunds export is loaded (even with no dated row).
    pub returns_loaded: bool,
}

impl Signals {
    /// From the ledger's de-duplicated ads rows and the loaded files.
    pub fn gather(ads: &[&AdSpendRow], files: &[&ImportedFile]) -> Signals {
        let mut paid: BTreeMap<NaiveDate, PaidDay> = BTreeMap::new();
        for r in ads {
            let e = paid.entry(r.date).or_insert(PaidDay {
                cost: Decimal::ZERO,
                orders: Some(0),
            });
            e.cost += r.cost;
            e.orders = match (e.orders, r.orders) {
                (Some(a), Some(b)) => a.checked_add(b),
                _ => None,
            };
        }
        let mut returns: Vec<ReturnRow> = Vec::new();
        let mut at: std::collections::HashMap<(String, String, String), usize> =
            std::collections::HashMap::new();
        let mut returns_loaded = false;
        for f in files {
            if let FileData::Returns(rows) = &f.data {
                returns_loaded = true;
                for r in rows {
                    let key = (r.return_id.clone(), r.sku_id.clone(), r.seller_sku.clone());
                    match at.get(&key).and_then(|i| returns.get_mut(*i)) {
                        Some(slot) => *slot = r.clone(),
                        None => {
                            at.insert(key, returns.len());
                            returns.push(r.clone());
                        }
                    }
                }
            }
        }
        Signals {
            paid,
            returns,
            returns_loaded,
        }
    }
}

/// What the rules read.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// Every line's figures.
    pub cube: &'a Cube,
    /// The settings the cube was built under (spend, other marketing and alert thresholds are read here).
    pub settings: &'a Settings,
    /// GMV Max's orders and the return requests.
    pub signals: &'a Signals,
    /// What the loaded files cover.
    pub coverage: &'a Coverage,
    /// The report's currency (messages and rounded figures).
    pub currency: Currency,
}

/// What every order rule needs when no order is loaded.
const ORDERS_EXPORT: &str = "an Orders export (Seller Center → Orders → Export)";
/// What the affiliate rules need.
const AFFILIATE_EXPORT: &str = "an Affiliate orders export (Seller Center → Affiliate → Orders)";

/// [`evaluate_covered`] with every day counted as covered and no GMV Max orders or return requests.
pub fn evaluate(cube: &Cube, settings: &Settings, currency: Currency) -> Alerts {
    evaluate_covered(&Context {
        cube,
        settings,
        signals: &Signals::default(),
        coverage: &Coverage::default(),
        currency,
    })
}

/// Runs every rule but the LIVE benchmark (`content::figures`), each over its own window anchored at
/// the last day the Orders exports cover (docs/metrics.md §12).
pub fn evaluate_covered(ctx: &Context<'_>) -> Alerts {
    let mut out = Alerts::default();
    let ws = window_settings(ctx.settings);
    let Some(w) = Window::new(ctx, &ws) else {
        for rule in [
            RuleKind::ReturnRateSpike,
            RuleKind::CpoDeterioration,
            RuleKind::AffiliateDropoff,
            RuleKind::NegativeCm2,
            RuleKind::LowCreatorEfficiency,
        ] {
            out.unavailable
                .push(Unavailable::needs(rule, ORDERS_EXPORT));
        }
        return out;
    };
    out.as_of = Some(w.anchor);
    returns::return_rate_spike(&w, &mut out);
    cpo_deterioration(&w, &mut out);
    affiliate_dropoff(&w, &mut out);
    negative_cm2(&w, &mut out);
    low_creator_efficiency(&w, &mut out);
    out
}

fn label(seller_sku: &str, sku_id: &str) -> String {
    if seller_sku.is_empty() {
        format!("SKU {sku_id}")
    } else {
        format!("{seller_sku} ({sku_id})")
    }
}

/// The window of the 30-day rules: the 30 days to the anchor.
fn month(w: &Window<'_>) -> DayRange {
    DayRange::new(days_back(w.anchor, 29), w.anchor)
}

/// Negative CM2: a SKU with net revenue > 0 and CM2 < 0 over the days of the 30 to the anchor that
/// the Orders, Affiliate and ads exports (those loaded) cover.
fn negative_cm2(w: &Window<'_>, out: &mut Alerts) {
    let kinds = [DataKind::Orders, DataKind::Affiliate, DataKind::Ads];
    let range = month(w);
    let c = covered(w.coverage, &kinds, range);
    let Some((from, to)) = c.span() else {
        out.unavailable.push(Unavailable::uncovered(
            RuleKind::NegativeCm2,
            &kinds_text(w.coverage, &kinds),
            range,
            c.uncovered,
        ));
        return;
    };
    let merged = w.merged(&c.runs);
    let mut losing: Vec<&crate::metrics::SkuFigures> = merged
        .skus
        .iter()
        .filter(|s| s.figures.net_revenue() > Decimal::ZERO && s.figures.cm2() < Decimal::ZERO)
        .collect();
    losing.sort_by_dyn(|a, b| {
        a.figures
            .cm2()
            .cmp(&b.figures.cm2())
            .then_with(|| a.sku_id.cmp(&b.sku_id))
    });
    let cur = w.currency;
    for sku in losing {
        let f = &sku.figures;
        out.alerts.push(Alert {
            rule: Rule::NegativeCm2 {
                sku_id: sku.sku_id.clone(),
                seller_sku: sku.seller_sku.clone(),
                cm2: cur.round(f.cm2()),
                net_revenue: cur.round(f.net_revenue()),
                from,
                to,
                days: c.days,
            },
            subject: sku.sku_id.clone(),
            message: format!(
                "{} loses money after marketing: CM2 {} on net revenue {} over the {} covered days of {}",
                label(&sku.seller_sku, &sku.sku_id),
                cur.format(f.cm2()),
                cur.format(f.net_revenue()),
                c.days,
                DayRange::new(from, to)
            ),
            rows: vec![sku.sku_id.clone()],
        });
    }
}

/// Low creator efficiency: net revenue per 1.00 of commission below the threshold over the days of the
/// 30 to the anchor that the Orders and Affiliate exports cover.
fn low_creator_efficiency(w: &Window<'_>, out: &mut Alerts) {
    let rule = RuleKind::LowCreatorEfficiency;
    if !w.cube.has_affiliate() {
        out.unavailable
            .push(Unavailable::needs(rule, AFFILIATE_EXPORT));
        return;
    }
    let kinds = [DataKind::Orders, DataKind::Affiliate];
    let range = month(w);
    let c = covered(w.coverage, &kinds, range);
    let Some((from, to)) = c.span() else {
        out.unavailable.push(Unavailable::uncovered(
            rule,
            &kinds_text(w.coverage, &kinds),
            range,
            c.uncovered,
        ));
        return;
    };
    let threshold = w.settings.alerts.min_creator_efficiency;
    let merged = w.merged(&c.runs);
    let mut low: Vec<(Decimal, &crate::metrics::CreatorFigures)> = merged
        .creators
        .iter()
        .filter_map(|c| c.efficiency().map(|e| (e, c)))
        .filter(|(e, _)| *e < threshold)
        .collect();
    low.sort_by_dyn(|a, b| a.0.cmp(&b.0).then_with(|| a.1.creator.cmp(&b.1.creator)));
    for (e, cr) in low {
        out.alerts.push(Alert {
            rule: Rule::LowCreatorEfficiency {
                creator: cr.creator.clone(),
                efficiency: e.round_dp(2),
                threshold,
                from,
                to,
                days: c.days,
            },
            subject: cr.creator.clone(),
            message: format!(
                "{} earns {} of net revenue per 1.00 of commission over the {} covered days of {}, below your threshold of {threshold}",
                cr.creator,
                e.round_dp(2),
                c.days,
                DayRange::new(from, to)
            ),
            rows: vec![cr.creator.clone()],
        });
    }
}

/// One day's cost and orders on a CPO basis.
#[derive(Debug, Clone, Copy)]
struct CpoDay {
    day: NaiveDate,
    cost: Decimal,
    orders: i64,
}

/// CPO deterioration: the anchor day's cost per order more than `cpo_deterioration_pct` above
/// Σ cost ÷ Σ orders of the days among the 7 before that the exports it reads cover and that have
/// orders (at least 3). Paid (ad spend ÷ GMV Max's SKU orders) when GMV Max reports its orders on the
/// anchor day and on at least 3 of those days; blended ((the day's ad spend as loaded + affiliate
/// commission) ÷ the Orders export's orders) otherwise.
fn cpo_deterioration(w: &Window<'_>, out: &mut Alerts) {
    let rule = RuleKind::CpoDeterioration;
    let a = w.anchor;
    let eight = DayRange::new(days_back(a, 7), a);
    let analysis = w.analyse(eight);
    if analysis.ads_source == crate::metrics::AdsSource::None && !w.cube.has_affiliate() {
        out.unavailable.push(Unavailable::needs(
            rule,
            "ad spend (a GMV Max campaign or Ads Manager cost export) or an Affiliate orders export",
        ));
        return;
    }
    let days: BTreeMap<NaiveDate, &crate::metrics::Figures> =
        analysis.days.iter().map(|(d, f)| (*d, f)).collect();
    let orders_on = |d: NaiveDate| days.get(&d).map_or(0, |f| f.orders);
    let before: Vec<NaiveDate> = (1..=7u64).rev().map(|k| days_back(a, k)).collect();
    // Paid: GMV Max's own orders on the anchor and on at least 3 days before.
    let paid_kinds = [DataKind::Orders, DataKind::Ads];
    let paid_day = |d: NaiveDate| -> Option<CpoDay> {
        let p = w.signals.paid.get(&d)?;
        let orders = p.orders.filter(|n| *n > 0)?;
        w.coverage.covers_loaded(&paid_kinds, d).then_some(CpoDay {
            day: d,
            cost: p.cost,
            orders,
        })
    };
    let paid_base: Vec<CpoDay> = before.iter().filter_map(|d| paid_day(*d)).collect();
    let chosen = match paid_day(a) {
        Some(last) if paid_base.len() >= 3 => Some((CpoBasis::Paid, last, paid_base)),
        _ => None,
    };
    let (basis, last, base) = match chosen {
        Some(x) => x,
        None => {
            let kinds = [DataKind::Orders, DataKind::Affiliate, DataKind::Ads];
            let blended_day = |d: NaiveDate| -> Option<CpoDay> {
                let f = days.get(&d)?;
                let orders = i64::try_from(f.orders).ok().filter(|n| *n > 0)?;
                let spend = analysis
                    .ad_spend_by_day
                    .get(&d)
                    .copied()
                    .unwrap_or_default();
                w.coverage.covers_loaded(&kinds, d).then_some(CpoDay {
                    day: d,
                    cost: spend + f.affiliate_commission(),
                    orders,
                })
            };
            if !w.coverage.covers_loaded(&kinds, a) {
                let day = DayRange::day(a);
                out.unavailable.push(Unavailable::uncovered(
                    rule,
                    &kinds_text(w.coverage, &kinds),
                    day,
                    vec![day],
                ));
                return;
            }
            let Some(last) = blended_day(a) else {
                out.unavailable.push(Unavailable::needs(
                    rule,
                    &format!("orders on {a}, the last day the Orders exports cover: without one there is no cost per order"),
                ));
                return;
            };
            let base: Vec<CpoDay> = before.iter().filter_map(|d| blended_day(*d)).collect();
            (CpoBasis::Blended, last, base)
        }
    };
    if base.len() < 3 {
        let kinds = match basis {
            CpoBasis::Paid => &paid_kinds[..],
            CpoBasis::Blended => &[DataKind::Orders, DataKind::Affiliate, DataKind::Ads][..],
        };
        let week = DayRange::new(days_back(a, 7), days_back(a, 1));
        out.unavailable.push(Unavailable {
            rule,
            needs: format!(
                "at least 3 days with orders among the 7 before {a} ({week}) that the {} cover (found {})",
                kinds_text(w.coverage, kinds),
                base.len()
            ),
            uncovered: covered(w.coverage, kinds, week).uncovered,
        });
        return;
    }
    let Some(cpo) = last.cost.checked_div(Decimal::from(last.orders)) else {
        return;
    };
    let cost: Decimal = base.iter().map(|d| d.cost).sum();
    let orders: i64 = base.iter().map(|d| d.orders).sum();
    let Some(avg) = cost.checked_div(Decimal::from(orders)) else {
        return;
    };
    let pct = w.settings.alerts.cpo_deterioration_pct;
    let Some(limit) = avg.checked_mul(Decimal::ONE + pct / Decimal::ONE_HUNDRED) else {
        return;
    };
    if cpo > limit {
        let cur = w.currency;
        let mut rows = vec![a.to_string()];
        rows.extend(
            base.iter()
                .filter(|d| orders_on(d.day) > 0)
                .map(|d| d.day.to_string()),
        );
        if orders_on(a) == 0 {
            rows.remove(0);
        }
        out.alerts.push(Alert {
            rule: Rule::CpoDeterioration {
                day: a,
                basis,
                cpo: cur.round(cpo),
                orders: last.orders,
                average: cur.round(avg),
                window_days: base.len() as u64,
                threshold_pct: pct,
            },
            subject: a.to_string(),
            message: format!(
                "{} cost per order on {a} was {} ({} over {} {}), more than {pct}% above the {} of the {} days before with orders",
                match basis {
                    CpoBasis::Paid => "Paid",
                    CpoBasis::Blended => "Blended",
                },
                cur.format(cpo),
                cur.format(last.cost),
                last.orders,
                match (basis, last.orders) {
                    (CpoBasis::Paid, 1) => "GMV Max order",
                    (CpoBasis::Paid, _) => "GMV Max orders",
                    (CpoBasis::Blended, 1) => "order",
                    (CpoBasis::Blended, _) => "orders",
                },
                cur.format(avg),
                base.len()
            ),
            rows,
        });
    }
}

/// Affiliate orders of the 7 days to the anchor down more than `affiliate_dropoff_pct` on the 7 days
/// before, when the Orders and Affiliate exports cover all 14 days (else unavailable: days no export
/// describes are not a drop-off). Its rows are the creators whose orders fell, the largest fall first.
fn affiliate_dropoff(w: &Window<'_>, out: &mut Alerts) {
    let rule = RuleKind::AffiliateDropoff;
    if !w.cube.has_affiliate() {
        out.unavailable
            .push(Unavailable::needs(rule, AFFILIATE_EXPORT));
        return;
    }
    let a = w.anchor;
    let kinds = [DataKind::Orders, DataKind::Affiliate];
    let fortnight = DayRange::new(days_back(a, 13), a);
    let c = covered(w.coverage, &kinds, fortnight);
    if !c.uncovered.is_empty() {
        out.unavailable.push(Unavailable::uncovered(
            rule,
            &kinds_text(w.coverage, &kinds),
            fortnight,
            c.uncovered,
        ));
        return;
    }
    let this_range = DayRange::new(days_back(a, 6), a);
    let prev_range = DayRange::new(days_back(a, 13), days_back(a, 7));
    let this_a = w.analyse(this_range);
    let prev_a = w.analyse(prev_range);
    let count = |x: &crate::metrics::Analysis| -> u64 {
        x.days.iter().map(|(_, f)| f.affiliate_orders).sum()
    };
    let (this, prev) = (count(&this_a), count(&prev_a));
    if prev == 0 {
        out.unavailable.push(Unavailable::needs(
            rule,
            &format!("affiliate orders in {prev_range} to compare with: there were none, so nothing can drop"),
        ));
        return;
    }
    let change = percent_points(
        Decimal::from(this) - Decimal::from(prev),
        Decimal::from(prev),
    )
    .unwrap_or_default();
    let pct = w.settings.alerts.affiliate_dropoff_pct;
    if change < -pct {
        // The creators whose orders fell, the largest fall first.
        let now: BTreeMap<&str, u64> = this_a
            .creators
            .iter()
            .map(|c| (c.creator.as_str(), c.figures.orders))
            .collect();
        let mut fell: Vec<(u64, &str)> = prev_a
            .creators
            .iter()
            .filter_map(|c| {
                let n = now.get(c.creator.as_str()).copied().unwrap_or(0);
                (n < c.figures.orders).then(|| (c.figures.orders - n, c.creator.as_str()))
            })
            .collect();
        fell.sort_by_dyn(|x, y| y.0.cmp(&x.0).then_with(|| x.1.cmp(y.1)));
        out.alerts.push(Alert {
            rule: Rule::AffiliateDropoff {
                week_to: a,
                this_week: this,
                previous_week: prev,
                change_pct: change,
                threshold_pct: pct,
            },
            subject: a.to_string(),
            message: format!(
                "Affiliate orders fell {}% week over week: {this} in {this_range}, {prev} in {prev_range}",
                -change
            ),
            rows: fell.into_iter().map(|(_, c)| c.to_string()).collect(),
        });
    }
}
