//! The Portfolio (issue 15, docs/metrics.md §10): the agency's first screen when the files make several
//! shops. One row per shop over the period, each in its own currency (never added across shops), with
//! its change against the previous period where covered, coverage, alerts and a sparkline; a click
//! opens every view on that shop; two shops compared side by side.

use super::{NoData, PeriodBar, figures};
use crate::protocol::ShopRow;
use crate::route::{SHOP_PARAM, View};
use crate::state::State;
use crate::table::{Kind, Value};
use crate::{format, route::Route};
use leptos::prelude::*;
use margin_engine::metric;
use margin_engine::metrics::Figures;
use margin_engine::registry::Figure;
use margin_engine::sort_dyn::SortDyn;
use rust_decimal::prelude::ToPrimitive;

/// The figures of a shop's row, in order (registry entries: label, unit and definition from there).
const COLUMNS: [&Figure; 7] = [
    metric!(FIGURES, "net_sales"),
    metric!(FIGURES, "orders"),
    metric!(FIGURES, "cm2"),
    metric!(FIGURES, "cm2_pct"),
    metric!(FIGURES, "blended_cpo"),
    metric!(FIGURES, "return_rate"),
    metric!(FIGURES, "affiliate_share"),
];

/// The totals a figure of a shop is read on: the affiliate share over the days both its exports
/// cover (docs/metrics.md §9), every other figure over the period.
fn base<'a>(row: &'a ShopRow, m: &Figure) -> &'a Figures {
    if std::ptr::eq(m, metric!(FIGURES, "affiliate_share")) {
        row.share_base.as_ref().unwrap_or(&row.totals)
    } else {
        &row.totals
    }
}

/// A figure of a shop as shown, in the shop's own currency.
fn shown(row: &ShopRow, m: &Figure) -> String {
    Value::of(m.value(base(row, m))).text(Kind::of(m.unit), row.currency)
}

/// Opens `view` on `shop` (the figures follow the shop; its currency is the route's too).
fn open(state: State, row: &ShopRow, view: View) {
    let (key, code) = (row.key.clone(), row.currency.code().to_string());
    state.route.update(|r: &mut Route| {
        r.set_param(SHOP_PARAM, &key);
        r.currency = Some(code);
        r.view = view;
    });
}

/// A line through the shop's net sales per day (per week beyond 90 days), scaled to its own range:
/// its shape, not its amounts (those are in the row). A stretch no Orders export covers breaks the
/// line (one polyline per covered run), as in the Overview's trends.
fn sparkline(values: &[Option<rust_decimal::Decimal>]) -> impl IntoView + use<> {
    let (w, h) = (96.0_f64, 24.0_f64);
    let ys: Vec<Option<f64>> = values
        .iter()
        .map(|v| v.map(|v| v.to_f64().unwrap_or(0.0)))
        .collect();
    let lo = ys.iter().flatten().copied().fold(f64::INFINITY, f64::min);
    let hi = ys
        .iter()
        .flatten()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    let span = if hi > lo { hi - lo } else { 1.0 };
    let step = if ys.len() > 1 {
        w / (ys.len() - 1) as f64
    } else {
        0.0
    };
    let mut runs: Vec<String> = Vec::new();
    let mut run = String::new();
    for (i, y) in ys.iter().enumerate() {
        match y {
            Some(y) => {
                if !run.is_empty() {
                    run.push(' ');
                }
                run += &format!(
                    "{:.1},{:.1}",
                    i as f64 * step,
                    h - 2.0 - (y - lo) / span * (h - 4.0)
                );
            }
            None if !run.is_empty() => runs.push(std::mem::take(&mut run)),
            None => {}
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    view! {
        <svg class="sparkline" viewBox=format!("0 0 {w} {h}") width="96" height="24" aria-hidden="true">
            {runs.into_iter().map(|points| view! { <polyline points=points /> }).collect_view()}
        </svg>
    }
}

#[component]
pub fn PortfolioView() -> impl IntoView {
    let state = expect_context::<State>();
    let f = figures(state);
    let rows =
        Memo::new(move |_| f.with(|c| c.as_ref().map(|c| c.shops.clone()).unwrap_or_default()));
    let current = Memo::new(move |_| f.with(|c| c.as_ref().and_then(|c| c.shop_key.clone())));
    let sort = Memo::new(move |_| {
        state.route.with(|r| match r.param("portfolio.sort") {
            "" => "net_sales:desc".to_string(),
            s => s.to_string(),
        })
    });
    let ordered = move || {
        let mut rs = rows.get();
        let s = sort.get();
        let (key, dir) = s.split_once(':').unwrap_or((s.as_str(), "desc"));
        if key == "shop" {
            rs.sort_by_key_dyn(|r| r.name.to_lowercase());
        } else if let Some(m) = COLUMNS.iter().find(|m| m.key == key) {
            // Figures that cannot be computed go last either way.
            rs.sort_by_dyn(|a, b| {
                let (x, y) = (m.amount(base(a, m)), m.amount(base(b, m)));
                y.is_some().cmp(&x.is_some()).then(x.cmp(&y))
            });
        }
        if dir == "desc" {
            rs.reverse();
            // Keep the rows without a value last.
            if let Some(m) = COLUMNS.iter().find(|m| m.key == key) {
                rs.sort_by_key_dyn(|r| m.amount(base(r, m)).is_none());
            }
        }
        rs
    };
    let header = move |key: &'static str, label: &'static str, title: String| {
        let aria = move || {
            let s = sort.get();
            match s.split_once(':') {
                Some((k, "asc")) if k == key => "ascending",
                Some((k, _)) if k == key => "descending",
                _ => "none",
            }
        };
        view! {
            <th scope="col" aria-sort=aria title=title data-col=key>
                <button type="button" class="link" on:click=move |_| {
                    let now = sort.get_untracked();
                    let next = if now == format!("{key}:desc") { format!("{key}:asc") } else { format!("{key}:desc") };
                    state.route.update(|r| r.set_param("portfolio.sort", &next));
                }>{label}</button>
            </th>
        }
    };
    let table = move || {
        view! {
            <div class="table-wrap">
                <table class="data-table portfolio" data-table="portfolio">
                    <caption class="visually-hidden">"Shops side by side, each in its own currency"</caption>
                    <thead>
                        <tr>
                            {header("shop", "Shop", "The shop's name and currency: amounts are in each shop's own currency and are never added across shops.".to_string())}
                            {COLUMNS.iter().map(|m| header(m.key, m.label, m.plain_definition())).collect_view()}
                            <th scope="col" title="Net sales against the previous period of the same length, where the shop's Orders exports cover both">"Change"</th>
                            <th scope="col" title="Days of the period the shop's Orders exports cover">"Coverage"</th>
                            <th scope="col" title="Alerts that fired for the shop in the period">"Alerts"</th>
                            <th scope="col" title="Net sales per day over the period">"Trend"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {ordered()
                            .into_iter()
                            .map(|row| {
                                let name = row.name.clone();
                                let is_current = current.get().as_deref() == Some(row.key.as_str());
                                let change = format::change(
                                    row.totals.net_sales(),
                                    row.previous.as_ref().map(Figures::net_sales),
                                )
                                .map_or_else(|| "—".to_string(), |(t, _)| t);
                                let (covered, days) = row.covered_days;
                                let gap = covered < days;
                                let opened = row.clone();
                                view! {
                                    <tr data-shop=name.clone() class:current=is_current>
                                        <th scope="row" class="row-name">
                                            <button type="button" class="link" data-open-shop=name.clone()
                                                on:click=move |_| open(state, &opened, View::Overview)>
                                                {name.clone()}
                                            </button>
                                            <span class="muted small">{format!(" {} · {}", row.currency.code(), row.market)}</span>
                                        </th>
                                        {COLUMNS
                                            .iter()
                                            .map(|m| view! { <td class="num" data-metric=m.key>{shown(&row, m)}</td> })
                                            .collect_view()}
                                        <td class="num" data-metric="change">{change}</td>
                                        <td class="num" data-metric="coverage" class:warn=gap>{format!("{covered} of {days} days")}</td>
                                        <td class="num" data-metric="alerts">{row.alerts.to_string()}</td>
                                        <td>{sparkline(&row.trend)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
    };
    view! {
        <PeriodBar />
        <Show when=move || rows.with(|r| r.len() > 1) fallback=|| view! { <NoData /> }>
            <section aria-labelledby="portfolio-h">
                <div class="section-head">
                    <h2 id="portfolio-h">"Portfolio"</h2>
                    <p class="muted small">
                        "Every shop loaded, over the period. Each shop's files are kept apart and its amounts stay in its own currency. Click a shop to open every view on it."
                    </p>
                </div>
                {table}
                <Converted />
                <Compare rows=rows />
                <Names rows=rows />
            </section>
        </Show>
    }
}

/// Two shops side by side: every Overview figure of each, in its own currency.
#[component]
fn Compare(rows: Memo<Vec<ShopRow>>) -> impl IntoView {
    let a = RwSignal::new(0usize);
    let b = RwSignal::new(1usize);
    let pick = move |which: RwSignal<usize>, testid: &'static str| {
        view! {
            <select data-input=testid on:change=move |ev| which.set(event_target_value(&ev).parse().unwrap_or(0))>
                {move || rows.get().into_iter().enumerate().map(|(i, r)| {
                    view! { <option value=i.to_string() data-shop=r.name.clone() selected=move || which.get() == i>{r.name.clone()}</option> }
                }).collect_view()}
            </select>
        }
    };
    let body = move || {
        let rs = rows.get();
        let (Some(x), Some(y)) = (rs.get(a.get()).cloned(), rs.get(b.get()).cloned()) else {
            return ().into_any();
        };
        let figures: Vec<&Figure> = super::overview::TILES.to_vec();
        view! {
            <table class="data-table compare" data-table="compare">
                <thead>
                    <tr><th scope="col">"Figure"</th><th scope="col">{x.name.clone()}</th><th scope="col">{y.name.clone()}</th></tr>
                </thead>
                <tbody>
                    {figures.into_iter().map(|m| view! {
                        <tr data-metric=m.key>
                            <th scope="row" title=m.plain_definition()>{m.label}</th>
                            <td class="num">{shown(&x, m)}</td>
                            <td class="num">{shown(&y, m)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="compare" aria-labelledby="compare-h" data-testid="compare">
            <h3 id="compare-h">"Compare two shops"</h3>
            <p class="field-row">{pick(a, "compare-a")}" with "{pick(b, "compare-b")}</p>
            {body}
        </section>
    }
}

/// The figures added up across shops: only in the reporting currency with the user's rates (Settings),
/// each row converted at the rate it names; the total is the sum of the rows as shown.
#[component]
fn Converted() -> impl IntoView {
    let state = expect_context::<State>();
    let f = figures(state);
    let cols: [&Figure; 5] = [
        metric!(FIGURES, "net_sales"),
        metric!(FIGURES, "net_revenue"),
        metric!(FIGURES, "cm2"),
        metric!(FIGURES, "cm2_pct"),
        metric!(FIGURES, "orders"),
    ];
    move || {
        let Some(p) = f.with(|c| c.as_ref().and_then(|c| c.portfolio.clone())) else {
            return view! {
                <p class="muted small" data-testid="no-portfolio-total">
                    "No total across shops: amounts in different currencies are not added. Set a reporting currency and your rates in Settings to see one."
                </p>
            }
            .into_any();
        };
        let cur = p.currency;
        let cell = move |m: &Figure, t: &Figures| Value::of(m.value(t)).text(Kind::of(m.unit), cur);
        view! {
            <section class="converted" data-testid="portfolio-total" aria-labelledby="converted-h">
                <h3 id="converted-h">{format!("All shops in {}", cur.code())}</h3>
                <div class="table-wrap">
                    <table class="data-table" data-table="converted">
                        <thead><tr>
                            <th scope="col">"Shop"</th>
                            <th scope="col" title="Reporting-currency units per unit of the shop's currency, as entered in Settings">"Rate"</th>
                            {cols.iter().map(|m| view! { <th scope="col" title=m.plain_definition()>{m.label}</th> }).collect_view()}
                        </tr></thead>
                        <tbody>
                            {p.rows.iter().map(|r| view! {
                                <tr data-shop=r.shop.clone()>
                                    <th scope="row">{r.shop.clone()}</th>
                                    <td class="num" data-metric="rate">{match r.rate_from {
                                        Some(d) => format!("{} {} = {} (from {d})", 1, r.currency.code(), r.rate.normalize()),
                                        None => format!("1 {} = {}", r.currency.code(), r.rate.normalize()),
                                    }}</td>
                                    {cols.iter().map(|m| view! { <td class="num" data-metric=m.key>{cell(m, &r.totals)}</td> }).collect_view()}
                                </tr>
                            }).collect_view()}
                            <tr data-shop="total" class="total">
                                <th scope="row">"Total"</th>
                                <td></td>
                                {cols.iter().map(|m| view! { <td class="num" data-metric=m.key>{cell(m, &p.total)}</td> }).collect_view()}
                            </tr>
                        </tbody>
                    </table>
                </div>
                {(!p.left_out.is_empty()).then(|| view! {
                    <p class="notice" data-testid="left-out">{format!("Not in the total: {}.", p.left_out.join("; "))}</p>
                })}
            </section>
        }
        .into_any()
    }
}

/// The shops' names, editable: kept in the settings under each shop's key (its smallest SKU ID), so a
/// name stays with the shop across downloads and reloads.
#[component]
fn Names(rows: Memo<Vec<ShopRow>>) -> impl IntoView {
    let state = expect_context::<State>();
    let rename = move |key: String, name: String| {
        let name = name.trim().to_string();
        state.settings.update(|s| {
            s.shop_names.retain(|n| n.key != key);
            if !name.is_empty() {
                s.shop_names
                    .push(margin_engine::shops::ShopName { key, name });
            }
        });
    };
    view! {
        <details class="names" data-testid="shop-names">
            <summary>"Rename shops"</summary>
            <div class="fields">
                {move || rows.get().into_iter().map(|r| {
                    let key = r.key.clone();
                    view! {
                        <label class="field setting">
                            <span>{format!("{} · {}", r.currency.code(), r.files.join(", "))}</span>
                            <input data-input="shop-name" data-shop=r.name.clone() prop:value=r.name.clone()
                                on:change=move |ev| rename(key.clone(), event_target_value(&ev)) />
                        </label>
                    }
                }).collect_view()}
            </div>
        </details>
    }
}
