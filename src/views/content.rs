//! The Content view (docs/metrics.md §11): the LIVE sessions against the account's benchmark, the videos,
//! each piece of content's P&L (per creator and `Content ID` of the Affiliate export) and each creator's
//! products, the products' funnel by channel and the conversion by traffic source. A section without
//! data says which export brings it; the report's notes about the analytics exports head the view.
//!
//! Every figure is the engine's: the report's content entries and the analysis' content P&L. Each
//! table's fields (columns with their accessors) read those entries; the worker makes the rows with
//! them ([`tables`]) and the page shows the same fields' columns, so one row type crosses to the page
//! instead of six entry types (each type read by the page costs its own parsing code in the bundle).

use super::{NoData, PeriodBar, currency, figures};
use crate::charts::{Series, StackedBarChart};
use crate::format;
use crate::protocol::{Benchmark, Computed, ContentView as Tables, LiveChart, RowsSlice};
use crate::state::State;
use crate::table::{self, Column, DataTable, Field, Hook, Kept, Kind, Row, Value, amount};
use leptos::prelude::*;
use margin_engine::content::StatSource;
use margin_engine::content::figures::{
    LIVE_ESTIMATE_METHOD, LiveSessionEntry, ProductFunnelEntry, TrafficEntry, VideoEntry,
};
use margin_engine::metric;
use margin_engine::metrics::{Analysis, ContentFigures, CreatorProductFigures};
use margin_engine::money::Currency;
use margin_engine::report::Report;
use margin_engine::review::NoteKind;
use rust_decimal::Decimal;
use std::sync::Arc;

type Figures = Memo<Option<Arc<Computed>>>;

fn int(v: Option<i64>) -> Value {
    Value::Num(v.map(Decimal::from))
}

/// A figure column read by `get` (a plain function: one accessor type per table, not one per column).
fn col<T: 'static>(
    key: &'static str,
    label: &'static str,
    kind: Kind,
    get: fn(&T) -> Value,
) -> Field<T> {
    Field::new(Column::new(key, label, kind), move |t: &T| get(t))
}

/// A text column read by `get`.
fn text<T: 'static>(key: &'static str, label: &'static str, get: fn(&T) -> String) -> Field<T> {
    Field::new(Column::new(key, label, Kind::Text), move |t: &T| {
        Value::Text(get(t))
    })
}

fn when(t: chrono::NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

fn live_fields() -> Vec<Field<LiveSessionEntry>> {
    type S = LiveSessionEntry;
    let money = |key, label, get: fn(&S) -> Option<&str>| {
        Field::new(Column::new(key, label, Kind::Money), move |s: &S| {
            amount(get(s))
        })
    };
    vec![
        text("title", "Title", |s: &S| match s.title.trim() {
            "" => "(untitled)".to_string(),
            t => t.to_string(),
        }),
        text("start", "Start", |s: &S| when(s.start)),
        col("duration", "Duration", Kind::Duration, |s: &S| {
            if s.running {
                Value::Text("running".to_string())
            } else {
                int(s.duration_secs)
            }
        }),
        money("gmv", "GMV", |s| Some(&s.gmv)),
        col("orders", "Orders", Kind::Count, |s: &S| int(Some(s.orders))),
        col("views", "Views", Kind::Count, |s: &S| int(Some(s.views))),
        col("viewers", "Viewers", Kind::Count, |s: &S| int(s.viewers)),
        money("gmv_per_hour", "GMV / hour", |s| s.gmv_per_hour.as_deref()),
        money("gmv_per_1k_views", "GMV / 1,000 views", |s| {
            s.gmv_per_1k_views.as_deref()
        }),
        money("gmv_per_viewer", "GMV / viewer", |s| {
            s.gmv_per_viewer.as_deref()
        }),
        col("viewer_minutes", "Viewer-minutes", Kind::Count, |s: &S| {
            amount(s.viewer_minutes.as_deref())
        }),
        money("gmv_per_viewer_minute", "GMV / viewer-minute", |s| {
            s.gmv_per_viewer_minute.as_deref()
        }),
        col("ctr", "CTR", Kind::Pct, |s: &S| amount(s.ctr.as_deref())),
        col("ctor", "CTOR", Kind::Pct, |s: &S| amount(s.ctor.as_deref())),
        Field::new(
            Column::new("estimated_profit", "Est. profit", Kind::Money)
                .titled(format!("An estimate: {LIVE_ESTIMATE_METHOD}")),
            |s: &S| amount(s.estimate.as_ref().map(|e| e.profit.as_str())),
        ),
        text("below_benchmark", "Benchmark", |s: &S| {
            if s.below_benchmark { "Below" } else { "" }.to_string()
        }),
    ]
}

fn video_fields() -> Vec<Field<VideoEntry>> {
    type V = VideoEntry;
    vec![
        text("video_id", "Video ID", |v: &V| v.video_id.clone()),
        text("creator", "Creator", |v: &V| v.creator.clone()),
        text("title", "Title", |v: &V| v.title.clone()),
        text("posted", "Posted", |v: &V| {
            v.posted.map_or_else(|| format::NONE.to_string(), when)
        }),
        col("views", "Views", Kind::Count, |v: &V| int(Some(v.views))),
        col("impressions", "Impressions", Kind::Count, |v: &V| {
            int(Some(v.product_impressions))
        }),
        col("clicks", "Clicks", Kind::Count, |v: &V| {
            int(Some(v.product_clicks))
        }),
        col("ctr", "CTR", Kind::Pct, |v: &V| amount(v.ctr.as_deref())),
        col("orders", "Orders", Kind::Count, |v: &V| int(Some(v.orders))),
        col("ctor", "CTOR", Kind::Pct, |v: &V| amount(v.ctor.as_deref())),
        col("gmv", "GMV", Kind::Money, |v: &V| amount(Some(&v.gmv))),
        col(
            "gmv_per_1k_views",
            "GMV / 1,000 views",
            Kind::Money,
            |v: &V| amount(v.gmv_per_1k_views.as_deref()),
        ),
    ]
}

/// A piece of content's P&L and its video, where a loaded Video Performance List has its ID.
struct ContentRow {
    c: ContentFigures,
    video: Option<VideoEntry>,
}

fn content_fields() -> Vec<Field<ContentRow>> {
    type C = ContentRow;
    let m = |m| Field::metric(m).on(|r: &C| &r.c.figures);
    vec![
        text("content_id", "Content ID", |r: &C| {
            match r.c.content_id.as_str() {
                "" => "(no content ID)".to_string(),
                id => id.to_string(),
            }
        }),
        text("creator", "Creator", |r: &C| r.c.figures.creator.clone()),
        text("content_types", "Content type", |r: &C| {
            r.c.figures.content_types.join(", ")
        }),
        m(metric!(CREATOR_FIGURES, "orders")),
        m(metric!(CREATOR_FIGURES, "net_revenue")),
        m(metric!(CREATOR_FIGURES, "commission")),
        m(metric!(CREATOR_FIGURES, "cm")),
        m(metric!(CREATOR_FIGURES, "efficiency")),
        m(metric!(CREATOR_FIGURES, "return_rate")),
        col("views", "Views", Kind::Count, |r: &C| {
            int(r.video.as_ref().map(|v| v.views))
        }),
        col("ctr", "CTR", Kind::Pct, |r: &C| {
            amount(r.video.as_ref().and_then(|v| v.ctr.as_deref()))
        }),
    ]
}

fn creator_product_fields() -> Vec<Field<CreatorProductFigures>> {
    type P = CreatorProductFigures;
    let m = |m| Field::metric(m).on(|p: &P| &p.figures);
    vec![
        text("creator", "Creator", |p: &P| p.figures.creator.clone()),
        text("sku", "SKU", |p: &P| {
            if p.seller_sku.is_empty() {
                p.sku_id.clone()
            } else {
                p.seller_sku.clone()
            }
        }),
        text("product", "Product", |p: &P| p.product_name.clone()),
        m(metric!(CREATOR_FIGURES, "orders")),
        m(metric!(CREATOR_FIGURES, "net_revenue")),
        m(metric!(CREATOR_FIGURES, "commission")),
        m(metric!(CREATOR_FIGURES, "cm")),
    ]
}

fn funnel_fields() -> Vec<Field<ProductFunnelEntry>> {
    type F = ProductFunnelEntry;
    vec![
        text("product", "Product", |p: &F| {
            if p.product_name.is_empty() {
                p.product_id.clone()
            } else {
                p.product_name.clone()
            }
        }),
        text("channel", "Channel", |p: &F| p.channel.clone()),
        col("impressions", "Impressions", Kind::Count, |p: &F| {
            int(p.impressions)
        }),
        col("clicks", "Clicks", Kind::Count, |p: &F| int(p.clicks)),
        col("ctr", "CTR", Kind::Pct, |p: &F| amount(p.ctr.as_deref())),
        col("orders", "Orders", Kind::Count, |p: &F| int(p.orders)),
        col("ctor", "CTOR", Kind::Pct, |p: &F| amount(p.ctor.as_deref())),
        col("gmv", "GMV", Kind::Money, |p: &F| amount(p.gmv.as_deref())),
    ]
}

fn source_label(s: StatSource) -> &'static str {
    match s {
        StatSource::Shop => "Shop",
        StatSource::Live => "LIVE",
        StatSource::Video => "Video",
        StatSource::ProductCard => "Product card",
    }
}

fn traffic_fields() -> Vec<Field<TrafficEntry>> {
    type T = TrafficEntry;
    vec![
        text("source", "Source", |t: &T| {
            source_label(t.source).to_string()
        }),
        text("date", "Date", |t: &T| t.date.to_string()),
        col("visitors", "Visitors / views", Kind::Count, |t: &T| {
            int(t.visitors)
        }),
        col("orders", "Orders", Kind::Count, |t: &T| int(t.orders)),
        col("conversion", "Conversion", Kind::Pct, |t: &T| {
            amount(t.conversion.as_deref())
        }),
        col("gmv", "GMV", Kind::Money, |t: &T| amount(t.gmv.as_deref())),
    ]
}

/// The Content view's tables: name (the URL's and the worker's) and the sort when the URL has none.
const LIVE: (&str, &str) = ("live", "start:asc");
const VIDEOS: (&str, &str) = ("videos", "gmv:desc");
const CONTENTS: (&str, &str) = ("contents", "cm:desc");
const CREATOR_PRODUCTS: (&str, &str) = ("creator_products", "cm:desc");
const FUNNEL: (&str, &str) = ("funnel", "");
const TRAFFIC: (&str, &str) = ("traffic", "");

/// Sessions the LIVE chart draws at most: the latest ones (a bar per session stays readable, and
/// 10,000 bars would take the page half a second to draw).
pub const CHART_SESSIONS: usize = 60;

/// The Content view's tables of a report (in the worker): every table kept whole, and the view's
/// figures with the first rows of each (`RowsSlice`) — the worker answers the rest on request.
pub fn tables(r: &Report, a: &Analysis) -> (Tables, Vec<Kept>) {
    let mut live_missing: Vec<(&str, usize)> = Vec::new();
    for m in r.live_sessions.iter().flat_map(|s| &s.missing) {
        match live_missing.iter_mut().find(|(x, _)| x == m) {
            Some((_, n)) => *n += 1,
            None => live_missing.push((m, 1)),
        }
    }
    // `contents` of the report are the analysis' contents, in order, with their videos joined.
    let videos = r.contents.iter().map(|c| c.video.clone());
    let kept = vec![
        Kept::new(
            LIVE.0,
            LIVE.1,
            &live_fields(),
            r.live_sessions.iter().map(|s| {
                let id = format!("{} · {}", when(s.start), s.title.trim());
                (id, s, s.below_benchmark)
            }),
        ),
        Kept::new(
            VIDEOS.0,
            VIDEOS.1,
            &video_fields(),
            r.videos.iter().map(|v| (v.video_id.clone(), v, false)),
        ),
        Kept::new(
            CONTENTS.0,
            CONTENTS.1,
            &content_fields(),
            a.contents.iter().zip(videos).map(|(c, video)| {
                let id = format!("{} · {}", c.figures.creator, c.content_id);
                let c = c.clone();
                (id, ContentRow { c, video }, false)
            }),
        ),
        Kept::new(
            CREATOR_PRODUCTS.0,
            CREATOR_PRODUCTS.1,
            &creator_product_fields(),
            a.creator_products.iter().map(|p| {
                let id = format!("{} · {}", p.figures.creator, p.sku_id);
                (id, p, false)
            }),
        ),
        Kept::new(
            FUNNEL.0,
            FUNNEL.1,
            &funnel_fields(),
            r.products_funnel.iter().map(|p| {
                let id = format!("{} · {}", p.product_id, p.channel);
                (id, p, false)
            }),
        ),
        Kept::new(
            TRAFFIC.0,
            TRAFFIC.1,
            &traffic_fields(),
            r.traffic.iter().map(|t| {
                let id = format!("{} {}", source_label(t.source), t.date);
                (id, t, false)
            }),
        ),
    ];
    let live_benchmark = r.live_benchmark.as_ref().map(|b| Benchmark {
        basis: b.basis.to_string(),
        average: b.average.parse().unwrap_or(b.exact),
        threshold_pct: b.threshold_pct,
        sessions: b.sessions,
    });
    let first = |name: &str| {
        kept.iter()
            .find(|k| k.name == name)
            .map(Kept::first)
            .unwrap_or_default()
    };
    let tables = Tables {
        live: first(LIVE.0),
        live_chart: live_chart_of(&kept[0], live_benchmark.as_ref()),
        live_benchmark,
        live_missing: live_missing
            .into_iter()
            .map(|(m, n)| match n {
                1 => format!("1 session: {m}"),
                n => format!("{n} sessions: {m}"),
            })
            .collect(),
        videos: first(VIDEOS.0),
        contents: first(CONTENTS.0),
        creator_products: first(CREATOR_PRODUCTS.0),
        funnel: first(FUNNEL.0),
        traffic: first(TRAFFIC.0),
    };
    (tables, kept)
}

/// The LIVE chart of the sessions (`live`, the kept LIVE table): the latest [`CHART_SESSIONS`] by
/// start, each on the benchmark's basis — without a benchmark, per viewer when every session gives
/// viewers, else per 1,000 views.
fn live_chart_of(live: &Kept, b: Option<&Benchmark>) -> Option<LiveChart> {
    if live.rows.is_empty() {
        return None;
    }
    let at = |key: &str| live.columns.iter().position(|c| c.key == key);
    let value = |r: &Row, i: Option<usize>| match i.and_then(|i| r.values.get(i)) {
        Some(Value::Num(v)) => *v,
        _ => None,
    };
    let viewers = at("viewers");
    let basis = b.map_or_else(
        || {
            if live.rows.iter().all(|r| value(r, viewers).is_some()) {
                "gmv_per_viewer".to_string()
            } else {
                "gmv_per_1k_views".to_string()
            }
        },
        |b| b.basis.clone(),
    );
    let (on, start) = (at(&basis), at("start"));
    let start_of = |r: &Row| match start.and_then(|i| r.values.get(i)) {
        Some(Value::Text(t)) => t.clone(),
        _ => r.id.clone(),
    };
    // The latest sessions, drawn oldest first.
    let mut order: Vec<usize> = (0..live.rows.len()).collect();
    order.sort_by_cached_key(|&i| start_of(&live.rows[i]));
    let latest = &order[order.len().saturating_sub(CHART_SESSIONS)..];
    Some(LiveChart {
        basis,
        // "2026-04-01 15:44" → "04-01 15:44": the year is the period's.
        labels: latest
            .iter()
            .map(|&i| {
                let t = start_of(&live.rows[i]);
                t.get(5..).map_or_else(|| t.clone(), str::to_string)
            })
            .collect(),
        values: latest.iter().map(|&i| value(&live.rows[i], on)).collect(),
        below: latest.iter().map(|&i| live.rows[i].warn).collect(),
        sessions: live.rows.len(),
    })
}

/// A kept table's rows shown: those the table asked the worker for since the figures came, else the
/// figures' first rows.
fn slice_of(
    state: State,
    f: Figures,
    name: &'static str,
    pick: fn(&Tables) -> &RowsSlice,
) -> Memo<RowsSlice> {
    Memo::new(move |_| {
        state
            .slices
            .with(|all| all.iter().find(|(n, _)| n == name).map(|(_, s)| s.clone()))
            .or_else(|| f.with(|c| c.as_ref().map(|c| pick(&c.report.content).clone())))
            .unwrap_or_default()
    })
}

/// A section of one table, or the line saying which export brings its data.
fn table_section(
    state: State,
    (name, testid, heading): (&'static str, &'static str, &'static str),
    empty: &'static str,
    note: Option<&'static str>,
    (columns, slice): (Vec<Column>, Memo<RowsSlice>),
    default_sort: &'static str,
) -> impl IntoView {
    let rows = Signal::from(Memo::new(move |_| slice.with(|s| s.rows.clone())));
    view! {
        <section aria-labelledby=format!("{name}-h") data-testid=testid>
            <h2 id=format!("{name}-h")>{heading}</h2>
            <Show
                when=move || slice.with(|s| s.total > 0)
                fallback=move || view! { <p class="muted" data-testid=format!("{testid}-none")>{empty}</p> }
            >
                {note.map(|n| view! { <p class="muted small">{n}</p> })}
                <DataTable
                    name=name
                    caption=heading.to_string()
                    hook=Hook::Row
                    columns=columns.clone()
                    rows=rows
                    currency=currency(state)
                    default_sort=default_sort
                    kept=slice
                />
            </Show>
        </section>
    }
}

/// How the benchmark's basis reads.
fn basis_label(basis: &str) -> &'static str {
    match basis {
        "gmv_per_viewer" => "GMV per viewer",
        _ => "GMV per 1,000 views",
    }
}

/// What the benchmark is, above the LIVE table.
fn benchmark_line(b: Option<&Benchmark>, c: Currency) -> impl IntoView + use<> {
    let text = match b {
        Some(b) => format!(
            "Benchmark: {} {}, the account's average over {} sessions. A session {}% or more below it is marked \"Below\" (Settings → Alert thresholds).",
            basis_label(&b.basis),
            c.format(b.average),
            b.sessions,
            b.threshold_pct.normalize(),
        ),
        None => "No benchmark: it needs two finished sessions or more in the period.".to_string(),
    };
    view! { <p class="small" data-testid="live-benchmark">{text}</p> }
}

/// The latest sessions' values on the benchmark's basis against the account's average (the chart the
/// worker made, `LiveChart`).
fn live_chart(c: &Computed, chart: &LiveChart) -> impl IntoView + use<> {
    let b = c.report.content.live_benchmark.as_ref();
    let split = |below: bool| {
        chart
            .values
            .iter()
            .zip(&chart.below)
            .map(|(v, w)| v.filter(|_| *w == below))
            .collect::<Vec<_>>()
    };
    let series = vec![
        Series {
            name: "Session".to_string(),
            values: split(false),
            class: "s0",
        },
        Series {
            name: "Below benchmark".to_string(),
            values: split(true),
            class: "down",
        },
    ];
    let label = basis_label(&chart.basis);
    let (n, all) = (chart.labels.len(), chart.sessions);
    let which = if n < all {
        format!("each of the latest {n} of the {all} LIVE sessions")
    } else {
        format!("each of the {n} LIVE sessions")
    };
    let desc = match b {
        Some(b) => format!(
            "{label} of {which}, by start time, against the account's average of {}",
            c.currency.format(b.average)
        ),
        None => format!("{label} of {which}, by start time"),
    };
    let title = if n < all {
        format!("{label} of the latest {n} sessions")
    } else {
        format!("{label} per session")
    };
    view! {
        <StackedBarChart
            title=title
            desc=desc
            x_labels=chart.labels.clone()
            series=series
            currency=c.currency
            testid="live-chart"
            reference=b.map(|b| (b.average, "Account average".to_string()))
        />
    }
}

/// The LIVE sessions: the benchmark, the chart, the table and why some figures are "—".
fn live_section(state: State, f: Figures) -> impl IntoView {
    let columns = table::columns(&live_fields());
    let slice = slice_of(state, f, LIVE.0, |t| &t.live);
    let rows = Signal::from(Memo::new(move |_| slice.with(|s| s.rows.clone())));
    view! {
        <section aria-labelledby="live-h" data-testid="live-sessions">
            <h2 id="live-h">"LIVE sessions"</h2>
            <Show
                when=move || slice.with(|s| s.total > 0)
                fallback=|| view! {
                    <p class="muted" data-testid="live-sessions-none">
                        "Load a Creator LIVE Performance export (Analytics → LIVE → Export) to see LIVE sessions."
                    </p>
                }
            >
                {
                    move || f.with(|c| c.as_ref().map(|c| {
                        let t = &c.report.content;
                        let notes = (!t.live_missing.is_empty()).then(|| view! {
                            <ul class="muted small" data-testid="live-missing">
                                {t.live_missing.iter().map(|m| view! { <li>{m.clone()}</li> }).collect_view()}
                            </ul>
                        });
                        let chart = t.live_chart.as_ref().map(|ch| live_chart(c, ch));
                        (benchmark_line(t.live_benchmark.as_ref(), c.currency), chart, notes)
                    }))
                }
                <DataTable
                    name=LIVE.0
                    caption="LIVE sessions".to_string()
                    hook=Hook::Row
                    columns=columns.clone()
                    rows=rows
                    currency=currency(state)
                    default_sort=LIVE.1
                    kept=slice
                />
            </Show>
        </section>
    }
}

#[component]
pub fn ContentView() -> impl IntoView {
    let state = expect_context::<State>();
    let f = figures(state);
    let has = move || f.with(Option::is_some);
    let table = |columns: Vec<Column>, name, pick| (columns, slice_of(state, f, name, pick));
    let videos = table(table::columns(&video_fields()), VIDEOS.0, |t| &t.videos);
    let contents = table(table::columns(&content_fields()), CONTENTS.0, |t| {
        &t.contents
    });
    let creator_products = table(
        table::columns(&creator_product_fields()),
        CREATOR_PRODUCTS.0,
        |t| &t.creator_products,
    );
    let funnel = table(table::columns(&funnel_fields()), FUNNEL.0, |t| &t.funnel);
    let traffic = table(table::columns(&traffic_fields()), TRAFFIC.0, |t| &t.traffic);
    view! {
        <PeriodBar />
        <Show when=has fallback=|| view! { <NoData /> }>
            <div class="content-view">
            // The report's notes about the analytics exports (records a newer export replaced).
            {move || f.with(|c| c.as_ref().and_then(|c| super::overview::placed_notes(c, NoteKind::Content, "content", "content")))}
            {live_section(state, f)}
            {table_section(
                state,
                ("videos", "videos", "Videos"),
                "Load a Video Performance List export (Analytics → Video → Export) to see videos.",
                None,
                videos.clone(),
                VIDEOS.1,
            )}
            {table_section(
                state,
                ("contents", "contents", "Content ranked by CM"),
                "Load an Affiliate orders export with the Orders export of the same days to see each piece of content's P&L.",
                Some("Each creator's P&L per piece of content (the Affiliate export's Content ID): a creator's rows add up to their row of the Creators view. Views and CTR are the video's, where a Video Performance List has it."),
                contents.clone(),
                CONTENTS.1,
            )}
            {table_section(
                state,
                ("creator_products", "creator-products", "Creator × product"),
                "Load an Affiliate orders export with the Orders export of the same days to see what each creator sold of each product.",
                None,
                creator_products.clone(),
                CREATOR_PRODUCTS.1,
            )}
            {table_section(
                state,
                ("funnel", "funnel", "Funnel by channel"),
                "Load a Product analytics export (Analytics → Product → Export) to see each product's impressions, clicks and orders by channel.",
                None,
                funnel.clone(),
                FUNNEL.1,
            )}
            {table_section(
                state,
                ("traffic", "traffic", "Conversion by source"),
                "Load a Shop Analytics key metrics export, or LIVE, video or product card core stats (Analytics → … → Export), to see conversion by traffic source.",
                None,
                traffic.clone(),
                TRAFFIC.1,
            )}
            </div>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use margin_engine::content::figures::LiveEstimate;
    use rust_decimal_macros::dec;

    fn session(running: bool) -> LiveSessionEntry {
        let s = |v: &str| Some(v.to_string());
        LiveSessionEntry {
            title: " PROVADOR REAL ".to_string(),
            start: chrono::NaiveDate::from_ymd_opt(2026, 4, 10)
                .unwrap()
                .and_hms_opt(16, 9, 0)
                .unwrap(),
            duration_secs: (!running).then_some(13832),
            running,
            gmv: "5559.45".to_string(),
            direct_gmv: None,
            orders: 74,
            items: 80,
            customers: 60,
            views: 13792,
            viewers: Some(10501),
            gmv_per_hour: s("1446.94"),
            gmv_per_1k_views: s("403.09"),
            gmv_per_viewer: s("0.53"),
            avg_view_secs: None,
            viewer_minutes: None,
            gmv_per_viewer_minute: None,
            product_impressions: 100,
            product_clicks: 10,
            ctr: s("10.00"),
            ctor: None,
            estimate: Some(LiveEstimate {
                method: LIVE_ESTIMATE_METHOD,
                cm1_margin: "20.00".to_string(),
                cm1: "1111.89".to_string(),
                host_cost: "100.00".to_string(),
                ads_cost: None,
                profit: "1011.89".to_string(),
            }),
            below_benchmark: true,
            missing: vec!["no average view duration: no viewer-minutes".to_string()],
        }
    }

    #[test]
    fn a_live_session_reads_as_its_columns() {
        let fields = live_fields();
        let cols = table::columns(&fields);
        let r = table::row(&fields, "id".into(), &session(false), true);
        let at = |key: &str| &r.values[cols.iter().position(|c| c.key == key).unwrap()];
        assert_eq!(at("title"), &Value::Text("PROVADOR REAL".into()));
        assert_eq!(at("start"), &Value::Text("2026-04-10 16:09".into()));
        // 13,832 s = 3 h 50 min 32 s.
        assert_eq!(at("duration").text(Kind::Duration, Currency::USD), "3:50");
        assert_eq!(at("gmv"), &Value::Num(Some(dec!(5559.45))));
        assert_eq!(at("viewers"), &Value::Num(Some(dec!(10501))));
        assert_eq!(at("viewer_minutes"), &Value::Num(None));
        assert_eq!(at("estimated_profit"), &Value::Num(Some(dec!(1011.89))));
        assert_eq!(at("below_benchmark"), &Value::Text("Below".into()));
        // A running session has no duration: it says so.
        let running = table::row(&fields, "id".into(), &session(true), false);
        let i = cols.iter().position(|c| c.key == "duration").unwrap();
        assert_eq!(running.values[i], Value::Text("running".into()));
    }
}
