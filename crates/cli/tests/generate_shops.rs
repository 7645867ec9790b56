//! `margin-lab generate orders --shop K` (issue 15, the agency benchmark): files generated for two shops
//! share no Order ID, SKU ID or seller SKU and load as two shops; without `--shop` the generator writes
//! exactly what it wrote before the option existed — the committed demo exports in `public/demo/`, which
//! were generated before it (US: seed 7, 45 days, 800 orders; UK: seed 11, 45 days, 500 orders).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../../engine/tests/common/mod.rs"]
mod common;

use serde_json::Value;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn run(args: &[&str]) -> std::process::Output {
    let out = Command::new(env!("CARGO_BIN_EXE_margin-lab"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run margin-lab: {e}"));
    assert!(
        out.status.success(),
        "margin-lab {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn generate(args: &[&str]) -> Vec<u8> {
    let mut all = vec!["generate"];
    all.extend(args);
    run(&all).stdout
}

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir()
        .join(format!("margin-lab-generate-shops-{}", std::process::id()))
        .join(name);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(path: &Path, bytes: &[u8]) -> String {
    std::fs::write(path, bytes).unwrap();
    path.to_string_lossy().into_owned()
}

fn shops(files: &[&str]) -> Vec<Value> {
    let mut args = vec!["report", "--json"];
    args.extend(files);
    let v = common::json_stdout(&run(&args));
    v["shops"].as_array().unwrap().clone()
}

/// The values of `column` in a generated Orders file, read with the csv crate (TABs trimmed).
fn column(path: &str, column: &str) -> HashSet<String> {
    common::raw_rows(Path::new(path))
        .into_iter()
        .map(|r| r[column].clone())
        .filter(|v| !v.is_empty())
        .collect()
}

#[test]
fn without_shop_the_output_is_the_committed_demo_exports() {
    let demo = |name: &str| std::fs::read(common::repo("public/demo").join(name)).unwrap();
    let us = [
        "orders", "--market", "us", "--seed", "7", "--days", "45", "--orders", "800",
    ];
    let uk = [
        "orders", "--market", "uk", "--seed", "11", "--days", "45", "--orders", "500",
    ];
    assert!(
        generate(&us) == demo("demo_us_orders.csv"),
        "US Orders changed"
    );
    assert!(
        generate(&uk) == demo("demo_uk_orders.csv"),
        "UK Orders changed"
    );
    assert!(generate(&["costs", "--market", "us"]) == demo("demo_us_costs.csv"));
    assert!(generate(&["costs", "--market", "uk"]) == demo("demo_uk_costs.csv"));
}

#[test]
fn two_shops_share_no_id_and_load_as_two_shops() {
    let d = dir("two");
    let base = ["orders", "--market", "us", "--seed", "3", "--days", "90"];
    let with = |extra: &[&str]| {
        let mut a = base.to_vec();
        a.extend(["--orders", "400"]);
        a.extend(extra);
        generate(&a)
    };
    let one = write(&d.join("shop1_orders.csv"), &with(&["--shop", "1"]));
    let two = write(&d.join("shop2_orders.csv"), &with(&["--shop", "2"]));
    for col in ["Order ID", "SKU ID", "Seller SKU"] {
        let (a, b) = (column(&one, col), column(&two, col));
        assert!(!a.is_empty() && a.is_disjoint(&b), "{col} shared");
    }
    // Loose files are grouped by the IDs they share: two shops, one file each.
    let s = shops(&[&one, &two]);
    assert_eq!(s.len(), 2, "{s:#?}");
    for (shop, file) in s.iter().zip(["shop1_orders.csv", "shop2_orders.csv"]) {
        assert_eq!(shop["files"], serde_json::json!([file]));
    }
    // The same seed gives the same amounts: only the IDs differ.
    let net = |i: usize| s[i]["report"]["totals"]["net_sales"].clone();
    assert_eq!(net(0), net(1));
    // As directories (one shop each, named after them) too.
    let (d1, d2) = (dir("dirs/shop01"), dir("dirs/shop02"));
    std::fs::copy(&one, d1.join("orders.csv")).unwrap();
    std::fs::copy(&two, d2.join("orders.csv")).unwrap();
    let s = shops(&[d1.to_str().unwrap(), d2.to_str().unwrap()]);
    let names: Vec<&str> = s.iter().map(|x| x["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["shop01", "shop02"]);
    // The control: two files of the demo shop (other seeds, no --shop) share SKU IDs and make one shop.
    let a = write(&d.join("demo_a.csv"), &with(&[]));
    let mut other = base.to_vec();
    other[4] = "4";
    other.extend(["--orders", "400"]);
    let b = write(&d.join("demo_b.csv"), &generate(&other));
    assert_eq!(shops(&[&a, &b]).len(), 1);
}

#[test]
fn a_shop_costs_sheet_names_its_own_skus() {
    let d = dir("costs");
    let orders = write(
        &d.join("orders.csv"),
        &generate(&[
            "orders", "--market", "uk", "--seed", "5", "--orders", "200", "--shop", "7",
        ]),
    );
    let costs = generate(&["costs", "--market", "uk", "--shop", "7"]);
    let costs = write(&d.join("costs.csv"), &costs);
    let skus = column(&orders, "SKU ID");
    let named = column(&costs, "SKU ID");
    assert!(
        !named.is_empty() && named.is_subset(&skus),
        "{named:?} {skus:?}"
    );
    // The sheet goes to the shop whose SKUs it names: one shop, with costs.
    let s = shops(&[&orders, &costs]);
    assert_eq!(s.len(), 1);
}

#[test]
fn shop_zero_and_beyond_the_range_are_usage_errors() {
    for k in ["0", "10000", "x"] {
        let out = Command::new(env!("CARGO_BIN_EXE_margin-lab"))
            .args(["generate", "orders", "--market", "us", "--shop", k])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "--shop {k}");
    }
}
