//! Browser glue, apart from components (docs/style.md §1): fetching bundled demo data, storage, downloads.
//! Reading files is the engine worker's job (`src/worker.rs`).

use margin_engine::workspace::{self, Workspace};
use wasm_bindgen::{JsCast, closure::Closure};
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

/// Where the workspace lives in the browser, by schema: the current document, and the previous save.
const WORKSPACE_KEY: &str = "margin-lab.workspace.v2";
const BACKUP_KEY: &str = "margin-lab.workspace.v2.previous";
/// What the first version of the page stored: the bare costs table (schema 1).
const COSTS_V1_KEY: &str = "margin-lab.costs.v1";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// What loading the saved workspace found.
pub struct Loaded {
    pub workspace: Workspace,
    /// Something the user must know (a reset, a migration).
    pub notice: Option<String>,
    /// The text that could not be read, offered as a download before it is overwritten.
    pub unreadable: Option<String>,
}

/// The saved workspace. The current document, else the previous save, else a schema-1 costs table
/// (migrated); a document that does not parse is reported, kept aside for download, and replaced by
/// the previous save or a fresh workspace — never a crash.
pub fn load_workspace() -> Loaded {
    let Some(store) = local_storage() else {
        // Storage disabled (private mode, policy): work without it.
        return Loaded {
            workspace: Workspace::default(),
            notice: Some("This browser does not let the page keep data: costs and settings last until the tab closes.".to_string()),
            unreadable: None,
        };
    };
    let get = |k: &str| store.get_item(k).ok().flatten();
    let mut notice = None;
    let mut unreadable = None;
    for key in [WORKSPACE_KEY, BACKUP_KEY, COSTS_V1_KEY] {
        let Some(text) = get(key) else { continue };
        match workspace::parse(&text) {
            Ok(w) => {
                if key == COSTS_V1_KEY {
                    notice = Some(
                        "Your saved unit costs were moved into the workspace format (schema 2)."
                            .to_string(),
                    );
                }
                return Loaded {
                    workspace: w,
                    notice: notice.or(None),
                    unreadable,
                };
            }
            Err(e) => {
                if unreadable.is_none() {
                    unreadable = Some(text);
                }
                notice = Some(format!(
                    "The saved workspace could not be read ({}). It was reset; download the unreadable copy to keep it.",
                    e.user_message()
                ));
                if key == WORKSPACE_KEY {
                    // Try the previous save next.
                    continue;
                }
            }
        }
    }
    Loaded {
        workspace: Workspace::default(),
        notice,
        unreadable,
    }
}

/// Saves the workspace: the previous document becomes the backup first, so a reload or a crash in the
/// middle of saving finds one whole document or the other (each `setItem` is atomic). Returns a message
/// when the browser refuses (private mode, quota).
pub fn save_workspace(w: &Workspace) -> Option<String> {
    let store = local_storage()?;
    let text = workspace::to_json(w);
    if let Ok(Some(previous)) = store.get_item(WORKSPACE_KEY) {
        if previous == text {
            return None;
        }
        let _ = store.set_item(BACKUP_KEY, &previous);
    }
    match store.set_item(WORKSPACE_KEY, &text) {
        Ok(()) => {
            let _ = store.remove_item(COSTS_V1_KEY);
            None
        }
        Err(_) => Some(
            "Your costs and settings could not be saved in this browser (storage is full or disabled).".to_string(),
        ),
    }
}

/// Calls `f` whenever the page is hidden (another tab, a minimised window) or left (reload, close,
/// navigation): the last moment a write to storage is sure to happen.
pub fn on_page_hidden(f: impl Fn() + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let doc = window.document();
    let f = std::rc::Rc::new(f);
    let g = f.clone();
    let on_hide = Closure::<dyn Fn()>::new(move || f());
    let on_visibility = Closure::<dyn Fn()>::new(move || {
        let hidden = web_sys::window()
            .and_then(|w| w.document())
            .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Hidden);
        if hidden {
            g();
        }
    });
    let _ = window.add_event_listener_with_callback("pagehide", on_hide.as_ref().unchecked_ref());
    if let Some(doc) = doc {
        let _ = doc.add_event_listener_with_callback(
            "visibilitychange",
            on_visibility.as_ref().unchecked_ref(),
        );
    }
    // They live as long as the page.
    on_hide.forget();
    on_visibility.forget();
}

/// Puts text on the clipboard (a user gesture must have started the call).
pub fn copy_text(text: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

/// Offers `bytes` as a file download.
pub fn download(name: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts)
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
