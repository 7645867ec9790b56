//! The Settings view: markets, the dated fee rules (docs/fees.md defaults with their sources, editable),
//! returns, shipping, fulfilment, overhead, other marketing and alert thresholds; and the workspace
//! file (settings, costs, scenarios) to export and import. Every change is saved in the browser and
//! every figure follows.

use crate::browser;
use crate::state::State;
use leptos::{ev, prelude::*};
use margin_engine::edits::{percent_of_ratio, ratio_of_percent};
use margin_engine::fees::{default_rules, plain_source};
use margin_engine::money::parse_money;
use margin_engine::settings::{
    CostBase, CostLayer, CostRule, CustomCost, MarketingEntry, Settings, VatSetting,
};
use margin_engine::workspace;
use rust_decimal::Decimal;
use wasm_bindgen::JsCast;

type Getter = fn(&Settings) -> Option<Decimal>;
type Setter = fn(&mut Settings, Option<Decimal>);

/// Reads what the user typed: `12`, `$1,234.50`, `12%` (for a percent field); empty clears it.
fn parse_input(text: &str) -> Result<Option<Decimal>, ()> {
    let t = text.trim().trim_end_matches('%').trim();
    match parse_money(t) {
        Ok(v) => Ok(v.map(|m| m.amount)),
        Err(_) => Err(()),
    }
}

/// Which settings the view edits: the shared ones (`None`) or one shop's own (its key), with several shops.
#[derive(Clone, Copy)]
struct SettingsScope(RwSignal<Option<String>>);

/// With several shops: whose settings the fields below edit — the shared ones, or a shop's own (made
/// from the shared ones when asked; dropped to use the shared ones again).
#[component]
fn ScopePicker() -> impl IntoView {
    let state = expect_context::<State>();
    let scope = expect_context::<SettingsScope>().0;
    let f = super::figures(state);
    let shops = Memo::new(move |_| {
        f.with(|c| {
            c.as_ref()
                .map(|c| {
                    c.shops
                        .iter()
                        .map(|r| (r.key.clone(), r.name.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let own = move || {
        let k = scope.get();
        state.settings.with(|s| {
            k.as_ref()
                .is_some_and(|k| s.shop_settings.iter().any(|o| &o.shop == k))
        })
    };
    let name = move || {
        let k = scope.get();
        shops.with(|s| {
            s.iter()
                .find(|(key, _)| Some(key) == k.as_ref())
                .map(|(_, n)| n.clone())
                .unwrap_or_default()
        })
    };
    let make_own = move |_| {
        if let Some(k) = scope.get_untracked() {
            state.settings.update(|s| {
                if !s.shop_settings.iter().any(|o| o.shop == k) {
                    let mut copy = s.clone();
                    copy.shop_settings = Vec::new();
                    s.shop_settings.push(margin_engine::settings::ShopSettings {
                        shop: k,
                        settings: Box::new(copy),
                    });
                }
            });
        }
    };
    let use_shared = move |_| {
        if let Some(k) = scope.get_untracked() {
            state
                .settings
                .update(|s| s.shop_settings.retain(|o| o.shop != k));
        }
    };
    view! {
        <Show when=move || shops.with(|s| s.len() > 1)>
            <fieldset data-testid="settings-scope">
                <legend>"Shops"</legend>
                <label class="field setting">
                    <span>"Settings below are for"</span>
                    <select data-input="settings-scope" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        scope.set((!v.is_empty()).then_some(v));
                    }>
                        <option value="">"Every shop (shared)"</option>
                        {move || shops.get().into_iter().map(|(k, n)| view! { <option value=k data-shop=n.clone()>{n.clone()}</option> }).collect_view()}
                    </select>
                </label>
                {move || match (scope.get().is_some(), own()) {
                    (false, _) => view! { <p class="muted small">"Shops without settings of their own use these."</p> }.into_any(),
                    (true, false) => view! {
                        <p class="muted small">{format!("{} uses the shared settings: a change below changes them for every such shop. ", name())}
                            <button type="button" class="button secondary" data-testid="own-settings" on:click=make_own>{format!("Give {} its own settings", name())}</button>
                        </p>
                    }.into_any(),
                    (true, true) => view! {
                        <p class="muted small">{format!("{} has its own settings: changes below apply to it only. ", name())}
                            <button type="button" class="button secondary" data-testid="shared-settings" on:click=use_shared>"Use the shared settings again"</button>
                        </p>
                    }.into_any(),
                }}
            </fieldset>
        </Show>
    }
}

/// One number of the settings: label, hook, and how to read and write it.
#[component]
fn NumField(
    label: &'static str,
    key: &'static str,
    get: Getter,
    set: Setter,
    /// The value is a ratio shown as a percentage (restock rate).
    #[prop(optional)]
    ratio: bool,
    #[prop(optional)] hint: &'static str,
) -> impl IntoView {
    let state = expect_context::<State>();
    let scope = expect_context::<SettingsScope>().0;
    let invalid = RwSignal::new(false);
    let shown = move || {
        state.settings.with(|s| {
            get(s.scoped(scope.get().as_deref())).map_or_else(String::new, |v| {
                let v = if ratio { percent_of_ratio(v) } else { v };
                v.normalize().to_string()
            })
        })
    };
    let on_change = move |ev: ev::Event| match parse_input(&event_target_value(&ev)) {
        Ok(v) => {
            invalid.set(false);
            let v = if ratio { v.map(ratio_of_percent) } else { v };
            if v.is_none_or(|v| !v.is_sign_negative()) {
                state
                    .settings
                    .update(|s| set(s.scoped_mut(scope.get_untracked().as_deref()), v));
            } else {
                invalid.set(true);
            }
        }
        Err(()) => invalid.set(true),
    };
    view! {
        <label class="field setting">
            <span>{label}{if ratio { " (%)" } else { "" }}</span>
            <input
                data-input=key
                inputmode="decimal"
                aria-invalid=move || if invalid.get() { "true" } else { "false" }
                prop:value=shown
                on:change=on_change
            />
            {(!hint.is_empty()).then(|| view! { <small class="muted">{hint}</small> })}
        </label>
    }
}

#[component]
pub fn SettingsView() -> impl IntoView {
    let state = expect_context::<State>();
    let scope = RwSignal::new(None::<String>);
    provide_context(SettingsScope(scope));
    let reset_rules = move |_| {
        state
            .settings
            .update(|s| s.scoped_mut(scope.get_untracked().as_deref()).fee_rules = default_rules())
    };
    let reset_all = move |_| {
        if confirm(
            "Reset every setting to the defaults, every shop's own settings too? Costs, scenarios, shop names, rates and the agency's name stay.",
        ) {
            state.settings.update(|s| {
                let kept = Settings {
                    shop_names: std::mem::take(&mut s.shop_names),
                    file_shops: std::mem::take(&mut s.file_shops),
                    fx: s.fx.take(),
                    agency: std::mem::take(&mut s.agency),
                    ..Settings::default()
                };
                *s = kept;
            });
        }
    };
    // With several shops, the workspace file can be one client's: only that shop's costs, name and edits.
    let shown = super::figures(state);
    let shops =
        Memo::new(move |_| shown.with(|c| c.as_ref().map(|c| c.shops.clone()).unwrap_or_default()));
    let export_for = RwSignal::new(String::new());
    let on_export = move |_| {
        let mut w = state.workspace();
        w.saved_at = Some(js_sys::Date::new_0().to_iso_string().into());
        let chosen = export_for.get_untracked();
        let one = shops.with_untracked(|s| s.iter().find(|r| r.key == chosen).cloned());
        let file = match &one {
            Some(r) => {
                w = w.for_shop(&r.key, &r.skus);
                let safe = margin_engine::report::file_stem(&r.name);
                format!("margin-lab-workspace-{safe}.json")
            }
            None => "margin-lab-workspace.json".to_string(),
        };
        if let Err(e) =
            browser::download(&file, "application/json", workspace::to_json(&w).as_bytes())
        {
            state
                .errors
                .update(|es| es.push(format!("The workspace could not be exported: {e}")));
        }
    };
    let on_import = move |ev: ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|l| l.get(0)) else {
            return;
        };
        input.set_value("");
        let name = file.name();
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
            match text.ok().and_then(|t| t.as_string()) {
                None => state
                    .errors
                    .update(|es| es.push(format!("{name}: the file could not be read"))),
                Some(t) => match workspace::parse(&t) {
                    // One shop's file merges into what is here (the other shops keep theirs).
                    Ok(w) if w.shop.is_some() => {
                        let mut here = state.workspace();
                        here.merge(w, false);
                        state.load_workspace(here);
                        state.notice.set(Some(format!(
                            "One shop's costs, name and scenarios merged from {name}."
                        )));
                    }
                    Ok(w) => {
                        state.load_workspace(w);
                        state
                            .notice
                            .set(Some(format!("Workspace loaded from {name}.")));
                    }
                    Err(e) => state.errors.update(|es| {
                        es.push(format!(
                            "{name}: not a Margin Lab workspace ({})",
                            e.user_message()
                        ))
                    }),
                },
            }
        });
    };

    view! {
        <section class="settings" aria-labelledby="settings-h">
            <h2 id="settings-h">"Settings"</h2>
            <p class="muted small">"Saved in this browser as you type; every figure follows. Amounts are in the shop's currency."</p>

            <fieldset>
                <legend>"Workspace"</legend>
                <p class="muted small">"Settings, unit costs and what-if scenarios in one file (never your exports): move it to another browser or keep a copy."</p>
                <Show when=move || shops.with(|s| s.len() > 1)>
                    <label class="field setting">
                        <span>"Export for"</span>
                        <select data-input="workspace-shop" on:change=move |ev| export_for.set(event_target_value(&ev))>
                            <option value="">"All shops"</option>
                            {move || shops.get().into_iter().map(|r| view! { <option value=r.key.clone() data-shop=r.name.clone()>{r.name.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                </Show>
                <button type="button" class="button secondary" data-testid="workspace-export" on:click=on_export>"Export workspace"</button>
                " "
                <label class="button secondary">
                    "Import workspace"
                    <input type="file" accept=".json,application/json" class="visually-hidden" data-testid="workspace-import" on:change=on_import />
                </label>
                " "
                <button type="button" class="button secondary" on:click=reset_all>"Reset settings"</button>
            </fieldset>

            <ScopePicker />
            <fieldset>
                <legend>"Returns, shipping and fulfilment"</legend>
                <div class="fields">
                    <NumField label="Restock rate" key="restock_rate" ratio=true get=|s| Some(s.restock_rate) set=|s, v| s.restock_rate = v.unwrap_or_default() hint="Share of a returned unit's cost recovered by restocking it" />
                    <NumField label="Return shipping per unit" key="return_shipping_per_unit" get=|s| Some(s.return_shipping_per_unit) set=|s, v| s.return_shipping_per_unit = v.unwrap_or_default() />
                    <NumField label="Sample shipping per unit" key="sample_shipping_per_unit" get=|s| Some(s.sample_shipping_per_unit) set=|s, v| s.sample_shipping_per_unit = v.unwrap_or_default() />
                    <NumField label="Shipping per order" key="shipping_per_order" get=|s| Some(s.shipping_per_order) set=|s, v| s.shipping_per_order = v.unwrap_or_default() hint="Used where no finance export gives the actual" />
                    <NumField label="Fulfilment per unit" key="fulfillment_per_unit" get=|s| Some(s.fulfillment_per_unit) set=|s, v| s.fulfillment_per_unit = v.unwrap_or_default() hint="For SKUs without their own (SKUs view)" />
                    <NumField label="Fulfilment per order" key="fulfillment_per_order" get=|s| Some(s.fulfillment_per_order) set=|s, v| s.fulfillment_per_order = v.unwrap_or_default() />
                </div>
            </fieldset>

            <fieldset>
                <legend>"Overhead"</legend>
                <div class="fields">
                    <NumField label="Overhead per month" key="overhead_per_month" get=|s| Some(s.overhead_per_month) set=|s, v| s.overhead_per_month = v.unwrap_or_default() hint="Spread over the period's days, then by net revenue" />
                    <NumField label="Overhead per unit (instead)" key="overhead_per_unit" get=|s| s.overhead_per_unit set=|s, v| s.overhead_per_unit = v hint="Leave empty to use the monthly amount" />
                </div>
            </fieldset>

            <fieldset data-testid="vat-settings">
                <legend>"VAT"</legend>
                <p class="muted small">"Prices include VAT where the export has a tax rate; otherwise a SKU's rate from the costs sheet's vat_rate column; otherwise your answer for the market below (asked with the first UK or EU export without VAT)."</p>
                <ul class="plain">
                    {move || state.settings.with(|s| s.vat.clone()).into_iter().map(|v| {
                        let market = v.market.clone();
                        let text = if v.registered {
                            format!("{}: VAT-registered, {} %", v.market, VatSetting::percent_text(v.rate))
                        } else {
                            format!("{}: not VAT-registered", v.market)
                        };
                        view! {
                            <li data-vat-market=v.market.clone()>
                                {text}
                                " "
                                <button type="button" class="link" on:click=move |_| state.settings.update(|s| s.vat.retain(|x| x.market != market))>"Ask again"</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </fieldset>

            <fieldset>
                <legend>"Alert thresholds"</legend>
                <div class="fields">
                    <NumField label="Return-rate benchmark (%)" key="default_return_rate_benchmark" get=|s| Some(s.alerts.default_return_rate_benchmark) set=|s, v| s.alerts.default_return_rate_benchmark = v.unwrap_or_default() />
                    <NumField label="Return spike factor (×)" key="return_spike_factor" get=|s| Some(s.alerts.return_spike_factor) set=|s, v| s.alerts.return_spike_factor = v.unwrap_or_default() />
                    <NumField label="CPO deterioration (%)" key="cpo_deterioration_pct" get=|s| Some(s.alerts.cpo_deterioration_pct) set=|s, v| s.alerts.cpo_deterioration_pct = v.unwrap_or_default() />
                    <NumField label="Affiliate drop-off (%)" key="affiliate_dropoff_pct" get=|s| Some(s.alerts.affiliate_dropoff_pct) set=|s, v| s.alerts.affiliate_dropoff_pct = v.unwrap_or_default() />
                    <NumField label="LIVE session below benchmark (%)" key="live_miss_pct" get=|s| Some(s.alerts.live_miss_pct) set=|s, v| s.alerts.live_miss_pct = v.unwrap_or_default() hint="Against the account's GMV per viewer (or per 1,000 views) over the period's sessions" />
                    <NumField label="LIVE host cost per hour" key="live_host_cost_per_hour" get=|s| Some(s.live_host_cost_per_hour) set=|s, v| s.live_host_cost_per_hour = v.unwrap_or_default() hint="Host and studio: charged to each LIVE session's estimated profit by its duration" />
                    <NumField label="Minimum creator efficiency" key="min_creator_efficiency" get=|s| Some(s.alerts.min_creator_efficiency) set=|s, v| s.alerts.min_creator_efficiency = v.unwrap_or_default() />
                </div>
            </fieldset>

            <fieldset>
                <legend>"Markets"</legend>
                <p class="muted small">"The market a shop currency stands for decides its fee rules."</p>
                <div class="fields">
                    {move || state.settings.with(|s| s.markets.iter().enumerate().map(|(i, m)| {
                        let code = m.currency.code().to_string();
                        view! {
                            <label class="field setting">
                                <span>{code.clone()}</span>
                                <input
                                    data-input=format!("market-{code}")
                                    maxlength="2"
                                    prop:value=m.market.clone()
                                    on:change=move |ev| {
                                        let v = event_target_value(&ev).trim().to_uppercase();
                                        if v.len() == 2 {
                                            state.settings.update(|s| if let Some(m) = s.markets.get_mut(i) { m.market = v; });
                                        }
                                    }
                                />
                            </label>
                        }
                    }).collect_view())}
                </div>
            </fieldset>

            <Agency />
            <OtherMarketing />
            <CustomCosts />
            <FeeRules />
            <p><button type="button" class="button secondary" on:click=reset_rules>"Restore the default fee rules"</button></p>
        </section>
    }
}

/// The agency's name (on client reports) and the Portfolio's reporting currency with the user's rates
/// (docs/metrics.md §10): typed here, kept in the workspace, never fetched.
#[component]
fn Agency() -> impl IntoView {
    use margin_engine::fx::{FxRate, FxTable};
    let state = expect_context::<State>();
    let error = RwSignal::new(None::<String>);
    let rates_text = move || {
        state.settings.with(|s| {
            s.fx.as_ref().map_or_else(String::new, |t| {
                t.rates
                    .iter()
                    .map(|r| match r.from {
                        Some(d) => format!("{}={}@{d}", r.currency.code(), r.rate.normalize()),
                        None => format!("{}={}", r.currency.code(), r.rate.normalize()),
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        })
    };
    let reporting = move || {
        state.settings.with(|s| {
            s.fx.as_ref()
                .map(|t| t.reporting.code().to_string())
                .unwrap_or_default()
        })
    };
    // Both fields are read together: a reporting currency without rates still converts its own shops.
    let save_fx = move |code: String, text: String| {
        let code = code.trim().to_uppercase();
        if code.is_empty() {
            error.set(None);
            state.settings.update(|s| s.fx = None);
            return;
        }
        let Some(reporting) = margin_engine::money::Currency::from_code(&code) else {
            error.set(Some(format!("{code:?} is not a currency code")));
            return;
        };
        let mut rates = Vec::new();
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            match FxRate::parse(line) {
                Ok(r) => rates.push(r),
                Err(e) => {
                    error.set(Some(e));
                    return;
                }
            }
        }
        error.set(None);
        state
            .settings
            .update(|s| s.fx = Some(FxTable { reporting, rates }));
    };
    let code_now = RwSignal::new(String::new());
    let text_now = RwSignal::new(String::new());
    view! {
        <fieldset data-testid="agency-settings">
            <legend>"Agency and portfolio"</legend>
            <div class="fields">
                <label class="field setting">
                    <span>"Prepared by (on client reports)"</span>
                    <input data-input="agency" prop:value=move || state.settings.with(|s| s.agency.clone())
                        on:change=move |ev| { let v = event_target_value(&ev); state.settings.update(|s| s.agency = v.trim().to_string()); } />
                </label>
                <label class="field setting">
                    <span>"Reporting currency"</span>
                    <input data-input="reporting_currency" maxlength="3" prop:value=reporting
                        on:change=move |ev| { code_now.set(event_target_value(&ev)); let t = if text_now.get_untracked().is_empty() { rates_text() } else { text_now.get_untracked() }; save_fx(code_now.get_untracked(), t); } />
                </label>
                <label class="field setting">
                    <span>"Rates, one a line (GBP=1.27, or dated GBP=1.27@2026-05-01)"</span>
                    <textarea data-input="fx_rates" rows="3" prop:value=rates_text
                        on:change=move |ev| { text_now.set(event_target_value(&ev)); let c = if code_now.get_untracked().is_empty() { reporting() } else { code_now.get_untracked() }; save_fx(c, text_now.get_untracked()); }></textarea>
                </label>
            </div>
            <p class="muted small">"The Portfolio adds shops up only in the reporting currency, each shop converted at the rate you give for its currency on the period's last day (the latest dated rate on or before it, else an undated one). Nothing is fetched."</p>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </fieldset>
    }
}

fn confirm(message: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(message).ok())
        .unwrap_or(false)
}

/// Other marketing entries (e.g. Smart Promotion): dated amounts allocated like ad spend.
#[component]
fn OtherMarketing() -> impl IntoView {
    let state = expect_context::<State>();
    let scope = expect_context::<SettingsScope>().0;
    let date = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let label = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let add = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let d = chrono::NaiveDate::parse_from_str(&date.get_untracked(), "%Y-%m-%d");
        let a = parse_input(&amount.get_untracked());
        match (d, a) {
            (Ok(d), Ok(Some(a))) => {
                state.settings.update(|s| {
                    s.scoped_mut(scope.get_untracked().as_deref())
                        .other_marketing
                        .push(MarketingEntry {
                            date: d,
                            amount: a,
                            label: label.get_untracked(),
                        })
                });
                amount.set(String::new());
                label.set(String::new());
                error.set(None);
            }
            _ => error.set(Some("Give a date and an amount.".to_string())),
        }
    };
    view! {
        <fieldset>
            <legend>"Other marketing"</legend>
            <table class="data-table compact">
                <thead><tr><th scope="col">"Date"</th><th scope="col">"What"</th><th scope="col" class="num">"Amount"</th><th scope="col"><span class="visually-hidden">"Remove"</span></th></tr></thead>
                <tbody>
                    {move || state.settings.with(|s| s.scoped(scope.get().as_deref()).other_marketing.iter().enumerate().map(|(i, e)| view! {
                        <tr>
                            <td>{e.date.to_string()}</td>
                            <td>{e.label.clone()}</td>
                            <td class="num">{e.amount.to_string()}</td>
                            <td><button type="button" class="link" on:click=move |_| state.settings.update(|s| { let s = s.scoped_mut(scope.get_untracked().as_deref()); if i < s.other_marketing.len() { s.other_marketing.remove(i); } })>"Remove"</button></td>
                        </tr>
                    }).collect_view())}
                </tbody>
            </table>
            <form class="inline-form" on:submit=add>
                <label class="field"><span>"Date"</span><input type="date" bind:value=date /></label>
                <label class="field"><span>"What"</span><input bind:value=label placeholder="Smart Promotion" /></label>
                <label class="field"><span>"Amount"</span><input inputmode="decimal" bind:value=amount /></label>
                <button type="submit" class="button secondary">"Add"</button>
                {move || error.get().map(|e| view! { <span class="error small">{e}</span> })}
            </form>
        </fieldset>
    }
}

/// The dated fee rules: rate, fixed parts and dates editable; source and the docs/fees.md "uncertain" flag
/// shown.
#[component]
fn FeeRules() -> impl IntoView {
    let state = expect_context::<State>();
    let scope = expect_context::<SettingsScope>().0;
    let edit = move |i: usize, field: &'static str| {
        move |ev: ev::Event| {
            let text = event_target_value(&ev);
            state.settings.update(|s| {
                let Some(r) = s
                    .scoped_mut(scope.get_untracked().as_deref())
                    .fee_rules
                    .get_mut(i)
                else {
                    return;
                };
                let date = || chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
                let num = || parse_input(&text).ok().flatten();
                match field {
                    "rate" => {
                        if let Some(v) = num() {
                            r.rate = ratio_of_percent(v);
                        }
                    }
                    "fixed_per_order" => r.fixed_per_order = num().unwrap_or_default(),
                    "fixed_per_item" => r.fixed_per_item = num().unwrap_or_default(),
                    "cap_per_item" => r.cap_per_item = num(),
                    "effective_from" => r.effective_from = date(),
                    "effective_to" => r.effective_to = date(),
                    _ => {}
                }
            });
        }
    };
    view! {
        <fieldset>
            <legend>"Fee rules"</legend>
            <p class="muted small">"Platform fees by market and date, with where each rate comes from. Rules marked uncertain are defaults to check against your statements; a finance export's actual fees replace them order by order."</p>
            <div class="table-wrap">
                <table class="data-table fee-rules">
                    <thead>
                        <tr>
                            <th scope="col">"Market"</th>
                            <th scope="col">"Fee"</th>
                            <th scope="col">"From"</th>
                            <th scope="col">"To"</th>
                            <th scope="col" class="num">"Rate (%)"</th>
                            <th scope="col" class="num">"Per order"</th>
                            <th scope="col" class="num">"Per item"</th>
                            <th scope="col" class="num">"Cap / item"</th>
                            <th scope="col">"Source"</th>
                            <th scope="col"><span class="visually-hidden">"Remove"</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || state.settings.with(|s| s.scoped(scope.get().as_deref()).fee_rules.iter().enumerate().map(|(i, r)| {
                            let d = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
                            view! {
                                <tr data-rule=i class:uncertain=r.uncertain>
                                    <td>{r.market.clone()}</td>
                                    <td>{r.name.clone()}{r.uncertain.then(|| view! { <span class="badge" title="The source of this rate is not confirmed: check it against your statements">" uncertain"</span> })}</td>
                                    <td><input type="date" aria-label="From" prop:value=d(r.effective_from) on:change=edit(i, "effective_from") /></td>
                                    <td><input type="date" aria-label="To" prop:value=d(r.effective_to) on:change=edit(i, "effective_to") /></td>
                                    <td class="num"><input class="cost" aria-label="Rate in percent" data-input="fee_rate" prop:value=percent_of_ratio(r.rate).normalize().to_string() on:change=edit(i, "rate") /></td>
                                    <td class="num"><input class="cost" aria-label="Fixed per order" prop:value=r.fixed_per_order.normalize().to_string() on:change=edit(i, "fixed_per_order") /></td>
                                    <td class="num"><input class="cost" aria-label="Fixed per item" prop:value=r.fixed_per_item.normalize().to_string() on:change=edit(i, "fixed_per_item") /></td>
                                    <td class="num"><input class="cost" aria-label="Cap per item" prop:value=r.cap_per_item.map(|c| c.normalize().to_string()).unwrap_or_default() on:change=edit(i, "cap_per_item") /></td>
                                    <td class="source small" title=plain_source(&r.source)>{plain_source(&r.source)}</td>
                                    <td><button type="button" class="link" on:click=move |_| state.settings.update(|s| { let s = s.scoped_mut(scope.get_untracked().as_deref()); if i < s.fee_rules.len() { s.fee_rules.remove(i); } })>"Remove"</button></td>
                                </tr>
                            }
                        }).collect_view())}
                    </tbody>
                </table>
            </div>
        </fieldset>
    }
}

/// Reads a number the custom cost editor was given (`3,100`, `$3,100.00`, `10%`); a number beyond what
/// a money cell may hold is read all the same, for the engine's range check to name it.
fn parse_number(text: &str) -> Result<Option<Decimal>, ()> {
    parse_input(text).or_else(|()| {
        let t: String = text
            .trim()
            .trim_end_matches('%')
            .chars()
            .filter(|c| *c != ',' && !c.is_whitespace())
            .collect();
        t.parse::<Decimal>().map(Some).map_err(|_| ())
    })
}

/// The engine's words as a sentence: capital first letter, full stop.
fn sentence(s: &str) -> String {
    let mut chars = s.chars();
    let mut out: String = chars
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    out.push_str(chars.as_str());
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// The engine's range check of one custom cost ([`Settings::check_magnitudes`]): the field it refuses
/// (`amount`, `percent`, `to`) and why, in its words without the cost's place in the list (the message
/// is shown next to the field).
fn engine_check(cost: &CustomCost) -> Option<(&'static str, String)> {
    let one = Settings {
        custom_costs: vec![cost.clone()],
        ..Settings::default()
    };
    let e = one.check_magnitudes().err()?;
    let prefix = format!("custom_costs[0] (\"{}\").", cost.name);
    let rest = e.message.strip_prefix(&prefix).unwrap_or(&e.message);
    let field = ["amount", "percent", "to"]
        .into_iter()
        .find(|f| rest.starts_with(&format!("{f} ")))
        .unwrap_or("name");
    Some((field, sentence(rest)))
}

/// The figures a percentage cost can be taken of, in the registry's words.
const COST_BASES: [CostBase; 6] = [
    CostBase::AdSpend,
    CostBase::NetSales,
    CostBase::NetRevenue,
    CostBase::Gmv,
    CostBase::Cogs,
    CostBase::AffiliateCommission,
];

fn base_label(b: CostBase) -> &'static str {
    margin_engine::registry::find(margin_engine::registry::FIGURES, b.key())
        .map_or(b.key(), |m| m.label)
}

/// The kinds of cost, as the settings document names them, and how they read.
const COST_KINDS: [(&str, &str); 5] = [
    ("monthly", "Monthly"),
    ("weekly", "Weekly"),
    ("daily", "Daily"),
    ("one_time", "One-time"),
    ("percent", "Percentage of a figure"),
];

/// A cost as a seller reads it: "$3,100.00 a month, from 2026-05-01", "10 % of Ad spend".
fn cost_text(rule: &CostRule, c: margin_engine::money::Currency) -> String {
    let span = |from: &Option<chrono::NaiveDate>, to: &Option<chrono::NaiveDate>| match (from, to) {
        (Some(a), Some(b)) => format!(", {a} to {b}"),
        (Some(a), None) => format!(", from {a}"),
        (None, Some(b)) => format!(", until {b}"),
        (None, None) => String::new(),
    };
    match rule {
        CostRule::Monthly { amount, from, to } => {
            format!("{} a month{}", c.format(*amount), span(from, to))
        }
        CostRule::Weekly { amount, from, to } => {
            format!("{} a week{}", c.format(*amount), span(from, to))
        }
        CostRule::Daily { amount, from, to } => {
            format!("{} a day{}", c.format(*amount), span(from, to))
        }
        CostRule::OneTime { amount, date } => format!("{} once, on {date}", c.format(*amount)),
        CostRule::Percent { percent, of } => {
            format!("{} % of {}", percent.normalize(), base_label(*of))
        }
    }
}

/// The editor's fields, as typed.
#[derive(Clone, Copy)]
struct CostDraft {
    name: RwSignal<String>,
    layer: RwSignal<String>,
    kind: RwSignal<String>,
    amount: RwSignal<String>,
    from: RwSignal<String>,
    to: RwSignal<String>,
    date: RwSignal<String>,
    percent: RwSignal<String>,
    of: RwSignal<String>,
}

impl CostDraft {
    fn new() -> CostDraft {
        let s = |v: &str| RwSignal::new(v.to_string());
        CostDraft {
            name: s(""),
            layer: s("marketing"),
            kind: s("monthly"),
            amount: s(""),
            from: s(""),
            to: s(""),
            date: s(""),
            percent: s(""),
            of: s("ad_spend"),
        }
    }

    fn clear(&self) {
        for f in [
            self.name,
            self.amount,
            self.from,
            self.to,
            self.date,
            self.percent,
        ] {
            f.set(String::new());
        }
    }

    /// Fills the fields with a cost, to edit it.
    fn fill(&self, c: &CustomCost) {
        self.clear();
        self.name.set(c.name.clone());
        self.layer.set(
            match c.layer {
                CostLayer::Marketing => "marketing",
                CostLayer::Overhead => "overhead",
            }
            .to_string(),
        );
        let d = |d: &Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let kind = match &c.rule {
            CostRule::Monthly { amount, from, to }
            | CostRule::Weekly { amount, from, to }
            | CostRule::Daily { amount, from, to } => {
                self.amount.set(amount.normalize().to_string());
                self.from.set(d(from));
                self.to.set(d(to));
                match c.rule {
                    CostRule::Monthly { .. } => "monthly",
                    CostRule::Weekly { .. } => "weekly",
                    _ => "daily",
                }
            }
            CostRule::OneTime { amount, date } => {
                self.amount.set(amount.normalize().to_string());
                self.date.set(date.to_string());
                "one_time"
            }
            CostRule::Percent { percent, of } => {
                self.percent.set(percent.normalize().to_string());
                self.of.set(of.key().to_string());
                "percent"
            }
        };
        self.kind.set(kind.to_string());
    }

    /// The cost the fields make, or each field's reason it cannot be read (the engine's range check
    /// included).
    fn cost(&self) -> Result<CustomCost, Vec<(&'static str, String)>> {
        let mut errors: Vec<(&'static str, String)> = Vec::new();
        let name = self.name.get_untracked().trim().to_string();
        if name.is_empty() {
            errors.push(("name", "Give the cost a name.".to_string()));
        }
        let number = |errors: &mut Vec<(&'static str, String)>, field: &'static str, what: &str| {
            let text = match field {
                "percent" => self.percent.get_untracked(),
                _ => self.amount.get_untracked(),
            };
            match parse_number(&text) {
                Ok(Some(v)) => Some(v),
                Ok(None) => {
                    errors.push((field, format!("Give {what}.")));
                    None
                }
                Err(()) => {
                    errors.push((field, format!("{:?} is not a number.", text.trim())));
                    None
                }
            }
        };
        let date = |errors: &mut Vec<(&'static str, String)>,
                    field: &'static str,
                    text: String,
                    required: bool| {
            let t = text.trim();
            if t.is_empty() {
                if required {
                    errors.push((field, "Give the date it was paid.".to_string()));
                }
                return None;
            }
            let d = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").ok();
            if d.is_none() {
                errors.push((field, format!("{t:?} is not a date.")));
            }
            d
        };
        let kind = self.kind.get_untracked();
        let rule = match kind.as_str() {
            "percent" => {
                let percent = number(&mut errors, "percent", "a percentage");
                let of = COST_BASES
                    .into_iter()
                    .find(|b| b.key() == self.of.get_untracked())
                    .unwrap_or(CostBase::AdSpend);
                percent.map(|percent| CostRule::Percent { percent, of })
            }
            "one_time" => {
                let amount = number(&mut errors, "amount", "an amount");
                let day = date(&mut errors, "date", self.date.get_untracked(), true);
                amount
                    .zip(day)
                    .map(|(amount, date)| CostRule::OneTime { amount, date })
            }
            k => {
                let amount = number(&mut errors, "amount", "an amount");
                let from = date(&mut errors, "from", self.from.get_untracked(), false);
                let to = date(&mut errors, "to", self.to.get_untracked(), false);
                amount.map(|amount| match k {
                    "weekly" => CostRule::Weekly { amount, from, to },
                    "daily" => CostRule::Daily { amount, from, to },
                    _ => CostRule::Monthly { amount, from, to },
                })
            }
        };
        let layer = match self.layer.get_untracked().as_str() {
            "overhead" => CostLayer::Overhead,
            _ => CostLayer::Marketing,
        };
        let Some(rule) = rule.filter(|_| errors.is_empty()) else {
            return Err(errors);
        };
        let cost = CustomCost { name, layer, rule };
        match engine_check(&cost) {
            Some(e) => Err(vec![e]),
            None => Ok(cost),
        }
    }
}

type CostErrors = RwSignal<Vec<(&'static str, String)>>;

/// One field of the custom cost form (`data-input=key`, `kind` `text`, `decimal` or `date`), shown when
/// `shown`, with the reason its value was refused next to it (`data-error=field`).
fn cost_field(
    label: Signal<&'static str>,
    key: &'static str,
    field: &'static str,
    kind: &'static str,
    value: RwSignal<String>,
    shown: Signal<bool>,
    errors: CostErrors,
) -> AnyView {
    let message =
        move || errors.with(|es| es.iter().find(|(f, _)| *f == field).map(|(_, m)| m.clone()));
    let date = kind == "date";
    view! {
        <label class="field" style:display=move || if shown.get() { "" } else { "none" }>
            <span>{move || label.get()}</span>
            <input
                type=if date { "date" } else { "text" }
                inputmode=(kind == "decimal").then_some("decimal")
                data-input=key
                aria-invalid=move || if message().is_some() { "true" } else { "false" }
                bind:value=value
            />
            {move || message().map(|m| view! { <span class="error small" role="alert" data-error=field>{m}</span> })}
        </label>
    }
    .into_any()
}

/// A choice of the custom cost form (`data-input=key`): `options` are (value, label).
fn cost_select(
    label: &'static str,
    key: &'static str,
    options: Vec<(&'static str, &'static str)>,
    value: RwSignal<String>,
    shown: Signal<bool>,
) -> AnyView {
    view! {
        <label class="field" style:display=move || if shown.get() { "" } else { "none" }>
            <span>{label}</span>
            <select data-input=key prop:value=move || value.get() on:change=move |ev| value.set(event_target_value(&ev))>
                {options.into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
            </select>
        </label>
    }
    .into_any()
}

/// The seller's custom costs (docs/metrics.md §3), as TrueProfit has them: listed with what the period
/// carries of each (the report's figure), added, edited and removed. A cost the engine's range check
/// refuses is not saved: its reason is shown next to the field.
#[component]
fn CustomCosts() -> impl IntoView {
    let state = expect_context::<State>();
    let scope = expect_context::<SettingsScope>().0;
    let shown = super::figures(state);
    let cur = super::currency(state);
    let draft = CostDraft::new();
    let editing = RwSignal::new(None::<usize>);
    let errors = RwSignal::new(Vec::<(&'static str, String)>::new());
    let costs = Memo::new(move |_| {
        state
            .settings
            .with(|s| s.scoped(scope.get().as_deref()).custom_costs.clone())
    });
    // What the period carries of cost `i`, when the figures shown are of these costs.
    let period_amount = move |i: usize, cost: &CustomCost| {
        shown.with(|c| {
            c.as_ref()
                .and_then(|c| c.report.custom_costs.get(i))
                .filter(|a| &a.cost == cost)
                .map(|a| a.period_amount)
        })
    };
    let save = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        match draft.cost() {
            Ok(cost) => {
                let at = editing.get_untracked();
                state.settings.update(|s| {
                    let list = &mut s.scoped_mut(scope.get_untracked().as_deref()).custom_costs;
                    match at.and_then(|i| list.get_mut(i)) {
                        Some(c) => *c = cost,
                        None => list.push(cost),
                    }
                });
                errors.set(Vec::new());
                editing.set(None);
                draft.clear();
            }
            Err(e) => errors.set(e),
        }
    };
    let cancel = move |_| {
        editing.set(None);
        errors.set(Vec::new());
        draft.clear();
    };
    let kind_is = move |kinds: &'static [&'static str]| {
        Signal::derive(move || draft.kind.with(|k| kinds.contains(&k.as_str())))
    };
    let always = Signal::derive(|| true);
    let fixed = |label: &'static str| Signal::derive(move || label);
    let list = move || {
        let c = cur.get();
        costs
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, cost)| {
                let period = period_amount(i, &cost).map_or_else(|| crate::format::NONE.to_string(), |a| c.format(a));
                let layer = match cost.layer {
                    CostLayer::Marketing => "Marketing (CM2)",
                    CostLayer::Overhead => "Overhead (net profit)",
                };
                let refused = engine_check(&cost).map(|(_, m)| view! { <span class="error small" role="alert">{m}</span> });
                let edit_cost = cost.clone();
                view! {
                    <tr data-cost=i>
                        <td>{cost.name.clone()}</td>
                        <td>{layer}</td>
                        <td>{cost_text(&cost.rule, c)}{refused}</td>
                        <td class="num" data-metric="period_amount">{period}</td>
                        <td>
                            <button type="button" class="link" data-testid="cost-edit" on:click=move |_| {
                                draft.fill(&edit_cost);
                                errors.set(Vec::new());
                                editing.set(Some(i));
                            }>"Edit"</button>
                            " "
                            <button type="button" class="link" data-testid="cost-remove" on:click=move |_| {
                                state.settings.update(|s| {
                                    let list = &mut s.scoped_mut(scope.get_untracked().as_deref()).custom_costs;
                                    if i < list.len() {
                                        list.remove(i);
                                    }
                                });
                                if editing.get_untracked() == Some(i) {
                                    editing.set(None);
                                    draft.clear();
                                }
                            }>"Remove"</button>
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <fieldset data-testid="custom-costs">
            <legend>"Custom costs"</legend>
            <p class="muted small">"Your own costs: a fixed amount a month, a week or a day (prorated over the period), once on a date, or a percentage of a figure (an agency fee of 10 % of ad spend). Marketing costs count in CM2; overhead costs after it, in net profit."</p>
            <Show when=move || costs.with(|c| !c.is_empty())>
                <div class="table-wrap">
                    <table class="data-table compact">
                        <thead><tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Counts in"</th>
                            <th scope="col">"Cost"</th>
                            <th scope="col" class="num" title="What the figures of the period shown carry of the cost">"This period"</th>
                            <th scope="col"><span class="visually-hidden">"Edit or remove"</span></th>
                        </tr></thead>
                        <tbody>{list}</tbody>
                    </table>
                </div>
            </Show>
            <form class="inline-form" data-testid="custom-cost-form" on:submit=save>
                {cost_field(fixed("Name"), "cost_name", "name", "text", draft.name, always, errors)}
                {cost_select(
                    "Counts in",
                    "cost_layer",
                    vec![("marketing", "Marketing (CM2)"), ("overhead", "Overhead (net profit)")],
                    draft.layer,
                    always,
                )}
                {cost_select("Kind", "cost_kind", COST_KINDS.to_vec(), draft.kind, always)}
                {cost_field(
                    Signal::derive(move || match draft.kind.get().as_str() {
                        "weekly" => "Amount a week",
                        "daily" => "Amount a day",
                        "one_time" => "Amount",
                        _ => "Amount a month",
                    }),
                    "cost_amount",
                    "amount",
                    "decimal",
                    draft.amount,
                    kind_is(&["monthly", "weekly", "daily", "one_time"]),
                    errors,
                )}
                {cost_field(fixed("From (optional)"), "cost_from", "from", "date", draft.from, kind_is(&["monthly", "weekly", "daily"]), errors)}
                {cost_field(fixed("To (optional)"), "cost_to", "to", "date", draft.to, kind_is(&["monthly", "weekly", "daily"]), errors)}
                {cost_field(fixed("Date"), "cost_date", "date", "date", draft.date, kind_is(&["one_time"]), errors)}
                {cost_field(fixed("Percent (%)"), "cost_percent", "percent", "decimal", draft.percent, kind_is(&["percent"]), errors)}
                {cost_select("Of", "cost_of", COST_BASES.into_iter().map(|b| (b.key(), base_label(b))).collect(), draft.of, kind_is(&["percent"]))}
                <button type="submit" class="button secondary" data-testid="cost-save">
                    {move || if editing.get().is_some() { "Save cost" } else { "Add cost" }}
                </button>
                <button type="button" class="button secondary" data-testid="cost-cancel" style:display=move || if editing.get().is_some() { "" } else { "none" } on:click=cancel>"Cancel"</button>
            </form>
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn cost(rule: CostRule) -> CustomCost {
        CustomCost {
            name: "Rent".into(),
            layer: CostLayer::Overhead,
            rule,
        }
    }

    #[test]
    fn the_engines_range_check_is_shown_next_to_its_field() {
        let monthly = |amount, from: Option<&str>, to: Option<&str>| {
            cost(CostRule::Monthly {
                amount,
                from: from.and_then(|d| d.parse().ok()),
                to: to.and_then(|d| d.parse().ok()),
            })
        };
        assert_eq!(engine_check(&monthly(dec!(3100), None, None)), None);
        assert_eq!(
            engine_check(&monthly(dec!(-1), None, None)),
            Some((
                "amount",
                "Amount is -1: a custom cost cannot be negative.".to_string()
            ))
        );
        let (field, why) =
            engine_check(&monthly(dec!(3100), Some("2026-05-10"), Some("2026-05-01")))
                .unwrap_or_default();
        assert_eq!(field, "to");
        assert!(why.starts_with("To is 2026-05-01, before its first day 2026-05-10"));
        let percent = cost(CostRule::Percent {
            percent: dec!(1500),
            of: CostBase::AdSpend,
        });
        assert_eq!(engine_check(&percent).map(|e| e.0), Some("percent"));
        // A number beyond a money cell's range is read, for the engine to name it.
        assert_eq!(
            parse_number("10,000,000,000,000"),
            Ok(Some(dec!(10000000000000)))
        );
        assert_eq!(parse_number("$3,100.00"), Ok(Some(dec!(3100.00))));
        assert_eq!(parse_number("10%"), Ok(Some(dec!(10))));
        assert_eq!(parse_number("ten"), Err(()));
        assert_eq!(
            engine_check(&monthly(dec!(10000000000000), None, None)).map(|e| e.0),
            Some("amount")
        );
    }

    #[test]
    fn a_cost_reads_as_a_seller_says_it() {
        use margin_engine::money::Currency;
        let c = Currency::USD;
        assert_eq!(
            cost_text(
                &CostRule::Monthly {
                    amount: dec!(3100),
                    from: "2026-05-10".parse().ok(),
                    to: None
                },
                c
            ),
            "$3,100.00 a month, from 2026-05-10"
        );
        assert_eq!(
            cost_text(
                &CostRule::Percent {
                    percent: dec!(10.0),
                    of: CostBase::AdSpend
                },
                c
            ),
            "10 % of Ad spend"
        );
    }
}
