//! The report's `files` entries: what each file's import found, how many of its rows joined a loaded
//! order line, and which lines its records updated (docs/metrics.md §1 and §8).

use super::FileEntry;
use crate::import::{FileData, ImportReport, ImportedFile};
use crate::ledger::{FinanceRow, Ledger, LineUpdates, TerminalFacts};
use rustc_hash::FxHashMap as HashMap;

/// One entry per file of `chosen` (numbered as the ledger's sources), with the rows of affiliate and
/// finance exports that join the ledger's lines and the lines each file updated. Call it before the
/// ledger's keys are released.
pub(super) fn entries(
    chosen: &[&ImportedFile],
    ledger: &Ledger,
    facts: &TerminalFacts,
) -> Vec<FileEntry> {
    // The orders of the loaded lines, only when a finance export asks (a map type the engine has).
    let mut orders: HashMap<&str, u32> = HashMap::default();
    if chosen
        .iter()
        .any(|f| matches!(f.data, FileData::Finance(_)))
    {
        for l in ledger.lines() {
            orders.entry(l.order_id.as_str()).or_insert_with(|| 0);
        }
    }
    chosen
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let joined_rows = match &f.data {
                FileData::Affiliate(rows) => {
                    Some(rows.iter().filter(|r| ledger.line_of(r).is_some()).count() as u64)
                }
                FileData::Finance(rows) => Some(
                    rows.iter()
                        .filter(|r| finance_joins(r, ledger, &orders))
                        .count() as u64,
                ),
                _ => None,
            };
            let overrides = facts.by_source.get(i).copied().unwrap_or_default();
            entry(&f.report, joined_rows, overrides)
        })
        .collect()
}

/// A finance row the figures match to a loaded order line (as `metrics::finance_match` does): settled
/// money of an order, not ad spend, on a loaded line of its order (its SKU's, when it names one).
fn finance_joins(row: &FinanceRow, ledger: &Ledger, orders: &HashMap<&str, u32>) -> bool {
    if row.estimated || row.is_ads_payment() || row.order_id.is_empty() {
        return false;
    }
    if row.sku_id.is_empty() {
        orders.contains_key(row.order_id.as_str())
    } else {
        ledger.position(&row.order_id, &row.sku_id).is_some()
    }
}

fn entry(r: &ImportReport, joined_rows: Option<u64>, overrides: LineUpdates) -> FileEntry {
    FileEntry {
        name: r.name.clone(),
        kind: r.kind,
        rows: r.rows,
        used_rows: r.used_rows,
        joined_rows,
        overrides,
        ignored_columns: r.ignored_columns.clone(),
        warnings: r.warnings.clone(),
    }
}
