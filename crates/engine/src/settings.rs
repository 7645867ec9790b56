//! The seller's settings (docs/metrics.md §3, docs/fees.md): markets, dated fee rules, shipping, fulfilment,
//! returns, samples, overhead, other marketing and alert thresholds. One serde document: the page
//! persists and exports it, the CLI reads it with `--settings FILE`.

use crate::fees::{FeeRule, default_rules};
use crate::money::Currency;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The largest amount a setting may hold, plus or minus: a trillion in the shop's currency, as for a money
/// cell of a file ([`crate::money::MAX_AMOUNT`]).
pub const MAX_SETTING_AMOUNT: Decimal = crate::money::MAX_AMOUNT;

/// The largest rate (a ratio) or alert threshold (percent points, a factor) a setting may hold, plus or
/// minus: 1,000.
pub const MAX_SETTING_RATE: Decimal = Decimal::from_parts(1000, 0, 0, false, 0);

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

/// A cost of the seller's own, as TrueProfit has them (docs/metrics.md §3 `custom_costs`): a fixed amount
/// per month, week or day, or once on a date, or a percentage of a figure; marketing (in CM2) or overhead
/// (after CM2, in net profit).
///
/// In the settings document a cost is one object: its `name`, `layer` and the fields of its `kind`:
///
/// ```
/// use margin_engine::settings::{CostBase, CostLayer, CostRule, Settings};
/// use rust_decimal_macros::dec;
/// let s = Settings::from_json(r#"{"custom_costs": [
///     {"name": "Agency", "layer": "marketing", "kind": "percent", "percent": "10", "of": "ad_spend"},
///     {"name": "Rent", "layer": "overhead", "kind": "monthly", "amount": "3100"},
///     {"name": "Photo shoot", "layer": "marketing", "kind": "one_time", "amount": "500", "date": "2026-05-05"}
/// ]}"#).unwrap();
/// assert_eq!(s.custom_costs[0].rule, CostRule::Percent { percent: dec!(10), of: CostBase::AdSpend });
/// assert_eq!(s.custom_costs[1].layer, CostLayer::Overhead);
/// assert!(s.check_magnitudes().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomCost {
    /// What the seller calls it ("Agency fee", "Rent").
    pub name: String,
    /// Where it counts: marketing (CM2) or overhead (net profit).
    pub layer: CostLayer,
    /// How much, and when.
    #[serde(flatten)]
    pub rule: CostRule,
}

/// The profit layer a custom cost lowers (docs/metrics.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostLayer {
    /// A marketing cost: counted in `other_marketing`, so in CM2.
    Marketing,
    /// An overhead cost: counted in `overhead`, after CM2, so in net profit.
    Overhead,
}

/// How a custom cost's amount is found for a period (docs/metrics.md §3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CostRule {
    /// `amount` a calendar month: each day carries the amount / the days of its month.
    Monthly {
        /// The amount per month.
        amount: Decimal,
        /// First day it applies (none: since always).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<NaiveDate>,
        /// Last day it applies (none: for ever).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<NaiveDate>,
    },
    /// `amount` a week: each day carries the amount / 7.
    Weekly {
        /// The amount per week.
        amount: Decimal,
        /// First day it applies.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<NaiveDate>,
        /// Last day it applies.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<NaiveDate>,
    },
    /// `amount` every day.
    Daily {
        /// The amount per day.
        amount: Decimal,
        /// First day it applies.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<NaiveDate>,
        /// Last day it applies.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<NaiveDate>,
    },
    /// `amount` once, counted whole in a period that contains `date`.
    OneTime {
        /// The amount.
        amount: Decimal,
        /// The day it was paid.
        date: NaiveDate,
    },
    /// `percent` (percent points: `10` is 10 %) of a figure of the same lines.
    Percent {
        /// Percent points.
        percent: Decimal,
        /// The figure it is a percentage of.
        of: CostBase,
    },
}

/// The figure a percentage cost is taken of (each a figure of docs/metrics.md §2–§3, before custom costs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostBase {
    /// `gmv`.
    Gmv,
    /// `net_sales`.
    NetSales,
    /// `net_revenue`.
    NetRevenue,
    /// `cogs`.
    Cogs,
    /// `ad_spend` (e.g. an agency fee of 10 % of ad spend).
    AdSpend,
    /// `affiliate_commission`.
    AffiliateCommission,
}

impl CostBase {
    /// The figure's key in docs/metrics.md.
    pub fn key(self) -> &'static str {
        match self {
            CostBase::Gmv => "gmv",
            CostBase::NetSales => "net_sales",
            CostBase::NetRevenue => "net_revenue",
            CostBase::Cogs => "cogs",
            CostBase::AdSpend => "ad_spend",
            CostBase::AffiliateCommission => "affiliate_commission",
        }
    }
}

impl CostRule {
    /// The fixed amount the period `from`–`to` (inclusive) bears (docs/metrics.md §3): each day of a
    /// monthly cost carries the amount / the days of its month (whole months of the period counted at
    /// once, kept to 12 places), a weekly one the amount / 7, a daily one the amount; a one-time cost
    /// counts whole when its date is in the period. Only the days between its own `from` and `to` count.
    /// `None` for a percentage cost (it has no amount of its own).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use margin_engine::settings::CostRule;
    /// use rust_decimal_macros::dec;
    /// let d = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    /// let rent = CostRule::Monthly { amount: dec!(3100), from: None, to: None };
    /// // 10 days of May (31 days): 3100 × 10 / 31
    /// assert_eq!(rent.amount_for(d(5, 1), d(5, 10)), Some(dec!(1000)));
    /// let once = CostRule::OneTime { amount: dec!(500), date: d(4, 30) };
    /// assert_eq!(once.amount_for(d(5, 1), d(5, 10)), Some(dec!(0)));
    /// ```
    pub fn amount_for(&self, from: NaiveDate, to: NaiveDate) -> Option<Decimal> {
        use crate::money::share;
        let clip = |a: Option<NaiveDate>, b: Option<NaiveDate>| {
            let first = a.map_or(from, |a| a.max(from));
            let last = b.map_or(to, |b| b.min(to));
            (first <= last).then_some((first, last))
        };
        let days = |(a, b): (NaiveDate, NaiveDate)| Decimal::from((b - a).num_days() + 1);
        Some(match *self {
            CostRule::Percent { .. } => return None,
            CostRule::OneTime { amount, date } => {
                if date >= from && date <= to {
                    amount
                } else {
                    Decimal::ZERO
                }
            }
            CostRule::Daily {
                amount,
                from: a,
                to: b,
            } => clip(a, b).map_or(Decimal::ZERO, |span| {
                amount.checked_mul(days(span)).unwrap_or(Decimal::MAX)
            }),
            CostRule::Weekly {
                amount,
                from: a,
                to: b,
            } => clip(a, b).map_or(Decimal::ZERO, |span| {
                share(amount, days(span), Decimal::from(7))
            }),
            CostRule::Monthly {
                amount,
                from: a,
                to: b,
            } => {
                let Some((mut first, last)) = clip(a, b) else {
                    return Some(Decimal::ZERO);
                };
                use chrono::Datelike;
                let mut total = Decimal::ZERO;
                // Month by month: the days of the span in each month × amount / the month's days.
                loop {
                    let month_days = days_in_month(first);
                    let month_end = first.with_day(month_days).map_or(last, |e| e.min(last));
                    total += share(amount, days((first, month_end)), Decimal::from(month_days));
                    match month_end.succ_opt() {
                        Some(next) if next <= last => first = next,
                        _ => break,
                    }
                }
                total
            }
        })
    }

    /// The fixed amount, or the percentage (percent points).
    fn number(&self) -> Decimal {
        match *self {
            CostRule::Monthly { amount, .. }
            | CostRule::Weekly { amount, .. }
            | CostRule::Daily { amount, .. }
            | CostRule::OneTime { amount, .. } => amount,
            CostRule::Percent { percent, .. } => percent,
        }
    }

    /// The span it applies over, for a recurring cost.
    fn span(&self) -> (Option<NaiveDate>, Option<NaiveDate>) {
        match *self {
            CostRule::Monthly { from, to, .. }
            | CostRule::Weekly { from, to, .. }
            | CostRule::Daily { from, to, .. } => (from, to),
            CostRule::OneTime { .. } | CostRule::Percent { .. } => (None, None),
        }
    }
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
    /// Dated fee rules per market (docs/fees.md C.10), seeded with [`default_rules`].
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
    /// What one hour of the seller's own LIVE costs (host, studio): charged to each LIVE session's
    /// estimated P&L by its duration (docs/metrics.md §11).
    pub live_host_cost_per_hour: Decimal,
    /// When set, overhead is this amount per unit sold instead of the monthly amount.
    pub overhead_per_unit: Option<Decimal>,
    /// Other marketing entries.
    pub other_marketing: Vec<MarketingEntry>,
    /// Manual ad spend per SKU for the period (SKU ID or seller SKU, amount), added to the ads exports.
    pub ad_spend_per_sku: Vec<(String, Decimal)>,
    /// Alert thresholds.
    pub alerts: AlertSettings,
    /// Whether the shop charges VAT in each VAT market, as the seller answered (docs/metrics.md §2
    /// output_vat): used for the lines whose export carries no VAT (tax columns absent or 0) and whose SKU
    /// has no VAT rate in the costs sheet. Empty: such lines carry no VAT, as before the question.
    pub vat: Vec<VatSetting>,
    /// Who prepares the client reports (an agency's name), printed on them; empty for none.
    pub agency: String,
    /// The Portfolio's reporting currency and the user's rates into it (docs/metrics.md §10); `None`:
    /// no total across shops.
    pub fx: Option<crate::fx::FxTable>,
    /// The user's names for shops, by shop key (docs/metrics.md §10).
    pub shop_names: Vec<crate::shops::ShopName>,
    /// Which shop a file without shop-scoped IDs belongs to, as the user answered (docs/metrics.md §10).
    pub file_shops: Vec<crate::shops::FileShop>,
    /// Shops with settings of their own (an agency's clients pay different fulfilment, overhead…): by
    /// shop key; every other shop uses these (docs/metrics.md §10).
    pub shop_settings: Vec<ShopSettings>,
    /// The seller's own costs, fixed or a percentage of a figure, each marketing or overhead
    /// (docs/metrics.md §3 `custom_costs`). Absent from older documents: none.
    pub custom_costs: Vec<CustomCost>,
}

/// One shop's own settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopSettings {
    /// The shop's key (`shops::Shop::key`).
    pub shop: String,
    /// Its settings (their own names, rates, answers and shop settings are not read: those are the
    /// workspace's).
    pub settings: Box<Settings>,
}

/// The seller's answer to "is the shop VAT-registered?" for one market (docs/metrics.md §2 output_vat).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VatSetting {
    /// ISO country code of the market (`GB`, `DE`…), as in [`MarketSetting::market`].
    pub market: String,
    /// The shop is VAT-registered there: its prices include VAT at `rate`.
    pub registered: bool,
    /// The standard rate as a ratio (`0.20` for 20 %).
    pub rate: Decimal,
}

impl VatSetting {
    /// The seller's answer for `market`, the rate typed in percent (`"20"`, `"20 %"`, `"17.5"`); an error
    /// names what is wrong with the rate (below 0 or from 100 on is no VAT rate).
    pub fn from_percent(
        market: &str,
        registered: bool,
        percent: &str,
    ) -> Result<VatSetting, String> {
        let text = percent.trim().trim_end_matches('%').trim();
        let pct: Decimal = text
            .parse()
            .map_err(|_| format!("\"{}\" is not a VAT rate in percent", percent.trim()))?;
        if pct.is_sign_negative() || pct >= Decimal::ONE_HUNDRED {
            return Err(format!("{pct} % is not a VAT rate"));
        }
        Ok(VatSetting {
            market: market.trim().to_uppercase(),
            registered,
            rate: pct / Decimal::ONE_HUNDRED,
        })
    }

    /// The rate in percent as typed (`0.20` → `"20"`).
    pub fn percent_text(rate: Decimal) -> String {
        (rate * Decimal::ONE_HUNDRED).normalize().to_string()
    }
}

/// Markets where prices shown to buyers include VAT (the UK and the EU markets TikTok Shop sells in),
/// with their standard rate as a ratio: the default answer of the VAT question.
pub const VAT_MARKETS: &[(&str, Decimal)] = &[
    ("GB", Decimal::from_parts(20, 0, 0, false, 2)),
    ("DE", Decimal::from_parts(19, 0, 0, false, 2)),
    ("FR", Decimal::from_parts(20, 0, 0, false, 2)),
    ("ES", Decimal::from_parts(21, 0, 0, false, 2)),
    ("IT", Decimal::from_parts(22, 0, 0, false, 2)),
    ("IE", Decimal::from_parts(23, 0, 0, false, 2)),
];

/// The standard VAT rate of a market whose prices include VAT (`GB` → 0.20); `None` elsewhere (US sales
/// tax is charged on top of the price).
pub fn standard_vat_rate(market: &str) -> Option<Decimal> {
    VAT_MARKETS
        .iter()
        .find(|(m, _)| m.eq_ignore_ascii_case(market.trim()))
        .map(|(_, r)| *r)
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
            live_host_cost_per_hour: Decimal::ZERO,
            overhead_per_unit: None,
            other_marketing: Vec::new(),
            ad_spend_per_sku: Vec::new(),
            alerts: AlertSettings::default(),
            vat: Vec::new(),
            agency: String::new(),
            fx: None,
            shop_names: Vec::new(),
            file_shops: Vec::new(),
            shop_settings: Vec::new(),
            custom_costs: Vec::new(),
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
    /// The settings a shop's figures use: its own when it has some, else these; either way with these
    /// settings' shop names, rates, file answers, agency, VAT answers, markets and per-SKU ad spend (they
    /// are about all shops, per market or per SKU).
    pub fn for_shop(&self, key: &str) -> Settings {
        match self.shop_settings.iter().find(|o| o.shop == key) {
            Some(own) => Settings {
                shop_names: self.shop_names.clone(),
                fx: self.fx.clone(),
                file_shops: self.file_shops.clone(),
                agency: self.agency.clone(),
                // Per market or per SKU, answered once for every shop (docs/metrics.md §10).
                vat: self.vat.clone(),
                markets: self.markets.clone(),
                ad_spend_per_sku: self.ad_spend_per_sku.clone(),
                shop_settings: Vec::new(),
                ..(*own.settings).clone()
            },
            None => self.clone(),
        }
    }

    /// The settings the page edits for `key`'s shop: its own when it has some, else these (shared).
    pub fn scoped(&self, key: Option<&str>) -> &Settings {
        key.and_then(|k| self.shop_settings.iter().find(|o| o.shop == k))
            .map_or(self, |o| &o.settings)
    }

    /// [`Settings::scoped`], to change.
    pub fn scoped_mut(&mut self, key: Option<&str>) -> &mut Settings {
        match key.and_then(|k| self.shop_settings.iter().position(|o| o.shop == k)) {
            Some(i) => &mut self.shop_settings[i].settings,
            None => self,
        }
    }

    /// The market of a currency (`USD` → `US`); the currency code itself when none is set.
    pub fn market_of(&self, currency: Currency) -> String {
        self.markets
            .iter()
            .find(|m| m.currency == currency)
            .map_or_else(|| currency.code().to_string(), |m| m.market.clone())
    }

    /// The VAT rate the seller set for a market: its rate when registered, 0 when not registered or not
    /// answered (docs/metrics.md §2 output_vat).
    pub fn vat_rate_for(&self, market: &str) -> Decimal {
        self.vat
            .iter()
            .find(|v| v.market.trim().eq_ignore_ascii_case(market.trim()))
            .filter(|v| v.registered)
            .map_or(Decimal::ZERO, |v| v.rate)
    }

    /// Whether the seller answered the VAT question for a market.
    pub fn vat_answered(&self, market: &str) -> bool {
        self.vat
            .iter()
            .any(|v| v.market.trim().eq_ignore_ascii_case(market.trim()))
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
        let restock = std::iter::once(("", s.restock_rate)).chain(
            s.shop_settings
                .iter()
                .map(|o| (o.shop.as_str(), o.settings.restock_rate)),
        );
        for (shop, r) in restock {
            if r.is_sign_negative() || r > Decimal::ONE {
                let of = if shop.is_empty() {
                    String::new()
                } else {
                    format!(" (shop {shop})")
                };
                return Err(SettingsError {
                    message: format!("restock_rate{of} must be between 0 and 1, not {r}"),
                });
            }
        }
        Ok(s)
    }

    /// Refuses a number no shop has (an amount beyond [`MAX_SETTING_AMOUNT`], a rate beyond
    /// [`MAX_SETTING_RATE`]), naming the field: the figures are exact, and such a value would take them
    /// past the range of `Decimal` (about 7.9 × 10²⁸) instead of giving a figure. The report checks it
    /// ([`crate::report::build_with_settings`]); reading and saving a document do not, so a typo is
    /// reported where the figures would be and can be corrected, never lost with the rest of the document.
    pub fn check_magnitudes(&self) -> Result<(), SettingsError> {
        let mut amounts: Vec<(String, Decimal)> = vec![
            (
                "return_shipping_per_unit".into(),
                self.return_shipping_per_unit,
            ),
            (
                "sample_shipping_per_unit".into(),
                self.sample_shipping_per_unit,
            ),
            ("shipping_per_order".into(), self.shipping_per_order),
            ("fulfillment_per_unit".into(), self.fulfillment_per_unit),
            ("fulfillment_per_order".into(), self.fulfillment_per_order),
            ("overhead_per_month".into(), self.overhead_per_month),
            (
                "live_host_cost_per_hour".into(),
                self.live_host_cost_per_hour,
            ),
            (
                "overhead_per_unit".into(),
                self.overhead_per_unit.unwrap_or_default(),
            ),
        ];
        let mut rates: Vec<(String, Decimal)> = Vec::new();
        for (i, m) in self.other_marketing.iter().enumerate() {
            amounts.push((format!("other_marketing[{i}].amount"), m.amount));
        }
        for (sku, a) in &self.ad_spend_per_sku {
            amounts.push((format!("ad_spend_per_sku \"{sku}\""), *a));
        }
        for (i, c) in self.custom_costs.iter().enumerate() {
            let at = |f: &str| format!("custom_costs[{i}] (\"{}\").{f}", c.name);
            let (field, is_rate) = match c.rule {
                CostRule::Percent { .. } => ("percent", true),
                _ => ("amount", false),
            };
            let v = c.rule.number();
            if v.is_sign_negative() && !v.is_zero() {
                return Err(SettingsError {
                    message: format!("{} is {v}: a custom cost cannot be negative", at(field)),
                });
            }
            if let (Some(a), Some(b)) = c.rule.span()
                && b < a
            {
                return Err(SettingsError {
                    message: format!(
                        "{} is {b}, before its first day {a}: the cost would apply on no day",
                        at("to")
                    ),
                });
            }
            if is_rate {
                rates.push((at(field), v));
            } else {
                amounts.push((at(field), v));
            }
        }
        for (i, r) in self.fee_rules.iter().enumerate() {
            let at = |f: &str| format!("fee_rules[{i}].{f}");
            rates.push((at("rate"), r.rate));
            rates.push((at("refund_admin_fee_rate"), r.refund_admin_fee_rate));
            for (j, c) in r.category_overrides.iter().enumerate() {
                rates.push((at(&format!("category_overrides[{j}].rate")), c.rate));
            }
            amounts.push((at("fixed_per_order"), r.fixed_per_order));
            amounts.push((at("fixed_per_item"), r.fixed_per_item));
            amounts.push((at("cap_per_item"), r.cap_per_item.unwrap_or_default()));
            amounts.push((
                at("refund_admin_fee_cap"),
                r.refund_admin_fee_cap.unwrap_or_default(),
            ));
        }
        for (i, v) in self.vat.iter().enumerate() {
            rates.push((format!("vat[{i}].rate"), v.rate));
        }
        if let Some(fx) = &self.fx {
            for (i, r) in fx.rates.iter().enumerate() {
                rates.push((format!("fx.rates[{i}].rate"), r.rate));
            }
        }
        for o in &self.shop_settings {
            o.settings.check_magnitudes().map_err(|e| SettingsError {
                message: format!("shop {}: {}", o.shop, e.message),
            })?;
        }
        let a = &self.alerts;
        for (i, (_, v)) in a.return_rate_benchmarks.iter().enumerate() {
            rates.push((format!("alerts.return_rate_benchmarks[{i}]"), *v));
        }
        for (name, v) in [
            (
                "default_return_rate_benchmark",
                a.default_return_rate_benchmark,
            ),
            ("return_spike_factor", a.return_spike_factor),
            ("cpo_deterioration_pct", a.cpo_deterioration_pct),
            ("affiliate_dropoff_pct", a.affiliate_dropoff_pct),
            ("live_miss_pct", a.live_miss_pct),
            ("min_creator_efficiency", a.min_creator_efficiency),
        ] {
            rates.push((format!("alerts.{name}"), v));
        }
        let too_big = |(name, v): &(String, Decimal), max: Decimal, what: &str| {
            (v.abs() > max).then(|| SettingsError {
                message: format!(
                    "{name} is {v}: {what} cannot be larger than {max} (plus or minus)"
                ),
            })
        };
        match amounts
            .iter()
            .find_map(|x| too_big(x, MAX_SETTING_AMOUNT, "an amount"))
            .or_else(|| {
                rates.iter().find_map(|x| {
                    too_big(
                        x,
                        MAX_SETTING_RATE,
                        "a rate or threshold (a fee rate is a ratio: 0.06 is 6 %)",
                    )
                })
            }) {
            Some(e) => Err(e),
            None => Ok(()),
        }
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
    fn numbers_no_shop_has_are_refused_by_name() {
        assert_eq!(MAX_SETTING_AMOUNT, dec!(1000000000000));
        assert_eq!(MAX_SETTING_RATE, dec!(1000));
        let check = |json: &str| Settings::from_json(json).unwrap().check_magnitudes();
        // Found by the settings fuzz target: this overhead overflowed the allocation (a panic).
        let e = check(r#"{"overhead_per_month":"4700000098315506534846329282"}"#).unwrap_err();
        assert!(
            e.message
                .starts_with("overhead_per_month is 4700000098315506534846329282"),
            "{}",
            e.message
        );
        let e = check(r#"{"ad_spend_per_sku":[["TEA-1","-2000000000000"]]}"#).unwrap_err();
        assert!(
            e.message
                .starts_with("ad_spend_per_sku \"TEA-1\" is -2000000000000"),
            "{}",
            e.message
        );
        let mut s = Settings::default();
        s.fee_rules[0].rate = dec!(1001);
        let e = s.check_magnitudes().unwrap_err();
        assert!(
            e.message.starts_with("fee_rules[0].rate is 1001: a rate"),
            "{}",
            e.message
        );
        assert!(check(r#"{"overhead_per_month":"1000000000000"}"#).is_ok());
        assert!(Settings::default().check_magnitudes().is_ok());
        // The report refuses them (naming the field) instead of overflowing; reading keeps them.
        let big = Settings {
            overhead_per_month: dec!(10000000000000),
            ..Settings::default()
        };
        let costs = crate::costs::CostsTable::default();
        let r = crate::report::build_with_settings(&[], &costs, &big, None, None);
        assert!(
            matches!(&r, Err(crate::report::ReportError::SettingOutOfRange(m)) if m.starts_with("overhead_per_month is 10000000000000")),
            "{:?}",
            r.err()
        );
        assert_eq!(Settings::from_json(&big.to_json()).unwrap(), big);
    }

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

#[cfg(test)]
mod shop_settings_tests {
    use super::*;

    #[test]
    fn a_shop_uses_its_own_settings_with_the_shared_names_and_rates() {
        let mut s = Settings {
            agency: "Acme".into(),
            restock_rate: Decimal::ONE,
            ..Settings::default()
        };
        let own = Settings {
            restock_rate: Decimal::ZERO,
            agency: "ignored".into(),
            ..Settings::default()
        };
        s.shop_settings.push(ShopSettings {
            shop: "2001".into(),
            settings: Box::new(own),
        });
        let b = s.for_shop("2001");
        assert_eq!((b.restock_rate, b.agency.as_str()), (Decimal::ZERO, "Acme"));
        assert!(b.shop_settings.is_empty());
        assert_eq!(s.for_shop("1001").restock_rate, Decimal::ONE);
        // The page edits a shop's own settings when it has some, else the shared ones.
        s.scoped_mut(Some("2001")).restock_rate = Decimal::TWO;
        s.scoped_mut(Some("1001")).overhead_per_month = Decimal::TEN;
        assert_eq!(s.scoped(Some("2001")).restock_rate, Decimal::TWO);
        assert_eq!(s.restock_rate, Decimal::ONE);
        assert_eq!(s.overhead_per_month, Decimal::TEN);
        assert_eq!(s.scoped(None).restock_rate, Decimal::ONE);
    }
}
