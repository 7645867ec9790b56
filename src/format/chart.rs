//! The numbers of a chart (`crate::charts`): "nice" axis ticks in `Decimal`, their labels in one unit,
//! tooltip values, and where stacked bars, waterfall bars and heat-map cells sit. Presentation only:
//! every figure comes from the engine; this decides how an axis of them reads.

use crate::charts::{StepKind, WaterfallStep};
use margin_engine::money::{Currency, DISPLAY_ROUNDING, group_thousands};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// "Nice" ticks covering `lo..=hi`: multiples of a step of 1, 2 or 5 × 10^k such that about `target`
/// steps span the range; the first tick is at or below `lo`, the last at or above `hi`. A flat range is
/// widened to reach zero (or one, when it is zero); a range beyond `Decimal`'s reach gets its two bounds.
pub fn nice_ticks(lo: Decimal, hi: Decimal, target: u32) -> Vec<Decimal> {
    let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    let (lo, hi) = match (lo == hi, lo.is_sign_negative()) {
        (false, _) => (lo, hi),
        (true, _) if lo.is_zero() => (Decimal::ZERO, Decimal::ONE),
        (true, true) => (lo, Decimal::ZERO),
        (true, false) => (Decimal::ZERO, hi),
    };
    try_nice_ticks(lo, hi, target.max(1)).unwrap_or_else(|| vec![lo, hi])
}

pub fn try_nice_ticks(lo: Decimal, hi: Decimal, target: u32) -> Option<Vec<Decimal>> {
    let step = nice_step(add(hi, -lo)?.checked_div(Decimal::from(target))?)?;
    let first = mul(lo.checked_div(step)?.floor(), step)?;
    let last = mul(hi.checked_div(step)?.ceil(), step)?;
    let mut ticks = Vec::new();
    let mut t = first;
    // The step is at least (hi − lo) / target, so about target + 2 ticks; the bound only guards.
    for _ in 0..=(target as usize + 3) {
        ticks.push(t.normalize());
        if t >= last {
            return Some(ticks);
        }
        t = add(t, step)?;
    }
    None
}

// rust_decimal inlines its whole addition and multiplication (`#[inline(always)]`) at every call;
// the charts add and multiply through one copy of each, which keeps several KB out of the bundle.

/// `a + b`; `None` beyond `Decimal`'s range.
#[inline(never)]
pub fn add(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_add(b)
}

/// `a × b`; `None` beyond `Decimal`'s range.
#[inline(never)]
pub fn mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_mul(b)
}

/// `a + b`, held at `Decimal`'s bounds instead of overflowing (only same-signed terms can overflow,
/// towards `b`'s sign).
pub fn sat_add(a: Decimal, b: Decimal) -> Decimal {
    add(a, b).unwrap_or(if b.is_sign_negative() {
        Decimal::MIN
    } else {
        Decimal::MAX
    })
}

/// The smallest 1, 2 or 5 × 10^k at or above `raw`; `None` unless `raw` is positive and in range.
pub fn nice_step(raw: Decimal) -> Option<Decimal> {
    if raw <= Decimal::ZERO {
        return None;
    }
    // mag: the power of ten at or below raw, so that 1 ≤ raw / mag < 10.
    let mut mag = Decimal::ONE;
    for _ in 0..64 {
        if mag > raw {
            mag = mag.checked_div(Decimal::TEN).filter(|m| !m.is_zero())?;
        } else if let Some(up) = mul(mag, Decimal::TEN).filter(|m| *m <= raw) {
            mag = up;
        } else {
            break;
        }
    }
    let n = raw.checked_div(mag)?;
    let nice = [1, 2, 5]
        .into_iter()
        .find(|f| n <= Decimal::from(*f))
        .unwrap_or(10);
    mul(mag, Decimal::from(nice))
}

/// The unit of an axis's labels: from ten thousand up they are compact (`$12.5k`, `$3M`).
pub fn axis_unit(max_abs: Decimal) -> (Decimal, &'static str) {
    let units: [(u64, u64, &'static str); 4] = [
        (1_000_000_000_000, 1_000_000_000_000, "T"),
        (1_000_000_000, 1_000_000_000, "B"),
        (1_000_000, 1_000_000, "M"),
        (10_000, 1_000, "k"),
    ];
    units
        .into_iter()
        .find(|(from, _, _)| max_abs >= Decimal::from(*from))
        .map_or((Decimal::ONE, ""), |(_, unit, s)| (Decimal::from(unit), s))
}

/// `v` rounded half away from zero to `dp` places (trailing zeros dropped when `trim`), grouped in
/// thousands, after the sign and currency symbol and before `suffix` (the unit, left off zero):
/// `-$1,234.50`, `$12.5k`, `1,500`.
pub fn amount_text(
    v: Decimal,
    dp: u32,
    trim: bool,
    currency: Option<Currency>,
    suffix: &str,
) -> String {
    let mut r = v.round_dp_with_strategy(dp, DISPLAY_ROUNDING);
    if trim {
        r = r.normalize();
    } else {
        r.rescale(dp);
    }
    let sign = if r.is_sign_negative() && !r.is_zero() {
        "-"
    } else {
        ""
    };
    let symbol = currency.map(|c| c.symbol()).unwrap_or_default();
    // Zero reads as zero in any unit: "$0", not "$0k".
    let suffix = if r.is_zero() { "" } else { suffix };
    format!(
        "{sign}{symbol}{}{suffix}",
        group_thousands(&r.abs().to_string())
    )
}

/// Labels for an axis's ticks, all in one unit. Plain amounts keep the currency's minor unit when the
/// step has a fraction (`$0.50`) and none when it has not (`$1,500`); compact ones drop trailing zeros.
pub fn tick_labels(ticks: &[Decimal], currency: Option<Currency>) -> Vec<String> {
    let step = match ticks {
        [a, b, ..] => sat_add(*b, -*a).abs(),
        _ => Decimal::ONE,
    };
    let max_abs = ticks.iter().map(|t| t.abs()).max().unwrap_or_default();
    let (unit, suffix) = axis_unit(max_abs);
    let step_dp = step.checked_div(unit).unwrap_or(step).normalize().scale();
    let (dp, trim) = match (suffix, step_dp, currency) {
        ("", 0, _) => (0, false),
        ("", s, Some(c)) => (s.max(c.minor_units()), false),
        ("", s, None) => (s, false),
        (_, s, _) => (s.min(2), true),
    };
    ticks
        .iter()
        .map(|t| {
            amount_text(
                t.checked_div(unit).unwrap_or(*t),
                dp,
                trim,
                currency,
                suffix,
            )
        })
        .collect()
}

/// A value in full for a tooltip: the currency's format, or the exact number grouped in thousands.
pub fn value_text(v: Decimal, currency: Option<Currency>) -> String {
    match currency {
        Some(c) => c.format(v),
        None => amount_text(v, v.scale(), true, None, ""),
    }
}

/// A change in full with its sign: `+$25.00`, `-$150.00`.
pub fn delta_text(v: Decimal, c: Currency) -> String {
    let text = c.format(v);
    if text.starts_with('-') || c.round(v).is_zero() {
        text
    } else {
        format!("+{text}")
    }
}

/// Where each series' segment sits in one stack, as (from, to): positive values pile up from zero and
/// negative ones down from zero, in series order. `None` for a missing or zero value.
pub fn stack(values: impl IntoIterator<Item = Option<Decimal>>) -> Vec<Option<(Decimal, Decimal)>> {
    let (mut up, mut down) = (Decimal::ZERO, Decimal::ZERO);
    values
        .into_iter()
        .map(|v| {
            let v = v.filter(|v| !v.is_zero())?;
            let end = if v.is_sign_negative() {
                &mut down
            } else {
                &mut up
            };
            let from = *end;
            *end = sat_add(*end, v);
            Some((from, *end))
        })
        .collect()
}

/// Each step's bar as (from, to): a total stands on zero and becomes the running total; a change
/// starts at the running total and moves it.
pub fn waterfall_spans(steps: &[WaterfallStep]) -> Vec<(Decimal, Decimal)> {
    let mut running = Decimal::ZERO;
    steps
        .iter()
        .map(|s| match s.kind {
            StepKind::Total => {
                running = s.amount;
                (Decimal::ZERO, s.amount)
            }
            StepKind::Delta => {
                let from = running;
                running = sat_add(running, s.amount);
                (from, running)
            }
        })
        .collect()
}

/// Where `v` sits between `target` (0) and `target ± spread` (±1), clamped to −1..1.
pub fn heat_position(v: Decimal, target: Decimal, spread: Decimal) -> f64 {
    sat_add(v, -target)
        .checked_div(spread)
        .and_then(|t| t.to_f64())
        .unwrap_or(0.0)
        .clamp(-1.0, 1.0)
}

/// How far the farthest value is from `target` (the heat map colours ±that), `None` without a value.
pub fn heat_spread(values: impl Iterator<Item = Decimal>, target: Decimal) -> Option<Decimal> {
    values.map(|v| sat_add(v, -target).abs()).max()
}

/// The two ends of a heat map's legend: `target − spread` and `target + spread`, held at `Decimal`'s bounds.
pub fn heat_legend_ends(target: Decimal, spread: Decimal) -> (Decimal, Decimal) {
    (sat_add(target, -spread), sat_add(target, spread))
}
