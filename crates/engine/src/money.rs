//! Money: parsing cells into exact decimals, currencies and their minor units, display rounding.
//!
//! Money is `Decimal` from parse to display (docs/metrics.md preamble). Rounding happens only here, at
//! display or serialisation, with one named strategy: half away from zero, to the currency's minor unit.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The rounding strategy of every displayed or written figure (docs/metrics.md: "half away from zero").
pub const DISPLAY_ROUNDING: RoundingStrategy = RoundingStrategy::MidpointAwayFromZero;

/// An ISO 4217 currency code, e.g. `USD`, `GBP`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency([u8; 3]);

/// Minor units (digits after the decimal point) per currency; currencies not listed use 2.
/// IDR and VND exports carry integer amounts (docs/formats.md §1.5), so they display without decimals.
const MINOR_UNITS: &[(&str, u32)] = &[
    ("JPY", 0),
    ("KRW", 0),
    ("VND", 0),
    ("IDR", 0),
    ("CLP", 0),
    ("HUF", 2),
];

/// Display symbols for the markets TikTok Shop runs in; other currencies show their code.
const SYMBOLS: &[(&str, &str)] = &[
    ("USD", "$"),
    ("GBP", "£"),
    ("EUR", "€"),
    ("BRL", "R$"),
    ("MXN", "MX$"),
    ("JPY", "¥"),
    ("IDR", "Rp"),
    ("VND", "₫"),
    ("THB", "฿"),
    ("PHP", "₱"),
    ("MYR", "RM"),
    ("SGD", "S$"),
];

impl Currency {
    /// US dollar.
    pub const USD: Currency = Currency(*b"USD");
    /// Pound sterling.
    pub const GBP: Currency = Currency(*b"GBP");

    /// Parses a three-letter code (case-insensitive). Returns `None` for anything else.
    pub fn from_code(code: &str) -> Option<Currency> {
        let b = code.trim().as_bytes();
        if b.len() == 3 && b.iter().all(u8::is_ascii_alphabetic) {
            Some(Currency([
                b[0].to_ascii_uppercase(),
                b[1].to_ascii_uppercase(),
                b[2].to_ascii_uppercase(),
            ]))
        } else {
            None
        }
    }

    /// The code as text, e.g. `"GBP"`.
    pub fn code(&self) -> &str {
        // Only ASCII letters are ever stored (see `from_code`).
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }

    /// Digits after the decimal point in this currency.
    pub fn minor_units(&self) -> u32 {
        MINOR_UNITS
            .iter()
            .find(|(c, _)| *c == self.code())
            .map_or(2, |(_, d)| *d)
    }

    /// The display symbol (`$`, `£`) or, when there is none, the code followed by a space.
    pub fn symbol(&self) -> String {
        SYMBOLS
            .iter()
            .find(|(c, _)| *c == self.code())
            .map_or_else(|| format!("{} ", self.code()), |(_, s)| (*s).to_string())
    }

    /// Rounds an amount to this currency's minor unit, half away from zero.
    ///
    /// # Examples
    /// ```
    /// use margin_engine::money::Currency;
    /// use rust_decimal_macros::dec;
    /// assert_eq!(Currency::USD.round(dec!(2.345)), dec!(2.35));
    /// assert_eq!(Currency::USD.round(dec!(-2.345)), dec!(-2.35));
    /// assert_eq!(Currency::USD.round(dec!(7)).to_string(), "7.00");
    /// ```
    pub fn round(&self, amount: Decimal) -> Decimal {
        let mut r = amount.round_dp_with_strategy(self.minor_units(), DISPLAY_ROUNDING);
        r.rescale(self.minor_units());
        // −0.004 rounds to zero: show "0.00", never "-0.00".
        if r.is_zero() {
            r.set_sign_positive(true);
        }
        r
    }

    /// Formats an amount for people: symbol, thousands separators, minor unit, e.g. `-£1,234.50`.
    ///
    /// # Examples
    /// ```
    /// use margin_engine::money::Currency;
    /// use rust_decimal_macros::dec;
    /// assert_eq!(Currency::GBP.format(dec!(-1234.5)), "-£1,234.50");
    /// assert_eq!(Currency::USD.format(dec!(0.005)), "$0.01");
    /// ```
    pub fn format(&self, amount: Decimal) -> String {
        let r = self.round(amount);
        let sign = if r.is_sign_negative() && !r.is_zero() {
            "-"
        } else {
            ""
        };
        format!(
            "{sign}{}{}",
            self.symbol(),
            group_thousands(&r.abs().to_string())
        )
    }
}

/// Inserts `,` every three digits in the integer part of a plain decimal string (no sign, no symbol);
/// the page's chart axes use it for their compact labels ("$12.5k").
///
/// # Examples
/// ```
/// use margin_engine::money::group_thousands;
/// assert_eq!(group_thousands("1234567.5"), "1,234,567.5");
/// assert_eq!(group_thousands("999"), "999");
/// ```
pub fn group_thousands(plain: &str) -> String {
    let (int, frac) = match plain.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (plain, None),
    };
    let mut out = String::with_capacity(plain.len() + int.len() / 3);
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl TryFrom<String> for Currency {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Currency::from_code(&s).ok_or_else(|| format!("not a currency code: {s:?}"))
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.code().to_string()
    }
}

/// A money cell that is not a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoneyError {
    /// The cell's text, trimmed.
    pub text: String,
}

impl fmt::Display for MoneyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not an amount of money", self.text)?;
        if Decimal::from_str(self.text.trim_start_matches('-')).is_ok_and(|d| d > MAX_AMOUNT) {
            write!(f, " (more than {MAX_AMOUNT}: no real amount is)")?;
        }
        Ok(())
    }
}

/// The largest amount a money cell may hold, plus or minus: a trillion in any currency. No order line,
/// fee, cost or day of ad spend comes near it (not even in dong or rupiah), and keeping every input below
/// it keeps every sum, product and ratio of the exact arithmetic within `Decimal`'s range.
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0);

/// A parsed money cell: the amount and the currency code written in it, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MoneyCell {
    /// The amount, exact.
    pub amount: Decimal,
    /// The ISO code prefixed to the amount (`GBP 39.99`), when there was one.
    pub currency: Option<Currency>,
}

/// Parses a money cell as TikTok exports write them (docs/formats.md §1.5, §7.5).
///
/// Accepts plain decimals (`34.49`, `12.5`, `-3`), an ISO-code prefix (`GBP 39.99`, `BRL 35,91` with a
/// decimal comma), currency symbols (`$`, `£`, `€`, `฿`, `Rp`), thousands separators (`1,234.50`) and
/// accounting negatives (`(12.00)`). Blank, `-` and `/` mean "no value" and give `Ok(None)`.
///
/// # Examples
/// ```
/// use margin_engine::money::{parse_money, Currency};
/// use rust_decimal_macros::dec;
/// let c = parse_money("GBP 39.99").unwrap().unwrap();
/// assert_eq!((c.amount, c.currency), (dec!(39.99), Some(Currency::GBP)));
/// assert_eq!(parse_money("BRL 35,91").unwrap().unwrap().amount, dec!(35.91));
/// assert_eq!(parse_money("$1,234.50").unwrap().unwrap().amount, dec!(1234.50));
/// assert_eq!(parse_money(" - ").unwrap(), None);
/// assert!(parse_money("abc").is_err());
/// ```
pub fn parse_money(cell: &str) -> Result<Option<MoneyCell>, MoneyError> {
    match common_money(cell.trim_ascii().as_bytes()) {
        Some(m) => Ok(Some(m)),
        None => parse_money_general(cell),
    }
}

/// [`parse_money`] for every shape.
fn parse_money_general(cell: &str) -> Result<Option<MoneyCell>, MoneyError> {
    let err = || MoneyError {
        text: cell.trim().to_string(),
    };
    let mut s = cell.trim_matches(|c: char| c.is_whitespace() || c == '\t');
    if s.is_empty() || s == "-" || s == "/" {
        return Ok(None);
    }
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        negative = true;
        s = inner.trim();
    }
    if let Some(rest) = s.strip_prefix('-') {
        negative = !negative;
        s = rest.trim_start();
    }
    // An ISO code prefix ("GBP 39.99") or suffix ("39.99 GBP").
    let mut currency = None;
    if s.len() > 3 && s.is_char_boundary(3) && s[..3].bytes().all(|b| b.is_ascii_alphabetic()) {
        currency = Currency::from_code(&s[..3]);
        s = s[3..].trim_start();
    } else if s.len() > 3
        && s.is_char_boundary(s.len() - 3)
        && s[s.len() - 3..].bytes().all(|b| b.is_ascii_alphabetic())
    {
        currency = Currency::from_code(&s[s.len() - 3..]);
        s = s[..s.len() - 3].trim_end();
    }
    for sym in ["R$", "Rp", "RM", "S$", "$", "£", "€", "฿", "₱", "₫", "¥"] {
        if let Some(rest) = s.strip_prefix(sym) {
            s = rest.trim_start();
            break;
        }
    }
    if let Some(rest) = s.strip_prefix('-') {
        negative = !negative;
        s = rest.trim_start();
    }
    if s.is_empty() {
        return Err(err());
    }
    let normalised = normalise_separators(s).ok_or_else(err)?;
    let mut amount = Decimal::from_str(&normalised).map_err(|_| err())?;
    // A spreadsheet that stored the amount as a binary float writes noise like 12.300000000000001:
    // no currency has more than 4 decimals, so anything past 9 is that noise.
    if amount.scale() > 9 {
        amount = amount
            .round_dp_with_strategy(9, RoundingStrategy::MidpointNearestEven)
            .normalize();
    }
    if amount > MAX_AMOUNT {
        return Err(err());
    }
    if negative {
        amount = -amount;
    }
    Ok(Some(MoneyCell { amount, currency }))
}

/// The shapes Orders exports write in almost every cell, read straight into a `Decimal` without the
/// general path's normalising copy: `34.49`, `12.5`, `0` and `GBP 39.99` (digits, at most one `.` with
/// 1–9 digits after it, at most 18 digits in all). `None` for anything else, which the general path then
/// reads; for these shapes both give the same mantissa and scale (`12.50` keeps its two places).
fn common_money(t: &[u8]) -> Option<MoneyCell> {
    let (currency, digits) = match t {
        [a, b, c, b' ', rest @ ..]
            if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() && c.is_ascii_alphabetic() =>
        {
            (
                Some(Currency([
                    a.to_ascii_uppercase(),
                    b.to_ascii_uppercase(),
                    c.to_ascii_uppercase(),
                ])),
                rest.trim_ascii_start(),
            )
        }
        _ => (None, t),
    };
    let mut mantissa: i64 = 0;
    let mut scale: Option<u32> = None;
    let mut count = 0;
    for &b in digits {
        match b {
            b'0'..=b'9' => {
                count += 1;
                // 18 digits always fit an i64; more go to the general path.
                if count > 18 {
                    return None;
                }
                mantissa = mantissa * 10 + i64::from(b - b'0');
                if let Some(s) = scale.as_mut() {
                    *s += 1;
                }
            }
            b'.' if scale.is_none() && count > 0 => scale = Some(0),
            _ => return None,
        }
    }
    let scale = scale.unwrap_or(0);
    if count == 0 || scale > 9 || digits.last() == Some(&b'.') {
        return None;
    }
    let amount = Decimal::new(mantissa, scale);
    // Beyond any real amount: the general path refuses it with its message.
    if amount > MAX_AMOUNT {
        return None;
    }
    Some(MoneyCell { amount, currency })
}

/// Turns `1,234.50`, `1.234,50`, `35,91` and `1 234,50` into `1234.50`-style text.
/// The last separator followed by one or two digits is the decimal point; a lone `,` or `.`
/// followed by exactly three digits is a thousands separator.
fn normalise_separators(s: &str) -> Option<String> {
    if !s
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b',' || b == b'.' || b == b' ')
    {
        return None;
    }
    let s: String = s.chars().filter(|c| *c != ' ').collect();
    let last_sep = s.rfind([',', '.']);
    let Some(pos) = last_sep else { return Some(s) };
    let decimals = s.len() - pos - 1;
    let sep = s.as_bytes()[pos];
    let count_sep = s.bytes().filter(|b| *b == sep).count();
    let decimal_point = if count_sep > 1 {
        None // "1,234,567": all thousands separators
    } else if sep == b'.' {
        // "1,234.5" or "12.345" (a plain decimal with 3 places, as US/UK exports never group).
        Some(pos)
    } else if decimals == 3 && s.contains('.') {
        None
    } else if decimals == 3 {
        // "1,234": thousands (exports never use a decimal comma with three places).
        None
    } else {
        Some(pos)
    };
    // Every other separator groups thousands: the groups after the first must have three digits.
    let int_end = decimal_point.unwrap_or(s.len());
    let groups: Vec<&str> = s[..int_end].split([',', '.']).collect();
    if groups.iter().skip(1).any(|g| g.len() != 3)
        || groups
            .first()
            .is_some_and(|g| g.is_empty() && groups.len() > 1)
    {
        return None;
    }
    if decimal_point.is_some_and(|p| s[p + 1..].is_empty()) {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    for (i, ch) in s.char_indices() {
        match ch {
            ',' | '.' if Some(i) == decimal_point => out.push('.'),
            ',' | '.' => {}
            _ => out.push(ch),
        }
    }
    if out.is_empty() || out.starts_with('.') && out.len() == 1 {
        return None;
    }
    Some(out)
}

/// Decimal places kept for a share of an amount (a pro-rata refund, the VAT inside a price, an
/// allocation): far below any currency's minor unit, and short enough that sums of many of them stay
/// exact in `Decimal`'s 28 significant digits, so every breakdown adds up to its total in any order.
pub const SHARE_DP: u32 = 12;

/// `amount × part / whole`, kept to [`SHARE_DP`] places (half to even); zero when `whole` is zero.
///
/// # Examples
/// ```
/// use margin_engine::money::share;
/// use rust_decimal_macros::dec;
/// assert_eq!(share(dec!(10), dec!(1), dec!(3)), dec!(3.333333333333));
/// assert_eq!(share(dec!(60), dec!(1), dec!(3)), dec!(20));
/// assert_eq!(share(dec!(5), dec!(1), dec!(0)), dec!(0));
/// ```
pub fn share(amount: Decimal, part: Decimal, whole: Decimal) -> Decimal {
    // A share of nothing is nothing (and a share of a line's order taxes or spread spend is often
    // asked of zero amounts, per line: the division is skipped).
    if whole.is_zero() || amount.is_zero() {
        return Decimal::ZERO;
    }
    // `amount × part` can pass Decimal's range (about 7.9e28) when both are huge: then divide first
    // (the ratio keeps 28 significant digits), and as a last resort give the nearest representable
    // value rather than panic. Inputs within the import and settings limits never get there.
    let exact = amount.checked_mul(part).and_then(|p| p.checked_div(whole));
    let value = exact
        .or_else(|| part.checked_div(whole).and_then(|r| amount.checked_mul(r)))
        .unwrap_or_else(|| {
            if amount.is_sign_negative() == (part.is_sign_negative() == whole.is_sign_negative()) {
                Decimal::MIN
            } else {
                Decimal::MAX
            }
        });
    value.round_dp_with_strategy(SHARE_DP, RoundingStrategy::MidpointNearestEven)
}

/// Parses a percentage cell: `12%`, `12.5 %`, or a plain number of percent points. Returns the ratio
/// (`12%` → `0.12`). Blank gives `Ok(None)`.
///
/// # Examples
/// ```
/// use margin_engine::money::parse_percent;
/// use rust_decimal_macros::dec;
/// assert_eq!(parse_percent("12.5%").unwrap(), Some(dec!(0.125)));
/// assert_eq!(parse_percent("20").unwrap(), Some(dec!(0.20)));
/// ```
pub fn parse_percent(cell: &str) -> Result<Option<Decimal>, MoneyError> {
    let t = cell.trim();
    let t = t.strip_suffix('%').unwrap_or(t).trim();
    match parse_money(t)? {
        None => Ok(None),
        Some(m) => Ok(Some(m.amount / Decimal::ONE_HUNDRED)),
    }
}

/// A ratio as percent points with two decimals, half away from zero (docs/metrics.md §8: `"44.75"`).
/// `None` when the denominator is zero.
///
/// # Examples
/// ```
/// use margin_engine::money::percent_points;
/// use rust_decimal_macros::dec;
/// assert_eq!(percent_points(dec!(17.90), dec!(40)), Some(dec!(44.75)));
/// assert_eq!(percent_points(dec!(1), dec!(3)), Some(dec!(33.33)));
/// assert_eq!(percent_points(dec!(1), dec!(0)), None);
/// ```
pub fn percent_points(numerator: Decimal, denominator: Decimal) -> Option<Decimal> {
    percent_points_dp(numerator, denominator, 2)
}

/// A ratio as percent points rounded (half away from zero) to `dp` decimals, from the unrounded
/// values; the page shows one decimal (`"70.4"`). `None` when the denominator is zero or the ratio is
/// beyond `Decimal`'s range.
///
/// # Examples
/// ```
/// use margin_engine::money::percent_points_dp;
/// use rust_decimal_macros::dec;
/// assert_eq!(percent_points_dp(dec!(1), dec!(3), 1), Some(dec!(33.3)));
/// assert_eq!(percent_points_dp(dec!(7523.02), dec!(8601.82), 1), Some(dec!(87.5)));
/// ```
pub fn percent_points_dp(numerator: Decimal, denominator: Decimal, dp: u32) -> Option<Decimal> {
    if denominator.is_zero() {
        return None;
    }
    // Checked: a ratio beyond Decimal's range (a huge amount over a tiny one) is no figure either.
    let ratio = numerator
        .checked_mul(Decimal::ONE_HUNDRED)
        .and_then(|n| n.checked_div(denominator))
        .or_else(|| {
            numerator
                .checked_div(denominator)?
                .checked_mul(Decimal::ONE_HUNDRED)
        })?;
    let mut p = ratio.round_dp_with_strategy(dp, DISPLAY_ROUNDING);
    p.rescale(dp);
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn amounts_beyond_a_trillion_are_refused() {
        assert_eq!(MAX_AMOUNT, dec!(1000000000000));
        assert_eq!(
            parse_money("1000000000000").unwrap().unwrap().amount,
            MAX_AMOUNT
        );
        assert_eq!(
            parse_money("-1,000,000,000,000.00")
                .unwrap()
                .unwrap()
                .amount,
            -MAX_AMOUNT
        );
        let e = parse_money("2555555525555555555555555555").unwrap_err();
        assert_eq!(
            e.to_string(),
            "\"2555555525555555555555555555\" is not an amount of money (more than 1000000000000: no real amount is)"
        );
        assert_eq!(
            parse_money("abc").unwrap_err().to_string(),
            "\"abc\" is not an amount of money"
        );
    }

    #[test]
    fn percentages_beyond_range_are_none() {
        // Found by the ads and costs fuzz targets: ratio × 100 overflowed (a panic).
        let big = dec!(79228162514264337593543950);
        assert_eq!(percent_points(big, dec!(0.01)), None);
        // × 100 first overflows, ÷ first does not.
        assert_eq!(percent_points(big * dec!(100), big), Some(dec!(10000.00)));
    }

    #[test]
    fn shares_of_huge_amounts_do_not_overflow() {
        // amount × part is past Decimal's range; the ratio first is not.
        let big = dec!(4700000098315506534846329282);
        assert_eq!(
            share(big, dec!(10), dec!(20)),
            dec!(2350000049157753267423164641)
        );
        assert_eq!(share(big, big, dec!(1)), Decimal::MAX);
        assert_eq!(share(-big, big, dec!(1)), Decimal::MIN);
        assert_eq!(share(big, -big, dec!(0.5)), Decimal::MIN);
    }

    #[test]
    fn money_cells_from_real_exports() {
        let cases: &[(&str, Option<Decimal>, Option<&str>)] = &[
            ("34.49", Some(dec!(34.49)), None),
            ("12.5", Some(dec!(12.5)), None),
            ("0", Some(dec!(0)), None),
            ("", None, None),
            ("\t", None, None),
            ("GBP 39.99", Some(dec!(39.99)), Some("GBP")),
            ("GBP 0.00", Some(dec!(0.00)), Some("GBP")),
            ("BRL 35,91", Some(dec!(35.91)), Some("BRL")),
            ("BRL 1.234,56", Some(dec!(1234.56)), Some("BRL")),
            ("$1,234.50", Some(dec!(1234.50)), None),
            ("-12.30", Some(dec!(-12.30)), None),
            ("(12.00)", Some(dec!(-12.00)), None),
            ("£-3.10", Some(dec!(-3.10)), None),
            ("1 234,50", Some(dec!(1234.50)), None),
            ("1,234,567", Some(dec!(1234567)), None),
            ("Rp 150000", Some(dec!(150000)), None),
            ("/", None, None),
            ("-", None, None),
            ("12.300000000000001", Some(dec!(12.3)), None),
            ("0.30000000000000004", Some(dec!(0.3)), None),
        ];
        for (cell, amount, cur) in cases {
            let got = parse_money(cell).unwrap_or_else(|e| panic!("{cell:?}: {e}"));
            assert_eq!(got.map(|m| m.amount), *amount, "{cell:?}");
            assert_eq!(
                got.and_then(|m| m.currency).map(|c| c.code().to_string()),
                cur.map(str::to_string),
                "{cell:?}"
            );
        }
    }

    #[test]
    fn the_fast_path_reads_exactly_what_the_general_path_reads() {
        let cells = [
            "34.49",
            "12.5",
            "0",
            "0.00",
            "007.10",
            "GBP 39.99",
            "gbp 0.00",
            "USD  12",
            "123456789012345678",
            "1234567890123456789",
            "1.123456789",
            "1.1234567890",
            "12.",
            ".5",
            "1.2.3",
            "-3",
            "GBP",
            "GBP ",
            "1,234",
            "12 ",
            " 12.30\t",
            "EUR 1.5",
            "ABC 7",
        ];
        for c in cells {
            let fast = common_money(c.trim_ascii().as_bytes());
            let general = parse_money_general(c);
            if let Some(f) = fast {
                let g = general.clone().unwrap().unwrap();
                assert_eq!(f.amount.to_string(), g.amount.to_string(), "{c:?}");
                assert_eq!(f.amount.scale(), g.amount.scale(), "{c:?}");
                assert_eq!(f.currency, g.currency, "{c:?}");
            }
            assert_eq!(parse_money(c), general, "{c:?}");
        }
        assert!(common_money(b"34.49").is_some() && common_money(b"GBP 39.99").is_some());
    }

    #[test]
    fn money_keeps_scale_exactly() {
        // serde's f64 path would turn 12.30 into 12.3 (docs/style.md §5).
        assert_eq!(
            parse_money("12.30").unwrap().unwrap().amount.to_string(),
            "12.30"
        );
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for cell in ["abc", "12..3", "1.2.3x", "GBP", "$", "--", "1e5", "١٢"] {
            assert!(parse_money(cell).is_err(), "{cell:?} should not parse");
        }
    }

    #[test]
    fn display_rounding_is_half_away_from_zero() {
        assert_eq!(Currency::USD.round(dec!(0.125)), dec!(0.13));
        assert_eq!(Currency::USD.round(dec!(0.135)), dec!(0.14));
        assert_eq!(Currency::USD.round(dec!(-0.125)), dec!(-0.13));
        assert_eq!(Currency::USD.round(-dec!(0.00)).to_string(), "0.00");
        assert_eq!(Currency::USD.round(dec!(-0.004)).to_string(), "0.00");
        assert_eq!(
            Currency::from_code("jpy").unwrap().round(dec!(2.5)),
            dec!(3)
        );
        assert_eq!(Currency::USD.format(dec!(1234567.891)), "$1,234,567.89");
        assert_eq!(
            Currency::from_code("PLN").unwrap().format(dec!(5)),
            "PLN 5.00"
        );
    }
}
