//! The seller-side Affiliate orders export (docs/formats.md §3.1): one row per commission on an order line.

use super::table::{ColumnMap, ColumnSpec, Rows, Tally, is_blank, one_currency};
use super::values::{DateOrder, clean_id, parse_count, parse_timestamp, trim_cell};
use super::{ExportKind, FileData, ImportError, ImportReport, ImportedFile, Source};
use crate::ledger::{AffiliateRow, AffiliateStatus};
use crate::money::{Currency, parse_money};
use rust_decimal::Decimal;

/// Columns: US 30 and UK 31 (with `Creator Region`), and the older `creator_order_all` variants.
const COLUMNS: &[ColumnSpec] = &[
    ("order_id", true, &["order id"]),
    ("sku_id", false, &["sku id"]),
    ("seller_sku", false, &["seller sku"]),
    // Pairs the product with its SKU: GMV Max's per-product spend is charged through it (docs/metrics.md §3).
    (
        "product_id",
        false,
        &["product id", "id sản phẩm", "id produk"],
    ),
    ("product_name", false, &["product name"]),
    ("creator", true, &["creator username", "creator name"]),
    ("content_type", false, &["content type"]),
    ("content_id", false, &["content id"]),
    ("status", false, &["order status"]),
    ("quantity", false, &["quantity", "items sold"]),
    ("fully_returned", false, &["fully returned or refunded"]),
    ("currency", false, &["currency"]),
    ("payment_amount", false, &["payment amount"]),
    ("commission_base", false, &["est. commission base"]),
    ("est_standard", false, &["est. standard commission payment"]),
    ("actual_standard", false, &["actual commission payment"]),
    ("est_shop_ads", false, &["est. shop ads commission payment"]),
    (
        "actual_shop_ads",
        false,
        &["actual shop ads commission payment"],
    ),
    ("est_bonus", false, &["est. co-funded creator bonus"]),
    ("actual_bonus", false, &["actual co-funded creator bonus"]),
    ("created", false, &["time created"]),
];

/// Commission settlement statuses (lower case) in English and the local languages seen.
const STATUSES: &[(&str, AffiliateStatus)] = &[
    ("pending", AffiliateStatus::Pending),
    ("not settled", AffiliateStatus::Pending),
    ("settled", AffiliateStatus::Settled),
    ("ineligible", AffiliateStatus::Ineligible),
    ("refunded", AffiliateStatus::Ineligible),
    ("đã hủy", AffiliateStatus::Ineligible),
    ("unpaid by customer", AffiliateStatus::Unpaid),
    ("customer unpaid", AffiliateStatus::Unpaid),
    ("frozen", AffiliateStatus::Frozen),
];

/// Content types as one spelling (UK/MY write "Programme").
const CONTENT_TYPES: &[(&str, &str)] = &[
    ("video", "Video"),
    ("livestream", "Livestream"),
    ("live", "Livestream"),
    ("showcase", "Showcase"),
    ("external traffic program", "External Traffic Program"),
    ("external traffic programme", "External Traffic Program"),
];

/// Reads the rows of an Affiliate orders export after its header.
pub(crate) fn read(
    src: &Source<'_>,
    header_line: u64,
    header: &[String],
    rows: &mut dyn Rows,
) -> Result<ImportedFile, ImportError> {
    let name = src.name;
    let map = ColumnMap::new(
        name,
        header_line,
        header,
        COLUMNS,
        "Affiliate orders export",
    )?;
    let fail = |row: Option<u64>, column: Option<String>, message: String| ImportError {
        file: name.to_string(),
        row,
        column,
        message,
    };
    if !map.has("sku_id") && !map.has("seller_sku") {
        return Err(fail(
            Some(header_line),
            None,
            "the Affiliate orders export has neither \"SKU ID\" nor \"Seller SKU\": its commissions cannot be matched to products".to_string(),
        ));
    }
    if ![
        "est_standard",
        "actual_standard",
        "est_shop_ads",
        "actual_shop_ads",
    ]
    .iter()
    .any(|k| map.has(k))
    {
        return Err(fail(
            Some(header_line),
            None,
            "the Affiliate orders export has no commission column (\"Est. standard commission payment\" or \"Actual Commission Payment\")"
                .to_string(),
        ));
    }
    let mut warnings_head = Vec::new();
    if !map.has("commission_base") {
        warnings_head.push(
            "no \"Est. Commission Base\" column: creator sales of orders not in the Orders exports use \"Payment Amount\" (it includes tax)"
                .to_string(),
        );
    }
    // Affiliate dates are day first in every market (docs/formats.md §3.1), even for US shops.
    let date_order = src.options.date_order.unwrap_or(DateOrder::DayFirst);
    let mut currency = src.options.currency;
    let mut tally = Tally::default();
    let mut out = Vec::new();
    let mut record = csv::StringRecord::new();
    while let Some(line) = rows.next_row(&mut record)? {
        tally.rows += 1;
        if is_blank(&record) {
            tally.skip("empty row");
            continue;
        }
        let cell = |k: &str| trim_cell(map.cell(&record, k));
        let order_id = clean_id(cell("order_id")).map_err(|_| {
            fail(
                Some(line),
                Some(map.header("order_id")),
                format!(
                    "the order ID {:?} was saved as a number by a spreadsheet, which lost its last digits; export the file again",
                    cell("order_id")
                ),
            )
        })?;
        if order_id.is_empty() || !order_id.bytes().all(|b| b.is_ascii_digit()) {
            tally.skip("not an order row");
            tally.warn(format!(
                "row {line}, column \"{}\": {order_id:?} is not an order ID; row skipped",
                map.header("order_id")
            ));
            continue;
        }
        let sku_id = clean_id(cell("sku_id")).map_err(|_| {
            fail(
                Some(line),
                Some(map.header("sku_id")),
                format!(
                    "the SKU ID {:?} was saved as a number by a spreadsheet",
                    cell("sku_id")
                ),
            )
        })?;
        if let Some(c) = map
            .index("currency")
            .and(Currency::from_code(cell("currency")))
        {
            one_currency(&mut currency, c, name, line, map.header("currency"))?;
        }
        let mut bad: Option<(&str, String)> = None;
        let mut money = |k: &'static str| -> Option<Decimal> {
            match parse_money(cell(k)) {
                Ok(m) => m.map(|m| m.amount),
                Err(e) => {
                    bad.get_or_insert((k, e.to_string()));
                    None
                }
            }
        };
        let base = money("commission_base");
        let payment = money("payment_amount");
        let standard = (
            money("est_standard").unwrap_or_default(),
            money("actual_standard"),
        );
        let shop_ads = (
            money("est_shop_ads").unwrap_or_default(),
            money("actual_shop_ads"),
        );
        let bonus = (
            money("est_bonus").unwrap_or_default(),
            money("actual_bonus"),
        );
        if let Some((k, why)) = bad {
            tally.skip_cell(line, &map.header(k), &why);
            continue;
        }
        let quantity = match parse_count(cell("quantity")) {
            None => 1,
            Some(Ok(n)) if n >= 0 => n,
            Some(_) => {
                tally.skip_cell(
                    line,
                    &map.header("quantity"),
                    &format!("{:?} is not a quantity", cell("quantity")),
                );
                continue;
            }
        };
        let created = match parse_timestamp(cell("created"), date_order) {
            Ok(Some(t)) => t,
            Ok(None) => chrono::NaiveDateTime::MIN,
            Err(_) => {
                tally.skip_cell(
                    line,
                    &map.header("created"),
                    &format!("{:?} is not a date (DD/MM/YYYY HH:mm:ss)", cell("created")),
                );
                continue;
            }
        };
        let status_text = cell("status").to_lowercase();
        let status = STATUSES
            .iter()
            .find(|(s, _)| *s == status_text)
            .map_or(AffiliateStatus::Other, |(_, st)| *st);
        let content_raw = cell("content_type");
        let content_type = CONTENT_TYPES
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(content_raw))
            .map_or_else(|| content_raw.to_string(), |(_, v)| (*v).to_string());
        let yes = cell("fully_returned").to_lowercase();
        out.push(AffiliateRow {
            order_id,
            sku_id,
            seller_sku: cell("seller_sku").to_string(),
            product_id: clean_id(cell("product_id")).unwrap_or_default(),
            product_name: cell("product_name").to_string(),
            creator: cell("creator").to_string(),
            content_type,
            content_id: clean_id(cell("content_id"))
                .unwrap_or_else(|_| cell("content_id").to_string()),
            status,
            quantity,
            fully_returned: matches!(yes.as_str(), "yes" | "có" | "ya" | "sim" | "sí"),
            commission_base: base.or(payment).unwrap_or_default(),
            standard,
            shop_ads,
            bonus,
            created,
        });
    }
    let date_range = out
        .iter()
        .filter(|r| r.created != chrono::NaiveDateTime::MIN)
        .map(|r| r.created.date())
        .fold(
            None,
            |acc: Option<(chrono::NaiveDate, chrono::NaiveDate)>, d| {
                Some(acc.map_or((d, d), |(a, b)| (a.min(d), b.max(d))))
            },
        );
    let mut warnings = warnings_head;
    warnings.extend(tally.warnings());
    let evidence = match (currency, src.options.currency) {
        (_, Some(_)) => "currency set by you".to_string(),
        (Some(c), None) => format!(
            "currency {c} from the Currency column; dates day first (as in every Affiliate export)"
        ),
        (None, None) => {
            "no Currency column; the currency of the Orders exports is assumed".to_string()
        }
    };
    Ok(ImportedFile {
        report: ImportReport {
            name: name.to_string(),
            kind: ExportKind::AffiliateOrders,
            currency,
            market: currency.and_then(crate::settings::default_market),
            date_order: Some(date_order),
            encoding: src.encoding.to_string(),
            evidence,
            rows: tally.rows,
            used_rows: out.len() as u64,
            skipped: tally.skipped(),
            used_columns: map.used(),
            ignored_columns: map.ignored(),
            date_range,
            warnings,
            vat_in_export: false,
        },
        data: FileData::Affiliate(out),
    })
}
