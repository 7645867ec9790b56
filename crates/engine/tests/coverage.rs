//! Coverage (docs/metrics.md §9) on stitched exports: the real US Orders + Affiliate exports, the same
//! Orders export downloaded as two exports with a day cut out between them (rows filtered by `Created
//! Time` with the `csv` crate: 15 May and 17 May), and a hand-made shop whose Orders exports leave out a
//! whole week (4–10 May and 18 May, as the shop). A day inside one export's span is covered
//! even with no rows (zero is real), so a cut shows as a gap between exports. Expected values are
//! counted from the raw rows with the `csv` crate in the test, never taken from the engine.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::NaiveDate;
use margin_engine::alerts::RuleKind;
use margin_engine::costs::CostsTable;
use margin_engine::coverage::{DataKind, DayRange};
use margin_engine::import::{ImportOptions, ImportedFile, import_file};
use margin_engine::report::{self, Built};
use margin_engine::settings::Settings;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

fn may(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 5, d).unwrap()
}

fn range(a: u32, b: u32) -> DayRange {
    DayRange::new(may(a), may(b))
}

fn import(name: &str, bytes: &[u8]) -> ImportedFile {
    import_file(name, bytes, ImportOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn build(files: &[ImportedFile], period: Option<(NaiveDate, NaiveDate)>) -> Built {
    report::build_detailed(
        files,
        &CostsTable::default(),
        &Settings::default(),
        None,
        period,
    )
    .unwrap()
}

/// The real US Orders export's rows of the days `keep` (by `Created Time`), written back as CSV: an
/// export downloaded over those days.
fn us_orders_of(keep: &[NaiveDate]) -> Vec<u8> {
    let bytes = common::fixture_bytes("tiktok", "us_orders_2026-05-17.csv");
    let mut r = csv::Reader::from_reader(bytes.as_slice());
    let header = r.headers().unwrap().clone();
    let created = header
        .iter()
        .position(|h| h.trim() == "Created Time")
        .unwrap();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header).unwrap();
    for rec in r.records() {
        let rec = rec.unwrap();
        let day = common::raw_date(rec.get(created).unwrap().trim(), false);
        if !day.is_some_and(|d| keep.contains(&d)) {
            continue;
        }
        w.write_record(&rec).unwrap();
    }
    w.into_inner().unwrap()
}

fn raw_from_bytes(bytes: &[u8]) -> Vec<HashMap<String, String>> {
    let dir = std::env::temp_dir().join(format!("margin-lab-coverage-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let p = dir.join(format!("{n}.csv"));
    std::fs::write(&p, bytes).unwrap();
    common::raw_rows(&p)
}

/// The hand count of what the creator figures hold on the given Orders rows and Affiliate rows: per
/// creator the distinct orders (a joined row on a sold or returned line; an unjoined, paid,
/// not-cancelled row on a covered day), the unjoined rows counted, and the rows left out with their
/// days (docs/metrics.md §5, §9).
struct CreatorTally {
    orders: BTreeMap<String, BTreeSet<String>>,
    unmatched: u64,
    excluded: u64,
    excluded_days: BTreeSet<NaiveDate>,
}

fn tally_creators(
    orders: &[HashMap<String, String>],
    affiliate: &[HashMap<String, String>],
    covered: &dyn Fn(NaiveDate) -> bool,
) -> CreatorTally {
    // Paid lines: (order, SKU) → counts as an order (sold or returned, not a sample).
    let lines: HashMap<(String, String), bool> = orders
        .iter()
        .filter(|r| !r["Paid Time"].is_empty())
        .map(|r| {
            let sample = common::money(&r["SKU Subtotal Before Discount"]).is_zero();
            let cancelled = r["Order Status"].starts_with("Cancel");
            (
                (r["Order ID"].clone(), r["SKU ID"].clone()),
                !sample && !cancelled,
            )
        })
        .collect();
    let mut t = CreatorTally {
        orders: BTreeMap::new(),
        unmatched: 0,
        excluded: 0,
        excluded_days: BTreeSet::new(),
    };
    for r in affiliate {
        let key = (r["Order ID"].clone(), r["SKU ID"].clone());
        let creator = r["Creator Username"].clone();
        match lines.get(&key) {
            Some(counts) => {
                let set = t.orders.entry(creator).or_default();
                if *counts {
                    set.insert(key.0);
                }
            }
            None => {
                if r["Order Status"] == "Unpaid" {
                    continue;
                }
                let day = common::raw_date(&r["Time Created"], true).unwrap();
                if !covered(day) {
                    t.excluded += 1;
                    t.excluded_days.insert(day);
                    continue;
                }
                t.unmatched += 1;
                let set = t.orders.entry(creator).or_default();
                if r["Order Status"] != "Ineligible" || r["Fully returned or refunded"] == "Yes" {
                    set.insert(key.0);
                }
            }
        }
    }
    t
}

/// Consecutive days as ranges.
fn ranges_of(days: &BTreeSet<NaiveDate>) -> Vec<DayRange> {
    let mut out: Vec<DayRange> = Vec::new();
    for &d in days {
        match out.last_mut() {
            Some(r) if r.to.succ_opt() == Some(d) => r.to = d,
            _ => out.push(DayRange::day(d)),
        }
    }
    out
}

#[test]
fn the_real_exports_cover_their_first_to_last_day() {
    let orders = common::raw_rows(&common::fixture("tiktok", "us_orders_2026-05-17.csv"));
    let affiliate = common::raw_rows(&common::fixture(
        "tiktok",
        "us_affiliate_orders_2026-05.csv",
    ));
    let (first, last) = common::raw_orders_span(&orders, false);
    let aff_days: Vec<NaiveDate> = affiliate
        .iter()
        .map(|r| common::raw_date(&r["Time Created"], true).unwrap())
        .collect();
    let (aff_first, aff_last) = (
        *aff_days.iter().min().unwrap(),
        *aff_days.iter().max().unwrap(),
    );
    // By the raw files: Orders 15–17 May, Affiliate 1–25 May.
    assert_eq!((first, last), (may(15), may(17)));
    assert_eq!((aff_first, aff_last), (may(1), may(25)));
    let files = [
        import(
            "us_orders_2026-05-17.csv",
            &common::fixture_bytes("tiktok", "us_orders_2026-05-17.csv"),
        ),
        import(
            "us_affiliate_orders_2026-05.csv",
            &common::fixture_bytes("tiktok", "us_affiliate_orders_2026-05.csv"),
        ),
    ];
    let b = build(&files, None);
    let json = serde_json::to_value(&b.report).unwrap();
    assert_eq!(
        json["coverage"],
        serde_json::json!({
            "orders": {"ranges": [["2026-05-15", "2026-05-17"]], "gaps": []},
            "affiliate": {"ranges": [["2026-05-01", "2026-05-25"]], "gaps": []},
        })
    );
    // The whole span: the previous period (12–14 May) is not covered.
    assert!(json["previous"].is_null());
    assert!(
        b.report
            .warnings
            .iter()
            .any(|w| w.contains("no comparison") && w.contains("2026-05-12 – 2026-05-14")),
        "{:?}",
        b.report.warnings
    );
    // Creators count the affiliate rows of 15–17 May only.
    let want = tally_creators(&orders, &affiliate, &|d| d >= first && d <= last);
    assert_eq!(b.analysis.unmatched_affiliate_rows, want.unmatched);
    assert_eq!(b.report.creators_excluded.rows, want.excluded);
    assert_eq!(
        b.report.creators_excluded.days,
        ranges_of(&want.excluded_days)
    );
    // Every row outside 15–17 May has no order line here: 1–14 and 18–25 May.
    assert_eq!(
        b.report.creators_excluded.days,
        vec![range(1, 14), range(18, 25)]
    );
    let got: BTreeMap<String, u64> = b
        .analysis
        .creators
        .iter()
        .map(|c| (c.creator.clone(), c.figures.orders))
        .collect();
    let want_orders: BTreeMap<String, u64> = want
        .orders
        .iter()
        .map(|(c, o)| (c.clone(), o.len() as u64))
        .collect();
    assert_eq!(got, want_orders);
    // The last day against the one before: both covered, so a comparison exists.
    let b = build(&files, Some((may(17), may(17))));
    let prev = b.report.previous.as_ref().expect("16 May is covered");
    assert_eq!((prev.period.from, prev.period.to), (may(16), may(16)));
}

#[test]
fn an_orders_export_with_a_day_cut_out_has_a_gap() {
    let cut = may(16);
    let (first, second) = (us_orders_of(&[may(15)]), us_orders_of(&[may(17)]));
    let mut orders = raw_from_bytes(&first);
    orders.extend(raw_from_bytes(&second));
    assert!(
        orders
            .iter()
            .all(|r| common::raw_date(&r["Created Time"], false) != Some(cut))
    );
    let affiliate = common::raw_rows(&common::fixture(
        "tiktok",
        "us_affiliate_orders_2026-05.csv",
    ));
    let files = [
        import("us_orders_15.csv", &first),
        import("us_orders_17.csv", &second),
        import(
            "us_affiliate_orders_2026-05.csv",
            &common::fixture_bytes("tiktok", "us_affiliate_orders_2026-05.csv"),
        ),
    ];
    let b = build(&files, None);
    let orders_cov = b.report.coverage.get(DataKind::Orders).unwrap();
    assert_eq!(orders_cov.ranges, vec![range(15, 15), range(17, 17)]);
    assert_eq!(orders_cov.gaps, vec![range(16, 16)]);
    // 17 May against 16 May: 16 May is the gap.
    let b17 = build(&files, Some((may(17), may(17))));
    assert!(b17.report.previous.is_none() && b17.previous.is_none());
    assert!(
        b17.report
            .warnings
            .iter()
            .any(|w| w.contains("no comparison") && w.contains("do not cover 2026-05-16")),
        "{:?}",
        b17.report.warnings
    );
    // Creators: rows of 16 May (their lines cut out) are left out with every other uncovered day.
    let covered = |d: NaiveDate| d == may(15) || d == may(17);
    let want = tally_creators(&orders, &affiliate, &covered);
    assert!(want.excluded_days.contains(&cut));
    assert_eq!(b.report.creators_excluded.rows, want.excluded);
    assert_eq!(
        b.report.creators_excluded.days,
        ranges_of(&want.excluded_days)
    );
    assert_eq!(b.analysis.unmatched_affiliate_rows, want.unmatched);
    // No creator has more orders than the shop on any covered day.
    for day in [may(15), may(17)] {
        let b = build(&files, Some((day, day)));
        let shop = b.analysis.totals.orders;
        let shop_raw: HashSet<&str> = orders
            .iter()
            .filter(|r| !r["Paid Time"].is_empty())
            .filter(|r| common::raw_date(&r["Created Time"], false) == Some(day))
            .filter(|r| !r["Order Status"].starts_with("Cancel"))
            .filter(|r| !common::money(&r["SKU Subtotal Before Discount"]).is_zero())
            .map(|r| r["Order ID"].as_str())
            .collect();
        assert_eq!(shop, shop_raw.len() as u64, "{day}: shop orders");
        for c in &b.analysis.creators {
            assert!(
                c.figures.orders <= shop,
                "{day}: {} has {} orders, the shop {shop}",
                c.creator,
                c.figures.orders
            );
        }
    }
}

/// A hand-made shop: one affiliate order a day from 1 to 18 May (creator `a` on odd days, `b` on even
/// ones, 20.00 each, commission 2.00), and a shop order without a creator each day. Its Orders export
/// holds `days`; the Affiliate export every day's row.
fn shop(days: &[u32]) -> (String, String) {
    let mut orders = String::from(
        "Order ID,Order Status,SKU ID,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n",
    );
    let mut affiliate = String::from(
        "Order ID,SKU ID,Creator Username,Content Type,Order Status,Quantity,Currency,\
         Est. standard commission payment,Time Created\n",
    );
    for d in 1..=18u32 {
        let aff = format!("57600000000000{d:02}01");
        let own = format!("57600000000000{d:02}02");
        let creator = if d % 2 == 1 { "a" } else { "b" };
        affiliate.push_str(&format!(
            "{aff},1729000000000000001,{creator},Video,Settled,1,USD,2.00,{d:02}/05/2026 10:00:00\n"
        ));
        if days.contains(&d) {
            for id in [&aff, &own] {
                orders.push_str(&format!(
                    "{id},Completed,1729000000000000001,1,20.00,0,05/{d:02}/2026 10:00:00 AM,05/{d:02}/2026 10:00:05 AM\n"
                ));
            }
        }
    }
    (orders, affiliate)
}

/// The shop with one Orders export per run of `exports` (4–10 May, then 18 May).
fn shop_files(exports: &[&[u32]]) -> Vec<ImportedFile> {
    let (_, affiliate) = shop(&[]);
    let mut files: Vec<ImportedFile> = exports
        .iter()
        .enumerate()
        .map(|(i, days)| import(&format!("orders_{i}.csv"), shop(days).0.as_bytes()))
        .collect();
    files.push(import("affiliate.csv", affiliate.as_bytes()));
    files
}

#[test]
fn a_week_cut_out_of_the_orders_is_a_gap_not_a_drop() {
    let first: Vec<u32> = (4..=10).collect();
    let files = shop_files(&[&first, &[18]]);
    let b = build(&files, None);
    let json = serde_json::to_value(&b.report).unwrap();
    assert_eq!(
        json["coverage"]["orders"],
        serde_json::json!({"ranges": [["2026-05-04", "2026-05-10"], ["2026-05-18", "2026-05-18"]],
                           "gaps": [["2026-05-11", "2026-05-17"]]})
    );
    assert_eq!(
        json["coverage"]["affiliate"],
        serde_json::json!({"ranges": [["2026-05-01", "2026-05-18"]], "gaps": []})
    );
    // The drop-off's two weeks (5–18 May) reach into the gap: unavailable, never fired. Counted on
    // the lines alone it would read 1 affiliate order (18 May) against 6 (5–10 May): −83.33 %.
    let a = &b.report.alerts;
    assert!(
        a.alerts
            .iter()
            .all(|x| x.rule.kind() != RuleKind::AffiliateDropoff)
    );
    let u = a
        .unavailable
        .iter()
        .find(|u| u.rule == RuleKind::AffiliateDropoff)
        .expect("the drop-off says why it did not run");
    assert_eq!(u.uncovered, vec![range(11, 17)]);
    // previous: null for a period reaching into the gap, there for one that does not.
    for (period, has_previous) in [
        ((may(15), may(18)), false), // previous 11–14 May
        ((may(18), may(18)), false), // previous 17 May
        ((may(12), may(13)), false), // the period itself is in the gap
        ((may(8), may(10)), true),   // previous 5–7 May
    ] {
        let b = build(&files, Some(period));
        assert_eq!(
            b.report.previous.is_some(),
            has_previous,
            "{period:?}: {:?}",
            b.report.warnings
        );
        assert_eq!(b.previous.is_some(), has_previous);
    }
    let b = build(&files, Some((may(15), may(18))));
    assert!(
        b.report
            .warnings
            .iter()
            .any(|w| w.contains("no comparison") && w.contains("2026-05-11 – 2026-05-17")),
        "{:?}",
        b.report.warnings
    );
    // Creators over everything loaded: the rows of 1–3 and 11–17 May have no line and no covered day.
    // Hand count: covered days 4–10 (a: 5, 7, 9; b: 4, 6, 8, 10) and 18 (b) → a 3 orders, b 5.
    let b = build(&files, None);
    let orders: BTreeMap<&str, u64> = b
        .analysis
        .creators
        .iter()
        .map(|c| (c.creator.as_str(), c.figures.orders))
        .collect();
    assert_eq!(orders, BTreeMap::from([("a", 3), ("b", 5)]));
    assert_eq!(b.report.creators_excluded.rows, 3 + 7);
    assert_eq!(
        b.report.creators_excluded.days,
        vec![range(1, 3), range(11, 17)]
    );
    // The shop's orders on the same days: 2 a day over 8 days; the creators' 8 never exceed them.
    assert_eq!(b.analysis.totals.orders, 16);
    assert!(orders.values().sum::<u64>() <= b.analysis.totals.orders);
    assert_eq!(b.analysis.totals.affiliate_orders, 8);
    // One export holding the same rows spans 4–18 May: its days without rows are covered (zero is
    // real), so there is no gap and the drop-off runs.
    let mut one: Vec<u32> = (4..=10).collect();
    one.push(18);
    let b = build(&shop_files(&[&one]), None);
    let c = b.report.coverage.get(DataKind::Orders).unwrap();
    assert_eq!(
        (c.ranges.clone(), c.gaps.clone()),
        (vec![range(4, 18)], vec![])
    );
    assert!(
        b.report
            .alerts
            .unavailable
            .iter()
            .all(|u| u.rule != RuleKind::AffiliateDropoff)
    );
}

#[test]
fn a_real_drop_over_covered_weeks_still_fires() {
    // Orders cover every day 1–18 May, and the affiliate rows of 12–17 May are gone (the creators
    // sold nothing): 1 affiliate order (18 May) in 12–18 against 7 in 5–11 → −85.71 %.
    let (orders, affiliate) = shop(&(1..=18).collect::<Vec<_>>());
    let affiliate: String = affiliate
        .lines()
        .filter(|l| !(12..=17).any(|d| l.ends_with(&format!("{d:02}/05/2026 10:00:00"))))
        .map(|l| format!("{l}\n"))
        .collect();
    // The Affiliate export still spans 1–18 May: a day with no row is a real zero.
    let files = vec![
        import("orders.csv", orders.as_bytes()),
        import("affiliate.csv", affiliate.as_bytes()),
    ];
    let b = build(&files, None);
    let fired: Vec<_> = b
        .report
        .alerts
        .alerts
        .iter()
        .filter(|a| a.rule.kind() == RuleKind::AffiliateDropoff)
        .collect();
    assert_eq!(fired.len(), 1, "{:?}", b.report.alerts);
    match &fired[0].rule {
        margin_engine::alerts::Rule::AffiliateDropoff {
            this_week,
            previous_week,
            ..
        } => assert_eq!((*this_week, *previous_week), (1, 7)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn channels_and_affiliate_share_use_the_days_both_exports_cover() {
    // Orders cover 1–18 May; the Affiliate export only 1–9 May (its rows of 10–18 cut off).
    let (orders, affiliate) = shop(&(1..=18).collect::<Vec<_>>());
    let affiliate: String = affiliate
        .lines()
        .filter(|l| !(10..=18).any(|d| l.ends_with(&format!("{d:02}/05/2026 10:00:00"))))
        .map(|l| format!("{l}\n"))
        .collect();
    let files = vec![
        import("orders.csv", orders.as_bytes()),
        import("affiliate.csv", affiliate.as_bytes()),
    ];
    let b = build(&files, None);
    // Totals stay every order: 2 a day for 18 days.
    assert_eq!(b.analysis.totals.orders, 36);
    // Affiliate share over 1–9 May: 9 affiliate orders of 18 → 50.00 %, not 9 / 36 = 25 %.
    assert_eq!(b.report.totals.affiliate_share.as_deref(), Some("50.00"));
    // The channel split counts 1–9 May: Video 9 orders, Shop 9.
    let channels: BTreeMap<&str, u64> = b
        .analysis
        .channels
        .iter()
        .map(|(c, f)| (c.as_str(), f.orders))
        .collect();
    assert_eq!(channels, BTreeMap::from([("Shop", 9), ("Video", 9)]));
    assert!(
        b.report
            .warnings
            .iter()
            .any(|w| w.contains("Affiliate exports do not cover 2026-05-10 – 2026-05-18")),
        "{:?}",
        b.report.warnings
    );
}
