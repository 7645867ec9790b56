//! The SKUs view: every P&L layer per SKU and per product group, sortable, searchable, with unit cost
//! and fulfilment editable in place (saved in the browser; every figure follows) and SKUs without a
//! cost highlighted.

use super::{NoData, PeriodBar, currency, figures};
use crate::state::State;
use crate::table::{self, DataTable, Edit, Field, Hook, Row, Value};
use leptos::prelude::*;
use margin_engine::metric;
use margin_engine::metrics::{Figures, SkuFigures};
use std::collections::HashMap;

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

/// The rows of a SKU table whose first field is [`sku_label`]: a SKU whose label another SKU of the
/// table shares (the same seller SKU, product and variation under two SKU IDs) shows its SKU ID too,
/// so identical-looking rows say what differs.
pub fn sku_rows(fields: &[Field<SkuFigures>], skus: &[SkuFigures]) -> Vec<Row> {
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(skus.len());
    for s in skus {
        *seen.entry(sku_label(s)).or_default() += 1;
    }
    skus.iter()
        .map(|s| {
            let mut r = table::row(fields, s.sku_id.clone(), s, s.figures.cost_missing());
            let label = sku_label(s);
            if seen.get(&label).is_some_and(|&n| n > 1)
                && let Some(first) = r.values.first_mut()
            {
                *first = Value::Text(format!("{label} (SKU ID {})", s.sku_id));
            }
            r
        })
        .collect()
}

/// The P&L columns after the name (and the inputs), in docs/metrics.md order: registry figures, each
/// read through its own accessor.
pub(crate) fn layer_fields() -> Vec<Field<Figures>> {
    let f = |m| Field::metric(m);
    vec![
        f(metric!(FIGURES, "units_sold")),
        f(metric!(FIGURES, "orders")).hidden(),
        f(metric!(FIGURES, "gmv")),
        f(metric!(FIGURES, "cancelled_sales")).hidden(),
        f(metric!(FIGURES, "refunds")),
        f(metric!(FIGURES, "net_sales")),
        f(metric!(FIGURES, "output_vat")).hidden(),
        f(metric!(FIGURES, "net_revenue")),
        f(metric!(FIGURES, "cogs")),
        f(metric!(FIGURES, "gross_profit")),
        f(metric!(FIGURES, "gross_margin_pct")),
        f(metric!(FIGURES, "platform_fees")),
        f(metric!(FIGURES, "affiliate_commission")),
        f(metric!(FIGURES, "fulfillment")),
        f(metric!(FIGURES, "shipping")).hidden(),
        f(metric!(FIGURES, "returns_cost")).hidden(),
        f(metric!(FIGURES, "cm1")),
        f(metric!(FIGURES, "ad_spend")),
        f(metric!(FIGURES, "sample_units")),
        f(metric!(FIGURES, "sample_cost")),
        f(metric!(FIGURES, "cm2")),
        f(metric!(FIGURES, "cm2_pct")),
        f(metric!(FIGURES, "other_marketing")).hidden(),
        f(metric!(FIGURES, "overhead")).hidden(),
        f(metric!(FIGURES, "net_profit")),
        f(metric!(FIGURES, "net_margin_pct")),
        f(metric!(FIGURES, "return_rate")),
    ]
}

#[component]
pub fn SkusView() -> impl IntoView {
    let state = expect_context::<State>();
    let f = figures(state);
    let has = move || f.with(|c| c.as_ref().is_some_and(|c| !c.analysis.skus.is_empty()));

    // The SKU's name, its editable inputs (fulfilment from the costs the user edits), then its layers.
    let mut sku_fields: Vec<Field<SkuFigures>> = vec![
        Field::text("product", "Product", sku_label),
        Field::input(
            "unit_cost",
            "Unit cost",
            "What one unit costs you to buy or make (from your costs sheet; type to change it)",
            |s: &SkuFigures| s.unit_cost,
        ),
        Field::input(
            "fulfillment_per_unit",
            "Fulfilment / unit",
            "Pick, pack and warehouse cost per unit sold (type to change it)",
            move |s: &SkuFigures| {
                state
                    .costs
                    .with(|c| c.fulfillment_per_unit_opt(&s.sku_id, &s.seller_sku))
            },
        ),
    ];
    sku_fields.extend(
        layer_fields()
            .into_iter()
            .map(|f| f.on(|s: &SkuFigures| &s.figures)),
    );
    let sku_columns = table::columns(&sku_fields);
    let sku_rows = Signal::derive(move || {
        f.with(|c| {
            let Some(c) = c else { return Vec::new() };
            sku_rows(&sku_fields, &c.analysis.skus)
        })
    });
    let on_edit = Callback::new(move |(sku, key, value): Edit| {
        state.costs.update(|c| match key {
            "unit_cost" => c.set_unit_cost(&sku, value),
            "fulfillment_per_unit" => c.set_fulfillment_per_unit(&sku, value),
            _ => {}
        })
    });

    type Group = (String, Figures);
    let mut group_fields: Vec<Field<Group>> = vec![Field::text(
        "product_group",
        "Product group",
        |(g, _): &Group| g.clone(),
    )];
    group_fields.extend(layer_fields().into_iter().map(|f| f.on(|(_, x): &Group| x)));
    let group_columns = table::columns(&group_fields);
    let group_rows = Signal::derive(move || {
        f.with(|c| {
            c.as_ref()
                .map(|c| {
                    c.analysis
                        .product_groups
                        .iter()
                        .map(|g| table::row(&group_fields, g.0.clone(), g, g.1.cost_missing()))
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
                    columns=sku_columns.clone()
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
                    columns=group_columns.clone()
                    rows=group_rows
                    currency=currency(state)
                    default_sort="cm2:desc"
                />
            </section>
        </Show>
    }
}
