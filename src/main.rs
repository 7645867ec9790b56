//! Margin Lab's page: a thin Leptos layer over `margin-engine` (DESIGN.md "Shape"). Figures come from
//! the engine (in the worker); the page shows them and collects edits.

mod app;
mod browser;
mod charts;
mod format;
mod panic;
mod protocol;
mod route;
mod state;
mod table;
mod views;
mod worker_client;

fn main() {
    // Logs to the console as console_error_panic_hook does, and shows a banner (src/panic.rs).
    panic::install();
    let test_panic = panic::test_panic_asked();
    leptos::mount::mount_to_body(app::App);
    if test_panic {
        panic::test_panic();
    }
}
