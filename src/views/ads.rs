//! The Ads view (docs/metrics.md §6): ad spend against what it brought. GMV Max's reported revenue and
//! ROAS (its own attribution) beside the blended ROAS on the Orders export's net sales, the break-even
//! ROAS and the CPOs; the on/off-day incrementality estimate with its day counts and its caution; the
//! attribution assumptions; GMV Max's spend per product (what of it is charged to SKUs, what is spread)
//! and its LIVE campaigns. Without an ads export one line says which exports bring it.
//!
//! Every figure is the report's `ads`: the worker makes the rows with this view's fields ([`view`]) and
//! the page shows the same fields' columns, as the Content view does.

use super::{NoData, PeriodBar, currency, figures};
use crate::format;
use crate::protocol::{AdsView as Ads, Computed};
use crate::state::State;
use crate::table::{self, Column, DataTable, Field, Hook, Kind, Row, Value, amount, count, tiles};
use leptos::prelude::*;
use margin_engine::gmv_max::{LiveCampaignEntry, ProductAdsEntry};
use margin_engine::metric;
use margin_engine::metrics::{AdsSource, Analysis};
use margin_engine::registry::Figure;
use margin_engine::report::{AdsSection, Report};
use margin_engine::review::NoteKind;
use rust_decimal::Decimal;
use std::sync::Arc;

/// What the view says when no ad spend is loaded.
const NO_ADS: &str = "No ad spend loaded: load GMV Max's Campaign overview by day, GMV Max creative data for product \
     campaigns, GMV Max livestream data for LIVE campaigns or an Ads Manager cost export to compare ad spend with \
     what it brought.";

/// The row of the creatives rows that give no product ID.
const NO_PRODUCT_ID: &str = "(no product ID)";

/// The rules the figures follow, stated beside them.
const ASSUMPTIONS: [&str; 4] = [
    "GMV Max revenue is never added to channel or shop revenue: it is the ads export's claim (GMV Max credits \
     itself with organic and affiliate orders of the promoted products), and ad spend is a cost line of CM2.",
    "Net sales come from the Orders export only.",
    "The on/off-day estimate assumes the days differ only in spend. Only dated spend counts there (the creatives' \
     spend is on no day), and every calendar day of the period counts, with or without orders.",
    "A product's GMV Max spend is charged to its SKUs by their net sales within the product; the rest of the \
     spend is spread over the SKUs by each day's net sales.",
];

/// A column read by `get` (a plain function: one accessor type per table).
fn field<T: 'static>(column: Column, get: fn(&T) -> Value) -> Field<T> {
    Field::new(column, move |t: &T| get(t))
}

/// A column explained by `title`.
fn titled<T: 'static>(
    key: &'static str,
    label: &'static str,
    kind: Kind,
    title: &str,
    get: fn(&T) -> Value,
) -> Field<T> {
    field(Column::new(key, label, kind).titled(title), get)
}

/// A registry figure's column (its key, label, unit and definition), read from the report's `ads`.
fn registry<T: 'static>(m: &'static Figure, get: fn(&T) -> Value) -> Field<T> {
    field(
        Column::new(m.key, m.label, Kind::of(m.unit)).titled(m.plain_definition()),
        get,
    )
}

struct Summary {
    ads: AdsSection,
    reported_gross_revenue: Option<Decimal>,
}

fn tile_fields() -> Vec<Field<Summary>> {
    type S = Summary;
    vec![
        registry(metric!(FIGURES, "ad_spend"), |s: &S| {
            amount(Some(&s.ads.ad_spend))
        }),
        titled(
            "reported_gross_revenue",
            "GMV Max reported revenue",
            Kind::Money,
            "The gross revenue the ads exports credit to the ads: GMV Max's own attribution (it counts organic and \
             affiliate orders of the promoted products), a figure to compare, never added to sales",
            |s: &S| Value::Num(s.reported_gross_revenue),
        ),
        titled(
            "reported_roas",
            "Reported ROAS",
            Kind::Ratio,
            "GMV Max reported revenue ÷ Ad spend, as the ads exports attribute it",
            |s: &S| amount(s.ads.reported_roas.as_deref()),
        ),
        registry(metric!(FIGURES, "blended_roas"), |s: &S| {
            amount(s.ads.blended_roas.as_deref())
        }),
        registry(metric!(FIGURES, "break_even_roas"), |s: &S| {
            amount(s.ads.break_even_roas.as_deref())
        }),
        registry(metric!(FIGURES, "blended_cpo"), |s: &S| {
            amount(s.ads.blended_cpo.as_deref())
        }),
        registry(metric!(FIGURES, "paid_cpo"), |s: &S| {
            amount(s.ads.paid_cpo.as_deref())
        }),
        titled(
            "gmv_max_cpo",
            "CPO on GMV Max's orders",
            Kind::Money,
            "GMV Max's cost ÷ the SKU orders it reports (creatives and LIVE campaigns exports): what it claims an \
             order costs, to set beside the blended CPO",
            |s: &S| amount(s.ads.detail.gmv_max_cpo.as_deref()),
        ),
    ]
}

fn incrementality_fields() -> Vec<Field<Summary>> {
    type A = Summary;
    vec![
        titled(
            "estimate",
            "Incrementality estimate",
            Kind::Ratio,
            "Extra net sales per 1.00 of ad cost: (mean daily net sales on days with ad cost − on days without) ÷ \
             mean daily ad cost",
            |a: &A| amount(a.ads.incrementality.estimate.as_deref()),
        ),
        titled(
            "days_with_spend",
            "Days with ad spend",
            Kind::Count,
            "Days of the period with dated ad cost",
            |a: &A| count(a.ads.incrementality.days_with_spend),
        ),
        titled(
            "days_without_spend",
            "Days without",
            Kind::Count,
            "Days of the period with no dated ad cost, with or without orders",
            |a: &A| count(a.ads.incrementality.days_without_spend),
        ),
        titled(
            "mean_net_sales_with_spend",
            "Net sales a day, with spend",
            Kind::Money,
            "Mean daily net sales on the days with ad cost",
            |a: &A| amount(a.ads.incrementality.mean_net_sales_with_spend.as_deref()),
        ),
        titled(
            "mean_net_sales_without_spend",
            "Net sales a day, without",
            Kind::Money,
            "Mean daily net sales on the days without ad cost",
            |a: &A| amount(a.ads.incrementality.mean_net_sales_without_spend.as_deref()),
        ),
        titled(
            "mean_daily_cost",
            "Ad cost a day",
            Kind::Money,
            "Mean daily ad cost on the days with ad cost",
            |a: &A| amount(a.ads.incrementality.mean_daily_cost.as_deref()),
        ),
        titled(
            "incremental_net_sales",
            "Incremental net sales",
            Kind::Money,
            "(Net sales a day with spend − without) × days with ad spend: what the spend days added, on this estimate",
            |a: &A| amount(a.ads.incrementality.incremental_net_sales.as_deref()),
        ),
        titled(
            "attribution_inflation",
            "Attribution inflation",
            Kind::Ratio,
            "GMV Max reported revenue ÷ incremental net sales: how many times the ads' own attribution exceeds what \
             the spend days added (— unless the increment is above zero)",
            |a: &A| amount(a.ads.attribution_inflation.as_deref()),
        ),
    ]
}

fn spend_fields() -> Vec<Field<Summary>> {
    type A = Summary;
    vec![
        titled(
            "product_spend",
            "GMV Max product spend",
            Kind::Money,
            "The creatives exports' spend this period counts: each product's cost × the period's share of its window",
            |a: &A| amount(a.ads.detail.product_spend.as_deref()),
        ),
        titled(
            "attributed_spend",
            "Charged to its SKUs",
            Kind::Money,
            "Product spend charged to the SKUs of its product, by their net sales within the product",
            |a: &A| amount(Some(&a.ads.detail.attributed_spend)),
        ),
        titled(
            "unmapped_spend",
            "Unmapped",
            Kind::Money,
            "Product spend whose product ID maps to no loaded SKU, or rows with no product ID: spread",
            |a: &A| amount(Some(&a.ads.detail.unmapped_spend)),
        ),
        titled(
            "uncharged_spend",
            "Not charged",
            Kind::Money,
            "Product spend of mapped products not charged to them (their SKUs had no net sales in the period, or the \
             daily exports' total was smaller): spread",
            |a: &A| amount(Some(&a.ads.detail.uncharged_spend)),
        ),
        titled(
            "spread_spend",
            "Spread by net sales",
            Kind::Money,
            "Ad spend − the spend charged to SKUs: spread over the SKUs by each day's net sales",
            |a: &A| amount(Some(&a.ads.detail.spread_spend)),
        ),
        titled(
            "live_unmatched_cost",
            "LIVE campaigns unmatched",
            Kind::Money,
            "The cost of the period's LIVE campaigns that joined no LIVE session",
            |a: &A| amount(a.ads.detail.live_unmatched_cost.as_deref()),
        ),
    ]
}

fn product_fields() -> Vec<Field<ProductAdsEntry>> {
    type P = ProductAdsEntry;
    vec![
        field(text_col("product_id", "Product ID"), |p: &P| {
            Value::Text(match p.product_id.as_str() {
                "" => NO_PRODUCT_ID.to_string(),
                id => id.to_string(),
            })
        }),
        field(text_col("skus", "SKUs"), |p: &P| {
            Value::Text(if p.skus.is_empty() {
                format::NONE.to_string()
            } else {
                p.skus.join(", ")
            })
        }),
        titled(
            "cost",
            "Cost",
            Kind::Money,
            "The product's cost over the whole export, as GMV Max reports it",
            |p: &P| amount(Some(&p.cost)),
        ),
        field(
            Column::new("sku_orders", "SKU orders", Kind::Count),
            |p: &P| Value::Num(Some(Decimal::from(p.sku_orders))),
        ),
        titled(
            "gross_revenue",
            "Gross revenue",
            Kind::Money,
            "As GMV Max reports it (its own attribution): never added to sales",
            |p: &P| amount(p.gross_revenue.as_deref()),
        ),
        titled(
            "reported_roas",
            "Reported ROAS",
            Kind::Ratio,
            "Gross revenue ÷ cost, as reported",
            |p: &P| amount(p.reported_roas.as_deref()),
        ),
        titled(
            "period_cost",
            "Period cost",
            Kind::Money,
            "The part of its cost this period counts: cost × the period's share of the export's window",
            |p: &P| amount(Some(&p.period_cost)),
        ),
        titled(
            "attributed",
            "Attributed",
            Kind::Money,
            "What of the period cost is charged to its SKUs, by their net sales within the product",
            |p: &P| amount(Some(&p.attributed)),
        ),
    ]
}

fn when(t: chrono::NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

fn live_fields() -> Vec<Field<LiveCampaignEntry>> {
    type L = LiveCampaignEntry;
    vec![
        field(text_col("launched", "Launched"), |l: &L| {
            Value::Text(when(l.launched))
        }),
        field(text_col("live_name", "LIVE name"), |l: &L| {
            Value::Text(l.live_name.clone())
        }),
        field(text_col("campaign", "Campaign"), |l: &L| {
            Value::Text(l.campaign.clone())
        }),
        field(Column::new("cost", "Cost", Kind::Money), |l: &L| {
            amount(Some(&l.cost))
        }),
        field(Column::new("net_cost", "Net cost", Kind::Money), |l: &L| {
            amount(l.net_cost.as_deref())
        }),
        field(
            Column::new("sku_orders", "SKU orders", Kind::Count),
            |l: &L| Value::Num(l.sku_orders.map(Decimal::from)),
        ),
        titled(
            "gross_revenue",
            "Gross revenue",
            Kind::Money,
            "As GMV Max reports it (its own attribution): never added to sales",
            |l: &L| amount(l.gross_revenue.as_deref()),
        ),
        field(
            Column::new("reported_roas", "Reported ROAS", Kind::Ratio),
            |l: &L| amount(l.reported_roas.as_deref()),
        ),
        field(
            Column::new("live_views", "LIVE views", Kind::Count),
            |l: &L| Value::Num(l.live_views.map(Decimal::from)),
        ),
        field(text_col("session", "LIVE session"), |l: &L| {
            Value::Text(match &l.session {
                Some(s) => format!("{} ({})", s.title.trim(), when(s.start)),
                None => "unmatched".to_string(),
            })
        }),
    ]
}

/// A text column.
fn text_col(key: &'static str, label: &'static str) -> Column {
    Column::new(key, label, Kind::Text)
}

/// The Ads view's figures of a report (in the worker): each block's values, made by its fields.
pub fn view(r: &Report, a: &Analysis) -> Ads {
    let ads = &r.ads;
    if ads.source == AdsSource::None {
        return Ads::default();
    }
    let summary = Summary {
        ads: ads.clone(),
        reported_gross_revenue: a.ads_gross_revenue.map(|g| r.currency.round(g)),
    };
    let one = |row: Row| Some(row);
    Ads {
        source: ads.source,
        tiles: one(table::row(&tile_fields(), "ads".into(), &summary, false)),
        incrementality: one(table::row(
            &incrementality_fields(),
            "incrementality".into(),
            &summary,
            false,
        )),
        caution: ads.incrementality.caution.as_deref().map(sentence),
        spend: one(table::row(&spend_fields(), "spend".into(), &summary, false)),
        windows: ads
            .detail
            .product_spend_windows
            .iter()
            .map(|w| {
                let share = w
                    .share
                    .parse::<Decimal>()
                    .ok()
                    .map(|s| s * Decimal::ONE_HUNDRED);
                let stated = if w.stated {
                    ""
                } else {
                    " (the export names no window: the loaded orders' days are taken)"
                };
                format!(
                    "Creatives spend of {} – {}{stated}: {} of it falls in this period.",
                    w.from,
                    w.to,
                    format::pct_points(share)
                )
            })
            .collect(),
        by_product: ads
            .detail
            .by_product
            .iter()
            .map(|p| {
                // The rows without a product ID are one entry, under `""`.
                let id = match p.product_id.as_str() {
                    "" => NO_PRODUCT_ID.to_string(),
                    id => id.to_string(),
                };
                table::row(&product_fields(), id, p, false)
            })
            .collect(),
        live_campaigns: ads
            .detail
            .live_campaigns
            .iter()
            .map(|l| {
                let id = format!("{} · {}", when(l.launched), l.campaign_id);
                table::row(&live_fields(), id, l, l.session.is_none())
            })
            .collect(),
    }
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

/// Where the spend comes from, as a seller reads it.
fn source_text(s: AdsSource) -> &'static str {
    match s {
        AdsSource::AdsExports => "Ad spend from the GMV Max and Ads Manager exports, by day.",
        AdsSource::FinancePayments => {
            "Ad spend from the finance export's GMV Payment for TikTok Ads rows: no ads export is loaded."
        }
        AdsSource::GmvMaxDetail => {
            "Ad spend from GMV Max's creatives and LIVE campaigns exports alone: no daily spend export is loaded, so \
             the on/off-day estimate has no dated spend."
        }
        AdsSource::None => NO_ADS,
    }
}

/// The columns of each block, made once per view.
struct Columns {
    tiles: Vec<Column>,
    incrementality: Vec<Column>,
    spend: Vec<Column>,
}

/// The figures above the tables: tiles, the estimate, the assumptions and where the spend went.
fn summary(c: &Computed, cols: &Columns) -> impl IntoView + use<> {
    let ads = &c.report.ads;
    let cur = c.currency;
    let no_estimate = match ads.incrementality.as_ref().and_then(|r| r.values.first()) {
        Some(Value::Num(None)) | None => Some(view! {
            <p class="muted small">
                "No estimate: it needs days with and days without dated ad spend in the period."
            </p>
        }),
        _ => None,
    };
    let caution = ads.caution.clone().map(|t| {
        view! { <p class="notice" data-testid="ads-caution">{t}</p> }
    });
    let windows = (!ads.windows.is_empty()).then(|| {
        view! {
            <ul class="muted small" data-testid="ads-windows">
                {ads.windows.iter().map(|w| view! { <li>{w.clone()}</li> }).collect_view()}
            </ul>
        }
    });
    view! {
        <section aria-label="Ad spend and return" data-testid="ads-tiles">
            {tiles(&cols.tiles, ads.tiles.as_ref(), cur, "Ad spend and return")}
            <p class="muted small" data-testid="ads-source">{source_text(ads.source)}</p>
        </section>
        <section aria-labelledby="ads-inc-h" data-testid="ads-incrementality">
            <h2 id="ads-inc-h">"Did the spend add sales? Days with vs without ad spend"</h2>
            {tiles(&cols.incrementality, ads.incrementality.as_ref(), cur, "Incrementality")}
            {caution}
            {no_estimate}
        </section>
        <section aria-labelledby="ads-rules-h" data-testid="ads-assumptions">
            <h2 id="ads-rules-h">"Attribution assumptions"</h2>
            <ul class="small">
                {ASSUMPTIONS.iter().map(|a| view! { <li>{*a}</li> }).collect_view()}
            </ul>
        </section>
        <section aria-labelledby="ads-spend-h" data-testid="ads-spend">
            <h2 id="ads-spend-h">"Where the spend went"</h2>
            {tiles(&cols.spend, ads.spend.as_ref(), cur, "Where the spend went")}
            {windows}
        </section>
    }
}

type Figures = Memo<Option<Arc<Computed>>>;

/// A table's rows, as the worker made them.
fn rows_of(f: Figures, pick: fn(&Ads) -> &Vec<Row>) -> Memo<Vec<Row>> {
    Memo::new(move |_| {
        f.with(|c| {
            c.as_ref()
                .map(|c| pick(&c.report.ads).clone())
                .unwrap_or_default()
        })
    })
}

/// A table section, or the line saying which export brings its rows.
fn table_section(
    state: State,
    (name, testid, heading): (&'static str, &'static str, &'static str),
    empty: &'static str,
    (columns, rows): (Vec<Column>, Memo<Vec<Row>>),
    default_sort: &'static str,
) -> impl IntoView {
    view! {
        <section aria-labelledby=format!("{name}-h") data-testid=testid>
            <h2 id=format!("{name}-h")>{heading}</h2>
            <Show
                when=move || rows.with(|r| !r.is_empty())
                fallback=move || view! { <p class="muted" data-testid=format!("{testid}-none")>{empty}</p> }
            >
                <DataTable
                    name=name
                    caption=heading.to_string()
                    hook=Hook::Row
                    columns=columns.clone()
                    rows=Signal::from(rows)
                    currency=currency(state)
                    default_sort=default_sort
                />
            </Show>
        </section>
    }
}

#[component]
pub fn AdsView() -> impl IntoView {
    let state = expect_context::<State>();
    let f = figures(state);
    let has = move || f.with(Option::is_some);
    let loaded = Memo::new(move |_| {
        f.with(|c| {
            c.as_ref()
                .is_some_and(|c| c.report.ads.source != AdsSource::None)
        })
    });
    let cols = StoredValue::new(Columns {
        tiles: table::columns(&tile_fields()),
        incrementality: table::columns(&incrementality_fields()),
        spend: table::columns(&spend_fields()),
    });
    // Columns kept in stored values (`Copy`), so the nested sections can be drawn again.
    let products = (
        StoredValue::new(table::columns(&product_fields())),
        rows_of(f, |a| &a.by_product),
    );
    let live = (
        StoredValue::new(table::columns(&live_fields())),
        rows_of(f, |a| &a.live_campaigns),
    );
    view! {
        <div class="ads-view" data-testid="ads">
            <PeriodBar />
            <Show when=has fallback=|| view! { <NoData /> }>
                // What the report says about the spend (unmapped products, LIVE campaigns without a
                // session, no spend loaded): here as on the Overview (docs/metrics.md §12).
                {move || f.with(|c| c.as_ref().and_then(|c| super::overview::placed_notes(c, NoteKind::Ads, "ads", "advertising")))}
                <Show
                    when=move || loaded.get()
                    fallback=|| view! { <p class="muted" data-testid="ads-none">{NO_ADS}</p> }
                >
                    {move || f.with(|c| c.as_ref().map(|c| cols.with_value(|cols| summary(c, cols))))}
                    {table_section(
                        state,
                        ("ads_products", "ads-by-product", "GMV Max spend by product"),
                        "Load a GMV Max creative data for product campaigns export to see the spend per product.",
                        (products.0.get_value(), products.1),
                        "cost:desc",
                    )}
                    {table_section(
                        state,
                        ("ads_live", "ads-live-campaigns", "GMV Max LIVE campaigns"),
                        "Load a GMV Max livestream data for LIVE campaigns export to see each LIVE campaign and the session it joined.",
                        (live.0.get_value(), live.1),
                        "launched:asc",
                    )}
                </Show>
            </Show>
        </div>
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use margin_engine::costs::CostsTable;
    use margin_engine::import::{ImportOptions, read_any};
    use margin_engine::money::Currency;
    use margin_engine::settings::Settings;
    use rust_decimal_macros::dec;

    /// The value of `key` in a row of `columns`.
    fn at<'a>(columns: &[Column], row: &'a Row, key: &str) -> &'a Value {
        &row.values[columns.iter().position(|c| c.key == key).unwrap()]
    }

    /// The engine's hand-made case (crates/engine/tests/ads_truth.rs): 100.00 of net sales on each of two
    /// days with 20.00 of spend and 200.00 reported, 50.00 on each of two days without.
    #[test]
    fn the_view_reads_the_reports_ads() {
        let usd = ImportOptions {
            currency: Some(Currency::USD),
            ..ImportOptions::default()
        };
        let orders = "Order ID,Order Status,SKU ID,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n\
576000000000000001,Shipped,1001,1,100.00,0,05/01/2026 10:00:00 AM,05/01/2026 10:00:10 AM\n\
576000000000000002,Shipped,1001,1,100.00,0,05/02/2026 10:00:00 AM,05/02/2026 10:00:10 AM\n\
576000000000000003,Shipped,1001,1,50.00,0,05/03/2026 10:00:00 AM,05/03/2026 10:00:10 AM\n\
576000000000000004,Shipped,1001,1,50.00,0,05/04/2026 10:00:00 AM,05/04/2026 10:00:10 AM\n";
        let gmv_max = "By Day,Cost,SKU orders (Current shop),Cost per order (Current shop),Gross revenue (Current shop),ROI,Currency\n\
2026-05-01,20.00,2,10.00,200.00,10,USD\n\
2026-05-02,20.00,2,10.00,200.00,10,USD\n";
        let settings = Settings {
            fee_rules: Vec::new(),
            ..Settings::default()
        };
        let only_orders = vec![read_any("orders.csv", orders.as_bytes(), usd).unwrap()];
        let b = margin_engine::report::build_detailed(
            &only_orders,
            &CostsTable::default(),
            &settings,
            None,
            None,
        )
        .unwrap();
        // No ad spend loaded: nothing to show but the line saying which exports bring it.
        assert_eq!(view(&b.report, &b.analysis), Ads::default());

        let mut files = only_orders;
        files.push(read_any("gmv_max.csv", gmv_max.as_bytes(), usd).unwrap());
        let b = margin_engine::report::build_detailed(
            &files,
            &CostsTable::default(),
            &settings,
            None,
            None,
        )
        .unwrap();
        let v = view(&b.report, &b.analysis);
        assert_eq!(v.source, AdsSource::AdsExports);
        let cols = table::columns(&tile_fields());
        let tiles = v.tiles.as_ref().unwrap();
        let num = |d| Value::Num(Some(d));
        assert_eq!(at(&cols, tiles, "ad_spend"), &num(dec!(40.00)));
        assert_eq!(
            at(&cols, tiles, "reported_gross_revenue"),
            &num(dec!(400.00))
        );
        assert_eq!(at(&cols, tiles, "reported_roas"), &num(dec!(10.00)));
        assert_eq!(at(&cols, tiles, "blended_roas"), &num(dec!(7.50)));
        assert_eq!(
            at(&cols, tiles, "blended_roas").text(Kind::Ratio, Currency::USD),
            "7.50"
        );
        let cols = table::columns(&incrementality_fields());
        let inc = v.incrementality.as_ref().unwrap();
        assert_eq!(at(&cols, inc, "estimate"), &num(dec!(2.50)));
        assert_eq!(at(&cols, inc, "days_with_spend"), &num(dec!(2)));
        assert_eq!(at(&cols, inc, "days_without_spend"), &num(dec!(2)));
        assert_eq!(at(&cols, inc, "incremental_net_sales"), &num(dec!(100.00)));
        assert_eq!(at(&cols, inc, "attribution_inflation"), &num(dec!(4.00)));
        assert!(
            v.caution
                .as_deref()
                .is_some_and(|c| c.starts_with("Only 2 days with ad spend and 2 without"))
        );
        // No creatives export: no product spend, every cost spread.
        let cols = table::columns(&spend_fields());
        let spend = v.spend.as_ref().unwrap();
        assert_eq!(at(&cols, spend, "product_spend"), &Value::Num(None));
        assert_eq!(at(&cols, spend, "spread_spend"), &num(dec!(40.00)));
        assert!(v.by_product.is_empty() && v.live_campaigns.is_empty());
    }

    #[test]
    fn a_product_reads_as_its_columns() {
        let p = ProductAdsEntry {
            product_id: String::new(),
            skus: vec!["1001".into(), "1002".into()],
            cost: "327.58".into(),
            sku_orders: 22,
            gross_revenue: Some("1807.94".into()),
            reported_roas: Some("5.52".into()),
            period_cost: "163.79".into(),
            attributed: "100.00".into(),
        };
        let fields = product_fields();
        let cols = table::columns(&fields);
        let r = table::row(&fields, "x".into(), &p, false);
        assert_eq!(
            at(&cols, &r, "product_id"),
            &Value::Text("(no product ID)".into())
        );
        assert_eq!(at(&cols, &r, "skus"), &Value::Text("1001, 1002".into()));
        assert_eq!(at(&cols, &r, "sku_orders"), &Value::Num(Some(dec!(22))));
        assert_eq!(
            at(&cols, &r, "reported_roas"),
            &Value::Num(Some(dec!(5.52)))
        );
        assert_eq!(at(&cols, &r, "attributed"), &Value::Num(Some(dec!(100.00))));
    }
}
