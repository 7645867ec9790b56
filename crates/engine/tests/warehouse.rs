//! The warehouse export's rows (docs/warehouse.md): a cell's allocation split over its lines by hand,
//! the lines summing to the report, and the schema in the docs kept current. The whole proof — DuckDB's
//! SQL over the Parquet files equal to `report --json` — is tests/warehouse/check.py.
//!
//! `UPDATE_DOCS=1 cargo test -p margin-engine --test warehouse` rewrites the schema block of
//! docs/warehouse.md instead of failing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use margin_engine::costs::CostsTable;
use margin_engine::import::{ImportOptions, ImportedFile, read_any};
use margin_engine::settings::Settings;
use margin_engine::warehouse::{self, Cell, ShopInput, Sink, columns};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// Keeps every row, as text, by table.
#[derive(Default)]
struct Rows(Vec<(&'static str, Option<String>, Vec<String>)>);

impl Sink for Rows {
    fn row(
        &mut self,
        table: &'static str,
        month: Option<&str>,
        cells: &[Cell<'_>],
    ) -> Result<(), String> {
        assert_eq!(cells.len(), columns(table).len(), "{table}");
        self.0.push((
            table,
            month.map(str::to_string),
            cells.iter().map(warehouse::cell_text).collect(),
        ));
        Ok(())
    }
}

impl Rows {
    fn of(&self, table: &str) -> Vec<std::collections::HashMap<&'static str, String>> {
        let cols = columns(table);
        self.0
            .iter()
            .filter(|r| r.0 == table)
            .map(|r| {
                cols.iter()
                    .map(|c| c.name)
                    .zip(r.2.iter().cloned())
                    .collect()
            })
            .collect()
    }
}

fn cash_orders() -> ImportedFile {
    let bytes = common::fixture_bytes("handmade/cash", "orders.csv");
    read_any("orders.csv", bytes.as_slice(), ImportOptions::default()).unwrap()
}

fn export(settings: &Settings) -> Rows {
    let files = [cash_orders()];
    let refs: Vec<&ImportedFile> = files.iter().collect();
    let mut rows = Rows::default();
    warehouse::write_shop(
        &refs,
        &ShopInput {
            name: "Shop",
            costs: &CostsTable::default(),
            settings,
            currency: None,
            period: None,
            threads: 1,
        },
        &mut rows,
    )
    .unwrap();
    rows
}

#[test]
fn a_cells_other_marketing_goes_to_its_lines_by_net_sales() {
    // tests/fixtures/handmade/cash/orders.csv: on 2026-05-03 SKU 22 sold twice through the shop — order
    // …03 at 30.00 and order …04 at 20.00 — one cell with 50.00 of net sales. 7.00 of other marketing
    // dated that day is the cell's alone (no other cell sells that day): 30/50 × 7 = 4.20 and
    // 20/50 × 7 = 2.80 (the last line takes the rest, exactly 2.80).
    let settings: Settings = Settings::from_json(
        r#"{"version": 1, "other_marketing": [{"date": "2026-05-03", "amount": "7.00", "label": "boost"}]}"#,
    )
    .unwrap();
    let rows = export(&settings);
    let lines = rows.of("lines");
    assert_eq!(lines.len(), 6, "six order lines");
    let om = |order: &str| -> Decimal {
        let l = lines
            .iter()
            .find(|l| l["order_id"].ends_with(order))
            .unwrap();
        l["other_marketing"].parse().unwrap()
    };
    assert_eq!(om("03"), dec!(4.2));
    assert_eq!(om("04"), dec!(2.8));
    for o in ["01", "02", "05", "06"] {
        assert_eq!(om(o), Decimal::ZERO, "order {o} sold on another day");
    }
    // cm2 = cm1 − other marketing on the line (no fees model for a market-less shop? the fee rules of
    // the US apply: cm1 is whatever it is, the difference is the 4.20).
    let l3 = lines
        .iter()
        .find(|l| l["order_id"].ends_with("03"))
        .unwrap();
    let cm1: Decimal = l3["cm1"].parse().unwrap();
    let cm2: Decimal = l3["cm2"].parse().unwrap();
    let commission: Decimal = l3["affiliate_commission"].parse().unwrap();
    assert_eq!(cm1 - commission - cm2, dec!(4.2));
    // The cell's daily row carries the whole 7.00.
    let daily = rows.of("daily");
    let cell = daily.iter().find(|d| d["day"] == "2026-05-03").unwrap();
    assert_eq!(cell["other_marketing"].parse::<Decimal>().unwrap(), dec!(7));
    assert_eq!(cell["lines"], "2");
    assert_eq!(cell["orders"], "2");
}

#[test]
fn lines_add_up_to_the_reports_totals_and_partitions_are_months() {
    // Overhead 3,100 a month over the fixture's days (28 April – 4 May): every line carries a part and
    // the parts add up to the report's overhead exactly.
    let settings = Settings::from_json(
        r#"{"version": 1, "overhead_per_month": "3100", "shipping_per_order": "2.00"}"#,
    )
    .unwrap();
    let rows = export(&settings);
    let files = [cash_orders()];
    let report = margin_engine::report::build_with_settings(
        &files,
        &CostsTable::default(),
        &settings,
        None,
        None,
    )
    .unwrap()
    .1;
    let sum = |col: &str| -> Decimal {
        rows.of("lines")
            .iter()
            .map(|l| l[col].parse::<Decimal>().unwrap())
            .sum()
    };
    assert_eq!(sum("overhead"), report.totals.overhead);
    assert_eq!(sum("net_profit"), report.totals.net_profit());
    assert_eq!(sum("shipping"), dec!(12.00), "six orders × 2.00");
    // Order …06 (28 April) is in April's partition, the others in May's.
    let months: Vec<String> = rows
        .0
        .iter()
        .filter(|r| r.0 == "lines")
        .map(|r| r.1.clone().unwrap())
        .collect();
    assert_eq!(months.iter().filter(|m| *m == "2026-04").count(), 1);
    assert_eq!(months.iter().filter(|m| *m == "2026-05").count(), 5);
}

#[test]
fn the_docs_hold_the_current_schema() {
    let path = common::repo("docs/warehouse.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let (begin, end) = (
        "<!-- warehouse-schema:begin -->\n",
        "<!-- warehouse-schema:end -->",
    );
    let start = text.find(begin).expect("the schema block's start marker") + begin.len();
    let stop = text.find(end).expect("the schema block's end marker");
    let want = warehouse::markdown();
    if text[start..stop] == want {
        return;
    }
    if std::env::var_os("UPDATE_DOCS").is_some_and(|v| v == "1") {
        std::fs::write(&path, format!("{}{want}{}", &text[..start], &text[stop..])).unwrap();
        return;
    }
    panic!(
        "docs/warehouse.md's schema is out of date: run `UPDATE_DOCS=1 cargo test -p margin-engine --test warehouse`"
    );
}

#[test]
fn the_pages_csv_holds_the_same_lines_with_a_schema_that_parses() {
    let files = [cash_orders()];
    let refs: Vec<&ImportedFile> = files.iter().collect();
    let settings = Settings::from_json(r#"{"version": 1, "other_marketing": [{"date": "2026-05-03", "amount": "7.00", "label": "boost"}]}"#)
        .unwrap();
    let (bytes, schema) = warehouse::lines_csv(
        &refs,
        &ShopInput {
            name: "Shop",
            costs: &CostsTable::default(),
            settings: &settings,
            currency: None,
            period: None,
            threads: 1,
        },
        "Shop, \"main\"\tCafé\\",
    )
    .unwrap();
    let schema: serde_json::Value = serde_json::from_str(&schema).unwrap();
    let names: Vec<&str> = schema["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(header, names);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 6, "six order lines");
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    // The shop column is its partition value, as in the Parquet export; the schema keeps the name.
    let value = warehouse::partition_value("Shop, \"main\"\tCafé\\");
    assert!(value.starts_with("shop___main__caf__-"), "{value}");
    assert!(rows.iter().all(|r| r[at("shop")] == *value));
    // Quotes, a tab, a backslash and an accent: the schema is still valid JSON and names the shop.
    assert_eq!(schema["shop_name"], "Shop, \"main\"\tCafé\\");
    // The same split as the Parquet rows: 4.20 and 2.80 of the 7.00 on 2026-05-03.
    let om: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (&r[at("order_id")][16..], &r[at("other_marketing")]))
        .collect();
    assert!(om.contains(&("03", "4.2")), "{om:?}");
    assert!(om.contains(&("04", "2.8")), "{om:?}");
    assert!(
        rows.iter()
            .all(|r| r[at("order_date")].len() == 10 && r[at("order_date")].starts_with("2026-0"))
    );
}

#[test]
fn shop_names_get_directories_of_their_own() {
    // A plain lower-case name is its own partition value; any other gets its plain characters
    // (lower-cased) and 16 hex digits of a hash of the name, so names that differ only in case or in
    // characters a directory name cannot hold never share a directory.
    assert_eq!(warehouse::partition_value("us_shop"), "us_shop");
    let spaced = warehouse::partition_value("US shop");
    assert!(
        spaced.starts_with("us_shop-") && spaced.len() == "us_shop-".len() + 16,
        "{spaced}"
    );
    assert_ne!(
        warehouse::partition_value("Shop"),
        warehouse::partition_value("shop")
    );
    assert_ne!(
        warehouse::partition_value("ร้านหนึ่ง"),
        warehouse::partition_value("ร้านสอง")
    );
    assert_ne!(
        warehouse::partition_value("a/b"),
        warehouse::partition_value("a=b")
    );
    // A plain name that looks like a hashed value is hashed too, so it cannot take another's directory.
    assert_ne!(warehouse::partition_value(&spaced), spaced);
    // Stable: FNV-1a of "US shop" is the same on every machine and in every version.
    assert_eq!(spaced, warehouse::partition_value("US shop"));
}

#[test]
fn amounts_keep_up_to_eighteen_places_and_are_rounded_past_them() {
    // A VND fee: 6 % of a 12-place share has 14 places — kept exactly.
    let (kept, rounded) = warehouse::stored_amount(dec!(159112.58225827469375));
    assert_eq!((kept, rounded), (dec!(159112.58225827469375), false));
    // Trailing zeros past 18 places are no rounding.
    let (kept, rounded) = warehouse::stored_amount(dec!(1.50000000000000000000));
    assert_eq!((kept, rounded), (dec!(1.5), false));
    // 19 places: rounded half to even to 18, and said so (…25 → …2, …35 → …4).
    let (kept, rounded) = warehouse::stored_amount(dec!(0.0000000000000000025));
    assert_eq!((kept, rounded), (dec!(0.000000000000000002), true));
    let (kept, rounded) = warehouse::stored_amount(dec!(0.0000000000000000035));
    assert_eq!((kept, rounded), (dec!(0.000000000000000004), true));
}
