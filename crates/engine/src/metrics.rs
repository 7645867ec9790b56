//! Figures of METRICS.md §1–§5 computed from the ledger under the costs table: totals, and the same
//! figures per SKU, product group, creator, channel and day. One pass computes each line's figures once
//! and adds them to every group the line belongs to, so groups always sum to the totals exactly.

use crate::costs::CostsTable;
use crate::fees::{LineFeeInput, line_fee_sums};
use crate::ledger::{
    AffiliateRow, AffiliateStatus, FinanceRow, Joined, Ledger, LineStatus, OrderLine,
};
use crate::money::{Currency, percent_points, share};
use crate::settings::Settings;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;

/// Sums of one group of lines. Exact; nothing is rounded here. Serialisable so that the page's worker
/// can hand an analysis to the page (amounts as exact decimal strings).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Figures {
    /// Σ gross_sales over paid, non-sample lines, cancelled and returned ones included.
    pub gmv: Decimal,
    /// Σ gross_sales of cancelled lines.
    pub cancelled_sales: Decimal,
    /// Σ gross_sales × units_returned / Quantity over returned lines.
    pub refunds: Decimal,
    /// VAT inside net_sales where prices include VAT.
    pub output_vat: Decimal,
    /// units_sold × unit cost on the line's date.
    pub cogs: Decimal,
    /// Standard commission of the lines' affiliate rows.
    pub standard_commission: Decimal,
    /// Shop Ads commission of the lines' affiliate rows.
    pub shop_ads_commission: Decimal,
    /// Co-funded creator bonus of the lines' affiliate rows.
    pub creator_bonus: Decimal,
    /// Platform fees: actual (finance export) where matched, else modelled from the fee rules.
    pub platform_fees: Decimal,
    /// The fee rules' figure for every line (for the modelled vs actual comparison).
    pub modelled_fees: Decimal,
    /// Actual fees of the lines matched to a finance export.
    pub actual_fees: Decimal,
    /// Modelled fees of those same matched lines.
    pub modelled_fees_of_matched: Decimal,
    /// Lines whose fees come from a finance export.
    pub lines_with_actual_fees: u64,
    /// Lines with no fee rule for their market and date and no finance row.
    pub lines_without_fee_rule: u64,
    /// Fulfilment (per unit shipped and per order).
    pub fulfillment: Decimal,
    /// Seller-paid shipping.
    pub shipping: Decimal,
    /// Cost of returns: restocking loss, return shipping, refund administration fees.
    pub returns_cost: Decimal,
    /// Ad spend allocated to these lines.
    pub ad_spend: Decimal,
    /// Samples: units × (unit cost + sample shipping).
    pub sample_cost: Decimal,
    /// Other marketing entries allocated to these lines.
    pub other_marketing: Decimal,
    /// Overhead allocated to these lines.
    pub overhead: Decimal,
    /// Actual settlement of the lines matched to a finance export.
    pub actual_settlement: Decimal,
    /// Σ SKU Subtotal Before Discount (list price × units) over sold and returned lines.
    pub list_sales: Decimal,
    /// Σ gross_sales of sold and returned lines that have an affiliate row.
    pub affiliate_sales: Decimal,
    /// Distinct orders with at least one sold or returned line.
    pub orders: u64,
    /// Orders (as above) that have an affiliate row.
    pub affiliate_orders: u64,
    /// Σ Quantity − units_returned over sold and returned lines.
    pub units_sold: i64,
    /// Units returned on returned lines.
    pub units_returned: i64,
    /// Units on sample lines.
    pub sample_units: i64,
    /// Units sold whose SKU has no unit cost (their cost counts 0).
    pub units_without_cost: i64,
    /// Ledger lines (or unmatched affiliate rows) that fed these figures.
    pub lines: u64,
}

impl Figures {
    /// gmv − cancelled_sales − refunds.
    pub fn net_sales(&self) -> Decimal {
        self.gmv - self.cancelled_sales - self.refunds
    }
    /// net_sales − output_vat: the base of every margin percentage.
    pub fn net_revenue(&self) -> Decimal {
        self.net_sales() - self.output_vat
    }
    /// net_revenue − cogs.
    pub fn gross_profit(&self) -> Decimal {
        self.net_revenue() - self.cogs
    }
    /// gross_profit / net_revenue, in percent points with two decimals.
    pub fn gross_margin_pct(&self) -> Option<Decimal> {
        percent_points(self.gross_profit(), self.net_revenue())
    }
    /// gross_profit − platform_fees − fulfillment − shipping − returns_cost.
    pub fn cm1(&self) -> Decimal {
        self.gross_profit()
            - self.platform_fees
            - self.fulfillment
            - self.shipping
            - self.returns_cost
    }
    /// cm1 − affiliate_commission − ad_spend − sample_cost − other_marketing.
    pub fn cm2(&self) -> Decimal {
        self.cm1()
            - self.affiliate_commission()
            - self.ad_spend
            - self.sample_cost
            - self.other_marketing
    }
    /// cm2 − overhead.
    pub fn net_profit(&self) -> Decimal {
        self.cm2() - self.overhead
    }
    /// cm1 / net_revenue, percent points.
    pub fn cm1_pct(&self) -> Option<Decimal> {
        percent_points(self.cm1(), self.net_revenue())
    }
    /// cm2 / net_revenue, percent points.
    pub fn cm2_pct(&self) -> Option<Decimal> {
        percent_points(self.cm2(), self.net_revenue())
    }
    /// net_profit / net_revenue, percent points.
    pub fn net_margin_pct(&self) -> Option<Decimal> {
        percent_points(self.net_profit(), self.net_revenue())
    }
    /// GMV → settlement waterfall's estimate: net_sales − output_vat − platform_fees − commission − shipping.
    pub fn estimated_settlement(&self) -> Decimal {
        self.net_sales()
            - self.output_vat
            - self.platform_fees
            - self.affiliate_commission()
            - self.shipping
    }
    /// (ad_spend + affiliate_commission) / orders.
    pub fn blended_cpo(&self) -> Option<Decimal> {
        (self.orders > 0)
            .then(|| (self.ad_spend + self.affiliate_commission()) / Decimal::from(self.orders))
    }
    /// ad_spend / orders without an affiliate row.
    pub fn paid_cpo(&self) -> Option<Decimal> {
        let n = self.orders.saturating_sub(self.affiliate_orders);
        (n > 0).then(|| self.ad_spend / Decimal::from(n))
    }
    /// net_sales / ad_spend.
    pub fn blended_roas(&self) -> Option<Decimal> {
        // Checked: a huge amount over a tiny share of spend is beyond Decimal's range, not a figure.
        (self.ad_spend > Decimal::ZERO)
            .then(|| self.net_sales().checked_div(self.ad_spend))
            .flatten()
    }
    /// net_revenue / cm1: the ROAS below which ads turn cm2 negative (before other marketing).
    pub fn break_even_roas(&self) -> Option<Decimal> {
        let cm1 = self.cm1();
        (cm1 > Decimal::ZERO)
            .then(|| self.net_revenue().checked_div(cm1))
            .flatten()
    }

    /// Standard + Shop Ads commission + co-funded creator bonus (METRICS.md §3).
    pub fn affiliate_commission(&self) -> Decimal {
        self.standard_commission + self.shop_ads_commission + self.creator_bonus
    }
    /// net_sales / orders (unrounded).
    pub fn aov(&self) -> Option<Decimal> {
        (self.orders > 0).then(|| self.net_sales() / Decimal::from(self.orders))
    }
    /// units_returned / (units_sold + units_returned), percent points.
    pub fn return_rate_pct(&self) -> Option<Decimal> {
        percent_points(
            Decimal::from(self.units_returned),
            Decimal::from(self.units_sold + self.units_returned),
        )
    }
    /// cancelled_sales / gmv, percent points.
    pub fn cancel_rate_pct(&self) -> Option<Decimal> {
        percent_points(self.cancelled_sales, self.gmv)
    }
    /// Share of orders with an affiliate row, percent points.
    pub fn affiliate_share_pct(&self) -> Option<Decimal> {
        percent_points(
            Decimal::from(self.affiliate_orders),
            Decimal::from(self.orders),
        )
    }
    /// True when some sold unit had no cost, so cogs and profit are incomplete.
    pub fn cost_missing(&self) -> bool {
        self.units_without_cost > 0
    }

    fn add(&mut self, l: &LineFigures) {
        self.lines += 1;
        add_nz(&mut self.gmv, l.gmv);
        add_nz(&mut self.cancelled_sales, l.cancelled);
        add_nz(&mut self.refunds, l.refund);
        add_nz(&mut self.output_vat, l.output_vat);
        add_nz(&mut self.cogs, l.cogs);
        add_nz(&mut self.standard_commission, l.standard_commission);
        add_nz(&mut self.shop_ads_commission, l.shop_ads_commission);
        add_nz(&mut self.creator_bonus, l.creator_bonus);
        add_nz(&mut self.list_sales, l.list_sales);
        add_nz(&mut self.affiliate_sales, l.affiliate_sales);
        add_nz(&mut self.platform_fees, l.platform_fees);
        add_nz(&mut self.modelled_fees, l.modelled_fees);
        if let Some(a) = l.actual_fees {
            self.actual_fees += a;
            add_nz(&mut self.modelled_fees_of_matched, l.modelled_fees);
            self.lines_with_actual_fees += 1;
        } else if !l.fee_modelled && l.counts_fee {
            self.lines_without_fee_rule += 1;
        }
        add_nz(&mut self.fulfillment, l.fulfillment);
        add_nz(&mut self.shipping, l.shipping);
        add_nz(&mut self.returns_cost, l.returns_cost);
        add_nz(&mut self.ad_spend, l.ad_spend);
        add_nz(&mut self.sample_cost, l.sample_cost);
        add_nz(&mut self.other_marketing, l.other_marketing);
        add_nz(&mut self.overhead, l.overhead);
        add_nz(&mut self.actual_settlement, l.actual_settlement);
        add_nz(&mut self.units_sold, l.units_sold);
        add_nz(&mut self.units_returned, l.units_returned);
        add_nz(&mut self.sample_units, l.sample_units);
        add_nz(&mut self.units_without_cost, l.units_without_cost);
    }
}

impl Figures {
    /// Adds another group's sums (every field; the sums are exact, so any grouping of the same lines
    /// gives the same figures).
    fn merge(&mut self, o: &Figures) {
        let Figures {
            gmv,
            cancelled_sales,
            refunds,
            output_vat,
            cogs,
            standard_commission,
            shop_ads_commission,
            creator_bonus,
            platform_fees,
            modelled_fees,
            actual_fees,
            modelled_fees_of_matched,
            lines_with_actual_fees,
            lines_without_fee_rule,
            fulfillment,
            shipping,
            returns_cost,
            ad_spend,
            sample_cost,
            other_marketing,
            overhead,
            actual_settlement,
            list_sales,
            affiliate_sales,
            orders,
            affiliate_orders,
            units_sold,
            units_returned,
            sample_units,
            units_without_cost,
            lines,
        } = o;
        self.gmv += gmv;
        self.cancelled_sales += cancelled_sales;
        self.refunds += refunds;
        self.output_vat += output_vat;
        self.cogs += cogs;
        self.standard_commission += standard_commission;
        self.shop_ads_commission += shop_ads_commission;
        self.creator_bonus += creator_bonus;
        self.platform_fees += platform_fees;
        self.modelled_fees += modelled_fees;
        self.actual_fees += actual_fees;
        self.modelled_fees_of_matched += modelled_fees_of_matched;
        self.lines_with_actual_fees += lines_with_actual_fees;
        self.lines_without_fee_rule += lines_without_fee_rule;
        self.fulfillment += fulfillment;
        self.shipping += shipping;
        self.returns_cost += returns_cost;
        self.ad_spend += ad_spend;
        self.sample_cost += sample_cost;
        self.other_marketing += other_marketing;
        self.overhead += overhead;
        self.actual_settlement += actual_settlement;
        self.list_sales += list_sales;
        self.affiliate_sales += affiliate_sales;
        self.orders += orders;
        self.affiliate_orders += affiliate_orders;
        self.units_sold += units_sold;
        self.units_returned += units_returned;
        self.sample_units += sample_units;
        self.units_without_cost += units_without_cost;
        self.lines += lines;
    }
}

/// Adds a non-zero amount (most of a line's figures are zero: skipping them keeps aggregation fast).
fn add_nz<T: std::ops::AddAssign + Default + PartialEq>(acc: &mut T, x: T) {
    if x != T::default() {
        *acc += x;
    }
}

/// A group's sums and the orders behind them (orders numbered once per analysis), for every breakdown
/// alike: totals, SKUs, product groups, days, channels, channel-days.
///
/// Orders are kept as a list of order numbers, counted distinct when the cells are rolled up: a line's
/// order is pushed unless it is the one pushed last (an order's lines are next to each other in an
/// export), which is cheaper than a hash set insert per line and group.
#[derive(Debug, Clone, Default)]
struct Group {
    figures: Figures,
    orders: Vec<u32>,
    affiliate_orders: Vec<u32>,
}

/// Pushes `order` unless it is the last one pushed.
fn push_order(orders: &mut Vec<u32>, order: u32) {
    if orders.last() != Some(&order) {
        orders.push(order);
    }
}

/// What the per-line loop needs besides the line and its figures.
struct GatherContext<'a> {
    costs: &'a CostsTable,
    per_line: &'a [Vec<&'a AffiliateRow>],
    order_of_line: &'a [u32],
}

/// One creator's sums on one day: the lines where the creator's row comes first (their sales), the
/// commission of every row of theirs, their orders and content types (channel numbers).
#[derive(Debug, Clone, Default)]
struct CreatorCell {
    figures: Figures,
    orders: Vec<u32>,
    types: Vec<usize>,
    unmatched_rows: u64,
}

impl CreatorCell {
    fn merge(&mut self, other: CreatorCell, channel_map: &[usize]) {
        self.figures.merge(&other.figures);
        self.orders.extend(other.orders);
        for t in other.types {
            let t = channel_map.get(t).copied().unwrap_or(t);
            if !self.types.contains(&t) {
                self.types.push(t);
            }
        }
        self.unmatched_rows += other.unmatched_rows;
    }
}

/// What the per-line loop gathers over a run of consecutive lines: the SKUs, days and channels in
/// first-seen order, each line added to its (SKU, day, channel) cell and to its creators' (creator,
/// day) cells, the fee checks per order and day, and the returned lines (for alerts). Runs gathered
/// apart (on several threads) and joined in line order with [`Gathered::append`] give what one run over
/// all the lines gives.
#[derive(Default)]
struct Gathered<'a> {
    sku_index: HashMap<&'a str, usize>,
    sku_keys: Vec<&'a str>,
    skus: Vec<SkuFigures>,
    sku_categories: Vec<&'a str>,
    day_index: HashMap<NaiveDate, usize>,
    days: Vec<NaiveDate>,
    channel_index: HashMap<&'a str, usize>,
    channels: Vec<&'a str>,
    cell_index: HashMap<(usize, usize, usize), usize>,
    cells: Vec<((usize, usize, usize), Group)>,
    creator_index: HashMap<(&'a str, NaiveDate), usize>,
    creator_cells: Vec<((&'a str, NaiveDate), CreatorCell)>,
    fee_checks: BTreeMap<(&'a str, NaiveDate), (Decimal, Decimal)>,
    /// Returned lines: (SKU number, day, Order ID), in line order.
    returned: Vec<(usize, NaiveDate, &'a str)>,
    /// The last line's SKU and day and their indexes: consecutive lines often share them.
    last_sku: Option<(&'a str, usize)>,
    last_day: Option<(NaiveDate, usize)>,
}

impl<'a> Gathered<'a> {
    fn sku(&mut self, line: &'a OrderLine, costs: &CostsTable) -> usize {
        if let Some((k, si)) = self.last_sku
            && k == &*line.sku_id
        {
            return si;
        }
        let next = self.skus.len();
        let si = *self.sku_index.entry(&*line.sku_id).or_insert(next);
        if si == next {
            let group = costs
                .product_group(&line.sku_id, &line.seller_sku)
                .map_or_else(|| line.product_name.to_string(), str::to_string);
            self.sku_keys.push(&*line.sku_id);
            self.sku_categories.push(&*line.category);
            self.skus.push(SkuFigures {
                sku_id: line.sku_id.to_string(),
                seller_sku: line.seller_sku.to_string(),
                product_name: line.product_name.to_string(),
                variation: line.variation.to_string(),
                product_group: group,
                unit_cost: costs.current_unit_cost(&line.sku_id, &line.seller_sku),
                figures: Figures::default(),
            });
        }
        self.last_sku = Some((&*line.sku_id, si));
        si
    }

    fn day(&mut self, day: NaiveDate) -> usize {
        if let Some((d, di)) = self.last_day
            && d == day
        {
            return di;
        }
        let next = self.days.len();
        let di = *self.day_index.entry(day).or_insert(next);
        if di == next {
            self.days.push(day);
        }
        self.last_day = Some((day, di));
        di
    }

    fn channel(&mut self, channel: &'a str) -> usize {
        let next = self.channels.len();
        let ci = *self.channel_index.entry(channel).or_insert(next);
        if ci == next {
            self.channels.push(channel);
        }
        ci
    }

    fn cell(&mut self, key: (usize, usize, usize)) -> usize {
        let next = self.cells.len();
        let c = *self.cell_index.entry(key).or_insert(next);
        if c == next {
            self.cells.push((key, Group::default()));
        }
        c
    }

    fn creator_cell(&mut self, key: (&'a str, NaiveDate)) -> usize {
        let next = self.creator_cells.len();
        let c = *self.creator_index.entry(key).or_insert(next);
        if c == next {
            self.creator_cells.push((key, CreatorCell::default()));
        }
        c
    }

    /// Adds line `i` with its figures.
    fn add_line(
        &mut self,
        i: usize,
        line: &'a OrderLine,
        lf: &LineFigures,
        ctx: &GatherContext<'a>,
    ) {
        let day = line.created.date();
        let rows: &[&'a AffiliateRow] = ctx.per_line.get(i).map_or(&[], Vec::as_slice);
        let oid = line.order_id.as_str();
        let order = ctx.order_of_line.get(i).copied().unwrap_or(u32::MAX);
        let counts = lf.counts_order;
        let affiliated = counts && !rows.is_empty();
        if let Some(actual) = lf.actual_fees {
            let e = self.fee_checks.entry((oid, day)).or_default();
            e.0 += lf.modelled_fees;
            e.1 += actual;
        }
        let si = self.sku(line, ctx.costs);
        if let Some(sku) = self.skus.get_mut(si)
            && sku.seller_sku.is_empty()
            && !line.seller_sku.is_empty()
        {
            sku.seller_sku = line.seller_sku.to_string();
        }
        if lf.units_returned > 0 {
            self.returned.push((si, day, oid));
        }
        let di = self.day(day);
        let channel: &'a str = rows.first().map_or(SHOP_CHANNEL, |r| channel_name(r));
        let ci = self.channel(channel);
        let c = self.cell((si, di, ci));
        if let Some((_, g)) = self.cells.get_mut(c) {
            g.add(lf, order, counts, affiliated);
        }
        // Creators: a line's sales count for the first creator on it; each creator's own rows give
        // their commission (a line promoted by two creators is rare; its sales are not split).
        for (k, &row) in rows.iter().enumerate() {
            let t = self.channel(channel_name(row));
            let cc = self.creator_cell((row.creator.as_str(), day));
            let Some((_, cell)) = self.creator_cells.get_mut(cc) else {
                continue;
            };
            if !cell.types.contains(&t) {
                cell.types.push(t);
            }
            let mut part = if k == 0 {
                lf.clone()
            } else {
                LineFigures::default()
            };
            part.standard_commission = row.standard_commission();
            part.shop_ads_commission = row.shop_ads_commission();
            part.creator_bonus = row.bonus();
            cell.figures.add(&part);
            if k > 0 {
                // Only the commission of a second row on the same line is added: not another line.
                cell.figures.lines = cell.figures.lines.saturating_sub(1);
            }
            if k == 0 && counts {
                push_order(&mut cell.orders, order);
            }
        }
    }

    /// Joins the run of lines that follows this one.
    fn append(&mut self, next: Gathered<'a>) {
        let Gathered {
            sku_keys,
            skus,
            sku_categories,
            days,
            channels,
            cells,
            creator_cells,
            fee_checks,
            returned,
            ..
        } = next;
        let sku_map: Vec<usize> = sku_keys
            .into_iter()
            .zip(skus)
            .zip(sku_categories)
            .map(|((key, sku), category)| {
                let n = self.skus.len();
                let si = *self.sku_index.entry(key).or_insert(n);
                if si == n {
                    self.sku_keys.push(key);
                    self.sku_categories.push(category);
                    self.skus.push(sku);
                } else if let Some(mine) = self.skus.get_mut(si)
                    && mine.seller_sku.is_empty()
                {
                    mine.seller_sku = sku.seller_sku;
                }
                si
            })
            .collect();
        let day_map: Vec<usize> = days.into_iter().map(|d| self.day(d)).collect();
        let channel_map: Vec<usize> = channels.into_iter().map(|c| self.channel(c)).collect();
        for ((si, di, ci), group) in cells {
            let key = (
                sku_map.get(si).copied().unwrap_or(usize::MAX),
                day_map.get(di).copied().unwrap_or(usize::MAX),
                channel_map.get(ci).copied().unwrap_or(usize::MAX),
            );
            let c = self.cell(key);
            if let Some((_, g)) = self.cells.get_mut(c) {
                g.merge(group);
            }
        }
        for (key, cell) in creator_cells {
            let c = self.creator_cell(key);
            if let Some((_, mine)) = self.creator_cells.get_mut(c) {
                mine.merge(cell, &channel_map);
            }
        }
        for (key, (m, a)) in fee_checks {
            let e = self.fee_checks.entry(key).or_default();
            e.0 += m;
            e.1 += a;
        }
        self.returned.extend(
            returned
                .into_iter()
                .map(|(si, d, o)| (sku_map.get(si).copied().unwrap_or(usize::MAX), d, o)),
        );
        self.last_sku = None;
        self.last_day = None;
    }
}

/// `work` over consecutive runs of `0..n` on `threads` threads (the `parallel` feature; one run
/// otherwise or when `n` is small), the runs' results joined in order by `join`.
fn in_runs<T: Send>(
    threads: usize,
    n: usize,
    work: &(dyn Fn(usize, usize) -> T + Sync),
    join: impl Fn(&mut T, T),
) -> T {
    #[cfg(feature = "parallel")]
    if threads > 1 && n >= threads {
        let per = n.div_ceil(threads);
        let parts: Vec<Option<T>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|k| s.spawn(move || work(k * per, ((k + 1) * per).min(n))))
                .collect();
            handles.into_iter().map(|h| h.join().ok()).collect()
        });
        let mut it = parts.into_iter();
        if let Some(Some(mut first)) = it.next() {
            let mut complete = true;
            for p in it {
                match p {
                    Some(p) => join(&mut first, p),
                    None => complete = false,
                }
            }
            if complete {
                return first;
            }
        }
        // A thread that did not hand back its run: do it all here.
    }
    #[cfg(not(feature = "parallel"))]
    let _ = (threads, join);
    work(0, n)
}

/// Counts distinct orders of groups made of cells without sorting: an order is counted when its stamp
/// is not yet the current group's.
struct Distinct {
    stamp: Vec<u32>,
    group: u32,
}

impl Distinct {
    fn new(orders: usize) -> Distinct {
        Distinct {
            stamp: vec![0; orders],
            group: 0,
        }
    }

    fn count<'c>(&mut self, lists: impl Iterator<Item = &'c [u32]>) -> u64 {
        self.group += 1;
        let mut n = 0;
        for list in lists {
            for &o in list {
                if let Some(s) = self.stamp.get_mut(o as usize)
                    && *s != self.group
                {
                    *s = self.group;
                    n += 1;
                }
            }
        }
        n
    }
}

impl Group {
    /// Adds another run's cell of the same key.
    fn merge(&mut self, other: Group) {
        self.figures.merge(&other.figures);
        self.orders.extend(other.orders);
        self.affiliate_orders.extend(other.affiliate_orders);
    }

    fn add(&mut self, line: &LineFigures, order: u32, counts: bool, affiliated: bool) {
        self.figures.add(line);
        if counts {
            push_order(&mut self.orders, order);
        }
        if affiliated {
            push_order(&mut self.affiliate_orders, order);
        }
    }
}

/// One line's contribution to every figure (METRICS.md §1–§3).
#[derive(Debug, Clone, Default)]
struct LineFigures {
    gmv: Decimal,
    cancelled: Decimal,
    refund: Decimal,
    output_vat: Decimal,
    cogs: Decimal,
    standard_commission: Decimal,
    shop_ads_commission: Decimal,
    creator_bonus: Decimal,
    list_sales: Decimal,
    affiliate_sales: Decimal,
    platform_fees: Decimal,
    modelled_fees: Decimal,
    actual_fees: Option<Decimal>,
    fee_modelled: bool,
    /// A sold or returned line (cancelled lines and samples pay no fee).
    counts_fee: bool,
    fulfillment: Decimal,
    shipping: Decimal,
    returns_cost: Decimal,
    ad_spend: Decimal,
    sample_cost: Decimal,
    other_marketing: Decimal,
    overhead: Decimal,
    actual_settlement: Decimal,
    units_sold: i64,
    units_returned: i64,
    sample_units: i64,
    units_without_cost: i64,
    /// Sold or returned: the line makes its order count.
    counts_order: bool,
}

/// What the cost layers need besides the line itself.
struct LineContext<'a> {
    costs: &'a CostsTable,
    settings: &'a Settings,
    market: &'a str,
    /// The fee rules of the line's market (picked once per analysis, not per line).
    market_rules: &'a [crate::fees::FeeRule],
    /// The line's share of its order: (gross sales of the line, of the order's sold lines).
    order_part: (Decimal, Decimal),
    /// First sold line of its order: per-order charges go here.
    first_of_order: bool,
    /// Order-level buyer shipping and taxes (repeated on every line of the export).
    order_shipping: Decimal,
    order_taxes: Decimal,
    /// Finance rows of this line (matched on Order ID + SKU ID, or the order's share of order-level rows).
    finance: Option<FinanceShare>,
}

/// A line's part of the finance export's money.
#[derive(Debug, Clone, Copy, Default)]
struct FinanceShare {
    platform_fees: Decimal,
    shipping: Option<Decimal>,
    settlement: Decimal,
}

fn line_figures(line: &OrderLine, rows: &[&AffiliateRow], ctx: &LineContext<'_>) -> LineFigures {
    let costs = ctx.costs;
    let settings = ctx.settings;
    let mut f = LineFigures::default();
    for r in rows {
        f.standard_commission += r.standard_commission();
        f.shop_ads_commission += r.shop_ads_commission();
        f.creator_bonus += r.bonus();
    }
    let unit_cost = costs.unit_cost(&line.sku_id, &line.seller_sku, line.created.date());
    let gross = line.gross_sales();
    match line.status {
        LineStatus::Sample => {
            f.sample_units = line.quantity;
            // A sample's cost is marketing (METRICS.md §3); without a unit cost only its shipping counts.
            f.sample_cost = Decimal::from(line.quantity)
                * (unit_cost.unwrap_or_default() + settings.sample_shipping_per_unit);
            return f;
        }
        LineStatus::Cancelled => {
            f.gmv = gross;
            f.cancelled = gross;
            return f;
        }
        LineStatus::Returned | LineStatus::Sold => {}
    }
    f.counts_order = true;
    f.counts_fee = true;
    f.gmv = gross;
    f.list_sales = line.subtotal_before_discount;
    if !rows.is_empty() {
        f.affiliate_sales = gross;
    }
    let returned = line.units_returned();
    // The import refuses paid lines with quantity 0, so this division is safe; checked anyway.
    if returned > 0 && line.quantity > 0 {
        f.refund = share(gross, Decimal::from(returned), Decimal::from(line.quantity));
    }
    f.units_returned = returned;
    f.units_sold = line.quantity - returned;
    let vat_rate = line
        .tax_rate
        .unwrap_or_else(|| costs.vat_rate(&line.sku_id, &line.seller_sku));
    if !vat_rate.is_zero() {
        f.output_vat = share(gross - f.refund, vat_rate, Decimal::ONE + vat_rate);
    }
    match unit_cost {
        Some(c) => f.cogs = c * Decimal::from(f.units_sold),
        None => f.units_without_cost = f.units_sold,
    }
    // Platform fees: the dated rules of the market (FEES.md), replaced by the finance export's actual
    // fees where the line is matched (METRICS.md §3).
    let modelled = line_fee_sums(
        ctx.market_rules,
        &LineFeeInput {
            market: ctx.market,
            date: line.created.date(),
            category: Some(&*line.category).filter(|c| !c.is_empty()),
            gross_sales: gross,
            platform_discount: line.platform_discount,
            buyer_shipping: share(ctx.order_shipping, ctx.order_part.0, ctx.order_part.1),
            tax: share(ctx.order_taxes, ctx.order_part.0, ctx.order_part.1),
            quantity: line.quantity,
            units_returned: returned,
            cancelled: false,
            first_line_of_order: ctx.first_of_order,
        },
    );
    f.fee_modelled = modelled.modelled;
    f.modelled_fees = modelled.net();
    let returned_units = Decimal::from(returned);
    f.returns_cost = returned_units
        * (unit_cost.unwrap_or_default() * (Decimal::ONE - settings.restock_rate)
            + settings.return_shipping_per_unit);
    match ctx.finance {
        Some(fin) => {
            f.actual_fees = Some(fin.platform_fees);
            f.platform_fees = fin.platform_fees;
            f.actual_settlement = fin.settlement;
        }
        None => {
            // The refund administration fee is a cost of the return (METRICS.md §3, modelled fees only).
            f.platform_fees = modelled.charged - modelled.returned;
            f.returns_cost += modelled.refund_admin_fee;
        }
    }
    let per_unit = costs
        .fulfillment_per_unit_opt(&line.sku_id, &line.seller_sku)
        .unwrap_or(settings.fulfillment_per_unit);
    // Returned units were shipped too.
    f.fulfillment = per_unit * Decimal::from(line.quantity)
        + if ctx.first_of_order {
            settings.fulfillment_per_order
        } else {
            Decimal::ZERO
        };
    f.shipping = match ctx.finance.and_then(|fin| fin.shipping) {
        Some(s) => s,
        None if ctx.first_of_order => settings.shipping_per_order,
        None => Decimal::ZERO,
    };
    f
}

/// An affiliate row whose order line is not loaded counts for its creator on its `Est. Commission Base`
/// (METRICS.md §5); `Fully returned or refunded` = Yes makes it a refund.
fn unmatched_figures(row: &AffiliateRow, costs: &CostsTable) -> LineFigures {
    let mut f = LineFigures {
        standard_commission: row.standard_commission(),
        shop_ads_commission: row.shop_ads_commission(),
        creator_bonus: row.bonus(),
        counts_order: true,
        gmv: row.commission_base,
        ..LineFigures::default()
    };
    if row.fully_returned {
        f.refund = row.commission_base;
        f.units_returned = row.quantity;
    } else if row.status == AffiliateStatus::Ineligible {
        // Not refunded yet no commission: the order was cancelled before it shipped.
        f.cancelled = row.commission_base;
        f.counts_order = false;
    } else {
        f.units_sold = row.quantity;
        let vat = costs.vat_rate(&row.sku_id, &row.seller_sku);
        if !vat.is_zero() {
            f.output_vat = share(row.commission_base, vat, Decimal::ONE + vat);
        }
        match costs.unit_cost(&row.sku_id, &row.seller_sku, row.created.date()) {
            Some(c) => f.cogs = c * Decimal::from(f.units_sold),
            None => f.units_without_cost = f.units_sold,
        }
    }
    f
}

/// One SKU's identity and figures.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SkuFigures {
    /// Platform SKU ID.
    pub sku_id: String,
    /// The seller's SKU code (may be empty).
    pub seller_sku: String,
    /// Product name.
    pub product_name: String,
    /// Variation.
    pub variation: String,
    /// Product group (costs sheet `product`, else the product name).
    pub product_group: String,
    /// The unit cost shown for editing (undated or latest), if any.
    pub unit_cost: Option<Decimal>,
    /// Sums.
    pub figures: Figures,
}

/// One creator's figures (METRICS.md §5).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CreatorFigures {
    /// `Creator Username`.
    pub creator: String,
    /// Content types the creator sold through.
    pub content_types: Vec<String>,
    /// Sums over the creator's order lines (and unmatched rows).
    pub figures: Figures,
    /// Affiliate rows of this creator with no order line loaded.
    pub unmatched_rows: u64,
}

impl CreatorFigures {
    /// gross_sales of the creator: sold and returned lines (cancelled ones never became sales).
    pub fn gross_sales(&self) -> Decimal {
        self.figures.gmv - self.figures.cancelled_sales
    }
    /// net_revenue − commission.
    pub fn net_after_commission(&self) -> Decimal {
        self.figures.net_revenue() - self.figures.affiliate_commission()
    }
    /// Net revenue per 1.00 of commission; `None` when no commission was paid.
    pub fn efficiency(&self) -> Option<Decimal> {
        let c = self.figures.affiliate_commission();
        (!c.is_zero())
            .then(|| self.figures.net_revenue().checked_div(c))
            .flatten()
    }
    /// Creator contribution `cm` (METRICS.md §5): the creator's lines' cm1 − commission.
    ///
    /// ```
    /// use margin_engine::metrics::{CreatorFigures, Figures};
    /// use rust_decimal_macros::dec;
    /// let mut figures = Figures::default();
    /// figures.gmv = dec!(100);
    /// figures.cogs = dec!(30);
    /// figures.standard_commission = dec!(15);
    /// let c = CreatorFigures { creator: "a".into(), content_types: vec![], figures, unmatched_rows: 0 };
    /// // cm1 = 100 − 30 = 70; cm = 70 − 15
    /// assert_eq!(c.cm(), dec!(55));
    /// ```
    pub fn cm(&self) -> Decimal {
        self.figures.cm1() - self.figures.affiliate_commission()
    }
}

/// The figures of a period: totals and every breakdown.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Analysis {
    /// First and last order date included, when any line is.
    pub period: Option<(NaiveDate, NaiveDate)>,
    /// Everything.
    pub totals: Figures,
    /// Per SKU, ranked by net sales (highest first), then SKU ID.
    pub skus: Vec<SkuFigures>,
    /// Per product group, by name.
    pub product_groups: Vec<(String, Figures)>,
    /// Per creator, ranked by net revenue.
    pub creators: Vec<CreatorFigures>,
    /// Per channel: the affiliate content type, or `Shop`.
    pub channels: Vec<(String, Figures)>,
    /// Per order date.
    pub days: Vec<(NaiveDate, Figures)>,
    /// Per channel and order date (for trends by channel).
    pub channel_days: Vec<((String, NaiveDate), Figures)>,
    /// Affiliate rows (in the period) whose order line is not loaded.
    pub unmatched_affiliate_rows: u64,
    /// Orders whose fees a finance export gives: modelled vs actual.
    pub fee_checks: Vec<FeeCheck>,
    /// Ad spend per day of the period, as loaded (before allocation).
    pub ad_spend_by_day: BTreeMap<NaiveDate, Decimal>,
    /// Gross revenue the ads exports report for the period (for the reported ROAS).
    pub ads_gross_revenue: Option<Decimal>,
    /// Where ad spend came from.
    pub ads_source: AdsSource,
}

/// One order's fees as the rules model them and as the finance export charged them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FeeCheck {
    /// Order ID.
    pub order_id: String,
    /// Modelled by the fee rules.
    pub modelled: Decimal,
    /// Charged (finance export).
    pub actual: Decimal,
}

/// Where the period's ad spend comes from (never two sources for the same money, METRICS.md §3).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdsSource {
    /// No ad spend loaded.
    #[default]
    None,
    /// GMV Max or Ads Manager exports.
    AdsExports,
    /// The finance export's `GMV Payment for TikTok Ads` rows (no ads export loaded).
    FinancePayments,
}

/// Ad spend loaded for one day (an ads export's row, or the finance export's ad payment) and the
/// gross revenue an ads export reports with it.
#[derive(Debug, Clone)]
struct SpendRow {
    date: NaiveDate,
    cost: Decimal,
    gross_revenue: Option<Decimal>,
}

/// The channel of a line with no affiliate row (METRICS.md §5).
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

/// Every line's figures summed by (SKU, order date, channel) and by (creator, order date): what does
/// not depend on the period. Built once per set of files, costs and settings ([`Cube::build`], the
/// cost of a pass over every line); any period's analysis is then summed from its cells
/// ([`Cube::analyse`], the cost of a pass over the period's cells, not its lines), which is what makes
/// a period change fast on a million lines. It owns everything it needs (no borrow of the ledger), so
/// the page's engine worker keeps it between requests.
///
/// What the period decides is applied to cells, not lines: ad spend and other marketing of a day are
/// spread by the cells' share of that day's net sales, spend on days without sales, per-SKU spend and
/// overhead by their share of the period's (METRICS.md §3). Every share is linear in net sales, so a
/// cell gets the sum of its lines' shares (exactly, up to Decimal's 28th digit). Creator figures carry
/// no spend or overhead: the creator P&L (METRICS.md §5) stops at commission.
#[derive(Debug, Clone, Default)]
pub struct Cube {
    skus: Vec<SkuFigures>,
    sku_categories: Vec<String>,
    days: Vec<NaiveDate>,
    channels: Vec<String>,
    cells: Vec<((usize, usize, usize), Group)>,
    /// Orders numbered (order lines' and unmatched affiliate rows'): the size of a distinct count.
    orders: usize,
    /// Each SKU's product group (a position in `groups`).
    sku_group: Vec<usize>,
    groups: Vec<String>,
    /// Distinct orders and affiliate orders per (breakdown, key, day) — breakdown 0: all (key 0),
    /// 1: SKU, 2: product group, 3: channel — when every order's lines share one order date (as in
    /// every export: the creation time is the order's). Then a group's orders over any period are the
    /// sum of its days' and no order list is walked per request; otherwise they are counted per request.
    day_orders: Option<DayOrders>,
    creators: Vec<String>,
    creator_cells: Vec<((usize, NaiveDate), CreatorCell)>,
    fee_checks: Vec<(String, NaiveDate, Decimal, Decimal)>,
    returned: Vec<(usize, NaiveDate, String)>,
    spend: Vec<SpendRow>,
    ads_source: AdsSource,
    has_affiliate: bool,
}

/// One SKU's returns over a few days (for the return-rate alert).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkuReturns {
    /// Platform SKU ID.
    pub sku_id: String,
    /// `Product Category` of its first line.
    pub category: String,
    /// Units returned.
    pub units_returned: i64,
    /// Units of sold and returned lines.
    pub units_shipped: i64,
    /// Order IDs of its returned lines, in line order.
    pub orders: Vec<String>,
}

impl Cube {
    /// Computes every line's figures once (fees, costs, commissions, finance matches) and sums them
    /// into cells; `threads` as in [`analyse_with_threads`].
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
        let market = settings.market_of(currency);
        let Joined {
            per_line,
            unmatched,
        } = joined;

        // Orders, numbered once in first-seen order: gross of the sold lines (for shares of
        // order-level money) and the first sold line; each line's order number (one hash lookup per
        // line in all).
        let mut order_index: HashMap<&str, u32> = HashMap::default();
        // At most one order per line: one allocation instead of a rehash at every doubling.
        order_index.reserve(ledger.len());
        // At most one order per line: no copy at every doubling.
        let mut orders: Vec<(Decimal, Option<usize>)> = Vec::with_capacity(ledger.len());
        let mut order_of_line: Vec<u32> = Vec::with_capacity(ledger.len());
        for (i, line) in ledger.lines().iter().enumerate() {
            let next = u32::try_from(orders.len()).unwrap_or(u32::MAX);
            let n = *order_index
                .entry(line.order_id.as_str())
                .or_insert_with(|| {
                    orders.push((Decimal::ZERO, None));
                    next
                });
            order_of_line.push(n);
            if matches!(line.status, LineStatus::Sold | LineStatus::Returned)
                && let Some(o) = orders.get_mut(n as usize)
            {
                o.0 += line.gross_sales();
                o.1.get_or_insert(i);
            }
        }
        let finance = FinanceIndex::new(ledger);
        let market_rules: Vec<crate::fees::FeeRule> = settings
            .fee_rules
            .iter()
            .filter(|r| r.market.trim().eq_ignore_ascii_case(market.trim()))
            .cloned()
            .collect();

        // Each line's own figures, added to its cells as soon as they are made (never stored), on
        // `threads` threads over consecutive runs of lines joined in order.
        let lines: &[&OrderLine] = ledger.lines();
        let one = |i: usize, line: &OrderLine| -> LineFigures {
            let (order_total, first) = order_of_line
                .get(i)
                .and_then(|&n| orders.get(n as usize))
                .map_or((Decimal::ZERO, i), |&(gross, first)| {
                    (gross, first.unwrap_or(i))
                });
            let order_part = (line.gross_sales(), order_total);
            let rows: &[&AffiliateRow] = per_line.get(i).map_or(&[], Vec::as_slice);
            let ctx = LineContext {
                costs,
                settings,
                market: &market,
                market_rules: &market_rules,
                order_part,
                first_of_order: first == i,
                order_shipping: line.order_shipping,
                order_taxes: line.order_taxes,
                finance: finance.share(line, order_part),
            };
            line_figures(line, rows, &ctx)
        };
        let gather_ctx = GatherContext {
            costs,
            per_line: &per_line,
            order_of_line: &order_of_line,
        };
        let gather = |from: usize, to: usize| -> Gathered<'_> {
            let mut g = Gathered::default();
            for (k, line) in lines.get(from..to).unwrap_or(&[]).iter().enumerate() {
                g.add_line(from + k, line, &one(from + k, line), &gather_ctx);
            }
            g
        };
        let mut g = in_runs(threads, lines.len(), &gather, Gathered::append);

        // Affiliate rows whose order line is not loaded count for their creators. Unpaid orders
        // carry no money (METRICS.md §1), whichever export shows them.
        let mut n_orders = orders.len();
        for row in unmatched {
            if row.status == AffiliateStatus::Unpaid {
                continue;
            }
            let t = g.channel(channel_name(row));
            let order = *order_index.entry(row.order_id.as_str()).or_insert_with(|| {
                n_orders += 1;
                u32::try_from(n_orders - 1).unwrap_or(u32::MAX)
            });
            let c = g.creator_cell((row.creator.as_str(), row.created.date()));
            if let Some((_, cell)) = g.creator_cells.get_mut(c) {
                if !cell.types.contains(&t) {
                    cell.types.push(t);
                }
                cell.figures.add(&unmatched_figures(row, costs));
                cell.unmatched_rows += 1;
                if row.status != AffiliateStatus::Ineligible || row.fully_returned {
                    push_order(&mut cell.orders, order);
                }
            }
        }

        // Spend, from the ads exports, else the finance export's ad payments — never both.
        let (spend, ads_source) = if !ledger.ads().is_empty() {
            let rows = ledger
                .ads()
                .iter()
                .map(|r| SpendRow {
                    date: r.date,
                    cost: r.cost,
                    gross_revenue: r.gross_revenue,
                })
                .collect();
            (rows, AdsSource::AdsExports)
        } else if ledger.finance().iter().any(|r| r.is_ads_payment()) {
            let rows = ledger
                .finance()
                .iter()
                .filter(|r| r.is_ads_payment())
                .filter_map(|r| {
                    // A payment out of the balance is a negative settlement: spend is its negation.
                    r.settled.or(r.created).map(|date| SpendRow {
                        date,
                        cost: -r.amount("settlement").unwrap_or_default(),
                        gross_revenue: None,
                    })
                })
                .collect();
            (rows, AdsSource::FinancePayments)
        } else {
            (Vec::new(), AdsSource::None)
        };

        let Gathered {
            skus,
            sku_categories,
            days,
            channels,
            cells,
            creator_cells,
            fee_checks,
            returned,
            ..
        } = g;
        let mut group_no: HashMap<&str, usize> = HashMap::default();
        let mut groups: Vec<String> = Vec::new();
        let sku_group: Vec<usize> = skus
            .iter()
            .map(|s| {
                *group_no.entry(s.product_group.as_str()).or_insert_with(|| {
                    groups.push(s.product_group.clone());
                    groups.len() - 1
                })
            })
            .collect();
        let mut day_of_order: Vec<Option<NaiveDate>> = vec![None; orders.len()];
        let one_day_orders = lines.iter().zip(&order_of_line).all(|(l, &n)| {
            let d = l.created.date();
            day_of_order
                .get_mut(n as usize)
                .is_some_and(|slot| *slot.get_or_insert(d) == d)
        });
        drop(day_of_order);
        // Per-day counts pay when cells hold several lines each; when nearly every line has a cell of
        // its own (many SKUs each selling about once a day), they would hold about four entries per
        // line for nothing: then orders are counted per request, which costs the same.
        let worth_it =
            cells.len() < DAY_ORDERS_ALWAYS || cells.len().saturating_mul(4) <= lines.len();
        let day_orders =
            (one_day_orders && worth_it).then(|| count_day_orders(&cells, &sku_group, n_orders));
        let mut creator_no: HashMap<&str, usize> = HashMap::default();
        let mut creators: Vec<String> = Vec::new();
        let creator_cells = creator_cells
            .into_iter()
            .map(|((name, day), cell)| {
                let k = *creator_no.entry(name).or_insert_with(|| {
                    creators.push(name.to_string());
                    creators.len() - 1
                });
                ((k, day), cell)
            })
            .collect();
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
            fee_checks: fee_checks
                .into_iter()
                .map(|((o, d), (m, a))| (o.to_string(), d, m, a))
                .collect(),
            returned: returned
                .into_iter()
                .map(|(si, d, o)| (si, d, o.to_string()))
                .collect(),
            spend,
            ads_source,
            has_affiliate: !ledger.affiliate().is_empty(),
        }
    }

    /// Whether any affiliate row is loaded (matched or not).
    pub fn has_affiliate(&self) -> bool {
        self.has_affiliate
    }

    /// Per SKU (by SKU ID) over the order dates `from..=to`: units returned and shipped on sold and
    /// returned lines, and the orders of the returned ones. SKUs without such a line are left out.
    pub fn returns_between(&self, from: NaiveDate, to: NaiveDate) -> Vec<SkuReturns> {
        let within = |d: NaiveDate| d >= from && d <= to;
        let mut per_sku: BTreeMap<usize, (i64, i64)> = BTreeMap::new();
        for ((si, di, _), g) in &self.cells {
            if self.days.get(*di).is_some_and(|d| within(*d)) {
                let e = per_sku.entry(*si).or_default();
                e.0 += g.figures.units_returned;
                e.1 += g.figures.units_sold + g.figures.units_returned;
            }
        }
        let mut out: Vec<SkuReturns> = per_sku
            .into_iter()
            .filter(|(_, (_, shipped))| *shipped != 0)
            .filter_map(|(si, (returned, shipped))| {
                Some(SkuReturns {
                    sku_id: self.skus.get(si)?.sku_id.clone(),
                    category: self.sku_categories.get(si).cloned().unwrap_or_default(),
                    units_returned: returned,
                    units_shipped: shipped,
                    orders: self
                        .returned
                        .iter()
                        .filter(|(s, d, _)| *s == si && within(*d))
                        .map(|(_, _, o)| o.clone())
                        .collect(),
                })
            })
            .collect();
        out.sort_by(|a, b| a.sku_id.cmp(&b.sku_id));
        out
    }

    /// Every figure over the order dates within `period` (inclusive; `None` = all), with the spend and
    /// overhead of `settings` allocated (the other settings were applied by [`Cube::build`]).
    pub fn analyse(&self, settings: &Settings, period: Option<(NaiveDate, NaiveDate)>) -> Analysis {
        let in_period = |d: NaiveDate| period.is_none_or(|(from, to)| d >= from && d <= to);
        let day_of = |di: usize| self.days.get(di).copied();
        // The period's cells.
        let sel: Vec<&((usize, usize, usize), Group)> = self
            .cells
            .iter()
            .filter(|((_, di, _), _)| day_of(*di).is_some_and(in_period))
            .collect();
        // Positions in `sel` of each value of a cell's key part.
        let members = |part: &dyn Fn(&(usize, usize, usize)) -> usize, n: usize| {
            let mut m: Vec<Vec<usize>> = vec![Vec::new(); n];
            for (k, (key, _)) in sel.iter().enumerate() {
                if let Some(v) = m.get_mut(part(key)) {
                    v.push(k);
                }
            }
            m
        };
        let by_sku = members(&|k| k.0, self.skus.len());
        let by_day = members(&|k| k.1, self.days.len());
        let by_channel = members(&|k| k.2, self.channels.len());
        let net: Vec<Decimal> = sel.iter().map(|(_, g)| g.figures.net_sales()).collect();
        let net_of = |ks: &[usize]| -> Decimal { ks.iter().filter_map(|k| net.get(*k)).sum() };
        let period_net = net.iter().sum::<Decimal>();
        let mut first_last: Option<(NaiveDate, NaiveDate)> = None;
        for d in by_day
            .iter()
            .zip(&self.days)
            .filter(|(m, _)| !m.is_empty())
            .map(|(_, d)| *d)
        {
            first_last = Some(first_last.map_or((d, d), |(a, b)| (a.min(d), b.max(d))));
        }

        // What each cell is allocated: [ad spend, other marketing, overhead] (METRICS.md §3).
        let mut extra: Vec<[Decimal; 3]> = vec![[Decimal::ZERO; 3]; sel.len()];
        let mut day_spend: BTreeMap<NaiveDate, Decimal> = BTreeMap::new();
        let mut gross_revenue: Option<Decimal> = None;
        for r in self.spend.iter().filter(|r| in_period(r.date)) {
            *day_spend.entry(r.date).or_default() += r.cost;
            if let Some(g) = r.gross_revenue {
                *gross_revenue.get_or_insert(Decimal::ZERO) += g;
            }
        }
        let mut day_other: BTreeMap<NaiveDate, Decimal> = BTreeMap::new();
        for e in settings
            .other_marketing
            .iter()
            .filter(|e| in_period(e.date))
        {
            *day_other.entry(e.date).or_default() += e.amount;
        }
        // Spend of a day goes to that day's cells by net sales share; on a day without net sales,
        // to the whole period's.
        let day_net: HashMap<NaiveDate, Decimal> = self
            .days
            .iter()
            .zip(&by_day)
            .map(|(d, m)| (*d, net_of(m)))
            .collect();
        let mut pooled = [Decimal::ZERO; 2];
        for (slot, spend) in [(0, &day_spend), (1, &day_other)] {
            for (d, amount) in spend {
                let dn = day_net.get(d).copied().unwrap_or_default();
                let cells = self
                    .days
                    .iter()
                    .position(|x| x == d)
                    .and_then(|di| by_day.get(di));
                match cells {
                    Some(m) if !dn.is_zero() => {
                        let weights = m.iter().filter_map(|k| Some((*k, *net.get(*k)?)));
                        spread(*amount, dn, weights, slot, &mut extra);
                    }
                    _ => {
                        if let Some(p) = pooled.get_mut(slot) {
                            *p += amount;
                        }
                    }
                }
            }
        }
        for (slot, amount) in pooled.into_iter().enumerate() {
            spread(
                amount,
                period_net,
                net.iter().copied().enumerate(),
                slot,
                &mut extra,
            );
        }
        // Manual per-SKU ad spend, by the cells' share of the SKU's net sales.
        for (sku, m) in self.skus.iter().zip(&by_sku) {
            for (name, amount) in &settings.ad_spend_per_sku {
                if **name == sku.sku_id || (!sku.seller_sku.is_empty() && **name == sku.seller_sku)
                {
                    let weights = m.iter().filter_map(|k| Some((*k, *net.get(*k)?)));
                    spread(*amount, net_of(m), weights, 0, &mut extra);
                }
            }
        }
        // Overhead: per unit sold, or the period's by net revenue share.
        match settings.overhead_per_unit {
            Some(per_unit) => {
                for (x, (_, g)) in extra.iter_mut().zip(&sel) {
                    x[2] = per_unit * Decimal::from(g.figures.units_sold);
                }
            }
            None if !period_net.is_zero() => {
                let (from, to) = period.or(first_last).unwrap_or_default();
                let revenue: Vec<Decimal> = sel
                    .iter()
                    .zip(&net)
                    .map(|((_, g), n)| n - g.figures.output_vat)
                    .collect();
                let total = revenue.iter().sum::<Decimal>();
                let weights = revenue.into_iter().enumerate();
                spread(
                    settings.overhead_for(from, to),
                    total,
                    weights,
                    2,
                    &mut extra,
                );
            }
            None => {}
        }

        // Roll the cells up into every breakdown.
        let mut distinct = Distinct::new(self.orders);
        // The figures of the cells at `members` (positions in `sel`), making up key `key` of
        // breakdown `kind` (as in `day_orders`).
        let roll = |members: &[usize], kind: u8, key: usize, distinct: &mut Distinct| -> Figures {
            let mut f = Figures::default();
            let groups = || {
                members
                    .iter()
                    .filter_map(|k| Some((sel.get(*k)?, extra.get(*k)?)))
            };
            for ((_, g), x) in groups() {
                f.merge(&g.figures);
                add_nz(&mut f.ad_spend, x[0]);
                add_nz(&mut f.other_marketing, x[1]);
                add_nz(&mut f.overhead, x[2]);
            }
            match &self.day_orders {
                Some(per_day) => {
                    let mut days: Vec<usize> = groups().map(|(((_, di, _), _), _)| *di).collect();
                    days.sort_unstable();
                    days.dedup();
                    for di in days {
                        if let Some((o, a)) = per_day.get(&(kind, key, di)) {
                            f.orders += o;
                            f.affiliate_orders += a;
                        }
                    }
                }
                None => {
                    f.orders = distinct.count(groups().map(|((_, g), _)| g.orders.as_slice()));
                    f.affiliate_orders =
                        distinct.count(groups().map(|((_, g), _)| g.affiliate_orders.as_slice()));
                }
            }
            f
        };
        let all: Vec<usize> = (0..sel.len()).collect();
        let totals = roll(&all, 0, 0, &mut distinct);
        let mut skus: Vec<SkuFigures> = Vec::new();
        let mut group_members: Vec<Vec<usize>> = vec![Vec::new(); self.groups.len()];
        for (si, (sku, m)) in self.skus.iter().zip(&by_sku).enumerate() {
            if m.is_empty() {
                continue;
            }
            if let Some(gm) = self
                .sku_group
                .get(si)
                .and_then(|gi| group_members.get_mut(*gi))
            {
                gm.extend_from_slice(m);
            }
            skus.push(SkuFigures {
                figures: roll(m, 1, si, &mut distinct),
                ..sku.clone()
            });
        }
        let mut groups: Vec<(String, Figures)> = self
            .groups
            .iter()
            .zip(group_members)
            .enumerate()
            .filter(|(_, (_, m))| !m.is_empty())
            .map(|(gi, (g, m))| (g.clone(), roll(&m, 2, gi, &mut distinct)))
            .collect();
        groups.sort_by(|a, b| a.0.cmp(&b.0));
        let mut days: Vec<(NaiveDate, Figures)> = self
            .days
            .iter()
            .zip(&by_day)
            .filter(|(_, m)| !m.is_empty())
            .map(|(d, m)| (*d, roll(m, 0, 0, &mut distinct)))
            .collect();
        days.sort_by_key(|d| d.0);
        let mut channel_days: Vec<((String, NaiveDate), Figures)> = Vec::new();
        let mut channels: Vec<(String, Figures)> = Vec::new();
        for (ci, (name, m)) in self.channels.iter().zip(&by_channel).enumerate() {
            if m.is_empty() {
                continue;
            }
            channels.push((name.clone(), roll(m, 3, ci, &mut distinct)));
            // The channel's cells by day.
            let mut per_day: BTreeMap<NaiveDate, Vec<usize>> = BTreeMap::new();
            for &k in m {
                if let Some(d) = sel.get(k).and_then(|((_, di, _), _)| day_of(*di)) {
                    per_day.entry(d).or_default().push(k);
                }
            }
            for (d, m) in per_day {
                channel_days.push(((name.clone(), d), roll(&m, 3, ci, &mut distinct)));
            }
        }
        channels.sort_by(|a, b| a.0.cmp(&b.0));
        channel_days.sort_by(|a, b| a.0.cmp(&b.0));
        skus.sort_by(|a, b| {
            b.figures
                .net_sales()
                .cmp(&a.figures.net_sales())
                .then_with(|| a.sku_id.cmp(&b.sku_id))
        });

        // Creators: their cells of the period, in cell order.
        let mut per_creator: Vec<Vec<&CreatorCell>> = vec![Vec::new(); self.creators.len()];
        for ((k, d), c) in &self.creator_cells {
            if in_period(*d)
                && let Some(v) = per_creator.get_mut(*k)
            {
                v.push(c);
            }
        }
        let mut unmatched_affiliate_rows = 0;
        let mut creators: Vec<CreatorFigures> = Vec::new();
        for (name, cells) in self.creators.iter().zip(per_creator) {
            if cells.is_empty() {
                continue;
            }
            let mut cf = CreatorFigures {
                creator: name.clone(),
                content_types: Vec::new(),
                figures: Figures::default(),
                unmatched_rows: 0,
            };
            for c in &cells {
                cf.figures.merge(&c.figures);
                cf.unmatched_rows += c.unmatched_rows;
                for t in &c.types {
                    if let Some(t) = self.channels.get(*t)
                        && !cf.content_types.contains(t)
                    {
                        cf.content_types.push(t.clone());
                    }
                }
            }
            // By name: the same order whatever the period.
            cf.content_types.sort();
            cf.figures.orders = distinct.count(cells.iter().map(|c| c.orders.as_slice()));
            cf.figures.affiliate_orders = cf.figures.orders;
            unmatched_affiliate_rows += cf.unmatched_rows;
            creators.push(cf);
        }
        creators.sort_by(|a, b| {
            b.figures
                .net_revenue()
                .cmp(&a.figures.net_revenue())
                .then_with(|| a.creator.cmp(&b.creator))
        });
        let mut fee_checks: BTreeMap<&str, (Decimal, Decimal)> = BTreeMap::new();
        for (o, _, m, a) in self.fee_checks.iter().filter(|(_, d, _, _)| in_period(*d)) {
            let e = fee_checks.entry(o.as_str()).or_default();
            e.0 += m;
            e.1 += a;
        }
        Analysis {
            period: period.or(first_last),
            totals,
            skus,
            product_groups: groups,
            creators,
            channels,
            days,
            channel_days,
            unmatched_affiliate_rows,
            fee_checks: fee_checks
                .into_iter()
                .map(|(o, (m, a))| FeeCheck {
                    order_id: o.to_string(),
                    modelled: m,
                    actual: a,
                })
                .collect(),
            ad_spend_by_day: day_spend,
            ads_gross_revenue: gross_revenue,
            ads_source: self.ads_source,
        }
    }
}

/// Finance rows by order line (Order ID + SKU ID) and by order (rows without a SKU), settled money only.
struct FinanceIndex<'a> {
    by_line: HashMap<(&'a str, &'a str), Vec<&'a FinanceRow>>,
    by_order: HashMap<&'a str, Vec<&'a FinanceRow>>,
}

/// Affiliate fields inside a finance export's `Total fees`: commission, not platform fees.
const AFFILIATE_FIELDS: &[&str] = &[
    "affiliate_commission",
    "affiliate_partner_commission",
    "affiliate_shop_ads_commission",
    "affiliate_commission_refund",
];
/// Fee components when an export has no `Total fees` (the US 2026 statement).
const FEE_FIELDS: &[&str] = &[
    "platform_commission",
    "transaction_fee",
    "refund_admin_fee",
    "sales_tax_on_fees",
];

impl<'a> FinanceIndex<'a> {
    fn new(ledger: &'a Ledger) -> FinanceIndex<'a> {
        let mut by_line: HashMap<(&str, &str), Vec<&FinanceRow>> = HashMap::default();
        let mut by_order: HashMap<&str, Vec<&FinanceRow>> = HashMap::default();
        for row in ledger.finance() {
            // Estimates (on-hold) are not actuals; ad payments are ad spend; orders only.
            if row.estimated || row.is_ads_payment() || row.order_id.is_empty() {
                continue;
            }
            if row.sku_id.is_empty() {
                by_order.entry(row.order_id.as_str()).or_default().push(row);
            } else {
                by_line
                    .entry((row.order_id.as_str(), row.sku_id.as_str()))
                    .or_default()
                    .push(row);
            }
        }
        FinanceIndex { by_line, by_order }
    }

    /// The line's actual fees, shipping and settlement (positive = cost for fees and shipping).
    fn share(&self, line: &OrderLine, order_part: (Decimal, Decimal)) -> Option<FinanceShare> {
        let own = self.by_line.get(&(line.order_id.as_str(), &*line.sku_id));
        let order = self.by_order.get(line.order_id.as_str());
        if own.is_none() && order.is_none() {
            return None;
        }
        let mut out = FinanceShare::default();
        // Order-level rows are shared by gross sales; a line's own rows count whole.
        let mut add = |rows: &[&FinanceRow], part: Option<(Decimal, Decimal)>| {
            let portion = |x: Decimal| part.map_or(x, |(p, w)| share(x, p, w));
            for r in rows {
                // `Total fees` nests every component (FORMATS.md §2.1): commissions to creators and the
                // seller shipping fee come out of it, as they are counted on their own lines.
                let fees = match r.amount("total_fees") {
                    Some(total) => {
                        total
                            - AFFILIATE_FIELDS
                                .iter()
                                .filter_map(|k| r.amount(k))
                                .sum::<Decimal>()
                            - r.amount("seller_shipping").unwrap_or_default()
                    }
                    None => FEE_FIELDS.iter().filter_map(|k| r.amount(k)).sum(),
                };
                // Exports sign fees negative: a cost is their negation.
                out.platform_fees -= portion(fees);
                if let Some(s) = r.amount("seller_shipping") {
                    *out.shipping.get_or_insert(Decimal::ZERO) -= portion(s);
                }
                out.settlement += portion(r.amount("settlement").unwrap_or_default());
            }
        };
        if let Some(rows) = own {
            add(rows, None);
        }
        if let Some(rows) = order {
            add(rows, Some(order_part));
        }
        Some(out)
    }
}

/// Cells below which distinct orders are always counted per day once (see `Cube::day_orders`).
const DAY_ORDERS_ALWAYS: usize = 50_000;

/// Distinct orders and affiliate orders per (breakdown, key, day).
type DayOrders = HashMap<(u8, usize, usize), (u64, u64)>;

/// Distinct orders and affiliate orders of every (breakdown, key, day) of `cells` (see
/// `Cube::day_orders`).
fn count_day_orders(
    cells: &[((usize, usize, usize), Group)],
    sku_group: &[usize],
    n_orders: usize,
) -> DayOrders {
    let mut members: HashMap<(u8, usize, usize), Vec<usize>> = HashMap::default();
    for (c, ((si, di, ci), _)) in cells.iter().enumerate() {
        let gi = sku_group.get(*si).copied().unwrap_or(usize::MAX);
        for key in [(0, 0, *di), (1, *si, *di), (2, gi, *di), (3, *ci, *di)] {
            members.entry(key).or_default().push(c);
        }
    }
    let mut distinct = Distinct::new(n_orders);
    members
        .into_iter()
        .map(|(key, cs)| {
            let groups = || cs.iter().filter_map(|c| cells.get(*c)).map(|(_, g)| g);
            let o = distinct.count(groups().map(|g| g.orders.as_slice()));
            let a = distinct.count(groups().map(|g| g.affiliate_orders.as_slice()));
            (key, (o, a))
        })
        .collect()
}

/// Spreads `amount` over parts by `weights` (position in `extra`, weight; the weights sum to `total`)
/// into `slot`: each part gets `amount × weight / total`, and the last part with a weight also what the
/// division's rounding (in the 28th digit) left, so that the parts sum to `amount` exactly.
fn spread(
    amount: Decimal,
    total: Decimal,
    weights: impl Iterator<Item = (usize, Decimal)>,
    slot: usize,
    extra: &mut [[Decimal; 3]],
) {
    if amount.is_zero() || total.is_zero() {
        return;
    }
    let mut given = Decimal::ZERO;
    let mut last = None;
    for (k, w) in weights {
        if w.is_zero() {
            continue;
        }
        let part = share(amount, w, total);
        if let Some(x) = extra.get_mut(k).and_then(|x| x.get_mut(slot)) {
            *x += part;
            given += part;
            last = Some(k);
        }
    }
    if let Some(x) = last
        .and_then(|k| extra.get_mut(k))
        .and_then(|x| x.get_mut(slot))
    {
        *x += amount - given;
    }
}

/// The channel of a line with an affiliate row whose content type is blank.
const UNTYPED_CHANNEL: &str = "Affiliate (type not given)";

fn channel_name(row: &AffiliateRow) -> &str {
    if row.content_type.is_empty() {
        UNTYPED_CHANNEL
    } else {
        &row.content_type
    }
}
