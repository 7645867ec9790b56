//! The metric registry (crates/engine/src/registry.rs, docs/metrics.md):
//! - every figure `report --json` emits has a registry entry, and every entry is emitted, in the
//!   registry's order (on a report of the real US fixtures);
//! - every entry has a value test: hand-built figures and, per key, the value worked out by hand in the
//!   comments (an entry with no expected row fails);
//! - docs/metrics.md holds the registry's table (`registry::markdown()`) between
//!   `<!-- registry:begin -->` and `<!-- registry:end -->`. After changing the registry, regenerate it:
//!   `UPDATE_DOCS=1 cargo test -p margin-engine --test registry` rewrites the block instead of failing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use margin_engine::costs::CostsTable;
use margin_engine::import::{ImportOptions, ImportedFile, read_any};
use margin_engine::metrics::{CreatorFigures, Figures};
use margin_engine::money::Currency;
use margin_engine::registry::{
    self, CREATOR_FIGURES, FIGURES, Metric, MetricValue, UNIT_OUTPUTS, Unit, UnitResult,
};
use margin_engine::report::{self, CreatorEntry, FigureSet};
use margin_engine::settings::Settings;
use margin_engine::whatif::UnitInputs;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde_json::{Value, json};
use std::path::PathBuf;

fn repo(path: &str) -> PathBuf {
    [env!("CARGO_MANIFEST_DIR"), "..", "..", path]
        .iter()
        .collect()
}

fn read(path: &str) -> ImportedFile {
    let name = path.rsplit('/').next().unwrap();
    read_any(
        name,
        std::fs::File::open(repo(path)).unwrap(),
        ImportOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The real US exports with costs and settings, over the last day (so a previous period exists: the
/// Orders export covers 15–17 May, and a comparison needs both periods covered, docs/metrics.md §9).
fn real_report() -> report::Report {
    let files = [
        read("tests/fixtures/tiktok/us_orders_2026-05-17.csv"),
        read("tests/fixtures/tiktok/us_affiliate_orders_2026-05.csv"),
        read("tests/fixtures/costs_for_fixtures.csv"),
    ];
    let settings = Settings::from_json(
        &std::fs::read_to_string(repo("tests/fixtures/settings_for_fixtures.json")).unwrap(),
    )
    .unwrap();
    let from = chrono::NaiveDate::from_ymd_opt(2026, 5, 17).unwrap();
    let to = chrono::NaiveDate::from_ymd_opt(2026, 5, 17).unwrap();
    report::build_with_settings(
        &files,
        &CostsTable::default(),
        &settings,
        None,
        Some((from, to)),
    )
    .unwrap()
    .0
}

/// The keys of a JSON object in the order they are written.
struct Keys(Vec<String>);

impl<'de> serde::Deserialize<'de> for Keys {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Keys, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Keys;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Keys, A::Error> {
                let mut keys = Vec::new();
                while let Some(k) = m.next_key::<String>()? {
                    m.next_value::<serde::de::IgnoredAny>()?;
                    keys.push(k);
                }
                Ok(Keys(keys))
            }
        }
        d.deserialize_map(Visit)
    }
}

/// The keys `item` is written with after its own (identity) keys, in order.
fn figure_keys(item: &impl serde::Serialize, own: &[&str]) -> Vec<String> {
    let Keys(keys) = serde_json::from_str(&serde_json::to_string(item).unwrap()).unwrap();
    assert_eq!(&keys[..own.len()], own, "identity keys first");
    keys[own.len()..].to_vec()
}

fn keys_of<S>(table: &[Metric<S>]) -> Vec<String> {
    table.iter().map(|m| m.key.to_string()).collect()
}

#[test]
fn every_emitted_figure_has_an_entry_and_every_entry_is_emitted() {
    let r = real_report();
    let figures = keys_of(FIGURES);
    assert_eq!(figure_keys(&r.totals, &[]), figures, "totals");
    let previous = r.previous.as_ref().expect("a previous period");
    assert!(previous.lines > 0, "the fixtures reach back");
    assert_eq!(figure_keys(&previous.totals, &[]), figures, "previous");
    let sku = [
        "sku_id",
        "seller_sku",
        "product_name",
        "variation",
        "unit_cost",
    ];
    let groups: [(&str, Vec<Vec<String>>); 5] = [
        (
            "skus",
            r.skus.iter().map(|e| figure_keys(e, &sku)).collect(),
        ),
        (
            "product_groups",
            r.product_groups
                .iter()
                .map(|e| figure_keys(e, &["product_group"]))
                .collect(),
        ),
        (
            "channels",
            r.channels
                .iter()
                .map(|e| figure_keys(e, &["channel"]))
                .collect(),
        ),
        (
            "days",
            r.days.iter().map(|e| figure_keys(e, &["date"])).collect(),
        ),
        (
            "creators",
            r.creators
                .iter()
                .map(|e| figure_keys(e, &["creator", "content_types"]))
                .collect(),
        ),
    ];
    for (group, entries) in groups {
        assert!(!entries.is_empty(), "{group}: the fixtures give some");
        let want = if group == "creators" {
            keys_of(CREATOR_FIGURES)
        } else {
            figures.clone()
        };
        for keys in entries {
            assert_eq!(keys, want, "{group}");
        }
    }
    // The report names exactly these groups of figures (a new one needs its own check here).
    let Keys(top) = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
    let grouped: Vec<&str> = top
        .iter()
        .map(String::as_str)
        .filter(|k| {
            [
                "totals",
                "skus",
                "product_groups",
                "creators",
                "channels",
                "days",
                "previous",
            ]
            .contains(k)
        })
        .collect();
    assert_eq!(grouped.len(), 7, "{top:?}");
}

#[test]
fn keys_are_unique_and_definitions_one_line() {
    fn check<S>(table: &[Metric<S>]) {
        let mut seen = std::collections::HashSet::new();
        for m in table {
            assert!(seen.insert(m.key), "{} twice", m.key);
            assert!(!m.label.is_empty() && !m.definition.is_empty(), "{}", m.key);
            assert!(!m.definition.contains('\n'), "{}", m.key);
            assert!(m.section.starts_with('§'), "{}", m.key);
            assert_eq!(
                registry::position(table, m.key).map(|i| table[i].key),
                Some(m.key)
            );
        }
        assert_eq!(registry::position(table, "no_such_figure"), None);
    }
    check(FIGURES);
    check(CREATOR_FIGURES);
    check(UNIT_OUTPUTS);
    assert!(registry::figure("no_such_figure").is_none());
    assert!(registry::creator_figure("gmv").is_none());
    assert!(registry::unit_output("orders").is_none());
    assert_eq!(registry::figure("cm2").map(|m| m.label), Some("CM2"));
}

/// Hand-built figures: every field an entry reads has its own value, so an accessor reading the wrong
/// field fails.
fn figures() -> Figures {
    Figures {
        gmv: dec!(1000),
        cancelled_sales: dec!(100),
        refunds: dec!(40),
        output_vat: dec!(60),
        cogs: dec!(300),
        standard_commission: dec!(56),
        shop_ads_commission: dec!(18),
        creator_bonus: dec!(6),
        platform_fees: dec!(47),
        modelled_fees: dec!(75),
        actual_fees: dec!(42),
        modelled_fees_of_matched: dec!(35),
        lines_with_actual_fees: 3,
        fulfillment: dec!(25),
        shipping: dec!(11),
        returns_cost: dec!(17),
        ad_spend: dec!(172),
        ad_spend_attributed: dec!(120),
        sample_cost: dec!(14),
        other_marketing: dec!(9),
        overhead: dec!(37),
        orders: 40,
        affiliate_orders: 15,
        units_sold: 70,
        units_returned: 10,
        sample_units: 4,
        units_without_cost: 2,
        buyers: 32,
        repeat_buyers: 8,
        ..Figures::default()
    }
}

enum Want {
    Amount(Option<Decimal>),
    Count(i128),
    Flag(bool),
}

fn amount(d: Decimal) -> Want {
    Want::Amount(Some(d))
}

/// Checks every entry of `table` against `rows` (key, exact value, JSON the report writes): an entry
/// without a row, or a row without an entry, fails.
fn check_values<S>(table: &[Metric<S>], source: &S, json: &Value, rows: &[(&str, Want, Value)]) {
    for m in table {
        let Some((_, want, written)) = rows.iter().find(|(k, _, _)| *k == m.key) else {
            panic!(
                "registry entry {} has no expected value in this test",
                m.key
            );
        };
        let got = m.value(source);
        match (want, got) {
            (Want::Amount(w), MetricValue::Amount(g)) => assert_eq!(g, *w, "{}", m.key),
            (Want::Count(w), MetricValue::Count(g)) => assert_eq!(g, *w, "{}", m.key),
            (Want::Flag(w), MetricValue::Flag(g)) => assert_eq!(g, *w, "{}", m.key),
            _ => panic!("{}: {got:?} is not the expected kind of value", m.key),
        }
        // The value's kind matches the unit.
        match (m.unit, got) {
            (Unit::Count, MetricValue::Count(_))
            | (Unit::Flag, MetricValue::Flag(_))
            | (Unit::Money | Unit::Percent | Unit::Ratio, MetricValue::Amount(_)) => {}
            _ => panic!("{}: unit {:?} with value {got:?}", m.key, m.unit),
        }
        if !json.is_null() {
            assert_eq!(&json[m.key], written, "{} as the report writes it", m.key);
        }
    }
    for (k, _, _) in rows {
        assert!(
            table.iter().any(|m| m.key == *k),
            "expected row {k} has no registry entry"
        );
    }
}

#[test]
fn every_figure_entry_reads_its_value() {
    let f = figures();
    let json = serde_json::to_value(FigureSet::new(&f, Currency::USD)).unwrap();
    // net_sales = 1000 − 100 − 40 = 860; net_revenue = 860 − 60 = 800; gross_profit = 800 − 300 = 500;
    // commission = 56 + 18 + 6 = 80; cm1 = 500 − 47 − 25 − 11 − 17 = 400;
    // cm2 = 400 − 80 − 172 − 14 − 9 = 125; net_profit = 125 − 37 = 88.
    let rows = [
        ("gmv", amount(dec!(1000)), json!("1000.00")),
        ("cancelled_sales", amount(dec!(100)), json!("100.00")),
        ("refunds", amount(dec!(40)), json!("40.00")),
        ("net_sales", amount(dec!(860)), json!("860.00")),
        ("output_vat", amount(dec!(60)), json!("60.00")),
        ("net_revenue", amount(dec!(800)), json!("800.00")),
        ("cogs", amount(dec!(300)), json!("300.00")),
        ("gross_profit", amount(dec!(500)), json!("500.00")),
        // 500 / 800 = 62.5 %
        ("gross_margin_pct", amount(dec!(62.50)), json!("62.50")),
        ("orders", Want::Count(40), json!(40)),
        ("units_sold", Want::Count(70), json!(70)),
        ("units_returned", Want::Count(10), json!(10)),
        ("sample_units", Want::Count(4), json!(4)),
        // 860 / 40
        ("aov", amount(dec!(21.5)), json!("21.50")),
        // 10 / (70 + 10)
        ("return_rate", amount(dec!(12.50)), json!("12.50")),
        // 100 / 1000
        ("cancel_rate", amount(dec!(10.00)), json!("10.00")),
        // 8 buyers with two orders or more / 32 buyers = 25 %
        ("repeat_purchase_rate", amount(dec!(25.00)), json!("25.00")),
        ("affiliate_commission", amount(dec!(80)), json!("80.00")),
        ("standard_commission", amount(dec!(56)), json!("56.00")),
        ("shop_ads_commission", amount(dec!(18)), json!("18.00")),
        ("creator_bonus", amount(dec!(6)), json!("6.00")),
        // 15 / 40
        ("affiliate_share", amount(dec!(37.50)), json!("37.50")),
        ("platform_fees", amount(dec!(47)), json!("47.00")),
        ("fulfillment", amount(dec!(25)), json!("25.00")),
        ("shipping", amount(dec!(11)), json!("11.00")),
        ("returns_cost", amount(dec!(17)), json!("17.00")),
        ("cm1", amount(dec!(400)), json!("400.00")),
        // 400 / 800
        ("cm1_pct", amount(dec!(50.00)), json!("50.00")),
        ("ad_spend", amount(dec!(172)), json!("172.00")),
        // Of the 172: 120 charged to the SKU itself (its product's GMV Max spend, or manual per-SKU)
        ("ad_spend_attributed", amount(dec!(120)), json!("120.00")),
        // 172 − 120
        ("ad_spend_spread", amount(dec!(52)), json!("52.00")),
        ("sample_cost", amount(dec!(14)), json!("14.00")),
        ("other_marketing", amount(dec!(9)), json!("9.00")),
        ("cm2", amount(dec!(125)), json!("125.00")),
        // 125 / 800 = 15.625 % → 15.63 (two decimals, half away from zero)
        ("cm2_pct", amount(dec!(15.63)), json!("15.63")),
        ("overhead", amount(dec!(37)), json!("37.00")),
        ("net_profit", amount(dec!(88)), json!("88.00")),
        // 88 / 800 = 11 %
        ("net_margin_pct", amount(dec!(11.00)), json!("11.00")),
        // (172 + 80) / 40 = 6.3
        ("blended_cpo", amount(dec!(6.3)), json!("6.30")),
        // 172 / (40 − 15) = 6.88
        ("paid_cpo", amount(dec!(6.88)), json!("6.88")),
        // 860 / 172 = 5, a ratio with two decimals
        ("blended_roas", amount(dec!(5)), json!("5.00")),
        // 800 / 400
        ("break_even_roas", amount(dec!(2)), json!("2.00")),
        // 860 − 60 − 47 − 80 − 11
        ("estimated_settlement", amount(dec!(662)), json!("662.00")),
        ("modelled_fees", amount(dec!(75)), json!("75.00")),
        ("actual_fees", amount(dec!(42)), json!("42.00")),
        // 42 − 35
        ("fees_difference", amount(dec!(7)), json!("7.00")),
        ("lines_with_actual_fees", Want::Count(3), json!(3)),
        // 2 units without a cost
        ("cost_missing", Want::Flag(true), json!(true)),
    ];
    check_values(FIGURES, &f, &json, &rows);
}

#[test]
fn figures_that_cannot_be_computed_are_null() {
    // No orders, no net revenue, no ad spend, no units: every ratio and percentage is None / null.
    let f = Figures::default();
    let set = FigureSet::new(&f, Currency::USD);
    let json = serde_json::to_value(&set).unwrap();
    for key in [
        "gross_margin_pct",
        "aov",
        "return_rate",
        "cancel_rate",
        "repeat_purchase_rate",
        "affiliate_share",
        "cm1_pct",
        "cm2_pct",
        "net_margin_pct",
        "blended_cpo",
        "paid_cpo",
        "blended_roas",
        "break_even_roas",
    ] {
        let m = registry::figure(key).unwrap();
        assert_eq!(m.value(&f), MetricValue::Amount(None), "{key}");
        assert!(json[key].is_null(), "{key}");
    }
    // The typed fields are the same values.
    assert_eq!(
        (
            set.gmv.as_str(),
            set.aov.as_deref(),
            set.orders,
            set.cost_missing
        ),
        ("0.00", None, 0, false)
    );
}

#[test]
fn money_is_rounded_half_away_from_zero_and_ratios_to_two_decimals() {
    let f = Figures {
        // gmv 10.005 → "10.01" (half away from zero); orders 3 → aov 10.005 / 3 = 3.335 → "3.34".
        gmv: dec!(10.005),
        orders: 3,
        // blended_roas = 10.005 / 3 = 3.335 → "3.34" (two decimals, half away from zero).
        ad_spend: dec!(3),
        ..Figures::default()
    };
    let json = serde_json::to_value(FigureSet::new(&f, Currency::USD)).unwrap();
    assert_eq!(
        (&json["gmv"], &json["aov"], &json["blended_roas"]),
        (&json!("10.01"), &json!("3.34"), &json!("3.34"))
    );
}

#[test]
fn every_creator_entry_reads_its_value() {
    let c = CreatorFigures {
        creator: "creator_a".into(),
        content_types: vec!["Video".into()],
        figures: figures(),
        unmatched_rows: 5,
    };
    let built = report_of_creator(&c);
    // As figures(): net_revenue 800, commission 80, cm1 400.
    let rows = [
        ("orders", Want::Count(40), json!(40)),
        ("units", Want::Count(70), json!(70)),
        // gmv − cancelled = 1000 − 100
        ("gross_sales", amount(dec!(900)), json!("900.00")),
        ("refunds", amount(dec!(40)), json!("40.00")),
        // 10 / (70 + 10)
        ("return_rate", amount(dec!(12.50)), json!("12.50")),
        ("net_revenue", amount(dec!(800)), json!("800.00")),
        ("commission", amount(dec!(80)), json!("80.00")),
        ("standard_commission", amount(dec!(56)), json!("56.00")),
        ("shop_ads_commission", amount(dec!(18)), json!("18.00")),
        ("creator_bonus", amount(dec!(6)), json!("6.00")),
        // 800 − 80
        ("net_after_commission", amount(dec!(720)), json!("720.00")),
        // 800 / 80
        ("efficiency", amount(dec!(10)), json!("10.00")),
        // cm1 − commission = 400 − 80
        ("cm", amount(dec!(320)), json!("320.00")),
        ("unmatched_rows", Want::Count(5), json!(5)),
    ];
    check_values(CREATOR_FIGURES, &c, &built, &rows);
}

/// A creator's entry as the report writes it: a report of no files has no creators, so the entry is
/// checked through the real report's shape in the first test, and here through [`CreatorEntry`]'s own
/// serialisation of the hand-built creator.
fn report_of_creator(c: &CreatorFigures) -> Value {
    let entry = CreatorEntry::new(c, Currency::USD);
    let json = serde_json::to_value(&entry).unwrap();
    assert_eq!(
        (&json["creator"], &json["content_types"]),
        (&json!("creator_a"), &json!(["Video"]))
    );
    json
}

#[test]
fn every_unit_output_entry_reads_its_value() {
    // The accessors are checked on outputs whose read fields all differ; `evaluate` itself is tested
    // in whatif.rs.
    let mut u = UnitResult::of(&UnitInputs::default());
    u.outputs.net_revenue = dec!(2);
    u.outputs.gross_margin_pct = Some(dec!(3));
    u.outputs.cm1 = dec!(4);
    u.outputs.cm2 = dec!(5);
    u.outputs.cm2_pct = Some(dec!(6));
    u.outputs.net_profit = dec!(7);
    u.outputs.net_margin_pct = Some(dec!(8));
    u.outputs.markup_pct = None;
    u.break_even_price = Some(dec!(10));
    u.outputs.break_even_roas = Some(dec!(11));
    let rows = [
        ("net_revenue", amount(dec!(2)), Value::Null),
        ("gross_margin_pct", amount(dec!(3)), Value::Null),
        ("cm1", amount(dec!(4)), Value::Null),
        ("cm2", amount(dec!(5)), Value::Null),
        ("cm2_pct", amount(dec!(6)), Value::Null),
        ("net_profit", amount(dec!(7)), Value::Null),
        ("net_margin_pct", amount(dec!(8)), Value::Null),
        ("markup_pct", Want::Amount(None), Value::Null),
        ("break_even_price", amount(dec!(10)), Value::Null),
        ("break_even_roas", amount(dec!(11)), Value::Null),
    ];
    check_values(UNIT_OUTPUTS, &u, &Value::Null, &rows);

    // On real inputs (docs/metrics.md §4's worked example): price 40.00, unit cost 10.00, commission
    // 15 % on every order, fee 2 % + 0.30 per order, fulfilment 5.00, overhead 10.00 per unit.
    let inputs = common::textbook();
    let u = UnitResult::of(&inputs);
    let value = |k: &str| registry::unit_output(k).unwrap().amount(&u);
    // net revenue 40; cm1 = 40 − 10 − 1.10 − 5 = 23.90; cm2 = 23.90 − 6 = 17.90 (44.75 %);
    // net = 17.90 − 10 = 7.90 (19.75 %); markup (40 − 10) / 10 = 300 %.
    assert_eq!(value("net_revenue"), Some(dec!(40)));
    assert_eq!(value("cm1"), Some(dec!(23.90)));
    assert_eq!(value("cm2"), Some(dec!(17.90)));
    assert_eq!(value("cm2_pct"), Some(dec!(44.75)));
    assert_eq!(value("net_profit"), Some(dec!(7.90)));
    assert_eq!(value("net_margin_pct"), Some(dec!(19.75)));
    assert_eq!(value("markup_pct"), Some(dec!(300)));
    // Break-even price: p − 10 − (0.02 p + 0.30) − 5 − 0.15 p = 0 → p = 15.30 / 0.83 = 18.4337…
    let p = value("break_even_price").unwrap();
    assert_eq!(p.round_dp(4), dec!(18.4337));
}

const BEGIN: &str = "<!-- registry:begin -->\n";
const END: &str = "<!-- registry:end -->";

#[test]
fn docs_metrics_md_holds_the_registry_table() {
    let path = repo("docs/metrics.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text.find(BEGIN).expect("the begin marker") + BEGIN.len();
    let end = start + text[start..].find(END).expect("the end marker");
    let want = registry::markdown();
    if text[start..end] == want {
        return;
    }
    if std::env::var_os("UPDATE_DOCS").is_some_and(|v| v == "1") {
        let updated = format!("{}{want}{}", &text[..start], &text[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    panic!(
        "docs/metrics.md's registry table is out of date: run `UPDATE_DOCS=1 cargo test -p margin-engine --test registry`"
    );
}

/// The page shows each definition as a tooltip (issue 19): no code name (`net_revenue`) and no
/// reference to the docs may reach the seller.
#[test]
fn plain_definitions_carry_no_code_names_or_doc_references() {
    let defs: Vec<String> = FIGURES
        .iter()
        .map(|m| m.plain_definition())
        .chain(CREATOR_FIGURES.iter().map(|m| m.plain_definition()))
        .chain(UNIT_OUTPUTS.iter().map(|m| m.plain_definition()))
        .collect();
    for d in &defs {
        assert!(!d.contains('_'), "{d}");
        assert!(!d.contains(".md") && !d.contains('§'), "{d}");
        assert!(!d.trim().is_empty());
    }
    // By hand: "cm1 − affiliate_commission − ad_spend − sample_cost − other_marketing (contribution margin)".
    let cm2 = margin_engine::metric!(FIGURES, "cm2");
    assert_eq!(
        cm2.plain_definition(),
        "CM1 − Commission − Ad spend − Samples − Other marketing (contribution margin)"
    );
    let fees = margin_engine::metric!(FIGURES, "platform_fees");
    assert_eq!(
        fees.plain_definition(),
        "fees of the matched finance rows when loaded, else the market's dated fee rules"
    );
}

/// The seeded fee rules' sources, as the Settings view shows them, name no internal document.
#[test]
fn fee_sources_shown_name_no_internal_document() {
    for r in margin_engine::fees::default_rules() {
        let s = margin_engine::fees::plain_source(&r.source);
        let upper = s.to_uppercase();
        assert!(
            !upper.contains("FEES.MD") && !upper.contains("METRICS") && !s.contains('§'),
            "{s}"
        );
        assert!(!s.starts_with("C."), "{s}");
    }
}
