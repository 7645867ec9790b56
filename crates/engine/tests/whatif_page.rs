#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The rules the what-if page used to hold itself (issue 13 item 2), now the engine's: period totals
//! and margins of several SKUs, which scenario edit wins, editing cells of a scenario. Every expected
//! value is worked out by hand in the comment next to it (docs/metrics.md §4, §7).

mod common;

use margin_engine::whatif::{
    BaselineSku, PeriodSum, ProjectionCache, UnitInputs, project, project_all,
};
use margin_engine::workspace::{EditSource, Scenario};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use common::textbook;

/// A second SKU: price 20, unit cost 8, fee 2 % + 0.30, no affiliate, fulfilment 2, overhead 1.
fn mug() -> UnitInputs {
    UnitInputs {
        price: dec!(20),
        unit_cost: dec!(8),
        fee_pct: dec!(2),
        fee_fixed_per_order: dec!(0.30),
        fulfillment_per_unit: dec!(2),
        overhead_per_unit: dec!(1),
        ..UnitInputs::default()
    }
}

fn sku(id: &str, group: &str, inputs: UnitInputs, units: Decimal) -> BaselineSku {
    BaselineSku {
        sku_id: id.to_string(),
        group: group.to_string(),
        price: inputs.evaluate().net_price,
        inputs,
        units,
    }
}

#[test]
fn textbook_example_margins_of_one_sku() {
    // net revenue 40; gross profit 40 − 10 = 30 → 30 / 40 = 75 %;
    // fee 2 % × 40 + 0.30 = 1.10; cm1 = 30 − 1.10 − 5 = 23.90; commission 15 % × 40 = 6.00;
    // cm2 = 23.90 − 6.00 = 17.90 → 17.90 / 40 = 44.75 %; net = 17.90 − 10 = 7.90 → 19.75 %.
    let one = project(dec!(100), dec!(40), &textbook(), Decimal::ZERO);
    let mut sum = PeriodSum::default();
    sum.add(&one);
    assert_eq!(sum.units, dec!(100));
    assert_eq!(sum.get("gross_margin_pct"), Some(dec!(75)));
    assert_eq!(sum.get("cm2_pct"), Some(dec!(44.75)));
    assert_eq!(sum.get("net_margin_pct"), Some(dec!(19.75)));
    // Per unit, the period gives back the unit: 4000 / 100 = 40; 1790 / 100 = 17.90.
    assert_eq!(sum.get("net_revenue"), Some(dec!(40)));
    assert_eq!(sum.get("cm2"), Some(dec!(17.9)));
    assert_eq!(sum.get("cm1"), Some(dec!(23.9)));
    assert_eq!(sum.get("net_profit"), Some(dec!(7.9)));
    // Outputs a sum has no figure for.
    assert_eq!(sum.get("markup_pct"), None);
    assert_eq!(sum.get("break_even_roas"), None);
}

#[test]
fn two_skus_sum_their_periods() {
    // Textbook SKU, 100 units: net revenue 4,000, gross 3,000, cm1 2,390, cm2 1,790, net 790.
    // Mug, 50 units: per unit net revenue 20, gross 20 − 8 = 12, fee 2 % × 20 + 0.30 = 0.70,
    // cm1 = 12 − 0.70 − 2 = 9.30, cm2 = 9.30, net = 9.30 − 1 = 8.30;
    // × 50: 1,000, 600, 465, 465, 415.
    let mut sum = PeriodSum::default();
    sum.add(&project(dec!(100), dec!(40), &textbook(), Decimal::ZERO));
    sum.add(&project(dec!(50), dec!(20), &mug(), Decimal::ZERO));
    let t = &sum.totals;
    // 100 + 50; 4,000 + 1,000; 3,000 + 600; 2,390 + 465; 1,790 + 465; 790 + 415.
    assert_eq!(sum.units, dec!(150));
    assert_eq!(t.net_revenue, dec!(5000));
    assert_eq!(t.gross_profit, dec!(3600));
    assert_eq!(t.cm1, dec!(2855));
    assert_eq!(t.cm2, dec!(2255));
    assert_eq!(t.net_profit, dec!(1205));
    // Fees 110 + 35; commission 600 + 0; overhead 1,000 + 50.
    assert_eq!(t.platform_fees, dec!(145));
    assert_eq!(t.affiliate_commission, dec!(600));
    assert_eq!(t.overhead, dec!(1050));
    // Margins of the period: 3,600 / 5,000 = 72 %; 2,255 / 5,000 = 45.1 %; 1,205 / 5,000 = 24.1 %.
    assert_eq!(sum.get("gross_margin_pct"), Some(dec!(72)));
    assert_eq!(sum.get("cm2_pct"), Some(dec!(45.1)));
    assert_eq!(sum.get("net_margin_pct"), Some(dec!(24.1)));
    // Per unit: 5,000 / 150 = 33.33…; 1,205 / 150 = 8.033….
    let per = |x: Option<Decimal>| x.unwrap().round_dp(4);
    assert_eq!(per(sum.get("net_revenue")), dec!(33.3333));
    assert_eq!(per(sum.get("net_profit")), dec!(8.0333));
    // Nothing projected: no per-unit figure and no margin.
    let empty = PeriodSum::default();
    assert_eq!((empty.get("cm2"), empty.get("cm2_pct")), (None, None));
}

#[test]
fn a_scenario_projects_every_sku_and_each_group() {
    let skus = vec![
        sku("A", "Tea", textbook(), dec!(100)),
        sku("B", "Mugs", mug(), dec!(50)),
    ];
    // Baseline: the sums of `two_skus_sum_their_periods`.
    let base = project_all(&skus, &Scenario::default(), None);
    assert_eq!(base.all.totals.cm2, dec!(2255));
    assert_eq!(base.groups["Tea"].totals.cm2, dec!(1790));
    assert_eq!(base.groups["Mugs"].totals.cm2, dec!(465));

    // Tea's commission to 10 %, A's own to 20 %: A's own wins. Commission 20 % × 40 = 8.00 →
    // cm2 = 23.90 − 8.00 = 15.90 per unit, × 100 = 1,590; all: 1,590 + 465 = 2,055.
    let mut s = Scenario::new("S");
    s.set(&Scenario::group_target("Tea"), "commission_pct", dec!(10))
        .unwrap();
    s.set("A", "commission_pct", dec!(20)).unwrap();
    let mut cache = ProjectionCache::default();
    let got = project_all(&skus, &s, Some(&mut cache));
    assert_eq!(got.groups["Tea"].totals.cm2, dec!(1590));
    assert_eq!(got.all.totals.cm2, dec!(2055));
    // The cache gives the same sums, and follows a further edit.
    assert_eq!(project_all(&skus, &s, Some(&mut cache)), got);
    // Mug's price 22 (+10 %) at elasticity −1.5: volume −15 %, 50 → 42.5 units; per unit
    // fee 2 % × 22 + 0.30 = 0.74, cm2 = 22 − 8 − 0.74 − 2 = 11.26; × 42.5 = 478.55.
    s.set("B", "price", dec!(22)).unwrap();
    s.elasticity = Some(dec!(-1.5));
    let moved = project_all(&skus, &s, Some(&mut cache));
    assert_eq!(moved.groups["Mugs"].units, dec!(42.5));
    assert_eq!(moved.groups["Mugs"].totals.cm2, dec!(478.55));
    assert_eq!(moved, project_all(&skus, &s, None));
}

#[test]
fn own_edits_win_over_the_groups() {
    let mut s = Scenario::new("S");
    let tea = Scenario::group_target("Tea");
    s.set(&tea, "commission_pct", dec!(10)).unwrap();
    s.set(&tea, "price", dec!(30)).unwrap();
    s.set("A", "commission_pct", dec!(20)).unwrap();
    let e = s.edits_for("A", Some("Tea"));
    assert_eq!(e.source("commission_pct"), Some(EditSource::Own));
    assert_eq!(e.source("price"), Some(EditSource::Group));
    assert_eq!(e.source("unit_cost"), None);
    // Baseline 40 / 15 %: the group's price 30, A's own commission 20.
    let x = e.apply(&textbook());
    assert_eq!(
        (x.price, x.commission_pct, x.unit_cost),
        (dec!(30), dec!(20), dec!(10))
    );
    assert_eq!(x, s.inputs_for("A", Some("Tea"), &textbook()));
    // A group's row shows only its own edits.
    let g = s.edits_for(&tea, None);
    assert!(g.group.is_empty());
    assert_eq!(g.own.len(), 2);
}

#[test]
fn setting_cells_of_a_scenario() {
    let mut s = Scenario::new("S");
    let base = textbook();
    // A value equal to the SKU's baseline (price 40) is no edit; 41 is.
    s.set_cell("A", Some(&base), "price", Some(dec!(40)))
        .unwrap();
    assert!(s.edits.is_empty());
    s.set_cell("A", Some(&base), "price", Some(dec!(41)))
        .unwrap();
    assert_eq!(s.edits["A"]["price"], dec!(41));
    // Back to 40 removes the edit and the target.
    s.set_cell("A", Some(&base), "price", Some(dec!(40)))
        .unwrap();
    assert!(s.edits.is_empty());
    // A group has no baseline of its own: any value is an edit.
    let tea = Scenario::group_target("Tea");
    s.set_cell(&tea, None, "price", Some(dec!(0))).unwrap();
    assert_eq!(s.edits[&tea]["price"], dec!(0));
    assert!(s.set_cell("A", None, "colour", Some(dec!(1))).is_err());

    // A typed-in product keeps one edit (one unit per order) when its last edit is reset.
    assert!(s.add_custom("Mug"));
    assert!(!s.add_custom("Mug"));
    let mug = Scenario::custom_target("Mug");
    s.set_cell(&mug, None, "price", Some(dec!(12))).unwrap();
    s.set_cell(&mug, None, "price", None).unwrap();
    s.set_cell(&mug, None, "units_per_order", None).unwrap();
    assert_eq!(s.edits[&mug]["units_per_order"], dec!(1));
    assert_eq!(s.custom_products(), vec!["Mug".to_string()]);
    // Reset all SKUs keeps typed-in products only.
    s.reset_all_skus();
    assert_eq!(s.edits.keys().collect::<Vec<_>>(), vec![&mug]);
}
