//! The Overview (seed 000's command center): the period at a glance (KPI tiles against the previous
//! period), 30-day trends, GMV → cash, the SKUs ranked by CM2 and the alerts.

use super::{NoData, PeriodBar, currency, figures};
use crate::charts::{LineChart, Series, StackedBarChart, StepKind, WaterfallChart, WaterfallStep};
use crate::format;
use crate::protocol::Computed;
use crate::route::{Preset, Route, View};
use crate::state::State;
use crate::table::{Column, DataTable, Hook, Kind, Row, Value};
use leptos::prelude::*;
use margin_engine::alerts::Rule;
use margin_engine::metrics::Figures;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// A KPI tile: hook name (docs/metrics.md), label, value, change vs the previous period, and whether up
/// is good.
struct Tile {
    key: &'static str,
    label: &'static str,
    value: String,
    change: Option<(String, bool)>,
    up_is_good: bool,
}

fn tiles(c: &Computed) -> Vec<Tile> {
    let t = &c.analysis.totals;
    let cur = c.currency;
    let prev = c.previous.as_ref().map(|p| &p.totals);
    let before = |f: fn(&Figures) -> Option<Decimal>| prev.and_then(f);
    let tile = |key, label, value, now: Option<Decimal>, then: Option<Decimal>, up_is_good| Tile {
        key,
        label,
        value,
        change: now.and_then(|n| format::change(n, then)),
        up_is_good,
    };
    let pct = |p: Option<Decimal>| format::pct_points(p);
    vec![
        tile(
            "net_sales",
            "Net sales",
            cur.format(t.net_sales()),
            Some(t.net_sales()),
            before(|p| Some(p.net_sales())),
            true,
        ),
        tile(
            "orders",
            "Orders",
            format::count(t.orders as i64),
            Some(Decimal::from(t.orders)),
            before(|p| Some(Decimal::from(p.orders))),
            true,
        ),
        tile(
            "aov",
            "AOV",
            format::money(cur, t.aov()),
            t.aov(),
            before(Figures::aov),
            true,
        ),
        tile(
            "cm2",
            "CM2",
            cur.format(t.cm2()),
            Some(t.cm2()),
            before(|p| Some(p.cm2())),
            true,
        ),
        tile(
            "cm2_pct",
            "CM2 %",
            pct(t.cm2_pct()),
            t.cm2_pct(),
            before(Figures::cm2_pct),
            true,
        ),
        tile(
            "blended_cpo",
            "Blended CPO",
            format::money(cur, t.blended_cpo()),
            t.blended_cpo(),
            before(Figures::blended_cpo),
            false,
        ),
        tile(
            "return_rate",
            "Return rate",
            pct(t.return_rate_pct()),
            t.return_rate_pct(),
            before(Figures::return_rate_pct),
            false,
        ),
        tile(
            "affiliate_share",
            "Affiliate share",
            // Over the days both the Orders and the Affiliate exports cover (docs/metrics.md §9).
            pct(share_base(&c.analysis).affiliate_share_pct()),
            share_base(&c.analysis).affiliate_share_pct(),
            before(Figures::affiliate_share_pct),
            true,
        ),
        tile(
            "gmv",
            "GMV",
            cur.format(t.gmv),
            Some(t.gmv),
            before(|p| Some(p.gmv)),
            true,
        ),
        tile(
            "net_revenue",
            "Net revenue",
            cur.format(t.net_revenue()),
            Some(t.net_revenue()),
            before(|p| Some(p.net_revenue())),
            true,
        ),
        tile(
            "gross_profit",
            "Gross profit",
            cur.format(t.gross_profit()),
            Some(t.gross_profit()),
            before(|p| Some(p.gross_profit())),
            true,
        ),
        tile(
            "gross_margin_pct",
            "Gross margin",
            pct(t.gross_margin_pct()),
            t.gross_margin_pct(),
            before(Figures::gross_margin_pct),
            true,
        ),
        tile(
            "units_sold",
            "Units sold",
            format::count(t.units_sold),
            Some(Decimal::from(t.units_sold)),
            before(|p| Some(Decimal::from(p.units_sold))),
            true,
        ),
        tile(
            "net_profit",
            "Net profit",
            cur.format(t.net_profit()),
            Some(t.net_profit()),
            before(|p| Some(p.net_profit())),
            true,
        ),
    ]
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
    view! {
        <div class="tiles">
            {tiles(c)
                .into_iter()
                .map(|t| {
                    let delta = t.change.map(|(text, up)| {
                        let good = up == t.up_is_good;
                        view! {
                            <span class=if good { "tile-delta up" } else { "tile-delta down" } title=prev.clone()>
                                {if up { "▲ " } else { "▼ " }}{text}
                            </span>
                        }
                    });
                    view! {
                        <div class="tile">
                            <span class="tile-label">{t.label}</span>
                            <span class="tile-value" data-kpi=t.key>{t.value}</span>
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
        <Show when=move || warn>
            <p class="notice" data-testid="cost-missing">
                "Some SKUs have no unit cost yet: their COGS counts as 0, so margins are overstated. "
                <a href="#/skus?skus.sort=unit_cost:asc">"Enter the costs in the SKUs view"</a>
            </p>
        </Show>
    }
}

/// The last 30 calendar days of the period: net sales and CM2 per day, orders per day by channel. A
/// covered day without orders is a zero; a day no export covers is a gap (hatched, no line across,
/// docs/metrics.md §9).
fn trends(c: &Computed) -> impl IntoView + use<> {
    use super::coverage::{chart_coverage, chart_days, covered_days, gaps};
    let dates = chart_days(c);
    let (orders_cov, joined_cov) = chart_coverage(c);
    let on = covered_days(&dates, orders_cov);
    let on_joined = covered_days(&dates, joined_cov);
    // The analysis's days come sorted by date: found by binary search (no map built per draw).
    let days = &c.analysis.days;
    let of_day = |d: &chrono::NaiveDate| {
        days.binary_search_by_key(d, |(x, _)| *x)
            .ok()
            .and_then(|i| days.get(i))
            .map(|(_, f)| f)
    };
    let labels: Vec<String> = dates
        .iter()
        .map(|d| d.format("%d %b").to_string())
        .collect();
    let zero = Figures::default();
    let value = |f: fn(&Figures) -> Decimal| -> Vec<Option<Decimal>> {
        dates
            .iter()
            .zip(&on)
            .map(|(d, on)| on.then(|| f(of_day(d).unwrap_or(&zero))))
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
        if let Some(i) = dates.iter().position(|d| d == day)
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
        (Some(a), Some(b)) => format!("{a} to {b}"),
        _ => String::new(),
    };
    view! {
        <section class="chart-card" aria-label="Trends">
            <LineChart
                title="Net sales and CM2 per day"
                desc=format!("Net sales and contribution margin (CM2) per order date, {span}.")
                x_labels=labels.clone()
                series=money
                currency=c.currency
                testid="trend-money"
                gaps=money_gaps
            />
        </section>
        <section class="chart-card" aria-label="Orders by channel">
            <StackedBarChart
                title="Orders per day by channel"
                desc=format!("Orders per order date, split by channel (affiliate content type, or Shop), {span}.")
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
    let actual = c
        .report
        .waterfall
        .actual_settlement
        .as_deref()
        .and_then(|s| s.parse::<Decimal>().ok());
    let cur = c.currency;
    view! {
        <section class="chart-card" aria-label="GMV to cash">
            <WaterfallChart
                title="GMV → estimated settlement"
                desc="From GMV, less cancellations, refunds, VAT, platform fees, commission and seller shipping, to the estimated settlement (docs/metrics.md §6)."
                steps=steps
                currency=cur
                testid="waterfall"
            />
            {actual.map(|a| view! { <p class="muted small">"Actual settlement of the orders matched to a finance export: " {cur.format(a)}</p> })}
        </section>
    }
}

/// The SKUs ranked by CM2, with the layers that make it.
#[component]
fn RankedSkus() -> impl IntoView {
    let state = expect_context::<State>();
    let f = figures(state);
    let columns = vec![
        Column::new("product", "Product", Kind::Text),
        Column::new("net_revenue", "Net revenue", Kind::Money),
        Column::new("cogs", "COGS", Kind::Money),
        Column::new("platform_fees", "Fees", Kind::Money),
        Column::new("affiliate_commission", "Commission", Kind::Money),
        Column::new("fulfillment", "Fulfilment", Kind::Money),
        Column::new("cm1", "CM1", Kind::Money),
        Column::new("cm2", "CM2", Kind::Money),
        Column::new("cm2_pct", "CM2 %", Kind::Pct),
    ];
    let rows = Signal::derive(move || {
        f.with(|c| {
            c.as_ref()
                .map(|c| {
                    c.analysis
                        .skus
                        .iter()
                        .map(|s| {
                            let x = &s.figures;
                            let m = |d: Decimal| Value::Num(Some(d));
                            Row {
                                id: s.sku_id.clone(),
                                values: vec![
                                    Value::Text(super::skus::sku_label(s)),
                                    m(x.net_revenue()),
                                    m(x.cogs),
                                    m(x.platform_fees),
                                    m(x.affiliate_commission()),
                                    m(x.fulfillment),
                                    m(x.cm1()),
                                    m(x.cm2()),
                                    Value::Num(x.cm2_pct()),
                                ],
                                warn: x.cost_missing(),
                            }
                        })
                        .collect()
                })
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
        Rule::CpoDeterioration { day, .. } | Rule::LiveBenchmarkMiss { day, .. } => {
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
