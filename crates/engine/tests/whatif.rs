#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! What-if unit economics (docs/metrics.md §4, §7): the per-unit P&L, the solvers, the projection and
//! their properties. Every expected value is worked out by hand in the comment next to it, from the
//! documents' rules and examples, never copied from the program's output.

use chrono::NaiveDate;
use margin_engine::fees::{LineFeeInput, default_rules, line_fees, unit_fee};
use margin_engine::whatif::{
    Infeasibility, Solved, UnitInputs, break_even_price, max_commission_for_target_cm2_pct,
    price_for_target_cm2_pct, project, sensitivity_grid,
};
use proptest::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};
use rust_decimal_macros::dec;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

// ---------------------------------------------------------------------------------------------
// whatif.rs: docs/metrics.md §4 and §7

/// docs/metrics.md §4 worked example (seed 003 "Glow Serum").
fn glow_serum() -> UnitInputs {
    UnitInputs {
        price: dec!(40.00),
        unit_cost: dec!(10.00),
        affiliate_share_pct: dec!(100),
        commission_pct: dec!(15),
        fee_pct: dec!(2),
        fee_fixed_per_order: dec!(0.30),
        units_per_order: dec!(1),
        fulfillment_per_unit: dec!(2.00),
        shipping_per_order: dec!(3.00),
        overhead_per_unit: dec!(10.00),
        ..UnitInputs::default()
    }
}

#[test]
fn metrics_worked_example() {
    let out = glow_serum().evaluate();
    // net revenue 40; fee 2 % × 40 + 0.30 = 1.10; commission 15 % × 40 = 6.00.
    assert_eq!(out.net_revenue, dec!(40));
    assert_eq!(out.platform_fees, dec!(1.10));
    assert_eq!(out.affiliate_commission, dec!(6.00));
    assert_eq!((out.cogs, out.returns_cost), (dec!(10), dec!(0)));
    // gross 40 − 10 = 30 (75 %); cm1 30 − 1.10 − 5 = 23.90; cm2 23.90 − 6 = 17.90 (44.75 %);
    // net 17.90 − 10 = 7.90 (19.75 %).
    assert_eq!(out.gross_profit, dec!(30));
    assert_eq!(out.gross_margin_pct, Some(dec!(75.00)));
    assert_eq!(out.cm1, dec!(23.90));
    assert_eq!(out.cm1_pct, Some(dec!(59.75)));
    assert_eq!(out.cm2, dec!(17.90));
    assert_eq!(out.cm2_pct, Some(dec!(44.75)));
    assert_eq!(out.net_profit, dec!(7.90));
    assert_eq!(out.net_margin_pct, Some(dec!(19.75)));
    // Cost shares: 1.10 / 40 = 2.75 %, 6 / 40 = 15 %, 10 / 40 = 25 %.
    assert_eq!(out.platform_fees_pct, Some(dec!(2.75)));
    assert_eq!(out.affiliate_commission_pct, Some(dec!(15.00)));
    assert_eq!(out.cogs_pct, Some(dec!(25.00)));
    // markup (40 − 10) / 10 = 300 %; break-even ROAS 40 / 23.90 = 1.67364…
    assert_eq!(out.markup_pct, Some(dec!(300.00)));
    assert_eq!(out.break_even_roas.unwrap().round_dp(4), dec!(1.6736));
    assert_eq!(out.get("cm2_pct"), Some(dec!(44.75)));
    assert_eq!(out.get("nonsense"), None);
}

#[test]
fn markup_is_never_margin() {
    let at = |price, vat, returns| {
        UnitInputs {
            price,
            unit_cost: dec!(10),
            vat_pct: vat,
            return_rate_pct: returns,
            ..UnitInputs::default()
        }
        .evaluate()
    };
    // 20 on cost 10: markup 100 %, margin 10 / 20 = 50 %.
    let m = at(dec!(20), dec!(0), dec!(0));
    assert_eq!(
        (m.markup_pct, m.gross_margin_pct),
        (Some(dec!(100.00)), Some(dec!(50.00)))
    );
    // 15 on cost 10: markup 50 %, margin 5 / 15 = 33.33 %.
    let m = at(dec!(15), dec!(0), dec!(0));
    assert_eq!(
        (m.markup_pct, m.gross_margin_pct),
        (Some(dec!(50.00)), Some(dec!(33.33)))
    );
    // 24 including 20 % VAT is a net price of 20: the same 100 % ↔ 50 %, with or without 30 % returns
    // (net revenue 20 × 0.7 = 14, cogs 10 × 0.7 = 7).
    let m = at(dec!(24), dec!(20), dec!(30));
    assert_eq!(m.net_revenue, dec!(14));
    assert_eq!(
        (m.markup_pct, m.gross_margin_pct),
        (Some(dec!(100.00)), Some(dec!(50.00)))
    );
    // No cost: no markup.
    assert_eq!(
        UnitInputs {
            price: dec!(20),
            ..UnitInputs::default()
        }
        .evaluate()
        .markup_pct,
        None
    );
}

#[test]
fn every_term_with_vat_returns_and_discount() {
    let inputs = UnitInputs {
        price: dec!(60),
        seller_discount_pct: dec!(10),
        unit_cost: dec!(12),
        vat_pct: dec!(20),
        fee_pct: dec!(9),
        units_per_order: dec!(2),
        affiliate_share_pct: dec!(50),
        commission_pct: dec!(20),
        return_rate_pct: dec!(10),
        restock_pct: dec!(50),
        return_shipping: dec!(3),
        fulfillment_per_unit: dec!(2),
        shipping_per_order: dec!(4),
        ad_spend_per_unit: dec!(1.5),
        sample_cost_per_unit: dec!(0.5),
        overhead_per_unit: dec!(3),
        ..UnitInputs::default()
    };
    let out = inputs.evaluate();
    // p = 60 × 0.9 = 54; net revenue 54 × 0.9 / 1.2 = 40.5.
    assert_eq!(out.net_price, dec!(54));
    assert_eq!(out.net_revenue, dec!(40.5));
    // fee 9 % × 54 = 4.86, kept on 90 % of units (no admin fee) → 4.374.
    assert_eq!(out.platform_fees, dec!(4.374));
    // commission 0.5 × 0.2 × 54 × 0.9 = 4.86; cogs 12 × 0.9 = 10.8; returns 0.1 × (12 × 0.5 + 3) = 0.9.
    assert_eq!(out.affiliate_commission, dec!(4.86));
    assert_eq!(out.cogs, dec!(10.8));
    assert_eq!(out.returns_cost, dec!(0.9));
    // shipping 4 / 2 = 2; gross 29.7; cm1 29.7 − 4.374 − 2 − 2 − 0.9 = 20.426;
    // cm2 20.426 − 4.86 − 1.5 − 0.5 = 13.566 (13.566 / 40.5 = 33.496… → 33.50 %); net 10.566.
    assert_eq!(out.shipping, dec!(2));
    assert_eq!(out.gross_profit, dec!(29.7));
    assert_eq!(out.cm1, dec!(20.426));
    assert_eq!(out.cm2, dec!(13.566));
    assert_eq!(out.cm2_pct, Some(dec!(33.50)));
    assert_eq!(out.net_profit, dec!(10.566));
}

#[test]
fn refund_admin_fee_share_models_a_non_refunded_fee() {
    // 6.42 % capped at 199 with refund_admin_fee_pct 100 (TH: not refunded), price 5,000, 20 % returns:
    // fee min(321, 199) = 199; platform 199 × 0.8 + 0.2 × 199 = 199.
    let out = UnitInputs {
        price: dec!(5000),
        fee_pct: dec!(6.42),
        fee_cap_per_item: Some(dec!(199)),
        refund_admin_fee_pct: dec!(100),
        return_rate_pct: dec!(20),
        ..UnitInputs::default()
    }
    .evaluate();
    assert_eq!(out.platform_fees, dec!(199));
    assert!(out.fee_capped);
}

#[test]
fn inputs_are_set_by_their_data_input_names() {
    let mut inputs = UnitInputs::default();
    for (name, value) in [
        ("price", dec!(40)),
        ("unit_cost", dec!(10)),
        ("affiliate_share_pct", dec!(100)),
        ("commission_pct", dec!(15)),
        ("fee_pct", dec!(2)),
        ("fee_fixed_per_order", dec!(0.30)),
        ("units_per_order", dec!(1)),
        ("fulfillment_per_unit", dec!(2)),
        ("shipping_per_order", dec!(3)),
        ("overhead_per_unit", dec!(10)),
    ] {
        inputs.set(name, value).unwrap();
    }
    assert_eq!(inputs, glow_serum());
    let err = inputs.set("margin", dec!(1)).unwrap_err();
    assert_eq!(err.to_string(), "unknown what-if input \"margin\"");
    // Scenario files use the same names.
    let json = serde_json::to_string(&inputs).unwrap();
    assert!(json.contains("\"commission_pct\":\"15\""));
    let back: UnitInputs = serde_json::from_str(&json).unwrap();
    assert_eq!(back, inputs);
    let partial: UnitInputs = serde_json::from_str(r#"{"price":"12.30"}"#).unwrap();
    assert_eq!(
        (partial.price, partial.units_per_order),
        (dec!(12.30), dec!(1))
    );
}

// --- solvers

fn value(s: &Solved) -> Decimal {
    s.value()
        .unwrap_or_else(|| panic!("expected a value, got {s:?}"))
}

fn cm2_pct_at_price(inputs: &UnitInputs, price: Decimal) -> Option<Decimal> {
    UnitInputs {
        price,
        ..inputs.clone()
    }
    .evaluate()
    .cm2_pct
}

#[test]
fn break_even_price_of_the_worked_example() {
    // cm2 = p − 10 − 5 − (0.02 p + 0.30) − 0.15 p = 0.83 p − 15.30 = 0 → p = 15.30 / 0.83 = 18.4337…
    let s = break_even_price(&glow_serum());
    let p = value(&s);
    assert_eq!(p.round_dp(6), dec!(18.433735));
    let at = UnitInputs {
        price: p,
        ..glow_serum()
    }
    .evaluate();
    assert_eq!(at.cm2_pct, Some(dec!(0.00)));
    assert!(at.cm2.abs() < dec!(0.0000000001));
}

#[test]
fn target_price_of_the_worked_example() {
    // 0.83 p − 15.30 = 0.4475 p → p = 15.30 / 0.3825 = 40 exactly.
    let s = price_for_target_cm2_pct(&glow_serum(), dec!(44.75));
    assert_eq!(value(&s), dec!(40));
    // 60 %: 0.23 p = 15.30 → p = 66.521…
    let p = value(&price_for_target_cm2_pct(&glow_serum(), dec!(60)));
    assert_eq!(p.round_dp(3), dec!(66.522));
    assert_eq!(cm2_pct_at_price(&glow_serum(), p), Some(dec!(60.00)));
    // With a 20 % seller discount the list price is 40 / 0.8 = 50.
    let discounted = UnitInputs {
        seller_discount_pct: dec!(20),
        ..glow_serum()
    };
    assert_eq!(
        value(&price_for_target_cm2_pct(&discounted, dec!(44.75))),
        dec!(50)
    );
}

#[test]
fn target_price_with_vat_is_exact_at_two_decimals() {
    // 20 % VAT, 9 % fee, cost 7.77, fulfilment 3.33: cm2 = p/1.2 − 0.09 p − 11.10; target 33.33 % of
    // p/1.2 → p (0.6667/1.2 − 0.09) = 11.10 → p = 11.10 / 0.4655833… = 23.8410…
    let inputs = UnitInputs {
        vat_pct: dec!(20),
        fee_pct: dec!(9),
        unit_cost: dec!(7.77),
        fulfillment_per_unit: dec!(3.33),
        ..UnitInputs::default()
    };
    let p = value(&price_for_target_cm2_pct(&inputs, dec!(33.33)));
    assert_eq!(p.round_dp(3), dec!(23.841));
    assert_eq!(cm2_pct_at_price(&inputs, p), Some(dec!(33.33)));
}

#[test]
fn unreachable_target_is_reported_with_its_ceiling() {
    // Fee 2 % and commission 15 % grow with the price: cm2 % → 100 − 2 − 15 = 83 % as p grows.
    for target in [dec!(90), dec!(83)] {
        match price_for_target_cm2_pct(&glow_serum(), target) {
            Solved::Infeasible {
                reason: Infeasibility::BelowTargetAtEveryPrice { ceiling_pct },
            } => assert_eq!(ceiling_pct, Some(dec!(83.00))),
            other => panic!("{other:?}"),
        }
    }
    let s = price_for_target_cm2_pct(&glow_serum(), dec!(90));
    let Solved::Infeasible { reason } = s else {
        panic!()
    };
    assert_eq!(
        reason.to_string(),
        "no price reaches this margin: cm2 % stays below it at every price (at most 83.00 %)"
    );
    // 100 % seller discount: there is no revenue at any price.
    let free = UnitInputs {
        seller_discount_pct: dec!(100),
        ..glow_serum()
    };
    assert_eq!(
        break_even_price(&free),
        Solved::Infeasible {
            reason: Infeasibility::NoRevenue
        }
    );
}

#[test]
fn without_price_independent_costs_the_margin_does_not_move() {
    // Only a 10 % fee: cm2 % = 90 at every price. cm2 > 0 at every price → no break-even;
    // target 90 % is met everywhere → the current price is returned.
    let inputs = UnitInputs {
        price: dec!(40),
        fee_pct: dec!(10),
        ..UnitInputs::default()
    };
    assert_eq!(
        break_even_price(&inputs),
        Solved::Infeasible {
            reason: Infeasibility::AboveTargetAtEveryPrice
        }
    );
    assert_eq!(
        value(&price_for_target_cm2_pct(&inputs, dec!(90))),
        dec!(40)
    );
}

#[test]
fn fee_cap_moves_the_root_to_the_capped_piece() {
    // cost 1,000; fee 10 % capped at 50 per item (cap binds from p = 500).
    // Uncapped piece: 0.9 p − 1000 = 0.5 p → p = 2500, outside [0, 500]: rejected.
    // Capped piece:   p − 1050 = 0.5 p → p = 2100 ✓ (cm2 = 1050 = 50 % of 2100).
    let inputs = UnitInputs {
        price: dec!(100),
        unit_cost: dec!(1000),
        fee_pct: dec!(10),
        fee_cap_per_item: Some(dec!(50)),
        ..UnitInputs::default()
    };
    match price_for_target_cm2_pct(&inputs, dec!(50)) {
        Solved::Value { value, piece } => {
            assert_eq!(value, dec!(2100));
            assert!(piece.fee_capped);
            assert_eq!((piece.from, piece.to), (dec!(500), None));
        }
        other => panic!("{other:?}"),
    }
    // Break-even: uncapped 0.9 p = 1000 → 1111.11 (outside); capped p − 1050 = 0 → 1050.
    assert_eq!(value(&break_even_price(&inputs)), dec!(1050));
    // A cheap product breaks even before the cap: cost 100 → 0.9 p = 100 → 111.11…, uncapped piece.
    let cheap = UnitInputs {
        unit_cost: dec!(100),
        ..inputs
    };
    match break_even_price(&cheap) {
        Solved::Value { value, piece } => {
            assert_eq!(value.round_dp(2), dec!(111.11));
            assert!(!piece.fee_capped);
            assert_eq!((piece.from, piece.to), (dec!(0), Some(dec!(500))));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn refund_admin_fee_cap_moves_the_root_too() {
    // US-like: 6 % fee, 20 % admin fee capped at 5.00, 50 % returns fully restocked, cost 500.
    // Admin fee 0.2 × 0.06 p = 0.012 p reaches 5 at p = 416.67.
    // Below: cm2 = 0.5 p − 250 − 0.03 p − 0.5 × 0.012 p = 0.464 p − 250 → 538.79 (outside).
    // Above: cm2 = 0.5 p − 250 − 0.03 p − 2.5 = 0.47 p − 252.5 → p = 537.234…
    let inputs = UnitInputs {
        price: dec!(100),
        unit_cost: dec!(500),
        fee_pct: dec!(6),
        refund_admin_fee_pct: dec!(20),
        refund_admin_fee_cap: Some(dec!(5)),
        return_rate_pct: dec!(50),
        restock_pct: dec!(100),
        ..UnitInputs::default()
    };
    match break_even_price(&inputs) {
        Solved::Value { value, piece } => {
            assert_eq!(value.round_dp(4), dec!(537.2340));
            assert!(piece.refund_admin_fee_capped && !piece.fee_capped);
            assert_eq!(piece.from.round_dp(2), dec!(416.67));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn highest_commission_for_a_target() {
    // cm2 without commission = 23.90 at 40. Target 44.75 % (17.90) → (23.90 − 17.90) / 40 = 15 %.
    assert_eq!(
        value(&max_commission_for_target_cm2_pct(
            &glow_serum(),
            dec!(44.75)
        )),
        dec!(15)
    );
    // 30 % (12.00) → 11.90 / 40 = 29.75 %.
    assert_eq!(
        value(&max_commission_for_target_cm2_pct(&glow_serum(), dec!(30))),
        dec!(29.75)
    );
    // Half the units through affiliates: the same 6.00 of room buys 30 %.
    let half = UnitInputs {
        affiliate_share_pct: dec!(50),
        ..glow_serum()
    };
    assert_eq!(
        value(&max_commission_for_target_cm2_pct(&half, dec!(44.75))),
        dec!(30)
    );
    // 60 % (24.00) > cm1 23.90: it would take (23.90 − 24) / 40 = −0.25 %.
    assert_eq!(
        max_commission_for_target_cm2_pct(&glow_serum(), dec!(60)),
        Solved::Infeasible {
            reason: Infeasibility::NegativeCommission {
                required_pct: dec!(-0.25)
            }
        }
    );
    // No affiliates: commission changes nothing; cm2 = cm1 = 23.90 = 59.75 %.
    let direct = UnitInputs {
        affiliate_share_pct: dec!(0),
        ..glow_serum()
    };
    assert_eq!(
        max_commission_for_target_cm2_pct(&direct, dec!(30)),
        Solved::Infeasible {
            reason: Infeasibility::CommissionHasNoEffect {
                cm2_pct: Some(dec!(59.75))
            }
        }
    );
}

#[test]
fn highest_commission_is_at_most_100_pct() {
    // One unit in ten through affiliates: cm2 without commission 23.90 at 40; at 0 % target the rate
    // would be 23.90 / (10 % × 40) = 597.5 % — no commission takes more than the price, so no answer:
    // even 100 % (commission 10 % × 100 % × 40 = 4.00) leaves cm2 = 19.90 = 49.75 % above 0 %.
    let few = UnitInputs {
        affiliate_share_pct: dec!(10),
        ..glow_serum()
    };
    assert_eq!(
        max_commission_for_target_cm2_pct(&few, dec!(0)),
        Solved::Infeasible {
            reason: Infeasibility::AboveTargetAtEveryCommission {
                limit_pct: dec!(100)
            }
        }
    );
    assert_eq!(
        Infeasibility::AboveTargetAtEveryCommission {
            limit_pct: dec!(100)
        }
        .to_string(),
        "any commission meets this target: cm2 % stays above it even at 100 %"
    );
    // At 100 % share the same target takes 23.90 / 40 = 59.75 %: an answer below 100 %.
    assert_eq!(
        value(&max_commission_for_target_cm2_pct(&glow_serum(), dec!(0))),
        dec!(59.75)
    );
    // Exactly 100 %: 10 % share, target 49.75 % (19.90 = 23.90 − 10 % × r × 40 → r = 100 %).
    assert_eq!(
        value(&max_commission_for_target_cm2_pct(&few, dec!(49.75))),
        dec!(100)
    );
}

#[test]
fn a_typed_in_product_pays_commission_on_every_unit() {
    use margin_engine::workspace::Scenario;
    // The textbook example typed into a new product, with no affiliate share typed: price 40, unit
    // cost 10, commission 15 %, platform fee 2 % + 0.30, fulfilment 5, overhead 10 per unit.
    let mut s = Scenario::new("Launch");
    assert!(s.add_custom("Glow Serum"));
    let target = Scenario::custom_target("Glow Serum");
    for (input, v) in [
        ("price", dec!(40)),
        ("unit_cost", dec!(10)),
        ("commission_pct", dec!(15)),
        ("fee_pct", dec!(2)),
        ("fee_fixed_per_order", dec!(0.30)),
        ("fulfillment_per_unit", dec!(5)),
        ("overhead_per_unit", dec!(10)),
    ] {
        s.set_cell(&target, None, input, Some(v)).unwrap();
    }
    let inputs = s.custom_inputs("Glow Serum");
    assert_eq!(
        (inputs.affiliate_share_pct, inputs.units_per_order),
        (dec!(100), dec!(1))
    );
    let out = inputs.evaluate();
    // gross 40 − 10 = 30 → 75 %; fee 2 % × 40 + 0.30 = 1.10; cm1 = 30 − 1.10 − 5 = 23.90;
    // commission 100 % × 15 % × 40 = 6 → cm2 17.90 = 44.75 %; net 17.90 − 10 = 7.90 = 19.75 %.
    assert_eq!(out.gross_margin_pct, Some(dec!(75.00)));
    assert_eq!(out.cm2, dec!(17.90));
    assert_eq!(out.cm2_pct, Some(dec!(44.75)));
    assert_eq!(out.net_margin_pct, Some(dec!(19.75)));
    // A share typed in counts: none through affiliates → no commission, cm2 = cm1 = 23.90 = 59.75 %.
    s.set_cell(&target, None, "affiliate_share_pct", Some(dec!(0)))
        .unwrap();
    assert_eq!(
        s.custom_inputs("Glow Serum").evaluate().cm2_pct,
        Some(dec!(59.75))
    );
    // Cleared (Delete in the grid): back to every unit.
    s.set_cell(&target, None, "affiliate_share_pct", None)
        .unwrap();
    assert_eq!(
        s.custom_inputs("Glow Serum").evaluate().cm2_pct,
        Some(dec!(44.75))
    );
}

#[test]
fn sensitivity_grid_by_hand() {
    // 40: cm2 23.90 − 6 = 17.90 (44.75 %) at 15 %, 23.90 (59.75 %) at 0 %.
    // 20: fee 0.70, cm1 = 20 − 10 − 0.70 − 5 = 4.30 (21.50 %); at 15 %: 4.30 − 3 = 1.30 (6.50 %).
    let grid = sensitivity_grid(&glow_serum(), &[dec!(40), dec!(20)], &[dec!(15), dec!(0)]);
    assert_eq!(
        grid,
        vec![
            vec![Some(dec!(44.75)), Some(dec!(59.75))],
            vec![Some(dec!(6.50)), Some(dec!(21.50))],
        ]
    );
}

#[test]
fn projection_by_hand() {
    // Baseline 1,000 units at 40; scenario 44 (+10 %) at elasticity −2 → −20 % → 800 units.
    // At 44: fee 0.88 + 0.30 = 1.18, commission 6.60; cm1 = 44 − 10 − 1.18 − 5 = 27.82;
    // cm2 = 21.22; net 11.22. Totals × 800: net revenue 35,200, fees 944, commission 5,280,
    // cm2 16,976, net 8,976.
    let scenario = UnitInputs {
        price: dec!(44),
        ..glow_serum()
    };
    let p = project(dec!(1000), dec!(40), &scenario, dec!(-2));
    assert_eq!(p.units, dec!(800));
    assert_eq!(p.price_change_pct, Some(dec!(10.00)));
    assert_eq!(p.totals.net_revenue, dec!(35200));
    assert_eq!(p.totals.platform_fees, dec!(944));
    assert_eq!(p.totals.affiliate_commission, dec!(5280));
    assert_eq!(p.totals.cm2, dec!(16976));
    assert_eq!(p.totals.net_profit, dec!(8976));
    // Elasticity 0 keeps the volume; no baseline price, no change.
    assert_eq!(
        project(dec!(1000), dec!(40), &scenario, dec!(0)).units,
        dec!(1000)
    );
    let unknown = project(dec!(1000), dec!(0), &scenario, dec!(-2));
    assert_eq!(
        (unknown.units, unknown.price_change_pct),
        (dec!(1000), None)
    );
    // +10 % at elasticity −20 would be −200 %: volume stops at 0.
    assert_eq!(
        project(dec!(1000), dec!(40), &scenario, dec!(-20)).units,
        dec!(0)
    );
}

#[test]
fn solved_serialises_for_the_page() {
    let json = serde_json::to_value(price_for_target_cm2_pct(&glow_serum(), dec!(44.75))).unwrap();
    assert_eq!(json["status"], "value");
    assert_eq!(json["value"], "40");
    let json = serde_json::to_value(price_for_target_cm2_pct(&glow_serum(), dec!(90))).unwrap();
    assert_eq!(json["status"], "infeasible");
    assert_eq!(json["reason"]["kind"], "below_target_at_every_price");
    assert_eq!(json["reason"]["ceiling_pct"], "83.00");
}

#[test]
fn absurd_inputs_do_not_panic() {
    let inputs = UnitInputs {
        price: dec!(79000000000000000000000000000),
        unit_cost: dec!(0.0000000000000000000000000001),
        commission_pct: dec!(-79000000000000000000000000000),
        affiliate_share_pct: dec!(79000000000000000000000000000),
        fee_pct: dec!(0.0000000000000000000000000001),
        fee_cap_per_item: Some(dec!(1)),
        vat_pct: dec!(-500),
        units_per_order: dec!(0),
        ..UnitInputs::default()
    };
    let _ = inputs.evaluate();
    let _ = break_even_price(&inputs);
    let _ = price_for_target_cm2_pct(&inputs, dec!(99.99));
    let _ = max_commission_for_target_cm2_pct(&inputs, dec!(-1000));
    let _ = project(
        dec!(100000000000000000000),
        dec!(0.0000000000000000000000000001),
        &inputs,
        dec!(100000000000000000000),
    );
    assert!(inputs.out_of_range().contains(&"price"));
}

// ---------------------------------------------------------------------------------------------
// Properties

fn cents(max: i64) -> impl Strategy<Value = Decimal> {
    (0..=max).prop_map(|c| Decimal::new(c, 2))
}

fn percent(max: i64) -> impl Strategy<Value = Decimal> {
    (0..=max * 100).prop_map(|c| Decimal::new(c, 2))
}

prop_compose! {
    fn sane_inputs()(
        (price, seller_discount_pct, unit_cost, vat_pct, fee_pct, fee_fixed_per_order, fee_cap_per_item)
            in (cents(50_000).prop_map(|p| p + dec!(1)), percent(50), cents(20_000),
                prop_oneof![Just(dec!(0)), Just(dec!(5)), Just(dec!(20))], percent(15), cents(100),
                proptest::option::of(cents(5_000).prop_map(|c| c + dec!(1)))),
        (units_per_order, refund_admin_fee_pct, refund_admin_fee_cap, affiliate_share_pct, commission_pct,
         return_rate_pct, restock_pct)
            in ((1i64..=5).prop_map(Decimal::from), percent(100),
                proptest::option::of(cents(1_000).prop_map(|c| c + dec!(0.5))), percent(100), percent(80),
                percent(60), percent(100)),
        (return_shipping, fulfillment_per_unit, shipping_per_order, ad_spend_per_unit, sample_cost_per_unit,
         overhead_per_unit)
            in (cents(1_000), cents(1_000), cents(1_000), cents(2_000), cents(500), cents(2_000)),
    ) -> UnitInputs {
        UnitInputs {
            price, seller_discount_pct, unit_cost, vat_pct, fee_pct, fee_fixed_per_order, fee_cap_per_item,
            units_per_order, refund_admin_fee_pct, refund_admin_fee_cap, affiliate_share_pct, commission_pct,
            return_rate_pct, restock_pct, return_shipping, fulfillment_per_unit, shipping_per_order,
            ad_spend_per_unit, sample_cost_per_unit, overhead_per_unit,
        }
    }
}

fn target() -> impl Strategy<Value = Decimal> {
    (-5_000i64..=9_500).prop_map(|c| Decimal::new(c, 2))
}

/// cm2 − target × net_revenue in percent terms, unrounded: its sign says which side of the target.
fn gap_at(inputs: &UnitInputs, price: Decimal, target_pct: Decimal) -> Decimal {
    let out = UnitInputs {
        price,
        ..inputs.clone()
    }
    .evaluate();
    out.cm2 * dec!(100) - target_pct * out.net_revenue
}

fn round2(x: Decimal) -> Decimal {
    x.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// A price solver's answer either meets the target at 2 decimals and is the lowest such price, or the
/// target is on one side at every price.
fn check_price_answer(inputs: &UnitInputs, target_pct: Decimal, solved: &Solved) {
    match solved {
        Solved::Value { value, piece } => {
            assert!(*value > Decimal::ZERO);
            assert!(piece.from <= *value && piece.to.is_none_or(|to| *value <= to));
            assert_eq!(
                cm2_pct_at_price(inputs, *value),
                Some(round2(target_pct)),
                "{inputs:?} at {value}"
            );
            // cm2 is convex in the price; when it is negative at 0, it is below the target on the way
            // to the root, so the root is the lowest.
            let at_zero = UnitInputs {
                price: Decimal::ZERO,
                ..inputs.clone()
            }
            .evaluate();
            if at_zero.cm2 < Decimal::ZERO {
                assert!(gap_at(inputs, *value * dec!(0.9), target_pct) < Decimal::ZERO);
            }
        }
        Solved::Infeasible { reason } => {
            let prices = [
                dec!(0.5),
                dec!(10),
                dec!(1000),
                dec!(100000),
                dec!(10000000),
            ];
            match reason {
                Infeasibility::BelowTargetAtEveryPrice { .. } => {
                    for p in prices {
                        assert!(
                            gap_at(inputs, p, target_pct) < Decimal::ZERO,
                            "{inputs:?} at {p}"
                        );
                    }
                }
                Infeasibility::AboveTargetAtEveryPrice => {
                    for p in prices {
                        assert!(
                            gap_at(inputs, p, target_pct) > Decimal::ZERO,
                            "{inputs:?} at {p}"
                        );
                    }
                }
                other => panic!("{other:?} for {inputs:?}"),
            }
        }
    }
}

proptest! {
    // No regression files: the suite must not write into the source tree.
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn price_solvers_meet_the_target_or_say_why(inputs in sane_inputs(), target_pct in target()) {
        check_price_answer(&inputs, target_pct, &price_for_target_cm2_pct(&inputs, target_pct));
        check_price_answer(&inputs, Decimal::ZERO, &break_even_price(&inputs));
    }

    #[test]
    fn commission_solver_meets_the_target_or_says_why(inputs in sane_inputs(), target_pct in target()) {
        match max_commission_for_target_cm2_pct(&inputs, target_pct) {
            Solved::Value { value, .. } => {
                prop_assert!(value >= Decimal::ZERO);
                let at = UnitInputs { commission_pct: value, ..inputs.clone() }.evaluate();
                prop_assert_eq!(at.cm2_pct, Some(round2(target_pct)));
            }
            Solved::Infeasible { reason: Infeasibility::NegativeCommission { .. } } => {
                let none = UnitInputs { commission_pct: Decimal::ZERO, ..inputs.clone() };
                prop_assert!(gap_at(&none, inputs.price, target_pct) < Decimal::ZERO);
            }
            Solved::Infeasible { reason: Infeasibility::AboveTargetAtEveryCommission { limit_pct } } => {
                let most = UnitInputs { commission_pct: limit_pct, ..inputs.clone() };
                prop_assert!(gap_at(&most, inputs.price, target_pct) > Decimal::ZERO);
            }
            Solved::Infeasible { reason: Infeasibility::CommissionHasNoEffect { .. } } => {
                prop_assert!(inputs.affiliate_share_pct.is_zero());
            }
            other => prop_assert!(false, "{:?}", other),
        }
    }

    #[test]
    fn layers_only_go_down(inputs in sane_inputs()) {
        // Commission, ads and samples ≥ 0 → cm2 ≤ cm1; fees and the rest ≥ 0 → cm1 ≤ gross; O ≥ 0.
        let out = inputs.evaluate();
        prop_assert!(out.cm2 <= out.cm1);
        prop_assert!(out.cm1 <= out.gross_profit);
        prop_assert!(out.net_profit <= out.cm2);
        prop_assert!(out.platform_fees >= Decimal::ZERO);
    }

    #[test]
    fn grid_cells_are_evaluations(inputs in sane_inputs(), p in cents(50_000), r in percent(80)) {
        let grid = sensitivity_grid(&inputs, &[p], &[r]);
        let direct = UnitInputs { price: p, commission_pct: r, ..inputs }.evaluate().cm2_pct;
        prop_assert_eq!(grid, vec![vec![direct]]);
    }

    #[test]
    fn unit_fee_agrees_with_a_one_unit_line(
        market in prop::sample::select(vec!["US", "GB", "DE", "TH", "VN", "MY", "SG", "ID", "PH"]),
        days in 0i64..1500,
        electronics in any::<bool>(),
        price in cents(2_000_000),
    ) {
        // A second, independent route to the same fee: the line computation on a one-unit order.
        let date = day(2023, 1, 1) + chrono::Days::new(days as u64);
        let category = electronics.then_some("Electronics");
        let rules = default_rules();
        let unit = unit_fee(&rules, market, date, category, price, Decimal::ONE);
        let sale = LineFeeInput { category, gross_sales: price, ..LineFeeInput::new(market, date) };
        let sold = line_fees(&rules, &sale);
        prop_assert_eq!(unit.fee, sold.charged);
        prop_assert_eq!(unit.slope * price + unit.intercept, unit.fee);
        let back = line_fees(&rules, &LineFeeInput { units_returned: 1, ..sale });
        prop_assert_eq!(unit.retained_on_return, back.net());
        prop_assert_eq!(unit.refund_admin_fee, back.refund_admin_fee);
        prop_assert_eq!(unit.is_modelled(), sold.is_modelled());
    }

    #[test]
    fn line_fee_invariants(
        market in prop::sample::select(vec!["US", "GB", "FR", "TH", "VN", "MY", "SG", "ID", "PH"]),
        days in 0i64..1500,
        quantity in 0i64..20,
        returned in -2i64..25,
        gross in cents(10_000_000),
        shipping in cents(2_000),
        first in any::<bool>(),
    ) {
        let date = day(2023, 1, 1) + chrono::Days::new(days as u64);
        let f = line_fees(&default_rules(), &LineFeeInput {
            gross_sales: gross, buyer_shipping: shipping, quantity, units_returned: returned,
            first_line_of_order: first, ..LineFeeInput::new(market, date)
        });
        prop_assert!(f.charged >= Decimal::ZERO);
        prop_assert!(f.returned >= Decimal::ZERO && f.returned <= f.charged);
        prop_assert!(f.refund_admin_fee >= Decimal::ZERO && f.refund_admin_fee <= dec!(5));
        prop_assert!(f.net() >= Decimal::ZERO);
        if quantity == 0 { prop_assert_eq!(f.charged, Decimal::ZERO); }
    }
}
