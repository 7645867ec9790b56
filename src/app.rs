//! The page's shell: the state every view shares, the navigation, the URL hash, saving the workspace,
//! and asking the worker for figures whenever an input changes (docs/architecture.md: data flows one way).

use crate::browser;
use crate::protocol::ComputeRequest;
use crate::route::{Route, SHOP_PARAM, View};
use crate::state::State;
use crate::views::ads::AdsView;
use crate::views::cash::CashView;
use crate::views::content::ContentView;
use crate::views::creators::CreatorsView;
use crate::views::files::{
    Blobs, Dragging, DropOverlay, DropZone, FilesView, Status, accept_drops_anywhere,
};
use crate::views::overview::OverviewView;
use crate::views::portfolio::PortfolioView;
use crate::views::settings::SettingsView;
use crate::views::skus::SkusView;
use crate::views::whatif::WhatIfView;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, closure::Closure};

/// How long after the last change the workspace is saved.
const SAVE_AFTER_MS: u64 = 200;

fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Writes the route into the address bar: a new history entry when the view changes (Back returns to
/// the previous view), a replaced one for filters and periods (typing a search adds no entries).
fn write_hash(route: &Route, new_entry: bool) {
    let hash = route.to_hash();
    if location_hash() == hash {
        return;
    }
    let Some(history) = web_sys::window().and_then(|w| w.history().ok()) else {
        return;
    };
    let _ = if new_entry {
        history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&hash))
    } else {
        history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&hash))
    };
}

#[component]
pub fn App() -> impl IntoView {
    let loaded = browser::load_workspace();
    let state = State::new(
        loaded.workspace,
        loaded.notice,
        Route::parse(&location_hash()),
    );
    provide_context(state);
    let blobs = Blobs::new();
    provide_context(blobs);
    let dragging = Dragging(RwSignal::new(false));
    provide_context(dragging);
    state.attach();
    accept_drops_anywhere(state, blobs, dragging);
    // Files dropped on the first screen before the app had loaded (public/boot.js): taken now (the early
    // drop zone stops), imported once the exports kept from an earlier visit are read — submitting keeps a
    // file in the browser, and the restore below would otherwise find it there and import it again.
    let early = crate::boot::take();

    // The exports kept in this browser on an earlier visit come back through the worker, with their
    // cards (src/store.rs). A write the browser refuses (its quota) is said once, as a notice.
    crate::store::on_error(move |m| state.notice.set(Some(m)));
    let restoring = StoredValue::new(false);
    leptos::task::spawn_local(async move {
        if let Ok(kept) = crate::store::kept().await
            && !kept.is_empty()
        {
            restoring.set_value(true);
            blobs.restore(state, kept);
        }
        for file in early {
            blobs.submit(state, file.name(), file.into());
        }
    });
    let unreadable = StoredValue::new(loaded.unreadable);

    // The workspace is saved whenever it changes: the one outside world these signals sync with.
    // Shortly after the last change rather than at once, so that an edit is painted before the
    // workspace is written (serialising it and writing storage are synchronous), and a run of edits is
    // written once; at once when the page is hidden or left, so that no edit is lost.
    let pending: StoredValue<Option<margin_engine::workspace::Workspace>> = StoredValue::new(None);
    let generation = StoredValue::new(0u64);
    let flush = move || {
        if let Some(w) = pending.try_update_value(Option::take).flatten()
            && let Some(msg) = browser::save_workspace(&w)
        {
            state.notice.set(Some(msg));
        }
    };
    Effect::new(move |first: Option<()>| {
        let w = tracked_workspace(state);
        if first.is_none() {
            // At start (nothing to repaint yet): at once, as loaded — a migrated or unreadable save is
            // replaced now, and a later pagehide has nothing pending to write over another tab's save.
            if let Some(msg) = browser::save_workspace(&w) {
                state.notice.set(Some(msg));
            }
            return;
        }
        pending.set_value(Some(w));
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        set_timeout(
            move || {
                if generation.try_get_value() == Some(mine) {
                    flush();
                }
            },
            std::time::Duration::from_millis(SAVE_AFTER_MS),
        );
    });
    browser::on_page_hidden(flush);

    // The URL hash follows the route, and the route follows the hash (Back, a pasted link).
    Effect::new(move |prev: Option<View>| {
        let (view, route) = state.route.with(|r| (r.view, r.clone()));
        write_hash(&route, prev.is_some_and(|p| p != view));
        view
    });
    let on_hash = Closure::<dyn FnMut()>::new(move || {
        let r = Route::parse(&location_hash());
        if state.route.with_untracked(|cur| *cur != r) {
            state.route.set(r);
        }
    });
    if let Some(w) = web_sys::window() {
        w.set_onhashchange(Some(on_hash.as_ref().unchecked_ref()));
    }
    on_hash.forget();

    // Figures: one request per change of what they depend on (files, costs, settings, currency,
    // period), never per keystroke in a search box.
    let period = Memo::new(move |_| state.period());
    let currency = Memo::new(move |_| state.currency());
    let file_count = Memo::new(move |_| state.files.with(Vec::len));
    let shop = Memo::new(move |_| {
        state
            .route
            .with(|r| Some(r.param(SHOP_PARAM).to_string()).filter(|s| !s.is_empty()))
    });
    // While files are still being imported no figures are asked for: each would be out of date before
    // it is shown (40 files dropped at once asked for 40 analyses and showed the last).
    let importing = Memo::new(move |_| state.pending.with(|p| !p.is_empty()));
    Effect::new(move |_| {
        if importing.get() && file_count.get() > 0 {
            return;
        }
        let req = (file_count.get() > 0).then(|| ComputeRequest {
            costs: state.costs.get(),
            settings: state.settings.get(),
            currency: currency.get(),
            period: period.get(),
            shop: shop.get(),
        });
        state.request(req);
    });

    // When the first files dropped on the Files view are in, the overview opens (not when a file is
    // added or read again later: the user is working on the cards then).
    let armed = StoredValue::new(false);
    Effect::new(move |was_busy: Option<bool>| {
        let busy = state.pending.with(|p| !p.is_empty());
        // Files restored on load leave the view where the address says.
        if busy
            && was_busy != Some(true)
            && file_count.get_untracked() == 0
            && !restoring.get_value()
        {
            armed.set_value(true);
        }
        if was_busy == Some(true) && !busy {
            restoring.set_value(false);
        }
        if was_busy == Some(true) && !busy && armed.get_value() {
            armed.set_value(false);
            if file_count.get_untracked() > 0
                && state.route.with_untracked(|r| r.view == View::Files)
            {
                state.route.update(|r| r.view = View::Overview);
            }
        }
        busy
    });

    let view_now = Memo::new(move |_| state.route.with(|r| r.view));
    let shown = crate::views::figures(state);
    let several_shops =
        Memo::new(move |_| shown.with(|f| f.as_ref().is_some_and(|c| c.shops.len() > 1)));
    let download_unreadable = move |_| {
        if let Some(text) = unreadable.get_value() {
            let _ = browser::download(
                "margin-lab-unreadable-workspace.json",
                "application/json",
                text.as_bytes(),
            );
        }
    };
    view! {
        <header class="top">
            <div class="brand">
                <h1>"Margin Lab"</h1>
                <p class="tagline">"What every TikTok Shop SKU really earns. Your files are read in this browser and never uploaded."</p>
            </div>
            <nav aria-label="Views">
                <ul class="nav">
                    {View::ALL
                        .into_iter()
                        .map(|v| {
                            let href = move || state.route.with(|r| r.with_view(v).to_hash());
                            // The Portfolio is there when the files make several shops.
                            let hidden = move || v == View::Portfolio && !several_shops.get();
                            view! {
                                <li hidden=hidden>
                                    <a
                                        href=href
                                        data-view=v.slug()
                                        aria-current=move || (view_now.get() == v).then_some("page")
                                    >
                                        {v.label()}
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
        </header>
        <main>
            <Show when=move || unreadable.with_value(Option::is_some)>
                <p class="notice">
                    "The unreadable saved workspace is kept for you: "
                    <button type="button" class="link" on:click=download_unreadable>"download it"</button>
                </p>
            </Show>
            <Show when=move || view_now.get() != View::Files>
                <DropZone>
                    <p class="small">"Drop more exports or a costs sheet anywhere on the page."</p>
                </DropZone>
            </Show>
            <Status />
            {move || match view_now.get() {
                View::Files => view! { <FilesView /> }.into_any(),
                View::Overview => view! { <OverviewView /> }.into_any(),
                View::Skus => view! { <SkusView /> }.into_any(),
                View::Creators => view! { <CreatorsView /> }.into_any(),
                View::Content => view! { <ContentView /> }.into_any(),
                View::Ads => view! { <AdsView /> }.into_any(),
                View::Cash => view! { <CashView /> }.into_any(),
                View::WhatIf => view! { <WhatIfView /> }.into_any(),
                View::Settings => view! { <SettingsView /> }.into_any(),
                View::Portfolio => view! { <PortfolioView /> }.into_any(),
            }}
        </main>
        <DropOverlay />
        <footer>
            <p>"Figures follow the Margin Lab metric dictionary: net sales = GMV − cancelled − refunds; gross margin = (net revenue − COGS) / net revenue; CM2 = CM1 − commission − ad spend − samples − other marketing. Platform discounts are reimbursed by TikTok and are not a cost."</p>
        </footer>
    }
}

/// The workspace as the signals hold it (tracked: the save effect reruns on every change).
fn tracked_workspace(state: State) -> margin_engine::workspace::Workspace {
    margin_engine::workspace::Workspace {
        settings: state.settings.get(),
        costs: state.costs.get(),
        scenarios: state.scenarios.get(),
        ..Default::default()
    }
}
