//! The report's `cash` section (docs/metrics.md §6, §8): estimated vs settled cash per order, the
//! refunds by source, the unsettled orders and the cash still to come, the loaded orders by the date
//! they settled and every settled finance row by settlement date; and its `custom_costs` (docs/metrics.md
//! §3). Money is rounded once, here.

use crate::metrics::{Analysis, OrderCashSums};
use crate::money::Currency;
use crate::settings::CustomCost;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// Estimated vs settled cash of the period; the report's `cash` is `null` when no finance export is
/// loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CashSection {
    /// Orders of the period (by order date) with lines matched to settled finance rows.
    pub matched_orders: u64,
    /// Their matched lines' estimated settlement (as the waterfall's).
    pub estimated_settlement_of_matched: String,
    /// What the finance export paid for those lines.
    pub actual_settlement: String,
    /// actual_settlement − estimated_settlement_of_matched.
    pub settlement_difference: String,
    /// The matched orders with the largest differences (at most 200).
    pub orders: Vec<OrderCashEntry>,
    /// The period's refunds: the finance export's amounts and the unit-based estimates left.
    pub refunds: RefundsEntry,
    /// Orders of the period not settled yet, and the cash still to come.
    pub unsettled: UnsettledEntry,
    /// The loaded orders settled on each day of the period, whenever they were ordered.
    pub by_settled_date: Vec<SettledDateEntry>,
    /// Every settled finance row, by settlement date (in the period).
    pub finance_by_day: Vec<FinanceDayEntry>,
    /// Settled finance rows without a settlement date.
    pub undated_finance_rows: u64,
}

/// One matched order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderCashEntry {
    /// Order ID.
    pub order_id: String,
    /// Its order date.
    pub order_date: NaiveDate,
    /// The first settlement date of its finance rows.
    pub settled_date: Option<NaiveDate>,
    /// Net sales of its matched lines.
    pub net_sales: String,
    /// Their estimated settlement (docs/metrics.md §6).
    pub estimated_settlement: String,
    /// What the finance export paid.
    pub actual_settlement: String,
    /// actual − estimated.
    pub difference: String,
}

/// Refunds by source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefundsEntry {
    /// The amounts settled finance rows give.
    pub from_finance: String,
    /// Lines so refunded.
    pub from_finance_lines: u64,
    /// The unit-based estimates (gross sales × units returned / quantity) of the other refunded lines.
    pub estimated: String,
    /// Lines so refunded.
    pub estimated_lines: u64,
}

/// The unsettled orders of the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnsettledEntry {
    /// The cash still to come: the on-hold export's estimate where it lists an order, ours for the
    /// loaded orders in no finance export.
    pub expected_cash: String,
    /// Loaded orders the on-hold export lists.
    pub on_hold_orders: u64,
    /// The on-hold export's estimated settlement of them.
    pub on_hold_expected: String,
    /// Our estimate of the same orders.
    pub on_hold_estimated: String,
    /// Loaded orders in no finance export.
    pub not_in_finance_orders: u64,
    /// Our estimate of their settlement.
    pub not_in_finance_estimated: String,
    /// On-hold rows of orders with no sold or returned line loaded.
    pub other_on_hold_rows: u64,
    /// Distinct orders among them.
    pub other_on_hold_orders: u64,
    /// Their estimated settlement, as the on-hold export gives it.
    pub other_on_hold_expected: String,
    /// The loaded unsettled orders with the most cash to come (at most 200).
    pub orders: Vec<UnsettledOrderEntry>,
}

/// One unsettled loaded order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnsettledOrderEntry {
    /// Order ID.
    pub order_id: String,
    /// Its order date.
    pub order_date: NaiveDate,
    /// Our estimate of its settlement.
    pub estimated_settlement: String,
    /// The on-hold export's, when it lists the order.
    pub on_hold_expected: Option<String>,
}

/// The loaded orders settled on one day: their matched lines' P&L up to CM1 and their settlement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SettledDateEntry {
    /// The settlement date.
    pub date: NaiveDate,
    /// Orders settled that day.
    pub orders: u64,
    /// Net sales.
    pub net_sales: String,
    /// VAT inside them.
    pub output_vat: String,
    /// Platform fees.
    pub platform_fees: String,
    /// Creator commission.
    pub affiliate_commission: String,
    /// Seller-paid shipping.
    pub shipping: String,
    /// Cost of goods.
    pub cogs: String,
    /// Contribution before marketing.
    pub cm1: String,
    /// Estimated settlement.
    pub estimated_settlement: String,
    /// Actual settlement.
    pub actual_settlement: String,
    /// actual − estimated.
    pub difference: String,
}

/// The settled finance rows of one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FinanceDayEntry {
    /// The settlement date.
    pub date: NaiveDate,
    /// Rows.
    pub rows: u64,
    /// Σ settlement amounts, as signed by the export.
    pub settlement: String,
    /// Σ refunds of sales (positive = refunded).
    pub refunds: String,
    /// Σ ad payments from the balance (positive = paid).
    pub ad_payments: String,
}

/// One custom cost and what the period carries of it: the cost as set (`name`, `layer` — `marketing`,
/// within `other_marketing`, or `overhead` — `kind` and its fields) and `period_amount`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomCostEntry {
    /// The cost as set.
    #[serde(flatten)]
    pub cost: CustomCost,
    /// The amount the period's figures carry.
    pub period_amount: String,
}

/// The report's `cash` (`None` without a finance export).
pub(super) fn section(a: &Analysis, currency: Currency) -> Option<CashSection> {
    let c = a.cash.as_ref()?;
    let m = |d: Decimal| currency.round(d).to_string();
    let u = &c.unsettled;
    Some(CashSection {
        matched_orders: c.matched_orders,
        estimated_settlement_of_matched: m(c.estimated_settlement_of_matched),
        actual_settlement: m(c.actual_settlement),
        settlement_difference: m(c.settlement_difference()),
        orders: c
            .orders
            .iter()
            .map(|o| OrderCashEntry {
                order_id: o.order_id.clone(),
                order_date: o.order_date,
                settled_date: o.settled_date,
                net_sales: m(o.sums.net_sales),
                estimated_settlement: m(o.sums.estimated_settlement),
                actual_settlement: m(o.sums.actual_settlement),
                difference: m(o.sums.difference()),
            })
            .collect(),
        refunds: RefundsEntry {
            from_finance: m(c.refunds.from_finance),
            from_finance_lines: c.refunds.from_finance_lines,
            estimated: m(c.refunds.estimated),
            estimated_lines: c.refunds.estimated_lines,
        },
        unsettled: UnsettledEntry {
            expected_cash: m(u.expected_cash()),
            on_hold_orders: u.on_hold_orders,
            on_hold_expected: m(u.on_hold_expected),
            on_hold_estimated: m(u.on_hold_estimated),
            not_in_finance_orders: u.not_in_finance_orders,
            not_in_finance_estimated: m(u.not_in_finance_estimated),
            other_on_hold_rows: u.other_on_hold_rows,
            other_on_hold_orders: u.other_on_hold_orders,
            other_on_hold_expected: m(u.other_on_hold_expected),
            orders: u
                .orders
                .iter()
                .map(|o| UnsettledOrderEntry {
                    order_id: o.order_id.clone(),
                    order_date: o.order_date,
                    estimated_settlement: m(o.estimated_settlement),
                    on_hold_expected: o.on_hold_expected.map(m),
                })
                .collect(),
        },
        by_settled_date: c
            .by_settled_date
            .iter()
            .map(|(date, d)| settled_entry(*date, d.orders, &d.sums, &m))
            .collect(),
        finance_by_day: c
            .finance_by_day
            .iter()
            .map(|(date, f)| FinanceDayEntry {
                date: *date,
                rows: f.rows,
                settlement: m(f.settlement),
                refunds: m(f.refunds),
                ad_payments: m(f.ad_payments),
            })
            .collect(),
        undated_finance_rows: c.undated_finance_rows,
    })
}

fn settled_entry(
    date: NaiveDate,
    orders: u64,
    s: &OrderCashSums,
    m: &dyn Fn(Decimal) -> String,
) -> SettledDateEntry {
    SettledDateEntry {
        date,
        orders,
        net_sales: m(s.net_sales),
        output_vat: m(s.output_vat),
        platform_fees: m(s.platform_fees),
        affiliate_commission: m(s.affiliate_commission),
        shipping: m(s.shipping),
        cogs: m(s.cogs),
        cm1: m(s.cm1),
        estimated_settlement: m(s.estimated_settlement),
        actual_settlement: m(s.actual_settlement),
        difference: m(s.difference()),
    }
}

/// The report's `custom_costs`.
pub(super) fn custom_costs(a: &Analysis, currency: Currency) -> Vec<CustomCostEntry> {
    a.custom_costs
        .iter()
        .map(|c| CustomCostEntry {
            cost: c.cost.clone(),
            period_amount: currency.round(c.amount).to_string(),
        })
        .collect()
}
