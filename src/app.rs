//! The page: import, KPI tiles and the per-SKU table with editable unit costs.
//!
//! State lives in a few signals; every figure is a `Memo` over `margin_engine::report::build`, so an
//! edited cost recomputes from the parsed ledger (never from text) and every cell follows.

use crate::browser;
use crate::importer::{Event as ImportEvent, Importer};
use leptos::{ev, prelude::*, task::spawn_local};
use margin_engine::costs::CostsTable;
use margin_engine::import::values::DateOrder;
use margin_engine::import::{ExportKind, FileData, ImportOptions, ImportReport, ImportedFile};
use margin_engine::metrics::{Analysis, Figures, SkuFigures};
use margin_engine::money::{Currency, parse_money, percent_points_dp};
use margin_engine::report::{self, Report};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::time::Duration;

/// Bundled synthetic exports (made by `margin-lab generate`), relative to the page.
const DEMO_FILES: &[&str] = &[
    "demo/demo_us_orders.csv",
    "demo/demo_us_affiliate_orders.csv",
    "demo/demo_us_costs.csv",
    "demo/demo_uk_orders.csv",
    "demo/demo_uk_affiliate_orders.csv",
    "demo/demo_uk_costs.csv",
];

/// What the figures memo holds: the report and the exact analysis, or why there is none.
type Computed = Result<(Report, Analysis), String>;

/// A file on its way through the import worker.
#[derive(Clone, Debug, PartialEq)]
struct Pending {
    id: u32,
    name: String,
    /// Bytes parsed so far; `None` while the file waits for its turn.
    read: Option<f64>,
    total: f64,
    /// Rows parsed so far.
    rows: f64,
}

#[derive(Clone, Copy)]
struct State {
    files: RwSignal<Vec<ImportedFile>>,
    errors: RwSignal<Vec<String>>,
    costs: RwSignal<CostsTable>,
    currency: RwSignal<Option<Currency>>,
    /// Files being imported, in queue order: one progress bar each.
    pending: RwSignal<Vec<Pending>>,
    notice: RwSignal<Option<String>>,
    /// Costs sheets read this session: their import report and number of cost rows.
    cost_sheets: RwSignal<Vec<(ImportReport, usize)>>,
}

impl State {
    /// Follows a file through the worker: its progress bar, then its card or its error. A file that
    /// cannot be used only adds an error: files and edits already loaded stay as they are.
    fn on_import(&self, event: ImportEvent) {
        match event {
            ImportEvent::Queued { id, name, size } => self.pending.update(|p| {
                p.push(Pending {
                    id,
                    name,
                    read: None,
                    total: size,
                    rows: 0.0,
                })
            }),
            ImportEvent::Progress {
                id,
                read,
                total,
                rows,
            } => self.pending.update(|p| {
                if let Some(x) = p.iter_mut().find(|x| x.id == id) {
                    x.read = Some(read);
                    x.total = total;
                    x.rows = rows;
                }
            }),
            ImportEvent::Finished { id, result } => {
                // The bar goes in the same update as the card (or the error) comes.
                self.pending.update(|p| p.retain(|x| x.id != id));
                match result {
                    Ok(f) => self.add(*f),
                    Err(e) => self.errors.update(|es| es.push(e)),
                }
            }
        }
    }

    fn add(&self, f: ImportedFile) {
        let name = f.report.name.clone();
        self.errors.update(|e| {
            e.retain(|m| !m.starts_with(&format!("{name}:")) && !m.starts_with(&format!("{name},")))
        });
        if let FileData::Costs(t) = f.data {
            let skus = t.entries.len();
            self.cost_sheets.update(|sheets| {
                sheets.retain(|(r, _)| r.name != name);
                sheets.push((f.report, skus));
            });
            self.costs.update(|c| c.merge(t));
            return;
        }
        // Dropping a file again replaces the earlier copy of the same name.
        self.files.update(|fs| {
            fs.retain(|x| x.report.name != name);
            fs.push(f);
        });
    }
}

/// The files given this session, by name: the handles (never the bytes) kept so that a file can be read
/// again with the user's date order or currency.
type Blobs = StoredValue<HashMap<String, web_sys::Blob>, LocalStorage>;

/// Queues picked or dropped files for the import worker: the `File` objects themselves, never their bytes.
fn import_files(
    importer: StoredValue<Importer, LocalStorage>,
    blobs: Blobs,
    list: Option<web_sys::FileList>,
) {
    let Some(list) = list else { return };
    for file in (0..list.length()).filter_map(|i| list.get(i)) {
        let name = file.name();
        let blob: web_sys::Blob = file.into();
        blobs.update_value(|b| {
            b.insert(name.clone(), blob.clone());
        });
        importer.with_value(|imp| imp.submit(name, blob));
    }
}

#[component]
pub fn App() -> impl IntoView {
    let (saved_costs, storage_notice) = browser::load_costs();
    let state = State {
        files: RwSignal::new(Vec::new()),
        errors: RwSignal::new(Vec::new()),
        costs: RwSignal::new(saved_costs),
        currency: RwSignal::new(None),
        pending: RwSignal::new(Vec::new()),
        notice: RwSignal::new(storage_notice),
        cost_sheets: RwSignal::new(Vec::new()),
    };
    let importer = StoredValue::new_local(Importer::new(move |e| state.on_import(e)));
    let blobs: Blobs = StoredValue::new_local(HashMap::new());
    // Reads a file again with the user's date order or currency (the card's "Read as" choices).
    let reread = Callback::new(move |(name, options): (String, ImportOptions)| {
        if let Some(blob) = blobs.with_value(|b| b.get(&name).cloned()) {
            importer.with_value(|imp| imp.submit_with(name, blob, options));
        }
    });
    // Keep the costs table in browser storage: the only outside world this effect syncs with.
    Effect::new(move |_| {
        if let Some(msg) = state.costs.with(browser::save_costs) {
            state.notice.set(Some(msg));
        }
    });

    // The figures follow the files one painted frame later: a new card (or a removed one) shows at
    // once, before the engine's analysis of every line runs (on the main thread, as a cost edit needs).
    let files_settled = RwSignal::new(0_u64);
    Effect::new(move |_| {
        state.files.track();
        request_animation_frame(move || {
            set_timeout(move || files_settled.update(|n| *n += 1), Duration::ZERO)
        });
    });
    let currencies = Memo::new(move |_| {
        files_settled.track();
        state.files.with_untracked(|f| report::currencies(f))
    });
    let computed: Memo<Computed> = Memo::new(move |_| {
        let list = currencies.get();
        let chosen = state
            .currency
            .get()
            .filter(|c| list.contains(c))
            .or_else(|| list.first().copied());
        files_settled.track();
        state.files.with_untracked(|f| {
            state.costs.with(|c| {
                browser::measure("margin-lab:figures", || {
                    report::build(f, c, chosen, None).map_err(|e| e.to_string())
                })
            })
        })
    });
    let by_sku: Memo<HashMap<String, SkuFigures>> = Memo::new(move |_| {
        computed.with(|c| match c {
            Ok((_, a)) => a
                .skus
                .iter()
                .map(|s| (s.sku_id.clone(), s.clone()))
                .collect(),
            Err(_) => HashMap::new(),
        })
    });
    let currency = Memo::new(move |_| {
        computed.with(|c| c.as_ref().map_or(Currency::USD, |(r, _)| r.currency))
    });
    let has_data = move || computed.with(|c| c.as_ref().is_ok_and(|(_, a)| a.totals.lines > 0));

    // The demo exports go through the worker like dropped files: fetched as blobs (all at once), queued
    // in the listed order.
    let on_demo = move |_| {
        let fetches: Vec<_> = DEMO_FILES
            .iter()
            .map(|p| (*p, browser::fetch_blob(p)))
            .collect();
        spawn_local(async move {
            for (path, fetch) in fetches {
                match fetch.await {
                    Ok(blob) => {
                        let name = path.rsplit('/').next().unwrap_or(path).to_string();
                        blobs.update_value(|b| {
                            b.insert(name.clone(), blob.clone());
                        });
                        importer.with_value(|imp| imp.submit(name, blob));
                    }
                    Err(e) => state
                        .errors
                        .update(|es| es.push(format!("Demo data could not be loaded: {e}"))),
                }
            }
        });
    };
    let on_drop = move |ev: ev::DragEvent| {
        ev.prevent_default();
        import_files(
            importer,
            blobs,
            ev.data_transfer().and_then(|dt| dt.files()),
        );
    };
    let on_export = move |_| {
        let json = computed.with(|c| {
            c.as_ref()
                .ok()
                .and_then(|(r, _)| serde_json::to_string_pretty(r).ok())
        });
        if let Some(json) = json
            && let Err(e) = browser::download("margin-lab-report.json", "application/json", &json)
        {
            state
                .errors
                .update(|es| es.push(format!("The export failed: {e}")));
        }
    };

    view! {
        <header class="top">
            <h1>"Margin Lab"</h1>
            <p class="tagline">"What every TikTok Shop SKU really earns. Your files are read in this browser and never uploaded."</p>
        </header>
        <main>
            <section class="import" aria-labelledby="import-h">
                <h2 id="import-h">"Your exports"</h2>
                <div
                    class="dropzone"
                    data-testid="dropzone"
                    on:dragover=move |ev: ev::DragEvent| ev.prevent_default()
                    on:drop=on_drop
                >
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
                                import_files(importer, blobs, input.files());
                                input.set_value("");
                            }
                        />
                    </label>
                    <button type="button" class="button secondary" data-testid="demo" on:click=on_demo>
                        "Try with demo data"
                    </button>
                </div>
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
                    <p class="notice" role="status">{move || state.notice.get().unwrap_or_default()}</p>
                </Show>
                <ul class="errors" role="alert">
                    <For each=move || state.errors.get() key=|m| m.clone() let:msg>
                        <li class="error" data-testid="import-error">{msg}</li>
                    </For>
                </ul>
                <div class="cards">
                    <For each=move || state.cost_sheets.get() key=|(r, n)| (r.name.clone(), r.rows, *n) let:sheet>
                        <FileCard
                            report=sheet.0
                            note=format!("{} unit costs, merged into the SKU table (kept in this browser)", sheet.1)
                        />
                    </For>
                    // Reports only: cloning a file's records for the view would copy every line.
                    <For
                        each=move || state.files.with(|fs| fs.iter().map(|f| f.report.clone()).collect::<Vec<_>>())
                        key=|r| (r.name.clone(), r.rows, r.used_rows, r.date_order, r.currency)
                        let:report
                    >
                        <FileCard
                            on_remove=Callback::new(move |name: String| state.files.update(|fs| fs.retain(|f| f.report.name != name)))
                            on_reread=reread
                            report=report
                        />
                    </For>
                </div>
            </section>

            <Show when=move || { currencies.with(|c| c.len() > 1) }>
                <label class="currency">
                    "Shop currency "
                    <select on:change:target=move |ev| state.currency.set(Currency::from_code(&ev.target().value()))>
                        {move || {
                            let chosen = currency.get();
                            currencies
                                .get()
                                .into_iter()
                                .map(|c| view! { <option value=c.code().to_string() selected=c == chosen>{c.code().to_string()}</option> })
                                .collect_view()
                        }}
                    </select>
                </label>
            </Show>

            <Show when=move || computed.with(Result::is_err)>
                <p class="error">{move || computed.with(|c| c.as_ref().err().cloned().unwrap_or_default())}</p>
            </Show>

            <Show
                when=has_data
                fallback=|| view! { <p class="empty">"Drop an Orders export to see GMV, net sales and gross margin per SKU."</p> }
            >
                <section class="kpis" aria-label="Totals">
                    {move || {
                        let c = currency.get();
                        computed.with(|r| match r {
                            Ok((rep, a)) => kpi_tiles(&a.totals, c, rep).into_any(),
                            Err(_) => ().into_any(),
                        })
                    }}
                </section>
                <section class="skus" aria-labelledby="skus-h">
                    <div class="section-head">
                        <h2 id="skus-h">"SKUs"</h2>
                        <button type="button" class="button secondary" data-testid="export-json" on:click=on_export>
                            "Export report (JSON)"
                        </button>
                    </div>
                    <SkuTable computed=computed by_sku=by_sku currency=currency costs=state.costs />
                </section>
            </Show>
        </main>
        <footer>
            <p>"Figures follow the Margin Lab metric dictionary: net sales = GMV − cancelled − refunds; gross margin = (net revenue − COGS) / net revenue. Platform discounts are reimbursed by TikTok and are not a cost."</p>
        </footer>
    }
}

/// The exact amount for an input: never rounded away (6.505 stays 6.505), at least the minor unit (6.5 → 6.50).
fn editable_amount(amount: Decimal, c: Currency) -> String {
    let mut a = amount.normalize();
    if a.scale() < c.minor_units() {
        a.rescale(c.minor_units());
    }
    a.to_string()
}

fn pct(numerator: Decimal, denominator: Decimal) -> String {
    percent_points_dp(numerator, denominator, 1)
        .map_or_else(|| "—".to_string(), |p| format!("{p}%"))
}

/// A KPI tile: hook name (METRICS.md), label, value, and the change vs the previous period (text, up).
type Tile = (&'static str, &'static str, String, Option<(String, bool)>);

fn kpi_tiles(t: &Figures, c: Currency, rep: &Report) -> impl IntoView + use<> {
    let period = rep
        .period
        .map_or_else(String::new, |p| format!("{} – {}", p.from, p.to));
    // (hook, label, value, change vs the previous period of equal length when the files reach back).
    let prev = rep
        .previous
        .as_ref()
        .filter(|p| p.lines > 0)
        .map(|p| &p.totals);
    let change = |now: Decimal, before: Option<&str>| -> Option<(String, bool)> {
        let before: Decimal = before?.parse().ok()?;
        let p = percent_points_dp(now - before, before.abs(), 1)?;
        Some((
            format!(
                "{}{p}% vs previous",
                if p.is_sign_negative() { "" } else { "+" }
            ),
            !p.is_sign_negative(),
        ))
    };
    let tiles: Vec<Tile> = vec![
        (
            "gmv",
            "GMV",
            c.format(t.gmv),
            change(t.gmv, prev.map(|p| p.gmv.as_str())),
        ),
        (
            "net_sales",
            "Net sales",
            c.format(t.net_sales()),
            change(t.net_sales(), prev.map(|p| p.net_sales.as_str())),
        ),
        (
            "net_revenue",
            "Net revenue",
            c.format(t.net_revenue()),
            None,
        ),
        (
            "gross_profit",
            "Gross profit",
            c.format(t.gross_profit()),
            None,
        ),
        (
            "gross_margin_pct",
            "Gross margin",
            pct(t.gross_profit(), t.net_revenue()),
            None,
        ),
        (
            "cm2",
            "CM2",
            c.format(t.cm2()),
            change(t.cm2(), prev.map(|p| p.cm2.as_str())),
        ),
        ("cm2_pct", "CM2 %", pct(t.cm2(), t.net_revenue()), None),
        (
            "orders",
            "Orders",
            t.orders.to_string(),
            change(
                Decimal::from(t.orders),
                prev.map(|p| p.orders.to_string()).as_deref(),
            ),
        ),
        (
            "aov",
            "AOV",
            t.aov().map_or_else(|| "—".to_string(), |a| c.format(a)),
            None,
        ),
        ("units_sold", "Units sold", t.units_sold.to_string(), None),
    ];
    let warn = t.cost_missing();
    view! {
        <p class="period">"Order dates " {period} " · " {c.code().to_string()}</p>
        <div class="tiles">
            {tiles
                .into_iter()
                .map(|(key, label, value, delta)| {
                    view! {
                        <div class="tile">
                            <span class="tile-label">{label}</span>
                            <span class="tile-value" data-kpi=key>{value}</span>
                            {delta.map(|(text, up)| view! {
                                <span class=if up { "tile-delta up" } else { "tile-delta down" }>{text}</span>
                            })}
                        </div>
                    }
                })
                .collect_view()}
        </div>
        <Show when=move || warn>
            <p class="notice" data-testid="cost-missing">
                "Some SKUs have no unit cost yet: their COGS counts as 0, so gross profit is overstated. Enter the costs in the table below."
            </p>
        </Show>
    }
}

/// 1234567 → "1,234,567".
fn group_digits(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Megabytes (10^6 bytes), one decimal.
fn mb(bytes: f64) -> String {
    format!("{:.1} MB", bytes / 1e6)
}

/// One file's progress bar: name, MB read of total, percent, rows parsed; indeterminate while it waits.
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
                    format!(", {} rows", group_digits(p.rows as u64))
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

/// A file's import report: what it was read as, and how much of it was used and why not the rest.
/// Currencies offered when the user corrects a file's currency (the markets TikTok Shop sells in).
const CURRENCY_CHOICES: &[&str] = &[
    "USD", "GBP", "EUR", "BRL", "MXN", "IDR", "MYR", "PHP", "SGD", "THB", "VND", "JPY",
];

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
                            cb.run((order_name.clone(), ImportOptions { date_order, currency: detected.1 }));
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
                            cb.run((currency_name.clone(), ImportOptions { date_order: detected.0, currency }));
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
                <span data-testid="file-rows">{format!("{} of {} rows used", r.used_rows, r.rows)}</span>
                {(!skipped.is_empty()).then(|| view! { " · skipped: " <span data-testid="file-skipped">{skipped}</span> })}
            </p>
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

/// The metric columns of the SKU table: hook name, header, value.
const SKU_COLUMNS: &[(&str, &str)] = &[
    ("units_sold", "Units sold"),
    ("gmv", "GMV"),
    ("cancelled_sales", "Cancelled"),
    ("refunds", "Refunds"),
    ("net_sales", "Net sales"),
    ("cogs", "COGS"),
    ("gross_profit", "Gross profit"),
    ("gross_margin_pct", "Gross margin"),
    ("platform_fees", "Fees"),
    ("affiliate_commission", "Commission"),
    ("cm1", "CM1"),
    ("cm2", "CM2"),
    ("cm2_pct", "CM2 %"),
];

fn metric_text(f: &Figures, metric: &str, c: Currency) -> String {
    match metric {
        "units_sold" => f.units_sold.to_string(),
        "gmv" => c.format(f.gmv),
        "cancelled_sales" => c.format(f.cancelled_sales),
        "refunds" => c.format(f.refunds),
        "net_sales" => c.format(f.net_sales()),
        "cogs" => c.format(f.cogs),
        "gross_profit" => c.format(f.gross_profit()),
        "gross_margin_pct" => pct(f.gross_profit(), f.net_revenue()),
        "platform_fees" => c.format(f.platform_fees),
        "affiliate_commission" => c.format(f.affiliate_commission()),
        "cm1" => c.format(f.cm1()),
        "cm2" => c.format(f.cm2()),
        "cm2_pct" => pct(f.cm2(), f.net_revenue()),
        _ => String::new(),
    }
}

#[component]
fn SkuTable(
    computed: Memo<Computed>,
    by_sku: Memo<HashMap<String, SkuFigures>>,
    currency: Memo<Currency>,
    costs: RwSignal<CostsTable>,
) -> impl IntoView {
    // Rows are keyed by SKU ID; their cells read the current figures, so an edit updates them in place
    // (and the cost input keeps focus).
    let ids = Memo::new(move |_| {
        computed.with(|c| {
            c.as_ref()
                .map(|(_, a)| a.skus.iter().map(|s| s.sku_id.clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    view! {
        <div class="table-wrap">
            <table class="sku-table">
                <thead>
                    <tr>
                        <th scope="col">"SKU"</th>
                        <th scope="col">"Product"</th>
                        <th scope="col" class="num">"Unit cost"</th>
                        {SKU_COLUMNS.iter().map(|(_, h)| view! { <th scope="col" class="num">{*h}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    <For each=move || ids.get() key=|id| id.clone() let:id>
                        <SkuRow id=id by_sku=by_sku currency=currency costs=costs />
                    </For>
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn SkuRow(
    id: String,
    by_sku: Memo<HashMap<String, SkuFigures>>,
    currency: Memo<Currency>,
    costs: RwSignal<CostsTable>,
) -> impl IntoView {
    let (identity, product) = by_sku.with_untracked(|m| {
        m.get(&id).map_or_else(Default::default, |s| {
            let label = if s.seller_sku.is_empty() {
                s.sku_id.clone()
            } else {
                s.seller_sku.clone()
            };
            let product = if s.variation.is_empty() {
                s.product_name.clone()
            } else {
                format!("{} — {}", s.product_name, s.variation)
            };
            (label, product)
        })
    });
    let invalid = RwSignal::new(false);
    let id_for_missing = id.clone();
    let missing = Memo::new(move |_| {
        by_sku.with(|m| {
            m.get(&id_for_missing)
                .is_some_and(|s| s.figures.cost_missing())
        })
    });
    let id_for_cost = id.clone();
    let cost_text = move || {
        by_sku
            .with(|m| m.get(&id_for_cost).and_then(|s| s.unit_cost))
            .map_or_else(String::new, |c| editable_amount(c, currency.get()))
    };
    let id_for_edit = id.clone();
    let on_change = move |ev: ev::Event| {
        let value = event_target_value(&ev);
        match parse_money(&value) {
            Ok(None) => {
                invalid.set(false);
                costs.update(|c| c.set_unit_cost(&id_for_edit, None));
            }
            Ok(Some(m)) if !m.amount.is_sign_negative() => {
                invalid.set(false);
                costs.update(|c| c.set_unit_cost(&id_for_edit, Some(m.amount)));
            }
            _ => invalid.set(true),
        }
    };
    let cells = SKU_COLUMNS
        .iter()
        .map(|(metric, _)| {
            let id = id.clone();
            let metric = *metric;
            view! {
                <td class="num" data-metric=metric>
                    {move || by_sku.with(|m| m.get(&id).map(|s| metric_text(&s.figures, metric, currency.get())).unwrap_or_default())}
                </td>
            }
        })
        .collect_view();
    view! {
        <tr data-sku=id.clone() class:cost-missing=move || missing.get()>
            <th scope="row" class="sku-id" title=id.clone()>{identity.clone()}</th>
            <td class="product" title=product.clone()>{product.clone()}</td>
            <td class="num">
                <input
                    class="cost"
                    data-input="unit_cost"
                    inputmode="decimal"
                    placeholder="no cost"
                    aria-label=format!("Unit cost of {identity}")
                    aria-invalid=move || if invalid.get() { "true" } else { "false" }
                    prop:value=cost_text
                    on:change=on_change
                />
            </td>
            {cells}
        </tr>
    }
}
