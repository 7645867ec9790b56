//! Alert rules (issue 4, item 4): each alert says what triggered it and which rows; a rule whose data
//! is missing says which export would enable it.

use crate::coverage::{Coverage, DataKind, DayRange, ranges_text};
use crate::metrics::{Analysis, Cube, Figures};
use crate::money::{Currency, percent_points};
use crate::settings::AlertSettings;
use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which rule, without its figures: what [`Unavailable`] names and what the page links by. Serialised as
/// its key (`"return_rate_spike"`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// A SKU's return rate over the last two order dates above a multiple of its category benchmark.
    ReturnRateSpike,
    /// The last day's blended CPO above its trailing average by more than a percentage.
    CpoDeterioration,
    /// Affiliate orders of the last 7 days down on the 7 days before by more than a percentage.
    AffiliateDropoff,
    /// A Livestream day's GMV per order below the period's Livestream average by more than a percentage.
    LiveBenchmarkMiss,
    /// A SKU with net revenue whose CM2 is negative.
    NegativeCm2,
    /// A creator earning less net revenue per 1.00 of commission than the threshold.
    LowCreatorEfficiency,
}

impl RuleKind {
    /// Every rule, in the order [`evaluate`] runs them.
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

/// A triggered rule with the figures that triggered it. Serialised with its key in `rule` and its
/// figures beside it. Money is rounded to the currency's minor unit (as the report's amounts are),
/// percentages are percent points, thresholds are the settings' values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Rule {
    /// A SKU's return rate over `from`–`to` above `factor` × `benchmark`.
    ReturnRateSpike {
        /// Platform SKU ID.
        sku_id: String,
        /// `Product Category` of its first line (the benchmark's key).
        category: String,
        /// First order date looked at.
        from: NaiveDate,
        /// Last order date looked at (the period's last).
        to: NaiveDate,
        /// Units returned over those dates.
        units_returned: i64,
        /// Units of sold and returned lines over those dates.
        units_shipped: i64,
        /// units_returned / units_shipped, percent points (two decimals).
        return_rate: Decimal,
        /// The category's benchmark, percent points.
        benchmark: Decimal,
        /// The spike factor setting.
        factor: Decimal,
    },
    /// The last day's blended CPO above its trailing average by more than `threshold_pct`.
    CpoDeterioration {
        /// The period's last order date.
        day: NaiveDate,
        /// That day's blended CPO.
        cpo: Decimal,
        /// Mean blended CPO of the days with one among the 7 before.
        average: Decimal,
        /// How many days that mean covers (3 to 7).
        window_days: u64,
        /// The setting, percent points.
        threshold_pct: Decimal,
    },
    /// Affiliate orders of the 7 days to `week_to` down more than `threshold_pct` on the 7 days before.
    AffiliateDropoff {
        /// Last day of the latest week (the period's last).
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
    /// `threshold_pct` or more below the account's over the period's sessions (docs/metrics.md §11).
    LiveBenchmarkMiss {
        /// The session's title.
        session: String,
        /// Its start time.
        start: chrono::NaiveDateTime,
        /// `gmv_per_viewer` or `gmv_per_1k_views`.
        basis: String,
        /// The session's value (four decimals).
        value: Decimal,
        /// The account's value over the period's sessions (four decimals).
        average: Decimal,
        /// The setting, percent points.
        threshold_pct: Decimal,
    },
    /// A SKU with positive net revenue and negative CM2.
    NegativeCm2 {
        /// Platform SKU ID.
        sku_id: String,
        /// Its `Seller SKU` (may be empty).
        seller_sku: String,
        /// Its CM2.
        cm2: Decimal,
        /// Its net revenue.
        net_revenue: Decimal,
    },
    /// A creator below the efficiency threshold.
    LowCreatorEfficiency {
        /// `Creator Username`.
        creator: String,
        /// Net revenue per 1.00 of commission (two decimals).
        efficiency: Decimal,
        /// The setting.
        threshold: Decimal,
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
    /// The rows behind it: order IDs, dates or SKU IDs.
    pub rows: Vec<String>,
}

/// A rule that could not run, and the export that would let it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unavailable {
    /// The rule.
    pub rule: RuleKind,
    /// What to load.
    pub needs: String,
    /// The days the rule looks at that the exports it reads do not cover (docs/metrics.md §9): why
    /// it could not run on the loaded files. Empty (and not written) when a whole export is missing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uncovered: Vec<DayRange>,
}

impl Unavailable {
    /// A rule whose data is not loaded at all.
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
                "{kinds} covering every day of {days} (not covered: {})",
                ranges_text(&uncovered)
            ),
            uncovered,
        }
    }
}

/// The stretches of `days` that some loaded kind of `kinds` does not cover (kinds not loaded are no
/// constraint), merged.
fn uncovered_by(coverage: &Coverage, kinds: &[DataKind], days: DayRange) -> Vec<DayRange> {
    let missing: Vec<NaiveDate> = days
        .from
        .iter_days()
        .take_while(|d| *d <= days.to)
        .filter(|d| !coverage.covers_loaded(kinds, *d))
        .collect();
    crate::coverage::ExcludedRows::of_days(0, missing).days
}

/// The loaded kinds among `kinds`, named for a sentence ("Orders and Affiliate exports").
fn kinds_text(coverage: &Coverage, kinds: &[DataKind]) -> String {
    let names: Vec<&str> = kinds
        .iter()
        .filter(|k| coverage.is_loaded(**k))
        .map(|k| k.label())
        .collect();
    format!("{} exports", names.join(" and "))
}

/// Every alert of a period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alerts {
    /// Triggered alerts.
    pub alerts: Vec<Alert>,
    /// Rules that could not run.
    pub unavailable: Vec<Unavailable>,
}

/// Runs every rule over the analysed period; messages and the rules' money figures in `currency`.
/// Every day counts as covered: [`evaluate_covered`] with no coverage.
pub fn evaluate(cube: &Cube, analysis: &Analysis, s: &AlertSettings, currency: Currency) -> Alerts {
    evaluate_covered(cube, analysis, s, currency, &Coverage::default())
}

/// [`evaluate`] on the days the loaded files cover (docs/metrics.md §9): a rule that compares days
/// looks only at days every export it reads covers, and goes to `unavailable` with the uncovered
/// days when the days it needs are not covered (a week with no Orders export is not a drop-off).
pub fn evaluate_covered(
    cube: &Cube,
    analysis: &Analysis,
    s: &AlertSettings,
    currency: Currency,
    coverage: &Coverage,
) -> Alerts {
    let mut out = Alerts::default();
    return_rate_spike(cube, analysis, s, &mut out, coverage);
    cpo_deterioration(analysis, s, &mut out, currency, coverage);
    affiliate_dropoff(cube, analysis, s, &mut out, coverage);
    for sku in &analysis.skus {
        let f = &sku.figures;
        if f.net_revenue() > Decimal::ZERO && f.cm2() < Decimal::ZERO {
            out.alerts.push(Alert {
                rule: Rule::NegativeCm2 {
                    sku_id: sku.sku_id.clone(),
                    seller_sku: sku.seller_sku.clone(),
                    cm2: currency.round(f.cm2()),
                    net_revenue: currency.round(f.net_revenue()),
                },
                subject: sku.sku_id.clone(),
                message: format!(
                    "{} loses money after marketing: CM2 {} on net revenue {}",
                    label(&sku.seller_sku, &sku.sku_id),
                    currency.format(f.cm2()),
                    currency.format(f.net_revenue())
                ),
                rows: vec![sku.sku_id.clone()],
            });
        }
    }
    if !cube.has_affiliate() {
        out.unavailable.push(Unavailable::needs(
            RuleKind::LowCreatorEfficiency,
            "an Affiliate orders export (Seller Center → Affiliate → Orders)",
        ));
    }
    for c in &analysis.creators {
        if let Some(e) = c.efficiency()
            && e < s.min_creator_efficiency
        {
            out.alerts.push(Alert {
                rule: Rule::LowCreatorEfficiency {
                    creator: c.creator.clone(),
                    efficiency: e.round_dp(2),
                    threshold: s.min_creator_efficiency,
                },
                subject: c.creator.clone(),
                message: format!(
                    "{} earns {} of net revenue per 1.00 of commission, below your threshold of {}",
                    c.creator,
                    e.round_dp(2),
                    s.min_creator_efficiency
                ),
                rows: vec![c.creator.clone()],
            });
        }
    }
    out
}

fn label(seller_sku: &str, sku_id: &str) -> String {
    if seller_sku.is_empty() {
        format!("SKU {sku_id}")
    } else {
        format!("{seller_sku} ({sku_id})")
    }
}

/// A SKU's return rate over the period's last 48 hours (its last two order dates) above
/// `return_spike_factor` × its category benchmark; over the last one alone when the Orders exports
/// do not cover the one before.
fn return_rate_spike(
    cube: &Cube,
    analysis: &Analysis,
    s: &AlertSettings,
    out: &mut Alerts,
    coverage: &Coverage,
) {
    let Some((_, to)) = analysis.period else {
        return;
    };
    let kinds = [DataKind::Orders];
    let two = DayRange::new(to.checked_sub_days(Days::new(1)).unwrap_or(to), to);
    let uncovered = uncovered_by(coverage, &kinds, two);
    if !coverage.covers_loaded(&kinds, to) {
        out.unavailable.push(Unavailable::uncovered(
            RuleKind::ReturnRateSpike,
            &kinds_text(coverage, &kinds),
            two,
            uncovered,
        ));
        return;
    }
    let from = if uncovered.is_empty() { two.from } else { to };
    for r in cube.returns_between(from, to) {
        let (returned, shipped) = (r.units_returned, r.units_shipped);
        let Some(rate) = percent_points(Decimal::from(returned), Decimal::from(shipped)) else {
            continue;
        };
        let benchmark = s
            .return_rate_benchmarks
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(&r.category))
            .map_or(s.default_return_rate_benchmark, |(_, b)| *b);
        if returned > 0 && rate > benchmark * s.return_spike_factor {
            let sku = r.sku_id;
            out.alerts.push(Alert {
                message: format!(
                    "SKU {sku}: {rate}% of units returned in the last 48 hours ({from} – {to}), above {} × the {benchmark}% benchmark",
                    s.return_spike_factor
                ),
                subject: sku.clone(),
                rule: Rule::ReturnRateSpike {
                    sku_id: sku,
                    category: r.category,
                    from,
                    to,
                    units_returned: returned,
                    units_shipped: shipped,
                    return_rate: rate,
                    benchmark,
                    factor: s.return_spike_factor,
                },
                rows: r.orders,
            });
        }
    }
}

/// The last day's blended CPO more than `cpo_deterioration_pct` above the average of the 7 days before
/// (of those the Orders, Affiliate and ads exports cover, when loaded).
fn cpo_deterioration(
    analysis: &Analysis,
    s: &AlertSettings,
    out: &mut Alerts,
    currency: Currency,
    coverage: &Coverage,
) {
    if analysis.ad_spend_by_day.is_empty() && analysis.totals.affiliate_commission().is_zero() {
        out.unavailable.push(Unavailable::needs(
            RuleKind::CpoDeterioration,
            "ad spend (a GMV Max campaign or Ads Manager cost export) or an Affiliate orders export",
        ));
        return;
    }
    let kinds = [DataKind::Orders, DataKind::Affiliate, DataKind::Ads];
    let days: BTreeMap<NaiveDate, &Figures> = analysis.days.iter().map(|(d, f)| (*d, f)).collect();
    let Some((&last, f)) = days.iter().next_back() else {
        return;
    };
    if !coverage.covers_loaded(&kinds, last) {
        let day = DayRange::day(last);
        out.unavailable.push(Unavailable::uncovered(
            RuleKind::CpoDeterioration,
            &kinds_text(coverage, &kinds),
            day,
            vec![day],
        ));
        return;
    }
    let Some(cpo) = f.blended_cpo() else { return };
    let window: Vec<Decimal> = (1..=7u64)
        .filter_map(|k| last.checked_sub_days(Days::new(k)))
        .filter(|d| coverage.covers_loaded(&kinds, *d))
        .filter_map(|d| days.get(&d).and_then(|f| f.blended_cpo()))
        .collect();
    if window.len() < 3 {
        return;
    }
    let avg = window.iter().copied().sum::<Decimal>() / Decimal::from(window.len());
    let limit = avg * (Decimal::ONE + s.cpo_deterioration_pct / Decimal::ONE_HUNDRED);
    if cpo > limit {
        out.alerts.push(Alert {
            rule: Rule::CpoDeterioration {
                day: last,
                cpo: currency.round(cpo),
                average: currency.round(avg),
                window_days: window.len() as u64,
                threshold_pct: s.cpo_deterioration_pct,
            },
            subject: last.to_string(),
            message: format!(
                "Cost per order on {last} was {}, more than {}% above the {}-day average of {}",
                currency.format(cpo),
                s.cpo_deterioration_pct,
                window.len(),
                currency.format(avg)
            ),
            rows: vec![last.to_string()],
        });
    }
}

/// Affiliate orders in the last 7 days down more than `affiliate_dropoff_pct` on the 7 days before,
/// when the Orders and Affiliate exports cover all 14 days (else unavailable: days no export describes
/// are not a drop-off).
fn affiliate_dropoff(
    cube: &Cube,
    analysis: &Analysis,
    s: &AlertSettings,
    out: &mut Alerts,
    coverage: &Coverage,
) {
    if !cube.has_affiliate() {
        out.unavailable.push(Unavailable::needs(
            RuleKind::AffiliateDropoff,
            "an Affiliate orders export (Seller Center → Affiliate → Orders)",
        ));
        return;
    }
    let Some((_, to)) = analysis.period else {
        return;
    };
    let week = |end: NaiveDate| -> u64 {
        analysis
            .days
            .iter()
            .filter(|(d, _)| {
                *d <= end
                    && end
                        .checked_sub_days(Days::new(7))
                        .is_some_and(|start| *d > start)
            })
            .map(|(_, f)| f.affiliate_orders)
            .sum()
    };
    let Some(prev_end) = to.checked_sub_days(Days::new(7)) else {
        return;
    };
    let kinds = [DataKind::Orders, DataKind::Affiliate];
    let fortnight = DayRange::new(to.checked_sub_days(Days::new(13)).unwrap_or(to), to);
    let uncovered = uncovered_by(coverage, &kinds, fortnight);
    if !uncovered.is_empty() {
        out.unavailable.push(Unavailable::uncovered(
            RuleKind::AffiliateDropoff,
            &kinds_text(coverage, &kinds),
            fortnight,
            uncovered,
        ));
        return;
    }
    let (this, prev) = (week(to), week(prev_end));
    if prev == 0 {
        return;
    }
    let change = percent_points(
        Decimal::from(this) - Decimal::from(prev),
        Decimal::from(prev),
    )
    .unwrap_or_default();
    if change < -s.affiliate_dropoff_pct {
        out.alerts.push(Alert {
            rule: Rule::AffiliateDropoff {
                week_to: to,
                this_week: this,
                previous_week: prev,
                change_pct: change,
                threshold_pct: s.affiliate_dropoff_pct,
            },
            subject: to.to_string(),
            message: format!(
                "Affiliate orders fell {}% week over week: {this} in the 7 days to {to}, {prev} the week before",
                -change
            ),
            rows: vec![prev_end.to_string(), to.to_string()],
        });
    }
}
