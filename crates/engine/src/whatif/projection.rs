//! A scenario over a period (docs/metrics.md §7 "A scenario projects a period") and the baseline of a
//! SKU from its history.

use super::{MAX_AMOUNT, MAX_PCT, UnitInputs, UnitOutputs, pct, raw_pct};
use crate::metrics::SkuFigures;
use crate::money::Currency;
use crate::settings::Settings;
use crate::workspace::Scenario;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// A period's totals: per-unit figures × projected units.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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

/// A scenario projected over a period (docs/metrics.md §7 "A scenario projects a period").
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

/// The baseline of the what-if grid: a SKU's own history (docs/metrics.md §7 "from the SKU's history") turned
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

/// `*sum += x`, held at `Decimal`'s bounds rather than overflowing. Not inlined: one addition for every
/// line of every sum (the page's wasm is built for size).
#[inline(never)]
fn add_to(sum: &mut Decimal, x: Decimal) {
    *sum = sum.saturating_add(x);
}

impl PeriodTotals {
    /// Adds `other` line by line (held at `Decimal`'s bounds rather than overflowing).
    pub fn add(&mut self, other: &PeriodTotals) {
        let PeriodTotals {
            net_revenue,
            platform_fees,
            affiliate_commission,
            cogs,
            returns_cost,
            fulfillment,
            shipping,
            ad_spend,
            sample_cost,
            overhead,
            gross_profit,
            cm1,
            cm2,
            net_profit,
        } = other;
        for (sum, x) in [
            (&mut self.net_revenue, net_revenue),
            (&mut self.platform_fees, platform_fees),
            (&mut self.affiliate_commission, affiliate_commission),
            (&mut self.cogs, cogs),
            (&mut self.returns_cost, returns_cost),
            (&mut self.fulfillment, fulfillment),
            (&mut self.shipping, shipping),
            (&mut self.ad_spend, ad_spend),
            (&mut self.sample_cost, sample_cost),
            (&mut self.overhead, overhead),
            (&mut self.gross_profit, gross_profit),
            (&mut self.cm1, cm1),
            (&mut self.cm2, cm2),
            (&mut self.net_profit, net_profit),
        ] {
            add_to(sum, *x);
        }
    }
}

/// Several SKUs' projections summed over the period (docs/metrics.md §7 "A scenario projects a period"):
/// the what-if grid's product-group rows and its projected period P&L read their figures here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodSum {
    /// Σ projected units ordered.
    pub units: Decimal,
    /// Σ of each line of the period's totals.
    pub totals: PeriodTotals,
}

impl PeriodSum {
    /// Adds one SKU's projection.
    pub fn add(&mut self, p: &Projection) {
        add_to(&mut self.units, p.units);
        self.totals.add(&p.totals);
    }

    /// Adds another sum, line by line (held at `Decimal`'s bounds).
    pub fn add_sum(&mut self, other: &PeriodSum) {
        add_to(&mut self.units, other.units);
        self.totals.add(&other.totals);
    }

    /// `x` in percent points of the period's net revenue, unrounded; `None` when net revenue is 0.
    pub fn margin_pct(&self, x: Decimal) -> Option<Decimal> {
        raw_pct(x, self.totals.net_revenue)
    }

    /// `x` per projected unit, unrounded; `None` when no unit is projected.
    pub fn per_unit(&self, x: Decimal) -> Option<Decimal> {
        if self.units.is_zero() {
            return None;
        }
        x.checked_div(self.units)
    }

    /// The what-if outputs (docs/metrics.md §7 names) a sum can give: per-unit averages of money
    /// (`net_revenue`, `cm1`, `cm2`, `net_profit`) and margins of the period (`gross_margin_pct`,
    /// `cm2_pct`, `net_margin_pct`); `None` for any other name or when it cannot be computed.
    pub fn get(&self, name: &str) -> Option<Decimal> {
        let t = &self.totals;
        match name {
            "net_revenue" => self.per_unit(t.net_revenue),
            "cm1" => self.per_unit(t.cm1),
            "cm2" => self.per_unit(t.cm2),
            "net_profit" => self.per_unit(t.net_profit),
            "gross_margin_pct" => self.margin_pct(t.gross_profit),
            "cm2_pct" => self.margin_pct(t.cm2),
            "net_margin_pct" => self.margin_pct(t.net_profit),
            _ => None,
        }
    }
}

/// One SKU of the what-if baseline: its inputs from its own history ([`baseline`]), its product group
/// and the volume and price it sold at in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaselineSku {
    /// The SKU ID (the key of its edits in a [`Scenario`]).
    pub sku_id: String,
    /// Its product group (the key of its group's edits, [`Scenario::group_target`]).
    pub group: String,
    /// Its baseline inputs.
    pub inputs: UnitInputs,
    /// Units ordered in the period, returns included.
    pub units: Decimal,
    /// The price after seller discount they sold at (the baseline's `net_price`).
    pub price: Decimal,
}

impl BaselineSku {
    /// The baseline of a SKU with its figures of the period ending `end`, in the market of `currency`
    /// ([`Settings::market_of`], as the report); `None` when it sold nothing.
    pub fn of(
        sku: &SkuFigures,
        settings: &Settings,
        currency: Currency,
        end: chrono::NaiveDate,
    ) -> Option<BaselineSku> {
        let inputs = baseline(sku, settings, &settings.market_of(currency), end)?;
        let f = &sku.figures;
        Some(BaselineSku {
            sku_id: sku.sku_id.clone(),
            group: sku.product_group.clone(),
            units: Decimal::from(f.units_sold + f.units_returned),
            price: inputs.evaluate().net_price,
            inputs,
        })
    }

    /// Its inputs under a scenario (the group's edits, then its own: [`Scenario::inputs_for`]).
    pub fn inputs_under(&self, scenario: &Scenario) -> UnitInputs {
        scenario.inputs_for(&self.sku_id, Some(&self.group), &self.inputs)
    }

    /// Its period under a scenario, at the scenario's elasticity.
    pub fn project(&self, scenario: &Scenario) -> Projection {
        project(
            self.units,
            self.price,
            &self.inputs_under(scenario),
            scenario.elasticity.unwrap_or_default(),
        )
    }
}

/// The baseline of every SKU that sold in a period ending `end` (see [`BaselineSku::of`]), in the
/// order of `skus`.
pub fn baseline_skus(
    skus: &[SkuFigures],
    settings: &Settings,
    currency: Currency,
    end: chrono::NaiveDate,
) -> Vec<BaselineSku> {
    skus.iter()
        .filter_map(|s| BaselineSku::of(s, settings, currency, end))
        .collect()
}

/// A scenario's period: every SKU's projection summed, and summed per product group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioTotals {
    /// All SKUs.
    pub all: PeriodSum,
    /// Per product group.
    pub groups: BTreeMap<String, PeriodSum>,
}

/// The last projection of each SKU with the inputs and elasticity it was made from, so that after an
/// edit only the SKUs whose inputs changed are projected again.
#[derive(Debug, Clone, Default)]
pub struct ProjectionCache(HashMap<String, (UnitInputs, Decimal, Projection)>);

/// Projects every SKU of `skus` under `scenario` and sums them ([`ScenarioTotals`]); with a cache, a SKU
/// whose inputs and elasticity are those of its cached projection is not projected again.
pub fn project_all<'a>(
    skus: impl IntoIterator<Item = &'a BaselineSku>,
    scenario: &Scenario,
    mut cache: Option<&mut ProjectionCache>,
) -> ScenarioTotals {
    let mut out = ScenarioTotals::default();
    let e = scenario.elasticity.unwrap_or_default();
    for sku in skus {
        let inputs = sku.inputs_under(scenario);
        let fresh = |inputs: &UnitInputs| project(sku.units, sku.price, inputs, e);
        let owned;
        let p = match cache.as_deref_mut() {
            Some(ProjectionCache(c)) => {
                let hit = c
                    .get(&sku.sku_id)
                    .is_some_and(|(i, ce, _)| *i == inputs && *ce == e);
                if !hit {
                    let p = fresh(&inputs);
                    c.insert(sku.sku_id.clone(), (inputs, e, p));
                }
                match c.get(&sku.sku_id) {
                    Some((_, _, p)) => p,
                    None => continue,
                }
            }
            None => {
                owned = fresh(&inputs);
                &owned
            }
        };
        out.all.add(p);
        out.groups.entry(sku.group.clone()).or_default().add(p);
    }
    out
}
