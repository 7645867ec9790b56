//! Exchange rates the user gives (docs/metrics.md §10): no rate is ever fetched. A rate converts one
//! unit of a shop's currency into the reporting currency; a dated rate applies from its day on, the
//! latest one on or before the period's last day wins, an undated rate applies to any day.

use crate::money::Currency;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The largest rate accepted: above any real pair (1 USD ≈ 25,000 VND), far below what would take a
/// converted figure out of `Decimal`'s range.
pub const MAX_RATE: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

/// One rate: 1 `currency` = `rate` reporting-currency units, from `from` on (always when `None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FxRate {
    /// The currency converted.
    pub currency: Currency,
    /// Reporting-currency units per unit.
    pub rate: Decimal,
    /// First day the rate applies.
    #[serde(default)]
    pub from: Option<NaiveDate>,
}

impl FxRate {
    /// Reads `GBP=1.27` or `GBP=1.27@2026-05-01` (the CLI's `--fx`, a line of a rates file).
    ///
    /// # Errors
    /// A text in words naming what is wrong.
    pub fn parse(text: &str) -> Result<FxRate, String> {
        let t = text.trim();
        let (code, rest) = t
            .split_once('=')
            .ok_or_else(|| format!("{t:?}: write a rate as CODE=RATE, e.g. GBP=1.27"))?;
        let currency = Currency::from_code(code.trim())
            .ok_or_else(|| format!("{t:?}: {code:?} is not a currency code"))?;
        let (rate, from) = match rest.split_once('@') {
            Some((r, d)) => (r, Some(d)),
            None => (rest, None),
        };
        let rate: Decimal = rate
            .trim()
            .parse()
            .map_err(|_| format!("{t:?}: {rate:?} is not a number"))?;
        if rate <= Decimal::ZERO || rate > MAX_RATE {
            return Err(format!(
                "{t:?}: a rate must be above 0 and at most {MAX_RATE}"
            ));
        }
        let from = from
            .map(|d| {
                NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
                    .map_err(|_| format!("{t:?}: write the date as YYYY-MM-DD"))
            })
            .transpose()?;
        Ok(FxRate {
            currency,
            rate,
            from,
        })
    }
}

/// A reporting currency and the rates into it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FxTable {
    /// The currency portfolio totals are given in.
    pub reporting: Currency,
    /// The rates, any order.
    pub rates: Vec<FxRate>,
}

/// The rate a conversion used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsedRate {
    /// Reporting-currency units per unit (1 for the reporting currency itself).
    pub rate: Decimal,
    /// The day the rate applies from (`None`: undated, or the same currency).
    pub from: Option<NaiveDate>,
}

impl FxTable {
    /// The rate for `currency` on `day` (the latest dated rate on or before it, else an undated one);
    /// 1 for the reporting currency; `None` when the user gave none.
    pub fn rate(&self, currency: Currency, day: Option<NaiveDate>) -> Option<UsedRate> {
        if currency == self.reporting {
            return Some(UsedRate {
                rate: Decimal::ONE,
                from: None,
            });
        }
        let of = self.rates.iter().filter(|r| r.currency == currency);
        // Without a day (a shop with no orders) only an undated rate applies.
        let dated = of
            .clone()
            .filter(|r| r.from.is_some_and(|f| day.is_some_and(|d| f <= d)))
            .max_by_key(|r| r.from);
        dated
            .or_else(|| of.clone().rfind(|r| r.from.is_none()))
            .map(|r| UsedRate {
                rate: r.rate,
                from: r.from,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn rates_read_and_apply_by_date() {
        let gbp = Currency::from_code("GBP").unwrap();
        let usd = Currency::from_code("USD").unwrap();
        let t = FxTable {
            reporting: usd,
            rates: vec![
                FxRate::parse("GBP=1.25").unwrap(),
                FxRate::parse("GBP=1.27@2026-05-01").unwrap(),
                FxRate::parse(" GBP = 1.30 @ 2026-06-01").unwrap(),
            ],
        };
        assert_eq!(t.rate(usd, None).unwrap().rate, Decimal::ONE);
        assert_eq!(t.rate(gbp, Some(d("2026-04-30"))).unwrap().rate, dec!(1.25));
        let may = t.rate(gbp, Some(d("2026-05-17"))).unwrap();
        assert_eq!((may.rate, may.from), (dec!(1.27), Some(d("2026-05-01"))));
        assert_eq!(t.rate(gbp, Some(d("2026-06-01"))).unwrap().rate, dec!(1.30));
        assert_eq!(t.rate(Currency::from_code("EUR").unwrap(), None), None);
        assert!(FxRate::parse("GBP").is_err());
        assert!(FxRate::parse("XX=1").is_err());
        assert!(FxRate::parse("GBP=0").is_err());
        assert!(FxRate::parse("GBP=1000001").is_err());
        assert!(FxRate::parse("GBP=abc").is_err());
        assert!(FxRate::parse("GBP=1.2@May").is_err());
    }
}
