//! The first screen's hand-over: `public/boot.js` shows a working drop zone while the WebAssembly
//! loads and keeps what is dropped or picked there (docs/performance.md "Bundle size": the first screen
//! costs a few kilobytes, not the app's megabyte). When the app starts it takes those files, stops
//! the early drop zone and removes it, in the same task as its own first render.

use wasm_bindgen::JsCast;

/// The files given to the early drop zone, in the order given; the early drop zone is gone after.
pub fn take() -> Vec<web_sys::File> {
    let Some(window) = web_sys::window() else {
        return Vec::new();
    };
    if let Some(el) = window.document().and_then(|d| d.get_element_by_id("boot")) {
        el.remove();
    }
    let Ok(boot) = js_sys::Reflect::get(&window, &"marginLabBoot".into()) else {
        return Vec::new();
    };
    if !boot.is_object() {
        return Vec::new();
    }
    let _ = js_sys::Reflect::set(&boot, &"taken".into(), &true.into());
    js_sys::Reflect::get(&boot, &"files".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Array>().ok())
        .map(|files| {
            files
                .iter()
                .filter_map(|f| f.dyn_into::<web_sys::File>().ok())
                .collect()
        })
        .unwrap_or_default()
}
