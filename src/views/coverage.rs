//! Coverage on the page (docs/metrics.md §9): a strip per loaded kind of data over the period, each gap
//! an element of its own (`data-coverage-gap`, titled with its dates); the days the trend charts draw,
//! with the gaps they hatch; and the Creators view's note on the affiliate rows left out. The engine
//! computes every range (`PeriodCoverage`); the page compares dates and counts days only.

use crate::charts::Gap;
use crate::protocol::{Computed, PeriodCoverage};
use chrono::NaiveDate;
use leptos::prelude::*;
use margin_engine::coverage::{DataKind, DayRange, KindCoverage, ranges_text};
use margin_engine::metrics::TrendStep;

/// "4 May", "4 May – 10 May".
fn short(r: DayRange) -> String {
    let f = |d: NaiveDate| d.format("%-d %b").to_string();
    if r.from == r.to {
        f(r.from)
    } else {
        format!("{} – {}", f(r.from), f(r.to))
    }
}

/// The segments of a strip in date order: covered or not, their days (both lists come sorted from
/// the engine: they are merged, not sorted again).
fn segments(k: &KindCoverage) -> Vec<(bool, DayRange)> {
    let (mut on, mut off) = (k.ranges.iter().peekable(), k.gaps.iter().peekable());
    let mut all = Vec::with_capacity(k.ranges.len() + k.gaps.len());
    loop {
        let next = match (on.peek(), off.peek()) {
            (Some(a), Some(b)) if a.from <= b.from => on.next().map(|r| (true, *r)),
            (_, Some(_)) => off.next().map(|g| (false, *g)),
            (Some(_), None) => on.next().map(|r| (true, *r)),
            (None, None) => None,
        };
        match next {
            Some(seg) => all.push(seg),
            None => return all,
        }
    }
}

/// The strip of one kind over the period.
fn strip(kind: DataKind, k: &KindCoverage, period: DayRange) -> AnyView {
    let label = kind.label();
    let covered: i64 = k.ranges.iter().map(|r| r.days()).sum();
    let total = period.days();
    let note = if k.gaps.is_empty() {
        format!("every day ({total})")
    } else {
        format!(
            "{covered} of {total} days; not covered: {}",
            ranges_text(&k.gaps)
        )
    };
    let parts = segments(k)
        .into_iter()
        .map(|(on, r)| {
            // The segment's share of the strip: its days (CSS flex-grow, set through the DOM).
            let grow = r.days().to_string();
            if on {
                view! {
                    <span class="cov-seg cov-on" title=format!("{label} exports cover {r}") style:flex-grow=grow></span>
                }
                .into_any()
            } else {
                view! {
                    <span
                        class="cov-seg cov-gap"
                        data-coverage-gap=format!("{}/{}", r.from, r.to)
                        data-kind=kind.key()
                        title=format!("No {label} export covers {r}")
                        style:flex-grow=grow
                    ></span>
                }
                .into_any()
            }
        })
        .collect_view();
    view! {
        <div class="cov-row" data-coverage=kind.key()>
            <span class="cov-kind">{label}</span>
            <span class="cov-strip" role="img" aria-label=format!("{label}: {note}")>{parts}</span>
            <span class="cov-note muted small">{note.clone()}</span>
        </div>
    }
    .into_any()
}

/// The Overview's coverage section: a strip per loaded kind over the period.
pub fn coverage_strips(c: &Computed) -> Option<AnyView> {
    let cov = c.report.coverage.as_ref()?;
    let period = cov.period;
    let rows = cov
        .kinds
        .iter()
        .map(|(kind, k)| strip(*kind, k, period))
        .collect_view();
    let any_gap = cov.kinds.iter().any(|(_, k)| !k.gaps.is_empty());
    // Why the tiles show no change, in the engine's words (docs/metrics.md §9).
    let no_comparison = c
        .report
        .warnings
        .iter()
        .find(|w| w.starts_with("no comparison with the previous period"))
        .map(|w| {
            let mut t = w.clone();
            t.replace_range(..1, "N");
            view! { <p class="muted small" data-testid="no-comparison">{t}"."</p> }
        });
    Some(view! {
        <section class="coverage" aria-labelledby="coverage-h" data-testid="coverage">
            <h2 id="coverage-h" class="small-head">{format!("Data loaded for {}", short(period))}</h2>
            {rows}
            {no_comparison}
            {any_gap.then(|| view! {
                <p class="muted small">
                    "Hatched days are not in any loaded export of that kind: figures leave them out (they are not zeros), and a change against the previous period is shown only when the Orders exports cover both periods."
                </p>
            })}
        </section>
    }
    .into_any())
}

/// The trend charts' buckets over the whole period: every calendar day, or every week beyond
/// the engine's `DAILY_TREND_DAYS` (covered or not), each as its first and last day.
pub fn chart_buckets(c: &Computed) -> (TrendStep, Vec<DayRange>) {
    let step = c.analysis.trend_step();
    let Some((from, to)) = c.analysis.period else {
        return (step, Vec::new());
    };
    let buckets = step
        .buckets(from, to)
        .into_iter()
        .map(|(a, b)| DayRange::new(a, b))
        .collect();
    (step, buckets)
}

/// Whether `cov` covers every day of each bucket (all of them without a coverage: nothing is known
/// to be missing). A week with a day no export covers is a gap: its sum would read as a drop.
pub fn covered_buckets(buckets: &[DayRange], cov: Option<&KindCoverage>) -> Vec<bool> {
    buckets
        .iter()
        .map(|b| {
            cov.is_none_or(|k| {
                b.from
                    .iter_days()
                    .take_while(|d| *d <= b.to)
                    .all(|d| k.ranges.iter().any(|r| r.contains(d)))
            })
        })
        .collect()
}

/// The runs of uncovered buckets as chart gaps, labelled with `what` is missing and their days.
pub fn gaps(buckets: &[DayRange], covered: &[bool], what: &str) -> Vec<Gap> {
    let mut out: Vec<Gap> = Vec::new();
    for (i, on) in covered.iter().enumerate() {
        if *on {
            continue;
        }
        match out.last_mut() {
            Some(g) if g.to + 1 == i => g.to = i,
            _ => out.push(Gap {
                from: i,
                to: i,
                label: String::new(),
            }),
        }
    }
    for g in &mut out {
        if let (Some(a), Some(b)) = (buckets.get(g.from), buckets.get(g.to)) {
            g.label = format!("{what} {}", DayRange::new(a.from, b.to));
        }
    }
    out
}

/// The coverage the order charts follow (the Orders exports) and the one the channel split follows
/// (the days both the Orders and the Affiliate exports cover, when both are loaded).
pub fn chart_coverage(c: &Computed) -> (Option<&KindCoverage>, Option<&KindCoverage>) {
    let cov: Option<&PeriodCoverage> = c.report.coverage.as_ref();
    let orders = cov.and_then(|p| {
        p.kinds
            .iter()
            .find(|(k, _)| *k == DataKind::Orders)
            .map(|(_, c)| c)
    });
    let joined = cov.and_then(|p| p.joined.as_ref()).or(orders);
    (orders, joined)
}

/// The Creators view's note: how many affiliate rows of the period were left out, and their days.
pub fn excluded_note(c: &Computed) -> Option<AnyView> {
    let ex = &c.report.creators_excluded;
    (ex.rows > 0).then(|| {
        let days = ex
            .days
            .iter()
            .map(|r| short(*r))
            .collect::<Vec<_>>()
            .join(", ");
        view! {
            <p class="notice" data-testid="creators-excluded" data-rows=ex.rows.to_string()>
                {format!(
                    "{} affiliate rows are left out: they are dated on days no Orders export covers ({days}). Creator figures count only days with orders loaded, so they never exceed the shop's. Load the Orders export of those days to include them.",
                    ex.rows
                )}
            </p>
        }
        .into_any()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, day).unwrap_or_default()
    }

    #[test]
    fn uncovered_days_become_labelled_gaps() {
        let days: Vec<DayRange> = (1..=6).map(|i| DayRange::new(d(i), d(i))).collect();
        let k = KindCoverage::from_spans([DayRange::new(d(1), d(2)), DayRange::new(d(6), d(6))]);
        let on = covered_buckets(&days, Some(&k));
        assert_eq!(on, [true, true, false, false, false, true]);
        let g = gaps(&days, &on, "No Orders export covers");
        assert_eq!(g.len(), 1);
        assert_eq!((g[0].from, g[0].to), (2, 4));
        assert_eq!(
            g[0].label,
            "No Orders export covers 2026-05-03 – 2026-05-05"
        );
        assert!(covered_buckets(&days, None).iter().all(|x| *x));
        // A week with one uncovered day is a gap; its label spans the whole week.
        let weeks = [DayRange::new(d(1), d(3)), DayRange::new(d(4), d(10))];
        let first_eight = KindCoverage::from_spans([DayRange::new(d(1), d(8))]);
        let on = covered_buckets(&weeks, Some(&first_eight));
        assert_eq!(on, [true, false]);
        assert_eq!(
            gaps(&weeks, &on, "No Orders export covers")[0].label,
            "No Orders export covers 2026-05-04 – 2026-05-10"
        );
        let w = k.within(DayRange::new(d(1), d(6)));
        let seg: Vec<bool> = segments(&w).into_iter().map(|(on, _)| on).collect();
        assert_eq!(seg, [true, false, true]);
    }
}
