//! The What-if workbench (issue 6; docs/metrics.md §7): one editable unit-economics row per SKU, product
//! group and typed-in product, scenario vs baseline, solvers, the price × commission heat map, sharing.
//!
//! Every edit is a change to the current [`Scenario`]'s `edits` (saved with the workspace); the grid only
//! wires events to it. One keydown/paste/copy/mouse handler sits on the table (event delegation), the
//! selection is painted imperatively, and each row has its own memos, so an edit re-evaluates one row
//! (and the totals, from a per-row cache) — never the 2,000 others.
//!
//! The view shows; the engine decides: the baseline, the period totals and margins
//! (`margin_engine::whatif::{BaselineSku, project_all, PeriodSum}`), which edit wins
//! (`Scenario::edits_for`), what a cell, a paste, a fill-down or a bulk edit does
//! (`margin_engine::edits`) and undo/redo (`margin_engine::history::History`). Split: `rows` (a row and
//! its cells), `sheet` (the grid's handlers), `panels` (the bars and cards around the grid); the shared
//! grid machinery (virtual rows, keys, selection, TSV) is `crate::grid`.

mod card;
mod panels;
mod rows;
mod sheet;

use crate::grid::{Selection, Virtual, event_element, spacer};
use crate::state::State;
use crate::views::{PeriodBar, currency, figures};
use card::ProductCard;
use leptos::ev;
use leptos::prelude::*;
use margin_engine::history::History;
use margin_engine::registry::UNIT_OUTPUTS;
use margin_engine::whatif::{ProjectionCache, ScenarioTotals, UnitInputs, project_all};
use margin_engine::workspace::Scenario;
use panels::{AddProduct, Compare, EditBar, ScenarioBar, Sensitivity, SharedBanner, Solvers};
use rows::{GridRow, Kind, custom_row, data_rows, input_label, row_view, skus};
use rust_decimal::Decimal;
use std::time::Duration;

const P_SCENARIO: &str = "whatif.scenario";
const P_SHARE: &str = "whatif.share";
const P_COMPARE: &str = "whatif.compare";
/// `performance.measure` name of one edit → repaint (see docs/performance.md "What-if speed").
const MEASURE: &str = "margin-lab:whatif-edit";
const MEASURE_START: &str = "margin-lab:whatif-edit-start";
const NAMES: [&str; 20] = UnitInputs::NAMES;
const DEFAULT_TARGET: Decimal = Decimal::from_parts(20, 0, 0, false, 0);

/// Everything the grid's handlers share.
#[derive(Clone, Copy)]
struct Grid {
    state: State,
    /// A scenario opened from a shared link, shown until it is saved or dismissed.
    shared: RwSignal<Option<Scenario>>,
    cur: Memo<Scenario>,
    rows: Memo<Vec<GridRow>>,
    sel: Selection,
    history: StoredValue<History<Scenario>>,
    editor: StoredValue<Option<web_sys::HtmlInputElement>, LocalStorage>,
    tbody: NodeRef<leptos::html::Tbody>,
    /// The grid's scrolling box, and the rows rendered.
    wrap: NodeRef<leptos::html::Div>,
    virt: Virtual,
    msg: RwSignal<String>,
    last_ms: RwSignal<Option<f64>>,
    /// The product the seller picked (its row's target): by clicking its name, Shift+Space on its row or
    /// adding it. The product card, the solvers and the heat map stay on it when the cursor moves.
    pick: RwSignal<Option<String>>,
    /// The product shown in the card, the solvers and the heat map: the pick while it is a row of the
    /// grid, else the first SKU or typed-in product.
    product: Memo<Option<String>>,
}

fn perf() -> Option<web_sys::Performance> {
    web_sys::window()?.performance()
}

/// Measures edit → repaint: the mark is set when an edit starts; the measure is taken in the task after
/// the next animation frame, i.e. once the browser has painted the updated row.
fn measure_after_paint(out: RwSignal<Option<f64>>) {
    request_animation_frame(move || {
        set_timeout(
            move || {
                let Some(p) = perf() else { return };
                if p.measure_with_start_mark(MEASURE, MEASURE_START).is_err() {
                    return;
                }
                let entries = p.get_entries_by_name(MEASURE);
                let last = entries.get(entries.length().saturating_sub(1));
                let ms = js_sys::Reflect::get(&last, &"duration".into())
                    .ok()
                    .and_then(|d| d.as_f64());
                out.set(ms);
            },
            Duration::ZERO,
        )
    });
}

#[component]
pub fn WhatIfView() -> impl IntoView {
    let state = expect_context::<State>();
    let f = figures(state);
    let cur_currency = currency(state);

    let share_code = Memo::new(move |_| state.route.with(|r| r.param(P_SHARE).to_string()));
    let msg = RwSignal::new(String::new());
    let parse_shared = move |code: &str| {
        if code.is_empty() {
            return None;
        }
        Scenario::from_share_code(code)
            .map_err(|e| msg.set(e.user_message()))
            .ok()
    };
    let shared = RwSignal::new(parse_shared(&share_code.get_untracked()));
    Effect::new(move |prev: Option<String>| {
        let code = share_code.get();
        if prev.is_some_and(|p| p != code) {
            shared.set(parse_shared(&code));
        }
        code
    });

    let selected = Memo::new(move |_| state.route.with(|r| r.param(P_SCENARIO).to_string()));
    let cur = Memo::new(move |_| {
        if let Some(s) = shared.get() {
            return s;
        }
        let want = selected.get();
        state.scenarios.with(|list| {
            list.iter()
                .find(|s| s.name == want)
                .or(list.first())
                .cloned()
                .unwrap_or_else(|| Scenario::new("Scenario 1"))
        })
    });

    let generation = StoredValue::new(0u32);
    let data = Memo::new(move |_| {
        generation.update_value(|g| *g += 1);
        let gen_now = generation.get_value();
        f.with(|c| {
            c.as_ref()
                .map(|c| state.settings.with(|s| data_rows(c, s, gen_now)))
                .unwrap_or_default()
        })
    });
    let customs = Memo::new(move |_| cur.with(Scenario::custom_products));
    let rows = Memo::new(move |_| {
        let mut rows: Vec<GridRow> = customs.with(|c| c.iter().map(|n| custom_row(n)).collect());
        data.with(|d| rows.extend(d.iter().cloned()));
        rows
    });
    let cache = StoredValue::new(ProjectionCache::default());
    let agg = Memo::new(move |_| {
        rows.with(|rows| {
            cur.with(|s| {
                let mut out = ScenarioTotals::default();
                cache.update_value(|c| out = project_all(skus(rows), s, Some(c)));
                out
            })
        })
    });
    let base_agg =
        Memo::new(move |_| data.with(|rows| project_all(skus(rows), &Scenario::default(), None)));

    // Virtualisation: the rows in view, from the scroll position and the box's height.
    let virt = Virtual::new(move || rows.with(Vec::len));
    let window = virt.window;

    let pick = RwSignal::new(None::<String>);
    let product = Memo::new(move |_| {
        let want = pick.get();
        rows.with(|rows| {
            let products = || rows.iter().filter(|r| r.kind != Kind::Group);
            want.and_then(|w| products().find(|r| r.target == w))
                .or_else(|| products().next())
                .map(|r| r.target.clone())
        })
    });

    let g = Grid {
        state,
        shared,
        cur,
        rows,
        sel: Selection::new(),
        history: StoredValue::new(History::default()),
        editor: StoredValue::new_local(None),
        tbody: NodeRef::new(),
        wrap: NodeRef::new(),
        virt,
        msg,
        last_ms: RwSignal::new(None),
        pick,
        product,
    };
    Effect::new(move |_| {
        g.sel.cursor.track();
        g.sel.anchor.track();
        g.rows.track();
        g.virt.window.track();
        g.tbody.track();
        // After the rows render.
        request_animation_frame(move || g.paint_selection());
    });

    view! {
        <PeriodBar />
        <section class="whatif" aria-labelledby="whatif-h">
            <div class="section-head">
                <h2 id="whatif-h">"What-if"</h2>
                <p class="muted small" id="whatif-keys">
                    "Per unit ordered. Tab into the grid; arrow keys move, type to edit, Enter commits (Tab commits and moves right), Escape cancels; Shift+arrows or Shift+click select; Ctrl+C/Ctrl+V copy and paste blocks with Excel or Google Sheets; Ctrl+D fills down; Delete resets; Ctrl+Z/Ctrl+Y undo and redo; Shift+Space shows the row in the product card."
                </p>
            </div>
            <SharedBanner g=g />
            <ScenarioBar g=g />
            <EditBar g=g />
            <AddProduct g=g />
            <p class="status" role="status" data-testid="whatif-msg">{move || msg.get()}</p>
            <Show when=move || data.with(Vec::is_empty)>
                <p class="muted small" data-testid="whatif-empty">
                    "No orders loaded: type a product of your own above, or "
                    <a href="#/files">"drop your exports"</a>
                    " to start from every SKU's own history."
                </p>
            </Show>
            <span id="wi-edited-note" class="visually-hidden">"Edited in this scenario"</span>
            <div class="wi-main">
            <div
                class="table-wrap wi-wrap"
                node_ref=g.wrap
                on:scroll=move |ev| virt.on_scroll(&ev)
            >
                <table
                    class="data-table wi-grid"
                    role="grid"
                    aria-label="What-if unit economics"
                    aria-describedby="whatif-keys"
                    on:keydown=move |ev| g.on_keydown(ev)
                    on:focusin=move |ev| g.on_focusin(ev)
                    on:mousedown=move |ev| g.on_mousedown(ev)
                    on:dblclick=move |ev| {
                        if event_element(&ev).and_then(|e| g.cell_of(&e)).is_some() {
                            g.open_editor(None);
                        }
                    }
                    on:click=move |ev| g.on_click(ev)
                    on:focusout=move |ev| {
                        if event_element(&ev).is_some_and(|e| e.class_list().contains("cell-editor")) {
                            g.close_editor(true, false);
                        }
                    }
                    on:copy=move |ev: ev::ClipboardEvent| {
                        if g.editing() {
                            return;
                        }
                        if let Some(dt) = ev.clipboard_data() {
                            let _ = dt.set_data("text/plain", &g.selection_tsv());
                            ev.prevent_default();
                        }
                    }
                    on:paste=move |ev: ev::ClipboardEvent| {
                        if g.editing() {
                            return;
                        }
                        let text = ev
                            .clipboard_data()
                            .and_then(|d| d.get_data("text/plain").ok())
                            .unwrap_or_default();
                        ev.prevent_default();
                        g.paste(&text);
                    }
                >
                    <thead>
                        <tr>
                            <th scope="col" class="row-name">"Product"</th>
                            {NAMES
                                .iter()
                                .map(|n| view! { <th scope="col" class="in">{input_label(n)}</th> })
                                .collect_view()}
                            {UNIT_OUTPUTS
                                .iter()
                                .map(|m| view! { <th scope="col" class="out" title=m.plain_definition()>{m.label}</th> })
                                .collect_view()}
                        </tr>
                    </thead>
                    <tbody node_ref=g.tbody>
                        {move || spacer(window.get().0)}
                        <For
                            each=move || {
                                let (a, b) = window.get();
                                rows.with(|r| r.get(a..b).map(<[GridRow]>::to_vec).unwrap_or_default())
                            }
                            key=|r| (r.target.clone(), r.generation)
                            children=move |r| row_view(r, g, agg, base_agg, cur_currency)
                        />
                        {move || spacer(rows.with(Vec::len).saturating_sub(window.get().1))}
                    </tbody>
                </table>
            </div>
            <ProductCard g=g cur=cur_currency />
            </div>
            <div class="wi-panels">
                <Solvers g=g />
                <Compare g=g agg=agg base_agg=base_agg />
            </div>
            <Sensitivity g=g />
            // The last edit's timing, for tests and profiling only: kept out of the seller's sight.
            <p hidden data-testid="edit-ms" data-measure=MEASURE data-ms=move || g.last_ms.get().map(|ms| format!("{ms:.1}"))></p>
        </section>
    }
}
