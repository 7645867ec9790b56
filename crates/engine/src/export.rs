//! Table export for the page and the command line: CSV, TSV (clipboard) and XLSX (issue #5 item 7).
//!
//! A [`Sheet`] is a header row and rows of typed [`Cell`]s. The writers decide how each kind of cell is
//! spelt, so the page, the CLI and the tests get the same file for the same table.
//!
//! **Numbers stay exact.** Every number is written as the text of its `Decimal` (`1234.50`), never through
//! `f64`. [`Cell::Money`] is rounded to its currency's minor unit with [`DISPLAY_ROUNDING`] (half away from
//! zero, [`Currency::round`]) — the figure the page and `report --json` show, so a spreadsheet total of a
//! column matches the page's rounded cells. [`Cell::Number`] and [`Cell::Percent`] are written at full
//! precision, as given (the caller rounds when it wants to, e.g. with [`crate::money::percent_points`]).
//! A spreadsheet program reads a number as a binary double (15 significant digits), which no writer can
//! change; text and the CSV keep every digit.
//!
//! **Percent** cells hold percent points (`44.75` = 44.75 %, as docs/metrics.md §8 and the page). The CSV and
//! TSV write the points (`44.75`, the report contract's spelling); the XLSX writes the fraction (`0.4475`,
//! exactly: the decimal point moves two places) with the number format `0.00%`, so the spreadsheet shows
//! 44.75 % and computes with it as a percentage.
//!
//! **Formula injection** (OWASP "CSV Injection"). A *text* cell (headers included) whose first character is
//! `=`, `+`, `-`, `@`, TAB or CR is written with a leading apostrophe `'` in the CSV, the TSV and the XLSX,
//! so no spreadsheet program runs a creator's handle or a product name as a formula. In the XLSX the text is
//! an inline string, which Excel never evaluates on opening — the apostrophe is written there too, as a
//! literal character, so the cell still holds safe text after the user saves the workbook again as CSV
//! (Excel's `quotePrefix` style would be dropped by that round trip). Number, money, percent and date cells
//! are never changed: a negative amount stays a number.
//!
//! **CSV** is RFC 4180 (a field is quoted only when it holds a comma, a quote or a line break, quotes
//! doubled; CRLF line ends), UTF-8 **with a byte order mark**: without it Excel on Windows reads the file in
//! the system code page and shows `£` as `Â£`. Tools that do not expect the mark can strip `'\u{feff}'`; the engine's own importers accept it.
//! Short rows are padded with empty fields to the widest row, as RFC 4180 wants one width for the file.
//! A long numeric ID in a text cell is still text in the file, but Excel converts it to a number when it
//! opens a CSV (losing digits past the 15th): the XLSX keeps it as text.
//!
//! **TSV** (for the clipboard) is what spreadsheets paste: TAB between cells, CRLF between rows, a cell
//! holding a TAB, a quote or a line break in double quotes; no byte order mark.
//!
//! **XLSX** is a minimal Office Open XML workbook: text as inline strings, numbers as `<v>` with the exact
//! decimal text, money as `#,##0.00` (the currency's minor unit), percent as `0.00%`, dates as serial days
//! with `yyyy-mm-dd`, a bold frozen header row and column widths from the content. Parts are stored
//! uncompressed (see `write_zip` for why).

use crate::import::xlsx::column_letters;
use crate::money::{Currency, DISPLAY_ROUNDING};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Excel's last row.
pub const MAX_ROWS: usize = 1_048_576;
/// Excel's last column (XFD).
pub const MAX_COLUMNS: usize = 16_384;
/// The most characters (UTF-16 code units) Excel keeps in one cell.
pub const MAX_CELL_TEXT: usize = 32_767;
/// The longest sheet name Excel accepts, in characters (UTF-16 code units).
pub const MAX_SHEET_NAME: usize = 31;

/// One cell of an exported table.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Cell {
    /// Nothing (a figure that cannot be computed is left empty).
    Empty,
    /// Text, written as text (neutralised when it could start a formula, see the module documentation).
    Text(String),
    /// A number, written at full precision.
    Number(Decimal),
    /// An amount of money, rounded to the currency's minor unit ([`DISPLAY_ROUNDING`]) when written.
    Money(Decimal, Currency),
    /// Percent points (`44.75` = 44.75 %), written at full precision.
    Percent(Decimal),
    /// A calendar day: `YYYY-MM-DD` in CSV, a date-formatted serial day in XLSX.
    Date(NaiveDate),
}

impl Cell {
    /// A text cell.
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    /// A money cell, or [`Cell::Empty`] when the amount is unknown.
    pub fn money(amount: Option<Decimal>, currency: Currency) -> Cell {
        amount.map_or(Cell::Empty, |a| Cell::Money(a, currency))
    }

    /// A percent cell (percent points), or [`Cell::Empty`] when the figure is unknown.
    pub fn percent(points: Option<Decimal>) -> Cell {
        points.map_or(Cell::Empty, Cell::Percent)
    }

    /// The cell as CSV and TSV write it (neutralised text, rounded money, percent points, ISO dates).
    ///
    /// # Examples
    /// ```
    /// use margin_engine::export::Cell;
    /// use margin_engine::money::Currency;
    /// use rust_decimal_macros::dec;
    /// assert_eq!(Cell::Money(dec!(-2.345), Currency::USD).plain_text(), "-2.35");
    /// assert_eq!(Cell::text("=1+1").plain_text(), "'=1+1");
    /// assert_eq!(Cell::Number(dec!(-1)).plain_text(), "-1");
    /// ```
    pub fn plain_text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => neutralise(s).into_owned(),
            Cell::Number(d) | Cell::Percent(d) => plain(*d),
            Cell::Money(d, c) => c.round(*d).to_string(),
            // NaiveDate's Display is ISO 8601, `2026-05-17` (chrono's `format` machinery is large in wasm).
            Cell::Date(d) => d.to_string(),
        }
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<Decimal> for Cell {
    fn from(d: Decimal) -> Cell {
        Cell::Number(d)
    }
}

/// A table to export: one tab of a workbook, or one CSV file.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Sheet {
    /// The tab's name (made valid for Excel when written, see [`sanitise_sheet_name`]).
    pub name: String,
    /// The header row; empty for a table without one.
    pub headers: Vec<String>,
    /// The rows; a row may be shorter than the header (the rest is empty).
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    /// The header and the rows as TSV, for the clipboard (see [`to_tsv`]).
    pub fn to_tsv(&self) -> String {
        let header: Vec<Cell> = self
            .headers
            .iter()
            .map(|h| Cell::text(h.as_str()))
            .collect();
        let mut rows = Vec::with_capacity(self.rows.len() + 1);
        if !header.is_empty() {
            rows.push(header);
        }
        rows.extend(self.rows.iter().cloned());
        to_tsv(&rows)
    }
}

/// Why a workbook cannot be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    /// A workbook needs at least one sheet.
    #[error("there is nothing to export (a workbook needs at least one sheet)")]
    NoSheets,
    /// More rows than Excel has.
    #[error(
        "sheet \"{sheet}\" has {rows} rows with its header, more than Excel's {MAX_ROWS}; export fewer rows or use CSV"
    )]
    TooManyRows {
        /// The sheet's name as written.
        sheet: String,
        /// Rows, header included.
        rows: usize,
    },
    /// More columns than Excel has.
    #[error("sheet \"{sheet}\" has {columns} columns, more than Excel's {MAX_COLUMNS}")]
    TooManyColumns {
        /// The sheet's name as written.
        sheet: String,
        /// The widest row.
        columns: usize,
    },
    /// A text longer than one Excel cell holds.
    #[error(
        "sheet \"{sheet}\", cell {cell}: the text is longer than the {MAX_CELL_TEXT} characters an Excel cell holds; use CSV"
    )]
    TextTooLong {
        /// The sheet's name as written.
        sheet: String,
        /// The cell reference, e.g. `B7`.
        cell: String,
    },
    /// The workbook is too large for a zip archive.
    #[error("the workbook could not be written: {0}")]
    Zip(String),
}

impl ExportError {
    /// The message the page shows as is.
    pub fn user_message(&self) -> String {
        self.to_string()
    }
}

/// A decimal as plain text, never `-0`.
fn plain(mut d: Decimal) -> String {
    if d.is_zero() {
        d.set_sign_positive(true);
    }
    d.to_string()
}

/// Prefixes `'` to text that a spreadsheet would read as a formula (OWASP CSV injection: a first
/// character of `=`, `+`, `-`, `@`, TAB or CR).
///
/// # Examples
/// ```
/// use margin_engine::export::neutralise;
/// assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
/// assert_eq!(neutralise("Tea - green"), "Tea - green");
/// ```
pub fn neutralise(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Rows as delimited text (RFC 4180 quoting, CRLF after every row, short rows padded), after `prefix`.
///
/// Written here rather than with `csv::Writer` (the tests read the result back with the `csv` crate): in a
/// wasm32 release build (opt-level "z", LTO) linking the engine, `csv::Writer` added about 16 KB gzip,
/// this function under 2 KB — and the page's bundle budget is tight.
fn delimited(delimiter: char, prefix: &str, rows: Vec<Vec<String>>) -> String {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut out = String::from(prefix);
    for row in rows {
        push_row(
            &mut out,
            delimiter,
            (0..width).map(|i| row.get(i).map_or("", String::as_str)),
        );
    }
    out
}

/// Appends one row of delimited text to `out`: RFC 4180 quoting, CRLF at the end (no `csv::Writer`:
/// see [`to_csv`]'s note on its size). Also what the warehouse CSV is written with.
pub fn push_row<'s>(
    out: &mut String,
    delimiter: char,
    fields: impl ExactSizeIterator<Item = &'s str>,
) {
    let width = fields.len();
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(delimiter);
        }
        // A lone empty field is quoted, or its row would be a blank line (as the `csv` crate does).
        if field.contains([delimiter, '"', '\r', '\n']) || (width == 1 && field.is_empty()) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(field);
        }
    }
    out.push_str("\r\n");
}

/// The sheet as an RFC 4180 CSV file, UTF-8 with a byte order mark, CRLF line ends (see the module
/// documentation for how each cell is written).
///
/// # Examples
/// ```
/// use margin_engine::export::{to_csv, Cell, Sheet};
/// use margin_engine::money::Currency;
/// use rust_decimal_macros::dec;
/// let sheet = Sheet {
///     name: "SKUs".into(),
///     headers: vec!["SKU".into(), "CM2".into()],
///     rows: vec![vec![Cell::text("Tea, green"), Cell::Money(dec!(-3.105), Currency::GBP)]],
/// };
/// assert_eq!(to_csv(&sheet), "\u{feff}SKU,CM2\r\n\"Tea, green\",-3.11\r\n");
/// ```
pub fn to_csv(sheet: &Sheet) -> String {
    let mut rows: Vec<Vec<String>> = Vec::with_capacity(sheet.rows.len() + 1);
    if !sheet.headers.is_empty() {
        rows.push(
            sheet
                .headers
                .iter()
                .map(|h| neutralise(h).into_owned())
                .collect(),
        );
    }
    rows.extend(
        sheet
            .rows
            .iter()
            .map(|r| r.iter().map(Cell::plain_text).collect()),
    );
    delimited(',', "\u{feff}", rows)
}

/// Rows as TAB-separated text for the clipboard: CRLF between rows, a cell with a TAB, quote or line
/// break in double quotes, no byte order mark, text neutralised as in CSV. [`Sheet::to_tsv`] adds the
/// header row.
///
/// # Examples
/// ```
/// use margin_engine::export::{to_tsv, Cell};
/// use rust_decimal_macros::dec;
/// let rows = vec![vec![Cell::text("a\tb"), Cell::Percent(dec!(44.75))]];
/// assert_eq!(to_tsv(&rows), "\"a\tb\"\t44.75\r\n");
/// ```
pub fn to_tsv(rows: &[Vec<Cell>]) -> String {
    let rows = rows
        .iter()
        .map(|r| r.iter().map(Cell::plain_text).collect())
        .collect();
    delimited('\t', "", rows)
}

/// Makes a name valid for an Excel tab: `[ ] : * ? / \` and control characters become `_`, leading and
/// trailing apostrophes and spaces go, at most [`MAX_SHEET_NAME`] characters are kept, an empty name
/// becomes `Sheet` and the reserved `History` becomes `History_`.
///
/// # Examples
/// ```
/// use margin_engine::export::sanitise_sheet_name;
/// assert_eq!(sanitise_sheet_name("P&L: 2026/05"), "P&L_ 2026_05");
/// assert_eq!(sanitise_sheet_name("'quoted'"), "quoted");
/// assert_eq!(sanitise_sheet_name(&"x".repeat(40)).len(), 31);
/// ```
pub fn sanitise_sheet_name(name: &str) -> String {
    let replaced: String = name
        .chars()
        .map(|c| {
            if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = replaced.trim_matches(|c: char| c == '\'' || c.is_whitespace());
    let mut out = truncate_utf16(trimmed, MAX_SHEET_NAME)
        .trim_end_matches(|c: char| c == '\'' || c.is_whitespace())
        .to_string();
    if out.is_empty() {
        out = "Sheet".to_string();
    }
    if out.eq_ignore_ascii_case("history") {
        out.push('_');
    }
    out
}

/// The longest prefix of `s` of at most `units` UTF-16 code units (Excel counts those).
fn truncate_utf16(s: &str, units: usize) -> &str {
    let mut used = 0;
    for (i, c) in s.char_indices() {
        used += c.len_utf16();
        if used > units {
            return &s[..i];
        }
    }
    s
}

/// Sanitised, distinct (ignoring case, as Excel does) names for the sheets: a repeated name gets ` (2)`.
fn sheet_names(sheets: &[Sheet]) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(sheets.len());
    for sheet in sheets {
        let base = sanitise_sheet_name(&sheet.name);
        let mut name = base.clone();
        let mut n = 1;
        while names
            .iter()
            .any(|t| t.to_lowercase() == name.to_lowercase())
        {
            n += 1;
            let suffix = format!(" ({n})");
            let keep =
                truncate_utf16(&base, MAX_SHEET_NAME.saturating_sub(suffix.len())).trim_end();
            name = format!("{keep}{suffix}");
        }
        names.push(name);
    }
    names
}

/// Escapes text for XML content or an attribute value: the five predefined entities.
fn escape_xml(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
}

/// Escapes a cell's text for a `<t>` element: the XML entities; CR as the character reference `&#13;` (an
/// XML reader turns a literal CR into LF); Excel's `_xHHHH_` escapes for the characters XML 1.0 cannot
/// carry at all (U+0001…), and for a literal `_xHHHH_` in the text (its `_` becomes `_x005F_`), as Excel
/// writes them. (Excel and the engine's reader decode `_xHHHH_`; openpyxl leaves it in inline strings.)
fn escape_cell_text(text: &str, out: &mut String) {
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        let forbidden = matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}');
        let looks_escaped = c == '_'
            && bytes.get(i + 1) == Some(&b'x')
            && bytes
                .get(i + 2..i + 6)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
            && bytes.get(i + 6) == Some(&b'_');
        if c == '\r' {
            out.push_str("&#13;");
        } else if forbidden || looks_escaped {
            out.push_str(&format!("_x{:04X}_", u32::from(c)));
        } else {
            escape_xml(c.encode_utf8(&mut [0; 4]), out);
        }
    }
}

/// Style indices of `xl/styles.xml`'s `cellXfs`, in the order [`STYLES`] lists them.
const STYLE_HEADER: usize = 1;
const STYLE_DATE: usize = 2;
const STYLE_PERCENT: usize = 3;
/// Money with 0 to 4 decimals: styles 4 to 8.
const STYLE_MONEY_0DP: usize = 4;

/// `xl/styles.xml`: a regular and a bold font; cell formats General, bold header, `yyyy-mm-dd`, `0.00%`,
/// and money with 0–4 decimals (built-in formats 3 and 4, custom ones for 1, 3 and 4 decimals).
const STYLES: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
    r##"<numFmts count="4"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/><numFmt numFmtId="165" formatCode="#,##0.0"/>"##,
    r##"<numFmt numFmtId="166" formatCode="#,##0.000"/><numFmt numFmtId="167" formatCode="#,##0.0000"/></numFmts>"##,
    r#"<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>"#,
    r#"<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>"#,
    r#"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#,
    r#"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#,
    r#"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#,
    r#"<cellXfs count="9"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#,
    r#"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>"#,
    r#"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
    r#"<xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
    r#"<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
    r#"<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
    r#"<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
    r#"<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
    r#"<xf numFmtId="167" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>"#,
    r#"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#,
    r#"<dxfs count="0"/><tableStyles count="0"/></styleSheet>"#,
);

const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// 1899-12-30: serial day 0 of Excel's 1900 date system for every date from 1900-03-01 on.
const EXCEL_EPOCH: NaiveDate = match NaiveDate::from_ymd_opt(1899, 12, 30) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// Appends one cell's `<c>` element; an empty cell is left out.
fn cell_xml(cell: &Cell, reference: &str, header: bool, out: &mut String) {
    let number = |v: String, style: usize, out: &mut String| {
        out.push_str(&format!("<c r=\"{reference}\""));
        if style != 0 {
            out.push_str(&format!(" s=\"{style}\""));
        }
        out.push_str(&format!("><v>{v}</v></c>"));
    };
    match cell {
        Cell::Empty => {}
        Cell::Text(s) if s.is_empty() => {}
        Cell::Text(s) => {
            let text = neutralise(s);
            out.push_str(&format!("<c r=\"{reference}\""));
            if header {
                out.push_str(&format!(" s=\"{STYLE_HEADER}\""));
            }
            out.push_str(" t=\"inlineStr\"><is><t");
            if text.starts_with(char::is_whitespace) || text.ends_with(char::is_whitespace) {
                out.push_str(" xml:space=\"preserve\"");
            }
            out.push('>');
            escape_cell_text(&text, out);
            out.push_str("</t></is></c>");
        }
        Cell::Number(d) => number(plain(*d), 0, out),
        Cell::Money(d, c) => {
            let dp = c.minor_units();
            let style = if dp <= 4 {
                STYLE_MONEY_0DP + dp as usize
            } else {
                0
            };
            number(c.round(*d).to_string(), style, out);
        }
        Cell::Percent(p) => {
            // Percent points → fraction: move the decimal point two places (exact), keeping at most 28.
            let mut f = if p.scale() > 26 {
                p.round_dp_with_strategy(26, DISPLAY_ROUNDING)
            } else {
                *p
            };
            let scale = f.scale() + 2;
            if f.set_scale(scale).is_err() {
                f = Decimal::ZERO;
            }
            number(plain(f), STYLE_PERCENT, out);
        }
        Cell::Date(d) => {
            // Serial days count from 1899-12-30 from 1900-03-01 on; earlier days (Excel's fictitious
            // 1900-02-29 lies between) are written as text.
            if *d >= NaiveDate::from_ymd_opt(1900, 3, 1).unwrap_or(NaiveDate::MAX) {
                number((*d - EXCEL_EPOCH).num_days().to_string(), STYLE_DATE, out);
            } else {
                cell_xml(&Cell::Text(d.to_string()), reference, header, out);
            }
        }
    }
}

/// The characters a cell shows, roughly, for the column width.
fn shown_width(cell: &Cell) -> usize {
    match cell {
        Cell::Date(_) => 10,
        Cell::Money(d, c) => c.format(*d).chars().count(),
        Cell::Percent(p) => plain(*p).len() + 1,
        other => other.plain_text().chars().count(),
    }
}

/// One worksheet part.
fn worksheet_xml(sheet: &Sheet, name: &str) -> Result<String, ExportError> {
    let has_header = !sheet.headers.is_empty();
    let total_rows = sheet.rows.len() + usize::from(has_header);
    if total_rows > MAX_ROWS {
        return Err(ExportError::TooManyRows {
            sheet: name.to_string(),
            rows: total_rows,
        });
    }
    let width = sheet
        .rows
        .iter()
        .map(Vec::len)
        .chain([sheet.headers.len()])
        .max()
        .unwrap_or(0);
    if width > MAX_COLUMNS {
        return Err(ExportError::TooManyColumns {
            sheet: name.to_string(),
            columns: width,
        });
    }
    let header_cells: Vec<Cell> = sheet
        .headers
        .iter()
        .map(|h| Cell::text(h.as_str()))
        .collect();
    let rows = has_header
        .then_some(&header_cells)
        .into_iter()
        .chain(sheet.rows.iter());

    let mut widths = vec![0usize; width];
    let mut data = String::new();
    for (i, row) in rows.enumerate() {
        let number = i + 1;
        let header = has_header && i == 0;
        let mut cells = String::new();
        for (col, cell) in row.iter().enumerate() {
            let reference = format!("{}{number}", column_letters(col));
            if let Cell::Text(t) = cell
                && neutralise(t).encode_utf16().count() > MAX_CELL_TEXT
            {
                return Err(ExportError::TextTooLong {
                    sheet: name.to_string(),
                    cell: reference,
                });
            }
            if let Some(w) = widths.get_mut(col) {
                *w = (*w).max(shown_width(cell));
            }
            cell_xml(cell, &reference, header, &mut cells);
        }
        if !cells.is_empty() {
            data.push_str(&format!("<row r=\"{number}\">{cells}</row>"));
        }
    }

    let mut xml = String::with_capacity(data.len() + 1024);
    xml.push_str(XML_DECLARATION);
    xml.push_str(&format!(
        "<worksheet xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\">"
    ));
    let last = if width == 0 || total_rows == 0 {
        "A1".to_string()
    } else {
        format!("A1:{}{total_rows}", column_letters(width - 1))
    };
    xml.push_str(&format!("<dimension ref=\"{last}\"/>"));
    if has_header {
        xml.push_str(
            "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" \
             activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>",
        );
    }
    if width > 0 {
        xml.push_str("<cols>");
        for (i, w) in widths.iter().enumerate() {
            // Excel's width unit is about one digit; a little room for the filter button and padding.
            let w = (w + 2).clamp(8, 60);
            xml.push_str(&format!(
                "<col min=\"{n}\" max=\"{n}\" width=\"{w}\" customWidth=\"1\"/>",
                n = i + 1
            ));
        }
        xml.push_str("</cols>");
    }
    if data.is_empty() {
        xml.push_str("<sheetData/>");
    } else {
        xml.push_str("<sheetData>");
        xml.push_str(&data);
        xml.push_str("</sheetData>");
    }
    xml.push_str("</worksheet>");
    Ok(xml)
}

/// The sheets as an Excel workbook (`.xlsx`), one tab each in order (names made valid and distinct with
/// [`sanitise_sheet_name`]). See the module documentation for how each cell is written.
///
/// # Errors
/// [`ExportError::NoSheets`] for an empty slice; a sheet past Excel's limits ([`MAX_ROWS`],
/// [`MAX_COLUMNS`], [`MAX_CELL_TEXT`]) is refused rather than cut short.
///
/// # Examples
/// ```
/// use margin_engine::export::{to_xlsx, Cell, Sheet};
/// use margin_engine::import::xlsx::read_workbook;
/// use rust_decimal_macros::dec;
/// let sheet = Sheet { name: "SKUs".into(), headers: vec!["Units".into()], rows: vec![vec![Cell::Number(dec!(12.30))]] };
/// let bytes = to_xlsx(&[sheet]).unwrap();
/// let back = read_workbook(&bytes).unwrap();
/// assert_eq!(back[0].rows[1].cells, ["12.30"]);
/// ```
pub fn to_xlsx(sheets: &[Sheet]) -> Result<Vec<u8>, ExportError> {
    if sheets.is_empty() {
        return Err(ExportError::NoSheets);
    }
    let names = sheet_names(sheets);
    let mut parts: Vec<(String, String)> = Vec::with_capacity(sheets.len() + 5);

    let mut types = String::from(XML_DECLARATION);
    types.push_str(
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
         <Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>",
    );
    let mut workbook = String::from(XML_DECLARATION);
    workbook.push_str(&format!(
        "<workbook xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\"><bookViews><workbookView/></bookViews><sheets>"
    ));
    let mut rels = String::from(XML_DECLARATION);
    rels.push_str(
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    );
    for (i, name) in names.iter().enumerate() {
        let n = i + 1;
        types.push_str(&format!(
            "<Override PartName=\"/xl/worksheets/sheet{n}.xml\" \
             ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        ));
        workbook.push_str("<sheet name=\"");
        escape_xml(name, &mut workbook);
        workbook.push_str(&format!("\" sheetId=\"{n}\" r:id=\"rId{n}\"/>"));
        rels.push_str(&format!(
            "<Relationship Id=\"rId{n}\" Type=\"{REL_NS}/worksheet\" Target=\"worksheets/sheet{n}.xml\"/>"
        ));
    }
    types.push_str("</Types>");
    workbook.push_str("</sheets></workbook>");
    rels.push_str(&format!(
        "<Relationship Id=\"rId{}\" Type=\"{REL_NS}/styles\" Target=\"styles.xml\"/></Relationships>",
        sheets.len() + 1
    ));

    parts.push(("[Content_Types].xml".to_string(), types));
    parts.push((
        "_rels/.rels".to_string(),
        format!(
            "{XML_DECLARATION}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
             <Relationship Id=\"rId1\" Type=\"{REL_NS}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"
        ),
    ));
    parts.push(("xl/workbook.xml".to_string(), workbook));
    parts.push(("xl/_rels/workbook.xml.rels".to_string(), rels));
    parts.push(("xl/styles.xml".to_string(), STYLES.to_string()));
    for (i, (sheet, name)) in sheets.iter().zip(&names).enumerate() {
        parts.push((
            format!("xl/worksheets/sheet{}.xml", i + 1),
            worksheet_xml(sheet, name)?,
        ));
    }
    write_zip(&parts).map_err(ExportError::Zip)
}

/// The parts as a zip archive (APPNOTE.TXT 6.3, the subset OOXML needs): each part stored, with the zip
/// format's earliest timestamp (1980-01-01), so the same table gives the same bytes.
///
/// Written here rather than with `zip::ZipWriter`: that writer links its deflate compressor whatever method
/// is asked for; in a wasm32 release build (opt-level "z", LTO) it added about 25 KB gzip, this function
/// with the rest of the XLSX writer about 6 KB.
/// Parts are stored, not deflated: a workbook of a few thousand rows stays well under a few MB, and
/// Excel, LibreOffice and openpyxl open stored parts as they open deflated ones.
fn write_zip(parts: &[(String, String)]) -> Result<Vec<u8>, String> {
    const LOCAL: u32 = 0x0403_4b50;
    const CENTRAL: u32 = 0x0201_4b50;
    const END: u32 = 0x0605_4b50;
    /// 1980-01-01 in MS-DOS date format: (year − 1980) << 9 | month << 5 | day.
    const DOS_DATE: u16 = (1 << 5) | 1;
    let too_big = || {
        "the workbook would be larger than 4 GB, which a zip archive without ZIP64 cannot hold"
            .to_string()
    };
    let u32_of = |n: usize| u32::try_from(n).map_err(|_| too_big());

    let mut out: Vec<u8> = Vec::new();
    let mut central: Vec<u8> = Vec::new();
    let put16 = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_le_bytes());
    let put32 = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&x.to_le_bytes());
    for (name, text) in parts {
        let data = text.as_bytes();
        let crc = crc32fast::hash(data);
        let size = u32_of(data.len())?;
        let name_len = u16::try_from(name.len()).map_err(|_| too_big())?;
        let offset = u32_of(out.len())?;
        // Version needed 1.0 (stored), no flags, method 0 (stored), time 00:00, no extra field.
        let header = |v: &mut Vec<u8>| {
            put16(v, 10);
            put16(v, 0);
            put16(v, 0);
            put16(v, 0);
            put16(v, DOS_DATE);
            put32(v, crc);
            put32(v, size);
            put32(v, size);
            put16(v, name_len);
            put16(v, 0);
        };
        put32(&mut out, LOCAL);
        header(&mut out);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        put32(&mut central, CENTRAL);
        // Made by: MS-DOS host, version 2.0.
        put16(&mut central, 20);
        header(&mut central);
        // No comment, disk 0, no attributes, then where the local header starts.
        put16(&mut central, 0);
        put16(&mut central, 0);
        put16(&mut central, 0);
        put32(&mut central, 0);
        put32(&mut central, offset);
        central.extend_from_slice(name.as_bytes());
    }
    let entries = u16::try_from(parts.len()).map_err(|_| too_big())?;
    let central_offset = u32_of(out.len())?;
    let central_size = u32_of(central.len())?;
    u32_of(out.len() + central.len() + 22)?;
    out.extend_from_slice(&central);
    put32(&mut out, END);
    put16(&mut out, 0);
    put16(&mut out, 0);
    put16(&mut out, entries);
    put16(&mut out, entries);
    put32(&mut out, central_size);
    put32(&mut out, central_offset);
    put16(&mut out, 0);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_text_escapes_what_xml_cannot_carry() {
        let mut out = String::new();
        escape_cell_text("a\rb\u{1}c_x0041_d_x00_<&>\"'\t\n", &mut out);
        assert_eq!(
            out,
            "a&#13;b_x0001_c_x005F_x0041_d_x00_&lt;&amp;&gt;&quot;&apos;\t\n"
        );
    }

    #[test]
    fn distinct_sheet_names() {
        let sheet = |n: &str| Sheet {
            name: n.to_string(),
            ..Sheet::default()
        };
        let names = sheet_names(&[
            sheet("SKUs"),
            sheet("skus"),
            sheet("SKUs"),
            sheet(&"y".repeat(31)),
            sheet(&"y".repeat(35)),
            sheet(""),
        ]);
        assert_eq!(
            names,
            [
                "SKUs".to_string(),
                "skus (2)".to_string(),
                "SKUs (3)".to_string(),
                "y".repeat(31),
                format!("{} (2)", "y".repeat(27)),
                "Sheet".to_string(),
            ]
        );
    }

    #[test]
    fn truncation_counts_utf16_units() {
        // "😀" is two UTF-16 units: 15 of them are 30 units, a 16th would make 32.
        let name = "😀".repeat(16);
        assert_eq!(sanitise_sheet_name(&name), "😀".repeat(15));
        assert_eq!(sanitise_sheet_name("History"), "History_");
        assert_eq!(
            sanitise_sheet_name("a[b]c:d*e?f/g\\h\u{7}"),
            "a_b_c_d_e_f_g_h_"
        );
    }
}
