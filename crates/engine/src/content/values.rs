//! Cell values of the analytics exports (docs/formats.md §4): amounts written the market's way
//! (`R$ 1.686,71`, `2383519,18`, `MX$0.00`, `77.470`), rates as percentages or fractions, counts that may be
//! `-`, and the period an export states above its header.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::str::FromStr;

pub use crate::import::values::BadValue;

/// The largest amount an analytics cell may hold (a LIVE's GMV in VND stays far below it): keeps every
/// sum and ratio within `Decimal`'s range.
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(0, 0x0de0_b6b3, 0xa764_0000, false, 0); // 10^18

/// Parses an amount in any of the analytics exports' shapes. Blank, `-`, `--` and `N/A` mean "no value".
/// A currency prefix or suffix (`R$`, `MX$`, `$`, `£`, `BRL`, `₫`…) is dropped. With both `.` and `,` the
/// last one is the decimal mark; with one kind only, a single mark followed by other than three digits
/// is the decimal mark (`2383519,18`, `77.470` is the GMV Max exports' three-decimal point), and several
/// are thousands separators.
///
/// ```
/// use margin_engine::content::values::parse_amount;
/// use rust_decimal_macros::dec;
/// assert_eq!(parse_amount("R$ 1.686,71").unwrap(), Some(dec!(1686.71)));
/// assert_eq!(parse_amount("2383519,18").unwrap(), Some(dec!(2383519.18)));
/// assert_eq!(parse_amount("MX$0.00").unwrap(), Some(dec!(0.00)));
/// assert_eq!(parse_amount("$1,234.50").unwrap(), Some(dec!(1234.50)));
/// assert_eq!(parse_amount("77.470").unwrap(), Some(dec!(77.470)));
/// assert_eq!(parse_amount("1.234.567").unwrap(), Some(dec!(1234567)));
/// assert_eq!(parse_amount("-").unwrap(), None);
/// assert_eq!(parse_amount("-12,5").unwrap(), Some(dec!(-12.5)));
/// assert!(parse_amount("abc").is_err());
/// ```
pub fn parse_amount(cell: &str) -> Result<Option<Decimal>, BadValue> {
    let t = crate::import::values::trim_cell(cell);
    if t.is_empty() || matches!(t, "-" | "--" | "N/A" | "n/a" | "/") {
        return Ok(None);
    }
    let (negative, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, t),
    };
    // Drop a currency prefix/suffix: everything before the first digit and after the last one.
    let start = body.find(|c: char| c.is_ascii_digit()).ok_or(BadValue)?;
    let end = body
        .rfind(|c: char| c.is_ascii_digit())
        .map_or(start, |i| i + 1);
    let (prefix, digits, suffix) = (&body[..start], &body[start..end], &body[end..]);
    let currency_like = |s: &str| {
        s.chars()
            .all(|c| c.is_alphabetic() || c.is_whitespace() || "$£€¥₫₱฿₩₹".contains(c))
    };
    // A prefix may also carry the sign after the symbol (`R$ -12,00`).
    let (negative, prefix) = match prefix.trim_end().strip_suffix('-') {
        Some(p) => (!negative, p),
        None => (negative, prefix),
    };
    if !currency_like(prefix) || !currency_like(suffix) {
        return Err(BadValue);
    }
    if !digits
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return Err(BadValue);
    }
    let dots = digits.matches('.').count();
    let commas = digits.matches(',').count();
    let decimal_mark = match (dots, commas) {
        (0, 0) => None,
        (_, 0) => single_decimal(digits, '.', dots),
        (0, _) => single_decimal(digits, ',', commas),
        _ => {
            let last_dot = digits.rfind('.');
            let last_comma = digits.rfind(',');
            if last_dot > last_comma {
                (dots == 1).then_some('.')
            } else {
                (commas == 1).then_some(',')
            }
            .or(Some('\0'))
        }
    };
    let mut plain = String::with_capacity(digits.len());
    for c in digits.chars() {
        if Some(c) == decimal_mark {
            plain.push('.');
        } else if c.is_ascii_digit() {
            plain.push(c);
        } else if decimal_mark == Some('\0') {
            // Both marks, the decimal one repeated: not a number.
            return Err(BadValue);
        }
    }
    let v = Decimal::from_str(&plain).map_err(|_| BadValue)?;
    if v > MAX_AMOUNT {
        return Err(BadValue);
    }
    Ok(Some(if negative { -v } else { v }))
}

/// With only one kind of mark: the decimal mark when it appears once and is not followed by exactly
/// three digits; otherwise (`1,234`, `1.234.567`) a thousands separator.
fn single_decimal(digits: &str, mark: char, count: usize) -> Option<char> {
    if count != 1 {
        return None;
    }
    let after = digits.rsplit(mark).next().map_or(0, str::len);
    // `77.470` (GMV Max, three decimals) is a decimal point: only a comma followed by three digits is
    // read as thousands (`1,234`).
    (after != 3 || mark == '.').then_some(mark)
}

/// Parses a count (`3317`, `1013`, `1.013` is not a count). Blank and `-` mean "no value". A decimal
/// (`379.12`, an average) is an error: callers that accept averages use [`parse_amount`].
///
/// ```
/// use margin_engine::content::values::parse_count;
/// assert_eq!(parse_count("3317").unwrap(), Some(3317));
/// assert_eq!(parse_count("12.0").unwrap(), Some(12));
/// assert_eq!(parse_count("-").unwrap(), None);
/// assert!(parse_count("1,5").is_err());
/// ```
pub fn parse_count(cell: &str) -> Result<Option<i64>, BadValue> {
    let t = crate::import::values::trim_cell(cell);
    if t.is_empty() || matches!(t, "-" | "--" | "N/A") {
        return Ok(None);
    }
    let t = t.strip_suffix(".0").unwrap_or(t);
    // A shop's impressions or page views run past a million; the cap keeps every product of a count and
    // an amount within `Decimal`'s range.
    t.parse::<i64>()
        .ok()
        .filter(|n| n.abs() <= MAX_ANALYTICS_COUNT)
        .map(Some)
        .ok_or(BadValue)
}

/// The largest count an analytics cell may hold (impressions, views, page views), plus or minus.
pub const MAX_ANALYTICS_COUNT: i64 = 1_000_000_000_000;

/// Parses a rate as a fraction: `4.88%` → 0.0488, `1,96%` → 0.0196, `0.367080` → 0.367080.
///
/// ```
/// use margin_engine::content::values::parse_rate;
/// use rust_decimal_macros::dec;
/// assert_eq!(parse_rate("4.88%").unwrap(), Some(dec!(0.0488)));
/// assert_eq!(parse_rate("1,96%").unwrap(), Some(dec!(0.0196)));
/// assert_eq!(parse_rate("0.367080").unwrap(), Some(dec!(0.367080)));
/// assert_eq!(parse_rate("-").unwrap(), None);
/// ```
pub fn parse_rate(cell: &str) -> Result<Option<Decimal>, BadValue> {
    let t = crate::import::values::trim_cell(cell);
    match t.strip_suffix('%') {
        Some(p) => Ok(parse_amount(p)?.map(|v| v / Decimal::ONE_HUNDRED)),
        None => parse_amount(t),
    }
}

/// Parses a duration in seconds: `4206`, `13sec`, `1min 5sec`, `1h 2min 3s`. A negative number is
/// returned as is (the caller decides what a negative duration means).
///
/// ```
/// use margin_engine::content::values::parse_duration_secs;
/// assert_eq!(parse_duration_secs("4206").unwrap(), Some(4206));
/// assert_eq!(parse_duration_secs("13sec").unwrap(), Some(13));
/// assert_eq!(parse_duration_secs("1h 2min 3s").unwrap(), Some(3723));
/// assert_eq!(parse_duration_secs("-1773928881").unwrap(), Some(-1773928881));
/// ```
pub fn parse_duration_secs(cell: &str) -> Result<Option<i64>, BadValue> {
    let t = crate::import::values::trim_cell(cell);
    if t.is_empty() || t == "-" {
        return Ok(None);
    }
    if let Ok(n) = t.parse::<i64>() {
        return Ok(Some(n));
    }
    if let Ok(Some(v)) = parse_amount(t)
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
    {
        // `63.79` seconds: whole seconds.
        return i64::try_from(v.trunc().mantissa())
            .map(Some)
            .map_err(|_| BadValue);
    }
    let mut total: i64 = 0;
    let mut number = String::new();
    let mut unit = String::new();
    let mut flush = |number: &mut String, unit: &mut String| -> Result<(), BadValue> {
        if number.is_empty() {
            return if unit.is_empty() {
                Ok(())
            } else {
                Err(BadValue)
            };
        }
        let n: i64 = number.parse().map_err(|_| BadValue)?;
        let factor = match unit.trim().to_lowercase().as_str() {
            "h" | "hr" | "hrs" | "hour" | "hours" => 3600,
            "m" | "min" | "mins" | "minute" | "minutes" => 60,
            "s" | "sec" | "secs" | "second" | "seconds" | "" => 1,
            _ => return Err(BadValue),
        };
        total = n
            .checked_mul(factor)
            .and_then(|x| total.checked_add(x))
            .ok_or(BadValue)?;
        number.clear();
        unit.clear();
        Ok(())
    };
    for c in t.chars() {
        if c.is_ascii_digit() {
            if !unit.is_empty() {
                flush(&mut number, &mut unit)?;
            }
            number.push(c);
        } else if c.is_alphabetic() {
            unit.push(c);
        } else if !c.is_whitespace() {
            return Err(BadValue);
        }
    }
    flush(&mut number, &mut unit)?;
    Ok(Some(total))
}

/// The period an export states in the text above its header or in its file name: the first two dates
/// found, in any of the shapes TikTok writes (`2025-09-20 ~ 2026-03-19`, `Rango de fechas: 2026-05-01 ~
/// 2026-05-31`, `Fecha del análisis: 01/05/2026-31/05/2026`, `May 7, 2026 ~ Jun 3, 2026`,
/// `20260401-20260411`, `01_05_2026-31_05_2026`). Day-first for `dd/mm/yyyy` (every analytics export
/// seen writes it so). `None` unless two dates are found with the first not after the second.
///
/// ```
/// use margin_engine::content::values::stated_period;
/// let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
/// assert_eq!(stated_period("2025-09-20 ~ 2026-03-19"), Some((d("2025-09-20"), d("2026-03-19"))));
/// assert_eq!(stated_period("Fecha del análisis: 01/05/2026-31/05/2026,Fecha de comparación: 31/03/2026-30/04/2026"),
///            Some((d("2026-05-01"), d("2026-05-31"))));
/// assert_eq!(stated_period("[Rango de fechas]: May 7, 2026 ~ Jun 3, 2026"), Some((d("2026-05-07"), d("2026-06-03"))));
/// assert_eq!(stated_period("br_affiliate_core_metrics_20260401-20260411.xlsx"), Some((d("2026-04-01"), d("2026-04-11"))));
/// assert_eq!(stated_period("mx_Product_Traffic_List_01_05_2026-31_05_2026.csv"), Some((d("2026-05-01"), d("2026-05-31"))));
/// assert_eq!(stated_period("no dates here"), None);
/// ```
pub fn stated_period(text: &str) -> Option<(NaiveDate, NaiveDate)> {
    let dates = dates_in(text);
    match dates.as_slice() {
        [a, b, ..] if a <= b => Some((*a, *b)),
        _ => None,
    }
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Every date in `text`, in order (at most four are looked for).
fn dates_in(text: &str) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() && out.len() < 4 {
        if let Some((d, len)) = date_at(&chars[i..]) {
            out.push(d);
            i += len;
        } else {
            // A date never starts inside a longer number (`20260604180014`).
            i += digits_at(&chars[i..]).max(1);
        }
    }
    out
}

/// A run of ASCII digits at the start of `s`.
fn digits_at(s: &[char]) -> usize {
    s.iter().take_while(|c| c.is_ascii_digit()).count()
}

fn number(s: &[char]) -> Option<u32> {
    s.iter().collect::<String>().parse().ok()
}

/// A date starting at `s[0]`, with the number of chars it takes.
fn date_at(s: &[char]) -> Option<(NaiveDate, usize)> {
    let n = digits_at(s);
    // A date is never part of a longer number.
    if n == 8 {
        // yyyymmdd (file names).
        let y = number(&s[0..4])? as i32;
        let d = NaiveDate::from_ymd_opt(y, number(&s[4..6])?, number(&s[6..8])?)?;
        return Some((d, 8));
    }
    if n == 4 {
        // yyyy-mm-dd or yyyy/mm/dd.
        let sep = *s.get(4)?;
        if matches!(sep, '-' | '/' | '.') {
            let m = digits_at(s.get(5..)?);
            let d0 = 5 + m;
            if (1..=2).contains(&m) && s.get(d0) == Some(&sep) {
                let dn = digits_at(s.get(d0 + 1..)?);
                if (1..=2).contains(&dn) {
                    let date = NaiveDate::from_ymd_opt(
                        number(&s[0..4])? as i32,
                        number(&s[5..d0])?,
                        number(&s[d0 + 1..d0 + 1 + dn])?,
                    )?;
                    return Some((date, d0 + 1 + dn));
                }
            }
        }
        return None;
    }
    if (1..=2).contains(&n) {
        // dd/mm/yyyy, dd_mm_yyyy, dd-mm-yyyy.
        let sep = *s.get(n)?;
        if matches!(sep, '/' | '_' | '-' | '.') {
            let m = digits_at(s.get(n + 1..)?);
            let y0 = n + 1 + m;
            if (1..=2).contains(&m) && s.get(y0) == Some(&sep) && digits_at(s.get(y0 + 1..)?) == 4 {
                let date = NaiveDate::from_ymd_opt(
                    number(&s[y0 + 1..y0 + 5])? as i32,
                    number(&s[n + 1..y0])?,
                    number(&s[0..n])?,
                )?;
                return Some((date, y0 + 5));
            }
        }
        return None;
    }
    if n == 0 && s.first().is_some_and(|c| c.is_ascii_alphabetic()) {
        // "May 7, 2026".
        let word: String = s
            .iter()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect::<String>()
            .to_lowercase();
        let month = MONTHS
            .iter()
            .position(|m| word.starts_with(m) && word.len() <= 9)? as u32
            + 1;
        let mut k = word.len();
        while s.get(k) == Some(&' ') {
            k += 1;
        }
        let dn = digits_at(s.get(k..)?);
        if !(1..=2).contains(&dn) {
            return None;
        }
        let day = number(&s[k..k + dn])?;
        k += dn;
        if s.get(k) == Some(&',') {
            k += 1;
        }
        while s.get(k) == Some(&' ') {
            k += 1;
        }
        if digits_at(s.get(k..)?) != 4 {
            return None;
        }
        let y = number(&s[k..k + 4])? as i32;
        return Some((NaiveDate::from_ymd_opt(y, month, day)?, k + 4));
    }
    None
}
