//! The page's views (docs/architecture.md "The page"). Each reads the shared [`State`] from context and the figures
//! the worker computed; none computes a figure itself beyond picking and formatting it.

pub mod ads;
pub mod cash;
pub mod content;
pub mod coverage;
pub mod creators;
pub mod files;
pub mod overview;
pub mod portfolio;
pub mod settings;
pub mod skus;
pub mod whatif;

use crate::protocol::Computed;
use crate::route::Preset;
use crate::state::State;
use leptos::prelude::*;
use margin_engine::money::Currency;
use std::sync::Arc;

/// The figures, when there are some: `None` while nothing is loaded or the computation failed.
pub fn figures(state: State) -> Memo<Option<Arc<Computed>>> {
    Memo::new(move |_| {
        state
            .computed
            .with(|c| c.as_ref().and_then(|r| r.as_ref().ok().cloned()))
    })
}

/// The currency of the figures shown.
pub fn currency(state: State) -> Signal<Currency> {
    let f = figures(state);
    Signal::derive(move || f.with(|c| c.as_ref().map_or(Currency::USD, |c| c.currency)))
}

/// The period picker (presets and custom dates) and, when the files have several, the currency
/// choice. Both live in the URL hash.
#[component]
pub fn PeriodBar() -> impl IntoView {
    let state = expect_context::<State>();
    let f = figures(state);
    let range = Memo::new(move |_| state.data_range());
    let period_text = move || {
        f.with(|c| {
            c.as_ref()
                .and_then(|c| c.analysis.period)
                .map_or_else(String::new, |(a, b)| {
                    if a == b {
                        format!("Order date {a}")
                    } else {
                        format!("Order dates {a} – {b}")
                    }
                })
        })
    };
    let preset = Memo::new(move |_| state.route.with(|r| r.preset));
    let date_value = move |from: bool| {
        move || {
            let p = state.period();
            let r = range.get();
            let d = if from {
                p.map(|p| p.0).or(r.map(|r| r.0))
            } else {
                p.map(|p| p.1).or(r.map(|r| r.1))
            };
            d.map(|d| d.to_string()).unwrap_or_default()
        }
    };
    let set_date = move |from: bool| {
        move |ev: leptos::ev::Event| {
            let v = chrono::NaiveDate::parse_from_str(&event_target_value(&ev), "%Y-%m-%d").ok();
            let current = state.period().or(range.get_untracked());
            state.route.update(|r| {
                r.preset = Preset::Custom;
                r.from = if from { v } else { current.map(|p| p.0) };
                r.to = if from { current.map(|p| p.1) } else { v };
            });
        }
    };
    let currencies = Memo::new(move |_| state.currencies());
    let bounds = move |first: bool| {
        move || {
            range
                .get()
                .map(|(a, b)| if first { a } else { b }.to_string())
                .unwrap_or_default()
        }
    };
    view! {
        <div class="period-bar" role="group" aria-label="Period">
            <label class="field">
                <span>"Period"</span>
                <select
                    data-input="period"
                    on:change=move |ev| {
                        let p = Preset::from_slug(&event_target_value(&ev)).unwrap_or(Preset::All);
                        state.route.update(|r| r.preset = p);
                    }
                >
                    {Preset::ALL
                        .into_iter()
                        .map(|p| view! { <option value=p.slug() selected=move || preset.get() == p>{p.label()}</option> })
                        .collect_view()}
                </select>
            </label>
            <label class="field">
                <span>"From"</span>
                <input type="date" data-input="from" min=bounds(true) max=bounds(false) prop:value=date_value(true) on:change=set_date(true) />
            </label>
            <label class="field">
                <span>"To"</span>
                <input type="date" data-input="to" min=bounds(true) max=bounds(false) prop:value=date_value(false) on:change=set_date(false) />
            </label>
            <Show when=move || currencies.with(|c| c.len() > 1)>
                <label class="field">
                    <span>"Shop currency"</span>
                    <select
                        data-input="currency"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            state.route.update(|r| {
                                r.currency = Some(v);
                                r.set_param(crate::route::SHOP_PARAM, "");
                            });
                        }
                    >
                        {move || {
                            let chosen = state.currency();
                            currencies
                                .get()
                                .into_iter()
                                .map(|c| view! { <option value=c.code().to_string() selected=Some(c) == chosen>{c.code().to_string()}</option> })
                                .collect_view()
                        }}
                    </select>
                </label>
            </Show>
            <Show when=move || f.with(|c| c.as_ref().is_some_and(|c| c.shops.len() > 1))>
                <label class="field">
                    <span>"Shop"</span>
                    <select
                        data-input="shop"
                        on:change=move |ev| {
                            let key = event_target_value(&ev);
                            let code = f.with_untracked(|c| {
                                c.as_ref().and_then(|c| c.shops.iter().find(|s| s.key == key).map(|s| s.currency.code().to_string()))
                            });
                            state.route.update(|r| {
                                r.set_param(crate::route::SHOP_PARAM, &key);
                                r.currency = code;
                            });
                        }
                    >
                        {move || {
                            f.with(|c| {
                                let Some(c) = c.as_ref() else { return Vec::new() };
                                c.shops
                                    .iter()
                                    .map(|s| {
                                        let selected = c.shop_key.as_deref() == Some(s.key.as_str());
                                        view! { <option value=s.key.clone() data-shop=s.name.clone() selected=selected>{format!("{} ({})", s.name, s.currency.code())}</option> }
                                    })
                                    .collect::<Vec<_>>()
                            })
                        }}
                    </select>
                </label>
            </Show>
            <span class="period-text" data-testid="period">{period_text}</span>
            <Show when=move || state.computing.get()>
                <span class="computing" aria-live="polite">"Updating…"</span>
            </Show>
        </div>
    }
}

/// What a figures view shows before there is anything to show.
#[component]
pub fn NoData() -> impl IntoView {
    let state = expect_context::<State>();
    let message = move || {
        state.computed.with(|c| match c {
            Some(Err(e)) => e.clone(),
            _ if state.pending.with(|p| !p.is_empty()) => "Importing…".to_string(),
            _ => "No orders loaded yet.".to_string(),
        })
    };
    view! {
        <div class="empty">
            <p>{message}</p>
            <p><a href="#/files">"Drop your exports or try the demo data"</a></p>
        </div>
    }
}
