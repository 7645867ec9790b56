//! The Files view: one drop zone for many exports (drag-and-drop or the picker), a progress bar per
//! file while the worker imports, a card per file with its import report (kind, market, currency,
//! dates, rows used and skipped — for affiliate and finance exports, rows joined to loaded orders —, the
//! lines the file updated, columns used and ignored, warnings), remove and re-read choices, and the demo
//! data.

use crate::browser;
use crate::format::{count, mb};
use crate::route::View;
use crate::state::{Pending, State};
use crate::store;
use leptos::{ev, prelude::*, task::spawn_local};
use margin_engine::import::values::DateOrder;
use margin_engine::import::{ExportKind, ImportOptions, ImportReport};
use margin_engine::money::Currency;
use margin_engine::settings::{VatSetting, standard_vat_rate};
use std::collections::HashMap;

/// Bundled synthetic exports (made by `margin-lab generate`), relative to the page.
const DEMO_FILES: &[&str] = &[
    "demo/demo_us_orders.csv",
    "demo/demo_us_affiliate_orders.csv",
    "demo/demo_us_costs.csv",
    "demo/demo_uk_orders.csv",
    "demo/demo_uk_affiliate_orders.csv",
    "demo/demo_uk_costs.csv",
];

/// The demo files' names (as their cards show them).
pub fn is_demo(name: &str) -> bool {
    DEMO_FILES
        .iter()
        .any(|p| p.rsplit('/').next() == Some(name))
}

fn demo_names() -> Vec<&'static str> {
    DEMO_FILES
        .iter()
        .filter_map(|p| p.rsplit('/').next())
        .collect()
}

/// The files given this session, by name: the handles kept so that a file can be read again with the
/// user's date order or currency. Each is also kept in the browser (`src/store.rs`) for the next visit.
#[derive(Clone, Copy)]
pub struct Blobs(StoredValue<HashMap<String, web_sys::Blob>, LocalStorage>);

impl Blobs {
    pub fn new() -> Blobs {
        Blobs(StoredValue::new_local(HashMap::new()))
    }

    /// Queues a file for the worker (the `File` object itself) and keeps it in the browser.
    pub fn submit(self, state: State, name: String, blob: web_sys::Blob) {
        store::keep(&name, &blob, None);
        self.0.update_value(|b| {
            b.insert(name.clone(), blob.clone());
        });
        if let Some(w) = state.worker() {
            w.submit(name, blob);
        }
    }

    /// Imports the files kept in the browser on an earlier visit, with the read choices made then.
    pub fn restore(self, state: State, kept: Vec<store::Kept>) {
        for k in kept {
            let options: ImportOptions = k
                .options
                .as_deref()
                .and_then(|o| serde_json::from_str(o).ok())
                .unwrap_or_default();
            self.0.update_value(|b| {
                b.insert(k.name.clone(), k.blob.clone());
            });
            if let Some(w) = state.worker() {
                w.submit_with(k.name, k.blob, options);
            }
        }
    }

    /// Queues picked or dropped files.
    pub fn submit_list(self, state: State, list: Option<web_sys::FileList>) {
        let Some(list) = list else { return };
        for file in (0..list.length()).filter_map(|i| list.get(i)) {
            let name = file.name();
            self.submit(state, name, file.into());
        }
    }

    /// Reads a file again with the user's date order or currency (the card's "Read as" choices).
    fn reread(self, state: State, name: String, options: ImportOptions) {
        if let (Some(blob), Some(w)) =
            (self.0.with_value(|b| b.get(&name).cloned()), state.worker())
        {
            store::keep(&name, &blob, serde_json::to_string(&options).ok());
            w.submit_with(name, blob, options);
        }
    }
}

/// The drop zone, the progress bars and errors: shown on the Files view, and the progress and errors
/// on every view (`Status`).
#[component]
pub fn FilesView() -> impl IntoView {
    let state = expect_context::<State>();
    let blobs = expect_context::<Blobs>();
    // The demo exports go through the worker like dropped files: fetched as blobs (all at once),
    // queued in the listed order; the overview opens when they are in.
    let on_demo = move |_| {
        let fetches: Vec<_> = DEMO_FILES
            .iter()
            .map(|p| (*p, browser::fetch_blob(p)))
            .collect();
        state.route.update(|r| r.view = View::Overview);
        spawn_local(async move {
            for (path, fetch) in fetches {
                match fetch.await {
                    Ok(blob) => {
                        let name = path.rsplit('/').next().unwrap_or(path).to_string();
                        blobs.submit(state, name, blob);
                    }
                    Err(e) => state
                        .errors
                        .update(|es| es.push(format!("Demo data could not be loaded: {e}"))),
                }
            }
        });
    };
    let reread = Callback::new(move |(name, options): (String, ImportOptions)| {
        blobs.reread(state, name, options)
    });
    let remove = Callback::new(move |name: String| state.remove(&name));
    let remove_sheet = Callback::new(move |name: String| state.remove_cost_sheet(&name));
    let any_file =
        move || state.files.with(|f| !f.is_empty()) || state.cost_sheets.with(|s| !s.is_empty());
    view! {
        <section class="import" aria-labelledby="import-h">
            <h2 id="import-h">"Your exports"</h2>
            <DropZone>
                <p>"Drop Seller Center exports (Orders, Affiliate, Finance, GMV Max, Ads Manager; CSV or XLSX) and your costs sheet here, or"</p>
                <label class="button">
                    "Choose files"
                    <input
                        type="file"
                        multiple
                        accept=".csv,.tsv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                        class="visually-hidden"
                        on:change:target=move |ev| {
                            let input = ev.target();
                            blobs.submit_list(state, input.files());
                            input.set_value("");
                        }
                    />
                </label>
                <button type="button" class="button secondary" data-testid="demo" on:click=on_demo>
                    "Try with demo data"
                </button>
            </DropZone>
            <p class="hint">"Files are read in this browser and never uploaded. Your exports are kept in this browser, on this computer, so that a reload finds them; dropping a file again replaces the earlier copy."</p>
            <Show when=any_file>
                <p class="file-tools">
                    <button
                        type="button"
                        class="button secondary"
                        data-testid="forget-all"
                        on:click=move |_| state.forget_all()
                    >
                        "Forget all files"
                    </button>
                    <span class="small">" Removes every export from this page and from this browser. Your costs and settings stay."</span>
                </p>
            </Show>
            <div class="cards">
                <For each=move || state.cost_sheets.get() key=|(r, t)| (r.name.clone(), r.rows, t.entries.len()) let:sheet>
                    <FileCard
                        on_remove=remove_sheet
                        note=format!("{} unit costs, merged into the SKU table (kept in this browser; removing the card takes them out)", count(sheet.1.entries.len() as i64))
                        report=sheet.0
                    />
                </For>
                <For
                    each=move || state.files.get()
                    key=|r| (r.name.clone(), r.rows, r.used_rows, r.date_order, r.currency)
                    let:report
                >
                    <FileCard on_remove=remove on_reread=reread report=report />
                </For>
            </div>
        </section>
    }
}

/// Whether a drag carries files (not text or a link dragged inside the page).
fn carries_files(ev: &ev::DragEvent) -> bool {
    ev.data_transfer().is_some_and(|dt| {
        dt.types()
            .iter()
            .any(|t| t.as_string().as_deref() == Some("Files"))
    })
}

/// The whole window takes dropped files, on every view and over every element (tables, charts): an
/// overlay shows while files are dragged over the page, and the browser never opens a dropped file in the
/// tab (which would lose everything loaded). Call once, from the app's shell.
pub fn accept_drops_anywhere(state: State, blobs: Blobs, Dragging(dragging): Dragging) {
    // dragenter/dragleave fire for every element crossed: a count tells when the drag left the window.
    let depth = StoredValue::new(0i32);
    let enter = window_event_listener(ev::dragenter, move |ev| {
        if carries_files(&ev) {
            ev.prevent_default();
            depth.update_value(|d| *d += 1);
            dragging.set(true);
        }
    });
    let over = window_event_listener(ev::dragover, move |ev| {
        if carries_files(&ev) {
            ev.prevent_default();
            if let Some(dt) = ev.data_transfer() {
                dt.set_drop_effect("copy");
            }
            if !dragging.get_untracked() {
                dragging.set(true);
            }
        }
    });
    let leave = window_event_listener(ev::dragleave, move |_| {
        depth.update_value(|d| *d -= 1);
        if depth.get_value() <= 0 {
            depth.set_value(0);
            dragging.set(false);
        }
    });
    let drop = window_event_listener(ev::drop, move |ev| {
        depth.set_value(0);
        dragging.set(false);
        if carries_files(&ev) {
            ev.prevent_default();
            blobs.submit_list(state, ev.data_transfer().and_then(|dt| dt.files()));
        }
    });
    // They live as long as the page.
    std::mem::forget((enter, over, leave, drop));
}

/// Files are being dragged over the window (context: the overlay and the drop zones show it).
#[derive(Clone, Copy)]
pub struct Dragging(pub RwSignal<bool>);

/// The overlay shown while files are dragged over the window.
#[component]
pub fn DropOverlay() -> impl IntoView {
    let Dragging(dragging) = expect_context::<Dragging>();
    view! {
        <div class="drop-overlay" class:visible=move || dragging.get() data-testid="drop-overlay" aria-hidden="true">
            <p>"Drop your exports or costs sheet anywhere to add them"</p>
        </div>
    }
}

/// Where the page invites a drop (the window takes it: [`accept_drops_anywhere`]).
#[component]
pub fn DropZone(children: Children) -> impl IntoView {
    let dragging = use_context::<Dragging>();
    view! {
        <div
            class="dropzone"
            class:over=move || dragging.is_some_and(|Dragging(d)| d.get())
            data-testid="dropzone"
        >
            {children()}
        </div>
    }
}

/// Import progress and errors, on every view: a file dropped from the overview still says how it went.
#[component]
pub fn Status() -> impl IntoView {
    let state = expect_context::<State>();
    let unassigned_f = super::figures(state);
    view! {
        <div class="status-strip">
            <p class="status" aria-live="polite">
                {move || match state.pending.with(Vec::len) {
                    0 => String::new(),
                    1 => "Importing 1 file…".to_string(),
                    n => format!("Importing {n} files…"),
                }}
            </p>
            <ul class="imports">
                <For each=move || state.pending.with(|p| p.iter().map(|x| x.id).collect::<Vec<_>>()) key=|id| *id let:id>
                    <ImportProgress id=id pending=state.pending />
                </For>
            </ul>
            <DemoBanner />
            <VatQuestion />
            {move || {
                unassigned_f.with(|c| c.as_ref().filter(|c| !c.unassigned.is_empty()).map(|c| view! {
                    <div class="notice" data-testid="unassigned-files" role="status">
                        <p>"These files are in no shop's figures yet:"</p>
                        <ul>{c.unassigned.iter().map(|u| {
                            let file = u.file.clone();
                            view! {
                                <li data-file=u.file.clone()>
                                    {u.why.clone()}" "
                                    <select data-input="file-shop" aria-label=format!("The shop of {}", u.file)
                                        on:change=move |ev| {
                                            let shop = event_target_value(&ev);
                                            let file = file.clone();
                                            state.settings.update(|s| {
                                                s.file_shops.retain(|a| a.file != file);
                                                s.file_shops.push(margin_engine::shops::FileShop { file, shop });
                                            });
                                        }>
                                        <option value="">"Which shop?"</option>
                                        {u.shops.iter().map(|(k, n)| view! { <option value=k.clone() data-shop=n.clone()>{n.clone()}</option> }).collect_view()}
                                    </select>
                                </li>
                            }
                        }).collect_view()}</ul>
                    </div>
                }))
            }}
            <Show when=move || state.notice.with(Option::is_some)>
                <p class="notice" role="status">
                    {move || state.notice.get().unwrap_or_default()}
                    " "
                    <button type="button" class="link" on:click=move |_| state.notice.set(None)>"Dismiss"</button>
                </p>
            </Show>
            <ul class="errors" role="alert">
                <For each=move || state.errors.get() key=|m| m.clone() let:msg>
                    <li class="error" data-testid="import-error">
                        {msg.clone()}
                        " "
                        <button
                            type="button"
                            class="link"
                            aria-label="Dismiss this message"
                            on:click=move |_| state.errors.update(|es| es.retain(|m| *m != msg))
                        >
                            "Dismiss"
                        </button>
                    </li>
                </For>
            </ul>
        </div>
    }
}

#[component]
fn ImportProgress(id: u32, pending: RwSignal<Vec<Pending>>) -> impl IntoView {
    let item = move || pending.with(|p| p.iter().find(|x| x.id == id).cloned());
    let label = move || {
        item().map_or_else(String::new, |p| match p.read {
            None => format!("{} — waiting ({})", p.name, mb(p.total)),
            Some(read) => {
                let pct = if p.total > 0.0 {
                    (read / p.total * 100.0).floor()
                } else {
                    100.0
                };
                let rows = if p.rows > 0.0 {
                    format!(", {} rows", count(p.rows as i64))
                } else {
                    String::new()
                };
                format!(
                    "{} — {} of {} ({pct}%){rows}",
                    p.name,
                    mb(read),
                    mb(p.total)
                )
            }
        })
    };
    let label_id = format!("import-{id}");
    view! {
        <li class="import-progress" data-testid="import-progress">
            <progress
                aria-labelledby=label_id.clone()
                max=move || item().map_or(0.0, |p| p.total).to_string()
                value=move || item().and_then(|p| p.read).map(|r| r.to_string())
            ></progress>
            <span id=label_id class="import-label">{label}</span>
        </li>
    }
}

fn date_order_text(d: DateOrder) -> &'static str {
    match d {
        DateOrder::MonthFirst => "dates month/day/year",
        DateOrder::DayFirst => "dates day/month/year",
        DateOrder::YearFirst => "dates year/month/day",
    }
}

/// Currencies offered when the user corrects a file's currency (the markets TikTok Shop sells in).
const CURRENCY_CHOICES: &[&str] = &[
    "USD", "GBP", "EUR", "BRL", "MXN", "IDR", "MYR", "PHP", "SGD", "THB", "VND", "JPY",
];

/// A file's import report: what it was read as, and how much of it was used and why not the rest.
#[component]
fn FileCard(
    report: ImportReport,
    /// Shown under the rows line (a costs sheet says where its costs went).
    #[prop(optional, into)]
    note: Option<String>,
    /// Offers a Remove button; called with the file's name.
    #[prop(optional)]
    on_remove: Option<Callback<String>>,
    /// Offers the date order and currency choices; called to read the file again with them.
    #[prop(optional)]
    on_reread: Option<Callback<(String, ImportOptions)>>,
) -> impl IntoView {
    let r = report;
    let name = r.name.clone();
    let state = expect_context::<State>();
    // What the report adds once every file is in (docs/metrics.md §1, §8): the rows of an affiliate or
    // finance export joined to loaded orders, and the lines the file updated.
    let entry = {
        let name = name.clone();
        Memo::new(move |_| {
            state.computed.with(|c| {
                c.as_ref()
                    .and_then(|c| c.as_ref().ok())
                    .and_then(|c| c.report.files.iter().find(|f| f.name == name).cloned())
            })
        })
    };
    let (used_rows, rows) = (r.used_rows, r.rows);
    let joined = move || entry.with(|e| e.as_ref().and_then(|e| e.joined_rows));
    let rows_text = move || match joined() {
        Some(j) => format!("{j} of {rows} rows joined to loaded orders"),
        None => format!("{used_rows} of {rows} rows used"),
    };
    let updates = move || {
        entry.with(|e| {
            e.as_ref()
                .and_then(|e| Some((e.overrides.total(), e.overrides.sentence(&e.name)?)))
        })
    };
    // A costs sheet has no dates to speak of; an export without dated rows says so.
    let range = match (r.date_range, r.kind) {
        (Some((a, b)), _) => Some(format!("{a} – {b}")),
        (None, ExportKind::Costs) => None,
        (None, _) => Some("no dated rows".to_string()),
    };
    let currency = r.currency.map(|c| c.code().to_string());
    let skipped = r
        .skipped
        .iter()
        .map(|s| format!("{} {}", s.count, s.reason))
        .collect::<Vec<_>>()
        .join(", ");
    let read_as = [
        Some(r.encoding.clone()),
        r.date_order.map(|d| date_order_text(d).to_string()),
        Some(r.evidence.clone()),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" · ");
    let remove = on_remove.map(|cb| {
        let to_remove = name.clone();
        view! {
            <button
                type="button"
                class="link"
                aria-label=format!("Remove {name}")
                on:click=move |_| cb.run(to_remove.clone())
            >
                "Remove"
            </button>
        }
    });
    // The user's override of what the importer decided from the file's evidence (issue 3, item 2).
    let choices = on_reread.filter(|_| r.date_order.is_some()).map(|cb| {
        let detected = (r.date_order, r.currency);
        let order_name = name.clone();
        let currency_name = name.clone();
        let chosen_order = r.date_order;
        let chosen_currency = r.currency;
        let order_value = |o: Option<DateOrder>| match o {
            Some(DateOrder::MonthFirst) => "month-first",
            Some(DateOrder::DayFirst) => "day-first",
            Some(DateOrder::YearFirst) => "year-first",
            None => "",
        };
        view! {
            <p class="small read-choices">
                <label>
                    "Dates "
                    <select
                        data-input="date_order"
                        aria-label=format!("Date order of {name}")
                        on:change:target=move |ev| {
                            let date_order = match ev.target().value().as_str() {
                                "month-first" => Some(DateOrder::MonthFirst),
                                "day-first" => Some(DateOrder::DayFirst),
                                "year-first" => Some(DateOrder::YearFirst),
                                _ => None,
                            };
                            cb.run((order_name.clone(), ImportOptions { date_order, currency: detected.1, size_hint: None }));
                        }
                    >
                        {[DateOrder::MonthFirst, DateOrder::DayFirst, DateOrder::YearFirst]
                            .into_iter()
                            .map(|o| view! {
                                <option value=order_value(Some(o)) selected=Some(o) == chosen_order>{date_order_text(o).trim_start_matches("dates ")}</option>
                            })
                            .collect_view()}
                    </select>
                </label>
                " "
                <label>
                    "Currency "
                    <select
                        data-input="currency"
                        aria-label=format!("Currency of {name}")
                        on:change:target=move |ev| {
                            let currency = Currency::from_code(&ev.target().value());
                            cb.run((currency_name.clone(), ImportOptions { date_order: detected.0, currency, size_hint: None }));
                        }
                    >
                        {CURRENCY_CHOICES
                            .iter()
                            .filter_map(|c| Currency::from_code(c))
                            .chain(chosen_currency.filter(|c| !CURRENCY_CHOICES.contains(&c.code())))
                            .map(|c| view! {
                                <option value=c.code().to_string() selected=Some(c) == chosen_currency>{c.code().to_string()}</option>
                            })
                            .collect_view()}
                    </select>
                </label>
            </p>
        }
    });
    let columns = |cols: &[String]| {
        if cols.is_empty() {
            "none".to_string()
        } else {
            cols.join(", ")
        }
    };
    view! {
        <article class="card" data-file=name.clone()>
            <header>
                <strong class="file-name">{name.clone()}</strong>
                {remove}
            </header>
            <p>
                <span data-testid="file-kind">{r.kind.label()}</span>
                {currency.map(|c| view! { " · " <span data-testid="file-currency">{c}</span> })}
                {range.map(|d| view! { " · " <span class="nowrap" data-testid="file-dates">{d}</span> })}
            </p>
            <p>
                <span data-testid="file-rows" data-joined=move || joined().map(|j| j.to_string())>{rows_text}</span>
                {(!skipped.is_empty()).then(|| view! { " · skipped: " <span data-testid="file-skipped">{skipped}</span> })}
            </p>
            {move || updates().map(|(n, text)| view! { <p data-testid="file-overrides" data-overrides=n.to_string()>{text}</p> })}
            {note.map(|n| view! { <p>{n}</p> })}
            <p class="small" data-testid="file-read-as">"Read as " {read_as}</p>
            {choices}
            <details>
                <summary>{format!("{} columns used, {} ignored", r.used_columns.len(), r.ignored_columns.len())}</summary>
                <p class="small">"Used: " {columns(&r.used_columns)}</p>
                <p class="small">"Ignored: " {columns(&r.ignored_columns)}</p>
            </details>
            {(!r.warnings.is_empty()).then(|| view! {
                <ul class="warnings" data-testid="file-warnings">
                    {r.warnings.iter().map(|w| view! { <li>{w.clone()}</li> }).collect_view()}
                </ul>
            })}
        </article>
    }
}

/// While demo data is loaded: says so, with one button that takes every demo file and the demo's costs
/// away and leaves a clean page.
#[component]
fn DemoBanner() -> impl IntoView {
    let state = expect_context::<State>();
    let demo = move || {
        state.files.with(|f| f.iter().any(|r| is_demo(&r.name)))
            || state
                .cost_sheets
                .with(|s| s.iter().any(|(r, _)| is_demo(&r.name)))
    };
    let clear = move |_| {
        state.clear_demo(&demo_names());
        state.route.update(|r| r.view = View::Files);
    };
    view! {
        <Show when=demo>
            <p class="notice demo-banner" data-testid="demo-banner">
                "You are looking at demo data (a made-up US and UK shop). "
                <button type="button" class="button secondary" data-testid="clear-demo" on:click=clear>
                    "Clear demo"
                </button>
            </p>
        </Show>
    }
}

/// A market's name in the VAT question.
fn market_name(market: &str) -> String {
    match market {
        "GB" => "the UK".to_string(),
        "DE" => "Germany".to_string(),
        "FR" => "France".to_string(),
        "ES" => "Spain".to_string(),
        "IT" => "Italy".to_string(),
        "IE" => "Ireland".to_string(),
        m => m.to_string(),
    }
}

/// Asked once per VAT market (docs/metrics.md §2 output_vat), on the first UK or EU Orders export whose
/// tax columns carry no VAT (not the demo's): is the shop VAT-registered there, and at what rate? The answer is a setting
/// the engine applies; the page only collects it.
#[component]
fn VatQuestion() -> impl IntoView {
    let state = expect_context::<State>();
    let market = Memo::new(move |_| {
        state.settings.with(|s| {
            state.files.with(|fs| {
                fs.iter()
                    // The demo shop is answered already (registered, the default): a question about
                    // made-up data only stands between a new user and the figures.
                    .filter(|f| {
                        f.kind == ExportKind::Orders && !f.vat_in_export && !is_demo(&f.name)
                    })
                    .filter_map(|f| f.currency)
                    .map(|c| s.market_of(c))
                    .find(|m| standard_vat_rate(m).is_some() && !s.vat_answered(m))
            })
        })
    });
    move || {
        market.get().map(|m| {
            let default = standard_vat_rate(&m).map(VatSetting::percent_text).unwrap_or_default();
            let registered = RwSignal::new(true);
            let rate = RwSignal::new(default);
            let error = RwSignal::new(None::<String>);
            let where_ = market_name(&m);
            let save_market = m.clone();
            let save = move |ev: ev::SubmitEvent| {
                ev.prevent_default();
                match VatSetting::from_percent(&save_market, registered.get_untracked(), &rate.get_untracked()) {
                    Ok(v) => {
                        error.set(None);
                        state.settings.update(|s| {
                            s.vat.retain(|x| !x.market.eq_ignore_ascii_case(&v.market));
                            s.vat.push(v);
                        });
                    }
                    Err(e) => error.set(Some(e)),
                }
            };
            view! {
                <form class="vat-question notice" data-testid="vat-question" data-market=m.clone() on:submit=save>
                    <p>
                        <strong>{format!("Is the shop VAT-registered in {where_}?")}</strong>
                        " This orders export shows no VAT in its tax columns. A registered seller's prices include VAT: Margin Lab then takes it out of revenue before any margin."
                    </p>
                    <p class="vat-answer">
                        <label>
                            <input type="radio" name="vat-registered" data-input="vat_registered" prop:checked=move || registered.get() on:change=move |_| registered.set(true) />
                            " Yes, VAT-registered"
                        </label>
                        <label>
                            <input type="radio" name="vat-registered" data-input="vat_not_registered" prop:checked=move || !registered.get() on:change=move |_| registered.set(false) />
                            " No"
                        </label>
                        <label class:muted=move || !registered.get()>
                            " VAT rate "
                            <input
                                type="text"
                                inputmode="decimal"
                                size="5"
                                data-input="vat_rate"
                                prop:value=move || rate.get()
                                prop:disabled=move || !registered.get()
                                on:input:target=move |ev| rate.set(ev.target().value())
                            />
                            " %"
                        </label>
                        " "
                        <button type="submit" class="button" data-testid="vat-save">"Save"</button>
                    </p>
                    {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    <p class="small">"You can change this later in Settings."</p>
                </form>
            }
        })
    }
}
