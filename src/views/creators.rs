//! The Creators view (docs/metrics.md §5): creator P&L — orders, net revenue, return rate, commission split
//! standard / Shop Ads / bonus, net after commission, efficiency (net revenue per 1.00 of commission),
//! creator CM — the channels (content types), and the top and bottom creators by efficiency.

use super::{NoData, PeriodBar, currency, figures};
use crate::format;
use crate::state::State;
use crate::table::{self, DataTable, Field, Hook};
use leptos::prelude::*;
use margin_engine::metric;
use margin_engine::metrics::{CreatorFigures, Figures};
use margin_engine::sort_dyn::SortDyn;
use rust_decimal::Decimal;

#[component]
pub fn CreatorsView() -> impl IntoView {
    let state = expect_context::<State>();
    let f = figures(state);
    let has = move || f.with(|c| c.as_ref().is_some_and(|c| !c.analysis.creators.is_empty()));
    // The creator's P&L: registry figures (docs/metrics.md §5), each read through its own accessor.
    let c = |m| Field::metric(m);
    let fields: Vec<Field<CreatorFigures>> = vec![
        Field::text("creator", "Creator", |cr: &CreatorFigures| {
            cr.creator.clone()
        }),
        Field::text("content_types", "Content", |cr: &CreatorFigures| {
            cr.content_types.join(", ")
        }),
        c(metric!(CREATOR_FIGURES, "orders")),
        c(metric!(CREATOR_FIGURES, "gross_sales")).hidden(),
        c(metric!(CREATOR_FIGURES, "refunds")).hidden(),
        c(metric!(CREATOR_FIGURES, "net_revenue")),
        c(metric!(CREATOR_FIGURES, "return_rate")),
        c(metric!(CREATOR_FIGURES, "standard_commission")),
        c(metric!(CREATOR_FIGURES, "shop_ads_commission")),
        c(metric!(CREATOR_FIGURES, "creator_bonus")).hidden(),
        c(metric!(CREATOR_FIGURES, "commission")),
        c(metric!(CREATOR_FIGURES, "net_after_commission")),
        c(metric!(CREATOR_FIGURES, "efficiency")),
        c(metric!(CREATOR_FIGURES, "cm")),
    ];
    let columns = table::columns(&fields);
    let rows = Signal::derive(move || {
        f.with(|c| {
            c.as_ref()
                .map(|c| {
                    c.analysis
                        .creators
                        .iter()
                        .map(|cr| table::row(&fields, cr.creator.clone(), cr, false))
                        .collect()
                })
                .unwrap_or_default()
        })
    });
    // A channel's figures (docs/metrics.md §2–§4), from the same registry as the SKU table.
    type Channel = (String, Figures);
    let on = |m| Field::metric(m).on(|(_, x): &Channel| x);
    let channel_fields: Vec<Field<Channel>> = vec![
        Field::text("channel", "Channel", |(ch, _): &Channel| ch.clone()),
        on(metric!(FIGURES, "orders")),
        on(metric!(FIGURES, "net_revenue")),
        on(metric!(FIGURES, "affiliate_commission")),
        on(metric!(FIGURES, "cm2")),
        on(metric!(FIGURES, "cm2_pct")),
        on(metric!(FIGURES, "return_rate")),
    ];
    let channel_columns = table::columns(&channel_fields);
    let channel_rows = Signal::derive(move || {
        f.with(|c| {
            c.as_ref()
                .map(|c| {
                    c.analysis
                        .channels
                        .iter()
                        .map(|ch| table::row(&channel_fields, ch.0.clone(), ch, false))
                        .collect()
                })
                .unwrap_or_default()
        })
    });
    view! {
        <PeriodBar />
        // Affiliate rows on days no Orders export covers (docs/metrics.md §5, §9).
        {move || f.with(|c| c.as_ref().and_then(|c| super::coverage::excluded_note(c)))}
        // The report's notes about creators (affiliate rows without an order line, the affiliate share's
        // days): here, where they matter, as well as on the Overview (docs/metrics.md §12).
        {move || f.with(|c| c.as_ref().and_then(|c| super::overview::placed_notes(c, margin_engine::review::NoteKind::Creators, "creators", "creators")))}
        <Show when=has fallback=|| view! { <NoData /> }>
            {move || f.with(|c| c.as_ref().map(|c| extremes(&c.analysis.creators)))}
            <section aria-labelledby="creators-h">
                <h2 id="creators-h">"Creator P&L"</h2>
                <p class="muted small">"Efficiency = net revenue per 1.00 of commission. Creator CM = CM1 of the creator's orders (net revenue less COGS, fees, fulfilment, shipping and returns) less their commission."</p>
                <DataTable
                    name="creators"
                    caption="Creator P&L".to_string()
                    hook=Hook::Creator
                    columns=columns.clone()
                    rows=rows
                    currency=currency(state)
                    default_sort="net_revenue:desc"
                />
            </section>
            <section aria-labelledby="channels-h">
                <h2 id="channels-h">"By content type"</h2>
                <DataTable
                    name="channels"
                    caption="Figures by channel".to_string()
                    hook=Hook::Channel
                    columns=channel_columns.clone()
                    rows=channel_rows
                    currency=currency(state)
                    default_sort="net_revenue:desc"
                />
            </section>
        </Show>
    }
}

/// The five most and least efficient creators (among those paid a commission).
fn extremes(creators: &[CreatorFigures]) -> impl IntoView + use<> {
    let mut paid: Vec<(&CreatorFigures, Decimal)> = creators
        .iter()
        .filter_map(|c| c.efficiency().map(|e| (c, e)))
        .collect();
    paid.sort_by_dyn(|a, b| b.1.cmp(&a.1).then_with(|| a.0.creator.cmp(&b.0.creator)));
    let list = |items: Vec<(&CreatorFigures, Decimal)>| {
        items
            .into_iter()
            .map(|(c, e)| {
                view! {
                    <li>
                        <a href=format!("#/creators?creators.q={}", urlish(&c.creator))>{c.creator.clone()}</a>
                        " " <span class="num">{format::ratio(Some(e))}</span>
                    </li>
                }
            })
            .collect_view()
    };
    let n = paid.len().min(5);
    let top = paid.iter().take(n).copied().collect::<Vec<_>>();
    let bottom = paid
        .iter()
        .rev()
        .take(n.min(paid.len().saturating_sub(n)))
        .copied()
        .collect::<Vec<_>>();
    view! {
        <div class="extremes">
            <section class="chart-card" aria-labelledby="top-h">
                <h3 id="top-h">"Most efficient creators"</h3>
                <ol data-testid="top-creators">{list(top)}</ol>
            </section>
            <section class="chart-card" aria-labelledby="bottom-h">
                <h3 id="bottom-h">"Least efficient creators"</h3>
                <ol data-testid="bottom-creators">{list(bottom)}</ol>
            </section>
        </div>
    }
}

/// A creator handle safe in a hash link (handles are letters, digits, `_` and `.`; anything else is
/// percent-encoded).
fn urlish(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
