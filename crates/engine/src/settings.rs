//! The seller's settings (METRICS.md §3, FEES.md): markets, dated fee rules, shipping, fulfilment,
//! returns, samples, overhead, other marketing and alert thresholds. One serde document: the page
//! persists and exports it, the CLI reads it with `--settings FILE`.

use crate::fees::{FeeRule, default_rules};
use crate::money::Currency;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The version of the settings document this code writes; older documents are migrated on read.
pub const SETTINGS_VERSION: u32 = 1;

/// Which market a shop's currency stands for (decides the fee rules).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarketSetting {
    /// The shop's currency.
    pub currency: Currency,
    /// ISO country code of the market (`US`, `GB`, `DE`…).
    pub market: String,
}

/// A dated marketing cost outside the ads exports (e.g. Smart Promotion), allocated like ad spend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarketingEntry {
    /// The day it applies to.
    pub date: NaiveDate,
    /// Amount (positive = a cost).
    pub amount: Decimal,
    /// What it was.
    pub label: String,
}

/// Thresholds of the alert rules (issue 4, item 4). Percentages are percent points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AlertSettings {
    /// Return-rate benchmark per product category, percent points.
    pub return_rate_benchmarks: Vec<(String, Decimal)>,
    /// Benchmark for categories not listed.
    pub default_return_rate_benchmark: Decimal,
    /// A SKU's return rate above this multiple of its benchmark is a spike.
    pub return_spike_factor: Decimal,
    /// CPO more than this % above its 7-day rolling average.
    pub cpo_deterioration_pct: Decimal,
    /// Weekly affiliate orders down more than this % week over week.
    pub affiliate_dropoff_pct: Decimal,
    /// A Livestream day more than this % below the average GMV per order.
    pub live_miss_pct: Decimal,
    /// Creators below this efficiency (net revenue per 1.00 of commission).
    pub min_creator_efficiency: Decimal,
}

impl Default for AlertSettings {
    fn default() -> Self {
        AlertSettings {
            return_rate_benchmarks: Vec::new(),
            default_return_rate_benchmark: Decimal::from(5),
            return_spike_factor: Decimal::new(15, 1),
            cpo_deterioration_pct: Decimal::from(20),
            affiliate_dropoff_pct: Decimal::from(25),
            live_miss_pct: Decimal::from(30),
            min_creator_efficiency: Decimal::from(3),
        }
    }
}

/// Everything a seller sets once and every figure depends on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Document version (see [`SETTINGS_VERSION`]).
    pub version: u32,
    /// Currency → market.
    pub markets: Vec<MarketSetting>,
    /// Dated fee rules per market (FEES.md C.10), seeded with [`default_rules`].
    pub fee_rules: Vec<FeeRule>,
    /// Share of a returned unit's cost recovered by restocking it (ratio, 0–1).
    pub restock_rate: Decimal,
    /// Return shipping paid by the seller per returned unit.
    pub return_shipping_per_unit: Decimal,
    /// Shipping of a creator sample, per unit.
    pub sample_shipping_per_unit: Decimal,
    /// Seller-paid shipping per order, used when no finance export gives the actual.
    pub shipping_per_order: Decimal,
    /// Fulfilment per unit shipped, for SKUs without their own (costs sheet `fulfillment_per_unit`).
    pub fulfillment_per_unit: Decimal,
    /// Fulfilment per order shipped.
    pub fulfillment_per_order: Decimal,
    /// Monthly fixed costs, allocated over the period's days and then by net revenue share.
    pub overhead_per_month: Decimal,
    /// When set, overhead is this amount per unit sold instead of the monthly amount.
    pub overhead_per_unit: Option<Decimal>,
    /// Other marketing entries.
    pub other_marketing: Vec<MarketingEntry>,
    /// Manual ad spend per SKU for the period (SKU ID or seller SKU, amount), added to the ads exports.
    pub ad_spend_per_sku: Vec<(String, Decimal)>,
    /// Alert thresholds.
    pub alerts: AlertSettings,
}

/// Default market of each currency TikTok Shop sells in.
const DEFAULT_MARKETS: &[(&str, &str)] = &[
    ("USD", "US"),
    ("GBP", "GB"),
    ("EUR", "DE"),
    ("THB", "TH"),
    ("VND", "VN"),
    ("MYR", "MY"),
    ("SGD", "SG"),
    ("IDR", "ID"),
    ("PHP", "PH"),
    ("BRL", "BR"),
    ("MXN", "MX"),
    ("JPY", "JP"),
];

/// The market a currency stands for by default (`USD` → `US`).
pub fn default_market(currency: Currency) -> Option<String> {
    DEFAULT_MARKETS
        .iter()
        .find(|(c, _)| *c == currency.code())
        .map(|(_, m)| (*m).to_string())
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            version: SETTINGS_VERSION,
            markets: DEFAULT_MARKETS
                .iter()
                .filter_map(|(c, m)| {
                    Currency::from_code(c).map(|currency| MarketSetting {
                        currency,
                        market: (*m).to_string(),
                    })
                })
                .collect(),
            fee_rules: default_rules(),
            restock_rate: Decimal::ZERO,
            return_shipping_per_unit: Decimal::ZERO,
            sample_shipping_per_unit: Decimal::ZERO,
            shipping_per_order: Decimal::ZERO,
            fulfillment_per_unit: Decimal::ZERO,
            fulfillment_per_order: Decimal::ZERO,
            overhead_per_month: Decimal::ZERO,
            overhead_per_unit: None,
            other_marketing: Vec::new(),
            ad_spend_per_sku: Vec::new(),
            alerts: AlertSettings::default(),
        }
    }
}

/// A settings document that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsError {
    /// What is wrong, for the user.
    pub message: String,
}

impl std::fmt::Display for SettingsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SettingsError {}

impl Settings {
    /// The market of a currency (`USD` → `US`); the currency code itself when none is set.
    pub fn market_of(&self, currency: Currency) -> String {
        self.markets
            .iter()
            .find(|m| m.currency == currency)
            .map_or_else(|| currency.code().to_string(), |m| m.market.clone())
    }

    /// Reads a settings document (JSON). Missing fields take their defaults; a newer version than this
    /// code knows is refused rather than misread.
    pub fn from_json(text: &str) -> Result<Settings, SettingsError> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| SettingsError {
            message: format!(
                "the settings file is not valid JSON (line {}, column {}): {e}",
                e.line(),
                e.column()
            ),
        })?;
        Settings::from_value(value)
    }

    /// Reads a settings document already parsed as JSON (a workspace's `settings`), as
    /// [`Settings::from_json`] does.
    pub fn from_value(value: serde_json::Value) -> Result<Settings, SettingsError> {
        let version = value
            .get("version")
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(1);
        if version > u64::from(SETTINGS_VERSION) {
            return Err(SettingsError {
                message: format!(
                    "the settings file is version {version}, newer than this Margin Lab (version {SETTINGS_VERSION}); update Margin Lab"
                ),
            });
        }
        let mut s: Settings = serde_json::from_value(value).map_err(|e| SettingsError {
            message: format!("the settings file has a value of the wrong kind: {e}"),
        })?;
        s.version = SETTINGS_VERSION;
        if s.restock_rate.is_sign_negative() || s.restock_rate > Decimal::ONE {
            return Err(SettingsError {
                message: format!(
                    "restock_rate must be between 0 and 1, not {}",
                    s.restock_rate
                ),
            });
        }
        Ok(s)
    }

    /// The document as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Overhead of a period: each day carries its month's amount divided by the month's days.
    pub fn overhead_for(&self, from: NaiveDate, to: NaiveDate) -> Decimal {
        if self.overhead_per_month.is_zero() || to < from {
            return Decimal::ZERO;
        }
        let mut total = Decimal::ZERO;
        for day in from.iter_days().take_while(|d| *d <= to) {
            total += crate::money::share(
                self.overhead_per_month,
                Decimal::ONE,
                Decimal::from(days_in_month(day)),
            );
        }
        total
    }
}

fn days_in_month(d: NaiveDate) -> u32 {
    use chrono::Datelike;
    let (y, m) = (d.year(), d.month());
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    match (next, NaiveDate::from_ymd_opt(y, m, 1)) {
        (Some(n), Some(f)) => u32::try_from((n - f).num_days()).unwrap_or(30),
        _ => 30,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn round_trip_and_defaults() {
        let s = Settings::default();
        let back = Settings::from_json(&s.to_json()).unwrap();
        assert_eq!(back, s);
        let partial = Settings::from_json(r#"{"shipping_per_order": "4.50"}"#).unwrap();
        assert_eq!(partial.shipping_per_order, dec!(4.50));
        assert_eq!(partial.fee_rules, default_rules());
        assert_eq!(partial.market_of(Currency::GBP), "GB");
        assert!(
            Settings::from_json(r#"{"version": 99}"#)
                .unwrap_err()
                .message
                .contains("newer")
        );
        assert!(Settings::from_json("{").is_err());
        assert!(Settings::from_json(r#"{"restock_rate": "1.5"}"#).is_err());
    }

    #[test]
    fn overhead_follows_the_calendar() {
        let s = Settings {
            overhead_per_month: dec!(3100),
            ..Settings::default()
        };
        let d = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default();
        // May has 31 days: 100 a day; 10 days = 1000.
        assert_eq!(s.overhead_for(d(5, 1), d(5, 10)), dec!(1000));
        // 31 May (100) + 1 June (3100 / 30 = 103.333…, kept to 12 places).
        assert_eq!(s.overhead_for(d(5, 31), d(6, 1)), dec!(203.333333333333));
    }
}
