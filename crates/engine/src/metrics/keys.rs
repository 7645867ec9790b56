//! Named keys of the cube: positions in its lists of SKUs, days, channels, product groups and
//! creators, the key of a cell, and the breakdowns whose orders it counts per day.

use rust_decimal::Decimal;

/// A position in one of the cube's lists, typed by the list it indexes so that a SKU number is never
/// used as a day number.
macro_rules! index_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub(super) struct $name(pub(super) usize);

        // The same helpers for every index type; not every type needs each of them.
        #[allow(dead_code)]
        impl $name {
            /// Stands for a position a join could not map (never found in a list).
            pub(super) const MISSING: $name = $name(usize::MAX);

            /// The item at this position of `list`.
            pub(super) fn of<T>(self, list: &[T]) -> Option<&T> {
                list.get(self.0)
            }

            /// The item at this position of `list`, to change.
            pub(super) fn of_mut<T>(self, list: &mut [T]) -> Option<&mut T> {
                list.get_mut(self.0)
            }

            /// The position a join maps this one to (`MISSING` when it maps none).
            pub(super) fn mapped(self, map: &[$name]) -> $name {
                self.of(map).copied().unwrap_or($name::MISSING)
            }
        }
    };
}

index_type!(
    /// A SKU: a position in the cube's SKUs.
    SkuIdx
);
index_type!(
    /// An order date: a position in the cube's days.
    DayIdx
);
index_type!(
    /// A channel (an affiliate content type, or the shop): a position in the cube's channels.
    ChannelIdx
);
index_type!(
    /// A product group: a position in the cube's product groups.
    GroupIdx
);
index_type!(
    /// A creator: a position in the cube's creators.
    CreatorIdx
);
index_type!(
    /// A piece of content (an Affiliate row's `Content ID`): a position in the cube's contents.
    ContentIdx
);

/// The key of a cell: the lines of one SKU, sold on one day, through one channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct CellKey {
    pub(super) sku: SkuIdx,
    pub(super) day: DayIdx,
    pub(super) channel: ChannelIdx,
}

/// One group of a breakdown that an analysis sums from cells. Days and channel-days are the `Total`
/// and `Channel` groups restricted to one day's cells; creators are summed from their own cells (see
/// `Cube::creator_figures`), not from these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Breakdown {
    /// Every cell.
    Total,
    /// The cells of one SKU.
    Sku(SkuIdx),
    /// The cells of the SKUs of one product group.
    ProductGroup(GroupIdx),
    /// The cells of one channel.
    Channel(ChannelIdx),
}

/// Distinct orders of a group, and how many of them have an affiliate row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct OrderCounts {
    pub(super) orders: u64,
    pub(super) affiliate_orders: u64,
}

/// Fees of one order on one day: modelled by the fee rules, and charged by the finance export.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct FeeSums {
    pub(super) modelled: Decimal,
    pub(super) actual: Decimal,
}

impl FeeSums {
    /// Adds another part of the same order's fees.
    pub(super) fn add(&mut self, other: FeeSums) {
        self.modelled += other.modelled;
        self.actual += other.actual;
    }
}

/// A returned line (for the return-rate alert): its SKU, order date and order (`S`: the Order ID,
/// borrowed while gathering, owned in the cube).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ReturnedLine<S> {
    pub(super) sku: SkuIdx,
    pub(super) day: chrono::NaiveDate,
    pub(super) order_id: S,
}
