//! The exports kept in this browser between visits (issue 19): the bytes of every imported export, in the
//! browser's IndexedDB on this computer — never uploaded, never in `localStorage` (docs/architecture.md).
//! On load they are read back and imported again through the worker, so a reload finds its cards and
//! figures. Costs sheets are not kept: their costs are in the saved workspace already.
//!
//! Every operation goes through one queue, in the order asked: a file removed just after it was dropped
//! is removed after it was stored, never before. A full storage (the browser's quota) fails the write
//! only: the file stays loaded for this visit and the page says so.

use margin_engine::sort_dyn::SortDyn;
use std::cell::RefCell;
use std::collections::VecDeque;
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, IdbDatabase, IdbRequest, IdbTransaction, IdbTransactionMode};

const DB_NAME: &str = "margin-lab-files";
const STORE: &str = "files";

/// A file read back from the browser.
pub struct Kept {
    pub name: String,
    pub blob: Blob,
    /// The user's read choices (`ImportOptions` JSON), when they made some.
    pub options: Option<String>,
}

enum Op {
    Put {
        name: String,
        blob: Blob,
        options: Option<String>,
    },
    Delete(String),
    Clear,
}

type OnError = Box<dyn Fn(String)>;

#[derive(Default)]
struct Queue {
    ops: VecDeque<Op>,
    running: bool,
    db: Option<IdbDatabase>,
    on_error: Option<OnError>,
}

thread_local! {
    static QUEUE: RefCell<Queue> = RefCell::new(Queue::default());
}

/// Where a failed write is told (once, when the page mounts).
pub fn on_error(f: impl Fn(String) + 'static) {
    QUEUE.with(|q| q.borrow_mut().on_error = Some(Box::new(f)));
}

/// Keeps a file (or replaces the kept copy of the same name).
pub fn keep(name: &str, blob: &Blob, options: Option<String>) {
    push(Op::Put {
        name: name.to_string(),
        blob: blob.clone(),
        options,
    });
}

/// Forgets a kept file.
pub fn forget(name: &str) {
    push(Op::Delete(name.to_string()));
}

/// Forgets every kept file.
pub fn forget_all() {
    push(Op::Clear);
}

fn push(op: Op) {
    let start = QUEUE.with(|q| {
        let mut q = q.borrow_mut();
        q.ops.push_back(op);
        !std::mem::replace(&mut q.running, true)
    });
    if start {
        wasm_bindgen_futures::spawn_local(drain());
    }
}

async fn drain() {
    loop {
        let Some(op) = QUEUE.with(|q| {
            let mut q = q.borrow_mut();
            let op = q.ops.pop_front();
            if op.is_none() {
                q.running = false;
            }
            op
        }) else {
            return;
        };
        let what = match &op {
            Op::Put { name, .. } => Some(name.clone()),
            _ => None,
        };
        if let Err(why) = run(op).await {
            let message = match what {
                Some(name) if why.contains("Quota") => format!(
                    "{name} could not be kept in this browser for your next visit: its storage for this page is full. The file stays loaded until you close the tab; forget files you no longer need to make room."
                ),
                Some(name) => format!(
                    "{name} could not be kept in this browser for your next visit ({why}). The file stays loaded until you close the tab."
                ),
                None => format!("The files kept in this browser could not be updated ({why})."),
            };
            QUEUE.with(|q| {
                if let Some(f) = q.borrow().on_error.as_ref() {
                    f(message);
                }
            });
        }
    }
}

async fn run(op: Op) -> Result<(), String> {
    let db = database().await?;
    let tx = db
        .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)
        .map_err(|e| js_text(&e))?;
    let store = tx.object_store(STORE).map_err(|e| js_text(&e))?;
    let done = transaction_done(&tx);
    match op {
        Op::Put {
            name,
            blob,
            options,
        } => {
            let record = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&record, &"name".into(), &name.as_str().into());
            let _ = js_sys::Reflect::set(&record, &"blob".into(), &blob);
            let _ = js_sys::Reflect::set(&record, &"at".into(), &js_sys::Date::now().into());
            if let Some(o) = options {
                let _ = js_sys::Reflect::set(&record, &"options".into(), &o.into());
            }
            store
                .put_with_key(&record, &name.as_str().into())
                .map_err(|e| js_text(&e))?;
        }
        Op::Delete(name) => {
            store
                .delete(&name.as_str().into())
                .map_err(|e| js_text(&e))?;
        }
        Op::Clear => {
            store.clear().map_err(|e| js_text(&e))?;
        }
    }
    done.await.map(|_| ()).map_err(|e| js_text(&e))
}

/// The kept files, in the order they were first kept. Empty when the browser keeps nothing (storage
/// disabled, a private window that refuses IndexedDB).
pub async fn kept() -> Result<Vec<Kept>, String> {
    let db = database().await?;
    let tx = db.transaction_with_str(STORE).map_err(|e| js_text(&e))?;
    let store = tx.object_store(STORE).map_err(|e| js_text(&e))?;
    let req = store.get_all().map_err(|e| js_text(&e))?;
    let all = request_done(&req).await.map_err(|e| js_text(&e))?;
    let mut out: Vec<(f64, Kept)> = js_sys::Array::from(&all)
        .iter()
        .filter_map(|r| {
            let get = |k: &str| js_sys::Reflect::get(&r, &k.into()).ok();
            Some((
                get("at").and_then(|v| v.as_f64()).unwrap_or(0.0),
                Kept {
                    name: get("name")?.as_string()?,
                    blob: get("blob")?.dyn_into().ok()?,
                    options: get("options").and_then(|v| v.as_string()),
                },
            ))
        })
        .collect();
    out.sort_by_dyn(|a, b| a.0.total_cmp(&b.0));
    Ok(out.into_iter().map(|(_, k)| k).collect())
}

/// The database, opened once (and created with its one store the first time).
async fn database() -> Result<IdbDatabase, String> {
    if let Some(db) = QUEUE.with(|q| q.borrow().db.clone()) {
        return Ok(db);
    }
    let factory = web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .ok_or_else(|| "this browser keeps no files for the page".to_string())?;
    let req = factory.open_with_u32(DB_NAME, 1).map_err(|e| js_text(&e))?;
    let upgrade_req = req.clone();
    let on_upgrade = Closure::once_into_js(move |_: web_sys::Event| {
        if let Ok(db) = upgrade_req
            .result()
            .and_then(|r| r.dyn_into::<IdbDatabase>())
            && !db.object_store_names().contains(STORE)
        {
            let _ = db.create_object_store(STORE);
        }
    });
    req.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    let db: IdbDatabase = request_done(&req)
        .await
        .map_err(|e| js_text(&e))?
        .dyn_into()
        .map_err(|_| "the file store did not open".to_string())?;
    QUEUE.with(|q| q.borrow_mut().db = Some(db.clone()));
    Ok(db)
}

/// Resolves with a request's result, rejects with its error.
fn request_done(req: &IdbRequest) -> JsFuture {
    let req = req.clone();
    JsFuture::from(js_sys::Promise::new(&mut |resolve, reject| {
        let r = req.clone();
        let ok = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call1(&JsValue::NULL, &r.result().unwrap_or(JsValue::UNDEFINED));
        });
        let r = req.clone();
        let fail = Closure::once_into_js(move |_: web_sys::Event| {
            let e = r
                .error()
                .ok()
                .flatten()
                .map_or(JsValue::NULL, JsValue::from);
            let _ = reject.call1(&JsValue::NULL, &e);
        });
        req.set_onsuccess(Some(ok.unchecked_ref()));
        req.set_onerror(Some(fail.unchecked_ref()));
    }))
}

/// Resolves when a transaction is committed; rejects with its error when it aborts (a full quota
/// aborts the transaction with a `QuotaExceededError`).
fn transaction_done(tx: &IdbTransaction) -> JsFuture {
    let tx = tx.clone();
    JsFuture::from(js_sys::Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let t = tx.clone();
        let fail = Closure::once_into_js(move |_: web_sys::Event| {
            let e = t.error().map_or(JsValue::NULL, JsValue::from);
            let _ = reject.call1(&JsValue::NULL, &e);
        });
        tx.set_oncomplete(Some(ok.unchecked_ref()));
        tx.set_onabort(Some(fail.unchecked_ref()));
    }))
}

fn js_text(e: &JsValue) -> String {
    if let Some(d) = e.dyn_ref::<web_sys::DomException>() {
        return format!("{}: {}", d.name(), d.message());
    }
    e.as_string().unwrap_or_else(|| format!("{e:?}"))
}
