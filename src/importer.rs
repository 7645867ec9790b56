//! The page's side of the import worker (`src/bin/worker.rs`, messages in `src/protocol.rs`).
//!
//! One worker, one file at a time, first in first out: files finish in the order the user gave them
//! (so of two costs sheets the later one wins, as when they are read one after the other), only one
//! file's records are in flight at once, and the worker is stopped when the queue is empty, which
//! gives its memory back (a wasm memory never shrinks). A worker that fails to start fails the files
//! waiting for it; one that stops mid-file fails that file only, and a fresh worker takes the rest.
//! Each message is handled as its own main-thread task, and records arrive in bounded batches, so no
//! task grows with the file.

use crate::protocol::*;
use margin_engine::import::{FileData, ImportError, ImportOptions, ImportedFile};
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
    /// Imported, or why not (a message that starts with the file's name).
    Finished {
        id: u32,
        result: Result<Box<ImportedFile>, String>,
    },
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

/// The file the worker is reading, and the record batches received so far.
struct Current {
    job: Job,
    parts: Option<FileData>,
    broken: Option<String>,
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
    /// Hands the next queued file to the worker when it is free, starting one if needed; stops the
    /// worker when nothing is left.
    fn start_next(&mut self, weak: &Weak<RefCell<Inner>>) -> Vec<Event> {
        let mut events = Vec::new();
        while self.current.is_none() {
            if self.queue.is_empty() {
                self.worker = None;
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
                    self.current = Some(Current {
                        job,
                        parts: None,
                        broken: None,
                    });
                }
                Err(e) => events.push(Event::Finished {
                    id: job.id,
                    result: Err(format!(
                        "{}: the file could not be handed to the import worker ({})",
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
    /// the files waiting (another worker would fail the same way); otherwise a fresh one takes them.
    fn stop(&mut self, why: &str) -> Vec<Event> {
        let was_ready = self.worker.as_ref().is_some_and(|w| w.ready);
        self.worker = None;
        let mut events = Vec::new();
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
                .unwrap_or_else(|| "the import worker stopped".to_string());
            return self.stop(&message);
        }
        // Everything else is about the file being read.
        let Some(cur) = self
            .current
            .as_mut()
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
            PART => {
                if cur.broken.is_none() {
                    match serde_json::from_str::<FileData>(&json()) {
                        Ok(batch) => match cur.parts.as_mut() {
                            None => cur.parts = Some(batch),
                            Some(acc) => {
                                if !append(acc, batch) {
                                    cur.broken = Some("records of different kinds".to_string());
                                }
                            }
                        },
                        Err(e) => cur.broken = Some(e.to_string()),
                    }
                }
                // Ask for the next batch: one in flight at a time.
                if let Some(w) = &self.worker {
                    let msg = js_sys::Object::new();
                    let _ = js_sys::Reflect::set(&msg, &TYPE.into(), &NEXT.into());
                    let _ = js_sys::Reflect::set(&msg, &ID.into(), &id.into());
                    let _ = w.worker.post_message(&msg);
                }
                Vec::new()
            }
            DONE => {
                let Some(cur) = self.current.take() else {
                    return Vec::new();
                };
                let result = finish(cur.parts, cur.broken, &json()).map_err(|why| {
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
                let message = match serde_json::from_str::<ImportError>(&json()) {
                    Ok(e) => e.user_message(),
                    Err(_) => format!("{}: the file could not be read", cur.job.name),
                };
                vec![Event::Finished {
                    id,
                    result: Err(message),
                }]
            }
            _ => Vec::new(),
        }
    }
}

/// The report (with the last batch) joined to the batches before it.
fn finish(
    parts: Option<FileData>,
    broken: Option<String>,
    json: &str,
) -> Result<Box<ImportedFile>, String> {
    if let Some(why) = broken {
        return Err(why);
    }
    let mut file: Box<ImportedFile> = serde_json::from_str(json).map_err(|e| e.to_string())?;
    if let Some(mut acc) = parts {
        let last = std::mem::replace(&mut file.data, FileData::Ads(Vec::new()));
        if !append(&mut acc, last) {
            return Err("records of different kinds".to_string());
        }
        file.data = acc;
    }
    Ok(file)
}

/// Appends a batch to the records so far; false when the kinds differ.
fn append(acc: &mut FileData, batch: FileData) -> bool {
    match (acc, batch) {
        (FileData::Orders(a), FileData::Orders(b)) => a.extend(b),
        (FileData::Affiliate(a), FileData::Affiliate(b)) => a.extend(b),
        (FileData::Finance(a), FileData::Finance(b)) => a.extend(b),
        (FileData::Ads(a), FileData::Ads(b)) => a.extend(b),
        _ => return false,
    }
    true
}

/// Starts a worker from the page's base URL (so `--public-url` sub-paths work), listening for its
/// messages and errors.
fn spawn(weak: &Weak<RefCell<Inner>>, generation: u32) -> Result<Running, String> {
    let cannot = |e: &JsValue| format!("the import worker could not start ({})", js_text(e));
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .ok_or_else(|| "the import worker could not start (no page address)".to_string())?;
    let url = web_sys::Url::new_with_base(LOADER, &base).map_err(|e| cannot(&e))?;
    let worker = Worker::new(&url.href()).map_err(|e| cannot(&e))?;

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
                format!("the import worker could not start ({detail})")
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
