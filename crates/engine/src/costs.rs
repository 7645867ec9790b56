//! The seller's costs table (docs/metrics.md §3): unit cost per SKU, optionally effective-dated, and VAT.
//! The model only: reading a costs sheet is an importer like the exports' (`import::costs`, which
//! also adds [`CostsTable::read`]).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One unit cost of one SKU from a date on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostEntry {
    /// A platform SKU ID or the seller's own SKU code.
    pub sku: String,
    /// First day the cost applies; `None` = since always.
    pub effective_from: Option<NaiveDate>,
    /// Landed cost of one unit, in the shop's currency.
    pub unit_cost: Decimal,
}

/// Per-SKU settings a costs sheet can carry besides the unit cost.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkuSettings {
    /// SKU ID or seller SKU.
    pub sku: String,
    /// VAT rate as a ratio (`0.20`), for prices that include VAT when the export has no tax rate.
    #[serde(default)]
    pub vat_rate: Option<Decimal>,
    /// Fulfilment cost per unit shipped (pick, pack, label).
    #[serde(default)]
    pub fulfillment_per_unit: Option<Decimal>,
    /// Product group that variants roll up into.
    #[serde(default)]
    pub product: Option<String>,
    /// TikTok's `Product ID` of the SKU: maps GMV Max's per-product spend to it (docs/metrics.md §3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
}

/// Unit costs and per-SKU settings, as the seller keeps them (issue 3 item 6; docs/metrics.md §3).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostsTable {
    /// Unit costs, any order.
    #[serde(default)]
    pub entries: Vec<CostEntry>,
    /// VAT, fulfilment and product group per SKU.
    #[serde(default)]
    pub skus: Vec<SkuSettings>,
}

impl CostsTable {
    /// The unit cost of a SKU on a day: the entry for its SKU ID, else for its seller SKU, with the
    /// latest `effective_from` on or before `date`.
    pub fn unit_cost(&self, sku_id: &str, seller_sku: &str, date: NaiveDate) -> Option<Decimal> {
        self.find(sku_id, date).or_else(|| {
            if seller_sku.is_empty() {
                None
            } else {
                self.find(seller_sku, date)
            }
        })
    }

    fn find(&self, key: &str, date: NaiveDate) -> Option<Decimal> {
        self.entries
            .iter()
            .filter(|e| e.sku == key && e.effective_from.is_none_or(|f| f <= date))
            .max_by_key(|e| e.effective_from)
            .map(|e| e.unit_cost)
    }

    /// The cost shown for editing: the undated (or latest) entry of the SKU ID or seller SKU.
    pub fn current_unit_cost(&self, sku_id: &str, seller_sku: &str) -> Option<Decimal> {
        self.unit_cost(sku_id, seller_sku, NaiveDate::MAX)
    }

    /// Sets the SKU's cost for all dates (an edit in the page): replaces every entry of that SKU ID.
    /// `None` removes the cost.
    pub fn set_unit_cost(&mut self, sku_id: &str, cost: Option<Decimal>) {
        self.entries.retain(|e| e.sku != sku_id);
        if let Some(c) = cost {
            self.entries.push(CostEntry {
                sku: sku_id.to_string(),
                effective_from: None,
                unit_cost: c,
            });
        }
    }

    /// Takes every SKU of `other` from it: a costs sheet dropped later replaces what an earlier one (or an
    /// edit) said about the same SKUs and leaves the other SKUs alone.
    pub fn merge(&mut self, other: CostsTable) {
        let skus: Vec<String> = other.entries.iter().map(|e| e.sku.clone()).collect();
        self.entries.retain(|e| !skus.contains(&e.sku));
        self.entries.extend(other.entries);
        let setting_skus: Vec<String> = other.skus.iter().map(|s| s.sku.clone()).collect();
        self.skus.retain(|s| !setting_skus.contains(&s.sku));
        self.skus.extend(other.skus);
    }

    /// Takes out every SKU a costs sheet gave (its unit costs and per-SKU settings), e.g. when the
    /// sheet's card is removed or the demo data is cleared. Other SKUs stay as they are.
    pub fn forget(&mut self, sheet: &CostsTable) {
        self.entries
            .retain(|e| !sheet.entries.iter().any(|s| s.sku == e.sku));
        self.skus
            .retain(|e| !sheet.skus.iter().any(|s| s.sku == e.sku));
    }

    fn settings(&self, sku_id: &str, seller_sku: &str) -> Option<&SkuSettings> {
        self.skus.iter().find(|s| s.sku == sku_id).or_else(|| {
            self.skus
                .iter()
                .find(|s| !seller_sku.is_empty() && s.sku == seller_sku)
        })
    }

    /// The VAT rate set for a SKU (SKU ID first, then seller SKU); 0 when none is set.
    pub fn vat_rate(&self, sku_id: &str, seller_sku: &str) -> Decimal {
        self.settings(sku_id, seller_sku)
            .and_then(|s| s.vat_rate)
            .unwrap_or(Decimal::ZERO)
    }

    /// Fulfilment cost per unit set for a SKU, when set.
    pub fn fulfillment_per_unit_opt(&self, sku_id: &str, seller_sku: &str) -> Option<Decimal> {
        self.settings(sku_id, seller_sku)
            .and_then(|s| s.fulfillment_per_unit)
    }

    /// Sets (or clears) a SKU's fulfilment cost per unit (an edit in the page).
    pub fn set_fulfillment_per_unit(&mut self, sku_id: &str, value: Option<Decimal>) {
        match self.skus.iter_mut().find(|s| s.sku == sku_id) {
            Some(s) => s.fulfillment_per_unit = value,
            None => self.skus.push(SkuSettings {
                sku: sku_id.to_string(),
                fulfillment_per_unit: value,
                ..SkuSettings::default()
            }),
        }
    }

    /// The product group of a SKU, when set.
    pub fn product_group(&self, sku_id: &str, seller_sku: &str) -> Option<&str> {
        self.settings(sku_id, seller_sku)
            .and_then(|s| s.product.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn the_latest_dated_cost_applies_and_the_sku_id_wins() {
        let entry = |sku: &str, from: Option<&str>, cost| CostEntry {
            sku: sku.to_string(),
            effective_from: from.map(day),
            unit_cost: cost,
        };
        let mut t = CostsTable {
            entries: vec![
                entry("TEA", None, dec!(4.00)),
                entry("TEA", Some("2026-05-10"), dec!(5.00)),
                entry("123", None, dec!(9.99)),
            ],
            skus: Vec::new(),
        };
        assert_eq!(t.unit_cost("9", "TEA", day("2026-05-09")), Some(dec!(4.00)));
        assert_eq!(t.unit_cost("9", "TEA", day("2026-05-10")), Some(dec!(5.00)));
        assert_eq!(
            t.unit_cost("123", "TEA", day("2026-05-01")),
            Some(dec!(9.99))
        );
        assert_eq!(t.current_unit_cost("9", "TEA"), Some(dec!(5.00)));
        t.set_unit_cost("TEA", Some(dec!(6)));
        assert_eq!(t.unit_cost("9", "TEA", day("2026-05-01")), Some(dec!(6)));
        assert_eq!(t.vat_rate("9", "TEA"), Decimal::ZERO);
    }
}
