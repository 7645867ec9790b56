//! Margin Lab's page: a thin Leptos layer over `margin-engine` (DESIGN.md "Shape"). Figures come from
//! the engine; the page shows them and collects edits.

mod app;
mod browser;
mod charts;
mod importer;
mod protocol;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
