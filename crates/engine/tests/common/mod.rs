//! Helpers shared by the integration tests of the engine and of the CLI (the CLI's tests include this
//! file by path): where the repository's fixtures are, and a plain `csv` view of a raw export that the
//! independent tallies read instead of the engine's importers.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use margin_engine::whatif::UnitInputs;
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// A path inside the repository (`rel` is relative to its root).
pub fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

/// A path inside the repository, as a string (for command lines).
pub fn repo_str(rel: &str) -> String {
    repo(rel).to_string_lossy().into_owned()
}

/// `tests/fixtures/<dir>/<name>`.
pub fn fixture(dir: &str, name: &str) -> PathBuf {
    repo("tests/fixtures").join(dir).join(name)
}

/// The bytes of `tests/fixtures/<dir>/<name>`; a missing file fails the test with its path.
pub fn fixture_bytes(dir: &str, name: &str) -> Vec<u8> {
    let p = fixture(dir, name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The rows of a raw CSV export as header → cell maps, read by `csv` alone: the header's BOM and
/// spaces trimmed, each cell's TABs and spaces trimmed (Seller Center appends a TAB to IDs).
pub fn raw_rows(path: &Path) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header: Vec<String> = r
        .headers()
        .unwrap()
        .iter()
        .map(|h| {
            h.trim_matches(|c: char| c == '\u{feff}' || c.is_whitespace())
                .to_string()
        })
        .collect();
    r.records()
        .map(|rec| {
            header
                .iter()
                .cloned()
                .zip(
                    rec.unwrap()
                        .iter()
                        .map(|c| c.trim_matches(['\t', ' ']).to_string()),
                )
                .collect()
        })
        .collect()
}

/// A raw money cell: blank is zero, a `GBP ` prefix (UK exports) is dropped.
pub fn money(s: &str) -> Decimal {
    let s = s.trim().trim_start_matches("GBP ").trim();
    if s.is_empty() {
        Decimal::ZERO
    } else {
        Decimal::from_str(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }
}

/// Rounded to cents, half away from zero (how the report shows money).
pub fn cents(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Rounded to cents, half away from zero, with two decimals always ("12.30").
pub fn cents_str(d: Decimal) -> String {
    let mut r = cents(d);
    r.rescale(2);
    r.to_string()
}

/// A raw affiliate row's commission by METRICS' rule, written out independently of the importer: per
/// part (standard, Shop Ads, co-funded bonus) the Actual column when it is filled and > 0, else the Est.
/// one. (Whether the row is `Ineligible` is left to the caller.)
pub fn raw_commission(r: &HashMap<String, String>) -> Decimal {
    let pick = |est: &str, act: &str| {
        let a = money(r.get(act).map_or("", String::as_str));
        if a > Decimal::ZERO {
            a
        } else {
            money(r.get(est).map_or("", String::as_str))
        }
    };
    pick(
        "Est. standard commission payment",
        "Actual Commission Payment",
    ) + pick(
        "Est. Shop Ads commission payment",
        "Actual Shop Ads commission payment",
    ) + pick(
        "Est. co-funded creator bonus",
        "Actual co-funded creator bonus",
    )
}

/// The JSON a command printed, after checking that it succeeded (its stderr is the failure message).
pub fn json_stdout(out: &std::process::Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON: {e}"))
}

/// docs/metrics.md §4's textbook example as what-if inputs: price 40, unit cost 10, commission 15 % on
/// every unit (affiliate share 100 %), platform fee 2 % + 0.30 per order, fulfilment 5, overhead 10 per
/// unit → gross 75 %, CM2 44.75 %, net 19.75 %.
pub fn textbook() -> UnitInputs {
    UnitInputs {
        price: Decimal::new(40, 0),
        unit_cost: Decimal::new(10, 0),
        affiliate_share_pct: Decimal::ONE_HUNDRED,
        commission_pct: Decimal::new(15, 0),
        fee_pct: Decimal::TWO,
        fee_fixed_per_order: Decimal::new(30, 2),
        fulfillment_per_unit: Decimal::new(5, 0),
        overhead_per_unit: Decimal::TEN,
        ..UnitInputs::default()
    }
}

/// Fails unless one of the warnings starts with `prefix` (they are listed in the failure).
pub fn assert_warns(warnings: &[String], prefix: &str) {
    assert!(
        warnings.iter().any(|w| w.starts_with(prefix)),
        "no warning starts with {prefix:?}: {warnings:?}"
    );
}

/// The date of a raw timestamp cell: `MM/DD/YYYY …` (US Orders exports), or `DD/MM/YYYY …` when
/// `day_first` (UK Orders, every Affiliate export). `None` for a blank cell.
pub fn raw_date(cell: &str, day_first: bool) -> Option<chrono::NaiveDate> {
    let date = cell.split_whitespace().next()?;
    let mut parts = date.split('/').map(|p| p.parse::<u32>().unwrap());
    let (a, b, y) = (parts.next()?, parts.next()?, parts.next()?);
    let (m, d) = if day_first { (b, a) } else { (a, b) };
    chrono::NaiveDate::from_ymd_opt(y as i32, m, d)
}

/// The first and last `Created Time` date of the paid lines of a raw Orders export: the days it covers
/// (docs/metrics.md §9).
pub fn raw_orders_span(
    rows: &[HashMap<String, String>],
    day_first: bool,
) -> (chrono::NaiveDate, chrono::NaiveDate) {
    let days: Vec<chrono::NaiveDate> = rows
        .iter()
        .filter(|r| !r["Paid Time"].is_empty())
        .filter_map(|r| raw_date(&r["Created Time"], day_first))
        .collect();
    (*days.iter().min().unwrap(), *days.iter().max().unwrap())
}
