//! The cube: every line's figures summed into cells once ([`Cube::build`]), and any period's analysis
//! summed from them ([`Cube::analyse`]).

use super::*;

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
    pub(super) skus: Vec<SkuFigures>,
    pub(super) sku_categories: Vec<String>,
    pub(super) days: Vec<NaiveDate>,
    pub(super) channels: Vec<String>,
    pub(super) cells: Vec<((usize, usize, usize), Group)>,
    /// Orders numbered (order lines' and unmatched affiliate rows'): the size of a distinct count.
    pub(super) orders: usize,
    /// Each SKU's product group (a position in `groups`).
    pub(super) sku_group: Vec<usize>,
    pub(super) groups: Vec<String>,
    /// Distinct orders and affiliate orders per (breakdown, key, day) — breakdown 0: all (key 0),
    /// 1: SKU, 2: product group, 3: channel — when every order's lines share one order date (as in
    /// every export: the creation time is the order's). Then a group's orders over any period are the
    /// sum of its days' and no order list is walked per request; otherwise they are counted per request.
    pub(super) day_orders: Option<DayOrders>,
    pub(super) creators: Vec<String>,
    pub(super) creator_cells: Vec<((usize, NaiveDate), CreatorCell)>,
    pub(super) fee_checks: Vec<(String, NaiveDate, Decimal, Decimal)>,
    pub(super) returned: Vec<(usize, NaiveDate, String)>,
    pub(super) spend: Vec<SpendRow>,
    pub(super) ads_source: AdsSource,
    pub(super) has_affiliate: bool,
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
