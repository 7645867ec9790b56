//! A grid of values coloured around a target.

use super::*;
use crate::format::chart::*;

/// The colour at heat position `t`: red below the target, a pale neutral at it, green above, blended
/// linearly per channel (the reds and greens of style.css's `.down`/`.up`).
pub(super) fn heat_colour(t: f64) -> String {
    const NEUTRAL: [f64; 3] = [243.0, 244.0, 246.0]; // #f3f4f6
    const BELOW: [f64; 3] = [180.0, 35.0, 24.0]; // #b42318
    const ABOVE: [f64; 3] = [11.0, 110.0, 79.0]; // #0b6e4f
    let t = if t.is_nan() { 0.0 } else { t.clamp(-1.0, 1.0) };
    let end = if t < 0.0 { BELOW } else { ABOVE };
    let mix = |i: usize| (NEUTRAL[i] + (end[i] - NEUTRAL[i]) * t.abs()).round() as u8;
    format!("#{:02x}{:02x}{:02x}", mix(0), mix(1), mix(2))
}

/// Inputs of a heat map's layout.
pub(super) struct HeatInput<'a> {
    pub(super) row_label: &'a str,
    pub(super) col_label: &'a str,
    pub(super) rows: &'a [String],
    pub(super) cols: &'a [String],
    pub(super) cells: &'a [Vec<HeatCell>],
    pub(super) target: Decimal,
    pub(super) format: fn(Decimal) -> String,
}

/// A grid of cells coloured around the target, with its legend below. `None` when no cell has a value.
pub(super) fn heat_layout(h: &HeatInput) -> Option<Layout> {
    let cell = |r: usize, c: usize| h.cells.get(r).and_then(|row| row.get(c));
    let values = || {
        (0..h.rows.len())
            .flat_map(move |r| (0..h.cols.len()).map(move |c| (r, c)))
            .filter_map(move |(r, c)| cell(r, c).and_then(|x| x.value))
    };
    let spread = heat_spread(values(), h.target)?;
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
    let (below, above) = heat_legend_ends(h.target, spread);
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
