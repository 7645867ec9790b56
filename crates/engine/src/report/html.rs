//! The client-ready report of one shop (issue 15, docs/metrics.md §10): one standalone HTML file — the
//! agency's name, the shop, the period, the key figures with their change against the previous period,
//! what the data covers, the SKUs by contribution margin, the creators and the alerts. Built from that
//! shop's figures only: no other shop's name, file or figure, and none of the report's warnings (they
//! can name other shops' files). It prints to PDF from any browser (its own print stylesheet) and makes
//! no request: no script, no font, no image.

use crate::alerts::Alerts;
use crate::coverage::{Coverage, ranges_text};
use crate::metric;
use crate::metrics::{Analysis, Figures};
use crate::money::{Currency, DISPLAY_ROUNDING, percent_points_dp};
use crate::registry::{CreatorFigure, Figure, MetricValue, Unit};
use crate::sort_dyn::SortDyn;
use rust_decimal::Decimal;
use std::fmt::Write;

/// What a client report is made of: one shop's figures.
pub struct ClientReport<'a> {
    /// The shop's name.
    pub shop: &'a str,
    /// Who prepared it (the agency); empty for none.
    pub agency: &'a str,
    /// The currency of every amount.
    pub currency: Currency,
    /// The exact figures of the period.
    pub analysis: &'a Analysis,
    /// The previous period's exact totals, when its Orders exports cover both periods.
    pub previous: Option<&'a Figures>,
    /// What the shop's exports cover.
    pub coverage: &'a Coverage,
    /// The shop's alerts.
    pub alerts: &'a Alerts,
}

/// The key figures, in order.
const KEY: [&Figure; 12] = [
    metric!(FIGURES, "gmv"),
    metric!(FIGURES, "net_sales"),
    metric!(FIGURES, "orders"),
    metric!(FIGURES, "aov"),
    metric!(FIGURES, "gross_margin_pct"),
    metric!(FIGURES, "cm1"),
    metric!(FIGURES, "cm2"),
    metric!(FIGURES, "cm2_pct"),
    metric!(FIGURES, "blended_cpo"),
    metric!(FIGURES, "return_rate"),
    metric!(FIGURES, "affiliate_share"),
    metric!(FIGURES, "net_profit"),
];

/// A SKU's columns.
const SKU: [&Figure; 6] = [
    metric!(FIGURES, "units_sold"),
    metric!(FIGURES, "net_revenue"),
    metric!(FIGURES, "cogs"),
    metric!(FIGURES, "cm1"),
    metric!(FIGURES, "cm2"),
    metric!(FIGURES, "cm2_pct"),
];

/// A creator's columns.
const CREATOR: [&CreatorFigure; 5] = [
    metric!(CREATOR_FIGURES, "orders"),
    metric!(CREATOR_FIGURES, "net_revenue"),
    metric!(CREATOR_FIGURES, "commission"),
    metric!(CREATOR_FIGURES, "efficiency"),
    metric!(CREATOR_FIGURES, "cm"),
];

/// Text for HTML and SVG markup, in element text and attribute values alike: `&`, `<`, `>`, `"` and `'`
/// escaped (names from the user's files must never become markup).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

use escape as esc;

/// A file name made of `name`: letters, digits and `-` kept, anything else `_` ("US shop 2" →
/// "US_shop_2"), so a shop's name can name its downloads.
pub fn file_stem(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// A figure as a reader sees it: money with its symbol, percent points and ratios rounded half away
/// from zero (one and two decimals), counts whole; "—" when it cannot be computed.
fn shown(unit: Unit, v: MetricValue, currency: Currency) -> String {
    let round = |d: Decimal, dp: u32| {
        let mut r = d.round_dp_with_strategy(dp, DISPLAY_ROUNDING);
        r.rescale(dp);
        r.to_string()
    };
    match (unit, v) {
        (_, MetricValue::Amount(None)) => "—".to_string(),
        (Unit::Money, MetricValue::Amount(Some(d))) => currency.format(d),
        (Unit::Percent, MetricValue::Amount(Some(d))) => format!("{}%", round(d, 1)),
        (_, MetricValue::Amount(Some(d))) => round(d, 2),
        (_, MetricValue::Count(n)) => n.to_string(),
        (_, MetricValue::Flag(b)) => if b { "Yes" } else { "No" }.to_string(),
    }
}

/// The change of a figure against the previous period, in percent with one decimal ("+4.2%").
fn change(m: &Figure, now: &Figures, before: Option<&Figures>) -> String {
    let (Some(n), Some(b)) = (m.amount(now), before.and_then(|p| m.amount(p))) else {
        return String::new();
    };
    match n
        .checked_sub(b)
        .and_then(|d| percent_points_dp(d, b.abs(), 1))
    {
        Some(p) if p.is_sign_negative() && !p.is_zero() => format!("{p}%"),
        Some(p) => format!("+{p}%"),
        None => String::new(),
    }
}

/// The client report as one HTML document.
pub fn client_html(r: &ClientReport) -> String {
    let a = r.analysis;
    let c = r.currency;
    let mut h = String::new();
    let period = a
        .period
        .map_or_else(|| "no orders".to_string(), |(f, t)| format!("{f} – {t}"));
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · {}</title><style>{STYLE}</style></head><body>\n<header>",
        esc(r.shop),
        esc(&period)
    );
    if !r.agency.trim().is_empty() {
        let _ = write!(
            h,
            "<p class=\"by\">Prepared by {}</p>",
            esc(r.agency.trim())
        );
    }
    let _ = writeln!(
        h,
        "<h1 data-shop=\"{}\">{}</h1><p>Order dates {} · amounts in {}</p></header>",
        esc(r.shop),
        esc(r.shop),
        esc(&period),
        c.code()
    );
    // Key figures.
    h.push_str("<section><h2>Key figures</h2><table><thead><tr><th>Figure</th><th>Value</th><th>vs previous period</th></tr></thead><tbody>");
    for m in KEY {
        let now = if std::ptr::eq(m, metric!(FIGURES, "affiliate_share")) {
            a.cross_totals.as_ref().unwrap_or(&a.totals)
        } else {
            &a.totals
        };
        let _ = write!(
            h,
            "<tr data-metric=\"{}\"><th title=\"{}\">{}</th><td>{}</td><td>{}</td></tr>",
            m.key,
            esc(&m.plain_definition()),
            esc(m.label),
            esc(&shown(m.unit, m.value(now), c)),
            esc(&change(m, now, r.previous))
        );
    }
    h.push_str("</tbody></table>");
    if r.previous.is_none() {
        h.push_str("<p class=\"note\">No comparison: the exports loaded do not cover the previous period of the same length.</p>");
    }
    h.push_str("</section>\n<section><h2>What the data covers</h2><ul>");
    for (kind, k) in r.coverage.iter() {
        let _ = write!(
            h,
            "<li><strong>{}</strong>: {}{}</li>",
            kind.label(),
            esc(&ranges_text(&k.ranges)),
            if k.gaps.is_empty() {
                String::new()
            } else {
                format!(" (no data for {})", esc(&ranges_text(&k.gaps)))
            }
        );
    }
    h.push_str("</ul></section>\n<section><h2>SKUs by contribution margin (CM2)</h2><table><thead><tr><th>SKU</th>");
    for m in SKU {
        let _ = write!(h, "<th>{}</th>", esc(m.label));
    }
    h.push_str("</tr></thead><tbody>");
    let mut skus: Vec<_> = a.skus.iter().collect();
    skus.sort_by_key_dyn(|s| std::cmp::Reverse(s.figures.cm2()));
    for s in skus {
        let name = [
            s.seller_sku.as_str(),
            s.product_name.as_str(),
            s.variation.as_str(),
        ]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
        let _ = write!(
            h,
            "<tr data-sku=\"{}\"><th>{}</th>",
            esc(&s.sku_id),
            esc(&name)
        );
        for m in SKU {
            let _ = write!(
                h,
                "<td>{}</td>",
                esc(&shown(m.unit, m.value(&s.figures), c))
            );
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table></section>\n");
    if !a.creators.is_empty() {
        h.push_str("<section><h2>Creators</h2><table><thead><tr><th>Creator</th>");
        for m in CREATOR {
            let _ = write!(h, "<th>{}</th>", esc(m.label));
        }
        h.push_str("</tr></thead><tbody>");
        for cr in &a.creators {
            let _ = write!(h, "<tr><th>{}</th>", esc(&cr.creator));
            for m in CREATOR {
                let _ = write!(h, "<td>{}</td>", esc(&shown(m.unit, m.value(cr), c)));
            }
            h.push_str("</tr>");
        }
        h.push_str("</tbody></table></section>\n");
    }
    h.push_str("<section><h2>Alerts</h2>");
    if r.alerts.alerts.is_empty() {
        h.push_str("<p>None in this period.</p>");
    } else {
        h.push_str("<ul>");
        for al in &r.alerts.alerts {
            let _ = write!(h, "<li>{}</li>", esc(&al.message));
        }
        h.push_str("</ul>");
    }
    h.push_str("</section>\n<footer><p>Figures follow the Margin Lab metric definitions: net sales = GMV − cancelled − refunds; CM2 = CM1 − commission − ad spend − samples − other marketing.</p></footer>\n</body></html>\n");
    h
}

/// Screen and print: black on white, tables that break across pages with their header repeated.
const STYLE: &str = "body{font:14px/1.45 system-ui,sans-serif;color:#1d2430;margin:24px auto;max-width:960px;padding:0 16px}\
h1{font-size:24px;margin:4px 0}h2{font-size:17px;margin:24px 0 8px}.by{color:#5b6474;margin:0}\
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #d9dee7;padding:4px 8px;text-align:left}\
td{text-align:right;font-variant-numeric:tabular-nums}thead th{background:#f1f3f7}.note,footer{color:#5b6474;font-size:12px}\
@media print{body{margin:0;max-width:none}thead{display:table-header-group}tr{break-inside:avoid}section{break-inside:auto}}";
