//! The Overview (seed 000's command center): the morning review (the last covered day against the day
//! before and the same weekday, the SKUs that moved, one action per team), the period at a glance (KPI
//! tiles against the previous period), trends over the whole period, GMV → cash, the SKUs ranked by CM2
//! and the alerts. The report's notes are shown where they matter (by their `kind`).

use super::{NoData, PeriodBar, currency, figures};
use crate::charts::{LineChart, Series, StackedBarChart, StepKind, WaterfallChart, WaterfallStep};
use crate::format;
use crate::protocol::Computed;
use crate::route::{Preset, Route, View};
use crate::state::State;
use crate::table::{self, DataTable, Field, Hook, Kind, Value};
use chrono::NaiveDate;
use leptos::prelude::*;
use margin_engine::alerts::{Alerts, Rule};
use margin_engine::coverage::DayRange;
use margin_engine::metric;
use margin_engine::metrics::TrendStep;
use margin_engine::metrics::{Figures, SkuFigures};
use margin_engine::money::Currency;
use margin_engine::registry::Figure;
use margin_engine::review::{
    Action, Comparison, DayFigures, Mover, MoverSet, NoteKind, Review, Source, Team,
};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// The Overview's KPI tiles, in order: registry figures (docs/metrics.md), so each tile's hook
/// (`data-kpi`), label, unit and which direction of change is good come from the registry entry.
/// Free samples sit beside CM2: they lower it with no sale of their own (issue 19). The repeat-purchase
/// rate closes the list.
pub(crate) const TILES: [&Figure; 17] = [
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
    // Buyers who ordered twice or more (buyer IDs hashed in memory, never kept): issue 17.
    metric!(FIGURES, "repeat_purchase_rate"),
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
            {move || f.with(|c| c.as_ref().map(|c| morning_review(c, state)))}
            <section class="kpis" aria-labelledby="kpis-h">
                <h2 id="kpis-h">"The period at a glance"</h2>
                {move || f.with(|c| c.as_ref().map(|c| kpi_tiles(c)))}
            </section>
            {move || f.with(|c| c.as_ref().and_then(|c| super::coverage::coverage_strips(c)))}
            <div class="overview-grid">
                {move || charts_ready.get().then(|| f.with(|c| c.as_ref().map(|c| (trends(c), waterfall(c)))))}
            </div>
            // Beside GMV → cash: what the report says about advertising (no ad spend loaded, …).
            {move || f.with(|c| c.as_ref().and_then(|c| placed_notes(c, NoteKind::Ads, "ads", "advertising")))}
            <section aria-labelledby="rank-h">
                <div class="section-head">
                    <h2 id="rank-h">"SKUs by contribution margin (CM2)"</h2>
                    <button type="button" class="button secondary" data-testid="export-json" on:click=move |_| state.export_report()>
                        "Export report (JSON)"
                    </button>
                    <button type="button" class="button secondary" data-testid="client-report" on:click=move |_| state.client_report()>
                        "Client report (HTML)"
                    </button>
                    <button type="button" class="button secondary" data-testid="export-warehouse" title="Every order line of this shop and period with its figures, as CSV with a schema file, for BigQuery, DuckDB or Spark" on:click=move |_| state.export_warehouse()>
                        "Export for your warehouse"
                    </button>
                    <button type="button" class="button secondary" data-testid="print" on:click=move |_| {
                        if let Some(w) = web_sys::window() {
                            let _ = w.print();
                        }
                    }>
                        "Print"
                    </button>
                </div>
                // Beside the ranking: SKUs without a unit cost, in the engine's words.
                {move || f.with(|c| c.as_ref().and_then(|c| placed_notes(c, NoteKind::Costs, "costs", "costs")))}
                <RankedSkus />
            </section>
            <section aria-labelledby="alerts-h" data-testid="alerts">
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

/// A note as the page writes it: the engine's words, the first letter capitalised.
fn note_text(text: &str) -> String {
    let mut t = text.to_string();
    if let Some(first) = t.get(..1) {
        let up = first.to_uppercase();
        t.replace_range(..1, &up);
    }
    t
}

/// The report's notes on these figures that no part of the page shows in place (docs/metrics.md §12
/// "Where warnings matter"): advertising notes sit beside GMV → cash, costs notes beside the SKU
/// ranking, content notes on the Content view, the missing comparison in the coverage section.
fn notes(c: &Computed) -> Option<impl IntoView + use<>> {
    let placed = [
        NoteKind::Ads,
        NoteKind::Costs,
        NoteKind::Content,
        NoteKind::Comparison,
    ];
    let notes: Vec<String> = c
        .report
        .notes
        .iter()
        .filter(|n| !placed.contains(&n.kind))
        .map(|n| note_text(&n.text))
        .collect();
    (!notes.is_empty()).then(|| {
        view! {
            <details class="notes" data-testid="warnings" data-note-kind="general" open=true>
                <summary>{format!("{} note{} on these figures", notes.len(), if notes.len() == 1 { "" } else { "s" })}</summary>
                <ul>{notes.into_iter().map(|n| view! { <li data-warning="">{n}</li> }).collect_view()}</ul>
            </details>
        }
    })
}

/// The report's notes of `kind`, placed beside the part of the page they are about (the Overview's GMV
/// → cash and SKU ranking, the Content view), headed by `title`.
pub(crate) fn placed_notes(
    c: &Computed,
    kind: NoteKind,
    key: &'static str,
    title: &'static str,
) -> Option<impl IntoView + use<>> {
    let notes: Vec<String> = c
        .report
        .notes
        .iter()
        .filter(|n| n.kind == kind)
        .map(|n| note_text(&n.text))
        .collect();
    (!notes.is_empty()).then(|| {
        view! {
            <div class="notes small" data-testid="warnings" data-note-kind=key aria-label=format!("Notes: {title}")>
                <ul class="warnings">{notes.into_iter().map(|n| view! { <li data-warning="">{n}</li> }).collect_view()}</ul>
            </div>
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

/// `r` showing the days `from`–`to`.
fn set_period(r: &mut Route, from: NaiveDate, to: NaiveDate) {
    r.preset = Preset::Custom;
    r.from = Some(from);
    r.to = Some(to);
}

/// Where an alert's rows are: the view (and search) that shows them, over the days the rule looked at
/// (its own window, anchored at `alerts.as_of`, not the period shown), so the rows are there.
fn alert_link(rule: &Rule, route: &Route) -> Option<String> {
    let mut r = route.clone();
    match rule {
        Rule::NegativeCm2 {
            sku_id, from, to, ..
        } => {
            r.view = View::Skus;
            r.set_param("skus.q", sku_id);
            set_period(&mut r, *from, *to);
        }
        // The SKU's lines are those of the days shipped (by request time, a week before the requests)
        // and of the requests' days: the period spans both.
        Rule::ReturnRateSpike {
            sku_id,
            from,
            to,
            shipped_from,
            shipped_to,
            ..
        } => {
            r.view = View::Skus;
            r.set_param("skus.q", sku_id);
            set_period(&mut r, (*from).min(*shipped_from), (*to).max(*shipped_to));
        }
        Rule::LowCreatorEfficiency {
            creator, from, to, ..
        } => {
            r.view = View::Creators;
            r.set_param("creators.q", creator);
            set_period(&mut r, *from, *to);
        }
        // A drop is about every creator of the two weeks compared: the list unfiltered over those 14 days.
        Rule::AffiliateDropoff { week_to, .. } => {
            r.view = View::Creators;
            r.set_param("creators.q", "");
            let from = week_to.checked_sub_days(chrono::Days::new(13))?;
            set_period(&mut r, from, *week_to);
        }
        // The session's row of the Content view's LIVE table, over the days of the benchmark: the
        // table marks it "Below" as the alert does.
        Rule::LiveBenchmarkMiss {
            session, from, to, ..
        } => {
            r.view = View::Content;
            r.set_param("live.q", session);
            set_period(&mut r, *from, *to);
        }
        Rule::CpoDeterioration { day, .. } => {
            r.view = View::Overview;
            r.set_param("rank.q", "");
            set_period(&mut r, *day, *day);
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
    let al = &c.report.alerts;
    let as_of = al.as_of.map_or_else(String::new, |d| d.to_string());
    // The rules look back from the last covered day, whatever the period.
    let when = al.as_of.map(|_| {
        view! {
            <p class="muted small" data-testid="alerts-as-of" data-date=as_of.clone()>
                {format!("As of {as_of}, the last day the Orders exports cover, each over its own window (not the period picked above).")}
            </p>
        }
    });
    let none = al.alerts.is_empty().then(|| {
        view! { <p class="muted">{if as_of.is_empty() { "No alert.".to_string() } else { format!("No alert as of {as_of}.") }}</p> }
    });
    view! {
        {when}
        {none}
        <ul class="alerts">{items}</ul>
        <details class="muted small"><summary>"Rules that need another export"</summary><ul>{needs}</ul></details>
    }
}

/// A team's name as people read it, and its hook (`data-team`, as the report's JSON names it).
fn team_name(t: Team) -> (&'static str, &'static str) {
    match t {
        Team::Content => ("Content", "content"),
        Team::MediaBuying => ("Media buying", "media_buying"),
        Team::CreatorPartnerships => ("Creator partnerships", "creator_partnerships"),
        Team::Operations => ("Operations", "operations"),
    }
}

/// "Sun 17 May" (`year`: "Sun 17 May 2026").
fn day_text(d: NaiveDate, year: bool) -> String {
    d.format(if year { "%a %-d %b %Y" } else { "%a %-d %b" })
        .to_string()
}

fn dec(s: &str) -> Option<Decimal> {
    s.parse().ok()
}

/// A change as the tiles write it: "+" before a rise.
fn signed(d: Decimal, text: String) -> String {
    if d > Decimal::ZERO {
        format!("+{text}")
    } else {
        text
    }
}

/// A change of the review (against another day, not the previous period: not a tile's `.tile-delta`),
/// its arrow coloured as the tiles colour theirs, by whether it is good news (`data-news`). The colour is
/// the arrow's SVG fill (the page's CSP allows no inline style).
fn delta(m: &Figure, change: Decimal, text: String) -> impl IntoView + use<> {
    let news = match m.higher_is_better() {
        _ if change.is_zero() => "neutral",
        Some(higher) if (change > Decimal::ZERO) == higher => "good",
        Some(_) => "bad",
        None => "neutral",
    };
    let fill = match news {
        "good" => "#0b6e4f",
        "bad" => "#b42318",
        _ => "#5b6474",
    };
    let arrow = (!change.is_zero()).then(|| {
        let shape = if change > Decimal::ZERO {
            "M5 1L9 9H1Z"
        } else {
            "M1 1H9L5 9Z"
        };
        view! {
            <svg width="10" height="10" viewBox="0 0 10 10" aria-hidden="true">
                <path d=shape fill=fill></path>
            </svg>
            " "
        }
    });
    view! { <span class="nowrap" data-news=news>{arrow}{text}</span> }
}

/// One of the review's figures: its registry entry, its value on a day, and its change against another
/// day as the report gives it (`None`: not computable, e.g. CM2 % without net revenue).
struct DayFigure {
    metric: &'static Figure,
    value: fn(&DayFigures, Currency) -> String,
    change: fn(&Comparison, Currency) -> Option<(Decimal, String)>,
}

const DAY_FIGURES: [DayFigure; 4] = [
    DayFigure {
        metric: metric!(FIGURES, "net_sales"),
        value: |d, c| format::money(c, dec(&d.net_sales)),
        change: |x, c| {
            let a = dec(&x.net_sales_change)?;
            let pct = x
                .net_sales_change_pct
                .as_deref()
                .and_then(dec)
                .map(|p| format!(" ({})", signed(p, format::pct_points(Some(p)))))
                .unwrap_or_default();
            Some((a, format!("{}{pct}", signed(a, c.format(a)))))
        },
    },
    DayFigure {
        metric: metric!(FIGURES, "orders"),
        value: |d, _| format::count(i64::try_from(d.orders).unwrap_or(i64::MAX)),
        change: |x, _| {
            let n = Decimal::from(x.orders_change);
            Some((n, signed(n, format::count(x.orders_change))))
        },
    },
    DayFigure {
        metric: metric!(FIGURES, "cm2"),
        value: |d, c| format::money(c, dec(&d.cm2)),
        change: |x, c| {
            let a = dec(&x.cm2_change)?;
            Some((a, signed(a, c.format(a))))
        },
    },
    DayFigure {
        metric: metric!(FIGURES, "cm2_pct"),
        value: |d, _| format::pct_points(d.cm2_pct.as_deref().and_then(dec)),
        change: |x, _| {
            let p = dec(x.cm2_pct_change.as_deref()?)?;
            Some((
                p,
                format!("{} pts", signed(p, format::round(p, 1).to_string())),
            ))
        },
    },
];

/// The morning review (docs/metrics.md §12): the last day the Orders exports cover against the previous
/// covered day and the same weekday a week before, the SKUs whose CM2 moved, and one action per team.
/// Every figure is the report's `review`; the same whatever period is picked.
fn morning_review(c: &Computed, state: State) -> impl IntoView + use<> {
    let r = &c.report.review;
    let route = state.route.get_untracked();
    let body = r.day.zip(r.yesterday.as_ref()).map(|(day, y)| {
        let cur = c.currency;
        let week_ago = day.checked_sub_days(chrono::Days::new(7));
        let prev_day = r.previous_day.as_ref().map(|p| p.day.date);
        // A change against another day, coloured as the tiles colour theirs; "—" where that day is not
        // covered (the line under the table says why).
        let vs = |x: Option<&Comparison>, which: &'static str, f: &DayFigure| match x
            .and_then(|x| (f.change)(x, cur))
        {
            Some((d, text)) => view! {
                <td class="num" data-review-change=which>{delta(f.metric, d, text)}</td>
            }
            .into_any(),
            None => view! { <td class="num muted" data-review-change=which>"—"</td> }.into_any(),
        };
        let rows = DAY_FIGURES
            .iter()
            .map(|f| {
                view! {
                    <tr data-review-figure=f.metric.key>
                        <th class="row-name" title=f.metric.plain_definition()>{f.metric.label}</th>
                        <td class="num" data-review=f.metric.key>{(f.value)(y, cur)}</td>
                        {vs(r.previous_day.as_ref(), "previous_day", f)}
                        {vs(r.same_weekday.as_ref(), "same_weekday", f)}
                    </tr>
                }
            })
            .collect_view();
        let head = |d: Option<NaiveDate>, none: &str| {
            d.map_or_else(|| none.to_string(), |d| format!("vs {}", day_text(d, false)))
        };
        let table = view! {
            <div class="table-wrap">
                <table class="data-table compact" data-testid="review-days">
                    <caption class="visually-hidden">"Yesterday against the previous covered day and the same weekday a week before"</caption>
                    <thead>
                        <tr>
                            <th>""</th>
                            <th class="num" title="The last day the Orders exports cover">{day_text(day, false)}</th>
                            <th class="num" title="Change against the previous day the Orders exports cover">{head(prev_day, "vs the day before")}</th>
                            <th class="num" title="Change against the same weekday a week before">{head(week_ago, "vs a week before")}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        };
        // What each column is against, and why a column is "—".
        let prev_text = prev_day.map_or_else(
            || "Not compared with an earlier day: the Orders exports cover none in the year before (load an earlier Orders export).".to_string(),
            |d| format!("Compared with {}, the previous day the Orders exports cover.", day_text(d, true)),
        );
        let week_text = match (r.same_weekday.as_ref(), week_ago) {
            (Some(_), Some(d)) => format!("Compared with {}, the same weekday a week before.", day_text(d, true)),
            (None, Some(d)) => format!(
                "Not compared with {}, the same weekday a week before: no Orders export covers it.",
                day_text(d, true)
            ),
            _ => String::new(),
        };
        let left_out = (!y.not_covered_by.is_empty()).then(|| {
            let kinds: Vec<&str> = y.not_covered_by.iter().map(|k| k.label()).collect();
            view! {
                <p class="notice small" data-testid="review-not-covered">
                    {format!("{}'s CM2 leaves out the costs of the {} exports: they do not cover that day.", day_text(day, false), kinds.join(" and "))}
                </p>
            }
        });
        let movers = &r.movers;
        let day_movers = movers.day.as_ref().map_or_else(
            || view! { <p class="muted small">"No SKU movers: no earlier day to compare with."</p> }.into_any(),
            |m| {
                let title = format!("{} against {}", day_text(m.current.to, false), day_text(m.before.to, false));
                mover_lists(m, "day", title, &route, cur).into_any()
            },
        );
        let week_movers = movers.week.as_ref().map_or_else(
            || {
                view! {
                    <p class="muted small" data-testid="movers-week-none">
                        {format!(
                            "Week over week: needs Orders exports covering {}.",
                            margin_engine::coverage::ranges_text(&movers.week_uncovered)
                        )}
                    </p>
                }
                .into_any()
            },
            |m| {
                let title = format!("{} against {}", m.current, m.before);
                mover_lists(m, "week", title, &route, cur).into_any()
            },
        );
        view! {
            <p data-testid="review-day" data-date=day.to_string()>
                "Yesterday: " <strong>{day_text(day, true)}</strong>
                <span class="muted small">" — the last day the Orders exports cover, whatever the period picked."</span>
            </p>
            {table}
            <p class="muted small" data-testid="review-compared">{format!("{prev_text} {week_text}")}</p>
            {left_out}
            <h3>"SKUs that moved (CM2)"</h3>
            {day_movers}
            {week_movers}
        }
        .into_any()
    });
    let actions = actions(&r.actions, r, &c.report.alerts, &route);
    view! {
        <section class="chart-card" aria-labelledby="review-h" data-testid="review">
            <h2 id="review-h">"Morning review"</h2>
            {body.unwrap_or_else(|| view! { <p class="muted">"No order loaded: load an Orders export."</p> }.into_any())}
            <h3>"One action per team"</h3>
            {actions}
        </section>
    }
}

/// The SKUs view searched for a SKU, over `days` (where its rows are).
fn sku_link(route: &Route, sku: &str, days: DayRange) -> String {
    let mut r = route.clone();
    r.view = View::Skus;
    r.set_param("skus.q", sku);
    set_period(&mut r, days.from, days.to);
    r.to_hash()
}

/// The days a mover set compares: both stretches, so a SKU sold in either has its row.
fn both(m: &MoverSet) -> DayRange {
    DayRange::new(
        m.before.from.min(m.current.from),
        m.before.to.max(m.current.to),
    )
}

/// A mover set as two short lists: the SKUs whose CM2 rose most, and fell most.
fn mover_lists(
    m: &MoverSet,
    which: &'static str,
    title: String,
    route: &Route,
    cur: Currency,
) -> impl IntoView + use<> {
    let cm2 = metric!(FIGURES, "cm2");
    let days = both(m);
    let list = |movers: &[Mover], side: &'static str| {
        if movers.is_empty() {
            return view! { <p class="muted small">{format!("No SKU's CM2 {side}.")}</p> }
                .into_any();
        }
        let items = movers
            .iter()
            .map(|x| {
                let change = dec(&x.cm2_change).unwrap_or_default();
                let rank = match (x.rank_before, x.rank) {
                    (Some(b), Some(n)) => format!("rank {b} → {n}"),
                    (None, Some(n)) => format!("new, rank {n}"),
                    (Some(b), None) => format!("no sale (was rank {b})"),
                    (None, None) => String::new(),
                };
                let code = if x.seller_sku.is_empty() { &x.sku_id } else { &x.seller_sku };
                view! {
                    <li data-mover=x.sku_id.clone()>
                        <a href=sku_link(route, &x.sku_id, days) title=x.product_name.clone()>{code.clone()}</a>
                        " · CM2 " <span class="num" data-mover-cm2="">{format::money(cur, dec(&x.cm2))}</span>
                        {format!(" · {rank}")}
                        " · "
                        <span data-mover-change="">
                            {delta(cm2, change, signed(change, cur.format(change)))}
                            {format!(" (was {})", format::money(cur, dec(&x.cm2_before)))}
                        </span>
                    </li>
                }
            })
            .collect_view();
        view! { <ol class="small" data-testid=format!("movers-{which}-{side}")>{items}</ol> }
            .into_any()
    };
    view! {
        <div class="extremes" data-movers=which>
            <section class="chart-card">
                <h3>{format!("Risers: {title}")}</h3>
                {list(&m.risers, "rose")}
            </section>
            <section class="chart-card">
                <h3>{format!("Fallers: {title}")}</h3>
                {list(&m.fallers, "fell")}
            </section>
        </div>
    }
}

/// One line per team: the action, what triggered it, and where its rows are.
fn actions(list: &[Action], r: &Review, alerts: &Alerts, route: &Route) -> impl IntoView + use<> {
    let items = list
        .iter()
        .map(|a| {
            let (name, key) = team_name(a.team);
            let subject = a.subject.as_deref().unwrap_or_default();
            let link = match a.source {
                Source::Alert => alerts
                    .alerts
                    .iter()
                    .find(|x| Some(x.rule.kind()) == a.rule && x.subject == subject)
                    .and_then(|x| alert_link(&x.rule, route)),
                Source::Mover => [r.movers.week.as_ref(), r.movers.day.as_ref()]
                    .into_iter()
                    .flatten()
                    .find(|m| m.fallers.iter().any(|f| f.sku_id == subject))
                    .map(|m| sku_link(route, subject, both(m))),
                _ => None,
            };
            let trigger = match (a.source, a.rule) {
                (Source::Alert, Some(rule)) => format!("{} alert: ", rule.label()),
                (Source::Figure, _) => "Figure: ".to_string(),
                (Source::Mover, _) => "SKU movers: ".to_string(),
                (Source::Content, _) => "Top video: ".to_string(),
                _ => "Why: ".to_string(),
            };
            view! {
                <li class="alert" data-team=key data-urgent=a.urgent.to_string()>
                    <strong>{name}</strong>
                    {a.urgent.then(|| view! { <span class="badge">"urgent"</span> })}
                    <span class="action-text">{a.action.clone()}</span>
                    {link.map(|href| view! { <a class="alert-link" href=href>"Show the rows"</a> })}
                    <span class="muted small alert-rows">{trigger}<span class="action-why">{a.why.clone()}</span></span>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="alerts" data-testid="actions">{items}</ul> }
}
