//! How the page writes numbers (issue 5, item 9): money in the shop's currency with its symbol and
//! minor unit (the engine's `Currency::format`, rounded half away from zero), percentages with one
//! decimal, counts with thousands separators, "—" for a figure that cannot be computed.

pub mod chart;

use margin_engine::money::{Currency, percent_points_dp};
use rust_decimal::{Decimal, RoundingStrategy};

/// What a figure that cannot be computed (a ratio over zero) shows.
pub const NONE: &str = "—";

/// The exact amount for an input: never rounded away (6.505 stays 6.505), at least the minor unit
/// (6.5 → 6.50).
pub fn editable_amount(amount: Decimal, c: Currency) -> String {
    let mut a = amount.normalize();
    if a.scale() < c.minor_units() {
        a.rescale(c.minor_units());
    }
    a.to_string()
}

/// A value already in percent points, one decimal.
pub fn pct_points(p: Option<Decimal>) -> String {
    p.map_or_else(|| NONE.to_string(), |p| format!("{}%", round(p, 1)))
}

/// Money, or "—".
pub fn money(c: Currency, amount: Option<Decimal>) -> String {
    amount.map_or_else(|| NONE.to_string(), |a| c.format(a))
}

/// A plain ratio (ROAS, efficiency) with two decimals, or "—".
pub fn ratio(r: Option<Decimal>) -> String {
    r.map_or_else(|| NONE.to_string(), |r| round(r, 2).to_string())
}

/// Rounds half away from zero to `dp` decimals and shows them all (never "-0.0").
pub fn round(d: Decimal, dp: u32) -> Decimal {
    let mut r = d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(dp);
    if r.is_zero() {
        r.set_sign_positive(true);
    }
    r
}

/// 1234567 → "1,234,567" (negative counts keep their sign).
pub fn count(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A count held as a decimal (a registry count), whole, with thousands separators.
pub fn whole(d: Decimal) -> String {
    count(i64::try_from(d.trunc().mantissa()).unwrap_or(i64::MAX))
}

/// Seconds as hours and minutes, "2:05" (minutes rounded down).
pub fn hours_minutes(secs: Decimal) -> String {
    let m = i64::try_from(secs.trunc().mantissa()).unwrap_or(0).max(0) / 60;
    format!("{}:{:02}", m / 60, m % 60)
}

/// Megabytes (10^6 bytes), one decimal. Byte counts are JS numbers, not money.
pub fn mb(bytes: f64) -> String {
    format!("{:.1} MB", bytes / 1e6)
}

/// The change from `before` to `now` in percent of |before|, signed, one decimal, and whether it went
/// up. `None` when there is no before or it is zero.
pub fn change(now: Decimal, before: Option<Decimal>) -> Option<(String, bool)> {
    let before = before?;
    let p = percent_points_dp(now - before, before.abs(), 1)?;
    let up = !p.is_sign_negative() || p.is_zero();
    Some((format!("{}{p}%", if up { "+" } else { "" }), up))
}

/// A change against a baseline with two decimals and its sign ("+1.20", "-0.35"); empty when there is
/// none or it rounds to zero.
pub fn signed_delta(d: Option<Decimal>) -> String {
    let Some(d) = d.map(|d| round(d, 2)) else {
        return String::new();
    };
    if d.is_zero() {
        String::new()
    } else if d.is_sign_positive() {
        format!("+{d}")
    } else {
        d.to_string()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(editable_amount(dec!(6.5), Currency::USD), "6.50");
        assert_eq!(editable_amount(dec!(6.505), Currency::USD), "6.505");
        // Yen has no minor unit.
        let jpy = Currency::from_code("JPY").unwrap();
        assert_eq!(editable_amount(dec!(7), jpy), "7");
        assert_eq!(pct_points(Some(dec!(12.25))), "12.3%");
        assert_eq!(pct_points(Some(dec!(-0.04))), "0.0%");
        assert_eq!(ratio(Some(dec!(4.125))), "4.13");
        assert_eq!(count(1234567), "1,234,567");
        assert_eq!(count(-1000), "-1,000");
        assert_eq!(count(999), "999");
        assert_eq!(whole(dec!(1234)), "1,234");
        assert_eq!(money(Currency::GBP, Some(dec!(-1234.5))), "-£1,234.50");
        assert_eq!(hours_minutes(dec!(8149)), "2:15");
        assert_eq!(hours_minutes(dec!(59)), "0:00");
    }

    #[test]
    fn deltas_are_signed_and_empty_when_unchanged() {
        assert_eq!(signed_delta(Some(dec!(1.2))), "+1.20");
        assert_eq!(signed_delta(Some(dec!(-0.35))), "-0.35");
        // −0.001 rounds to 0.00: no change shown.
        assert_eq!(signed_delta(Some(dec!(-0.001))), "");
        assert_eq!(signed_delta(None), "");
    }

    #[test]
    fn changes_are_signed_and_relative_to_the_size_of_before() {
        // 110 vs 100: +10.0%; 90 vs 100: −10.0%; −50 vs −100: (−50 + 100) / 100 = +50.0%.
        assert_eq!(
            change(dec!(110), Some(dec!(100))),
            Some(("+10.0%".into(), true))
        );
        assert_eq!(
            change(dec!(90), Some(dec!(100))),
            Some(("-10.0%".into(), false))
        );
        assert_eq!(
            change(dec!(-50), Some(dec!(-100))),
            Some(("+50.0%".into(), true))
        );
        assert_eq!(change(dec!(5), Some(dec!(0))), None);
        assert_eq!(change(dec!(5), None), None);
    }
}
