//! The Cash view (docs/metrics.md §6): estimated vs settled cash. The estimated settlement of the orders a
//! finance export settled beside what it paid, and the difference; each such order; the refunds by
//! source; the orders not settled yet and the cash still to come; the loaded orders by the day they
//! settled (the period's P&L on a settlement basis, up to CM1); and every settled finance row by day.
//! Without a finance export one line says which exports bring it.
//!
//! Every figure is the report's `cash`: the worker makes the rows with this view's fields ([`view`]) and
//! the page shows the same fields' columns, as the Content and Ads views do.

use super::{NoData, PeriodBar, currency, figures};
use crate::protocol::{CashView as Cash, Computed};
use crate::state::State;
use crate::table::{self, Column, DataTable, Field, Hook, Kind, Row, Value, amount, count, tiles};
use leptos::prelude::*;
use margin_engine::money::Currency;
use margin_engine::report::{
    CashSection, FinanceDayEntry, OrderCashEntry, Report, SettledDateEntry, UnsettledOrderEntry,
};
use std::sync::Arc;

/// What the view says without a finance export.
const NO_FINANCE: &str = "No finance export loaded: load Finance → Income (the order settlements), the statements or \
     the on-hold export to compare each order's estimated settlement with what TikTok paid, and to see the cash \
     still to come.";

/// How many orders the report lists at most, in each list.
const LISTED: usize = 200;

/// A column explained by `title`, read by `get` (a plain function: one accessor type per table).
fn titled<T: 'static>(
    key: &'static str,
    label: &'static str,
    kind: Kind,
    title: &'static str,
    get: fn(&T) -> Value,
) -> Field<T> {
    Field::new(Column::new(key, label, kind).titled(title), move |t: &T| {
        get(t)
    })
}

/// A money column explained by `title`.
fn money<T: 'static>(
    key: &'static str,
    label: &'static str,
    title: &'static str,
    get: fn(&T) -> &str,
) -> Field<T> {
    Field::new(
        Column::new(key, label, Kind::Money).titled(title),
        move |t: &T| amount(Some(get(t))),
    )
}

/// A text column read by `get`.
fn text<T: 'static>(key: &'static str, label: &'static str, get: fn(&T) -> String) -> Field<T> {
    Field::new(Column::new(key, label, Kind::Text), move |t: &T| {
        Value::Text(get(t))
    })
}

fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map_or_else(|| crate::format::NONE.to_string(), |d| d.to_string())
}

const ESTIMATED: &str = "Net sales − VAT − platform fees − commission − seller shipping, line by line (the finance \
     export's fees, shipping and refunds where it settled the line)";
const ACTUAL: &str = "What the finance export paid: its total settlement amount, later adjustments of the order \
     (such as a violation fee) included";
const DIFFERENCE: &str = "Actual − estimated settlement";

fn total_fields() -> Vec<Field<CashSection>> {
    type C = CashSection;
    vec![
        titled(
            "matched_orders",
            "Settled orders",
            Kind::Count,
            "Orders of the period (by order date) with lines a finance export settled",
            |c: &C| count(c.matched_orders),
        ),
        money(
            "estimated_settlement_of_matched",
            "Estimated settlement",
            ESTIMATED,
            |c: &C| &c.estimated_settlement_of_matched,
        ),
        money("actual_settlement", "Actual settlement", ACTUAL, |c: &C| {
            &c.actual_settlement
        }),
        money(
            "settlement_difference",
            "Difference",
            DIFFERENCE,
            |c: &C| &c.settlement_difference,
        ),
        money(
            "refunds_from_finance",
            "Refunds, from finance",
            "The refunds settled finance rows give (they replace the unit-based estimate of their lines)",
            |c: &C| &c.refunds.from_finance,
        ),
        titled(
            "refunds_from_finance_lines",
            "Lines so refunded",
            Kind::Count,
            "Order lines whose refund is the finance export's amount",
            |c: &C| count(c.refunds.from_finance_lines),
        ),
        money(
            "refunds_estimated",
            "Refunds, estimated",
            "The unit-based estimates (gross sales × units returned ÷ quantity) of the refunded lines no settled row \
             refunds yet",
            |c: &C| &c.refunds.estimated,
        ),
        titled(
            "refunds_estimated_lines",
            "Lines estimated",
            Kind::Count,
            "Refunded order lines whose refund is still the unit-based estimate",
            |c: &C| count(c.refunds.estimated_lines),
        ),
    ]
}

fn unsettled_fields() -> Vec<Field<CashSection>> {
    type C = CashSection;
    vec![
        money(
            "expected_cash",
            "Cash to come",
            "The on-hold export's estimate where it lists an order, ours for the loaded orders in no finance export, \
             and the on-hold rows of orders not loaded",
            |c: &C| &c.unsettled.expected_cash,
        ),
        titled(
            "on_hold_orders",
            "On hold",
            Kind::Count,
            "Loaded orders of the period the on-hold export lists",
            |c: &C| count(c.unsettled.on_hold_orders),
        ),
        money(
            "on_hold_expected",
            "On hold: TikTok's estimate",
            "The on-hold export's estimated settlement of those orders",
            |c: &C| &c.unsettled.on_hold_expected,
        ),
        money(
            "on_hold_estimated",
            "On hold: our estimate",
            "Our estimated settlement of the same orders",
            |c: &C| &c.unsettled.on_hold_estimated,
        ),
        titled(
            "not_in_finance_orders",
            "In no finance export",
            Kind::Count,
            "Loaded orders of the period with a sold or returned line that no finance export lists",
            |c: &C| count(c.unsettled.not_in_finance_orders),
        ),
        money(
            "not_in_finance_estimated",
            "Their estimate",
            "Our estimated settlement of those orders",
            |c: &C| &c.unsettled.not_in_finance_estimated,
        ),
        titled(
            "other_on_hold_orders",
            "On hold, not loaded",
            Kind::Count,
            "Orders the on-hold export lists that no loaded Orders export holds",
            |c: &C| count(c.unsettled.other_on_hold_orders),
        ),
        money(
            "other_on_hold_expected",
            "Their estimate (TikTok's)",
            "The on-hold export's estimated settlement of those orders",
            |c: &C| &c.unsettled.other_on_hold_expected,
        ),
    ]
}

fn order_fields() -> Vec<Field<OrderCashEntry>> {
    type O = OrderCashEntry;
    vec![
        text("order_id", "Order ID", |o: &O| o.order_id.clone()),
        text("order_date", "Ordered", |o: &O| o.order_date.to_string()),
        text("settled_date", "Settled", |o: &O| date(o.settled_date)),
        money(
            "net_sales",
            "Net sales",
            "Net sales of the order's settled lines",
            |o: &O| &o.net_sales,
        ),
        money("estimated_settlement", "Estimated", ESTIMATED, |o: &O| {
            &o.estimated_settlement
        }),
        money("actual_settlement", "Actual", ACTUAL, |o: &O| {
            &o.actual_settlement
        }),
        money("difference", "Difference", DIFFERENCE, |o: &O| {
            &o.difference
        }),
    ]
}

fn unsettled_order_fields() -> Vec<Field<UnsettledOrderEntry>> {
    type U = UnsettledOrderEntry;
    vec![
        text("order_id", "Order ID", |u: &U| u.order_id.clone()),
        text("order_date", "Ordered", |u: &U| u.order_date.to_string()),
        money(
            "estimated_settlement",
            "Our estimate",
            "Our estimated settlement of the order",
            |u: &U| &u.estimated_settlement,
        ),
        titled(
            "on_hold_expected",
            "On hold (TikTok's estimate)",
            Kind::Money,
            "The on-hold export's estimated settlement, when it lists the order",
            |u: &U| amount(u.on_hold_expected.as_deref()),
        ),
    ]
}

fn settled_date_fields() -> Vec<Field<SettledDateEntry>> {
    type S = SettledDateEntry;
    vec![
        text("date", "Settled", |s: &S| s.date.to_string()),
        titled(
            "orders",
            "Orders",
            Kind::Count,
            "Loaded orders settled that day, whenever they were ordered",
            |s: &S| count(s.orders),
        ),
        money(
            "net_sales",
            "Net sales",
            "Net sales of their settled lines",
            |s: &S| &s.net_sales,
        ),
        money(
            "output_vat",
            "VAT",
            "VAT inside those net sales",
            |s: &S| &s.output_vat,
        ),
        money(
            "platform_fees",
            "Platform fees",
            "Platform fees",
            |s: &S| &s.platform_fees,
        ),
        money(
            "affiliate_commission",
            "Commission",
            "Creator commission",
            |s: &S| &s.affiliate_commission,
        ),
        money("shipping", "Shipping", "Seller-paid shipping", |s: &S| {
            &s.shipping
        }),
        money("cogs", "COGS", "Cost of goods", |s: &S| &s.cogs),
        money(
            "cm1",
            "CM1",
            "Contribution before marketing (ad spend and overhead are dated by their own days)",
            |s: &S| &s.cm1,
        ),
        money("estimated_settlement", "Estimated", ESTIMATED, |s: &S| {
            &s.estimated_settlement
        }),
        money("actual_settlement", "Actual", ACTUAL, |s: &S| {
            &s.actual_settlement
        }),
        money("difference", "Difference", DIFFERENCE, |s: &S| {
            &s.difference
        }),
    ]
}

fn finance_day_fields() -> Vec<Field<FinanceDayEntry>> {
    type F = FinanceDayEntry;
    vec![
        text("date", "Settled", |f: &F| f.date.to_string()),
        titled(
            "rows",
            "Rows",
            Kind::Count,
            "Settled finance rows of the day, matched to a loaded order or not (reimbursements, ad payments…)",
            |f: &F| count(f.rows),
        ),
        money(
            "settlement",
            "Settlement",
            "Σ settlement amounts, as the export signs them",
            |f: &F| &f.settlement,
        ),
        money("refunds", "Refunds", "Σ refunds of sales", |f: &F| {
            &f.refunds
        }),
        money(
            "ad_payments",
            "Ad payments",
            "Σ ad payments from the balance",
            |f: &F| &f.ad_payments,
        ),
    ]
}

/// The rows of `items` (each with its ID) by `fields`.
fn rows<T: 'static>(fields: &[Field<T>], items: impl Iterator<Item = (String, T)>) -> Vec<Row> {
    items
        .map(|(id, x)| table::row(fields, id, &x, false))
        .collect()
}

/// The Cash view's figures of a report (in the worker): `None` without a finance export.
pub fn view(r: &Report) -> Option<Cash> {
    let c = r.cash.as_ref()?;
    Some(Cash {
        totals: table::row(&total_fields(), "cash".into(), c, false),
        unsettled: table::row(&unsettled_fields(), "unsettled".into(), c, false),
        orders: rows(
            &order_fields(),
            c.orders.iter().map(|o| (o.order_id.clone(), o.clone())),
        ),
        unsettled_orders: rows(
            &unsettled_order_fields(),
            c.unsettled
                .orders
                .iter()
                .map(|u| (u.order_id.clone(), u.clone())),
        ),
        by_settled_date: rows(
            &settled_date_fields(),
            c.by_settled_date
                .iter()
                .map(|s| (s.date.to_string(), s.clone())),
        ),
        finance_by_day: rows(
            &finance_day_fields(),
            c.finance_by_day
                .iter()
                .map(|f| (f.date.to_string(), f.clone())),
        ),
        matched_orders: c.matched_orders,
        undated_finance_rows: c.undated_finance_rows,
    })
}

type Figures = Memo<Option<Arc<Computed>>>;

/// A table's rows, as the worker made them.
fn rows_of(f: Figures, pick: fn(&Cash) -> &Vec<Row>) -> Memo<Vec<Row>> {
    Memo::new(move |_| {
        f.with(|c| {
            c.as_ref()
                .and_then(|c| c.report.cash.as_ref())
                .map(|cash| pick(cash).clone())
                .unwrap_or_default()
        })
    })
}

/// A table, or the line saying there is no row.
fn table(
    state: State,
    (name, caption): (&'static str, &'static str),
    empty: &'static str,
    (columns, rows): (Vec<Column>, Memo<Vec<Row>>),
    default_sort: &'static str,
) -> impl IntoView {
    view! {
        <Show
            when=move || rows.with(|r| !r.is_empty())
            fallback=move || view! { <p class="muted" data-testid=format!("{name}-none")>{empty}</p> }
        >
            <DataTable
                name=name
                caption=caption.to_string()
                hook=Hook::Row
                columns=columns.clone()
                rows=Signal::from(rows)
                currency=currency(state)
                default_sort=default_sort
            />
        </Show>
    }
}

struct Columns {
    totals: Vec<Column>,
    unsettled: Vec<Column>,
}

/// A sentence on how many of `all` orders a list of `listed` shows, when it is cut short.
fn listed(listed: usize, all: u64, what: &str) -> Option<String> {
    (u64::try_from(listed).unwrap_or(u64::MAX) < all)
        .then(|| format!("The {listed} {what} are listed, of {all}."))
}

#[component]
pub fn CashView() -> impl IntoView {
    let state = expect_context::<State>();
    let f = figures(state);
    let has = move || f.with(Option::is_some);
    let loaded =
        Memo::new(move |_| f.with(|c| c.as_ref().is_some_and(|c| c.report.cash.is_some())));
    let cols = StoredValue::new(Columns {
        totals: table::columns(&total_fields()),
        unsettled: table::columns(&unsettled_fields()),
    });
    let cur = currency(state);
    let with_cash = move |g: fn(&Cash, &Columns, Currency) -> AnyView| {
        move || {
            f.with(|c| {
                c.as_ref()
                    .and_then(|c| c.report.cash.as_ref())
                    .map(|cash| cols.with_value(|cols| g(cash, cols, cur.get())))
            })
        }
    };
    // Columns kept in stored values (`Copy`), so the sections can be drawn again.
    let orders = (
        StoredValue::new(table::columns(&order_fields())),
        rows_of(f, |c| &c.orders),
    );
    let pending = (
        StoredValue::new(table::columns(&unsettled_order_fields())),
        rows_of(f, |c| &c.unsettled_orders),
    );
    let settled = (
        StoredValue::new(table::columns(&settled_date_fields())),
        rows_of(f, |c| &c.by_settled_date),
    );
    let days = (
        StoredValue::new(table::columns(&finance_day_fields())),
        rows_of(f, |c| &c.finance_by_day),
    );
    view! {
        <div class="cash-view" data-testid="cash">
            <PeriodBar />
            <Show when=has fallback=|| view! { <NoData /> }>
                <Show
                    when=move || loaded.get()
                    fallback=|| view! { <p class="muted" data-testid="cash-none">{NO_FINANCE}</p> }
                >
                    <section aria-labelledby="cash-totals-h" data-testid="cash-totals">
                        <h2 id="cash-totals-h">"Estimated vs settled"</h2>
                        {with_cash(|cash, cols, c| tiles(&cols.totals, Some(&cash.totals), c, "Estimated vs settled").into_any())}
                        <p class="muted small">
                            "The estimate is the model's, line by line; where a finance export settled a line, its fees, seller shipping and refund replace the model's, so what is left of the estimate is the commission and the VAT."
                        </p>
                    </section>
                    <section aria-labelledby="cash-orders-h" data-testid="cash-orders">
                        <h2 id="cash-orders-h">"Settled orders: estimated vs actual"</h2>
                        {with_cash(|cash, _, _| {
                            let n = cash.orders.len();
                            listed(n, cash.matched_orders, "orders with the largest differences")
                                .map(|t| view! { <p class="muted small">{t}</p> })
                                .into_any()
                        })}
                        {table(
                            state,
                            ("cash_orders", "Settled orders: estimated vs actual"),
                            "No order of the period was settled by the loaded finance exports.",
                            (orders.0.get_value(), orders.1),
                            "",
                        )}
                    </section>
                    <section aria-labelledby="unsettled-h" data-testid="unsettled">
                        <h2 id="unsettled-h">"Not settled yet: cash to come"</h2>
                        {with_cash(|cash, cols, c| tiles(&cols.unsettled, Some(&cash.unsettled), c, "Not settled yet").into_any())}
                        {with_cash(|cash, _, _| {
                            (cash.unsettled_orders.len() >= LISTED)
                                .then(|| view! {
                                    <p class="muted small" data-testid="unsettled-listed">
                                        {format!("The {LISTED} orders with the most cash to come are listed.")}
                                    </p>
                                })
                                .into_any()
                        })}
                        {table(
                            state,
                            ("unsettled_orders", "Orders not settled yet"),
                            "Every order of the period is settled.",
                            (pending.0.get_value(), pending.1),
                            "",
                        )}
                    </section>
                    <section aria-labelledby="by-settled-date-h" data-testid="by-settled-date">
                        <h2 id="by-settled-date-h">"By settlement date"</h2>
                        <p class="muted small">
                            "The loaded orders settled on each day of the period, whenever they were ordered: the period's profit on a settlement basis, up to CM1 (ad spend and overhead are dated by their own days)."
                        </p>
                        {table(
                            state,
                            ("by_settled_date", "By settlement date"),
                            "No loaded order settled in the period.",
                            (settled.0.get_value(), settled.1),
                            "date:asc",
                        )}
                    </section>
                    <section aria-labelledby="finance-by-day-h" data-testid="finance-by-day">
                        <h2 id="finance-by-day-h">"Finance rows by day"</h2>
                        <p class="muted small">
                            "Every settled finance row by its settlement date, matched to a loaded order or not: the days' totals tie to the income export's Reports sheet."
                        </p>
                        {with_cash(|cash, _, _| {
                            (cash.undated_finance_rows > 0)
                                .then(|| {
                                    let n = cash.undated_finance_rows;
                                    view! { <p class="muted small">{format!("{n} settled rows have no settlement date and are left out.")}</p> }
                                })
                                .into_any()
                        })}
                        {table(
                            state,
                            ("finance_by_day", "Finance rows by day"),
                            "No settled finance row in the period.",
                            (days.0.get_value(), days.1),
                            "date:asc",
                        )}
                    </section>
                </Show>
            </Show>
        </div>
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use margin_engine::costs::CostsTable;
    use margin_engine::import::{ImportOptions, read_any};
    use margin_engine::settings::Settings;
    use rust_decimal_macros::dec;

    /// The value of `key` in a row of `fields`.
    fn at<'a, T>(fields: &[Field<T>], row: &'a Row, key: &str) -> &'a Value {
        &row.values[fields.iter().position(|f| f.column.key == key).unwrap()]
    }

    /// The engine's worked example (crates/engine/tests/cash.rs, docs/metrics.md §6) without the on-hold
    /// export: A estimated 33.00, paid 33.00 then a violation fee of −5.00; B estimated and paid 31.50.
    #[test]
    fn the_view_reads_the_reports_cash() {
        let orders = "Order ID,Order Status,Cancelation/Return Type,SKU ID,Quantity,Sku Quantity of return,\
SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n\
576000000000000001,Delivered,,11,2,0,40.00,0.00,05/01/2026 10:00:00 AM,05/01/2026 10:00:05 AM\n\
576000000000000002,Delivered,,11,2,0,50.00,0.00,05/02/2026 10:00:00 AM,05/02/2026 10:00:05 AM\n\
576000000000000004,Shipped,,22,1,0,20.00,0.00,05/03/2026 11:00:00 AM,05/03/2026 11:00:05 AM\n";
        let income = "Order/adjustment ID,Type,Order created time,Order settled time,Currency,Total settlement amount,\
Total revenue,Refund subtotal after seller discounts,Total fees,Seller shipping fee,Related order ID\n\
576000000000000001,Order,2026/05/01,2026/05/10,USD,33.00,40.00,0.00,-7.00,-3.00,\n\
576000000000000002,Order,2026/05/02,2026/05/12,USD,31.50,35.00,-15.00,-3.50,0.00,\n\
7300000000000000002,Violation fee,2026/05/11,2026/05/12,USD,-5.00,,,,,576000000000000001\n";
        let settings = Settings {
            fee_rules: Vec::new(),
            shipping_per_order: dec!(2),
            ..Settings::default()
        };
        let read = |name: &str, text: &str| {
            read_any(name, text.as_bytes(), ImportOptions::default()).unwrap()
        };
        let build = |files: &[margin_engine::import::ImportedFile]| {
            margin_engine::report::build_with_settings(
                files,
                &CostsTable::default(),
                &settings,
                None,
                None,
            )
            .unwrap()
            .0
        };
        let mut files = vec![read("orders.csv", orders)];
        // No finance export: nothing, the view says which export brings it.
        assert!(view(&build(&files)).is_none());
        files.push(read("income_2026-05.csv", income));
        let v = view(&build(&files)).unwrap();
        let num = |d| Value::Num(Some(d));
        let totals = total_fields();
        assert_eq!(at(&totals, &v.totals, "matched_orders"), &num(dec!(2)));
        assert_eq!(
            at(&totals, &v.totals, "estimated_settlement_of_matched"),
            &num(dec!(64.50))
        );
        assert_eq!(
            at(&totals, &v.totals, "actual_settlement"),
            &num(dec!(59.50))
        );
        assert_eq!(
            at(&totals, &v.totals, "settlement_difference"),
            &num(dec!(-5.00))
        );
        // The largest difference first: A, 33.00 estimated, 28.00 paid.
        let orders = order_fields();
        let a = &v.orders[0];
        assert_eq!(a.id, "576000000000000001");
        assert_eq!(
            at(&orders, a, "order_id"),
            &Value::Text("576000000000000001".into())
        );
        assert_eq!(at(&orders, a, "difference"), &num(dec!(-5.00)));
        // D is in no finance export: our estimate, 20.00 − 2.00 of shipping.
        let unsettled = unsettled_fields();
        assert_eq!(
            at(&unsettled, &v.unsettled, "expected_cash"),
            &num(dec!(18.00))
        );
        assert_eq!(v.unsettled_orders.len(), 1);
        // Settled on 10 and 12 May.
        let ids: Vec<&str> = v.by_settled_date.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["2026-05-10", "2026-05-12"]);
    }
}
