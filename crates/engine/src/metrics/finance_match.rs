//! Matching finance-export rows to order lines (docs/metrics.md §3: actual fees and settlement replace the
//! modelled ones where a line is matched).

use crate::ledger::{FinanceRow, Ledger, OrderLine};
use crate::money::share;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap as HashMap;

/// Finance rows by order line (Order ID + SKU ID) and by order (rows without a SKU), settled money only.
pub(super) struct FinanceIndex<'a> {
    pub(super) by_line: HashMap<(&'a str, &'a str), Vec<&'a FinanceRow>>,
    pub(super) by_order: HashMap<&'a str, Vec<&'a FinanceRow>>,
}

impl<'a> FinanceIndex<'a> {
    pub(super) fn new(ledger: &'a Ledger) -> FinanceIndex<'a> {
        let mut by_line: HashMap<(&str, &str), Vec<&FinanceRow>> = HashMap::default();
        let mut by_order: HashMap<&str, Vec<&FinanceRow>> = HashMap::default();
        for row in ledger.finance() {
            // Estimates (on-hold) are not actuals; ad payments are ad spend; orders only.
            if row.estimated || row.is_ads_payment() || row.order_id.is_empty() {
                continue;
            }
            if row.sku_id.is_empty() {
                by_order.entry(row.order_id.as_str()).or_default().push(row);
            } else {
                by_line
                    .entry((row.order_id.as_str(), row.sku_id.as_str()))
                    .or_default()
                    .push(row);
            }
        }
        FinanceIndex { by_line, by_order }
    }

    /// The line's actual fees, shipping and settlement (positive = cost for fees and shipping).
    pub(super) fn share(
        &self,
        line: &OrderLine,
        order_part: (Decimal, Decimal),
    ) -> Option<FinanceShare> {
        let own = self.by_line.get(&(line.order_id.as_str(), &*line.sku_id));
        let order = self.by_order.get(line.order_id.as_str());
        if own.is_none() && order.is_none() {
            return None;
        }
        let mut out = FinanceShare::default();
        // Order-level rows are shared by gross sales; a line's own rows count whole.
        let mut add = |rows: &[&FinanceRow], part: Option<(Decimal, Decimal)>| {
            let portion = |x: Decimal| part.map_or(x, |(p, w)| share(x, p, w));
            for r in rows {
                // `Total fees` nests every component (docs/formats.md §2.1): commissions to creators and the
                // seller shipping fee come out of it, as they are counted on their own lines.
                let money = &r.amounts;
                // Exports sign fees negative: a cost is their negation.
                out.platform_fees -= portion(money.platform_fees());
                if let Some(s) = money.seller_shipping {
                    *out.shipping.get_or_insert(Decimal::ZERO) -= portion(s);
                }
                out.settlement += portion(money.settlement.unwrap_or_default());
                // docs/metrics.md §2: the refund the export gives replaces the unit-based estimate.
                if let Some(refund) = money.refund_of_sales().filter(|x| !x.is_zero()) {
                    *out.refund.get_or_insert(Decimal::ZERO) -= portion(refund);
                }
                if let Some(d) = r.settled {
                    out.settled = Some(out.settled.map_or(d, |s| s.min(d)));
                }
            }
        };
        if let Some(rows) = own {
            add(rows, None);
        }
        if let Some(rows) = order {
            add(rows, Some(order_part));
        }
        Some(out)
    }
}

/// A line's part of the finance export's money.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct FinanceShare {
    pub(super) platform_fees: Decimal,
    pub(super) shipping: Option<Decimal>,
    pub(super) settlement: Decimal,
    /// The refund the rows give (positive = refunded; the line's own rows whole, its share of its
    /// order's), when any row has a refund.
    pub(super) refund: Option<Decimal>,
    /// The earliest settlement date of the rows (docs/metrics.md §1: the line's settlement date).
    pub(super) settled: Option<chrono::NaiveDate>,
}
