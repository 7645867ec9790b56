//! The Overview (seed 000's command center): the period at a glance (KPI tiles against the previous
//! period), trends over the whole period, GMV → cash, the SKUs ranked by CM2 and the alerts.

use super::{NoData, PeriodBar, currency, figures};
use crate::charts::{LineChart, Series, StackedBarChart, StepKind, WaterfallChart, WaterfallStep};
use crate::format;
use crate::protocol::Computed;
use crate::route::{Preset, Route, View};
use crate::state::State;
use crate::table::{self, DataTable, Field, Hook, Kind, Value};
use leptos::prelude::*;
use margin_engine::alerts::Rule;
use margin_engine::metric;
use margin_engine::metrics::TrendStep;
use margin_engine::metrics::{Figures, SkuFigures};
use margin_engine::registry::Figure;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// The Overview's KPI tiles, in order: registry figures (docs/metrics.md), so each tile's hook
/// (`data-kpi`), label, unit and which direction of change is good come from the registry entry.
/// Free samples sit beside CM2: they lower it with no sale of their own (issue 19).
pub(crate) const TILES: [&Figure; 16] = [
    metric!(FIGURES, "net_sales"),
    metric!(FIGURES, "orders"),
    metric!(FIGURES, "aov"),
    metric!(FIGURES, "cm2"),
    metric!(FIGURES, "cm2_pct"),
    metric!(FIGURES, "sample_cost"),
    metric!(FIGURES, "sample_units"),
    metric!(FIGURES, "blended_cpo"),
    metric!(FIGURES, "return_rate"),
    metric!(FIGURES, "affiliate_share"),
    metric!(FIGURES, "gmv"),
    metric!(FIGURES, "net_revenue"),
    metric!(FIGURES, "gross_profit"),
    metric!(FIGURES, "gross_margin_pct"),
    metric!(FIGURES, "units_sold"),
    metric!(FIGURES, "net_profit"),
];

/// A KPI tile: its figure, the value as shown, and the change vs the previous period (text, whether it
/// went up).
struct Tile {
    metric: &'static Figure,
    value: String,
    change: Option<(String, bool)>,
}

fn tiles(c: &Computed) -> Vec<Tile> {
    let t = &c.analysis.totals;
    let prev = c.previous.as_ref().map(|p| &p.totals);
    // The affiliate share joins two exports: it is read over the days both cover (docs/metrics.md §9).
    let share = metric!(FIGURES, "affiliate_share");
    TILES
        .iter()
        .map(|&m| {
            let now = if std::ptr::eq(m, share) {
                share_base(&c.analysis)
            } else {
                t
            };
            Tile {
                metric: m,
                value: Value::of(m.value(now)).text(Kind::of(m.unit), c.currency),
                change: m
                    .amount(now)
                    .and_then(|n| format::change(n, prev.and_then(|p| m.amount(p)))),
            }
        })
        .collect()
}

/// The totals the affiliate share is computed on: over the days both the Orders and the Affiliate
/// exports cover, when the engine says the period has others (docs/metrics.md §9).
fn share_base(a: &margin_engine::metrics::Analysis) -> &Figures {
    a.cross_totals.as_ref().unwrap_or(&a.totals)
}

#[component]
pub fn OverviewView() -> impl IntoView {
    let state = expect_context::<State>();
    let f = figures(state);
    let has = move || f.with(|c| c.as_ref().is_some_and(|c| c.analysis.totals.lines > 0));
    // The charts are drawn a task after the tiles and tables, so no single task draws the whole view.
    let charts_ready = RwSignal::new(false);
    request_animation_frame(move || {
        set_timeout(move || charts_ready.set(true), std::time::Duration::ZERO)
    });
    view! {
        <PeriodBar />
        <Show when=has fallback=|| view! { <NoData /> }>
            // On paper the shop's name heads the page (its switcher, listing the other shops, is not printed).
            <h2 class="print-only" data-testid="print-shop">
                {move || f.with(|c| c.as_ref().and_then(|c| c.shop.clone()).unwrap_or_default())}
            </h2>
            <section class="kpis" aria-label="The period at a glance">
                {move || f.with(|c| c.as_ref().map(|c| kpi_tiles(c)))}
            </section>
            {move || f.with(|c| c.as_ref().and_then(|c| super::coverage::coverage_strips(c)))}
            <div class="overview-grid">
                {move || charts_ready.get().then(|| f.with(|c| c.as_ref().map(|c| (trends(c), waterfall(c)))))}
            </div>
            <section aria-labelledby="rank-h">
                <div class="section-head">
                    <h2 id="rank-h">"SKUs by contribution margin (CM2)"</h2>
                    <button type="button" class="button secondary" data-testid="export-json" on:click=move |_| state.export_report()>
                        "Export report (JSON)"
                    </button>
                    <button type="button" class="button secondary" data-testid="client-report" on:click=move |_| state.client_report()>
                        "Client report (HTML)"
                    </button>
                    <button type="button" class="button secondary" data-testid="print" on:click=move |_| {
                        if let Some(w) = web_sys::window() {
                            let _ = w.print();
                        }
                    }>
                        "Print"
                    </button>
                </div>
                <RankedSkus />
            </section>
            <section aria-labelledby="alerts-h">
                <h2 id="alerts-h">"Alerts"</h2>
                {move || f.with(|c| c.as_ref().map(|c| alerts(c, state)))}
            </section>
        </Show>
    }
}

fn kpi_tiles(c: &Computed) -> impl IntoView + use<> {
    let prev = c
        .previous
        .as_ref()
        .map(|p| format!("vs {} – {}", p.from, p.to));
    let warn = c.analysis.totals.cost_missing();
    let samples = samples_note(c);
    view! {
        <div class="tiles">
            {tiles(c)
                .into_iter()
                .map(|t| {
                    let delta = t.change.map(|(text, up)| {
                        // Coloured by whether the change is good news; a neutral figure is not coloured.
                        let class = match t.metric.higher_is_better() {
                            Some(higher) if up == higher => "tile-delta up",
                            Some(_) => "tile-delta down",
                            None => "tile-delta",
                        };
                        view! {
                            <span class=class title=prev.clone()>
                                {if up { "▲ " } else { "▼ " }}{text}
                            </span>
                        }
                    });
                    view! {
                        <div class="tile">
                            <span class="tile-label" title=t.metric.plain_definition()>{t.metric.label}</span>
                            <span class="tile-value" data-kpi=t.metric.key>{t.value}</span>
                            {delta}
                        </div>
                    }
                })
                .collect_view()}
        </div>
        <p class="muted small">
            {prev.map_or_else(
                || "No earlier orders loaded to compare with: load the previous period's Orders export to see changes.".to_string(),
                |p| format!("Changes are {p}, the period of equal length before."),
            )}
        </p>
        {samples}
        {notes(c)}
        <Show when=move || warn>
            <p class="notice" data-testid="cost-missing">
                "Some SKUs have no unit cost yet: their COGS counts as 0, so margins are overstated. "
                <a href="#/skus?skus.sort=unit_cost:asc">"Enter the costs in the SKUs view"</a>
            </p>
        </Show>
    }
}

/// The report's notes on these figures (what is missing, what was left out, what was updated), in
/// the engine's words — except the two the Overview already says in place (no comparison, SKUs without
/// a unit cost).
fn notes(c: &Computed) -> Option<impl IntoView + use<>> {
    let shown_elsewhere = |w: &str| {
        w.starts_with("no comparison with the previous period") || w.contains("have no unit cost")
    };
    let notes: Vec<String> = c
        .report
        .warnings
        .iter()
        .filter(|w| !shown_elsewhere(w))
        .map(|w| {
            let mut t = w.clone();
            if let Some(first) = t.get(..1) {
                let up = first.to_uppercase();
                t.replace_range(..1, &up);
            }
            t
        })
        .collect();
    (!notes.is_empty()).then(|| {
        view! {
            <details class="notes" data-testid="warnings" open=true>
                <summary>{format!("{} note{} on these figures", notes.len(), if notes.len() == 1 { "" } else { "s" })}</summary>
                <ul>{notes.into_iter().map(|n| view! { <li data-warning="">{n}</li> }).collect_view()}</ul>
            </details>
        }
    })
}

/// When free samples went out in the period: how many units and what they cost, as CM2 counts them.
fn samples_note(c: &Computed) -> Option<impl IntoView + use<>> {
    let t = &c.analysis.totals;
    let units = metric!(FIGURES, "sample_units");
    let cost = metric!(FIGURES, "sample_cost");
    if t.sample_units == 0 {
        return None;
    }
    let show = |m: &Figure| Value::of(m.value(t)).text(Kind::of(m.unit), c.currency);
    let n = show(units);
    let plural = if t.sample_units == 1 { "unit" } else { "units" };
    Some(view! {
        <p class="muted small" data-testid="samples-note">
            {format!("Free samples: {n} {plural} sent, costing {} (unit cost and sample shipping). CM2 counts them as marketing, so it is lower by that amount.", show(cost))}
        </p>
    })
}

/// The whole period, per day (per week beyond 90 days): net sales and CM2, orders by channel. A
/// covered day without orders is a zero; a day (or a week with a day) no export covers is a gap
/// (hatched, no line across, docs/metrics.md §9).
fn trends(c: &Computed) -> impl IntoView + use<> {
    use super::coverage::{chart_buckets, chart_coverage, covered_buckets, gaps};
    let (step, dates) = chart_buckets(c);
    let (orders_cov, joined_cov) = chart_coverage(c);
    let on = covered_buckets(&dates, orders_cov);
    let on_joined = covered_buckets(&dates, joined_cov);
    // The worker sends the analysis's days summed per bucket, keyed by the bucket's first day and
    // sorted: found by binary search (no map built per draw).
    let days = &c.analysis.days;
    let of_day = |d: &chrono::NaiveDate| {
        days.binary_search_by_key(d, |(x, _)| *x)
            .ok()
            .and_then(|i| days.get(i))
            .map(|(_, f)| f)
    };
    let weekly = step == TrendStep::Week;
    let labels: Vec<String> = dates
        .iter()
        .map(|d| {
            d.from
                .format(if weekly { "w/c %d %b" } else { "%d %b" })
                .to_string()
        })
        .collect();
    let zero = Figures::default();
    let value = |f: fn(&Figures) -> Decimal| -> Vec<Option<Decimal>> {
        dates
            .iter()
            .zip(&on)
            .map(|(d, on)| on.then(|| f(of_day(&d.from).unwrap_or(&zero))))
            .collect()
    };
    let money = vec![
        Series {
            name: "Net sales".into(),
            values: value(Figures::net_sales),
            class: "s0",
        },
        Series {
            name: "CM2".into(),
            values: value(Figures::cm2),
            class: "s1",
        },
    ];
    let mut by_channel: BTreeMap<&str, Vec<Option<Decimal>>> = BTreeMap::new();
    for ((channel, day), f) in &c.analysis.channel_days {
        if let Ok(i) = dates.binary_search_by_key(day, |d| d.from)
            && on_joined.get(i).copied().unwrap_or(false)
        {
            by_channel
                .entry(channel.as_str())
                .or_insert_with(|| vec![None; dates.len()])[i] = Some(Decimal::from(f.orders));
        }
    }
    let money_gaps = gaps(&dates, &on, "No Orders export covers");
    let channel_gaps = gaps(
        &dates,
        &on_joined,
        if joined_cov == orders_cov {
            "No Orders export covers"
        } else {
            "Not covered by both the Orders and the Affiliate exports:"
        },
    );
    let classes = ["s0", "s1", "s2", "s3", "s4", "s5"];
    let orders: Vec<Series> = by_channel
        .into_iter()
        .enumerate()
        .map(|(i, (name, values))| Series {
            name: name.to_string(),
            values,
            class: classes[i % classes.len()],
        })
        .collect();
    let span = match (dates.first(), dates.last()) {
        (Some(a), Some(b)) => format!("{} to {}", a.from, b.to),
        _ => String::new(),
    };
    let per = if weekly { "week" } else { "day" };
    let each = if weekly {
        "order week (Monday to Sunday)"
    } else {
        "order date"
    };
    view! {
        <section class="chart-card" aria-label="Trends">
            <LineChart
                title=format!("Net sales and CM2 per {per}")
                desc=format!("Net sales and contribution margin (CM2) per {each}, {span}.")
                x_labels=labels.clone()
                series=money
                currency=c.currency
                testid="trend-money"
                gaps=money_gaps
            />
        </section>
        <section class="chart-card" aria-label="Orders by channel">
            <StackedBarChart
                title=format!("Orders per {per} by channel")
                desc=format!("Orders per {each}, split by channel (affiliate content type, or Shop), {span}.")
                x_labels=labels
                series=orders
                testid="trend-orders"
                gaps=channel_gaps
            />
        </section>
    }
}

fn waterfall(c: &Computed) -> impl IntoView + use<> {
    let steps: Vec<WaterfallStep> = c
        .report
        .waterfall
        .steps
        .iter()
        .filter_map(|st| {
            Some(WaterfallStep {
                label: st.step.label().to_string(),
                amount: st.amount.parse().ok()?,
                kind: if st.step.is_subtotal() {
                    StepKind::Total
                } else {
                    StepKind::Delta
                },
            })
        })
        .collect();
    let cur = c.currency;
    let settlement = settlement(c);
    view! {
        <section class="chart-card" aria-label="GMV to cash">
            <WaterfallChart
                title="GMV → estimated settlement"
                desc="From GMV, less cancellations, refunds, VAT, platform fees, commission and seller shipping, to the estimated settlement."
                steps=steps
                currency=cur
                testid="waterfall"
            />
            {settlement}
        </section>
    }
}

/// When a finance export matched order lines: their actual settlement beside the waterfall's estimate
/// for the same lines, and the difference (docs/metrics.md §6), as the report rounds them.
fn settlement(c: &Computed) -> Option<impl IntoView + use<>> {
    let w = &c.report.waterfall;
    let cur = c.currency;
    let money = |s: &Option<String>| s.as_deref().and_then(|s| s.parse::<Decimal>().ok());
    let actual = money(&w.actual_settlement)?;
    let lines = metric!(FIGURES, "lines_with_actual_fees");
    let n = Value::of(lines.value(&c.analysis.totals)).text(Kind::of(lines.unit), cur);
    let amount = |d: Option<Decimal>| format::money(cur, d);
    Some(view! {
        <p class="muted small" data-testid="settlement">
            {format!("Actual settlement of the {n} matched lines: ")}
            <span class="num" data-settlement="actual">{cur.format(actual)}</span>
            "; estimated for the same lines: "
            <span class="num" data-settlement="estimated_matched">{amount(money(&w.estimated_settlement_of_matched))}</span>
            "; difference: "
            <span class="num" data-settlement="difference">{amount(money(&w.settlement_difference))}</span>
        </p>
    })
}

/// The SKUs ranked by CM2, with the layers that make it.
#[component]
fn RankedSkus() -> impl IntoView {
    let state = expect_context::<State>();
    let f = figures(state);
    let on = |m| Field::metric(m).on(|s: &SkuFigures| &s.figures);
    let fields: Vec<Field<SkuFigures>> = vec![
        Field::text("product", "Product", super::skus::sku_label),
        on(metric!(FIGURES, "net_revenue")),
        on(metric!(FIGURES, "cogs")),
        on(metric!(FIGURES, "platform_fees")),
        on(metric!(FIGURES, "affiliate_commission")),
        on(metric!(FIGURES, "fulfillment")),
        on(metric!(FIGURES, "cm1")),
        on(metric!(FIGURES, "sample_units")),
        on(metric!(FIGURES, "sample_cost")),
        on(metric!(FIGURES, "cm2")),
        on(metric!(FIGURES, "cm2_pct")),
    ];
    let columns = table::columns(&fields);
    let rows = Signal::derive(move || {
        f.with(|c| {
            c.as_ref()
                .map(|c| super::skus::sku_rows(&fields, &c.analysis.skus))
                .unwrap_or_default()
        })
    });
    view! {
        <DataTable
            name="rank"
            caption="SKUs ranked by contribution margin".to_string()
            hook=Hook::Sku
            columns=columns
            rows=rows
            currency=currency(state)
            default_sort="cm2:desc"
        />
    }
}

/// Where an alert's rows are: the view (and search) that shows them.
fn alert_link(rule: &Rule, route: &Route) -> Option<String> {
    let mut r = route.clone();
    match rule {
        Rule::NegativeCm2 { sku_id, .. } | Rule::ReturnRateSpike { sku_id, .. } => {
            r.view = View::Skus;
            r.set_param("skus.q", sku_id);
        }
        Rule::LowCreatorEfficiency { creator, .. } => {
            r.view = View::Creators;
            r.set_param("creators.q", creator);
        }
        // A week's drop is about every creator: the list unfiltered (searching it for the date, as
        // the untyped link did, showed no row).
        Rule::AffiliateDropoff { .. } => r.view = View::Creators,
        // The session's row of the Content view's LIVE table.
        Rule::LiveBenchmarkMiss { session, .. } => {
            r.view = View::Content;
            r.set_param("live.q", session);
        }
        Rule::CpoDeterioration { day, .. } => {
            r.view = View::Overview;
            r.preset = Preset::Custom;
            r.from = Some(*day);
            r.to = Some(*day);
        }
    }
    Some(r.to_hash())
}

fn alerts(c: &Computed, state: State) -> impl IntoView + use<> {
    let route = state.route.get_untracked();
    let items = c
        .report
        .alerts
        .alerts
        .iter()
        .map(|a| {
            let rows = &a.rows;
            let shown = rows.iter().take(8).cloned().collect::<Vec<_>>().join(", ");
            let more = rows.len().saturating_sub(8);
            let link = alert_link(&a.rule, &route);
            let rows_text = match (rows.is_empty(), more) {
                (true, _) => String::new(),
                (false, 0) => format!("Rows: {shown}"),
                (false, n) => format!("Rows: {shown} and {n} more"),
            };
            view! {
                <li class="alert" data-alert=a.rule.kind().key()>
                    <span class="alert-message">{a.message.clone()}</span>
                    {link.map(|href| view! { <a class="alert-link" href=href>"Show the rows"</a> })}
                    <span class="muted small alert-rows">{rows_text}</span>
                </li>
            }
        })
        .collect_view();
    let needs = c
        .report
        .alerts
        .unavailable
        .iter()
        .map(|u| view! { <li class="muted small">{format!("{}: needs {}", u.rule.label(), u.needs)}</li> })
        .collect_view();
    let none = c
        .report
        .alerts
        .alerts
        .is_empty()
        .then(|| view! { <p class="muted">"No alert for this period."</p> });
    view! {
        {none}
        <ul class="alerts">{items}</ul>
        <details class="muted small"><summary>"Rules that need another export"</summary><ul>{needs}</ul></details>
    }
}
