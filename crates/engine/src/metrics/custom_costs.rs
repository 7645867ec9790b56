//! The seller's custom costs (docs/metrics.md §3 `custom_costs`, settings `custom_costs`) allocated over
//! a period's cells: a fixed cost's amount for the period by the cells' share of net revenue (as
//! overhead), a percentage cost as that percentage of each cell's own figure (so an agency fee of 10 %
//! of ad spend follows each SKU's ad spend). Marketing costs go into `other_marketing` (CM2), overhead
//! costs into `overhead` (net profit). Runs after the ad spend is allocated, which a percentage of ad
//! spend reads.

use super::allocation::{Allocated, Slot, spread};
use super::rollup::Selection;
use crate::money::share;
use crate::settings::{CostBase, CostLayer, CostRule, CustomCost, Settings};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One custom cost and what the period's figures carry of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomCostAmount {
    /// The cost as set.
    pub cost: CustomCost,
    /// The amount allocated over the period's cells (a fixed cost is carried only where there is net
    /// revenue to carry it, as overhead).
    pub amount: Decimal,
}

/// Adds each custom cost of `settings` to the cells of `sel` (positions as in `extra`) for the period
/// `from`–`to`, and returns what each one came to.
pub(super) fn allocate(
    sel: &Selection<'_>,
    settings: &Settings,
    (from, to): (NaiveDate, NaiveDate),
    extra: &mut [Allocated],
) -> Vec<CustomCostAmount> {
    if settings.custom_costs.is_empty() {
        return Vec::new();
    }
    let revenue: Vec<Decimal> = sel
        .cells
        .iter()
        .zip(&sel.net)
        .map(|((_, g), n)| n - g.figures.output_vat)
        .collect();
    let total_revenue: Decimal = revenue.iter().sum();
    settings
        .custom_costs
        .iter()
        .map(|cost| {
            let slot = match cost.layer {
                CostLayer::Marketing => Slot::OtherMarketing,
                CostLayer::Overhead => Slot::Overhead,
            };
            let amount = match cost.rule {
                CostRule::Percent { percent, of } => {
                    let mut total = Decimal::ZERO;
                    for (k, x) in extra.iter_mut().enumerate() {
                        let (Some((_, g)), Some(net), Some(rev)) =
                            (sel.cells.get(k), sel.net.get(k), revenue.get(k))
                        else {
                            continue;
                        };
                        let base = match of {
                            CostBase::Gmv => g.figures.gmv,
                            CostBase::NetSales => *net,
                            CostBase::NetRevenue => *rev,
                            CostBase::Cogs => g.figures.cogs,
                            CostBase::AdSpend => x.ad_spend,
                            CostBase::AffiliateCommission => g.figures.affiliate_commission(),
                        };
                        let part = share(base, percent, Decimal::ONE_HUNDRED);
                        match slot {
                            Slot::OtherMarketing => x.other_marketing += part,
                            _ => x.overhead += part,
                        }
                        total += part;
                    }
                    total
                }
                _ => {
                    let amount = cost.rule.amount_for(from, to).unwrap_or_default();
                    let weights = revenue.iter().copied().enumerate();
                    spread(amount, total_revenue, weights, slot, extra);
                    // `spread` gives nothing when there is no net revenue to carry it.
                    if total_revenue.is_zero() {
                        Decimal::ZERO
                    } else {
                        amount
                    }
                }
            };
            CustomCostAmount {
                cost: cost.clone(),
                amount,
            }
        })
        .collect()
}
