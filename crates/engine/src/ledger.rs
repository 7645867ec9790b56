//! The ledger: typed order lines from every loaded export, de-duplicated.

use chrono::NaiveDateTime;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// How a paid Orders line counts in money figures (METRICS.md §1). Unpaid lines never reach the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineStatus {
    /// `SKU Subtotal Before Discount` = 0: a creator sample or a free gift. No revenue.
    Sample,
    /// Order status Canceled/Cancelled: in GMV and in cancelled sales.
    Cancelled,
    /// `Cancelation/Return Type` = Return/Refund on a line that is not cancelled.
    Returned,
    /// Every other paid line.
    Sold,
}

/// One SKU line of one paid order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    /// Order ID, as text (19 digits exceed f64).
    pub order_id: String,
    /// Platform SKU ID, as text.
    pub sku_id: String,
    /// The seller's own SKU code; may be empty.
    pub seller_sku: String,
    /// Product name.
    pub product_name: String,
    /// Variation (size, colour…).
    pub variation: String,
    /// Classification.
    pub status: LineStatus,
    /// Units ordered.
    pub quantity: i64,
    /// `Sku Quantity of return` (also filled on cancellations; only used on returned lines).
    pub return_quantity: i64,
    /// `SKU Subtotal Before Discount`.
    pub subtotal_before_discount: Decimal,
    /// `SKU Seller Discount` (seller-funded; platform discounts are reimbursed and ignored).
    pub seller_discount: Decimal,
    /// `Product Tax Rate` as a ratio, when the export has it (UK).
    pub tax_rate: Option<Decimal>,
    /// `Created Time`: the line's date for every figure.
    pub created: NaiveDateTime,
    /// The newest of the line's timestamps: decides which copy wins when exports overlap.
    pub latest: NaiveDateTime,
}

impl OrderLine {
    /// `gross_sales` = SKU Subtotal Before Discount − SKU Seller Discount (METRICS.md §2).
    pub fn gross_sales(&self) -> Decimal {
        self.subtotal_before_discount - self.seller_discount
    }

    /// `units_returned` = min(Sku Quantity of return, Quantity) on returned lines, else 0.
    pub fn units_returned(&self) -> i64 {
        match self.status {
            LineStatus::Returned => self.return_quantity.min(self.quantity),
            _ => 0,
        }
    }
}

/// Every loaded order line, one per (Order ID, SKU ID).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    lines: Vec<OrderLine>,
    by_key: HashMap<(String, String), usize>,
}

impl Ledger {
    /// An empty ledger.
    pub fn new() -> Ledger {
        Ledger::default()
    }

    /// Adds lines; the same (Order ID, SKU ID) already present is replaced when the new copy's newest
    /// timestamp is later (METRICS.md §1: overlapping exports). Returns how many lines were duplicates.
    pub fn add(&mut self, lines: impl IntoIterator<Item = OrderLine>) -> usize {
        let mut duplicates = 0;
        for line in lines {
            let key = (line.order_id.clone(), line.sku_id.clone());
            match self.by_key.get(&key) {
                Some(&i) => {
                    duplicates += 1;
                    if line.latest > self.lines[i].latest {
                        self.lines[i] = line;
                    }
                }
                None => {
                    self.by_key.insert(key, self.lines.len());
                    self.lines.push(line);
                }
            }
        }
        duplicates
    }

    /// The lines, in the order they were first seen.
    pub fn lines(&self) -> &[OrderLine] {
        &self.lines
    }

    /// Number of distinct lines.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// True when no line is loaded.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn line(order: &str, sku: &str, latest: &str, qty: i64) -> OrderLine {
        let t = NaiveDateTime::parse_from_str(latest, "%Y-%m-%d %H:%M:%S").unwrap_or_default();
        OrderLine {
            order_id: order.into(),
            sku_id: sku.into(),
            seller_sku: String::new(),
            product_name: String::new(),
            variation: String::new(),
            status: LineStatus::Sold,
            quantity: qty,
            return_quantity: 0,
            subtotal_before_discount: dec!(10),
            seller_discount: dec!(0),
            tax_rate: None,
            created: t,
            latest: t,
        }
    }

    #[test]
    fn overlapping_exports_keep_the_newest_copy() {
        let mut l = Ledger::new();
        l.add([
            line("1", "a", "2026-05-01 10:00:00", 1),
            line("1", "b", "2026-05-01 10:00:00", 1),
        ]);
        let dups = l.add([
            line("1", "a", "2026-05-03 10:00:00", 2),
            line("1", "b", "2026-04-30 10:00:00", 5),
        ]);
        assert_eq!(dups, 2);
        assert_eq!(l.len(), 2);
        assert_eq!(l.lines()[0].quantity, 2, "newer copy wins");
        assert_eq!(l.lines()[1].quantity, 1, "older copy loses");
    }
}
