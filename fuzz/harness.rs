//! What every fuzz target runs, shared word for word by the fuzz targets (`fuzz/fuzz_targets/*.rs`) and the
//! regression test that runs without nightly (`crates/engine/tests/fuzz_regressions.rs`), so a crash file
//! replays through exactly the code that found it.
//!
//! A target returns normally for every input: an error is a fine outcome, a panic (including an arithmetic
//! overflow, checked in both builds) is the bug. Structure-aware targets put a valid header in front of the
//! input so it reaches the row parsers instead of stopping at "not a file Margin Lab reads"; after every
//! successful import the report is computed too, so the ledger, the metrics and the formatting see the
//! same data.

#![allow(dead_code)]

use margin_engine::costs::CostsTable;
use margin_engine::import::values::DateOrder;
use margin_engine::import::{ImportOptions, ImportedFile, read_any};
use margin_engine::money::Currency;
use margin_engine::report;
use margin_engine::settings::Settings;
use margin_engine::workspace::{self, Scenario};
use std::io::Write;

/// A fuzz target: any bytes in, no panic out.
pub type Target = fn(&[u8]);

/// Every target by name: the directory names under `fuzz/regressions/` and the `fuzz_targets/` files.
pub const TARGETS: &[(&str, Target)] = &[
    ("read_any", read_any_raw),
    ("orders", orders),
    ("affiliate", affiliate),
    ("finance", finance),
    ("ads", ads),
    ("xlsx", xlsx),
    ("costs", costs),
    ("settings", settings),
    ("workspace", workspace),
    ("live", live),
    ("video", video),
    ("product_analytics", product_analytics),
    ("shop_analytics", shop_analytics),
    ("affiliate_analytics", affiliate_analytics),
    ("gmv_max_creatives", gmv_max_creatives),
    ("gmv_max_live", gmv_max_live),
    ("returns", returns),
];

/// Raw bytes as a dropped file: any encoding, delimiter, a zip, anything.
pub fn read_any_raw(data: &[u8]) {
    import_and_report("fuzz.csv", data, ImportOptions::default(), None);
}

/// The first byte chooses the user's overrides (date order, currency) and the header; the rest follows
/// the header as rows.
pub fn orders(data: &[u8]) {
    with_header(data, &[ORDERS_US, ORDERS_UK, ORDERS_MINIMAL]);
}

/// Affiliate orders (US 30 and UK 31 columns).
pub fn affiliate(data: &[u8]) {
    with_header(data, &[AFFILIATE_US, AFFILIATE_UK]);
}

/// Finance: income, US statement P&L, adjustments, on-hold.
pub fn finance(data: &[u8]) {
    with_header(
        data,
        &[
            FINANCE_INCOME,
            FINANCE_STATEMENT,
            FINANCE_ADJUSTMENT,
            FINANCE_ONHOLD,
        ],
    );
}

/// GMV Max campaign overview and Ads Manager cost.
pub fn ads(data: &[u8]) {
    with_header(data, &[GMV_MAX, ADS_MANAGER]);
}

/// The Returns & refunds export (its full header, and the columns the importer needs alone); reported
/// beside the sample Orders export, so the return-rate rule counts its requests.
pub fn returns(data: &[u8]) {
    with_header(data, &[RETURNS, RETURNS_MINIMAL]);
}

/// The Returns & refunds export's header, as public parsers of it read it (docs/formats.md §1.6).
pub const RETURNS: &str = "Return Order ID,Order ID,Order Amount,Order Status,Order Substatus,Payment Method,\
SKU ID,Seller SKU,Product Name,SKU Name,Buyer Username,Return Type,Time Requested,Return Reason,Return unit price,\
Return Quantity,Return Logistics Tracking ID,Return Status,Return Sub Status,Refund Time,Dispute Status,Appeal Status,\
Compensation Status,Compensation Amount,Buyer Note";
/// The columns the Returns importer reads, alone.
pub const RETURNS_MINIMAL: &str =
    "Return Order ID,Order ID,SKU ID,Time Requested,Return Quantity,Return Status,Refund Time";

/// GMV Max creatives of product campaigns (English, the Portuguese UI of the BR fixture, Vietnamese with
/// the currency in its headers); then reported beside orders whose SKUs an Affiliate export pairs with
/// product IDs, so product spend is charged to SKUs (docs/metrics.md §3).
pub fn gmv_max_creatives(data: &[u8]) {
    with_gmv_max_header(
        data,
        &[
            GMV_MAX_CREATIVES_EN,
            GMV_MAX_CREATIVES_PT,
            GMV_MAX_CREATIVES_VN,
        ],
    );
}

/// GMV Max LIVE campaigns (the VN fixture's header); then reported beside a LIVE session its rows may
/// join (docs/metrics.md §6).
pub fn gmv_max_live(data: &[u8]) {
    with_gmv_max_header(data, &[GMV_MAX_LIVE]);
}

/// As [`with_header`], then the file (named with a stated window) next to orders, an Affiliate export
/// with product IDs and a LIVE session, over every day and over a week.
fn with_gmv_max_header(data: &[u8], headers: &[&str]) {
    let Some((&choice, rest)) = data.split_first() else {
        return;
    };
    let header = headers[usize::from(choice >> 4) % headers.len()];
    let mut text = header.as_bytes().to_vec();
    text.push(b'\n');
    text.extend_from_slice(rest);
    import_and_report("fuzz.csv", &text, options(choice), currency(choice));
    let name = if choice & 0x40 == 0 {
        "creatives 2026-05-01 00 ~ 2026-05-20 23.csv"
    } else {
        "creatives_2026-05-18.csv"
    };
    let Ok(file) = read_any(name, text.as_slice(), options(choice)) else {
        return;
    };
    let mut files = vec![file];
    for (n, t) in [
        ("orders.csv", SAMPLE_ORDERS),
        ("affiliate.csv", SAMPLE_AFFILIATE_PRODUCTS),
        ("live.csv", SAMPLE_LIVE),
    ] {
        if let Ok(f) = read_any(n, t.as_bytes(), ImportOptions::default()) {
            files.push(f);
        }
    }
    // 11–17 May 2026: a period shorter than the samples' days (the fuzz crate names no chrono type).
    let day = |t: &str| {
        margin_engine::import::values::parse_timestamp(t, DateOrder::YearFirst)
            .ok()
            .flatten()
            .map(|t| t.date())
    };
    let week = day("2026-05-11").zip(day("2026-05-17"));
    for c in report::currencies(&files) {
        let _ = report::build(&files, &CostsTable::default(), Some(c), None);
        let _ = report::build(&files, &CostsTable::default(), Some(c), week);
    }
}

/// The first `lines` lines of a real analytics export: its period rows and header (the content layer's
/// targets put them in front of the input, so it reaches the row readers).
fn head_of(text: &str, lines: usize) -> String {
    let mut out = String::new();
    let mut rest = text;
    for _ in 0..lines {
        // A quoted cell may hold a newline (`"Rango de fechas: …\n"`): the line ends at an unquoted one.
        let mut quoted = false;
        let end = rest
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == '\n' && !quoted
            })
            .map_or(rest.len(), |(i, _)| i + 1);
        out.push_str(&rest[..end]);
        rest = &rest[end..];
    }
    out.trim_end_matches(['\n', '\r']).to_string()
}

fn with_heads(data: &[u8], heads: &[String]) {
    let refs: Vec<&str> = heads.iter().map(String::as_str).collect();
    with_header(data, &refs);
}

/// Creator LIVE Performance (before and after May 2026) and LIVE core stats.
pub fn live(data: &[u8]) {
    with_heads(
        data,
        &[
            LIVE_OLD.to_string(),
            head_of(
                include_str!(
                    "../tests/fixtures/analytics/mx_Creator-Live-Performance_20260604180014.csv"
                ),
                3,
            ),
            head_of(
                include_str!(
                    "../tests/fixtures/analytics/mx_Live_Performance_Core_Stats_20260604172313.csv"
                ),
                3,
            ),
        ],
    );
}

/// Video Performance List and video core stats.
pub fn video(data: &[u8]) {
    with_heads(
        data,
        &[
            head_of(
                include_str!(
                    "../tests/fixtures/analytics/mx_Video_Performance_List_20260604172857.csv"
                ),
                3,
            ),
            head_of(
                include_str!(
                    "../tests/fixtures/analytics/mx_Video_Performance_Core_Stats_20260604172700.csv"
                ),
                3,
            ),
        ],
    );
}

/// Product analytics (`product_list`, channel row above the header), product card list and traffic.
pub fn product_analytics(data: &[u8]) {
    with_heads(
        data,
        &[
            head_of(
                include_str!("../tests/fixtures/analytics/mx_product_list_20260529.csv"),
                4,
            ),
            head_of(
                include_str!(
                    "../tests/fixtures/analytics/mx_Products_Card_List_20260604173545.csv"
                ),
                3,
            ),
            head_of(
                include_str!(
                    "../tests/fixtures/analytics/mx_Product_Card_Traffic_Stats_20260604173430.csv"
                ),
                3,
            ),
        ],
    );
}

/// Shop Analytics key metrics (Spanish) and the business performance overview (Portuguese): the totals
/// block's header; the input may bring the totals row, the daily block and its header.
pub fn shop_analytics(data: &[u8]) {
    with_heads(
        data,
        &[
            head_of(
                include_str!(
                    "../tests/fixtures/analytics/mx_Shop_Analytics_Key_metrics_20260604.csv"
                ),
                3,
            ),
            BUSINESS_OVERVIEW.to_string(),
        ],
    );
}

/// Affiliate analytics creator list and core metrics (Portuguese).
pub fn affiliate_analytics(data: &[u8]) {
    with_heads(
        data,
        &[
            AFFILIATE_CREATOR_LIST.to_string(),
            AFFILIATE_CORE_METRICS.to_string(),
        ],
    );
}

/// The Creator LIVE Performance export before May 2026 (the BR fixture is an XLSX: its rows 1–3 as CSV).
pub const LIVE_OLD: &str = "2026-04-01 ~ 2026-04-15\n\nLivestream,Start time,Duration,Gross revenue,Direct GMV,\
Items sold,Customers,Avg. price,Orders paid for,GMV/1K shows,GMV/1K views,Views,Viewers,Peak viewers,New followers,\
Avg. view duration,Likes,Comments,Shares,Product impressions,Product clicks,CTR,CTOR (SKU orders)";
/// The business performance overview's totals header (BR fixture, row 1).
pub const BUSINESS_OVERVIEW: &str = "Visão geral dos dados,Valor bruto da mercadoria (R$),Reembolsos (R$),\
Valor bruto da mercadoria (com cofinanciamento do TikTok),Itens vendidos,Média de clientes diários,\
Visualizações de página,Média de visitantes,Pedido de SKU,Pedidos,Taxa de conversão média";
/// The affiliate analytics creator list (BR fixture, row 1).
pub const AFFILIATE_CREATOR_LIST: &str = "Creator name,GMV atribuído a afiliados,Reembolsos,Pedidos atribuídos,\
Itens vendidos atribuídos ao afiliado,Itens reembolsados,AOV,Média diária de produtos vendidos,Vídeos,\
Transmissões ao vivo,Comissão estimada,Amostras enviadas";
/// The affiliate analytics core metrics (BR fixture, row 1).
pub const AFFILIATE_CORE_METRICS: &str = "GMV atribuído a afiliados,Itens vendidos atribuídos ao afiliado,Reembolsos,\
Itens reembolsados,Média de clientes diários,AOV,Vídeos,Transmissões ao vivo,Média diária de criadores com vendas,\
Média diária de criadores que publicaram conteúdo,Média diária de produtos vendidos,\
Média diária de produtos em colaborações,Amostras enviadas,Média diária de transmissões ao vivo com vendas,\
Média diária de vídeos com vendas,Comissão estimada";

/// A costs sheet, read both through `read_any` (with an Orders export, so the costs meet order lines)
/// and through `CostsTable::read` as the CLI's `--costs` does.
pub fn costs(data: &[u8]) {
    let mut text = COSTS_HEADER.as_bytes().to_vec();
    text.extend_from_slice(data);
    if let Ok(table) = CostsTable::read("costs.csv", text.as_slice())
        && let Ok(orders) = read_any(
            "orders.csv",
            SAMPLE_ORDERS.as_bytes(),
            ImportOptions::default(),
        )
    {
        let _ = report::build(&[orders], &table, None, None);
    }
    import_and_report("costs.csv", &text, ImportOptions::default(), None);
}

/// A settings document (the CLI's `--settings`, the page's saved settings), then a report under it.
pub fn settings(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(settings) = Settings::from_json(text) else {
        return;
    };
    let _ = settings.to_json();
    let files: Vec<ImportedFile> = [
        ("orders.csv", SAMPLE_ORDERS),
        ("affiliate.csv", SAMPLE_AFFILIATE),
    ]
    .iter()
    .filter_map(|(n, t)| read_any(n, t.as_bytes(), ImportOptions::default()).ok())
    .collect();
    let _ = report::build_with_settings(&files, &CostsTable::default(), &settings, None, None);
}

/// A workspace document (the page's saved state and its "open workspace file"): parsed, written back and
/// parsed again (the round trip must give the same workspace: saving may not lose or change anything),
/// each scenario's share code likewise, and the report computed under its settings and costs. The same
/// text is also read as a share code from an address.
pub fn workspace(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = Scenario::from_share_code(text);
    let Ok(ws) = workspace::parse(text) else {
        return;
    };
    let again = workspace::parse(&workspace::to_json(&ws));
    assert_eq!(
        again.as_ref(),
        Ok(&ws),
        "the workspace changed on a save and load"
    );
    for scenario in &ws.scenarios {
        let back = Scenario::from_share_code(&scenario.share_code());
        assert_eq!(
            back.as_ref(),
            Ok(scenario),
            "a scenario changed through its share code"
        );
    }
    if let Ok(orders) = read_any(
        "orders.csv",
        SAMPLE_ORDERS.as_bytes(),
        ImportOptions::default(),
    ) {
        let _ = report::build_with_settings(&[orders], &ws.costs, &ws.settings, None, None);
    }
}

/// An XLSX workbook built around the input: the bytes up to the first NUL are the first worksheet's XML,
/// up to the second NUL the shared strings, the rest the workbook part (each replaced by a valid default
/// when absent). Raw zip bytes are fuzzed by `read_any` already; here the XML readers are the target.
pub fn xlsx(data: &[u8]) {
    let mut parts = data.splitn(3, |b| *b == 0);
    let sheet = parts.next().unwrap_or_default();
    let shared = parts.next().unwrap_or(DEFAULT_SHARED.as_bytes());
    let workbook = parts.next().unwrap_or(DEFAULT_WORKBOOK.as_bytes());
    let Some(bytes) = workbook_zip(sheet, shared, workbook) else {
        return;
    };
    import_and_report("fuzz.xlsx", &bytes, ImportOptions::default(), None);
}

/// The zip of a one-sheet workbook (stored, not deflated, so the input's bytes are the parts' bytes).
pub fn workbook_zip(sheet: &[u8], shared: &[u8], workbook: &[u8]) -> Option<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let parts: [(&str, &[u8]); 6] = [
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", ROOT_RELS.as_bytes()),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()),
        ("xl/sharedStrings.xml", shared),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    for (name, bytes) in parts {
        zip.start_file(name, stored).ok()?;
        zip.write_all(bytes).ok()?;
    }
    zip.finish().ok().map(std::io::Cursor::into_inner)
}

fn with_header(data: &[u8], headers: &[&str]) {
    let Some((&choice, rest)) = data.split_first() else {
        return;
    };
    let header = headers[usize::from(choice >> 4) % headers.len()];
    let mut text = header.as_bytes().to_vec();
    text.push(b'\n');
    text.extend_from_slice(rest);
    import_and_report("fuzz.csv", &text, options(choice), currency(choice));
}

/// Bits 0–1: the date order forced (or none); bits 2–3: the currency forced (or none).
fn options(choice: u8) -> ImportOptions {
    ImportOptions {
        date_order: match choice & 3 {
            1 => Some(DateOrder::MonthFirst),
            2 => Some(DateOrder::DayFirst),
            3 => Some(DateOrder::YearFirst),
            _ => None,
        },
        currency: currency(choice),
        size_hint: None,
    }
}

fn currency(choice: u8) -> Option<Currency> {
    match (choice >> 2) & 3 {
        1 => Some(Currency::USD),
        2 => Some(Currency::GBP),
        3 => Currency::from_code("VND"),
        _ => None,
    }
}

/// Imports, then computes the report on the file alone and next to a small valid Orders export and
/// costs sheet (so joins and duplicates across files are exercised).
fn import_and_report(
    name: &str,
    bytes: &[u8],
    options: ImportOptions,
    report_currency: Option<Currency>,
) {
    let Ok(file) = read_any(name, bytes, options) else {
        return;
    };
    let _ = report::build(
        std::slice::from_ref(&file),
        &CostsTable::default(),
        report_currency,
        None,
    );
    let costs = CostsTable::read("costs.csv", SAMPLE_COSTS.as_bytes()).unwrap_or_default();
    let mut files = vec![file];
    if let Ok(orders) = read_any("orders.csv", SAMPLE_ORDERS.as_bytes(), options) {
        files.push(orders);
    }
    for c in report::currencies(&files) {
        let _ = report::build(&files, &costs, Some(c), None);
    }
}

pub const ORDERS_US: &str = "Order ID,Order Status,Order Substatus,Cancelation/Return Type,Normal or Pre-order,SKU ID,\
Seller SKU,Product Name,Variation, Virtual Bundle Seller SKU,Quantity,Sku Quantity of return,SKU Unit Original Price,\
SKU Subtotal Before Discount,SKU Platform Discount,SKU Seller Discount,SKU Subtotal After Discount,\
Shipping Fee After Discount,Original Shipping Fee,Shipping Fee Seller Discount,Co-Funded Shipping Fee Discount,\
Shipping Fee Platform Discount,Payment platform discount,Retail Delivery Fee,Taxes,Order Amount,Order Refund Amount,\
Created Time,Paid Time,RTS Time,Shipped Time,Delivered Time,Cancelled Time,Cancel By,Cancel Reason,Fulfillment Type";

pub const ORDERS_UK: &str = "Order ID,Order Status,Order Substatus,Cancelation/Return Type,Normal or Pre-order,SKU ID,\
Seller SKU,Product Name,Variation,Quantity,Sku Quantity of return,SKU Unit Original Price,SKU Subtotal Before Discount,\
SKU Platform Discount,SKU Seller Discount,SKU Subtotal After Discount,Shipping Fee After Discount,Original Shipping Fee,\
Shipping Fee Seller Discount,Shipping Fee Platform Discount,Taxes,Order Amount,Order Refund Amount,Created Time,\
Paid Time,RTH Time,Shipped Time,Delivered Time,Cancelled Time,Cancel By,Cancel Reason,Fulfillment Type,\
Product Tax Amount,Product Tax Rate,Shipping Tax Amount,Shipping Tax Rate";

pub const ORDERS_MINIMAL: &str = "Order ID,Order Status,SKU ID,Quantity,SKU Subtotal Before Discount,\
SKU Seller Discount,Created Time,Paid Time";

pub const AFFILIATE_US: &str = "Order ID,Product ID,Product Name,SKU ID,Price,Payment Amount,Currency,Quantity,\
Fully returned or refunded,Payment method,Order Status,Creator Username,Content Type,Content ID,commission model,\
Standard commission rate,Est. Commission Base,Est. standard commission payment,Actual Commission Base,\
Actual Commission Payment,Shop Ads commission rate,Est. Shop Ads commission payment,\
Actual Shop Ads commission payment,Est. co-funded creator bonus,Actual co-funded creator bonus,Time Created,\
Payment time,Order Delivery Time,Time Commission Paid,Platform";

pub const AFFILIATE_UK: &str = "Order ID,Product ID,Product Name,SKU ID,Price,Payment Amount,Currency,Quantity,\
Fully returned or refunded,Payment method,Order Status,Creator Username,Creator Region,Content Type,Content ID,\
commission model,Standard commission rate,Est. Commission Base,Est. standard commission payment,\
Actual Commission Base,Actual Commission Payment,Shop Ads commission rate,Est. Shop Ads commission payment,\
Actual Shop Ads commission payment,Est. co-funded creator bonus,Actual co-funded creator bonus,Time Created,\
Payment time,Order Delivery Time,Time Commission Paid,Platform";

pub const FINANCE_INCOME: &str = "Order/adjustment ID  ,Type ,Order created time,Order settled time,Currency,\
Total settlement amount,Total revenue,Subtotal after seller discounts,Subtotal before discounts,Seller discounts,\
Refund subtotal after seller discounts,Refund subtotal before seller discounts,Refund of seller discounts,Total fees,\
Transaction fee,TikTok Shop commission fee,Seller shipping fee,Actual shipping fee,Affiliate commission,\
Affiliate partner commission,Affiliate Shop Ads commission,GST,Ajustment amount,Related order ID,Customer payment";

pub const FINANCE_STATEMENT: &str = "Order ID,SKU ID,SKU name,Product name,Order Income,Order Cost,Net Order Margin,\
Sold Quantity,Order paid date,Order settled date,Order status,Sample order type,Gross sales,Seller discount,\
Gross sales refund,Seller discount refund,Affiliate Commission,Affiliate Shop Ads commission,Referral fee,\
Refund administration fee,Transaction fee,Sales tax on referral fees,TikTok Shop shipping fee";

pub const FINANCE_ADJUSTMENT: &str = "Adjustment ID,Adjustment type,Related order ID,Adjustment create time,\
Adjustment settlement time,Adjustment amount,Currency";

pub const FINANCE_ONHOLD: &str = "Type,Order/adjustment ID,Related order ID,creation date,\
Total estimated settlement amount,Estimated Settle time,unsettled reasons,SKU ID,Quantity,Product name,Net sales,\
Gross sales,Fees,Referral fee,TikTok Shop shipping fee,Adjustment amount";

pub const GMV_MAX: &str = "By Day,Cost,SKU orders (Current shop),Cost per order (Current shop),\
Gross revenue (Current shop),ROI (Current shop),Currency";

pub const ADS_MANAGER: &str =
    "Date,Campaign name,Campaign ID,Cash cost,Credit cost,Ad credit cost,Amount,Currency,Type";

/// GMV Max creatives, English (the columns public parsers list).
pub const GMV_MAX_CREATIVES_EN: &str = "Campaign name,Campaign ID,Product ID,Creative type,Video title,Video ID,\
TikTok account,Post time,Status,Authorization type,Cost,SKU orders,Cost per order,Gross revenue,ROI,Currency";
/// GMV Max creatives, the Portuguese UI (the BR fixture's row 1).
pub const GMV_MAX_CREATIVES_PT: &str = "Nome da campanha,ID da campanha,ID do produto,Tipo de criativo,\
Título do vídeo,ID do vídeo,Conta TikTok,Hora da publicação,Status,Tipo de autorização,Custo,Pedidos de SKU,\
Custo por pedido,Receita bruta,ROI,Impressões de anúncio de produto,Cliques em anúncio de produto,\
Taxa de cliques em anúncio de produto,Taxa de conversão do anúncio,\
Taxa de visualizações do vídeo publicitário de dois segundos,\
Taxa de visualizações do vídeo publicitário de seis segundos,Taxa de visualizações do vídeo publicitário de 25%,\
Taxa de visualizações do vídeo publicitário de 50%,Taxa de visualizações do vídeo publicitário de 75%,\
Taxa de visualizações do vídeo publicitário de 100%,Moeda";
/// GMV Max creatives, the Vietnamese UI, with the currency in the headers.
pub const GMV_MAX_CREATIVES_VN: &str = "Tên chiến dịch,ID chiến dịch,ID sản phẩm,Loại nội dung sáng tạo,\
Tiêu đề video,ID video,Tài khoản TikTok,Thời gian đăng,Trạng thái,Loại ủy quyền,Chi phí (VND),\
Số lượng đơn hàng SKU,Chi phí cho mỗi đơn hàng,Doanh thu gộp (VND),ROI";
/// GMV Max LIVE campaigns (the VN fixture's row 1).
pub const GMV_MAX_LIVE: &str = "LIVE name,Launched time,Status,Campaign name,Campaign ID,Cost,Net Cost,SKU orders,\
SKU orders (Current shop),Cost per order (Current shop),Gross revenue,Gross revenue (Current shop),\
ROI (Current shop),LIVE views,Cost per LIVE view,10-second LIVE views,Cost per 10-second LIVE view,LIVE follows,Currency";

/// An affiliate row with a Product ID, joined to the first sample order line: it pairs product
/// 1731000000000000001 with SKU 1729581609641744555.
pub const SAMPLE_AFFILIATE_PRODUCTS: &str = "Order ID,Product ID,SKU ID,Price,Payment Amount,Currency,Quantity,\
Fully returned or refunded,Order Status,Creator Username,Content Type,Standard commission rate,\
Est. Commission Base,Est. standard commission payment,Time Created\n\
577396316691665747,1731000000000000001,1729581609641744555,19.99,34.98,USD,2,No,Completed,creator_1,Video,10%,34.98,3.50,17/05/2026 21:41:56\n";

/// A LIVE session on 17 May 2026, 21:30 for an hour.
pub const SAMPLE_LIVE: &str = "2026-05-01 ~ 2026-05-31\n\n\
Livestream,Start time,Duration,Gross revenue,Direct GMV,Items sold,Customers,Avg. price,Orders paid for,\
GMV/1K shows,GMV/1K views,Views,Viewers,Peak viewers,New followers,Avg. view duration,Likes,Comments,Shares,\
Product impressions,Product clicks,CTR,CTOR (SKU orders)\n\
Evening,2026-05-17 21:30,3600,$300.00,$300.00,2,2,$150.00,2,$0.00,$0.00,1000,800,50,0,60,0,0,0,500,40,0.08,0.05\n";

pub const COSTS_HEADER: &str =
    "sku,unit_cost,effective_from,fulfillment_per_unit,vat_rate,product\n";

/// Three valid US order lines: shipped, cancelled, refunded.
pub const SAMPLE_ORDERS: &str = "Order ID,Order Status,Order Substatus,Cancelation/Return Type,SKU ID,Seller SKU,\
Quantity,Sku Quantity of return,SKU Subtotal Before Discount,SKU Platform Discount,SKU Seller Discount,\
SKU Subtotal After Discount,Order Refund Amount,Created Time,Paid Time\n\
577396316691665747,Shipped,In transit,,1729581609641744555,TEA-1,2,0,39.98,0,5.00,34.98,,05/17/2026 9:41:56 PM,05/17/2026 9:42:00 PM\n\
577396316691665748,Canceled,,Cancel,1729581609641744556,MUG-1,1,0,12.00,0,0,12.00,,05/16/2026 10:00:00 AM,\n\
577396316691665749,Completed,,Return/Refund,1729581609641744555,TEA-1,1,1,19.99,0,0,19.99,19.99,05/01/2026 8:00:00 AM,05/01/2026 8:00:01 AM\n";

/// One affiliate row joined to the first sample order line.
pub const SAMPLE_AFFILIATE: &str = "Order ID,SKU ID,Price,Payment Amount,Currency,Quantity,\
Fully returned or refunded,Order Status,Creator Username,Content Type,Standard commission rate,\
Est. Commission Base,Est. standard commission payment,Time Created\n\
577396316691665747,1729581609641744555,19.99,34.98,USD,2,No,Completed,creator_1,Video,10%,34.98,3.50,17/05/2026 21:41:56\n";

pub const SAMPLE_COSTS: &str = "sku,unit_cost,effective_from,fulfillment_per_unit,vat_rate,product\n\
TEA-1,4.20,,0.80,,Tea\nTEA-1,4.60,2026-05-10,0.80,,Tea\n1729581609641744556,3.00,,,,Mugs\n";

pub const DEFAULT_SHARED: &str = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3"><si><t>Order ID</t></si><si><t>SKU ID</t></si><si><t>Order Status</t></si></sst>"#;

pub const DEFAULT_WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="OrderSKUList" sheetId="1" r:id="rId1"/></sheets></workbook>"#;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;
