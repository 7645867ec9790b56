//! Every real file of tests/fixtures/analytics is read (the content layer, docs/metrics.md §11) or, for the
//! known TikTok exports Margin Lab does not read yet (docs/formats.md §3.2, §4), refused with a message naming
//! what it is and where the export Margin Lab reads is found — never the generic "not a file Margin Lab
//! reads".

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use margin_engine::import::{ImportOptions, read_any};

/// The message for a fixture, which must be a refusal.
fn refusal(name: &str) -> String {
    let bytes = common::fixture_bytes("analytics", name);
    match read_any(name, bytes.as_slice(), ImportOptions::default()) {
        Ok(f) => panic!("{name} should be refused, got {:?}", f.report.kind),
        Err(e) => {
            assert!(e.row.is_some(), "{name}: the header row is named");
            e.user_message()
        }
    }
}

fn check(name: &str, what: &str, instead: &str) {
    let m = refusal(name);
    assert!(m.starts_with(name), "{m}");
    assert!(m.contains(what), "{name}: {m}");
    assert!(m.contains(instead), "{name}: {m}");
    assert!(m.contains("does not read yet"), "{name}: {m}");
    assert!(!m.contains("not a file Margin Lab reads"), "{name}: {m}");
}

const ORDERS: &str = "Seller Center → Orders → Export";

/// Every analytics export of the content layer is read (docs/formats.md §4, docs/metrics.md §11): its kind,
/// and at least one record.
#[test]
fn the_content_layers_exports_are_read() {
    use margin_engine::import::{ExportKind, FileData};
    for (name, kind) in [
        (
            "br_creator_live_performance_20260415235620.xlsx",
            ExportKind::LivePerformance,
        ),
        (
            "mx_Creator-Live-Performance_20260604180014.csv",
            ExportKind::LivePerformance,
        ),
        (
            "mx_Live_Performance_Core_Stats_20260604172313.csv",
            ExportKind::LiveCoreStats,
        ),
        (
            "mx_Video_Performance_List_20260604172857.csv",
            ExportKind::VideoPerformance,
        ),
        (
            "mx_Video_Performance_Core_Stats_20260604172700.csv",
            ExportKind::VideoCoreStats,
        ),
        ("mx_product_list_20260529.csv", ExportKind::ProductAnalytics),
        (
            "mx_Products_Card_List_20260604173545.csv",
            ExportKind::ProductCardList,
        ),
        (
            "mx_Product_Card_Traffic_Stats_20260604173430.csv",
            ExportKind::ProductCardTraffic,
        ),
        (
            "mx_Shop_Analytics_Key_metrics_20260604.csv",
            ExportKind::ShopKeyMetrics,
        ),
        (
            "br_overview_my_business_performance_20260319152504.xlsx",
            ExportKind::BusinessOverview,
        ),
        (
            "br_affiliate_creator_list_20260201-20260228.xlsx",
            ExportKind::AffiliateCreatorList,
        ),
        (
            "br_affiliate_core_metrics_20260401-20260411.xlsx",
            ExportKind::AffiliateCoreMetrics,
        ),
    ] {
        let bytes = common::fixture_bytes("analytics", name);
        let f = read_any(name, bytes.as_slice(), ImportOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(f.report.kind, kind, "{name}");
        assert!(kind.is_content(), "{name}");
        match &f.data {
            FileData::Content(c) => assert!(!c.is_empty(), "{name}: no record"),
            other => panic!("{name}: {other:?}"),
        }
        assert!(
            f.report.date_range.is_some(),
            "{name}: the period it covers"
        );
    }
}

/// Analytics exports the content layer does not read: refused by name.
#[test]
fn product_traffic_and_store_page_exports_are_refused_by_name() {
    for name in [
        "mx_Product_Traffic_List_01_05_2026-31_05_2026.csv",
        "mx_Product_Traffic_Key_Metrics_01_05_2026-31_05_2026.csv",
    ] {
        check(name, "product traffic", ORDERS);
    }
    check(
        "mx_Store_Page_Performance_Overview_20260604174149.csv",
        "store page performance",
        ORDERS,
    );
}

/// GMV Max's detail exports were refused by name until they were read (docs/formats.md §4): now each is
/// read as its own kind (crates/engine/tests/gmv_max.rs tallies their figures).
#[test]
fn gmv_max_exports_are_read() {
    use margin_engine::import::ExportKind;
    for (name, kind) in [
        (
            "vn_gmv_max_livestream_data_for_live_campaigns.xlsx",
            ExportKind::GmvMaxLive,
        ),
        (
            "br_gmv_max_creative_data_for_product_campaigns_2026-03-20.xlsx",
            ExportKind::GmvMaxCreatives,
        ),
    ] {
        let bytes = common::fixture_bytes("analytics", name);
        let f = read_any(name, bytes.as_slice(), ImportOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(f.report.kind, kind, "{name}");
        assert!(
            !kind.is_content(),
            "{name}: ad spend, not the content layer"
        );
    }
    // The creatives' header rows, English and the Portuguese UI of the real file.
    for header in [
        "Campaign ID,Product ID,Video ID,TikTok account,Cost,SKU orders,Cost per order,Gross revenue,ROI\n1,2,3,x,1.00,1,1.00,2.00,2\n",
        "Nome da campanha,ID da campanha,ID do produto,Tipo de criativo,Título do vídeo,ID do vídeo,Conta TikTok,Custo,Moeda\na,1,2,Vídeo,t,3,c,77.470,BRL\n",
    ] {
        let f = read_any("creatives.csv", header.as_bytes(), ImportOptions::default()).unwrap();
        assert_eq!(f.report.kind, ExportKind::GmvMaxCreatives, "{header}");
    }
}

#[test]
fn a_file_of_nothing_known_still_gets_the_generic_refusal() {
    let e = read_any(
        "notes.csv",
        &b"a,b,c\n1,2,3\n"[..],
        ImportOptions::default(),
    )
    .unwrap_err();
    assert!(e.message.starts_with("not a file Margin Lab reads"));
}
