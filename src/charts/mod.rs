//! Charts drawn by the page itself as SVG (issue #5 item 6): line, stacked bar, waterfall, heat map.
//!
//! Each chart is laid out by plain functions into a [`Layout`] (paths, text labels, and data marks
//! with their tooltip text), and one renderer turns any layout into SVG markup, escaped, set as the
//! `<svg>`'s content; Leptos owns the figure, the legend and one HTML tooltip for the hovered or
//! focused mark. The arithmetic and the markup are tested natively, and every chart shares one frame,
//! one tooltip and one empty state. Values stay `Decimal`:
//! axis ticks are decimal 1/2/5 × 10^k steps and every label is formatted from a `Decimal`; f64 appears
//! only where a value becomes a pixel coordinate or a heat-map colour (docs/style.md §5).
//!
//! The components take plain values, not signals: a view that recomputes its figures wraps the chart
//! in a closure (`move || view! { <LineChart … /> }`).//!
//! Split: this module holds the shared layout, frame, tooltip and renderer; `line` (lines and stacked
//! bars), `waterfall` and `heatmap` each lay out their chart; the numbers of an axis (ticks, labels,
//! stacks, running totals) are `crate::format::chart`.

mod bars;
mod heatmap;
mod line;
#[cfg(test)]
mod tests;
mod waterfall;

pub use bars::StackedBarChart;
pub use heatmap::HeatMap;
pub use line::LineChart;
pub use waterfall::WaterfallChart;

use crate::format::chart::{nice_ticks, tick_labels, value_text};
use leptos::prelude::*;
use margin_engine::money::Currency;
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

/// A stretch of x positions no loaded export covers (docs/metrics.md §9): drawn as a hatched band with
/// a label, never as zeros (the series' values there are `None`, so no line crosses it).
#[derive(Clone, Debug, PartialEq)]
pub struct Gap {
    /// First x position (an index into the x labels).
    pub from: usize,
    /// Last x position, included.
    pub to: usize,
    /// What the band says when hovered or focused: which export is missing, and the dates.
    pub label: String,
}

/// The fill of a hatched band: replaced by the chart's own pattern when rendered.
const HATCH: &str = "hatch";

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
    /// The viewBox width; 0 means [`WIDTH`] (every chart but the waterfall).
    width: f64,
    height: f64,
    paths: Vec<Path>,
    labels: Vec<Label>,
    marks: Vec<Mark>,
    /// The value-axis frame, for the charts that have one (gaps are drawn into it).
    frame: Option<Frame>,
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
    layout.frame = Some(f);

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

/// Draws `gaps` into a layout with a value axis: a hatched band over the plot for each (under the grid
/// and the series), the words "No data" where the band is wide enough, and a focusable mark whose
/// tooltip names the missing days. Gaps past the last of `n` x positions are cut there.
fn add_gaps(l: &mut Layout, gaps: &[Gap], n: usize) {
    let Some(f) = l.frame else { return };
    let mut bands = Vec::new();
    for g in gaps {
        if g.from > g.to || g.from >= n {
            continue;
        }
        let to = g.to.min(n.saturating_sub(1));
        let x0 = f.left + f.band * g.from as f64;
        let w = f.band * (to - g.from + 1) as f64;
        let d = rect_d(x0, TOP, w, PLOT_HEIGHT);
        bands.push(Path {
            class: "gap".to_string(),
            d: d.clone(),
            fill: Some(HATCH.to_string()),
        });
        if w >= 44.0 {
            l.label(
                x0 + w / 2.0,
                TOP + 14.0,
                "middle",
                "gap-label",
                "No data".to_string(),
            );
        }
        l.marks.push(Mark {
            class: "gap-mark".to_string(),
            d,
            fill: None,
            label: g.label.clone(),
            series: None,
            value: String::new(),
            head: g.label.clone(),
            body: "not a zero: no loaded export covers these days".to_string(),
            at: (x0 + w / 2.0, TOP + PLOT_HEIGHT / 2.0),
        });
    }
    l.paths.splice(0..0, bands);
}

/// Where a mark's tooltip goes: its anchor as percentages of the chart's box, and its alignment classes
/// (charts.css): centred above the point, pinned to the point's start or end side near the chart's
/// edges, and below the point near the top. The browser sizes the tooltip to its text.
fn tip_place(at: (f64, f64), width: f64, height: f64) -> (f64, f64, String) {
    let side = if at.0 < width * 0.2 {
        "start"
    } else if at.0 > width * 0.8 {
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
    (at.0 / width * 100.0, top, format!("{side}{below}"))
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

// ---------------------------------------------------------------------------------------------
// Rendering: one renderer for every layout.

/// Escapes text for SVG markup (labels come from the user's files and must never become markup).
use margin_engine::report::escape as esc;

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
    let hatch = format!("url(#{id}-hatch)");
    let fill = |f: &Option<String>| match f.as_deref() {
        Some(HATCH) => format!(r#" fill="{hatch}""#),
        _ => fill(f),
    };
    let mut m = String::new();
    // Writing into a String cannot fail.
    let _ = write!(
        m,
        r#"<title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        esc(title),
        esc(desc)
    );
    if l.paths.iter().any(|p| p.fill.as_deref() == Some(HATCH)) {
        let _ = write!(
            m,
            r#"<defs><pattern id="{id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><path class="hatch" d="M0 0V6"/></pattern></defs>"#
        );
    }
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
            r#"<g class="mark" tabindex="{}" data-i="{i}" data-label="{}" data-value="{}"{series}><title>{}: {}</title><path class="{}" d="{}"{}/></g>"#,
            if i == 0 { "0" } else { "-1" },
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

/// Arrow keys (and Home/End) move the focus between a chart's marks: the chart is one tab stop (its
/// first mark, or the one last visited), not one per data point.
fn move_focus(ev: &web_sys::KeyboardEvent) {
    use wasm_bindgen::JsCast;
    let Some(i) = mark_index(ev) else { return };
    let Some(svg) = ev
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let last = svg
        .query_selector_all(".mark")
        .map(|l| l.length() as usize)
        .unwrap_or(0);
    let to = match ev.key().as_str() {
        "ArrowRight" | "ArrowDown" => (i + 1).min(last.saturating_sub(1)),
        "ArrowLeft" | "ArrowUp" => i.saturating_sub(1),
        "Home" => 0,
        "End" => last.saturating_sub(1),
        _ => return,
    };
    ev.prevent_default();
    let mark = |j: usize| {
        svg.query_selector(&format!(r#".mark[data-i="{j}"]"#))
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::SvgElement>().ok())
    };
    if let (Some(from), Some(next)) = (mark(i), mark(to)) {
        let _ = from.set_attribute("tabindex", "-1");
        let _ = next.set_attribute("tabindex", "0");
        let _ = next.focus();
    }
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
    let width = if layout.width > 0.0 {
        layout.width
    } else {
        WIDTH
    };
    let hover = RwSignal::new(None::<usize>);
    let tips: Vec<_> = layout
        .marks
        .into_iter()
        .map(|m| (m.at, m.head, m.body))
        .collect();
    let tip = move || {
        let (at, head, body) = hover.get().and_then(|i| tips.get(i))?;
        let (left, top, align) = tip_place(*at, width, height);
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
                    viewBox=format!("0 0 {width} {height:.0}")
                    width="100%"
                    aria-labelledby=format!("{id}-title")
                    aria-describedby=format!("{id}-desc")
                    on:mouseover=move |ev| hover.set(mark_index(&ev))
                    on:mouseleave=move |_| hover.set(None)
                    on:focusin=move |ev| hover.set(mark_index(&ev))
                    on:focusout=move |_| hover.set(None)
                    on:keydown=move |ev| move_focus(&ev)
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
