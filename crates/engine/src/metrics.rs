//! Figures of METRICS.md §1–§5 computed from the ledger under the costs table: totals, and the same
//! figures per SKU, product group, creator, channel and day. One pass computes each line's figures once
//! and adds them to every group the line belongs to, so groups always sum to the totals exactly.

use crate::costs::CostsTable;
use crate::ledger::{AffiliateRow, AffiliateStatus, Ledger, LineStatus, OrderLine};
use crate::money::percent_points;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashSet};

/// Sums of one group of lines. Exact; nothing is rounded here.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
        self.gmv += l.gmv;
        self.cancelled_sales += l.cancelled;
        self.refunds += l.refund;
        self.output_vat += l.output_vat;
        self.cogs += l.cogs;
        self.standard_commission += l.standard_commission;
        self.shop_ads_commission += l.shop_ads_commission;
        self.creator_bonus += l.creator_bonus;
        self.units_sold += l.units_sold;
        self.units_returned += l.units_returned;
        self.sample_units += l.sample_units;
        self.units_without_cost += l.units_without_cost;
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
    units_sold: i64,
    units_returned: i64,
    sample_units: i64,
    units_without_cost: i64,
    /// Sold or returned: the line makes its order count.
    counts_order: bool,
}

fn line_figures(line: &OrderLine, rows: &[&AffiliateRow], costs: &CostsTable) -> LineFigures {
    let mut f = LineFigures::default();
    for r in rows {
        f.standard_commission += r.standard_commission();
        f.shop_ads_commission += r.shop_ads_commission();
        f.creator_bonus += r.bonus();
    }
    let gross = line.gross_sales();
    match line.status {
        LineStatus::Sample => {
            f.sample_units = line.quantity;
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
    f.gmv = gross;
    let returned = line.units_returned();
    // The import refuses paid lines with quantity 0, so this division is safe; checked anyway.
    if returned > 0 && line.quantity > 0 {
        f.refund = gross * Decimal::from(returned) / Decimal::from(line.quantity);
    }
    f.units_returned = returned;
    f.units_sold = line.quantity - returned;
    let vat_rate = line
        .tax_rate
        .unwrap_or_else(|| costs.vat_rate(&line.sku_id, &line.seller_sku));
    if !vat_rate.is_zero() {
        f.output_vat = (gross - f.refund) * vat_rate / (Decimal::ONE + vat_rate);
    }
    match costs.unit_cost(&line.sku_id, &line.seller_sku, line.created.date()) {
        Some(c) => f.cogs = c * Decimal::from(f.units_sold),
        None => f.units_without_cost = f.units_sold,
    }
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
            f.output_vat = row.commission_base * vat / (Decimal::ONE + vat);
        }
        match costs.unit_cost(&row.sku_id, &row.seller_sku, row.created.date()) {
            Some(c) => f.cogs = c * Decimal::from(f.units_sold),
            None => f.units_without_cost = f.units_sold,
        }
    }
    f
}

/// One SKU's identity and figures.
#[derive(Debug, Clone, PartialEq, Eq)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
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
        (!c.is_zero()).then(|| self.figures.net_revenue() / c)
    }
}

/// The figures of a period: totals and every breakdown.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// Affiliate rows (in the period) whose order line is not loaded.
    pub unmatched_affiliate_rows: u64,
}

/// The channel of a line with no affiliate row (METRICS.md §5).
pub const SHOP_CHANNEL: &str = "Shop";

/// Computes every figure over the lines whose order date is within `period` (inclusive; `None` = all).
pub fn analyse(
    ledger: &Ledger,
    costs: &CostsTable,
    period: Option<(NaiveDate, NaiveDate)>,
) -> Analysis {
    let in_period = |d: NaiveDate| period.is_none_or(|(from, to)| d >= from && d <= to);
    // Affiliate rows per line (METRICS.md §3: joined on Order ID + SKU ID).
    let mut per_line: Vec<Vec<&AffiliateRow>> = vec![Vec::new(); ledger.len()];
    let mut unmatched: Vec<&AffiliateRow> = Vec::new();
    for row in ledger.affiliate() {
        match ledger.line_of(row) {
            Some(i) => {
                if let Some(v) = per_line.get_mut(i) {
                    v.push(row);
                }
            }
            None => unmatched.push(row),
        }
    }

    let mut totals = Figures::default();
    let mut orders: HashSet<&str> = HashSet::new();
    let mut affiliate_orders: HashSet<&str> = HashSet::new();
    let mut skus: BTreeMap<&str, (SkuFigures, HashSet<&str>)> = BTreeMap::new();
    let mut groups: BTreeMap<String, (Figures, HashSet<&str>)> = BTreeMap::new();
    let mut creators: BTreeMap<&str, (CreatorFigures, HashSet<&str>)> = BTreeMap::new();
    let mut channels: BTreeMap<String, (Figures, HashSet<&str>, HashSet<&str>)> = BTreeMap::new();
    let mut days: BTreeMap<NaiveDate, (Figures, HashSet<&str>)> = BTreeMap::new();
    let mut first_last: Option<(NaiveDate, NaiveDate)> = None;

    for (i, line) in ledger.lines().iter().enumerate() {
        let day = line.created.date();
        if !in_period(day) {
            continue;
        }
        first_last = Some(first_last.map_or((day, day), |(a, b)| (a.min(day), b.max(day))));
        let rows: &[&AffiliateRow] = per_line.get(i).map_or(&[], Vec::as_slice);
        let lf = line_figures(line, rows, costs);
        let oid = line.order_id.as_str();

        totals.add(&lf);
        if lf.counts_order {
            orders.insert(oid);
            if !rows.is_empty() {
                affiliate_orders.insert(oid);
            }
        }
        let (sku, sku_orders) = skus.entry(&line.sku_id).or_insert_with(|| {
            (
                SkuFigures {
                    sku_id: line.sku_id.clone(),
                    seller_sku: line.seller_sku.clone(),
                    product_name: line.product_name.clone(),
                    variation: line.variation.clone(),
                    product_group: costs
                        .product_group(&line.sku_id, &line.seller_sku)
                        .map_or_else(|| line.product_name.clone(), str::to_string),
                    unit_cost: costs.current_unit_cost(&line.sku_id, &line.seller_sku),
                    figures: Figures::default(),
                },
                HashSet::new(),
            )
        });
        if sku.seller_sku.is_empty() && !line.seller_sku.is_empty() {
            sku.seller_sku = line.seller_sku.clone();
        }
        sku.figures.add(&lf);
        if lf.counts_order {
            sku_orders.insert(oid);
        }
        let group = sku.product_group.clone();
        let (g, g_orders) = groups.entry(group).or_default();
        g.add(&lf);
        let (d, d_orders) = days.entry(day).or_default();
        d.add(&lf);
        let channel = rows
            .first()
            .map_or_else(|| SHOP_CHANNEL.to_string(), |r| channel_of(r));
        let (c, c_orders, c_aff) = channels.entry(channel).or_default();
        c.add(&lf);
        if lf.counts_order {
            g_orders.insert(oid);
            d_orders.insert(oid);
            c_orders.insert(oid);
            if !rows.is_empty() {
                c_aff.insert(oid);
            }
        }
        // Creators: a line's sales count for the first creator on it; each creator's own rows give
        // their commission (a line promoted by two creators is rare; its sales are not split).
        for (k, row) in rows.iter().enumerate() {
            let (cf, c_orders) = creators
                .entry(row.creator.as_str())
                .or_insert_with(|| new_creator(row));
            add_content_type(cf, row);
            let mut part = if k == 0 {
                lf.clone()
            } else {
                LineFigures::default()
            };
            part.standard_commission = row.standard_commission();
            part.shop_ads_commission = row.shop_ads_commission();
            part.creator_bonus = row.bonus();
            cf.figures.add(&part);
            if k > 0 {
                // Only the commission of a second row on the same line is added: not another line.
                cf.figures.lines = cf.figures.lines.saturating_sub(1);
            }
            if k == 0 && lf.counts_order {
                c_orders.insert(oid);
            }
        }
    }

    let mut unmatched_in_period = 0;
    for row in unmatched {
        // Unpaid orders carry no money (METRICS.md §1), whichever export shows them.
        if !in_period(row.created.date()) || row.status == AffiliateStatus::Unpaid {
            continue;
        }
        unmatched_in_period += 1;
        let (cf, c_orders) = creators
            .entry(row.creator.as_str())
            .or_insert_with(|| new_creator(row));
        add_content_type(cf, row);
        cf.figures.add(&unmatched_figures(row, costs));
        cf.unmatched_rows += 1;
        if row.status != AffiliateStatus::Ineligible || row.fully_returned {
            c_orders.insert(row.order_id.as_str());
        }
    }

    totals.orders = orders.len() as u64;
    totals.affiliate_orders = affiliate_orders.len() as u64;
    let mut skus: Vec<SkuFigures> = skus
        .into_values()
        .map(|(mut s, o)| {
            s.figures.orders = o.len() as u64;
            s.figures.affiliate_orders = 0;
            s
        })
        .collect();
    skus.sort_by(|a, b| {
        b.figures
            .net_sales()
            .cmp(&a.figures.net_sales())
            .then_with(|| a.sku_id.cmp(&b.sku_id))
    });
    let mut creators: Vec<CreatorFigures> = creators
        .into_values()
        .map(|(mut c, o)| {
            c.figures.orders = o.len() as u64;
            c.figures.affiliate_orders = c.figures.orders;
            c
        })
        .collect();
    creators.sort_by(|a, b| {
        b.figures
            .net_revenue()
            .cmp(&a.figures.net_revenue())
            .then_with(|| a.creator.cmp(&b.creator))
    });
    Analysis {
        period: period.or(first_last),
        totals,
        skus,
        product_groups: groups
            .into_iter()
            .map(|(k, (mut f, o))| {
                f.orders = o.len() as u64;
                (k, f)
            })
            .collect(),
        creators,
        channels: channels
            .into_iter()
            .map(|(k, (mut f, o, a))| {
                f.orders = o.len() as u64;
                f.affiliate_orders = a.len() as u64;
                (k, f)
            })
            .collect(),
        days: days
            .into_iter()
            .map(|(k, (mut f, o))| {
                f.orders = o.len() as u64;
                (k, f)
            })
            .collect(),
        unmatched_affiliate_rows: unmatched_in_period,
    }
}

fn channel_of(row: &AffiliateRow) -> String {
    if row.content_type.is_empty() {
        "Affiliate (type not given)".to_string()
    } else {
        row.content_type.clone()
    }
}

fn new_creator<'a>(row: &AffiliateRow) -> (CreatorFigures, HashSet<&'a str>) {
    (
        CreatorFigures {
            creator: row.creator.clone(),
            content_types: Vec::new(),
            figures: Figures::default(),
            unmatched_rows: 0,
        },
        HashSet::new(),
    )
}

fn add_content_type(cf: &mut CreatorFigures, row: &AffiliateRow) {
    let t = channel_of(row);
    if !cf.content_types.contains(&t) {
        cf.content_types.push(t);
    }
}
