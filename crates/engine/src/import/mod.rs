//! Import: recognise an export by its header signature, read its rows, normalise them into ledger lines.
//!
//! Every importer takes any `io::Read` and reads it record by record (the whole file is never one string),
//! so the same code serves the CLI on a gigabyte and the page on a dropped file.

pub mod orders;
pub mod values;

use crate::ledger::OrderLine;
use crate::money::Currency;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::io::Read;
use values::DateOrder;

/// The kinds of export Margin Lab reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    /// Seller Center → Orders → Export: one row per SKU line (FORMATS.md §1).
    Orders,
}

impl ExportKind {
    /// The name a seller knows the export by.
    pub fn label(&self) -> &'static str {
        match self {
            ExportKind::Orders => "Orders export",
        }
    }
}

/// Choices the user can force instead of letting the importer decide from the file's evidence.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportOptions {
    /// Day/month order of the file's dates.
    pub date_order: Option<DateOrder>,
    /// The currency of amounts written without a currency code.
    pub currency: Option<Currency>,
}

/// A file that cannot be used, with where and why. Nothing already loaded is affected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportError {
    /// The file's name as the user gave it.
    pub file: String,
    /// 1-based line number in the file (the header is line 1), when the problem is in one row.
    pub row: Option<u64>,
    /// The column's header, when the problem is in one column.
    pub column: Option<String>,
    /// What is wrong and what to do, in the user's words.
    pub message: String,
}

impl ImportError {
    /// The message the page and the CLI show as is: file, row, column, then the reason.
    pub fn user_message(&self) -> String {
        let mut s = self.file.clone();
        if let Some(r) = self.row {
            s.push_str(&format!(", row {r}"));
        }
        if let Some(c) = &self.column {
            s.push_str(&format!(", column \"{c}\""));
        }
        s.push_str(": ");
        s.push_str(&self.message);
        s
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.user_message())
    }
}

impl std::error::Error for ImportError {}

/// What the import of one file found: shown on the file's card and in the report's `files`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// The file's name.
    pub name: String,
    /// The detected export.
    pub kind: ExportKind,
    /// The currency of the file's amounts.
    pub currency: Currency,
    /// How the file's dates were read.
    pub date_order: DateOrder,
    /// Why `currency` and `date_order` were chosen.
    pub evidence: String,
    /// Data rows read (after the header).
    pub rows: u64,
    /// Rows that became ledger lines.
    pub used_rows: u64,
    /// Rows skipped, by reason.
    pub skipped: Vec<SkipCount>,
    /// Headers of the columns the importer reads.
    pub used_columns: Vec<String>,
    /// Headers of the columns it ignores.
    pub ignored_columns: Vec<String>,
    /// Order dates of the used rows: first and last.
    pub date_range: Option<(NaiveDate, NaiveDate)>,
    /// Problems worth knowing that did not stop the import (each names its row and column).
    pub warnings: Vec<String>,
}

/// How many rows were skipped for one reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkipCount {
    /// The reason, e.g. "description row".
    pub reason: String,
    /// How many rows.
    pub count: u64,
}

/// A file read into ledger lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedFile {
    /// What was found.
    pub report: ImportReport,
    /// The lines, in file order.
    pub lines: Vec<OrderLine>,
}

/// Normalises a header cell for lookup (FORMATS.md §7.1): strips the BOM, TABs and spaces at both
/// ends, collapses inner whitespace, lower-cases.
///
/// # Examples
/// ```
/// use margin_engine::import::normalise_header;
/// assert_eq!(normalise_header("\u{feff} Virtual Bundle  Seller SKU\t"), "virtual bundle seller sku");
/// ```
pub fn normalise_header(cell: &str) -> String {
    cell.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// What a dropped file turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loaded {
    /// An export with order lines.
    Orders(ImportedFile),
    /// The seller's costs sheet.
    Costs(crate::costs::CostsTable),
}

/// Reads a dropped file of any kind: an export (recognised by its header) or, failing that, a costs sheet.
/// The error is the export's when the file is neither.
pub fn read_any(name: &str, bytes: &[u8], options: ImportOptions) -> Result<Loaded, ImportError> {
    match import_file(name, bytes, options) {
        Ok(f) => Ok(Loaded::Orders(f)),
        Err(e) if e.row.is_none() && e.column.is_none() => {
            match crate::costs::CostsTable::read(name, bytes) {
                Ok(t) if !t.entries.is_empty() => Ok(Loaded::Costs(t)),
                _ => Err(e),
            }
        }
        Err(e) => Err(e),
    }
}

/// Reads one export of any supported kind, recognised by its header (never by its name).
pub fn import_file(
    name: &str,
    reader: impl Read,
    options: ImportOptions,
) -> Result<ImportedFile, ImportError> {
    // Only the Orders export is read so far; its header signature is checked inside.
    orders::import(name, reader, options)
}
