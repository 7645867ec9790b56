//! Finance exports (docs/formats.md §2): income transactions (`Order details`), the US 2026 statement P&L
//! (`Orders` and `Adjustment` sheets) and the on-hold (unsettled) export. Amounts are kept as the export
//! signs them (revenue positive, fees negative) in typed fields ([`FinanceAmounts`]); nested totals are
//! never re-added.

use super::table::{ColumnMap, ColumnSpec, Rows, Tally, is_blank, one_currency};
use super::values::{DateOrder, clean_id, parse_timestamp, trim_cell};
use super::{ExportKind, FileData, ImportError, ImportReport, ImportedFile, Source};
use crate::ledger::{FinanceAmounts, FinanceRow};
use crate::money::{Currency, parse_money};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Identity and date columns of every finance export.
const ID_COLUMNS: &[ColumnSpec] = &[
    (
        "id",
        false,
        &["order/adjustment id", "order id", "adjustment id"],
    ),
    ("type", false, &["type", "adjustment type"]),
    ("related_order_id", false, &["related order id"]),
    ("sku_id", false, &["sku id"]),
    ("currency", false, &["currency"]),
    (
        "created",
        false,
        &[
            "order created time",
            "order created time(utc)",
            "creation date",
            "order paid date",
            "adjustment create time",
        ],
    ),
    (
        "settled",
        false,
        &[
            "order settled time",
            "order settled time(utc)",
            "order settled date",
            "statement date",
            "adjustment settlement time",
            "estimated settle time",
        ],
    ),
    ("sample_type", false, &["sample order type"]),
];

/// Money columns (docs/formats.md §2.1–2.3, header case and spacing normalised; `Ajustment` sic), each with
/// the field of [`FinanceAmounts`] it fills.
const MONEY_COLUMNS: &[(ColumnSpec, Field)] = &[
    (
        (
            "settlement",
            false,
            &[
                "total settlement amount",
                "net order margin",
                "total estimated settlement amount",
            ],
        ),
        |a| &mut a.settlement,
    ),
    (
        (
            "revenue",
            false,
            &["total revenue", "order income", "net sales"],
        ),
        |a| &mut a.revenue,
    ),
    (
        (
            "gross_sales",
            false,
            &["subtotal before discounts", "gross sales"],
        ),
        |a| &mut a.gross_sales,
    ),
    (
        (
            "seller_discount",
            false,
            &["seller discounts", "seller discount"],
        ),
        |a| &mut a.seller_discount,
    ),
    (
        (
            "refund",
            false,
            &[
                "refund subtotal after seller discounts",
                "gross sales refund",
            ],
        ),
        |a| &mut a.refund,
    ),
    (
        (
            "seller_discount_refund",
            false,
            &["seller discount refund", "refund of seller discounts"],
        ),
        |a| &mut a.seller_discount_refund,
    ),
    (("total_fees", false, &["total fees", "fees"]), |a| {
        &mut a.total_fees
    }),
    (
        (
            "platform_commission",
            false,
            &[
                "tiktok shop commission fee",
                "referral fee",
                "platform commission fee",
            ],
        ),
        |a| &mut a.platform_commission,
    ),
    (("transaction_fee", false, &["transaction fee"]), |a| {
        &mut a.transaction_fee
    }),
    (
        ("refund_admin_fee", false, &["refund administration fee"]),
        |a| &mut a.refund_admin_fee,
    ),
    (
        ("sales_tax_on_fees", false, &["sales tax on referral fees"]),
        |a| &mut a.sales_tax_on_fees,
    ),
    (
        (
            "seller_shipping",
            false,
            &[
                "seller shipping fee",
                "tiktok shop shipping fee",
                "shipping",
            ],
        ),
        |a| &mut a.seller_shipping,
    ),
    (
        ("affiliate_commission", false, &["affiliate commission"]),
        |a| &mut a.affiliate_commission,
    ),
    (
        (
            "affiliate_partner_commission",
            false,
            &["affiliate partner commission"],
        ),
        |a| &mut a.affiliate_partner_commission,
    ),
    (
        (
            "affiliate_shop_ads_commission",
            false,
            &["affiliate shop ads commission"],
        ),
        |a| &mut a.affiliate_shop_ads_commission,
    ),
    (
        (
            "affiliate_commission_refund",
            false,
            &["affiliate commission refund"],
        ),
        |a| &mut a.affiliate_commission_refund,
    ),
    (
        (
            "adjustment",
            false,
            &["ajustment amount", "adjustment amount"],
        ),
        |a| &mut a.adjustment,
    ),
    (("customer_payment", false, &["customer payment"]), |a| {
        &mut a.customer_payment
    }),
];

/// Where a money column goes in a row's amounts.
type Field = fn(&mut FinanceAmounts) -> &mut Option<Decimal>;

/// Reads a finance sheet after its header.
pub(crate) fn read(
    src: &Source<'_>,
    kind: ExportKind,
    header_line: u64,
    header: &[String],
    rows: &mut dyn Rows,
) -> Result<ImportedFile, ImportError> {
    let name = src.name;
    let spec: Vec<ColumnSpec> = ID_COLUMNS
        .iter()
        .copied()
        .chain(MONEY_COLUMNS.iter().map(|(column, _)| *column))
        .collect();
    let map = ColumnMap::new(name, header_line, header, &spec, kind.label())?;
    let fail = |row: Option<u64>, column: Option<String>, message: String| ImportError {
        file: name.to_string(),
        row,
        column,
        message,
    };
    if !map.has("id") {
        return Err(fail(
            Some(header_line),
            None,
            format!("the {} has no order or adjustment ID column", kind.label()),
        ));
    }
    let is_adjustment_sheet = normalised_has(header, "adjustment id");
    // The statement's `Gross sales refund` is before seller discounts (its `Seller discount refund`
    // gives them back); the income export's refund column is after them (docs/formats.md §2.2).
    let refund_before_discounts =
        map.has("refund") && super::normalise_header(&map.header("refund")) == "gross sales refund";
    let mut currency = src.options.currency;
    let mut evidence = Vec::new();
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
        let raw_id = cell("id");
        // Totals and notes under the table, and description rows, have no ID.
        if raw_id.is_empty() || raw_id.eq_ignore_ascii_case("total") {
            tally.skip("total or note row");
            continue;
        }
        let id = clean_id(raw_id).map_err(|_| {
            fail(
                Some(line),
                Some(map.header("id")),
                format!("the ID {raw_id:?} was saved as a number by a spreadsheet, which lost its last digits; export the file again"),
            )
        })?;
        if let Some(c) = Currency::from_code(cell("currency"))
            && one_currency(&mut currency, c, name, line, map.header("currency"))?
        {
            evidence.push(format!("currency {c} from the Currency column"));
        }
        let mut amounts = FinanceAmounts {
            refund_before_discounts,
            ..FinanceAmounts::default()
        };
        let mut bad = None;
        for ((key, _, _), field) in MONEY_COLUMNS {
            if !map.has(key) {
                continue;
            }
            match parse_money(cell(key)) {
                Ok(Some(m)) => {
                    if let Some(c) = m.currency {
                        one_currency(&mut currency, c, name, line, map.header(key))?;
                    }
                    *field(&mut amounts) = Some(m.amount);
                }
                Ok(None) => {}
                Err(e) => {
                    bad = Some((*key, e.to_string()));
                    break;
                }
            }
        }
        if let Some((k, why)) = bad {
            tally.skip_cell(line, &map.header(k), &why);
            continue;
        }
        let date = |k: &str| -> Result<Option<NaiveDate>, String> {
            finance_date(cell(k), src.options.date_order)
        };
        let (created, settled) = match (date("created"), date("settled")) {
            (Ok(c), Ok(s)) => (c, s),
            (Err(why), _) => {
                tally.skip_cell(line, &map.header("created"), &why);
                continue;
            }
            (_, Err(why)) => {
                // The on-hold export writes "Delivered + 1 days" here: an estimate, not a date.
                if kind == ExportKind::FinanceOnHold {
                    (date("created").ok().flatten(), None)
                } else {
                    tally.skip_cell(line, &map.header("settled"), &why);
                    continue;
                }
            }
        };
        let type_text = cell("type").to_string();
        let row_kind = if type_text.is_empty() {
            if is_adjustment_sheet {
                "Adjustment".to_string()
            } else {
                "Order".to_string()
            }
        } else {
            type_text
        };
        let related = clean_id(cell("related_order_id")).unwrap_or_default();
        let is_order =
            row_kind.eq_ignore_ascii_case("order") || row_kind.eq_ignore_ascii_case("đơn hàng");
        let order_id = if is_order
            || (!is_adjustment_sheet && related.is_empty() && kind == ExportKind::FinanceStatement)
        {
            id.clone()
        } else {
            related
        };
        let sku_id = clean_id(cell("sku_id")).unwrap_or_default();
        out.push(FinanceRow {
            id,
            kind: row_kind,
            order_id,
            sku_id,
            settled,
            created,
            estimated: kind == ExportKind::FinanceOnHold,
            sample: cell("sample_type").to_lowercase().contains("sample"),
            amounts,
        });
    }
    if currency.is_none() {
        evidence.push(
            "no currency in the file; the currency of the Orders exports is assumed".to_string(),
        );
    }
    let date_range = out.iter().filter_map(|r| r.settled.or(r.created)).fold(
        None,
        |acc: Option<(NaiveDate, NaiveDate)>, d| {
            Some(acc.map_or((d, d), |(a, b)| (a.min(d), b.max(d))))
        },
    );
    Ok(ImportedFile {
        report: ImportReport {
            name: name.to_string(),
            kind,
            currency,
            market: currency.and_then(crate::settings::default_market),
            date_order: Some(DateOrder::YearFirst),
            encoding: src.encoding.to_string(),
            evidence: evidence.join("; "),
            rows: tally.rows,
            used_rows: out.len() as u64,
            skipped: tally.skipped(),
            used_columns: map.used(),
            ignored_columns: map.ignored(),
            date_range,
            warnings: tally.warnings(),
            vat_in_export: false,
        },
        data: FileData::Finance(out),
    })
}

fn normalised_has(header: &[String], name: &str) -> bool {
    header.iter().any(|h| super::normalise_header(h) == name)
}

/// Finance dates: `yyyy/MM/dd` strings, `YYYYMMDD` integers (2026 P&L), Excel serial numbers (XLSX
/// cells formatted as dates), or the file's date order when the user set one.
pub(crate) fn finance_date(
    cell: &str,
    order: Option<DateOrder>,
) -> Result<Option<NaiveDate>, String> {
    let t = trim_cell(cell);
    if t.is_empty() || t == "/" || t == "-" {
        return Ok(None);
    }
    let bad = || format!("{t:?} is not a date (YYYY/MM/DD)");
    let digits_only = t.bytes().all(|b| b.is_ascii_digit());
    if digits_only && t.len() == 8 {
        return parse_timestamp(t, DateOrder::YearFirst)
            .map(|d| d.map(|x| x.date()))
            .map_err(|_| bad());
    }
    if (digits_only && t.len() == 5)
        || (t.len() > 5
            && t.as_bytes().get(5) == Some(&b'.')
            && t[..5].bytes().all(|b| b.is_ascii_digit()))
    {
        return super::xlsx::serial_to_datetime(t)
            .map(|d| Some(d.date()))
            .ok_or_else(bad);
    }
    let order = order.unwrap_or_else(|| {
        // Bytes, not `t[..4]`: the fourth byte may be inside a multi-byte character.
        if t.as_bytes()
            .get(..4)
            .is_some_and(|p| p.iter().all(u8::is_ascii_digit))
        {
            DateOrder::YearFirst
        } else {
            DateOrder::DayFirst
        }
    });
    parse_timestamp(t, order)
        .map(|d| d.map(|x| x.date()))
        .map_err(|_| bad())
}
