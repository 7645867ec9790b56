//! Figures of docs/metrics.md §1–§5 computed from the ledger under the costs table: totals, and the same
//! figures per SKU, product group, creator, channel and day. One pass computes each line's figures once
//! and adds them to every group the line belongs to, so groups always sum to the totals exactly.

//!
//! The module by responsibility: `figures` (the sums and a line's contribution), `line` (one line's
//! figures), `finance_match` (finance rows matched to lines), `gather` (the per-line pass into cells),
//! `cube` (building the cube and analysing a period), `allocation` (spreading spend and overhead over
//! cells), `rollup` (cells rolled up into breakdowns), `keys` (the cube's named keys), `analysis` (the
//! result types).

use crate::costs::CostsTable;
use crate::ledger::Ledger;
use crate::money::Currency;
use crate::settings::Settings;
use chrono::NaiveDate;

mod allocation;
mod analysis;
mod buyers;
mod cash;
mod cube;
mod custom_costs;
mod figures;
mod finance_match;
mod gather;
mod keys;
mod line;
mod product_ads;
mod records;
mod rollup;
mod trend;

pub use analysis::{
    AdsSource, Analysis, ContentFigures, CreatorFigures, CreatorProductFigures, FeeCheck,
    SkuFigures, SkuReturns,
};
pub use cash::{
    CashFigures, FinanceDay, LISTED_ORDERS, OrderCash, OrderCashSums, RefundSources, SettledDay,
    UnsettledFigures, UnsettledOrder,
};
pub use cube::Cube;
pub use custom_costs::CustomCostAmount;
pub use figures::Figures;
pub use product_ads::{ProductAdSpend, ProductAds, WindowShare};
pub use records::{CreatorRecord, LineRecord, RecordInput, records};
pub use trend::{DAILY_TREND_DAYS, TrendStep, bucket_days};

/// The channel of a line with no affiliate row (docs/metrics.md §5).
pub const SHOP_CHANNEL: &str = "Shop";

/// Computes every figure over the lines whose order date is within `period` (inclusive; `None` = all),
/// in `currency` (which decides the market and so the fee rules).
pub fn analyse(
    ledger: &Ledger,
    costs: &CostsTable,
    settings: &Settings,
    currency: Currency,
    period: Option<(NaiveDate, NaiveDate)>,
) -> Analysis {
    analyse_with_threads(ledger, costs, settings, currency, period, 1)
}

/// Lines below which [`crate::report::build_with_threads`] analyses on one thread (threads would cost
/// more than they save).
pub const MIN_PARALLEL_LINES: usize = 5_000;

/// [`analyse`], computing the lines' own figures (the costliest part) on `threads` threads when the
/// `parallel` feature is on (without it, on one); the runs are joined in line order, so the result is
/// the same.
pub fn analyse_with_threads(
    ledger: &Ledger,
    costs: &CostsTable,
    settings: &Settings,
    currency: Currency,
    period: Option<(NaiveDate, NaiveDate)>,
    threads: usize,
) -> Analysis {
    Cube::build(ledger, costs, settings, currency, threads).analyse(settings, period)
}
