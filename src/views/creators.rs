//! The Creators view (docs/metrics.md §5): creator P&L — orders, net revenue, return rate, commission split
//! standard / Shop Ads / bonus, net after commission, efficiency (net revenue per 1.00 of commission),
//! creator CM — the channels (content types), and the top and bottom creators by efficiency.

use super::{NoData, PeriodBar, currency, figures};
use crate::format;
use crate::state::State;
use crate::table::{Column, DataTable, Hook, Kind, Row, Value};
use leptos::prelude::*;
use margin_engine::metrics::CreatorFigures;
use rust_decimal::Decimal;

#[component]
pub fn CreatorsView() -> impl IntoView {
    let state = expect_context::<State>();
    let f = figures(state);
    let has = move || f.with(|c| c.as_ref().is_some_and(|c| !c.analysis.creators.is_empty()));
    use Kind::{Count, Money, Pct, Ratio, Text};
    let columns = move || {
        vec![
            Column::new("creator", "Creator", Text),
            Column::new("content_types", "Content", Text),
            Column::new("orders", "Orders", Count),
            Column::new("gross_sales", "Gross sales", Money).hidden(),
            Column::new("refunds", "Refunds", Money).hidden(),
            Column::new("net_revenue", "Net revenue", Money),
            Column::new("return_rate", "Return rate", Pct),
            Column::new("standard_commission", "Standard comm.", Money),
            Column::new("shop_ads_commission", "Shop Ads comm.", Money),
            Column::new("creator_bonus", "Bonus", Money).hidden(),
            Column::new("commission", "Commission", Money),
            Column::new("net_after_commission", "Net after comm.", Money),
            Column::new("efficiency", "Efficiency", Ratio),
            Column::new("cm", "Creator CM", Money),
        ]
    };
    let rows = Signal::derive(move || {
        f.with(|c| {
            c.as_ref()
                .map(|c| {
                    c.analysis
                        .creators
                        .iter()
                        .map(|cr| {
                            let x = &cr.figures;
                            let m = |d: Decimal| Value::Num(Some(d));
                            Row {
                                id: cr.creator.clone(),
                                values: vec![
                                    Value::Text(cr.creator.clone()),
                                    Value::Text(cr.content_types.join(", ")),
                                    m(Decimal::from(x.orders)),
                                    m(cr.gross_sales()),
                                    m(x.refunds),
                                    m(x.net_revenue()),
                                    Value::Num(x.return_rate_pct()),
                                    m(x.standard_commission),
                                    m(x.shop_ads_commission),
                                    m(x.creator_bonus),
                                    m(x.affiliate_commission()),
                                    m(cr.net_after_commission()),
                                    Value::Num(cr.efficiency()),
                                    m(cr.cm()),
                                ],
                                warn: false,
                            }
                        })
                        .collect()
                })
                .unwrap_or_default()
        })
    });
    let channel_columns = move || {
        vec![
            Column::new("channel", "Channel", Text),
            Column::new("orders", "Orders", Count),
            Column::new("net_revenue", "Net revenue", Money),
            Column::new("affiliate_commission", "Commission", Money),
            Column::new("cm2", "CM2", Money),
            Column::new("cm2_pct", "CM2 %", Pct),
            Column::new("return_rate", "Return rate", Pct),
        ]
    };
    let channel_rows = Signal::derive(move || {
        f.with(|c| {
            c.as_ref()
                .map(|c| {
                    c.analysis
                        .channels
                        .iter()
                        .map(|(ch, x)| Row {
                            id: ch.clone(),
                            values: vec![
                                Value::Text(ch.clone()),
                                Value::Num(Some(Decimal::from(x.orders))),
                                Value::Num(Some(x.net_revenue())),
                                Value::Num(Some(x.affiliate_commission())),
                                Value::Num(Some(x.cm2())),
                                Value::Num(x.cm2_pct()),
                                Value::Num(x.return_rate_pct()),
                            ],
                            warn: false,
                        })
                        .collect()
                })
                .unwrap_or_default()
        })
    });
    view! {
        <PeriodBar />
        // Affiliate rows on days no Orders export covers (docs/metrics.md §5, §9).
        {move || f.with(|c| c.as_ref().and_then(|c| super::coverage::excluded_note(c)))}
        <Show when=has fallback=|| view! { <NoData /> }>
            {move || f.with(|c| c.as_ref().map(|c| extremes(&c.analysis.creators)))}
            <section aria-labelledby="creators-h">
                <h2 id="creators-h">"Creator P&L"</h2>
                <p class="muted small">"Efficiency = net revenue per 1.00 of commission. Creator CM = CM1 of the creator's orders (net revenue less COGS, fees, fulfilment, shipping and returns) less their commission."</p>
                <DataTable
                    name="creators"
                    caption="Creator P&L".to_string()
                    hook=Hook::Creator
                    columns=columns()
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
                    columns=channel_columns()
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
    paid.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.creator.cmp(&b.0.creator)));
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
