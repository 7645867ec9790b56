//! The page's state, shared by the views through Leptos context: the files the worker holds (their
//! reports), the user's workspace (costs, settings, scenarios — saved in the browser), the route (view,
//! period, filters — in the URL hash) and the figures the worker computed for them.
//!
//! Data flows one way (docs/architecture.md): an edit changes the workspace or the route; an effect asks the worker
//! for the figures of the new inputs; the answer replaces `computed`, and every view re-renders from it.
//! At most one request is in flight: edits made meanwhile are coalesced into one next request, so
//! typing never queues a backlog of stale computations.

use crate::protocol::{ComputeRequest, Computed, RowsSlice};
use crate::route::Route;
use crate::worker_client::{Event as WorkerEvent, Importer};
use chrono::NaiveDate;
use leptos::prelude::*;
use margin_engine::costs::CostsTable;
use margin_engine::import::{ExportKind, ImportReport};
use margin_engine::money::Currency;
use margin_engine::settings::Settings;
use margin_engine::workspace::{Scenario, Workspace};
use std::sync::Arc;

/// A file on its way through the worker.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    pub id: u32,
    pub name: String,
    /// Bytes parsed so far; `None` while the file waits for its turn.
    pub read: Option<f64>,
    pub total: f64,
    /// Rows parsed so far.
    pub rows: f64,
}

/// The figures shown, or why there are none.
pub type Figures = Option<Result<Arc<Computed>, String>>;

#[derive(Clone, Copy)]
pub struct State {
    /// Reports of the exports the worker holds, in the order they were given.
    pub files: RwSignal<Vec<ImportReport>>,
    /// Costs sheets read this session: their import report and the costs they gave (taken out again
    /// when the card is removed).
    pub cost_sheets: RwSignal<Vec<(ImportReport, CostsTable)>>,
    pub errors: RwSignal<Vec<String>>,
    /// Files being imported, in queue order: one progress bar each.
    pub pending: RwSignal<Vec<Pending>>,
    pub notice: RwSignal<Option<String>>,
    pub costs: RwSignal<CostsTable>,
    pub settings: RwSignal<Settings>,
    pub scenarios: RwSignal<Vec<Scenario>>,
    pub route: RwSignal<Route>,
    pub computed: RwSignal<Figures>,
    /// A request is in flight (the figures shown are about to change).
    pub computing: RwSignal<bool>,
    /// Rows of tables the worker keeps (`table::Kept`) asked for since the figures were shown, by
    /// table name: they replace the figures' first rows of that table.
    pub slices: RwSignal<Vec<(String, RowsSlice)>>,
    worker: StoredValue<Option<Importer>, LocalStorage>,
    next_request: StoredValue<Requests>,
    /// The sequence number of the figures shown.
    shown: StoredValue<u32>,
}

#[derive(Default)]
struct Requests {
    seq: u32,
    in_flight: Option<u32>,
    waiting: Option<ComputeRequest>,
}

impl State {
    pub fn new(workspace: Workspace, notice: Option<String>, route: Route) -> State {
        State {
            files: RwSignal::new(Vec::new()),
            cost_sheets: RwSignal::new(Vec::new()),
            errors: RwSignal::new(Vec::new()),
            pending: RwSignal::new(Vec::new()),
            notice: RwSignal::new(notice),
            costs: RwSignal::new(workspace.costs),
            settings: RwSignal::new(workspace.settings),
            scenarios: RwSignal::new(workspace.scenarios),
            route: RwSignal::new(route),
            computed: RwSignal::new(None),
            computing: RwSignal::new(false),
            slices: RwSignal::new(Vec::new()),
            worker: StoredValue::new_local(None),
            next_request: StoredValue::new(Requests::default()),
            shown: StoredValue::new(0),
        }
    }

    /// Starts listening to the worker (once, when the page mounts).
    pub fn attach(self) {
        let importer = Importer::new(move |e| self.on_worker(e));
        self.worker.set_value(Some(importer));
    }

    pub fn worker(&self) -> Option<Importer> {
        self.worker.with_value(Clone::clone)
    }

    /// The workspace as saved and exported.
    pub fn workspace(&self) -> Workspace {
        Workspace {
            settings: self.settings.get_untracked(),
            costs: self.costs.get_untracked(),
            scenarios: self.scenarios.get_untracked(),
            ..Workspace::default()
        }
    }

    /// Replaces the workspace (an imported workspace file).
    pub fn load_workspace(&self, w: Workspace) {
        self.settings.set(w.settings);
        self.costs.set(w.costs);
        self.scenarios.set(w.scenarios);
    }

    /// The shop currencies of the loaded files.
    pub fn currencies(&self) -> Vec<Currency> {
        let mut out: Vec<Currency> = Vec::new();
        self.files.with(|fs| {
            for c in fs.iter().filter_map(|f| f.currency) {
                if !out.contains(&c) {
                    out.push(c);
                }
            }
        });
        out
    }

    /// The currency the figures are in: the route's choice if the files have it, else the first.
    pub fn currency(&self) -> Option<Currency> {
        let all = self.currencies();
        self.route
            .with(|r| r.currency.as_deref().and_then(Currency::from_code))
            .filter(|c| all.contains(c))
            .or_else(|| all.first().copied())
    }

    /// The order dates the loaded Orders exports cover (of the chosen currency).
    pub fn data_range(&self) -> Option<(NaiveDate, NaiveDate)> {
        let currency = self.currency();
        self.files.with(|fs| {
            fs.iter()
                .filter(|f| f.kind == ExportKind::Orders)
                .filter(|f| f.currency.is_none() || f.currency == currency)
                .filter_map(|f| f.date_range)
                .reduce(|(a, b), (c, d)| (a.min(c), b.max(d)))
        })
    }

    /// The period analysed.
    pub fn period(&self) -> Option<(NaiveDate, NaiveDate)> {
        let range = self.data_range();
        self.route.with(|r| r.period(range))
    }

    /// Asks the worker for the figures of the current inputs (or queues the request behind the one
    /// in flight).
    pub fn request(&self, req: Option<ComputeRequest>) {
        let Some(req) = req else {
            self.computed.set(None);
            return;
        };
        let send = self.next_request.try_update_value(|r| {
            if r.in_flight.is_some() {
                r.waiting = Some(req);
                None
            } else {
                r.seq += 1;
                r.in_flight = Some(r.seq);
                Some((r.seq, req))
            }
        });
        if let Some(Some((seq, req))) = send {
            self.send(seq, &req);
        }
    }

    fn send(&self, seq: u32, req: &ComputeRequest) {
        let sent = self.worker().is_some_and(|w| w.compute(seq, req));
        if sent {
            self.computing.set(true);
        } else {
            self.next_request.update_value(|r| r.in_flight = None);
            self.computing.set(false);
        }
    }

    fn on_worker(&self, event: WorkerEvent) {
        match event {
            WorkerEvent::Queued { id, name, size } => self.pending.update(|p| {
                p.push(Pending {
                    id,
                    name,
                    read: None,
                    total: size,
                    rows: 0.0,
                })
            }),
            WorkerEvent::Progress {
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
            WorkerEvent::Finished { id, result } => {
                let name = self
                    .pending
                    .with_untracked(|p| p.iter().find(|x| x.id == id).map(|x| x.name.clone()));
                // The bar goes in the same update as the card (or the error) comes.
                self.pending.update(|p| p.retain(|x| x.id != id));
                match result {
                    Ok((report, costs)) => {
                        // A costs sheet is not kept as a file: its costs are in the saved workspace
                        // (the demo's are, so that "Clear demo" finds them after a reload).
                        if costs.is_some() && !crate::views::files::is_demo(&report.name) {
                            crate::store::forget(&report.name);
                        }
                        self.add(*report, costs)
                    }
                    Err(e) => {
                        // A file that cannot be imported is not restored on the next visit.
                        if let Some(n) = name {
                            crate::store::forget(&n);
                        }
                        self.errors.update(|es| es.push(e))
                    }
                }
            }
            WorkerEvent::Computed { id, result } => {
                let next = self.next_request.try_update_value(|r| {
                    if r.in_flight != Some(id) {
                        return (false, None);
                    }
                    r.in_flight = None;
                    let next = r.waiting.take().map(|req| {
                        r.seq += 1;
                        r.in_flight = Some(r.seq);
                        (r.seq, req)
                    });
                    (true, next)
                });
                let Some((current, next)) = next else { return };
                if !current {
                    return;
                }
                match next {
                    // Newer inputs are waiting: these figures are already stale.
                    Some((seq, req)) => self.send(seq, &req),
                    None => {
                        self.computing.set(false);
                        self.shown.set_value(id);
                        self.slices.set(Vec::new());
                        self.computed.set(Some(result.map(|c| Arc::new(*c))));
                    }
                }
            }
            WorkerEvent::Slice { id, name, result } => {
                // Rows of figures no longer shown are dropped: the table asks again.
                if id != self.shown.get_value() {
                    return;
                }
                match result {
                    Ok(slice) => self.slices.update(|all| {
                        all.retain(|(n, _)| *n != name);
                        all.push((name, slice));
                    }),
                    Err(e) => self
                        .errors
                        .update(|es| es.push(format!("The {name} table: {e}"))),
                }
            }
            WorkerEvent::Exported { json, .. } => {
                if json.is_empty() {
                    return;
                }
                if let Err(e) = crate::browser::download(
                    "margin-lab-report.json",
                    "application/json",
                    json.as_bytes(),
                ) {
                    self.errors
                        .update(|es| es.push(format!("The export failed: {e}")));
                }
            }
            WorkerEvent::Written { name, result } => {
                let done = result.and_then(|(bytes, mime)| {
                    crate::browser::download(&name, &mime, &bytes.to_vec())
                });
                if let Err(e) = done {
                    self.errors
                        .update(|es| es.push(format!("{name} could not be written: {e}")));
                }
            }
            WorkerEvent::Lost { why } => {
                self.files.set(Vec::new());
                self.computed.set(None);
                self.next_request.update_value(|r| *r = Requests::default());
                self.computing.set(false);
                self.errors.update(|es| {
                    es.push(format!(
                        "The engine worker stopped ({why}). Your costs, settings and scenarios are kept; drop your exports again."
                    ))
                });
            }
        }
    }

    fn add(&self, report: ImportReport, costs: Option<CostsTable>) {
        let name = report.name.clone();
        self.errors.update(|e| {
            e.retain(|m| !m.starts_with(&format!("{name}:")) && !m.starts_with(&format!("{name},")))
        });
        if let Some(t) = costs {
            self.cost_sheets.update(|sheets| {
                sheets.retain(|(r, _)| r.name != name);
                sheets.push((report, t.clone()));
            });
            self.costs.update(|c| c.merge(t));
            return;
        }
        // Dropping a file again replaces the earlier copy of the same name (the worker did the same).
        self.files.update(|fs| {
            fs.retain(|x| x.name != name);
            fs.push(report);
        });
    }

    /// Downloads the full report (docs/metrics.md §8) of the figures shown, as the worker built it.
    pub fn export_report(&self) {
        let seq = self.next_request.with_value(|r| r.seq);
        if let Some(w) = self.worker() {
            w.export(seq);
        }
    }

    /// Downloads the shop shown's order lines for a warehouse (docs/warehouse.md "From the page"): a CSV
    /// of the `lines` table and its schema.
    pub fn export_warehouse(&self) {
        let seq = self.next_request.with_value(|r| r.seq);
        if let Some(w) = self.worker() {
            w.warehouse(seq);
        }
    }

    /// Downloads the client report of the shop shown (one HTML file of that shop only).
    pub fn client_report(&self) {
        let seq = self.next_request.with_value(|r| r.seq);
        if let Some(w) = self.worker() {
            w.client_report(seq);
        }
    }

    /// Writes a table as a CSV or XLSX download (in the worker, which holds the writers).
    pub fn download_table(&self, sheet: &margin_engine::export::Sheet, file: &str, format: &str) {
        let sent = serde_json::to_string(sheet)
            .ok()
            .zip(self.worker())
            .is_some_and(|(json, w)| w.table(file, format, json));
        if !sent {
            self.errors
                .update(|es| es.push(format!("{file} could not be written: load an export first")));
        }
    }

    /// The sequence number of the figures shown.
    pub fn shown_seq(&self) -> u32 {
        self.shown.get_value()
    }

    /// Asks the worker for the first rows of its kept table `name` matching `query` in `sort` (they
    /// arrive in `slices`).
    pub fn fetch_slice(&self, name: &str, query: &str, sort: &str) {
        if let Some(w) = self.worker() {
            w.slice(self.shown_seq(), name, query, sort);
        }
    }

    /// Writes every row of the worker's kept table `table` matching `query` in `sort`, with the
    /// `columns` shown, as a CSV or XLSX download.
    pub fn download_kept(&self, table: &str, ask: (&str, &str, &[&str]), file: &str, format: &str) {
        let sent = self
            .worker()
            .is_some_and(|w| w.table_kept(table, file, format, ask));
        if !sent {
            self.errors
                .update(|es| es.push(format!("{file} could not be written: load an export first")));
        }
    }

    /// Forgets an export (its card's Remove button), in the worker and in the browser's kept files.
    pub fn remove(&self, name: &str) {
        if let Some(w) = self.worker() {
            w.remove(name);
        }
        crate::store::forget(name);
        self.files.update(|fs| fs.retain(|f| f.name != name));
    }

    /// Removes a costs sheet's card and the costs it gave (SKUs it did not name keep theirs).
    pub fn remove_cost_sheet(&self, name: &str) {
        crate::store::forget(name);
        let mut gone = Vec::new();
        self.cost_sheets.update(|sheets| {
            sheets.retain(|(r, t)| {
                if r.name == name {
                    gone.push(t.clone());
                }
                r.name != name
            })
        });
        if !gone.is_empty() {
            self.costs.update(|c| gone.iter().for_each(|t| c.forget(t)));
        }
    }

    /// "Forget all files": every export leaves the worker, the cards and the browser's kept files.
    /// Costs, settings and scenarios stay (they are the seller's own, saved with the workspace).
    pub fn forget_all(&self) {
        let names: Vec<String> = self
            .files
            .with_untracked(|fs| fs.iter().map(|f| f.name.clone()).collect());
        if let Some(w) = self.worker() {
            names.iter().for_each(|n| w.remove(n));
        }
        crate::store::forget_all();
        self.files.set(Vec::new());
        self.cost_sheets.set(Vec::new());
        self.errors.set(Vec::new());
    }

    /// "Clear demo": every demo export and demo costs sheet (`names`) goes, with the demo's costs.
    pub fn clear_demo(&self, names: &[&str]) {
        let is_demo = |n: &str| names.contains(&n);
        let files: Vec<String> = self.files.with_untracked(|fs| {
            fs.iter()
                .filter(|f| is_demo(&f.name))
                .map(|f| f.name.clone())
                .collect()
        });
        files.iter().for_each(|n| self.remove(n));
        let sheets: Vec<String> = self.cost_sheets.with_untracked(|s| {
            s.iter()
                .filter(|(r, _)| is_demo(&r.name))
                .map(|(r, _)| r.name.clone())
                .collect()
        });
        sheets.iter().for_each(|n| self.remove_cost_sheet(n));
        self.errors
            .update(|es| es.retain(|m| !names.iter().any(|n| m.starts_with(n))));
    }
}
