//! The return-rate spike (docs/metrics.md §12): per SKU, by when returns happened when a Returns &
//! refunds export is loaded, else from the Orders export's returns known so far.

use super::{
    Alert, Alerts, ReturnBasis, Rule, RuleKind, Unavailable, Window, covered, days_back, kinds_text,
};
use crate::coverage::{DataKind, DayRange, ExcludedRows};
use crate::metrics::SkuReturns;
use crate::money::percent_points;
use crate::settings::AlertSettings;
use crate::sort_dyn::SortDyn;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// Order dates of the last days left out of the "known so far" rate: their returns have not happened yet.
pub(crate) const UNRIPE_DAYS: u64 = 2;
/// Days between a request day and the order day whose shipped units it is compared with.
pub(crate) const RETURN_LAG_DAYS: u64 = 7;

/// Runs the rule on the Returns & refunds export when one is loaded, else on the Orders export.
pub(super) fn return_rate_spike(w: &Window<'_>, out: &mut Alerts) {
    if w.signals.returns_loaded {
        by_requests(w, out);
    } else {
        known_so_far(w, out);
    }
}

/// The category's benchmark, percent points.
fn benchmark(s: &AlertSettings, category: &str) -> Decimal {
    s.return_rate_benchmarks
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(category))
        .map_or(s.default_return_rate_benchmark, |(_, b)| *b)
}

/// Per SKU: units returned and shipped, category and the returned orders, summed over runs of days.
#[derive(Debug, Default)]
struct Tally {
    category: String,
    returned: i64,
    shipped: i64,
    orders: Vec<String>,
}

fn add(per: &mut BTreeMap<String, Tally>, rows: Vec<SkuReturns>) {
    for r in rows {
        let t = per.entry(r.sku_id).or_default();
        if t.category.is_empty() {
            t.category = r.category;
        }
        t.returned = t.returned.saturating_add(r.units_returned);
        t.shipped = t.shipped.saturating_add(r.units_shipped);
        t.orders.extend(r.orders);
    }
}

/// What one rate is about, for the alert.
struct Span {
    basis: ReturnBasis,
    from: NaiveDate,
    to: NaiveDate,
    shipped_from: NaiveDate,
    shipped_to: NaiveDate,
    days: u64,
}

/// Pushes an alert for every SKU above its threshold, the highest rate first.
fn fire(w: &Window<'_>, per: BTreeMap<String, Tally>, span: &Span, out: &mut Alerts) {
    let s = &w.settings.alerts;
    let mut hits: Vec<(Decimal, String, Tally, Decimal)> = per
        .into_iter()
        .filter(|(_, t)| t.returned > 0 && t.shipped > 0)
        .filter_map(|(sku, t)| {
            let rate = percent_points(Decimal::from(t.returned), Decimal::from(t.shipped))?;
            let b = benchmark(s, &t.category);
            let limit = b.checked_mul(s.return_spike_factor)?;
            (rate > limit).then_some((rate, sku, t, b))
        })
        .collect();
    hits.sort_by_dyn(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    for (rate, sku, t, b) in hits {
        let message = match span.basis {
            ReturnBasis::ReturnRequests => format!(
                "SKU {sku}: {} units asked back in {} against {} units ordered in {}: {rate}%, above {} × the {b}% benchmark",
                t.returned,
                DayRange::new(span.from, span.to),
                t.shipped,
                DayRange::new(span.shipped_from, span.shipped_to),
                s.return_spike_factor
            ),
            ReturnBasis::ReturnsKnownSoFar => format!(
                "SKU {sku}: {rate}% of the units ordered in {} are returned so far ({} of {}; returns known so far: \
                 orders of the last {UNRIPE_DAYS} days are left out, and more returns may come), above {} × the {b}% benchmark",
                DayRange::new(span.from, span.to),
                t.returned,
                t.shipped,
                s.return_spike_factor
            ),
        };
        let mut orders = t.orders;
        let mut seen = BTreeSet::new();
        orders.retain(|o| seen.insert(o.clone()));
        out.alerts.push(Alert {
            rule: Rule::ReturnRateSpike {
                sku_id: sku.clone(),
                category: t.category,
                basis: span.basis,
                from: span.from,
                to: span.to,
                shipped_from: span.shipped_from,
                shipped_to: span.shipped_to,
                days: span.days,
                units_returned: t.returned,
                units_shipped: t.shipped,
                return_rate: rate,
                benchmark: b,
                factor: s.return_spike_factor,
                orders,
            },
            subject: sku.clone(),
            message,
            rows: vec![sku],
        });
    }
}

/// Without a Returns export: the Orders export's returns of the orders created in the 7 days that end
/// [`UNRIPE_DAYS`] before the anchor, over the units of those orders — the returns known so far.
fn known_so_far(w: &Window<'_>, out: &mut Alerts) {
    let kinds = [DataKind::Orders];
    let to = days_back(w.anchor, UNRIPE_DAYS);
    let range = DayRange::new(days_back(to, 6), to);
    let c = covered(w.coverage, &kinds, range);
    let Some((from, to)) = c.span() else {
        out.unavailable.push(Unavailable::uncovered(
            RuleKind::ReturnRateSpike,
            &kinds_text(w.coverage, &kinds),
            range,
            c.uncovered,
        ));
        return;
    };
    let mut per: BTreeMap<String, Tally> = BTreeMap::new();
    for r in &c.runs {
        add(&mut per, w.cube.returns_between(r.from, r.to));
    }
    let span = Span {
        basis: ReturnBasis::ReturnsKnownSoFar,
        from,
        to,
        shipped_from: from,
        shipped_to: to,
        days: c.days,
    };
    fire(w, per, &span, out);
}

/// With a Returns export: per SKU, the units of the requests made in the 7 days to the anchor (not
/// rejected or cancelled) over the units shipped on the order days [`RETURN_LAG_DAYS`] earlier. A
/// request day counts when the Returns exports cover it and the Orders exports cover its order day.
fn by_requests(w: &Window<'_>, out: &mut Alerts) {
    let range = DayRange::new(days_back(w.anchor, 6), w.anchor);
    let returns = w.coverage.get(DataKind::Returns);
    let mut days: Vec<NaiveDate> = Vec::new();
    let mut missing: Vec<NaiveDate> = Vec::new();
    for d in range.from.iter_days().take_while(|d| *d <= range.to) {
        let base = days_back(d, RETURN_LAG_DAYS);
        if returns.is_some_and(|r| r.covers(d))
            && w.coverage.covers_loaded(&[DataKind::Orders], base)
        {
            days.push(d);
        } else {
            missing.push(d);
        }
    }
    let (Some(&from), Some(&to)) = (days.first(), days.last()) else {
        let uncovered = ExcludedRows::of_days(0, missing).days;
        out.unavailable.push(Unavailable {
            rule: RuleKind::ReturnRateSpike,
            needs: format!(
                "a Returns & refunds export covering the request days of {range} and Orders exports covering their \
                 order days {RETURN_LAG_DAYS} days before (not covered: {})",
                crate::coverage::ranges_text(&uncovered)
            ),
            uncovered,
        });
        return;
    };
    // Units shipped on the order days, a run of consecutive days at a time.
    let mut per: BTreeMap<String, Tally> = BTreeMap::new();
    let base_runs = crate::coverage::ExcludedRows::of_days(
        0,
        days.iter().map(|d| days_back(*d, RETURN_LAG_DAYS)),
    )
    .days;
    for r in &base_runs {
        let mut shipped = w.cube.returns_between(r.from, r.to);
        for s in &mut shipped {
            // The Orders export's own returns are not what is counted here.
            s.units_returned = 0;
            s.orders.clear();
        }
        add(&mut per, shipped);
    }
    // Requests of SKUs named by seller SKU alone: the SKU ID of the one SKU shipped with that seller SKU.
    let by_seller: BTreeMap<String, Option<String>> =
        if w.signals.returns.iter().any(|r| r.sku_id.is_empty()) {
            let mut m: BTreeMap<String, Option<String>> = BTreeMap::new();
            for s in w.merged(&base_runs).skus {
                if s.seller_sku.is_empty() {
                    continue;
                }
                m.entry(s.seller_sku.clone())
                    .and_modify(|v| *v = None)
                    .or_insert(Some(s.sku_id));
            }
            m
        } else {
            BTreeMap::new()
        };
    let counted: BTreeSet<NaiveDate> = days.iter().copied().collect();
    for r in w
        .signals
        .returns
        .iter()
        .filter(|r| !r.withdrawn && counted.contains(&r.requested.date()))
    {
        let sku = if r.sku_id.is_empty() {
            match by_seller.get(&r.seller_sku) {
                Some(Some(id)) => id.clone(),
                _ => continue,
            }
        } else {
            r.sku_id.clone()
        };
        let t = per.entry(sku).or_default();
        t.returned = t.returned.saturating_add(r.quantity);
        t.orders.push(r.order_id.clone());
    }
    let span = Span {
        basis: ReturnBasis::ReturnRequests,
        from,
        to,
        shipped_from: days_back(from, RETURN_LAG_DAYS),
        shipped_to: days_back(to, RETURN_LAG_DAYS),
        days: days.len() as u64,
    };
    fire(w, per, &span, out);
}
