//! The cube: every line's figures summed into cells once ([`Cube::build`]), and any period's analysis
//! summed from them ([`Cube::analyse`]).

use super::allocation::{SpendRow, allocate, period_spend, spend_rows};
use super::figures::LineFigures;
use super::finance_match::FinanceIndex;
use super::gather::{CreatorCell, GatherContext, Gathered, channel_name, in_runs};
use super::keys::{CellKey, ContentIdx, CreatorIdx, FeeSums, GroupIdx, ReturnedLine, SkuIdx};
use super::line::{LineContext, line_figures, unmatched_figures};
use super::rollup::{
    DAY_ORDERS_ALWAYS, DayOrders, Distinct, Group, Roll, Selection, count_day_orders, push_order,
};
use super::{AdsSource, Analysis, SkuFigures, SkuReturns};
use crate::costs::CostsTable;
use crate::coverage::{Coverage, DataKind};
use crate::fees::FeeRule;
use crate::ledger::{AffiliateRow, AffiliateStatus, Joined, Ledger, LineStatus, OrderLine};
use crate::money::Currency;
use crate::settings::Settings;
use crate::sort_dyn::SortDyn;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;

/// Every line's figures summed by (SKU, order date, channel) and by (creator, order date): what does
/// not depend on the period. Built once per set of files, costs and settings ([`Cube::build`], the
/// cost of a pass over every line); any period's analysis is then summed from its cells
/// ([`Cube::analyse`], the cost of a pass over the period's cells, not its lines), which is what makes
/// a period change fast on a million lines. It owns everything it needs (no borrow of the ledger), so
/// the page's engine worker keeps it between requests.
///
/// What the period decides is applied to cells, not lines: ad spend and other marketing of a day are
/// spread by the cells' share of that day's net sales, spend on days without sales, per-SKU spend and
/// overhead by their share of the period's (docs/metrics.md §3). Every share is linear in net sales, so a
/// cell gets the sum of its lines' shares (exactly, up to Decimal's 28th digit). Creator figures carry
/// no spend or overhead: the creator P&L (docs/metrics.md §5) stops at commission.
#[derive(Debug, Clone, Default)]
pub struct Cube {
    pub(super) skus: Vec<SkuFigures>,
    pub(super) sku_categories: Vec<String>,
    pub(super) days: Vec<NaiveDate>,
    pub(super) channels: Vec<String>,
    pub(super) cells: Vec<(CellKey, Group)>,
    /// Orders numbered (order lines' and unmatched affiliate rows'): the size of a distinct count.
    pub(super) orders: usize,
    /// Each SKU's product group.
    pub(super) sku_group: Vec<GroupIdx>,
    pub(super) groups: Vec<String>,
    /// Distinct orders and affiliate orders per breakdown group and day, when every order's lines
    /// share one order date (as in every export: the creation time is the order's). Then a group's
    /// orders over any period are the sum of its days' and no order list is walked per request;
    /// otherwise they are counted per request.
    pub(super) day_orders: Option<DayOrders>,
    pub(super) creators: Vec<String>,
    pub(super) creator_cells: Vec<((CreatorIdx, NaiveDate), CreatorCell)>,
    /// The creators' sums by (creator, Content ID, SKU, day) (docs/metrics.md §11).
    pub(super) contents: Vec<String>,
    pub(super) content_cells: Vec<(NumberedContentKey, CreatorCell)>,
    /// GMV (less cancellations) and CM1 of the lines created in each 10 minutes, by time.
    pub(super) windows: Vec<(chrono::NaiveDateTime, Decimal, Decimal)>,
    pub(super) fee_checks: Vec<OrderFees>,
    /// Each order's buyer number (`u32::MAX`: none) and the number of buyers (docs/metrics.md §2:
    /// repeat buyers); empty when no Orders export names buyers.
    pub(super) order_buyer: Vec<u32>,
    pub(super) buyers: usize,
    /// Estimated vs settled cash (docs/metrics.md §6), when a finance export is loaded.
    pub(super) cash: super::cash::CashCube,
    pub(super) returned: Vec<ReturnedLine<String>>,
    pub(super) spend: Vec<SpendRow>,
    pub(super) ads_source: AdsSource,
    pub(super) has_affiliate: bool,
    /// The GMV Max creatives' spend per product (docs/metrics.md §3), added by `attach_gmv_max`.
    pub(super) product_ads: super::product_ads::CubeProducts,
}

/// A period's cells and their allocations ([`Cube::allocate_period`]).
pub(super) struct PeriodAllocation<'c> {
    pub(super) sel: Selection<'c>,
    pub(super) spend: super::allocation::PeriodSpend,
    pub(super) products: super::product_ads::ProductCharges,
    /// What each cell of `sel` is allocated (positions as in `sel.cells`).
    pub(super) extra: Vec<super::allocation::Allocated>,
    pub(super) charged: super::product_ads::Charged,
    pub(super) custom_costs: Vec<super::CustomCostAmount>,
}

/// One order's modelled and actual fees on one order date (the lines matched to a finance export).
#[derive(Debug, Clone)]
pub(super) struct OrderFees {
    pub(super) order_id: String,
    pub(super) day: NaiveDate,
    pub(super) fees: FeeSums,
}

/// No line: an order none of whose lines is sold or returned ([`Orders`]).
const NO_LINE: u32 = u32::MAX;

/// The orders of the ledger, numbered once in first-seen order, and each line's order number.
pub(super) struct Orders {
    /// Per order: gross sales of its sold and returned lines (for shares of order-level money).
    gross: Vec<Decimal>,
    /// Per order: its first sold or returned line ([`NO_LINE`]: none). Apart from `gross` (20 bytes an
    /// order together, where `(Decimal, Option<usize>)` took 24 in wasm32), so that each list fits a
    /// hole the import's freed tail left in the heap instead of growing the wasm memory (1 GB: 33 MB
    /// together, the hole 32 MB).
    first: Vec<u32>,
    of_line: Vec<u32>,
}

/// The hash an Order ID is filed under in an [`OrderIndex`].
fn order_hash(order_id: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    order_id.hash(&mut h);
    h.finish()
}

/// The orders by Order ID: a hash table of the position of each order's first line (4 bytes a
/// slot), compared on that line's Order ID, the order's number being that line's
/// ([`Orders::of_line`]). An order only an unmatched affiliate row names is filed at a position past
/// the lines, compared on that row's ID. A map holding the `&str` keys took 12 bytes a slot in wasm32
/// (about 55 MB at two million lines), and a list of each order's first line 4 bytes an order more.
pub(super) struct OrderIndex<'a> {
    table: hashbrown::HashTable<u32>,
    lines: &'a [&'a OrderLine],
    /// Orders numbered from the lines (numbers `0..line_orders`).
    line_orders: usize,
    /// The IDs of the orders numbered after the lines' (filed at position `lines.len() + k`,
    /// numbered `line_orders + k`).
    extra: Vec<&'a str>,
}

impl<'a> OrderIndex<'a> {
    /// Orders numbered in all.
    pub(super) fn len(&self) -> usize {
        self.line_orders + self.extra.len()
    }

    /// The Order ID filed at position `p` ("" past the end, which is never stored).
    fn key(lines: &[&'a OrderLine], extra: &[&'a str], p: u32) -> &'a str {
        let p = p as usize;
        match lines.get(p) {
            Some(l) => l.order_id.as_str(),
            None => extra
                .get(p.saturating_sub(lines.len()))
                .copied()
                .unwrap_or(""),
        }
    }

    /// The position `order_id` is filed at, if it is.
    fn find(&self, hash: u64, order_id: &str) -> Option<u32> {
        let (lines, extra) = (self.lines, &self.extra);
        self.table
            .find(hash, |&p| Self::key(lines, extra, p) == order_id)
            .copied()
    }

    /// Files position `p` under `hash`.
    fn insert(&mut self, hash: u64, p: u32) {
        let (lines, extra) = (self.lines, &self.extra);
        self.table
            .insert_unique(hash, p, |&q| order_hash(Self::key(lines, extra, q)));
    }

    /// The number of `order_id` (`of_line`: each line's order number), numbering it next when no
    /// line is of it.
    pub(super) fn number(&mut self, order_id: &'a str, of_line: &[u32]) -> u32 {
        let hash = order_hash(order_id);
        let n_lines = self.lines.len();
        let number = |p: usize, line_orders: usize| match of_line.get(p) {
            Some(&n) if p < n_lines => n,
            _ => u32::try_from(line_orders + p.saturating_sub(n_lines)).unwrap_or(u32::MAX),
        };
        if let Some(p) = self.find(hash, order_id) {
            return number(p as usize, self.line_orders);
        }
        let p = n_lines + self.extra.len();
        self.extra.push(order_id);
        self.insert(hash, u32::try_from(p).unwrap_or(u32::MAX));
        number(p, self.line_orders)
    }
}

/// Numbers the orders of `ledger` (one hash lookup per line in all); with the order numbers by
/// Order ID.
fn number_orders<'a>(ledger: &'a Ledger<'a>) -> (Orders, OrderIndex<'a>) {
    let lines: &'a [&'a OrderLine] = ledger.lines();
    // At most one order per run of lines of the same Order ID (an order's first line starts a run):
    // one allocation of the right size instead of a rehash or a copy at every doubling, and about
    // the orders' size rather than the lines' when an order's lines are adjacent, as in exports.
    let runs = lines
        .iter()
        .zip(lines.iter().skip(1))
        .filter(|(a, b)| a.order_id != b.order_id)
        .count()
        + usize::from(!lines.is_empty());
    let mut index = OrderIndex {
        table: hashbrown::HashTable::with_capacity(runs),
        lines,
        line_orders: 0,
        extra: Vec::new(),
    };
    let mut gross: Vec<Decimal> = Vec::with_capacity(runs);
    let mut first: Vec<u32> = Vec::with_capacity(runs);
    let mut of_line: Vec<u32> = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        // The ledger holds fewer than 2^32 lines.
        let at = u32::try_from(i).unwrap_or(NO_LINE);
        let hash = order_hash(&line.order_id);
        let n = match index.find(hash, &line.order_id) {
            Some(p) => of_line.get(p as usize).copied().unwrap_or(u32::MAX),
            None => {
                let n = u32::try_from(gross.len()).unwrap_or(u32::MAX);
                gross.push(Decimal::ZERO);
                first.push(NO_LINE);
                index.insert(hash, at);
                n
            }
        };
        of_line.push(n);
        if matches!(line.status, LineStatus::Sold | LineStatus::Returned)
            && let (Some(g), Some(f)) = (gross.get_mut(n as usize), first.get_mut(n as usize))
        {
            *g += line.gross_sales();
            if *f == NO_LINE {
                *f = at;
            }
        }
    }
    index.line_orders = gross.len();
    (
        Orders {
            gross,
            first,
            of_line,
        },
        index,
    )
}

/// What the per-line pass needs that is made once per ledger: the market and its fee rules, the
/// orders numbered, the finance rows indexed.
pub(super) struct LineSetup<'a> {
    pub(super) market: String,
    pub(super) market_rules: Vec<FeeRule>,
    pub(super) orders: Orders,
    pub(super) order_index: OrderIndex<'a>,
    pub(super) finance: FinanceIndex<'a>,
}

impl<'a> LineSetup<'a> {
    pub(super) fn new(ledger: &'a Ledger<'a>, settings: &Settings, currency: Currency) -> Self {
        let market = settings.market_of(currency);
        let (orders, order_index) = number_orders(ledger);
        let finance = FinanceIndex::new(ledger);
        let market_rules: Vec<FeeRule> = settings
            .fee_rules
            .iter()
            .filter(|r| r.market.trim().eq_ignore_ascii_case(market.trim()))
            .cloned()
            .collect();
        LineSetup {
            market,
            market_rules,
            orders,
            order_index,
            finance,
        }
    }
}

/// What every line's computation shares.
pub(super) struct LinePass<'a> {
    pub(super) costs: &'a CostsTable,
    pub(super) settings: &'a Settings,
    pub(super) market: &'a str,
    pub(super) market_rules: &'a [FeeRule],
    pub(super) orders: &'a Orders,
    pub(super) finance: &'a FinanceIndex<'a>,
    pub(super) per_line: &'a [Vec<&'a AffiliateRow>],
}

impl LinePass<'_> {
    /// Line `i`'s own figures.
    // One copy for the cube and the warehouse records (docs/performance.md "Bundle size": inlined
    // into both, it cost the page tens of kilobytes).
    #[inline(never)]
    pub(super) fn figures(&self, i: usize, line: &OrderLine) -> LineFigures {
        let (order_total, first) = self
            .orders
            .of_line
            .get(i)
            .and_then(|&n| {
                let n = n as usize;
                Some((*self.orders.gross.get(n)?, *self.orders.first.get(n)?))
            })
            .map_or((Decimal::ZERO, i), |(gross, first)| {
                (gross, if first == NO_LINE { i } else { first as usize })
            });
        let order_part = (line.gross_sales(), order_total);
        let rows: &[&AffiliateRow] = self.per_line.get(i).map_or(&[], Vec::as_slice);
        let ctx = LineContext {
            costs: self.costs,
            settings: self.settings,
            market: self.market,
            market_rules: self.market_rules,
            order_part,
            first_of_order: first == i,
            order_shipping: line.order_shipping,
            order_taxes: line.order_taxes,
            finance: self.finance.share(line, order_part),
        };
        line_figures(line, rows, &ctx)
    }
}

/// The order number of each affiliate row of `unmatched` that is not unpaid, in order ([`add_unmatched`]
/// reads them); the orders no line is of are numbered after the lines'.
fn number_unmatched<'a>(
    unmatched: &[&'a AffiliateRow],
    order_index: &mut OrderIndex<'a>,
    of_line: &[u32],
) -> Vec<u32> {
    unmatched
        .iter()
        .filter(|row| row.status != AffiliateStatus::Unpaid)
        .map(|row| order_index.number(row.order_id.as_str(), of_line))
        .collect()
}

/// Adds the affiliate rows whose order line is not loaded to their creators' cells: they count for
/// their creators. Unpaid orders carry no money (docs/metrics.md §1), whichever export shows them.
/// `orders`: their order numbers ([`number_unmatched`]).
pub(super) fn add_unmatched<'a>(
    g: &mut Gathered<'a>,
    unmatched: Vec<&'a AffiliateRow>,
    orders: &[u32],
    costs: &CostsTable,
    market_vat: Decimal,
) {
    let rows = unmatched
        .into_iter()
        .filter(|row| row.status != AffiliateStatus::Unpaid);
    for (row, &order) in rows.zip(orders) {
        let t = g.channel(channel_name(row));
        let figures = unmatched_figures(row, costs, market_vat);
        let counts = row.status != AffiliateStatus::Ineligible || row.fully_returned;
        let day = row.created.date();
        let c = g.creator_cell((row.creator.as_str(), day));
        let add = |cell: &mut CreatorCell| {
            if !cell.types.contains(&t) {
                cell.types.push(t);
            }
            cell.figures.add(&figures);
            cell.unmatched_rows += 1;
            if counts {
                push_order(&mut cell.orders, order);
            }
        };
        if let Some((_, cell)) = g.creator_cells.get_mut(c) {
            add(cell);
        }
        let c = g.content_cell((row.creator.as_str(), row.content_id.as_str(), None, day));
        if let Some((_, cell)) = g.content_cells.get_mut(c) {
            add(cell);
        }
    }
}

/// Each SKU's product group, and the groups in first-seen order.
fn number_groups(skus: &[SkuFigures]) -> (Vec<GroupIdx>, Vec<String>) {
    let mut group_no: HashMap<&str, GroupIdx> = HashMap::default();
    let mut groups: Vec<String> = Vec::new();
    let sku_group = skus
        .iter()
        .map(|s| {
            *group_no.entry(s.product_group.as_str()).or_insert_with(|| {
                groups.push(s.product_group.clone());
                GroupIdx(groups.len() - 1)
            })
        })
        .collect();
    (sku_group, groups)
}

/// A content cell's key in the cube: creator, content, SKU (none for an unmatched row), day.
pub(super) type NumberedContentKey = (CreatorIdx, ContentIdx, Option<SkuIdx>, NaiveDate);

/// The creators' cells keyed by creator number, the creators in first-seen order, the content cells
/// keyed by creator and content number, and the contents.
struct NumberedCreators {
    cells: Vec<((CreatorIdx, NaiveDate), CreatorCell)>,
    creators: Vec<String>,
    content_cells: Vec<(NumberedContentKey, CreatorCell)>,
    contents: Vec<String>,
}

/// Numbers the creators of `creator_cells` and the creators and contents of `content_cells`.
fn number_creators(
    creator_cells: Vec<((&str, NaiveDate), CreatorCell)>,
    content_cells: Vec<(super::gather::ContentKey<'_>, CreatorCell)>,
) -> NumberedCreators {
    let mut creator_no: HashMap<&str, CreatorIdx> = HashMap::default();
    let mut creators: Vec<String> = Vec::new();
    let mut number = |name| {
        *creator_no.entry(name).or_insert_with(|| {
            creators.push(name.to_string());
            CreatorIdx(creators.len() - 1)
        })
    };
    let cells = creator_cells
        .into_iter()
        .map(|((name, day), cell)| ((number(name), day), cell))
        .collect();
    let mut content_no: HashMap<&str, ContentIdx> = HashMap::default();
    let mut contents: Vec<String> = Vec::new();
    let content_cells = content_cells
        .into_iter()
        .map(|((name, content, sku, day), cell)| {
            let c = *content_no.entry(content).or_insert_with(|| {
                contents.push(content.to_string());
                ContentIdx(contents.len() - 1)
            });
            ((number(name), c, sku, day), cell)
        })
        .collect();
    NumberedCreators {
        cells,
        creators,
        content_cells,
        contents,
    }
}

/// True when every order's lines share one order date (`of_line`: each line's order number, below
/// `line_orders`).
fn one_day_orders(lines: &[&OrderLine], of_line: &[u32], line_orders: usize) -> bool {
    let mut day_of_order: Vec<Option<NaiveDate>> = vec![None; line_orders];
    lines.iter().zip(of_line).all(|(l, &n)| {
        let d = l.created.date();
        day_of_order
            .get_mut(n as usize)
            .is_some_and(|slot| *slot.get_or_insert(d) == d)
    })
}

impl Cube {
    /// Computes every line's figures once (fees, costs, commissions, finance matches) and sums them
    /// into cells; `threads` as in [`super::analyse_with_threads`].
    pub fn build(
        ledger: &Ledger,
        costs: &CostsTable,
        settings: &Settings,
        currency: Currency,
        threads: usize,
    ) -> Cube {
        Cube::build_joined(
            ledger,
            ledger.join_affiliate(),
            costs,
            settings,
            currency,
            threads,
        )
    }

    /// [`Cube::build`] with the affiliate rows already joined to the lines (so that the ledger's
    /// keys can be released first, [`Ledger::release_keys`]).
    pub fn build_joined(
        ledger: &Ledger,
        joined: Joined<'_>,
        costs: &CostsTable,
        settings: &Settings,
        currency: Currency,
        threads: usize,
    ) -> Cube {
        let Joined {
            per_line,
            unmatched,
        } = joined;
        let LineSetup {
            market,
            market_rules,
            mut orders,
            mut order_index,
            finance,
        } = LineSetup::new(ledger, settings, currency);
        // The orders only unmatched affiliate rows name are numbered now, so that the index of the
        // orders is freed before the per-line pass (its peak).
        let unmatched_orders = number_unmatched(&unmatched, &mut order_index, &orders.of_line);
        let n_orders = order_index.len();
        drop(order_index);

        // Each line's own figures, added to its cells as soon as they are made (never stored), on
        // `threads` threads over consecutive runs of lines joined in order.
        let lines: &[&OrderLine] = ledger.lines();
        let pass = LinePass {
            costs,
            settings,
            market: &market,
            market_rules: &market_rules,
            orders: &orders,
            finance: &finance,
            per_line: &per_line,
        };
        let gather_ctx = GatherContext {
            costs,
            per_line: &per_line,
            order_of_line: &orders.of_line,
            cash: !ledger.finance().is_empty(),
        };
        let gather = |from: usize, to: usize| -> Gathered<'_> {
            let mut g = Gathered::default();
            for (k, line) in lines.get(from..to).unwrap_or(&[]).iter().enumerate() {
                g.add_line(from + k, line, &pass.figures(from + k, line), &gather_ctx);
            }
            g
        };
        let mut g = in_runs(threads, lines.len(), &gather, Gathered::append);
        add_unmatched(
            &mut g,
            unmatched,
            &unmatched_orders,
            costs,
            settings.vat_rate_for(&market),
        );
        // The orders' sums are the per-line pass's: freed before the cube is assembled.
        let line_orders = orders.gross.len();
        orders.gross = Vec::new();
        orders.first = Vec::new();
        let (spend, ads_source) = spend_rows(ledger);
        Cube::assemble(
            g,
            lines,
            (&orders.of_line, line_orders),
            n_orders,
            spend,
            ads_source,
            ledger,
        )
    }

    /// The cube of the gathered cells: groups and creators numbered, orders counted per day when
    /// that pays.
    fn assemble(
        g: Gathered<'_>,
        lines: &[&OrderLine],
        (of_line, line_orders): (&[u32], usize),
        n_orders: usize,
        spend: Vec<SpendRow>,
        ads_source: AdsSource,
        ledger: &Ledger,
    ) -> Cube {
        let Gathered {
            skus,
            sku_categories,
            days,
            channels,
            cells,
            creator_cells,
            content_cells,
            fee_checks,
            windows,
            returned,
            cash,
            ..
        } = g;
        let mut windows: Vec<(chrono::NaiveDateTime, Decimal, Decimal)> =
            windows.into_iter().map(|(t, (g, c))| (t, g, c)).collect();
        windows.sort_by_key_dyn(|w| w.0);
        let (sku_group, groups) = number_groups(&skus);
        // Per-day counts pay when cells hold several lines each; when nearly every line has a cell of
        // its own (many SKUs each selling about once a day), they would hold about four entries per
        // line for nothing: then orders are counted per request, which costs the same.
        let worth_it =
            cells.len() < DAY_ORDERS_ALWAYS || cells.len().saturating_mul(4) <= lines.len();
        let day_orders = (one_day_orders(lines, of_line, line_orders) && worth_it)
            .then(|| count_day_orders(&cells, &sku_group, n_orders));
        let (order_buyer, buyers) = super::buyers::number_buyers(lines, of_line, n_orders);
        let NumberedCreators {
            cells: creator_cells,
            creators,
            content_cells,
            contents,
        } = number_creators(creator_cells, content_cells);
        Cube {
            sku_categories: sku_categories.iter().map(|c| (*c).to_string()).collect(),
            skus,
            days,
            channels: channels.iter().map(|c| (*c).to_string()).collect(),
            cells,
            orders: n_orders,
            sku_group,
            groups,
            day_orders,
            creators,
            creator_cells,
            contents,
            content_cells,
            windows,
            order_buyer,
            buyers,
            cash: super::cash::CashCube::new(cash, ledger),
            fee_checks: fee_checks
                .into_iter()
                .map(|((o, day), fees)| OrderFees {
                    order_id: o.to_string(),
                    day,
                    fees,
                })
                .collect(),
            returned: returned
                .into_iter()
                .map(|r| ReturnedLine {
                    sku: r.sku,
                    day: r.day,
                    order_id: r.order_id.to_string(),
                })
                .collect(),
            spend,
            ads_source,
            has_affiliate: !ledger.affiliate().is_empty(),
            product_ads: Default::default(),
        }
    }

    /// GMV (less cancellations) and CM1 of the order lines created from `from` to `to`, to the 10
    /// minutes (every line of the 10 minutes `from` falls in counts); `None` when no line was created
    /// then (docs/metrics.md §11: a LIVE session's window).
    pub fn created_between(
        &self,
        from: chrono::NaiveDateTime,
        to: chrono::NaiveDateTime,
    ) -> Option<(Decimal, Decimal)> {
        let start = super::gather::ten_minutes(from);
        let i = self.windows.partition_point(|w| w.0 < start);
        let mut sum: Option<(Decimal, Decimal)> = None;
        for (_, g, c) in self.windows.get(i..)?.iter().take_while(|w| w.0 <= to) {
            let s = sum.get_or_insert_default();
            s.0 += *g;
            s.1 += *c;
        }
        sum
    }

    /// Whether any affiliate row is loaded (matched or not).
    pub fn has_affiliate(&self) -> bool {
        self.has_affiliate
    }

    /// Per SKU (by SKU ID) over the order dates `from..=to`: units returned and shipped on sold and
    /// returned lines, and the orders of the returned ones. SKUs without such a line are left out.
    pub fn returns_between(&self, from: NaiveDate, to: NaiveDate) -> Vec<SkuReturns> {
        let within = |d: NaiveDate| d >= from && d <= to;
        let mut per_sku: BTreeMap<SkuIdx, (i64, i64)> = BTreeMap::new();
        for (key, g) in &self.cells {
            if key.day.of(&self.days).is_some_and(|d| within(*d)) {
                let e = per_sku.entry(key.sku).or_default();
                e.0 += g.figures.units_returned;
                e.1 += g.figures.units_sold + g.figures.units_returned;
            }
        }
        let mut out: Vec<SkuReturns> = per_sku
            .into_iter()
            .filter(|(_, (_, shipped))| *shipped != 0)
            .filter_map(|(si, (returned, shipped))| {
                Some(SkuReturns {
                    sku_id: si.of(&self.skus)?.sku_id.clone(),
                    category: si.of(&self.sku_categories).cloned().unwrap_or_default(),
                    units_returned: returned,
                    units_shipped: shipped,
                    orders: self
                        .returned
                        .iter()
                        .filter(|r| r.sku == si && within(r.day))
                        .map(|r| r.order_id.clone())
                        .collect(),
                })
            })
            .collect();
        out.sort_by_dyn(|a, b| a.sku_id.cmp(&b.sku_id));
        out
    }

    /// The cells of `period` and what each is allocated of its money (docs/metrics.md §3): product-level
    /// spend first, then the daily spread, per-SKU spend and overhead, then the seller's custom costs
    /// (after every ad spend: a percentage of it reads it).
    pub(super) fn allocate_period(
        &self,
        settings: &Settings,
        period: Option<(NaiveDate, NaiveDate)>,
        in_period: &dyn Fn(NaiveDate) -> bool,
    ) -> PeriodAllocation<'_> {
        let sel = Selection::new(self, in_period);
        let spend = period_spend(&self.spend, settings, in_period);
        let overhead_period = period.or(sel.first_last).unwrap_or_default();
        let products = self
            .product_ads
            .charges(period, self.ads_source != AdsSource::GmvMaxDetail);
        let (mut extra, charged) = allocate(
            &sel,
            &self.days,
            &self.skus,
            settings,
            &spend,
            &products,
            overhead_period,
        );
        let custom_costs =
            super::custom_costs::allocate(&sel, settings, overhead_period, &mut extra);
        PeriodAllocation {
            sel,
            spend,
            products,
            extra,
            charged,
            custom_costs,
        }
    }

    /// Every figure over the order dates within `period` (inclusive; `None` = all), with the spend and
    /// overhead of `settings` allocated (the other settings were applied by [`Cube::build`]). Every
    /// day counts as covered: [`Cube::analyse_covered`] with no coverage.
    pub fn analyse(&self, settings: &Settings, period: Option<(NaiveDate, NaiveDate)>) -> Analysis {
        self.analyse_covered(settings, period, &Coverage::default())
    }

    /// [`Cube::analyse`] under the loaded files' coverage (docs/metrics.md §9): creator figures count
    /// the affiliate rows of days the Orders exports cover (the rest are counted in
    /// `creators_excluded`), and the channel split and `cross_totals` use the days both the Orders and
    /// the Affiliate exports cover. A kind not in `coverage` is no constraint.
    pub fn analyse_covered(
        &self,
        settings: &Settings,
        period: Option<(NaiveDate, NaiveDate)>,
        coverage: &Coverage,
    ) -> Analysis {
        let in_period = |d: NaiveDate| period.is_none_or(|(from, to)| d >= from && d <= to);
        let orders = coverage.get(DataKind::Orders);
        let creator_day = |d: NaiveDate| orders.is_none_or(|o| o.covers(d));
        let joined = coverage.joined();
        let joined_day = |d: NaiveDate| joined.as_ref().is_none_or(|j| j.covers(d));
        let PeriodAllocation {
            sel,
            mut spend,
            products,
            extra,
            charged,
            custom_costs,
        } = self.allocate_period(settings, period, &in_period);
        if let Some(g) = products.undated_gross_revenue() {
            *spend.ads_gross_revenue.get_or_insert(Decimal::ZERO) += g;
        }
        // Roll the cells up into every breakdown.
        let mut roll = Roll {
            sel: &sel,
            extra: &extra,
            day_orders: self.day_orders.as_ref(),
            distinct: Distinct::new(self.orders),
            buyers: super::buyers::BuyerCount::new(&self.order_buyer, self.buyers),
        };
        let all: Vec<usize> = (0..sel.cells.len()).collect();
        let totals = roll.figures(&all, super::keys::Breakdown::Total);
        let skus = self.roll_skus(&mut roll);
        let product_groups = self.roll_groups(&mut roll);
        let days = self.roll_days(&mut roll);
        let (channels, channel_days) = self.roll_channels(&mut roll, &joined_day);
        let cross_totals = joined
            .as_ref()
            .and_then(|_| self.cross_totals(&mut roll, &joined_day));
        let (creators, unmatched_affiliate_rows, creators_excluded) =
            self.roll_creators(&in_period, &creator_day, &mut roll.distinct);
        let (contents, creator_products) =
            self.roll_contents(&in_period, &creator_day, &mut roll.distinct);
        Analysis {
            period: period.or(sel.first_last),
            totals,
            skus,
            product_groups,
            creators,
            contents,
            creator_products,
            channels,
            days,
            channel_days,
            unmatched_affiliate_rows,
            creators_excluded,
            cross_totals,
            fee_checks: self.period_fee_checks(&in_period),
            cash: self.cash.analyse(&in_period),
            custom_costs,
            ad_spend_by_day: spend.ad_spend_by_day,
            ads_gross_revenue: spend.ads_gross_revenue,
            ads_source: self.ads_source,
            product_ads: self.product_ads.result(&products, &charged),
        }
    }
}
