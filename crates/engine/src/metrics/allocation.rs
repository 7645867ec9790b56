//! Allocating period money over cells: ad spend, other marketing and overhead (METRICS.md §3).

use super::*;

/// Ad spend loaded for one day (an ads export's row, or the finance export's ad payment) and the
/// gross revenue an ads export reports with it.
#[derive(Debug, Clone)]
pub(super) struct SpendRow {
    pub(super) date: NaiveDate,
    pub(super) cost: Decimal,
    pub(super) gross_revenue: Option<Decimal>,
}

/// Spreads `amount` over parts by `weights` (position in `extra`, weight; the weights sum to `total`)
/// into `slot`: each part gets `amount × weight / total`, and the last part with a weight also what the
/// division's rounding (in the 28th digit) left, so that the parts sum to `amount` exactly.
pub(super) fn spread(
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
