//! The seller's costs table (METRICS.md §3): unit cost per SKU, optionally effective-dated, and VAT.

use crate::import::table::{ColumnMap, ColumnSpec, Rows};
use crate::import::values::{DateOrder, parse_timestamp, trim_cell};
use crate::import::{
    ExportKind, FileData, ImportError, ImportReport, ImportedFile, SkipCount, Source,
};
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
}

/// Unit costs and per-SKU settings, as the seller keeps them (issue 3 item 6; METRICS.md §3).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostsTable {
    /// Unit costs, any order.
    #[serde(default)]
    pub entries: Vec<CostEntry>,
    /// VAT, fulfilment and product group per SKU.
    #[serde(default)]
    pub skus: Vec<SkuSettings>,
}

/// Column aliases of a costs sheet (normalised headers): the documented names first.
const COLUMNS: &[ColumnSpec] = &[
    (
        "sku",
        true,
        &["sku", "sku id", "sku_id", "seller sku", "seller_sku"],
    ),
    (
        "unit_cost",
        true,
        &[
            "unit_cost",
            "unit cost",
            "cost",
            "cogs",
            "unit cogs",
            "landed cost",
        ],
    ),
    (
        "effective_from",
        false,
        &["effective_from", "effective from", "from", "valid from"],
    ),
    (
        "fulfillment_per_unit",
        false,
        &[
            "fulfillment_per_unit",
            "fulfillment per unit",
            "fulfilment per unit",
            "fulfillment",
        ],
    ),
    (
        "vat_rate",
        false,
        &["vat_rate", "vat rate", "vat", "vat %", "vat_pct"],
    ),
    ("product", false, &["product", "product group", "group"]),
];

/// True when a header row names a SKU column and a unit cost column (a costs sheet).
pub(crate) fn looks_like_costs_header(normalised: &[String]) -> bool {
    let has_any = |aliases: &[&str]| normalised.iter().any(|h| aliases.contains(&h.as_str()));
    COLUMNS[..2].iter().all(|(_, _, aliases)| has_any(aliases))
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

    /// Reads a costs sheet (CSV or XLSX): `sku` (a SKU ID or seller SKU) and `unit_cost` are required;
    /// `effective_from` (YYYY-MM-DD), `fulfillment_per_unit`, `vat_rate` (percent) and `product` are optional.
    ///
    /// # Examples
    /// ```
    /// use margin_engine::costs::CostsTable;
    /// use rust_decimal_macros::dec;
    /// let t = CostsTable::read("costs.csv", "sku,unit_cost\nTEA-1,$4.20\n".as_bytes()).unwrap();
    /// assert_eq!(t.current_unit_cost("x", "TEA-1"), Some(dec!(4.20)));
    /// ```
    pub fn read(name: &str, reader: impl Read) -> Result<CostsTable, ImportError> {
        let file = crate::import::read_any(name, reader, crate::import::ImportOptions::default())?;
        match file.data {
            FileData::Costs(t) => Ok(t),
            _ => Err(ImportError {
                file: name.to_string(),
                row: None,
                column: None,
                message: format!(
                    "this is an {}, not a costs sheet (a CSV or XLSX with \"sku\" and \"unit_cost\" columns)",
                    file.report.kind.label()
                ),
            }),
        }
    }
}

/// Reads the rows of a costs sheet after its header.
pub(crate) fn read_rows(
    src: &Source<'_>,
    header_line: u64,
    header: &[String],
    rows: &mut dyn Rows,
) -> Result<ImportedFile, ImportError> {
    let name = src.name;
    let map = ColumnMap::new(name, header_line, header, COLUMNS, "costs sheet")?;
    let mut table = CostsTable::default();
    let mut record = csv::StringRecord::new();
    let mut count = 0;
    let mut skipped = 0;
    while let Some(line) = rows.next_row(&mut record)? {
        count += 1;
        let cell = |k: &str| trim_cell(map.cell(&record, k));
        let sku = cell("sku");
        if sku.is_empty() {
            skipped += 1;
            continue;
        }
        let bad = |k: &str, why: String| ImportError {
            file: name.to_string(),
            row: Some(line),
            column: Some(map.header(k)),
            message: why,
        };
        let money = |k: &str| -> Result<Option<Decimal>, ImportError> {
            match parse_money(cell(k)).map_err(|e| bad(k, e.to_string()))? {
                Some(m) if m.amount.is_sign_negative() => {
                    Err(bad(k, "a cost cannot be negative".to_string()))
                }
                m => Ok(m.map(|m| m.amount)),
            }
        };
        let effective_from = match cell("effective_from") {
            "" => None,
            t => Some(
                parse_timestamp(t, DateOrder::YearFirst)
                    .ok()
                    .flatten()
                    .map(|t| t.date())
                    .ok_or_else(|| {
                        bad(
                            "effective_from",
                            format!("{t:?} is not a date (write YYYY-MM-DD)"),
                        )
                    })?,
            ),
        };
        let vat_rate = match parse_percent(cell("vat_rate"))
            .map_err(|e| bad("vat_rate", e.to_string()))?
        {
            // "20" and "20%" are 20 %; a bare "0.2" is a ratio already.
            Some(v)
                if !cell("vat_rate").ends_with('%') && v * Decimal::ONE_HUNDRED < Decimal::ONE =>
            {
                Some(v * Decimal::ONE_HUNDRED)
            }
            Some(v) if v.is_sign_negative() || v >= Decimal::ONE => {
                return Err(bad(
                    "vat_rate",
                    format!("{:?} is not a VAT rate", cell("vat_rate")),
                ));
            }
            v => v,
        };
        let fulfillment_per_unit = money("fulfillment_per_unit")?;
        let product = Some(cell("product").to_string()).filter(|p| !p.is_empty());
        if vat_rate.is_some() || fulfillment_per_unit.is_some() || product.is_some() {
            table.skus.retain(|s| s.sku != sku);
            table.skus.push(SkuSettings {
                sku: sku.to_string(),
                vat_rate,
                fulfillment_per_unit,
                product,
            });
        }
        match money("unit_cost")? {
            Some(unit_cost) => table.entries.push(CostEntry {
                sku: sku.to_string(),
                effective_from,
                unit_cost,
            }),
            None => skipped += 1,
        }
    }
    let used = table.entries.len() as u64;
    Ok(ImportedFile {
        report: ImportReport {
            name: name.to_string(),
            kind: ExportKind::Costs,
            currency: None,
            market: None,
            date_order: None,
            encoding: src.encoding.to_string(),
            evidence: String::new(),
            rows: count,
            used_rows: used,
            skipped: if skipped > 0 {
                vec![SkipCount {
                    reason: "no SKU or no unit cost".to_string(),
                    count: skipped,
                }]
            } else {
                Vec::new()
            },
            used_columns: map.used(),
            ignored_columns: map.ignored(),
            date_range: None,
            warnings: Vec::new(),
        },
        data: FileData::Costs(table),
    })
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
        let csv = "sku,unit_cost,effective_from,vat_rate\nTEA,4.00,,20%\nTEA,5.00,2026-05-10,\n123,9.99,,\n";
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
