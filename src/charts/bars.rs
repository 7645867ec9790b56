//! Bars stacked per x label.

use super::*;
use crate::format::chart::*;

/// Bars stacked per x label. `None` when there is no value at all.
#[cfg(test)]
pub(super) fn stacked_layout(
    x_labels: &[String],
    series: &[Series],
    currency: Option<Currency>,
) -> Option<Layout> {
    stacked_layout_with(x_labels, series, currency, None)
}

/// [`stacked_layout`] with a horizontal reference line (an average) at a value, labelled.
pub(super) fn stacked_layout_with(
    x_labels: &[String],
    series: &[Series],
    currency: Option<Currency>,
    reference: Option<&(Decimal, String)>,
) -> Option<Layout> {
    shown_values(x_labels, series).next()?;
    let stacks: Vec<_> = (0..x_labels.len())
        .map(|i| stack(series.iter().map(|s| s.values.get(i).copied().flatten())))
        .collect();
    let ends = stacks
        .iter()
        .flatten()
        .flatten()
        .map(|(_, to)| *to)
        .chain(reference.map(|r| r.0));
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
    if let Some((v, name)) = reference {
        let y = f.scale.y(*v);
        l.path(
            "reference",
            format!("M{:.1} {y:.1}H{:.1}", f.left, WIDTH - RIGHT),
        );
        let text = format!("{name}: {}", value_text(*v, currency));
        l.label(WIDTH - RIGHT, y - 4.0, "end", "ref-label", text);
    }
    Some(l)
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
    /// Days no loaded export covers: hatched bands, labelled (the series are `None` there).
    #[prop(optional)]
    gaps: Vec<Gap>,
    /// A horizontal line at a value (an average) and its name, drawn over the bars.
    #[prop(default = None)]
    reference: Option<(Decimal, String)>,
) -> impl IntoView {
    let mut layout = stacked_layout_with(&x_labels, &series, currency, reference.as_ref());
    if let Some(l) = layout.as_mut() {
        add_gaps(l, &gaps, x_labels.len());
    }
    chart(
        "stacked-bar",
        title,
        desc,
        testid,
        series_legend(&series),
        layout,
    )
}
