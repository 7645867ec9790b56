//! The engine worker: imports the dropped files off the page's main thread (docs/architecture.md "Principles")
//! and keeps their records, and computes the figures the page asks for. The page posts the `File`
//! itself; this worker reads it slice by slice with `FileReaderSync` through an `io::Read`, so
//! `margin_engine::import::read_any` streams a CSV record by record and the whole file is never one
//! string or byte vector here (an XLSX workbook is buffered by the engine itself). The records stay
//! here: the page gets each file's import report, and the figures (an analysis, a few kilobytes per
//! SKU) when it asks. Messages are in `src/protocol.rs`. Nothing here panics: every failure becomes an
//! `ImportError`, a `compute_failed` or a `fatal`.

use crate::protocol::*;
use crate::table::Kept;
use margin_engine::coverage::DayRange;
use margin_engine::import::{
    FileData, ImportError, ImportOptions, ImportedFile, read_any_with_progress,
};
use margin_engine::money::Currency;
use margin_engine::report;
use margin_engine::shops::{self, Shop};
use std::cell::RefCell;
use std::io::{self, Read};
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use web_sys::{Blob, DedicatedWorkerGlobalScope, FileReaderSync, MessageEvent};

/// Bytes read from the file at a time: large enough that the per-call cost of `FileReaderSync`
/// does not matter, small enough that progress moves often and memory stays flat.
const SLICE_BYTES: f64 = 2.0 * 1024.0 * 1024.0;

/// What the worker holds: the imported exports (costs sheets go to the page), the figures of every
/// line under the last costs and settings asked for (so that a period change sums cells instead of
/// recomputing a million lines), and the last report (serialised only when the page exports it).
#[derive(Default)]
struct Store {
    files: Vec<ImportedFile>,
    /// Bumped whenever `files` changes: part of `prepared`'s key.
    version: u64,
    /// The period-independent part of the figures, and what it was made from.
    prepared: Option<(String, report::Prepared)>,
    /// Each file's generation (parallel to `files`): a new one for every import, so a shop's prepared
    /// figures are kept while none of its files changed.
    gens: Vec<u64>,
    next_gen: u64,
    /// Every shop's period-independent figures, when the files make several (the Portfolio view): the
    /// costs and settings they were made under, and per shop its files' generations.
    shops: Option<(String, Vec<ShopPrepared>)>,
    /// How the files fall into shops, and what it was made from (the files' version and the settings
    /// it reads): grouping reads every ID of every file, so a period change must not redo it.
    grouping: Option<(String, shops::Grouping)>,
    last_report: Option<report::Report>,
    /// The last figures' request (JSON): costs, settings, period and shop for "Export for your
    /// warehouse".
    last_compute: Option<String>,
    /// The tables of the last figures the page gets slices of (`table::Kept`), with the figures'
    /// sequence number and currency.
    kept: Option<(f64, Currency, Vec<Kept>)>,
    /// The exact figures behind `last_report` (analysis, previous totals) and the agency's name: what
    /// the client report is written from.
    last_exact: Option<(
        margin_engine::metrics::Analysis,
        Option<margin_engine::metrics::Figures>,
        String,
    )>,
}

/// One shop's prepared figures and the generations of the files they were made from.
struct ShopPrepared {
    gens: Vec<u64>,
    /// The shop's own settings (names, rates, answers and agency left out) they were made under.
    settings_key: String,
    /// The SKU IDs and seller SKUs its Orders exports sell (read once, not per period change).
    skus: Vec<String>,
    shop: Shop,
    prepared: report::Prepared,
}

impl Store {
    /// Forgets the file called `name` (and its generation).
    fn remove(&mut self, name: &str) {
        let keep: Vec<bool> = self.files.iter().map(|f| f.report.name != name).collect();
        let mut k = keep.iter();
        self.files.retain(|_| *k.next().unwrap_or(&true));
        let mut k = keep.iter();
        self.gens.retain(|_| *k.next().unwrap_or(&true));
    }
}

/// Starts listening for the page's messages: called in the worker (`src/worker_loader.js` loads the
/// page's own module there and calls `worker_start`).
pub fn start() {
    console_error_panic_hook::set_once();
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
        return;
    };
    let s = scope.clone();
    let store: Rc<RefCell<Store>> = Rc::new(RefCell::new(Store::default()));
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        handle(&s, &store, &ev.data());
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    post(&scope, READY, None, &[]);
}

/// Posts `{ type, id?, ...fields }`.
fn post(
    scope: &DedicatedWorkerGlobalScope,
    kind: &str,
    id: Option<f64>,
    fields: &[(&str, JsValue)],
) {
    let msg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&msg, &TYPE.into(), &kind.into());
    if let Some(id) = id {
        let _ = js_sys::Reflect::set(&msg, &ID.into(), &id.into());
    }
    for (k, v) in fields {
        let _ = js_sys::Reflect::set(&msg, &(*k).into(), v);
    }
    // Only strings and numbers are posted: cloning them cannot fail.
    let _ = scope.post_message(&msg);
}

fn handle(scope: &DedicatedWorkerGlobalScope, store: &RefCell<Store>, data: &JsValue) {
    let get = |key: &str| js_sys::Reflect::get(data, &key.into()).ok();
    let kind = get(TYPE).and_then(|v| v.as_string()).unwrap_or_default();
    let id = get(ID).and_then(|v| v.as_f64());
    let name = get(NAME).and_then(|v| v.as_string());
    let json = get(JSON).and_then(|v| v.as_string());
    match (kind.as_str(), id, name) {
        (IMPORT, Some(id), Some(name)) => {
            let Some(file) = get(FILE).and_then(|v| v.dyn_into::<Blob>().ok()) else {
                return unknown(scope, Some(id));
            };
            // The user's choices; absent or unreadable means "as detected".
            let mut options: ImportOptions = get(OPTIONS)
                .and_then(|v| v.as_string())
                .and_then(|json| serde_json::from_str(&json).ok())
                .unwrap_or_default();
            // Whole bytes; a Blob's size is an integer.
            options.size_hint = Some(file.size() as u64);
            match import(scope, id, &name, file, options) {
                Ok(imported) => keep(scope, store, id, imported),
                Err(e) => fail(scope, id, &e),
            }
        }
        (REMOVE, _, Some(name)) => {
            let mut s = store.borrow_mut();
            s.remove(&name);
            s.version += 1;
            s.prepared = None;
        }
        (COMPUTE, Some(id), _) => compute(scope, store, id, json.as_deref().unwrap_or_default()),
        (TABLE, Some(id), Some(name)) if get(KEPT).and_then(|v| v.as_string()).is_some() => {
            let format = get(FORMAT).and_then(|v| v.as_string()).unwrap_or_default();
            let text = |key: &str| get(key).and_then(|v| v.as_string()).unwrap_or_default();
            let (table, columns) = (text(KEPT), text(COLUMNS));
            let shown: Vec<&str> = columns.split(',').collect();
            let s = store.borrow();
            let sheet = s
                .kept
                .as_ref()
                .ok_or_else(|| "no figures yet".to_string())
                .and_then(|(_, c, kept)| {
                    let t = kept
                        .iter()
                        .find(|k| k.name == table)
                        .ok_or_else(|| format!("no table called {table}"))?;
                    Ok(t.sheet(&text(QUERY), &text(SORT), &shown, *c))
                })
                .and_then(|sheet| serde_json::to_string(&sheet).map_err(|e| e.to_string()));
            match sheet {
                Ok(sheet) => write_table(scope, id, &name, &format, &sheet),
                Err(message) => post(
                    scope,
                    WRITTEN,
                    Some(id),
                    &[(NAME, name.into()), (MESSAGE, message.into())],
                ),
            }
        }
        (SLICE_QUERY, Some(_), Some(name)) => {
            let text = |key: &str| get(key).and_then(|v| v.as_string()).unwrap_or_default();
            let s = store.borrow();
            let (seq, answer) = match &s.kept {
                Some((seq, _, kept)) => (
                    *seq,
                    kept.iter()
                        .find(|k| k.name == name)
                        .map(|k| RowsSlice::of(&k.columns, &k.rows, &text(QUERY), &text(SORT)))
                        .ok_or_else(|| format!("no table called {name}")),
                ),
                None => (0.0, Err("no figures yet".to_string())),
            };
            let field =
                match answer.and_then(|a| serde_json::to_string(&a).map_err(|e| e.to_string())) {
                    Ok(json) => (JSON, json),
                    Err(message) => (MESSAGE, message),
                };
            post(
                scope,
                SLICE,
                Some(seq),
                &[(NAME, name.into()), (field.0, field.1.into())],
            );
        }
        (TABLE, Some(id), Some(name)) => {
            let format = get(FORMAT).and_then(|v| v.as_string()).unwrap_or_default();
            write_table(
                scope,
                id,
                &name,
                &format,
                json.as_deref().unwrap_or_default(),
            );
        }
        (EXPORT, Some(id), _)
            if get(FORMAT).and_then(|v| v.as_string()).as_deref() == Some("html") =>
        {
            client_report(scope, store, id);
        }
        (EXPORT, Some(id), _)
            if get(FORMAT).and_then(|v| v.as_string()).as_deref() == Some("warehouse") =>
        {
            warehouse_lines(scope, store, id);
        }
        (EXPORT, Some(id), _) => {
            let json = store
                .borrow()
                .last_report
                .as_ref()
                .and_then(|r| serde_json::to_string_pretty(r).ok())
                .unwrap_or_default();
            post(scope, EXPORTED, Some(id), &[(JSON, json.into())]);
        }
        _ => unknown(scope, id),
    }
}

fn unknown(scope: &DedicatedWorkerGlobalScope, id: Option<f64>) {
    post(
        scope,
        FATAL,
        id,
        &[(
            MESSAGE,
            "the engine worker got a message it does not understand".into(),
        )],
    );
}

/// Keeps an export's records (replacing an earlier file of the same name) and sends the page its
/// report; a costs sheet goes to the page whole.
fn keep(
    scope: &DedicatedWorkerGlobalScope,
    store: &RefCell<Store>,
    id: f64,
    imported: ImportedFile,
) {
    let name = imported.report.name.clone();
    let mut s = store.borrow_mut();
    s.remove(&name);
    s.version += 1;
    s.prepared = None;
    let report = serde_json::to_string(&imported.report);
    let costs = match &imported.data {
        FileData::Costs(t) => serde_json::to_string(t).map(Some),
        _ => Ok(None),
    };
    match (report, costs) {
        (Ok(report), Ok(costs)) => {
            if costs.is_none() {
                s.files.push(imported);
                s.next_gen += 1;
                let g = s.next_gen;
                s.gens.push(g);
            }
            let mut fields = vec![(JSON, JsValue::from(report))];
            if let Some(c) = costs {
                fields.push((COSTS, c.into()));
            }
            post(scope, DONE, Some(id), &fields);
        }
        (Err(e), _) | (_, Err(e)) => fail(
            scope,
            id,
            &ImportError {
                file: name,
                row: None,
                column: None,
                message: format!("the import could not be handed to the page ({e})"),
            },
        ),
    }
}

/// Writes a table the page hands over as CSV or XLSX and posts the bytes back.
fn write_table(scope: &DedicatedWorkerGlobalScope, id: f64, name: &str, format: &str, json: &str) {
    use margin_engine::export;
    let written = serde_json::from_str::<export::Sheet>(json)
        .map_err(|e| e.to_string())
        .and_then(|sheet| match format {
            "xlsx" => export::to_xlsx(&[sheet])
                .map(|b| {
                    (
                        b,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    )
                })
                .map_err(|e| e.user_message()),
            _ => Ok((
                export::to_csv(&sheet).into_bytes(),
                "text/csv;charset=utf-8",
            )),
        });
    match written {
        Ok((bytes, mime)) => post(
            scope,
            WRITTEN,
            Some(id),
            &[
                (NAME, name.into()),
                (BYTES, js_sys::Uint8Array::from(bytes.as_slice()).into()),
                (MIME, mime.into()),
            ],
        ),
        Err(message) => post(
            scope,
            WRITTEN,
            Some(id),
            &[(NAME, name.into()), (MESSAGE, message.into())],
        ),
    }
}

/// The figures of a request over every file kept, posted as `computed` (or why not).
fn compute(scope: &DedicatedWorkerGlobalScope, store: &RefCell<Store>, id: f64, json: &str) {
    let failed = |message: String| {
        post(
            scope,
            COMPUTE_FAILED,
            Some(id),
            &[(MESSAGE, message.into())],
        );
    };
    let req: ComputeRequest = match serde_json::from_str(json) {
        Ok(r) => r,
        Err(e) => return failed(format!("the figures could not be asked for ({e})")),
    };
    let mut guard = store.borrow_mut();
    let s = &mut *guard;
    // What the warehouse export reads (the figures' costs, settings, period and shop).
    s.last_compute = Some(json.to_string());
    // A report asked for later is of these figures or none (never an earlier shop's after a failure).
    s.last_report = None;
    s.last_exact = None;
    // The shops the files make (docs/metrics.md §10): with several, the figures are one shop's and
    // every shop gets a row of the Portfolio view; one shop's files are never summed with another's.
    let refs: Vec<&ImportedFile> = s.files.iter().collect();
    let st = &req.settings;
    let grouping_key = serde_json::to_string(&(
        s.version,
        &st.shop_names,
        &st.file_shops,
        st.shop_settings.iter().map(|o| &o.shop).collect::<Vec<_>>(),
        &st.markets,
    ))
    .unwrap_or_default();
    let grouping = match s.grouping.take() {
        Some((k, g)) if k == grouping_key => g,
        _ => shops::group(&refs, &req.settings),
    };
    let shop = shown_shop(&grouping, &req);
    // With several shops, every shop's figures are prepared from its own files, and kept while its
    // files, the costs and the settings stay the same (a file added to one shop re-prepares that shop
    // only); the shop shown is read from them. One shop: the files' figures, kept until anything but
    // the period changes.
    // One shop uses its own settings too, when it has some.
    let settings = match (shop, grouping.shops.first()) {
        (Some(x), _) | (None, Some(x)) => req.settings.for_shop(&x.key),
        (None, None) => req.settings.clone(),
    };
    let shop_rows: Vec<ShopRow> = if grouping.shops.len() < 2 {
        s.shops = None;
        let key = serde_json::to_string(&(s.version, &req.costs, &settings, req.currency))
            .unwrap_or_default();
        if s.prepared.as_ref().is_none_or(|(k, _)| *k != key) {
            // Freed before the next one is made: two at once would double the worker's peak memory.
            s.prepared = None;
            match report::prepare_refs(&refs, &req.costs, &settings, req.currency, 1) {
                Ok(p) => s.prepared = Some((key, p)),
                Err(e) => return failed(e.to_string()),
            }
        }
        Vec::new()
    } else {
        s.prepared = None;
        let key = serde_json::to_string(&req.costs).unwrap_or_default();
        let mut old = match s.shops.take() {
            Some((k, all)) if k == key => all,
            _ => Vec::new(),
        };
        let mut all = Vec::with_capacity(grouping.shops.len());
        for x in &grouping.shops {
            let gens: Vec<u64> = x
                .files
                .iter()
                .filter_map(|&i| s.gens.get(i).copied())
                .collect();
            // What the shop's figures depend on: its own settings without the names, rates, answers
            // and agency (typing those re-prepares no shop).
            let mut own_settings = req.settings.for_shop(&x.key);
            own_settings.shop_names = Vec::new();
            own_settings.fx = None;
            own_settings.file_shops = Vec::new();
            own_settings.agency = String::new();
            let settings_key = serde_json::to_string(&own_settings).unwrap_or_default();
            if let Some(at) = old
                .iter()
                .position(|o| o.gens == gens && o.settings_key == settings_key)
            {
                let mut kept = old.swap_remove(at);
                kept.shop = x.clone();
                all.push(kept);
                continue;
            }
            let own: Vec<&ImportedFile> = x
                .files
                .iter()
                .filter_map(|&i| refs.get(i).copied())
                .collect();
            // A shop with settings of its own uses them (docs/metrics.md §10).
            match report::prepare_refs(&own, &req.costs, &own_settings, x.currency, 1) {
                Ok(prepared) => all.push(ShopPrepared {
                    gens,
                    settings_key,
                    skus: skus_of(&own),
                    shop: x.clone(),
                    prepared,
                }),
                Err(e) => return failed(format!("{}: {e}", x.name)),
            }
        }
        drop(old);
        let rows = all
            .iter()
            .map(|p| shop_row(&p.shop, &p.prepared, &req, &refs, &p.skus))
            .collect();
        s.shops = Some((key, all));
        rows
    };
    let shop_name = shop.map(|x| x.name.clone());
    let portfolio = req
        .settings
        .fx
        .as_ref()
        .filter(|_| shop_rows.len() > 1)
        .map(|fx| {
            let rows: Vec<_> = shop_rows
                .iter()
                .map(|r| {
                    (
                        r.name.clone(),
                        r.stated,
                        r.period.map(|p| p.1),
                        r.totals.clone(),
                        r.share_base.clone(),
                    )
                })
                .collect();
            report::convert(fx, &rows)
        });
    let prepared = match (shop, &s.prepared, &s.shops) {
        (Some(x), _, Some((_, all))) => all
            .iter()
            .find(|p| p.shop.name == x.name)
            .map(|p| &p.prepared),
        (None, Some((_, p)), _) => Some(p),
        _ => None,
    };
    let Some(prepared) = prepared else {
        return failed("the figures could not be prepared".to_string());
    };
    let built = prepared.build(&settings, req.period);
    let r = &built.report;
    // The content tables stay here whole; the page gets their first rows and asks for others.
    s.kept = None;
    let (content, kept) = crate::views::content::tables(r, &built.analysis);
    let view = ReportView {
        waterfall: r.waterfall.clone(),
        alerts: r.alerts.clone(),
        warnings: r.warnings.clone(),
        files: r.files.clone(),
        coverage: built
            .analysis
            .period
            .map(|(from, to)| PeriodCoverage::of(prepared.coverage(), DayRange::new(from, to))),
        creators_excluded: r.creators_excluded.clone(),
        content,
        ads: crate::views::ads::view(r, &built.analysis),
        notes: r.notes.clone(),
        review: r.review.clone(),
        cash: crate::views::cash::view(r),
        custom_costs: r
            .custom_costs
            .iter()
            .map(|c| CustomCostAmount {
                cost: c.cost.clone(),
                period_amount: c.period_amount.parse().unwrap_or_default(),
            })
            .collect(),
    };
    // The page charts the whole period per day, or per week beyond 90 days (days no export covers
    // drawn as gaps), and never lists fee checks (the full report has them): what it does not show
    // is not sent, so the answer stays small however long the period.
    let mut analysis = built.analysis;
    analysis.bucket_trends();
    analysis.fee_checks = Vec::new();
    let exact = (
        analysis.clone(),
        built.previous.as_ref().map(|p| p.2.clone()),
        req.settings.agency.clone(),
    );
    // The content P&L crosses as the Content view's rows (`report.content`), not twice.
    analysis.contents = Vec::new();
    analysis.creator_products = Vec::new();
    let shop_name_for_report = shop_name
        .clone()
        .or_else(|| grouping.shops.first().map(|x| x.name.clone()));
    let computed = serde_json::to_string(&Computed {
        currency: built.report.currency,
        analysis,
        previous: built
            .previous
            .map(|(from, to, totals)| Previous { from, to, totals }),
        report: view,
        shop: shop_name,
        shop_key: shop.map(|x| x.key.clone()),
        shops: shop_rows,
        unassigned: grouping
            .unassigned
            .iter()
            .filter_map(|(i, why)| {
                let f = refs.get(*i)?;
                let c = f.report.currency;
                Some(UnassignedFile {
                    file: f.report.name.clone(),
                    why: why.clone(),
                    shops: grouping
                        .shops
                        .iter()
                        .filter(|x| c.is_none() || x.currency.is_none() || x.currency == c)
                        .map(|x| (x.key.clone(), x.name.clone()))
                        .collect(),
                })
            })
            .collect(),
        portfolio,
    });
    let s_currency = built.report.currency;
    let mut report = built.report;
    report.shop = shop_name_for_report;
    s.last_report = Some(report);
    s.last_exact = Some(exact);
    s.kept = Some((id, s_currency, kept));
    s.grouping = Some((grouping_key, grouping));
    drop(guard);
    match computed {
        Ok(json) => post(scope, COMPUTED, Some(id), &[(JSON, json.into())]),
        Err(e) => failed(format!("the figures could not be handed to the page ({e})")),
    }
}

/// The client report (one HTML file) of the figures last computed: that shop's only.
fn client_report(scope: &DedicatedWorkerGlobalScope, store: &RefCell<Store>, id: f64) {
    let s = store.borrow();
    let Some((r, exact)) = s.last_report.as_ref().zip(s.last_exact.as_ref()) else {
        return post(
            scope,
            WRITTEN,
            Some(id),
            &[
                (NAME, "report.html".into()),
                (MESSAGE, "load an export first".into()),
            ],
        );
    };
    let shop = r.shop.clone().unwrap_or_else(|| "Shop".to_string());
    let html = report::client_html(&report::ClientReport {
        shop: &shop,
        agency: &exact.2,
        currency: r.currency,
        analysis: &exact.0,
        previous: exact.1.as_ref(),
        coverage: &r.coverage,
        alerts: &r.alerts,
    });
    let file = report::file_stem(&shop);
    post(
        scope,
        WRITTEN,
        Some(id),
        &[
            (NAME, format!("{file}-report.html").into()),
            (BYTES, js_sys::Uint8Array::from(html.as_bytes()).into()),
            (MIME, "text/html;charset=utf-8".into()),
        ],
    );
}

/// The shop whose figures `req` asks for, when the files make several (else `None`: the files are one
/// shop's).
fn shown_shop<'g>(grouping: &'g shops::Grouping, req: &ComputeRequest) -> Option<&'g Shop> {
    let all = &grouping.shops;
    if all.len() < 2 {
        return None;
    }
    // Asked for by key (the page) or by name.
    req.shop
        .as_deref()
        .and_then(|k| {
            all.iter()
                .find(|x| x.key == k)
                .or_else(|| all.iter().find(|x| x.name == k))
        })
        .or_else(|| {
            req.currency
                .and_then(|c| all.iter().find(|x| x.currency == Some(c)))
        })
        .or(all.first())
}

/// "Export for your warehouse" (docs/warehouse.md "From the page"): the `lines` table of the shop
/// shown, under the last figures' costs, settings and period, as a CSV and its schema.
fn warehouse_lines(scope: &DedicatedWorkerGlobalScope, store: &RefCell<Store>, id: f64) {
    let failed = |message: String| {
        post(
            scope,
            WRITTEN,
            Some(id),
            &[(NAME, "lines.csv".into()), (MESSAGE, message.into())],
        )
    };
    let s = store.borrow();
    let Some(req) = s
        .last_compute
        .as_deref()
        .and_then(|json| serde_json::from_str::<ComputeRequest>(json).ok())
    else {
        return failed("load an export first".to_string());
    };
    let refs: Vec<&ImportedFile> = s.files.iter().collect();
    let grouping = shops::group(&refs, &req.settings);
    let shop = shown_shop(&grouping, &req).or(grouping.shops.first());
    let (files, name, settings, currency) = match shop {
        Some(x) => (
            x.files
                .iter()
                .filter_map(|&i| refs.get(i).copied())
                .collect(),
            x.name.clone(),
            req.settings.for_shop(&x.key),
            x.currency.or(req.currency),
        ),
        None => (
            refs.clone(),
            "Shop".to_string(),
            req.settings.clone(),
            req.currency,
        ),
    };
    let written = margin_engine::warehouse::lines_csv(
        &files,
        &margin_engine::warehouse::ShopInput {
            name: &name,
            costs: &req.costs,
            settings: &settings,
            currency,
            period: req.period,
            threads: 1,
        },
        &name,
    );
    let (bytes, schema) = match written {
        Ok(w) => w,
        Err(e) => return failed(e.to_string()),
    };
    let stem = report::file_stem(&name);
    post(
        scope,
        WRITTEN,
        Some(id),
        &[
            (NAME, format!("{stem}-lines.csv").into()),
            (BYTES, js_sys::Uint8Array::from(bytes.as_slice()).into()),
            (MIME, "text/csv;charset=utf-8".into()),
        ],
    );
    post(
        scope,
        WRITTEN,
        Some(id),
        &[
            (NAME, format!("{stem}-lines.schema.json").into()),
            (BYTES, js_sys::Uint8Array::from(schema.as_bytes()).into()),
            (MIME, "application/json".into()),
        ],
    );
}

/// The SKU IDs and seller SKUs the Orders exports among `files` sell, sorted, each once.
fn skus_of(files: &[&ImportedFile]) -> Vec<String> {
    let mut skus: Vec<String> = Vec::new();
    for f in files {
        if let FileData::Orders(lines) = &f.data {
            for l in lines {
                for s in [&*l.sku_id, &*l.seller_sku] {
                    if !s.is_empty() {
                        skus.push(s.to_string());
                    }
                }
            }
        }
    }
    skus.sort_unstable();
    skus.dedup();
    skus
}

/// A shop's row of the Portfolio view over the request's period.
fn shop_row(
    x: &Shop,
    p: &report::Prepared,
    req: &ComputeRequest,
    files: &[&ImportedFile],
    skus: &[String],
) -> ShopRow {
    let built = p.build(&req.settings.for_shop(&x.key), req.period);
    let mut analysis = built.analysis;
    let period = analysis.period;
    // The Orders exports' coverage of the period: the row's "n of m days" and the sparkline's gaps.
    let orders_cov = period.and_then(|(from, to)| {
        PeriodCoverage::of(p.coverage(), DayRange::new(from, to))
            .kinds
            .into_iter()
            .find(|(k, _)| *k == margin_engine::coverage::DataKind::Orders)
            .map(|(_, c)| c)
    });
    let covered_days = period.map_or((0, 0), |(from, to)| {
        let orders = orders_cov
            .as_ref()
            .map_or(0, |c| c.ranges.iter().map(|r| r.days()).sum::<i64>());
        (
            u32::try_from(orders).unwrap_or(u32::MAX),
            u32::try_from(DayRange::new(from, to).days()).unwrap_or(u32::MAX),
        )
    });
    let step = analysis.trend_step();
    analysis.bucket_trends();
    // Net sales per day (week) over the period; a bucket with a day no Orders export covers is a gap,
    // never a zero or a line drawn across it (docs/metrics.md §9).
    let trend = period.map_or_else(Vec::new, |(from, to)| {
        step.buckets(from, to)
            .into_iter()
            .map(|(a, b)| {
                let covered = orders_cov.as_ref().is_none_or(|k| {
                    a.iter_days()
                        .take_while(|d| *d <= b)
                        .all(|d| k.ranges.iter().any(|r| r.contains(d)))
                });
                covered.then(|| {
                    analysis
                        .days
                        .binary_search_by_key(&a, |(d, _)| *d)
                        .ok()
                        .and_then(|i| analysis.days.get(i))
                        .map_or(rust_decimal::Decimal::ZERO, |(_, f)| f.net_sales())
                })
            })
            .collect()
    });
    let skus = skus.to_vec();
    ShopRow {
        name: x.name.clone(),
        stated: x.currency,
        key: x.key.clone(),
        skus,
        currency: p.currency(),
        market: x.market.clone(),
        files: x
            .files
            .iter()
            .filter_map(|&i| files.get(i).map(|f| f.report.name.clone()))
            .collect(),
        period,
        share_base: analysis.cross_totals.clone(),
        previous: built.previous.map(|(_, _, t)| t),
        alerts: built.report.alerts.alerts.len(),
        covered_days,
        trend,
        totals: analysis.totals,
    }
}

fn import(
    scope: &DedicatedWorkerGlobalScope,
    id: f64,
    name: &str,
    file: Blob,
    options: ImportOptions,
) -> Result<ImportedFile, ImportError> {
    let reader = FileReaderSync::new().map_err(|e| ImportError {
        file: name.to_string(),
        row: None,
        column: None,
        message: format!(
            "the browser could not read the file in the background ({})",
            js_text(&e)
        ),
    })?;
    let total = file.size();
    let rows_read = std::cell::Cell::new(0.0_f64);
    let bytes_read = std::cell::Cell::new(0.0_f64);
    let progress = |read: f64| {
        bytes_read.set(read);
        post(
            scope,
            PROGRESS,
            Some(id),
            &[
                (READ, read.into()),
                (TOTAL, total.into()),
                (ROWS, rows_read.get().into()),
            ],
        )
    };
    progress(0.0);
    let slices = SliceReader {
        file,
        reader,
        total,
        next: 0.0,
        buf: Vec::new(),
        pos: 0,
        finished: false,
        progress: &progress,
    };
    read_any_with_progress(name, slices, options, &mut |rows| {
        // Row counts are JS numbers in the message; exact up to 2^53 rows.
        rows_read.set(rows as f64);
        post(
            scope,
            PROGRESS,
            Some(id),
            &[
                (READ, bytes_read.get().into()),
                (TOTAL, total.into()),
                (ROWS, rows_read.get().into()),
            ],
        );
    })
}

fn fail(scope: &DedicatedWorkerGlobalScope, id: f64, e: &ImportError) {
    post(
        scope,
        FAILED,
        Some(id),
        &[(MESSAGE, e.user_message().into())],
    );
}

/// An `io::Read` over a `Blob`, one [`SLICE_BYTES`] slice in memory at a time.
struct SliceReader<'a> {
    file: Blob,
    reader: FileReaderSync,
    total: f64,
    /// Where the next slice starts.
    next: f64,
    buf: Vec<u8>,
    pos: usize,
    finished: bool,
    /// Called with the bytes handed out so far, at each slice and at the end.
    progress: &'a dyn Fn(f64),
}

impl Read for SliceReader<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pos == self.buf.len() {
            if self.next >= self.total || self.finished {
                if !self.finished {
                    self.finished = true;
                    (self.progress)(self.total);
                }
                return Ok(0);
            }
            let end = (self.next + SLICE_BYTES).min(self.total);
            let slice = self
                .file
                .slice_with_f64_and_f64(self.next, end)
                .map_err(|e| io::Error::other(js_text(&e)))?;
            let bytes = self
                .reader
                .read_as_array_buffer(&slice)
                .map_err(|e| io::Error::other(js_text(&e)))?;
            let bytes = js_sys::Uint8Array::new(&bytes);
            if bytes.length() == 0 {
                // The file shrank while being read: stop at what there is.
                self.finished = true;
                (self.progress)(self.next);
                return Ok(0);
            }
            self.buf.resize(bytes.length() as usize, 0);
            bytes.copy_to(&mut self.buf);
            self.pos = 0;
            (self.progress)(self.next);
            self.next += f64::from(bytes.length());
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}
