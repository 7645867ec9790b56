//! The import worker: reads one dropped file at a time off the page's main thread (DESIGN.md
//! "Principles"). The page posts the `File` itself; this worker reads it slice by slice with
//! `FileReaderSync` through an `io::Read`, so `margin_engine::import::read_any` streams a CSV record by
//! record and the whole file is never one string or byte vector here (an XLSX workbook is buffered by
//! the engine itself). Progress, the records (in batches) and the outcome go back as messages
//! (`src/protocol.rs`). Nothing here panics: every failure becomes an `ImportError` or a `fatal`.

#[path = "../protocol.rs"]
mod protocol;

use margin_engine::import::{
    FileData, ImportError, ImportOptions, ImportedFile, read_any_with_progress,
};
use protocol::*;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{self, Read};
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use web_sys::{Blob, DedicatedWorkerGlobalScope, FileReaderSync, MessageEvent};

/// Bytes read from the file at a time: large enough that the per-call cost of `FileReaderSync`
/// does not matter, small enough that progress moves often and memory stays flat.
const SLICE_BYTES: f64 = 2.0 * 1024.0 * 1024.0;

/// Records per `part` message: about half a MB of JSON for order lines, which the page turns back into
/// records in a few milliseconds (the first batch, before the browser has optimised that code, in
/// about 25 ms), so no main-thread task grows with the file.
const BATCH_RECORDS: usize = 1000;

/// An imported file on its way to the page, one batch per `next`.
struct Outgoing {
    id: f64,
    batches: VecDeque<FileData>,
    /// The report, with the last batch.
    last: ImportedFile,
}

fn main() {
    console_error_panic_hook::set_once();
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
        return;
    };
    let s = scope.clone();
    let outgoing: Rc<RefCell<Option<Outgoing>>> = Rc::new(RefCell::new(None));
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        handle(&s, &outgoing, &ev.data());
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

fn handle(
    scope: &DedicatedWorkerGlobalScope,
    outgoing: &RefCell<Option<Outgoing>>,
    data: &JsValue,
) {
    let get = |key: &str| js_sys::Reflect::get(data, &key.into()).ok();
    let kind = get(TYPE).and_then(|v| v.as_string()).unwrap_or_default();
    let id = get(ID).and_then(|v| v.as_f64());
    let name = get(NAME).and_then(|v| v.as_string());
    let file = get(FILE).and_then(|v| v.dyn_into::<Blob>().ok());
    // The user's choices; absent or unreadable means "as detected".
    let options: ImportOptions = get(OPTIONS)
        .and_then(|v| v.as_string())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default();
    match (kind.as_str(), id, name, file) {
        (IMPORT, Some(id), Some(name), Some(file)) => {
            // A new file: whatever was left of an earlier one is no longer wanted.
            outgoing.replace(None);
            match import(scope, id, &name, file, options) {
                Ok(mut imported) => {
                    let data = std::mem::replace(&mut imported.data, FileData::Ads(Vec::new()));
                    let mut batches = split(data);
                    imported.data = batches.pop_back().unwrap_or(FileData::Ads(Vec::new()));
                    outgoing.replace(Some(Outgoing {
                        id,
                        batches,
                        last: imported,
                    }));
                    // Two in flight: the next batch is serialised here while the page reads one.
                    send_next(scope, outgoing);
                    send_next(scope, outgoing);
                }
                Err(e) => fail(scope, id, &e),
            }
        }
        (NEXT, Some(id), _, _) if outgoing.borrow().as_ref().is_some_and(|o| o.id == id) => {
            send_next(scope, outgoing);
        }
        // A `next` for a file already sent: nothing to do.
        (NEXT, ..) => {}
        _ => post(
            scope,
            FATAL,
            id,
            &[(
                MESSAGE,
                "the import worker got a message it does not understand".into(),
            )],
        ),
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
    // Serialising strings cannot fail; if it did, the page would still say the file could not be read.
    let json = serde_json::to_string(e).unwrap_or_default();
    post(scope, FAILED, Some(id), &[(JSON, json.into())]);
}

/// Posts the next batch of records, or, when none is left, the report with the last batch.
fn send_next(scope: &DedicatedWorkerGlobalScope, outgoing: &RefCell<Option<Outgoing>>) {
    let mut slot = outgoing.borrow_mut();
    let Some(out) = slot.as_mut() else { return };
    let id = out.id;
    if let Some(batch) = out.batches.pop_front() {
        match serde_json::to_string(&batch) {
            Ok(json) => post(scope, PART, Some(id), &[(JSON, json.into())]),
            Err(e) => {
                let e = unsendable(&out.last, &e);
                *slot = None;
                fail(scope, id, &e);
            }
        }
        return;
    }
    let Some(out) = slot.take() else { return };
    match serde_json::to_string(&out.last) {
        Ok(json) => post(scope, DONE, Some(id), &[(JSON, json.into())]),
        Err(e) => fail(scope, id, &unsendable(&out.last, &e)),
    }
}

fn unsendable(f: &ImportedFile, e: &serde_json::Error) -> ImportError {
    ImportError {
        file: f.report.name.clone(),
        row: None,
        column: None,
        message: format!("the import could not be handed to the page ({e})"),
    }
}

/// The records in batches of [`BATCH_RECORDS`], in file order (moved, not copied).
fn split(data: FileData) -> VecDeque<FileData> {
    match data {
        FileData::Orders(v) => batches(v, FileData::Orders),
        FileData::Affiliate(v) => batches(v, FileData::Affiliate),
        FileData::Finance(v) => batches(v, FileData::Finance),
        FileData::Ads(v) => batches(v, FileData::Ads),
        // A costs table is small and merged as a whole.
        other => VecDeque::from([other]),
    }
}

fn batches<T>(records: Vec<T>, wrap: fn(Vec<T>) -> FileData) -> VecDeque<FileData> {
    if records.len() <= BATCH_RECORDS {
        return VecDeque::from([wrap(records)]);
    }
    let mut out = VecDeque::with_capacity(records.len().div_ceil(BATCH_RECORDS));
    let mut rest = records.into_iter();
    loop {
        let batch: Vec<T> = rest.by_ref().take(BATCH_RECORDS).collect();
        if batch.is_empty() {
            return out;
        }
        out.push_back(wrap(batch));
    }
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
