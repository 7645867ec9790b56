//! GMV down to cash (docs/metrics.md §6): the waterfall's steps as typed values, and the report's
//! waterfall with the actual settlement of the lines a finance export matched beside their estimate.

use crate::metrics::Figures;
use crate::money::Currency;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Which figure a waterfall step is (docs/metrics.md §6), in the order the waterfall runs. Serialised as
/// its METRICS key (`"gmv"`, `"cancelled_sales"`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKey {
    /// GMV: gross sales of paid, non-sample lines (a subtotal).
    Gmv,
    /// Sales of cancelled lines (a deduction).
    CancelledSales,
    /// Refunded sales (a deduction).
    Refunds,
    /// Net sales (a subtotal).
    NetSales,
    /// VAT collected on net sales (a deduction).
    OutputVat,
    /// Referral, transaction and other platform fees (a deduction).
    PlatformFees,
    /// Standard + Shop Ads commission + co-funded creator bonus (a deduction).
    AffiliateCommission,
    /// Shipping the seller pays (a deduction).
    Shipping,
    /// What the platform should pay out (a subtotal).
    EstimatedSettlement,
}

impl StepKey {
    /// Every step, in the waterfall's order.
    pub const ALL: [StepKey; 9] = [
        StepKey::Gmv,
        StepKey::CancelledSales,
        StepKey::Refunds,
        StepKey::NetSales,
        StepKey::OutputVat,
        StepKey::PlatformFees,
        StepKey::AffiliateCommission,
        StepKey::Shipping,
        StepKey::EstimatedSettlement,
    ];

    /// The METRICS key, as the JSON names the step.
    pub fn key(self) -> &'static str {
        match self {
            StepKey::Gmv => "gmv",
            StepKey::CancelledSales => "cancelled_sales",
            StepKey::Refunds => "refunds",
            StepKey::NetSales => "net_sales",
            StepKey::OutputVat => "output_vat",
            StepKey::PlatformFees => "platform_fees",
            StepKey::AffiliateCommission => "affiliate_commission",
            StepKey::Shipping => "shipping",
            StepKey::EstimatedSettlement => "estimated_settlement",
        }
    }

    /// The short label a chart axis shows.
    pub fn label(self) -> &'static str {
        match self {
            StepKey::Gmv => "GMV",
            StepKey::CancelledSales => "Cancelled",
            StepKey::Refunds => "Refunds",
            StepKey::NetSales => "Net sales",
            StepKey::OutputVat => "VAT",
            StepKey::PlatformFees => "Platform fees",
            StepKey::AffiliateCommission => "Commission",
            StepKey::Shipping => "Shipping",
            StepKey::EstimatedSettlement => "Est. settlement",
        }
    }

    /// One line saying what the step is (docs/metrics.md §6).
    pub fn definition(self) -> &'static str {
        match self {
            StepKey::Gmv => {
                "GMV: gross sales (subtotal less seller discount) of paid, non-sample lines, cancelled and returned ones included."
            }
            StepKey::CancelledSales => "Less the gross sales of cancelled lines.",
            StepKey::Refunds => {
                "Less the gross sales of returned units (the finance export's refunds when loaded)."
            }
            StepKey::NetSales => "Net sales: GMV less cancellations and refunds.",
            StepKey::OutputVat => {
                "Less the VAT inside net sales where prices include it (UK/EU; 0 in the US)."
            }
            StepKey::PlatformFees => {
                "Less platform fees: a matched finance row's actual fees, else the market's fee rules."
            }
            StepKey::AffiliateCommission => {
                "Less creator commission: standard, Shop Ads and co-funded bonus."
            }
            StepKey::Shipping => {
                "Less seller-paid shipping: the finance export's, else the per-order setting."
            }
            StepKey::EstimatedSettlement => {
                "Estimated settlement: net sales less VAT, platform fees, commission and shipping."
            }
        }
    }

    /// True for subtotals (gmv, net_sales, estimated_settlement): drawn from zero, not from the
    /// running total.
    pub fn is_subtotal(self) -> bool {
        matches!(
            self,
            StepKey::Gmv | StepKey::NetSales | StepKey::EstimatedSettlement
        )
    }

    /// The step's signed amount in `t`: deductions negative, subtotals positive.
    pub fn amount(self, t: &Figures) -> Decimal {
        match self {
            StepKey::Gmv => t.gmv,
            StepKey::CancelledSales => -t.cancelled_sales,
            StepKey::Refunds => -t.refunds,
            StepKey::NetSales => t.net_sales(),
            StepKey::OutputVat => -t.output_vat,
            StepKey::PlatformFees => -t.platform_fees,
            StepKey::AffiliateCommission => -t.affiliate_commission(),
            StepKey::Shipping => -t.shipping,
            StepKey::EstimatedSettlement => t.estimated_settlement(),
        }
    }
}

impl std::fmt::Display for StepKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// One step of the waterfall.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// Which figure (serialised as its key: `"gmv"`, `"net_sales"`, …).
    pub step: StepKey,
    /// Signed amount: deductions negative, subtotals positive.
    pub amount: String,
    /// True for subtotals (gmv, net_sales, estimated_settlement): `step.is_subtotal()`.
    pub subtotal: bool,
}

/// GMV down to cash.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waterfall {
    /// The steps in order.
    pub steps: Vec<Step>,
    /// Settlement of the lines matched to a finance export (null when none is loaded).
    pub actual_settlement: Option<String>,
    /// The matched lines' estimated settlement (the waterfall's estimate over only those lines, to
    /// compare with the actual; null when no finance export is loaded).
    pub estimated_settlement_of_matched: Option<String>,
    /// actual_settlement − estimated_settlement_of_matched, rounded once (null when no finance export
    /// is loaded).
    pub settlement_difference: Option<String>,
}

pub(super) fn waterfall(t: &Figures, currency: Currency) -> Waterfall {
    let m = |d: Decimal| currency.round(d).to_string();
    let matched = t.lines_with_actual_fees > 0;
    Waterfall {
        steps: StepKey::ALL
            .iter()
            .map(|&step| Step {
                step,
                amount: m(step.amount(t)),
                subtotal: step.is_subtotal(),
            })
            .collect(),
        actual_settlement: matched.then(|| m(t.actual_settlement)),
        estimated_settlement_of_matched: matched.then(|| m(t.estimated_settlement_of_matched)),
        settlement_difference: matched.then(|| m(t.settlement_difference())),
    }
}
