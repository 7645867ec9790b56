//! The warehouse export (docs/warehouse.md): one shop's normalised, already-computed rows — every order
//! line with its figures, every affiliate row's part of its creator, the per-(SKU, day, channel) cells,
//! ad spend per day, coverage and the files read — as typed rows of documented, versioned tables, so
//! that plain SQL on a warehouse (DuckDB, BigQuery, Spark) sums them into the report's figures.
//!
//! The engine makes the rows; writers make files of them: the CLI writes Hive-partitioned Parquet
//! (`margin-lab warehouse`), the page writes the `lines` table as CSV ([`lines_csv`]). Both read
//! [`TABLES`], the one definition of every column.

use crate::costs::CostsTable;
use crate::import::ImportedFile;
use crate::metrics::{CreatorRecord, Figures, LineRecord, RecordInput};
use crate::money::Currency;
use crate::report::{ReportError, load, prepare_refs};
use crate::settings::Settings;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// The schema's version: raised whenever a column is added, removed, renamed or changes meaning
/// (docs/warehouse.md "Versions").
pub const SCHEMA_VERSION: u32 = 1;

/// Decimal places of every amount column: `DECIMAL(38, 18)` (Spark's default decimal; BigQuery's
/// `BIGNUMERIC`). Shares are kept to 12 places (`money::SHARE_DP`) and a fee rate times a share adds at
/// most a few more, so the columns hold the engine's amounts exactly and any SUM is the engine's sum.
/// An amount with more places is rounded to 18 (half to even: [`stored_amount`]) and counted.
pub const MONEY_SCALE: u32 = 18;

/// `m` as an amount column holds it: unchanged when it has at most [`MONEY_SCALE`] places, else
/// rounded to them (half to even) — the second value says whether it was.
pub fn stored_amount(m: Decimal) -> (Decimal, bool) {
    if m.scale() <= MONEY_SCALE {
        return (m, false);
    }
    let n = m.normalize();
    if n.scale() <= MONEY_SCALE {
        return (n, false);
    }
    (
        n.round_dp_with_strategy(
            MONEY_SCALE,
            rust_decimal::RoundingStrategy::MidpointNearestEven,
        ),
        true,
    )
}

/// A shop's partition value (its `shop=` directory): the name itself when it is lower-case letters,
/// digits, `-`, `_` and `.` only (and does not end like a hashed value); otherwise those characters kept
/// (letters lower-cased), the rest `_`, and 16 hex digits of a 64-bit hash of the whole name. So two names
/// get two directories, in one run or across runs, on case-insensitive file systems too (`US shop 1` →
/// `us_shop_1-…`; `us_shop` → `us_shop`). The `shops` table keeps the name as given.
pub fn partition_value(name: &str) -> String {
    let plain =
        |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.');
    let hashed_tail = name.len() > 17
        && name.as_bytes().get(name.len() - 17) == Some(&b'-')
        && name[name.len() - 16..]
            .bytes()
            .all(|b| b.is_ascii_hexdigit());
    if !name.is_empty()
        && name.chars().all(plain)
        && !name.chars().all(|c| c == '.')
        && !hashed_tail
    {
        return name.to_string();
    }
    let kept: String = name
        .chars()
        .map(|c| {
            let c = c.to_ascii_lowercase();
            if plain(c) { c } else { '_' }
        })
        .collect();
    // FNV-1a, 64 bits: stable across platforms and versions.
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{kept}-{hash:016x}")
}

/// A column's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// UTF-8 text.
    Text,
    /// A calendar day (`DATE`).
    Date,
    /// An exact amount, `DECIMAL(38, 18)`.
    Money,
    /// A whole number (`BIGINT`).
    Int,
    /// `BOOLEAN`.
    Bool,
}

impl Kind {
    /// The SQL type name (DuckDB, BigQuery and Spark all read these from Parquet).
    pub fn sql(self) -> &'static str {
        match self {
            Kind::Text => "VARCHAR",
            Kind::Date => "DATE",
            Kind::Money => "DECIMAL(38,18)",
            Kind::Int => "BIGINT",
            Kind::Bool => "BOOLEAN",
        }
    }
}

/// One column: name, type, whether it may be null, meaning.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The column's name (a docs/metrics.md name where it is a figure).
    pub name: &'static str,
    /// Its type.
    pub kind: Kind,
    /// Whether a row may leave it empty (`NULL`).
    pub nullable: bool,
    /// What it holds.
    pub doc: &'static str,
}

const fn col(name: &'static str, kind: Kind, doc: &'static str) -> Column {
    Column {
        name,
        kind,
        nullable: false,
        doc,
    }
}

const fn opt(name: &'static str, kind: Kind, doc: &'static str) -> Column {
    Column {
        name,
        kind,
        nullable: true,
        doc,
    }
}

/// One table: its name and columns. Every table is partitioned by `shop` and, where it has days,
/// `month` (`YYYY-MM`), which are directory names, not columns of the files.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    /// The table's name (its directory).
    pub name: &'static str,
    /// Partitioned by month as well as shop.
    pub monthly: bool,
    /// What one row is.
    pub doc: &'static str,
    /// Its columns, in order.
    pub columns: &'static [Column],
}

use Kind::{Bool, Date, Int, Money, Text};

/// The per-line money columns of `lines`, in order (each a docs/metrics.md figure of one line).
const LINE_MONEY: &[Column] = &[
    col(
        "gmv",
        Money,
        "gross sales of a paid, non-sample line, cancelled or returned included",
    ),
    col("cancelled_sales", Money, "gross sales of a cancelled line"),
    col(
        "refunds",
        Money,
        "refund: the finance export's where settled, else gross × returned / quantity",
    ),
    col("net_sales", Money, "gmv − cancelled_sales − refunds"),
    col(
        "output_vat",
        Money,
        "VAT inside net_sales where prices include VAT",
    ),
    col("net_revenue", Money, "net_sales − output_vat"),
    col(
        "cogs",
        Money,
        "units_sold × the unit cost on the order date",
    ),
    col("gross_profit", Money, "net_revenue − cogs"),
    col(
        "platform_fees",
        Money,
        "actual fees (finance export) where matched, else the fee rules'",
    ),
    col("fulfillment", Money, "per unit shipped and per order"),
    col("shipping", Money, "seller-paid shipping"),
    col(
        "returns_cost",
        Money,
        "restocking loss, return shipping, refund administration fee",
    ),
    col(
        "cm1",
        Money,
        "gross_profit − platform_fees − fulfillment − shipping − returns_cost",
    ),
    col(
        "standard_commission",
        Money,
        "standard commission of the line's affiliate rows",
    ),
    col(
        "shop_ads_commission",
        Money,
        "Shop Ads commission of the line's affiliate rows",
    ),
    col(
        "creator_bonus",
        Money,
        "co-funded creator bonus of the line's affiliate rows",
    ),
    col(
        "affiliate_commission",
        Money,
        "standard + Shop Ads commission + creator bonus",
    ),
    col(
        "ad_spend",
        Money,
        "the line's part of its cell's ad spend (by net sales within the cell)",
    ),
    col(
        "ad_spend_attributed",
        Money,
        "the part of ad_spend charged to the SKU itself (GMV Max product spend, manual per-SKU spend)",
    ),
    col("ad_spend_spread", Money, "ad_spend − ad_spend_attributed"),
    col(
        "sample_cost",
        Money,
        "a sample line: units × (unit cost + sample shipping)",
    ),
    col(
        "other_marketing",
        Money,
        "the line's part of its cell's other marketing and custom marketing costs",
    ),
    col(
        "cm2",
        Money,
        "cm1 − affiliate_commission − ad_spend − sample_cost − other_marketing",
    ),
    col(
        "overhead",
        Money,
        "the line's part of its cell's overhead and custom overhead costs",
    ),
    col("net_profit", Money, "cm2 − overhead"),
    col(
        "estimated_settlement",
        Money,
        "net_sales − output_vat − platform_fees − affiliate_commission − shipping",
    ),
    col("modelled_fees", Money, "the fee rules' fees for the line"),
    col(
        "actual_fees",
        Money,
        "the finance export's fees of a matched line (0 otherwise)",
    ),
    col(
        "modelled_fees_of_matched",
        Money,
        "modelled_fees of a matched line (0 otherwise)",
    ),
    col(
        "estimated_settlement_of_matched",
        Money,
        "estimated_settlement of a matched line (0 otherwise)",
    ),
    col(
        "actual_settlement",
        Money,
        "the finance export's settlement of a matched line",
    ),
    col(
        "list_sales",
        Money,
        "SKU Subtotal Before Discount of a sold or returned line",
    ),
    col(
        "affiliate_sales",
        Money,
        "gross sales of a sold or returned line with an affiliate row",
    ),
];

const LINE_KEYS: &[Column] = &[
    col("currency", Text, "ISO 4217 code of every amount of the row"),
    col("order_id", Text, "Order ID"),
    col("sku_id", Text, "platform SKU ID"),
    col("seller_sku", Text, "the seller's SKU code"),
    col("product_name", Text, "Product Name"),
    col(
        "product_group",
        Text,
        "the costs sheet's product group, else the product name",
    ),
    col("category", Text, "the export's product category"),
    col(
        "order_date",
        Date,
        "order creation date (the line's day in every figure)",
    ),
    opt(
        "settled_date",
        Date,
        "earliest settlement date of the line's finance rows",
    ),
    col("class", Text, "sold, returned, cancelled or sample"),
    col(
        "channel",
        Text,
        "the first affiliate row's content type, else Shop",
    ),
    opt(
        "creator",
        Text,
        "the first affiliate row's creator (credited with the line's sales)",
    ),
    opt("content_id", Text, "that row's Content ID"),
    col("quantity", Int, "Quantity"),
    col(
        "units_sold",
        Int,
        "quantity − units returned, sold and returned lines",
    ),
    col("units_returned", Int, "units returned"),
    col("sample_units", Int, "units of a sample line"),
    col(
        "units_without_cost",
        Int,
        "units sold whose SKU has no unit cost",
    ),
    col(
        "counts_order",
        Bool,
        "a sold or returned line: its order counts in orders",
    ),
    col(
        "affiliated",
        Bool,
        "counts_order and an affiliate row: its order counts in affiliate orders",
    ),
    col(
        "in_channel_split",
        Bool,
        "a day both the Orders and the Affiliate exports cover: the per-channel figures count it",
    ),
    col(
        "fees_from_finance",
        Bool,
        "platform_fees are the finance export's",
    ),
    col(
        "fee_rule_missing",
        Bool,
        "a sold or returned line with no fee rule and no finance row",
    ),
];

/// `creator_lines`: one row per affiliate row that counts for a creator.
const CREATOR_LINES: &[Column] = &[
    col("currency", Text, "ISO 4217 code"),
    col("creator", Text, "Creator Username"),
    col(
        "content_id",
        Text,
        "Content ID (empty when the row leaves it blank)",
    ),
    col("content_type", Text, "the row's content type (its channel)"),
    col("order_id", Text, "Order ID"),
    col("sku_id", Text, "SKU ID"),
    col(
        "day",
        Date,
        "the line's order date, else the row's creation date",
    ),
    col("matched", Bool, "the row's order line is loaded"),
    col(
        "first_on_line",
        Bool,
        "the first row on its line: the line's sales are this creator's",
    ),
    col(
        "counts_order",
        Bool,
        "its order counts in the creator's orders",
    ),
    col(
        "in_creator_figures",
        Bool,
        "a day the Orders exports cover: creator figures count it",
    ),
    col(
        "unmatched_rows",
        Int,
        "1 when the row's order line is not loaded",
    ),
    col(
        "lines",
        Int,
        "1 for the row that brings its line's sales (or an unmatched row), else 0",
    ),
    col("units_sold", Int, "units sold, after returns"),
    col("units_returned", Int, "units returned"),
    col(
        "gmv",
        Money,
        "the line's gmv (first row), or the row's commission base (unmatched)",
    ),
    col("cancelled_sales", Money, "cancelled sales"),
    col("refunds", Money, "refunds"),
    col("output_vat", Money, "VAT inside net sales"),
    col(
        "net_revenue",
        Money,
        "gmv − cancelled_sales − refunds − output_vat",
    ),
    col("cogs", Money, "cost of goods"),
    col("cm1", Money, "the line's cm1 (first row)"),
    col(
        "standard_commission",
        Money,
        "the row's standard commission",
    ),
    col(
        "shop_ads_commission",
        Money,
        "the row's Shop Ads commission",
    ),
    col("creator_bonus", Money, "the row's co-funded creator bonus"),
    col("affiliate_commission", Money, "the three commissions"),
];

/// `daily`: one row per (SKU, day, channel) cell: the lines' sums (the allocations included).
const DAILY_KEYS: &[Column] = &[
    col("currency", Text, "ISO 4217 code"),
    col("sku_id", Text, "SKU ID"),
    col("day", Date, "order date"),
    col("channel", Text, "channel"),
    col("lines", Int, "order lines of the cell"),
    col(
        "orders",
        Int,
        "distinct orders with a sold or returned line in the cell (an order with two SKUs counts in both cells)",
    ),
    col("units_sold", Int, "units sold"),
    col("units_returned", Int, "units returned"),
    col("sample_units", Int, "sample units"),
];

const ADS: &[Column] = &[
    col("currency", Text, "ISO 4217 code"),
    col("day", Date, "the day the spend is dated"),
    col(
        "ad_spend",
        Money,
        "ad spend loaded for the day (ads exports, else the finance export's ad payments)",
    ),
];

const COVERAGE: &[Column] = &[
    col(
        "kind",
        Text,
        "the kind of data (orders, affiliate, finance, ads…)",
    ),
    col("from_day", Date, "first day of a covered range"),
    col("to_day", Date, "last day of it"),
];

const FILES: &[Column] = &[
    col("file", Text, "file name"),
    col("kind", Text, "the export it was read as"),
    col("rows", Int, "data rows read"),
    col("used_rows", Int, "rows used"),
    opt(
        "joined_rows",
        Int,
        "affiliate and finance rows joined to a loaded order line",
    ),
    col("warnings", Text, "the import's warnings, one per line"),
];

const SHOPS: &[Column] = &[
    col(
        "name",
        Text,
        "the shop's name as given (its partition value is the `shop` directory)",
    ),
    col("currency", Text, "ISO 4217 code of the shop's amounts"),
    col(
        "minor_units",
        Int,
        "digits after the point the report rounds money to (2; 0 for VND, IDR, JPY…)",
    ),
    opt(
        "period_from",
        Date,
        "first day of the period the export was written for (its allocations are that period's)",
    ),
    opt("period_to", Date, "last day of it"),
    col("schema_version", Int, "the schema version the rows follow"),
];

/// Every table of the export, in order. `lines` columns are [`line_columns`].
pub const TABLES: &[Table] = &[
    Table {
        name: "lines",
        monthly: true,
        doc: "one row per order line of the period, after de-duplication and the newest-fact rules",
        columns: &[],
    },
    Table {
        name: "creator_lines",
        monthly: true,
        doc: "one row per affiliate row that counts for a creator (a second creator on a line brings only its commission)",
        columns: CREATOR_LINES,
    },
    Table {
        name: "daily",
        monthly: true,
        doc: "one row per (SKU, day, channel) cell: the sums of its lines",
        columns: &[],
    },
    Table {
        name: "ads",
        monthly: true,
        doc: "ad spend per day as loaded (before allocation)",
        columns: ADS,
    },
    Table {
        name: "coverage",
        monthly: false,
        doc: "the days each kind of loaded data covers (docs/metrics.md §9)",
        columns: COVERAGE,
    },
    Table {
        name: "files",
        monthly: false,
        doc: "the files read for the shop and what was read of them",
        columns: FILES,
    },
    Table {
        name: "shops",
        monthly: false,
        doc: "one row per shop: its currency, rounding and the period the export was written for",
        columns: SHOPS,
    },
];

/// The columns of a table (`lines` and `daily` are assembled from their key and money parts).
pub fn columns(table: &str) -> Vec<Column> {
    match table {
        "lines" => line_columns(),
        "daily" => DAILY_KEYS.iter().chain(LINE_MONEY).copied().collect(),
        _ => TABLES
            .iter()
            .find(|t| t.name == table)
            .map(|t| t.columns.to_vec())
            .unwrap_or_default(),
    }
}

/// The columns of `lines` (on their own: the page's CSV needs no other table's).
pub fn line_columns() -> Vec<Column> {
    LINE_KEYS.iter().chain(LINE_MONEY).copied().collect()
}

/// One value of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    /// Text (borrowed from the loaded files).
    Text(&'a str),
    /// Owned text.
    Owned(String),
    /// A day.
    Date(NaiveDate),
    /// An amount.
    Money(Decimal),
    /// A whole number.
    Int(i64),
    /// A flag.
    Bool(bool),
    /// No value (a nullable column).
    Null,
}

/// Receives the rows of one shop's tables, in a deterministic order.
pub trait Sink {
    /// One row of `table`, for the partition `month` (`YYYY-MM`; `None` for tables not split by
    /// month). `cells` follow [`columns`]`(table)`.
    ///
    /// # Errors
    /// What writing failed with, as a message; the export stops.
    fn row(
        &mut self,
        table: &'static str,
        month: Option<&str>,
        cells: &[Cell<'_>],
    ) -> Result<(), String>;
}

/// The partition of a day: `YYYY-MM`.
pub fn month_of(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

fn money_cells<'a>(f: &Figures, out: &mut Vec<Cell<'a>>) {
    let m = Cell::Money;
    out.extend([
        m(f.gmv),
        m(f.cancelled_sales),
        m(f.refunds),
        m(f.net_sales()),
        m(f.output_vat),
        m(f.net_revenue()),
        m(f.cogs),
        m(f.gross_profit()),
        m(f.platform_fees),
        m(f.fulfillment),
        m(f.shipping),
        m(f.returns_cost),
        m(f.cm1()),
        m(f.standard_commission),
        m(f.shop_ads_commission),
        m(f.creator_bonus),
        m(f.affiliate_commission()),
        m(f.ad_spend),
        m(f.ad_spend_attributed),
        m(f.ad_spend_spread()),
        m(f.sample_cost),
        m(f.other_marketing),
        m(f.cm2()),
        m(f.overhead),
        m(f.net_profit()),
        m(f.estimated_settlement()),
        m(f.modelled_fees),
        m(f.actual_fees),
        m(f.modelled_fees_of_matched),
        m(f.estimated_settlement_of_matched),
        m(f.actual_settlement),
        m(f.list_sales),
        m(f.affiliate_sales),
    ]);
}

fn class_of(line: &crate::ledger::OrderLine) -> &'static str {
    match line.status {
        crate::ledger::LineStatus::Sample => "sample",
        crate::ledger::LineStatus::Cancelled => "cancelled",
        crate::ledger::LineStatus::Returned => "returned",
        crate::ledger::LineStatus::Sold => "sold",
    }
}

/// The cells of a `lines` row.
pub fn line_cells<'a>(r: &LineRecord<'a>, currency: &'a str, out: &mut Vec<Cell<'a>>) {
    let l = r.line;
    let f = &r.figures;
    out.clear();
    out.extend([
        Cell::Text(currency),
        Cell::Text(&l.order_id),
        Cell::Text(&l.sku_id),
        Cell::Text(&l.seller_sku),
        Cell::Text(&l.product_name),
        Cell::Text(r.product_group),
        Cell::Text(&l.category),
        Cell::Date(l.created.date()),
        r.settled.map_or(Cell::Null, Cell::Date),
        Cell::Text(class_of(l)),
        Cell::Text(r.channel),
        r.first_row.map_or(Cell::Null, |a| Cell::Text(&a.creator)),
        r.first_row
            .map_or(Cell::Null, |a| Cell::Text(&a.content_id)),
        Cell::Int(l.quantity),
        Cell::Int(f.units_sold),
        Cell::Int(f.units_returned),
        Cell::Int(f.sample_units),
        Cell::Int(f.units_without_cost),
        Cell::Bool(r.counts_order),
        Cell::Bool(r.affiliated),
        Cell::Bool(r.in_channel_split),
        Cell::Bool(f.lines_with_actual_fees > 0),
        Cell::Bool(f.lines_without_fee_rule > 0),
    ]);
    money_cells(f, out);
}

fn creator_cells<'a>(r: &CreatorRecord<'a>, currency: &'a str, out: &mut Vec<Cell<'a>>) {
    let f = &r.figures;
    let m = Cell::Money;
    out.clear();
    out.extend([
        Cell::Text(currency),
        Cell::Text(&r.row.creator),
        Cell::Text(&r.row.content_id),
        Cell::Text(r.channel),
        Cell::Text(&r.row.order_id),
        Cell::Text(r.line.map_or(&*r.row.sku_id, |l| &*l.sku_id)),
        Cell::Date(r.day),
        Cell::Bool(r.line.is_some()),
        Cell::Bool(r.first_on_line),
        Cell::Bool(r.counts_order),
        Cell::Bool(r.in_creator_figures),
        Cell::Int(i64::try_from(r.unmatched_rows).unwrap_or(i64::MAX)),
        Cell::Int(i64::try_from(f.lines).unwrap_or(i64::MAX)),
        Cell::Int(f.units_sold),
        Cell::Int(f.units_returned),
        m(f.gmv),
        m(f.cancelled_sales),
        m(f.refunds),
        m(f.output_vat),
        m(f.net_revenue()),
        m(f.cogs),
        m(f.cm1()),
        m(f.standard_commission),
        m(f.shop_ads_commission),
        m(f.creator_bonus),
        m(f.affiliate_commission()),
    ]);
}

/// A (SKU, day, channel) cell's sums while the lines stream by: its figures and its counted lines'
/// orders (each order once, after a sort).
#[derive(Default)]
struct DailyCell<'a> {
    figures: Figures,
    orders: Vec<&'a str>,
}

/// What one shop's export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    /// The shop's currency.
    pub currency: Option<Currency>,
    /// Rows per table.
    pub rows: BTreeMap<&'static str, u64>,
    /// The period the allocations are of: the one asked for, else the first to the last order day.
    pub period: Option<(NaiveDate, NaiveDate)>,
    /// The months written (the `month=` partitions).
    pub months: Vec<String>,
}

/// What [`write_shop`] reads besides the files.
pub struct ShopInput<'a> {
    /// The shop's name (the `shops` table's `name`).
    pub name: &'a str,
    /// The costs table (costs sheets among the files are merged over it).
    pub costs: &'a CostsTable,
    /// The shop's settings ([`Settings::for_shop`]).
    pub settings: &'a Settings,
    /// The currency (`None`: the files' only one).
    pub currency: Option<Currency>,
    /// The period (inclusive; `None` = every loaded day).
    pub period: Option<(NaiveDate, NaiveDate)>,
    /// Threads for the lines' figures.
    pub threads: usize,
}

/// The report's period-independent figures of the files (for the cube and the coverage), then their
/// ledger loaded again for the rows: one after the other, so two ledgers are never in memory at once.
/// The caller applies the terminal facts (the ledger borrows them).
fn prepare_and_load<'f>(
    files: &[&'f ImportedFile],
    input: &ShopInput<'_>,
) -> Result<(crate::report::Prepared, crate::report::Loaded<'f>), WarehouseError> {
    let prepared = prepare_refs(
        files,
        input.costs,
        input.settings,
        input.currency,
        input.threads,
    )?;
    let loaded = load(files, input.costs, Some(prepared.currency()))?;
    Ok((prepared, loaded))
}

/// Writes one shop's tables to `sink`: the same files, costs, settings and period give the same rows
/// in the same order, and SQL over them gives the report's figures (docs/warehouse.md).
///
/// # Errors
/// As the report ([`ReportError`]), or the sink's message.
pub fn write_shop(
    files: &[&ImportedFile],
    input: &ShopInput<'_>,
    sink: &mut dyn Sink,
) -> Result<Written, WarehouseError> {
    let (prepared, mut loaded) = prepare_and_load(files, input)?;
    let currency = prepared.currency();
    let code = currency.code().to_string();
    let code = code.as_str();
    let coverage = prepared.coverage().clone();
    let analysis = prepared
        .cube()
        .analyse_covered(input.settings, input.period, &coverage);
    let period = analysis.period;
    let mut written = Written {
        currency: Some(currency),
        period,
        ..Written::default()
    };
    let mut failure: Option<String> = None;
    let count = |table: &'static str, r: Result<(), String>| match r {
        Ok(()) => *written.rows.entry(table).or_default() += 1,
        Err(e) => {
            failure.get_or_insert(e);
        }
    };
    // The lines, their creators' rows and the cells (summed from the lines as they pass).
    loaded.ledger.apply_facts(&loaded.facts);
    let joined = loaded.ledger.join_affiliate();
    let mut cells: BTreeMap<(NaiveDate, &str, &str), DailyCell<'_>> = BTreeMap::new();
    let mut buf: Vec<Cell<'_>> = Vec::with_capacity(LINE_KEYS.len() + LINE_MONEY.len());
    // Lines and creators' rows stream to the sink as they are made (both callbacks write to it).
    let shared = std::cell::RefCell::new((sink, count));
    {
        let mut on_line = line_sink(|r| {
            let day = r.line.created.date();
            let month = month_of(day);
            line_cells(&r, code, &mut buf);
            let (sink, count) = &mut *shared.borrow_mut();
            count("lines", sink.row("lines", Some(&month), &buf));
            let cell = cells.entry((day, &r.line.sku_id, r.channel)).or_default();
            cell.figures.merge(&r.figures);
            if r.counts_order {
                cell.orders.push(&r.line.order_id);
            }
        });
        let mut on_creator = |r: CreatorRecord| {
            let mut c = Vec::with_capacity(CREATOR_LINES.len());
            creator_cells(&r, code, &mut c);
            let (sink, count) = &mut *shared.borrow_mut();
            count(
                "creator_lines",
                sink.row("creator_lines", Some(&month_of(r.day)), &c),
            );
        };
        crate::metrics::records(
            &loaded.ledger,
            joined,
            &RecordInput {
                costs: &loaded.costs,
                settings: input.settings,
                currency,
                cube: prepared.cube(),
                period: input.period,
                coverage: &coverage,
            },
            &mut on_line,
            &mut on_creator,
        );
    }
    let (sink, mut count) = shared.into_inner();
    let mut months: Vec<String> = Vec::new();
    for ((day, sku, channel), cell) in &mut cells {
        cell.orders.sort_unstable();
        cell.orders.dedup();
        let month = month_of(*day);
        if months.last() != Some(&month) {
            months.push(month.clone());
        }
        let f = &cell.figures;
        let mut row = vec![
            Cell::Text(code),
            Cell::Text(sku),
            Cell::Date(*day),
            Cell::Text(channel),
            Cell::Int(i64::try_from(f.lines).unwrap_or(i64::MAX)),
            Cell::Int(i64::try_from(cell.orders.len()).unwrap_or(i64::MAX)),
            Cell::Int(f.units_sold),
            Cell::Int(f.units_returned),
            Cell::Int(f.sample_units),
        ];
        money_cells(f, &mut row);
        count("daily", sink.row("daily", Some(&month), &row));
    }
    for (day, spend) in &analysis.ad_spend_by_day {
        let row = [Cell::Text(code), Cell::Date(*day), Cell::Money(*spend)];
        count("ads", sink.row("ads", Some(&month_of(*day)), &row));
    }
    for (kind, c) in coverage.iter() {
        for r in &c.ranges {
            let row = [Cell::Text(kind.key()), Cell::Date(r.from), Cell::Date(r.to)];
            count("coverage", sink.row("coverage", None, &row));
        }
    }
    for f in prepared.files() {
        let row = [
            Cell::Text(&f.name),
            Cell::Owned(format!("{:?}", f.kind)),
            Cell::Int(i64::try_from(f.rows).unwrap_or(i64::MAX)),
            Cell::Int(i64::try_from(f.used_rows).unwrap_or(i64::MAX)),
            f.joined_rows.map_or(Cell::Null, |j| {
                Cell::Int(i64::try_from(j).unwrap_or(i64::MAX))
            }),
            Cell::Owned(f.warnings.join("\n")),
        ];
        count("files", sink.row("files", None, &row));
    }
    let row = [
        Cell::Text(input.name),
        Cell::Text(code),
        Cell::Int(i64::from(currency.minor_units())),
        period.map_or(Cell::Null, |p| Cell::Date(p.0)),
        period.map_or(Cell::Null, |p| Cell::Date(p.1)),
        Cell::Int(i64::from(SCHEMA_VERSION)),
    ];
    count("shops", sink.row("shops", None, &row));
    if let Some(e) = failure {
        return Err(WarehouseError::Write(e));
    }
    written.months = months;
    Ok(written)
}

/// `f` as a callback of lines borrowed for `'a` (a closure's own parameter would be borrowed only for
/// the call, and could not be kept in the cells).
fn line_sink<'a, F: FnMut(LineRecord<'a>)>(f: F) -> F {
    f
}

/// Why an export stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WarehouseError {
    /// The report could not be made (currencies, settings).
    Report(ReportError),
    /// The writer failed.
    Write(String),
}

impl From<ReportError> for WarehouseError {
    fn from(e: ReportError) -> Self {
        WarehouseError::Report(e)
    }
}

impl std::fmt::Display for WarehouseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WarehouseError::Report(e) => write!(f, "{e}"),
            WarehouseError::Write(e) => write!(f, "{e}"),
        }
    }
}

/// The text of a cell in a CSV file: amounts as the Parquet holds them ([`stored_amount`]), days as
/// `YYYY-MM-DD`, flags as `true`/`false`, null as an empty field.
pub fn cell_text(c: &Cell<'_>) -> String {
    match c {
        Cell::Text(t) => (*t).to_string(),
        Cell::Owned(t) => t.clone(),
        Cell::Date(d) => day_text(*d),
        Cell::Money(m) => stored_amount(*m).0.normalize().to_string(),
        Cell::Int(i) => i.to_string(),
        Cell::Bool(b) => b.to_string(),
        Cell::Null => String::new(),
    }
}

/// `YYYY-MM-DD` (without chrono's format strings, which the page does not otherwise carry).
fn day_text(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// `text` as a JSON string: quotes, backslashes and control characters escaped.
fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The schema of the tables as JSON (`_schema.json`): the version, and per table its partitions and
/// columns with their SQL types and meanings.
pub fn schema_json() -> String {
    let tables: Vec<serde_json::Value> = TABLES
        .iter()
        .map(|t| {
            let cols: Vec<serde_json::Value> = columns(t.name)
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "name": c.name,
                        "type": c.kind.sql(),
                        "nullable": c.nullable,
                        "doc": c.doc,
                    })
                })
                .collect();
            let partitions: Vec<&str> = if t.monthly {
                vec!["shop", "month"]
            } else {
                vec!["shop"]
            };
            serde_json::json!({
                "name": t.name,
                "doc": t.doc,
                "partitions": partitions,
                "columns": cols,
            })
        })
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({
        "schema_version": SCHEMA_VERSION,
        "money": format!("DECIMAL(38,{MONEY_SCALE})"),
        "tables": tables,
    }))
    .unwrap_or_default()
}

/// The schema as Markdown (docs/warehouse.md holds it between `<!-- warehouse-schema:begin -->` and
/// `<!-- warehouse-schema:end -->`; a test keeps it current).
pub fn markdown() -> String {
    let mut s =
        format!("Schema version {SCHEMA_VERSION}. Every amount is `DECIMAL(38,{MONEY_SCALE})`.\n");
    for t in TABLES {
        let parts = if t.monthly { "shop, month" } else { "shop" };
        s.push_str(&format!(
            "\n#### `{}` (partitioned by {parts})\n\n{}.\n\n| column | type | null | meaning |\n|---|---|---|---|\n",
            t.name, t.doc
        ));
        for c in columns(t.name) {
            s.push_str(&format!(
                "| `{}` | {} | {} | {} |\n",
                c.name,
                c.kind.sql(),
                if c.nullable { "yes" } else { "" },
                c.doc.replace('|', "\\|")
            ));
        }
    }
    s
}

/// The `lines` table of one shop as one CSV file, with its schema — what the page writes ("Export for
/// your warehouse", docs/warehouse.md "From the page"): `shop` and `month` (the partitions, as columns),
/// then the columns of [`columns`]`("lines")`, amounts exact (at most 18 places), empty = null. The
/// rows are [`write_shop`]'s `lines`, made by the same [`crate::metrics::records`]; only the lines are
/// made (the page has the rest of the report already).
///
/// # Errors
/// As the report ([`ReportError`]).
pub fn lines_csv(
    files: &[&ImportedFile],
    input: &ShopInput<'_>,
    shop: &str,
) -> Result<(Vec<u8>, String), WarehouseError> {
    let (prepared, mut loaded) = prepare_and_load(files, input)?;
    let currency = prepared.currency();
    let code = currency.code().to_string();
    loaded.ledger.apply_facts(&loaded.facts);
    let joined = loaded.ledger.join_affiliate();
    let shop_value = partition_value(shop);
    let mut out = String::new();
    let names = line_columns();
    let header: Vec<&str> = ["shop", "month"]
        .into_iter()
        .chain(names.iter().map(|c| c.name))
        .collect();
    crate::export::push_row(&mut out, ',', header.into_iter());
    let mut buf = Vec::with_capacity(names.len());
    let mut text: Vec<String> = Vec::with_capacity(names.len() + 2);
    crate::metrics::records(
        &loaded.ledger,
        joined,
        &RecordInput {
            costs: &loaded.costs,
            settings: input.settings,
            currency,
            cube: prepared.cube(),
            period: input.period,
            coverage: prepared.coverage(),
        },
        &mut |r| {
            line_cells(&r, &code, &mut buf);
            text.clear();
            text.push(shop_value.clone());
            text.push(month_of(r.line.created.date()));
            text.extend(buf.iter().map(cell_text));
            crate::export::push_row(&mut out, ',', text.iter().map(String::as_str));
        },
        &mut |_| {},
    );
    let bytes = out.into_bytes();
    // The schema as JSON, written by hand: the page carries no JSON-building code for it.
    let mut schema = format!(
        "{{\n  \"schema_version\": {SCHEMA_VERSION},\n  \"table\": \"lines\",\n  \"format\": \"CSV, header row, UTF-8; an empty field is NULL, or empty text in a text column (most loaders read both as NULL, so text columns are nullable here); amounts exact decimals\",\n  \"shop_name\": {},\n  \"columns\": [\n    {{\"name\": \"shop\", \"type\": \"VARCHAR\", \"nullable\": false, \"doc\": \"the shop's partition value (as the Parquet export's shop= directory)\"}},\n    {{\"name\": \"month\", \"type\": \"VARCHAR\", \"nullable\": false, \"doc\": \"YYYY-MM of order_date\"}}",
        json_string(shop)
    );
    for c in &names {
        schema.push_str(&format!(
            ",\n    {{\"name\": \"{}\", \"type\": \"{}\", \"nullable\": {}, \"doc\": {}}}",
            c.name,
            c.kind.sql(),
            c.nullable || c.kind == Kind::Text,
            json_string(c.doc)
        ));
    }
    schema.push_str("\n  ]\n}\n");
    Ok((bytes, schema))
}
