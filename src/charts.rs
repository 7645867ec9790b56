//! Charts drawn by the page itself as SVG (issue #5 item 6): line, stacked bar, waterfall, heat map.
//!
//! Each chart is laid out by plain functions into a [`Layout`] (paths, text labels, and data marks
//! with their tooltip text), and one renderer turns any layout into SVG markup, escaped, set as the
//! `<svg>`'s content; Leptos owns the figure, the legend and one HTML tooltip for the hovered or
//! focused mark. The arithmetic and the markup are tested natively, and every chart shares one frame,
//! one tooltip and one empty state. Values stay `Decimal`:
//! axis ticks are decimal 1/2/5 × 10^k steps and every label is formatted from a `Decimal`; f64 appears
//! only where a value becomes a pixel coordinate or a heat-map colour (STYLE.md §5).
//!
//! The components take plain values, not signals: a view that recomputes its figures wraps the chart
//! in a closure (`move || view! { <LineChart … /> }`).

use leptos::prelude::*;
use margin_engine::money::{Currency, DISPLAY_ROUNDING, group_thousands};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::sync::atomic::{AtomicUsize, Ordering};

/// One line, or one layer of stacked bars: a value per x label; `None` leaves a gap.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Shown in the legend and the tooltips.
    pub name: String,
    /// One value per x label; values past the last label are ignored.
    pub values: Vec<Option<Decimal>>,
    /// The colour class from charts.css: `s0` … `s5`.
    pub class: &'static str,
}

/// What a waterfall step is: a figure standing on zero, or a change from the running total.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    /// A subtotal (GMV, net sales, cash): drawn from zero; the running total becomes its amount.
    Total,
    /// A change (fees, refunds): drawn from the running total, which it moves.
    Delta,
}

/// One bar of a waterfall.
#[derive(Clone, Debug, PartialEq)]
pub struct WaterfallStep {
    /// The x-axis label.
    pub label: String,
    /// The total, or the change (negative for a cost).
    pub amount: Decimal,
    /// Total or change.
    pub kind: StepKind,
}

/// One cell of a heat map.
#[derive(Clone, Debug, PartialEq)]
pub struct HeatCell {
    /// `None` draws an empty cell.
    pub value: Option<Decimal>,
    /// What the cell is ("Price $19.99 · commission 15%"); the tooltip adds the formatted value.
    pub tooltip: String,
}

/// The viewBox width: every chart scales to its container from this.
const WIDTH: f64 = 640.0;
/// Height of the plotting area of the charts with a value axis.
const PLOT_HEIGHT: f64 = 220.0;
const TOP: f64 = 12.0;
const RIGHT: f64 = 12.0;
/// A heat-map row.
const CELL_HEIGHT: f64 = 28.0;
/// Average glyph width of the 11px system font (charts.css), to fit labels without measuring text.
const CHAR_W: f64 = 6.4;
const LINE_H: f64 = 13.0;
/// Steps an axis aims for.
const TARGET_TICKS: u32 = 5;
/// What an empty chart says.
const NO_DATA: &str = "No data for this period";

// ---------------------------------------------------------------------------------------------
// Layout: what a chart draws, as data.

/// A drawn shape that is not a data point: grid, zero line, a series' line, connectors, legend swatches.
#[derive(Clone, Debug, PartialEq)]
struct Path {
    class: String,
    d: String,
    /// A computed colour (heat map); an SVG presentation attribute, as the page's CSP forbids inline styles.
    fill: Option<String>,
}

/// A text label in chart coordinates.
#[derive(Clone, Debug, PartialEq)]
struct Label {
    x: f64,
    y: f64,
    anchor: &'static str,
    class: &'static str,
    text: String,
}

/// A data point (bar, dot, cell): focusable, with a tooltip and test hooks.
#[derive(Clone, Debug, PartialEq)]
struct Mark {
    class: String,
    d: String,
    fill: Option<String>,
    /// `data-label`: the x label, step or cell.
    label: String,
    /// `data-series`, for charts with several series.
    series: Option<String>,
    /// `data-value`: the exact decimal.
    value: String,
    /// Tooltip lines: what the point is, then its formatted value.
    head: String,
    body: String,
    /// Where the tooltip points to.
    at: (f64, f64),
}

/// A whole chart, ready to render.
#[derive(Clone, Debug, Default, PartialEq)]
struct Layout {
    height: f64,
    paths: Vec<Path>,
    labels: Vec<Label>,
    marks: Vec<Mark>,
}

impl Layout {
    fn path(&mut self, class: &str, d: String) {
        if !d.is_empty() {
            self.paths.push(Path {
                class: class.to_string(),
                d,
                fill: None,
            });
        }
    }

    fn label(&mut self, x: f64, y: f64, anchor: &'static str, class: &'static str, text: String) {
        self.labels.push(Label {
            x,
            y,
            anchor,
            class,
            text,
        });
    }
}

// ---------------------------------------------------------------------------------------------
// Axes.

/// "Nice" ticks covering `lo..=hi`: multiples of a step of 1, 2 or 5 × 10^k such that about `target`
/// steps span the range; the first tick is at or below `lo`, the last at or above `hi`. A flat range is
/// widened to reach zero (or one, when it is zero); a range beyond `Decimal`'s reach gets its two bounds.
fn nice_ticks(lo: Decimal, hi: Decimal, target: u32) -> Vec<Decimal> {
    let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    let (lo, hi) = match (lo == hi, lo.is_sign_negative()) {
        (false, _) => (lo, hi),
        (true, _) if lo.is_zero() => (Decimal::ZERO, Decimal::ONE),
        (true, true) => (lo, Decimal::ZERO),
        (true, false) => (Decimal::ZERO, hi),
    };
    try_nice_ticks(lo, hi, target.max(1)).unwrap_or_else(|| vec![lo, hi])
}

fn try_nice_ticks(lo: Decimal, hi: Decimal, target: u32) -> Option<Vec<Decimal>> {
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
fn add(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_add(b)
}

/// `a × b`; `None` beyond `Decimal`'s range.
#[inline(never)]
fn mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_mul(b)
}

/// `a + b`, held at `Decimal`'s bounds instead of overflowing (only same-signed terms can overflow,
/// towards `b`'s sign).
fn sat_add(a: Decimal, b: Decimal) -> Decimal {
    add(a, b).unwrap_or(if b.is_sign_negative() {
        Decimal::MIN
    } else {
        Decimal::MAX
    })
}

/// The smallest 1, 2 or 5 × 10^k at or above `raw`; `None` unless `raw` is positive and in range.
fn nice_step(raw: Decimal) -> Option<Decimal> {
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
fn axis_unit(max_abs: Decimal) -> (Decimal, &'static str) {
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
fn amount_text(
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
fn tick_labels(ticks: &[Decimal], currency: Option<Currency>) -> Vec<String> {
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
fn value_text(v: Decimal, currency: Option<Currency>) -> String {
    match currency {
        Some(c) => c.format(v),
        None => amount_text(v, v.scale(), true, None, ""),
    }
}

/// A change in full with its sign: `+$25.00`, `-$150.00`.
fn delta_text(v: Decimal, c: Currency) -> String {
    let text = c.format(v);
    if text.starts_with('-') || c.round(v).is_zero() {
        text
    } else {
        format!("+{text}")
    }
}

/// Maps values to y coordinates between the first (bottom) and last (top) tick.
#[derive(Clone, Copy, Debug, PartialEq)]
struct YScale {
    lo: f64,
    hi: f64,
    top: f64,
    bottom: f64,
}

impl YScale {
    fn new(ticks: &[Decimal], top: f64, bottom: f64) -> YScale {
        let f = |v: Option<&Decimal>| v.and_then(Decimal::to_f64).unwrap_or(0.0);
        YScale {
            lo: f(ticks.first()),
            hi: f(ticks.last()),
            top,
            bottom,
        }
    }

    /// The y coordinate of `v`, kept inside the plot.
    fn y(&self, v: Decimal) -> f64 {
        let span = self.hi - self.lo;
        if span.is_nan() || span <= 0.0 {
            return self.bottom;
        }
        let v = v.to_f64().unwrap_or(0.0);
        let y = self.bottom - (v - self.lo) / span * (self.bottom - self.top);
        y.max(self.top).min(self.bottom)
    }
}

/// Every how many x positions a label is written, so that labels `needed` px wide fit bands `band` px wide.
fn label_every(band: f64, needed: f64) -> usize {
    if band > 0.0 {
        ((needed / band).ceil() as usize).max(1)
    } else {
        1
    }
}

/// Wraps a label at spaces into at most `max_lines` lines of `max_chars`, ending with `…` when cut.
fn wrap_label(text: &str, max_chars: usize, max_lines: usize) -> Vec<String> {
    if max_chars == 0 || max_lines == 0 {
        return Vec::new();
    }
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        let room = lines.len() < max_lines;
        match lines.last_mut() {
            // A word joins the line when it fits, or when there is no line left (cut below).
            Some(line) if !room || line.chars().count() + 1 + word.chars().count() <= max_chars => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    for line in &mut lines {
        if line.chars().count() > max_chars {
            *line = line.chars().take(max_chars - 1).collect::<String>() + "…";
        }
    }
    lines
}

fn rect_d(x: f64, y: f64, w: f64, h: f64) -> String {
    format!("M{x:.1} {y:.1}h{w:.1}v{h:.1}h{:.1}z", -w)
}

fn dot_d(x: f64, y: f64, r: f64) -> String {
    format!(
        "M{:.1} {y:.1}a{r} {r} 0 1 0 {:.1} 0a{r} {r} 0 1 0 {:.1} 0z",
        x - r,
        2.0 * r,
        -2.0 * r
    )
}

/// The frame of a chart with a value axis: where its plot is and how values map into it.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Frame {
    left: f64,
    band: f64,
    scale: YScale,
}

impl Frame {
    /// Centre of the band of x position `i`.
    fn x(&self, i: usize) -> f64 {
        self.left + self.band * (i as f64 + 0.5)
    }
}

/// Draws the value axis (ticks from `lo`..`hi`, zero always included), the grid and the x labels into
/// `layout`, and sets its height. One frame serves the line, stacked bar and waterfall charts.
fn frame(
    layout: &mut Layout,
    lo: Decimal,
    hi: Decimal,
    currency: Option<Currency>,
    x_labels: &[String],
) -> Frame {
    let ticks = nice_ticks(lo.min(Decimal::ZERO), hi.max(Decimal::ZERO), TARGET_TICKS);
    let texts = tick_labels(&ticks, currency);
    let widest = texts.iter().map(|t| t.chars().count()).max().unwrap_or(0);
    let left = (widest as f64 * CHAR_W + 10.0).clamp(36.0, 160.0);
    let bottom = TOP + PLOT_HEIGHT;
    let scale = YScale::new(&ticks, TOP, bottom);
    let band = (WIDTH - RIGHT - left) / x_labels.len().max(1) as f64;
    let f = Frame { left, band, scale };

    let mut grid = String::new();
    for (t, text) in ticks.iter().zip(texts) {
        let y = scale.y(*t);
        if t.is_zero() {
            layout.path("zero", format!("M{left:.1} {y:.1}H{:.1}", WIDTH - RIGHT));
        } else {
            grid += &format!("M{left:.1} {y:.1}H{:.1}", WIDTH - RIGHT);
        }
        layout.label(left - 6.0, y + 4.0, "end", "tick", text);
    }
    layout.path("grid", grid);

    // Labels wrap at spaces onto up to three lines; when their longest word (up to 12 characters)
    // does not fit a band, every k-th label is written (the tooltips name every point).
    let longest_word = x_labels
        .iter()
        .flat_map(|s| s.split_whitespace())
        .map(|w| w.chars().count())
        .max()
        .unwrap_or(0);
    let every = label_every(band, longest_word.min(12) as f64 * CHAR_W + 6.0);
    let max_chars = ((band * every as f64 - 6.0) / CHAR_W).floor().max(0.0) as usize;
    let mut lines_used = 1;
    for (i, text) in x_labels.iter().enumerate().step_by(every) {
        let lines = wrap_label(text, max_chars, 3);
        lines_used = lines_used.max(lines.len());
        for (n, line) in lines.into_iter().enumerate() {
            let y = bottom + 16.0 + n as f64 * LINE_H;
            layout.label(f.x(i), y, "middle", "xlabel", line);
        }
    }
    layout.height = bottom + 12.0 + lines_used as f64 * LINE_H;
    f
}

/// Where a mark's tooltip goes: its anchor as percentages of the chart's box, and its alignment classes
/// (charts.css): centred above the point, pinned to the point's start or end side near the chart's
/// edges, and below the point near the top. The browser sizes the tooltip to its text.
fn tip_place(at: (f64, f64), height: f64) -> (f64, f64, String) {
    let side = if at.0 < WIDTH * 0.2 {
        "start"
    } else if at.0 > WIDTH * 0.8 {
        "end"
    } else {
        "mid"
    };
    let below = if at.1 < 48.0 { " below" } else { "" };
    let top = if height > 0.0 {
        at.1 / height * 100.0
    } else {
        0.0
    };
    (at.0 / WIDTH * 100.0, top, format!("{side}{below}"))
}

// ---------------------------------------------------------------------------------------------
// The four charts' layouts.

/// The values of every series that have an x label.
fn shown_values<'a>(
    x_labels: &'a [String],
    series: &'a [Series],
) -> impl Iterator<Item = Decimal> + 'a {
    series
        .iter()
        .flat_map(move |s| s.values.iter().take(x_labels.len()).flatten().copied())
}

/// A point or bar of series `s` at x label `label`.
fn series_mark(
    s: &Series,
    label: &str,
    v: Decimal,
    currency: Option<Currency>,
    class: &str,
    d: String,
    at: (f64, f64),
) -> Mark {
    Mark {
        class: format!("{class} {}", s.class),
        d,
        fill: None,
        label: label.to_string(),
        series: Some(s.name.clone()),
        value: v.to_string(),
        head: label.to_string(),
        body: format!("{}: {}", s.name, value_text(v, currency)),
        at,
    }
}

/// Lines through each series' values; a `None` breaks the line. `None` when there is no value at all.
fn line_layout(
    x_labels: &[String],
    series: &[Series],
    currency: Option<Currency>,
) -> Option<Layout> {
    let lo = shown_values(x_labels, series).min()?;
    let hi = shown_values(x_labels, series).max()?;
    let mut l = Layout::default();
    let f = frame(&mut l, lo, hi, currency, x_labels);
    for s in series {
        let mut d = String::new();
        let mut pen_down = false;
        for (i, (label, v)) in x_labels.iter().zip(&s.values).enumerate() {
            let Some(v) = *v else {
                pen_down = false;
                continue;
            };
            let (x, y) = (f.x(i), f.scale.y(v));
            d += &format!("{}{x:.1} {y:.1}", if pen_down { "L" } else { "M" });
            pen_down = true;
            l.marks.push(series_mark(
                s,
                label,
                v,
                currency,
                "dot",
                dot_d(x, y, 3.5),
                (x, y),
            ));
        }
        l.path(&format!("line {}", s.class), d);
    }
    Some(l)
}

/// Where each series' segment sits in one stack, as (from, to): positive values pile up from zero and
/// negative ones down from zero, in series order. `None` for a missing or zero value.
fn stack(values: impl IntoIterator<Item = Option<Decimal>>) -> Vec<Option<(Decimal, Decimal)>> {
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

/// Bars stacked per x label. `None` when there is no value at all.
fn stacked_layout(
    x_labels: &[String],
    series: &[Series],
    currency: Option<Currency>,
) -> Option<Layout> {
    shown_values(x_labels, series).next()?;
    let stacks: Vec<_> = (0..x_labels.len())
        .map(|i| stack(series.iter().map(|s| s.values.get(i).copied().flatten())))
        .collect();
    let ends = stacks.iter().flatten().flatten().map(|(_, to)| *to);
    let (lo, hi) = ends.fold((Decimal::ZERO, Decimal::ZERO), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let mut l = Layout::default();
    let f = frame(&mut l, lo, hi, currency, x_labels);
    let w = (f.band * 0.64).min(48.0);
    for (i, (label, segments)) in x_labels.iter().zip(&stacks).enumerate() {
        for (s, seg) in series.iter().zip(segments) {
            let (Some((from, to)), Some(Some(v))) = (seg, s.values.get(i)) else {
                continue;
            };
            let (y0, y1) = (f.scale.y(*from), f.scale.y(*to));
            let (x, y) = (f.x(i), y0.min(y1));
            let d = rect_d(x - w / 2.0, y, w, (y0 - y1).abs());
            l.marks
                .push(series_mark(s, label, *v, currency, "bar", d, (x, y)));
        }
    }
    Some(l)
}

/// Each step's bar as (from, to): a total stands on zero and becomes the running total; a change
/// starts at the running total and moves it.
fn waterfall_spans(steps: &[WaterfallStep]) -> Vec<(Decimal, Decimal)> {
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

/// Totals and changes as floating bars joined by connectors. `None` when there are no steps.
fn waterfall_layout(steps: &[WaterfallStep], currency: Currency) -> Option<Layout> {
    if steps.is_empty() {
        return None;
    }
    let spans = waterfall_spans(steps);
    let ends = spans.iter().flat_map(|(a, b)| [*a, *b]);
    let (lo, hi) = ends.fold((Decimal::ZERO, Decimal::ZERO), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let labels: Vec<String> = steps.iter().map(|s| s.label.clone()).collect();
    let mut l = Layout::default();
    let f = frame(&mut l, lo, hi, Some(currency), &labels);
    let w = (f.band * 0.64).min(56.0);
    let mut connectors = String::new();
    for (i, (step, (from, to))) in steps.iter().zip(&spans).enumerate() {
        let (y0, y1) = (f.scale.y(*from), f.scale.y(*to));
        let (x, y) = (f.x(i), y0.min(y1));
        // A zero change still shows as a hairline, so that it can be pointed at.
        let h = (y0 - y1).abs().max(1.0);
        let (class, body) = match step.kind {
            StepKind::Total => ("bar total", currency.format(step.amount)),
            StepKind::Delta => (
                if step.amount.is_sign_negative() {
                    "bar down"
                } else {
                    "bar up"
                },
                format!(
                    "{} → {}",
                    delta_text(step.amount, currency),
                    currency.format(*to)
                ),
            ),
        };
        if i + 1 < steps.len() {
            connectors += &format!("M{:.1} {y1:.1}H{:.1}", x + w / 2.0, f.x(i + 1) - w / 2.0);
        }
        l.marks.push(Mark {
            class: class.to_string(),
            d: rect_d(x - w / 2.0, y, w, h),
            fill: None,
            label: step.label.clone(),
            series: None,
            value: step.amount.to_string(),
            head: step.label.clone(),
            body,
            at: (x, y),
        });
    }
    l.path("connector", connectors);
    Some(l)
}

/// Where `v` sits between `target` (0) and `target ± spread` (±1), clamped to −1..1.
fn heat_position(v: Decimal, target: Decimal, spread: Decimal) -> f64 {
    sat_add(v, -target)
        .checked_div(spread)
        .and_then(|t| t.to_f64())
        .unwrap_or(0.0)
        .clamp(-1.0, 1.0)
}

/// The colour at heat position `t`: red below the target, a pale neutral at it, green above, blended
/// linearly per channel (the reds and greens of style.css's `.down`/`.up`).
fn heat_colour(t: f64) -> String {
    const NEUTRAL: [f64; 3] = [243.0, 244.0, 246.0]; // #f3f4f6
    const BELOW: [f64; 3] = [180.0, 35.0, 24.0]; // #b42318
    const ABOVE: [f64; 3] = [11.0, 110.0, 79.0]; // #0b6e4f
    let t = if t.is_nan() { 0.0 } else { t.clamp(-1.0, 1.0) };
    let end = if t < 0.0 { BELOW } else { ABOVE };
    let mix = |i: usize| (NEUTRAL[i] + (end[i] - NEUTRAL[i]) * t.abs()).round() as u8;
    format!("#{:02x}{:02x}{:02x}", mix(0), mix(1), mix(2))
}

/// Inputs of a heat map's layout.
struct HeatInput<'a> {
    row_label: &'a str,
    col_label: &'a str,
    rows: &'a [String],
    cols: &'a [String],
    cells: &'a [Vec<HeatCell>],
    target: Decimal,
    format: fn(Decimal) -> String,
}

/// A grid of cells coloured around the target, with its legend below. `None` when no cell has a value.
fn heat_layout(h: &HeatInput) -> Option<Layout> {
    let cell = |r: usize, c: usize| h.cells.get(r).and_then(|row| row.get(c));
    let values = || {
        (0..h.rows.len())
            .flat_map(move |r| (0..h.cols.len()).map(move |c| (r, c)))
            .filter_map(move |(r, c)| cell(r, c).and_then(|x| x.value))
    };
    let spread = values().map(|v| sat_add(v, -h.target).abs()).max()?;
    let longest = h.rows.iter().map(|s| s.chars().count()).max().unwrap_or(0);
    let left = (longest as f64 * CHAR_W + 12.0).clamp(40.0, 200.0);
    let top = 40.0;
    let cw = (WIDTH - RIGHT - left) / h.cols.len().max(1) as f64;
    let mut l = Layout::default();
    l.label(
        left + (WIDTH - RIGHT - left) / 2.0,
        14.0,
        "middle",
        "axis-title",
        h.col_label.to_string(),
    );
    l.label(
        4.0,
        top - 8.0,
        "start",
        "axis-title",
        h.row_label.to_string(),
    );
    let col_chars = ((cw - 4.0) / CHAR_W).floor().max(0.0) as usize;
    for (c, name) in h.cols.iter().enumerate() {
        let x = left + cw * (c as f64 + 0.5);
        if let Some(text) = wrap_label(name, col_chars, 1).pop() {
            l.label(x, top - 8.0, "middle", "xlabel", text);
        }
    }
    let row_chars = ((left - 10.0) / CHAR_W).floor() as usize;
    let mut empty = String::new();
    for (r, row) in h.rows.iter().enumerate() {
        let y = top + CELL_HEIGHT * r as f64;
        if let Some(text) = wrap_label(row, row_chars, 1).pop() {
            l.label(left - 6.0, y + CELL_HEIGHT / 2.0 + 4.0, "end", "tick", text);
        }
        for (c, col) in h.cols.iter().enumerate() {
            let x = left + cw * c as f64;
            let Some((v, tooltip)) = cell(r, c).and_then(|x| Some((x.value?, &x.tooltip))) else {
                empty += &rect_d(x + 1.0, y + 1.0, cw - 2.0, CELL_HEIGHT - 2.0);
                continue;
            };
            let t = heat_position(v, h.target, spread);
            let text = (h.format)(v);
            if text.chars().count() as f64 * CHAR_W + 4.0 <= cw {
                let class = if t.abs() > 0.55 {
                    "cell-text on-dark"
                } else {
                    "cell-text"
                };
                l.label(
                    x + cw / 2.0,
                    y + CELL_HEIGHT / 2.0 + 4.0,
                    "middle",
                    class,
                    text.clone(),
                );
            }
            l.marks.push(Mark {
                class: "cell".to_string(),
                d: rect_d(x + 1.0, y + 1.0, cw - 2.0, CELL_HEIGHT - 2.0),
                fill: Some(heat_colour(t)),
                label: format!("{row} × {col}"),
                series: None,
                value: v.to_string(),
                head: if tooltip.is_empty() {
                    format!("{} {row}, {} {col}", h.row_label, h.col_label)
                } else {
                    tooltip.clone()
                },
                body: text,
                at: (x + cw / 2.0, y),
            });
        }
    }
    l.path("cell none", empty);

    // Legend: five swatches from target − spread to target + spread.
    let ly = top + CELL_HEIGHT * h.rows.len() as f64 + 14.0;
    for (i, t) in [-1.0, -0.5, 0.0, 0.5, 1.0].into_iter().enumerate() {
        l.paths.push(Path {
            class: "swatch".to_string(),
            d: rect_d(left + 42.0 * i as f64, ly, 40.0, 12.0),
            fill: Some(heat_colour(t)),
        });
    }
    let below = sat_add(h.target, -spread);
    let above = sat_add(h.target, spread);
    l.label(left, ly + 26.0, "start", "tick", (h.format)(below));
    l.label(
        left + 104.0,
        ly + 26.0,
        "middle",
        "tick",
        format!("target {}", (h.format)(h.target)),
    );
    l.label(left + 208.0, ly + 26.0, "end", "tick", (h.format)(above));
    l.height = ly + 34.0;
    Some(l)
}

// ---------------------------------------------------------------------------------------------
// Rendering: one renderer for every layout.

/// Escapes text for SVG markup, in element text and attribute values alike: labels come from the
/// user's files (product names, creator handles) and must never become markup.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The inside of a chart's `<svg>`: its title and description (`{id}-title`, `{id}-desc`), the shapes,
/// the focusable marks with their `<title>` and test hooks, then the labels (after the marks, so that a
/// heat-map cell's value is written on the cell). The chart's drawing is text set as the svg's inner
/// HTML, every piece escaped: a typed Leptos view per kind of element cost about twice as much of the
/// bundle budget (issue 7) for a drawing that never changes once made.
fn svg_markup(l: &Layout, title: &str, desc: &str, id: &str) -> String {
    use std::fmt::Write;
    let fill = |f: &Option<String>| {
        f.as_deref()
            .map(|f| format!(r#" fill="{}""#, esc(f)))
            .unwrap_or_default()
    };
    let mut m = String::new();
    // Writing into a String cannot fail.
    let _ = write!(
        m,
        r#"<title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        esc(title),
        esc(desc)
    );
    for p in &l.paths {
        let _ = write!(
            m,
            r#"<path class="{}" d="{}"{}/>"#,
            esc(&p.class),
            p.d,
            fill(&p.fill)
        );
    }
    for (i, k) in l.marks.iter().enumerate() {
        let series = k
            .series
            .as_deref()
            .map(|s| format!(r#" data-series="{}""#, esc(s)))
            .unwrap_or_default();
        let _ = write!(
            m,
            r#"<g class="mark" tabindex="0" data-i="{i}" data-label="{}" data-value="{}"{series}><title>{}: {}</title><path class="{}" d="{}"{}/></g>"#,
            esc(&k.label),
            esc(&k.value),
            esc(&k.head),
            esc(&k.body),
            esc(&k.class),
            k.d,
            fill(&k.fill)
        );
    }
    for t in &l.labels {
        let _ = write!(
            m,
            r#"<text class="{}" x="{:.1}" y="{:.1}" text-anchor="{}">{}</text>"#,
            t.class,
            t.x,
            t.y,
            t.anchor,
            esc(&t.text)
        );
    }
    m
}

/// The mark (its `data-i`) an event happened in, if any.
fn mark_index(ev: &web_sys::Event) -> Option<usize> {
    use wasm_bindgen::JsCast;
    ev.target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest(".mark")
        .ok()??
        .get_attribute("data-i")?
        .parse()
        .ok()
}

/// Makes the ids that tie each chart's `<svg>` to its `<title>` and `<desc>` unique on the page.
static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

/// A legend entry: name and colour class.
type LegendEntry = (String, String);

/// The `<figure>` of a chart: caption, the drawing, one tooltip for the hovered or focused mark, and the
/// legend; or the caption and a note when there is nothing to draw.
fn chart(
    kind: &'static str,
    title: String,
    desc: String,
    testid: Option<&'static str>,
    legend: Vec<LegendEntry>,
    layout: Option<Layout>,
) -> AnyView {
    let Some(layout) = layout else {
        return view! {
            <figure class="chart" data-chart=kind data-testid=testid data-empty="true">
                <figcaption>{title}</figcaption>
                <p class="chart-empty">{NO_DATA}</p>
            </figure>
        }
        .into_any();
    };
    let id = format!("chart-{}", NEXT_ID.fetch_add(1, Ordering::Relaxed));
    let markup = svg_markup(&layout, &title, &desc, &id);
    let height = layout.height;
    let hover = RwSignal::new(None::<usize>);
    let tips: Vec<_> = layout
        .marks
        .into_iter()
        .map(|m| (m.at, m.head, m.body))
        .collect();
    let tip = move || {
        let (at, head, body) = hover.get().and_then(|i| tips.get(i))?;
        let (left, top, align) = tip_place(*at, height);
        Some(view! {
            <div
                class=format!("chart-tip {align}")
                style:left=format!("{left:.2}%")
                style:top=format!("{top:.2}%")
                aria-hidden="true"
            >
                <span class="tip-head">{head.clone()}</span>
                <span>{body.clone()}</span>
            </div>
        })
    };
    let legend = (!legend.is_empty()).then(|| {
        view! {
            <ul class="chart-legend">
                {legend
                    .into_iter()
                    .map(|(name, class)| view! { <li><span class=format!("swatch {class}")></span>{name}</li> })
                    .collect_view()}
            </ul>
        }
    });
    view! {
        <figure class="chart" data-chart=kind data-testid=testid>
            <figcaption>{title}</figcaption>
            <div class="chart-plot">
                <svg
                    role="img"
                    viewBox=format!("0 0 {WIDTH} {height:.0}")
                    width="100%"
                    aria-labelledby=format!("{id}-title")
                    aria-describedby=format!("{id}-desc")
                    on:mouseover=move |ev| hover.set(mark_index(&ev))
                    on:mouseleave=move |_| hover.set(None)
                    on:focusin=move |ev| hover.set(mark_index(&ev))
                    on:focusout=move |_| hover.set(None)
                    inner_html=markup
                ></svg>
                {tip}
            </div>
            {legend}
        </figure>
    }
    .into_any()
}

/// The legend of a multi-series chart (one series needs none: the title names it).
fn series_legend(series: &[Series]) -> Vec<LegendEntry> {
    if series.len() < 2 {
        return Vec::new();
    }
    series
        .iter()
        .map(|s| (s.name.clone(), s.class.to_string()))
        .collect()
}

/// Lines over x labels (days, weeks), e.g. GMV and net sales over 30 days.
#[component]
pub fn LineChart(
    /// Shown above the chart and read as the chart's name.
    #[prop(into)]
    title: String,
    /// What the chart shows, for screen readers.
    #[prop(into)]
    desc: String,
    x_labels: Vec<String>,
    series: Vec<Series>,
    /// Formats the axis and tooltips as money; plain numbers without it.
    #[prop(optional)]
    currency: Option<Currency>,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    let layout = line_layout(&x_labels, &series, currency);
    chart("line", title, desc, testid, series_legend(&series), layout)
}

/// Bars per x label with one segment per series: positive values stack up from zero, negative ones down.
#[component]
pub fn StackedBarChart(
    /// Shown above the chart and read as the chart's name.
    #[prop(into)]
    title: String,
    /// What the chart shows, for screen readers.
    #[prop(into)]
    desc: String,
    x_labels: Vec<String>,
    series: Vec<Series>,
    /// Formats the axis and tooltips as money; plain numbers without it.
    #[prop(optional)]
    currency: Option<Currency>,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    let layout = stacked_layout(&x_labels, &series, currency);
    chart(
        "stacked-bar",
        title,
        desc,
        testid,
        series_legend(&series),
        layout,
    )
}

/// A bridge from one total to another (GMV → cash): totals stand on zero, changes float between them.
#[component]
pub fn WaterfallChart(
    /// Shown above the chart and read as the chart's name.
    #[prop(into)]
    title: String,
    /// What the chart shows, for screen readers.
    #[prop(into)]
    desc: String,
    steps: Vec<WaterfallStep>,
    currency: Currency,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    let legend = [("Total", "total"), ("Increase", "up"), ("Decrease", "down")]
        .map(|(n, c)| (n.to_string(), c.to_string()))
        .to_vec();
    let layout = waterfall_layout(&steps, currency);
    chart("waterfall", title, desc, testid, legend, layout)
}

/// A grid of values coloured around a target: red below, neutral at, green above (e.g. CM2 % by price ×
/// commission rate).
#[component]
pub fn HeatMap(
    /// Shown above the chart and read as the chart's name.
    #[prop(into)]
    title: String,
    /// What the chart shows, for screen readers.
    #[prop(into)]
    desc: String,
    /// What the rows are ("Price").
    #[prop(into)]
    row_label: String,
    /// What the columns are ("Commission").
    #[prop(into)]
    col_label: String,
    rows: Vec<String>,
    cols: Vec<String>,
    /// `cells[row][col]`; missing cells are drawn empty.
    cells: Vec<Vec<HeatCell>>,
    /// The neutral value.
    target: Decimal,
    /// Formats cell values, the tooltips and the legend.
    format: fn(Decimal) -> String,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    let layout = heat_layout(&HeatInput {
        row_label: &row_label,
        col_label: &col_label,
        rows: &rows,
        cols: &cols,
        cells: &cells,
        target,
        format,
    });
    chart("heatmap", title, desc, testid, Vec::new(), layout)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn ds(list: &[&str]) -> Vec<Decimal> {
        list.iter().map(|s| d(s)).collect()
    }

    fn labels(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn series(name: &str, class: &'static str, values: &[Option<&str>]) -> Series {
        Series {
            name: name.to_string(),
            values: values.iter().map(|v| v.map(d)).collect(),
            class,
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn ticks_are_nice_decimal_steps_covering_the_range() {
        let cases: &[(&str, &str, &[&str])] = &[
            // 95 / 5 = 19 = 1.9 × 10 → step 2 × 10; 0 / 20 = 0; ceil(95 / 20 = 4.75) = 5 → 100.
            ("0", "95", &["0", "20", "40", "60", "80", "100"]),
            // 150 / 5 = 30 → 5 × 10; floor(-30 / 50 = -0.6) = -1 → -50; ceil(120 / 50 = 2.4) = 3 → 150.
            ("-30", "120", &["-50", "0", "50", "100", "150"]),
            // 0.07 / 5 = 0.014 = 1.4 × 0.01 → 0.02; ceil(0.07 / 0.02 = 3.5) = 4 → 0.08.
            ("0", "0.07", &["0", "0.02", "0.04", "0.06", "0.08"]),
            // 10^12 / 5 = 2 × 10^11, already nice.
            (
                "0",
                "1000000000000",
                &[
                    "0",
                    "200000000000",
                    "400000000000",
                    "600000000000",
                    "800000000000",
                    "1000000000000",
                ],
            ),
            // 50 / 5 = 10 = 1 × 10 → step 10.
            ("0", "50", &["0", "10", "20", "30", "40", "50"]),
            // 1234.56 / 5 = 246.912 = 2.46912 × 100 → 5 × 100; ceil(1234.56 / 500 = 2.47) = 3 → 1500.
            ("0", "1234.56", &["0", "500", "1000", "1500"]),
            // Flat at zero widens to 0..1: 1 / 5 = 0.2.
            ("0", "0", &["0", "0.2", "0.4", "0.6", "0.8", "1"]),
            // Flat at 5 widens to 0..5: 5 / 5 = 1.
            ("5", "5", &["0", "1", "2", "3", "4", "5"]),
            // Flat at -7 widens to -7..0: 7 / 5 = 1.4 → 2; floor(-7 / 2 = -3.5) = -4 → -8.
            ("-7", "-7", &["-8", "-6", "-4", "-2", "0"]),
            // Bounds given the wrong way round: as 0..100, 100 / 5 = 20.
            ("100", "0", &["0", "20", "40", "60", "80", "100"]),
        ];
        for (lo, hi, want) in cases {
            assert_eq!(nice_ticks(d(lo), d(hi), 5), ds(want), "{lo}..{hi}");
        }
    }

    #[test]
    fn ticks_beyond_decimal_range_fall_back_to_the_bounds() {
        // MAX − MIN overflows: no step can be computed, the axis keeps the two bounds.
        assert_eq!(
            nice_ticks(Decimal::MIN, Decimal::MAX, 5),
            vec![Decimal::MIN, Decimal::MAX]
        );
        assert_eq!(nice_step(Decimal::ZERO), None);
        assert_eq!(nice_step(d("-3")), None);
        // 3 = 3 × 10^0 → 5.
        assert_eq!(nice_step(d("3")), Some(d("5")));
        // 0.0007 = 7 × 10^-4 → 10 × 10^-4 = 0.001.
        assert_eq!(nice_step(d("0.0007")), Some(d("0.001")));
    }

    #[test]
    fn sums_hold_at_decimal_bounds() {
        assert_eq!(sat_add(d("1.5"), d("-4")), d("-2.5"));
        assert_eq!(sat_add(Decimal::MAX, d("1")), Decimal::MAX);
        assert_eq!(sat_add(Decimal::MIN, d("-1")), Decimal::MIN);
        // MAX − MIN overflows upwards: the subtrahend's negation is positive.
        assert_eq!(sat_add(Decimal::MAX, -Decimal::MIN), Decimal::MAX);
        assert_eq!(add(Decimal::MAX, Decimal::ONE), None);
        assert_eq!(mul(Decimal::MAX, Decimal::TEN), None);
    }

    #[test]
    fn axis_labels_share_one_unit_and_keep_needed_decimals() {
        let usd = Some(Currency::USD);
        let gbp = Some(Currency::GBP);
        let cases: &[(&[&str], Option<Currency>, &[&str])] = &[
            (&["0", "20", "100"], usd, &["$0", "$20", "$100"]),
            (&["-50", "0", "150"], None, &["-50", "0", "150"]),
            // Below ten thousand: grouped in full.
            (
                &["-2000", "-1000", "0", "1000", "2000"],
                usd,
                &["-$2,000", "-$1,000", "$0", "$1,000", "$2,000"],
            ),
            // A fractional step keeps the cents.
            (
                &["0", "0.5", "1", "1.5"],
                usd,
                &["$0.00", "$0.50", "$1.00", "$1.50"],
            ),
            // A fractional step without currency keeps its own decimals: 0.02 has two.
            (&["0", "0.02", "0.04"], None, &["0.00", "0.02", "0.04"]),
            // 15,000 ≥ 10,000: thousands, step 5,000 / 1,000 = 5.
            (
                &["0", "5000", "10000", "15000"],
                usd,
                &["$0", "$5k", "$10k", "$15k"],
            ),
            // 1.5M: millions, step 0.5.
            (
                &["0", "500000", "1000000", "1500000"],
                gbp,
                &["£0", "£0.5M", "£1M", "£1.5M"],
            ),
            // 10^12: trillions, step 0.2.
            (
                &["0", "200000000000", "1000000000000"],
                usd,
                &["$0", "$0.2T", "$1T"],
            ),
            (&["-25000", "0", "25000"], usd, &["-$25k", "$0", "$25k"]),
        ];
        for (ticks, c, want) in cases {
            assert_eq!(tick_labels(&ds(ticks), *c), labels(want), "{ticks:?}");
        }
    }

    #[test]
    fn tooltip_values_are_exact_decimals() {
        assert_eq!(value_text(d("1234.5"), None), "1,234.5");
        assert_eq!(value_text(d("12.30"), None), "12.3");
        assert_eq!(value_text(d("-0.5"), Some(Currency::USD)), "-$0.50");
        assert_eq!(
            value_text(d("1234567.891"), Some(Currency::GBP)),
            "£1,234,567.89"
        );
        assert_eq!(delta_text(d("25"), Currency::USD), "+$25.00");
        assert_eq!(delta_text(d("-150"), Currency::USD), "-$150.00");
        assert_eq!(delta_text(d("0.001"), Currency::USD), "$0.00");
        // No panic at Decimal's edge.
        assert!(!value_text(Decimal::MAX, Some(Currency::USD)).is_empty());
        assert!(!value_text(Decimal::MIN, None).is_empty());
    }

    #[test]
    fn scale_maps_ticks_onto_the_plot() {
        // Ticks -50..150 onto y 210 (bottom) .. 10 (top): 200 px for 200 units, 1 px per unit.
        let s = YScale::new(&ds(&["-50", "0", "150"]), 10.0, 210.0);
        assert!(close(s.y(d("-50")), 210.0));
        assert!(close(s.y(d("0")), 160.0)); // 210 − 50
        assert!(close(s.y(d("100")), 60.0)); // 210 − 150
        assert!(close(s.y(d("150")), 10.0));
        assert!(close(s.y(d("1000")), 10.0)); // kept inside the plot
        assert!(close(s.y(d("-1000")), 210.0));
        // A flat or empty scale puts everything on the baseline.
        assert!(close(YScale::new(&[], 10.0, 210.0).y(d("5")), 210.0));
    }

    #[test]
    fn x_labels_are_thinned_and_wrapped() {
        // 68 px labels in 18.7 px bands: 68 / 18.7 = 3.64 → every 4th.
        assert_eq!(label_every(18.7, 68.0), 4);
        assert_eq!(label_every(80.0, 68.0), 1);
        assert_eq!(label_every(0.0, 68.0), 1);
        let cases: &[(&str, usize, usize, &[&str])] = &[
            ("Platform fees", 10, 2, &["Platform", "fees"]),
            ("Affiliate commission", 10, 2, &["Affiliate", "commission"]),
            ("2024-05-03", 20, 2, &["2024-05-03"]),
            // Out of lines: "commission paid" is cut to 9 characters and an ellipsis.
            (
                "Shop Ads commission paid",
                10,
                2,
                &["Shop Ads", "commissio…"],
            ),
            ("Reimbursements", 10, 1, &["Reimburse…"]),
            ("GMV", 0, 2, &[]),
            ("", 10, 2, &[]),
        ];
        for (text, chars, lines, want) in cases {
            assert_eq!(wrap_label(text, *chars, *lines), labels(want), "{text:?}");
        }
    }

    #[test]
    fn stacks_pile_positives_up_and_negatives_down() {
        let got = stack(
            [
                Some("10"),
                Some("-4"),
                None,
                Some("5"),
                Some("-6"),
                Some("0"),
            ]
            .map(|v| v.map(d)),
        );
        let span = |a: &str, b: &str| Some((d(a), d(b)));
        // Up: 0 → 10 → 15 (10 + 5); down: 0 → −4 → −10 (−4 − 6); None and 0 draw nothing.
        assert_eq!(
            got,
            vec![
                span("0", "10"),
                span("0", "-4"),
                None,
                span("10", "15"),
                span("-4", "-10"),
                None
            ]
        );
    }

    #[test]
    fn waterfall_runs_from_total_to_total() {
        let step = |label: &str, amount: &str, kind| WaterfallStep {
            label: label.to_string(),
            amount: d(amount),
            kind,
        };
        let steps = [
            step("GMV", "1000", StepKind::Total),
            step("Cancelled", "-150", StepKind::Delta),
            step("Fees", "-80.50", StepKind::Delta),
            step("Reimbursed", "25", StepKind::Delta),
            step("Net", "794.50", StepKind::Total),
        ];
        let span = |a: &str, b: &str| (d(a), d(b));
        // 1000 − 150 = 850; 850 − 80.50 = 769.50; 769.50 + 25 = 794.50.
        assert_eq!(
            waterfall_spans(&steps),
            vec![
                span("0", "1000"),
                span("1000", "850"),
                span("850", "769.50"),
                span("769.50", "794.50"),
                span("0", "794.50"),
            ]
        );
        let l = waterfall_layout(&steps, Currency::USD).unwrap();
        let classes: Vec<_> = l.marks.iter().map(|m| m.class.as_str()).collect();
        assert_eq!(
            classes,
            ["bar total", "bar down", "bar down", "bar up", "bar total"]
        );
        assert_eq!(l.marks[2].value, "-80.50");
        assert_eq!(l.marks[2].body, "-$80.50 → $769.50");
        assert_eq!(l.marks[3].body, "+$25.00 → $794.50");
        assert_eq!(l.marks[4].body, "$794.50");
        // Four connectors between five bars.
        let connectors = l.paths.iter().find(|p| p.class == "connector").unwrap();
        assert_eq!(connectors.d.matches('M').count(), 4);
    }

    #[test]
    fn every_waterfall_step_keeps_its_label() {
        let steps: Vec<_> = [
            "GMV",
            "Cancelled",
            "Refunds",
            "Net sales",
            "Platform fees",
            "Affiliate commission",
            "Shop Ads commission paid back",
            "Cash",
        ]
        .iter()
        .map(|label| WaterfallStep {
            label: label.to_string(),
            amount: d("-100"),
            kind: StepKind::Delta,
        })
        .collect();
        let l = waterfall_layout(&steps, Currency::USD).unwrap();
        let x: Vec<_> = l
            .labels
            .iter()
            .filter(|t| t.class == "xlabel")
            .map(|t| t.text.as_str())
            .collect();
        // Ticks -800..0 by 200: widest label "-$800" is 5 × 6.4 + 10 = 42 px; 8 bands of (640 − 12 − 42) / 8
        // = 73.25 px hold floor((73.25 − 6) / 6.4) = 10 characters a line, and "commission" is 10.
        assert_eq!(
            x,
            [
                "GMV",
                "Cancelled",
                "Refunds",
                "Net sales",
                "Platform",
                "fees",
                "Affiliate",
                "commission",
                "Shop Ads",
                "commission",
                "paid back",
                "Cash"
            ]
        );
    }

    #[test]
    fn heat_colours_diverge_around_the_target() {
        // Endpoints are the palette itself.
        assert_eq!(heat_colour(-1.0), "#b42318");
        assert_eq!(heat_colour(0.0), "#f3f4f6");
        assert_eq!(heat_colour(1.0), "#0b6e4f");
        // Halfway to green: (243 + 11) / 2 = 127 = 7f, (244 + 110) / 2 = 177 = b1, (246 + 79) / 2 = 162.5 → 163 = a3.
        assert_eq!(heat_colour(0.5), "#7fb1a3");
        // Halfway to red: 211.5 → 212 = d4, 139.5 → 140 = 8c, 135 = 87.
        assert_eq!(heat_colour(-0.5), "#d48c87");
        assert_eq!(heat_colour(7.0), "#0b6e4f");
        assert_eq!(heat_colour(f64::NAN), "#f3f4f6");
        // (15 − 10) / 10 = 0.5; (0 − 10) / 10 = −1; (30 − 10) / 10 = 2, clamped to 1.
        assert!(close(heat_position(d("15"), d("10"), d("10")), 0.5));
        assert!(close(heat_position(d("0"), d("10"), d("10")), -1.0));
        assert!(close(heat_position(d("30"), d("10"), d("10")), 1.0));
        assert!(close(heat_position(d("30"), d("10"), d("0")), 0.0));
    }

    #[test]
    fn tooltips_stay_inside_the_chart() {
        // 100 of 640 across is 15.625%, in the left fifth (128): pinned to the start side;
        // 120 of 260 down is 46.15%, with room above.
        let (left, top, align) = tip_place((100.0, 120.0), 260.0);
        assert!(
            close(left, 15.625) && close(top, 120.0 / 2.6),
            "{left} {top}"
        );
        assert_eq!(align, "start");
        // Near the top (20 < 48): below the point; mid-chart.
        assert_eq!(tip_place((320.0, 20.0), 260.0).2, "mid below");
        // In the right fifth (> 512): pinned to the end side.
        assert_eq!(tip_place((600.0, 100.0), 260.0).2, "end");
        assert!(close(tip_place((600.0, 100.0), 0.0).1, 0.0));
    }

    #[test]
    fn markup_names_the_chart_and_escapes_the_users_text() {
        let x = labels(&["<script>alert(1)</script>", "Tom & \"Jerry's\""]);
        let s = [series("A&B", "s0", &[Some("12.30"), Some("-4")])];
        let l = line_layout(&x, &s, Some(Currency::GBP)).unwrap();
        let m = svg_markup(&l, "GMV <daily>", "What \"it\" shows", "chart-7");
        assert!(m.starts_with(
            r#"<title id="chart-7-title">GMV &lt;daily&gt;</title><desc id="chart-7-desc">What &quot;it&quot; shows</desc>"#
        ));
        assert!(!m.contains("<script"));
        assert!(m.contains(
            r#"<g class="mark" tabindex="0" data-i="0" data-label="&lt;script&gt;alert(1)&lt;/script&gt;" data-value="12.30" data-series="A&amp;B"><title>&lt;script&gt;alert(1)&lt;/script&gt;: A&amp;B: £12.30</title><path class="dot s0" d="#
        ));
        assert!(m.contains(r#"data-label="Tom &amp; &quot;Jerry&#39;s&quot;" data-value="-4""#));
        // One mark per value, each with its title; every element closed.
        assert_eq!(m.matches(r#"class="mark""#).count(), 2);
        assert_eq!(m.matches("<title>").count(), 2);
        assert_eq!(m.matches('<').count(), m.matches('>').count());
    }

    #[test]
    fn line_chart_breaks_at_gaps_and_marks_every_value() {
        let x = labels(&["d1", "d2", "d3", "d4"]);
        let s = [
            series("A", "s0", &[Some("1"), None, Some("3"), Some("4.50")]),
            series("B", "s1", &[Some("2"), Some("2")]),
        ];
        let l = line_layout(&x, &s, None).unwrap();
        let values: Vec<_> = l.marks.iter().map(|m| m.value.as_str()).collect();
        assert_eq!(values, ["1", "3", "4.50", "2", "2"]);
        assert_eq!(l.marks[2].body, "A: 4.5");
        assert_eq!(l.marks[3].label, "d1");
        assert_eq!(l.marks[3].series.as_deref(), Some("B"));
        let line_a = l.paths.iter().find(|p| p.class == "line s0").unwrap();
        assert_eq!(line_a.d.matches('M').count(), 2, "{}", line_a.d);
        // Ticks 0..5 (4.5 / 5 = 0.9 → step 1; ceil(4.5) = 5) over y 232..12: 44 px a unit, so 2 → 232 − 88.
        // Tick labels are one character: left margin at its minimum 36; band (640 − 12 − 36) / 4 = 148,
        // so d1's centre is 36 + 74.
        let (bx, by) = l.marks[3].at;
        assert!(close(bx, 110.0) && close(by, 144.0), "{bx} {by}");
    }

    #[test]
    fn stacked_bars_sit_on_zero_both_ways() {
        let x = labels(&["a", "b"]);
        let s = [
            series("Profit", "s0", &[Some("10"), Some("5")]),
            series("Loss", "s1", &[Some("-4"), None]),
        ];
        let l = stacked_layout(&x, &s, Some(Currency::USD)).unwrap();
        assert_eq!(l.marks.len(), 3);
        // Ticks -5..10 (14 / 5 = 2.8 → step 5) over y 232..12: 220 / 15 px a unit.
        // Profit at a: top at 10 → y 12. Loss at a: its top edge is zero → 232 − 5 × 220 / 15 = 158.67.
        assert!(close(l.marks[0].at.1, 12.0));
        assert!(close(l.marks[1].at.1, 232.0 - 5.0 * 220.0 / 15.0));
        assert_eq!(l.marks[1].body, "Loss: -$4.00");
        let ticks: Vec<_> = l
            .labels
            .iter()
            .filter(|t| t.class == "tick")
            .map(|t| t.text.as_str())
            .collect();
        assert_eq!(ticks, ["-$5", "$0", "$5", "$10"]);
    }

    #[test]
    fn heat_map_colours_cells_and_leaves_gaps() {
        let cell = |v: Option<&str>| HeatCell {
            value: v.map(d),
            tooltip: String::new(),
        };
        fn pct(v: Decimal) -> String {
            format!("{v}%")
        }
        let rows = labels(&["$10", "$12"]);
        let cols = labels(&["10%", "20%"]);
        let cells = vec![
            vec![cell(Some("5")), cell(Some("10"))],
            vec![cell(Some("15")), cell(None)],
        ];
        let l = heat_layout(&HeatInput {
            row_label: "Price",
            col_label: "Commission",
            rows: &rows,
            cols: &cols,
            cells: &cells,
            target: d("10"),
            format: pct,
        })
        .unwrap();
        // Spread: the farthest value from 10 is 5 away, so 5 → −1 (red), 10 → 0, 15 → +1 (green).
        let fills: Vec<_> = l.marks.iter().map(|m| m.fill.as_deref().unwrap()).collect();
        assert_eq!(fills, ["#b42318", "#f3f4f6", "#0b6e4f"]);
        assert_eq!(l.marks[0].label, "$10 × 10%");
        assert_eq!(l.marks[0].head, "Price $10, Commission 10%");
        assert_eq!(l.marks[2].body, "15%");
        assert!(l.paths.iter().any(|p| p.class == "cell none"));
        let texts: Vec<_> = l.labels.iter().map(|t| t.text.as_str()).collect();
        assert!(texts.contains(&"5%") && texts.contains(&"target 10%") && texts.contains(&"15%"));
    }

    #[test]
    fn no_data_draws_no_chart() {
        let x = labels(&["d1", "d2"]);
        let none = [series("A", "s0", &[None, None])];
        assert_eq!(line_layout(&x, &none, None), None);
        assert_eq!(
            line_layout(&[], &[series("A", "s0", &[Some("1")])], None),
            None
        );
        assert_eq!(line_layout(&x, &[], None), None);
        assert_eq!(stacked_layout(&x, &none, None), None);
        assert_eq!(waterfall_layout(&[], Currency::USD), None);
        fn plain(v: Decimal) -> String {
            v.to_string()
        }
        let heat = |rows: &[String], cells: &[Vec<HeatCell>]| {
            heat_layout(&HeatInput {
                row_label: "r",
                col_label: "c",
                rows,
                cols: &x,
                cells,
                target: Decimal::ZERO,
                format: plain,
            })
        };
        let blank = vec![vec![HeatCell {
            value: None,
            tooltip: String::new(),
        }]];
        assert_eq!(heat(&labels(&["r1"]), &blank), None);
        assert_eq!(heat(&[], &[]), None);
        // Zeros are data: the chart is drawn, on a 0..1 axis.
        let zeros = [series("A", "s0", &[Some("0"), Some("0")])];
        assert!(line_layout(&x, &zeros, None).is_some());
        assert!(stacked_layout(&x, &zeros, None).is_some());
    }

    #[test]
    fn extreme_values_do_not_panic() {
        let max = Decimal::MAX.to_string();
        let min = Decimal::MIN.to_string();
        let many: Vec<String> = (0..500).map(|i| format!("day {i}")).collect();
        let awkward: &[&[Option<&str>]] = &[
            &[Some(&max), Some(&min), Some("0")],
            &[Some(&max), Some(&max)],
            &[Some("1000000000000"), Some("-1000000000000")],
            &[Some("0.0000000000000000000000000001")],
            &[Some("-5")],
        ];
        for values in awkward {
            let s = [series("A", "s0", values), series("B", "s1", values)];
            for x in [labels(&["only"]), labels(&["a", "b", "c"]), many.clone()] {
                assert!(line_layout(&x, &s, Some(Currency::USD)).is_some());
                assert!(stacked_layout(&x, &s, None).is_some());
            }
            let steps: Vec<_> = values
                .iter()
                .flatten()
                .map(|v| WaterfallStep {
                    label: "a rather long step label that must be cut".to_string(),
                    amount: d(v),
                    kind: StepKind::Delta,
                })
                .collect();
            assert!(waterfall_layout(&steps, Currency::USD).is_some());
            fn plain(v: Decimal) -> String {
                v.to_string()
            }
            let cells = vec![
                values
                    .iter()
                    .map(|v| HeatCell {
                        value: v.map(d),
                        tooltip: "t".into(),
                    })
                    .collect(),
            ];
            let (rows, cols) = (labels(&["r"]), labels(&["a", "b", "c"]));
            let input = HeatInput {
                row_label: "r",
                col_label: "c",
                rows: &rows,
                cols: &cols,
                cells: &cells,
                target: d("-1"),
                format: plain,
            };
            assert!(heat_layout(&input).is_some());
        }
    }

    #[test]
    fn trillion_axis_reads_compact() {
        let x = labels(&["a", "b"]);
        let s = [series(
            "GMV",
            "s0",
            &[Some("1000000000000"), Some("250000000000")],
        )];
        let l = line_layout(&x, &s, Some(Currency::USD)).unwrap();
        let ticks: Vec<_> = l
            .labels
            .iter()
            .filter(|t| t.class == "tick")
            .map(|t| t.text.as_str())
            .collect();
        // 10^12 / 5 = 2 × 10^11: 0, 0.2T … 1T.
        assert_eq!(ticks, ["$0", "$0.2T", "$0.4T", "$0.6T", "$0.8T", "$1T"]);
        assert_eq!(l.marks[1].body, "GMV: $250,000,000,000.00");
    }
}
