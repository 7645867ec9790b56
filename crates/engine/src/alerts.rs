//! Alert rules (issue 4, item 4): each alert says what triggered it and which rows; a rule whose data
//! is missing says which export would enable it.

use crate::metrics::{Analysis, Cube, Figures};
use crate::money::percent_points;
use crate::settings::AlertSettings;
use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// One triggered alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alert {
    /// The rule: `return_rate_spike`, `cpo_deterioration`, `affiliate_dropoff`, `live_benchmark_miss`,
    /// `negative_cm2`, `low_creator_efficiency`.
    pub rule: &'static str,
    /// What it is about: a SKU ID, a creator, a date.
    pub subject: String,
    /// The sentence shown to the seller.
    pub message: String,
    /// The rows behind it: order IDs, dates or SKU IDs.
    pub rows: Vec<String>,
}

/// A rule that could not run, and the export that would let it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unavailable {
    /// The rule.
    pub rule: &'static str,
    /// What to load.
    pub needs: String,
}

/// Every alert of a period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Alerts {
    /// Triggered alerts.
    pub alerts: Vec<Alert>,
    /// Rules that could not run.
    pub unavailable: Vec<Unavailable>,
}

/// Runs every rule over the analysed period.
pub fn evaluate(
    cube: &Cube,
    analysis: &Analysis,
    s: &AlertSettings,
    format_money: &dyn Fn(Decimal) -> String,
) -> Alerts {
    let mut out = Alerts::default();
    return_rate_spike(cube, analysis, s, &mut out);
    cpo_deterioration(analysis, s, &mut out, format_money);
    affiliate_dropoff(cube, analysis, s, &mut out);
    live_benchmark_miss(analysis, s, &mut out, format_money);
    for sku in &analysis.skus {
        let f = &sku.figures;
        if f.net_revenue() > Decimal::ZERO && f.cm2() < Decimal::ZERO {
            out.alerts.push(Alert {
                rule: "negative_cm2",
                subject: sku.sku_id.clone(),
                message: format!(
                    "{} loses money after marketing: CM2 {} on net revenue {}",
                    label(&sku.seller_sku, &sku.sku_id),
                    format_money(f.cm2()),
                    format_money(f.net_revenue())
                ),
                rows: vec![sku.sku_id.clone()],
            });
        }
    }
    if !cube.has_affiliate() {
        out.unavailable.push(Unavailable {
            rule: "low_creator_efficiency",
            needs: "an Affiliate orders export (Seller Center → Affiliate → Orders)".to_string(),
        });
    }
    for c in &analysis.creators {
        if let Some(e) = c.efficiency()
            && e < s.min_creator_efficiency
        {
            out.alerts.push(Alert {
                rule: "low_creator_efficiency",
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
/// `return_spike_factor` × its category benchmark.
fn return_rate_spike(cube: &Cube, analysis: &Analysis, s: &AlertSettings, out: &mut Alerts) {
    let Some((_, to)) = analysis.period else {
        return;
    };
    let from = to.checked_sub_days(Days::new(1)).unwrap_or(to);
    for r in cube.returns_between(from, to) {
        let (sku, category, returned, shipped, orders) = (
            r.sku_id.as_str(),
            r.category.as_str(),
            r.units_returned,
            r.units_shipped,
            r.orders,
        );
        let Some(rate) = percent_points(Decimal::from(returned), Decimal::from(shipped)) else {
            continue;
        };
        let benchmark = s
            .return_rate_benchmarks
            .iter()
            .find(|(c, _)| c.eq_ignore_ascii_case(category))
            .map_or(s.default_return_rate_benchmark, |(_, b)| *b);
        if returned > 0 && rate > benchmark * s.return_spike_factor {
            out.alerts.push(Alert {
                rule: "return_rate_spike",
                subject: sku.to_string(),
                message: format!(
                    "SKU {sku}: {rate}% of units returned in the last 48 hours ({from} – {to}), above {} × the {benchmark}% benchmark",
                    s.return_spike_factor
                ),
                rows: orders,
            });
        }
    }
}

/// The last day's blended CPO more than `cpo_deterioration_pct` above the average of the 7 days before.
fn cpo_deterioration(
    analysis: &Analysis,
    s: &AlertSettings,
    out: &mut Alerts,
    money: &dyn Fn(Decimal) -> String,
) {
    if analysis.ad_spend_by_day.is_empty() && analysis.totals.affiliate_commission().is_zero() {
        out.unavailable.push(Unavailable {
            rule: "cpo_deterioration",
            needs: "ad spend (a GMV Max campaign or Ads Manager cost export) or an Affiliate orders export".to_string(),
        });
        return;
    }
    let days: BTreeMap<NaiveDate, &Figures> = analysis.days.iter().map(|(d, f)| (*d, f)).collect();
    let Some((&last, f)) = days.iter().next_back() else {
        return;
    };
    let Some(cpo) = f.blended_cpo() else { return };
    let window: Vec<Decimal> = (1..=7u64)
        .filter_map(|k| last.checked_sub_days(Days::new(k)))
        .filter_map(|d| days.get(&d).and_then(|f| f.blended_cpo()))
        .collect();
    if window.len() < 3 {
        return;
    }
    let avg = window.iter().copied().sum::<Decimal>() / Decimal::from(window.len());
    let limit = avg * (Decimal::ONE + s.cpo_deterioration_pct / Decimal::ONE_HUNDRED);
    if cpo > limit {
        out.alerts.push(Alert {
            rule: "cpo_deterioration",
            subject: last.to_string(),
            message: format!(
                "Cost per order on {last} was {}, more than {}% above the {}-day average of {}",
                money(cpo),
                s.cpo_deterioration_pct,
                window.len(),
                money(avg)
            ),
            rows: vec![last.to_string()],
        });
    }
}

/// Affiliate orders in the last 7 days down more than `affiliate_dropoff_pct` on the 7 days before.
fn affiliate_dropoff(cube: &Cube, analysis: &Analysis, s: &AlertSettings, out: &mut Alerts) {
    if !cube.has_affiliate() {
        out.unavailable.push(Unavailable {
            rule: "affiliate_dropoff",
            needs: "an Affiliate orders export (Seller Center → Affiliate → Orders)".to_string(),
        });
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
            rule: "affiliate_dropoff",
            subject: to.to_string(),
            message: format!(
                "Affiliate orders fell {}% week over week: {this} in the 7 days to {to}, {prev} the week before",
                -change
            ),
            rows: vec![prev_end.to_string(), to.to_string()],
        });
    }
}

/// A Livestream-attributed day whose GMV per order is more than `live_miss_pct` below the average of
/// the period's Livestream days (viewers are not in the exports Margin Lab reads, so per order).
fn live_benchmark_miss(
    analysis: &Analysis,
    s: &AlertSettings,
    out: &mut Alerts,
    money: &dyn Fn(Decimal) -> String,
) {
    let live: Vec<(NaiveDate, Decimal, u64)> = analysis
        .channel_days
        .iter()
        .filter(|((c, _), f)| c == "Livestream" && f.orders > 0)
        .map(|((_, d), f)| (*d, f.gmv - f.cancelled_sales, f.orders))
        .collect();
    if live.is_empty() {
        out.unavailable.push(Unavailable {
            rule: "live_benchmark_miss",
            needs: "an Affiliate orders export with Livestream orders".to_string(),
        });
        return;
    }
    let (gmv, orders) = live
        .iter()
        .fold((Decimal::ZERO, 0u64), |(g, o), (_, dg, dor)| {
            (g + dg, o + dor)
        });
    if orders == 0 || live.len() < 2 {
        return;
    }
    let avg = gmv / Decimal::from(orders);
    let floor = avg * (Decimal::ONE - s.live_miss_pct / Decimal::ONE_HUNDRED);
    for (d, g, o) in live {
        let per = g / Decimal::from(o);
        if per < floor {
            out.alerts.push(Alert {
                rule: "live_benchmark_miss",
                subject: d.to_string(),
                message: format!(
                    "Livestream GMV per order on {d} was {}, more than {}% below the period's {}",
                    money(per),
                    s.live_miss_pct,
                    money(avg)
                ),
                rows: vec![d.to_string()],
            });
        }
    }
}
