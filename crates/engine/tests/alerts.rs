//! Each alert rule (docs/metrics.md §12) on small hand-made exports: for every rule a case on each side
//! of its threshold and a coverage gap where it must not fire and must say it could not run, with the
//! expected figures computed by hand in the comments. The files go through the importers and
//! `report::build_detailed` as real ones do. Fee rules are emptied so a line's figures are its own
//! sales, costs and commission only (no modelled platform fee).
//!
//! Every rule is anchored at the last day the Orders exports cover (`as_of`), whatever the period.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use margin_engine::alerts::{Alert, Alerts, CpoBasis, ReturnBasis, Rule, RuleKind};
use margin_engine::costs::{CostEntry, CostsTable};
use margin_engine::coverage::DayRange;
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

fn range(a: u32, b: u32) -> DayRange {
    DayRange::new(may(a), may(b))
}

fn order_id(i: usize) -> String {
    format!("5760000000000{i:05}")
}

/// One Orders export of `lines`, their orders numbered from `first`.
fn orders_file(name: &str, lines: &[Line], first: usize) -> ImportedFile {
    let mut orders = String::from(
        "Order ID,Order Status,Cancelation/Return Type,SKU ID,Seller SKU,Product Category,Quantity,\
         Sku Quantity of return,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n",
    );
    for (i, l) in lines.iter().enumerate() {
        let return_type = if l.returned > 0 { "Return/Refund" } else { "" };
        orders.push_str(&format!(
            "{},Completed,{return_type},{},{},{},{},{},{},0,05/{:02}/2026 10:00:00 AM,05/{:02}/2026 10:00:05 AM\n",
            order_id(first + i),
            l.sku,
            l.seller_sku,
            l.category,
            l.quantity,
            l.returned,
            l.subtotal,
            l.day,
            l.day
        ));
    }
    import_file(name, orders.as_bytes(), ImportOptions::default()).unwrap()
}

/// The Affiliate orders export of the lines that have an affiliate row (`None` when none has), without
/// `Time Created`: it then constrains no day (docs/metrics.md §9).
fn affiliate_file(lines: &[Line], first: usize) -> Option<ImportedFile> {
    let mut affiliate = String::from(
        "Order ID,SKU ID,Creator Username,Content Type,Order Status,Quantity,Currency,\
         Est. standard commission payment\n",
    );
    let mut any = false;
    for (i, l) in lines.iter().enumerate() {
        if let Some((creator, content, commission)) = l.affiliate {
            any = true;
            affiliate.push_str(&format!(
                "{},{},{creator},{content},Completed,{},USD,{commission}\n",
                order_id(first + i),
                l.sku,
                l.quantity
            ));
        }
    }
    any.then(|| {
        import_file(
            "affiliate.csv",
            affiliate.as_bytes(),
            ImportOptions::default(),
        )
        .unwrap()
    })
}

/// The Orders export (and, when a line has one, the Affiliate orders export) of `lines`.
fn files(lines: &[Line]) -> Vec<ImportedFile> {
    let mut out = vec![orders_file("orders.csv", lines, 0)];
    out.extend(affiliate_file(lines, 0));
    out
}

/// A GMV Max campaign overview: (day of May, cost, SKU orders, gross revenue).
fn gmv_max(rows: &[(u32, &str, &str, &str)]) -> ImportedFile {
    let mut csv = String::from(
        "By Day,Cost,SKU orders (Current shop),Cost per order (Current shop),Gross revenue (Current shop),\
         ROI (Current shop),Currency\n",
    );
    for (d, cost, orders, gross) in rows {
        csv.push_str(&format!("2026-05-{d:02},{cost},{orders},0,{gross},0,USD\n"));
    }
    import_file("gmv_max.csv", csv.as_bytes(), ImportOptions::default()).unwrap()
}

/// No modelled platform fee: a line's figures are its sales, unit cost and commission only.
fn settings() -> Settings {
    Settings {
        fee_rules: Vec::new(),
        ..Settings::default()
    }
}

fn costs(entries: &[(&str, Decimal)]) -> CostsTable {
    CostsTable {
        entries: entries
            .iter()
            .map(|(sku, unit_cost)| CostEntry {
                sku: (*sku).to_string(),
                effective_from: None,
                unit_cost: *unit_cost,
            })
            .collect(),
        skus: Vec::new(),
    }
}

fn alerts_of_files(files: &[ImportedFile], costs: &CostsTable, settings: &Settings) -> Alerts {
    let built = report::build_detailed(files, costs, settings, None, None).unwrap();
    assert_eq!(
        built.analysis.totals.platform_fees,
        Decimal::ZERO,
        "no fee rule, no fee"
    );
    built.report.alerts
}

fn alerts_of(lines: &[Line], costs: &CostsTable, settings: &Settings) -> Alerts {
    alerts_of_files(&files(lines), costs, settings)
}

fn fired(a: &Alerts, kind: RuleKind) -> Vec<Alert> {
    a.alerts
        .iter()
        .filter(|x| x.rule.kind() == kind)
        .cloned()
        .collect()
}

/// The rule's entry under `unavailable`, which must be there.
fn unavailable(a: &Alerts, kind: RuleKind) -> margin_engine::alerts::Unavailable {
    a.unavailable
        .iter()
        .find(|u| u.rule == kind)
        .cloned()
        .unwrap_or_else(|| panic!("{kind} should say it could not run: {a:?}"))
}

fn tea(day: u32, sku: &'static str, returned: u32) -> Line {
    Line {
        category: "Tea",
        returned,
        ..line(day, sku, "10.00")
    }
}

fn mugs(day: u32, quantity: u32, returned: u32) -> Line {
    Line {
        category: "Mugs",
        quantity,
        returned,
        ..line(day, "1003", "8.00")
    }
}

/// Tea's benchmark 10 % and factor 2: above 20 % fires; other categories 5 % × 2 = 10 %.
fn spike_settings() -> Settings {
    let mut s = settings();
    s.alerts.return_rate_benchmarks = vec![("tea".into(), dec!(10))];
    s.alerts.return_spike_factor = dec!(2);
    s
}

/// Return-rate spike without a Returns export: the returns known so far of the orders created in the
/// 7 days that end 2 days before the anchor. Anchor 05-20 (the last order date) → order dates
/// 05-12 … 05-18; 05-19 and 05-20 are left out (their returns have not happened yet).
#[test]
fn return_rate_spike_on_returns_known_so_far() {
    let s = spike_settings();
    let fixed = vec![
        // SKU 1001 (Tea): 3 units on 05-13, none returned → 0 %. Its returned unit of 05-19 is too
        // recent: counted, 1 / 4 = 25 % would fire.
        tea(13, "1001", 0),
        tea(13, "1001", 0),
        tea(13, "1001", 0),
        tea(19, "1001", 1),
        // SKU 1003 (Mugs, 10 %): 05-14 9 sold + 1 returned → 1 / 10 = 10.00 %, not above 10. Its return of
        // 05-11 is before the window (with it: 2 / 11 = 18.18 %, which would fire).
        mugs(11, 1, 1),
        mugs(14, 9, 0),
        mugs(14, 1, 1),
        // The anchor.
        line(20, "1004", "5.00"),
    ];
    // SKU 1002 (Tea): one returned unit on 05-15 and `sold` sold units on 05-16.
    // sold 4: 1 / 5 = 20.00 %, not above 20 → no alert; sold 3: 1 / 4 = 25.00 % → alert.
    for (sold, expected_rate) in [(4usize, None), (3, Some(dec!(25.00)))] {
        let mut lines = fixed.clone();
        lines.push(tea(15, "1002", 1));
        let returned_order = order_id(lines.len() - 1);
        lines.extend(std::iter::repeat_n(tea(16, "1002", 0), sold));
        let a = alerts_of(&lines, &CostsTable::default(), &s);
        assert_eq!(a.as_of, Some(may(20)));
        let got: Vec<(Rule, Vec<String>)> = fired(&a, RuleKind::ReturnRateSpike)
            .into_iter()
            .map(|a| {
                assert!(a.message.contains("returns known so far"), "{}", a.message);
                (a.rule, a.rows)
            })
            .collect();
        let want: Vec<(Rule, Vec<String>)> = expected_rate
            .map(|return_rate| {
                (
                    Rule::ReturnRateSpike {
                        sku_id: "1002".into(),
                        category: "Tea".into(),
                        basis: ReturnBasis::ReturnsKnownSoFar,
                        from: may(12),
                        to: may(18),
                        shipped_from: may(12),
                        shipped_to: may(18),
                        days: 7,
                        units_returned: 1,
                        units_shipped: 4,
                        return_rate,
                        benchmark: dec!(10),
                        factor: dec!(2),
                        orders: vec![returned_order.clone()],
                    },
                    vec!["1002".to_string()],
                )
            })
            .into_iter()
            .collect();
        assert_eq!(got, want, "SKU 1002 with {sold} sold lines");
    }
}

/// Without coverage of the window the rule does not run: Orders exports of 05-01 … 05-06 and of 05-20
/// leave the order dates 05-12 … 05-18 uncovered. SKU 1002's 1 returned unit of 1 on 05-06 (100 %) is
/// old news and never counted.
#[test]
fn return_rate_spike_does_not_run_on_uncovered_days() {
    let s = spike_settings();
    let old = orders_file(
        "orders_early.csv",
        &[line(1, "1001", "5.00"), tea(6, "1002", 1)],
        0,
    );
    let new = orders_file("orders_late.csv", &[line(20, "1001", "5.00")], 10);
    let a = alerts_of_files(&[old, new], &CostsTable::default(), &s);
    assert!(fired(&a, RuleKind::ReturnRateSpike).is_empty());
    let u = unavailable(&a, RuleKind::ReturnRateSpike);
    assert_eq!(u.uncovered, vec![range(12, 18)]);
    assert!(u.needs.contains("Orders exports"), "{}", u.needs);
}

/// The Returns & refunds export's header (as public parsers of it read it).
const RETURNS_HEADER: &str = "Return Order ID,Order ID,Order Amount,Order Status,Order Substatus,Payment Method,SKU ID,\
Seller SKU,Product Name,SKU Name,Buyer Username,Return Type,Time Requested,Return Reason,Return unit price,\
Return Quantity,Return Logistics Tracking ID,Return Status,Return Sub Status,Refund Time,Dispute Status,\
Appeal Status,Compensation Status,Compensation Amount,Buyer Note";

/// A Returns & refunds export: (return ID, order ID, SKU ID, seller SKU, request day of May, quantity,
/// status).
fn returns_file(rows: &[(&str, &str, &str, &str, u32, u32, &str)]) -> ImportedFile {
    let mut csv = format!("{RETURNS_HEADER}\n");
    for (id, order, sku, seller_sku, day, qty, status) in rows {
        csv.push_str(&format!(
            "{id},{order},$10.00,Completed,,Card,{sku},{seller_sku},Tea,Default,buyer,Return and refund,\
             {day:02}/05/2026 09:00:00,Damaged,$10.00,{qty},TRK1,{status},,{day:02}/05/2026 18:00:00,,,,,\n"
        ));
    }
    read_any("returns.csv", csv.as_bytes(), ImportOptions::default()).unwrap()
}

/// Return-rate spike with a Returns export: the units asked back in the 7 days to the anchor
/// (05-14 … 05-20, by `Time Requested`) over the units ordered 7 days earlier (05-07 … 05-13).
#[test]
fn return_rate_spike_by_when_returns_were_requested() {
    let s = spike_settings();
    let returns = returns_file(&[
        // 05-12: before the window (its order day 05-05 is not covered either).
        (
            "R1",
            "577000000000000001",
            "1002",
            "TEA-2",
            12,
            1,
            "Completed",
        ),
        // Rejected: not a return (it still shows the export covers 05-14).
        (
            "R2",
            "577000000000000002",
            "1002",
            "TEA-2",
            14,
            5,
            "Request Rejected",
        ),
        // Counted: 1 unit on 05-16 by SKU ID, 1 unit on 05-17 named by seller SKU alone.
        (
            "R3",
            "577000000000000003",
            "1002",
            "TEA-2",
            16,
            1,
            "Completed",
        ),
        (
            "R4",
            "577000000000000004",
            "",
            "TEA-2",
            17,
            1,
            "Awaiting Buyer Ship",
        ),
        // Another SKU on the anchor day: the export covers 05-12 … 05-20.
        (
            "R5",
            "577000000000000005",
            "1004",
            "",
            20,
            1,
            "Request Cancel",
        ),
    ]);
    // SKU 1002 (Tea, 20 %): `shipped` units ordered on 05-08; 2 asked back in the window.
    // shipped 10: 2 / 10 = 20.00 %, not above 20 → no alert; shipped 9: 2 / 9 = 22.22 % → alert.
    // The Orders export's own return of 1002 on 05-19 is not what this rule counts.
    for (shipped, want_rate) in [(10usize, None), (9, Some(dec!(22.22)))] {
        let mut lines = vec![line(7, "1004", "5.00")];
        lines.extend(std::iter::repeat_n(
            Line {
                seller_sku: "TEA-2",
                ..tea(8, "1002", 0)
            },
            shipped,
        ));
        lines.push(Line {
            seller_sku: "TEA-2",
            ..tea(19, "1002", 1)
        });
        lines.push(line(20, "1004", "5.00"));
        let mut all = files(&lines);
        all.push(returns.clone());
        let a = alerts_of_files(&all, &CostsTable::default(), &s);
        let got: Vec<(Rule, Vec<String>)> = fired(&a, RuleKind::ReturnRateSpike)
            .into_iter()
            .map(|a| (a.rule, a.rows))
            .collect();
        let want: Vec<(Rule, Vec<String>)> = want_rate
            .map(|return_rate| {
                (
                    Rule::ReturnRateSpike {
                        sku_id: "1002".into(),
                        category: "Tea".into(),
                        basis: ReturnBasis::ReturnRequests,
                        from: may(14),
                        to: may(20),
                        shipped_from: may(7),
                        shipped_to: may(13),
                        days: 7,
                        units_returned: 2,
                        units_shipped: 9,
                        return_rate,
                        benchmark: dec!(10),
                        factor: dec!(2),
                        orders: vec![
                            "577000000000000003".to_string(),
                            "577000000000000004".to_string(),
                        ],
                    },
                    vec!["1002".to_string()],
                )
            })
            .into_iter()
            .collect();
        assert_eq!(got, want, "{shipped} units shipped");
    }
}

/// A Returns export that ends before the window (requests of 05-01 … 05-10) cannot say what was asked
/// back in 05-14 … 05-20: unavailable, and its 3 requests of 05-10 against 1 unit shipped 05-03 are not
/// counted.
#[test]
fn return_rate_spike_with_an_old_returns_export_does_not_run() {
    let s = spike_settings();
    let returns = returns_file(&[
        ("R1", "577000000000000001", "1002", "", 1, 1, "Completed"),
        ("R2", "577000000000000002", "1002", "", 10, 3, "Completed"),
    ]);
    let mut all = files(&[tea(3, "1002", 0), line(20, "1004", "5.00")]);
    all.push(returns);
    let a = alerts_of_files(&all, &CostsTable::default(), &s);
    assert!(fired(&a, RuleKind::ReturnRateSpike).is_empty());
    let u = unavailable(&a, RuleKind::ReturnRateSpike);
    assert_eq!(u.uncovered, vec![range(14, 20)]);
    assert!(u.needs.contains("Returns & refunds export"), "{}", u.needs);
}

/// CPO deterioration, blended: the anchor day's (ad spend + commission) / orders above Σ cost ÷ Σ orders
/// of the (at least 3) days with orders among the 7 before, by more than 20 %.
#[test]
fn cpo_deterioration_fires_above_the_trailing_cost_per_order_plus_the_threshold() {
    let day = |d, commission| Line {
        affiliate: Some(("alice", "Video", commission)),
        ..line(d, "1001", "50.00")
    };
    // 05-14, 05-15, 05-16: one order each, commission 5.00 → 15.00 / 3 orders = 5.00;
    // limit 5.00 × (1 + 20 / 100) = 6.00. The anchor, 05-17, one order: 6.00 → not above; 6.01 → above.
    let cases = [
        ("6.00", None),
        (
            "6.01",
            Some(Rule::CpoDeterioration {
                day: may(17),
                basis: CpoBasis::Blended,
                cpo: dec!(6.01),
                orders: 1,
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
            // The anchor first, then the days compared with it: each has orders.
            assert_eq!(
                a.rows,
                ["2026-05-17", "2026-05-14", "2026-05-15", "2026-05-16"]
            );
            a.rule
        })
        .collect();
        assert_eq!(got, want.into_iter().collect::<Vec<_>>(), "last CPO {last}");
    }
    // Two days before the anchor are too few: CPO 100.00 on 05-17 does not fire, and the rule says so.
    let a = alerts_of(
        &[day(15, "5.00"), day(16, "5.00"), day(17, "100.00")],
        &CostsTable::default(),
        &settings(),
    );
    assert!(fired(&a, RuleKind::CpoDeterioration).is_empty());
    let u = unavailable(&a, RuleKind::CpoDeterioration);
    assert!(u.needs.contains("at least 3 days"), "{}", u.needs);
    assert!(u.needs.contains("found 2"), "{}", u.needs);
}

/// CPO deterioration on paid traffic: where GMV Max reports its SKU orders, spend ÷ those orders.
/// GMV Max: 05-14 30.00 / 3, 05-15 20.00 / 2, 05-16 10.00 / 1 → 60.00 / 6 = 10.00; limit 12.00.
/// 05-17: 24.00 / 2 = 12.00 → no alert; 24.02 / 2 = 12.01 → alert. Blended would not fire: the Orders
/// export has 1 order on each of 05-14 … 05-16 (30.00, 20.00, 10.00 → 60.00 / 3 = 20.00, limit 24.00)
/// and 4 on 05-17 (24.02 / 4 = 6.005).
#[test]
fn cpo_deterioration_uses_gmv_max_orders_when_they_are_known() {
    let mut lines = vec![
        line(14, "1001", "50.00"),
        line(15, "1001", "50.00"),
        line(16, "1001", "50.00"),
    ];
    lines.extend(std::iter::repeat_n(line(17, "1001", "50.00"), 4));
    for (cost, want) in [
        ("24.00", None),
        (
            "24.02",
            Some(Rule::CpoDeterioration {
                day: may(17),
                basis: CpoBasis::Paid,
                cpo: dec!(12.01),
                orders: 2,
                average: dec!(10.00),
                window_days: 3,
                threshold_pct: dec!(20),
            }),
        ),
    ] {
        let mut all = files(&lines);
        all.push(gmv_max(&[
            (14, "30", "3", "0"),
            (15, "20", "2", "0"),
            (16, "10", "1", "0"),
            (17, cost, "2", "0"),
        ]));
        let a = alerts_of_files(&all, &CostsTable::default(), &settings());
        let got: Vec<Rule> = fired(&a, RuleKind::CpoDeterioration)
            .into_iter()
            .map(|a| {
                assert!(
                    a.message.starts_with("Paid cost per order"),
                    "{}",
                    a.message
                );
                a.rule
            })
            .collect();
        assert_eq!(got, want.into_iter().collect::<Vec<_>>(), "cost {cost}");
    }
}

/// An ads export covering only the anchor (05-17, 50.00) leaves the 7 days before without spend: their
/// blended CPO (commission 5.00) against 55.00 on 05-17 would read as an elevenfold jump. Not covered by
/// the ads export, they are not compared: unavailable, with those days.
#[test]
fn cpo_deterioration_does_not_compare_days_the_ads_export_does_not_cover() {
    let day = |d| Line {
        affiliate: Some(("alice", "Video", "5.00")),
        ..line(d, "1001", "50.00")
    };
    let mut all = files(&[day(14), day(15), day(16), day(17)]);
    all.push(gmv_max(&[(17, "50", "", "0")]));
    let a = alerts_of_files(&all, &CostsTable::default(), &settings());
    assert!(fired(&a, RuleKind::CpoDeterioration).is_empty());
    let u = unavailable(&a, RuleKind::CpoDeterioration);
    assert!(u.needs.contains("found 0"), "{}", u.needs);
    assert_eq!(u.uncovered, vec![range(10, 16)]);
}

/// Affiliate drop-off: affiliate orders of the 7 days to the anchor against the 7 days before, down more
/// than 25 %. Its rows are the creators whose orders fell.
#[test]
fn affiliate_dropoff_fires_below_minus_the_threshold() {
    let aff = |d, creator| Line {
        affiliate: Some((creator, "Video", "1.00")),
        ..line(d, "1001", "20.00")
    };
    // Anchor 05-21: this week = 05-15 … 05-21, the week before = 05-08 … 05-14. The 05-07 order is in
    // neither (with it the week before would hold 5 and 3 / 5 would fire too).
    // Week before: alice 3 + bob 1 = 4 on 05-14. This week on 05-21, alice only:
    // 3 → (3 − 4) / 4 = −25.00 %, not below −25 → no alert; 2 → (2 − 4) / 4 = −50.00 % → alert;
    // alice fell 3 → 2 (1), bob 1 → 0 (1): rows alice, bob (equal falls by name).
    for (this_week, want_change) in [(3usize, None), (2, Some(dec!(-50.00)))] {
        let mut lines = vec![aff(7, "alice")];
        lines.extend(std::iter::repeat_n(aff(14, "alice"), 3));
        lines.push(aff(14, "bob"));
        lines.extend(std::iter::repeat_n(aff(21, "alice"), this_week));
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
                    vec!["alice".to_string(), "bob".to_string()],
                )
            })
            .into_iter()
            .collect();
        assert_eq!(got, want, "{this_week} orders this week");
    }
}

/// Orders exports of 05-07 … 05-10 and of 05-21 leave 05-11 … 05-20 uncovered: counted on the lines
/// alone, 1 affiliate order (05-21) against 4 (05-08 … 05-10) would read −75 %. Unavailable instead.
#[test]
fn affiliate_dropoff_does_not_run_across_a_gap() {
    let aff = |d| Line {
        affiliate: Some(("alice", "Video", "1.00")),
        ..line(d, "1001", "20.00")
    };
    let early = [aff(7), aff(8), aff(9), aff(10), aff(10)];
    let late = [aff(21)];
    let mut all = vec![
        orders_file("orders_early.csv", &early, 0),
        orders_file("orders_late.csv", &late, 10),
    ];
    // One affiliate file with the rows of both (orders numbered 0–4 and 10).
    let mut rows: Vec<Line> = early.to_vec();
    rows.extend(std::iter::repeat_n(line(1, "0", "0"), 5));
    rows.push(aff(21));
    all.extend(affiliate_file(&rows, 0));
    let a = alerts_of_files(&all, &CostsTable::default(), &settings());
    assert!(fired(&a, RuleKind::AffiliateDropoff).is_empty());
    assert_eq!(
        unavailable(&a, RuleKind::AffiliateDropoff).uncovered,
        vec![range(11, 20)]
    );
}

/// Negative CM2 over the covered days of the 30 to the anchor: a SKU with net revenue > 0 and CM2 < 0.
#[test]
fn negative_cm2_fires_when_a_selling_sku_loses_money() {
    let costs = costs(&[("1001", dec!(70.00)), ("1002", dec!(5.00))]);
    // SKU 1001 (TEA-1): one unit at 100.00 on 05-14, unit cost 70.00 → cm1 = 100 − 70 = 30.00; other
    // marketing m on its day, all of it on 1001 (the only net sales): cm2 = 30.00 − m.
    // m = 30.00 → cm2 0 → no alert; m = 30.01 → cm2 −0.01 → alert. The Orders export covers 05-14 only:
    // 1 covered day of the 30 (04-15 … 05-14).
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
                from: may(14),
                to: may(14),
                days: 1,
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

/// GMV Max spent 100.00 on 05-08, a day no Orders export covers (exports of 05-01 … 05-02 and 05-14).
/// Spread over the loaded sales it would sink SKU 1001 (100.00, cost 70.00: cm1 30.00) to
/// 30.00 − 100 × 100 / 150 = −36.67. No day is covered by both the Orders and the ads exports: the rule
/// says so and does not fire.
#[test]
fn negative_cm2_does_not_spread_spend_of_uncovered_days() {
    let costs = costs(&[("1001", dec!(70.00)), ("1002", dec!(10.00))]);
    let all = vec![
        orders_file(
            "orders_early.csv",
            &[line(1, "1001", "100.00"), line(2, "1003", "1.00")],
            0,
        ),
        orders_file("orders_late.csv", &[line(14, "1002", "50.00")], 10),
        gmv_max(&[(8, "100", "1", "0")]),
    ];
    let a = alerts_of_files(&all, &costs, &settings());
    assert!(fired(&a, RuleKind::NegativeCm2).is_empty());
    let u = unavailable(&a, RuleKind::NegativeCm2);
    assert_eq!(
        u.uncovered,
        vec![DayRange::new(
            NaiveDate::from_ymd_opt(2026, 4, 15).unwrap(),
            may(14)
        )]
    );
    assert!(u.needs.contains("Orders and Ads exports"), "{}", u.needs);
}

/// Low creator efficiency over the covered days of the 30 to the anchor: net revenue per 1.00 of
/// commission below the threshold (3).
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
                from: may(14),
                to: may(14),
                days: 1,
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
        .map(|a| {
            assert_eq!(a.rows, vec!["alice".to_string()]);
            a.rule
        })
        .collect();
        assert_eq!(
            got,
            want.into_iter().collect::<Vec<_>>(),
            "commission {commission}"
        );
    }
}

/// An Affiliate export dated 05-20 … 05-21 (its `Time Created`) covers none of the 30 days to the anchor
/// 05-14: the creators' commissions of those days are not known, so no creator is judged.
#[test]
fn low_creator_efficiency_needs_the_affiliate_export_to_cover_its_days() {
    let orders = orders_file(
        "orders.csv",
        &[line(1, "1001", "30.00"), line(14, "1001", "30.00")],
        0,
    );
    let affiliate = "Order ID,SKU ID,Creator Username,Content Type,Order Status,Quantity,Currency,\
                     Est. standard commission payment,Time Created\n\
                     576000000000000001,1001,alice,Video,Completed,1,USD,20.00,20/05/2026 10:00:00\n\
                     576000000000000099,1001,bob,Video,Completed,1,USD,20.00,21/05/2026 10:00:00\n";
    let affiliate = import_file(
        "affiliate.csv",
        affiliate.as_bytes(),
        ImportOptions::default(),
    )
    .unwrap();
    let a = alerts_of_files(&[orders, affiliate], &CostsTable::default(), &settings());
    assert!(fired(&a, RuleKind::LowCreatorEfficiency).is_empty());
    let u = unavailable(&a, RuleKind::LowCreatorEfficiency);
    assert_eq!(
        u.uncovered,
        vec![DayRange::new(
            NaiveDate::from_ymd_opt(2026, 4, 15).unwrap(),
            may(14)
        )]
    );
}

/// LIVE benchmark miss (docs/metrics.md §11, §12): a LIVE session started in the 7 days to the anchor
/// whose GMV per viewer is `live_miss_pct` (30 %) or more below the account's over the sessions of the
/// 30 days to the anchor (Σ GMV ÷ Σ viewers), from a Creator LIVE Performance export. No Orders export
/// is loaded, so the anchor is the last day the LIVE export covers (its stated period).
/// Sessions A and B: 1,000.00 over 100 viewers (10.00 each); session C (05-12): x over 100.
/// C fires when x/100 ≤ 0.7 × (2,000 + x)/300, i.e. 2.3x ≤ 1,400, x ≤ 608.695…:
/// x = 608.69 → C 6.0869 ≤ 0.7 × 8.695633… = 6.086943… → fires; x = 608.70 → 6.087 > 6.08697 → does not.
/// A running session (negative duration) with a tiny GMV is never compared nor counted in the average.
#[test]
fn live_benchmark_miss_fires_on_a_session_below_the_account_average_less_the_threshold() {
    let s = settings();
    for (x, fires) in [("608.69", true), ("608.70", false)] {
        // The export covers 05-01 … 05-14: the anchor is 05-14, the week 05-08 … 05-14 holds C.
        let live = live_export(x, 14);
        let built =
            report::build_detailed(&[live], &CostsTable::default(), &s, None, None).unwrap();
        let got: Vec<Rule> = fired(&built.report.alerts, RuleKind::LiveBenchmarkMiss)
            .into_iter()
            .map(|a| {
                // The session's start (content::figures names the session by it).
                assert_eq!(a.rows, vec!["2026-05-12 10:00:00".to_string()]);
                a.rule
            })
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
                // 30 days to 05-14: from 04-15.
                from: NaiveDate::from_ymd_opt(2026, 4, 15).unwrap(),
                to: may(14),
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

/// The LIVE rule looks at its own week, not at the period: the same sessions in an export covering all of
/// May (anchor 05-31, week 05-25 … 05-31) raise no alert — C is 19 days old — while the Content view's
/// table still marks C below the period's benchmark. And a period of 05-01 … 05-02 (no session) does not
/// stop the alert of an export ending 05-14.
#[test]
fn the_live_rule_reads_the_last_week_to_its_anchor_not_the_period() {
    let s = settings();
    let built = report::build_detailed(
        &[live_export("608.69", 31)],
        &CostsTable::default(),
        &s,
        None,
        None,
    )
    .unwrap();
    assert!(fired(&built.report.alerts, RuleKind::LiveBenchmarkMiss).is_empty());
    let flagged: Vec<bool> = built
        .report
        .live_sessions
        .iter()
        .map(|l| l.below_benchmark)
        .collect();
    assert_eq!(flagged, vec![false, false, true, false]);
    let early = Some((may(1), may(2)));
    let built = report::build_detailed(
        &[live_export("608.69", 14)],
        &CostsTable::default(),
        &s,
        None,
        early,
    )
    .unwrap();
    assert!(
        built.report.live_sessions.is_empty(),
        "no session in 05-01 … 05-02"
    );
    assert_eq!(
        fired(&built.report.alerts, RuleKind::LiveBenchmarkMiss).len(),
        1
    );
}

/// The real Mexican LIVE export (tests/fixtures/analytics): three finished sessions, each with 0.00 GMV
/// (69, 271 and 558 views). The benchmark is 0 per 1,000 views: no session is 30 % below nothing, so
/// none is marked and no alert fires (each 0.00 ≤ 0 × 0.7 would, read literally).
#[test]
fn sessions_that_sold_nothing_miss_no_benchmark() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/analytics/mx_Creator-Live-Performance_20260604180014.csv");
    let bytes = std::fs::read(&path).unwrap();
    let f = read_any("mx_live.csv", bytes.as_slice(), ImportOptions::default()).unwrap();
    let built =
        report::build_detailed(&[f], &CostsTable::default(), &settings(), None, None).unwrap();
    let r = &built.report;
    let b = r.live_benchmark.as_ref().unwrap();
    assert_eq!(
        (b.basis, b.sessions, b.average.as_str()),
        ("gmv_per_1k_views", 3, "0")
    );
    let views: Vec<i64> = r.live_sessions.iter().map(|s| s.views).collect();
    assert_eq!(views, vec![69, 271, 558]);
    assert!(r.live_sessions.iter().all(|s| !s.below_benchmark));
    assert!(fired(&r.alerts, RuleKind::LiveBenchmarkMiss).is_empty());
}

/// No alert on a coverage gap: an Orders export with an order on 05-31 anchors every rule at 05-31, and the
/// LIVE export covers 05-01 … 05-14 only. The LIVE rule's week (05-25 … 05-31) has no LIVE day: it cannot
/// say whether a session missed, so it is listed as unavailable with those days and does not fire — though
/// session C (05-12, 608.69) is below the benchmark and fires when the LIVE export reaches 05-31.
#[test]
fn the_live_rule_does_not_run_on_a_week_no_live_export_covers() {
    let s = settings();
    let orders = orders_file("orders.csv", &[line(31, "1001", "10.00")], 0);
    let a = alerts_of_files(
        &[orders.clone(), live_export("608.69", 14)],
        &CostsTable::default(),
        &s,
    );
    assert_eq!(a.as_of, Some(may(31)));
    assert!(fired(&a, RuleKind::LiveBenchmarkMiss).is_empty());
    assert_eq!(
        unavailable(&a, RuleKind::LiveBenchmarkMiss).uncovered,
        vec![range(25, 31)]
    );
    // Covered through 05-31: the week holds no session, and C (19 days old) is not this week's news.
    let a = alerts_of_files(
        &[orders, live_export("608.69", 31)],
        &CostsTable::default(),
        &s,
    );
    assert!(fired(&a, RuleKind::LiveBenchmarkMiss).is_empty());
    assert!(
        !a.unavailable
            .iter()
            .any(|u| u.rule == RuleKind::LiveBenchmarkMiss)
    );
}

/// A Creator LIVE Performance export stated to cover 2026-05-01 … 2026-05-`last`: sessions A, B
/// (1,000.00), C (`c_gmv`), each over 100 viewers, and a running session D.
fn live_export(c_gmv: &str, last: u32) -> ImportedFile {
    let header = format!(
        "2026-05-01 ~ 2026-05-{last:02}\n\n\
Livestream,Start time,Duration,Gross revenue,Direct GMV,Items sold,Customers,Avg. price,Orders paid for,\
GMV/1K shows,GMV/1K views,Views,Viewers,Peak viewers,New followers,Avg. view duration,Likes,Comments,Shares,\
Product impressions,Product clicks,CTR,CTOR (SKU orders)\n"
    );
    let row = |title: &str, start: &str, duration: &str, gmv: &str| {
        format!(
            "{title},{start},{duration},$ {gmv},$ {gmv},1,1,$ 1.00,1,$ 0.00,$ 0.00,300,100,10,0,30,0,0,0,1000,50,0.05,0.02\n"
        )
    };
    let csv = format!(
        "{header}{}{}{}{}",
        row("A", "2026-05-10 10:00", "3600", "1000.00"),
        row("B", "2026-05-11 10:00", "3600", "1000.00"),
        row("C", "2026-05-12 10:00", "3600", c_gmv),
        row("D", "2026-05-13 10:00", "-1778000000", "1.00"),
    );
    read_any(
        "live.csv",
        csv.as_bytes(),
        ImportOptions {
            currency: Some(Currency::USD),
            ..ImportOptions::default()
        },
    )
    .unwrap()
}

/// Without an affiliate export, ad spend or Livestream orders, the rules say what they need (in the
/// order the report lists them) and none fires. One order on 05-14: the return-rate rule's order dates
/// (05-06 … 05-12) are not covered.
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
            RuleKind::ReturnRateSpike,
            RuleKind::CpoDeterioration,
            RuleKind::AffiliateDropoff,
            RuleKind::LowCreatorEfficiency,
            RuleKind::LiveBenchmarkMiss,
        ]
    );
    assert_eq!(a.unavailable[0].uncovered, vec![range(6, 12)]);
}

/// The rules look at their own windows: a period of 05-01 … 05-02 still gives the alerts anchored at
/// 05-14, the last day the Orders exports cover.
#[test]
fn alerts_do_not_depend_on_the_period() {
    let costs = costs(&[("1001", dec!(70.00))]);
    let mut s = settings();
    s.other_marketing = vec![MarketingEntry {
        date: may(14),
        amount: dec!(40),
        label: "promotion".into(),
    }];
    let lines = [line(1, "1002", "10.00"), line(14, "1001", "100.00")];
    let all = report::build_detailed(&files(&lines), &costs, &s, None, None).unwrap();
    let early =
        report::build_detailed(&files(&lines), &costs, &s, None, Some((may(1), may(2)))).unwrap();
    assert_eq!(all.report.alerts, early.report.alerts);
    assert_eq!(all.report.alerts.as_of, Some(may(14)));
    assert_eq!(fired(&all.report.alerts, RuleKind::NegativeCm2).len(), 1);
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
            from: may(1),
            to: may(14),
            days: 14,
        },
        subject: "1001".into(),
        message: "m".into(),
        rows: vec!["1001".into()],
    };
    let spike = Alert {
        rule: Rule::ReturnRateSpike {
            sku_id: "1002".into(),
            category: "Tea".into(),
            basis: ReturnBasis::ReturnsKnownSoFar,
            from: may(12),
            to: may(18),
            shipped_from: may(12),
            shipped_to: may(18),
            days: 7,
            units_returned: 1,
            units_shipped: 4,
            return_rate: dec!(25.00),
            benchmark: dec!(10),
            factor: dec!(2),
            orders: vec!["576".into()],
        },
        subject: "1002".into(),
        message: "s".into(),
        rows: vec!["1002".into()],
    };
    let alerts = Alerts {
        as_of: Some(may(20)),
        alerts: vec![alert, spike],
        unavailable: Vec::new(),
    };
    let json = serde_json::to_value(&alerts).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "as_of": "2026-05-20",
            "alerts": [{
                "rule": "negative_cm2", "sku_id": "1001", "seller_sku": "TEA-1", "cm2": "-0.01",
                "net_revenue": "100.00", "from": "2026-05-01", "to": "2026-05-14", "days": 14,
                "subject": "1001", "message": "m", "rows": ["1001"]
            }, {
                "rule": "return_rate_spike", "sku_id": "1002", "category": "Tea",
                "basis": "returns_known_so_far", "from": "2026-05-12", "to": "2026-05-18",
                "shipped_from": "2026-05-12", "shipped_to": "2026-05-18", "days": 7, "units_returned": 1,
                "units_shipped": 4, "return_rate": "25.00", "benchmark": "10", "factor": "2",
                "orders": ["576"], "subject": "1002", "message": "s", "rows": ["1002"]
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
