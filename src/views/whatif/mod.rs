//! The What-if workbench (issue 6; docs/metrics.md §7): one editable unit-economics row per SKU, product
//! group and typed-in product, scenario vs baseline, solvers, the price × commission heat map, sharing.
//!
//! Every edit is a change to the current [`Scenario`]'s `edits` (saved with the workspace); the grid only
//! wires events to it. One keydown/paste/copy/mouse handler sits on the table (event delegation), the
//! selection is painted imperatively, and each row has its own memos. No row reads the scenario
//! reactively: one watcher ([`watch_scenario`]) compares each new scenario with the last, notifies the
//! rows whose edits changed ([`Watch`]) and updates the period totals by the SKUs whose edits changed
//! (`LiveTotals`), so an edit re-renders one row and the sums it moves — never the 2,000 others, nor
//! the effects of every rendered row (issue 20: an edit → repaint in 16 ms with 2,000 SKUs).
//!
//! The view shows; the engine decides: the baseline, the period totals and margins
//! (`margin_engine::whatif::{BaselineSku, LiveTotals, PeriodSum}`), which edit wins
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
use margin_engine::whatif::{BaselineSku, LiveTotals, PeriodSum, UnitInputs};
use margin_engine::workspace::Scenario;
use panels::{
    AddProduct, Compare, EditBar, ScenarioBar, Sensitivity, SharedBanner, Solvers, active,
};
use rows::{GridRow, Kind, custom_row, data_rows, input_label, row_view, skus};
use rust_decimal::Decimal;
use sheet::After;
use std::time::Duration;

const P_SCENARIO: &str = "whatif.scenario";
const P_SHARE: &str = "whatif.share";
const P_COMPARE: &str = "whatif.compare";
/// `performance.measure` name of one edit → repaint (see docs/performance.md "What-if speed").
const MEASURE: &str = "margin-lab:whatif-edit";
const MEASURE_START: &str = "margin-lab:whatif-edit-start";
const NAMES: [&str; 20] = UnitInputs::NAMES;
const DEFAULT_TARGET: Decimal = Decimal::from_parts(20, 0, 0, false, 0);

/// Keyed change notices: whatever shows a key (an edit target, a product group's sums) follows it
/// ([`Follow`]), and [`watch_scenario`] notifies the keys whose edits or sums changed. Tracking
/// `Grid::cur` instead would mark every effect of every rendered row (≈ 170 a row) on every edit. Holds
/// the keys followed now (those of the rendered rows and the picked product), each with its followers.
#[derive(Clone, Copy)]
struct Watch(StoredValue<Vec<(String, ArcTrigger, usize)>>);

impl Watch {
    fn new() -> Watch {
        Watch(StoredValue::new(Vec::new()))
    }

    /// The trigger of `key`, followed once more.
    fn join(self, key: &str) -> ArcTrigger {
        self.0
            .try_update_value(|keys| match keys.iter_mut().find(|(k, _, _)| k == key) {
                Some((_, t, n)) => {
                    *n += 1;
                    t.clone()
                }
                None => {
                    let t = ArcTrigger::new();
                    keys.push((key.to_string(), t.clone(), 1));
                    t
                }
            })
            .unwrap_or_default()
    }

    /// `key` followed once less (forgotten when nothing follows it).
    fn leave(self, key: &str) {
        self.0.try_update_value(|keys| {
            if let Some(at) = keys.iter().position(|(k, _, _)| k == key) {
                keys[at].2 -= 1;
                if keys[at].2 == 0 {
                    keys.swap_remove(at);
                }
            }
        });
    }

    fn notify(self, key: &str) {
        let t = self.0.try_with_value(|keys| {
            keys.iter()
                .find(|(k, _, _)| k == key)
                .map(|(_, t, _)| t.clone())
        });
        if let Some(t) = t.flatten() {
            t.notify();
        }
    }

    fn notify_all(self) {
        let all = self
            .0
            .try_with_value(|keys| keys.iter().map(|(_, t, _)| t.clone()).collect::<Vec<_>>());
        for t in all.unwrap_or_default() {
            t.notify();
        }
    }
}

/// The keys one memo follows in a [`Watch`] (as the watch holds them), left when they change or when
/// the memo's owner goes.
#[derive(Clone, Copy)]
struct Follow {
    watch: Watch,
    held: StoredValue<Vec<(String, ArcTrigger, usize)>>,
}

impl Follow {
    fn new(watch: Watch) -> Follow {
        let held = StoredValue::new(Vec::<(String, ArcTrigger, usize)>::new());
        on_cleanup(move || {
            for (k, _, _) in held.try_update_value(std::mem::take).unwrap_or_default() {
                watch.leave(&k);
            }
        });
        Follow { watch, held }
    }

    /// The current observer runs again when one of `keys` is notified.
    fn track(self, keys: &[String]) {
        let held = self
            .held
            .try_update_value(std::mem::take)
            .unwrap_or_default();
        let now: Vec<(String, ArcTrigger, usize)> = keys
            .iter()
            .map(|k| match held.iter().find(|(h, _, _)| h == k) {
                Some((_, t, _)) => (k.clone(), t.clone(), 1),
                None => (k.clone(), self.watch.join(k), 1),
            })
            .collect();
        for (k, _, _) in held.iter().filter(|(h, _, _)| !keys.contains(h)) {
            self.watch.leave(k);
        }
        for (_, t, _) in &now {
            t.track();
        }
        self.held.set_value(now);
    }
}

/// The period sums of the current scenario, kept up to date edit by edit, and of the baseline; rebuilt
/// with the baseline (`generation`).
struct Sums {
    generation: u32,
    live: LiveTotals,
    base: LiveTotals,
}

/// What the product-group rows and the projected period P&L show ([`watch_scenario`] keeps it; they
/// follow [`ALL`] and [`sum_key`] in `Grid::watch`).
#[derive(Clone, Copy)]
struct Totals {
    sums: StoredValue<Option<Sums>>,
}

/// The keys of `Grid::watch` besides edit targets: the sum of all SKUs (or the baseline's) changed;
/// the typed-in products changed. (A key equal to a target only costs a needless re-read.)
const ALL: &str = "Σ";
const CUSTOMS: &str = "Σ custom";

/// The key of `Grid::watch` notified when product group `name`'s sum changes.
fn sum_key(name: &str) -> String {
    format!("Σ:{name}")
}

impl Totals {
    fn new() -> Totals {
        Totals {
            sums: StoredValue::new(None),
        }
    }

    /// Output `key` (`PeriodSum::get`) of product group `name`'s sum: the scenario's, or the baseline's.
    fn group(self, name: &str, base: bool, key: &str) -> Option<Decimal> {
        self.sums.with_value(|s| {
            let s = s.as_ref()?;
            let live = if base { &s.base } else { &s.live };
            live.group(name)?.get(key)
        })
    }

    /// `f` of the sum of all SKUs: the scenario's, or the baseline's.
    fn all<T: Default>(self, base: bool, f: impl FnOnce(&PeriodSum) -> T) -> T {
        self.sums.with_value(|s| {
            s.as_ref()
                .map(|s| f(if base { s.base.all() } else { s.live.all() }))
                .unwrap_or_default()
        })
    }
}

/// Everything the grid's handlers share.
#[derive(Clone, Copy)]
struct Grid {
    state: State,
    /// A scenario opened from a shared link, shown until it is saved or dismissed.
    shared: RwSignal<Option<Scenario>>,
    cur: Memo<Scenario>,
    /// Its name (what shows it need not run again on every edit).
    name: Memo<String>,
    /// Notified by edit target when its edits change, and by [`ALL`], [`sum_key`] and [`CUSTOMS`].
    watch: Watch,
    totals: Totals,
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

/// Marks the start of an edit (the measure of [`measure_after_paint`] starts here).
fn mark_edit_start() {
    if let Some(p) = perf() {
        let _ = p.mark(MEASURE_START);
    }
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
    // The typed-in products' rows, then the data's; read again when the list of typed-in products
    // changes (`Grid::sync_customs`), not on every edit.
    let watch = Watch::new();
    let customs = Follow::new(watch);
    let rows = Memo::new(move |_| {
        customs.track(&[CUSTOMS.to_string()]);
        let mut rows: Vec<GridRow> =
            cur.with_untracked(|s| s.custom_products().iter().map(|n| custom_row(n)).collect());
        data.with(|d| rows.extend(d.iter().cloned()));
        rows
    });

    // Virtualisation: the rows in view, from the scroll position and the box's height, and 5 more on each
    // side (≈ 150 px: a wheel step), not 10: an edit lays out and paints every rendered row's 40 cells.
    let virt = Virtual::with_overscan(move || rows.with(Vec::len), 5);
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
        name: Memo::new(move |_| cur.with(|s| s.name.clone())),
        watch,
        totals: Totals::new(),
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
    watch_scenario(g, data, generation);
    Effect::new(move |prev: Option<((usize, usize), usize, u32)>| {
        g.sel.cursor.track();
        g.sel.anchor.track();
        g.tbody.track();
        let rendered = (
            g.virt.window.get(),
            g.rows.with(Vec::len),
            generation.get_value(),
        );
        if prev == Some(rendered) {
            // Only the selection moved (an edit, the keyboard): at once, so that the frame styles it
            // with the edit, in one pass.
            g.paint_selection();
        } else {
            // After the rows render.
            request_animation_frame(move || {
                g.fit_window();
                g.paint_selection();
            });
        }
        rendered
    });
    // The picked product's row and inputs, for the card, the solvers and the heat map.
    let act = active(g);

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
                            g.close_editor(true, After::Stay);
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
                            children=move |r| row_view(r, g, cur_currency)
                        />
                        {move || spacer(rows.with(Vec::len).saturating_sub(window.get().1))}
                    </tbody>
                </table>
            </div>
            <ProductCard g=g act=act cur=cur_currency />
            </div>
            <div class="wi-panels">
                <Solvers g=g act=act />
                <Compare g=g />
            </div>
            <Sensitivity g=g act=act />
            // The last edit's timing, for tests and profiling only: kept out of the seller's sight.
            <p hidden data-testid="edit-ms" data-measure=MEASURE data-ms=move || g.last_ms.get().map(|ms| format!("{ms:.1}"))></p>
        </section>
    }
}

/// The SKUs' baselines of the grid's rows.
fn baseline_skus(rows: Memo<Vec<GridRow>>) -> Vec<BaselineSku> {
    rows.with_untracked(|rows| skus(rows).cloned().collect())
}

/// The one reader of the current scenario for the grid: on every change it compares the scenario with
/// the last one (`LiveTotals::update`) and notifies, in `Grid::watch`, the targets whose edits changed,
/// the product groups whose sums changed ([`sum_key`]) and [`ALL`] when the sum of all SKUs did. Rebuilt
/// with the baseline (`data`, whose `generation` it carries). Effects run before the next frame, so the
/// edit is painted with its rows and sums.
fn watch_scenario(g: Grid, data: Memo<Vec<GridRow>>, generation: StoredValue<u32>) {
    let t = g.totals;
    Effect::new(move |_| {
        // Read (not only tracked), so that the baseline's generation is the current one.
        data.with(|_| ());
        let gen_now = generation.get_value();
        let rebuild = t
            .sums
            .with_value(|s| s.as_ref().map(|s| s.generation) != Some(gen_now));
        let changes = g.cur.with(|s| {
            if rebuild {
                let base = LiveTotals::new(baseline_skus(data), &Scenario::default());
                let live = LiveTotals::new(baseline_skus(data), s);
                t.sums.set_value(Some(Sums {
                    generation: gen_now,
                    live,
                    base,
                }));
                None
            } else {
                t.sums
                    .try_update_value(|x| x.as_mut().map(|x| x.live.update(s)))
                    .flatten()
            }
        });
        match changes {
            // New figures: the sums are new, and rows kept across (typed-in products) may have missed an edit.
            None => {
                g.watch.notify_all();
            }
            Some(c) => {
                for target in &c.targets {
                    g.watch.notify(target);
                }
                for group in &c.groups {
                    g.watch.notify(&sum_key(group));
                }
                if c.all {
                    g.watch.notify(ALL);
                }
            }
        }
        g.sync_customs();
    });
}
