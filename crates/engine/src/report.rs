//! The report contract (METRICS.md §8): the JSON the CLI prints and the page exports.
//!
//! Money is a decimal string rounded half away from zero to the currency's minor unit; percentages are
//! percent points with two decimals; counts are integers; a figure that cannot be computed is `null`.

use crate::costs::CostsTable;
use crate::import::{ImportReport, ImportedFile};
use crate::ledger::Ledger;
use crate::metrics::{Analysis, Figures, analyse};
use crate::money::Currency;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// The whole report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The currency of every amount.
    pub currency: Currency,
    /// The order dates covered.
    pub period: Option<Period>,
    /// One entry per input file of this currency.
    pub files: Vec<FileEntry>,
    /// Figures over everything.
    pub totals: FigureSet,
    /// Figures per SKU, ranked by net sales.
    pub skus: Vec<SkuEntry>,
    /// What the reader should know: missing costs, duplicates, files of other currencies.
    pub warnings: Vec<String>,
}

/// First and last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    /// First order date included.
    pub from: NaiveDate,
    /// Last order date included.
    pub to: NaiveDate,
}

/// A file as the report's `files` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileEntry {
    /// File name.
    pub name: String,
    /// Export kind.
    pub kind: crate::import::ExportKind,
    /// Data rows read.
    pub rows: u64,
    /// Rows used.
    pub used_rows: u64,
    /// Columns not read.
    pub ignored_columns: Vec<String>,
    /// Non-fatal problems.
    pub warnings: Vec<String>,
}

/// Every figure of one group, formatted for the contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FigureSet {
    /// See METRICS.md §2.
    pub gmv: String,
    /// See METRICS.md §2.
    pub cancelled_sales: String,
    /// See METRICS.md §2.
    pub refunds: String,
    /// See METRICS.md §2.
    pub net_sales: String,
    /// See METRICS.md §2.
    pub output_vat: String,
    /// See METRICS.md §2.
    pub net_revenue: String,
    /// See METRICS.md §3.
    pub cogs: String,
    /// See METRICS.md §4.
    pub gross_profit: String,
    /// Percent points.
    pub gross_margin_pct: Option<String>,
    /// See METRICS.md §2.
    pub orders: u64,
    /// See METRICS.md §2.
    pub units_sold: i64,
    /// See METRICS.md §2.
    pub units_returned: i64,
    /// See METRICS.md §2.
    pub sample_units: i64,
    /// net_sales / orders.
    pub aov: Option<String>,
    /// Percent points.
    pub return_rate: Option<String>,
    /// Percent points.
    pub cancel_rate: Option<String>,
    /// True when some sold unit has no unit cost (counted at 0).
    pub cost_missing: bool,
}

/// A SKU in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkuEntry {
    /// Platform SKU ID.
    pub sku_id: String,
    /// Seller SKU.
    pub seller_sku: String,
    /// Product name.
    pub product_name: String,
    /// Variation.
    pub variation: String,
    /// The unit cost in use, if any.
    pub unit_cost: Option<String>,
    /// Figures.
    #[serde(flatten)]
    pub figures: FigureSet,
}

/// Why no report can be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportError {
    /// Files in several currencies and none chosen: amounts are never summed across currencies.
    SeveralCurrencies(Vec<Currency>),
    /// No file is in the chosen currency.
    NoFilesInCurrency(Currency),
}

impl std::fmt::Display for ReportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReportError::SeveralCurrencies(cs) => write!(
                f,
                "the files are in several currencies ({}); choose one (--currency), amounts are never added across currencies",
                cs.iter().map(Currency::code).collect::<Vec<_>>().join(", ")
            ),
            ReportError::NoFilesInCurrency(c) => write!(f, "no file is in {c}"),
        }
    }
}

impl std::error::Error for ReportError {}

impl FigureSet {
    /// Formats exact figures for the contract.
    pub fn new(f: &Figures, currency: Currency) -> FigureSet {
        let m = |d: Decimal| currency.round(d).to_string();
        let p = |d: Option<Decimal>| d.map(|x| x.to_string());
        FigureSet {
            gmv: m(f.gmv),
            cancelled_sales: m(f.cancelled_sales),
            refunds: m(f.refunds),
            net_sales: m(f.net_sales()),
            output_vat: m(f.output_vat),
            net_revenue: m(f.net_revenue()),
            cogs: m(f.cogs),
            gross_profit: m(f.gross_profit()),
            gross_margin_pct: p(f.gross_margin_pct()),
            orders: f.orders,
            units_sold: f.units_sold,
            units_returned: f.units_returned,
            sample_units: f.sample_units,
            aov: f.aov().map(m),
            return_rate: p(f.return_rate_pct()),
            cancel_rate: p(f.cancel_rate_pct()),
            cost_missing: f.cost_missing(),
        }
    }
}

/// The currencies of a set of files, in first-seen order.
pub fn currencies(files: &[ImportedFile]) -> Vec<Currency> {
    let mut out: Vec<Currency> = Vec::new();
    for f in files {
        if !out.contains(&f.report.currency) {
            out.push(f.report.currency);
        }
    }
    out
}

/// Builds the ledger of the files in one currency, analyses it and formats the report.
pub fn build(
    files: &[ImportedFile],
    costs: &CostsTable,
    currency: Option<Currency>,
    period: Option<(NaiveDate, NaiveDate)>,
) -> Result<(Report, Analysis), ReportError> {
    let all = currencies(files);
    let currency = match currency {
        Some(c) if all.contains(&c) => c,
        Some(c) => return Err(ReportError::NoFilesInCurrency(c)),
        None => match all.as_slice() {
            [] => Currency::USD,
            [one] => *one,
            _ => return Err(ReportError::SeveralCurrencies(all)),
        },
    };
    let mut warnings = Vec::new();
    let chosen: Vec<&ImportedFile> = files
        .iter()
        .filter(|f| f.report.currency == currency)
        .collect();
    for f in files.iter().filter(|f| f.report.currency != currency) {
        warnings.push(format!(
            "{} is in {} and is not in this {currency} report",
            f.report.name, f.report.currency
        ));
    }
    let mut ledger = Ledger::new();
    let mut duplicates = 0;
    for f in &chosen {
        duplicates += ledger.add(f.lines.iter().cloned());
    }
    if duplicates > 0 {
        warnings.push(format!(
            "{duplicates} order lines appear in more than one file; each is counted once, from its newest copy"
        ));
    }
    let analysis = analyse(ledger.lines(), costs, period);
    let missing: Vec<&str> = analysis
        .skus
        .iter()
        .filter(|s| s.figures.cost_missing())
        .map(|s| s.sku_id.as_str())
        .collect();
    if !missing.is_empty() {
        warnings.push(format!(
            "{} SKUs have no unit cost; their cost counts as 0, so cogs and gross profit are incomplete: {}",
            missing.len(),
            missing.join(", ")
        ));
    }
    let report = Report {
        currency,
        period: analysis.period.map(|(from, to)| Period { from, to }),
        files: chosen.iter().map(|f| file_entry(&f.report)).collect(),
        totals: FigureSet::new(&analysis.totals, currency),
        skus: analysis
            .skus
            .iter()
            .map(|s| SkuEntry {
                sku_id: s.sku_id.clone(),
                seller_sku: s.seller_sku.clone(),
                product_name: s.product_name.clone(),
                variation: s.variation.clone(),
                unit_cost: s.unit_cost.map(|c| currency.round(c).to_string()),
                figures: FigureSet::new(&s.figures, currency),
            })
            .collect(),
        warnings,
    };
    Ok((report, analysis))
}

fn file_entry(r: &ImportReport) -> FileEntry {
    FileEntry {
        name: r.name.clone(),
        kind: r.kind,
        rows: r.rows,
        used_rows: r.used_rows,
        ignored_columns: r.ignored_columns.clone(),
        warnings: r.warnings.clone(),
    }
}
