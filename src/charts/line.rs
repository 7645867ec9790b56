//! Lines over x labels (days, weeks).

use super::*;

/// Lines through each series' values; a `None` breaks the line. `None` when there is no value at all.
pub(super) fn line_layout(
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
    /// Days no loaded export covers: hatched bands, labelled (the series are `None` there).
    #[prop(optional)]
    gaps: Vec<Gap>,
) -> impl IntoView {
    let mut layout = line_layout(&x_labels, &series, currency);
    if let Some(l) = layout.as_mut() {
        add_gaps(l, &gaps, x_labels.len());
    }
    chart("line", title, desc, testid, series_legend(&series), layout)
}
