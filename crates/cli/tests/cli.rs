//! The `margin-lab` binary on real files: JSON contract, exit codes, generator.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../../engine/tests/common/mod.rs"]
mod common;

use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_margin-lab"))
}

use common::repo_str as repo;

fn run(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run margin-lab: {e}"))
}

fn tmp(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("margin-lab-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
    p.to_string_lossy().into_owned()
}

#[test]
fn report_json_on_the_real_us_export() {
    let costs = tmp("costs.csv", "Seller SKU,Unit cost\nAW-6RME-O0CZ,6.50\n");
    let out = run(bin().args([
        "report",
        "--json",
        "--costs",
        &costs,
        &repo("tests/fixtures/tiktok/us_orders_2026-05-17.csv"),
    ]));
    let v = common::json_stdout(&out);
    assert_eq!(v["currency"], "USD");
    // Created times in the file run from 05/10/2026 to 05/17/2026 (US month-first dates).
    assert_eq!(v["period"]["to"], "2026-05-17");
    assert_eq!(v["files"][0]["name"], "us_orders_2026-05-17.csv");
    assert_eq!(v["files"][0]["rows"], 349);
    // Independent tally (see crates/engine/tests/orders.rs): gmv 7360.07 − cancelled 404.45 = 6955.62.
    assert_eq!(v["totals"]["gmv"], "7360.07");
    assert_eq!(v["totals"]["net_sales"], "6955.62");
    assert_eq!(v["totals"]["orders"], 251);
    let sku = v["skus"]
        .as_array()
        .and_then(|a| a.iter().find(|s| s["sku_id"] == "1731877424524333233"))
        .unwrap_or_else(|| panic!("SKU missing"));
    assert_eq!(sku["seller_sku"], "AW-6RME-O0CZ");
    assert_eq!(sku["unit_cost"], "6.50");
    assert_eq!(sku["net_sales"], "2218.27");
    assert_eq!(sku["cogs"], "656.50", "101 units × 6.50");
    assert_eq!(sku["gross_profit"], "1561.77");
    assert_eq!(sku["gross_margin_pct"], "70.40");
    assert_eq!(sku["cost_missing"], false);
}

#[test]
fn readable_table_by_default() {
    let out = run(bin().args([
        "report",
        &repo("tests/fixtures/tiktok/uk_orders_2026-05-17.csv"),
    ]));
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("GBP"), "{text}");
    assert!(text.contains("GMV 23439.17"), "{text}");
}

#[test]
fn exit_codes() {
    let out = run(bin().args(["report"]));
    assert_eq!(out.status.code(), Some(1));
    let out = run(bin().args(["frobnicate"]));
    assert_eq!(out.status.code(), Some(1));
    let bad = tmp(
        "excel.csv",
        "Order ID,Order Status,SKU ID,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n5.77E+17,Shipped,1,1,1,0,05/17/2026 9:00:00 PM,05/17/2026 9:00:00 PM\n",
    );
    let out = run(bin().args(["report", "--json", &bad]));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("excel.csv, row 2, column \"Order ID\""),
        "{err}"
    );
    let out = run(bin().args(["report", "/no/such/file.csv"]));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn generator_is_deterministic_and_reads_back() {
    let a = run(bin().args([
        "generate", "orders", "--market", "uk", "--seed", "5", "--orders", "200",
    ]));
    let b = run(bin().args([
        "generate", "orders", "--market", "uk", "--seed", "5", "--orders", "200",
    ]));
    let c = run(bin().args([
        "generate", "orders", "--market", "uk", "--seed", "6", "--orders", "200",
    ]));
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout, "same seed, same bytes");
    assert_ne!(a.stdout, c.stdout, "another seed, another file");
    let text = String::from_utf8_lossy(&a.stdout).into_owned();
    assert!(text.starts_with('\u{feff}'), "BOM like the real exports");
    let path = tmp("gen_uk.csv", &text);
    let out = run(bin().args(["report", "--json", &path]));
    let v = common::json_stdout(&out);
    assert_eq!(v["currency"], "GBP");
    // Every generated order that is paid is used: rows − unpaid lines = used_rows (no warnings).
    assert_eq!(v["files"][0]["warnings"].as_array().map(Vec::len), Some(0));
    // A rough independent check on the generated text: count lines whose status cell is Unpaid.
    let unpaid = text
        .lines()
        .filter(|l| l.contains(",Unpaid,Unpaid,"))
        .count() as u64;
    assert_eq!(
        v["files"][0]["rows"].as_u64().unwrap_or(0) - unpaid,
        v["files"][0]["used_rows"].as_u64().unwrap_or(1)
    );
}

#[test]
fn generator_sizes_by_bytes_and_streams_the_same_rows() {
    // --size stops at the first whole order past the size: a prefix of the same seed's longer file.
    let sized = run(bin().args([
        "generate", "orders", "--market", "us", "--seed", "9", "--size", "200KB",
    ]));
    assert!(sized.status.success());
    let n = sized.stdout.len();
    assert!((200_000..202_000).contains(&n), "{n} bytes");
    assert_eq!(sized.stdout.last(), Some(&b'\n'));
    let longer = run(bin().args([
        "generate", "orders", "--market", "us", "--seed", "9", "--orders", "2000",
    ]));
    assert!(longer.stdout.len() > n);
    assert_eq!(&longer.stdout[..n], &sized.stdout[..]);
    let bad = run(bin().args(["generate", "orders", "--market", "us", "--size", "lots"]));
    assert_eq!(bad.status.code(), Some(1));
}

#[test]
fn generated_affiliate_rows_join_the_generated_orders() {
    let orders = run(bin().args([
        "generate", "orders", "--market", "us", "--seed", "3", "--orders", "300",
    ]));
    let orders_path = tmp(
        "gen_orders_us.csv",
        &String::from_utf8_lossy(&orders.stdout),
    );
    let aff = run(bin().args([
        "generate",
        "affiliate",
        "--market",
        "us",
        "--seed",
        "3",
        "--from-orders",
        &orders_path,
    ]));
    assert!(
        aff.status.success(),
        "{}",
        String::from_utf8_lossy(&aff.stderr)
    );
    let aff_text = String::from_utf8_lossy(&aff.stdout).into_owned();
    let rows = aff_text.lines().count() as u64 - 1;
    assert!(rows > 50, "about a third of ~300 orders' lines: {rows}");
    let aff_path = tmp("gen_aff_us.csv", &aff_text);
    let out = run(bin().args(["report", "--json", &orders_path, &aff_path]));
    let v = common::json_stdout(&out);
    assert_eq!(v["files"][1]["kind"], "affiliate_orders");
    assert_eq!(v["files"][1]["used_rows"].as_u64(), Some(rows));
    // Every generated row has its order line: no "have no order line" warning.
    let warnings = v["warnings"].as_array().unwrap();
    assert!(
        !warnings
            .iter()
            .any(|w| w.as_str().unwrap_or("").contains("no order line")),
        "{warnings:?}"
    );
    assert_ne!(v["totals"]["affiliate_commission"], "0.00");
}

#[test]
fn report_writes_the_sku_table_as_csv_and_xlsx() {
    let costs = tmp(
        "costs-export.csv",
        "Seller SKU,Unit cost\nAW-6RME-O0CZ,6.50\n",
    );
    let csv_out = tmp("skus.csv", "");
    let xlsx_out = tmp("skus.xlsx", "");
    let out = run(bin().args([
        "report",
        "--costs",
        &costs,
        "--csv",
        &csv_out,
        "--xlsx",
        &xlsx_out,
        &repo("tests/fixtures/tiktok/us_orders_2026-05-17.csv"),
    ]));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The same SKU as the JSON test above, whose figures come from an independent tally.
    let want = ["6.50", "2218.27", "656.50"];
    let text = std::fs::read_to_string(&csv_out).unwrap();
    let body = text.strip_prefix('\u{feff}').expect("a byte order mark");
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(body.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    let sku = rows
        .iter()
        .find(|r| &r[0] == "1731877424524333233")
        .expect("SKU row");
    assert_eq!(&sku[1], "AW-6RME-O0CZ");
    assert_eq!([&sku[4], &sku[7], &sku[8]], want);

    let bytes = std::fs::read(&xlsx_out).unwrap();
    let sheets = margin_engine::import::xlsx::read_workbook(&bytes).unwrap();
    assert_eq!(sheets[0].name, "SKUs USD");
    assert_eq!(sheets[0].rows[0].cells[7], "Net sales");
    let row = sheets[0]
        .rows
        .iter()
        .find(|r| r.cell(0) == "1731877424524333233")
        .expect("SKU row");
    assert_eq!([row.cell(4), row.cell(7), row.cell(8)], want);
    assert_eq!(
        sheets[0].rows.len(),
        rows.len() + 1,
        "header + one row per SKU"
    );
}

/// `report --json` with GMV Max's creatives (docs/metrics.md §3): the real BR export's `ads.by_product`
/// (its largest product: Σ Custo 327.580 over its rows, tallied with openpyxl), and a hand-made export on
/// the real US files, whose Affiliate export pairs product 1731848824093708465 with five SKUs of the
/// Orders export: its 100.00 is charged to them, the 10.00 of a product no export pairs is spread.
#[test]
fn report_json_carries_ads_by_product() {
    let out = run(bin().args([
        "report",
        "--json",
        &repo("tests/fixtures/analytics/br_gmv_max_creative_data_for_product_campaigns_2026-03-20.xlsx"),
    ]));
    let v = common::json_stdout(&out);
    assert_eq!(v["ads"]["source"], "gmv_max_detail");
    assert_eq!(
        v["ads"]["by_product"][0]["product_id"],
        "1731763836201109087"
    );
    assert_eq!(v["ads"]["by_product"][0]["cost"], "327.58");
    assert_eq!(v["ads"]["by_product"].as_array().map(Vec::len), Some(65));

    let creatives = tmp(
        "creatives_2026-05-18.csv",
        "Campaign name,Campaign ID,Product ID,Creative type,Video ID,Cost,SKU orders,Gross revenue,Currency\n\
         Spring,900,1731848824093708465,Video,71,100.00,12,600.00,USD\n\
         Spring,900,999,Video,72,10.00,0,0.00,USD\n",
    );
    let out = run(bin().args([
        "report",
        "--json",
        &repo("tests/fixtures/tiktok/us_orders_2026-05-17.csv"),
        &repo("tests/fixtures/tiktok/us_affiliate_orders_2026-05.csv"),
        &creatives,
    ]));
    let v = common::json_stdout(&out);
    let p = &v["ads"]["by_product"][0];
    assert_eq!(p["product_id"], "1731848824093708465");
    assert_eq!(p["skus"].as_array().map(Vec::len), Some(5));
    assert_eq!(
        (&p["attributed"], &p["reported_roas"]),
        (&"100.00".into(), &"6.00".into())
    );
    assert_eq!(v["ads"]["unmapped_spend"], "10.00");
    assert_eq!(v["totals"]["ad_spend"], "110.00");
    assert_eq!(v["totals"]["ad_spend_attributed"], "100.00");
    assert_eq!(v["totals"]["ad_spend_spread"], "10.00");
}

/// The readable report carries what a seller reads each morning, as `--json` has it: the alerts as of their
/// anchor and the rules that could not run, the morning review's day and one action per team, the GMV Max
/// reconciliation (spend 110.00 over 12 SKU orders reported: 9.17 per order) and, with a finance export, the
/// cash section (the hand-made files of tests/fixtures/handmade/cash: orders A, B and F settled, 49.50 still
/// to come).
#[test]
fn readable_report_has_the_review_the_ads_reconciliation_and_cash() {
    let creatives = tmp(
        "creatives_2026-05-19.csv",
        "Campaign name,Campaign ID,Product ID,Creative type,Video ID,Cost,SKU orders,Gross revenue,Currency\n\
         Spring,900,1731848824093708465,Video,71,100.00,12,600.00,USD\n\
         Spring,900,999,Video,72,10.00,0,0.00,USD\n",
    );
    let files = [
        repo("tests/fixtures/tiktok/us_orders_2026-05-17.csv"),
        repo("tests/fixtures/tiktok/us_affiliate_orders_2026-05.csv"),
        creatives,
    ];
    let text = String::from_utf8_lossy(&run(bin().arg("report").args(&files)).stdout).into_owned();
    let v = common::json_stdout(&run(bin().args(["report", "--json"]).args(&files)));
    let day = v["review"]["day"].as_str().unwrap_or_default();
    assert_eq!(day, "2026-05-17");
    assert!(text.contains("Alerts as of 2026-05-17"), "{text}");
    let yesterday = &v["review"]["yesterday"];
    assert!(
        text.contains(&format!(
            "Morning review of 2026-05-17: net sales {}, {} orders, CM2 {}",
            yesterday["net_sales"].as_str().unwrap_or_default(),
            yesterday["orders"],
            yesterday["cm2"].as_str().unwrap_or_default()
        )),
        "{text}"
    );
    for team in [
        "content",
        "media buying",
        "creator partnerships",
        "operations",
    ] {
        assert!(text.contains(&format!("\n  {team}: ")), "{team}: {text}");
    }
    for u in v["alerts"]["unavailable"].as_array().into_iter().flatten() {
        let rule = u["rule"].as_str().unwrap_or_default();
        assert!(
            text.contains(&format!("could not run ({rule}): needs ")),
            "{rule}: {text}"
        );
    }
    assert!(text.contains("Ads: spend 110.00"), "{text}");
    assert!(text.contains("CPO on GMV Max's orders 9.17"), "{text}");
    assert!(!text.contains("Cash:"), "no finance export, no cash line");

    // The hand-made files of crates/engine/tests/cash.rs, under their settings (no fee rule, 2.00 of
    // shipping an order), whose figures docs/metrics.md §6 works out by hand.
    let dir = repo("tests/fixtures/handmade/cash");
    let files = ["orders.csv", "income_2026-05.csv", "onhold.csv"].map(|f| format!("{dir}/{f}"));
    let settings = format!("{dir}/settings.json");
    let text = String::from_utf8_lossy(
        &run(bin().args(["report", "--settings", &settings]).args(&files)).stdout,
    )
    .into_owned();
    let v = common::json_stdout(&run(bin()
        .args(["report", "--json", "--settings", &settings])
        .args(&files)));
    let c = &v["cash"];
    assert_eq!(c["matched_orders"], 3);
    // C on hold for 26.00, D 20.00 − 2.00 and E 10.00 − 10.00 − 2.00 in no finance export (16.00), and an
    // order not loaded on hold for 7.50: 49.50 (docs/metrics.md §6).
    assert_eq!(c["unsettled"]["expected_cash"], "49.50");
    assert!(
        text.contains(&format!(
            "Cash: 3 settled orders, estimated {} vs settled {} (difference {}); still to come {}",
            c["estimated_settlement_of_matched"]
                .as_str()
                .unwrap_or_default(),
            c["actual_settlement"].as_str().unwrap_or_default(),
            c["settlement_difference"].as_str().unwrap_or_default(),
            c["unsettled"]["expected_cash"].as_str().unwrap_or_default(),
        )),
        "{text}"
    );
}
