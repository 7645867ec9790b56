//! What-if unit economics (METRICS.md §7): the layers of one unit ordered, and exact solvers.
//!
//! Inputs and outputs carry the names of METRICS.md §7, which are also their serde names and the
//! page's `data-input` hooks. **Every `*_pct` input and output is in percent points** (`15` = 15 %),
//! as the page shows and edits them and as scenario files store them; the model divides by 100
//! internally (exact in `Decimal`).
//!
//! With p = P (1 − d) and every rate as a ratio (METRICS.md §7):
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

use crate::money::DISPLAY_ROUNDING;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Largest amount of money an input may hold (10^12); larger ones are clamped.
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(0xD4A5_1000, 0xE8, 0, false, 0);
/// Largest percentage an input may hold (1000 percent points); larger ones are clamped.
pub const MAX_PCT: Decimal = Decimal::from_parts(1000, 0, 0, false, 0);
/// How far (in percent points) cm2 % at a solver's answer may be from the target: 0.0001.
pub const SOLVER_TOLERANCE_PCT: Decimal = Decimal::from_parts(1, 0, 0, false, 4);

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

/// The inputs of one SKU's unit economics (METRICS.md §7). Amounts are per unit unless the name says
/// "per order"; `*_pct` are percent points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UnitInputs {
    /// P: list price per unit (VAT-inclusive where prices include VAT).
    pub price: Decimal,
    /// d: seller-funded discount, percent of the list price.
    pub seller_discount_pct: Decimal,
    /// C: unit cost.
    pub unit_cost: Decimal,
    /// v: VAT rate included in the price (UK/EU); 0 for US prices.
    pub vat_pct: Decimal,
    /// f: platform fee rate on the price after seller discount.
    pub fee_pct: Decimal,
    /// F: fixed platform fee per order.
    pub fee_fixed_per_order: Decimal,
    /// Cap of the rate part of the fee per unit (TH THB 199); `None` = no cap.
    pub fee_cap_per_item: Option<Decimal>,
    /// u: units per order, spreading per-order amounts (at least 1).
    pub units_per_order: Decimal,
    /// Share of a returned unit's fee kept by the platform (US refund administration fee: 20; a fee
    /// never refunded: 100).
    pub refund_admin_fee_pct: Decimal,
    /// Cap of the refund administration fee per SKU line (US: 5.00), spread over `units_per_order`;
    /// `None` = no cap.
    pub refund_admin_fee_cap: Option<Decimal>,
    /// a: share of units sold through affiliates.
    pub affiliate_share_pct: Decimal,
    /// r: affiliate commission rate.
    pub commission_pct: Decimal,
    /// ρ: share of units ordered that are returned and refunded.
    pub return_rate_pct: Decimal,
    /// k: share of a returned unit's cost recovered by restocking it.
    pub restock_pct: Decimal,
    /// R: return shipping paid by the seller per returned unit.
    pub return_shipping: Decimal,
    /// S: fulfilment per unit.
    pub fulfillment_per_unit: Decimal,
    /// H: seller-paid shipping per order.
    pub shipping_per_order: Decimal,
    /// A: ad spend per unit.
    pub ad_spend_per_unit: Decimal,
    /// M: sample cost per unit.
    pub sample_cost_per_unit: Decimal,
    /// O: overhead per unit.
    pub overhead_per_unit: Decimal,
}

impl Default for UnitInputs {
    /// Everything zero, one unit per order, no caps.
    fn default() -> Self {
        UnitInputs {
            price: Decimal::ZERO,
            seller_discount_pct: Decimal::ZERO,
            unit_cost: Decimal::ZERO,
            vat_pct: Decimal::ZERO,
            fee_pct: Decimal::ZERO,
            fee_fixed_per_order: Decimal::ZERO,
            fee_cap_per_item: None,
            units_per_order: Decimal::ONE,
            refund_admin_fee_pct: Decimal::ZERO,
            refund_admin_fee_cap: None,
            affiliate_share_pct: Decimal::ZERO,
            commission_pct: Decimal::ZERO,
            return_rate_pct: Decimal::ZERO,
            restock_pct: Decimal::ZERO,
            return_shipping: Decimal::ZERO,
            fulfillment_per_unit: Decimal::ZERO,
            shipping_per_order: Decimal::ZERO,
            ad_spend_per_unit: Decimal::ZERO,
            sample_cost_per_unit: Decimal::ZERO,
            overhead_per_unit: Decimal::ZERO,
        }
    }
}

/// An input name that [`UnitInputs::set`] does not know (or, for [`UnitInputs::clear`], that is not
/// optional).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown what-if input {name:?}")]
pub struct UnknownInput {
    /// The name asked for.
    pub name: String,
}

impl UnitInputs {
    /// Every input name, in METRICS.md §7 order, with the two optional caps after the fee inputs they
    /// belong to.
    pub const NAMES: [&'static str; 20] = [
        "price",
        "seller_discount_pct",
        "unit_cost",
        "vat_pct",
        "fee_pct",
        "fee_fixed_per_order",
        "fee_cap_per_item",
        "units_per_order",
        "refund_admin_fee_pct",
        "refund_admin_fee_cap",
        "affiliate_share_pct",
        "commission_pct",
        "return_rate_pct",
        "restock_pct",
        "return_shipping",
        "fulfillment_per_unit",
        "shipping_per_order",
        "ad_spend_per_unit",
        "sample_cost_per_unit",
        "overhead_per_unit",
    ];

    fn field(&mut self, name: &str) -> Option<&mut Decimal> {
        Some(match name {
            "price" => &mut self.price,
            "seller_discount_pct" => &mut self.seller_discount_pct,
            "unit_cost" => &mut self.unit_cost,
            "vat_pct" => &mut self.vat_pct,
            "fee_pct" => &mut self.fee_pct,
            "fee_fixed_per_order" => &mut self.fee_fixed_per_order,
            "units_per_order" => &mut self.units_per_order,
            "refund_admin_fee_pct" => &mut self.refund_admin_fee_pct,
            "affiliate_share_pct" => &mut self.affiliate_share_pct,
            "commission_pct" => &mut self.commission_pct,
            "return_rate_pct" => &mut self.return_rate_pct,
            "restock_pct" => &mut self.restock_pct,
            "return_shipping" => &mut self.return_shipping,
            "fulfillment_per_unit" => &mut self.fulfillment_per_unit,
            "shipping_per_order" => &mut self.shipping_per_order,
            "ad_spend_per_unit" => &mut self.ad_spend_per_unit,
            "sample_cost_per_unit" => &mut self.sample_cost_per_unit,
            "overhead_per_unit" => &mut self.overhead_per_unit,
            _ => return None,
        })
    }

    fn optional_field(&mut self, name: &str) -> Option<&mut Option<Decimal>> {
        match name {
            "fee_cap_per_item" => Some(&mut self.fee_cap_per_item),
            "refund_admin_fee_cap" => Some(&mut self.refund_admin_fee_cap),
            _ => None,
        }
    }

    /// Sets the input called `name` (a [`UnitInputs::NAMES`] entry; percentages in percent points).
    /// Setting an optional cap turns it on.
    ///
    /// # Examples
    /// ```
    /// use margin_engine::whatif::UnitInputs;
    /// use rust_decimal_macros::dec;
    /// let mut inputs = UnitInputs::default();
    /// inputs.set("commission_pct", dec!(15)).unwrap();
    /// inputs.set("fee_cap_per_item", dec!(199)).unwrap();
    /// assert_eq!((inputs.commission_pct, inputs.fee_cap_per_item), (dec!(15), Some(dec!(199))));
    /// assert!(inputs.set("colour", dec!(1)).is_err());
    /// ```
    pub fn set(&mut self, name: &str, value: Decimal) -> Result<(), UnknownInput> {
        if let Some(field) = self.field(name) {
            *field = value;
        } else if let Some(field) = self.optional_field(name) {
            *field = Some(value);
        } else {
            return Err(UnknownInput {
                name: name.to_string(),
            });
        }
        Ok(())
    }

    /// Turns an optional cap (`fee_cap_per_item`, `refund_admin_fee_cap`) off.
    pub fn clear(&mut self, name: &str) -> Result<(), UnknownInput> {
        match self.optional_field(name) {
            Some(field) => {
                *field = None;
                Ok(())
            }
            None => Err(UnknownInput {
                name: name.to_string(),
            }),
        }
    }

    /// The input called `name`: `Ok(None)` for a cap that is off.
    pub fn get(&self, name: &str) -> Result<Option<Decimal>, UnknownInput> {
        let mut copy = self.clone();
        if let Some(field) = copy.field(name) {
            return Ok(Some(*field));
        }
        match copy.optional_field(name) {
            Some(field) => Ok(*field),
            None => Err(UnknownInput {
                name: name.to_string(),
            }),
        }
    }

    /// The names of the inputs [`evaluate`](UnitInputs::evaluate) clamps (see the module's "Ranges").
    ///
    /// # Examples
    /// ```
    /// use margin_engine::whatif::UnitInputs;
    /// use rust_decimal_macros::dec;
    /// let inputs = UnitInputs { return_rate_pct: dec!(120), units_per_order: dec!(0), ..UnitInputs::default() };
    /// assert_eq!(inputs.out_of_range(), vec!["units_per_order", "return_rate_pct"]);
    /// ```
    pub fn out_of_range(&self) -> Vec<&'static str> {
        let clamped = self.clamped();
        Self::NAMES
            .into_iter()
            .filter(|name| self.get(name).ok() != clamped.get(name).ok())
            .collect()
    }

    /// The inputs as evaluate reads them: each clamped to the range where it has a meaning.
    fn clamped(&self) -> UnitInputs {
        let amount = |x: Decimal| x.clamp(-MAX_AMOUNT, MAX_AMOUNT);
        let pct = |x: Decimal| x.clamp(-MAX_PCT, MAX_PCT);
        let share = |x: Decimal| x.clamp(Decimal::ZERO, HUNDRED);
        UnitInputs {
            price: self.price.clamp(Decimal::ZERO, MAX_AMOUNT),
            seller_discount_pct: self.seller_discount_pct.clamp(-MAX_PCT, HUNDRED),
            unit_cost: amount(self.unit_cost),
            vat_pct: self.vat_pct.clamp(Decimal::ZERO, MAX_PCT),
            fee_pct: pct(self.fee_pct),
            fee_fixed_per_order: amount(self.fee_fixed_per_order),
            fee_cap_per_item: self.fee_cap_per_item.map(amount),
            units_per_order: self.units_per_order.clamp(Decimal::ONE, MAX_AMOUNT),
            refund_admin_fee_pct: pct(self.refund_admin_fee_pct),
            refund_admin_fee_cap: self.refund_admin_fee_cap.map(amount),
            affiliate_share_pct: pct(self.affiliate_share_pct),
            commission_pct: pct(self.commission_pct),
            return_rate_pct: share(self.return_rate_pct),
            restock_pct: share(self.restock_pct),
            return_shipping: amount(self.return_shipping),
            fulfillment_per_unit: amount(self.fulfillment_per_unit),
            shipping_per_order: amount(self.shipping_per_order),
            ad_spend_per_unit: amount(self.ad_spend_per_unit),
            sample_cost_per_unit: amount(self.sample_cost_per_unit),
            overhead_per_unit: amount(self.overhead_per_unit),
        }
    }

    /// The layers of one unit ordered (METRICS.md §7 formulas, see the module documentation).
    ///
    /// # Examples
    /// ```
    /// use margin_engine::whatif::UnitInputs;
    /// use rust_decimal_macros::dec;
    /// // METRICS.md §4 worked example.
    /// let inputs = UnitInputs {
    ///     price: dec!(40), unit_cost: dec!(10), affiliate_share_pct: dec!(100), commission_pct: dec!(15),
    ///     fee_pct: dec!(2), fee_fixed_per_order: dec!(0.30), fulfillment_per_unit: dec!(5),
    ///     overhead_per_unit: dec!(10), ..UnitInputs::default()
    /// };
    /// let out = inputs.evaluate();
    /// assert_eq!((out.cm1, out.cm2, out.net_profit), (dec!(23.90), dec!(17.90), dec!(7.90)));
    /// assert_eq!((out.cm2_pct, out.net_margin_pct), (Some(dec!(44.75)), Some(dec!(19.75))));
    /// ```
    pub fn evaluate(&self) -> UnitOutputs {
        Model::new(self).outputs()
    }
}

/// The layers of one unit ordered. Money is unrounded; `*_pct` are percent points over `net_revenue`
/// rounded to 2 decimals half away from zero ([`crate::money::percent_points`]), `None` when
/// net_revenue is 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitOutputs {
    /// p = P (1 − d): the price after seller discount.
    pub net_price: Decimal,
    /// p (1 − ρ) / (1 + v).
    pub net_revenue: Decimal,
    /// fee(p) (1 − ρ) + ρ · raf(p).
    pub platform_fees: Decimal,
    /// a · r · p (1 − ρ).
    pub affiliate_commission: Decimal,
    /// C (1 − ρ).
    pub cogs: Decimal,
    /// ρ (C (1 − k) + R).
    pub returns_cost: Decimal,
    /// S.
    pub fulfillment: Decimal,
    /// H / u.
    pub shipping: Decimal,
    /// A.
    pub ad_spend: Decimal,
    /// M.
    pub sample_cost: Decimal,
    /// O.
    pub overhead: Decimal,
    /// net_revenue − cogs.
    pub gross_profit: Decimal,
    /// gross_profit − platform_fees − fulfillment − shipping − returns_cost.
    pub cm1: Decimal,
    /// cm1 − affiliate_commission − ad_spend − sample_cost.
    pub cm2: Decimal,
    /// cm2 − overhead.
    pub net_profit: Decimal,
    /// gross_profit / net_revenue.
    pub gross_margin_pct: Option<Decimal>,
    /// cm1 / net_revenue.
    pub cm1_pct: Option<Decimal>,
    /// cm2 / net_revenue.
    pub cm2_pct: Option<Decimal>,
    /// net_profit / net_revenue.
    pub net_margin_pct: Option<Decimal>,
    /// platform_fees / net_revenue.
    pub platform_fees_pct: Option<Decimal>,
    /// affiliate_commission / net_revenue.
    pub affiliate_commission_pct: Option<Decimal>,
    /// cogs / net_revenue.
    pub cogs_pct: Option<Decimal>,
    /// returns_cost / net_revenue.
    pub returns_cost_pct: Option<Decimal>,
    /// (p / (1 + v) − C) / C: the net price's mark-up on cost (METRICS.md §4), `None` when C = 0.
    /// With it, gross margin = markup / (1 + markup), returns or not.
    pub markup_pct: Option<Decimal>,
    /// net_revenue / cm1 (unrounded), `None` when cm1 ≤ 0 (METRICS.md §6, per unit).
    pub break_even_roas: Option<Decimal>,
    /// The fee cap binds at this price.
    pub fee_capped: bool,
    /// The refund administration fee cap binds at this price.
    pub refund_admin_fee_capped: bool,
}

impl UnitOutputs {
    /// Every output name [`get`](UnitOutputs::get) knows.
    pub const NAMES: [&'static str; 25] = [
        "net_price",
        "net_revenue",
        "platform_fees",
        "affiliate_commission",
        "cogs",
        "returns_cost",
        "fulfillment",
        "shipping",
        "ad_spend",
        "sample_cost",
        "overhead",
        "gross_profit",
        "cm1",
        "cm2",
        "net_profit",
        "gross_margin_pct",
        "cm1_pct",
        "cm2_pct",
        "net_margin_pct",
        "platform_fees_pct",
        "affiliate_commission_pct",
        "cogs_pct",
        "returns_cost_pct",
        "markup_pct",
        "break_even_roas",
    ];

    /// The output called `name` (for the page's `data-output` hooks); `None` for an unknown name or
    /// a figure that cannot be computed.
    pub fn get(&self, name: &str) -> Option<Decimal> {
        match name {
            "net_price" => Some(self.net_price),
            "net_revenue" => Some(self.net_revenue),
            "platform_fees" => Some(self.platform_fees),
            "affiliate_commission" => Some(self.affiliate_commission),
            "cogs" => Some(self.cogs),
            "returns_cost" => Some(self.returns_cost),
            "fulfillment" => Some(self.fulfillment),
            "shipping" => Some(self.shipping),
            "ad_spend" => Some(self.ad_spend),
            "sample_cost" => Some(self.sample_cost),
            "overhead" => Some(self.overhead),
            "gross_profit" => Some(self.gross_profit),
            "cm1" => Some(self.cm1),
            "cm2" => Some(self.cm2),
            "net_profit" => Some(self.net_profit),
            "gross_margin_pct" => self.gross_margin_pct,
            "cm1_pct" => self.cm1_pct,
            "cm2_pct" => self.cm2_pct,
            "net_margin_pct" => self.net_margin_pct,
            "platform_fees_pct" => self.platform_fees_pct,
            "affiliate_commission_pct" => self.affiliate_commission_pct,
            "cogs_pct" => self.cogs_pct,
            "returns_cost_pct" => self.returns_cost_pct,
            "markup_pct" => self.markup_pct,
            "break_even_roas" => self.break_even_roas,
            _ => None,
        }
    }
}

/// `numerator / denominator` in percent points, unrounded; `None` when the denominator is 0 or the
/// quotient overflows.
fn raw_pct(numerator: Decimal, denominator: Decimal) -> Option<Decimal> {
    if denominator.is_zero() {
        return None;
    }
    numerator.checked_mul(HUNDRED)?.checked_div(denominator)
}

/// Percent points rounded to 2 decimals half away from zero (as `money::percent_points`, without its
/// overflow on a tiny denominator).
fn pct(numerator: Decimal, denominator: Decimal) -> Option<Decimal> {
    raw_pct(numerator, denominator).map(round2)
}

fn round2(x: Decimal) -> Decimal {
    let mut r = x.round_dp_with_strategy(2, DISPLAY_ROUNDING);
    r.rescale(2);
    r
}

/// Which side of each cap a price is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Branch {
    fee_capped: bool,
    raf_capped: bool,
}

/// `s × p + c`.
#[derive(Debug, Clone, Copy)]
struct Lin {
    s: Decimal,
    c: Decimal,
}

impl Lin {
    fn constant(c: Decimal) -> Lin {
        Lin {
            s: Decimal::ZERO,
            c,
        }
    }
    fn scale(self, k: Decimal) -> Lin {
        Lin {
            s: self.s * k,
            c: self.c * k,
        }
    }
    fn plus(self, o: Lin) -> Lin {
        Lin {
            s: self.s + o.s,
            c: self.c + o.c,
        }
    }
    fn at(self, p: Decimal) -> Option<Decimal> {
        self.s.checked_mul(p)?.checked_add(self.c)
    }
}

/// The inputs as ratios, clamped; per-order amounts spread per unit.
#[derive(Debug, Clone)]
struct Model {
    /// p = P (1 − d).
    p: Decimal,
    one_minus_d: Decimal,
    /// 1 + v (≥ 1).
    vat1: Decimal,
    cost: Decimal,
    f: Decimal,
    cap: Option<Decimal>,
    /// F / u.
    fee_fixed: Decimal,
    raf: Decimal,
    /// refund_admin_fee_cap / u.
    raf_cap: Option<Decimal>,
    a: Decimal,
    r: Decimal,
    rho: Decimal,
    k: Decimal,
    return_shipping: Decimal,
    fulfillment: Decimal,
    /// H / u.
    shipping: Decimal,
    ad: Decimal,
    samples: Decimal,
    overhead: Decimal,
}

impl Model {
    fn new(inputs: &UnitInputs) -> Model {
        let i = inputs.clamped();
        let ratio = |x: Decimal| x / HUNDRED;
        let u = i.units_per_order;
        let one_minus_d = Decimal::ONE - ratio(i.seller_discount_pct);
        Model {
            p: i.price * one_minus_d,
            one_minus_d,
            vat1: Decimal::ONE + ratio(i.vat_pct),
            cost: i.unit_cost,
            f: ratio(i.fee_pct),
            cap: i.fee_cap_per_item,
            fee_fixed: i.fee_fixed_per_order / u,
            raf: ratio(i.refund_admin_fee_pct),
            raf_cap: i.refund_admin_fee_cap.map(|c| c / u),
            a: ratio(i.affiliate_share_pct),
            r: ratio(i.commission_pct),
            rho: ratio(i.return_rate_pct),
            k: ratio(i.restock_pct),
            return_shipping: i.return_shipping,
            fulfillment: i.fulfillment_per_unit,
            shipping: i.shipping_per_order / u,
            ad: i.ad_spend_per_unit,
            samples: i.sample_cost_per_unit,
            overhead: i.overhead_per_unit,
        }
    }

    fn kept(&self) -> Decimal {
        Decimal::ONE - self.rho
    }

    /// fee(p) on a given branch.
    fn fee(&self, b: Branch) -> Lin {
        match (b.fee_capped, self.cap) {
            (true, Some(cap)) => Lin::constant(cap + self.fee_fixed),
            _ => Lin {
                s: self.f,
                c: self.fee_fixed,
            },
        }
    }

    /// raf(p) on a given branch.
    fn raf(&self, b: Branch) -> Lin {
        match (b.raf_capped, self.raf_cap) {
            (true, Some(cap)) => Lin::constant(cap),
            _ => self.fee(b).scale(self.raf),
        }
    }

    /// The branch of each cap at price p: a cap binds when the uncapped amount exceeds it, as `min`.
    fn branch_at(&self, p: Decimal) -> Branch {
        let fee_capped = self.cap.is_some_and(|cap| self.f * p > cap);
        let fee = self.fee(Branch {
            fee_capped,
            raf_capped: false,
        });
        let raf_capped = self.raf_cap.is_some_and(|cap| {
            fee.scale(self.raf)
                .at(p)
                .is_some_and(|uncapped| uncapped > cap)
        });
        Branch {
            fee_capped,
            raf_capped,
        }
    }

    /// Costs that do not depend on the price: cogs, fulfilment, shipping, returns, ads, samples.
    fn price_independent_costs(&self) -> Decimal {
        self.cost * self.kept()
            + self.fulfillment
            + self.shipping
            + self.rho * (self.cost * (Decimal::ONE - self.k) + self.return_shipping)
            + self.ad
            + self.samples
    }

    /// (1 + v) × (cm2 − t × net_revenue) as a linear function of p on branch `b`, with commission rate
    /// `r` (ratios). Scaling by 1 + v > 0 keeps the sign and makes every coefficient a product (exact)
    /// except the per-order amounts spread over u.
    fn gap(&self, b: Branch, t: Decimal, r: Decimal) -> Lin {
        let kept = self.kept();
        let platform = self.fee(b).scale(kept).plus(self.raf(b).scale(self.rho));
        let commission = Lin {
            s: self.a * r * kept,
            c: Decimal::ZERO,
        };
        let costs = platform
            .plus(commission)
            .plus(Lin::constant(self.price_independent_costs()));
        Lin {
            s: kept * (Decimal::ONE - t),
            c: Decimal::ZERO,
        }
        .plus(costs.scale(-self.vat1))
    }

    fn outputs(&self) -> UnitOutputs {
        let p = self.p;
        let b = self.branch_at(p);
        let kept = self.kept();
        let fee = self.fee(b).s * p + self.fee(b).c;
        let raf = match (b.raf_capped, self.raf_cap) {
            (true, Some(cap)) => cap,
            _ => self.raf * fee,
        };
        let net_revenue = p * kept / self.vat1;
        let platform_fees = fee * kept + self.rho * raf;
        let affiliate_commission = self.a * self.r * p * kept;
        let cogs = self.cost * kept;
        let returns_cost = self.rho * (self.cost * (Decimal::ONE - self.k) + self.return_shipping);
        let gross_profit = net_revenue - cogs;
        let cm1 = gross_profit - platform_fees - self.fulfillment - self.shipping - returns_cost;
        let cm2 = cm1 - affiliate_commission - self.ad - self.samples;
        let net_profit = cm2 - self.overhead;
        let markup_pct = if self.cost.is_zero() {
            None
        } else {
            (p / self.vat1)
                .checked_sub(self.cost)
                .and_then(|gain| pct(gain, self.cost))
        };
        UnitOutputs {
            net_price: p,
            net_revenue,
            platform_fees,
            affiliate_commission,
            cogs,
            returns_cost,
            fulfillment: self.fulfillment,
            shipping: self.shipping,
            ad_spend: self.ad,
            sample_cost: self.samples,
            overhead: self.overhead,
            gross_profit,
            cm1,
            cm2,
            net_profit,
            gross_margin_pct: pct(gross_profit, net_revenue),
            cm1_pct: pct(cm1, net_revenue),
            cm2_pct: pct(cm2, net_revenue),
            net_margin_pct: pct(net_profit, net_revenue),
            platform_fees_pct: pct(platform_fees, net_revenue),
            affiliate_commission_pct: pct(affiliate_commission, net_revenue),
            cogs_pct: pct(cogs, net_revenue),
            returns_cost_pct: pct(returns_cost, net_revenue),
            markup_pct,
            break_even_roas: if cm1 > Decimal::ZERO {
                net_revenue.checked_div(cm1)
            } else {
                None
            },
            fee_capped: b.fee_capped,
            refund_admin_fee_capped: b.raf_capped,
        }
    }

    /// Prices p > 0 where a cap may start binding, ascending, without duplicates. A spurious one only
    /// splits a piece in two with the same formula.
    fn breakpoints(&self) -> Vec<Decimal> {
        let mut points = Vec::new();
        if let Some(cap) = self.cap {
            points.push(cap.checked_div(self.f));
        }
        if let Some(cap) = self.raf_cap {
            // raf × (f p + F/u) = cap on the uncapped fee piece.
            points.push(
                cap.checked_div(self.raf)
                    .and_then(|fee| (fee - self.fee_fixed).checked_div(self.f)),
            );
        }
        let mut points: Vec<Decimal> = points
            .into_iter()
            .flatten()
            .filter(|p| *p > Decimal::ZERO && *p <= max_net_price())
            .collect();
        points.sort();
        points.dedup();
        points
    }

    /// The pieces of p ≥ 0 between breakpoints, each with its branch (read at an inner point).
    fn pieces(&self) -> Vec<(Decimal, Option<Decimal>, Branch)> {
        let points = self.breakpoints();
        let mut lows = vec![Decimal::ZERO];
        lows.extend(points.iter().copied());
        lows.iter()
            .enumerate()
            .map(|(i, lo)| {
                let hi = points.get(i).copied();
                let inner = match hi {
                    Some(hi) => (*lo + hi) / Decimal::TWO,
                    None => *lo + Decimal::ONE,
                };
                (*lo, hi, self.branch_at(inner))
            })
            .collect()
    }
}

/// Largest price after discount the solvers look at: the largest list price with the largest mark-up.
fn max_net_price() -> Decimal {
    MAX_AMOUNT * (Decimal::ONE + MAX_PCT / HUNDRED)
}

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
    /// cm2 % stays above the target at every commission rate up to [`MAX_PCT`]: the margin affords any
    /// commission (e.g. a tiny affiliate share).
    #[error("cm2 % stays above this target at any commission rate up to {limit_pct} %")]
    AboveTargetAtEveryCommission {
        /// The largest rate looked at: [`MAX_PCT`].
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

/// The lowest list price at which cm2 = 0 (METRICS.md §7 break-even price).
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
/// highest rate the margin can afford.
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
    if rate_pct > MAX_PCT {
        return Err(Infeasibility::AboveTargetAtEveryCommission { limit_pct: MAX_PCT });
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

/// A period's totals: per-unit figures × projected units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodTotals {
    /// Σ net_revenue.
    pub net_revenue: Decimal,
    /// Σ platform_fees.
    pub platform_fees: Decimal,
    /// Σ affiliate_commission.
    pub affiliate_commission: Decimal,
    /// Σ cogs.
    pub cogs: Decimal,
    /// Σ returns_cost.
    pub returns_cost: Decimal,
    /// Σ fulfillment.
    pub fulfillment: Decimal,
    /// Σ shipping.
    pub shipping: Decimal,
    /// Σ ad_spend.
    pub ad_spend: Decimal,
    /// Σ sample_cost.
    pub sample_cost: Decimal,
    /// Σ overhead.
    pub overhead: Decimal,
    /// Σ gross_profit.
    pub gross_profit: Decimal,
    /// Σ cm1.
    pub cm1: Decimal,
    /// Σ cm2.
    pub cm2: Decimal,
    /// Σ net_profit.
    pub net_profit: Decimal,
}

/// A scenario projected over a period (METRICS.md §7 "A scenario projects a period").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Projection {
    /// Units ordered in the scenario: baseline units × (1 + elasticity × price change), at least 0.
    pub units: Decimal,
    /// Price change against the baseline, percent points with 2 decimals; `None` without a baseline
    /// price (then volume is the baseline's).
    pub price_change_pct: Option<Decimal>,
    /// The scenario's unit economics (percentages are the same for the period).
    pub unit: UnitOutputs,
    /// The period's totals.
    pub totals: PeriodTotals,
}

/// Projects a period: `baseline_units` (units ordered, returns included) sold at `baseline_price` (the
/// price after seller discount they sold at, e.g. net sales / units), under the scenario `inputs`,
/// with `elasticity` = % volume change per 1 % price change (default 0; e.g. −1.5). The price change
/// compares the scenario's price after seller discount with `baseline_price`.
///
/// # Examples
/// ```
/// use margin_engine::whatif::{project, UnitInputs};
/// use rust_decimal_macros::dec;
/// let inputs = UnitInputs { price: dec!(22), unit_cost: dec!(10), ..UnitInputs::default() };
/// // +10 % price at elasticity −1.5 → −15 % volume: 1000 → 850 units; cm2 850 × 12 = 10,200.
/// let p = project(dec!(1000), dec!(20), &inputs, dec!(-1.5));
/// assert_eq!((p.units, p.price_change_pct), (dec!(850), Some(dec!(10.00))));
/// assert_eq!(p.totals.cm2, dec!(10200));
/// ```
pub fn project(
    baseline_units: Decimal,
    baseline_price: Decimal,
    inputs: &UnitInputs,
    elasticity: Decimal,
) -> Projection {
    let unit = inputs.evaluate();
    let change = if baseline_price > Decimal::ZERO {
        (unit.net_price - baseline_price)
            .checked_div(baseline_price)
            .filter(|c| c.abs() <= MAX_AMOUNT)
    } else {
        None
    };
    let elasticity = elasticity.clamp(-MAX_PCT, MAX_PCT);
    let factor = Decimal::ONE + elasticity * change.unwrap_or(Decimal::ZERO);
    let units = baseline_units
        .clamp(Decimal::ZERO, MAX_AMOUNT)
        .saturating_mul(factor)
        .max(Decimal::ZERO);
    let total = |x: Decimal| x.saturating_mul(units);
    let totals = PeriodTotals {
        net_revenue: total(unit.net_revenue),
        platform_fees: total(unit.platform_fees),
        affiliate_commission: total(unit.affiliate_commission),
        cogs: total(unit.cogs),
        returns_cost: total(unit.returns_cost),
        fulfillment: total(unit.fulfillment),
        shipping: total(unit.shipping),
        ad_spend: total(unit.ad_spend),
        sample_cost: total(unit.sample_cost),
        overhead: total(unit.overhead),
        gross_profit: total(unit.gross_profit),
        cm1: total(unit.cm1),
        cm2: total(unit.cm2),
        net_profit: total(unit.net_profit),
    };
    Projection {
        units,
        price_change_pct: change.and_then(|c| pct(c, Decimal::ONE)),
        unit,
        totals,
    }
}

/// The baseline of the what-if grid: a SKU's own history (METRICS.md §7 "from the SKU's history") turned
/// into per-unit inputs. The price is the average list price per unit ordered, the discount, return rate,
/// affiliate share, commission rate and per-unit costs are the period's averages, and the fee rule is the
/// market's rule in force on `date` (rates of stacked rules added; the first refund administration fee).
/// `None` when the SKU sold nothing in the period.
pub fn baseline(
    sku: &crate::metrics::SkuFigures,
    settings: &crate::settings::Settings,
    market: &str,
    date: chrono::NaiveDate,
) -> Option<UnitInputs> {
    use crate::fees::Refundable;
    let f = &sku.figures;
    let units = Decimal::from(f.units_sold + f.units_returned);
    if units <= Decimal::ZERO || f.list_sales <= Decimal::ZERO || f.orders == 0 {
        return None;
    }
    let hundred = Decimal::ONE_HUNDRED;
    let per_unit = |x: Decimal| crate::money::share(x, Decimal::ONE, units);
    let pct = |n: Decimal, d: Decimal| crate::money::share(n, hundred, d);
    let sold_gross = f.gmv - f.cancelled_sales;
    let mut inputs = UnitInputs {
        price: per_unit(f.list_sales),
        seller_discount_pct: pct(f.list_sales - sold_gross, f.list_sales),
        unit_cost: sku.unit_cost.unwrap_or_default(),
        vat_pct: pct(f.output_vat, f.net_sales() - f.output_vat),
        units_per_order: crate::money::share(units, Decimal::ONE, Decimal::from(f.orders))
            .max(Decimal::ONE),
        affiliate_share_pct: pct(f.affiliate_sales, sold_gross),
        commission_pct: pct(f.affiliate_commission(), f.affiliate_sales),
        return_rate_pct: pct(Decimal::from(f.units_returned), units),
        restock_pct: settings.restock_rate * hundred,
        return_shipping: settings.return_shipping_per_unit,
        fulfillment_per_unit: per_unit(f.fulfillment),
        shipping_per_order: crate::money::share(f.shipping, Decimal::ONE, Decimal::from(f.orders)),
        ad_spend_per_unit: per_unit(f.ad_spend),
        sample_cost_per_unit: per_unit(f.sample_cost),
        overhead_per_unit: per_unit(f.overhead),
        ..UnitInputs::default()
    };
    for rule in settings
        .fee_rules
        .iter()
        .filter(|r| r.in_force(market, date))
    {
        inputs.fee_pct += rule.rate * hundred;
        inputs.fee_fixed_per_order += rule.fixed_per_order;
        if rule.cap_per_item.is_some() {
            inputs.fee_cap_per_item = rule.cap_per_item;
        }
        match rule.refundable {
            Refundable::MinusRefundAdminFee if inputs.refund_admin_fee_pct.is_zero() => {
                inputs.refund_admin_fee_pct = rule.refund_admin_fee_rate * hundred;
                inputs.refund_admin_fee_cap = rule.refund_admin_fee_cap;
            }
            Refundable::No if inputs.refund_admin_fee_pct.is_zero() => {
                inputs.refund_admin_fee_pct = hundred
            }
            _ => {}
        }
    }
    Some(inputs)
}

#[cfg(test)]
mod tests {
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
