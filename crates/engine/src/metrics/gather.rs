//! The per-line pass: each line's figures added to its (SKU, day, channel) cell and to its creators'
//! (creator, day) cells, over runs of lines that may be gathered on several threads and joined in order.

use super::figures::{Figures, LineFigures};
use super::keys::{CellKey, ChannelIdx, DayIdx, FeeSums, ReturnedLine, SkuIdx};
use super::rollup::{Group, push_order};
use super::{SHOP_CHANNEL, SkuFigures};
use crate::costs::CostsTable;
use crate::ledger::{AffiliateRow, OrderLine};
use chrono::{NaiveDate, NaiveDateTime, Timelike};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;

/// What the per-line loop needs besides the line and its figures.
pub(super) struct GatherContext<'a> {
    pub(super) costs: &'a CostsTable,
    pub(super) per_line: &'a [Vec<&'a AffiliateRow>],
    pub(super) order_of_line: &'a [u32],
    /// A finance export is loaded: gather the cash figures (docs/metrics.md §6).
    pub(super) cash: bool,
}

/// One creator's sums on one day: the lines where the creator's row comes first (their sales), the
/// commission of every row of theirs, their orders and content types (channel numbers).
#[derive(Debug, Clone, Default)]
pub(super) struct CreatorCell {
    pub(super) figures: Figures,
    pub(super) orders: Vec<u32>,
    pub(super) types: Vec<ChannelIdx>,
    pub(super) unmatched_rows: u64,
}

impl CreatorCell {
    /// Adds one affiliate row's part of its line: the line's figures for the first row on the line
    /// (`second` false), only the commission for another creator's row on the same line.
    pub(super) fn add_row(
        &mut self,
        t: ChannelIdx,
        part: &LineFigures,
        second: bool,
        order: Option<u32>,
    ) {
        if !self.types.contains(&t) {
            self.types.push(t);
        }
        self.figures.add(part);
        if second {
            // Only the commission of a second row on the same line is added: not another line.
            self.figures.lines = self.figures.lines.saturating_sub(1);
        }
        if let Some(order) = order {
            push_order(&mut self.orders, order);
        }
    }

    pub(super) fn merge(&mut self, other: CreatorCell, channel_map: &[ChannelIdx]) {
        self.figures.merge(&other.figures);
        self.orders.extend(other.orders);
        for t in other.types {
            let t = t.of(channel_map).copied().unwrap_or(t);
            if !self.types.contains(&t) {
                self.types.push(t);
            }
        }
        self.unmatched_rows += other.unmatched_rows;
    }
}

/// A content cell's key while gathering: creator, Content ID, SKU, day.
pub(super) type ContentKey<'a> = (&'a str, &'a str, Option<SkuIdx>, NaiveDate);

/// What the per-line loop gathers over a run of consecutive lines: the SKUs, days and channels in
/// first-seen order, each line added to its (SKU, day, channel) cell and to its creators' (creator,
/// day) cells, the fee checks per order and day, and the returned lines (for alerts). Runs gathered
/// apart (on several threads) and joined in line order with [`Gathered::append`] give what one run over
/// all the lines gives.
#[derive(Default)]
pub(super) struct Gathered<'a> {
    pub(super) sku_index: HashMap<&'a str, SkuIdx>,
    pub(super) sku_keys: Vec<&'a str>,
    pub(super) skus: Vec<SkuFigures>,
    pub(super) sku_categories: Vec<&'a str>,
    pub(super) day_index: HashMap<NaiveDate, DayIdx>,
    pub(super) days: Vec<NaiveDate>,
    pub(super) channel_index: HashMap<&'a str, ChannelIdx>,
    pub(super) channels: Vec<&'a str>,
    pub(super) cell_index: HashMap<CellKey, usize>,
    pub(super) cells: Vec<(CellKey, Group)>,
    pub(super) creator_index: HashMap<(&'a str, NaiveDate), usize>,
    pub(super) creator_cells: Vec<((&'a str, NaiveDate), CreatorCell)>,
    /// The same sums by (creator, Content ID, SKU, day): the content P&L and creator × product
    /// (docs/metrics.md §11). The SKU is `None` for an affiliate row whose order line is not loaded.
    pub(super) content_index: HashMap<ContentKey<'a>, usize>,
    pub(super) content_cells: Vec<(ContentKey<'a>, CreatorCell)>,
    pub(super) fee_checks: BTreeMap<(&'a str, NaiveDate), FeeSums>,
    /// GMV (less cancellations) and CM1 of the lines created in each 10 minutes: the orders of a LIVE
    /// session's window (docs/metrics.md §11).
    pub(super) windows: HashMap<NaiveDateTime, (Decimal, Decimal)>,
    /// Returned lines, in line order.
    pub(super) returned: Vec<ReturnedLine<&'a str>>,
    /// Estimated vs settled cash per order (docs/metrics.md §6), when a finance export is loaded.
    pub(super) cash: super::cash::CashGather<'a>,
    /// The last line's SKU and day and their indexes: consecutive lines often share them.
    pub(super) last_sku: Option<(&'a str, SkuIdx)>,
    pub(super) last_day: Option<(NaiveDate, DayIdx)>,
}

impl<'a> Gathered<'a> {
    pub(super) fn sku(&mut self, line: &'a OrderLine, costs: &CostsTable) -> SkuIdx {
        if let Some((k, si)) = self.last_sku
            && k == &*line.sku_id
        {
            return si;
        }
        let next = SkuIdx(self.skus.len());
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

    pub(super) fn day(&mut self, day: NaiveDate) -> DayIdx {
        if let Some((d, di)) = self.last_day
            && d == day
        {
            return di;
        }
        let next = DayIdx(self.days.len());
        let di = *self.day_index.entry(day).or_insert(next);
        if di == next {
            self.days.push(day);
        }
        self.last_day = Some((day, di));
        di
    }

    pub(super) fn channel(&mut self, channel: &'a str) -> ChannelIdx {
        let next = ChannelIdx(self.channels.len());
        let ci = *self.channel_index.entry(channel).or_insert(next);
        if ci == next {
            self.channels.push(channel);
        }
        ci
    }

    pub(super) fn cell(&mut self, key: CellKey) -> usize {
        let next = self.cells.len();
        let c = *self.cell_index.entry(key).or_insert(next);
        if c == next {
            self.cells.push((key, Group::default()));
        }
        c
    }

    pub(super) fn creator_cell(&mut self, key: (&'a str, NaiveDate)) -> usize {
        let next = self.creator_cells.len();
        let c = *self.creator_index.entry(key).or_insert(next);
        if c == next {
            self.creator_cells.push((key, CreatorCell::default()));
        }
        c
    }

    pub(super) fn content_cell(&mut self, key: ContentKey<'a>) -> usize {
        let next = self.content_cells.len();
        let c = *self.content_index.entry(key).or_insert(next);
        if c == next {
            self.content_cells.push((key, CreatorCell::default()));
        }
        c
    }

    /// Adds line `i` with its figures.
    pub(super) fn add_line(
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
        if ctx.cash {
            self.cash.add(oid, day, lf);
        }
        if let Some(actual) = lf.actual_fees {
            self.fee_checks.entry((oid, day)).or_default().add(FeeSums {
                modelled: lf.modelled_fees,
                actual,
            });
        }
        let si = self.sku(line, ctx.costs);
        if let Some(sku) = si.of_mut(&mut self.skus)
            && sku.seller_sku.is_empty()
            && !line.seller_sku.is_empty()
        {
            sku.seller_sku = line.seller_sku.to_string();
        }
        if lf.units_returned > 0 {
            self.returned.push(ReturnedLine {
                sku: si,
                day,
                order_id: oid,
            });
        }
        let di = self.day(day);
        let (gmv, cm1) = lf.gmv_and_cm1();
        let w = self.windows.entry(ten_minutes(line.created)).or_default();
        w.0 += gmv;
        w.1 += cm1;
        let channel: &'a str = rows.first().map_or(SHOP_CHANNEL, |r| channel_name(r));
        let ci = self.channel(channel);
        let c = self.cell(CellKey {
            sku: si,
            day: di,
            channel: ci,
        });
        if let Some((_, g)) = self.cells.get_mut(c) {
            g.add(lf, order, counts, affiliated);
        }
        // Creators: a line's sales count for the first creator on it; each creator's own rows give
        // their commission (a line promoted by two creators is rare; its sales are not split).
        for (k, &row) in rows.iter().enumerate() {
            let t = self.channel(channel_name(row));
            let mut part = if k == 0 {
                lf.clone()
            } else {
                LineFigures::default()
            };
            part.standard_commission = row.standard_commission();
            part.shop_ads_commission = row.shop_ads_commission();
            part.creator_bonus = row.bonus();
            let order = (k == 0 && counts).then_some(order);
            let cc = self.creator_cell((row.creator.as_str(), day));
            if let Some((_, cell)) = self.creator_cells.get_mut(cc) {
                cell.add_row(t, &part, k > 0, order);
            }
            let cc =
                self.content_cell((row.creator.as_str(), row.content_id.as_str(), Some(si), day));
            if let Some((_, cell)) = self.content_cells.get_mut(cc) {
                cell.add_row(t, &part, k > 0, order);
            }
        }
    }

    /// Joins the run of lines that follows this one.
    pub(super) fn append(&mut self, next: Gathered<'a>) {
        let Gathered {
            sku_keys,
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
        } = next;
        self.cash.append(cash);
        for (t, (gmv, cm1)) in windows {
            let w = self.windows.entry(t).or_default();
            w.0 += gmv;
            w.1 += cm1;
        }
        let sku_map: Vec<SkuIdx> = sku_keys
            .into_iter()
            .zip(skus)
            .zip(sku_categories)
            .map(|((key, sku), category)| {
                let n = SkuIdx(self.skus.len());
                let si = *self.sku_index.entry(key).or_insert(n);
                if si == n {
                    self.sku_keys.push(key);
                    self.sku_categories.push(category);
                    self.skus.push(sku);
                } else if let Some(mine) = si.of_mut(&mut self.skus)
                    && mine.seller_sku.is_empty()
                {
                    mine.seller_sku = sku.seller_sku;
                }
                si
            })
            .collect();
        let day_map: Vec<DayIdx> = days.into_iter().map(|d| self.day(d)).collect();
        let channel_map: Vec<ChannelIdx> = channels.into_iter().map(|c| self.channel(c)).collect();
        for (key, group) in cells {
            let key = CellKey {
                sku: key.sku.mapped(&sku_map),
                day: key.day.mapped(&day_map),
                channel: key.channel.mapped(&channel_map),
            };
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
        for ((creator, content, sku, day), cell) in content_cells {
            let c = self.content_cell((creator, content, sku.map(|s| s.mapped(&sku_map)), day));
            if let Some((_, mine)) = self.content_cells.get_mut(c) {
                mine.merge(cell, &channel_map);
            }
        }
        for (key, fees) in fee_checks {
            self.fee_checks.entry(key).or_default().add(fees);
        }
        self.returned
            .extend(returned.into_iter().map(|r| ReturnedLine {
                sku: r.sku.mapped(&sku_map),
                ..r
            }));
        self.last_sku = None;
        self.last_day = None;
    }
}

/// `t` to the start of its 10 minutes (10:06:59 → 10:00:00).
pub(super) fn ten_minutes(t: NaiveDateTime) -> NaiveDateTime {
    let m = t.minute() - t.minute() % 10;
    t.date().and_hms_opt(t.hour(), m, 0).unwrap_or(t)
}

/// `work` over consecutive runs of `0..n` on `threads` threads (the `parallel` feature; one run
/// otherwise or when `n` is small), the runs' results joined in order by `join`.
pub(super) fn in_runs<T: Send>(
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

/// The channel of a line with an affiliate row whose content type is blank.
pub(super) const UNTYPED_CHANNEL: &str = "Affiliate (type not given)";

pub(super) fn channel_name(row: &AffiliateRow) -> &str {
    if row.content_type.is_empty() {
        UNTYPED_CHANNEL
    } else {
        &row.content_type
    }
}
