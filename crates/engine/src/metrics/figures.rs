//! The sums of a group of lines ([`Figures`]) and one line's contribution to them ([`LineFigures`]):
//! adding a line, merging groups, and every derived figure (docs/metrics.md §2–§4).

use crate::money::percent_points;
use rust_decimal::Decimal;

/// Sums of one group of lines. Exact; nothing is rounded here. Serialisable so that the page's worker
/// can hand an analysis to the page (amounts as exact decimal strings).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Figures {
    /// Σ gross_sales over paid, non-sample lines, cancelled and returned ones included.
    pub gmv: Decimal,
    /// Σ gross_sales of cancelled lines.
    pub cancelled_sales: Decimal,
    /// Σ gross_sales × units_returned / Quantity over returned lines, or the refund amount settled
    /// finance rows give (docs/metrics.md §2).
    pub refunds: Decimal,
    /// VAT inside net_sales where prices include VAT.
    pub output_vat: Decimal,
    /// units_sold × unit cost on the line's date.
    pub cogs: Decimal,
    /// Standard commission of the lines' affiliate rows.
    pub standard_commission: Decimal,
    /// Shop Ads commission of the lines' affiliate rows.
    pub shop_ads_commission: Decimal,
    /// Co-funded creator bonus of the lines' affiliate rows.
    pub creator_bonus: Decimal,
    /// Platform fees: actual (finance export) where matched, else modelled from the fee rules.
    pub platform_fees: Decimal,
    /// The fee rules' figure for every line (for the modelled vs actual comparison).
    pub modelled_fees: Decimal,
    /// Actual fees of the lines matched to a finance export.
    pub actual_fees: Decimal,
    /// Modelled fees of those same matched lines.
    pub modelled_fees_of_matched: Decimal,
    /// Lines whose fees come from a finance export.
    pub lines_with_actual_fees: u64,
    /// Lines with no fee rule for their market and date and no finance row.
    pub lines_without_fee_rule: u64,
    /// Fulfilment (per unit shipped and per order).
    pub fulfillment: Decimal,
    /// Seller-paid shipping.
    pub shipping: Decimal,
    /// Cost of returns: restocking loss, return shipping, refund administration fees.
    pub returns_cost: Decimal,
    /// Ad spend allocated to these lines.
    pub ad_spend: Decimal,
    /// The part of `ad_spend` charged to the lines' SKUs themselves: their product's GMV Max spend (by
    /// net sales within the product) or the manual per-SKU amounts (docs/metrics.md §3).
    #[serde(default)]
    pub ad_spend_attributed: Decimal,
    /// Samples: units × (unit cost + sample shipping).
    pub sample_cost: Decimal,
    /// Other marketing entries allocated to these lines.
    pub other_marketing: Decimal,
    /// Overhead allocated to these lines.
    pub overhead: Decimal,
    /// Actual settlement of the lines matched to a finance export.
    pub actual_settlement: Decimal,
    /// The estimated settlement ([`Figures::estimated_settlement`]) of those same matched lines: what
    /// `actual_settlement` is compared with (docs/metrics.md §6).
    #[serde(default)]
    pub estimated_settlement_of_matched: Decimal,
    /// Σ SKU Subtotal Before Discount (list price × units) over sold and returned lines.
    pub list_sales: Decimal,
    /// Σ gross_sales of sold and returned lines that have an affiliate row.
    pub affiliate_sales: Decimal,
    /// Distinct orders with at least one sold or returned line.
    pub orders: u64,
    /// Orders (as above) that have an affiliate row.
    pub affiliate_orders: u64,
    /// Σ Quantity − units_returned over sold and returned lines.
    pub units_sold: i64,
    /// Units returned on returned lines.
    pub units_returned: i64,
    /// Units on sample lines.
    pub sample_units: i64,
    /// Units sold whose SKU has no unit cost (their cost counts 0).
    pub units_without_cost: i64,
    /// Ledger lines (or unmatched affiliate rows) that fed these figures.
    pub lines: u64,
    /// Distinct buyers (by the Orders export's buyer ID, hashed in memory) with at least one of these
    /// orders (docs/metrics.md §2); 0 when the exports give no buyer.
    #[serde(default)]
    pub buyers: u64,
    /// Of them, the buyers with two orders or more.
    #[serde(default)]
    pub repeat_buyers: u64,
}

impl Figures {
    /// gmv − cancelled_sales − refunds.
    pub fn net_sales(&self) -> Decimal {
        self.gmv - self.cancelled_sales - self.refunds
    }
    /// net_sales − output_vat: the base of every margin percentage.
    pub fn net_revenue(&self) -> Decimal {
        self.net_sales() - self.output_vat
    }
    /// net_revenue − cogs.
    pub fn gross_profit(&self) -> Decimal {
        self.net_revenue() - self.cogs
    }
    /// gross_profit / net_revenue, in percent points with two decimals.
    pub fn gross_margin_pct(&self) -> Option<Decimal> {
        percent_points(self.gross_profit(), self.net_revenue())
    }
    /// gross_profit − platform_fees − fulfillment − shipping − returns_cost.
    pub fn cm1(&self) -> Decimal {
        self.gross_profit()
            - self.platform_fees
            - self.fulfillment
            - self.shipping
            - self.returns_cost
    }
    /// cm1 − affiliate_commission − ad_spend − sample_cost − other_marketing.
    pub fn cm2(&self) -> Decimal {
        self.cm1()
            - self.affiliate_commission()
            - self.ad_spend
            - self.sample_cost
            - self.other_marketing
    }
    /// cm2 − overhead.
    pub fn net_profit(&self) -> Decimal {
        self.cm2() - self.overhead
    }
    /// cm1 / net_revenue, percent points.
    pub fn cm1_pct(&self) -> Option<Decimal> {
        percent_points(self.cm1(), self.net_revenue())
    }
    /// cm2 / net_revenue, percent points.
    pub fn cm2_pct(&self) -> Option<Decimal> {
        percent_points(self.cm2(), self.net_revenue())
    }
    /// net_profit / net_revenue, percent points.
    pub fn net_margin_pct(&self) -> Option<Decimal> {
        percent_points(self.net_profit(), self.net_revenue())
    }
    /// GMV → settlement waterfall's estimate: net_sales − output_vat − platform_fees − commission − shipping.
    pub fn estimated_settlement(&self) -> Decimal {
        settlement_estimate(
            self.net_sales(),
            self.output_vat,
            self.platform_fees,
            self.affiliate_commission(),
            self.shipping,
        )
    }
    /// actual_settlement − estimated_settlement_of_matched: what the finance export paid for the
    /// matched lines beyond (or short of) the estimate (docs/metrics.md §6).
    pub fn settlement_difference(&self) -> Decimal {
        self.actual_settlement - self.estimated_settlement_of_matched
    }
    /// (ad_spend + affiliate_commission) / orders.
    pub fn blended_cpo(&self) -> Option<Decimal> {
        (self.orders > 0)
            .then(|| (self.ad_spend + self.affiliate_commission()) / Decimal::from(self.orders))
    }
    /// ad_spend / orders without an affiliate row.
    pub fn paid_cpo(&self) -> Option<Decimal> {
        let n = self.orders.saturating_sub(self.affiliate_orders);
        (n > 0).then(|| self.ad_spend / Decimal::from(n))
    }
    /// ad_spend − ad_spend_attributed: the ad spend spread by each day's net sales share.
    pub fn ad_spend_spread(&self) -> Decimal {
        self.ad_spend - self.ad_spend_attributed
    }
    /// net_sales / ad_spend.
    pub fn blended_roas(&self) -> Option<Decimal> {
        // Checked: a huge amount over a tiny share of spend is beyond Decimal's range, not a figure.
        (self.ad_spend > Decimal::ZERO)
            .then(|| self.net_sales().checked_div(self.ad_spend))
            .flatten()
    }
    /// net_revenue / cm1: the ROAS below which ads turn cm2 negative (before other marketing).
    pub fn break_even_roas(&self) -> Option<Decimal> {
        let cm1 = self.cm1();
        (cm1 > Decimal::ZERO)
            .then(|| self.net_revenue().checked_div(cm1))
            .flatten()
    }

    /// Standard + Shop Ads commission + co-funded creator bonus (docs/metrics.md §3).
    pub fn affiliate_commission(&self) -> Decimal {
        self.standard_commission + self.shop_ads_commission + self.creator_bonus
    }
    /// net_sales / orders (unrounded).
    pub fn aov(&self) -> Option<Decimal> {
        (self.orders > 0).then(|| self.net_sales() / Decimal::from(self.orders))
    }
    /// units_returned / (units_sold + units_returned), percent points.
    pub fn return_rate_pct(&self) -> Option<Decimal> {
        percent_points(
            Decimal::from(self.units_returned),
            Decimal::from(self.units_sold + self.units_returned),
        )
    }
    /// cancelled_sales / gmv, percent points.
    pub fn cancel_rate_pct(&self) -> Option<Decimal> {
        percent_points(self.cancelled_sales, self.gmv)
    }
    /// Share of orders with an affiliate row, percent points.
    pub fn affiliate_share_pct(&self) -> Option<Decimal> {
        percent_points(
            Decimal::from(self.affiliate_orders),
            Decimal::from(self.orders),
        )
    }
    /// Buyers with two orders or more / buyers with one or more, percent points (docs/metrics.md §2).
    pub fn repeat_purchase_rate_pct(&self) -> Option<Decimal> {
        percent_points(
            Decimal::from(self.repeat_buyers),
            Decimal::from(self.buyers),
        )
    }
    /// True when some sold unit had no cost, so cogs and profit are incomplete.
    pub fn cost_missing(&self) -> bool {
        self.units_without_cost > 0
    }

    pub(super) fn add(&mut self, l: &LineFigures) {
        self.lines += 1;
        add_nz(&mut self.gmv, l.gmv);
        add_nz(&mut self.cancelled_sales, l.cancelled);
        add_nz(&mut self.refunds, l.refund);
        add_nz(&mut self.output_vat, l.output_vat);
        add_nz(&mut self.cogs, l.cogs);
        add_nz(&mut self.standard_commission, l.standard_commission);
        add_nz(&mut self.shop_ads_commission, l.shop_ads_commission);
        add_nz(&mut self.creator_bonus, l.creator_bonus);
        add_nz(&mut self.list_sales, l.list_sales);
        add_nz(&mut self.affiliate_sales, l.affiliate_sales);
        add_nz(&mut self.platform_fees, l.platform_fees);
        add_nz(&mut self.modelled_fees, l.modelled_fees);
        if let Some(a) = l.actual_fees {
            self.actual_fees += a;
            add_nz(
                &mut self.estimated_settlement_of_matched,
                l.estimated_settlement(),
            );
            add_nz(&mut self.modelled_fees_of_matched, l.modelled_fees);
            self.lines_with_actual_fees += 1;
        } else if !l.fee_modelled && l.counts_fee {
            self.lines_without_fee_rule += 1;
        }
        add_nz(&mut self.fulfillment, l.fulfillment);
        add_nz(&mut self.shipping, l.shipping);
        add_nz(&mut self.returns_cost, l.returns_cost);
        add_nz(&mut self.ad_spend, l.ad_spend);
        add_nz(&mut self.sample_cost, l.sample_cost);
        add_nz(&mut self.other_marketing, l.other_marketing);
        add_nz(&mut self.overhead, l.overhead);
        add_nz(&mut self.actual_settlement, l.actual_settlement);
        add_nz(&mut self.units_sold, l.units_sold);
        add_nz(&mut self.units_returned, l.units_returned);
        add_nz(&mut self.sample_units, l.sample_units);
        add_nz(&mut self.units_without_cost, l.units_without_cost);
    }
}

impl Figures {
    /// Adds another group's sums (every field; the sums are exact, so any grouping of the same lines
    /// gives the same figures).
    pub fn merge(&mut self, o: &Figures) {
        let Figures {
            gmv,
            cancelled_sales,
            refunds,
            output_vat,
            cogs,
            standard_commission,
            shop_ads_commission,
            creator_bonus,
            platform_fees,
            modelled_fees,
            actual_fees,
            modelled_fees_of_matched,
            lines_with_actual_fees,
            lines_without_fee_rule,
            fulfillment,
            shipping,
            returns_cost,
            ad_spend,
            ad_spend_attributed,
            sample_cost,
            other_marketing,
            overhead,
            actual_settlement,
            estimated_settlement_of_matched,
            list_sales,
            affiliate_sales,
            orders,
            affiliate_orders,
            units_sold,
            units_returned,
            sample_units,
            units_without_cost,
            lines,
            buyers,
            repeat_buyers,
        } = o;
        self.gmv += gmv;
        self.cancelled_sales += cancelled_sales;
        self.refunds += refunds;
        self.output_vat += output_vat;
        self.cogs += cogs;
        self.standard_commission += standard_commission;
        self.shop_ads_commission += shop_ads_commission;
        self.creator_bonus += creator_bonus;
        self.platform_fees += platform_fees;
        self.modelled_fees += modelled_fees;
        self.actual_fees += actual_fees;
        self.modelled_fees_of_matched += modelled_fees_of_matched;
        self.lines_with_actual_fees += lines_with_actual_fees;
        self.lines_without_fee_rule += lines_without_fee_rule;
        self.fulfillment += fulfillment;
        self.shipping += shipping;
        self.returns_cost += returns_cost;
        self.ad_spend += ad_spend;
        self.ad_spend_attributed += ad_spend_attributed;
        self.sample_cost += sample_cost;
        self.other_marketing += other_marketing;
        self.overhead += overhead;
        self.actual_settlement += actual_settlement;
        self.estimated_settlement_of_matched += estimated_settlement_of_matched;
        self.list_sales += list_sales;
        self.affiliate_sales += affiliate_sales;
        self.orders += orders;
        self.affiliate_orders += affiliate_orders;
        self.units_sold += units_sold;
        self.units_returned += units_returned;
        self.sample_units += sample_units;
        self.units_without_cost += units_without_cost;
        self.lines += lines;
        // Distinct buyers add up over disjoint groups (shops); a week of days sums its days' counts.
        self.buyers += buyers;
        self.repeat_buyers += repeat_buyers;
    }
}

impl Figures {
    /// These sums in another currency: every amount × `rate`, rounded to `dp` decimals with the
    /// display rounding (docs/metrics.md §10: a converted figure is an amount in the reporting
    /// currency, so a portfolio total is exactly the sum of its shops' converted figures); counts kept.
    ///
    /// `None` when an amount × rate leaves `Decimal`'s range.
    pub fn converted(&self, rate: Decimal, dp: u32) -> Option<Figures> {
        let overflow = std::cell::Cell::new(false);
        let c = |v: Decimal| match v.checked_mul(rate) {
            Some(x) => x.round_dp_with_strategy(dp, crate::money::DISPLAY_ROUNDING),
            None => {
                overflow.set(true);
                Decimal::ZERO
            }
        };
        let Figures {
            gmv,
            cancelled_sales,
            refunds,
            output_vat,
            cogs,
            standard_commission,
            shop_ads_commission,
            creator_bonus,
            platform_fees,
            modelled_fees,
            actual_fees,
            modelled_fees_of_matched,
            lines_with_actual_fees,
            lines_without_fee_rule,
            fulfillment,
            shipping,
            returns_cost,
            ad_spend,
            ad_spend_attributed,
            sample_cost,
            other_marketing,
            overhead,
            actual_settlement,
            estimated_settlement_of_matched,
            list_sales,
            affiliate_sales,
            orders,
            affiliate_orders,
            units_sold,
            units_returned,
            sample_units,
            units_without_cost,
            lines,
            buyers,
            repeat_buyers,
        } = *self;
        let out = Figures {
            gmv: c(gmv),
            cancelled_sales: c(cancelled_sales),
            refunds: c(refunds),
            output_vat: c(output_vat),
            cogs: c(cogs),
            standard_commission: c(standard_commission),
            shop_ads_commission: c(shop_ads_commission),
            creator_bonus: c(creator_bonus),
            platform_fees: c(platform_fees),
            modelled_fees: c(modelled_fees),
            actual_fees: c(actual_fees),
            modelled_fees_of_matched: c(modelled_fees_of_matched),
            lines_with_actual_fees,
            lines_without_fee_rule,
            fulfillment: c(fulfillment),
            shipping: c(shipping),
            returns_cost: c(returns_cost),
            ad_spend: c(ad_spend),
            ad_spend_attributed: c(ad_spend_attributed),
            sample_cost: c(sample_cost),
            other_marketing: c(other_marketing),
            overhead: c(overhead),
            actual_settlement: c(actual_settlement),
            estimated_settlement_of_matched: c(estimated_settlement_of_matched),
            list_sales: c(list_sales),
            affiliate_sales: c(affiliate_sales),
            orders,
            affiliate_orders,
            units_sold,
            units_returned,
            sample_units,
            units_without_cost,
            lines,
            buyers,
            repeat_buyers,
        };
        (!overflow.get()).then_some(out)
    }
}

/// Adds a non-zero amount (most of a line's figures are zero: skipping them keeps aggregation fast).
pub(super) fn add_nz<T: std::ops::AddAssign + Default + PartialEq>(acc: &mut T, x: T) {
    if x != T::default() {
        *acc += x;
    }
}

/// One line's contribution to every figure (docs/metrics.md §1–§3).
#[derive(Debug, Clone, Default)]
pub(super) struct LineFigures {
    pub(super) gmv: Decimal,
    pub(super) cancelled: Decimal,
    pub(super) refund: Decimal,
    pub(super) output_vat: Decimal,
    pub(super) cogs: Decimal,
    pub(super) standard_commission: Decimal,
    pub(super) shop_ads_commission: Decimal,
    pub(super) creator_bonus: Decimal,
    pub(super) list_sales: Decimal,
    pub(super) affiliate_sales: Decimal,
    pub(super) platform_fees: Decimal,
    pub(super) modelled_fees: Decimal,
    pub(super) actual_fees: Option<Decimal>,
    pub(super) fee_modelled: bool,
    /// A sold or returned line (cancelled lines and samples pay no fee).
    pub(super) counts_fee: bool,
    pub(super) fulfillment: Decimal,
    pub(super) shipping: Decimal,
    pub(super) returns_cost: Decimal,
    pub(super) ad_spend: Decimal,
    pub(super) sample_cost: Decimal,
    pub(super) other_marketing: Decimal,
    pub(super) overhead: Decimal,
    pub(super) actual_settlement: Decimal,
    /// The refund is the finance export's amount, not the unit-based estimate (docs/metrics.md §2).
    pub(super) finance_refund: bool,
    /// The earliest settlement date of the line's finance rows (docs/metrics.md §1).
    pub(super) settled: Option<chrono::NaiveDate>,
    pub(super) units_sold: i64,
    pub(super) units_returned: i64,
    pub(super) sample_units: i64,
    pub(super) units_without_cost: i64,
    /// Sold or returned: the line makes its order count.
    pub(super) counts_order: bool,
}

impl LineFigures {
    /// The line's part of gmv − cancelled_sales and of [`Figures::cm1`].
    pub(super) fn gmv_and_cm1(&self) -> (Decimal, Decimal) {
        let net_revenue = self.gmv - self.cancelled - self.refund - self.output_vat;
        (
            self.gmv - self.cancelled,
            net_revenue
                - self.cogs
                - self.platform_fees
                - self.fulfillment
                - self.shipping
                - self.returns_cost,
        )
    }

    /// The line's part of [`Figures::estimated_settlement`].
    pub(super) fn estimated_settlement(&self) -> Decimal {
        settlement_estimate(
            self.gmv - self.cancelled - self.refund,
            self.output_vat,
            self.platform_fees,
            self.standard_commission + self.shop_ads_commission + self.creator_bonus,
            self.shipping,
        )
    }
}

/// The GMV → settlement waterfall's estimate (docs/metrics.md §6): net_sales − output_vat − platform_fees −
/// affiliate_commission − shipping.
fn settlement_estimate(
    net_sales: Decimal,
    output_vat: Decimal,
    platform_fees: Decimal,
    affiliate_commission: Decimal,
    shipping: Decimal,
) -> Decimal {
    net_sales - output_vat - platform_fees - affiliate_commission - shipping
}
