//! Each alert rule (`alerts::evaluate`) on small hand-made exports: for every rule a table of inputs on
//! both sides of its threshold, with the expected figures computed by hand in the comments. The files
//! go through the importers and `report::build_detailed` as real ones do. Fee rules are emptied so a
//! line's figures are its own sales, costs and commission only (no modelled platform fee).
//!
//! These pin the rules as they are today, including their known limits (see the notes on
//! `return_rate_spike` and `low_creator_efficiency`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use margin_engine::alerts::{Alert, Alerts, Rule, RuleKind};
use margin_engine::costs::{CostEntry, CostsTable};
use margin_engine::import::{ImportOptions, ImportedFile, import_file, read_any};
use margin_engine::money::Currency;
use margin_engine::report::{self, StepKey, Waterfall};
use margin_engine::settings::{MarketingEntry, Settings};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// One order line of the Orders export: its own order, one SKU, dated 2026-05-`day`.
#[derive(Clone)]
struct Line {
    day: u32,
    sku: &'static str,
    seller_sku: &'static str,
    category: &'static str,
    quantity: u32,
    returned: u32,
    subtotal: &'static str,
    /// (creator, content type, standard commission) of its affiliate row, if any.
    affiliate: Option<(&'static str, &'static str, &'static str)>,
}

fn line(day: u32, sku: &'static str, subtotal: &'static str) -> Line {
    Line {
        day,
        sku,
        seller_sku: "",
        category: "",
        quantity: 1,
        returned: 0,
        subtotal,
        affiliate: None,
    }
}

fn may(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 5, d).unwrap()
}

fn order_id(i: usize) -> String {
    format!("5760000000000{i:05}")
}

/// The Orders export (and, when a line has one, the Affiliate orders export) of `lines`.
fn files(lines: &[Line]) -> Vec<ImportedFile> {
    let mut orders = String::from(
        "Order ID,Order Status,Cancelation/Return Type,SKU ID,Seller SKU,Product Category,Quantity,\
         Sku Quantity of return,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n",
    );
    let mut affiliate = String::from(
        "Order ID,SKU ID,Creator Username,Content Type,Order Status,Quantity,Currency,\
         Est. standard commission payment\n",
    );
    let mut any_affiliate = false;
    for (i, l) in lines.iter().enumerate() {
        let return_type = if l.returned > 0 { "Return/Refund" } else { "" };
        orders.push_str(&format!(
            "{},Completed,{return_type},{},{},{},{},{},{},0,05/{:02}/2026 10:00:00 AM,05/{:02}/2026 10:00:05 AM\n",
            order_id(i),
            l.sku,
            l.seller_sku,
            l.category,
            l.quantity,
            l.returned,
            l.subtotal,
            l.day,
            l.day
        ));
        if let Some((creator, content, commission)) = l.affiliate {
            any_affiliate = true;
            affiliate.push_str(&format!(
                "{},{},{creator},{content},Completed,{},USD,{commission}\n",
                order_id(i),
                l.sku,
                l.quantity
            ));
        }
    }
    let mut out =
        vec![import_file("orders.csv", orders.as_bytes(), ImportOptions::default()).unwrap()];
    if any_affiliate {
        out.push(
            import_file(
                "affiliate.csv",
                affiliate.as_bytes(),
                ImportOptions::default(),
            )
            .unwrap(),
        );
    }
    out
}

/// No modelled platform fee: a line's figures are its sales, unit cost and commission only.
fn settings() -> Settings {
    Settings {
        fee_rules: Vec::new(),
        ..Settings::default()
    }
}

fn alerts_of(lines: &[Line], costs: &CostsTable, settings: &Settings) -> Alerts {
    let built = report::build_detailed(&files(lines), costs, settings, None, None).unwrap();
    assert_eq!(
        built.analysis.totals.platform_fees,
        Decimal::ZERO,
        "no fee rule, no fee"
    );
    built.report.alerts
}

fn fired(a: &Alerts, kind: RuleKind) -> Vec<Alert> {
    a.alerts
        .iter()
        .filter(|x| x.rule.kind() == kind)
        .cloned()
        .collect()
}

/// Return-rate spike: over the period's last two order dates (`to` − 1 day … `to`), a SKU's
/// units_returned / units shipped (sold + returned) above factor × its category's benchmark.
/// Here Tea's benchmark is 10 % and the factor 2, so the threshold is 20 %; other categories use the
/// default benchmark 5 % → 10 %.
///
/// Known limit (for a later issue): "the last 48 hours" are the last two order dates of the whole
/// period, so a return three days before the end never counts, however many there are.
#[test]
fn return_rate_spike_fires_above_factor_times_benchmark() {
    let mut s = settings();
    s.alerts.return_rate_benchmarks = vec![("tea".into(), dec!(10))];
    s.alerts.return_spike_factor = dec!(2);
    let tea = |day, returned| Line {
        category: "Tea",
        returned,
        ..line(day, "1002", "10.00")
    };
    // SKU 1001 (Tea): 5 units on 05-19/05-20, 1 returned: 1 / 5 = 20.00 %, not above 20 → never fires.
    // SKU 1003 (Mugs): 05-18 one unit returned (outside 05-19…05-20); 05-20 9 sold + 1 returned:
    // 1 / 10 = 10.00 %, not above 5 × 2 = 10 → never fires (with 05-18 it would be 2 / 11 = 18.18 %).
    let fixed = vec![
        Line {
            category: "Tea",
            returned: 1,
            ..line(19, "1001", "10.00")
        },
        Line {
            category: "Tea",
            ..line(19, "1001", "10.00")
        },
        Line {
            category: "Tea",
            ..line(20, "1001", "10.00")
        },
        Line {
            category: "Tea",
            ..line(20, "1001", "10.00")
        },
        Line {
            category: "Tea",
            ..line(20, "1001", "10.00")
        },
        Line {
            category: "Mugs",
            returned: 1,
            ..line(18, "1003", "8.00")
        },
        Line {
            category: "Mugs",
            quantity: 9,
            ..line(20, "1003", "72.00")
        },
        Line {
            category: "Mugs",
            returned: 1,
            ..line(20, "1003", "8.00")
        },
    ];
    // SKU 1002 (Tea) on 05-20: one returned line and `sold` sold lines of one unit.
    // sold 4: 1 / 5 = 20.00 % → no alert; sold 3: 1 / 4 = 25.00 % > 20 → alert.
    for (sold, expected_rate) in [(4usize, None), (3, Some(dec!(25.00)))] {
        let mut lines = fixed.clone();
        lines.push(tea(20, 1));
        let returned_order = order_id(lines.len() - 1);
        lines.extend(std::iter::repeat_n(tea(20, 0), sold));
        let got = fired(
            &alerts_of(&lines, &CostsTable::default(), &s),
            RuleKind::ReturnRateSpike,
        );
        let want: Vec<(Rule, Vec<String>)> = expected_rate
            .map(|return_rate| {
                (
                    Rule::ReturnRateSpike {
                        sku_id: "1002".into(),
                        category: "Tea".into(),
                        from: may(19),
                        to: may(20),
                        units_returned: 1,
                        units_shipped: 4,
                        return_rate,
                        benchmark: dec!(10),
                        factor: dec!(2),
                    },
                    vec![returned_order.clone()],
                )
            })
            .into_iter()
            .collect();
        let got: Vec<(Rule, Vec<String>)> = got.into_iter().map(|a| (a.rule, a.rows)).collect();
        assert_eq!(got, want, "SKU 1002 with {sold} sold lines");
    }
}

/// CPO deterioration: the last day's blended CPO ((ad spend + commission) / orders) above the mean
/// of the blended CPOs of the (at least 3) days with orders among the 7 before, by more than 20 %.
#[test]
fn cpo_deterioration_fires_above_the_trailing_mean_plus_the_threshold() {
    let day = |d, commission| Line {
        affiliate: Some(("alice", "Video", commission)),
        ..line(d, "1001", "50.00")
    };
    // 05-14, 05-15, 05-16: one order each, commission 5.00 → CPO 5.00; mean 5.00 over 3 days;
    // limit 5.00 × (1 + 20 / 100) = 6.00. The last day, 05-17, one order:
    // 6.00 → not above the limit; 6.01 → above.
    let cases = [
        ("6.00", None),
        (
            "6.01",
            Some(Rule::CpoDeterioration {
                day: may(17),
                cpo: dec!(6.01),
                average: dec!(5.00),
                window_days: 3,
                threshold_pct: dec!(20),
            }),
        ),
    ];
    for (last, want) in cases {
        let lines = [
            day(14, "5.00"),
            day(15, "5.00"),
            day(16, "5.00"),
            day(17, last),
        ];
        let got: Vec<Rule> = fired(
            &alerts_of(&lines, &CostsTable::default(), &settings()),
            RuleKind::CpoDeterioration,
        )
        .into_iter()
        .map(|a| {
            assert_eq!(a.rows, vec!["2026-05-17".to_string()]);
            a.rule
        })
        .collect();
        assert_eq!(got, want.into_iter().collect::<Vec<_>>(), "last CPO {last}");
    }
    // Two days before the last are too few for a mean: CPO 100.00 on 05-17 does not fire.
    let lines = [day(15, "5.00"), day(16, "5.00"), day(17, "100.00")];
    let a = alerts_of(&lines, &CostsTable::default(), &settings());
    assert!(fired(&a, RuleKind::CpoDeterioration).is_empty());
}

/// Affiliate drop-off: affiliate orders of the 7 days to the period's last day, against the 7 days
/// before, down more than 25 %.
#[test]
fn affiliate_dropoff_fires_below_minus_the_threshold() {
    let aff = |d| Line {
        affiliate: Some(("alice", "Video", "1.00")),
        ..line(d, "1001", "20.00")
    };
    // Last day 05-21: this week = 05-15…05-21, the week before = 05-08…05-14. The 05-07 order is in
    // neither (with it the week before would hold 5 and 3 / 5 would fire too).
    // 4 orders on 05-14; on 05-21: 3 → (3 − 4) / 4 = −25.00 %, not below −25 → no alert;
    // 2 → (2 − 4) / 4 = −50.00 % → alert.
    for (this_week, want_change) in [(3usize, None), (2, Some(dec!(-50.00)))] {
        let mut lines = vec![aff(7)];
        lines.extend(std::iter::repeat_n(aff(14), 4));
        lines.extend(std::iter::repeat_n(aff(21), this_week));
        let got: Vec<(Rule, Vec<String>)> = fired(
            &alerts_of(&lines, &CostsTable::default(), &settings()),
            RuleKind::AffiliateDropoff,
        )
        .into_iter()
        .map(|a| (a.rule, a.rows))
        .collect();
        let want: Vec<(Rule, Vec<String>)> = want_change
            .map(|change_pct| {
                (
                    Rule::AffiliateDropoff {
                        week_to: may(21),
                        this_week: this_week as u64,
                        previous_week: 4,
                        change_pct,
                        threshold_pct: dec!(25),
                    },
                    vec!["2026-05-14".to_string(), "2026-05-21".to_string()],
                )
            })
            .into_iter()
            .collect();
        assert_eq!(got, want, "{this_week} orders this week");
    }
}

/// LIVE benchmark miss (docs/metrics.md §11): a LIVE session whose GMV per viewer is `live_miss_pct` (30 %)
/// or more below the account's over the period's sessions (Σ GMV ÷ Σ viewers), from a Creator LIVE
/// Performance export. Sessions A and B: 1,000.00 over 100 viewers (10.00 each); session C: x over 100.
/// C fires when x/100 ≤ 0.7 × (2,000 + x)/300, i.e. 2.3x ≤ 1,400, x ≤ 608.695…:
/// x = 608.69 → C 6.0869 ≤ 0.7 × 8.695633… = 6.086943… → fires; x = 608.70 → 6.087 > 6.08697 → does not.
/// A running session (negative duration) with a tiny GMV is never compared nor counted in the average.
#[test]
fn live_benchmark_miss_fires_on_a_session_below_the_account_average_less_the_threshold() {
    const HEADER: &str = "2026-05-01 ~ 2026-05-31\n\n\
Livestream,Start time,Duration,Gross revenue,Direct GMV,Items sold,Customers,Avg. price,Orders paid for,\
GMV/1K shows,GMV/1K views,Views,Viewers,Peak viewers,New followers,Avg. view duration,Likes,Comments,Shares,\
Product impressions,Product clicks,CTR,CTOR (SKU orders)\n";
    let row = |title: &str, start: &str, duration: &str, gmv: &str| {
        format!(
            "{title},{start},{duration},$ {gmv},$ {gmv},1,1,$ 1.00,1,$ 0.00,$ 0.00,300,100,10,0,30,0,0,0,1000,50,0.05,0.02\n"
        )
    };
    let s = settings();
    for (x, fires) in [("608.69", true), ("608.70", false)] {
        let csv = format!(
            "{HEADER}{}{}{}{}",
            row("A", "2026-05-10 10:00", "3600", "1000.00"),
            row("B", "2026-05-11 10:00", "3600", "1000.00"),
            row("C", "2026-05-12 10:00", "3600", x),
            row("D", "2026-05-13 10:00", "-1778000000", "1.00"),
        );
        let live = read_any(
            "live.csv",
            csv.as_bytes(),
            ImportOptions {
                currency: Some(Currency::USD),
                ..ImportOptions::default()
            },
        )
        .unwrap();
        let built =
            report::build_detailed(&[live], &CostsTable::default(), &s, None, None).unwrap();
        let got: Vec<Rule> = fired(&built.report.alerts, RuleKind::LiveBenchmarkMiss)
            .into_iter()
            .map(|a| a.rule)
            .collect();
        let want: Vec<Rule> = fires
            .then(|| Rule::LiveBenchmarkMiss {
                session: "C".to_string(),
                start: may(12).and_hms_opt(10, 0, 0).unwrap(),
                basis: "gmv_per_viewer".to_string(),
                value: dec!(6.0869),
                // (2,000 + 608.69) / 300 = 8.695633…
                average: dec!(8.6956),
                threshold_pct: dec!(30),
            })
            .into_iter()
            .collect();
        assert_eq!(got, want, "C at {x}");
        let bench = built.report.live_benchmark.as_ref().unwrap();
        assert_eq!((bench.basis, bench.sessions), ("gmv_per_viewer", 3));
        let flagged: Vec<bool> = built
            .report
            .live_sessions
            .iter()
            .map(|l| l.below_benchmark)
            .collect();
        assert_eq!(flagged, vec![false, false, fires, false]);
    }
}

/// Negative CM2: a SKU with net revenue > 0 and CM2 < 0.
#[test]
fn negative_cm2_fires_when_a_selling_sku_loses_money() {
    let costs = CostsTable {
        entries: ["1001", "1002"]
            .iter()
            .zip([dec!(70.00), dec!(5.00)])
            .map(|(sku, unit_cost)| CostEntry {
                sku: (*sku).to_string(),
                effective_from: None,
                unit_cost,
            })
            .collect(),
        skus: Vec::new(),
    };
    // SKU 1001 (TEA-1): one unit at 100.00, unit cost 70.00 → cm1 = 100 − 70 = 30.00; other
    // marketing m on its day, all of it on 1001 (the only net sales): cm2 = 30.00 − m.
    // m = 30.00 → cm2 0 → no alert; m = 30.01 → cm2 −0.01 → alert.
    // SKU 1002: a sample (subtotal 0) costing 5.00: cm2 −5.00 but net revenue 0 → never fires.
    let cases = [
        (dec!(30.00), None),
        (
            dec!(30.01),
            Some(Rule::NegativeCm2 {
                sku_id: "1001".into(),
                seller_sku: "TEA-1".into(),
                cm2: dec!(-0.01),
                net_revenue: dec!(100.00),
            }),
        ),
    ];
    for (marketing, want) in cases {
        let mut s = settings();
        s.other_marketing = vec![MarketingEntry {
            date: may(14),
            amount: marketing,
            label: "promotion".into(),
        }];
        let lines = [
            Line {
                seller_sku: "TEA-1",
                ..line(14, "1001", "100.00")
            },
            line(14, "1002", "0.00"),
        ];
        let got: Vec<Rule> = fired(&alerts_of(&lines, &costs, &s), RuleKind::NegativeCm2)
            .into_iter()
            .map(|a| {
                assert_eq!(a.rows, vec!["1001".to_string()]);
                a.rule
            })
            .collect();
        assert_eq!(
            got,
            want.into_iter().collect::<Vec<_>>(),
            "marketing {marketing}"
        );
    }
}

/// Low creator efficiency: net revenue per 1.00 of commission below the threshold (3).
///
/// Known limit: the efficiency is shown rounded to two decimals, so a creator just below the
/// threshold reads "3.00 … below your threshold of 3".
#[test]
fn low_creator_efficiency_fires_below_the_threshold() {
    // alice: one order of 30.00 (net revenue 30.00, no VAT in the US) with commission c.
    // c = 10.00 → 30 / 10 = 3, not below 3 → no alert.
    // c = 10.01 → 30 / 10.01 = 2.997… < 3 → alert; shown rounded: 3.00.
    let cases = [
        ("10.00", None),
        (
            "10.01",
            Some(Rule::LowCreatorEfficiency {
                creator: "alice".into(),
                efficiency: dec!(3.00),
                threshold: dec!(3),
            }),
        ),
    ];
    for (commission, want) in cases {
        let lines = [Line {
            affiliate: Some(("alice", "Video", commission)),
            ..line(14, "1001", "30.00")
        }];
        let got: Vec<Rule> = fired(
            &alerts_of(&lines, &CostsTable::default(), &settings()),
            RuleKind::LowCreatorEfficiency,
        )
        .into_iter()
        .map(|a| a.rule)
        .collect();
        assert_eq!(
            got,
            want.into_iter().collect::<Vec<_>>(),
            "commission {commission}"
        );
    }
}

/// Without an affiliate export, ad spend or Livestream orders, four rules say what they need (in
/// the order `evaluate` runs them) and none fires.
#[test]
fn rules_without_their_data_say_which_export_they_need() {
    let a = alerts_of(
        &[line(14, "1001", "10.00")],
        &CostsTable::default(),
        &settings(),
    );
    assert!(a.alerts.is_empty());
    let rules: Vec<RuleKind> = a.unavailable.iter().map(|u| u.rule).collect();
    assert_eq!(
        rules,
        vec![
            RuleKind::CpoDeterioration,
            RuleKind::AffiliateDropoff,
            RuleKind::LowCreatorEfficiency,
            RuleKind::LiveBenchmarkMiss,
        ]
    );
}

/// The report's JSON keeps `rule`, `subject`, `message` and `rows` on an alert (the rule's figures
/// beside them) and `step`, `amount`, `subtotal` on a waterfall step; both read back as they were.
#[test]
fn alerts_and_waterfall_round_trip_through_json() {
    let alert = Alert {
        rule: Rule::NegativeCm2 {
            sku_id: "1001".into(),
            seller_sku: "TEA-1".into(),
            cm2: dec!(-0.01),
            net_revenue: dec!(100.00),
        },
        subject: "1001".into(),
        message: "m".into(),
        rows: vec!["1001".into()],
    };
    let alerts = Alerts {
        alerts: vec![alert],
        unavailable: Vec::new(),
    };
    let json = serde_json::to_value(&alerts).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "alerts": [{
                "rule": "negative_cm2", "sku_id": "1001", "seller_sku": "TEA-1", "cm2": "-0.01",
                "net_revenue": "100.00", "subject": "1001", "message": "m", "rows": ["1001"]
            }],
            "unavailable": []
        })
    );
    assert_eq!(serde_json::from_value::<Alerts>(json).unwrap(), alerts);

    // One order of 10.00: gmv 10.00 … estimated settlement 10.00, every deduction 0.
    let built = report::build_detailed(
        &files(&[line(14, "1001", "10.00")]),
        &CostsTable::default(),
        &settings(),
        None,
        None,
    )
    .unwrap();
    let w = &built.report.waterfall;
    let keys: Vec<StepKey> = w.steps.iter().map(|s| s.step).collect();
    assert_eq!(keys, StepKey::ALL.to_vec());
    let json = serde_json::to_value(w).unwrap();
    assert_eq!(
        json["steps"][0],
        serde_json::json!({"step": "gmv", "amount": "10.00", "subtotal": true})
    );
    assert_eq!(
        json["steps"][1],
        serde_json::json!({"step": "cancelled_sales", "amount": "0.00", "subtotal": false})
    );
    assert_eq!(json["steps"][8]["step"], "estimated_settlement");
    assert_eq!(json["steps"][8]["amount"], "10.00");
    assert_eq!(serde_json::from_value::<Waterfall>(json).unwrap(), *w);
}
