//! Every order line's own figures and its part of its cell's allocations, and every affiliate row's
//! part of its creator's figures, one record at a time: what the warehouse export writes as its
//! `lines` and `creator_lines` tables (docs/warehouse.md). The figures are the report's own — the same
//! per-line computation ([`super::cube::LinePass`]) and the same allocation of the period's money
//! ([`Cube::allocate_period`]) — so any grouping of the records sums to the report's figures.

use super::cube::{LinePass, LineSetup};
use super::figures::{Figures, LineFigures};
use super::gather::channel_name;
use super::keys::{CellKey, ChannelIdx, DayIdx, SkuIdx};
use super::line::unmatched_figures;
use super::{Cube, SHOP_CHANNEL};
use crate::costs::CostsTable;
use crate::coverage::{Coverage, DataKind};
use crate::ledger::{AffiliateRow, AffiliateStatus, Joined, Ledger, OrderLine};
use crate::money::{Currency, share};
use crate::settings::Settings;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap as HashMap;

/// One order line of the period with its figures.
#[derive(Debug, Clone)]
pub struct LineRecord<'a> {
    /// The order line.
    pub line: &'a OrderLine,
    /// The SKU's product group: the costs sheet's, else the product name.
    pub product_group: &'a str,
    /// The line's channel: its first affiliate row's content type, else `Shop` (docs/metrics.md §5).
    pub channel: &'a str,
    /// The first affiliate row on the line: its creator is credited with the line's sales.
    pub first_row: Option<&'a AffiliateRow>,
    /// The line's own sums (`lines` = 1; `orders` is not set: a count of distinct orders is made by
    /// whoever groups the lines) with its part of its cell's ad spend, other marketing and overhead.
    pub figures: Figures,
    /// A sold or returned line: its order counts among the orders (docs/metrics.md §2).
    pub counts_order: bool,
    /// It counts and has an affiliate row: its order counts among the affiliate orders.
    pub affiliated: bool,
    /// Its day is one both the Orders and the Affiliate exports cover (or one of them is not
    /// loaded): the channel split counts it (docs/metrics.md §9).
    pub in_channel_split: bool,
    /// The earliest settlement date of its finance rows.
    pub settled: Option<NaiveDate>,
}

/// One affiliate row's part of its creator's figures (docs/metrics.md §5).
#[derive(Debug, Clone)]
pub struct CreatorRecord<'a> {
    /// The affiliate row.
    pub row: &'a AffiliateRow,
    /// The row's content type (its channel).
    pub channel: &'a str,
    /// The order line it is joined to; `None` when that line is not loaded (the row counts on its
    /// commission base).
    pub line: Option<&'a OrderLine>,
    /// The day it counts on: its line's order date, else its own creation date.
    pub day: NaiveDate,
    /// The first row on its line: the line's sales are this creator's. Another creator's row on
    /// the same line brings only its commission.
    pub first_on_line: bool,
    /// Its order counts among the creator's orders.
    pub counts_order: bool,
    /// Its day is one the Orders exports cover (or none is loaded): creator figures count it
    /// (docs/metrics.md §9; the others are `creators_excluded`).
    pub in_creator_figures: bool,
    /// The row's part of the creator's sums (`lines` 1 for a first or unmatched row, else 0).
    pub figures: Figures,
    /// 1 for a row whose line is not loaded.
    pub unmatched_rows: u64,
}

/// What [`records`] reads besides the ledger.
pub struct RecordInput<'a> {
    /// The costs table the cube was built with (costs sheets among the files merged).
    pub costs: &'a CostsTable,
    /// The settings the cube was built with.
    pub settings: &'a Settings,
    /// The report's currency.
    pub currency: Currency,
    /// The cube the report was summed from (the same ledger, costs and settings).
    pub cube: &'a Cube,
    /// The period (inclusive; `None` = every loaded day).
    pub period: Option<(NaiveDate, NaiveDate)>,
    /// The loaded files' coverage (docs/metrics.md §9).
    pub coverage: &'a Coverage,
}

/// Calls `on_line` for every order line whose order date is in the period, in ledger order, and
/// `on_creator` for every affiliate row that counts for a creator in the period (the joined rows in
/// their lines' order, then the rows whose line is not loaded).
///
/// A cell's (SKU, day, channel) allocations are given to its lines by their share of the cell's net
/// sales (in equal parts when the cell has none), each kept to `money::SHARE_DP` places, the cell's
/// last line taking what is left: the lines of a cell add up to the cell exactly, so any grouping of
/// lines adds up to the report.
pub fn records<'a>(
    ledger: &Ledger<'a>,
    joined: Joined<'a>,
    input: &RecordInput<'a>,
    on_line: &mut dyn FnMut(LineRecord<'a>),
    on_creator: &mut dyn FnMut(CreatorRecord<'a>),
) {
    let RecordInput {
        costs,
        settings,
        currency,
        cube,
        period,
        coverage,
    } = *input;
    let in_period = |d: NaiveDate| period.is_none_or(|(from, to)| d >= from && d <= to);
    let orders_cover = coverage.get(DataKind::Orders);
    let creator_day = |d: NaiveDate| orders_cover.is_none_or(|o| o.covers(d));
    let joined_cover = coverage.joined();
    let joined_day = |d: NaiveDate| joined_cover.as_ref().is_none_or(|j| j.covers(d));

    let alloc = cube.allocate_period(settings, period, &in_period);
    let mut split = CellSplit::new(cube, &alloc.sel, &alloc.extra);

    let Joined {
        per_line,
        unmatched,
    } = joined;
    let setup = LineSetup::new(ledger, settings, currency);
    let pass = LinePass {
        costs,
        settings,
        market: &setup.market,
        market_rules: &setup.market_rules,
        orders: &setup.orders,
        finance: &setup.finance,
        per_line: &per_line,
    };
    for (i, line) in ledger.lines().iter().enumerate() {
        let day = line.created.date();
        if !in_period(day) {
            continue;
        }
        let lf = pass.figures(i, line);
        let rows: &[&AffiliateRow] = per_line.get(i).map_or(&[], Vec::as_slice);
        let channel: &'a str = rows.first().map_or(SHOP_CHANNEL, |r| channel_name(r));
        let mut figures = Figures::default();
        figures.add(&lf);
        split.give(&line.sku_id, day, channel, &mut figures);
        for (k, &row) in rows.iter().enumerate() {
            let part = if k == 0 {
                let mut p = lf.clone();
                p.standard_commission = row.standard_commission();
                p.shop_ads_commission = row.shop_ads_commission();
                p.creator_bonus = row.bonus();
                p
            } else {
                LineFigures {
                    standard_commission: row.standard_commission(),
                    shop_ads_commission: row.shop_ads_commission(),
                    creator_bonus: row.bonus(),
                    ..LineFigures::default()
                }
            };
            let mut f = Figures::default();
            f.add(&part);
            if k > 0 {
                f.lines = 0;
            }
            on_creator(CreatorRecord {
                row,
                channel: channel_name(row),
                line: Some(line),
                day,
                first_on_line: k == 0,
                counts_order: k == 0 && lf.counts_order,
                in_creator_figures: creator_day(day),
                figures: f,
                unmatched_rows: 0,
            });
        }
        on_line(LineRecord {
            line,
            product_group: split.product_group(&line.sku_id),
            channel,
            first_row: rows.first().copied(),
            figures,
            counts_order: lf.counts_order,
            affiliated: lf.counts_order && !rows.is_empty(),
            in_channel_split: joined_day(day),
            settled: lf.settled,
        });
    }
    // Affiliate rows whose line is not loaded count for their creators (docs/metrics.md §5); unpaid
    // orders carry no money.
    let market_vat = settings.vat_rate_for(&setup.market);
    for row in unmatched {
        let day = row.created.date();
        if row.status == AffiliateStatus::Unpaid || !in_period(day) {
            continue;
        }
        let mut figures = Figures::default();
        figures.add(&unmatched_figures(row, costs, market_vat));
        on_creator(CreatorRecord {
            row,
            channel: channel_name(row),
            line: None,
            day,
            first_on_line: true,
            counts_order: row.status != AffiliateStatus::Ineligible || row.fully_returned,
            in_creator_figures: creator_day(day),
            figures,
            unmatched_rows: 1,
        });
    }
}

/// The period's cells with what each is allocated, and what has been given to their lines so far.
struct CellSplit<'c> {
    skus: &'c [super::SkuFigures],
    sku: HashMap<&'c str, SkuIdx>,
    day: HashMap<NaiveDate, DayIdx>,
    channel: HashMap<&'c str, ChannelIdx>,
    /// Position in the selection of each cell key.
    cell: HashMap<CellKey, usize>,
    /// Per cell of the selection: its allocations, net sales and lines, and the lines seen and the
    /// amounts given so far.
    state: Vec<CellState>,
}

struct CellState {
    allocated: [Decimal; 4],
    net_sales: Decimal,
    lines: u64,
    seen: u64,
    given: [Decimal; 4],
}

impl<'c> CellSplit<'c> {
    fn new(
        cube: &'c Cube,
        sel: &super::rollup::Selection<'_>,
        extra: &[super::allocation::Allocated],
    ) -> Self {
        let sku = cube
            .skus
            .iter()
            .enumerate()
            .map(|(i, s)| (s.sku_id.as_str(), SkuIdx(i)))
            .collect();
        let day = cube
            .days
            .iter()
            .enumerate()
            .map(|(i, d)| (*d, DayIdx(i)))
            .collect();
        let channel = cube
            .channels
            .iter()
            .enumerate()
            .map(|(i, c)| (c.as_str(), ChannelIdx(i)))
            .collect();
        let mut cell = HashMap::default();
        let mut state = Vec::with_capacity(sel.cells.len());
        for (k, ((key, group), a)) in sel.cells.iter().zip(extra).enumerate() {
            cell.insert(*key, k);
            state.push(CellState {
                allocated: [
                    a.ad_spend,
                    a.ad_spend_attributed,
                    a.other_marketing,
                    a.overhead,
                ],
                net_sales: group.figures.net_sales(),
                lines: group.figures.lines,
                seen: 0,
                given: [Decimal::ZERO; 4],
            });
        }
        CellSplit {
            skus: &cube.skus,
            sku,
            day,
            channel,
            cell,
            state,
        }
    }

    /// The product group of the SKU with ID `sku` (empty when the cube has no such SKU).
    fn product_group(&self, sku: &str) -> &'c str {
        self.sku
            .get(sku)
            .and_then(|i| i.of(self.skus))
            .map_or("", |s| s.product_group.as_str())
    }

    /// Gives the line of (`sku`, `day`, `channel`) with `figures` its part of its cell's allocations.
    fn give(&mut self, sku: &str, day: NaiveDate, channel: &str, figures: &mut Figures) {
        let key = match (
            self.sku.get(sku),
            self.day.get(&day),
            self.channel.get(channel),
        ) {
            (Some(&sku), Some(&day), Some(&channel)) => CellKey { sku, day, channel },
            _ => return,
        };
        let Some(s) = self.cell.get(&key).and_then(|&k| self.state.get_mut(k)) else {
            return;
        };
        s.seen += 1;
        let last = s.seen >= s.lines;
        let net = figures.net_sales();
        let mut part = [Decimal::ZERO; 4];
        for ((p, a), g) in part.iter_mut().zip(&s.allocated).zip(s.given.iter_mut()) {
            *p = if last {
                *a - *g
            } else if !s.net_sales.is_zero() {
                share(*a, net, s.net_sales)
            } else {
                share(*a, Decimal::ONE, Decimal::from(s.lines))
            };
            *g += *p;
        }
        let [ad_spend, attributed, other_marketing, overhead] = part;
        figures.ad_spend = ad_spend;
        figures.ad_spend_attributed = attributed;
        figures.other_marketing = other_marketing;
        figures.overhead = overhead;
    }
}
