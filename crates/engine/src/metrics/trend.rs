//! The trend charts' buckets: a period of up to [`DAILY_TREND_DAYS`] days is drawn per day, a longer
//! one per week, so "All loaded days" shows the whole period legibly (docs/metrics.md §5, Trends).

use super::{Analysis, Figures};
use chrono::{Datelike, Days, NaiveDate};

/// The longest period drawn per day; longer periods are drawn per week.
pub const DAILY_TREND_DAYS: u64 = 90;

/// How a period's trends are bucketed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrendStep {
    /// One point per calendar day.
    Day,
    /// One point per week, Monday to Sunday (the first and last weeks clipped to the period).
    Week,
}

impl TrendStep {
    /// The step of the period `from`–`to` (inclusive).
    pub fn of(from: NaiveDate, to: NaiveDate) -> TrendStep {
        let days = to.signed_duration_since(from).num_days() + 1;
        if days > DAILY_TREND_DAYS as i64 {
            TrendStep::Week
        } else {
            TrendStep::Day
        }
    }

    /// The first day of `d`'s bucket in a period starting `from`: the day itself, or its week's
    /// Monday (the period's first day for the first, clipped week).
    pub fn start(self, d: NaiveDate, from: NaiveDate) -> NaiveDate {
        match self {
            TrendStep::Day => d,
            TrendStep::Week => d
                .checked_sub_days(Days::new(u64::from(d.weekday().num_days_from_monday())))
                .map_or(from, |m| m.max(from)),
        }
    }

    /// The buckets of the period `from`–`to`: each one's first and last day, in order.
    pub fn buckets(self, from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
        let mut out = Vec::new();
        let mut start = from;
        while start <= to {
            let end = match self {
                TrendStep::Day => start,
                TrendStep::Week => start
                    .checked_add_days(Days::new(
                        6 - u64::from(start.weekday().num_days_from_monday()),
                    ))
                    .map_or(to, |e| e.min(to)),
            };
            out.push((start, end));
            match end.succ_opt() {
                Some(next) => start = next,
                None => break,
            }
        }
        out
    }
}

/// `days` (sorted by date) summed per bucket of `step` in a period starting `from`, each keyed by
/// its bucket's first day; sorted.
pub fn bucket_days(
    days: &[(NaiveDate, Figures)],
    step: TrendStep,
    from: NaiveDate,
) -> Vec<(NaiveDate, Figures)> {
    let mut out: Vec<(NaiveDate, Figures)> = Vec::new();
    for (d, f) in days {
        let key = step.start(*d, from);
        match out.last_mut() {
            Some((k, acc)) if *k == key => acc.merge(f),
            _ => out.push((key, f.clone())),
        }
    }
    out
}

impl Analysis {
    /// The step the trends of this analysis's period are drawn in (per day when there is no period).
    pub fn trend_step(&self) -> TrendStep {
        self.period
            .map_or(TrendStep::Day, |(from, to)| TrendStep::of(from, to))
    }

    /// `days` and `channel_days` summed per bucket of [`Analysis::trend_step`] (per week beyond
    /// [`DAILY_TREND_DAYS`] days; unchanged per day), so a long period's trends stay small to send
    /// and legible to draw.
    pub fn bucket_trends(&mut self) {
        let Some((from, _)) = self.period else { return };
        let step = self.trend_step();
        if step == TrendStep::Day {
            return;
        }
        self.days = bucket_days(&self.days, step, from);
        let mut channels: Vec<((String, NaiveDate), Figures)> = Vec::new();
        for ((channel, d), f) in std::mem::take(&mut self.channel_days) {
            let key = (channel, step.start(d, from));
            match channels.last_mut() {
                Some((k, acc)) if *k == key => acc.merge(&f),
                _ => channels.push((key, f)),
            }
        }
        self.channel_days = channels;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn ninety_days_are_daily_ninety_one_weekly() {
        // 1 Jan – 31 Mar 2026 is 31 + 28 + 31 = 90 days.
        assert_eq!(TrendStep::of(d(2026, 1, 1), d(2026, 3, 31)), TrendStep::Day);
        assert_eq!(TrendStep::of(d(2026, 1, 1), d(2026, 4, 1)), TrendStep::Week);
    }

    #[test]
    fn weeks_run_monday_to_sunday_clipped_to_the_period() {
        // 1 Jan 2026 is a Thursday; 4 Jan a Sunday, 5 Jan a Monday; 14 Jan a Wednesday.
        let w = TrendStep::Week.buckets(d(2026, 1, 1), d(2026, 1, 14));
        assert_eq!(
            w,
            [
                (d(2026, 1, 1), d(2026, 1, 4)),
                (d(2026, 1, 5), d(2026, 1, 11)),
                (d(2026, 1, 12), d(2026, 1, 14))
            ]
        );
        assert_eq!(
            TrendStep::Week.start(d(2026, 1, 3), d(2026, 1, 1)),
            d(2026, 1, 1)
        );
        assert_eq!(
            TrendStep::Week.start(d(2026, 1, 11), d(2026, 1, 1)),
            d(2026, 1, 5)
        );
        assert_eq!(
            TrendStep::Day.buckets(d(2026, 1, 1), d(2026, 1, 3)).len(),
            3
        );
    }

    #[test]
    fn a_week_sums_its_days() {
        let f = |orders: u64, gmv: i64| Figures {
            orders,
            gmv: gmv.into(),
            ..Figures::default()
        };
        let days = [
            (d(2026, 1, 2), f(1, 10)),
            (d(2026, 1, 4), f(2, 20)),
            (d(2026, 1, 5), f(4, 40)),
            (d(2026, 1, 11), f(8, 80)),
            (d(2026, 1, 12), f(16, 160)),
        ];
        let w = bucket_days(&days, TrendStep::Week, d(2026, 1, 1));
        let got: Vec<_> = w.iter().map(|(k, f)| (*k, f.orders, f.gmv)).collect();
        assert_eq!(
            got,
            [
                (d(2026, 1, 1), 3, 30.into()),
                (d(2026, 1, 5), 12, 120.into()),
                (d(2026, 1, 12), 16, 160.into())
            ]
        );
    }
}
