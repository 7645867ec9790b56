//! The rules' and the morning review's windows (docs/metrics.md §12): the anchor day, the days of a
//! window the loaded exports cover, and figures summed over those days only.

use super::{Context, Signals};
use crate::coverage::{Coverage, DataKind, DayRange, ExcludedRows, KindCoverage};
use crate::metrics::{Analysis, CreatorFigures, Cube, SkuFigures};
use crate::money::Currency;
use crate::settings::Settings;
use chrono::{Days, NaiveDate};
use std::collections::BTreeMap;

/// `d` less `n` days (the first representable day when that is before it).
pub(crate) fn days_back(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_sub_days(Days::new(n)).unwrap_or(NaiveDate::MIN)
}

/// The settings the windows are analysed under: the manual per-SKU ad spend is an amount for no stated
/// days (it is added to whatever period is shown), so no window carries it (docs/metrics.md §12).
pub(crate) fn window_settings(settings: &Settings) -> Settings {
    Settings {
        ad_spend_per_sku: Vec::new(),
        ..settings.clone()
    }
}

/// The days of a window that every loaded kind among some kinds covers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Covered {
    /// The covered days, as runs of consecutive days.
    pub(crate) runs: Vec<DayRange>,
    /// The days left out.
    pub(crate) uncovered: Vec<DayRange>,
    /// How many days are covered.
    pub(crate) days: u64,
}

impl Covered {
    /// The first and the last covered day.
    pub(crate) fn span(&self) -> Option<(NaiveDate, NaiveDate)> {
        Some((self.runs.first()?.from, self.runs.last()?.to))
    }
}

/// The days of `range` that every loaded kind of `kinds` covers (kinds not loaded are no constraint).
pub(crate) fn covered(coverage: &Coverage, kinds: &[DataKind], range: DayRange) -> Covered {
    let mut runs: Vec<DayRange> = Vec::new();
    let mut missing: Vec<NaiveDate> = Vec::new();
    let mut days = 0u64;
    for d in range.from.iter_days().take_while(|d| *d <= range.to) {
        if coverage.covers_loaded(kinds, d) {
            days += 1;
            match runs.last_mut() {
                Some(r) if r.to.succ_opt() == Some(d) => r.to = d,
                _ => runs.push(DayRange::day(d)),
            }
        } else {
            missing.push(d);
        }
    }
    Covered {
        runs,
        uncovered: ExcludedRows::of_days(0, missing).days,
        days,
    }
}

/// Figures summed over several runs of days, each analysed on its own (so that no spend of a day left
/// out is spread over the days counted).
#[derive(Debug, Clone, Default)]
pub(crate) struct Merged {
    /// Per SKU, by SKU ID.
    pub(crate) skus: Vec<SkuFigures>,
    /// Per creator, by name.
    pub(crate) creators: Vec<CreatorFigures>,
}

/// What a rule or the review reads, with the anchor day.
pub(crate) struct Window<'a> {
    pub(crate) cube: &'a Cube,
    /// The window settings ([`window_settings`]).
    pub(crate) settings: &'a Settings,
    pub(crate) signals: &'a Signals,
    pub(crate) coverage: &'a Coverage,
    pub(crate) currency: Currency,
    /// The last day the Orders exports cover; with no Orders coverage known, the last order date loaded.
    pub(crate) anchor: NaiveDate,
}

impl<'a> Window<'a> {
    /// The window of `ctx` under `settings` (the window settings); `None` when no order date is known.
    pub(crate) fn new(ctx: &Context<'a>, settings: &'a Settings) -> Option<Window<'a>> {
        let anchor = match ctx
            .coverage
            .get(DataKind::Orders)
            .and_then(KindCoverage::span)
        {
            Some(span) => span.to,
            None => ctx.cube.analyse(settings, None).period.map(|(_, to)| to)?,
        };
        Some(Window {
            cube: ctx.cube,
            settings,
            signals: ctx.signals,
            coverage: ctx.coverage,
            currency: ctx.currency,
            anchor,
        })
    }

    /// The figures of the order dates of `range`.
    pub(crate) fn analyse(&self, range: DayRange) -> Analysis {
        self.cube
            .analyse_covered(self.settings, Some((range.from, range.to)), self.coverage)
    }

    /// The figures of `runs`, each analysed alone and summed per SKU and per creator.
    pub(crate) fn merged(&self, runs: &[DayRange]) -> Merged {
        let mut skus: BTreeMap<String, SkuFigures> = BTreeMap::new();
        let mut creators: BTreeMap<String, CreatorFigures> = BTreeMap::new();
        for r in runs {
            let a = self.analyse(*r);
            for s in a.skus {
                match skus.get_mut(&s.sku_id) {
                    Some(x) => x.figures.merge(&s.figures),
                    None => {
                        skus.insert(s.sku_id.clone(), s);
                    }
                }
            }
            for c in a.creators {
                match creators.get_mut(&c.creator) {
                    Some(x) => {
                        x.figures.merge(&c.figures);
                        x.unmatched_rows += c.unmatched_rows;
                        for t in c.content_types {
                            if !x.content_types.contains(&t) {
                                x.content_types.push(t);
                            }
                        }
                    }
                    None => {
                        creators.insert(c.creator.clone(), c);
                    }
                }
            }
        }
        Merged {
            skus: skus.into_values().collect(),
            creators: creators.into_values().collect(),
        }
    }
}
