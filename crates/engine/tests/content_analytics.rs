//! The product, shop and affiliate analytics importers (docs/formats.md §4) on the real exports of
//! tests/fixtures/analytics. Every expected figure is a hand tally made apart from the engine: the CSVs
//! read with Python's `csv` module and the workbooks with openpyxl, amounts summed with `Decimal`
//! (`R$ 1.686,71` → 1686.71 by removing `R$` and `.` and turning `,` into `.`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use margin_engine::content::{ContentData, CreatorStat, DailyStat, ProductFunnelRow, StatSource};
use margin_engine::import::{ExportKind, FileData, ImportOptions, ImportedFile, read_any};
use margin_engine::money::Currency;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn fixture(name: &str) -> ImportedFile {
    let path = format!(
        "{}/../../tests/fixtures/analytics/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    read_any(name, file, Default::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn inline(name: &str, text: &str, options: ImportOptions) -> ImportedFile {
    read_any(name, text.as_bytes(), options).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn days(f: &ImportedFile) -> &[DailyStat] {
    match &f.data {
        FileData::Content(ContentData::Daily(v)) => v,
        other => panic!("{}: not daily stats: {other:?}", f.report.name),
    }
}

fn products(f: &ImportedFile) -> &[ProductFunnelRow] {
    match &f.data {
        FileData::Content(ContentData::Products(v)) => v,
        other => panic!("{}: not product rows: {other:?}", f.report.name),
    }
}

fn creators(f: &ImportedFile) -> &[CreatorStat] {
    match &f.data {
        FileData::Content(ContentData::Creators(v)) => v,
        other => panic!("{}: not creator rows: {other:?}", f.report.name),
    }
}

fn sum_i(rows: &[DailyStat], f: impl Fn(&DailyStat) -> Option<i64>) -> i64 {
    rows.iter().filter_map(f).sum()
}

fn sum_d(rows: &[DailyStat], f: impl Fn(&DailyStat) -> Option<Decimal>) -> Decimal {
    rows.iter().filter_map(f).sum()
}

/// A product row's channel, impressions, clicks, GMV and orders.
type Funnel<'a> = (
    &'a str,
    Option<i64>,
    Option<i64>,
    Option<Decimal>,
    Option<i64>,
);

fn brl() -> Currency {
    Currency::from_code("BRL").unwrap()
}

fn mxn() -> Currency {
    Currency::from_code("MXN").unwrap()
}

#[test]
fn product_list_gives_one_product_per_channel() {
    let f = fixture("mx_product_list_20260529.csv");
    assert_eq!(f.report.kind, ExportKind::ProductAnalytics);
    // One product row (line 5), under the channel row `Todo`, `LIVE del vendedor`, `Video del vendedor`,
    // `Afiliado`, `Tarjeta de producto de vendedores` (file order).
    assert_eq!((f.report.rows, f.report.used_rows), (1, 1));
    let rows = products(&f);
    let channels: Vec<&str> = rows.iter().map(|r| r.channel.as_str()).collect();
    assert_eq!(
        channels,
        ["All", "LIVE", "Video", "Affiliate", "Product card"]
    );
    for r in rows {
        assert_eq!(r.product_id, "1735443868584347338");
        assert!(
            r.product_name.starts_with("Chaleco Largo Mujer 3/4"),
            "{r:?}"
        );
    }
    // Hand tally (Python csv, columns by (channel row, header)): `Impresiones del producto` and `Clics en
    // el producto` of each block — Todo 190/3 (cols 24/25), LIVE 0/0 (64/65), Video 70/2 (89/90),
    // Afiliado 0/0 (116/117), Tarjeta 120/1 (164/165); orders, items, customers and GMV are 0 / `MX$0.00`
    // in every block (Todo: `Pedidos con SKU` col 20; the channels: `Pedidos con SKU atribuidos`).
    let funnel: Vec<(Option<i64>, Option<i64>)> =
        rows.iter().map(|r| (r.impressions, r.clicks)).collect();
    assert_eq!(
        funnel,
        [
            (Some(190), Some(3)),
            (Some(0), Some(0)),
            (Some(70), Some(2)),
            (Some(0), Some(0)),
            (Some(120), Some(1)),
        ]
    );
    for r in rows {
        assert_eq!(
            (r.orders, r.items, r.customers, r.gmv),
            (Some(0), Some(0), Some(0), Some(dec!(0))),
            "{r:?}"
        );
    }
    // `MX$0.00` cells; period `Fecha del análisis: 29/05/2026~04/06/2026` on row 1.
    assert_eq!(f.report.currency, Some(mxn()));
    assert_eq!(f.report.market.as_deref(), Some("MX"));
    assert_eq!(
        f.report.date_range,
        Some((d("2026-05-29"), d("2026-06-04")))
    );
    assert!(
        f.report
            .used_columns
            .contains(&"Video del vendedor / Impresiones del producto".to_string())
    );
}

#[test]
fn product_card_list_is_the_product_card_channel() {
    let f = fixture("mx_Products_Card_List_20260604173545.csv");
    assert_eq!(f.report.kind, ExportKind::ProductCardList);
    let rows = products(&f);
    // Hand tally (Python csv, header on the third CSV row): 24 products; `Vistas` sum 14914, `Clics` 509,
    // `Pedidos con SKU` 0, `Clientes` 0, `GMV (MX$)` 0; no items column.
    assert_eq!(rows.len(), 24);
    assert!(rows.iter().all(|r| r.channel == "Product card"));
    let impressions: i64 = rows.iter().filter_map(|r| r.impressions).sum();
    let clicks: i64 = rows.iter().filter_map(|r| r.clicks).sum();
    let orders: i64 = rows.iter().filter_map(|r| r.orders).sum();
    let gmv: Decimal = rows.iter().filter_map(|r| r.gmv).sum();
    assert_eq!((impressions, clicks, orders, gmv), (14914, 509, 0, dec!(0)));
    assert!(rows.iter().all(|r| r.items.is_none()));
    // First row: 1735523101213165258, Vistas 1944, Clics 23.
    let first = &rows[0];
    assert_eq!(first.product_id, "1735523101213165258");
    assert_eq!((first.impressions, first.clicks), (Some(1944), Some(23)));
    // `GMV (MX$)` in the header; `Rango de fechas: 2026-05-01 ~ 2026-05-31` above it.
    assert_eq!(f.report.currency, Some(mxn()));
    assert_eq!(
        f.report.date_range,
        Some((d("2026-05-01"), d("2026-05-31")))
    );
}

#[test]
fn product_card_traffic_gives_one_stat_per_day() {
    let f = fixture("mx_Product_Card_Traffic_Stats_20260604173430.csv");
    assert_eq!(f.report.kind, ExportKind::ProductCardTraffic);
    let rows = days(&f);
    // Hand tally (Python csv): 31 days 2026-05-01..31; sums `Vistas` 14914, `Espectadores` 5695,
    // `Clics` 509, `Clientes` 0, `Pedidos con SKU atribuidos` 0, `GMV atribuido a tarjetas de productos`
    // 0; 2026-05-04: 1026 views, 110 viewers, 79 clicks.
    assert_eq!(rows.len(), 31);
    assert!(rows.iter().all(|r| r.source == StatSource::ProductCard));
    assert_eq!(sum_i(rows, |r| r.views), 14914);
    assert_eq!(sum_i(rows, |r| r.visitors), 5695);
    assert_eq!(sum_i(rows, |r| r.clicks), 509);
    assert_eq!(sum_i(rows, |r| r.customers), 0);
    assert_eq!(sum_i(rows, |r| r.orders), 0);
    assert_eq!(sum_d(rows, |r| r.gmv), dec!(0));
    assert!(rows.iter().all(|r| r.gmv.is_some() && r.orders.is_some()));
    // No such columns: None, never 0.
    assert!(
        rows.iter()
            .all(|r| r.impressions.is_none() && r.page_views.is_none() && r.items.is_none())
    );
    let may4 = rows.iter().find(|r| r.date == d("2026-05-04")).unwrap();
    assert_eq!(
        (may4.views, may4.visitors, may4.clicks),
        (Some(1026), Some(110), Some(79))
    );
    assert_eq!(f.report.currency, Some(mxn()));
    assert_eq!(
        f.report.date_range,
        Some((d("2026-05-01"), d("2026-05-31")))
    );
}

#[test]
fn shop_key_metrics_daily_block() {
    let f = fixture("mx_Shop_Analytics_Key_metrics_20260604.csv");
    assert_eq!(f.report.kind, ExportKind::ShopKeyMetrics);
    let rows = days(&f);
    // Hand tally (Python csv, the `Fecha,GMV,…` header on CSV row 9): 31 days `01/05/2026`..`31/05/2026`;
    // sums `Vistas de página` 1378, `Visitantes` 944, `Impresiones del producto` 71885, `Clics en el
    // producto` 1434, GMV 0, `Pedidos con SKU` 0 — the `Valor total` row says the same (1378, 944, 71885,
    // 1434, 0, 0), so no warning. 02/05/2026 (day-first: 2 May): 45 page views, 41 visitors.
    assert_eq!(rows.len(), 31);
    assert!(rows.iter().all(|r| r.source == StatSource::Shop));
    assert_eq!(sum_i(rows, |r| r.page_views), 1378);
    assert_eq!(sum_i(rows, |r| r.visitors), 944);
    assert_eq!(sum_i(rows, |r| r.impressions), 71885);
    assert_eq!(sum_i(rows, |r| r.clicks), 1434);
    assert_eq!(sum_d(rows, |r| r.gmv), dec!(0));
    assert_eq!(sum_i(rows, |r| r.orders), 0);
    let may2 = rows.iter().find(|r| r.date == d("2026-05-02")).unwrap();
    assert_eq!((may2.page_views, may2.visitors), (Some(45), Some(41)));
    // No refunds amount in this export (only `Artículos reembolsados`, a count, all `-`).
    assert!(rows.iter().all(|r| r.refunds.is_none()));
    assert!(f.report.warnings.is_empty(), "{:?}", f.report.warnings);
    // The totals row, the `Cambio porcentual` row, two empty rows, `Datos diarios`, the daily header.
    assert_eq!(f.report.rows, 37);
    assert_eq!(f.report.used_rows, 31);
    let skipped = |reason: &str| {
        f.report
            .skipped
            .iter()
            .find(|s| s.reason == reason)
            .map_or(0, |s| s.count)
    };
    assert_eq!(skipped("totals row"), 1);
    assert_eq!(skipped("percentage change row"), 1);
    // Period from `Fecha del análisis: 01/05/2026-31/05/2026`, not the comparison period beside it.
    assert_eq!(
        f.report.date_range,
        Some((d("2026-05-01"), d("2026-05-31")))
    );
    // No currency written anywhere in the file: none, and the evidence says so.
    assert_eq!(f.report.currency, None);
    assert!(
        f.report.evidence.contains("no currency written"),
        "{}",
        f.report.evidence
    );
}

#[test]
fn shop_key_metrics_take_the_currency_from_the_options_when_the_file_has_none() {
    let path = format!(
        "{}/../../tests/fixtures/analytics/mx_Shop_Analytics_Key_metrics_20260604.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    let options = ImportOptions {
        currency: Some(mxn()),
        ..Default::default()
    };
    let f = read_any(
        "mx_Shop_Analytics_Key_metrics_20260604.csv",
        std::fs::File::open(path).unwrap(),
        options,
    )
    .unwrap();
    assert_eq!(f.report.currency, Some(mxn()));
    assert_eq!(f.report.market.as_deref(), Some("MX"));
    assert!(
        f.report.evidence.contains("import options"),
        "{}",
        f.report.evidence
    );
}

#[test]
fn business_overview_daily_block_matches_its_totals() {
    let f = fixture("br_overview_my_business_performance_20260319152504.xlsx");
    assert_eq!(f.report.kind, ExportKind::BusinessOverview);
    let rows = days(&f);
    // Hand tally (openpyxl; the daily header `Data,…` on sheet row 5): 76 days, 01/01/2026..17/03/2026
    // (sheet rows 6–81; the fixtures' README says 80). Sums with Decimal after `,` → `.`:
    // `Valor bruto da mercadoria (R$)` 2383519.18 — the totals row 2 says `2383519,18`;
    // `Reembolsos (R$)` 300355.01 (totals `300355,01`); `Itens vendidos` 31981 (31981);
    // `Pedido de SKU` 31844 (31844); `Clientes únicos` 28813; `Visualizações de página` 2283247
    // (2283247); `Visitas à página da loja` 1491582 (totals: the average 19626.08 = 1491582 / 76).
    assert_eq!(rows.len(), 76);
    assert_eq!(sum_d(rows, |r| r.gmv), dec!(2383519.18));
    assert_eq!(sum_d(rows, |r| r.refunds), dec!(300355.01));
    assert_eq!(sum_i(rows, |r| r.items), 31981);
    assert_eq!(sum_i(rows, |r| r.orders), 31844);
    assert_eq!(sum_i(rows, |r| r.customers), 28813);
    assert_eq!(sum_i(rows, |r| r.page_views), 2283247);
    assert_eq!(sum_i(rows, |r| r.visitors), 1491582);
    // The totals agree with the days: no warning.
    assert!(f.report.warnings.is_empty(), "{:?}", f.report.warnings);
    // Day-first: `02/01/2026` is 2 January (GMV `10004,56`), the first day `6205` / `2589,16` / 9297 / 6497.
    assert_eq!(rows[0].date, d("2026-01-01"));
    assert_eq!(
        (
            rows[0].gmv,
            rows[0].refunds,
            rows[0].page_views,
            rows[0].visitors
        ),
        (
            Some(dec!(6205)),
            Some(dec!(2589.16)),
            Some(9297),
            Some(6497)
        )
    );
    assert_eq!(rows[1].date, d("2026-01-02"));
    assert_eq!(rows[1].gmv, Some(dec!(10004.56)));
    // No product impressions or clicks in this export.
    assert!(
        rows.iter()
            .all(|r| r.impressions.is_none() && r.clicks.is_none())
    );
    // No period stated (the name's 20260319152504 is a timestamp): the span of the days.
    assert_eq!(
        f.report.date_range,
        Some((d("2026-01-01"), d("2026-03-17")))
    );
    // `(R$)` in the headers.
    assert_eq!(f.report.currency, Some(brl()));
    assert_eq!(f.report.market.as_deref(), Some("BR"));
}

#[test]
fn totals_that_are_not_the_sum_of_the_days_are_a_warning_naming_both() {
    // The overview's shape (Portuguese), with totals 100,00 / 3 against days 40,00 + 50,00 / 1 + 1.
    let text = "Visão geral dos dados,Valor bruto da mercadoria (R$),Itens vendidos,Pedido de SKU\n\
                ,\"100,00\",3,3\n\
                Dados diários,,,\n\
                Data,Valor bruto da mercadoria (R$),Itens vendidos,Pedido de SKU\n\
                01/01/2026,\"40,00\",1,1\n\
                02/01/2026,\"50,00\",1,1\n";
    let f = inline("overview.csv", text, Default::default());
    assert_eq!(f.report.kind, ExportKind::BusinessOverview);
    assert_eq!(days(&f).len(), 2);
    let w = f.report.warnings.join("\n");
    assert!(w.contains("100.00") && w.contains("90.00"), "{w}");
    assert!(w.contains("row 2"), "{w}");
    assert!(w.contains("SKU orders 3") && w.contains(", 2"), "{w}");
}

#[test]
fn affiliate_creator_list() {
    let f = fixture("br_affiliate_creator_list_20260201-20260228.xlsx");
    assert_eq!(f.report.kind, ExportKind::AffiliateCreatorList);
    let rows = creators(&f);
    // Hand tally (openpyxl, `R$ 256.417,28` → 256417.28): 1644 creators (sheet rows 2–1645; the
    // fixtures' README says 1,643); `GMV atribuído a afiliados` 778309.96, `Comissão estimada` 80903.15,
    // `Reembolsos` 97469.24, `Pedidos atribuídos` 9513, `Itens vendidos atribuídos ao afiliado` 10024,
    // `Itens reembolsados` 1320, `Vídeos` 1905, `Transmissões ao vivo` 4145, `Amostras enviadas` 47.
    assert_eq!(rows.len(), 1644);
    assert_eq!(f.report.used_rows, 1644);
    let gmv: Decimal = rows.iter().map(|r| r.gmv).sum();
    let commission: Decimal = rows.iter().filter_map(|r| r.est_commission).sum();
    let refunds: Decimal = rows.iter().filter_map(|r| r.refunds).sum();
    assert_eq!(gmv, dec!(778309.96));
    assert_eq!(commission, dec!(80903.15));
    assert_eq!(refunds, dec!(97469.24));
    let total = |f: fn(&CreatorStat) -> Option<i64>| -> i64 { rows.iter().filter_map(f).sum() };
    assert_eq!(total(|r| r.orders), 9513);
    assert_eq!(total(|r| r.items), 10024);
    assert_eq!(total(|r| r.items_refunded), 1320);
    assert_eq!(total(|r| r.videos), 1905);
    assert_eq!(total(|r| r.lives), 4145);
    assert_eq!(total(|r| r.samples), 47);
    // Row 2.
    assert_eq!(
        rows[0],
        CreatorStat {
            creator: "creator_31d8d794".to_string(),
            gmv: dec!(256417.28),
            refunds: Some(dec!(20506.13)),
            orders: Some(3290),
            items: Some(3505),
            items_refunded: Some(282),
            videos: Some(23),
            lives: Some(77),
            est_commission: Some(dec!(29841.13)),
            samples: Some(0),
        }
    );
    assert_eq!(f.report.currency, Some(brl()));
    // The period is only in the file name.
    assert_eq!(
        f.report.date_range,
        Some((d("2026-02-01"), d("2026-02-28")))
    );
}

#[test]
fn affiliate_core_metrics_is_one_totals_row() {
    let f = fixture("br_affiliate_core_metrics_20260401-20260411.xlsx");
    assert_eq!(f.report.kind, ExportKind::AffiliateCoreMetrics);
    // Hand tally (openpyxl, row 2): `R$ 262.302,96`, 3317 items, `R$ 30.986,04` refunds, 402 items
    // refunded, 1070 videos, 3210 LIVE streams, 8 samples, `R$ 22.250,35` commission; no orders column.
    assert_eq!(
        creators(&f),
        [CreatorStat {
            creator: String::new(),
            gmv: dec!(262302.96),
            refunds: Some(dec!(30986.04)),
            orders: None,
            items: Some(3317),
            items_refunded: Some(402),
            videos: Some(1070),
            lives: Some(3210),
            est_commission: Some(dec!(22250.35)),
            samples: Some(8),
        }]
    );
    assert_eq!(f.report.currency, Some(brl()));
    assert_eq!(
        f.report.date_range,
        Some((d("2026-04-01"), d("2026-04-11")))
    );
}

#[test]
fn english_exports_read() {
    // Shop Analytics key metrics in English: totals block, then the daily block; `$` names no currency.
    let text = "Analysis date: 01/05/2026-02/05/2026,Comparison date: 29/04/2026-30/04/2026\n\
                Data overview,,,,,,,,,\n\
                ,GMV,Orders,Customers,Items sold,SKU orders,Page views,Visitors,Product impressions,Product clicks\n\
                Total value,$30.00,3,3,4,3,100,50,1000,20\n\
                Percentage change,10%,-,-,-,-,-,-,-,-\n\
                Daily data,,,,,,,,,\n\
                Date,GMV,Orders,Customers,Items sold,SKU orders,Page views,Visitors,Product impressions,Product clicks\n\
                01/05/2026,$10.00,1,1,1,1,40,20,400,8\n\
                02/05/2026,$20.00,2,2,3,2,60,30,-,12\n";
    let f = inline("Shop Analytics_Key metrics.csv", text, Default::default());
    assert_eq!(f.report.kind, ExportKind::ShopKeyMetrics);
    let rows = days(&f);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1].date, d("2026-05-02"));
    assert_eq!(sum_d(rows, |r| r.gmv), dec!(30.00));
    assert_eq!(sum_i(rows, |r| r.orders), 3);
    assert_eq!(sum_i(rows, |r| r.visitors), 50);
    // `-` is no value, not 0.
    assert_eq!(rows[1].impressions, None);
    assert!(f.report.warnings.is_empty(), "{:?}", f.report.warnings);
    assert_eq!(f.report.currency, None);
    assert_eq!(
        f.report.date_range,
        Some((d("2026-05-01"), d("2026-05-02")))
    );

    // Creator list in English.
    let text = "Creator name,Affiliate-attributed GMV,Refunds,Attributed orders,Attributed items sold,Videos,LIVE streams,Est. commission,Samples sent\n\
                alice,\"R$ 1.234,56\",\"R$ 10,00\",12,13,2,1,\"R$ 123,45\",-\n";
    let f = inline("creators.csv", text, Default::default());
    assert_eq!(f.report.kind, ExportKind::AffiliateCreatorList);
    assert_eq!(
        creators(&f),
        [CreatorStat {
            creator: "alice".to_string(),
            gmv: dec!(1234.56),
            refunds: Some(dec!(10.00)),
            orders: Some(12),
            items: Some(13),
            items_refunded: None,
            videos: Some(2),
            lives: Some(1),
            est_commission: Some(dec!(123.45)),
            samples: None,
        }]
    );
    assert_eq!(f.report.currency, Some(brl()));

    // Product list in English, with its channel row.
    let text = ",,All,All,All,LIVE,LIVE,LIVE,Affiliate,Affiliate\n\
                Product name,Product ID,GMV,Product impressions,Product clicks,Attributed GMV,Product impressions,Product clicks,Attributed GMV,SKU orders\n\
                Hat,1729000000000000001,MX$5.00,100,10,MX$2.00,40,4,MX$3.00,1\n";
    let f = inline("product_list_20260529.csv", text, Default::default());
    assert_eq!(f.report.kind, ExportKind::ProductAnalytics);
    let rows = products(&f);
    let got: Vec<Funnel<'_>> = rows
        .iter()
        .map(|r| (r.channel.as_str(), r.impressions, r.clicks, r.gmv, r.orders))
        .collect();
    assert_eq!(
        got,
        [
            ("All", Some(100), Some(10), Some(dec!(5.00)), None),
            ("LIVE", Some(40), Some(4), Some(dec!(2.00)), None),
            ("Affiliate", None, None, Some(dec!(3.00)), Some(1)),
        ]
    );
    assert_eq!(f.report.currency, Some(mxn()));
}

#[test]
fn a_bad_cell_skips_its_row_naming_row_and_column() {
    let text = "Creator name,GMV atribuído a afiliados,Amostras enviadas\n\
                a,\"R$ 1,00\",1\n\
                b,R$ abc,2\n\
                c,\"R$ 2,00\",1.5\n\
                d,\"R$ 3,00\",0\n";
    let f = inline("creators.csv", text, Default::default());
    assert_eq!(creators(&f).len(), 2);
    assert_eq!(f.report.rows, 4);
    let skipped: u64 = f.report.skipped.iter().map(|s| s.count).sum();
    assert_eq!(skipped, 2);
    let w = &f.report.warnings;
    assert!(
        w.iter()
            .any(|w| w.contains("row 3") && w.contains("\"GMV atribuído a afiliados\"")),
        "{w:?}"
    );
    assert!(
        w.iter()
            .any(|w| w.contains("row 4") && w.contains("\"Amostras enviadas\"")),
        "{w:?}"
    );

    // A day that is not a date, in a shop export's daily block.
    let text = "Visão geral dos dados,Valor bruto da mercadoria (R$),Itens vendidos\n\
                ,\"10,00\",1\n\
                Data,Valor bruto da mercadoria (R$),Itens vendidos\n\
                01/01/2026,\"10,00\",1\n\
                32/01/2026,\"5,00\",1\n";
    let f = inline("overview.csv", text, Default::default());
    assert_eq!(days(&f).len(), 1);
    assert!(
        f.report
            .warnings
            .iter()
            .any(|w| w.contains("row 5") && w.contains("column \"Data\"")),
        "{:?}",
        f.report.warnings
    );
}

#[test]
fn the_currency_is_detected() {
    // `R$` cells → BRL; `MX$` cells and `(MX$)` headers → MXN; two currencies in one file: an error
    // naming the row and column.
    let f = inline(
        "c.csv",
        "Creator name,Affiliate-attributed GMV,Samples sent\na,MX$1.00,0\n",
        Default::default(),
    );
    assert_eq!(f.report.currency, Some(mxn()));
    assert!(
        f.report.evidence.contains("MX$1.00"),
        "{}",
        f.report.evidence
    );
    let e = read_any(
        "c.csv",
        "Creator name,Affiliate-attributed GMV,Samples sent\na,MX$1.00,0\nb,R$ 2,00,0\n"
            .replace("R$ 2,00", "\"R$ 2,00\"")
            .as_bytes(),
        Default::default(),
    )
    .unwrap_err();
    assert_eq!(e.row, Some(3));
    assert_eq!(e.column.as_deref(), Some("Affiliate-attributed GMV"));
    // A file's own mark wins over the options.
    let options = ImportOptions {
        currency: Some(Currency::USD),
        ..Default::default()
    };
    let f = inline(
        "c.csv",
        "Creator name,Affiliate-attributed GMV,Samples sent\na,\"R$ 1,00\",0\n",
        options,
    );
    assert_eq!(f.report.currency, Some(brl()));
}
