//! The LIVE and video analytics importers (`import::live`, `import::video`; docs/formats.md §4) on the
//! real exports of tests/fixtures/analytics/. Every expected figure was tallied apart from the engine,
//! with python3 (openpyxl for the XLSX files, the `csv` module for the CSV files), and is written here as
//! a literal; each test says how.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{NaiveDate, NaiveDateTime};
use margin_engine::content::{ContentData, DailyStat, LiveSession, StatSource, VideoRow};
use margin_engine::import::{FileData, ImportOptions, ImportedFile, read_any};
use margin_engine::money::Currency;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::error::Error;
use std::path::PathBuf;

type TestResult = Result<(), Box<dyn Error>>;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/analytics")
        .join(name)
}

fn import(name: &str, options: ImportOptions) -> Result<ImportedFile, Box<dyn Error>> {
    Ok(read_any(
        name,
        std::fs::File::open(fixture(name))?,
        options,
    )?)
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

fn sessions(f: &ImportedFile) -> &[LiveSession] {
    match &f.data {
        FileData::Content(ContentData::Live(v)) => v,
        other => panic!("{}: not LIVE sessions: {other:?}", f.report.name),
    }
}

fn days(f: &ImportedFile) -> &[DailyStat] {
    match &f.data {
        FileData::Content(ContentData::Daily(v)) => v,
        other => panic!("{}: not daily stats: {other:?}", f.report.name),
    }
}

fn videos(f: &ImportedFile) -> &[VideoRow] {
    match &f.data {
        FileData::Content(ContentData::Videos(v)) => v,
        other => panic!("{}: not videos: {other:?}", f.report.name),
    }
}

fn currency(code: &str) -> Option<Currency> {
    Currency::from_code(code)
}

/// br_creator_live_performance_20260415235620.xlsx (schema before May 2026). Tallied with openpyxl:
/// row 1 `2026-04-01 ~ 2026-04-15`, header on row 3, rows 4–10 = 7 sessions; Gross revenue
/// (`R$ 5.626,28` read as 5626.28) sums to 48750.97, Direct GMV to 44077.91, Views to 91940, Viewers to
/// 70853; no negative Duration. Row 4: "CONFIRA AS PEÇAS PRINCIPAIS JÁ!!", 2026-04-15 10:06, Duration
/// 14049, R$ 5.626,28 / R$ 5.005,80, 79 items, 62 customers, 70 orders paid for, 9107 views, 7109
/// viewers, 47820 product impressions, 3343 clicks, Avg. view duration 43.
#[test]
fn live_performance_old_schema() -> TestResult {
    let f = import(
        "br_creator_live_performance_20260415235620.xlsx",
        ImportOptions::default(),
    )?;
    let s = sessions(&f);
    assert_eq!(s.len(), 7);
    assert_eq!(f.report.rows, 7);
    assert_eq!(f.report.used_rows, 7);
    assert!(f.report.skipped.is_empty(), "{:?}", f.report.skipped);
    assert_eq!(s.iter().map(|x| x.gmv).sum::<Decimal>(), dec!(48750.97));
    assert_eq!(
        s.iter().filter_map(|x| x.direct_gmv).sum::<Decimal>(),
        dec!(44077.91)
    );
    assert_eq!(s.iter().map(|x| x.views).sum::<i64>(), 91940);
    assert_eq!(s.iter().filter_map(|x| x.viewers).sum::<i64>(), 70853);
    assert!(s.iter().all(|x| !x.running && x.duration_secs.is_some()));

    let first = &s[0];
    assert_eq!(first.title, "CONFIRA AS PEÇAS PRINCIPAIS JÁ!!");
    assert_eq!(first.start, at("2026-04-15 10:06:00"));
    assert_eq!(first.duration_secs, Some(14049));
    assert_eq!(first.gmv, dec!(5626.28));
    assert_eq!(first.direct_gmv, Some(dec!(5005.80)));
    assert_eq!((first.items, first.customers, first.orders), (79, 62, 70));
    assert_eq!((first.views, first.viewers), (9107, Some(7109)));
    assert_eq!(
        (first.product_impressions, first.product_clicks),
        (47820, 3343)
    );
    assert_eq!(first.avg_view_secs, Some(dec!(43)));
    // The old schema has no Ads Cost column: None, never 0.
    assert_eq!(first.ads_cost, None);
    assert_eq!(first.exported_through, Some(day("2026-04-15")));

    assert_eq!(f.report.currency, currency("BRL"));
    assert_eq!(f.report.market.as_deref(), Some("BR"));
    assert!(f.report.evidence.contains("R$"), "{}", f.report.evidence);
    assert_eq!(
        f.report.date_range,
        Some((day("2026-04-01"), day("2026-04-15")))
    );
    Ok(())
}

/// br_creator_live_performance_20260319154159.xlsx (copied from the shared fixture set, 34 KB). Tallied
/// with openpyxl: row 1 `2025-09-20 ~ 2026-03-19`, 170 session rows (4–173), Gross revenue sums to
/// 1108556.38, Views to 2481205; exactly one negative Duration, on row 4 ("Bora Mulher Comprar Calça
/// Jeans", -1773928881, R$ 1.686,71): a LIVE still running when exported.
#[test]
fn live_performance_running_session() -> TestResult {
    let f = import(
        "br_creator_live_performance_20260319154159.xlsx",
        ImportOptions::default(),
    )?;
    let s = sessions(&f);
    assert_eq!(s.len(), 170);
    assert_eq!(s.iter().map(|x| x.gmv).sum::<Decimal>(), dec!(1108556.38));
    assert_eq!(s.iter().map(|x| x.views).sum::<i64>(), 2481205);

    let running: Vec<&LiveSession> = s.iter().filter(|x| x.running).collect();
    assert_eq!(running.len(), 1);
    let r = running[0];
    assert_eq!(r.title, "Bora Mulher Comprar Calça Jeans");
    assert_eq!(r.duration_secs, None);
    assert_eq!(r.gmv, dec!(1686.71));
    assert!(
        s.iter()
            .filter(|x| !x.running)
            .all(|x| x.duration_secs.is_some())
    );

    let w = f
        .report
        .warnings
        .iter()
        .find(|w| w.contains("still running"))
        .expect("a warning about the running LIVE");
    assert!(w.starts_with("row 4, column \"Duration\""), "{w}");
    assert!(w.contains("its duration is not known"), "{w}");
    // A warning, not a skip: the session is kept.
    assert!(f.report.skipped.is_empty(), "{:?}", f.report.skipped);

    assert_eq!(
        f.report.date_range,
        Some((day("2025-09-20"), day("2026-03-19")))
    );
    assert!(
        s.iter()
            .all(|x| x.exported_through == Some(day("2026-03-19")))
    );
    Ok(())
}

/// mx_Creator-Live-Performance_20260604180014.csv (schema after May 2026). Tallied with python's csv:
/// row 1 `2026-05-07 ~ 2026-06-03`, 3 sessions, every Attributed GMV `$0.00`, Views 558 + 271 + 69 =
/// 898; no Viewers, Direct GMV columns; Ads Cost blank; first session 2026-05-22 15:00, Duration 4206,
/// Avg. viewing duration 63.792115, 331 product impressions, 11 clicks.
#[test]
fn live_performance_new_schema() -> TestResult {
    let name = "mx_Creator-Live-Performance_20260604180014.csv";
    let f = import(name, ImportOptions::default())?;
    let s = sessions(&f);
    assert_eq!(s.len(), 3);
    assert_eq!(s.iter().map(|x| x.gmv).sum::<Decimal>(), dec!(0));
    assert_eq!(s.iter().map(|x| x.views).sum::<i64>(), 898);
    assert!(
        s.iter()
            .all(|x| x.viewers.is_none() && x.direct_gmv.is_none() && x.ads_cost.is_none())
    );
    let first = &s[0];
    assert_eq!(first.start, at("2026-05-22 15:00:00"));
    assert_eq!(first.duration_secs, Some(4206));
    assert_eq!(first.avg_view_secs, Some(dec!(63.792115)));
    assert_eq!((first.product_impressions, first.product_clicks), (331, 11));
    assert_eq!(
        f.report.date_range,
        Some((day("2026-05-07"), day("2026-06-03")))
    );
    // `$` alone says no currency: none is assumed, and the evidence says so.
    assert_eq!(f.report.currency, None);
    assert_eq!(f.report.market, None);
    assert!(
        f.report.evidence.contains("\"$\" alone"),
        "{}",
        f.report.evidence
    );

    // With the currency chosen for the file, it is used.
    let options = ImportOptions {
        currency: currency("MXN"),
        ..ImportOptions::default()
    };
    let f = import(name, options)?;
    assert_eq!(f.report.currency, currency("MXN"));
    assert_eq!(f.report.market.as_deref(), Some("MX"));
    Ok(())
}

/// mx_Live_Performance_Core_Stats_20260604172313.csv. Tallied with python's csv: row 1 `Rango de fechas:
/// 2026-05-01 ~ 2026-05-31` (a line break inside the cell), 31 day rows 2026-05-01 … 2026-05-31; 11 days
/// carry figures, the other 20 are blank / `N/A`; Vistas de LIVE of the 11 sum to 1329 (445 on
/// 2026-05-01), Transmisiones LIVE to 4; the GMV column is `GMV atribuido a LIVE (MX$)`.
#[test]
fn live_core_stats() -> TestResult {
    let f = import(
        "mx_Live_Performance_Core_Stats_20260604172313.csv",
        ImportOptions::default(),
    )?;
    let d = days(&f);
    assert_eq!(d.len(), 31);
    assert!(d.iter().all(|x| x.source == StatSource::Live));
    assert_eq!(d.iter().filter_map(|x| x.views).sum::<i64>(), 1329);
    assert_eq!(d.iter().filter(|x| x.views.is_some()).count(), 11);
    assert_eq!(d.iter().filter_map(|x| x.sessions).sum::<i64>(), 4);
    let first = &d[0];
    assert_eq!(first.date, day("2026-05-01"));
    assert_eq!(
        (first.views, first.sessions, first.gmv),
        (Some(445), Some(1), Some(dec!(0)))
    );
    // 2026-05-03 has no LIVE: blank and `N/A` cells are None, never 0.
    let third = &d[2];
    assert_eq!(third.date, day("2026-05-03"));
    assert_eq!((third.views, third.gmv, third.orders), (None, None, None));
    // Figures the export has no column for.
    assert!(
        d.iter()
            .all(|x| x.refunds.is_none() && x.page_views.is_none() && x.visitors.is_none())
    );
    assert_eq!(f.report.currency, currency("MXN"));
    assert!(f.report.evidence.contains("(MX$)"), "{}", f.report.evidence);
    assert_eq!(
        f.report.date_range,
        Some((day("2026-05-01"), day("2026-05-31")))
    );
    assert!(
        f.report
            .used_columns
            .iter()
            .any(|c| c == "GMV atribuido a LIVE (MX$)")
    );
    Ok(())
}

/// mx_Video_Performance_Core_Stats_20260604172700.csv. Tallied with python's csv: 31 day rows
/// 2026-05-01 … 2026-05-31, VV sums to 57095, Impresiones de productos to 55839, Clics de productos to
/// 887, Espectadores de productos de videos to 42175; 1174 VV on 2026-05-01.
#[test]
fn video_core_stats() -> TestResult {
    let f = import(
        "mx_Video_Performance_Core_Stats_20260604172700.csv",
        ImportOptions::default(),
    )?;
    let d = days(&f);
    assert_eq!(d.len(), 31);
    assert!(d.iter().all(|x| x.source == StatSource::Video));
    assert_eq!(d.iter().filter_map(|x| x.views).sum::<i64>(), 57095);
    assert_eq!(d.iter().filter_map(|x| x.impressions).sum::<i64>(), 55839);
    assert_eq!(d.iter().filter_map(|x| x.clicks).sum::<i64>(), 887);
    assert_eq!(d.iter().filter_map(|x| x.visitors).sum::<i64>(), 42175);
    assert_eq!((d[0].date, d[0].views), (day("2026-05-01"), Some(1174)));
    assert!(d.iter().all(|x| x.sessions.is_none() && x.items.is_none()));
    assert_eq!(f.report.currency, currency("MXN"));
    assert_eq!(
        f.report.date_range,
        Some((day("2026-05-01"), day("2026-05-31")))
    );
    Ok(())
}

/// mx_Video_Performance_List_20260604172857.csv. Tallied with python's csv: 22 video rows, VV sums to
/// 56624; the first is video 7646166143702453524 posted 2026/05/31 15:09:53 with 272 VV, product
/// `…Moda Urbana Casual(1735523101213165258)`, 248 impressions, 4 clicks, `Clientes únicos` blank; video
/// 7642525376928894228 has an empty `Productos`.
#[test]
fn video_list() -> TestResult {
    let f = import(
        "mx_Video_Performance_List_20260604172857.csv",
        ImportOptions::default(),
    )?;
    let v = videos(&f);
    assert_eq!(v.len(), 22);
    assert!(f.report.skipped.is_empty(), "{:?}", f.report.skipped);
    assert_eq!(v.iter().map(|x| x.views).sum::<i64>(), 56624);
    let first = &v[0];
    assert_eq!(first.video_id, "7646166143702453524");
    assert_eq!(first.creator, "goyostoremx");
    assert_eq!(first.creator_id, "7241715178701194245");
    assert_eq!(first.posted, Some(at("2026-05-31 15:09:53")));
    assert_eq!(first.product_ids, vec!["1735523101213165258".to_string()]);
    assert_eq!(
        (first.views, first.product_impressions, first.product_clicks),
        (272, 248, 4)
    );
    assert_eq!(first.customers, None);
    assert_eq!((first.gmv, first.direct_gmv), (dec!(0), Some(dec!(0))));
    assert_eq!(first.exported_through, Some(day("2026-05-31")));
    let no_products = v
        .iter()
        .find(|x| x.video_id == "7642525376928894228")
        .expect("the video without products");
    assert!(no_products.product_ids.is_empty());
    assert_eq!(f.report.currency, currency("MXN"));
    assert_eq!(
        f.report.date_range,
        Some((day("2026-05-01"), day("2026-05-31")))
    );
    Ok(())
}

fn read_text(name: &str, text: &str, options: ImportOptions) -> ImportedFile {
    read_any(name, text.as_bytes(), options).unwrap_or_else(|e| panic!("{e}"))
}

/// Headers in other spellings than the fixtures': Portuguese video core stats (currency `(R$)` in the
/// headers), an English video list with two products in one cell, and the newer LIVE schema's names in
/// English with `R$` amounts. No period anywhere: the date range is the rows' days.
#[test]
fn alias_headers() {
    let pt = "Hora,GMV atribuído ao vídeo (R$),VV,Pedidos de SKU atribuídos,Média de clientes diários,\
              Impressões de produtos,Cliques em produtos\n\
              2026-04-01,\"1.234,50\",1000,3,2,900,40\n\
              2026-04-02,\"10,00\",500,1,1,450,20\n";
    let f = read_text("video_core.csv", pt, ImportOptions::default());
    let d = days(&f);
    assert_eq!(d.len(), 2);
    assert_eq!(d[0].gmv, Some(dec!(1234.50)));
    assert_eq!(d.iter().filter_map(|x| x.views).sum::<i64>(), 1500);
    assert_eq!(
        (d[0].orders, d[0].customers, d[0].impressions, d[0].clicks),
        (Some(3), Some(2), Some(900), Some(40))
    );
    assert_eq!(f.report.currency, currency("BRL"));
    assert_eq!(
        f.report.date_range,
        Some((day("2026-04-01"), day("2026-04-02")))
    );

    let en = "Creator name,Creator ID,Video ID,Video info,Time,Products,VV,Product impressions,Product clicks,\
              Unique customers,Attributed SKU orders,Attributed items sold,Attributed GMV,Video GMV\n\
              shop,7241715178701194245,7646166143702453524,hello,2026/05/31 15:09:53,\
              \"Tee (2 pack)(1735523101213165258), Jacket(1734968662395619018)\",2500000,10,2,1,1,2,$12.50,$10.00\n";
    let options = ImportOptions {
        currency: currency("USD"),
        ..ImportOptions::default()
    };
    let f = read_text("videos.csv", en, options);
    let v = videos(&f);
    assert_eq!(v.len(), 1);
    assert_eq!(
        v[0].product_ids,
        vec![
            "1735523101213165258".to_string(),
            "1734968662395619018".to_string()
        ]
    );
    // More than a million views: still read.
    assert_eq!(v[0].views, 2_500_000);
    assert_eq!(
        (v[0].gmv, v[0].direct_gmv),
        (dec!(12.50), Some(dec!(10.00)))
    );
    assert_eq!(v[0].customers, Some(1));
    assert_eq!(f.report.currency, currency("USD"));

    let live = "Livestream,Start time,Duration,Attributed GMV,Attributed items sold,Customers,\
                Attributed SKU orders,Views,Product impressions,Product clicks,Avg. viewing duration,Ads Cost\n\
                Live,2026-05-22 15:00,3600,\"R$ 1.686,71\",23,21,22,6252,30862,1423,1min 5sec,\"R$ 10,00\"\n";
    let f = read_text("live.csv", live, ImportOptions::default());
    let s = sessions(&f);
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].gmv, dec!(1686.71));
    assert_eq!((s[0].items, s[0].orders), (23, 22));
    assert_eq!(s[0].avg_view_secs, Some(dec!(65)));
    assert_eq!(s[0].ads_cost, Some(dec!(10.00)));
    assert_eq!(s[0].exported_through, None);
    assert_eq!(f.report.currency, currency("BRL"));
    assert_eq!(
        f.report.date_range,
        Some((day("2026-05-22"), day("2026-05-22")))
    );
}

/// A bad cell skips its row, and the report names the row and the column; a totals row and a blank row
/// are skipped with their own reasons; the other rows are read.
#[test]
fn bad_cell_is_skipped_with_row_and_column() {
    let csv = "2026-04-01 ~ 2026-04-15\n\
               Livestream,Start time,Duration,Gross revenue,Items sold,Customers,Orders paid for,Views,\
               Viewers,Product impressions,Product clicks\n\
               A,2026-04-15 10:06,100,\"R$ 5,00\",1,1,1,abc,5,10,1\n\
               B,2026-04-14 10:06,100,\"R$ 7,00\",1,1,1,20,5,10,1\n\
               ,,,,,,,,,,\n\
               Total,,,\"R$ 12,00\",2,2,2,,,,\n";
    let f = read_text("live.csv", csv, ImportOptions::default());
    let s = sessions(&f);
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].title, "B");
    assert_eq!(f.report.rows, 4);
    assert_eq!(f.report.used_rows, 1);
    let count = |reason: &str| {
        f.report
            .skipped
            .iter()
            .find(|x| x.reason == reason)
            .map_or(0, |x| x.count)
    };
    assert_eq!(count("unreadable value"), 1);
    assert_eq!(count("empty row"), 1);
    assert_eq!(count("total row"), 1);
    assert!(
        f.report
            .warnings
            .iter()
            .any(|w| w.starts_with("row 3, column \"Views\"") && w.contains("\"abc\"")),
        "{:?}",
        f.report.warnings
    );
    assert_eq!(
        f.report.date_range,
        Some((day("2026-04-01"), day("2026-04-15")))
    );
}
