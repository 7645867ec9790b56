//! Exact solvers (break-even price, price for a target cm2 %, highest commission) and the price ×
//! commission heat map (docs/metrics.md §7).

use super::model::{Branch, Model, max_net_price};
use super::{HUNDRED, MAX_AMOUNT, SOLVER_TOLERANCE_PCT, UnitInputs, pct, raw_pct, round2};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The price range where a solution lies and which caps bind there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Piece {
    /// Lowest list price of the piece.
    pub from: Decimal,
    /// Highest list price of the piece; `None` = unbounded.
    pub to: Option<Decimal>,
    /// The fee cap binds on this piece.
    pub fee_capped: bool,
    /// The refund administration fee cap binds on this piece.
    pub refund_admin_fee_capped: bool,
}

/// Why a solver has no answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Infeasibility {
    /// cm2 % stays below the target at every price: the costs that grow with the price already take
    /// more than (100 − target) % of net revenue. `ceiling_pct` is the cm2 % approached as the price
    /// grows (2 decimals).
    #[error("no price reaches this margin: cm2 % stays below it at every price{}", ceiling_text(.ceiling_pct))]
    BelowTargetAtEveryPrice {
        /// The limit of cm2 % as the price grows, percent points with 2 decimals.
        ceiling_pct: Option<Decimal>,
    },
    /// cm2 % is above the target at every price (no cost independent of the price pulls it down).
    #[error("cm2 % is above this target at every price")]
    AboveTargetAtEveryPrice,
    /// There is no net revenue at any price: the seller discount or the return rate is 100 %.
    #[error("there is no net revenue: the seller discount or the return rate is 100 %")]
    NoRevenue,
    /// Even without commission cm2 % is below the target: the commission would have to be negative.
    #[error("even 0 % commission leaves cm2 % below this target (it would take {required_pct} %)")]
    NegativeCommission {
        /// The commission rate that would reach the target, percent points with 2 decimals.
        required_pct: Decimal,
    },
    /// The commission rate does not change cm2 (affiliate share 0 %); `cm2_pct` is the margin at any
    /// rate.
    #[error("the commission rate does not change the margin: the affiliate share is 0 %")]
    CommissionHasNoEffect {
        /// cm2 % at the current inputs.
        cm2_pct: Option<Decimal>,
    },
    /// cm2 % stays at or above the target at every commission rate up to 100 % (a commission takes at
    /// most the whole price): the margin affords any commission (e.g. a small affiliate share). A rate
    /// above 100 % is no answer.
    #[error("any commission meets this target: cm2 % stays above it even at {limit_pct} %")]
    AboveTargetAtEveryCommission {
        /// The largest rate a commission can have: 100.
        limit_pct: Decimal,
    },
    /// The answer is beyond the amounts this calculator computes exactly (see the module's "Ranges").
    #[error("the answer is outside the range of amounts this calculator computes exactly")]
    OutOfRange,
}

fn ceiling_text(ceiling: &Option<Decimal>) -> String {
    ceiling.map_or_else(String::new, |c| format!(" (at most {c} %)"))
}

/// A solver's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Solved {
    /// The solution: a list price (price solvers) or a commission rate in percent points, and the
    /// price piece it lies on.
    Value {
        /// The solution, unrounded.
        value: Decimal,
        /// The price piece: where the price solution lies, or where the current price lies.
        piece: Piece,
    },
    /// No value reaches the target.
    Infeasible {
        /// Why.
        reason: Infeasibility,
    },
}

impl Solved {
    /// The value, when there is one.
    pub fn value(&self) -> Option<Decimal> {
        match self {
            Solved::Value { value, .. } => Some(*value),
            Solved::Infeasible { .. } => None,
        }
    }

    fn from_result(result: Result<(Decimal, Piece), Infeasibility>) -> Solved {
        match result {
            Ok((value, piece)) => Solved::Value { value, piece },
            Err(reason) => Solved::Infeasible { reason },
        }
    }
}

/// True when cm2 % of `inputs` is within [`SOLVER_TOLERANCE_PCT`] of `target_pct`.
fn meets_target(inputs: &UnitInputs, target_pct: Decimal) -> bool {
    let out = inputs.evaluate();
    raw_pct(out.cm2, out.net_revenue)
        .and_then(|got| got.checked_sub(target_pct))
        .is_some_and(|gap| gap.abs() <= SOLVER_TOLERANCE_PCT)
}

/// The list-price piece of a net-price piece.
fn list_piece(
    m: &Model,
    lo: Decimal,
    hi: Option<Decimal>,
    b: Branch,
) -> Result<Piece, Infeasibility> {
    let to_list = |p: Decimal| {
        p.checked_div(m.one_minus_d)
            .ok_or(Infeasibility::OutOfRange)
    };
    Ok(Piece {
        from: to_list(lo)?,
        to: hi.map(to_list).transpose()?,
        fee_capped: b.fee_capped,
        refund_admin_fee_capped: b.raf_capped,
    })
}

fn sign(x: Decimal) -> i8 {
    if x.is_zero() {
        0
    } else if x.is_sign_negative() {
        -1
    } else {
        1
    }
}

/// The lowest list price P > 0 at which cm2 % equals `target_pct`.
fn solve_price(
    inputs: &UnitInputs,
    target_pct: Decimal,
) -> Result<(Decimal, Piece), Infeasibility> {
    let m = Model::new(inputs);
    if m.one_minus_d <= Decimal::ZERO || m.kept() <= Decimal::ZERO {
        return Err(Infeasibility::NoRevenue);
    }
    let t = target_pct
        .checked_div(HUNDRED)
        .ok_or(Infeasibility::OutOfRange)?;
    let pieces = m.pieces();
    let mut previous_end: Option<Decimal> = None;
    let mut found = None;
    for (lo, hi, b) in &pieces {
        let (lo, hi, b) = (*lo, *hi, *b);
        let g = m.gap(b, t, m.r);
        let at_lo = g.at(lo).ok_or(Infeasibility::OutOfRange)?;
        // The two pieces' formulas meet at the true breakpoint; `lo` is that breakpoint to 28 digits, so
        // a sign change can hide between them: then the root is the breakpoint itself.
        if let Some(before) = previous_end
            && sign(before) * sign(at_lo) < 0
        {
            found = Some((lo, lo, hi, b));
            break;
        }
        if at_lo.is_zero() && lo > Decimal::ZERO {
            found = Some((lo, lo, hi, b));
            break;
        }
        let root = || (-g.c).checked_div(g.s);
        match hi {
            Some(hi) => {
                let at_hi = g.at(hi).ok_or(Infeasibility::OutOfRange)?;
                if g.s.is_zero() && g.c.is_zero() {
                    // cm2 % equals the target on the whole piece: take its upper end (> 0).
                    found = Some((hi, lo, Some(hi), b));
                    break;
                }
                if sign(at_lo) * sign(at_hi) <= 0 {
                    let p = if at_hi.is_zero() {
                        hi
                    } else {
                        root().ok_or(Infeasibility::OutOfRange)?.clamp(lo, hi)
                    };
                    if p > Decimal::ZERO {
                        found = Some((p, lo, Some(hi), b));
                        break;
                    }
                }
                previous_end = Some(at_hi);
            }
            None => {
                if g.s.is_zero() && g.c.is_zero() {
                    let p = if m.p > lo { m.p } else { lo + Decimal::ONE };
                    found = Some((p, lo, None, b));
                } else if sign(at_lo) * sign(g.s) < 0 {
                    let p = root().ok_or(Infeasibility::OutOfRange)?.max(lo);
                    if p > Decimal::ZERO {
                        found = Some((p, lo, None, b));
                    }
                }
            }
        }
    }
    let Some((p, lo, hi, b)) = found else {
        return Err(no_crossing(&m, &pieces, t));
    };
    if p > max_net_price() {
        return Err(Infeasibility::OutOfRange);
    }
    let price = p
        .checked_div(m.one_minus_d)
        .ok_or(Infeasibility::OutOfRange)?;
    if price > MAX_AMOUNT {
        return Err(Infeasibility::OutOfRange);
    }
    let mut at_price = inputs.clone();
    at_price.price = price;
    if !meets_target(&at_price, target_pct) {
        return Err(Infeasibility::OutOfRange);
    }
    Ok((price, list_piece(&m, lo, hi, b)?))
}

/// Why no positive price reaches the target: the gap keeps one sign over p > 0.
fn no_crossing(
    m: &Model,
    pieces: &[(Decimal, Option<Decimal>, Branch)],
    t: Decimal,
) -> Infeasibility {
    let Some((lo, _, b)) = pieces.last() else {
        return Infeasibility::OutOfRange;
    };
    let probe = *lo + Decimal::ONE;
    match m.gap(*b, t, m.r).at(probe) {
        Some(gap) if gap > Decimal::ZERO => Infeasibility::AboveTargetAtEveryPrice,
        Some(_) => {
            // (1 + v) cm2 = s0 p + c0 and (1 + v) net_revenue = (1 − ρ) p: cm2 % → s0 / (1 − ρ).
            let s0 = m.gap(*b, Decimal::ZERO, m.r).s;
            Infeasibility::BelowTargetAtEveryPrice {
                ceiling_pct: pct(s0, m.kept()),
            }
        }
        None => Infeasibility::OutOfRange,
    }
}

/// The lowest list price at which cm2 = 0 (docs/metrics.md §7 break-even price).
///
/// # Examples
/// ```
/// use margin_engine::whatif::{break_even_price, UnitInputs};
/// use rust_decimal_macros::dec;
/// // cm2 = p − 10 − 5 − 10 % of p → p = 15 / 0.9 = 16.666…
/// let inputs = UnitInputs { price: dec!(40), unit_cost: dec!(10), fulfillment_per_unit: dec!(5),
///     fee_pct: dec!(10), ..UnitInputs::default() };
/// let p = break_even_price(&inputs).value().unwrap();
/// assert_eq!(p.round_dp(2), dec!(16.67));
/// let at = UnitInputs { price: p, ..inputs };
/// assert_eq!(at.evaluate().cm2_pct, Some(dec!(0.00)));
/// ```
pub fn break_even_price(inputs: &UnitInputs) -> Solved {
    Solved::from_result(solve_price(inputs, Decimal::ZERO))
}

/// The lowest list price at which cm2 % equals `target_pct` (percent points).
///
/// # Examples
/// ```
/// use margin_engine::whatif::{price_for_target_cm2_pct, UnitInputs, Infeasibility, Solved};
/// use rust_decimal_macros::dec;
/// let inputs = UnitInputs { price: dec!(40), unit_cost: dec!(10), fulfillment_per_unit: dec!(5),
///     fee_pct: dec!(10), ..UnitInputs::default() };
/// // cm2 = 0.9 p − 15 = 0.5 p → p = 37.50
/// assert_eq!(price_for_target_cm2_pct(&inputs, dec!(50)).value(), Some(dec!(37.5)));
/// // The fee takes 10 % of every price: cm2 % never reaches 95 %.
/// assert!(matches!(price_for_target_cm2_pct(&inputs, dec!(95)),
///     Solved::Infeasible { reason: Infeasibility::BelowTargetAtEveryPrice { .. } }));
/// ```
pub fn price_for_target_cm2_pct(inputs: &UnitInputs, target_pct: Decimal) -> Solved {
    Solved::from_result(solve_price(inputs, target_pct))
}

/// The commission rate (percent points) at which cm2 % equals `target_pct` at the current price: the
/// highest rate the margin can afford. A commission is a share of the price, so the answer is at most
/// 100 %: when even 100 % keeps cm2 % above the target, the answer is
/// [`Infeasibility::AboveTargetAtEveryCommission`] (any commission meets it), not a rate above 100 %.
///
/// # Examples
/// ```
/// use margin_engine::whatif::{max_commission_for_target_cm2_pct, UnitInputs};
/// use rust_decimal_macros::dec;
/// let inputs = UnitInputs { price: dec!(40), unit_cost: dec!(10), affiliate_share_pct: dec!(100),
///     ..UnitInputs::default() };
/// // cm2 = 30 − r × 40 = 0.5 × 40 → r = 25 %
/// assert_eq!(max_commission_for_target_cm2_pct(&inputs, dec!(50)).value(), Some(dec!(25)));
/// ```
pub fn max_commission_for_target_cm2_pct(inputs: &UnitInputs, target_pct: Decimal) -> Solved {
    Solved::from_result(solve_commission(inputs, target_pct))
}

fn solve_commission(
    inputs: &UnitInputs,
    target_pct: Decimal,
) -> Result<(Decimal, Piece), Infeasibility> {
    let m = Model::new(inputs);
    if m.p <= Decimal::ZERO || m.kept() <= Decimal::ZERO {
        return Err(Infeasibility::NoRevenue);
    }
    let t = target_pct
        .checked_div(HUNDRED)
        .ok_or(Infeasibility::OutOfRange)?;
    let b = m.branch_at(m.p);
    // (1 + v)(cm2 − t nr) = gap without commission − (1 + v) a r (1 − ρ) p.
    let without = m
        .gap(b, t, Decimal::ZERO)
        .at(m.p)
        .ok_or(Infeasibility::OutOfRange)?;
    let per_rate = m.vat1 * m.a * m.kept() * m.p;
    if per_rate.is_zero() {
        return Err(Infeasibility::CommissionHasNoEffect {
            cm2_pct: inputs.evaluate().cm2_pct,
        });
    }
    let rate_pct = without
        .checked_mul(HUNDRED)
        .and_then(|x| x.checked_div(per_rate))
        .ok_or(Infeasibility::OutOfRange)?;
    if rate_pct < Decimal::ZERO {
        return Err(Infeasibility::NegativeCommission {
            required_pct: round2(rate_pct),
        });
    }
    if rate_pct > HUNDRED {
        return Err(Infeasibility::AboveTargetAtEveryCommission { limit_pct: HUNDRED });
    }
    let mut at_rate = inputs.clone();
    at_rate.commission_pct = rate_pct;
    if !meets_target(&at_rate, target_pct) {
        return Err(Infeasibility::OutOfRange);
    }
    let (lo, hi, _) = m
        .pieces()
        .into_iter()
        .rev()
        .find(|(lo, _, _)| *lo <= m.p)
        .ok_or(Infeasibility::OutOfRange)?;
    Ok((rate_pct, list_piece(&m, lo, hi, b)?))
}

/// cm2 % (percent points, 2 decimals) for every price (rows) × commission rate (columns, percent
/// points); `None` where net revenue is 0.
///
/// # Examples
/// ```
/// use margin_engine::whatif::{sensitivity_grid, UnitInputs};
/// use rust_decimal_macros::dec;
/// let inputs = UnitInputs { unit_cost: dec!(10), affiliate_share_pct: dec!(100), ..UnitInputs::default() };
/// let grid = sensitivity_grid(&inputs, &[dec!(20), dec!(0)], &[dec!(0), dec!(10)]);
/// assert_eq!(grid, vec![vec![Some(dec!(50.00)), Some(dec!(40.00))], vec![None, None]]);
/// ```
pub fn sensitivity_grid(
    inputs: &UnitInputs,
    prices: &[Decimal],
    commissions: &[Decimal],
) -> Vec<Vec<Option<Decimal>>> {
    prices
        .iter()
        .map(|price| {
            commissions
                .iter()
                .map(|commission| {
                    UnitInputs {
                        price: *price,
                        commission_pct: *commission,
                        ..inputs.clone()
                    }
                    .evaluate()
                    .cm2_pct
                })
                .collect()
        })
        .collect()
}

/// The price × commission heat map of one row (the what-if page): cm2 % at list prices from 70 % to
/// 130 % of the row's price in steps of 10 % (rounded to 2 decimals half away from zero), and commission
/// rates from 0 % to 30 % in steps of 5 points (docs/metrics.md §7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sensitivity {
    /// The list prices, one per row of the map.
    pub prices: Vec<Decimal>,
    /// The commission rates (percent points), one per column.
    pub commissions: Vec<Decimal>,
    /// cm2 % at each price (row) and commission (column) ([`sensitivity_grid`]).
    pub cm2_pct: Vec<Vec<Option<Decimal>>>,
}

impl Sensitivity {
    /// The map around `inputs`' price; `None` when the price is not above zero.
    ///
    /// # Examples
    /// ```
    /// use margin_engine::whatif::{Sensitivity, UnitInputs};
    /// use rust_decimal_macros::dec;
    /// let s = Sensitivity::around(&UnitInputs { price: dec!(19.99), ..UnitInputs::default() }).unwrap();
    /// // 19.99 × 0.7 = 13.993 → 13.99; 19.99 × 1.3 = 25.987 → 25.99.
    /// assert_eq!((s.prices[0], s.prices[6]), (dec!(13.99), dec!(25.99)));
    /// assert_eq!(s.commissions, [dec!(0), dec!(5), dec!(10), dec!(15), dec!(20), dec!(25), dec!(30)]);
    /// ```
    pub fn around(inputs: &UnitInputs) -> Option<Sensitivity> {
        if inputs.price <= Decimal::ZERO {
            return None;
        }
        let prices: Vec<Decimal> = (7..=13)
            .filter_map(|k| {
                let p = inputs.price.checked_mul(Decimal::from(k))? / Decimal::TEN;
                Some(super::round2(p))
            })
            .collect();
        let commissions: Vec<Decimal> = (0..=6).map(|k| Decimal::from(k * 5)).collect();
        let cm2_pct = sensitivity_grid(inputs, &prices, &commissions);
        Some(Sensitivity {
            prices,
            commissions,
            cm2_pct,
        })
    }
}
