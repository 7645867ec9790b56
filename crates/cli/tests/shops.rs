//! Shops (issue 15, docs/metrics.md §10) through the binary: the real US and UK exports and a third shop
//! made from the US export with other order and SKU IDs load as three shops; each shop's report equals a
//! report of its files alone; the two USD shops are never merged; a portfolio exists only with a reporting
//! currency and rates, and equals the hand-converted sum.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../../engine/tests/common/mod.rs"]
mod common;

use common::repo_str as repo;
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn report(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_margin-lab"))
        .args(["report", "--json"])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run margin-lab: {e}"));
    common::json_stdout(&out)
}

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir()
        .join(format!("margin-lab-shops-{}", std::process::id()))
        .join(name);
    std::fs::create_dir_all(&d).unwrap();
    d
}

const US: &str = "tests/fixtures/tiktok/us_orders_2026-05-17.csv";
const US_AFF: &str = "tests/fixtures/tiktok/us_affiliate_orders_2026-05.csv";
const UK: &str = "tests/fixtures/tiktok/uk_orders_2026-05-17.csv";
const UK_AFF: &str = "tests/fixtures/tiktok/uk_affiliate_orders_2026-05.csv";

/// The US Orders export with every Order ID and SKU ID changed (first digit → 9): another shop's file
/// with the same amounts, written with the csv crate.
fn third_shop(tag: &str) -> String {
    let mut r = csv::ReaderBuilder::new().from_path(repo(US)).unwrap();
    let headers = r.headers().unwrap().clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
            .unwrap()
    };
    let (order, sku) = (col("Order ID"), col("SKU ID"));
    let path = dir(tag).join("third_shop_orders.csv");
    let mut w = csv::Writer::from_path(&path).unwrap();
    w.write_record(&headers).unwrap();
    for rec in r.records() {
        let rec = rec.unwrap();
        let row: Vec<String> = rec
            .iter()
            .enumerate()
            .map(|(i, v)| {
                if (i == order || i == sku) && v.len() > 1 {
                    format!("9{}", &v[1..])
                } else {
                    v.to_string()
                }
            })
            .collect();
        w.write_record(&row).unwrap();
    }
    w.flush().unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn three_shops_each_equal_to_its_files_alone_and_never_merged() {
    let third = third_shop("three");
    let files = [
        repo(US),
        repo(US_AFF),
        repo(UK),
        repo(UK_AFF),
        third.clone(),
    ];
    let args: Vec<&str> = files.iter().map(String::as_str).collect();
    let v = report(&args);
    let shops = v["shops"].as_array().unwrap();
    let names: Vec<&str> = shops.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["US shop 1", "GB shop 1", "US shop 2"]);
    let files_of = |i: usize| -> Vec<&str> {
        shops[i]["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect()
    };
    assert_eq!(
        files_of(0),
        [
            "us_orders_2026-05-17.csv",
            "us_affiliate_orders_2026-05.csv"
        ]
    );
    assert_eq!(
        files_of(1),
        [
            "uk_orders_2026-05-17.csv",
            "uk_affiliate_orders_2026-05.csv"
        ]
    );
    assert_eq!(files_of(2), ["third_shop_orders.csv"]);
    // Each shop's report is the report of its files alone (the same totals, SKUs, creators, days).
    for (i, alone) in [
        vec![repo(US), repo(US_AFF)],
        vec![repo(UK), repo(UK_AFF)],
        vec![third.clone()],
    ]
    .iter()
    .enumerate()
    {
        let a: Vec<&str> = alone.iter().map(String::as_str).collect();
        let own = report(&a);
        let shop = &shops[i]["report"];
        for key in [
            "currency",
            "period",
            "totals",
            "skus",
            "creators",
            "days",
            "waterfall",
            "coverage",
        ] {
            assert_eq!(shop[key], own[key], "shop {i}: {key}");
        }
    }
    // The two USD shops are not merged: each has the US export's net sales (gmv 7360.07 − cancelled
    // 404.45 = 6955.62, crates/engine/tests/orders.rs); the UK shop 22931.17.
    let net = |i: usize| {
        shops[i]["report"]["totals"]["net_sales"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!([net(0), net(1), net(2)], ["6955.62", "22931.17", "6955.62"]);
    assert_eq!(
        shops[2]["report"]["totals"]["orders"],
        shops[0]["report"]["totals"]["orders"]
    );
    // The top level is the first shop's report, and says so; no portfolio without a reporting currency.
    assert_eq!(v["totals"], shops[0]["report"]["totals"]);
    assert!(
        v["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().starts_with("3 shops are loaded"))
    );
    assert!(v.get("portfolio").is_none());
    // --shop picks another top level.
    let mut picked = args.clone();
    picked.extend(["--shop", "US shop 2"]);
    assert_eq!(report(&picked)["shop"], "US shop 2");
}

#[test]
fn a_portfolio_total_only_in_a_reporting_currency_equal_to_the_hand_converted_sum() {
    let third = third_shop("portfolio");
    let files = [repo(US), repo(US_AFF), repo(UK), repo(UK_AFF), third];
    let mut args: Vec<&str> = files.iter().map(String::as_str).collect();
    args.extend(["--reporting-currency", "USD", "--fx", "GBP=1.27"]);
    let p = report(&args)["portfolio"].clone();
    assert_eq!(p["currency"], "USD");
    let rows = p["shops"].as_array().unwrap();
    let rate: Vec<&str> = rows.iter().map(|r| r["rate"].as_str().unwrap()).collect();
    assert_eq!(rate, ["1", "1.27", "1"]);
    // By hand: 22931.17 × 1.27 = 29122.5859 → 29122.59; 6955.62 + 29122.59 + 6955.62 = 43033.83.
    let net: Vec<&str> = rows
        .iter()
        .map(|r| r["totals"]["net_sales"].as_str().unwrap())
        .collect();
    assert_eq!(net, ["6955.62", "29122.59", "6955.62"]);
    assert_eq!(p["totals"]["net_sales"], "43033.83");
    // Orders are counted, not converted: the three shops' own counts added.
    let orders: u64 = rows
        .iter()
        .map(|r| r["totals"]["orders"].as_u64().unwrap())
        .sum();
    assert_eq!(p["totals"]["orders"].as_u64().unwrap(), orders);
    // In EUR with no rate for either currency: both left out, named, and the total is empty.
    let mut eur: Vec<&str> = files.iter().map(String::as_str).collect();
    eur.extend(["--reporting-currency", "EUR", "--fx", "GBP=1.17@2026-05-01"]);
    let p = report(&eur)["portfolio"].clone();
    let left: Vec<&str> = p["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(
        left,
        [
            "US shop 1: no USD → EUR rate was given",
            "US shop 2: no USD → EUR rate was given"
        ]
    );
    assert_eq!(p["shops"][0]["rate_from"], "2026-05-01");
    // 22931.17 × 1.17 = 26829.4689 → 26829.47.
    assert_eq!(p["totals"]["net_sales"], "26829.47");
}

#[test]
fn a_directory_is_a_shop_named_after_it() {
    let us = dir("acme-us");
    let uk = dir("acme-uk");
    for (d, f) in [(&us, US), (&us, US_AFF), (&uk, UK), (&uk, UK_AFF)] {
        let name = std::path::Path::new(f).file_name().unwrap();
        std::fs::copy(repo(f), d.join(name)).unwrap();
    }
    let v = report(&[us.to_str().unwrap(), uk.to_str().unwrap()]);
    let names: Vec<&str> = v["shops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["acme-us", "acme-uk"]);
    assert_eq!(v["shops"][1]["report"]["totals"]["net_sales"], "22931.17");
    // Rates without a reporting currency are refused.
    let out = Command::new(env!("CARGO_BIN_EXE_margin-lab"))
        .args(["report", "--json", "--fx", "GBP=1.27", us.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_client_report_holds_its_shop_only() {
    let third = third_shop("html");
    let files = [repo(US), repo(US_AFF), repo(UK), repo(UK_AFF), third];
    let out = dir("html").join("us2.html");
    let mut args: Vec<&str> = files.iter().map(String::as_str).collect();
    args.extend([
        "--shop",
        "US shop 2",
        "--html",
        out.to_str().unwrap(),
        "--agency",
        "Acme <Agency>",
    ]);
    let v = report(&args);
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.contains("Prepared by Acme &lt;Agency&gt;"));
    assert!(html.contains("<h1 data-shop=\"US shop 2\">US shop 2</h1>"));
    let sku_ids = |i: usize| -> Vec<String> {
        v["shops"][i]["report"]["skus"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["sku_id"].as_str().unwrap().to_string())
            .collect()
    };
    // Every SKU of the shop, and no SKU, name or file of another shop.
    for id in sku_ids(2) {
        assert!(html.contains(&format!("data-sku=\"{id}\"")), "{id}");
    }
    for other in [0, 1] {
        for id in sku_ids(other) {
            assert!(!html.contains(&id), "another shop's SKU {id}");
        }
    }
    for word in ["US shop 1", "GB shop 1", "uk_orders", "us_orders", "£"] {
        assert!(!html.contains(word), "{word}");
    }
    // Its net sales as the shop's report says, with the currency's symbol.
    assert!(html.contains("<tr data-metric=\"net_sales\"><th title="));
    assert!(html.contains("$6,955.62"));
    // No script, style sheet link, font or image: nothing to fetch.
    for tag in ["<script", "<link", "<img", "@import", "url("] {
        assert!(!html.contains(tag), "{tag}");
    }
}

#[test]
fn a_shop_with_its_own_settings_uses_them_and_the_others_do_not() {
    let us = dir("own-us");
    let uk = dir("own-uk");
    for (d, f) in [(&us, US), (&uk, UK)] {
        let name = std::path::Path::new(f).file_name().unwrap();
        std::fs::copy(repo(f), d.join(name)).unwrap();
    }
    // The UK shop (a directory: its key is its name) pays 0.50 a unit for fulfilment; the rest the default 0.
    let own = dir("own-settings").join("settings.json");
    std::fs::write(
        &own,
        r#"{"shop_settings":[{"shop":"own-uk","settings":{"fulfillment_per_unit":"0.50"}}]}"#,
    )
    .unwrap();
    let v = report(&[
        "--settings",
        own.to_str().unwrap(),
        us.to_str().unwrap(),
        uk.to_str().unwrap(),
    ]);
    // Checked against the UK export alone with 0.50 as everyone's setting, and the US export alone with none.
    let global = dir("own-settings").join("global.json");
    std::fs::write(&global, r#"{"fulfillment_per_unit":"0.50"}"#).unwrap();
    let uk_alone = report(&["--settings", global.to_str().unwrap(), uk.to_str().unwrap()]);
    let us_alone = report(&[us.to_str().unwrap()]);
    assert_eq!(v["shops"][1]["name"], "own-uk");
    assert_eq!(v["shops"][1]["report"]["totals"], uk_alone["totals"]);
    assert_eq!(v["shops"][0]["report"]["totals"], us_alone["totals"]);
    assert_ne!(uk_alone["totals"]["fulfillment"], "0.00");
    assert_eq!(us_alone["totals"]["fulfillment"], "0.00");
}

#[test]
fn loose_files_join_the_directory_shop_they_share_ids_with_and_a_loose_costs_sheet_reaches_every_shop()
 {
    let us = dir("join-us");
    let uk = dir("join-uk");
    std::fs::copy(repo(US), us.join("us_orders_2026-05-17.csv")).unwrap();
    std::fs::copy(repo(UK), uk.join("uk_orders_2026-05-17.csv")).unwrap();
    let costs = repo("tests/fixtures/costs_for_fixtures.csv");
    let aff = repo(US_AFF);
    let v = report(&[us.to_str().unwrap(), uk.to_str().unwrap(), &aff, &costs]);
    let shops = v["shops"].as_array().unwrap();
    assert_eq!(
        shops.len(),
        2,
        "{:?}",
        shops.iter().map(|s| &s["name"]).collect::<Vec<_>>()
    );
    let files_of = |i: usize| -> Vec<&str> {
        shops[i]["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect()
    };
    assert_eq!(
        files_of(0),
        [
            "us_orders_2026-05-17.csv",
            "us_affiliate_orders_2026-05.csv",
            "costs_for_fixtures.csv"
        ]
    );
    assert_eq!(
        files_of(1),
        ["uk_orders_2026-05-17.csv", "costs_for_fixtures.csv"]
    );
    // The same figures as each shop's files given alone.
    let us_alone = report(&[&repo(US), &aff, &costs]);
    assert_eq!(shops[0]["report"]["totals"], us_alone["totals"]);
    let uk_alone = report(&[&repo(UK), &costs]);
    assert_eq!(shops[1]["report"]["totals"], uk_alone["totals"]);
}
