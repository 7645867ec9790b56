//! What the report says about coverage (docs/metrics.md §9): whether a previous period can be compared,
//! and the warnings about days the exports do not cover.

use super::FigureSet;
use crate::coverage::{Coverage, DataKind, DayRange, ranges_text};
use crate::metrics::{Analysis, Figures};
use crate::money::Currency;
use crate::registry;
use chrono::NaiveDate;

/// The period of equal length before `from..=to`.
pub(super) fn previous_of(from: NaiveDate, to: NaiveDate) -> Option<DayRange> {
    let len = (to - from).num_days() + 1;
    let prev_to = from.pred_opt()?;
    let prev_from = from.checked_sub_signed(chrono::TimeDelta::days(len))?;
    Some(DayRange::new(prev_from, prev_to))
}

/// The days of the previous period and of the period (`prev.from..=to`) that the Orders exports do not
/// cover: a comparison exists only when there are none. With no Orders export loaded, every day.
pub(super) fn comparison_gaps(coverage: &Coverage, prev: DayRange, to: NaiveDate) -> Vec<DayRange> {
    let both = DayRange::new(prev.from, to);
    coverage
        .get(DataKind::Orders)
        .map_or_else(|| vec![both], |o| o.uncovered(both))
}

/// The warning when no comparison is made because of `gaps`.
pub(super) fn no_comparison_warning(prev: DayRange, gaps: &[DayRange]) -> String {
    format!(
        "no comparison with the previous period ({prev}): the Orders exports do not cover {} (load the Orders export of those days to compare)",
        ranges_text(gaps)
    )
}

/// The warnings about the creator rows left out and the days the figures joining the Orders and the
/// Affiliate exports use.
pub(super) fn warnings(analysis: &Analysis, coverage: &Coverage, out: &mut Vec<String>) {
    let ex = &analysis.creators_excluded;
    if ex.rows > 0 {
        out.push(format!(
            "{} affiliate rows are dated on days no Orders export covers and are left out of the creator figures: {}",
            ex.rows,
            ranges_text(&ex.days)
        ));
    }
    if analysis.cross_totals.is_some()
        && let (Some((from, to)), Some(orders), Some(affiliate)) = (
            analysis.period,
            coverage.get(DataKind::Orders),
            coverage.get(DataKind::Affiliate),
        )
    {
        let period = DayRange::new(from, to);
        // Order days of the period the Affiliate exports leave out.
        let missing: Vec<DayRange> = affiliate
            .uncovered(period)
            .into_iter()
            .flat_map(|gap| orders.within(gap).ranges)
            .collect();
        out.push(format!(
            "the Affiliate exports do not cover {}: the affiliate share and the channel split count only the days both the Orders and the Affiliate exports cover",
            ranges_text(&missing)
        ));
    }
}

impl FigureSet {
    /// This set with its `affiliate_share` taken from `base` (the totals over the days both the
    /// Orders and the Affiliate exports cover, docs/metrics.md §9).
    pub(super) fn with_affiliate_share_of(
        mut self,
        base: &Figures,
        currency: Currency,
    ) -> FigureSet {
        let other = FigureSet::new(base, currency);
        if let Some(i) = registry::position(registry::FIGURES, "affiliate_share")
            && let (Some(slot), Some(v)) = (self.values.get_mut(i), other.values.get(i))
        {
            *slot = v.clone();
        }
        self.affiliate_share = other.affiliate_share;
        self
    }
}
