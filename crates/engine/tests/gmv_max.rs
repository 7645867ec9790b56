//! GMV Max's detail exports (docs/formats.md §4) and product-level ad spend (docs/metrics.md §3, §6):
//! the creatives of product campaigns and the LIVE campaigns read from the real fixtures, with the
//! expected values tallied from the files independently (python3 + openpyxl, the commands in the
//! comments); a SKU's attributed spend, unmapped spend, the period's share of an undated export and a
//! LIVE campaign joined to its session in hand-made cases worked out by hand.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use margin_engine::costs::CostsTable;
use margin_engine::gmv_max::GmvMaxData;
use margin_engine::import::{ExportKind, FileData, ImportOptions, ImportedFile, read_any};
use margin_engine::metrics::AdsSource;
use margin_engine::money::Currency;
use margin_engine::report::{self, Report, SkuEntry};
use margin_engine::settings::Settings;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde_json::Value;

const CREATIVES: &str = "br_gmv_max_creative_data_for_product_campaigns_2026-03-20.xlsx";
const LIVE: &str = "vn_gmv_max_livestream_data_for_live_campaigns.xlsx";

fn fixture(name: &str) -> ImportedFile {
    let bytes = common::fixture_bytes("analytics", name);
    read_any(name, bytes.as_slice(), ImportOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn csv(name: &str, text: &str) -> ImportedFile {
    let usd = ImportOptions {
        currency: Some(Currency::USD),
        ..ImportOptions::default()
    };
    read_any(name, text.as_bytes(), usd).unwrap_or_else(|e| panic!("{e}"))
}

/// No fees, shipping or fulfilment: the hand-made cases check ad spend alone.
fn plain_settings() -> Settings {
    Settings {
        fee_rules: Vec::new(),
        shipping_per_order: Decimal::ZERO,
        fulfillment_per_unit: Decimal::ZERO,
        fulfillment_per_order: Decimal::ZERO,
        ..Settings::default()
    }
}

fn json(r: &Report) -> Value {
    serde_json::to_value(r).unwrap()
}

/// Tallied with:
/// ```text
/// ws = openpyxl.load_workbook(f, read_only=True).worksheets[0]; ws.reset_dimensions()
/// for r in rows[1:]: per[r['ID do produto']] += Decimal(r['Custo']), int(r['Pedidos de SKU']), Decimal(r['Receita bruta'])
/// ```
/// 7,487 rows, 65 product IDs (one of them `N/A`), Σ Custo 479.100, Σ Pedidos de SKU 24, Σ Receita bruta
/// 1,997.740; the largest products:
/// 1731763836201109087 327.580 / 22 / 1,807.940; 1733537963414488671 95.990 / 1 / 94.900;
/// 1733690547643385439 21.080 / 1 / 94.900; 1734314781918922335 12.270 / 0 / 0.000; `N/A` 0.050 / 0 / 0.
#[test]
fn the_creatives_export_is_read_and_by_product_is_the_files_sum_per_product_id() {
    let f = fixture(CREATIVES);
    assert_eq!(f.report.kind, ExportKind::GmvMaxCreatives);
    assert_eq!(f.report.currency, Currency::from_code("BRL"));
    assert_eq!((f.report.rows, f.report.used_rows), (7487, 7487));
    // The rows state no date and the file name only the export day: no span of days.
    assert_eq!(f.report.date_range, None);
    assert!(
        f.report.evidence.contains("exported on 2026-03-20"),
        "{}",
        f.report.evidence
    );
    let FileData::GmvMax(GmvMaxData::Creatives(c)) = &f.data else {
        panic!("{:?}", f.data)
    };
    assert_eq!(c.window, None);
    assert_eq!(c.exported_on, chrono::NaiveDate::from_ymd_opt(2026, 3, 20));
    // `77.470` is 77.47 (a three-decimal point), never 77,470.
    assert_eq!(c.rows[0].cost, dec!(77.470));

    let (r, a) = report::build(&[f], &CostsTable::default(), None, None).unwrap();
    assert_eq!(a.ads_source, AdsSource::GmvMaxDetail);
    let by = &r.ads.detail.by_product;
    assert_eq!(by.len(), 65);
    let product = |id: &str| by.iter().find(|p| p.product_id == id).unwrap();
    let p = product("1731763836201109087");
    assert_eq!(
        (p.cost.as_str(), p.sku_orders, p.gross_revenue.as_deref()),
        ("327.58", 22, Some("1807.94"))
    );
    // 1,807.940 / 327.580 = 5.519…
    assert_eq!(p.reported_roas.as_deref(), Some("5.52"));
    assert_eq!(by[0].product_id, "1731763836201109087", "ranked by cost");
    let p = product("1733537963414488671");
    assert_eq!((p.cost.as_str(), p.sku_orders), ("95.99", 1));
    assert_eq!(product("1733690547643385439").cost, "21.08");
    assert_eq!(product("1734314781918922335").cost, "12.27");
    // The rows whose product ID is `N/A`.
    assert_eq!(product("").cost, "0.05");
    let total: Decimal = by.iter().map(|p| p.cost.parse::<Decimal>().unwrap()).sum();
    assert_eq!(total, dec!(479.10));
    assert_eq!(by.iter().map(|p| p.sku_orders).sum::<i64>(), 24);
    // No order line is loaded: every product is unmapped, the whole spend is spread (over nothing).
    assert_eq!(r.ads.ad_spend, "479.10");
    assert_eq!(r.ads.detail.product_spend.as_deref(), Some("479.10"));
    assert_eq!(r.ads.detail.unmapped_spend, "479.10");
    assert_eq!(r.ads.detail.attributed_spend, "0.00");
    // 1,997.740 / 479.100 = 4.1698…
    assert_eq!(r.ads.reported_roas.as_deref(), Some("4.17"));
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("maps to no loaded SKU")),
        "{:?}",
        r.warnings
    );
}

/// Tallied with openpyxl as above: 59 rows; Σ Cost 70,068,541.000 VND; Σ Gross revenue (Current shop)
/// 694,520,019.292; Σ SKU orders (Current shop) 7,887; Σ LIVE views 89,710; launched 2026-04-07 19:28:30 to 2026-05-11 12:51:41.
/// The first row: `Mega Live 4/5`, launched 2026-05-05 07:11:37, cost 9,536,465.000, net cost 9,536,007.000.
#[test]
fn the_live_campaigns_export_is_read_with_launched_times() {
    let f = fixture(LIVE);
    assert_eq!(f.report.kind, ExportKind::GmvMaxLive);
    assert_eq!(f.report.currency, Currency::from_code("VND"));
    assert_eq!((f.report.rows, f.report.used_rows), (59, 59));
    let d = |m, day| chrono::NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    assert_eq!(f.report.date_range, Some((d(4, 7), d(5, 11))));
    let FileData::GmvMax(GmvMaxData::LiveCampaigns(rows)) = &f.data else {
        panic!("{:?}", f.data)
    };
    let first = &rows[0];
    assert_eq!(first.live_name, "Mega Live 4/5");
    assert_eq!(first.launched.to_string(), "2026-05-05 07:11:37");
    assert_eq!(
        (first.cost, first.net_cost, first.sku_orders),
        (dec!(9536465), Some(dec!(9536007)), Some(1013))
    );
    assert_eq!(rows.iter().map(|r| r.cost).sum::<Decimal>(), dec!(70068541));
    assert_eq!(
        rows.iter().filter_map(|r| r.gross_revenue).sum::<Decimal>(),
        dec!(694520019.292)
    );
    assert_eq!(rows.iter().filter_map(|r| r.sku_orders).sum::<i64>(), 7887);
    // `LIVE views`: 10,655 on the first row, 89,710 over the 59 (openpyxl).
    assert_eq!(first.live_views, Some(10655));
    assert_eq!(rows.iter().filter_map(|r| r.live_views).sum::<i64>(), 89710);

    // Alone, it is the spend: its cost on each launch day. No LIVE session is loaded: all unmatched.
    let (r, _) = report::build(&[f], &CostsTable::default(), None, None).unwrap();
    assert_eq!(r.ads.ad_spend, "70068541");
    assert_eq!(r.ads.detail.live_campaigns.len(), 59);
    // GMV Max's own cost per order: 70,068,541 ÷ 7,887 = 8,884.05… → 8884 (VND has no minor unit).
    assert_eq!(r.ads.detail.gmv_max_cpo.as_deref(), Some("8884"));
    assert_eq!(
        r.ads.detail.live_unmatched_cost.as_deref(),
        Some("70068541")
    );
    assert!(
        r.ads
            .detail
            .live_campaigns
            .iter()
            .all(|c| c.session.is_none())
    );
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("Creator LIVE Performance")),
        "{:?}",
        r.warnings
    );
}

/// Two products and a third the loaded exports do not pair with a SKU, on two days:
///
/// | order | day | SKU | net sales | product |
/// |---|---|---|---|---|
/// | …01 | 1 May | 111 | 60.00 | 1001 (Affiliate row) |
/// | …02 | 1 May | 222 | 20.00 | 1001 (Affiliate row) |
/// | …03 | 1 May | 333 | 20.00 | 2002 (costs sheet `product_id`) |
/// | …04 | 2 May | 222 | 40.00 | |
/// | …05 | 2 May | 333 | 60.00 | |
///
/// Creatives (file named with its export day only: its window is the orders' span, 1–2 May): 1001 costs
/// 24.00 + 6.00 = 30.00, 2002 10.00, 3003 5.00 (no SKU), a row without product ID 1.00 — 46.00 in all.
const ORDERS: &str = "Order ID,Order Status,SKU ID,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n\
576000000000000001,Shipped,111,1,60.00,0,05/01/2026 10:00:00 AM,05/01/2026 10:00:10 AM\n\
576000000000000002,Shipped,222,1,20.00,0,05/01/2026 11:00:00 AM,05/01/2026 11:00:10 AM\n\
576000000000000003,Shipped,333,1,20.00,0,05/01/2026 12:00:00 PM,05/01/2026 12:00:10 PM\n\
576000000000000004,Shipped,222,1,40.00,0,05/02/2026 10:00:00 AM,05/02/2026 10:00:10 AM\n\
576000000000000005,Shipped,333,1,60.00,0,05/02/2026 11:00:00 AM,05/02/2026 11:00:10 AM\n";

const AFFILIATE: &str = "Order ID,Product ID,SKU ID,Quantity,Order Status,Creator Username,Content Type,\
Est. Commission Base,Est. standard commission payment,Time Created\n\
576000000000000001,1001,111,1,Pending,creator_a,Video,60.00,0,01/05/2026 10:00:00\n\
576000000000000002,1001,222,1,Pending,creator_a,Video,20.00,0,01/05/2026 11:00:00\n";

const COSTS: &str = "sku,unit_cost,product_id\n333,5.00,2002\n";

const CREATIVES_CSV: &str = "Campaign name,Campaign ID,Product ID,Creative type,Video ID,Cost,SKU orders,Gross revenue,Currency\n\
Spring,900,1001,Video,71,24.00,3,150.00,USD\n\
Spring,900,1001,Product card,N/A,6.00,1,40.00,USD\n\
Spring,900,2002,Video,72,10.00,2,90.00,USD\n\
Spring,900,3003,Video,73,5.00,0,0.00,USD\n\
Spring,900,N/A,Video,74,1.00,0,0.00,USD\n";

fn hand_made(extra: &[ImportedFile]) -> Vec<ImportedFile> {
    let mut files = vec![
        csv("orders.csv", ORDERS),
        csv("affiliate.csv", AFFILIATE),
        csv("costs.csv", COSTS),
        csv("creatives_2026-05-03.csv", CREATIVES_CSV),
    ];
    files.extend(extra.iter().cloned());
    files
}

fn sku<'r>(r: &'r Report, id: &str) -> &'r SkuEntry {
    r.skus.iter().find(|s| s.sku_id == id).unwrap()
}

/// (ad_spend, attributed, spread) of a SKU as the report writes them.
fn split(r: &Report, id: &str) -> (String, String, String) {
    let f = &sku(r, id).figures;
    (
        f.ad_spend.clone(),
        f.ad_spend_attributed.clone(),
        f.ad_spend_spread.clone(),
    )
}

fn s3(a: &str, b: &str, c: &str) -> (String, String, String) {
    (a.to_string(), b.to_string(), c.to_string())
}

/// Without a daily source the detail exports are the spend (46.00):
/// - 1001's 30.00 to its SKUs by net sales within the product (111: 60, 222: 20 + 40 = 60 of 120):
///   111 15.00, 222 15.00;
/// - 2002's 10.00 to 333;
/// - the unmapped 5.00 + 1.00 = 6.00 by the period's net sales (200.00): 111 60/200 → 1.80,
///   222 60/200 → 1.80, 333 80/200 → 2.40.
///
/// 111: 15.00 attributed + 1.80 spread = 16.80; 222: 15.00 + 1.80 = 16.80; 333: 10.00 + 2.40 = 12.40.
#[test]
fn a_products_spend_is_charged_to_its_skus_and_unmapped_spend_is_spread() {
    let (r, _) = report::build_with_settings(
        &hand_made(&[]),
        &CostsTable::default(),
        &plain_settings(),
        None,
        None,
    )
    .unwrap();
    assert_eq!(r.ads.source, AdsSource::GmvMaxDetail);
    assert_eq!(split(&r, "111"), s3("16.80", "15.00", "1.80"));
    assert_eq!(split(&r, "222"), s3("16.80", "15.00", "1.80"));
    assert_eq!(split(&r, "333"), s3("12.40", "10.00", "2.40"));
    assert_eq!(
        (
            r.totals.ad_spend.as_str(),
            r.totals.ad_spend_attributed.as_str(),
            r.totals.ad_spend_spread.as_str()
        ),
        ("46.00", "40.00", "6.00")
    );
    let d = &r.ads.detail;
    assert_eq!(r.ads.ad_spend, "46.00");
    assert_eq!(
        (
            d.product_spend.as_deref(),
            d.attributed_spend.as_str(),
            d.unmapped_spend.as_str(),
            d.uncharged_spend.as_str(),
            d.spread_spend.as_str()
        ),
        (Some("46.00"), "40.00", "6.00", "0.00", "6.00")
    );
    // GMV Max's own cost per order: 46.00 of cost over the SKU orders it reports, 3 + 1 + 2 + 0 + 0 = 6:
    // 7.666… → 7.67 (the blended CPO divides by every order of the shop instead).
    assert_eq!(d.gmv_max_cpo.as_deref(), Some("7.67"));
    let p = d
        .by_product
        .iter()
        .find(|p| p.product_id == "1001")
        .unwrap();
    assert_eq!(p.skus, ["111", "222"]);
    // 150.00 + 40.00 = 190.00 over 30.00 = 6.333…
    assert_eq!(
        (
            p.cost.as_str(),
            p.sku_orders,
            p.gross_revenue.as_deref(),
            p.reported_roas.as_deref(),
            p.attributed.as_str()
        ),
        ("30.00", 4, Some("190.00"), Some("6.33"), "30.00")
    );
    let p = d
        .by_product
        .iter()
        .find(|p| p.product_id == "2002")
        .unwrap();
    assert_eq!(p.skus, ["333"], "through the costs sheet's product_id");
    assert!(
        d.by_product
            .iter()
            .find(|p| p.product_id == "3003")
            .unwrap()
            .skus
            .is_empty()
    );
    // 280.00 reported over 46.00 = 6.086…
    assert_eq!(r.ads.reported_roas.as_deref(), Some("6.09"));
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("$6.00") && w.contains("maps to no loaded SKU")),
        "{:?}",
        r.warnings
    );
    // The JSON: `ads.by_product` and each SKU's pair of figures.
    let j = json(&r);
    assert_eq!(j["ads"]["by_product"][0]["product_id"], "1001");
    assert_eq!(j["ads"]["unmapped_spend"], "6.00");
    let s = j["skus"].as_array().unwrap();
    let s111 = s.iter().find(|s| s["sku_id"] == "111").unwrap();
    assert_eq!(
        (&s111["ad_spend_attributed"], &s111["ad_spend_spread"]),
        (&Value::from("15.00"), &Value::from("1.80"))
    );
}

/// With a GMV Max campaign overview (the daily source: 30.00 on 1 May, 30.00 on 2 May = 60.00), the
/// product charges (30.00 + 10.00 = 40.00) are carved out of it and each day keeps
/// 30.00 × (60 − 40) / 60 = 10.00, spread by that day's net sales:
/// - 1 May (100.00): 111 6.00, 222 2.00, 333 2.00;
/// - 2 May (100.00): 222 4.00, 333 6.00.
///
/// 111: 15.00 + 6.00 = 21.00; 222: 15.00 + 6.00 = 21.00; 333: 10.00 + 8.00 = 18.00; total 60.00.
#[test]
fn with_a_daily_source_the_product_charges_are_carved_out_of_its_total() {
    let overview = csv(
        "Campaign overview data 20260501 - 20260502.csv",
        "By Day,Cost,SKU orders (Current shop),Cost per order (Current shop),Gross revenue (Current shop),ROI (Current shop),Currency\n\
2026-05-01,30.00,3,10.00,150.00,5.00,USD\n2026-05-02,30.00,3,10.00,150.00,5.00,USD\n-,60.00,6,10.00,300.00,5.00,USD\n",
    );
    let (r, _) = report::build_with_settings(
        &hand_made(&[overview]),
        &CostsTable::default(),
        &plain_settings(),
        None,
        None,
    )
    .unwrap();
    assert_eq!(r.ads.source, AdsSource::AdsExports);
    assert_eq!(split(&r, "111"), s3("21.00", "15.00", "6.00"));
    assert_eq!(split(&r, "222"), s3("21.00", "15.00", "6.00"));
    assert_eq!(split(&r, "333"), s3("18.00", "10.00", "8.00"));
    assert_eq!(r.totals.ad_spend, "60.00");
    assert_eq!(r.ads.ad_spend, "60.00");
    assert_eq!(r.ads.detail.attributed_spend, "40.00");
    assert_eq!(r.ads.detail.spread_spend, "20.00");
    // The unmapped 6.00 is inside the daily total: spread with the rest.
    assert_eq!(r.ads.detail.unmapped_spend, "6.00");
    // The daily source's reported revenue, as before: 300.00 / 60.00.
    assert_eq!(r.ads.reported_roas.as_deref(), Some("5.00"));

    // A daily total below the product charges (10.00 + 10.00 = 20.00 < 40.00): they are scaled down to
    // it (1001: 30 × 20/40 = 15.00, 2002: 5.00) and nothing is left to spread.
    let small = csv(
        "overview_small.csv",
        "By Day,Cost,Currency\n2026-05-01,10.00,USD\n2026-05-02,10.00,USD\n",
    );
    let (r, a) = report::build_with_settings(
        &hand_made(&[small]),
        &CostsTable::default(),
        &plain_settings(),
        None,
        None,
    )
    .unwrap();
    assert!(a.product_ads.capped);
    assert_eq!(r.totals.ad_spend, "20.00");
    assert_eq!(split(&r, "111"), s3("7.50", "7.50", "0.00"));
    assert_eq!(split(&r, "333"), s3("5.00", "5.00", "0.00"));
    assert!(
        r.warnings.iter().any(|w| w.contains("scaled down")),
        "{:?}",
        r.warnings
    );
}

/// A period of 2 May alone: the creatives' window (the orders' span, 1–2 May) is two days, the period
/// one: it counts half of each product's cost, pro rata by days. 1001: 15.00 to 222 (the only SKU of the
/// product with net sales that day); 2002: 5.00 to 333; the unmapped 3.00 by that day's net sales
/// (222 40/100 → 1.20, 333 60/100 → 1.80). Total 23.00.
#[test]
fn an_undated_export_meets_a_shorter_period_pro_rata_by_days() {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 5, 2).unwrap();
    let (r, _) = report::build_with_settings(
        &hand_made(&[]),
        &CostsTable::default(),
        &plain_settings(),
        None,
        Some((day, day)),
    )
    .unwrap();
    assert_eq!(split(&r, "222"), s3("16.20", "15.00", "1.20"));
    assert_eq!(split(&r, "333"), s3("6.80", "5.00", "1.80"));
    assert_eq!(r.totals.ad_spend, "23.00");
    let w = &r.ads.detail.product_spend_windows;
    assert_eq!(w.len(), 1);
    assert_eq!((w[0].stated, w[0].share.as_str()), (false, "0.5000"));
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("pro rata by days") && w.contains("50.00%")),
        "{:?}",
        r.warnings
    );
    // By product: the cost as reported, the period's part and what was charged.
    let p = r
        .ads
        .detail
        .by_product
        .iter()
        .find(|p| p.product_id == "1001")
        .unwrap();
    assert_eq!(
        (
            p.cost.as_str(),
            p.period_cost.as_str(),
            p.attributed.as_str()
        ),
        ("30.00", "15.00", "15.00")
    );
}

/// A file name stating its window (`… 2026-05-01 00 ~ 2026-05-04 23`): the spend is over four days, of
/// which the loaded orders' two are half.
#[test]
fn a_window_stated_in_the_file_name_is_the_creatives_coverage() {
    let f = csv(
        "creative data for product campaigns 2026-05-01 00 ~ 2026-05-04 23.csv",
        CREATIVES_CSV,
    );
    let d = |day| chrono::NaiveDate::from_ymd_opt(2026, 5, day).unwrap();
    assert_eq!(f.report.date_range, Some((d(1), d(4))));
    let mut files = hand_made(&[]);
    files.pop();
    files.push(f);
    let (r, _) = report::build_with_settings(
        &files,
        &CostsTable::default(),
        &plain_settings(),
        None,
        Some((d(1), d(2))),
    )
    .unwrap();
    // Half of 46.00.
    assert_eq!(r.totals.ad_spend, "23.00");
    let w = &r.ads.detail.product_spend_windows;
    assert_eq!((w[0].stated, w[0].share.as_str()), (true, "0.5000"));
    // Not in `coverage.ads`: a file of one campaign type says nothing of the days' whole spend.
    assert!(
        r.coverage
            .get(margin_engine::coverage::DataKind::Ads)
            .is_none()
    );
}

/// The morning LIVE of content_pnl.rs (10:06 for an hour, GMV 300.00, CM1 margin 100/150 → CM1 200.00,
/// host 20.00): two LIVE campaigns launched at 10:06:40 (12.50) and 10:30 (7.50) fall within it and join
/// it: its ads cost is 20.00 and its estimated profit 200.00 − 20.00 − 20.00 = 160.00. One launched at
/// 21:00, when no session runs (the evening one ended at 20:30), is unmatched: 5.00.
#[test]
fn a_live_campaigns_cost_joins_the_session_its_launch_falls_in() {
    let orders = "Order ID,Order Status,SKU ID,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n\
576000000000000001,Shipped,1001,1,100.00,0,05/10/2026 10:05:00 AM,05/10/2026 10:05:10 AM\n\
576000000000000002,Shipped,1002,1,50.00,0,05/10/2026 10:30:00 AM,05/10/2026 10:30:10 AM\n";
    let live = "2026-05-01 ~ 2026-05-31\n\n\
Livestream,Start time,Duration,Gross revenue,Direct GMV,Items sold,Customers,Avg. price,Orders paid for,\
GMV/1K shows,GMV/1K views,Views,Viewers,Peak viewers,New followers,Avg. view duration,Likes,Comments,Shares,\
Product impressions,Product clicks,CTR,CTOR (SKU orders)\n\
Morning,2026-05-10 10:06,3600,$300.00,$300.00,2,2,$150.00,2,$0.00,$0.00,1000,800,50,0,60,0,0,0,500,40,0.08,0.05\n\
Evening,2026-05-10 20:00,1800,$10.00,$10.00,1,1,$10.00,1,$0.00,$0.00,100,80,5,0,30,0,0,0,50,4,0.08,0.25\n";
    let campaigns = "LIVE name,Launched time,Status,Campaign name,Campaign ID,Cost,Net Cost,SKU orders,\
SKU orders (Current shop),Gross revenue,Gross revenue (Current shop),LIVE views,Currency\n\
Morning,2026-05-10 10:06:40,Ended,LGM,555,12.50,12.00,3,3,80.00,80.00,500,USD\n\
Morning,2026-05-10 10:30:00,Ended,LGM,555,7.50,7.50,1,1,20.00,20.00,100,USD\n\
Late show,2026-05-10 21:00:00,Ended,LGM,555,5.00,5.00,0,0,0.00,0.00,10,USD\n";
    let files = vec![
        csv("orders.csv", orders),
        csv("live.csv", live),
        csv("live_campaigns.csv", campaigns),
    ];
    let costs =
        CostsTable::read("costs.csv", &b"sku,unit_cost\n1001,40.00\n1002,10.00\n"[..]).unwrap();
    let settings = Settings {
        live_host_cost_per_hour: Decimal::from(20),
        ..plain_settings()
    };
    let (r, _) = report::build_with_settings(&files, &costs, &settings, None, None).unwrap();
    let morning = &r.live_sessions[0];
    let e = morning.estimate.as_ref().expect("an estimate");
    assert_eq!(
        (e.ads_cost.as_deref(), e.profit.as_str()),
        (Some("20.00"), "160.00")
    );
    let c = &r.ads.detail.live_campaigns;
    assert_eq!(c.len(), 3);
    let joined: Vec<Option<&str>> = c
        .iter()
        .map(|c| c.session.as_ref().map(|s| s.title.as_str()))
        .collect();
    assert_eq!(joined, [Some("Morning"), Some("Morning"), None]);
    assert_eq!(
        c[0].session.as_ref().unwrap().start.to_string(),
        "2026-05-10 10:06:00"
    );
    assert_eq!(r.ads.detail.live_unmatched_cost.as_deref(), Some("5.00"));
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("no loaded LIVE session holds")),
        "{:?}",
        r.warnings
    );
    // No daily source: the LIVE campaigns are the spend, 25.00 on 10 May.
    assert_eq!(r.ads.ad_spend, "25.00");
    assert_eq!(r.totals.ad_spend, "25.00");
}

/// The Portuguese and Vietnamese UIs (the currency may stand in a header), and English.
#[test]
fn localised_creatives_headers_are_read() {
    for (header, row, currency) in [
        (
            "Nome da campanha,ID da campanha,ID do produto,Tipo de criativo,Título do vídeo,ID do vídeo,Conta TikTok,Custo,Pedidos de SKU,Receita bruta,Moeda",
            "a,1,2,Vídeo,t,3,c,77.470,4,332.400,BRL",
            "BRL",
        ),
        (
            "Tên chiến dịch,ID chiến dịch,ID sản phẩm,Loại nội dung sáng tạo,ID video,Chi phí (VND),Số lượng đơn hàng SKU,Doanh thu gộp (VND)",
            "a,1,2,Video,3,77.470,4,332.400",
            "VND",
        ),
        (
            "Nama kampanye,ID Campaign,ID produk,Jenis materi iklan,ID video,Biaya,Pesanan SKU,Pendapatan kotor,Mata uang",
            "a,1,2,Video,3,77.470,4,332.400,IDR",
            "IDR",
        ),
        (
            "Campaign ID,Product ID,Video ID,TikTok account,Cost,SKU orders,Cost per order,Gross revenue,ROI,Currency",
            "1,2,3,x,77.470,4,19.368,332.400,4.29,USD",
            "USD",
        ),
    ] {
        let text = format!("{header}\n{row}\n");
        let f = read_any("creatives.csv", text.as_bytes(), ImportOptions::default())
            .unwrap_or_else(|e| panic!("{header}: {e}"));
        assert_eq!(f.report.kind, ExportKind::GmvMaxCreatives, "{header}");
        assert_eq!(f.report.currency, Currency::from_code(currency), "{header}");
        let FileData::GmvMax(GmvMaxData::Creatives(c)) = &f.data else {
            panic!("{header}")
        };
        let r = &c.rows[0];
        assert_eq!(
            (r.product_id.as_str(), r.cost, r.sku_orders, r.gross_revenue),
            ("2", dec!(77.470), Some(4), Some(dec!(332.400))),
            "{header}"
        );
    }
}

/// A bad cell names its file, row and column; an ID a spreadsheet rewrote is refused the same way.
#[test]
fn bad_cells_name_the_row_and_column() {
    let text = "Campaign ID,Product ID,Video ID,Cost,SKU orders,Gross revenue\n\
1,2,3,abc,1,2.00\n\
1,1.73E+18,4,1.00,1,2.00\n\
1,5,6,1.00,1,2.00\n";
    let f = read_any("creatives.csv", text.as_bytes(), ImportOptions::default()).unwrap();
    assert_eq!((f.report.rows, f.report.used_rows), (3, 1));
    let w = f.report.warnings.join(" | ");
    assert!(w.contains("row 2, column \"Cost\""), "{w}");
    assert!(w.contains("row 3, column \"Product ID\""), "{w}");
}

/// The Affiliate export's `Product ID` and the costs sheet's optional `product_id` are read.
#[test]
fn product_ids_are_read_from_the_affiliate_export_and_the_costs_sheet() {
    let f = csv("affiliate.csv", AFFILIATE);
    let FileData::Affiliate(rows) = &f.data else {
        panic!()
    };
    assert_eq!(rows[0].product_id, "1001");
    let t = CostsTable::read("costs.csv", COSTS.as_bytes()).unwrap();
    assert_eq!(t.skus[0].product_id.as_deref(), Some("2002"));
    // The real US Affiliate export carries it on every row.
    let us = read_any(
        "us_affiliate_orders_2026-05.csv",
        std::fs::File::open(common::fixture("tiktok", "us_affiliate_orders_2026-05.csv")).unwrap(),
        ImportOptions::default(),
    )
    .unwrap();
    let FileData::Affiliate(rows) = &us.data else {
        panic!()
    };
    assert!(rows.iter().all(|r| !r.product_id.is_empty()));
}
