//! What-if unit economics (docs/metrics.md §7): the layers of one unit ordered, and exact solvers.
//!
//! Inputs and outputs carry the names of docs/metrics.md §7, which are also their serde names and the
//! page's `data-input` hooks. **Every `*_pct` input and output is in percent points** (`15` = 15 %),
//! as the page shows and edits them and as scenario files store them; the model divides by 100
//! internally (exact in `Decimal`).
//!
//! With p = P (1 − d) and every rate as a ratio (docs/metrics.md §7):
//!
//! ```text
//! fee(p)        = min(f p, fee_cap_per_item) + F / u
//! raf(p)        = min(refund_admin_fee × fee(p), refund_admin_fee_cap / u)
//! net_revenue   = p (1 − ρ) / (1 + v)
//! platform_fee  = fee(p) (1 − ρ) + ρ · raf(p)
//! commission    = a · r · p (1 − ρ)
//! cogs          = C (1 − ρ)
//! returns_cost  = ρ (C (1 − k) + R)
//! cm1 = net_revenue − cogs − platform_fee − S − H/u − returns_cost
//! cm2 = cm1 − commission − A − M
//! net = cm2 − O
//! ```
//!
//! A returned unit gets its fee back except `raf(p)`; a fee that is never refunded (TH Commerce Growth
//! Fee) is `refund_admin_fee_pct` = 100. The caps are the only non-linearity, so cm2 is linear in p on
//! each piece between the prices where a cap starts binding: the solvers solve one linear equation per
//! piece and keep the root inside it, exactly in `Decimal` (no float, no iteration).
//!
//! **Solver guarantee.** `Decimal` division keeps 28 significant digits, so a solved price or rate may
//! be inexact in its last digits. Every value a solver returns has been evaluated before it is returned:
//! cm2 % at it is within [`SOLVER_TOLERANCE_PCT`] percent points of the target, so cm2 % rounded to 2
//! decimals (the page's precision) equals any target given with at most 2 decimals. When that check
//! fails (amounts near the limits of `Decimal`), the solver answers [`Infeasibility::OutOfRange`].
//!
//! **Ranges.** To keep every operation free of overflow, [`UnitInputs::evaluate`] reads the inputs
//! clamped to what they can mean: amounts within ±[`MAX_AMOUNT`], the price ≥ 0, percentages within
//! ±[`MAX_PCT`], the seller discount, return rate and restock rate within 0–100 (the seller discount may
//! be negative, a mark-up), VAT ≥ 0 and units per order ≥ 1. [`UnitInputs::out_of_range`] names the
//! inputs that were clamped so the page can say so.
//!
//! The module is split by responsibility: `unit` (inputs, outputs, evaluation), `model` (the piecewise
//! model evaluation and the solvers share), `solvers` (the solvers and the heat map), `projection` (a
//! period under a scenario, the baseline, the sums of several SKUs) and `live` (those sums kept up to date
//! edit by edit). The grid's edits (typed cells, bulk edits, paste, fill-down) are [`crate::edits`], undo
//! and redo [`crate::history`].

use crate::money::DISPLAY_ROUNDING;
use rust_decimal::Decimal;

mod live;
mod model;
mod projection;
mod solvers;
mod unit;

pub use live::{Changes, LiveTotals};
pub use projection::{
    BaselineSku, PeriodSum, PeriodTotals, Projection, ProjectionCache, ScenarioTotals, baseline,
    baseline_skus, project, project_all,
};
pub use solvers::{
    Infeasibility, Piece, Sensitivity, Solved, break_even_price, max_commission_for_target_cm2_pct,
    price_for_target_cm2_pct, sensitivity_grid,
};
pub use unit::{UnitInputs, UnitOutputs, UnknownInput};

/// Largest amount of money an input may hold (10^12); larger ones are clamped.
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(0xD4A5_1000, 0xE8, 0, false, 0);
/// Largest percentage an input may hold (1000 percent points); larger ones are clamped.
pub const MAX_PCT: Decimal = Decimal::from_parts(1000, 0, 0, false, 0);
/// How far (in percent points) cm2 % at a solver's answer may be from the target: 0.0001.
pub const SOLVER_TOLERANCE_PCT: Decimal = Decimal::from_parts(1, 0, 0, false, 4);

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

/// `numerator / denominator` in percent points, unrounded; `None` when the denominator is 0 or the
/// quotient overflows.
pub(crate) fn raw_pct(numerator: Decimal, denominator: Decimal) -> Option<Decimal> {
    if denominator.is_zero() {
        return None;
    }
    numerator.checked_mul(HUNDRED)?.checked_div(denominator)
}

/// Percent points rounded to 2 decimals half away from zero (as `money::percent_points`, without its
/// overflow on a tiny denominator).
pub(crate) fn pct(numerator: Decimal, denominator: Decimal) -> Option<Decimal> {
    raw_pct(numerator, denominator).map(round2)
}

pub(crate) fn round2(x: Decimal) -> Decimal {
    let mut r = x.round_dp_with_strategy(2, DISPLAY_ROUNDING);
    r.rescale(2);
    r
}

#[cfg(test)]
mod tests {
    use super::model::Model;
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn constants_are_what_their_docs_say() {
        assert_eq!(MAX_AMOUNT, dec!(1000000000000));
        assert_eq!(MAX_PCT, dec!(1000));
        assert_eq!(SOLVER_TOLERANCE_PCT, dec!(0.0001));
    }

    #[test]
    fn gap_formula_agrees_with_evaluate() {
        // (1 + v)(cm2 − t nr) from the piece formula equals the same built from evaluate's outputs.
        let inputs = UnitInputs {
            price: dec!(123.45),
            seller_discount_pct: dec!(10),
            unit_cost: dec!(31),
            vat_pct: dec!(20),
            fee_pct: dec!(9),
            fee_fixed_per_order: dec!(0.30),
            fee_cap_per_item: Some(dec!(8)),
            units_per_order: dec!(2),
            refund_admin_fee_pct: dec!(20),
            refund_admin_fee_cap: Some(dec!(5)),
            affiliate_share_pct: dec!(60),
            commission_pct: dec!(12),
            return_rate_pct: dec!(8),
            restock_pct: dec!(50),
            return_shipping: dec!(4),
            fulfillment_per_unit: dec!(3),
            shipping_per_order: dec!(5),
            ad_spend_per_unit: dec!(2),
            sample_cost_per_unit: dec!(1),
            overhead_per_unit: dec!(6),
        };
        let m = Model::new(&inputs);
        let out = inputs.evaluate();
        let t = dec!(0.25);
        let gap = m.gap(m.branch_at(m.p), t, m.r).at(m.p).unwrap();
        let expected = (out.cm2 - t * out.net_revenue) * dec!(1.2);
        assert!((gap - expected).abs() < dec!(0.000000000000000001));
        assert!(out.fee_capped, "9 % of 111.105 = 10.0 > 8");
    }

    #[test]
    fn unknown_names_are_errors_and_names_round_trip() {
        let mut inputs = UnitInputs::default();
        for (i, name) in UnitInputs::NAMES.iter().enumerate() {
            inputs.set(name, Decimal::from(i as i64 + 1)).unwrap();
            assert_eq!(inputs.get(name).unwrap(), Some(Decimal::from(i as i64 + 1)));
        }
        inputs.clear("fee_cap_per_item").unwrap();
        assert_eq!(inputs.get("fee_cap_per_item").unwrap(), None);
        assert!(inputs.clear("price").is_err());
        assert!(inputs.get("nope").is_err());
        let json = serde_json::to_value(&inputs).unwrap();
        for name in UnitInputs::NAMES {
            assert!(json.get(name).is_some(), "serde name {name}");
        }
    }
}
