//! A bridge from one total to another: totals stand on zero, changes float between them.

use super::*;
use crate::format::chart::*;

/// The waterfall's own viewBox width: narrower than the other charts' so that, scaled into a third
/// of a laptop screen or a phone, its step names and amounts stay legible.
const WF_WIDTH: f64 = 420.0;
/// One step's row, and its bar's thickness.
const ROW: f64 = 26.0;
const BAR: f64 = 15.0;

/// Totals and changes as horizontal floating bars, one row per step: the step's name on the left,
/// its amount after the bar, a dashed connector from each bar's end to the next bar. Every step is
/// named however many there are. `None` when there are no steps.
pub(super) fn waterfall_layout(steps: &[WaterfallStep], currency: Currency) -> Option<Layout> {
    if steps.is_empty() {
        return None;
    }
    let spans = waterfall_spans(steps);
    let ends = spans.iter().flat_map(|(a, b)| [*a, *b]);
    let (lo, hi) = ends.fold((Decimal::ZERO, Decimal::ZERO), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let ticks = nice_ticks(lo, hi, 4);
    let texts = tick_labels(&ticks, Some(currency));
    let amounts: Vec<String> = steps
        .iter()
        .map(|s| match s.kind {
            StepKind::Total => currency.format(s.amount),
            StepKind::Delta => delta_text(s.amount, currency),
        })
        .collect();
    let chars = |t: &String| t.chars().count() as f64;
    let longest_name = steps.iter().map(|s| chars(&s.label)).fold(0.0, f64::max);
    let longest_amount = amounts.iter().map(chars).fold(0.0, f64::max);
    let left = (longest_name * CHAR_W + 10.0).clamp(48.0, 170.0);
    let right = WF_WIDTH - (longest_amount * CHAR_W + 10.0).clamp(40.0, 120.0);
    let name_chars = ((left - 10.0) / CHAR_W).floor() as usize;
    // The value axis runs left to right: the first tick at `left`, the last at `right`.
    let (t0, t1) = (
        ticks.first().and_then(|t| t.to_f64()).unwrap_or(0.0),
        ticks.last().and_then(|t| t.to_f64()).unwrap_or(0.0),
    );
    let x = |v: Decimal| -> f64 {
        let span = t1 - t0;
        if span <= 0.0 {
            return left;
        }
        let v = v.to_f64().unwrap_or(0.0);
        (left + (v - t0) / span * (right - left)).clamp(left, right)
    };
    let top = TOP + 14.0;
    let bottom = top + ROW * steps.len() as f64;
    let mut l = Layout {
        width: WF_WIDTH,
        height: bottom + 6.0,
        ..Layout::default()
    };
    let mut grid = String::new();
    for (t, text) in ticks.iter().zip(texts) {
        let at = x(*t);
        if t.is_zero() {
            l.path("zero", format!("M{at:.1} {top:.1}V{bottom:.1}"));
        } else {
            grid += &format!("M{at:.1} {top:.1}V{bottom:.1}");
        }
        l.label(at, TOP + 4.0, "middle", "tick", text);
    }
    l.path("grid", grid);
    let mut connectors = String::new();
    for (i, ((step, (from, to)), amount)) in steps.iter().zip(&spans).zip(amounts).enumerate() {
        let (x0, x1) = (x(*from), x(*to));
        let y = top + ROW * i as f64 + (ROW - BAR) / 2.0;
        // A zero change still shows as a hairline, so that it can be pointed at.
        let w = (x1 - x0).abs().max(1.0);
        let start = x0.min(x1);
        let (class, body) = match step.kind {
            StepKind::Total => ("bar total", currency.format(step.amount)),
            StepKind::Delta => (
                if step.amount.is_sign_negative() {
                    "bar down"
                } else {
                    "bar up"
                },
                format!("{amount} → {}", currency.format(*to)),
            ),
        };
        if i + 1 < steps.len() {
            connectors += &format!("M{x1:.1} {:.1}V{:.1}", y + BAR, y + ROW);
        }
        let mid = y + BAR / 2.0 + 4.0;
        let name = wrap_label(&step.label, name_chars, 1).join("");
        l.label(left - 6.0, mid, "end", "xlabel", name);
        l.label(start + w + 4.0, mid, "start", "amount", amount);
        l.marks.push(Mark {
            class: class.to_string(),
            d: rect_d(start, y, w, BAR),
            fill: None,
            label: step.label.clone(),
            series: None,
            value: step.amount.to_string(),
            head: step.label.clone(),
            body,
            at: (start + w / 2.0, y),
        });
    }
    l.path("connector", connectors);
    Some(l)
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
