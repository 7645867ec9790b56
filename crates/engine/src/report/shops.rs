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
use serde::Serialize;

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
    let mut totals: Vec<(Option<Currency>, Option<NaiveDate>, Figures)> = Vec::new();
    for shop in shops {
        let refs: Vec<&ImportedFile> = shop.files.iter().filter_map(|&i| files.get(i)).collect();
        let built =
            prepare_refs(&refs, costs, settings, shop.currency, threads)?.build(settings, period);
        let mut report = built.report;
        report.shop = Some(shop.name.clone());
        totals.push((
            shop.currency,
            report.period.as_ref().map(|p| p.to),
            built.analysis.totals,
        ));
        entries.push(ShopEntry {
            name: shop.name.clone(),
            currency: shop.currency,
            market: shop.market.clone(),
            files: refs.iter().map(|f| f.report.name.clone()).collect(),
            report: Box::new(report),
        });
    }
    let portfolio = fx.map(|fx| {
        let to = fx.reporting;
        let mut sum = Figures::default();
        let mut rows = Vec::new();
        let mut left_out = Vec::new();
        for (shop, (currency, last_day, figures)) in shops.iter().zip(&totals) {
            let Some(currency) = currency else {
                left_out.push(format!("{}: its files state no currency", shop.name));
                continue;
            };
            let Some(used) = fx.rate(*currency, *last_day) else {
                left_out.push(format!(
                    "{}: no {currency} → {to} rate was given",
                    shop.name
                ));
                continue;
            };
            let converted = figures.converted(used.rate, to.minor_units());
            sum.merge(&converted);
            rows.push(PortfolioShop {
                shop: shop.name.clone(),
                currency: *currency,
                rate: used.rate.normalize().to_string(),
                rate_from: used.from,
                totals: FigureSet::new(&converted, to),
            });
        }
        Portfolio {
            currency: to,
            shops: rows,
            totals: FigureSet::new(&sum, to),
            left_out,
        }
    });
    Ok((entries, portfolio))
}
