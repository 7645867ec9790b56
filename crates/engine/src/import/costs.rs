//! The seller's costs sheet (CSV or XLSX; docs/metrics.md §3) read like any export: recognised by its
//! header (a SKU column and a unit cost column), its rows read through the same table machinery into
//! a [`CostsTable`].

use super::table::{ColumnMap, ColumnSpec, Rows};
use super::values::{DateOrder, clean_id, parse_timestamp, trim_cell};
use super::{ExportKind, FileData, ImportError, ImportReport, ImportedFile, SkipCount, Source};
use crate::costs::{CostEntry, CostsTable, SkuSettings};
use crate::money::{parse_money, parse_percent};
use rust_decimal::Decimal;
use std::io::Read;

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
    // TikTok's Product ID of the SKU: GMV Max's per-product spend is charged through it (docs/metrics.md §3).
    (
        "product_id",
        false,
        &["product_id", "product id", "tiktok product id"],
    ),
];

/// True when a header row names a SKU column and a unit cost column (a costs sheet).
pub(crate) fn looks_like_costs_header(normalised: &[String]) -> bool {
    let has_any = |aliases: &[&str]| normalised.iter().any(|h| aliases.contains(&h.as_str()));
    COLUMNS[..2].iter().all(|(_, _, aliases)| has_any(aliases))
}

impl CostsTable {
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
        let file = super::read_any(name, reader, super::ImportOptions::default())?;
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
pub(crate) fn read(
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
        let product_id = match cell("product_id") {
            "" => None,
            t => Some(clean_id(t).map_err(|_| {
                bad(
                    "product_id",
                    format!("{t:?} is a Product ID a spreadsheet rewrote in scientific notation: its digits are lost; write it as text"),
                )
            })?),
        };
        if vat_rate.is_some()
            || fulfillment_per_unit.is_some()
            || product.is_some()
            || product_id.is_some()
        {
            table.skus.retain(|s| s.sku != sku);
            table.skus.push(SkuSettings {
                sku: sku.to_string(),
                vat_rate,
                fulfillment_per_unit,
                product,
                product_id,
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
            vat_in_export: false,
        },
        data: FileData::Costs(table),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
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
