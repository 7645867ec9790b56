//! The What-if workbench (issue 6) — being built.

use leptos::prelude::*;

#[component]
pub fn WhatIfView() -> impl IntoView {
    view! { <p class="empty">"The what-if workbench is coming in the next change."</p> }
}
