//! The fee table seeded from docs/fees.md C.1–C.5 and C.10 ([`default_rules`]): one row per market, fee
//! and period, each with its source. Data only; the types and the computations are in `fees`.

use super::{CategoryRate, FeeBase, FeeRule, Refundable};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// A date that exists, or `None` (an open end). Only called with constant, valid dates; the seed
/// tests check every boundary.
fn ymd(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

/// `units` × 10^-`scale`, e.g. `ratio(642, 4)` = 0.0642.
fn ratio(units: i64, scale: u32) -> Decimal {
    Decimal::new(units, scale)
}

/// A rule with every optional part empty: no dates, no fixed parts, no caps, VAT-inclusive, refunded
/// pro rata. The seed rows below override what differs.
fn seed(market: &str, name: &str, base: FeeBase, rate: Decimal, source: &str) -> FeeRule {
    FeeRule {
        market: market.to_string(),
        name: name.to_string(),
        effective_from: None,
        effective_to: None,
        base,
        rate,
        fixed_per_order: Decimal::ZERO,
        fixed_per_item: Decimal::ZERO,
        cap_per_item: None,
        tax_inclusive: true,
        refundable: Refundable::ProRata,
        refund_admin_fee_rate: Decimal::ZERO,
        refund_admin_fee_cap: None,
        category_overrides: Vec::new(),
        source: source.to_string(),
        uncertain: false,
    }
}

fn category(name: &str, rate: Decimal) -> CategoryRate {
    CategoryRate {
        category: name.to_string(),
        rate,
    }
}

const US_LAUNCH: &str = "docs/fees.md C.1: 2 % × (Customer Payment + Platform Discount) + $0.30 per order, Sept 2023 launch – Mar 2024; partial refund keeps the $0.30 — https://2.gy-118.workers.dev/:443/https/www.linkedin.com/posts/muzamilmustafa_tiktokshop-activity-7180339678464598016-p5oU [3P, UNCERTAIN]; https://fitsmallbusiness.com/how-much-does-tiktok-shop-take [3P]";
const US_REFERRAL: &str = "docs/fees.md C.1: 6 % of Customer Payment + Platform Discount − Tax from 1 Apr 2024; Refund Administration Fee 20 % of the referral fee, ≤ $5 per SKU (revised 15 May 2025: none for BNRL creator samples or pre-shipment auto-cancel refunds) — https://seller-us.tiktok.com/university/essay?knowledge_id=5982454398175018 [OFFICIAL]. Category exceptions (5 % pre-owned/collectibles, 3 % above $10,000) are UNCERTAIN and not seeded";
const UK_COMMISSION: &str = "docs/fees.md C.3: 9 % VAT-inclusive on (Net Sales + Buyer-paid Shipping + Platform Discount) − refunds, since Sept 2024 — https://docs.m2ecloud.com/docs/tiktok-shop-seller-fees-uk/ [3P integrator]; https://m.ebrun.com/630302.html [3P]. Earlier rate not in docs/fees.md; category rates (e.g. 5 % computers) not seeded";
const EU_BEFORE: &str = "docs/fees.md C.3: EU (DE, ES, FR, IT, IE) 5 % VAT-inclusive until 8 Jan 2026 — https://www.ecommercebridge.cz/tiktok-shop-zvysuje-poplatky-platforma-potvrdila-9-provizi-na-klicovych-trzich-eu/ ; https://m.ebrun.com/630302.html [3P]. Base and refunds assumed as in the UK";
const EU_FROM_2026: &str = "docs/fees.md C.3: EU (DE, ES, FR, IT, IE) 9 % VAT-inclusive from 8 Jan 2026 00:00 CET, designated electronics 7 % — https://www.ecommercebridge.cz/tiktok-shop-zvysuje-poplatky-platforma-potvrdila-9-provizi-na-klicovych-trzich-eu/ ; https://m.ebrun.com/630302.html ; https://www.menglar123.com/yy/77115.html [3P]. Base and refunds assumed as in the UK";
const TH_GROWTH: &str = "docs/fees.md C.4/C.5: Commerce Growth Fee 6.42 % (5.35 % electronics), tax-inclusive, ≤ THB 199 per item, on item price − seller discount, not refunded on returns — https://seller-th.tiktok.com/university/essay?knowledge_id=4831419884979969&lang=en [OFFICIAL]";
const VN_TRANSACTION: &str = "docs/fees.md C.4/C.10: transaction fee on (customer payment incl. buyer shipping − refund) — 5 % from 17 Jul 2024 https://seller-vn.tiktok.com/university/essay?knowledge_id=753295858337537&lang=en [OFFICIAL]; 4 % before (C.10); 6 % from 9 May 2026 https://dataede.com/updates/tiktok-shop-vietnam-transaction-fee-update-2026-05 [3P, medium confidence]";
const VN_COMMISSION: &str = "docs/fees.md C.4: (item price − seller discount) × category rate, Mall ≠ non-Mall (schedule changed 18 Jul 2025), fashion ~12 %; refunded per refunded item — https://seller-vn.tiktok.com/university/essay?knowledge_id=753295858337537&lang=en [OFFICIAL]; https://www.vietnam.vn/en/tang-phi-gap-3-tiktok-shop-thu-cao-hon-ca-shopee-lazada [3P]. Enter your category's rate";
const VN_PROCESSING: &str = "docs/fees.md C.4: order processing fee ₫3,000 per order (start date not given) — https://dataede.com/tiktok-shop-fee-calculator/vn [3P]";
const MY_COMMISSION: &str = "docs/fees.md C.4: (item price − seller discount) × category rate, SST-inclusive, e.g. 8.10 % marketplace gold jewellery (Sept 2024 schedule); fully refunded on full return, pro rata on partial — https://bigseller.com/blog/articleDetails/3033/TikTok-Shop-Seller-Fees-in-Malaysia-(2025).htm [3P]. Enter your category's rate";
const MY_TRANSACTION: &str = "docs/fees.md C.4: transaction fee 2.16 % incl. SST (2024; 2.12 % in 2023) on customer payment incl. shipping − refunds — https://help.kumoten.com/en/article/transaction-commission-fees-if-you-are-selling-on-tiktok-1bif0ql/ ; https://marketing-interactive.com/tiktok-shop-marketplace-commission-fee-sellers-march-2024 [3P]";
const SG_COMMISSION: &str = "docs/fees.md C.4: (item price − seller discount) × rate, GST-inclusive: 3.27 % most categories, 2.18 % electronics from 1 Sep 2024; 5.995 % reported common in late 2025 (undated) — https://tt123.com/feature/YLSVZad9 ; https://sitegiant.asia/blog/2025-tiktok-shop-commission-transaction-fees-for-singapore-sellers ; https://ywbanu.com/tiktok-shop-fees-singapore-2025 [3P, UNCERTAIN for latest]. Refund treatment not given: pro rata assumed";
const SG_TRANSACTION: &str = "docs/fees.md C.4/C.10: transaction fee (customer payment − refund) × 2.18 %, 3.27 % from 1 Oct 2025 (unconfirmed) — https://sitegiant.asia/blog/2025-tiktok-shop-commission-transaction-fees-for-singapore-sellers [3P]";
const ID_COMMISSION: &str = "docs/fees.md C.4: (product price − seller discount) × 4–6.5 % by category (+3 % pre-order); refunded on cancel / full return, partial by valid value; Mall service fee 1.5 % ≤ Rp5,000 not seeded (Mall only) — https://seller-id.tokopedia.com/university/course?content_id=7392850066884369&lang=en [OFFICIAL]. Enter your category's rate";
const ID_DYNAMIC: &str = "docs/fees.md C.4: dynamic commission 4–5.5 % capped Rp40,000 (seeded at the upper bound); VAT 11/12 × 12 % on commission not included — https://seller-id.tokopedia.com/university/essay?knowledge_id=12060130739970&lang=en [OFFICIAL]; https://businessdialogue.com/media/tiktok/attention-sellers-tiktoks-indonesian-store-has-undergone-a-major-adjustment.html [3P]. Base and refund treatment assumed";
const ID_PROCESSING: &str = "docs/fees.md C.4/C.10: order processing fee Rp500 per order from 11 Aug 2025 — https://seller-id.tokopedia.com/university/essay?knowledge_id=12060130739970&lang=en [OFFICIAL]";
const PH_COMMISSION: &str = "docs/fees.md C.4: (item price − seller discount) × rate, VAT-inclusive; marketplace vs Mall rates from 15 Jan 2025 (e.g. fashion accessories 7.00 % vs 8.10 % Mall); invalid if fully returned — https://alpha.bigseller.pro/blog/articleDetails/3204/tiktok-shop-ph-commission-fee-2025.htm [3P]. Enter your category's rate";
const PH_TRANSACTION: &str = "docs/fees.md C.4: transaction fee (customer payment − refund) × 2.24 % from Jun 2023 — http://9158app.com/72386.html ; https://www.gr888.co/en/review/64931 [3P]";
const PH_PROCESSING: &str = "docs/fees.md C.4: P5 per order processing fee announced, year unclear — https://www.gr888.co/en/review/64931 [3P, UNCERTAIN]";

/// The fee table seeded from docs/fees.md C.1–C.5 and C.10, one row per market, fee and period.
///
/// Category-dependent commissions whose schedule docs/fees.md does not give (VN, MY, ID, PH) are seeded at
/// rate 0 with the examples docs/fees.md cites as category overrides, marked `uncertain`, so the settings
/// table asks the user for their category's rate instead of inventing one.
///
/// # Examples
/// ```
/// use margin_engine::fees::default_rules;
/// use rust_decimal_macros::dec;
/// let rules = default_rules();
/// let th = rules.iter().find(|r| r.market == "TH").unwrap();
/// assert_eq!((th.rate, th.cap_per_item), (dec!(0.0642), Some(dec!(199))));
/// ```
pub fn default_rules() -> Vec<FeeRule> {
    use FeeBase::*;
    let mut rules = vec![
        FeeRule {
            effective_to: ymd(2024, 3, 31),
            fixed_per_order: ratio(30, 2),
            tax_inclusive: false,
            refundable: Refundable::Full,
            uncertain: true,
            ..seed(
                "US",
                "Referral fee",
                CustomerPaymentPlusPlatformDiscountMinusTax,
                ratio(2, 2),
                US_LAUNCH,
            )
        },
        FeeRule {
            effective_from: ymd(2024, 4, 1),
            tax_inclusive: false,
            refundable: Refundable::MinusRefundAdminFee,
            refund_admin_fee_rate: ratio(20, 2),
            refund_admin_fee_cap: Some(ratio(500, 2)),
            ..seed(
                "US",
                "Referral fee",
                CustomerPaymentPlusPlatformDiscountMinusTax,
                ratio(6, 2),
                US_REFERRAL,
            )
        },
        seed(
            "GB",
            "Commission fee",
            NetSalesPlusBuyerShippingPlusPlatformDiscount,
            ratio(9, 2),
            UK_COMMISSION,
        ),
    ];
    for market in ["DE", "FR", "ES", "IT", "IE"] {
        rules.push(FeeRule {
            effective_to: ymd(2026, 1, 7),
            ..seed(
                market,
                "Commission fee",
                NetSalesPlusBuyerShippingPlusPlatformDiscount,
                ratio(5, 2),
                EU_BEFORE,
            )
        });
        rules.push(FeeRule {
            effective_from: ymd(2026, 1, 8),
            category_overrides: vec![category("Electronics", ratio(7, 2))],
            ..seed(
                market,
                "Commission fee",
                NetSalesPlusBuyerShippingPlusPlatformDiscount,
                ratio(9, 2),
                EU_FROM_2026,
            )
        });
    }
    rules.extend([
        FeeRule {
            cap_per_item: Some(Decimal::from(199)),
            refundable: Refundable::No,
            category_overrides: vec![category("Electronics", ratio(535, 4))],
            ..seed(
                "TH",
                "Commerce Growth Fee",
                ItemAfterSellerDiscount,
                ratio(642, 4),
                TH_GROWTH,
            )
        },
        FeeRule {
            category_overrides: vec![category("Fashion", ratio(12, 2))],
            uncertain: true,
            ..seed(
                "VN",
                "Commission fee",
                ItemAfterSellerDiscount,
                Decimal::ZERO,
                VN_COMMISSION,
            )
        },
        FeeRule {
            effective_to: ymd(2024, 7, 16),
            uncertain: true,
            ..seed(
                "VN",
                "Transaction fee",
                CustomerPaymentMinusRefund,
                ratio(4, 2),
                VN_TRANSACTION,
            )
        },
        FeeRule {
            effective_from: ymd(2024, 7, 17),
            effective_to: ymd(2026, 5, 8),
            ..seed(
                "VN",
                "Transaction fee",
                CustomerPaymentMinusRefund,
                ratio(5, 2),
                VN_TRANSACTION,
            )
        },
        FeeRule {
            effective_from: ymd(2026, 5, 9),
            uncertain: true,
            ..seed(
                "VN",
                "Transaction fee",
                CustomerPaymentMinusRefund,
                ratio(6, 2),
                VN_TRANSACTION,
            )
        },
        FeeRule {
            fixed_per_order: Decimal::from(3000),
            refundable: Refundable::No,
            uncertain: true,
            ..seed(
                "VN",
                "Order processing fee",
                ItemAfterSellerDiscount,
                Decimal::ZERO,
                VN_PROCESSING,
            )
        },
        FeeRule {
            category_overrides: vec![category("Gold jewellery", ratio(810, 4))],
            uncertain: true,
            ..seed(
                "MY",
                "Commission fee",
                ItemAfterSellerDiscount,
                Decimal::ZERO,
                MY_COMMISSION,
            )
        },
        seed(
            "MY",
            "Transaction fee",
            CustomerPaymentMinusRefund,
            ratio(216, 4),
            MY_TRANSACTION,
        ),
        FeeRule {
            effective_from: ymd(2024, 9, 1),
            category_overrides: vec![category("Electronics", ratio(218, 4))],
            uncertain: true,
            ..seed(
                "SG",
                "Commission fee",
                ItemAfterSellerDiscount,
                ratio(327, 4),
                SG_COMMISSION,
            )
        },
        FeeRule {
            effective_to: ymd(2025, 9, 30),
            ..seed(
                "SG",
                "Transaction fee",
                CustomerPaymentMinusRefund,
                ratio(218, 4),
                SG_TRANSACTION,
            )
        },
        FeeRule {
            effective_from: ymd(2025, 10, 1),
            uncertain: true,
            ..seed(
                "SG",
                "Transaction fee",
                CustomerPaymentMinusRefund,
                ratio(327, 4),
                SG_TRANSACTION,
            )
        },
        FeeRule {
            tax_inclusive: false,
            uncertain: true,
            ..seed(
                "ID",
                "Commission fee",
                ItemAfterSellerDiscount,
                Decimal::ZERO,
                ID_COMMISSION,
            )
        },
        FeeRule {
            cap_per_item: Some(Decimal::from(40_000)),
            tax_inclusive: false,
            uncertain: true,
            ..seed(
                "ID",
                "Dynamic commission",
                ItemAfterSellerDiscount,
                ratio(55, 3),
                ID_DYNAMIC,
            )
        },
        FeeRule {
            effective_from: ymd(2025, 8, 11),
            fixed_per_order: Decimal::from(500),
            refundable: Refundable::No,
            ..seed(
                "ID",
                "Order processing fee",
                ItemAfterSellerDiscount,
                Decimal::ZERO,
                ID_PROCESSING,
            )
        },
        FeeRule {
            refundable: Refundable::Full,
            category_overrides: vec![category("Fashion accessories", ratio(7, 2))],
            uncertain: true,
            ..seed(
                "PH",
                "Commission fee",
                ItemAfterSellerDiscount,
                Decimal::ZERO,
                PH_COMMISSION,
            )
        },
        FeeRule {
            effective_from: ymd(2023, 6, 1),
            ..seed(
                "PH",
                "Transaction fee",
                CustomerPaymentMinusRefund,
                ratio(224, 4),
                PH_TRANSACTION,
            )
        },
        FeeRule {
            fixed_per_order: Decimal::from(5),
            refundable: Refundable::No,
            uncertain: true,
            ..seed(
                "PH",
                "Order processing fee",
                ItemAfterSellerDiscount,
                Decimal::ZERO,
                PH_PROCESSING,
            )
        },
    ]);
    rules
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn every_seed_row_is_dated_as_fees_md_says() {
        // A misspelt constant date would silently become an open end: check each dated row.
        let rules = default_rules();
        let dated: Vec<_> = rules
            .iter()
            .map(|r| {
                (
                    r.market.as_str(),
                    r.name.as_str(),
                    r.effective_from,
                    r.effective_to,
                )
            })
            .collect();
        for expected in [
            ("US", "Referral fee", None, Some(day(2024, 3, 31))),
            ("US", "Referral fee", Some(day(2024, 4, 1)), None),
            ("DE", "Commission fee", None, Some(day(2026, 1, 7))),
            ("IE", "Commission fee", Some(day(2026, 1, 8)), None),
            ("VN", "Transaction fee", None, Some(day(2024, 7, 16))),
            (
                "VN",
                "Transaction fee",
                Some(day(2024, 7, 17)),
                Some(day(2026, 5, 8)),
            ),
            ("VN", "Transaction fee", Some(day(2026, 5, 9)), None),
            ("SG", "Commission fee", Some(day(2024, 9, 1)), None),
            ("SG", "Transaction fee", None, Some(day(2025, 9, 30))),
            ("SG", "Transaction fee", Some(day(2025, 10, 1)), None),
            ("ID", "Order processing fee", Some(day(2025, 8, 11)), None),
            ("PH", "Transaction fee", Some(day(2023, 6, 1)), None),
        ] {
            assert!(dated.contains(&expected), "missing {expected:?}");
        }
        assert!(rules.iter().all(|r| !r.source.is_empty()));
        // No market has two rules of the same name in force on the same day.
        for a in &rules {
            for b in &rules {
                if std::ptr::eq(a, b) || a.market != b.market || a.name != b.name {
                    continue;
                }
                let a_before_b = a
                    .effective_to
                    .zip(b.effective_from)
                    .is_some_and(|(t, f)| t < f);
                let b_before_a = b
                    .effective_to
                    .zip(a.effective_from)
                    .is_some_and(|(t, f)| t < f);
                assert!(a_before_b || b_before_a, "{} {} overlaps", a.market, a.name);
            }
        }
    }
}
