//! Estimated vs settled cash (docs/metrics.md §6): per order, the estimated settlement of its lines
//! matched to settled finance rows beside what those rows paid; the refunds taken from the finance
//! exports and those still estimated; the orders not settled yet (on hold, or in no finance export) and
//! the cash still to come; the loaded orders' figures by the date they settled (docs/metrics.md §1); and
//! every settled finance row by settlement date.
//!
//! Gathered with the lines' own figures when a finance export is loaded ([`CashGather`], in the per-line
//! pass), kept in the cube ([`CashCube`]), and summed for a period ([`CashCube::analyse`]).

use super::figures::LineFigures;
use crate::ledger::{FinanceRow, Ledger};
use crate::sort_dyn::SortDyn;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The most orders the analysis lists (matched orders by the largest difference, unsettled orders by
/// the most cash to come); the counts and sums are over all of them.
pub const LISTED_ORDERS: usize = 200;

/// One order's (or one settlement date's) sums over its lines matched to settled finance rows: the
/// estimate's parts (docs/metrics.md §6) and what the finance export paid.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderCashSums {
    /// gmv − cancelled_sales − refunds of the lines.
    pub net_sales: Decimal,
    /// VAT inside the net sales.
    pub output_vat: Decimal,
    /// Platform fees (the finance export's, for matched lines).
    pub platform_fees: Decimal,
    /// Creator commission of the lines' affiliate rows.
    pub affiliate_commission: Decimal,
    /// Seller-paid shipping.
    pub shipping: Decimal,
    /// Cost of the goods sold.
    pub cogs: Decimal,
    /// Contribution before marketing (docs/metrics.md §4).
    pub cm1: Decimal,
    /// net_sales − output_vat − platform_fees − affiliate_commission − shipping.
    pub estimated_settlement: Decimal,
    /// What the settled finance rows paid for the lines (the order's adjustments included).
    pub actual_settlement: Decimal,
}

impl OrderCashSums {
    fn add_line(&mut self, lf: &LineFigures) {
        let (_, cm1) = lf.gmv_and_cm1();
        self.net_sales += lf.gmv - lf.cancelled - lf.refund;
        self.output_vat += lf.output_vat;
        self.platform_fees += lf.platform_fees;
        self.affiliate_commission +=
            lf.standard_commission + lf.shop_ads_commission + lf.creator_bonus;
        self.shipping += lf.shipping;
        self.cogs += lf.cogs;
        self.cm1 += cm1;
        self.estimated_settlement += lf.estimated_settlement();
        self.actual_settlement += lf.actual_settlement;
    }

    fn add(&mut self, o: &OrderCashSums) {
        self.net_sales += o.net_sales;
        self.output_vat += o.output_vat;
        self.platform_fees += o.platform_fees;
        self.affiliate_commission += o.affiliate_commission;
        self.shipping += o.shipping;
        self.cogs += o.cogs;
        self.cm1 += o.cm1;
        self.estimated_settlement += o.estimated_settlement;
        self.actual_settlement += o.actual_settlement;
    }

    /// actual_settlement − estimated_settlement.
    pub fn difference(&self) -> Decimal {
        self.actual_settlement - self.estimated_settlement
    }
}

/// Refunds of sold and returned lines: the amounts settled finance rows gave, and the unit-based
/// estimates of the others (docs/metrics.md §2).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundSources {
    /// Refunds whose amount a settled finance row gives.
    pub from_finance: Decimal,
    /// Lines refunded by such an amount.
    pub from_finance_lines: u64,
    /// Refunds still estimated: gross sales × units returned / quantity.
    pub estimated: Decimal,
    /// Lines refunded by such an estimate.
    pub estimated_lines: u64,
}

impl RefundSources {
    fn add(&mut self, o: &RefundSources) {
        self.from_finance += o.from_finance;
        self.from_finance_lines += o.from_finance_lines;
        self.estimated += o.estimated;
        self.estimated_lines += o.estimated_lines;
    }
}

/// What the per-line pass gathers for the cash figures over a run of lines (empty unless a finance
/// export is loaded).
#[derive(Debug, Default)]
pub(super) struct CashGather<'a> {
    /// Orders (by Order ID and order date) with lines matched to settled finance rows: those lines'
    /// sums and their earliest settlement date.
    matched: BTreeMap<(&'a str, NaiveDate), (OrderCashSums, Option<NaiveDate>)>,
    /// The estimated settlement of the other sold and returned lines, per order and order date.
    pending: BTreeMap<(&'a str, NaiveDate), Decimal>,
    refunds: BTreeMap<NaiveDate, RefundSources>,
}

impl<'a> CashGather<'a> {
    /// Adds a line of order `order_id` created on `day`.
    pub(super) fn add(&mut self, order_id: &'a str, day: NaiveDate, lf: &LineFigures) {
        if !lf.counts_order {
            return;
        }
        if !lf.refund.is_zero() {
            let r = self.refunds.entry(day).or_default();
            if lf.finance_refund {
                r.from_finance += lf.refund;
                r.from_finance_lines += 1;
            } else {
                r.estimated += lf.refund;
                r.estimated_lines += 1;
            }
        }
        if lf.actual_fees.is_some() {
            let (sums, settled) = self.matched.entry((order_id, day)).or_default();
            sums.add_line(lf);
            if let Some(d) = lf.settled {
                *settled = Some(settled.map_or(d, |s| s.min(d)));
            }
        } else {
            *self.pending.entry((order_id, day)).or_default() += lf.estimated_settlement();
        }
    }

    /// Joins the run of lines that follows this one.
    pub(super) fn append(&mut self, next: CashGather<'a>) {
        for (k, (sums, settled)) in next.matched {
            let (mine, s) = self.matched.entry(k).or_default();
            mine.add(&sums);
            *s = match (*s, settled) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        for (k, v) in next.pending {
            *self.pending.entry(k).or_default() += v;
        }
        for (d, r) in next.refunds {
            self.refunds.entry(d).or_default().add(&r);
        }
    }
}

/// One order matched to settled finance rows.
#[derive(Debug, Clone, PartialEq, Eq)]
struct MatchedOrder {
    order_id: String,
    day: NaiveDate,
    settled: Option<NaiveDate>,
    sums: OrderCashSums,
}

/// One loaded order with sold or returned lines and no settled finance row.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PendingOrder {
    order_id: String,
    day: NaiveDate,
    estimated_settlement: Decimal,
    /// The on-hold export's estimated settlement of the order (its rows summed), when it lists it.
    on_hold: Option<Decimal>,
}

impl PendingOrder {
    /// The cash it should bring: the on-hold export's estimate, else ours.
    fn expected(&self) -> Decimal {
        self.on_hold.unwrap_or(self.estimated_settlement)
    }
}

/// Settled finance rows of one settlement date, whatever order they belong to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinanceDay {
    /// Settled rows dated that day.
    pub rows: u64,
    /// Σ their settlement amounts, as the export signs them (ad payments and deductions negative).
    pub settlement: Decimal,
    /// Σ the refunds of sales they give (positive = refunded).
    pub refunds: Decimal,
    /// Σ the ad payments among them (`GMV Payment for TikTok Ads`), positive = paid.
    pub ad_payments: Decimal,
}

/// One order date's matched orders: how many, and their sums.
#[derive(Debug, Clone, Copy, Default)]
struct MatchedDay {
    orders: u64,
    estimated_settlement: Decimal,
    actual_settlement: Decimal,
}

/// What the cube keeps for the cash figures of any period: sums per day, and per day only the orders
/// any period could list (a period's [`LISTED_ORDERS`] first are among its days' first), so that the
/// memory kept does not grow with the orders.
#[derive(Debug, Clone, Default)]
pub(super) struct CashCube {
    /// Whether any finance export is loaded (else there are no cash figures).
    loaded: bool,
    /// By order date.
    matched: BTreeMap<NaiveDate, MatchedDay>,
    /// By order date, the matched orders with the largest differences.
    matched_listed: BTreeMap<NaiveDate, Vec<MatchedOrder>>,
    /// The matched orders by settlement date.
    settled: BTreeMap<NaiveDate, SettledDay>,
    /// By order date, the unsettled orders' sums (its `orders` list left empty).
    pending: BTreeMap<NaiveDate, UnsettledFigures>,
    /// By order date, the unsettled orders with the most cash to come.
    pending_listed: BTreeMap<NaiveDate, Vec<PendingOrder>>,
    /// On-hold rows of orders with no sold or returned line loaded: order ID (may be empty), date,
    /// estimated settlement.
    on_hold_other: Vec<(String, Option<NaiveDate>, Decimal)>,
    refunds: BTreeMap<NaiveDate, RefundSources>,
    finance_days: BTreeMap<NaiveDate, FinanceDay>,
    /// Settled rows without a date (not in any day).
    undated_rows: u64,
}

/// The largest difference first, then by Order ID.
fn by_difference(a: &MatchedOrder, b: &MatchedOrder) -> std::cmp::Ordering {
    b.sums
        .difference()
        .abs()
        .cmp(&a.sums.difference().abs())
        .then_with(|| a.order_id.cmp(&b.order_id))
}

/// The most cash to come first, then by Order ID.
fn by_expected(a: &PendingOrder, b: &PendingOrder) -> std::cmp::Ordering {
    b.expected()
        .cmp(&a.expected())
        .then_with(|| a.order_id.cmp(&b.order_id))
}

/// Keeps the first [`LISTED_ORDERS`] of `v` by `order`.
fn keep_first<T>(v: &mut Vec<T>, order: fn(&T, &T) -> std::cmp::Ordering) {
    v.sort_by_dyn(order);
    v.truncate(LISTED_ORDERS);
}

impl CashCube {
    /// The cube's cash records from what the line pass gathered and the ledger's finance rows.
    pub(super) fn new(g: CashGather<'_>, ledger: &Ledger) -> CashCube {
        let finance = ledger.finance();
        if finance.is_empty() {
            return CashCube::default();
        }
        let CashGather {
            matched,
            pending,
            refunds,
        } = g;
        let mut out = CashCube {
            loaded: true,
            refunds,
            ..CashCube::default()
        };
        // Orders some settled row belongs to: an on-hold row of such an order is no longer pending.
        let settled: HashSet<&str> = finance
            .iter()
            .filter(|r| !r.estimated && !r.is_ads_payment() && !r.order_id.is_empty())
            .map(|r| r.order_id.as_str())
            .collect();
        let mut on_hold: HashMap<&str, Decimal> = HashMap::default();
        let mut on_hold_rows: Vec<&FinanceRow> = Vec::new();
        for r in finance
            .iter()
            .filter(|r| r.estimated && !r.is_ads_payment())
        {
            if !r.order_id.is_empty() && settled.contains(r.order_id.as_str()) {
                continue;
            }
            if !r.order_id.is_empty() {
                *on_hold.entry(r.order_id.as_str()).or_default() +=
                    r.amounts.settlement.unwrap_or_default();
            }
            on_hold_rows.push(r);
        }
        let matched_ids: HashSet<&str> = matched.keys().map(|(o, _)| *o).collect();
        for ((o, day), (sums, settled_on)) in matched {
            let d = out.matched.entry(day).or_default();
            d.orders += 1;
            d.estimated_settlement += sums.estimated_settlement;
            d.actual_settlement += sums.actual_settlement;
            if let Some(s) = settled_on {
                let d = out.settled.entry(s).or_default();
                d.orders += 1;
                d.sums.add(&sums);
            }
            let listed = out.matched_listed.entry(day).or_default();
            listed.push(MatchedOrder {
                order_id: o.to_string(),
                day,
                settled: settled_on,
                sums,
            });
            if listed.len() >= 2 * LISTED_ORDERS {
                keep_first(listed, by_difference);
            }
        }
        for v in out.matched_listed.values_mut() {
            keep_first(v, by_difference);
        }
        let mut pending_ids: HashSet<&str> = HashSet::default();
        for ((o, day), est) in pending {
            if matched_ids.contains(o) {
                continue;
            }
            pending_ids.insert(o);
            let expected = on_hold.get(o).copied();
            let u = out.pending.entry(day).or_default();
            match expected {
                Some(x) => {
                    u.on_hold_orders += 1;
                    u.on_hold_expected += x;
                    u.on_hold_estimated += est;
                }
                None => {
                    u.not_in_finance_orders += 1;
                    u.not_in_finance_estimated += est;
                }
            }
            let listed = out.pending_listed.entry(day).or_default();
            listed.push(PendingOrder {
                order_id: o.to_string(),
                day,
                estimated_settlement: est,
                on_hold: expected,
            });
            if listed.len() >= 2 * LISTED_ORDERS {
                keep_first(listed, by_expected);
            }
        }
        for v in out.pending_listed.values_mut() {
            keep_first(v, by_expected);
        }
        out.on_hold_other = on_hold_rows
            .into_iter()
            .filter(|r| r.order_id.is_empty() || !pending_ids.contains(r.order_id.as_str()))
            .map(|r| {
                (
                    r.order_id.clone(),
                    r.created.or(r.settled),
                    r.amounts.settlement.unwrap_or_default(),
                )
            })
            .collect();
        for r in finance.iter().filter(|r| !r.estimated) {
            let Some(d) = r.settled else {
                out.undated_rows += 1;
                continue;
            };
            let day = out.finance_days.entry(d).or_default();
            let settlement = r.amounts.settlement.unwrap_or_default();
            day.rows += 1;
            day.settlement += settlement;
            day.refunds -= r.amounts.refund_of_sales().unwrap_or_default();
            if r.is_ads_payment() {
                day.ad_payments -= settlement;
            }
        }
        out
    }

    /// The cash figures of the orders created on the days `in_period` keeps (per order, refunds,
    /// unsettled) and of the settlement dates it keeps (by settled date, finance by day); `None` when no
    /// finance export is loaded.
    pub(super) fn analyse(&self, in_period: &dyn Fn(NaiveDate) -> bool) -> Option<CashFigures> {
        if !self.loaded {
            return None;
        }
        let mut out = CashFigures {
            undated_finance_rows: self.undated_rows,
            ..CashFigures::default()
        };
        for (_, d) in self.matched.iter().filter(|(d, _)| in_period(**d)) {
            out.matched_orders += d.orders;
            out.estimated_settlement_of_matched += d.estimated_settlement;
            out.actual_settlement += d.actual_settlement;
        }
        let mut orders: Vec<&MatchedOrder> = self
            .matched_listed
            .iter()
            .filter(|(d, _)| in_period(**d))
            .flat_map(|(_, v)| v)
            .collect();
        orders.sort_by_dyn(|a, b| by_difference(a, b));
        out.orders = orders
            .into_iter()
            .take(LISTED_ORDERS)
            .map(|m| OrderCash {
                order_id: m.order_id.clone(),
                order_date: m.day,
                settled_date: m.settled,
                sums: m.sums,
            })
            .collect();
        out.by_settled_date = self
            .settled
            .iter()
            .filter(|(d, _)| in_period(**d))
            .map(|(d, s)| (*d, *s))
            .collect();
        for (_, r) in self.refunds.iter().filter(|(d, _)| in_period(**d)) {
            out.refunds.add(r);
        }
        let u = &mut out.unsettled;
        for (_, p) in self.pending.iter().filter(|(d, _)| in_period(**d)) {
            u.on_hold_orders += p.on_hold_orders;
            u.on_hold_expected += p.on_hold_expected;
            u.on_hold_estimated += p.on_hold_estimated;
            u.not_in_finance_orders += p.not_in_finance_orders;
            u.not_in_finance_estimated += p.not_in_finance_estimated;
        }
        let mut other_orders: HashSet<&str> = HashSet::default();
        for (o, d, amount) in &self.on_hold_other {
            if d.is_none_or(in_period) {
                u.other_on_hold_rows += 1;
                u.other_on_hold_expected += *amount;
                if !o.is_empty() {
                    other_orders.insert(o.as_str());
                }
            }
        }
        u.other_on_hold_orders = other_orders.len() as u64;
        let mut pending: Vec<&PendingOrder> = self
            .pending_listed
            .iter()
            .filter(|(d, _)| in_period(**d))
            .flat_map(|(_, v)| v)
            .collect();
        pending.sort_by_dyn(|a, b| by_expected(a, b));
        u.orders = pending
            .into_iter()
            .take(LISTED_ORDERS)
            .map(|p| UnsettledOrder {
                order_id: p.order_id.clone(),
                order_date: p.day,
                estimated_settlement: p.estimated_settlement,
                on_hold_expected: p.on_hold,
            })
            .collect();
        out.finance_by_day = self
            .finance_days
            .iter()
            .filter(|(d, _)| in_period(**d))
            .map(|(d, f)| (*d, *f))
            .collect();
        Some(out)
    }
}

/// The cash figures of a period (docs/metrics.md §6).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CashFigures {
    /// Orders of the period with lines matched to settled finance rows.
    pub matched_orders: u64,
    /// Σ their matched lines' estimated settlement (the waterfall's figure of the same name).
    pub estimated_settlement_of_matched: Decimal,
    /// Σ what the finance rows paid for those lines.
    pub actual_settlement: Decimal,
    /// The matched orders with the largest differences (at most [`LISTED_ORDERS`]).
    pub orders: Vec<OrderCash>,
    /// The period's refunds by source.
    pub refunds: RefundSources,
    /// Orders of the period not settled yet.
    pub unsettled: UnsettledFigures,
    /// The loaded orders settled on each day of the period (whenever they were created): their
    /// matched lines' sums (docs/metrics.md §1, the settlement date).
    pub by_settled_date: Vec<(NaiveDate, SettledDay)>,
    /// Every settled finance row by its settlement date (in the period).
    pub finance_by_day: Vec<(NaiveDate, FinanceDay)>,
    /// Settled finance rows without a settlement date (in no day).
    pub undated_finance_rows: u64,
}

impl CashFigures {
    /// actual_settlement − estimated_settlement_of_matched.
    pub fn settlement_difference(&self) -> Decimal {
        self.actual_settlement - self.estimated_settlement_of_matched
    }
}

/// One matched order's estimated and actual settlement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderCash {
    /// Order ID.
    pub order_id: String,
    /// Its order date.
    pub order_date: NaiveDate,
    /// The earliest settlement date of its finance rows.
    pub settled_date: Option<NaiveDate>,
    /// Its matched lines' sums.
    pub sums: OrderCashSums,
}

/// The loaded orders settled on one day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettledDay {
    /// Orders.
    pub orders: u64,
    /// Their matched lines' sums.
    pub sums: OrderCashSums,
}

/// The orders of a period no settled finance row covers yet, and the cash still to come.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnsettledFigures {
    /// Loaded orders the on-hold export lists.
    pub on_hold_orders: u64,
    /// The on-hold export's estimated settlement of those orders.
    pub on_hold_expected: Decimal,
    /// Our estimate of the same orders (docs/metrics.md §6).
    pub on_hold_estimated: Decimal,
    /// Loaded orders in no finance export.
    pub not_in_finance_orders: u64,
    /// Our estimate of their settlement.
    pub not_in_finance_estimated: Decimal,
    /// On-hold rows of orders with no sold or returned line loaded (and adjustments without an order).
    pub other_on_hold_rows: u64,
    /// The distinct orders among those rows.
    pub other_on_hold_orders: u64,
    /// Their estimated settlement, as the on-hold export gives it.
    pub other_on_hold_expected: Decimal,
    /// The unsettled loaded orders with the most cash to come (at most [`LISTED_ORDERS`]).
    pub orders: Vec<UnsettledOrder>,
}

impl UnsettledFigures {
    /// The cash still to come: the on-hold export's estimate where it lists an order (or a row of an
    /// order not loaded), ours for the loaded orders it does not.
    pub fn expected_cash(&self) -> Decimal {
        self.on_hold_expected + self.not_in_finance_estimated + self.other_on_hold_expected
    }
}

/// One loaded order not settled yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnsettledOrder {
    /// Order ID.
    pub order_id: String,
    /// Its order date.
    pub order_date: NaiveDate,
    /// Our estimate of its settlement.
    pub estimated_settlement: Decimal,
    /// The on-hold export's estimate, when it lists the order.
    pub on_hold_expected: Option<Decimal>,
}
