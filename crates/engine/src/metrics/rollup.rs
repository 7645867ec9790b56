//! Rolling cells up into groups: distinct order counts, per-day order counts.

use super::*;

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

/// Counts distinct orders of groups made of cells without sorting: an order is counted when its stamp
/// is not yet the current group's.
pub(super) struct Distinct {
    pub(super) stamp: Vec<u32>,
    pub(super) group: u32,
}

impl Distinct {
    pub(super) fn new(orders: usize) -> Distinct {
        Distinct {
            stamp: vec![0; orders],
            group: 0,
        }
    }

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

impl Group {
    /// Adds another run's cell of the same key.
    pub(super) fn merge(&mut self, other: Group) {
        self.figures.merge(&other.figures);
        self.orders.extend(other.orders);
        self.affiliate_orders.extend(other.affiliate_orders);
    }

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

/// Cells below which distinct orders are always counted per day once (see `Cube::day_orders`).
pub(super) const DAY_ORDERS_ALWAYS: usize = 50_000;

/// Distinct orders and affiliate orders per (breakdown, key, day).
pub(super) type DayOrders = HashMap<(u8, usize, usize), (u64, u64)>;

/// Distinct orders and affiliate orders of every (breakdown, key, day) of `cells` (see
/// `Cube::day_orders`).
pub(super) fn count_day_orders(
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
