//! The messages between the page (`src/worker_client.rs`) and the engine worker (`src/worker.rs`).
//! Both sides include this file, so a renamed key cannot drift apart. Messages are plain JS objects
//! (structured clone); structured payloads travel as JSON text of serde types.
//!
//! The worker imports the files *and keeps their records*: the page holds only each file's import
//! report, and asks the worker for figures. So a gigabyte of order lines never crosses to the main
//! thread, and computing the figures (after an import, a cost edit, a period change) never blocks it.
//!
//! page → worker:
//! - `{ type: "import", id, name, file, options }`: `file` is the `File`/`Blob` itself (cloned by
//!   handle, never its bytes); `options` the JSON of `ImportOptions` (date order, currency) chosen by
//!   the user, absent for "as detected". A file of the same name replaces the earlier one.
//! - `{ type: "remove", name }`: forget a file's records.
//! - `{ type: "compute", id, json }`: figures for a [`ComputeRequest`] (JSON); `id` is a sequence
//!   number the answer carries, so the page can drop answers to requests it has superseded.
//! - `{ type: "export", id }`: the full report JSON of the last computation.
//! - `{ type: "table", id, name, format, json }`: a table to write as a file (`format` `csv` or `xlsx`,
//!   `json` the engine's `export::Sheet`): the writers live in the worker, so the page does not carry
//!   them. With a `table` field (the name of a table the worker keeps, e.g. `videos`), `json` is a
//!   `{ …, table, query, sort, columns }` instead: every row of that table matching the search `query`
//!   in `sort`, with the `columns` shown (keys, comma-separated), not only the rows the page holds (a
//!   [`RowsSlice`] that is not complete).
//! - `{ type: "slice_query", id, name, query, sort }`: the first [`SLICE_ROWS`] rows of the kept table
//!   `name` matching the search `query` in `sort`; `id` is the figures' sequence number. (Plain string
//!   fields, not JSON: a serde type costs the bundle kilobytes.)
//!
//! worker → page:
//! - `{ type: "ready" }`: once, when the worker's wasm runs and listens.
//! - `{ type: "progress", id, read, total, rows }`: bytes handed to the parser so far, the file's size
//!   and the rows parsed so far; sent each time a slice of the file is read and every 10,000 rows.
//! - `{ type: "done", id, json, costs? }`: JSON of the file's `ImportReport`; for a costs sheet also
//!   `costs`, the JSON of its `CostsTable` (the page merges it into the editable costs).
//! - `{ type: "failed", id, message }`: why the file cannot be used (file, row, column, reason).
//! - `{ type: "computed", id, json }`: JSON of [`Computed`].
//! - `{ type: "compute_failed", id, message }`.
//! - `{ type: "exported", id, json }`: the report (docs/metrics.md §8), as `margin-lab report --json` prints it.
//! - `{ type: "file", id, name, mime, bytes }`: a written table (`bytes` a `Uint8Array`), or
//!   `{ type: "file", id, message }` when it could not be written.
//! - `{ type: "slice", id, name, json }`: the [`RowsSlice`] asked for by `slice_query`, made from the
//!   tables of the figures `id` (the page drops one of figures it no longer shows).
//! - `{ type: "fatal", message }`: the worker cannot work (it did not load, or got a message it does
//!   not understand); sent by `src/worker_loader.js` or the worker.

use crate::table::Row;
use margin_engine::alerts::Alerts;
use margin_engine::costs::CostsTable;
use margin_engine::coverage::{Coverage, DataKind, DayRange, ExcludedRows, KindCoverage};
use margin_engine::metrics::{Analysis, Figures};
use margin_engine::money::Currency;
use margin_engine::report::{FileEntry, Waterfall};
use margin_engine::settings::Settings;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};

/// Message keys.
pub const TYPE: &str = "type";
pub const ID: &str = "id";
pub const NAME: &str = "name";
pub const FILE: &str = "file";
/// JSON of the engine's `ImportOptions` (the user's choice of date order or currency); optional.
pub const OPTIONS: &str = "options";
pub const READ: &str = "read";
pub const TOTAL: &str = "total";
/// Rows parsed so far (CSV).
pub const ROWS: &str = "rows";
pub const JSON: &str = "json";
pub const MESSAGE: &str = "message";
/// JSON of a costs sheet's `CostsTable`.
pub const COSTS: &str = "costs";
pub const FORMAT: &str = "format";
pub const MIME: &str = "mime";
pub const BYTES: &str = "bytes";

/// Message types (page → worker).
pub const IMPORT: &str = "import";
pub const REMOVE: &str = "remove";
pub const COMPUTE: &str = "compute";
pub const EXPORT: &str = "export";
pub const TABLE: &str = "table";
pub const SLICE_QUERY: &str = "slice_query";

/// Message types (worker → page).
pub const READY: &str = "ready";
pub const PROGRESS: &str = "progress";
pub const DONE: &str = "done";
pub const FAILED: &str = "failed";
pub const COMPUTED: &str = "computed";
pub const COMPUTE_FAILED: &str = "compute_failed";
pub const EXPORTED: &str = "exported";
pub const WRITTEN: &str = "file";
pub const FATAL: &str = "fatal";
pub const SLICE: &str = "slice";
/// The name of a table the worker keeps (a `table` message that exports all of its rows).
pub const KEPT: &str = "table";
/// A table's search, sort and shown columns (`slice_query`, `table` of a kept table).
pub const QUERY: &str = "query";
pub const SORT: &str = "sort";
pub const COLUMNS: &str = "columns";

/// At most this many rows of a table cross to the page at once: a table longer than that (100,000
/// videos) stays in the worker, which sorts and searches it and sends the first rows of the result
/// (docs/performance.md, "Content layer"). Parsing 100,000 rows on the main thread took 506 ms; with
/// 1,000 rows a table the Content view still took a 104 ms task to open.
pub const SLICE_ROWS: usize = 500;

/// Rows of a table, arranged by a search and a sort: all of them when `total <= SLICE_ROWS` (the page
/// then sorts and searches them itself), else the first `SLICE_ROWS` matching `query` in `sort`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RowsSlice {
    pub rows: Vec<Row>,
    /// Rows of the whole table.
    pub total: usize,
    /// Rows matching `query`.
    pub matched: usize,
    pub query: String,
    pub sort: String,
}

impl RowsSlice {
    /// The slice of `rows` (of `columns`) for `query` and `sort` (`table::arrange`).
    pub fn of(
        columns: &[crate::table::Column],
        rows: &[Row],
        query: &str,
        sort: &str,
    ) -> RowsSlice {
        if rows.len() <= SLICE_ROWS {
            return RowsSlice {
                rows: rows.to_vec(),
                total: rows.len(),
                matched: rows.len(),
                query: String::new(),
                sort: String::new(),
            };
        }
        let order = crate::table::arrange(columns, rows, query, sort);
        RowsSlice {
            rows: order
                .iter()
                .take(SLICE_ROWS)
                .map(|&i| rows[i].clone())
                .collect(),
            total: rows.len(),
            matched: order.len(),
            query: query.to_string(),
            sort: sort.to_string(),
        }
    }

    /// Whether the page holds every row (and arranges them itself).
    pub fn complete(&self) -> bool {
        self.rows.len() == self.total
    }
}

/// What the page wants figures for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComputeRequest {
    /// The user's costs (edited in the page, and costs sheets merged in).
    pub costs: CostsTable,
    /// Read through a JSON value (issue 20, download size): the worker then has one typed reader of
    /// `Settings`, the one workspaces use (`Settings::from_value`), not a second copy of the derived
    /// code for the text reader (~17 KB gzipped). The page writes this request, so the same values arrive.
    #[serde(deserialize_with = "settings_via_value")]
    pub settings: Settings,
    /// The shop currency; `None` when the files have a single one.
    pub currency: Option<Currency>,
    /// Order dates, inclusive; `None` for everything loaded.
    pub period: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    /// The shop the figures are of, by name, when the files make several (docs/metrics.md §10); else
    /// the first shop of `currency`, else the first shop.
    #[serde(default)]
    pub shop: Option<String>,
}

fn settings_via_value<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Settings, D::Error> {
    let value = serde_json::Value::deserialize(d)?;
    Settings::deserialize(value).map_err(serde::de::Error::custom)
}

/// A file no shop could claim: why, and the shops (key, name) it could belong to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnassignedFile {
    pub file: String,
    pub why: String,
    pub shops: Vec<(String, String)>,
}

/// One shop's row of the Portfolio view: its figures over the period in its own currency (never
/// added across shops), the previous period's where covered, its alerts and coverage, and its net
/// sales per day for the sparkline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShopRow {
    pub name: String,
    /// The currency its files state (`None`: none does; `currency` then is the default it is shown in,
    /// and it is never converted).
    pub stated: Option<Currency>,
    /// What the user's name for it is kept under (`shops::Shop::key`).
    pub key: String,
    /// The SKU IDs and seller SKUs its Orders exports sell (what its workspace file keeps).
    pub skus: Vec<String>,
    pub currency: Currency,
    pub market: String,
    /// Its files, by name.
    pub files: Vec<String>,
    /// The order dates its figures cover.
    pub period: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    pub totals: Figures,
    /// The totals over the days both its Orders and Affiliate exports cover, when they differ (the
    /// affiliate share's base, docs/metrics.md §9).
    pub share_base: Option<Figures>,
    /// The previous period's totals, when its Orders exports cover both periods.
    pub previous: Option<Figures>,
    /// Triggered alerts.
    pub alerts: usize,
    /// Days of the period its Orders exports cover, and the period's days.
    pub covered_days: (u32, u32),
    /// Net sales per day (per week beyond 90 days) over the period; `None` where the Orders exports
    /// do not cover every day of it.
    pub trend: Vec<Option<Decimal>>,
}

/// The figures of a request: the exact analysis, the previous period's totals, and the parts of the
/// report the page shows that the analysis does not hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Computed {
    pub currency: Currency,
    /// The analysis, with `days` and `channel_days` summed per bucket of its `trend_step` (what the
    /// page charts) and without `fee_checks` (in the full report).
    pub analysis: Analysis,
    /// The previous period of equal length, when the files reach back into it.
    pub previous: Option<Previous>,
    /// The parts of the report (docs/metrics.md §8) the page shows that the analysis does not hold.
    pub report: ReportView,
    /// The shop these figures are of (its name and key), when the files make several.
    #[serde(default)]
    pub shop: Option<String>,
    #[serde(default)]
    pub shop_key: Option<String>,
    /// Every shop, when the files make several (the Portfolio view); empty for one shop.
    #[serde(default)]
    pub shops: Vec<ShopRow>,
    /// Loaded files no shop could claim (their records are in no figure), with the shops they could be.
    #[serde(default)]
    pub unassigned: Vec<UnassignedFile>,
    /// The shops converted into the settings' reporting currency, and their sum (only with rates).
    #[serde(default)]
    pub portfolio: Option<margin_engine::report::Converted>,
}

/// Waterfall, alerts, warnings (with where each matters) and the morning review of a report, as the
/// report words and rounds them (the engine's typed values, serialised as in `report --json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportView {
    /// GMV → settlement steps and the actual settlement (docs/metrics.md §6).
    pub waterfall: Waterfall,
    /// Triggered alerts and the rules that need another export, each over its own window anchored at
    /// `as_of` (the last day the Orders exports cover), not the period (docs/metrics.md §12).
    pub alerts: Alerts,
    pub warnings: Vec<String>,
    /// The report's `files` entries: rows of affiliate and finance exports joined to loaded orders, and
    /// the lines each file updated (docs/metrics.md §1, §8), for the import cards.
    pub files: Vec<FileEntry>,
    /// The days each loaded kind of data covers within the period (docs/metrics.md §9); `None` when
    /// the figures have no period (nothing loaded).
    #[serde(default)]
    pub coverage: Option<PeriodCoverage>,
    /// Affiliate rows of the period left out of the creator figures: no Orders export covers their
    /// day (docs/metrics.md §5).
    #[serde(default)]
    pub creators_excluded: ExcludedRows,
    /// The report's analytics figures (docs/metrics.md §11): LIVE sessions, videos, funnel, traffic.
    #[serde(default)]
    pub content: ContentView,
    /// The Ads view's figures (docs/metrics.md §6), made in the worker by the view's own fields.
    #[serde(default)]
    pub ads: AdsView,
    /// The report's warnings, each with the part of the page it matters to (docs/metrics.md §12): the
    /// Overview and the Content view place them by `kind`.
    #[serde(default)]
    pub notes: Vec<margin_engine::review::Note>,
    /// The morning review (docs/metrics.md §12): anchored at `alerts.as_of`, whatever the period.
    #[serde(default)]
    pub review: margin_engine::review::Review,
    /// The Cash view's figures (docs/metrics.md §6), made in the worker by the view's own fields
    /// (`views::cash`); `None` without a finance export.
    #[serde(default)]
    pub cash: Option<CashView>,
    /// The seller's custom costs as set, each with what the period carries of it (the report's
    /// `custom_costs`, docs/metrics.md §3), for the Settings view.
    #[serde(default)]
    pub custom_costs: Vec<CustomCostAmount>,
}

/// The Cash view (docs/metrics.md §6): the report's `cash` as rows of the view's fields (`views::cash`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CashView {
    /// Estimated vs actual settlement of the settled orders, and the refunds by source.
    pub totals: Row,
    /// The cash still to come.
    pub unsettled: Row,
    /// The settled orders with the largest differences.
    pub orders: Vec<Row>,
    /// Orders settled of the period, of which `orders` lists the first.
    pub matched_orders: u64,
    /// The unsettled orders with the most cash to come.
    pub unsettled_orders: Vec<Row>,
    /// The loaded orders by settlement date: the P&L on a settlement basis, up to CM1.
    pub by_settled_date: Vec<Row>,
    /// Every settled finance row, by settlement date.
    pub finance_by_day: Vec<Row>,
    /// Settled finance rows without a settlement date.
    pub undated_finance_rows: u64,
}

/// One custom cost as set and the amount the period's figures carry of it (rounded, as the report).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomCostAmount {
    pub cost: margin_engine::settings::CustomCost,
    pub period_amount: Decimal,
}

/// The Ads view (docs/metrics.md §6): the report's `ads` as rows of the view's fields (`views::ads`),
/// so the page reads no engine entry type of its own.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AdsView {
    /// Where the spend came from (`None`: no ad spend loaded).
    pub source: margin_engine::metrics::AdsSource,
    /// The tiles: one value per tile field.
    pub tiles: Option<Row>,
    /// The on/off-day estimate and the attribution inflation.
    pub incrementality: Option<Row>,
    /// Why the estimate is rough, in the engine's words.
    pub caution: Option<String>,
    /// Product spend, and what of it is charged to SKUs or spread.
    pub spend: Option<Row>,
    /// The creatives exports' windows and the period's share of each, as sentences.
    pub windows: Vec<String>,
    pub by_product: Vec<Row>,
    pub live_campaigns: Vec<Row>,
}

/// The Content view's tables (docs/metrics.md §11), their rows made in the worker from the report's
/// content entries by the view's own fields (`views::content`): the page holds their columns, and reads
/// no entry type of its own (one row type crosses, not six entry types).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ContentView {
    /// LIVE sessions (a session below the benchmark is the row's `warn`).
    pub live: RowsSlice,
    pub live_benchmark: Option<Benchmark>,
    /// Why figures of the sessions are missing: each reason once, with how many sessions it is about.
    pub live_missing: Vec<String>,
    /// The chart of the sessions against the benchmark (the latest sessions when there are many).
    pub live_chart: Option<LiveChart>,
    pub videos: RowsSlice,
    /// Per creator and `Content ID`, with the video's views and CTR where a Video Performance List has it.
    pub contents: RowsSlice,
    pub creator_products: RowsSlice,
    pub funnel: RowsSlice,
    pub traffic: RowsSlice,
}

/// The LIVE chart: each of the latest sessions' value on `basis`, by start time.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LiveChart {
    /// `gmv_per_viewer` or `gmv_per_1k_views`.
    pub basis: String,
    /// Start time of each charted session ("04-01 15:44").
    pub labels: Vec<String>,
    pub values: Vec<Option<Decimal>>,
    /// Below the benchmark.
    pub below: Vec<bool>,
    /// Sessions in the period (the chart shows the latest `labels.len()` of them).
    pub sessions: usize,
}

/// The account's LIVE benchmark (the report's `live_benchmark`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Benchmark {
    /// `gmv_per_viewer` or `gmv_per_1k_views`.
    pub basis: String,
    pub average: Decimal,
    pub threshold_pct: Decimal,
    pub sessions: u64,
}

/// The coverage of the period's days, as the engine computes it: what the Overview's strips and the
/// charts' gaps show (the page compares dates only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodCoverage {
    /// The period.
    pub period: DayRange,
    /// Each loaded kind within the period: its covered ranges, and every stretch of the period it
    /// does not cover as a gap (in `DataKind` order).
    pub kinds: Vec<(DataKind, KindCoverage)>,
    /// The days both the Orders and the Affiliate exports cover within the period (the days the
    /// channel split uses), when both are loaded.
    pub joined: Option<KindCoverage>,
}

impl PeriodCoverage {
    /// The engine's coverage seen through `period`.
    pub fn of(all: &Coverage, period: DayRange) -> PeriodCoverage {
        PeriodCoverage {
            period,
            kinds: all
                .within(period)
                .iter()
                .map(|(k, c)| (k, c.clone()))
                .collect(),
            joined: all.joined().map(|j| j.within(period)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Previous {
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub totals: Figures,
}

/// A JS exception as text, for messages (`Error`s and `DOMException`s carry a name and a message).
pub fn js_text(e: &JsValue) -> String {
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        return format!(
            "{}: {}",
            String::from(err.name()),
            String::from(err.message())
        );
    }
    e.as_string().unwrap_or_else(|| format!("{e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use margin_engine::settings::ShopSettings;

    /// The worker reads a request's settings through a JSON value (`settings_via_value`): what the
    /// page writes comes back equal, per-shop settings included.
    #[test]
    fn a_compute_request_round_trips() {
        let mut settings = Settings {
            restock_rate: Decimal::new(35, 2),
            ..Settings::default()
        };
        settings.shop_settings.push(ShopSettings {
            shop: "us-1".to_string(),
            settings: Box::new(Settings {
                restock_rate: Decimal::new(5, 1),
                ..Settings::default()
            }),
        });
        let req = ComputeRequest {
            costs: CostsTable::default(),
            settings,
            currency: None,
            period: chrono::NaiveDate::from_ymd_opt(2026, 3, 1)
                .zip(chrono::NaiveDate::from_ymd_opt(2026, 3, 31)),
            shop: Some("us-1".to_string()),
        };
        let json = serde_json::to_string(&req).unwrap_or_default();
        let back: Result<ComputeRequest, _> = serde_json::from_str(&json);
        assert_eq!(back.ok(), Some(req));
        let wrong = json.replacen("\"restock_rate\":\"0.35\"", "\"restock_rate\":true", 1);
        assert!(serde_json::from_str::<ComputeRequest>(&wrong).is_err());
    }
}
