//! Figures of METRICS.md §1–§4 computed from the ledger under the costs table.

use crate::costs::CostsTable;
use crate::ledger::{LineStatus, OrderLine};
use crate::money::percent_points;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashSet};

/// Sums of one group of lines (a SKU, or everything). Exact; nothing is rounded here.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    /// Σ gross_sales over paid, non-sample lines, cancelled and returned ones included.
    pub gmv: Decimal,
    /// Σ gross_sales of cancelled lines.
    pub cancelled_sales: Decimal,
    /// Σ gross_sales × units_returned / Quantity over returned lines.
    pub refunds: Decimal,
    /// VAT inside net_sales where prices include VAT.
    pub output_vat: Decimal,
    /// units_sold × unit cost on the line's date.
    pub cogs: Decimal,
    /// Distinct orders with at least one sold or returned line.
    pub orders: u64,
    /// Σ Quantity − units_returned over sold and returned lines.
    pub units_sold: i64,
    /// Units returned on returned lines.
    pub units_returned: i64,
    /// Units on sample lines.
    pub sample_units: i64,
    /// Units sold whose SKU has no unit cost (their cost counts 0).
    pub units_without_cost: i64,
    /// Ledger lines that fed these figures.
    pub lines: u64,
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
    /// True when some sold unit had no cost, so cogs and profit are incomplete.
    pub fn cost_missing(&self) -> bool {
        self.units_without_cost > 0
    }
}

/// One SKU's identity and figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkuFigures {
    /// Platform SKU ID.
    pub sku_id: String,
    /// The seller's SKU code (may be empty).
    pub seller_sku: String,
    /// Product name.
    pub product_name: String,
    /// Variation.
    pub variation: String,
    /// The unit cost shown for editing (undated or latest), if any.
    pub unit_cost: Option<Decimal>,
    /// Sums.
    pub figures: Figures,
}

/// The figures of a period: totals and per SKU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Analysis {
    /// First and last order date included, when any line is.
    pub period: Option<(NaiveDate, NaiveDate)>,
    /// Everything.
    pub totals: Figures,
    /// Per SKU, ranked by net sales (highest first), then SKU ID.
    pub skus: Vec<SkuFigures>,
}

/// Adds one line to a group's sums (METRICS.md §1–§3). Returns the line's contribution to `orders`
/// eligibility: true when the line is sold or returned.
fn add_line(f: &mut Figures, line: &OrderLine, costs: &CostsTable) -> bool {
    f.lines += 1;
    let gross = line.gross_sales();
    match line.status {
        LineStatus::Sample => {
            f.sample_units += line.quantity;
            return false;
        }
        LineStatus::Cancelled => {
            f.gmv += gross;
            f.cancelled_sales += gross;
            return false;
        }
        LineStatus::Returned | LineStatus::Sold => {}
    }
    f.gmv += gross;
    let returned = line.units_returned();
    // The import refuses paid lines with quantity 0, so this division is safe; checked anyway.
    let refund = if returned > 0 && line.quantity > 0 {
        gross * Decimal::from(returned) / Decimal::from(line.quantity)
    } else {
        Decimal::ZERO
    };
    f.refunds += refund;
    f.units_returned += returned;
    let sold = line.quantity - returned;
    f.units_sold += sold;
    let line_net = gross - refund;
    let vat_rate = line
        .tax_rate
        .unwrap_or_else(|| costs.vat_rate(&line.sku_id, &line.seller_sku));
    if !vat_rate.is_zero() {
        f.output_vat += line_net * vat_rate / (Decimal::ONE + vat_rate);
    }
    match costs.unit_cost(&line.sku_id, &line.seller_sku, line.created.date()) {
        Some(c) => f.cogs += c * Decimal::from(sold),
        None => f.units_without_cost += sold,
    }
    true
}

/// Computes totals and per-SKU figures over the lines whose order date is within `period` (inclusive;
/// `None` = all lines).
pub fn analyse<'a>(
    lines: impl IntoIterator<Item = &'a OrderLine>,
    costs: &CostsTable,
    period: Option<(NaiveDate, NaiveDate)>,
) -> Analysis {
    let mut totals = Figures::default();
    let mut orders: HashSet<&str> = HashSet::new();
    let mut skus: BTreeMap<&str, SkuFigures> = BTreeMap::new();
    let mut first_last: Option<(NaiveDate, NaiveDate)> = None;
    for line in lines {
        let day = line.created.date();
        if period.is_some_and(|(from, to)| day < from || day > to) {
            continue;
        }
        first_last = Some(first_last.map_or((day, day), |(a, b)| (a.min(day), b.max(day))));
        let sku = skus.entry(&line.sku_id).or_insert_with(|| SkuFigures {
            sku_id: line.sku_id.clone(),
            seller_sku: line.seller_sku.clone(),
            product_name: line.product_name.clone(),
            variation: line.variation.clone(),
            unit_cost: costs.current_unit_cost(&line.sku_id, &line.seller_sku),
            figures: Figures::default(),
        });
        if sku.seller_sku.is_empty() && !line.seller_sku.is_empty() {
            sku.seller_sku = line.seller_sku.clone();
        }
        // A SKU's line is unique per order, so each sold/returned line is one order of that SKU.
        if add_line(&mut sku.figures, line, costs) {
            sku.figures.orders += 1;
        }
        if add_line(&mut totals, line, costs) {
            orders.insert(&line.order_id);
        }
    }
    totals.orders = orders.len() as u64;
    let mut skus: Vec<SkuFigures> = skus.into_values().collect();
    skus.sort_by(|a, b| {
        b.figures
            .net_sales()
            .cmp(&a.figures.net_sales())
            .then_with(|| a.sku_id.cmp(&b.sku_id))
    });
    Analysis {
        period: period.or(first_last),
        totals,
        skus,
    }
}
