//! The morning review (docs/metrics.md §12) on small hand-made exports: the last covered day against the
//! previous covered day and the same weekday a week earlier, the SKUs whose CM2 moved, and one action per
//! team by the fixed rule. Expected values computed by hand in the comments. Fee rules are emptied: a
//! line's CM2 is its price less its unit cost (no commission, ads or fees unless a case adds them).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use margin_engine::alerts::RuleKind;
use margin_engine::costs::{CostEntry, CostsTable};
use margin_engine::coverage::DayRange;
use margin_engine::import::{ImportOptions, ImportedFile, import_file, read_any};
use margin_engine::money::Currency;
use margin_engine::report::{self, Report};
use margin_engine::review::{
    Action, Comparison, DayFigures, Mover, MoverSet, NoteKind, Review, Source, Team,
};
use margin_engine::settings::Settings;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn may(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 5, d).unwrap()
}

fn range(a: u32, b: u32) -> DayRange {
    DayRange::new(may(a), may(b))
}

/// One order line: (day of May, SKU, subtotal, returned units, affiliate (creator, commission)).
type L = (
    u32,
    &'static str,
    &'static str,
    u32,
    Option<(&'static str, &'static str)>,
);

fn orders(lines: &[L]) -> Vec<ImportedFile> {
    let mut csv = String::from(
        "Order ID,Order Status,Cancelation/Return Type,SKU ID,Seller SKU,Product Name,Quantity,\
         Sku Quantity of return,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n",
    );
    let mut aff = String::from(
        "Order ID,SKU ID,Creator Username,Content Type,Order Status,Quantity,Currency,\
         Est. standard commission payment\n",
    );
    let mut any = false;
    for (i, (d, sku, subtotal, returned, a)) in lines.iter().enumerate() {
        let rt = if *returned > 0 { "Return/Refund" } else { "" };
        csv.push_str(&format!(
            "5760000000000{i:05},Completed,{rt},{sku},S-{sku},Product {sku},1,{returned},{subtotal},0,\
             05/{d:02}/2026 10:00:00 AM,05/{d:02}/2026 10:00:05 AM\n"
        ));
        if let Some((creator, commission)) = a {
            any = true;
            aff.push_str(&format!(
                "5760000000000{i:05},{sku},{creator},Video,Completed,1,USD,{commission}\n"
            ));
        }
    }
    let mut out =
        vec![import_file("orders.csv", csv.as_bytes(), ImportOptions::default()).unwrap()];
    if any {
        out.push(import_file("affiliate.csv", aff.as_bytes(), ImportOptions::default()).unwrap());
    }
    out
}

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
            .map(|(sku, c)| CostEntry {
                sku: (*sku).to_string(),
                effective_from: None,
                unit_cost: *c,
            })
            .collect(),
        skus: Vec::new(),
    }
}

fn report_of(
    files: &[ImportedFile],
    costs: &CostsTable,
    period: Option<(NaiveDate, NaiveDate)>,
) -> Report {
    report::build_detailed(files, costs, &settings(), None, period)
        .unwrap()
        .report
}

fn action(r: &Review, team: Team) -> &Action {
    r.actions.iter().find(|a| a.team == team).unwrap()
}

fn day(date: u32, net_sales: &str, orders: u64, cm2: &str, cm2_pct: &str) -> DayFigures {
    DayFigures {
        date: may(date),
        net_sales: net_sales.into(),
        orders,
        cm2: cm2.into(),
        cm2_pct: Some(cm2_pct.into()),
        not_covered_by: Vec::new(),
    }
}

#[allow(clippy::too_many_arguments)]
fn mover(
    sku: &str,
    cm2: &str,
    before: &str,
    change: &str,
    net: &str,
    net_before: &str,
    rank: Option<u32>,
    rank_before: Option<u32>,
) -> Mover {
    Mover {
        sku_id: sku.into(),
        seller_sku: format!("S-{sku}"),
        product_name: format!("Product {sku}"),
        cm2: cm2.into(),
        cm2_before: before.into(),
        cm2_change: change.into(),
        net_sales: net.into(),
        net_sales_before: net_before.into(),
        rank,
        rank_before,
    }
}

/// Unit costs 1001 10.00, 1002 5.00, 1003 5.00; one unit per order:
/// 05-07 1003 20.00 · 05-13 1001 40.00, 1002 10.00 · 05-19 1001 50.00, 1002 20.00 ·
/// 05-20 1001 30.00, 1002 60.00, 1003 15.00.
fn week_files() -> (Vec<ImportedFile>, CostsTable) {
    (
        orders(&[
            (7, "1003", "20.00", 0, None),
            (13, "1001", "40.00", 0, None),
            (13, "1002", "10.00", 0, None),
            (19, "1001", "50.00", 0, None),
            (19, "1002", "20.00", 0, None),
            (20, "1001", "30.00", 0, None),
            (20, "1002", "60.00", 0, None),
            (20, "1003", "15.00", 0, None),
        ]),
        costs(&[
            ("1001", dec!(10.00)),
            ("1002", dec!(5.00)),
            ("1003", dec!(5.00)),
        ]),
    )
}

/// The last covered day (05-20) against 05-19 and against 05-13, and the movers.
#[test]
fn yesterday_against_the_previous_day_and_the_same_weekday() {
    let (files, costs) = week_files();
    let r = report_of(&files, &costs, None).review;
    assert_eq!(r.day, Some(may(20)));
    // 05-20: net sales 30 + 60 + 15 = 105.00, 3 orders; CM2 20 + 55 + 10 = 85.00; 85 / 105 = 80.95 %.
    assert_eq!(r.yesterday, Some(day(20, "105.00", 3, "85.00", "80.95")));
    // 05-19: 70.00, 2 orders, CM2 40 + 15 = 55.00 (78.57 %). Changes: +35.00 (35 / 70 = +50.00 %), +1
    // order, CM2 +30.00, CM2 % 80.952… − 78.571… = +2.38 points.
    assert_eq!(
        r.previous_day,
        Some(Comparison {
            day: day(19, "70.00", 2, "55.00", "78.57"),
            net_sales_change: "35.00".into(),
            net_sales_change_pct: Some("50.00".into()),
            orders_change: 1,
            cm2_change: "30.00".into(),
            cm2_pct_change: Some("2.38".into()),
        })
    );
    // 05-13 (the same Wednesday a week earlier): 50.00, 2 orders, CM2 30 + 5 = 35.00 (70.00 %).
    // Changes: +55.00 (+110.00 %), +1, +50.00, 80.952… − 70 = +10.95 points.
    assert_eq!(
        r.same_weekday,
        Some(Comparison {
            day: day(13, "50.00", 2, "35.00", "70.00"),
            net_sales_change: "55.00".into(),
            net_sales_change_pct: Some("110.00".into()),
            orders_change: 1,
            cm2_change: "50.00".into(),
            cm2_pct_change: Some("10.95".into()),
        })
    );
    // Day movers, 05-20 against 05-19. CM2: 1001 20 (was 40), 1002 55 (was 15), 1003 10 (no line).
    // Ranks now 1002, 1001, 1003; before 1001, 1002.
    assert_eq!(
        r.movers.day,
        Some(MoverSet {
            current: range(20, 20),
            before: range(19, 19),
            risers: vec![
                mover(
                    "1002",
                    "55.00",
                    "15.00",
                    "40.00",
                    "60.00",
                    "20.00",
                    Some(1),
                    Some(2)
                ),
                mover(
                    "1003",
                    "10.00",
                    "0.00",
                    "10.00",
                    "15.00",
                    "0.00",
                    Some(3),
                    None
                ),
            ],
            fallers: vec![mover(
                "1001",
                "20.00",
                "40.00",
                "-20.00",
                "30.00",
                "50.00",
                Some(2),
                Some(1)
            )],
        })
    );
    // Week movers, 05-14 … 05-20 against 05-07 … 05-13. CM2 now: 1001 40 + 20 = 60, 1002 15 + 55 = 70,
    // 1003 10; before: 1001 30, 1002 5, 1003 15. Ranks now 1002, 1001, 1003; before 1001, 1003, 1002.
    assert_eq!(
        r.movers.week,
        Some(MoverSet {
            current: range(14, 20),
            before: range(7, 13),
            risers: vec![
                mover(
                    "1002",
                    "70.00",
                    "5.00",
                    "65.00",
                    "80.00",
                    "10.00",
                    Some(1),
                    Some(3)
                ),
                mover(
                    "1001",
                    "60.00",
                    "30.00",
                    "30.00",
                    "80.00",
                    "40.00",
                    Some(2),
                    Some(1)
                ),
            ],
            fallers: vec![mover(
                "1003",
                "10.00",
                "15.00",
                "-5.00",
                "15.00",
                "20.00",
                Some(3),
                Some(2)
            )],
        })
    );
    // No alert fires: operations takes the week's largest CM2 fall; the other teams have nothing.
    let teams: Vec<Team> = r.actions.iter().map(|a| a.team).collect();
    assert_eq!(teams, Team::ALL.to_vec());
    let ops = action(&r, Team::Operations);
    assert_eq!(
        (
            ops.source,
            ops.urgent,
            ops.subject.as_deref(),
            ops.rows.clone()
        ),
        (Source::Mover, false, Some("1003"), vec!["1003".to_string()])
    );
    assert_eq!(
        ops.why,
        "CM2 10.00 over 2026-05-14 – 2026-05-20 against 15.00 over 2026-05-07 – 2026-05-13 (-5.00)"
    );
    for team in [Team::Content, Team::MediaBuying, Team::CreatorPartnerships] {
        let a = action(&r, team);
        assert_eq!(
            (a.source, a.urgent, a.action.as_str()),
            (Source::None, false, "Nothing urgent")
        );
    }
    assert!(
        action(&r, Team::Content)
            .why
            .contains("no LIVE or video export loaded")
    );
    assert!(
        action(&r, Team::MediaBuying)
            .why
            .starts_with("Cost per order deterioration could not run")
    );
}

/// The review is the same whatever period the report shows.
#[test]
fn the_review_does_not_depend_on_the_period() {
    let (files, costs) = week_files();
    let all = report_of(&files, &costs, None);
    let early = report_of(&files, &costs, Some((may(7), may(8))));
    assert_eq!(all.review, early.review);
    // The JSON carries it under `review`.
    let json = serde_json::to_value(&early).unwrap();
    assert_eq!(json["review"]["day"], "2026-05-20");
    assert_eq!(json["review"]["actions"][3]["team"], "operations");
    assert_eq!(json["review"]["actions"][3]["source"], "mover");
    assert_eq!(
        json["review"]["movers"]["week"]["fallers"][0]["rank_before"],
        2
    );
}

/// Without the 14 days covered there are no week movers, and the uncovered days are named; a day the
/// Orders exports do not cover is never "the previous day" or "the same weekday".
#[test]
fn movers_and_comparisons_only_over_covered_days() {
    // Orders exports of 05-10 and of 05-20 (two files, distinct orders).
    let csv = |rows: &str| -> ImportedFile {
        let text = format!(
            "Order ID,Order Status,SKU ID,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n{rows}"
        );
        import_file("o.csv", text.as_bytes(), ImportOptions::default()).unwrap()
    };
    let files = vec![
        csv(
            "576000000000000001,Completed,1001,1,20.00,0,05/10/2026 10:00:00 AM,05/10/2026 10:00:05 AM\n",
        ),
        csv(
            "576000000000000002,Completed,1001,1,30.00,0,05/20/2026 10:00:00 AM,05/20/2026 10:00:05 AM\n",
        ),
    ];
    let r = report_of(&files, &CostsTable::default(), None).review;
    assert_eq!(r.day, Some(may(20)));
    // The previous covered day is 05-10, ten days back; 05-13 is not covered.
    assert_eq!(r.previous_day.as_ref().map(|c| c.day.date), Some(may(10)));
    assert_eq!(r.same_weekday, None);
    assert_eq!(r.movers.week, None);
    assert_eq!(r.movers.week_uncovered, vec![range(7, 9), range(11, 19)]);
    // 1001: CM2 30.00 against 20.00 (no unit cost: CM2 = net sales).
    let day = r.movers.day.unwrap();
    assert_eq!(day.before, range(10, 10));
    assert_eq!(day.risers[0].cm2_change, "10.00");
}

/// Operations: a return-rate spike comes before a negative CM2.
/// SKU 1002 (default benchmark 5 % × 1.5 = 7.5 %): 05-15 one returned unit of 2 → 50 % (returns known
/// so far, order dates 05-12 … 05-18 for the anchor 05-20). SKU 1001 on 05-20: 10.00 at a unit cost of
/// 20.00 → CM2 −10.00.
#[test]
fn operations_acts_on_the_return_spike_first_then_on_negative_cm2() {
    let costs = costs(&[("1001", dec!(20.00))]);
    let spike: Vec<L> = vec![
        (15, "1002", "10.00", 1, None),
        (15, "1002", "10.00", 0, None),
        (20, "1001", "10.00", 0, None),
    ];
    let r = report_of(&orders(&spike), &costs, None).review;
    let ops = action(&r, Team::Operations);
    assert_eq!(
        (
            ops.source,
            ops.rule,
            ops.urgent,
            ops.subject.as_deref(),
            ops.rows.clone()
        ),
        (
            Source::Alert,
            Some(RuleKind::ReturnRateSpike),
            true,
            Some("1002"),
            vec!["1002".to_string()]
        )
    );
    assert!(ops.why.contains("returns known so far"), "{}", ops.why);
    // Without the returned unit: the negative CM2 of 1001.
    let r = report_of(&orders(&spike[1..]), &costs, None).review;
    let ops = action(&r, Team::Operations);
    assert_eq!(
        (ops.rule, ops.subject.as_deref(), ops.rows.clone()),
        (
            Some(RuleKind::NegativeCm2),
            Some("1001"),
            vec!["1001".to_string()]
        )
    );
    assert_eq!(
        ops.action,
        "Fix the price or the costs of SKU 1001: it loses money after marketing"
    );
}

/// Media buying: ROAS over the 7 days to the anchor below break-even. One order of 20.00 (unit cost
/// 10.00) a day 05-14 … 05-20: net revenue 140.00, CM1 70.00 → break-even ROAS 140 / 70 = 2.00. GMV Max
/// spends 10.00 a day (70.00) and reports `gross` a day: 15.00 → 105 / 70 = 1.50 < 2.00 → urgent; 20.00
/// → 2.00, not below → nothing urgent. The cost per order is 10.00 every day: no CPO alert.
#[test]
fn media_buying_acts_when_roas_is_below_break_even() {
    let costs = costs(&[("1001", dec!(10.00))]);
    let lines: Vec<L> = (14..=20).map(|d| (d, "1001", "20.00", 0, None)).collect();
    for (gross, urgent) in [("15", true), ("20", false)] {
        let mut files = orders(&lines);
        let mut gmv = String::from(
            "By Day,Cost,SKU orders (Current shop),Cost per order (Current shop),Gross revenue (Current shop),\
             ROI (Current shop),Currency\n",
        );
        for d in 14..=20 {
            gmv.push_str(&format!("2026-05-{d:02},10,,0,{gross},0,USD\n"));
        }
        files.push(import_file("gmv.csv", gmv.as_bytes(), ImportOptions::default()).unwrap());
        let rep = report_of(&files, &costs, None);
        assert!(rep.alerts.alerts.is_empty(), "{:?}", rep.alerts);
        let a = action(&rep.review, Team::MediaBuying).clone();
        assert_eq!(a.urgent, urgent, "{a:?}");
        if urgent {
            assert_eq!(a.source, Source::Figure);
            assert_eq!(
                a.why,
                "ROAS 1.50 (reported by the ads exports) on $70.00 of ad spend over 2026-05-14 – 2026-05-20, \
                 below the break-even ROAS 2.00"
            );
        } else {
            assert_eq!(a.source, Source::None);
            assert!(
                a.why
                    .contains("ROAS 2.00 (reported by the ads exports) above the break-even 2.00"),
                "{}",
                a.why
            );
        }
    }
}

/// Creator partnerships: alice, one order of 30.00 with commission 10.01 → 2.997 per 1.00 < 3: act on
/// her; with 10.00 → 3, not below → nothing urgent.
#[test]
fn creator_partnerships_act_on_the_least_efficient_creator() {
    for (commission, acts) in [("10.01", true), ("10.00", false)] {
        let files = orders(&[(14, "1001", "30.00", 0, Some(("alice", commission)))]);
        let r = report_of(&files, &CostsTable::default(), None).review;
        let a = action(&r, Team::CreatorPartnerships);
        if acts {
            assert_eq!(
                (a.rule, a.subject.as_deref(), a.rows.clone()),
                (
                    Some(RuleKind::LowCreatorEfficiency),
                    Some("alice"),
                    vec!["alice".to_string()]
                )
            );
        } else {
            assert_eq!(a.source, Source::None, "{a:?}");
        }
    }
}

/// Content: a LIVE session of the last 7 days below the account's benchmark (the LIVE export of the
/// alerts test: C at 608.69 over 100 viewers against (2,000 + 608.69) / 300 = 8.6956 → 6.0869 ≤ 6.0869…).
/// The anchor is 05-14 (the last order date): C (05-12) is in 05-08 … 05-14.
#[test]
fn content_acts_on_a_live_below_the_benchmark() {
    for (c, acts) in [("608.69", true), ("608.70", false)] {
        let mut files = orders(&[(14, "1001", "30.00", 0, None)]);
        files.push(live_export(c));
        let r = report_of(&files, &CostsTable::default(), None).review;
        let a = action(&r, Team::Content);
        if acts {
            assert_eq!(
                (a.source, a.rule, a.subject.as_deref()),
                (
                    Source::Alert,
                    Some(RuleKind::LiveBenchmarkMiss),
                    Some("2026-05-12 10:00:00")
                )
            );
            assert!(
                a.action.starts_with("Review the LIVE \"C\" of 2026-05-12"),
                "{}",
                a.action
            );
        } else {
            assert_eq!(a.source, Source::None);
            assert_eq!(
                a.why,
                "no LIVE session of 2026-05-08 – 2026-05-14 below the account's benchmark and no video with GMV posted then"
            );
        }
    }
}

fn live_export(c_gmv: &str) -> ImportedFile {
    const HEADER: &str = "2026-05-01 ~ 2026-05-31\n\n\
Livestream,Start time,Duration,Gross revenue,Direct GMV,Items sold,Customers,Avg. price,Orders paid for,\
GMV/1K shows,GMV/1K views,Views,Viewers,Peak viewers,New followers,Avg. view duration,Likes,Comments,Shares,\
Product impressions,Product clicks,CTR,CTOR (SKU orders)\n";
    let row = |title: &str, start: &str, gmv: &str| {
        format!(
            "{title},{start},3600,$ {gmv},$ {gmv},1,1,$ 1.00,1,$ 0.00,$ 0.00,300,100,10,0,30,0,0,0,1000,50,0.05,0.02\n"
        )
    };
    let csv = format!(
        "{HEADER}{}{}{}",
        row("A", "2026-05-10 10:00", "1000.00"),
        row("B", "2026-05-11 10:00", "1000.00"),
        row("C", "2026-05-12 10:00", c_gmv),
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

/// Each warning with where it matters: no ad spend → ads, a SKU without unit cost → costs.
#[test]
fn warnings_are_noted_with_where_they_matter() {
    let r = report_of(
        &orders(&[(14, "1001", "30.00", 0, None)]),
        &CostsTable::default(),
        None,
    );
    assert_eq!(r.notes.len(), r.warnings.len());
    let kinds: Vec<(NoteKind, bool)> = r
        .notes
        .iter()
        .zip(&r.warnings)
        .map(|(n, w)| (n.kind, n.text == *w))
        .collect();
    // One order on 05-14: no ad spend, no unit cost, and no previous period (05-13 is not covered).
    assert_eq!(
        kinds,
        vec![
            (NoteKind::Ads, true),
            (NoteKind::Costs, true),
            (NoteKind::Comparison, true)
        ]
    );
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["notes"][0]["kind"], "ads");
    let notes = margin_engine::review::notes(&[
        "2 order lines appear in more than one file; each is counted once, from its newest copy".into(),
        "3 lines updated by us_affiliate_orders_2026-05.csv: refunded".into(),
        "no comparison with the previous period (2026-05-01 – 2026-05-07): the Orders exports do not cover x".into(),
        "4 affiliate rows have no order line in the loaded Orders exports; they count for their creators".into(),
        "2 shops are loaded: this report is \"US shop 1\"'s".into(),
        "something new".into(),
    ]);
    let kinds: Vec<NoteKind> = notes.iter().map(|n| n.kind).collect();
    assert_eq!(
        kinds,
        vec![
            NoteKind::Files,
            NoteKind::Files,
            NoteKind::Comparison,
            NoteKind::Creators,
            NoteKind::Shops,
            NoteKind::General
        ]
    );
}
