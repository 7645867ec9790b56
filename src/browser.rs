//! Browser glue, apart from components (STYLE.md §1): fetching bundled demo data, storage, downloads.
//! Reading files is the import worker's job (`src/importer.rs`).

use margin_engine::costs::CostsTable;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Fetches a file bundled with the page (relative to the page, so it works under any public URL) as a
/// `Blob`, for the import worker. The request starts at once; the future only waits for it.
pub fn fetch_blob(path: &str) -> impl Future<Output = Result<web_sys::Blob, String>> + use<> {
    let path = path.to_string();
    let request = web_sys::window()
        .ok_or_else(|| format!("{path}: no window"))
        .map(|w| JsFuture::from(w.fetch_with_str(&path)));
    async move {
        let resp = request?.await.map_err(|e| format!("{path}: {e:?}"))?;
        let resp: web_sys::Response = resp
            .dyn_into()
            .map_err(|_| format!("{path}: not a response"))?;
        if !resp.ok() {
            return Err(format!("{path}: HTTP {}", resp.status()));
        }
        let blob = JsFuture::from(resp.blob().map_err(|e| format!("{path}: {e:?}"))?)
            .await
            .map_err(|e| format!("{path}: {e:?}"))?;
        blob.dyn_into().map_err(|_| format!("{path}: not a blob"))
    }
}

/// Runs `f` as a named User Timing measure (devtools' Performance panel shows it; the end-to-end tests
/// tell the page's own computing apart from import work with it).
pub fn measure<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let performance = web_sys::window().and_then(|w| w.performance());
    let start = format!("{name}:start");
    if let Some(p) = &performance {
        let _ = p.mark(&start);
    }
    let out = f();
    if let Some(p) = &performance {
        let _ = p.measure_with_start_mark(name, &start);
        p.clear_marks_with_mark_name(&start);
    }
    out
}

const COSTS_KEY: &str = "margin-lab.costs.v1";

/// The saved costs table. A saved value that no longer parses is reported and replaced by an empty
/// table, never a crash.
pub fn load_costs() -> (CostsTable, Option<String>) {
    use gloo::storage::{LocalStorage, Storage, errors::StorageError};
    match LocalStorage::get::<CostsTable>(COSTS_KEY) {
        Ok(t) => (t, None),
        Err(StorageError::KeyNotFound(_)) => (CostsTable::default(), None),
        Err(StorageError::SerdeError(_)) => {
            LocalStorage::delete(COSTS_KEY);
            (
                CostsTable::default(),
                Some("The saved unit costs could not be read and were reset.".to_string()),
            )
        }
        // Storage disabled (private mode, policy): work without it.
        Err(_) => (CostsTable::default(), None),
    }
}

/// Saves the costs table; returns a message when the browser refuses (private mode, quota).
pub fn save_costs(costs: &CostsTable) -> Option<String> {
    use gloo::storage::{LocalStorage, Storage};
    LocalStorage::set(COSTS_KEY, costs).err().map(|_| {
        "Unit costs could not be saved in this browser (storage is full or disabled).".to_string()
    })
}

/// Offers `text` as a file download.
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)
        .map_err(|e| format!("{e:?}"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| format!("{e:?}"))?
        .dyn_into()
        .map_err(|_| "not an anchor")?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}
