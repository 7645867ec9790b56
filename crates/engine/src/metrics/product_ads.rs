//! Product-level ad spend (docs/metrics.md §3): the GMV Max creatives exports say what each product ID
//! cost; where a product's SKUs are known, that spend is charged to them by their net sales within the
//! product, and only the rest of the period's spend is spread by each day's net sales.
//!
//! The creatives' spend is a total over a window (the one the file name states, else the loaded orders'
//! span): a report period counts the share of it its days make of the window (pro rata by days; all of
//! it when the period covers the window). When a daily source is loaded (a GMV Max campaign overview, an
//! Ads Manager cost report, else the finance export's ad payments), it holds the same money: the product
//! charges are carved out of its total (scaled down to it if they exceed it) and each day's spend is
//! scaled by what remains. Without one, the detail exports are the spend: the LIVE campaigns' cost on
//! their launch days, the creatives' by product (what cannot be charged to SKUs, spread by the period's
//! net sales).

use super::AdsSource;
use super::allocation::{Allocated, PeriodSpend, Slot, SpendRow, spread};
use super::cube::Cube;
use super::keys::SkuIdx;
use super::rollup::Selection;
use crate::gmv_max::GmvMaxRecords;
use crate::money::share;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

type Window = (NaiveDate, NaiveDate);

/// The creatives' spend as the cube keeps it (independent of the period).
#[derive(Debug, Clone, Default)]
pub(super) struct CubeProducts {
    products: Vec<StoredProduct>,
    /// The loaded order lines' first and last date: the window of an export that states none.
    assumed: Option<Window>,
    exported_on: Option<NaiveDate>,
    loaded: bool,
}

#[derive(Debug, Clone)]
struct StoredProduct {
    product_id: String,
    skus: Vec<SkuIdx>,
    sku_ids: Vec<String>,
    /// Cost and gross revenue per window (`None`: the export stated none).
    parts: BTreeMap<Option<Window>, (Decimal, Option<Decimal>)>,
    sku_orders: i64,
}

/// One product ID's spend in a period (docs/metrics.md §3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductAds {
    /// The product ID (empty for rows that give none).
    pub product_id: String,
    /// The loaded SKUs it maps to (SKU ID, else seller SKU): empty when unmapped.
    pub sku_ids: Vec<String>,
    /// Σ `Cost` of its rows, as reported.
    pub cost: Decimal,
    /// Σ `SKU orders`, as reported.
    pub sku_orders: i64,
    /// Σ `Gross revenue`, as reported.
    pub gross_revenue: Option<Decimal>,
    /// cost × the period's share of its window (all of it when the period covers the window).
    pub period_cost: Decimal,
    /// What of `period_cost` is charged to its SKUs.
    pub attributed: Decimal,
}

/// A window of creatives spend and the period's share of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowShare {
    /// First and last day.
    pub window: (NaiveDate, NaiveDate),
    /// Stated by the export's file name (else: the loaded orders' span).
    pub stated: bool,
    /// Days of the period within it ÷ its days.
    pub share: Decimal,
}

/// The product-level spend of a period: what each product cost and what was charged to its SKUs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductAdSpend {
    /// A creatives export is loaded.
    pub loaded: bool,
    /// Per product ID.
    pub products: Vec<ProductAds>,
    /// The windows of the spend and the period's share of each.
    pub windows: Vec<WindowShare>,
    /// The latest export day of a creatives export that states no window.
    pub exported_on: Option<NaiveDate>,
    /// The daily ads exports (or the finance payments) hold this spend: it is carved out of their total.
    pub within_daily: bool,
    /// The product charges exceeded the daily total and were scaled down to it.
    pub capped: bool,
}

impl ProductAdSpend {
    /// Spend the daily sources do not hold (the creatives' period cost, when they are the spend).
    pub fn undated_spend(&self) -> Decimal {
        if self.within_daily {
            Decimal::ZERO
        } else {
            self.products.iter().map(|p| p.period_cost).sum()
        }
    }
}

/// One product's charge in a period: its SKUs and its period cost.
#[derive(Debug, Clone)]
pub(super) struct Charge {
    skus: Vec<SkuIdx>,
    amount: Decimal,
}

/// The product charges of a period.
#[derive(Debug, Clone, Default)]
pub(super) struct ProductCharges {
    /// One per product, in the cube's order (a product without SKUs charges nothing).
    charges: Vec<Charge>,
    period_costs: Vec<Decimal>,
    period_gross: Option<Decimal>,
    windows: Vec<WindowShare>,
    within_daily: bool,
}

impl ProductCharges {
    /// Gross revenue the creatives report for the period (their share of it), when they are the spend.
    pub(super) fn undated_gross_revenue(&self) -> Option<Decimal> {
        if self.within_daily {
            None
        } else {
            self.period_gross
        }
    }
}

/// Days from `a` to `b`, both included (0 when `b` is before `a`).
fn days(a: NaiveDate, b: NaiveDate) -> i64 {
    (b - a).num_days().saturating_add(1).max(0)
}

impl CubeProducts {
    /// The charges of `period` (`None`: every loaded day, the whole cost); `within_daily` when a daily
    /// source holds the same money.
    pub(super) fn charges(&self, period: Option<Window>, within_daily: bool) -> ProductCharges {
        let mut windows: BTreeMap<(Window, bool), Decimal> = BTreeMap::new();
        // The part of `amount` spent on `window`'s days that the period counts.
        let mut counted = |window: Option<Window>, amount: Decimal| -> Decimal {
            let (w, stated) = match (window, self.assumed) {
                (Some(w), _) => (w, true),
                (None, Some(w)) => (w, false),
                (None, None) => return amount,
            };
            let len = days(w.0, w.1);
            let within = match period {
                None => len,
                Some((from, to)) => days(from.max(w.0), to.min(w.1)),
            };
            windows.entry((w, stated)).or_insert_with(|| {
                Decimal::from(within)
                    .checked_div(Decimal::from(len))
                    .unwrap_or(Decimal::ONE)
            });
            if within >= len {
                amount
            } else {
                share(amount, Decimal::from(within), Decimal::from(len))
            }
        };
        let mut out = ProductCharges {
            within_daily,
            ..ProductCharges::default()
        };
        for p in &self.products {
            let mut cost = Decimal::ZERO;
            for (window, (c, g)) in &p.parts {
                cost += counted(*window, *c);
                if let Some(g) = g {
                    *out.period_gross.get_or_insert(Decimal::ZERO) += counted(*window, *g);
                }
            }
            out.period_costs.push(cost);
            out.charges.push(Charge {
                skus: p.skus.clone(),
                amount: cost,
            });
        }
        out.windows = windows
            .into_iter()
            .map(|((window, stated), share)| WindowShare {
                window,
                stated,
                share,
            })
            .collect();
        out
    }

    /// What the period's analysis reports of the charges (`charged` as [`charge`] gave them).
    pub(super) fn result(&self, c: &ProductCharges, charged: &Charged) -> ProductAdSpend {
        ProductAdSpend {
            loaded: self.loaded,
            products: self
                .products
                .iter()
                .enumerate()
                .map(|(i, p)| ProductAds {
                    product_id: p.product_id.clone(),
                    sku_ids: p.sku_ids.clone(),
                    cost: p.parts.values().map(|(c, _)| *c).sum(),
                    sku_orders: p.sku_orders,
                    gross_revenue: p
                        .parts
                        .values()
                        .filter_map(|(_, g)| *g)
                        .reduce(|a, b| a + b),
                    period_cost: c.period_costs.get(i).copied().unwrap_or_default(),
                    attributed: charged.amounts.get(i).copied().unwrap_or_default(),
                })
                .collect(),
            windows: c.windows.clone(),
            exported_on: self.exported_on,
            within_daily: c.within_daily,
            capped: charged.capped,
        }
    }
}

/// What each product was charged in a period, and whether the charges were scaled down to the daily
/// sources' total.
#[derive(Debug, Clone, Default)]
pub(super) struct Charged {
    pub(super) amounts: Vec<Decimal>,
    pub(super) capped: bool,
}

/// Charges each product's period cost to the period's cells of its SKUs, by their net sales (only
/// when those add up to more than zero), into `extra` (ad spend, and its attributed part). With a
/// daily source, the charges are scaled down to its total when they exceed it.
pub(super) fn charge(
    sel: &Selection<'_>,
    c: &ProductCharges,
    spend: &PeriodSpend,
    extra: &mut [Allocated],
) -> Charged {
    let plans: Vec<(Vec<usize>, Decimal)> = c
        .charges
        .iter()
        .map(|ch| {
            let members: Vec<usize> = ch
                .skus
                .iter()
                .filter_map(|s| s.of(&sel.by_sku))
                .flatten()
                .copied()
                .collect();
            let net = sel.net_of(&members);
            (members, net)
        })
        .collect();
    let mut capped = false;
    let mut amounts: Vec<Decimal> = c
        .charges
        .iter()
        .zip(&plans)
        .map(|(ch, (_, net))| {
            if *net > Decimal::ZERO && ch.amount > Decimal::ZERO {
                ch.amount
            } else {
                Decimal::ZERO
            }
        })
        .collect();
    if c.within_daily {
        let total: Decimal = spend.ad_spend_by_day.values().sum();
        let wanted: Decimal = amounts.iter().sum();
        if wanted > total {
            capped = true;
            let cap = total.max(Decimal::ZERO);
            let mut given = Decimal::ZERO;
            let mut last = None;
            for (k, a) in amounts.iter_mut().enumerate() {
                if a.is_zero() {
                    continue;
                }
                *a = share(*a, cap, wanted);
                given += *a;
                last = Some(k);
            }
            if let Some(a) = last.and_then(|k| amounts.get_mut(k)) {
                *a += cap - given;
            }
        }
    }
    for ((members, net), amount) in plans.iter().zip(&amounts) {
        for slot in [Slot::AdSpend, Slot::Attributed] {
            let weights = members.iter().filter_map(|k| Some((*k, *sel.net.get(*k)?)));
            spread(*amount, *net, weights, slot, extra);
        }
    }
    Charged { amounts, capped }
}

/// The period's spend left to spread once the products are charged: with a daily source, each day's
/// spend × (total − charged) ÷ total (the parts adding up to the remainder exactly); without one, the
/// creatives' spend not charged to SKUs, spread by the period's net sales.
pub(super) fn remainder<'s>(
    spend: &'s PeriodSpend,
    c: &ProductCharges,
    charged: &Charged,
) -> Cow<'s, PeriodSpend> {
    let charged_sum: Decimal = charged.amounts.iter().sum();
    if c.within_daily {
        let total: Decimal = spend.ad_spend_by_day.values().sum();
        if charged_sum.is_zero() || total.is_zero() {
            return Cow::Borrowed(spend);
        }
        let rest = total - charged_sum;
        let mut scaled = spend.clone();
        let mut given = Decimal::ZERO;
        let mut last = None;
        for (d, amount) in scaled.ad_spend_by_day.iter_mut() {
            *amount = share(*amount, rest, total);
            given += *amount;
            last = Some(*d);
        }
        if let Some(a) = last.and_then(|d| scaled.ad_spend_by_day.get_mut(&d)) {
            *a += rest - given;
        }
        Cow::Owned(scaled)
    } else {
        let total: Decimal = c.period_costs.iter().sum();
        let undated = total - charged_sum;
        if undated.is_zero() {
            return Cow::Borrowed(spend);
        }
        let mut more = spend.clone();
        more.ad_spend_undated += undated;
        Cow::Owned(more)
    }
}

impl Cube {
    /// Adds the GMV Max detail records of the cube's files (docs/metrics.md §3): the creatives' spend per
    /// product ID, each product's SKUs found among the cube's by `product_skus` (SKU ID or seller SKU, as
    /// [`crate::gmv_max::product_skus`] gives them). When no daily source of spend is loaded (no GMV Max
    /// campaign overview, Ads Manager report or finance ad payment), the detail exports are the spend:
    /// the LIVE campaigns' cost on their launch days, and the creatives' by product.
    pub fn attach_gmv_max(
        &mut self,
        records: &GmvMaxRecords,
        product_skus: &BTreeMap<String, BTreeSet<String>>,
    ) {
        if records.is_empty() {
            return;
        }
        let mut by_key: HashMap<&str, Vec<SkuIdx>> = HashMap::default();
        for (i, s) in self.skus.iter().enumerate() {
            by_key.entry(s.sku_id.as_str()).or_default().push(SkuIdx(i));
            if !s.seller_sku.is_empty() && s.seller_sku != s.sku_id {
                by_key
                    .entry(s.seller_sku.as_str())
                    .or_default()
                    .push(SkuIdx(i));
            }
        }
        let mut products: BTreeMap<&str, StoredProduct> = BTreeMap::new();
        for c in &records.creatives {
            let p = products
                .entry(c.row.product_id.as_str())
                .or_insert_with(|| {
                    let mut skus: Vec<SkuIdx> = product_skus
                        .get(c.row.product_id.as_str())
                        .into_iter()
                        .flatten()
                        .filter_map(|k| by_key.get(k.as_str()))
                        .flatten()
                        .copied()
                        .collect();
                    skus.sort_unstable();
                    skus.dedup();
                    let sku_ids = skus
                        .iter()
                        .filter_map(|s| s.of(&self.skus))
                        .map(|s| s.sku_id.clone())
                        .collect();
                    StoredProduct {
                        product_id: c.row.product_id.clone(),
                        skus,
                        sku_ids,
                        parts: BTreeMap::new(),
                        sku_orders: 0,
                    }
                });
            let part = p.parts.entry(c.window).or_insert((Decimal::ZERO, None));
            part.0 += c.row.cost;
            if let Some(g) = c.row.gross_revenue {
                *part.1.get_or_insert(Decimal::ZERO) += g;
            }
            p.sku_orders = p
                .sku_orders
                .saturating_add(c.row.sku_orders.unwrap_or_default());
        }
        let first = self.days.iter().min().copied();
        let last = self.days.iter().max().copied();
        self.product_ads = CubeProducts {
            products: products.into_values().collect(),
            assumed: first.zip(last),
            exported_on: records.exported_on,
            loaded: !records.creatives.is_empty(),
        };
        if self.ads_source == AdsSource::None {
            self.ads_source = AdsSource::GmvMaxDetail;
            self.spend.extend(records.live.iter().map(|r| SpendRow {
                date: r.launched.date(),
                cost: r.cost,
                gross_revenue: r.gross_revenue,
            }));
        }
    }
}
