//! Repeat buyers (docs/metrics.md §2 `repeat_purchase_rate`): each order's buyer, numbered from the
//! hashes the Orders import made in memory ([`crate::ledger::buyer_hash`]), and the distinct buyers of a
//! group of orders with how many of them placed two orders or more. Only numbers are kept here: the
//! hashes are dropped once the buyers are numbered, and nothing of this is serialised.

use crate::ledger::OrderLine;
use rustc_hash::FxHashMap as HashMap;

/// No buyer known for an order.
const NO_BUYER: u32 = u32::MAX;

/// Each order's buyer (`order_buyer[order number]`, [`NO_BUYER`] when unknown) and the number of
/// buyers; empty when no line names a buyer. `of_line` gives each line's order number, `orders` how
/// many orders are numbered in all (order lines' and unmatched affiliate rows').
pub(super) fn number_buyers(
    lines: &[&OrderLine],
    of_line: &[u32],
    orders: usize,
) -> (Vec<u32>, usize) {
    if lines.iter().all(|l| l.buyer == 0) {
        return (Vec::new(), 0);
    }
    let mut order_buyer = vec![NO_BUYER; orders];
    let mut numbers: HashMap<u64, u32> = HashMap::default();
    for (line, &order) in lines.iter().zip(of_line) {
        if line.buyer == 0 {
            continue;
        }
        let Some(slot) = order_buyer.get_mut(order as usize) else {
            continue;
        };
        if *slot == NO_BUYER {
            let next = u32::try_from(numbers.len()).unwrap_or(NO_BUYER);
            *slot = *numbers.entry(line.buyer).or_insert(next);
        }
    }
    let n = numbers.len();
    (order_buyer, n)
}

/// Counts the distinct buyers of groups of orders, and those with two orders or more, without
/// sorting or a mark per order: per buyer, the group that last saw it, the first order it saw there
/// and whether another order followed (an order listed twice is the first one again, not a second).
pub(super) struct BuyerCount<'c> {
    order_buyer: &'c [u32],
    /// Per buyer: (group stamp, first order seen in the group, two orders or more).
    seen: Vec<(u32, u32, bool)>,
    group: u32,
}

impl<'c> BuyerCount<'c> {
    /// A counter over the buyers numbered by [`number_buyers`]; `None` when no buyer is known.
    pub(super) fn new(order_buyer: &'c [u32], buyers: usize) -> Option<BuyerCount<'c>> {
        (buyers > 0).then(|| BuyerCount {
            order_buyer,
            seen: vec![(0, 0, false); buyers],
            group: 0,
        })
    }

    /// (buyers, buyers with two orders or more) over the orders of `lists` (an order may be listed
    /// several times).
    pub(super) fn count<'l>(&mut self, lists: impl Iterator<Item = &'l [u32]>) -> (u64, u64) {
        self.group = self.group.wrapping_add(1);
        if self.group == 0 {
            // After 4 billion groups the stamps start again from a clean array.
            self.seen.fill((0, 0, false));
            self.group = 1;
        }
        let group = self.group;
        let (mut buyers, mut repeat) = (0u64, 0u64);
        for list in lists {
            for &o in list {
                let b = self
                    .order_buyer
                    .get(o as usize)
                    .copied()
                    .unwrap_or(NO_BUYER);
                let Some(s) = self.seen.get_mut(b as usize) else {
                    continue;
                };
                if s.0 != group {
                    *s = (group, o, false);
                    buyers += 1;
                } else if !s.2 && s.1 != o {
                    s.2 = true;
                    repeat += 1;
                }
            }
        }
        (buyers, repeat)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buyers_with_two_orders_are_repeat_buyers() {
        // Orders 0 and 2 by buyer 0, order 1 by buyer 1, order 3 unknown.
        let order_buyer = [0, 1, 0, NO_BUYER];
        let Some(mut c) = BuyerCount::new(&order_buyer, 2) else {
            unreachable!()
        };
        // Order 0 listed twice (two lines) is one order.
        assert_eq!(
            c.count([&[0u32, 0, 1][..], &[2, 3][..]].into_iter()),
            (2, 1)
        );
        assert_eq!(c.count([&[0u32, 1][..]].into_iter()), (2, 0));
        assert!(BuyerCount::new(&order_buyer, 0).is_none());
    }
}
