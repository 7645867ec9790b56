//! The page's place in the URL hash: the view, the period and each view's filters (issue 5, item 10),
//! so a reload or a shared link opens the same view. Never data: no figure, cost or file name goes in
//! the hash. Pure code, tested natively.
//!
//! Shape: `#/<view>?period=<preset>&from=YYYY-MM-DD&to=YYYY-MM-DD&cur=GBP&<view key>=<value>…`, every
//! value percent-encoded. Unknown views and presets fall back to the defaults; unknown keys are kept
//! (a newer link opened in an older page loses nothing it does not understand).

use chrono::{Datelike, Days, NaiveDate};
use std::collections::BTreeMap;

/// The page's views, in navigation order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum View {
    Files,
    /// The shops side by side (shown when the files make several).
    Portfolio,
    Overview,
    Skus,
    Creators,
    /// LIVE sessions, videos and each piece of content's P&L (docs/metrics.md §11).
    Content,
    /// Ad spend against what it brought: GMV Max's reported revenue, blended ROAS, the on/off-day
    /// estimate (docs/metrics.md §6).
    Ads,
    /// Estimated vs settled cash: per order, the cash to come, the P&L by settlement date (docs/metrics.md
    /// §6).
    Cash,
    WhatIf,
    Settings,
}

impl View {
    pub const ALL: [View; 10] = [
        View::Files,
        View::Portfolio,
        View::Overview,
        View::Skus,
        View::Creators,
        View::Content,
        View::Ads,
        View::Cash,
        View::WhatIf,
        View::Settings,
    ];

    /// The path segment in the hash.
    pub fn slug(self) -> &'static str {
        match self {
            View::Files => "files",
            View::Portfolio => "portfolio",
            View::Overview => "overview",
            View::Skus => "skus",
            View::Creators => "creators",
            View::Content => "content",
            View::Ads => "ads",
            View::Cash => "cash",
            View::WhatIf => "what-if",
            View::Settings => "settings",
        }
    }

    /// The navigation link's text.
    pub fn label(self) -> &'static str {
        match self {
            View::Files => "Files",
            View::Portfolio => "Portfolio",
            View::Overview => "Overview",
            View::Skus => "SKUs",
            View::Creators => "Creators",
            View::Content => "Content",
            View::Ads => "Ads",
            View::Cash => "Cash",
            View::WhatIf => "What-if",
            View::Settings => "Settings",
        }
    }

    fn from_slug(s: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.slug() == s)
    }
}

/// The hash parameter naming the shop the views show, when the files make several.
pub const SHOP_PARAM: &str = "shop";

/// The period presets of the date-range picker. Relative presets count back from the last day with
/// orders in the loaded files (exports are downloaded after the fact: "yesterday" by the wall clock
/// would often be empty), so "Last 7 days" of a May export is the last 7 days of May.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Preset {
    /// Every loaded day.
    All,
    /// The last day with orders.
    LastDay,
    Last7,
    Last30,
    /// The calendar month of the last day with orders, up to that day.
    ThisMonth,
    /// `from`–`to` of the route.
    Custom,
}

impl Preset {
    pub const ALL: [Preset; 6] = [
        Preset::All,
        Preset::LastDay,
        Preset::Last7,
        Preset::Last30,
        Preset::ThisMonth,
        Preset::Custom,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Preset::All => "all",
            Preset::LastDay => "last-day",
            Preset::Last7 => "last-7",
            Preset::Last30 => "last-30",
            Preset::ThisMonth => "this-month",
            Preset::Custom => "custom",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Preset::All => "All loaded days",
            Preset::LastDay => "Last day",
            Preset::Last7 => "Last 7 days",
            Preset::Last30 => "Last 30 days",
            Preset::ThisMonth => "This month",
            Preset::Custom => "Custom",
        }
    }

    pub fn from_slug(s: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.slug() == s)
    }

    /// The order dates this preset covers, given the days the files cover (`None`: all of them).
    pub fn resolve(
        self,
        data: Option<(NaiveDate, NaiveDate)>,
        custom: (Option<NaiveDate>, Option<NaiveDate>),
    ) -> Option<(NaiveDate, NaiveDate)> {
        let back = |last: NaiveDate, days: u64| {
            last.checked_sub_days(Days::new(days - 1))
                .map(|from| (from, last))
        };
        match (self, data) {
            (Preset::All, _) => None,
            (Preset::Custom, _) => match custom {
                (Some(a), Some(b)) if a <= b => Some((a, b)),
                (Some(a), Some(b)) => Some((b, a)),
                (Some(a), None) => Some((a, data.map_or(a, |d| d.1.max(a)))),
                (None, Some(b)) => Some((data.map_or(b, |d| d.0.min(b)), b)),
                (None, None) => None,
            },
            (_, None) => None,
            (Preset::LastDay, Some((_, last))) => Some((last, last)),
            (Preset::Last7, Some((_, last))) => back(last, 7),
            (Preset::Last30, Some((_, last))) => back(last, 30),
            (Preset::ThisMonth, Some((_, last))) => last.with_day(1).map(|first| (first, last)),
        }
    }
}

/// Everything the hash holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub view: View,
    pub preset: Preset,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Shop currency code, when the files have several.
    pub currency: Option<String>,
    /// Each view's own state (search text, sort, hidden columns…), by key.
    pub params: BTreeMap<String, String>,
}

impl Default for Route {
    fn default() -> Self {
        Route {
            view: View::Files,
            preset: Preset::All,
            from: None,
            to: None,
            currency: None,
            params: BTreeMap::new(),
        }
    }
}

impl Route {
    /// Reads `#/view?k=v&…` (with or without the `#`). Anything unreadable falls back to the default.
    pub fn parse(hash: &str) -> Route {
        let hash = hash.strip_prefix('#').unwrap_or(hash);
        let hash = hash.strip_prefix('/').unwrap_or(hash);
        let (path, query) = hash.split_once('?').unwrap_or((hash, ""));
        let mut route = Route {
            view: View::from_slug(path).unwrap_or(View::Files),
            ..Route::default()
        };
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let (Some(k), Some(v)) = (decode(k), decode(v)) else {
                continue;
            };
            let date = || NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok();
            match k.as_str() {
                "period" => route.preset = Preset::from_slug(&v).unwrap_or(Preset::All),
                "from" => route.from = date(),
                "to" => route.to = date(),
                "cur" if !v.is_empty() => route.currency = Some(v),
                _ if !v.is_empty() => {
                    route.params.insert(k, v);
                }
                _ => {}
            }
        }
        route
    }

    /// The hash for this route, `#` included. Defaults are left out, so links stay short.
    pub fn to_hash(&self) -> String {
        let mut out = format!("#/{}", self.view.slug());
        let mut pairs: Vec<(String, String)> = Vec::new();
        if self.preset != Preset::All {
            pairs.push(("period".into(), self.preset.slug().into()));
        }
        if self.preset == Preset::Custom {
            if let Some(d) = self.from {
                pairs.push(("from".into(), d.to_string()));
            }
            if let Some(d) = self.to {
                pairs.push(("to".into(), d.to_string()));
            }
        }
        if let Some(c) = &self.currency {
            pairs.push(("cur".into(), c.clone()));
        }
        pairs.extend(
            self.params
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| (k.clone(), v.clone())),
        );
        for (i, (k, v)) in pairs.iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            out.push_str(&encode(k));
            out.push('=');
            out.push_str(&encode(v));
        }
        out
    }

    /// The same route in another view (navigation links keep the period and filters).
    pub fn with_view(&self, view: View) -> Route {
        Route {
            view,
            ..self.clone()
        }
    }

    pub fn param(&self, key: &str) -> &str {
        self.params.get(key).map_or("", String::as_str)
    }

    /// Sets (or, with an empty value, removes) a view parameter.
    pub fn set_param(&mut self, key: &str, value: &str) {
        if value.is_empty() {
            self.params.remove(key);
        } else {
            self.params.insert(key.to_string(), value.to_string());
        }
    }

    /// The period to analyse.
    pub fn period(&self, data: Option<(NaiveDate, NaiveDate)>) -> Option<(NaiveDate, NaiveDate)> {
        self.preset.resolve(data, (self.from, self.to))
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b':' | b',') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Undoes [`encode`] (and `+` as a space); `None` for broken escapes or bytes that are not UTF-8.
fn decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn round_trips_and_keeps_unknown_keys() {
        let hash = "#/skus?period=custom&from=2026-05-01&to=2026-05-31&cur=GBP&q=glow%20serum%20%26%20co&sort=cm2:desc";
        let r = Route::parse(hash);
        assert_eq!(r.view, View::Skus);
        assert_eq!(r.preset, Preset::Custom);
        assert_eq!(r.from, Some(d("2026-05-01")));
        assert_eq!(r.to, Some(d("2026-05-31")));
        assert_eq!(r.currency.as_deref(), Some("GBP"));
        assert_eq!(r.param("q"), "glow serum & co");
        assert_eq!(r.param("sort"), "cm2:desc");
        assert_eq!(Route::parse(&r.to_hash()), r);
    }

    #[test]
    fn garbage_falls_back_to_defaults() {
        assert_eq!(Route::parse(""), Route::default());
        assert_eq!(
            Route::parse("#/nope?period=forever&from=2026-13-40"),
            Route::default()
        );
        // A broken escape drops that pair only.
        let r = Route::parse("#/creators?q=%E2%28&sort=orders:asc");
        assert_eq!(r.view, View::Creators);
        assert_eq!(r.param("q"), "");
        assert_eq!(r.param("sort"), "orders:asc");
    }

    #[test]
    fn presets_count_back_from_the_last_day_with_orders() {
        let data = Some((d("2026-04-20"), d("2026-05-31")));
        let none = (None, None);
        assert_eq!(Preset::All.resolve(data, none), None);
        assert_eq!(
            Preset::LastDay.resolve(data, none),
            Some((d("2026-05-31"), d("2026-05-31")))
        );
        // 31 May back 6 days = 25 May: 25..31 is 7 days.
        assert_eq!(
            Preset::Last7.resolve(data, none),
            Some((d("2026-05-25"), d("2026-05-31")))
        );
        // 31 May back 29 days = 2 May.
        assert_eq!(
            Preset::Last30.resolve(data, none),
            Some((d("2026-05-02"), d("2026-05-31")))
        );
        assert_eq!(
            Preset::ThisMonth.resolve(data, none),
            Some((d("2026-05-01"), d("2026-05-31")))
        );
        // Custom dates given the wrong way round are swapped; one missing end takes the data's.
        assert_eq!(
            Preset::Custom.resolve(data, (Some(d("2026-05-10")), Some(d("2026-05-03")))),
            Some((d("2026-05-03"), d("2026-05-10")))
        );
        assert_eq!(
            Preset::Custom.resolve(data, (Some(d("2026-05-10")), None)),
            Some((d("2026-05-10"), d("2026-05-31")))
        );
        assert_eq!(Preset::Last7.resolve(None, none), None);
    }

    #[test]
    fn defaults_are_left_out_of_the_hash() {
        assert_eq!(Route::default().to_hash(), "#/files");
        let r = Route {
            view: View::WhatIf,
            preset: Preset::Last7,
            from: Some(d("2026-01-01")),
            ..Route::default()
        };
        // `from` only matters for a custom period.
        assert_eq!(r.to_hash(), "#/what-if?period=last-7");
    }
}
