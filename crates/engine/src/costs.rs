//! The seller's costs table (METRICS.md §3): unit cost per SKU, optionally effective-dated, and VAT.

use crate::import::values::{DateOrder, parse_timestamp, trim_cell};
use crate::import::{ImportError, normalise_header};
use crate::money::{parse_money, parse_percent};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::io::Read;

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

/// Unit costs and VAT rates per SKU, as the seller keeps them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostsTable {
    /// Unit costs, any order.
    pub entries: Vec<CostEntry>,
    /// VAT rate (ratio, `0.20`) per SKU, where prices include VAT and the export has no tax rate.
    pub vat: Vec<(String, Decimal)>,
}

/// Column aliases of a costs sheet (normalised headers).
const SKU_ALIASES: &[&str] = &["sku id", "sku_id", "seller sku", "seller_sku", "sku"];
const COST_ALIASES: &[&str] = &[
    "unit cost",
    "unit_cost",
    "cost",
    "cogs",
    "unit cogs",
    "landed cost",
];
const FROM_ALIASES: &[&str] = &["effective from", "effective_from", "from", "valid from"];
const VAT_ALIASES: &[&str] = &["vat", "vat %", "vat_pct", "vat rate"];

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
        let vat_skus: Vec<String> = other.vat.iter().map(|(k, _)| k.clone()).collect();
        self.vat.retain(|(k, _)| !vat_skus.contains(k));
        self.vat.extend(other.vat);
    }

    /// The VAT rate set for a SKU (SKU ID first, then seller SKU); 0 when none is set.
    pub fn vat_rate(&self, sku_id: &str, seller_sku: &str) -> Decimal {
        self.vat
            .iter()
            .find(|(k, _)| k == sku_id)
            .or_else(|| {
                self.vat
                    .iter()
                    .find(|(k, _)| !seller_sku.is_empty() && k == seller_sku)
            })
            .map_or(Decimal::ZERO, |(_, v)| *v)
    }

    /// Reads a costs sheet (CSV): a SKU column (SKU ID or seller SKU) and a unit cost column are
    /// required; `effective_from` (YYYY-MM-DD) and `vat_pct` are optional.
    ///
    /// # Examples
    /// ```
    /// use margin_engine::costs::CostsTable;
    /// use rust_decimal_macros::dec;
    /// let t = CostsTable::read("costs.csv", "sku,unit_cost\nTEA-1,$4.20\n".as_bytes()).unwrap();
    /// assert_eq!(t.current_unit_cost("x", "TEA-1"), Some(dec!(4.20)));
    /// ```
    pub fn read(name: &str, reader: impl Read) -> Result<CostsTable, ImportError> {
        let err = |row: Option<u64>, column: Option<&str>, message: String| ImportError {
            file: name.to_string(),
            row,
            column: column.map(str::to_string),
            message,
        };
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(reader);
        let mut rec = csv::StringRecord::new();
        let read = |rdr: &mut csv::Reader<_>, rec: &mut csv::StringRecord| {
            rdr.read_record(rec).map_err(|e| {
                err(
                    e.position().map(csv::Position::line),
                    None,
                    format!("not a readable CSV file ({e})"),
                )
            })
        };
        if !read(&mut rdr, &mut rec)? {
            return Err(err(None, None, "the costs file is empty".to_string()));
        }
        let header: Vec<String> = rec.iter().map(|h| trim_cell(h).to_string()).collect();
        let norm: Vec<String> = header.iter().map(|h| normalise_header(h)).collect();
        let find = |aliases: &[&str]| norm.iter().position(|h| aliases.contains(&h.as_str()));
        let (Some(sku_col), Some(cost_col)) = (find(SKU_ALIASES), find(COST_ALIASES)) else {
            return Err(err(
                Some(1),
                None,
                "a costs file needs a header with a SKU column (\"SKU ID\" or \"Seller SKU\") and a \"Unit cost\" column"
                    .to_string(),
            ));
        };
        let from_col = find(FROM_ALIASES);
        let vat_col = find(VAT_ALIASES);
        let mut table = CostsTable::default();
        while read(&mut rdr, &mut rec)? {
            let line = rec.position().map_or(0, csv::Position::line);
            let cell = |i: usize| trim_cell(rec.get(i).unwrap_or(""));
            let sku = cell(sku_col);
            if sku.is_empty() {
                continue;
            }
            let bad = |col: usize, why: String| err(Some(line), Some(&header[col]), why);
            let Some(cost) =
                parse_money(cell(cost_col)).map_err(|e| bad(cost_col, e.to_string()))?
            else {
                continue;
            };
            if cost.amount.is_sign_negative() {
                return Err(bad(cost_col, "a unit cost cannot be negative".to_string()));
            }
            let effective_from = match from_col {
                Some(c) if !cell(c).is_empty() => Some(
                    parse_timestamp(cell(c), DateOrder::YearFirst)
                        .ok()
                        .flatten()
                        .map(|t| t.date())
                        .ok_or_else(|| {
                            bad(c, format!("{:?} is not a date (write YYYY-MM-DD)", cell(c)))
                        })?,
                ),
                _ => None,
            };
            if let Some(c) = vat_col
                && let Some(v) = parse_percent(cell(c)).map_err(|e| bad(c, e.to_string()))?
            {
                // "20" and "20%" are both 20 %; "0.2" is a ratio already.
                let v = if cell(c).ends_with('%') || v * Decimal::ONE_HUNDRED >= Decimal::ONE {
                    v
                } else {
                    v * Decimal::ONE_HUNDRED
                };
                table.vat.push((sku.to_string(), v));
            }
            table.entries.push(CostEntry {
                sku: sku.to_string(),
                effective_from,
                unit_cost: cost.amount,
            });
        }
        Ok(table)
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
    fn effective_dated_costs() {
        let csv = "Seller SKU,Unit cost,Effective from,VAT %\nTEA,4.00,,20%\nTEA,5.00,2026-05-10,\n123,9.99,,\n";
        let t = CostsTable::read("c.csv", csv.as_bytes()).unwrap();
        assert_eq!(
            t.unit_cost("999", "TEA", day("2026-05-09")),
            Some(dec!(4.00))
        );
        assert_eq!(
            t.unit_cost("999", "TEA", day("2026-05-10")),
            Some(dec!(5.00))
        );
        assert_eq!(
            t.unit_cost("123", "TEA", day("2026-05-01")),
            Some(dec!(9.99)),
            "SKU ID wins"
        );
        assert_eq!(t.unit_cost("1", "", day("2026-05-01")), None);
        assert_eq!(t.vat_rate("1", "TEA"), dec!(0.20));
    }

    #[test]
    fn bad_cost_names_row_and_column() {
        let e = CostsTable::read("c.csv", "sku,cost\nA,1\nB,abc\n".as_bytes()).unwrap_err();
        assert_eq!((e.row, e.column.as_deref()), (Some(3), Some("cost")));
        assert!(
            e.user_message()
                .starts_with("c.csv, row 3, column \"cost\": ")
        );
    }
}
