//! One unit's inputs and outputs (docs/metrics.md §7) and their names.

use super::model::Model;
use super::{HUNDRED, MAX_AMOUNT, MAX_PCT};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The inputs of one SKU's unit economics (docs/metrics.md §7). Amounts are per unit unless the name says
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
    /// The baseline of a product typed in by the seller (no order history): one unit per order, every
    /// unit sold through affiliates (affiliate share 100 %) so that a commission rate typed in applies
    /// to all units unless a share is set, everything else zero (docs/metrics.md §7). A SKU's baseline
    /// comes from its history instead, where the share is the one observed.
    ///
    /// # Examples
    /// ```
    /// use margin_engine::whatif::UnitInputs;
    /// use rust_decimal_macros::dec;
    /// // docs/metrics.md §4 worked example, typed in: no affiliate share to set.
    /// let inputs = UnitInputs {
    ///     price: dec!(40), unit_cost: dec!(10), commission_pct: dec!(15), fee_pct: dec!(2),
    ///     fee_fixed_per_order: dec!(0.30), fulfillment_per_unit: dec!(5), overhead_per_unit: dec!(10),
    ///     ..UnitInputs::typed_product()
    /// };
    /// let out = inputs.evaluate();
    /// assert_eq!(out.gross_margin_pct, Some(dec!(75.00)));
    /// assert_eq!((out.cm2_pct, out.net_margin_pct), (Some(dec!(44.75)), Some(dec!(19.75))));
    /// ```
    pub fn typed_product() -> UnitInputs {
        UnitInputs {
            affiliate_share_pct: HUNDRED,
            ..UnitInputs::default()
        }
    }

    /// Every input name, in docs/metrics.md §7 order, with the two optional caps after the fee inputs they
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
    pub(super) fn clamped(&self) -> UnitInputs {
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

    /// The layers of one unit ordered (docs/metrics.md §7 formulas, see the module documentation).
    ///
    /// # Examples
    /// ```
    /// use margin_engine::whatif::UnitInputs;
    /// use rust_decimal_macros::dec;
    /// // docs/metrics.md §4 worked example.
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
    /// (p / (1 + v) − C) / C: the net price's mark-up on cost (docs/metrics.md §4), `None` when C = 0.
    /// With it, gross margin = markup / (1 + markup), returns or not.
    pub markup_pct: Option<Decimal>,
    /// net_revenue / cm1 (unrounded), `None` when cm1 ≤ 0 (docs/metrics.md §6, per unit).
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
