//! The inputs as ratios and the piecewise-linear cm2 the evaluation and the solvers share (see the
//! module documentation of [`super`]).

use super::{HUNDRED, MAX_AMOUNT, MAX_PCT, UnitInputs, UnitOutputs, pct};
use crate::sort_dyn::SortDyn;
use rust_decimal::Decimal;

/// Which side of each cap a price is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Branch {
    pub(super) fee_capped: bool,
    pub(super) raf_capped: bool,
}

/// `s × p + c`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Lin {
    pub(super) s: Decimal,
    pub(super) c: Decimal,
}

impl Lin {
    pub(super) fn constant(c: Decimal) -> Lin {
        Lin {
            s: Decimal::ZERO,
            c,
        }
    }
    pub(super) fn scale(self, k: Decimal) -> Lin {
        Lin {
            s: self.s * k,
            c: self.c * k,
        }
    }
    pub(super) fn plus(self, o: Lin) -> Lin {
        Lin {
            s: self.s + o.s,
            c: self.c + o.c,
        }
    }
    pub(super) fn at(self, p: Decimal) -> Option<Decimal> {
        self.s.checked_mul(p)?.checked_add(self.c)
    }
}

/// The inputs as ratios, clamped; per-order amounts spread per unit.
#[derive(Debug, Clone)]
pub(super) struct Model {
    /// p = P (1 − d).
    pub(super) p: Decimal,
    pub(super) one_minus_d: Decimal,
    /// 1 + v (≥ 1).
    pub(super) vat1: Decimal,
    pub(super) cost: Decimal,
    pub(super) f: Decimal,
    pub(super) cap: Option<Decimal>,
    /// F / u.
    pub(super) fee_fixed: Decimal,
    pub(super) raf: Decimal,
    /// refund_admin_fee_cap / u.
    pub(super) raf_cap: Option<Decimal>,
    pub(super) a: Decimal,
    pub(super) r: Decimal,
    pub(super) rho: Decimal,
    pub(super) k: Decimal,
    pub(super) return_shipping: Decimal,
    pub(super) fulfillment: Decimal,
    /// H / u.
    pub(super) shipping: Decimal,
    pub(super) ad: Decimal,
    pub(super) samples: Decimal,
    pub(super) overhead: Decimal,
}

impl Model {
    pub(super) fn new(inputs: &UnitInputs) -> Model {
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

    pub(super) fn kept(&self) -> Decimal {
        Decimal::ONE - self.rho
    }

    /// fee(p) on a given branch.
    pub(super) fn fee(&self, b: Branch) -> Lin {
        match (b.fee_capped, self.cap) {
            (true, Some(cap)) => Lin::constant(cap + self.fee_fixed),
            _ => Lin {
                s: self.f,
                c: self.fee_fixed,
            },
        }
    }

    /// raf(p) on a given branch.
    pub(super) fn raf(&self, b: Branch) -> Lin {
        match (b.raf_capped, self.raf_cap) {
            (true, Some(cap)) => Lin::constant(cap),
            _ => self.fee(b).scale(self.raf),
        }
    }

    /// The branch of each cap at price p: a cap binds when the uncapped amount exceeds it, as `min`.
    pub(super) fn branch_at(&self, p: Decimal) -> Branch {
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
    pub(super) fn price_independent_costs(&self) -> Decimal {
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
    pub(super) fn gap(&self, b: Branch, t: Decimal, r: Decimal) -> Lin {
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

    pub(super) fn outputs(&self) -> UnitOutputs {
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
    pub(super) fn breakpoints(&self) -> Vec<Decimal> {
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
        points.sort_dyn();
        points.dedup();
        points
    }

    /// The pieces of p ≥ 0 between breakpoints, each with its branch (read at an inner point).
    pub(super) fn pieces(&self) -> Vec<(Decimal, Option<Decimal>, Branch)> {
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
pub(super) fn max_net_price() -> Decimal {
    MAX_AMOUNT * (Decimal::ONE + MAX_PCT / HUNDRED)
}
