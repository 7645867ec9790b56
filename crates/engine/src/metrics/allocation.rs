//! Allocating the period's money over its cells (docs/metrics.md §3): ad spend and other marketing of a
//! day by the cells' share of that day's net sales (spend on days without net sales by the period's),
//! manual per-SKU ad spend by the SKU's cells' share, overhead per unit sold or by net revenue share.
//! Every share is linear in net sales, so a cell gets the sum of its lines' shares.

use super::AdsSource;
use super::keys::DayIdx;
use super::rollup::Selection;
use crate::ledger::Ledger;
use crate::money::share;
use crate::settings::Settings;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;

/// Ad spend loaded for one day (an ads export's row, or the finance export's ad payment) and the
/// gross revenue an ads export reports with it.
#[derive(Debug, Clone)]
pub(super) struct SpendRow {
    pub(super) date: NaiveDate,
    pub(super) cost: Decimal,
    pub(super) gross_revenue: Option<Decimal>,
}

/// The spend rows of the ledger: from the ads exports, else the finance export's ad payments — never
/// both (docs/metrics.md §3).
pub(super) fn spend_rows(ledger: &Ledger) -> (Vec<SpendRow>, AdsSource) {
    if !ledger.ads().is_empty() {
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
                    cost: -r.amounts.settlement.unwrap_or_default(),
                    gross_revenue: None,
                })
            })
            .collect();
        (rows, AdsSource::FinancePayments)
    } else {
        (Vec::new(), AdsSource::None)
    }
}

/// What one cell is allocated of the period's money.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Allocated {
    pub(super) ad_spend: Decimal,
    /// The part of `ad_spend` charged to the SKU itself: its product's GMV Max spend, or the manual
    /// per-SKU amount (docs/metrics.md §3).
    pub(super) ad_spend_attributed: Decimal,
    pub(super) other_marketing: Decimal,
    pub(super) overhead: Decimal,
}

/// Which of [`Allocated`]'s amounts a spread fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Slot {
    AdSpend,
    /// The attributed part of ad spend (filled beside `AdSpend`, never instead of it).
    Attributed,
    OtherMarketing,
    Overhead,
}

impl Allocated {
    fn slot_mut(&mut self, slot: Slot) -> &mut Decimal {
        match slot {
            Slot::AdSpend => &mut self.ad_spend,
            Slot::Attributed => &mut self.ad_spend_attributed,
            Slot::OtherMarketing => &mut self.other_marketing,
            Slot::Overhead => &mut self.overhead,
        }
    }
}

/// The period's spend as loaded, before allocation: per day, and the gross revenue ads exports report.
#[derive(Debug, Clone, Default)]
pub(super) struct PeriodSpend {
    pub(super) ad_spend_by_day: BTreeMap<NaiveDate, Decimal>,
    pub(super) other_marketing_by_day: BTreeMap<NaiveDate, Decimal>,
    pub(super) ads_gross_revenue: Option<Decimal>,
    /// Ad spend with no day (the GMV Max creatives' spend not charged to SKUs, when the detail exports
    /// are the spend): spread by the period's net sales.
    pub(super) ad_spend_undated: Decimal,
}

/// Sums `spend` and the settings' other marketing entries by day, over the days `in_period` keeps.
pub(super) fn period_spend(
    spend: &[SpendRow],
    settings: &Settings,
    in_period: &dyn Fn(NaiveDate) -> bool,
) -> PeriodSpend {
    let mut out = PeriodSpend::default();
    for r in spend.iter().filter(|r| in_period(r.date)) {
        *out.ad_spend_by_day.entry(r.date).or_default() += r.cost;
        if let Some(g) = r.gross_revenue {
            *out.ads_gross_revenue.get_or_insert(Decimal::ZERO) += g;
        }
    }
    for e in settings
        .other_marketing
        .iter()
        .filter(|e| in_period(e.date))
    {
        *out.other_marketing_by_day.entry(e.date).or_default() += e.amount;
    }
    out
}

/// What each cell of `sel` is allocated (positions as in `sel`). `skus` are the cube's SKUs (for the
/// manual per-SKU ad spend), `products` the period's product-level spend (charged first, docs/metrics.md
/// §3; the rest of the spend is spread), `overhead_period` the dates whose overhead the period bears.
pub(super) fn allocate(
    sel: &Selection<'_>,
    days: &[NaiveDate],
    skus: &[super::SkuFigures],
    settings: &Settings,
    spend: &PeriodSpend,
    products: &super::product_ads::ProductCharges,
    overhead_period: (NaiveDate, NaiveDate),
) -> (Vec<Allocated>, super::product_ads::Charged) {
    let mut extra = vec![Allocated::default(); sel.cells.len()];
    let charged = super::product_ads::charge(sel, products, spend, &mut extra);
    let rest = super::product_ads::remainder(spend, products, &charged);
    allocate_daily(sel, days, &rest, &mut extra);
    allocate_per_sku(sel, skus, settings, &mut extra);
    allocate_overhead(sel, settings, overhead_period, &mut extra);
    (extra, charged)
}

/// Spend of a day goes to that day's cells by net sales share; on a day without net sales, to the
/// whole period's cells.
fn allocate_daily(
    sel: &Selection<'_>,
    days: &[NaiveDate],
    spend: &PeriodSpend,
    extra: &mut [Allocated],
) {
    let day_net: HashMap<NaiveDate, (DayIdx, Decimal)> = days
        .iter()
        .zip(&sel.by_day)
        .enumerate()
        .map(|(di, (d, m))| (*d, (DayIdx(di), sel.net_of(m))))
        .collect();
    let mut pooled = Allocated::default();
    for (slot, by_day) in [
        (Slot::AdSpend, &spend.ad_spend_by_day),
        (Slot::OtherMarketing, &spend.other_marketing_by_day),
    ] {
        for (d, amount) in by_day {
            let (cells, dn) = match day_net.get(d) {
                Some((di, dn)) => (di.of(&sel.by_day), *dn),
                None => (None, Decimal::ZERO),
            };
            match cells {
                Some(m) if !dn.is_zero() => {
                    let weights = m.iter().filter_map(|k| Some((*k, *sel.net.get(*k)?)));
                    spread(*amount, dn, weights, slot, extra);
                }
                _ => *pooled.slot_mut(slot) += amount,
            }
        }
    }
    *pooled.slot_mut(Slot::AdSpend) += spend.ad_spend_undated;
    for slot in [Slot::AdSpend, Slot::OtherMarketing] {
        let weights = sel.net.iter().copied().enumerate();
        spread(*pooled.slot_mut(slot), sel.period_net, weights, slot, extra);
    }
}

/// Manual per-SKU ad spend, by the cells' share of the SKU's net sales.
fn allocate_per_sku(
    sel: &Selection<'_>,
    skus: &[super::SkuFigures],
    settings: &Settings,
    extra: &mut [Allocated],
) {
    for (sku, m) in skus.iter().zip(&sel.by_sku) {
        for (name, amount) in &settings.ad_spend_per_sku {
            if **name == sku.sku_id || (!sku.seller_sku.is_empty() && **name == sku.seller_sku) {
                // Charged to the SKU itself: attributed (docs/metrics.md §3).
                for slot in [Slot::AdSpend, Slot::Attributed] {
                    let weights = m.iter().filter_map(|k| Some((*k, *sel.net.get(*k)?)));
                    spread(*amount, sel.net_of(m), weights, slot, extra);
                }
            }
        }
    }
}

/// Overhead: per unit sold, or the period's by net revenue share.
fn allocate_overhead(
    sel: &Selection<'_>,
    settings: &Settings,
    (from, to): (NaiveDate, NaiveDate),
    extra: &mut [Allocated],
) {
    match settings.overhead_per_unit {
        Some(per_unit) => {
            for (x, (_, g)) in extra.iter_mut().zip(&sel.cells) {
                x.overhead = per_unit * Decimal::from(g.figures.units_sold);
            }
        }
        None if !sel.period_net.is_zero() => {
            let revenue: Vec<Decimal> = sel
                .cells
                .iter()
                .zip(&sel.net)
                .map(|((_, g), n)| n - g.figures.output_vat)
                .collect();
            let total = revenue.iter().sum::<Decimal>();
            let weights = revenue.into_iter().enumerate();
            spread(
                settings.overhead_for(from, to),
                total,
                weights,
                Slot::Overhead,
                extra,
            );
        }
        None => {}
    }
}

/// Spreads `amount` over parts by `weights` (position in `extra`, weight; the weights sum to `total`)
/// into `slot`: each part gets `amount × weight / total`, and the last part with a weight also what the
/// division's rounding (in the 28th digit) left, so that the parts sum to `amount` exactly.
pub(super) fn spread(
    amount: Decimal,
    total: Decimal,
    weights: impl Iterator<Item = (usize, Decimal)>,
    slot: Slot,
    extra: &mut [Allocated],
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
        if let Some(x) = extra.get_mut(k) {
            *x.slot_mut(slot) += part;
            given += part;
            last = Some(k);
        }
    }
    if let Some(x) = last.and_then(|k| extra.get_mut(k)) {
        *x.slot_mut(slot) += amount - given;
    }
}
