//! Rolling a period's cells up into every breakdown of an analysis: totals, SKUs, product groups,
//! days, channels, channel-days and creators, with distinct order counts.

use super::allocation::Allocated;
use super::cube::Cube;
use super::figures::{Figures, LineFigures, add_nz};
use super::gather::CreatorCell;
use super::keys::{Breakdown, CellKey, ChannelIdx, DayIdx, FeeSums, GroupIdx, OrderCounts, SkuIdx};
use super::{ContentFigures, CreatorFigures, CreatorProductFigures, FeeCheck, SkuFigures};
use crate::coverage::ExcludedRows;
use crate::sort_dyn::SortDyn;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;

/// A group's sums and the orders behind them (orders numbered once per analysis), for every breakdown
/// alike: totals, SKUs, product groups, days, channels, channel-days.
///
/// Orders are kept as a list of order numbers, counted distinct when the cells are rolled up: a line's
/// order is pushed unless it is the one pushed last (an order's lines are next to each other in an
/// export), which is cheaper than a hash set insert per line and group.
#[derive(Debug, Clone, Default)]
pub(super) struct Group {
    pub(super) figures: Figures,
    pub(super) orders: Vec<u32>,
    pub(super) affiliate_orders: Vec<u32>,
}

/// Pushes `order` unless it is the last one pushed.
pub(super) fn push_order(orders: &mut Vec<u32>, order: u32) {
    if orders.last() != Some(&order) {
        orders.push(order);
    }
}

impl Group {
    /// Adds another run's cell of the same key.
    pub(super) fn merge(&mut self, other: Group) {
        self.figures.merge(&other.figures);
        self.orders.extend(other.orders);
        self.affiliate_orders.extend(other.affiliate_orders);
    }

    /// Adds a line's figures and its order (`counts`: the line makes its order count; `affiliated`:
    /// and it has an affiliate row).
    pub(super) fn add(&mut self, line: &LineFigures, order: u32, counts: bool, affiliated: bool) {
        self.figures.add(line);
        if counts {
            push_order(&mut self.orders, order);
        }
        if affiliated {
            push_order(&mut self.affiliate_orders, order);
        }
    }
}

/// Counts distinct orders of groups made of cells without sorting: an order is counted when its stamp
/// is not yet the current group's.
pub(super) struct Distinct {
    stamp: Vec<u32>,
    group: u32,
}

impl Distinct {
    /// A counter for orders numbered `0..orders`.
    pub(super) fn new(orders: usize) -> Distinct {
        Distinct {
            stamp: vec![0; orders],
            group: 0,
        }
    }

    /// Distinct orders over `lists`.
    pub(super) fn count<'c>(&mut self, lists: impl Iterator<Item = &'c [u32]>) -> u64 {
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

/// Cells below which distinct orders are always counted per day once (see `Cube::day_orders`).
pub(super) const DAY_ORDERS_ALWAYS: usize = 50_000;

/// Distinct orders and affiliate orders per breakdown group and day.
pub(super) type DayOrders = HashMap<(Breakdown, DayIdx), OrderCounts>;

/// Distinct orders and affiliate orders of every breakdown group and day of `cells` (see
/// `Cube::day_orders`).
pub(super) fn count_day_orders(
    cells: &[(CellKey, Group)],
    sku_group: &[GroupIdx],
    n_orders: usize,
) -> DayOrders {
    let mut members: HashMap<(Breakdown, DayIdx), Vec<usize>> = HashMap::default();
    for (c, (key, _)) in cells.iter().enumerate() {
        let gi = key.sku.of(sku_group).copied().unwrap_or(GroupIdx::MISSING);
        for breakdown in [
            Breakdown::Total,
            Breakdown::Sku(key.sku),
            Breakdown::ProductGroup(gi),
            Breakdown::Channel(key.channel),
        ] {
            members.entry((breakdown, key.day)).or_default().push(c);
        }
    }
    let mut distinct = Distinct::new(n_orders);
    members
        .into_iter()
        .map(|(key, cs)| {
            let groups = || cs.iter().filter_map(|c| cells.get(*c)).map(|(_, g)| g);
            let counts = OrderCounts {
                orders: distinct.count(groups().map(|g| g.orders.as_slice())),
                affiliate_orders: distinct.count(groups().map(|g| g.affiliate_orders.as_slice())),
            };
            (key, counts)
        })
        .collect()
}

/// The cells of one period and how they group: positions in `cells` by SKU, day and channel (indexed
/// by the cube's SKU, day and channel numbers), and each cell's net sales.
pub(super) struct Selection<'c> {
    pub(super) cells: Vec<&'c (CellKey, Group)>,
    pub(super) by_sku: Vec<Vec<usize>>,
    pub(super) by_day: Vec<Vec<usize>>,
    pub(super) by_channel: Vec<Vec<usize>>,
    pub(super) net: Vec<Decimal>,
    pub(super) period_net: Decimal,
    /// The first and last day with a cell.
    pub(super) first_last: Option<(NaiveDate, NaiveDate)>,
}

impl<'c> Selection<'c> {
    /// The cells of `cube` whose day `in_period` keeps.
    pub(super) fn new(cube: &'c Cube, in_period: &dyn Fn(NaiveDate) -> bool) -> Selection<'c> {
        let cells: Vec<&(CellKey, Group)> = cube
            .cells
            .iter()
            .filter(|(key, _)| key.day.of(&cube.days).is_some_and(|d| in_period(*d)))
            .collect();
        // Positions in `cells` of each value of a cell's key part.
        let members = |part: &dyn Fn(&CellKey) -> usize, n: usize| {
            let mut m: Vec<Vec<usize>> = vec![Vec::new(); n];
            for (k, (key, _)) in cells.iter().enumerate() {
                if let Some(v) = m.get_mut(part(key)) {
                    v.push(k);
                }
            }
            m
        };
        let by_sku = members(&|k| k.sku.0, cube.skus.len());
        let by_day = members(&|k| k.day.0, cube.days.len());
        let by_channel = members(&|k| k.channel.0, cube.channels.len());
        let net: Vec<Decimal> = cells.iter().map(|(_, g)| g.figures.net_sales()).collect();
        let period_net = net.iter().sum::<Decimal>();
        let mut first_last: Option<(NaiveDate, NaiveDate)> = None;
        for d in by_day
            .iter()
            .zip(&cube.days)
            .filter(|(m, _)| !m.is_empty())
            .map(|(_, d)| *d)
        {
            first_last = Some(first_last.map_or((d, d), |(a, b)| (a.min(d), b.max(d))));
        }
        Selection {
            cells,
            by_sku,
            by_day,
            by_channel,
            net,
            period_net,
            first_last,
        }
    }

    /// Net sales of the cells at `positions`.
    pub(super) fn net_of(&self, positions: &[usize]) -> Decimal {
        positions.iter().filter_map(|k| self.net.get(*k)).sum()
    }
}

/// Sums groups of a period's cells with what they are allocated, and counts their orders.
pub(super) struct Roll<'a> {
    pub(super) sel: &'a Selection<'a>,
    pub(super) extra: &'a [Allocated],
    pub(super) day_orders: Option<&'a DayOrders>,
    pub(super) distinct: Distinct,
    /// Distinct and repeat buyers (docs/metrics.md §2), when the Orders exports name buyers.
    pub(super) buyers: Option<super::buyers::BuyerCount<'a>>,
}

impl Roll<'_> {
    /// The figures of the cells at `members` (positions in the selection), making up `breakdown`'s
    /// group (whose per-day order counts, when the cube keeps them, give the orders).
    pub(super) fn figures(&mut self, members: &[usize], breakdown: Breakdown) -> Figures {
        let mut f = Figures::default();
        let (sel, extra) = (self.sel, self.extra);
        let groups = || {
            members
                .iter()
                .filter_map(|k| Some((*sel.cells.get(*k)?, extra.get(*k)?)))
        };
        for ((_, g), x) in groups() {
            f.merge(&g.figures);
            add_nz(&mut f.ad_spend, x.ad_spend);
            add_nz(&mut f.ad_spend_attributed, x.ad_spend_attributed);
            add_nz(&mut f.other_marketing, x.other_marketing);
            add_nz(&mut f.overhead, x.overhead);
        }
        match self.day_orders {
            Some(per_day) => {
                let mut days: Vec<DayIdx> = groups().map(|((key, _), _)| key.day).collect();
                days.sort_unstable();
                days.dedup();
                for day in days {
                    if let Some(c) = per_day.get(&(breakdown, day)) {
                        f.orders += c.orders;
                        f.affiliate_orders += c.affiliate_orders;
                    }
                }
            }
            None => {
                f.orders = self
                    .distinct
                    .count(groups().map(|((_, g), _)| g.orders.as_slice()));
                f.affiliate_orders = self
                    .distinct
                    .count(groups().map(|((_, g), _)| g.affiliate_orders.as_slice()));
            }
        }
        if let Some(b) = self.buyers.as_mut() {
            (f.buyers, f.repeat_buyers) = b.count(groups().map(|((_, g), _)| g.orders.as_slice()));
        }
        f
    }
}

/// Channel figures, and channel-day figures (channels' cells by day), both sorted by name then day.
pub(super) type ChannelRollup = (Vec<(String, Figures)>, Vec<((String, NaiveDate), Figures)>);

impl Cube {
    /// Every SKU with a cell in the period, ranked by net sales (highest first), then SKU ID.
    pub(super) fn roll_skus(&self, roll: &mut Roll<'_>) -> Vec<SkuFigures> {
        let mut skus: Vec<SkuFigures> = Vec::new();
        for (si, (sku, m)) in self.skus.iter().zip(&roll.sel.by_sku).enumerate() {
            if m.is_empty() {
                continue;
            }
            skus.push(SkuFigures {
                figures: roll.figures(m, Breakdown::Sku(SkuIdx(si))),
                ..sku.clone()
            });
        }
        skus.sort_by_dyn(|a, b| {
            b.figures
                .net_sales()
                .cmp(&a.figures.net_sales())
                .then_with(|| a.sku_id.cmp(&b.sku_id))
        });
        skus
    }

    /// Every product group with a cell in the period, by name.
    pub(super) fn roll_groups(&self, roll: &mut Roll<'_>) -> Vec<(String, Figures)> {
        let mut group_members: Vec<Vec<usize>> = vec![Vec::new(); self.groups.len()];
        for (si, m) in roll.sel.by_sku.iter().enumerate() {
            if let Some(gm) = SkuIdx(si)
                .of(&self.sku_group)
                .and_then(|gi| gi.of_mut(&mut group_members))
            {
                gm.extend_from_slice(m);
            }
        }
        let mut groups: Vec<(String, Figures)> = self
            .groups
            .iter()
            .zip(group_members)
            .enumerate()
            .filter(|(_, (_, m))| !m.is_empty())
            .map(|(gi, (g, m))| {
                let breakdown = Breakdown::ProductGroup(GroupIdx(gi));
                (g.clone(), roll.figures(&m, breakdown))
            })
            .collect();
        groups.sort_by_dyn(|a, b| a.0.cmp(&b.0));
        groups
    }

    /// Every day with a cell in the period, by date.
    pub(super) fn roll_days(&self, roll: &mut Roll<'_>) -> Vec<(NaiveDate, Figures)> {
        let sel = roll.sel;
        let mut days: Vec<(NaiveDate, Figures)> = self
            .days
            .iter()
            .zip(&sel.by_day)
            .filter(|(_, m)| !m.is_empty())
            .map(|(d, m)| (*d, roll.figures(m, Breakdown::Total)))
            .collect();
        days.sort_by_key_dyn(|d| d.0);
        days
    }

    /// The day of the selection's cell at position `k`.
    fn day_of(&self, sel: &Selection<'_>, k: usize) -> Option<NaiveDate> {
        sel.cells
            .get(k)
            .and_then(|(key, _)| key.day.of(&self.days))
            .copied()
    }

    /// Every channel with a cell in the period on a day `joined_day` keeps (the days both the Orders
    /// and the Affiliate exports cover, docs/metrics.md §9), and its days.
    pub(super) fn roll_channels(
        &self,
        roll: &mut Roll<'_>,
        joined_day: &dyn Fn(NaiveDate) -> bool,
    ) -> ChannelRollup {
        let sel = roll.sel;
        let mut channel_days: Vec<((String, NaiveDate), Figures)> = Vec::new();
        let mut channels: Vec<(String, Figures)> = Vec::new();
        for (ci, (name, m)) in self.channels.iter().zip(&sel.by_channel).enumerate() {
            let kept: Vec<usize>;
            let m: &[usize] = if m
                .iter()
                .all(|&k| self.day_of(sel, k).is_some_and(joined_day))
            {
                m
            } else {
                kept = m
                    .iter()
                    .copied()
                    .filter(|&k| self.day_of(sel, k).is_some_and(joined_day))
                    .collect();
                &kept
            };
            if m.is_empty() {
                continue;
            }
            let breakdown = Breakdown::Channel(ChannelIdx(ci));
            channels.push((name.clone(), roll.figures(m, breakdown)));
            // The channel's cells by day.
            let mut per_day: BTreeMap<NaiveDate, Vec<usize>> = BTreeMap::new();
            for &k in m {
                if let Some(d) = self.day_of(sel, k) {
                    per_day.entry(d).or_default().push(k);
                }
            }
            for (d, m) in per_day {
                channel_days.push(((name.clone(), d), roll.figures(&m, breakdown)));
            }
        }
        channels.sort_by_dyn(|a, b| a.0.cmp(&b.0));
        channel_days.sort_by_dyn(|a, b| a.0.cmp(&b.0));
        (channels, channel_days)
    }

    /// The totals over the period's cells on days `joined_day` keeps, when it leaves some out: the
    /// base of the figures that join the Orders and the Affiliate exports (docs/metrics.md §9).
    pub(super) fn cross_totals(
        &self,
        roll: &mut Roll<'_>,
        joined_day: &dyn Fn(NaiveDate) -> bool,
    ) -> Option<Figures> {
        let sel = roll.sel;
        let kept: Vec<usize> = (0..sel.cells.len())
            .filter(|&k| self.day_of(sel, k).is_some_and(joined_day))
            .collect();
        (kept.len() < sel.cells.len()).then(|| roll.figures(&kept, Breakdown::Total))
    }

    /// Every creator with a cell in the period on a day `covered` keeps (their cells in cell order),
    /// ranked by net revenue, then name; the unmatched affiliate rows among them; and the rows of the
    /// period left out because `covered` does not keep their day (docs/metrics.md §5, §9).
    pub(super) fn roll_creators(
        &self,
        in_period: &dyn Fn(NaiveDate) -> bool,
        covered: &dyn Fn(NaiveDate) -> bool,
        distinct: &mut Distinct,
    ) -> (Vec<CreatorFigures>, u64, ExcludedRows) {
        let mut per_creator: Vec<Vec<&CreatorCell>> = vec![Vec::new(); self.creators.len()];
        let (mut excluded_rows, mut excluded_days) = (0u64, Vec::new());
        for ((k, d), c) in &self.creator_cells {
            if !in_period(*d) {
                continue;
            }
            if !covered(*d) {
                // Only unmatched rows can be dated off the Orders exports: a matched row counts on
                // its line's date, which its export covers.
                excluded_rows += c.unmatched_rows;
                excluded_days.push(*d);
                continue;
            }
            if let Some(v) = k.of_mut(&mut per_creator) {
                v.push(c);
            }
        }
        let mut unmatched_affiliate_rows = 0;
        let mut creators: Vec<CreatorFigures> = Vec::new();
        for (name, cells) in self.creators.iter().zip(per_creator) {
            if cells.is_empty() {
                continue;
            }
            let cf = self.creator_figures(name, &cells, distinct);
            unmatched_affiliate_rows += cf.unmatched_rows;
            creators.push(cf);
        }
        creators.sort_by_dyn(|a, b| {
            b.figures
                .net_revenue()
                .cmp(&a.figures.net_revenue())
                .then_with(|| a.creator.cmp(&b.creator))
        });
        let excluded = ExcludedRows::of_days(excluded_rows, excluded_days);
        (creators, unmatched_affiliate_rows, excluded)
    }

    /// The content P&L and creator × product of the period (docs/metrics.md §11): the creators' cells
    /// by (creator, Content ID) and by (creator, SKU), on the days `covered` keeps (as the creators).
    pub(super) fn roll_contents(
        &self,
        in_period: &dyn Fn(NaiveDate) -> bool,
        covered: &dyn Fn(NaiveDate) -> bool,
        distinct: &mut Distinct,
    ) -> (Vec<ContentFigures>, Vec<CreatorProductFigures>) {
        type Cells<'c> = Vec<&'c CreatorCell>;
        let mut by_content: BTreeMap<(usize, usize), Cells<'_>> = BTreeMap::new();
        let mut by_sku: BTreeMap<(usize, usize), Cells<'_>> = BTreeMap::new();
        for ((creator, content, sku, d), c) in &self.content_cells {
            if !in_period(*d) || !covered(*d) {
                continue;
            }
            by_content
                .entry((creator.0, content.0))
                .or_default()
                .push(c);
            if let Some(sku) = sku {
                by_sku.entry((creator.0, sku.0)).or_default().push(c);
            }
        }
        let name = |i: usize| self.creators.get(i).map_or("", String::as_str);
        let by_cm = |a: &CreatorFigures, b: &CreatorFigures| {
            b.cm().cmp(&a.cm()).then_with(|| a.creator.cmp(&b.creator))
        };
        let mut contents: Vec<ContentFigures> = by_content
            .into_iter()
            .map(|((cr, co), cells)| ContentFigures {
                content_id: self.contents.get(co).cloned().unwrap_or_default(),
                figures: self.creator_figures(name(cr), &cells, distinct),
            })
            .collect();
        contents.sort_by_dyn(|a, b| {
            by_cm(&a.figures, &b.figures).then_with(|| a.content_id.cmp(&b.content_id))
        });
        let mut products: Vec<CreatorProductFigures> = by_sku
            .into_iter()
            .filter_map(|((cr, si), cells)| {
                let sku = self.skus.get(si)?;
                Some(CreatorProductFigures {
                    sku_id: sku.sku_id.clone(),
                    seller_sku: sku.seller_sku.clone(),
                    product_name: sku.product_name.clone(),
                    figures: self.creator_figures(name(cr), &cells, distinct),
                })
            })
            .collect();
        products.sort_by_dyn(|a, b| {
            by_cm(&a.figures, &b.figures).then_with(|| a.sku_id.cmp(&b.sku_id))
        });
        (contents, products)
    }

    /// One creator's figures from their cells of the period.
    fn creator_figures(
        &self,
        name: &str,
        cells: &[&CreatorCell],
        distinct: &mut Distinct,
    ) -> CreatorFigures {
        let mut cf = CreatorFigures {
            creator: name.to_string(),
            content_types: Vec::new(),
            figures: Figures::default(),
            unmatched_rows: 0,
        };
        for c in cells {
            cf.figures.merge(&c.figures);
            cf.unmatched_rows += c.unmatched_rows;
            for t in &c.types {
                if let Some(t) = t.of(&self.channels)
                    && !cf.content_types.contains(t)
                {
                    cf.content_types.push(t.clone());
                }
            }
        }
        // By name: the same order whatever the period.
        cf.content_types.sort_dyn();
        cf.figures.orders = distinct.count(cells.iter().map(|c| c.orders.as_slice()));
        cf.figures.affiliate_orders = cf.figures.orders;
        cf
    }

    /// Modelled and actual fees of the orders of the period, by Order ID.
    pub(super) fn period_fee_checks(&self, in_period: &dyn Fn(NaiveDate) -> bool) -> Vec<FeeCheck> {
        let mut fee_checks: BTreeMap<&str, FeeSums> = BTreeMap::new();
        for c in self.fee_checks.iter().filter(|c| in_period(c.day)) {
            fee_checks
                .entry(c.order_id.as_str())
                .or_default()
                .add(c.fees);
        }
        fee_checks
            .into_iter()
            .map(|(o, f)| FeeCheck {
                order_id: o.to_string(),
                modelled: f.modelled,
                actual: f.actual,
            })
            .collect()
    }
}
