//! Per-line computation (docs/metrics.md §1–§3): one order line's figures under the costs table, the
//! settings and the fee rules, and an unmatched affiliate row's figures for its creator.

use super::figures::LineFigures;
use super::finance_match::FinanceShare;
use crate::costs::CostsTable;
use crate::fees::{LineFeeInput, line_fee_sums};
use crate::ledger::{AffiliateRow, AffiliateStatus, LineStatus, OrderLine};
use crate::money::share;
use crate::settings::Settings;
use rust_decimal::Decimal;

/// What the cost layers need besides the line itself.
pub(super) struct LineContext<'a> {
    pub(super) costs: &'a CostsTable,
    pub(super) settings: &'a Settings,
    pub(super) market: &'a str,
    /// The fee rules of the line's market (picked once per analysis, not per line).
    pub(super) market_rules: &'a [crate::fees::FeeRule],
    /// The line's share of its order: (gross sales of the line, of the order's sold lines).
    pub(super) order_part: (Decimal, Decimal),
    /// First sold line of its order: per-order charges go here.
    pub(super) first_of_order: bool,
    /// Order-level buyer shipping and taxes (repeated on every line of the export).
    pub(super) order_shipping: Decimal,
    pub(super) order_taxes: Decimal,
    /// Finance rows of this line (matched on Order ID + SKU ID, or the order's share of order-level rows).
    pub(super) finance: Option<FinanceShare>,
}

pub(super) fn line_figures(
    line: &OrderLine,
    rows: &[&AffiliateRow],
    ctx: &LineContext<'_>,
) -> LineFigures {
    let costs = ctx.costs;
    let settings = ctx.settings;
    let mut f = LineFigures::default();
    for r in rows {
        f.standard_commission += r.standard_commission();
        f.shop_ads_commission += r.shop_ads_commission();
        f.creator_bonus += r.bonus();
    }
    let unit_cost = costs.unit_cost(&line.sku_id, &line.seller_sku, line.created.date());
    let gross = line.gross_sales();
    match line.status {
        LineStatus::Sample => {
            f.sample_units = line.quantity;
            // A sample's cost is marketing (docs/metrics.md §3); without a unit cost only its shipping counts.
            f.sample_cost = Decimal::from(line.quantity)
                * (unit_cost.unwrap_or_default() + settings.sample_shipping_per_unit);
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
    f.counts_fee = true;
    f.gmv = gross;
    f.list_sales = line.subtotal_before_discount;
    if !rows.is_empty() {
        f.affiliate_sales = gross;
    }
    let returned = line.units_returned();
    // The import refuses paid lines with quantity 0, so this division is safe; checked anyway.
    if returned > 0 && line.quantity > 0 {
        f.refund = share(gross, Decimal::from(returned), Decimal::from(line.quantity));
    }
    // docs/metrics.md §2: where a settled finance row gives the line's (or its order's) refund, its
    // amount replaces the unit-based estimate, up to the line's gross sales.
    if let Some(refund) = ctx
        .finance
        .and_then(|fin| fin.refund)
        .filter(|r| *r > Decimal::ZERO)
    {
        f.refund = refund.min(gross.max(Decimal::ZERO));
        f.finance_refund = true;
    }
    f.units_returned = returned;
    f.units_sold = line.quantity - returned;
    // docs/metrics.md §2 output_vat: the export's Product Tax Rate (an explicit 0 % is a zero-rated line),
    // else the SKU's rate in the costs sheet, else the seller's answer to the VAT question for the market
    // (a UK/EU export whose tax columns are 0 on every line carries no rate: see import::orders).
    let mut vat_rate = line
        .tax_rate
        .unwrap_or_else(|| costs.vat_rate(&line.sku_id, &line.seller_sku));
    if vat_rate.is_zero() && line.tax_rate.is_none() {
        vat_rate = settings.vat_rate_for(ctx.market);
    }
    if !vat_rate.is_zero() {
        f.output_vat = share(gross - f.refund, vat_rate, Decimal::ONE + vat_rate);
    }
    match unit_cost {
        Some(c) => f.cogs = c * Decimal::from(f.units_sold),
        None => f.units_without_cost = f.units_sold,
    }
    // Platform fees: the dated rules of the market (docs/fees.md), replaced by the finance export's actual
    // fees where the line is matched (docs/metrics.md §3).
    let modelled = line_fee_sums(
        ctx.market_rules,
        &LineFeeInput {
            market: ctx.market,
            date: line.created.date(),
            category: Some(&*line.category).filter(|c| !c.is_empty()),
            gross_sales: gross,
            platform_discount: line.platform_discount,
            buyer_shipping: share(ctx.order_shipping, ctx.order_part.0, ctx.order_part.1),
            tax: share(ctx.order_taxes, ctx.order_part.0, ctx.order_part.1),
            quantity: line.quantity,
            units_returned: returned,
            cancelled: false,
            first_line_of_order: ctx.first_of_order,
        },
    );
    f.fee_modelled = modelled.modelled;
    f.modelled_fees = modelled.net();
    let returned_units = Decimal::from(returned);
    f.returns_cost = returned_units
        * (unit_cost.unwrap_or_default() * (Decimal::ONE - settings.restock_rate)
            + settings.return_shipping_per_unit);
    match ctx.finance {
        Some(fin) => {
            f.actual_fees = Some(fin.platform_fees);
            f.platform_fees = fin.platform_fees;
            f.actual_settlement = fin.settlement;
            f.settled = fin.settled;
        }
        None => {
            // The refund administration fee is a cost of the return (docs/metrics.md §3, modelled fees only).
            f.platform_fees = modelled.charged - modelled.returned;
            f.returns_cost += modelled.refund_admin_fee;
        }
    }
    let per_unit = costs
        .fulfillment_per_unit_opt(&line.sku_id, &line.seller_sku)
        .unwrap_or(settings.fulfillment_per_unit);
    // Returned units were shipped too.
    f.fulfillment = per_unit * Decimal::from(line.quantity)
        + if ctx.first_of_order {
            settings.fulfillment_per_order
        } else {
            Decimal::ZERO
        };
    f.shipping = match ctx.finance.and_then(|fin| fin.shipping) {
        Some(s) => s,
        None if ctx.first_of_order => settings.shipping_per_order,
        None => Decimal::ZERO,
    };
    f
}

/// An affiliate row whose order line is not loaded counts for its creator on its `Est. Commission Base`
/// (docs/metrics.md §5); `Fully returned or refunded` = Yes makes it a refund.
pub(super) fn unmatched_figures(
    row: &AffiliateRow,
    costs: &CostsTable,
    market_vat: Decimal,
) -> LineFigures {
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
        let mut vat = costs.vat_rate(&row.sku_id, &row.seller_sku);
        if vat.is_zero() {
            vat = market_vat;
        }
        if !vat.is_zero() {
            f.output_vat = share(row.commission_base, vat, Decimal::ONE + vat);
        }
        match costs.unit_cost(&row.sku_id, &row.seller_sku, row.created.date()) {
            Some(c) => f.cogs = c * Decimal::from(f.units_sold),
            None => f.units_without_cost = f.units_sold,
        }
    }
    f
}
