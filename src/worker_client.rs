//! The page's side of the engine worker (`src/worker.rs`, messages in `src/protocol.rs`).
//!
//! One worker holds the imported records and computes the figures. Files go to it one at a time,
//! first in first out: they finish in the order the user gave them (so of two costs sheets the later
//! one wins, as when they are read one after the other). Figure requests go straight to it and are
//! answered in order, after any file handed over before them. A worker that fails to start fails the
//! files waiting for it; one that stops after it started has lost every record it held: the page is
//! told (`Event::Lost`) so it can say so and forget the files, and a fresh worker takes what comes next.

use crate::protocol::*;
use margin_engine::costs::CostsTable;
use margin_engine::import::{ImportOptions, ImportReport};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::{Rc, Weak};
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use web_sys::{Blob, ErrorEvent, Event as DomEvent, MessageEvent, Worker};

/// The worker's entry script, relative to the page's base URL (`--public-url`).
const LOADER: &str = "worker_loader.js";

/// What the page hears about a file it submitted.
pub enum Event {
    /// Waiting for its turn; `size` in bytes.
    Queued { id: u32, name: String, size: f64 },
    /// `read` of `total` bytes parsed so far.
    Progress {
        id: u32,
        read: f64,
        total: f64,
        rows: f64,
    },
    /// Imported, or why not (a message that starts with the file's name). The records stay in the
    /// worker: the page gets the import report, and the table of a costs sheet.
    Finished {
        id: u32,
        result: Result<(Box<ImportReport>, Option<CostsTable>), String>,
    },
    /// A table written as a file (`table`): its name, type and bytes, or why not.
    Written {
        name: String,
        result: Result<(js_sys::Uint8Array, String), String>,
    },
    /// The figures asked for with `compute(id, …)`, or why not.
    Computed {
        id: u32,
        result: Result<Box<Computed>, String>,
    },
    /// Rows of a kept table (`slice`), made from the figures `id`, or why not.
    Slice {
        id: u32,
        name: String,
        result: Result<RowsSlice, String>,
    },
    /// The full report of the last computation (JSON), for `export`.
    Exported { json: String },
    /// The worker stopped after it had started: every file it held is gone.
    Lost { why: String },
}

/// A handle on the queue; clones share it.
#[derive(Clone)]
pub struct Importer(Rc<RefCell<Inner>>);

struct Inner {
    next_id: u32,
    spawned: u32,
    worker: Option<Running>,
    queue: VecDeque<Job>,
    current: Option<Current>,
    on_event: Rc<dyn Fn(Event)>,
}

struct Job {
    id: u32,
    name: String,
    file: Blob,
    options: ImportOptions,
}

/// The file the worker is reading.
struct Current {
    job: Job,
}

struct Running {
    worker: Worker,
    /// Which spawn this is: messages of a worker already stopped are ignored.
    generation: u32,
    ready: bool,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(DomEvent)>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

impl Importer {
    pub fn new(on_event: impl Fn(Event) + 'static) -> Importer {
        Importer(Rc::new(RefCell::new(Inner {
            next_id: 0,
            spawned: 0,
            worker: None,
            queue: VecDeque::new(),
            current: None,
            on_event: Rc::new(on_event),
        })))
    }

    /// Queues a file (a picked or dropped `File`, or any `Blob` with a name), read as detected.
    pub fn submit(&self, name: String, file: Blob) {
        self.submit_with(name, file, ImportOptions::default());
    }

    /// Queues a file read with the user's choices (date order, currency) instead of the detected ones.
    pub fn submit_with(&self, name: String, file: Blob, options: ImportOptions) {
        let size = file.size();
        let id = {
            let mut inner = self.0.borrow_mut();
            inner.next_id += 1;
            let id = inner.next_id;
            inner.queue.push_back(Job {
                id,
                name: name.clone(),
                file,
                options,
            });
            id
        };
        self.emit(vec![Event::Queued { id, name, size }]);
        self.run(|_| Vec::new());
    }

    /// Tells the worker to forget a file's records.
    pub fn remove(&self, name: &str) {
        self.post(REMOVE, None, &[(NAME, name.into())]);
    }

    /// Asks for the figures of `request`; the answer comes as `Event::Computed { id }`. Returns false
    /// when there is no worker to ask (nothing imported yet, or it could not start).
    pub fn compute(&self, id: u32, request: &ComputeRequest) -> bool {
        match serde_json::to_string(request) {
            Ok(json) => self.post(COMPUTE, Some(id), &[(JSON, json.into())]),
            Err(_) => false,
        }
    }

    /// Asks the worker to write a table (`export::Sheet` JSON) as `csv` or `xlsx` (`Event::Written`).
    pub fn table(&self, name: &str, format: &str, json: String) -> bool {
        self.post(
            TABLE,
            Some(0),
            &[
                (NAME, name.into()),
                (FORMAT, format.into()),
                (JSON, json.into()),
            ],
        )
    }

    /// Asks for the first rows of the kept table `name` matching `query` in `sort` (`Event::Slice`).
    pub fn slice(&self, id: u32, name: &str, query: &str, sort: &str) -> bool {
        self.post(
            SLICE_QUERY,
            Some(id),
            &[
                (NAME, name.into()),
                (QUERY, query.into()),
                (SORT, sort.into()),
            ],
        )
    }

    /// Asks the worker to write every row of the kept table `table` matching `query` in `sort`, with
    /// the `columns` shown, as `csv` or `xlsx` in a file called `name` (`Event::Written`).
    pub fn table_kept(
        &self,
        table: &str,
        name: &str,
        format: &str,
        (query, sort, columns): (&str, &str, &[&str]),
    ) -> bool {
        self.post(
            TABLE,
            Some(0),
            &[
                (NAME, name.into()),
                (FORMAT, format.into()),
                (KEPT, table.into()),
                (QUERY, query.into()),
                (SORT, sort.into()),
                (COLUMNS, columns.join(",").into()),
            ],
        )
    }

    /// Asks for the client report (HTML) of the last computation (`Event::Written`).
    pub fn client_report(&self, id: u32) -> bool {
        self.post(EXPORT, Some(id), &[(FORMAT, "html".into())])
    }

    /// Asks for the `lines` table of the shop shown as CSV with its schema (two `Event::Written`).
    pub fn warehouse(&self, id: u32) -> bool {
        self.post(EXPORT, Some(id), &[(FORMAT, "warehouse".into())])
    }

    /// Asks for the full report of the last computation (`Event::Exported { id }`).
    pub fn export(&self, id: u32) -> bool {
        self.post(EXPORT, Some(id), &[])
    }

    /// Posts a message to a running worker (ready or not: a worker queues messages until it listens).
    fn post(&self, kind: &str, id: Option<u32>, fields: &[(&str, JsValue)]) -> bool {
        let inner = self.0.borrow();
        let Some(w) = inner.worker.as_ref().filter(|w| w.ready) else {
            return false;
        };
        let msg = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&msg, &TYPE.into(), &kind.into());
        if let Some(id) = id {
            let _ = js_sys::Reflect::set(&msg, &ID.into(), &id.into());
        }
        for (k, v) in fields {
            let _ = js_sys::Reflect::set(&msg, &(*k).into(), v);
        }
        w.worker.post_message(&msg).is_ok()
    }

    /// Runs `f` on the state, then tells the page what happened (outside the borrow, so the page may
    /// submit again from its handler).
    fn run(&self, f: impl FnOnce(&mut Inner) -> Vec<Event>) {
        let events = {
            let mut inner = self.0.borrow_mut();
            let mut events = f(&mut inner);
            let weak = Rc::downgrade(&self.0);
            events.extend(inner.start_next(&weak));
            events
        };
        self.emit(events);
    }

    fn emit(&self, events: Vec<Event>) {
        if events.is_empty() {
            return;
        }
        let on_event = self.0.borrow().on_event.clone();
        for e in events {
            on_event(e);
        }
    }
}

impl Inner {
    /// Hands the next queued file to the worker when it is free, starting one if needed. The worker
    /// stays when the queue is empty: it holds the records.
    fn start_next(&mut self, weak: &Weak<RefCell<Inner>>) -> Vec<Event> {
        let mut events = Vec::new();
        while self.current.is_none() {
            if self.queue.is_empty() {
                break;
            }
            if self.worker.is_none() {
                self.spawned += 1;
                match spawn(weak, self.spawned) {
                    Ok(w) => self.worker = Some(w),
                    Err(why) => {
                        events.extend(self.fail_queue(&why));
                        break;
                    }
                }
            }
            let Some(worker) = self.worker.as_ref().filter(|w| w.ready) else {
                break;
            };
            let Some(job) = self.queue.pop_front() else {
                break;
            };
            let msg = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&msg, &TYPE.into(), &IMPORT.into());
            let _ = js_sys::Reflect::set(&msg, &ID.into(), &job.id.into());
            let _ = js_sys::Reflect::set(&msg, &NAME.into(), &job.name.as_str().into());
            let _ = js_sys::Reflect::set(&msg, &FILE.into(), &job.file);
            if job.options != ImportOptions::default()
                && let Ok(json) = serde_json::to_string(&job.options)
            {
                let _ = js_sys::Reflect::set(&msg, &OPTIONS.into(), &json.into());
            }
            match worker.worker.post_message(&msg) {
                Ok(()) => {
                    self.current = Some(Current { job });
                }
                Err(e) => events.push(Event::Finished {
                    id: job.id,
                    result: Err(format!(
                        "{}: the file could not be handed to the engine worker ({})",
                        job.name,
                        js_text(&e)
                    )),
                }),
            }
        }
        events
    }

    fn fail_queue(&mut self, why: &str) -> Vec<Event> {
        self.queue
            .drain(..)
            .map(|job| Event::Finished {
                id: job.id,
                result: Err(format!("{}: {why}", job.name)),
            })
            .collect()
    }

    /// The worker stopped or cannot work: the file it was reading fails; if it never got ready, so do
    /// the files waiting (another worker would fail the same way); otherwise the records it held are
    /// lost, and a fresh one takes the files waiting.
    fn stop(&mut self, why: &str) -> Vec<Event> {
        let was_ready = self.worker.as_ref().is_some_and(|w| w.ready);
        self.worker = None;
        let mut events = Vec::new();
        if was_ready {
            events.push(Event::Lost {
                why: why.to_string(),
            });
        }
        if let Some(cur) = self.current.take() {
            events.push(Event::Finished {
                id: cur.job.id,
                result: Err(format!("{}: {why}", cur.job.name)),
            });
        }
        if !was_ready {
            events.extend(self.fail_queue(why));
        }
        events
    }

    fn on_message(&mut self, data: &JsValue) -> Vec<Event> {
        let get = |key: &str| js_sys::Reflect::get(data, &key.into()).ok();
        let kind = get(TYPE).and_then(|v| v.as_string()).unwrap_or_default();
        let id = get(ID).and_then(|v| v.as_f64());
        let json = || get(JSON).and_then(|v| v.as_string()).unwrap_or_default();
        if kind == READY {
            if let Some(w) = self.worker.as_mut() {
                w.ready = true;
            }
            return Vec::new();
        }
        if kind == FATAL {
            let message = get(MESSAGE)
                .and_then(|v| v.as_string())
                .unwrap_or_else(|| "the engine worker stopped".to_string());
            return self.stop(&message);
        }
        let text = |key: &str| get(key).and_then(|v| v.as_string()).unwrap_or_default();
        // Answers to figure requests, in the order asked.
        match kind.as_str() {
            COMPUTED => {
                let result = serde_json::from_str::<Computed>(&json())
                    .map(Box::new)
                    .map_err(|e| {
                        format!("the figures could not be read back from the worker ({e})")
                    });
                return id.map_or_else(Vec::new, |id| {
                    vec![Event::Computed {
                        id: id as u32,
                        result,
                    }]
                });
            }
            COMPUTE_FAILED => {
                return id.map_or_else(Vec::new, |id| {
                    vec![Event::Computed {
                        id: id as u32,
                        result: Err(text(MESSAGE)),
                    }]
                });
            }
            EXPORTED => return vec![Event::Exported { json: json() }],
            SLICE => {
                let result = match get(MESSAGE).and_then(|v| v.as_string()) {
                    Some(m) => Err(m),
                    None => serde_json::from_str::<RowsSlice>(&json()).map_err(|e| {
                        format!("the table's rows could not be read back from the worker ({e})")
                    }),
                };
                return id.map_or_else(Vec::new, |id| {
                    vec![Event::Slice {
                        id: id as u32,
                        name: text(NAME),
                        result,
                    }]
                });
            }
            WRITTEN => {
                let bytes = get(BYTES).and_then(|v| v.dyn_into::<js_sys::Uint8Array>().ok());
                let result = match bytes {
                    Some(b) => Ok((b, text(MIME))),
                    None => Err(text(MESSAGE)),
                };
                return vec![Event::Written {
                    name: text(NAME),
                    result,
                }];
            }
            _ => {}
        }
        // Everything else is about the file being read.
        let Some(cur) = self
            .current
            .as_ref()
            .filter(|c| Some(f64::from(c.job.id)) == id)
        else {
            return Vec::new();
        };
        let id = cur.job.id;
        match kind.as_str() {
            PROGRESS => {
                let n = |key| get(key).and_then(|v| v.as_f64()).unwrap_or(0.0);
                vec![Event::Progress {
                    id,
                    read: n(READ),
                    total: n(TOTAL),
                    rows: n(ROWS),
                }]
            }
            DONE => {
                let Some(cur) = self.current.take() else {
                    return Vec::new();
                };
                let costs = get(COSTS)
                    .and_then(|v| v.as_string())
                    .map(|c| serde_json::from_str::<CostsTable>(&c))
                    .transpose();
                let result = serde_json::from_str::<Box<ImportReport>>(&json())
                    .and_then(|r| costs.map(|c| (r, c)))
                    .map_err(|why| {
                        format!(
                            "{}: the import could not be read back from the worker ({why})",
                            cur.job.name
                        )
                    });
                vec![Event::Finished { id, result }]
            }
            FAILED => {
                let Some(cur) = self.current.take() else {
                    return Vec::new();
                };
                let message = get(MESSAGE)
                    .and_then(|v| v.as_string())
                    .unwrap_or_else(|| format!("{}: the file could not be read", cur.job.name));
                vec![Event::Finished {
                    id,
                    result: Err(message),
                }]
            }
            _ => Vec::new(),
        }
    }
}

/// Starts a worker from the page's base URL (so `--public-url` sub-paths work), listening for its
/// messages and errors.
fn spawn(weak: &Weak<RefCell<Inner>>, generation: u32) -> Result<Running, String> {
    let cannot = |e: &JsValue| format!("the engine worker could not start ({})", js_text(e));
    let document = web_sys::window().and_then(|w| w.document());
    let base = document
        .as_ref()
        .and_then(|d| d.base_uri().ok().flatten())
        .ok_or_else(|| "the engine worker could not start (no page address)".to_string())?;
    // The page's own module: Trunk preloads its JS glue (hashed name); the wasm sits beside it.
    let glue = document
        .and_then(|d| d.query_selector("link[rel=modulepreload]").ok().flatten())
        .and_then(|l| l.get_attribute("href"))
        .ok_or_else(|| {
            "the engine worker could not start (the page's module is not named)".to_string()
        })?;
    let glue = web_sys::Url::new_with_base(&glue, &base)
        .map_err(|e| cannot(&e))?
        .href();
    let wasm = match glue.strip_suffix(".js") {
        Some(stem) => format!("{stem}_bg.wasm"),
        None => {
            return Err("the engine worker could not start (unexpected module name)".to_string());
        }
    };
    let url = web_sys::Url::new_with_base(LOADER, &base).map_err(|e| cannot(&e))?;
    // The addresses travel in the worker's name (a service worker answering from its cache may drop a
    // query, never the name).
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Module);
    options.set_name(&format!("{glue}\n{wasm}"));
    let worker = Worker::new_with_options(&url.href(), &options).map_err(|e| cannot(&e))?;

    let w = weak.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        dispatch(&w, generation, |inner| inner.on_message(&ev.data()));
    });
    let w = weak.clone();
    let on_error = Closure::<dyn FnMut(DomEvent)>::new(move |ev: DomEvent| {
        ev.prevent_default();
        // A script that fails to load fires a plain `Event`; an uncaught error in the worker an `ErrorEvent`.
        let detail = ev
            .dyn_ref::<ErrorEvent>()
            .map(ErrorEvent::message)
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| "it could not be loaded".to_string());
        dispatch(&w, generation, |inner| {
            let why = if inner.worker.as_ref().is_some_and(|r| r.ready) {
                format!("the import stopped unexpectedly ({detail}); other files are not affected")
            } else {
                format!("the engine worker could not start ({detail})")
            };
            inner.stop(&why)
        });
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok(Running {
        worker,
        generation,
        ready: false,
        _on_message: on_message,
        _on_error: on_error,
    })
}

/// Runs a worker event on the queue, unless it comes from a worker that was already stopped.
fn dispatch(
    weak: &Weak<RefCell<Inner>>,
    generation: u32,
    f: impl FnOnce(&mut Inner) -> Vec<Event>,
) {
    let Some(inner) = weak.upgrade() else { return };
    let importer = Importer(inner);
    let current = importer
        .0
        .try_borrow()
        .ok()
        .and_then(|i| i.worker.as_ref().map(|w| w.generation));
    if current != Some(generation) {
        return;
    }
    importer.run(f);
}
