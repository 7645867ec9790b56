//! The metric registry (docs/metrics.md): every figure Margin Lab shows, defined once.
//!
//! Three tables, each in the order the figures are shown and emitted:
//! - [`FIGURES`]: the figures of a group of order lines ([`Figures`]): the report's `totals`, `skus`,
//!   `product_groups`, `channels`, `days` and `previous.totals`, the Overview tiles, the SKU columns;
//! - [`CREATOR_FIGURES`]: a creator's P&L ([`CreatorFigures`], docs/metrics.md §5), the report's `creators`;
//! - [`UNIT_OUTPUTS`]: the what-if grid's per-unit outputs ([`UnitResult`], docs/metrics.md §7).
//!
//! Each entry has its key (the name in docs/metrics.md and in `report --json`), the label the page and
//! the CLI show, its [`Unit`], which direction is good ([`Better`]), a one-line definition, the
//! docs/metrics.md section and its accessor. The report, the CLI table and the page read the tables;
//! nothing else lists figures. Adding a figure = one entry here (plus its computation on [`Figures`]);
//! `crates/engine/tests/registry.rs` then fails until the entry has a value test, and until
//! docs/metrics.md carries the regenerated table ([`markdown`]).
//!
//! Keys are looked up with [`figure`], [`creator_figure`] and [`unit_output`] (an `Option`: an unknown
//! key is never a fallback), or checked when compiling with [`metric!`](crate::metric):
//!
//! ```
//! use margin_engine::metric;
//! use margin_engine::metrics::Figures;
//! use margin_engine::registry::{self, MetricValue, Unit};
//! use rust_decimal_macros::dec;
//! let mut f = Figures::default();
//! f.gmv = dec!(100);
//! f.refunds = dec!(10);
//! let net_sales = metric!(FIGURES, "net_sales");
//! assert_eq!((net_sales.label, net_sales.unit), ("Net sales", Unit::Money));
//! // 100 − 10
//! assert_eq!(net_sales.value(&f), MetricValue::Amount(Some(dec!(90))));
//! assert!(registry::figure("net_sales").is_some());
//! assert!(registry::figure("net_sale").is_none());
//! ```
//!
//! ```compile_fail
//! // An unknown key does not compile.
//! let m = margin_engine::metric!(FIGURES, "net_sale");
//! ```

use crate::metrics::{CreatorFigures, Figures};
use crate::whatif::{UnitInputs, UnitOutputs, break_even_price};
use rust_decimal::Decimal;

/// What a figure measures, and so how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// An amount in the report's currency (rounded to its minor unit when shown).
    Money,
    /// Percent points (`44.75` = 44.75 %), two decimals.
    Percent,
    /// A ratio such as a ROAS (two decimals when shown).
    Ratio,
    /// A whole number (orders, units, lines).
    Count,
    /// Yes or no.
    Flag,
}

impl Unit {
    /// The unit's name in docs/metrics.md.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Money => "money",
            Unit::Percent => "percent",
            Unit::Ratio => "ratio",
            Unit::Count => "count",
            Unit::Flag => "flag",
        }
    }
}

/// Which direction of change is good news (the Overview colours a change by it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Better {
    /// More is better (sales, profit, margins).
    Higher,
    /// Less is better (costs, returns, cancellations).
    Lower,
    /// Neither: a fact to know (VAT, samples, reconciliation figures).
    Neutral,
}

impl Better {
    /// `Some(true)` when higher is better, `Some(false)` when lower is, `None` when neither.
    pub fn higher_is_better(self) -> Option<bool> {
        match self {
            Better::Higher => Some(true),
            Better::Lower => Some(false),
            Better::Neutral => None,
        }
    }

    /// The direction's name in docs/metrics.md.
    pub fn name(self) -> &'static str {
        match self {
            Better::Higher => "higher",
            Better::Lower => "lower",
            Better::Neutral => "—",
        }
    }
}

/// A figure's exact value, as the engine computes it: money unrounded, percent points with two
/// decimals (docs/metrics.md §4), ratios unrounded. Rounding for display is the reader's, by [`Unit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricValue {
    /// A money amount, percent points or a ratio; `None` when it cannot be computed (e.g. a margin
    /// over zero net revenue).
    Amount(Option<Decimal>),
    /// A whole number.
    Count(i128),
    /// Yes or no.
    Flag(bool),
}

impl MetricValue {
    /// The value as a decimal (a count as a whole decimal); `None` for a flag or a figure that cannot
    /// be computed.
    pub fn amount(self) -> Option<Decimal> {
        match self {
            MetricValue::Amount(a) => a,
            MetricValue::Count(n) => Decimal::try_from_i128_with_scale(n, 0).ok(),
            MetricValue::Flag(_) => None,
        }
    }
}

/// One figure of a table: `S` is what it is read from ([`Figures`], [`CreatorFigures`] or
/// [`UnitResult`]).
pub struct Metric<S: 'static> {
    /// The figure's name in docs/metrics.md and its key in `report --json`.
    pub key: &'static str,
    /// What the page and the CLI call it.
    pub label: &'static str,
    /// What it measures.
    pub unit: Unit,
    /// Which direction is good.
    pub better: Better,
    /// The section of docs/metrics.md that defines it (`"§2"`).
    pub section: &'static str,
    /// One line: how it is computed.
    pub definition: &'static str,
    /// Reads the figure (use [`Metric::value`]).
    pub read: fn(&S) -> MetricValue,
}

impl<S> Metric<S> {
    /// The figure's exact value in `source`.
    pub fn value(&self, source: &S) -> MetricValue {
        (self.read)(source)
    }

    /// The figure as a decimal ([`MetricValue::amount`]).
    pub fn amount(&self, source: &S) -> Option<Decimal> {
        self.value(source).amount()
    }

    /// `Some(true)` when higher is better, `Some(false)` when lower is, `None` when neither.
    pub fn higher_is_better(&self) -> Option<bool> {
        self.better.higher_is_better()
    }
}

impl<S> Metric<S> {
    /// The one-line definition as the page shows it in a tooltip: figure keys written as their labels
    /// (`cm2 / net_revenue` → `CM2 / Net revenue`) and references to the docs left out ([`plain`]).
    pub fn plain_definition(&self) -> String {
        plain(self.definition)
    }
}

/// `text` as a seller reads it: every registry key (a word with `_` or a digit such as `net_revenue`,
/// `cm1`, an acronym such as `gmv`, or any key beside an operator) written as its label, any other `snake_case` word with spaces,
/// and parenthesised references to the docs (`(docs/fees.md)`, `(§7)`) left out.
///
/// ```
/// use margin_engine::registry::plain;
/// assert_eq!(plain("cm2 / net_revenue"), "CM2 / Net revenue");
/// assert_eq!(plain("gmv − cancelled_sales − refunds"), "GMV − Cancelled − Refunds");
/// assert_eq!(plain("refunds of the returned lines"), "refunds of the returned lines");
/// assert_eq!(plain("the dated fee rules (docs/fees.md)"), "the dated fee rules");
/// assert_eq!(plain("units × unit_cost"), "Units × unit cost");
/// ```
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        // A parenthesised reference to the docs: dropped with the space before it.
        if rest.starts_with('(')
            && let Some(end) = rest.find(')')
        {
            let inner = &rest[1..end];
            if inner.contains(".md") || inner.contains('§') {
                while out.ends_with(' ') {
                    out.pop();
                }
                rest = &rest[end + 1..];
                continue;
            }
        }
        let word_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if word_len == 0 {
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let word = &rest[..word_len];
        // A word beside an operator is a term of a formula (`gmv − cancelled_sales − refunds`).
        let operator = |c: Option<char>| c.is_some_and(|c| "−-+×/=()".contains(c));
        let in_formula = operator(out.trim_end().chars().next_back())
            || operator(rest[word_len..].trim_start().chars().next());
        out.push_str(&plain_word(word, in_formula));
        rest = &rest[word_len..];
    }
    out
}

/// A word of a definition as shown: a key's label, or the word with `_` as spaces. A plain English
/// key (`orders`, `refunds`) becomes its label only as a term of a formula.
fn plain_word(word: &str, in_formula: bool) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    let code_like = word.contains('_') || word.chars().any(|c| c.is_ascii_digit());
    let label = FIGURES
        .iter()
        .map(|m| (m.key, m.label))
        .chain(CREATOR_FIGURES.iter().map(|m| (m.key, m.label)))
        .chain(UNIT_OUTPUTS.iter().map(|m| (m.key, m.label)))
        .find(|(k, _)| *k == word)
        .map(|(_, l)| l);
    match label {
        // A code name, or a lowercase acronym (`gmv` → `GMV`, `cogs` → `COGS`).
        Some(l)
            if code_like
                || in_formula
                || (word.chars().all(|c| c.is_ascii_lowercase())
                    && l.eq_ignore_ascii_case(word)
                    && l.chars().all(|c| c.is_ascii_uppercase())) =>
        {
            Cow::Borrowed(l)
        }
        _ if word.contains('_') && word.chars().all(|c| c.is_ascii_lowercase() || c == '_') => {
            Cow::Owned(word.replace('_', " "))
        }
        _ => Cow::Borrowed(word),
    }
}

/// A figure of a group of order lines.
pub type Figure = Metric<Figures>;
/// A figure of a creator's P&L.
pub type CreatorFigure = Metric<CreatorFigures>;
/// A per-unit output of the what-if grid.
pub type UnitOutput = Metric<UnitResult>;

/// What the what-if grid shows of one row (docs/metrics.md §7): its per-unit outputs and the price at
/// which cm2 = 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitResult {
    /// The outputs at the row's inputs.
    pub outputs: UnitOutputs,
    /// [`break_even_price`] of the row's inputs, when there is one.
    pub break_even_price: Option<Decimal>,
}

impl UnitResult {
    /// Evaluates `inputs` and solves their break-even price.
    pub fn of(inputs: &UnitInputs) -> UnitResult {
        UnitResult {
            outputs: inputs.evaluate(),
            break_even_price: break_even_price(inputs).value(),
        }
    }
}

fn money(d: Decimal) -> MetricValue {
    MetricValue::Amount(Some(d))
}

fn maybe(d: Option<Decimal>) -> MetricValue {
    MetricValue::Amount(d)
}

fn count(n: impl Into<i128>) -> MetricValue {
    MetricValue::Count(n.into())
}

use Better::{Higher, Lower, Neutral};
use Unit::{Count, Flag, Money, Percent, Ratio};

/// An entry of [`FIGURES`]: key, label, unit, better, section, definition, accessor.
const fn fig(
    key: &'static str,
    label: &'static str,
    unit: Unit,
    better: Better,
    section: &'static str,
    definition: &'static str,
    read: fn(&Figures) -> MetricValue,
) -> Figure {
    Metric {
        key,
        label,
        unit,
        better,
        section,
        definition,
        read,
    }
}

/// An entry of [`CREATOR_FIGURES`].
const fn creator(
    key: &'static str,
    label: &'static str,
    unit: Unit,
    better: Better,
    definition: &'static str,
    read: fn(&CreatorFigures) -> MetricValue,
) -> CreatorFigure {
    Metric {
        key,
        label,
        unit,
        better,
        section: "§5",
        definition,
        read,
    }
}

/// An entry of [`UNIT_OUTPUTS`].
const fn unit(
    key: &'static str,
    label: &'static str,
    unit: Unit,
    better: Better,
    definition: &'static str,
    read: fn(&UnitResult) -> MetricValue,
) -> UnitOutput {
    Metric {
        key,
        label,
        unit,
        better,
        section: "§7",
        definition,
        read,
    }
}

/// The figures of a group of order lines, in the order of `report --json` (docs/metrics.md §8).
pub static FIGURES: &[Figure] = &[
    fig(
        "gmv",
        "GMV",
        Money,
        Higher,
        "§2",
        "Σ gross sales (subtotal before discount − seller discount) over paid, non-sample lines, cancelled and returned ones included",
        |f| money(f.gmv),
    ),
    fig(
        "cancelled_sales",
        "Cancelled",
        Money,
        Lower,
        "§2",
        "Σ gross sales of cancelled lines",
        |f| money(f.cancelled_sales),
    ),
    fig(
        "refunds",
        "Refunds",
        Money,
        Lower,
        "§2",
        "Σ gross sales × units returned / quantity over returned lines, or the refund amount a settled finance row gives",
        |f| money(f.refunds),
    ),
    fig(
        "net_sales",
        "Net sales",
        Money,
        Higher,
        "§2",
        "gmv − cancelled_sales − refunds",
        |f| money(f.net_sales()),
    ),
    fig(
        "output_vat",
        "VAT",
        Money,
        Neutral,
        "§2",
        "VAT inside net_sales where prices include it (UK/EU); 0 for US sales tax",
        |f| money(f.output_vat),
    ),
    fig(
        "net_revenue",
        "Net revenue",
        Money,
        Higher,
        "§2",
        "net_sales − output_vat: the base of every margin percentage",
        |f| money(f.net_revenue()),
    ),
    fig(
        "cogs",
        "COGS",
        Money,
        Lower,
        "§3",
        "units_sold × the SKU's unit cost on the line's date",
        |f| money(f.cogs),
    ),
    fig(
        "gross_profit",
        "Gross profit",
        Money,
        Higher,
        "§4",
        "net_revenue − cogs",
        |f| money(f.gross_profit()),
    ),
    fig(
        "gross_margin_pct",
        "Gross margin",
        Percent,
        Higher,
        "§4",
        "gross_profit / net_revenue",
        |f| maybe(f.gross_margin_pct()),
    ),
    fig(
        "orders",
        "Orders",
        Count,
        Higher,
        "§2",
        "distinct Order IDs with at least one sold or returned line",
        |f| count(f.orders),
    ),
    fig(
        "units_sold",
        "Units sold",
        Count,
        Higher,
        "§2",
        "Σ quantity − units_returned over sold and returned lines",
        |f| count(f.units_sold),
    ),
    fig(
        "units_returned",
        "Units returned",
        Count,
        Lower,
        "§2",
        "Σ returned quantity (at most the line's quantity) over returned lines",
        |f| count(f.units_returned),
    ),
    fig(
        "sample_units",
        "Sample units",
        Count,
        Neutral,
        "§2",
        "units of lines with a zero subtotal before discount (creator samples, free gifts)",
        |f| count(f.sample_units),
    ),
    fig(
        "aov",
        "AOV",
        Money,
        Higher,
        "§2",
        "net_sales / orders",
        |f| maybe(f.aov()),
    ),
    fig(
        "return_rate",
        "Return rate",
        Percent,
        Lower,
        "§2",
        "units_returned / (units_sold + units_returned)",
        |f| maybe(f.return_rate_pct()),
    ),
    fig(
        "cancel_rate",
        "Cancel rate",
        Percent,
        Lower,
        "§2",
        "cancelled_sales / gmv",
        |f| maybe(f.cancel_rate_pct()),
    ),
    fig(
        "repeat_purchase_rate",
        "Repeat purchase rate",
        Percent,
        Higher,
        "§2",
        "buyers with two orders or more / buyers with one or more (buyer IDs of the Orders export, hashed in memory)",
        |f| maybe(f.repeat_purchase_rate_pct()),
    ),
    fig(
        "affiliate_commission",
        "Commission",
        Money,
        Lower,
        "§3",
        "standard_commission + shop_ads_commission + creator_bonus over the lines' affiliate rows",
        |f| money(f.affiliate_commission()),
    ),
    fig(
        "standard_commission",
        "Standard comm.",
        Money,
        Lower,
        "§3",
        "the standard commission of the affiliate rows (Actual when filled and > 0, else Est.)",
        |f| money(f.standard_commission),
    ),
    fig(
        "shop_ads_commission",
        "Shop Ads comm.",
        Money,
        Lower,
        "§3",
        "the Shop Ads commission of the affiliate rows (Actual when filled and > 0, else Est.)",
        |f| money(f.shop_ads_commission),
    ),
    fig(
        "creator_bonus",
        "Bonus",
        Money,
        Lower,
        "§3",
        "the co-funded creator bonus of the affiliate rows",
        |f| money(f.creator_bonus),
    ),
    fig(
        "affiliate_share",
        "Affiliate share",
        Percent,
        Higher,
        "§5",
        "orders with an affiliate row / orders",
        |f| maybe(f.affiliate_share_pct()),
    ),
    fig(
        "platform_fees",
        "Fees",
        Money,
        Lower,
        "§3",
        "fees of the matched finance rows when loaded, else the market's dated fee rules (docs/fees.md)",
        |f| money(f.platform_fees),
    ),
    fig(
        "fulfillment",
        "Fulfilment",
        Money,
        Lower,
        "§3",
        "the per-unit and per-order fulfilment settings × shipped units and orders",
        |f| money(f.fulfillment),
    ),
    fig(
        "shipping",
        "Shipping",
        Money,
        Lower,
        "§3",
        "seller-paid shipping: the finance export's seller shipping fee when loaded, else the per-order setting",
        |f| money(f.shipping),
    ),
    fig(
        "returns_cost",
        "Returns cost",
        Money,
        Lower,
        "§3",
        "units_returned × (unit cost × (1 − restock rate) + return shipping) + refund administration fees",
        |f| money(f.returns_cost),
    ),
    fig(
        "cm1",
        "CM1",
        Money,
        Higher,
        "§4",
        "gross_profit − platform_fees − fulfillment − shipping − returns_cost (contribution before marketing)",
        |f| money(f.cm1()),
    ),
    fig(
        "cm1_pct",
        "CM1 %",
        Percent,
        Higher,
        "§4",
        "cm1 / net_revenue",
        |f| maybe(f.cm1_pct()),
    ),
    fig(
        "ad_spend",
        "Ad spend",
        Money,
        Lower,
        "§3",
        "ads exports' cost: a product's GMV Max spend charged to its SKUs, the rest per day by net_sales share; or manual per-SKU amounts",
        |f| money(f.ad_spend),
    ),
    fig(
        "ad_spend_attributed",
        "Ad spend, attributed",
        Money,
        Neutral,
        "§3",
        "ad spend charged to the SKU itself: its product's GMV Max spend by net_sales within the product, or its manual per-SKU amount",
        |f| money(f.ad_spend_attributed),
    ),
    fig(
        "ad_spend_spread",
        "Ad spend, spread",
        Money,
        Neutral,
        "§3",
        "ad_spend − ad_spend_attributed: the rest of the spend, spread by each day's net_sales share",
        |f| money(f.ad_spend_spread()),
    ),
    fig(
        "sample_cost",
        "Samples",
        Money,
        Lower,
        "§3",
        "sample_units × (unit cost + sample shipping per unit)",
        |f| money(f.sample_cost),
    ),
    fig(
        "other_marketing",
        "Other marketing",
        Money,
        Lower,
        "§3",
        "dated manual marketing entries, allocated like ad_spend, and the marketing custom costs",
        |f| money(f.other_marketing),
    ),
    fig(
        "cm2",
        "CM2",
        Money,
        Higher,
        "§4",
        "cm1 − affiliate_commission − ad_spend − sample_cost − other_marketing (contribution margin)",
        |f| money(f.cm2()),
    ),
    fig(
        "cm2_pct",
        "CM2 %",
        Percent,
        Higher,
        "§4",
        "cm2 / net_revenue",
        |f| maybe(f.cm2_pct()),
    ),
    fig(
        "overhead",
        "Overhead",
        Money,
        Lower,
        "§3",
        "monthly fixed costs, allocated by net_revenue share (or per unit), and the overhead custom costs",
        |f| money(f.overhead),
    ),
    fig(
        "net_profit",
        "Net profit",
        Money,
        Higher,
        "§4",
        "cm2 − overhead",
        |f| money(f.net_profit()),
    ),
    fig(
        "net_margin_pct",
        "Net margin",
        Percent,
        Higher,
        "§4",
        "net_profit / net_revenue",
        |f| maybe(f.net_margin_pct()),
    ),
    fig(
        "blended_cpo",
        "Blended CPO",
        Money,
        Lower,
        "§6",
        "(ad_spend + affiliate_commission) / orders",
        |f| maybe(f.blended_cpo()),
    ),
    fig(
        "paid_cpo",
        "Paid CPO",
        Money,
        Lower,
        "§6",
        "ad_spend / orders without an affiliate row",
        |f| maybe(f.paid_cpo()),
    ),
    fig(
        "blended_roas",
        "Blended ROAS",
        Ratio,
        Higher,
        "§6",
        "net_sales / ad_spend",
        |f| maybe(f.blended_roas()),
    ),
    fig(
        "break_even_roas",
        "Break-even ROAS",
        Ratio,
        Lower,
        "§6",
        "net_revenue / cm1: below this ROAS, ads turn cm2 negative",
        |f| maybe(f.break_even_roas()),
    ),
    fig(
        "estimated_settlement",
        "Est. settlement",
        Money,
        Higher,
        "§6",
        "net_sales − output_vat − platform_fees − affiliate_commission − shipping",
        |f| money(f.estimated_settlement()),
    ),
    fig(
        "modelled_fees",
        "Modelled fees",
        Money,
        Neutral,
        "§6",
        "platform fees by the fee rules over every line, matched or not",
        |f| money(f.modelled_fees),
    ),
    fig(
        "actual_fees",
        "Actual fees",
        Money,
        Neutral,
        "§6",
        "fees charged on the lines matched to a finance export",
        |f| money(f.actual_fees),
    ),
    fig(
        "fees_difference",
        "Fees difference",
        Money,
        Neutral,
        "§6",
        "actual_fees − the modelled fees of the same matched lines",
        |f| money(f.actual_fees - f.modelled_fees_of_matched),
    ),
    fig(
        "lines_with_actual_fees",
        "Lines with actual fees",
        Count,
        Neutral,
        "§6",
        "order lines whose fees come from a finance export",
        |f| count(f.lines_with_actual_fees),
    ),
    fig(
        "cost_missing",
        "Cost missing",
        Flag,
        Lower,
        "§3",
        "some sold unit has no unit cost (counted at 0, so cogs and profit are incomplete)",
        |f| MetricValue::Flag(f.cost_missing()),
    ),
];

/// A creator's P&L (docs/metrics.md §5), in the order of the report's `creators` entries.
pub static CREATOR_FIGURES: &[CreatorFigure] = &[
    creator(
        "orders",
        "Orders",
        Count,
        Higher,
        "distinct orders of the creator's lines",
        |c| count(c.figures.orders),
    ),
    creator(
        "units",
        "Units",
        Count,
        Higher,
        "units sold through the creator, after returns",
        |c| count(c.figures.units_sold),
    ),
    creator(
        "gross_sales",
        "Gross sales",
        Money,
        Higher,
        "gmv − cancelled_sales of the creator's lines (sold and returned lines)",
        |c| money(c.gross_sales()),
    ),
    creator(
        "refunds",
        "Refunds",
        Money,
        Lower,
        "refunds of the creator's returned lines (or rows fully returned or refunded when the line is not loaded)",
        |c| money(c.figures.refunds),
    ),
    creator(
        "return_rate",
        "Return rate",
        Percent,
        Lower,
        "units_returned / (units_sold + units_returned) of the creator's lines",
        |c| maybe(c.figures.return_rate_pct()),
    ),
    creator(
        "net_revenue",
        "Net revenue",
        Money,
        Higher,
        "net_revenue of the creator's lines (unmatched rows on their commission base)",
        |c| money(c.figures.net_revenue()),
    ),
    creator(
        "commission",
        "Commission",
        Money,
        Lower,
        "standard_commission + shop_ads_commission + creator_bonus",
        |c| money(c.figures.affiliate_commission()),
    ),
    creator(
        "standard_commission",
        "Standard comm.",
        Money,
        Lower,
        "the creator's standard commission",
        |c| money(c.figures.standard_commission),
    ),
    creator(
        "shop_ads_commission",
        "Shop Ads comm.",
        Money,
        Lower,
        "the creator's Shop Ads commission",
        |c| money(c.figures.shop_ads_commission),
    ),
    creator(
        "creator_bonus",
        "Bonus",
        Money,
        Lower,
        "the creator's co-funded bonus",
        |c| money(c.figures.creator_bonus),
    ),
    creator(
        "net_after_commission",
        "Net after comm.",
        Money,
        Higher,
        "net_revenue − commission",
        |c| money(c.net_after_commission()),
    ),
    creator(
        "efficiency",
        "Efficiency",
        Ratio,
        Higher,
        "net_revenue / commission: net revenue per 1.00 of commission",
        |c| maybe(c.efficiency()),
    ),
    creator(
        "cm",
        "Creator CM",
        Money,
        Higher,
        "the creator's lines' cm1 − commission",
        |c| money(c.cm()),
    ),
    creator(
        "unmatched_rows",
        "Unmatched rows",
        Count,
        Neutral,
        "affiliate rows of the creator with no order line loaded",
        |c| count(c.unmatched_rows),
    ),
];

/// The what-if grid's per-unit outputs (docs/metrics.md §7), in the grid's column order.
pub static UNIT_OUTPUTS: &[UnitOutput] = &[
    unit(
        "net_revenue",
        "Net revenue",
        Money,
        Higher,
        "p (1 − ρ) / (1 + v), p = list price × (1 − seller discount)",
        |u| money(u.outputs.net_revenue),
    ),
    unit(
        "gross_margin_pct",
        "Gross %",
        Percent,
        Higher,
        "gross_profit / net_revenue per unit",
        |u| maybe(u.outputs.gross_margin_pct),
    ),
    unit(
        "cm1",
        "CM1",
        Money,
        Higher,
        "net_revenue − cogs − platform fee − fulfilment − shipping per unit − returns cost",
        |u| money(u.outputs.cm1),
    ),
    unit(
        "cm2",
        "CM2",
        Money,
        Higher,
        "cm1 − commission − ad spend per unit − sample cost per unit",
        |u| money(u.outputs.cm2),
    ),
    unit(
        "cm2_pct",
        "CM2 %",
        Percent,
        Higher,
        "cm2 / net_revenue per unit",
        |u| maybe(u.outputs.cm2_pct),
    ),
    unit(
        "net_profit",
        "Net",
        Money,
        Higher,
        "cm2 − overhead per unit",
        |u| money(u.outputs.net_profit),
    ),
    unit(
        "net_margin_pct",
        "Net %",
        Percent,
        Higher,
        "net_profit / net_revenue per unit",
        |u| maybe(u.outputs.net_margin_pct),
    ),
    unit(
        "markup_pct",
        "Markup %",
        Percent,
        Higher,
        "(net price before VAT − unit cost) / unit cost",
        |u| maybe(u.outputs.markup_pct),
    ),
    unit(
        "break_even_price",
        "Break-even price",
        Money,
        Lower,
        "the list price at which cm2 = 0",
        |u| maybe(u.break_even_price),
    ),
    unit(
        "break_even_roas",
        "Break-even ROAS",
        Ratio,
        Lower,
        "net_revenue / cm1 per unit",
        |u| maybe(u.outputs.break_even_roas),
    ),
];

/// The entry of `table` called `key`.
pub fn find<S>(table: &'static [Metric<S>], key: &str) -> Option<&'static Metric<S>> {
    table.iter().find(|m| m.key == key)
}

/// The [`FIGURES`] entry called `key`; `None` for an unknown key.
pub fn figure(key: &str) -> Option<&'static Figure> {
    find(FIGURES, key)
}

/// The [`CREATOR_FIGURES`] entry called `key`; `None` for an unknown key.
pub fn creator_figure(key: &str) -> Option<&'static CreatorFigure> {
    find(CREATOR_FIGURES, key)
}

/// The [`UNIT_OUTPUTS`] entry called `key`; `None` for an unknown key.
pub fn unit_output(key: &str) -> Option<&'static UnitOutput> {
    find(UNIT_OUTPUTS, key)
}

/// The index of `key` in `table` (usable in constants: [`metric!`](crate::metric) is built on it).
pub const fn position<S>(table: &[Metric<S>], key: &str) -> Option<usize> {
    let mut i = 0;
    while i < table.len() {
        if same(table[i].key.as_bytes(), key.as_bytes()) {
            return Some(i);
        }
        i += 1;
    }
    None
}

const fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The entry of a registry table (`FIGURES`, `CREATOR_FIGURES`, `UNIT_OUTPUTS`) called `key`, as a
/// `&'static Metric`, checked when compiling: an unknown key is a compile error.
///
/// ```
/// let cm2 = margin_engine::metric!(FIGURES, "cm2");
/// let cm = margin_engine::metric!(CREATOR_FIGURES, "cm");
/// let price = margin_engine::metric!(UNIT_OUTPUTS, "break_even_price");
/// assert_eq!((cm2.label, cm.label, price.label), ("CM2", "Creator CM", "Break-even price"));
/// ```
#[macro_export]
macro_rules! metric {
    ($table:ident, $key:expr) => {{
        // Evaluated when compiling: the panic is a compile error naming the key, never a run-time one.
        #[allow(clippy::panic)]
        const INDEX: usize = match $crate::registry::position($crate::registry::$table, $key) {
            Some(i) => i,
            None => panic!(concat!("no such registry key in ", stringify!($table), ": ", $key)),
        };
        &$crate::registry::$table[INDEX]
    }};
}

/// The registry as docs/metrics.md shows it, between `<!-- registry:begin -->` and
/// `<!-- registry:end -->` (crates/engine/tests/registry.rs checks the file holds exactly this).
pub fn markdown() -> String {
    let mut s = String::new();
    section(
        &mut s,
        "Order-line figures: `totals`, `skus`, `product_groups`, `channels`, `days`, `previous.totals`",
        FIGURES,
    );
    s.push('\n');
    section(&mut s, "Creator figures: `creators`", CREATOR_FIGURES);
    s.push('\n');
    section(
        &mut s,
        "What-if outputs, per unit (the what-if grid)",
        UNIT_OUTPUTS,
    );
    s
}

fn section<S>(s: &mut String, title: &str, table: &[Metric<S>]) {
    s.push_str(&format!("#### {title}\n\n"));
    s.push_str("| key | label | unit | better | definition | see |\n");
    s.push_str("|---|---|---|---|---|---|\n");
    for m in table {
        s.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            m.key,
            m.label.replace('|', "\\|"),
            m.unit.name(),
            m.better.name(),
            m.definition.replace('|', "\\|"),
            m.section
        ));
    }
}
