//! Margin Lab's page: a thin Leptos layer over `margin-engine` (docs/architecture.md "Shape"). Figures come from
//! the engine (in the worker); the page shows them and collects edits.

mod app;
mod boot;
mod browser;
mod charts;
mod format;
mod grid;
mod panic;
mod protocol;
mod route;
mod state;
mod store;
mod table;
mod views;
mod worker;
mod worker_client;

/// The page. The same module also runs as the engine worker (one download, the engine's code once):
/// there is no window there, and `worker_start` is called instead.
fn main() {
    if web_sys::window().is_none() {
        return;
    }
    // Logs to the console as console_error_panic_hook does, and shows a banner (src/panic.rs).
    panic::install();
    let test_panic = panic::test_panic_asked();
    leptos::mount::mount_to_body(app::App);
    if test_panic {
        panic::test_panic();
    }
}

/// The engine worker's entry (`src/worker.rs`), called by `src/worker_loader.js` in the worker.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn worker_start() {
    worker::start();
}
