//! The Files view: one drop zone for many exports (drag-and-drop or the picker), a progress bar per
//! file while the worker imports, a card per file with its import report (kind, market, currency,
//! dates, rows used and skipped — for affiliate and finance exports, rows joined to loaded orders —, the
//! lines the file updated, columns used and ignored, warnings), remove and re-read choices, and the demo
//! data.

use crate::browser;
use crate::format::{count, mb};
use crate::route::View;
use crate::state::{Pending, State};
use leptos::{ev, prelude::*, task::spawn_local};
use margin_engine::import::values::DateOrder;
use margin_engine::import::{ExportKind, ImportOptions, ImportReport};
use margin_engine::money::Currency;
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

/// The files given this session, by name: the handles (never the bytes) kept so that a file can be read
/// again with the user's date order or currency.
#[derive(Clone, Copy)]
pub struct Blobs(StoredValue<HashMap<String, web_sys::Blob>, LocalStorage>);

impl Blobs {
    pub fn new() -> Blobs {
        Blobs(StoredValue::new_local(HashMap::new()))
    }

    /// Queues a file for the worker: the `File` object itself, never its bytes.
    pub fn submit(self, state: State, name: String, blob: web_sys::Blob) {
        self.0.update_value(|b| {
            b.insert(name.clone(), blob.clone());
        });
        if let Some(w) = state.worker() {
            w.submit(name, blob);
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
            <p class="hint">"Files are read in this browser and never uploaded. Dropping a file again replaces the earlier copy."</p>
            <div class="cards">
                <For each=move || state.cost_sheets.get() key=|(r, n)| (r.name.clone(), r.rows, *n) let:sheet>
                    <FileCard
                        report=sheet.0
                        note=format!("{} unit costs, merged into the SKU table (kept in this browser)", count(sheet.1 as i64))
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

/// A drop target: files dropped on it go to the worker.
#[component]
pub fn DropZone(children: Children) -> impl IntoView {
    let state = expect_context::<State>();
    let blobs = expect_context::<Blobs>();
    let over = RwSignal::new(false);
    let on_drop = move |ev: ev::DragEvent| {
        ev.prevent_default();
        over.set(false);
        blobs.submit_list(state, ev.data_transfer().and_then(|dt| dt.files()));
    };
    view! {
        <div
            class="dropzone"
            class:over=move || over.get()
            data-testid="dropzone"
            on:dragover=move |ev: ev::DragEvent| { ev.prevent_default(); over.set(true); }
            on:dragleave=move |_| over.set(false)
            on:drop=on_drop
        >
            {children()}
        </div>
    }
}

/// Import progress and errors, on every view: a file dropped from the overview still says how it went.
#[component]
pub fn Status() -> impl IntoView {
    let state = expect_context::<State>();
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
