//! The product card (issue 19): one product's inputs and its results side by side, so a product typed in
//! (docs/metrics.md §4 worked example: price, unit cost, fee, commission, fulfilment, overhead) shows its
//! margins without scrolling the grid sideways past its 20 input columns. It shows the picked product
//! (`Grid::product`), edits go through the grid's own path (`Grid::set_cells`: one undoable edit, the
//! engine's `Scenario::set_cell`) and the figures are the engine's (`UnitResult::of`).

use super::panels::Active;
use super::rows::{Kind, input_label, show_out};
use super::{Grid, NAMES};
use leptos::ev;
use leptos::prelude::*;
use margin_engine::edits::{CellChange, parse_cell};
use margin_engine::money::Currency;
use margin_engine::registry::{UNIT_OUTPUTS, UnitResult};

/// The inputs the card shows first: those of the docs/metrics.md §4 worked example, which most products
/// need; the other twelve are one click away.
const KEY_INPUTS: [&str; 8] = [
    "price",
    "unit_cost",
    "fee_pct",
    "fee_fixed_per_order",
    "commission_pct",
    "affiliate_share_pct",
    "fulfillment_per_unit",
    "overhead_per_unit",
];

/// One input of the picked product as a labelled field.
fn field(g: Grid, act: Active, name: &'static str) -> impl IntoView {
    let col = NAMES.iter().position(|n| *n == name).unwrap_or(0);
    let value = move || {
        act.with(|a| {
            a.as_ref()
                .and_then(|(_, _, i)| i.get(name).ok().flatten())
                .map(|v| v.normalize().to_string())
                .unwrap_or_default()
        })
    };
    let change = move |ev: ev::Event| {
        let Some(row) = act.with_untracked(|a| a.as_ref().map(|(r, _, _)| *r)) else {
            return;
        };
        match parse_cell(&event_target_value(&ev)) {
            Ok(v) => g.set_cells(vec![CellChange { row, col, value: v }]),
            Err(e) => g.msg.set(e.to_string()),
        }
    };
    view! {
        <label class="pc-field">
            <span>{input_label(name)}</span>
            <input
                type="text"
                inputmode="decimal"
                class="num"
                data-input=name
                data-value=value
                prop:value=value
                on:change=change
            />
        </label>
    }
}

#[component]
pub(super) fn ProductCard(g: Grid, act: Active, cur: Signal<Currency>) -> impl IntoView {
    let result = Memo::new(move |_| act.with(|a| a.as_ref().map(|(_, _, i)| UnitResult::of(i))));
    let custom = move || act.with(|a| a.as_ref().is_some_and(|(_, r, _)| r.kind == Kind::Custom));
    let rest: Vec<&'static str> = NAMES
        .iter()
        .copied()
        .filter(|n| !KEY_INPUTS.contains(n))
        .collect();
    let results = UNIT_OUTPUTS
        .iter()
        .map(|m| {
            let amount = move || result.with(|r| r.as_ref().and_then(|r| m.amount(r)));
            view! {
                <div class="pc-out">
                    <dt>{m.label}</dt>
                    <dd
                        data-metric=m.key
                        data-value=move || amount().map(|v| v.normalize().to_string()).unwrap_or_default()
                    >
                        {move || show_out(amount(), m.unit, cur.get())}
                    </dd>
                </div>
            }
        })
        .collect_view();
    view! {
        <section
            class="card wi-card"
            aria-labelledby="product-card-h"
            data-testid="product-card"
            data-product=move || g.product.get()
        >
            <h3 id="product-card-h">
                {move || act.with(|a| a.as_ref().map(|(_, r, _)| r.label.clone()).unwrap_or_else(|| "No product yet".to_string()))}
            </h3>
            <Show
                when=move || act.with(Option::is_some)
                fallback=|| view! { <p class="muted small">"Add a product above, or load your exports: its inputs and margins show here together."</p> }
            >
                <p class="muted small">"Per unit. Click a product's name in the grid (or Shift+Space on its row) to show it here."</p>
            </Show>
            <div class="pc-inputs" role="group" aria-label="Inputs" hidden=move || act.with(Option::is_none)>
                {KEY_INPUTS.iter().map(|n| field(g, act, n)).collect_view()}
            </div>
            <dl class="pc-results" aria-label="Results" hidden=move || act.with(Option::is_none)>
                {results}
            </dl>
            <p class="pc-actions" hidden=move || act.with(Option::is_none)>
                // The grid's Reset/Remove buttons are not tab stops (the grid is one); here they are.
                <button
                    type="button"
                    class="link"
                    data-action="card-reset"
                    on:click=move |_| {
                        if let Some(t) = g.product.get_untracked() {
                            g.reset_row(&t);
                        }
                    }
                >
                    {move || if custom() { "Remove this product" } else { "Back to the baseline" }}
                </button>
            </p>
            <details class="pc-more" hidden=move || act.with(Option::is_none)>
                <summary>"All inputs (VAT, discount, returns, shipping, ads, samples…)"</summary>
                <div class="pc-inputs">{rest.into_iter().map(|n| field(g, act, n)).collect_view()}</div>
            </details>
        </section>
    }
}
