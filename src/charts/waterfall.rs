//! A bridge from one total to another: totals stand on zero, changes float between them.

use super::*;
use crate::format::chart::*;

/// Totals and changes as floating bars joined by connectors. `None` when there are no steps.
pub(super) fn waterfall_layout(steps: &[WaterfallStep], currency: Currency) -> Option<Layout> {
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
