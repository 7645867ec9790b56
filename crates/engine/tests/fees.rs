#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Fee rules (docs/fees.md C.1–C.10): the modelled fee of an Orders line and of one unit, per market and
//! date. Every expected value is worked out by hand in the comment next to it, from the documents' rules
//! and examples, never copied from the program's output.

use chrono::NaiveDate;
use margin_engine::fees::{
    BreakpointKind, FeeRule, LineFee, LineFeeInput, default_rules, line_fees, unit_fee,
};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn fee(line: LineFeeInput<'_>) -> LineFee {
    line_fees(&default_rules(), &line)
}

fn line(market: &str, date: NaiveDate, gross: Decimal) -> LineFeeInput<'_> {
    LineFeeInput {
        gross_sales: gross,
        ..LineFeeInput::new(market, date)
    }
}

// ---------------------------------------------------------------------------------------------
// fees.rs: United States (docs/fees.md C.1)

#[test]
fn us_40_dollar_item_fully_returned_keeps_the_refund_admin_fee() {
    // docs/fees.md C.1 worked example: $40 item → 6 % referral fee 2.40; fully returned → 2.40 given back,
    // refund administration fee 20 % × 2.40 = 0.48 kept.
    let f = fee(LineFeeInput {
        units_returned: 1,
        ..line("US", day(2026, 5, 1), dec!(40.00))
    });
    assert_eq!(f.charged, dec!(2.40));
    assert_eq!(f.returned, dec!(2.40));
    assert_eq!(f.refund_admin_fee, dec!(0.48));
    assert_eq!(f.net(), dec!(0.48));
    assert_eq!(f.parts.len(), 1);
    assert_eq!(f.parts[0].name, "Referral fee");
    assert!(!f.parts[0].uncertain);
}

#[test]
fn metrics_worked_example_fee_is_2_percent_plus_30_cents() {
    // docs/metrics.md §4: 2 % + 0.30 on 40.00 = 0.80 + 0.30 = 1.10 (the launch rule, before 2024-04-01).
    let f = fee(line("US", day(2024, 1, 15), dec!(40.00)));
    assert_eq!(f.charged, dec!(1.10));
    assert_eq!(f.net(), dec!(1.10));
    assert!(
        f.parts[0].uncertain,
        "docs/fees.md marks the launch rate UNCERTAIN"
    );
}

#[test]
fn us_rule_changes_between_2024_03_31_and_2024_04_01() {
    // 31 March: 2 % × 40 + 0.30 = 1.10; 1 April: 6 % × 40 = 2.40, no fixed part.
    assert_eq!(
        fee(line("US", day(2024, 3, 31), dec!(40))).charged,
        dec!(1.10)
    );
    assert_eq!(
        fee(line("US", day(2024, 4, 1), dec!(40))).charged,
        dec!(2.40)
    );
}

#[test]
fn us_launch_rule_keeps_the_30_cents_on_a_partial_refund() {
    // 2 units, 40.00: charged 0.80 + 0.30 = 1.10. One returned: half the rate part (0.40) comes back,
    // the 0.30 does not (docs/fees.md C.1) → net 0.70. Both returned: everything comes back → net 0.
    let two = LineFeeInput {
        quantity: 2,
        ..line("US", day(2024, 2, 1), dec!(40))
    };
    let partial = fee(LineFeeInput {
        units_returned: 1,
        ..two
    });
    assert_eq!(
        (partial.charged, partial.returned, partial.net()),
        (dec!(1.10), dec!(0.40), dec!(0.70))
    );
    assert_eq!(
        partial.refund_admin_fee,
        dec!(0),
        "no RAF before April 2024"
    );
    let full = fee(LineFeeInput {
        units_returned: 2,
        ..two
    });
    assert_eq!((full.returned, full.net()), (dec!(1.10), dec!(0)));
}

#[test]
fn us_fixed_part_is_charged_once_per_order_on_its_first_line() {
    // Second line of the same order: only 2 % × 40 = 0.80.
    let f = fee(LineFeeInput {
        first_line_of_order: false,
        ..line("US", day(2024, 2, 1), dec!(40))
    });
    assert_eq!(f.charged, dec!(0.80));
}

#[test]
fn us_base_adds_back_platform_discount_and_buyer_shipping_but_not_tax() {
    // gross 40, platform discount 5, buyer shipping 4.99, tax 3.20:
    // customer payment = 40 − 5 + 4.99 + 3.20 = 43.19; + 5 − 3.20 = 44.99; × 6 % = 2.6994.
    let f = fee(LineFeeInput {
        platform_discount: dec!(5),
        buyer_shipping: dec!(4.99),
        tax: dec!(3.20),
        ..line("US", day(2026, 5, 1), dec!(40))
    });
    assert_eq!(f.parts[0].base, dec!(44.99));
    assert_eq!(f.charged, dec!(2.6994));
}

#[test]
fn us_partial_return_and_the_refund_admin_fee_cap_per_sku_line() {
    // 2 × 40 = 80 → 4.80; one returned → 2.40 back, RAF 0.48 → net 4.80 − 2.40 + 0.48 = 2.88.
    let f = fee(LineFeeInput {
        quantity: 2,
        units_returned: 1,
        ..line("US", day(2026, 5, 1), dec!(80))
    });
    assert_eq!(
        (f.charged, f.returned, f.refund_admin_fee, f.net()),
        (dec!(4.80), dec!(2.40), dec!(0.48), dec!(2.88))
    );
    // 10 × 50 = 500 → 30.00, all returned: 20 % × 30 = 6.00, capped at 5.00 per SKU line.
    let f = fee(LineFeeInput {
        quantity: 10,
        units_returned: 10,
        ..line("US", day(2026, 5, 1), dec!(500))
    });
    assert_eq!((f.refund_admin_fee, f.net()), (dec!(5.00), dec!(5.00)));
}

// ---------------------------------------------------------------------------------------------
// United Kingdom and EU (docs/fees.md C.3)

#[test]
fn uk_9_percent_includes_buyer_shipping_and_platform_discount() {
    // The integrator's example: £100 − £10 seller discount = gross 90; £10 platform discount; £5
    // shipping. Net sales 80 + shipping 5 + platform discount 10 = 95; 9 % = 8.55.
    let with_discount = fee(LineFeeInput {
        platform_discount: dec!(10),
        buyer_shipping: dec!(5),
        ..line("GB", day(2026, 5, 1), dec!(90))
    });
    assert_eq!(with_discount.parts[0].base, dec!(95));
    assert_eq!(with_discount.charged, dec!(8.55));
    // The platform discount is added back: without it the fee is the same 8.55, not 9 % × 85.
    let without = fee(LineFeeInput {
        buyer_shipping: dec!(5),
        ..line("GB", day(2026, 5, 1), dec!(90))
    });
    assert_eq!(without.charged, dec!(8.55));
    // A £20 item with £2.99 buyer shipping: 9 % × 22.99 = 2.0691 ("roughly £2.07").
    let small = fee(LineFeeInput {
        buyer_shipping: dec!(2.99),
        ..line("GB", day(2025, 3, 1), dec!(20))
    });
    assert_eq!(small.charged, dec!(2.0691));
}

#[test]
fn uk_fee_is_refunded_pro_rata() {
    // 2 units, 40 + shipping 4 = 44 → 3.96; one returned → 1.98 back, no admin fee.
    let f = fee(LineFeeInput {
        quantity: 2,
        units_returned: 1,
        buyer_shipping: dec!(4),
        ..line("GB", day(2026, 5, 1), dec!(40))
    });
    assert_eq!(
        (f.charged, f.returned, f.refund_admin_fee, f.net()),
        (dec!(3.96), dec!(1.98), dec!(0), dec!(1.98))
    );
}

#[test]
fn eu_rate_changes_between_2026_01_07_and_2026_01_08_with_electronics_at_7() {
    for market in ["DE", "FR", "ES", "IT", "IE"] {
        // 100.00: 5 % = 5.00 on 7 January, 9 % = 9.00 from 8 January.
        assert_eq!(
            fee(line(market, day(2026, 1, 7), dec!(100))).charged,
            dec!(5.00)
        );
        assert_eq!(
            fee(line(market, day(2026, 1, 8), dec!(100))).charged,
            dec!(9.00)
        );
        let electronics = |date| LineFeeInput {
            category: Some("Electronics"),
            ..line(market, date, dec!(100))
        };
        // Electronics: 7 % from 8 January; before, the flat 5 %.
        assert_eq!(fee(electronics(day(2026, 1, 8))).charged, dec!(7.00));
        assert_eq!(fee(electronics(day(2026, 1, 7))).charged, dec!(5.00));
    }
}

// ---------------------------------------------------------------------------------------------
// Southeast Asia (docs/fees.md C.4, C.5)

#[test]
fn th_growth_fee_is_capped_per_item_and_never_refunded() {
    // 2 units at 5,000 = 10,000: 6.42 % = 642 > 2 × 199 = 398 → 398.
    let f = fee(LineFeeInput {
        quantity: 2,
        ..line("TH", day(2026, 5, 1), dec!(10000))
    });
    assert_eq!(f.charged, dec!(398));
    assert!(f.parts[0].cap_applied);
    // Electronics 5.35 %: 3,000 → 160.50 (under the cap); 4,000 → 214 → 199.
    let electronics = |gross| LineFeeInput {
        category: Some("Electronics"),
        ..line("TH", day(2026, 5, 1), gross)
    };
    assert_eq!(fee(electronics(dec!(3000))).charged, dec!(160.50));
    assert_eq!(fee(electronics(dec!(4000))).charged, dec!(199));
    // Fully returned: the fee is not refunded (docs/fees.md C.5) → net 398.
    let returned = fee(LineFeeInput {
        quantity: 2,
        units_returned: 2,
        ..line("TH", day(2026, 5, 1), dec!(10000))
    });
    assert_eq!(
        (returned.returned, returned.refund_admin_fee, returned.net()),
        (dec!(0), dec!(0), dec!(398))
    );
}

#[test]
fn vn_fees_stack_and_refund_differently() {
    // 2026-05-01 (5 % transaction fee). Gross 200,000, platform discount 20,000, shipping 15,000:
    // transaction 5 % × (200,000 − 20,000 + 15,000) = 9,750; commission "Fashion" 12 % × 200,000 =
    // 24,000; order processing 3,000 → 36,750. Fully returned: commission and transaction fee come back,
    // the processing fee does not → net 3,000.
    let sale = LineFeeInput {
        category: Some("Fashion"),
        platform_discount: dec!(20000),
        buyer_shipping: dec!(15000),
        ..line("VN", day(2026, 5, 1), dec!(200000))
    };
    let f = fee(sale);
    assert_eq!(f.parts.len(), 3);
    assert_eq!(f.charged, dec!(36750));
    let back = fee(LineFeeInput {
        units_returned: 1,
        ..sale
    });
    assert_eq!(back.net(), dec!(3000));
    // Without a category the commission row is there at 0 % and says it is uncertain.
    let plain = fee(line("VN", day(2026, 5, 1), dec!(100000)));
    let commission = plain
        .parts
        .iter()
        .find(|p| p.name == "Commission fee")
        .unwrap();
    assert_eq!(commission.charged, dec!(0));
    assert!(commission.uncertain);
}

#[test]
fn vn_transaction_fee_dates() {
    // 100,000 customer payment: 4 % = 4,000 to 16 Jul 2024, 5 % = 5,000 from 17 Jul 2024 to 8 May 2026,
    // 6 % = 6,000 from 9 May 2026 (uncertain).
    let transaction = |date| {
        fee(line("VN", date, dec!(100000)))
            .parts
            .into_iter()
            .find(|p| p.name == "Transaction fee")
            .unwrap()
    };
    assert_eq!(transaction(day(2024, 7, 16)).charged, dec!(4000));
    assert_eq!(transaction(day(2024, 7, 17)).charged, dec!(5000));
    assert_eq!(transaction(day(2026, 5, 8)).charged, dec!(5000));
    let six = transaction(day(2026, 5, 9));
    assert_eq!(six.charged, dec!(6000));
    assert!(six.uncertain);
}

#[test]
fn id_dynamic_commission_cap_and_processing_fee_start() {
    // Rp1,000,000: 5.5 % = 55,000 → capped at 40,000. The Rp500 processing fee starts 11 Aug 2025.
    let on = |date| fee(line("ID", date, dec!(1000000)));
    assert_eq!(on(day(2025, 8, 10)).charged, dec!(40000));
    assert_eq!(on(day(2025, 8, 11)).charged, dec!(40500));
}

#[test]
fn my_commission_and_transaction_fee_stack() {
    // Gross 100 + shipping 5, "Gold jewellery": commission 8.10 % × 100 = 8.10; transaction 2.16 % ×
    // 105 = 2.268 → 10.368.
    let f = fee(LineFeeInput {
        category: Some("Gold jewellery"),
        buyer_shipping: dec!(5),
        ..line("MY", day(2025, 6, 1), dec!(100))
    });
    assert_eq!(f.charged, dec!(10.368));
}

#[test]
fn cancelled_line_pays_nothing_but_shows_the_rules() {
    // docs/metrics.md §3: no fee on cancelled lines, not even the US launch 0.30.
    let f = fee(LineFeeInput {
        cancelled: true,
        ..line("US", day(2024, 2, 1), dec!(40))
    });
    assert_eq!(
        (f.charged, f.returned, f.net()),
        (dec!(0), dec!(0), dec!(0))
    );
    assert!(f.is_modelled(), "the rule applied; it charged 0");
}

#[test]
fn market_without_rules_is_not_modelled() {
    let f = fee(line("BR", day(2026, 5, 1), dec!(40)));
    assert_eq!(f.net(), dec!(0));
    assert!(f.parts.is_empty());
    assert!(!f.is_modelled());
    assert!(
        line_fees(&[], &line("US", day(2026, 5, 1), dec!(40)))
            .parts
            .is_empty()
    );
}

#[test]
fn market_codes_ignore_case() {
    assert_eq!(
        fee(line(" us ", day(2026, 5, 1), dec!(40))).charged,
        dec!(2.40)
    );
}

#[test]
fn an_edited_rule_is_data() {
    // A user-edited table: a market added as a row, with a fixed per-item part.
    let mut rules: Vec<FeeRule> = default_rules();
    let mut br = rules[1].clone();
    br.market = "BR".into();
    br.rate = dec!(0.10);
    br.fixed_per_item = dec!(1);
    rules.push(br);
    // 3 units, 60.00: 10 % × 60 + 3 × 1 = 9.00; one returned → 2.00 + 1.00 back, RAF 20 % × 3 = 0.60.
    let f = line_fees(
        &rules,
        &LineFeeInput {
            quantity: 3,
            units_returned: 1,
            ..line("BR", day(2026, 5, 1), dec!(60))
        },
    );
    assert_eq!(
        (f.charged, f.returned, f.refund_admin_fee),
        (dec!(9.00), dec!(3.00), dec!(0.60))
    );
}

// ---------------------------------------------------------------------------------------------
// unit_fee: the per-unit fee as a piecewise-linear function

#[test]
fn unit_fee_th_has_a_cap_breakpoint() {
    let rules = default_rules();
    let below = unit_fee(&rules, "TH", day(2026, 5, 1), None, dec!(1000), dec!(1));
    // 6.42 % × 1000 = 64.20 on the rising piece: slope 0.0642, intercept 0.
    assert_eq!(
        (below.fee, below.slope, below.intercept),
        (dec!(64.2), dec!(0.0642), dec!(0))
    );
    // The cap binds from 199 / 0.0642 = 3099.688…
    assert_eq!(below.breakpoints.len(), 1);
    assert_eq!(below.breakpoints[0].kind, BreakpointKind::FeeCap);
    assert_eq!(below.breakpoints[0].price.round_dp(4), dec!(3099.6885));
    let above = unit_fee(&rules, "TH", day(2026, 5, 1), None, dec!(5000), dec!(1));
    assert_eq!(
        (above.fee, above.slope, above.intercept),
        (dec!(199), dec!(0), dec!(199))
    );
    // Not refunded: a returned unit still pays the whole fee.
    assert_eq!(above.retained_on_return, dec!(199));
    assert_eq!(above.refund_admin_fee, dec!(0));
}

#[test]
fn unit_fee_us_refund_admin_fee_and_its_cap() {
    let rules = default_rules();
    let at40 = unit_fee(&rules, "US", day(2026, 5, 1), None, dec!(40), dec!(1));
    // 6 % × 40 = 2.40; returned → RAF 0.48 is all that is kept.
    assert_eq!(
        (at40.fee, at40.refund_admin_fee, at40.retained_on_return),
        (dec!(2.40), dec!(0.48), dec!(0.48))
    );
    // RAF 0.2 × 0.06 p reaches 5.00 at p = 25 / 0.06 = 416.666…; with 2 units per order the per-SKU
    // cap is 2.50 per unit, reached at 12.5 / 0.06 = 208.333…
    assert_eq!(at40.breakpoints[0].kind, BreakpointKind::RefundAdminFeeCap);
    assert_eq!(at40.breakpoints[0].price.round_dp(2), dec!(416.67));
    let two = unit_fee(&rules, "US", day(2026, 5, 1), None, dec!(500), dec!(2));
    assert_eq!(two.breakpoints[0].price.round_dp(2), dec!(208.33));
    assert_eq!(two.refund_admin_fee, dec!(2.50));
    assert_eq!(two.refund_admin_fee_at(dec!(100)), dec!(1.20)); // 0.2 × 6.00
}

#[test]
fn unit_fee_spreads_the_per_order_part() {
    // Launch rule, 2 units per order: 2 % × 40 + 0.30 / 2 = 0.95, slope 0.02, intercept 0.15.
    let f = unit_fee(
        &default_rules(),
        "US",
        day(2024, 2, 1),
        None,
        dec!(40),
        dec!(2),
    );
    assert_eq!(
        (f.fee, f.slope, f.intercept),
        (dec!(0.95), dec!(0.02), dec!(0.15))
    );
    assert_eq!(f.retained_on_return, dec!(0), "fully refunded, no RAF");
    assert!(f.breakpoints.is_empty());
    // No market: nothing modelled.
    assert!(
        !unit_fee(
            &default_rules(),
            "BR",
            day(2026, 5, 1),
            None,
            dec!(40),
            dec!(1)
        )
        .is_modelled()
    );
}
