//! The messages between the page (`src/importer.rs`) and the import worker (`src/bin/worker.rs`).
//! Both sides include this file, so a renamed key cannot drift apart. Messages are plain JS objects
//! (structured clone); records travel as JSON text of the engine's own serde types.
//!
//! page → worker, one file at a time:
//! - `{ type: "import", id, name, file, options }`: `file` is the `File`/`Blob` itself (cloned by
//!   handle, never its bytes); `options` the JSON of `ImportOptions` (date order, currency) chosen by
//!   the user, absent for "as detected".
//! - `{ type: "next", id }`: the page has taken in a `part`; send the next one. This flow control keeps
//!   at most two batches in flight, so the page's queue never fills with the whole file's records and
//!   each batch is its own short task with other work (input, paint) in between.
//!
//! worker → page:
//! - `{ type: "ready" }`: once, when the worker's wasm runs and listens.
//! - `{ type: "progress", id, read, total, rows }`: bytes handed to the parser so far, the file's size
//!   and the rows parsed so far; sent each time a slice of the file is read and every 10,000 rows.
//! - `{ type: "part", id, json }`: a batch of records, JSON of `FileData` (always the file's kind).
//! - `{ type: "done", id, json }`: JSON of `ImportedFile` whose `data` is the last batch; the page
//!   prepends the parts. Small files are a single `done`.
//! - `{ type: "failed", id, json }`: JSON of `ImportError` (file, row, column, message).
//! - `{ type: "fatal", message }`: the worker cannot work (it did not load, or got a message it does
//!   not understand); sent by `src/worker_loader.js` or the worker.

use wasm_bindgen::{JsCast, JsValue};

/// Message keys.
pub const TYPE: &str = "type";
pub const ID: &str = "id";
pub const NAME: &str = "name";
pub const FILE: &str = "file";
/// JSON of the engine's `ImportOptions` (the user's choice of date order or currency); optional.
pub const OPTIONS: &str = "options";
pub const READ: &str = "read";
pub const TOTAL: &str = "total";
/// Rows parsed so far (CSV).
pub const ROWS: &str = "rows";
pub const JSON: &str = "json";
pub const MESSAGE: &str = "message";

/// Message types (page → worker).
pub const IMPORT: &str = "import";
pub const NEXT: &str = "next";

/// Message types (worker → page).
pub const READY: &str = "ready";
pub const PROGRESS: &str = "progress";
pub const PART: &str = "part";
pub const DONE: &str = "done";
pub const FAILED: &str = "failed";
pub const FATAL: &str = "fatal";

/// A JS exception as text, for messages (`Error`s and `DOMException`s carry a name and a message).
pub fn js_text(e: &JsValue) -> String {
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        return format!(
            "{}: {}",
            String::from(err.name()),
            String::from(err.message())
        );
    }
    e.as_string().unwrap_or_else(|| format!("{e:?}"))
}
