//! The report's shops and portfolio (docs/metrics.md §10): each shop's full report of its own files,
//! and, with a reporting currency and the user's rates, the shops side by side converted into it.

use super::{FigureSet, Report, ReportError, prepare_refs};
use crate::costs::CostsTable;
use crate::fx::FxTable;
use crate::import::ImportedFile;
use crate::metrics::Figures;
use crate::money::Currency;
use crate::settings::Settings;
use crate::shops::Shop;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One shop of the report: who it is, its files and the report of those files alone (with their
/// coverage).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShopEntry {
    /// The shop's name.
    pub name: String,
    /// Its currency (`null` when no file states one).
    pub currency: Option<Currency>,
    /// Its market.
    pub market: String,
    /// Its files, by name.
    pub files: Vec<String>,
    /// The report of its files alone.
    pub report: Box<Report>,
    /// The exact figures behind `report` (for the client report, [`super::client_html`]).
    #[serde(skip)]
    pub analysis: Box<crate::metrics::Analysis>,
    /// The previous period's exact totals, when covered.
    #[serde(skip)]
    pub previous: Option<Figures>,
}

/// One shop's row of the portfolio: its figures converted into the reporting currency, with the rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PortfolioShop {
    /// The shop's name.
    pub shop: String,
    /// The shop's own currency.
    pub currency: Currency,
    /// Reporting-currency units per unit of the shop's currency ("1" for the reporting currency).
    pub rate: String,
    /// The day the rate applies from, when the rate is dated.
    pub rate_from: Option<NaiveDate>,
    /// The shop's totals, every amount converted at `rate` and rounded to the reporting currency's
    /// minor unit.
    pub totals: FigureSet,
}

/// The shops side by side in one reporting currency; `totals` is the sum of the rows, exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Portfolio {
    /// The reporting currency.
    pub currency: Currency,
    /// One row per shop with a rate.
    pub shops: Vec<PortfolioShop>,
    /// The sum of the rows' converted figures (ratios recomputed from the sums).
    pub totals: FigureSet,
    /// Shops left out of the total, each with the reason (no rate given for their currency).
    pub left_out: Vec<String>,
}

/// The report of each shop's files alone (`period` for all, `None`: each shop's loaded days) and,
/// with `fx`, the portfolio converted into its reporting currency at the rate of each shop's last day.
///
/// # Errors
/// A setting out of range (as [`super::prepare`]).
pub fn build_shops(
    files: &[ImportedFile],
    shops: &[Shop],
    costs: &CostsTable,
    settings: &Settings,
    period: Option<(NaiveDate, NaiveDate)>,
    fx: Option<&FxTable>,
    threads: usize,
) -> Result<(Vec<ShopEntry>, Option<Portfolio>), ReportError> {
    let mut entries = Vec::with_capacity(shops.len());
    let mut totals: Vec<ShopTotals> = Vec::new();
    for shop in shops {
        let refs: Vec<&ImportedFile> = shop.files.iter().filter_map(|&i| files.get(i)).collect();
        // A shop with settings of its own uses them (docs/metrics.md §10).
        let own = settings.for_shop(&shop.key);
        let built = prepare_refs(&refs, costs, &own, shop.currency, threads)?.build(&own, period);
        let mut report = built.report;
        report.shop = Some(shop.name.clone());
        totals.push((
            shop.name.clone(),
            shop.currency,
            report.period.as_ref().map(|p| p.to),
            built.analysis.totals.clone(),
            built.analysis.cross_totals.clone(),
        ));
        entries.push(ShopEntry {
            name: shop.name.clone(),
            currency: shop.currency,
            market: shop.market.clone(),
            files: refs.iter().map(|f| f.report.name.clone()).collect(),
            report: Box::new(report),
            analysis: Box::new(built.analysis),
            previous: built.previous.map(|(_, _, t)| t),
        });
    }
    let portfolio = fx.map(|fx| Portfolio::of(&convert(fx, &totals)));
    Ok((entries, portfolio))
}

/// A shop's name, currency, last day and totals, with the totals over the days both its Orders and
/// Affiliate exports cover when they differ (the affiliate share's base, docs/metrics.md §9).
pub type ShopTotals = (
    String,
    Option<Currency>,
    Option<NaiveDate>,
    Figures,
    Option<Figures>,
);

/// One shop's exact totals converted into the reporting currency, with the rate used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConvertedShop {
    /// The shop's name.
    pub shop: String,
    /// The shop's own currency.
    pub currency: Currency,
    /// Reporting-currency units per unit (1 for the reporting currency).
    pub rate: Decimal,
    /// The day the rate applies from, when dated.
    pub rate_from: Option<NaiveDate>,
    /// Every amount × rate, rounded to the reporting currency's minor unit; counts as they are.
    pub totals: Figures,
    /// The affiliate share's base (orders and affiliate orders are counts: not converted).
    pub share_base: Figures,
}

/// The shops in one reporting currency: each converted, and the sum of the conversions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Converted {
    /// The reporting currency.
    pub currency: Currency,
    /// One per shop with a rate, in the shops' order.
    pub rows: Vec<ConvertedShop>,
    /// The sum of the rows' figures: exactly the sum of what each row shows.
    pub total: Figures,
    /// The sum of the rows' affiliate-share bases: the total's affiliate share is read on it, so no
    /// share counts days a shop's Affiliate exports do not cover.
    pub share_base: Figures,
    /// Shops left out of the total, each with the reason.
    pub left_out: Vec<String>,
}

/// Converts each shop's totals (name, currency, the period's last day, totals) into `fx`'s reporting
/// currency at the rate of its last day, and adds them up (docs/metrics.md §10).
pub fn convert(fx: &FxTable, shops: &[ShopTotals]) -> Converted {
    let to = fx.reporting;
    let mut total = Figures::default();
    let mut share_total = Figures::default();
    let mut rows = Vec::new();
    let mut left_out = Vec::new();
    for (name, currency, last_day, figures, base) in shops {
        let Some(currency) = currency else {
            left_out.push(format!("{name}: its files state no currency"));
            continue;
        };
        let Some(used) = fx.rate(*currency, *last_day) else {
            left_out.push(format!("{name}: no {currency} → {to} rate was given"));
            continue;
        };
        let Some(converted) = figures.converted(used.rate, to.minor_units()) else {
            left_out.push(format!(
                "{name}: its figures × {} leave the range of exact amounts",
                used.rate
            ));
            continue;
        };
        total.merge(&converted);
        let share_base = base.clone().unwrap_or_else(|| figures.clone());
        share_total.merge(&share_base);
        rows.push(ConvertedShop {
            share_base,
            shop: name.clone(),
            currency: *currency,
            rate: used.rate,
            rate_from: used.from,
            totals: converted,
        });
    }
    Converted {
        currency: to,
        rows,
        total,
        share_base: share_total,
        left_out,
    }
}

impl Portfolio {
    /// The report's portfolio of `c`: its figures as the report writes them.
    pub fn of(c: &Converted) -> Portfolio {
        Portfolio {
            currency: c.currency,
            shops: c
                .rows
                .iter()
                .map(|r| PortfolioShop {
                    shop: r.shop.clone(),
                    currency: r.currency,
                    rate: r.rate.normalize().to_string(),
                    rate_from: r.rate_from,
                    totals: FigureSet::new(&r.totals, c.currency)
                        .with_affiliate_share_of(&r.share_base, c.currency),
                })
                .collect(),
            totals: FigureSet::new(&c.total, c.currency)
                .with_affiliate_share_of(&c.share_base, c.currency),
            left_out: c.left_out.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_portfolios_affiliate_share_counts_only_days_each_shops_affiliate_exports_cover() {
        let usd = Currency::from_code("USD").unwrap_or(Currency::USD);
        let f = |orders: u64, affiliate_orders: u64| Figures {
            orders,
            affiliate_orders,
            ..Figures::default()
        };
        // Shop A: 10 orders, 5 affiliate, but its Affiliate export covers days with 4 orders, 3 of
        // them affiliate. Shop B: 10 orders, 2 affiliate, covered throughout.
        let rows: Vec<ShopTotals> = vec![
            ("A".into(), Some(usd), None, f(10, 5), Some(f(4, 3))),
            ("B".into(), Some(usd), None, f(10, 2), None),
        ];
        let fx = FxTable {
            reporting: usd,
            rates: Vec::new(),
        };
        let p = Portfolio::of(&convert(&fx, &rows));
        let share = |s: &FigureSet| s.get("affiliate_share").cloned();
        // By hand: A 3 / 4 = 75.00 %; total (3 + 2) / (4 + 10) = 35.714… → 35.71 %.
        assert_eq!(
            share(&p.shops[0].totals),
            Some(crate::report::ReportValue::Text("75.00".into()))
        );
        assert_eq!(
            share(&p.totals),
            Some(crate::report::ReportValue::Text("35.71".into()))
        );
        // Orders are the plain sum.
        assert_eq!(
            p.totals.get("orders").cloned(),
            Some(crate::report::ReportValue::Count(20))
        );
    }
}
