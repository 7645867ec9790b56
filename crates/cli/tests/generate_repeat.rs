//! `margin-lab generate repeat` (issue 20's real-row benchmark files): a real export repeated under fresh
//! Order IDs is that export k times over. The oracle is the original file's own report: every count and
//! amount of the repeated file is k times it, and every row but its Order ID is the original's, byte for byte.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::HashSet;
use std::path::Path;
use std::process::Command;
use std::str::FromStr;

fn run(args: &[&str]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_margin-lab"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run margin-lab: {e}"));
    assert!(
        out.status.success(),
        "margin-lab {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn report(path: &Path) -> Value {
    serde_json::from_slice(&run(&["report", "--json", path.to_str().unwrap()])).unwrap()
}

#[test]
fn a_repeated_export_is_the_original_k_times_over() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/tiktok/us_orders_2026-05-17.csv");
    let original = std::fs::read(&src).unwrap();
    let dir = std::env::temp_dir().join(format!("margin-lab-repeat-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("repeated.csv");
    // Just over two copies' bytes: three whole repetitions.
    let size = format!("{}", original.len() * 2 + 1);
    run(&[
        "generate",
        "repeat",
        "--from",
        src.to_str().unwrap(),
        "--size",
        &size,
        "--out",
        out.to_str().unwrap(),
    ]);
    let repeated = std::fs::read(&out).unwrap();

    // Rows: the original's data rows three times, equal but for the first cell's digits.
    let rows = |bytes: &[u8]| -> Vec<Vec<String>> {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(bytes);
        r.records()
            .map(|x| x.unwrap().iter().map(str::to_string).collect())
            .collect()
    };
    let (a, b) = (rows(&original), rows(&repeated));
    assert_eq!(b.len(), 3 * a.len());
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let mut ids_per_copy = vec![HashSet::new(); 3];
    for (i, row) in b.iter().enumerate() {
        let orig = &a[i % a.len()];
        assert_eq!(&row[1..], &orig[1..], "row {i}: only the Order ID changes");
        assert_eq!(
            row[0].replace(&digits(&row[0]), ""),
            orig[0].replace(&digits(&orig[0]), ""),
            "its quirks stay"
        );
        assert_eq!(digits(&row[0]).len(), 18, "18 digits, like real IDs");
        ids_per_copy[i / a.len()].insert(digits(&row[0]));
    }
    let orders = a
        .iter()
        .map(|r| digits(&r[0]))
        .collect::<HashSet<_>>()
        .len();
    for ids in &ids_per_copy {
        assert_eq!(ids.len(), orders, "one ID per order of the original");
    }
    assert!(
        ids_per_copy[0].is_disjoint(&ids_per_copy[1])
            && ids_per_copy[1].is_disjoint(&ids_per_copy[2])
    );

    // Figures: three times the original's.
    let (one, three) = (report(&src), report(&out));
    let dec = |v: &Value| Decimal::from_str(v.as_str().unwrap()).unwrap();
    // Sums of the file's cents (fees carry sub-cent parts that the report rounds once, at the total).
    for k in ["gmv", "net_sales"] {
        assert_eq!(
            dec(&three["totals"][k]),
            dec(&one["totals"][k]) * Decimal::from(3),
            "{k}"
        );
    }
    for k in ["orders", "units_sold"] {
        assert_eq!(
            three["totals"][k].as_i64().unwrap(),
            3 * one["totals"][k].as_i64().unwrap(),
            "{k}"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}
