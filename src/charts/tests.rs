//! The charts' layouts and markup, tested natively.

use super::bars::{stacked_layout, stacked_layout_with};
use super::heatmap::{HeatInput, heat_colour, heat_layout};
use super::line::line_layout;
use super::waterfall::waterfall_layout;
use super::*;
use crate::format::chart::*;

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
    // One row per step, each named in full beside its bar: the longest name, 29 characters, would
    // need 29 × 6.4 + 10 = 195.6 px; the name column is capped at 170 px, which holds
    // floor((170 − 10) / 6.4) = 25 characters, so only that name is cut (24 characters and "…").
    assert_eq!(
        x,
        [
            "GMV",
            "Cancelled",
            "Refunds",
            "Net sales",
            "Platform fees",
            "Affiliate commission",
            "Shop Ads commission paid…",
            "Cash"
        ]
    );
    // Every bar carries its amount.
    let amounts: Vec<_> = l
        .labels
        .iter()
        .filter(|t| t.class == "amount")
        .map(|t| t.text.as_str())
        .collect();
    assert_eq!(amounts, ["-$100.00"; 8]);
    // Rows run down the chart: 26 px apart.
    let y: Vec<f64> = l.marks.iter().map(|m| m.at.1).collect();
    assert!(y.windows(2).all(|w| (w[1] - w[0] - 26.0).abs() < 1e-9));
    assert_eq!(l.width, 420.0);
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
    let (left, top, align) = tip_place((100.0, 120.0), WIDTH, 260.0);
    assert!(
        close(left, 15.625) && close(top, 120.0 / 2.6),
        "{left} {top}"
    );
    assert_eq!(align, "start");
    // Near the top (20 < 48): below the point; mid-chart.
    assert_eq!(tip_place((320.0, 20.0), WIDTH, 260.0).2, "mid below");
    // In the right fifth (> 512): pinned to the end side.
    assert_eq!(tip_place((600.0, 100.0), WIDTH, 260.0).2, "end");
    assert!(close(tip_place((600.0, 100.0), WIDTH, 0.0).1, 0.0));
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
fn a_reference_line_is_drawn_across_the_bars_and_within_the_axis() {
    let x = labels(&["a", "b"]);
    let s = [series("GMV per viewer", "s0", &[Some("4"), Some("6")])];
    // The average is above every bar: the axis reaches it (ticks 0..15 by 5 → 12 is 232 − 12 × 220 / 15).
    let avg = (d("12"), "Account average".to_string());
    let l = stacked_layout_with(&x, &s, Some(Currency::USD), Some(&avg)).unwrap();
    let line = l.paths.iter().find(|p| p.class == "reference").unwrap();
    let y = 232.0 - 12.0 * 220.0 / 15.0;
    assert_eq!(line.d, format!("M36.0 {y:.1}H628.0"));
    assert!(
        l.labels
            .iter()
            .any(|t| t.class == "ref-label" && t.text == "Account average: $12.00")
    );
    // Without one, the same bars as before.
    assert_eq!(
        stacked_layout_with(&x, &s, Some(Currency::USD), None),
        stacked_layout(&x, &s, Some(Currency::USD))
    );
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

#[test]
fn gaps_are_hatched_labelled_bands_with_no_line_across() {
    // Five days; the middle three not covered: their values are None.
    let x = labels(&["d1", "d2", "d3", "d4", "d5"]);
    let s = [series(
        "Net sales",
        "s0",
        &[Some("10"), None, None, None, Some("20")],
    )];
    let mut l = line_layout(&x, &s, None).unwrap();
    add_gaps(
        &mut l,
        &[Gap {
            from: 1,
            to: 3,
            label: "No Orders export covers 2026-05-02 – 2026-05-04".into(),
        }],
        x.len(),
    );
    // The line is two single points: no segment joins d1 to d5.
    let line = l.paths.iter().find(|p| p.class == "line s0").unwrap();
    assert_eq!(line.d.matches('M').count(), 2, "{}", line.d);
    assert!(!line.d.contains('L'), "{}", line.d);
    // One band under everything, over three bands' width.
    let band = &l.paths[0];
    assert_eq!(
        (band.class.as_str(), band.fill.as_deref()),
        ("gap", Some(HATCH))
    );
    let f = l.frame.unwrap();
    let width = format!("h{:.1}", f.band * 3.0);
    assert!(band.d.contains(&width), "{} {width}", band.d);
    assert!(l.labels.iter().any(|t| t.text == "No data"));
    let mark = l.marks.iter().find(|m| m.class == "gap-mark").unwrap();
    assert_eq!(mark.head, "No Orders export covers 2026-05-02 – 2026-05-04");
    let m = svg_markup(&l, "t", "d", "c1");
    assert!(m.contains(r#"<pattern id="c1-hatch""#), "{m}");
    assert!(m.contains(r#"fill="url(#c1-hatch)""#), "{m}");
    // A gap past the last position is cut; one starting after it is dropped.
    let mut l = line_layout(&x, &s, None).unwrap();
    let n = l.paths.len();
    add_gaps(
        &mut l,
        &[
            Gap {
                from: 4,
                to: 9,
                label: "x".into(),
            },
            Gap {
                from: 7,
                to: 9,
                label: "y".into(),
            },
        ],
        x.len(),
    );
    assert_eq!(l.paths.len(), n + 1);
}
