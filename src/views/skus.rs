//! The SKUs view: every P&L layer per SKU and per product group, sortable, searchable, with unit cost
//! and fulfilment editable in place (saved in the browser; every figure follows) and SKUs without a
//! cost highlighted.

use super::{NoData, PeriodBar, currency, figures};
use crate::state::State;
use crate::table::{Column, DataTable, Edit, Hook, Kind, Row, Value};
use leptos::prelude::*;
use margin_engine::metrics::{Figures, SkuFigures};
use rust_decimal::Decimal;

/// How a SKU is named in tables: seller SKU (or SKU ID), product and variation.
pub fn sku_label(s: &SkuFigures) -> String {
    let code = if s.seller_sku.is_empty() {
        &s.sku_id
    } else {
        &s.seller_sku
    };
    match (s.product_name.is_empty(), s.variation.is_empty()) {
        (true, _) => code.clone(),
        (false, true) => format!("{code} · {}", s.product_name),
        (false, false) => format!("{code} · {} — {}", s.product_name, s.variation),
    }
}

/// The P&L columns after the name (and the inputs), in docs/metrics.md order.
fn layer_columns() -> Vec<Column> {
    use Kind::{Count, Money, Pct};
    vec![
        Column::new("units_sold", "Units", Count),
        Column::new("orders", "Orders", Count).hidden(),
        Column::new("gmv", "GMV", Money),
        Column::new("cancelled_sales", "Cancelled", Money).hidden(),
        Column::new("refunds", "Refunds", Money),
        Column::new("net_sales", "Net sales", Money),
        Column::new("output_vat", "VAT", Money).hidden(),
        Column::new("net_revenue", "Net revenue", Money),
        Column::new("cogs", "COGS", Money),
        Column::new("gross_profit", "Gross profit", Money),
        Column::new("gross_margin_pct", "Gross margin", Pct),
        Column::new("platform_fees", "Fees", Money),
        Column::new("affiliate_commission", "Commission", Money),
        Column::new("fulfillment", "Fulfilment", Money),
        Column::new("shipping", "Shipping", Money).hidden(),
        Column::new("returns_cost", "Returns cost", Money).hidden(),
        Column::new("cm1", "CM1", Money),
        Column::new("ad_spend", "Ad spend", Money),
        Column::new("sample_cost", "Samples", Money).hidden(),
        Column::new("cm2", "CM2", Money),
        Column::new("cm2_pct", "CM2 %", Pct),
        Column::new("other_marketing", "Other marketing", Money).hidden(),
        Column::new("overhead", "Overhead", Money).hidden(),
        Column::new("net_profit", "Net profit", Money),
        Column::new("net_margin_pct", "Net margin", Pct),
        Column::new("return_rate", "Return rate", Pct),
    ]
}

/// One value per [`layer_columns`] entry.
fn layer_values(f: &Figures) -> Vec<Value> {
    let m = |d: Decimal| Value::Num(Some(d));
    vec![
        m(Decimal::from(f.units_sold)),
        m(Decimal::from(f.orders)),
        m(f.gmv),
        m(f.cancelled_sales),
        m(f.refunds),
        m(f.net_sales()),
        m(f.output_vat),
        m(f.net_revenue()),
        m(f.cogs),
        m(f.gross_profit()),
        Value::Num(f.gross_margin_pct()),
        m(f.platform_fees),
        m(f.affiliate_commission()),
        m(f.fulfillment),
        m(f.shipping),
        m(f.returns_cost),
        m(f.cm1()),
        m(f.ad_spend),
        m(f.sample_cost),
        m(f.cm2()),
        Value::Num(f.cm2_pct()),
        m(f.other_marketing),
        m(f.overhead),
        m(f.net_profit()),
        Value::Num(f.net_margin_pct()),
        Value::Num(f.return_rate_pct()),
    ]
}

#[component]
pub fn SkusView() -> impl IntoView {
    let state = expect_context::<State>();
    let f = figures(state);
    let has = move || f.with(|c| c.as_ref().is_some_and(|c| !c.analysis.skus.is_empty()));

    let sku_columns = || {
        let mut c = vec![
            Column::new("product", "Product", Kind::Text),
            Column::new("unit_cost", "Unit cost", Kind::Money).editable(),
            Column::new("fulfillment_per_unit", "Fulfilment / unit", Kind::Money).editable(),
        ];
        c.extend(layer_columns());
        c
    };
    let sku_rows = Signal::derive(move || {
        f.with(|c| {
            let Some(c) = c else { return Vec::new() };
            state.costs.with(|costs| {
                c.analysis
                    .skus
                    .iter()
                    .map(|s| {
                        let mut values = vec![
                            Value::Text(sku_label(s)),
                            Value::Num(s.unit_cost),
                            Value::Num(costs.fulfillment_per_unit_opt(&s.sku_id, &s.seller_sku)),
                        ];
                        values.extend(layer_values(&s.figures));
                        Row {
                            id: s.sku_id.clone(),
                            values,
                            warn: s.figures.cost_missing(),
                        }
                    })
                    .collect()
            })
        })
    });
    let on_edit = Callback::new(move |(sku, key, value): Edit| {
        state.costs.update(|c| match key {
            "unit_cost" => c.set_unit_cost(&sku, value),
            "fulfillment_per_unit" => c.set_fulfillment_per_unit(&sku, value),
            _ => {}
        })
    });

    let group_columns = || {
        let mut c = vec![Column::new("product_group", "Product group", Kind::Text)];
        c.extend(layer_columns());
        c
    };
    let group_rows = Signal::derive(move || {
        f.with(|c| {
            c.as_ref()
                .map(|c| {
                    c.analysis
                        .product_groups
                        .iter()
                        .map(|(g, x)| {
                            let mut values = vec![Value::Text(g.clone())];
                            values.extend(layer_values(x));
                            Row {
                                id: g.clone(),
                                values,
                                warn: x.cost_missing(),
                            }
                        })
                        .collect()
                })
                .unwrap_or_default()
        })
    });
    let missing = move || {
        f.with(|c| {
            c.as_ref().map_or(0, |c| {
                c.analysis
                    .skus
                    .iter()
                    .filter(|s| s.figures.cost_missing())
                    .count()
            })
        })
    };
    view! {
        <PeriodBar />
        <Show when=has fallback=|| view! { <NoData /> }>
            <section aria-labelledby="skus-h">
                <div class="section-head">
                    <h2 id="skus-h">"SKUs"</h2>
                    <p class="muted small">
                        "Unit cost and fulfilment are yours to edit (Enter to save, Escape to cancel); they are kept in this browser and every figure follows. "
                        {move || match missing() {
                            0 => String::new(),
                            1 => "1 SKU has no unit cost (highlighted).".to_string(),
                            n => format!("{n} SKUs have no unit cost (highlighted)."),
                        }}
                    </p>
                </div>
                <DataTable
                    name="skus"
                    caption="Every P&L layer per SKU".to_string()
                    hook=Hook::Sku
                    columns=sku_columns()
                    rows=sku_rows
                    currency=currency(state)
                    default_sort="net_sales:desc"
                    on_edit=on_edit
                />
            </section>
            <section aria-labelledby="groups-h">
                <h2 id="groups-h">"Product groups"</h2>
                <p class="muted small">"Variants roll up by the costs sheet's product column, else by product name."</p>
                <DataTable
                    name="groups"
                    caption="Every P&L layer per product group".to_string()
                    hook=Hook::Group
                    columns=group_columns()
                    rows=group_rows
                    currency=currency(state)
                    default_sort="cm2:desc"
                />
            </section>
        </Show>
    }
}
