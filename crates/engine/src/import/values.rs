//! Cell values as TikTok exports write them: IDs, integers, timestamps (docs/formats.md §1.5, §7).

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

/// Trims what exports pad cells with: spaces and the TAB TikTok appends to IDs and timestamps.
///
/// ASCII whitespace is stripped byte by byte (every row pays this, for a dozen cells); only a cell that
/// then starts or ends with a non-ASCII byte goes through the Unicode trim (NBSP, the BOM…).
pub fn trim_cell(cell: &str) -> &str {
    let t = cell.trim_ascii();
    match (t.as_bytes().first(), t.as_bytes().last()) {
        (Some(a), Some(b)) if !a.is_ascii() || !b.is_ascii() => {
            t.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        }
        _ => t,
    }
}

/// Why an ID cell cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdError {
    /// `5.77E+17`: the file went through a spreadsheet, which kept only 15 significant digits.
    Scientific,
}

/// Cleans an ID cell: strips TABs and spaces and a trailing `.0` (an ID once read as a number).
/// IDs stay strings: 19-digit order IDs exceed f64's exact range (docs/style.md §7).
///
/// # Examples
/// ```
/// use margin_engine::import::values::clean_id;
/// assert_eq!(clean_id("577396316691665747\t").unwrap(), "577396316691665747");
/// assert_eq!(clean_id("1729581609641744555.0").unwrap(), "1729581609641744555");
/// assert!(clean_id("5.77E+17").is_err());
/// ```
pub fn clean_id(cell: &str) -> Result<String, IdError> {
    let t = trim_cell(cell);
    // The usual ID: digits only, nothing to strip or refuse.
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(t.to_string());
    }
    let t = t.strip_suffix(".0").unwrap_or(t);
    let looks_scientific = {
        let upper = t.to_ascii_uppercase();
        upper.split_once('E').is_some_and(|(m, e)| {
            !m.is_empty()
                && m.bytes().all(|b| b.is_ascii_digit() || b == b'.')
                && e.trim_start_matches(['+', '-'])
                    .bytes()
                    .all(|b| b.is_ascii_digit())
                && !e.trim_start_matches(['+', '-']).is_empty()
        })
    };
    if looks_scientific {
        return Err(IdError::Scientific);
    }
    Ok(t.to_string())
}

/// Parses a whole-number cell (`2`, `2.0`, blank → `None`).
pub fn parse_count(cell: &str) -> Option<Result<i64, BadValue>> {
    let t = trim_cell(cell);
    if t.is_empty() || t == "-" {
        return None;
    }
    let t = t.strip_suffix(".0").unwrap_or(t);
    // No order line holds a million units; the cap keeps quantity × amount within `Decimal`'s range.
    Some(
        t.parse::<i64>()
            .ok()
            .filter(|n| n.abs() <= MAX_COUNT)
            .ok_or(BadValue),
    )
}

/// The largest count a cell may hold, plus or minus (units of an order line, orders of a day).
pub const MAX_COUNT: i64 = 1_000_000;

/// A cell that is not a value of the expected kind (a date, a count).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadValue;

impl std::fmt::Display for BadValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not a value of the expected kind")
    }
}

impl std::error::Error for BadValue {}

/// The order of day and month in an export's dates, decided once per file (docs/formats.md §7.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// `MM/DD/YYYY h:mm:ss AM/PM` — US and BR Orders exports.
    MonthFirst,
    /// `DD/MM/YYYY HH:mm:ss` — UK and SEA Orders exports, Affiliate exports everywhere.
    DayFirst,
    /// `YYYY/MM/DD` or `YYYYMMDD` — Finance exports.
    YearFirst,
}

/// Parses a timestamp or date cell under a file's date order. Blank (or a lone TAB) gives `Ok(None)`.
/// The hour may be unpadded and followed by `AM`/`PM`; seconds are optional.
///
/// # Examples
/// ```
/// use margin_engine::import::values::{parse_timestamp, DateOrder};
/// let t = parse_timestamp("05/18/2026 9:41:56 PM\t", DateOrder::MonthFirst).unwrap().unwrap();
/// assert_eq!(t.to_string(), "2026-05-18 21:41:56");
/// let t = parse_timestamp("17/05/2026 23:58:33", DateOrder::DayFirst).unwrap().unwrap();
/// assert_eq!(t.to_string(), "2026-05-17 23:58:33");
/// assert!(parse_timestamp("13/25/2026 1:00:00", DateOrder::MonthFirst).is_err());
/// ```
pub fn parse_timestamp(cell: &str, order: DateOrder) -> Result<Option<NaiveDateTime>, BadValue> {
    parse_timestamp_cached(cell, order, &mut DateCache::default())
}

/// The last date [`parse_timestamp_cached`] made, by its day, month and year as written: the rows of an
/// export come in date order, so most timestamps repeat the previous one's date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateCache(Option<((u32, u32, u32), NaiveDate)>);

/// [`parse_timestamp`] with the date of the previous call kept in `cache` (same results).
pub fn parse_timestamp_cached(
    cell: &str,
    order: DateOrder,
    cache: &mut DateCache,
) -> Result<Option<NaiveDateTime>, BadValue> {
    let t = trim_cell(cell);
    match common_timestamp(t.as_bytes(), order, cache) {
        Some(fast) => Ok(Some(fast)),
        None => general_timestamp(t, order),
    }
}

/// [`parse_timestamp`] for every shape, on a trimmed cell.
fn general_timestamp(t: &str, order: DateOrder) -> Result<Option<NaiveDateTime>, BadValue> {
    if t.is_empty() || t == "-" || t == "/" {
        return Ok(None);
    }
    // An XLSX date cell arrives as its serial number (docs/formats.md §7.7): the same in every market.
    if is_excel_serial(t) {
        return super::xlsx::serial_to_datetime(t).map(Some).ok_or(BadValue);
    }
    let (date_part, time_part) = match t.split_once([' ', 'T']) {
        Some((d, rest)) => (d, Some(rest.trim())),
        None => (t, None),
    };
    let date = parse_date_part(date_part, order).ok_or(BadValue)?;
    let time = match time_part {
        None | Some("") => NaiveTime::MIN,
        Some(tp) => parse_time_part(tp).ok_or(BadValue)?,
    };
    Ok(Some(NaiveDateTime::new(date, time)))
}

/// The shapes Orders exports write, read without splitting or allocating: `MM/DD/YYYY h:mm:ss AM`
/// (US) and `DD/MM/YYYY HH:mm:ss` (UK, SEA), with one- or two-digit day, month, hour. `None` for any
/// other shape and for any value the general parser would refuse, which then decides (and words the
/// error): this only answers when it gives exactly what the general path gives.
fn common_timestamp(t: &[u8], order: DateOrder, cache: &mut DateCache) -> Option<NaiveDateTime> {
    /// Reads 1–2 digits from `t[i..]` followed by `end` (or the end of input when `end` is 0).
    fn part(t: &[u8], i: &mut usize, max: usize, end: u8) -> Option<u32> {
        let start = *i;
        let mut v = 0u32;
        while let Some(&b) = t.get(*i) {
            if !b.is_ascii_digit() {
                break;
            }
            // A long digit run is refused below (more than `max` digits); it must not overflow first.
            v = v.saturating_mul(10).saturating_add(u32::from(b - b'0'));
            *i += 1;
        }
        let n = *i - start;
        if n == 0 || n > max {
            return None;
        }
        if end != 0 {
            if t.get(*i) != Some(&end) {
                return None;
            }
            *i += 1;
        }
        Some(v)
    }
    let first_is_month = match order {
        DateOrder::MonthFirst => true,
        DateOrder::DayFirst => false,
        DateOrder::YearFirst => return None,
    };
    // `DD/DD/YYYY h:mm:ss` and `DD/DD/YYYY hh:mm:ss` at fixed places (what exports write), else
    // digit runs of 1–2 digits.
    let digit = |i: usize| -> Option<u32> {
        t.get(i)
            .filter(|b| b.is_ascii_digit())
            .map(|b| u32::from(b - b'0'))
    };
    let two = |i: usize| -> Option<u32> { Some(digit(i)? * 10 + digit(i + 1)?) };
    let fixed = if t.get(2) == Some(&b'/') && t.get(5) == Some(&b'/') && t.get(10) == Some(&b' ') {
        let hour_digits = match (t.get(12), t.get(13)) {
            (Some(b':'), _) => 1,
            (_, Some(b':')) => 2,
            _ => 0,
        };
        let h = match hour_digits {
            1 => digit(11),
            2 => two(11),
            _ => None,
        };
        let m_at = 12 + hour_digits;
        match (h, t.get(m_at + 2)) {
            (Some(h), Some(b':')) => Some((
                two(0)?,
                two(3)?,
                two(6)? * 100 + two(8)?,
                h,
                two(m_at)?,
                two(m_at + 3)?,
                m_at + 5,
            )),
            _ => None,
        }
    } else {
        None
    };
    let (a, b, y, h, mi, s, i) = match fixed {
        Some(v) => v,
        None => {
            let mut i = 0;
            let a = part(t, &mut i, 2, b'/')?;
            let b = part(t, &mut i, 2, b'/')?;
            let y_start = i;
            let y = part(t, &mut i, 4, b' ')?;
            if i - y_start != 5 {
                return None;
            }
            let h = part(t, &mut i, 2, b':')?;
            let mi = part(t, &mut i, 2, b':')?;
            let s_start = i;
            let s = part(t, &mut i, 2, 0)?;
            if i - s_start != 2 {
                return None;
            }
            (a, b, y, h, mi, s, i)
        }
    };
    if !(2000..=2099).contains(&y) {
        return None;
    }
    let h = match t.get(i..)? {
        [] => h,
        b" AM" if (1..=12).contains(&h) => h % 12,
        b" PM" if (1..=12).contains(&h) => h % 12 + 12,
        _ => return None,
    };
    let (m, d) = if first_is_month { (a, b) } else { (b, a) };
    let date = match cache.0 {
        Some((key, date)) if key == (y, m, d) => date,
        _ => {
            let date = NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)?;
            cache.0 = Some(((y, m, d), date));
            date
        }
    };
    Some(NaiveDateTime::new(date, NaiveTime::from_hms_opt(h, mi, s)?))
}

/// True for an Excel date serial: five digits (1927–2173), optionally a fraction for the time.
pub fn is_excel_serial(t: &str) -> bool {
    // Five digits, then nothing or `.` and one or more digits (checked on bytes: every timestamp cell
    // of a file is asked this).
    match t.as_bytes() {
        [a, b, c, d, e, rest @ ..] if [a, b, c, d, e].iter().all(|x| x.is_ascii_digit()) => {
            match rest {
                [] => true,
                [b'.', frac @ ..] => !frac.is_empty() && frac.iter().all(u8::is_ascii_digit),
                _ => false,
            }
        }
        _ => false,
    }
}

fn parse_date_part(d: &str, order: DateOrder) -> Option<NaiveDate> {
    let nums: Vec<&str> = d.split(['/', '-', '.']).collect();
    let num = |s: &str| -> Option<u32> {
        if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
            None
        } else {
            s.parse().ok()
        }
    };
    // A four-digit first part is a year whatever the file's order (Excel's ISO re-format).
    let order = if nums.first().is_some_and(|p| p.len() == 4) && nums.len() == 3 {
        DateOrder::YearFirst
    } else {
        order
    };
    let (y, m, day) = match (order, nums.as_slice()) {
        // All digits first, so the slices below fall on character boundaries.
        (DateOrder::YearFirst, [one])
            if one.len() == 8 && one.bytes().all(|b| b.is_ascii_digit()) =>
        {
            (num(&one[..4])?, num(&one[4..6])?, num(&one[6..])?)
        }
        (DateOrder::YearFirst, [y, m, d]) => (num(y)?, num(m)?, num(d)?),
        (DateOrder::MonthFirst, [m, d, y]) => (num(y)?, num(m)?, num(d)?),
        (DateOrder::DayFirst, [d, m, y]) => (num(y)?, num(m)?, num(d)?),
        _ => return None,
    };
    // TikTok Shop began in 2021; a year outside this range is a typo or a corrupted cell, not a sale.
    if !(2000..=2099).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, day)
}

fn parse_time_part(tp: &str) -> Option<NaiveTime> {
    let upper = tp.to_ascii_uppercase();
    let (clock, meridiem) = if let Some(c) = upper.strip_suffix("AM") {
        (c.trim_end(), Some(false))
    } else if let Some(c) = upper.strip_suffix("PM") {
        (c.trim_end(), Some(true))
    } else {
        (upper.as_str(), None)
    };
    let parts: Vec<&str> = clock.split(':').collect();
    let field = |s: &str| -> Option<u32> {
        if s.is_empty() || s.len() > 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
            None
        } else {
            s.parse().ok()
        }
    };
    let (h, m, s) = match parts.as_slice() {
        [h, m] => (field(h)?, field(m)?, 0),
        [h, m, s] => (field(h)?, field(m)?, field(s)?),
        _ => return None,
    };
    let h = match meridiem {
        None => h,
        Some(pm) => {
            if !(1..=12).contains(&h) {
                return None;
            }
            (h % 12) + if pm { 12 } else { 0 }
        }
    };
    NaiveTime::from_hms_opt(h, m, s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_per_market() {
        let cases = [
            (
                "05/17/2026 10:26:23 PM\t",
                DateOrder::MonthFirst,
                "2026-05-17 22:26:23",
            ),
            (
                "05/18/2026 12:05:00 AM",
                DateOrder::MonthFirst,
                "2026-05-18 00:05:00",
            ),
            (
                "05/18/2026 12:05:00 PM",
                DateOrder::MonthFirst,
                "2026-05-18 12:05:00",
            ),
            (
                "17/05/2026 23:58:33\t",
                DateOrder::DayFirst,
                "2026-05-17 23:58:33",
            ),
            ("01/05/2026", DateOrder::DayFirst, "2026-05-01 00:00:00"),
            ("2026/04/21", DateOrder::YearFirst, "2026-04-21 00:00:00"),
            ("20260421", DateOrder::YearFirst, "2026-04-21 00:00:00"),
        ];
        for (cell, order, want) in cases {
            let got = parse_timestamp(cell, order).unwrap().unwrap();
            assert_eq!(got.to_string(), want, "{cell:?}");
        }
        assert_eq!(parse_timestamp("\t", DateOrder::DayFirst), Ok(None));
        for bad in [
            "13/13/2026 1:00:00",
            "05/18/2026 13:00:00 PM",
            "yesterday",
            "05/18/99999",
        ] {
            assert!(
                parse_timestamp(bad, DateOrder::MonthFirst).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_fast_path_reads_exactly_what_the_general_path_reads() {
        let cells = [
            "05/17/2026 10:26:23 PM",
            "05/17/2026 12:26:23 AM",
            "5/7/2026 9:05:00 AM",
            "05/17/2026 0:26:23 AM",
            "05/17/2026 13:26:23 PM",
            "17/05/2026 23:58:33",
            "17/05/2026 24:00:00",
            "02/30/2026 10:00:00",
            "05/17/1999 10:00:00",
            "05/17/2026 10:00",
            "05/17/2026 10:00:00 pm",
            "05/17/2026 10:00:00PM",
            "05/17/2026 10:00:0",
            "005/17/2026 10:00:00",
            "05/17/20266 10:00:00",
            "2026/05/17 10:00:00",
            "05-17-2026 10:00:00",
            "05/17/2026 10:00:00 PM",
            "05/17/2026 9:0:00 PM",
            "05/17/2026 9:00:0 PM",
            "05/17/2026 9:00:001",
            "05/17/2026 9:00:00x",
            "05/1a/2026 9:00:00",
            "05/17/2026 109:00:00",
            "05/17/2026  9:00:00",
            "12/31/2099 23:59:59",
            "12/31/2100 23:59:59",
            "05/17/2026 9:00:00 AMX",
        ];
        for c in cells {
            for order in [
                DateOrder::MonthFirst,
                DateOrder::DayFirst,
                DateOrder::YearFirst,
            ] {
                let general = general_timestamp(c, order);
                if let Some(fast) = common_timestamp(c.as_bytes(), order, &mut DateCache::default())
                {
                    assert_eq!(Ok(Some(fast)), general, "{c:?} {order:?}");
                }
                assert_eq!(parse_timestamp(c, order), general, "{c:?} {order:?}");
            }
        }
        let mut cache = DateCache::default();
        assert!(
            common_timestamp(b"05/17/2026 10:26:23 PM", DateOrder::MonthFirst, &mut cache)
                .is_some()
        );
        assert!(
            common_timestamp(b"17/05/2026 23:58:33", DateOrder::DayFirst, &mut cache).is_some()
        );
        // A cached date is only reused for the same day, month and year.
        let mut cache = DateCache::default();
        for (cell, want) in [
            ("05/17/2026 10:26:23 PM", "2026-05-17 22:26:23"),
            ("05/17/2026 1:00:00 AM", "2026-05-17 01:00:00"),
            ("05/18/2026 1:00:00 AM", "2026-05-18 01:00:00"),
            ("02/30/2026 1:00:00 AM", "invalid"),
            ("05/18/2026 2:00:00 AM", "2026-05-18 02:00:00"),
        ] {
            let got = parse_timestamp_cached(cell, DateOrder::MonthFirst, &mut cache)
                .map_or("invalid".to_string(), |t| {
                    t.map(|t| t.to_string()).unwrap_or_default()
                });
            assert_eq!(got, want, "{cell}");
        }
    }

    #[test]
    fn trim_keeps_unicode_rules() {
        for c in [
            "\u{feff}12\t",
            " 12 ",
            "\u{a0}12\u{a0}",
            "12",
            "",
            "\t",
            "é ",
            " \u{2003}x",
        ] {
            assert_eq!(
                trim_cell(c),
                c.trim_matches(|ch: char| ch.is_whitespace() || ch == '\u{feff}'),
                "{c:?}"
            );
        }
    }

    #[test]
    fn ids() {
        assert_eq!(
            clean_id(" 1729581609641744555\t").unwrap(),
            "1729581609641744555"
        );
        assert_eq!(clean_id("5.77E+17"), Err(IdError::Scientific));
        assert_eq!(clean_id("5.77396316691666e17"), Err(IdError::Scientific));
        assert_eq!(clean_id("SKU-RED-E1").unwrap(), "SKU-RED-E1");
    }

    #[test]
    fn excel_serials_are_dates_in_any_file() {
        // 46159.75 = 2026-05-17 18:00 (serial 1 = 1900-01-01, with Excel's fictitious 1900-02-29).
        for order in [
            DateOrder::MonthFirst,
            DateOrder::DayFirst,
            DateOrder::YearFirst,
        ] {
            let t = parse_timestamp("46159.75", order).unwrap().unwrap();
            assert_eq!(t.to_string(), "2026-05-17 18:00:00");
        }
        assert!(
            !is_excel_serial("20260517") && !is_excel_serial("1234") && is_excel_serial("46159")
        );
        for (t, want) in [
            ("46159.75", true),
            ("46159.", false),
            ("46159.7.5", false),
            ("4615a", false),
            ("46159x", false),
            (".4615", false),
            ("46159.0", true),
        ] {
            assert_eq!(is_excel_serial(t), want, "{t:?}");
        }
    }

    #[test]
    fn iso_dates_read_in_any_file_and_absurd_years_refused() {
        let t = parse_timestamp("2026-05-17 21:41", DateOrder::DayFirst)
            .unwrap()
            .unwrap();
        assert_eq!(t.to_string(), "2026-05-17 21:41:00");
        assert!(parse_timestamp("05/17/9999 9:41:56 PM", DateOrder::MonthFirst).is_err());
        assert!(parse_timestamp("17/05/1899", DateOrder::DayFirst).is_err());
    }
}
