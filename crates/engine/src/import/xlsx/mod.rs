//! Reads Excel workbooks (`.xlsx`) into rows of cell text, for the importers (docs/formats.md §1.5, §7.7).
//!
//! The reader is literal on purpose, so the importers see what the file holds:
//! - It never trusts `<dimension>` (TikTok exports declare `A1` for hundreds of rows): every `<row>` and `<c>`
//!   is read, and each cell's column comes from its `r` attribute (`AB12`), or from its position when `r` is absent.
//! - Numbers come back as the raw text of `<v>`, exactly as written (`"39.99"`, `"5.77396316691666E+17"`), never
//!   through `f64`: money stays exact, and an ID that Excel turned into a number shows as scientific notation.
//! - Dates are numbers in a workbook (serial days): read them with [`serial_to_datetime`].
//! - Booleans come back as `TRUE` / `FALSE`, errors as their text (`#N/A`), `t="d"` cells as their ISO text.
//! - Strings (shared, inline, formula results) come back whole: rich-text runs joined, entities and Excel's
//!   `_xHHHH_` escapes decoded, and no whitespace trimmed (TikTok's trailing TABs are kept for the caller).
//! - Any damaged input is an [`XlsxError`], never a panic. Sizes are capped (see [`MAX_PART_BYTES`], [`MAX_CELLS`]),
//!   so a zip bomb is refused.
//!
//! This module reads the package (zip parts, relationships, the workbook's sheet list); `cells.rs`
//! reads the XML of the shared strings and worksheets into rows.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::HashMap;
use std::fmt;
use std::io::{Cursor, Read};
use std::str::FromStr;
use zip::ZipArchive;

mod cells;
#[cfg(test)]
use cells::{decode_escapes, parse_reference};
use cells::{parse_shared_strings, parse_worksheet};

/// The largest uncompressed size accepted for one part (file) of the workbook: 1 GiB.
pub const MAX_PART_BYTES: u64 = 1 << 30;

/// The largest uncompressed size accepted for all the parts read, together: 2 GiB.
pub const MAX_TOTAL_BYTES: u64 = 2 << 30;

/// The most cells kept for the whole workbook, counting the `""` cells that fill gaps within a row.
/// A 200,000-order Orders export of 60 columns has 12 million.
pub const MAX_CELLS: usize = 30_000_000;

/// Excel's last column is XFD, the 16,384th.
const MAX_COLUMNS: usize = 16_384;

/// Excel's last row.
const MAX_ROW: u32 = 1_048_576;

/// One row of a worksheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The 1-based row number, as Excel shows it (from the row's `r` attribute).
    pub number: u32,
    /// The cells' text: index 0 is column A. Gaps are `""`; the vector ends at the last non-empty cell.
    pub cells: Vec<String>,
}

impl Row {
    /// The text of the cell in `column` (0 = A), or `""` past the end of the row.
    pub fn cell(&self, column: usize) -> &str {
        self.cells.get(column).map_or("", String::as_str)
    }
}

/// One worksheet: its name and its non-empty rows in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    /// The tab's name, e.g. `OrderSKUList`.
    pub name: String,
    /// The rows that hold at least one non-empty cell. Empty rows are left out, so use [`Row::number`]
    /// (not the index) to name a row.
    pub rows: Vec<Row>,
}

impl Sheet {
    /// The row with this 1-based number, if it holds anything.
    pub fn row(&self, number: u32) -> Option<&Row> {
        self.rows.iter().find(|r| r.number == number)
    }
}

/// Why a workbook cannot be read, in words the user can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XlsxError {
    /// The reason, e.g. "the file is a zip archive but not an Excel workbook (no xl/workbook.xml)".
    pub message: String,
}

impl XlsxError {
    fn new(message: impl Into<String>) -> Self {
        XlsxError {
            message: message.into(),
        }
    }
}

impl fmt::Display for XlsxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for XlsxError {}

/// The column letters of a 0-based column index: 0 → `A`, 25 → `Z`, 26 → `AA`.
///
/// # Examples
/// ```
/// use margin_engine::import::xlsx::column_letters;
/// assert_eq!(column_letters(0), "A");
/// assert_eq!(column_letters(27), "AB");
/// assert_eq!(column_letters(16_383), "XFD");
/// ```
pub fn column_letters(index: usize) -> String {
    let mut letters = Vec::new();
    let mut n = index.saturating_add(1);
    while n > 0 {
        let rem = (n - 1) % 26;
        // rem < 26, so the cast cannot truncate.
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// Reads every worksheet of an `.xlsx` file, in the workbook's tab order.
///
/// # Errors
/// An [`XlsxError`] when the bytes are not a zip archive, not a workbook, truncated or damaged (bad XML, a
/// shared-string index out of range, a cell beyond column XFD), or larger than the caps.
///
/// # Examples
/// ```
/// use margin_engine::import::xlsx::read_workbook;
/// let err = read_workbook(b"Order ID,SKU ID\n").unwrap_err();
/// assert!(err.message.contains("not a zip archive"));
/// ```
pub fn read_workbook(bytes: &[u8]) -> Result<Vec<Sheet>, XlsxError> {
    read_with_limits(bytes, Limits::DEFAULT)
}

/// Converts an Excel serial date of the 1900 date system (the raw text of a number cell) to a date and time.
///
/// Serial 1 is 1900-01-01 and serial 61 is 1900-03-01 (Excel counts a 1900-02-29 that never was, serial 60,
/// which gives `None`). The fraction is the time of day, rounded to the millisecond. The arithmetic is exact
/// (`rust_decimal`). `None` for text that is not a number, for serials below 1 (a time without a date) and
/// past 9999-12-31. Workbooks saved in the 1904 date system are not recognised (none are TikTok exports).
///
/// # Examples
/// ```
/// use margin_engine::import::xlsx::serial_to_datetime;
/// let t = serial_to_datetime("46159.5").unwrap();
/// assert_eq!(t.to_string(), "2026-05-17 12:00:00");
/// ```
pub fn serial_to_datetime(raw: &str) -> Option<NaiveDateTime> {
    let text = raw.trim();
    let serial = if text.contains(['e', 'E']) {
        Decimal::from_scientific(text).ok()?
    } else {
        Decimal::from_str(text).ok()?
    };
    // 2,958,466 is 10000-01-01, past Excel's last date.
    if serial < Decimal::ONE || serial >= Decimal::from(2_958_466) {
        return None;
    }
    let whole = serial.trunc();
    let days = whole.to_i64()?;
    if days == 60 {
        return None;
    }
    let millis = ((serial - whole) * Decimal::from(86_400_000))
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .to_i64()?;
    // Before the fake leap day, serial n is n days after 1899-12-31; from 61 on, n days after 1899-12-30.
    let epoch = if days < 60 {
        NaiveDate::from_ymd_opt(1899, 12, 31)?
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 30)?
    };
    epoch
        .checked_add_signed(TimeDelta::try_days(days)?)?
        .and_hms_opt(0, 0, 0)?
        .checked_add_signed(TimeDelta::try_milliseconds(millis)?)
}

/// Size caps, smaller in the unit tests.
#[derive(Debug, Clone, Copy)]
struct Limits {
    part_bytes: u64,
    total_bytes: u64,
    cells: usize,
}

impl Limits {
    const DEFAULT: Limits = Limits {
        part_bytes: MAX_PART_BYTES,
        total_bytes: MAX_TOTAL_BYTES,
        cells: MAX_CELLS,
    };
}

fn read_with_limits(bytes: &[u8], limits: Limits) -> Result<Vec<Sheet>, XlsxError> {
    let mut package = Package::open(bytes, limits)?;

    // The workbook part is named by the package's root relationships; it is xl/workbook.xml in practice.
    let mut workbook_part = String::from("xl/workbook.xml");
    if let Some(text) = package.read("_rels/.rels")? {
        let root = parse_relationships(&text, "_rels/.rels", "")?;
        if let Some(rel) = root.values().find(|r| r.kind.ends_with("/officeDocument"))
            && package.index_of(&rel.target).is_some()
        {
            workbook_part = rel.target.clone();
        }
    }
    let Some(workbook_xml) = package.read(&workbook_part)? else {
        return Err(package.not_a_workbook());
    };
    let entries = parse_workbook(&workbook_xml, &workbook_part)?;
    drop(workbook_xml);
    if entries.is_empty() {
        return Err(XlsxError::new(
            "the Excel workbook has no sheets; the file is damaged",
        ));
    }

    let (dir, file) = match workbook_part.rfind('/') {
        Some(i) => workbook_part.split_at(i + 1),
        None => ("", workbook_part.as_str()),
    };
    let rels_part = format!("{dir}_rels/{file}.rels");
    let rels = match package.read(&rels_part)? {
        Some(text) => parse_relationships(&text, &rels_part, dir)?,
        None => HashMap::new(),
    };

    let shared_part = rels
        .values()
        .find(|r| r.kind.ends_with("/sharedStrings"))
        .map_or_else(|| format!("{dir}sharedStrings.xml"), |r| r.target.clone());
    let shared = match package.read(&shared_part)? {
        Some(text) => parse_shared_strings(&text, &shared_part)?,
        None => Vec::new(),
    };

    let mut cells_left = limits.cells;
    let mut sheets = Vec::with_capacity(entries.len());
    for (i, entry) in entries.into_iter().enumerate() {
        let part = entry
            .relationship
            .as_ref()
            .and_then(|id| rels.get(id))
            .map_or_else(
                || format!("{dir}worksheets/sheet{}.xml", i + 1),
                |r| r.target.clone(),
            );
        let Some(text) = package.read(&part)? else {
            return Err(XlsxError::new(format!(
                "the workbook lists a sheet \"{}\" but its part {part} is missing; the file is damaged",
                entry.name
            )));
        };
        let rows = parse_worksheet(&text, &part, &entry.name, &shared, &mut cells_left)?;
        sheets.push(Sheet {
            name: entry.name,
            rows,
        });
    }
    Ok(sheets)
}

/// The zip archive, with the byte budget spent so far.
struct Package<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    limits: Limits,
    bytes_read: u64,
}

impl<'a> Package<'a> {
    fn open(bytes: &'a [u8], limits: Limits) -> Result<Self, XlsxError> {
        if !bytes.starts_with(b"PK") {
            return Err(not_a_zip(bytes));
        }
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            XlsxError::new(format!(
                "the file is an incomplete or damaged Excel workbook: its zip archive cannot be read ({e}); \
                 download the export again"
            ))
        })?;
        Ok(Package {
            zip,
            limits,
            bytes_read: 0,
        })
    }

    /// The index of a part, by exact name, else ignoring case, a leading `/` and `\` separators
    /// (part names are case-insensitive in the package format).
    fn index_of(&self, name: &str) -> Option<usize> {
        if let Some(i) = self.zip.index_for_name(name) {
            return Some(i);
        }
        let wanted = normalise_part_name(name);
        self.zip
            .file_names()
            .position(|n| normalise_part_name(n) == wanted)
    }

    /// The text of a part, or `None` when the archive has no such part.
    fn read(&mut self, name: &str) -> Result<Option<String>, XlsxError> {
        let Some(index) = self.index_of(name) else {
            return Ok(None);
        };
        let damaged = |e: &dyn fmt::Display| {
            XlsxError::new(format!(
                "the file is an incomplete or damaged Excel workbook: {name} cannot be unpacked ({e}); \
                 download the export again"
            ))
        };
        let too_big = |size: u64| {
            XlsxError::new(format!(
                "the workbook is too large to read: {name} unpacks to more than {} MiB (a damaged file or a zip bomb)",
                size / (1024 * 1024)
            ))
        };
        let cap = self
            .limits
            .part_bytes
            .min(self.limits.total_bytes.saturating_sub(self.bytes_read));
        let mut file = self.zip.by_index(index).map_err(|e| damaged(&e))?;
        let declared = file.size();
        if declared > cap {
            return Err(too_big(cap));
        }
        // The declared size can lie: read at most one byte past the cap to find out.
        let mut buf = Vec::with_capacity(usize::try_from(declared.min(64 << 20)).unwrap_or(0));
        Read::by_ref(&mut file)
            .take(cap.saturating_add(1))
            .read_to_end(&mut buf)
            .map_err(|e| damaged(&e))?;
        let got = u64::try_from(buf.len()).unwrap_or(u64::MAX);
        if got > cap {
            return Err(too_big(cap));
        }
        self.bytes_read = self.bytes_read.saturating_add(got);
        decode_text(name, buf).map(Some)
    }

    /// The error for a zip archive without a workbook, naming what it looks like instead.
    fn not_a_workbook(&self) -> XlsxError {
        let hint = if self.index_of("word/document.xml").is_some() {
            " — it looks like a Word document"
        } else if self.index_of("ppt/presentation.xml").is_some() {
            " — it looks like a PowerPoint presentation"
        } else if self.index_of("content.xml").is_some() {
            " — it looks like an OpenDocument file; save it as .xlsx"
        } else {
            ""
        };
        XlsxError::new(format!(
            "the file is a zip archive but not an Excel workbook (no xl/workbook.xml){hint}"
        ))
    }
}

fn normalise_part_name(name: &str) -> String {
    name.trim_start_matches(['/', '\\'])
        .replace('\\', "/")
        .to_lowercase()
}

/// The error for bytes that are not a zip archive, with a hint for the usual suspects.
fn not_a_zip(bytes: &[u8]) -> XlsxError {
    const OLE2: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    let text_start = bytes
        .strip_prefix(&[0xEF, 0xBB, 0xBF])
        .unwrap_or(bytes)
        .iter()
        .find(|b| !b.is_ascii_whitespace());
    let message = if bytes.is_empty() {
        "the file is empty".to_string()
    } else if bytes.starts_with(OLE2) {
        "the file is an old-format Excel workbook (.xls) or a password-protected one, which cannot be read: \
         open it in Excel and save it as an Excel Workbook (.xlsx) without a password"
            .to_string()
    } else if text_start == Some(&b'<') {
        "the file is not an Excel workbook (.xlsx): it is not a zip archive but XML or HTML text"
            .to_string()
    } else {
        "the file is not an Excel workbook (.xlsx): it is not a zip archive".to_string()
    };
    XlsxError::new(message)
}

/// A part's bytes as text: UTF-8 (with or without a BOM) or UTF-16 with a BOM.
fn decode_text(name: &str, mut bytes: Vec<u8>) -> Result<String, XlsxError> {
    let not_text = || {
        XlsxError::new(format!(
            "the workbook is damaged: {name} is not readable text"
        ))
    };
    let utf16 = |rest: &[u8], little: bool| {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|p| match p {
                [a, b] if little => u16::from_le_bytes([*a, *b]),
                [a, b] => u16::from_be_bytes([*a, *b]),
                _ => 0xFFFD,
            })
            .collect();
        String::from_utf16(&units).map_err(|_| not_text())
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, false);
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|_| not_text())
}

/// A pull parser over one part that reports malformed XML as an [`XlsxError`], including a document that
/// ends with elements still open.
struct Xml<'a> {
    reader: Reader<&'a [u8]>,
    part: &'a str,
    depth: usize,
}

impl<'a> Xml<'a> {
    fn new(text: &'a str, part: &'a str) -> Self {
        Xml {
            reader: Reader::from_str(text),
            part,
            depth: 0,
        }
    }

    fn next(&mut self) -> Result<Event<'a>, XlsxError> {
        let event = match self.reader.read_event() {
            Ok(e) => e,
            Err(e) => return Err(self.malformed(&e.to_string())),
        };
        match &event {
            Event::Start(_) => self.depth += 1,
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            Event::Eof if self.depth > 0 => {
                return Err(self.malformed("the document ends inside an element"));
            }
            _ => {}
        }
        Ok(event)
    }

    fn malformed(&self, detail: &str) -> XlsxError {
        XlsxError::new(format!(
            "the workbook is damaged: {} is not well-formed XML (near byte {}: {detail})",
            self.part,
            self.reader.buffer_position()
        ))
    }

    /// The attribute with this local name (`id` matches `r:id`), entity-decoded.
    fn attribute(&self, e: &BytesStart<'_>, local: &str) -> Result<Option<String>, XlsxError> {
        for a in e.attributes() {
            let a = a.map_err(|err| self.malformed(&err.to_string()))?;
            if a.key.local_name().as_ref() == local {
                let value = a
                    .normalized_value(XmlVersion::Implicit1_0)
                    .map_err(|err| self.malformed(&err.to_string()))?;
                return Ok(Some(value.into_owned()));
            }
        }
        Ok(None)
    }

    /// Appends the text of a text, CDATA or entity-reference event to `out`.
    fn push_text(&self, out: &mut String, event: &Event<'_>) -> Result<(), XlsxError> {
        match event {
            Event::Text(t) => out.push_str(&t.xml10_content()),
            Event::CData(c) => out.push_str(&c.xml10_content()),
            Event::GeneralRef(r) => {
                match r
                    .resolve_char_ref()
                    .map_err(|e| self.malformed(&e.to_string()))?
                {
                    Some(ch) => out.push(ch),
                    None => match resolve_predefined_entity(r) {
                        Some(s) => out.push_str(s),
                        None => {
                            return Err(
                                self.malformed(&format!("unknown entity &{};", r.as_ref() as &str))
                            );
                        }
                    },
                }
            }
            _ => {}
        }
        Ok(())
    }
}

fn is_text(event: &Event<'_>) -> bool {
    matches!(
        event,
        Event::Text(_) | Event::CData(_) | Event::GeneralRef(_)
    )
}

/// One relationship: where it points (a part name inside the archive) and its type URI.
struct Relationship {
    target: String,
    kind: String,
}

/// Reads a `.rels` part into Id → relationship. Targets are resolved against `base` (the folder of the
/// part the relationships belong to); an absolute target (`/xl/worksheets/sheet1.xml`) is taken from the root.
fn parse_relationships(
    text: &str,
    part: &str,
    base: &str,
) -> Result<HashMap<String, Relationship>, XlsxError> {
    let mut xml = Xml::new(text, part);
    let mut rels = HashMap::new();
    loop {
        match xml.next()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                let external = xml
                    .attribute(&e, "TargetMode")?
                    .is_some_and(|m| m.eq_ignore_ascii_case("external"));
                let (Some(id), Some(target)) =
                    (xml.attribute(&e, "Id")?, xml.attribute(&e, "Target")?)
                else {
                    continue;
                };
                if external {
                    continue;
                }
                let kind = xml.attribute(&e, "Type")?.unwrap_or_default();
                rels.insert(
                    id,
                    Relationship {
                        target: resolve_target(base, &target),
                        kind,
                    },
                );
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(rels)
}

/// Joins a relationship target to its base folder and removes `.` and `..` segments.
fn resolve_target(base: &str, target: &str) -> String {
    let target = target.replace('\\', "/");
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("{base}{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// A `<sheet>` of the workbook: its name and relationship id.
struct SheetEntry {
    name: String,
    relationship: Option<String>,
}

fn parse_workbook(text: &str, part: &str) -> Result<Vec<SheetEntry>, XlsxError> {
    let mut xml = Xml::new(text, part);
    let mut entries = Vec::new();
    loop {
        match xml.next()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheet" => {
                let name = xml
                    .attribute(&e, "name")?
                    .unwrap_or_else(|| format!("Sheet{}", entries.len() + 1));
                let relationship = xml.attribute(&e, "id")?;
                entries.push(SheetEntry { name, relationship });
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    use zip::{CompressionMethod, ZipWriter};

    const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#;
    const WORKBOOK: &str = r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    const RELS: &str = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;

    /// A workbook with one sheet `S` whose `<sheetData>` is `sheet_data`, and the shared strings given.
    fn workbook(sheet_data: &str, shared: Option<&str>, method: CompressionMethod) -> Vec<u8> {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default().compression_method(method);
        let sheet = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1"/><sheetData>{sheet_data}</sheetData></worksheet>"#
        );
        let mut parts = vec![
            ("[Content_Types].xml", CONTENT_TYPES.to_string()),
            ("xl/workbook.xml", WORKBOOK.to_string()),
            ("xl/_rels/workbook.xml.rels", RELS.to_string()),
            ("xl/worksheets/sheet1.xml", sheet),
        ];
        if let Some(sst) = shared {
            parts.push((
                "xl/sharedStrings.xml",
                format!(
                    r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{sst}</sst>"#
                ),
            ));
        }
        for (name, text) in parts {
            zip.start_file(name, options).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn stored(sheet_data: &str, shared: Option<&str>) -> Vec<u8> {
        workbook(sheet_data, shared, CompressionMethod::Stored)
    }

    #[test]
    fn reads_types_gaps_and_row_numbers() {
        let data = r#"<row r="3"><c r="B3" t="s"><v>1</v></c><c r="D3"><v>39.99</v></c><c r="E3" t="b"><v>1</v></c><c r="F3" t="e"><v>#N/A</v></c><c r="G3" t="str"><f>A1&amp;"x"</f><v>a&amp;b</v></c></row><row r="4"/><row><c t="inlineStr"><is><t xml:space="preserve"> x_x000D_y&#9;</t></is></c><c><v>5.77396316691666E+17</v></c></row>"#;
        let sheets = read_with_limits(
            &stored(data, Some("<si><t>zero</t></si><si><t>one</t></si>")),
            Limits::DEFAULT,
        )
        .unwrap();
        let rows = &sheets[0].rows;
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].number, 3);
        assert_eq!(
            rows[0].cells,
            ["", "one", "", "39.99", "TRUE", "#N/A", "a&b"]
        );
        // Row 4 is empty (not kept) and the next row has no r: it is row 5.
        assert_eq!(rows[1].number, 5);
        assert_eq!(rows[1].cells, [" x\ry\t", "5.77396316691666E+17"]);
    }

    #[test]
    fn malformed_xml_is_an_error() {
        for data in [
            r#"<row r="1"><c r="A1"><v>1</v></row>"#,
            r#"<row r="1"><c r="A1"><v>1</v></c>"#,
            r#"<row r="1"><c r="A1" t="str"><v>a &bogus; b</v></c></row>"#,
        ] {
            let err = read_with_limits(&stored(data, None), Limits::DEFAULT).unwrap_err();
            assert!(
                err.message
                    .contains("xl/worksheets/sheet1.xml is not well-formed XML"),
                "{data}: {}",
                err.message
            );
        }
        let bad_sst = stored(
            r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#,
            Some("<si><t>a</si>"),
        );
        let err = read_with_limits(&bad_sst, Limits::DEFAULT).unwrap_err();
        assert!(
            err.message
                .contains("xl/sharedStrings.xml is not well-formed XML"),
            "{}",
            err.message
        );
    }

    #[test]
    fn shared_string_index_out_of_range_is_an_error() {
        let bytes = stored(
            r#"<row r="7"><c r="B7" t="s"><v>2</v></c></row>"#,
            Some("<si><t>a</t></si><si><t>b</t></si>"),
        );
        let err = read_with_limits(&bytes, Limits::DEFAULT).unwrap_err();
        assert_eq!(
            err.message,
            "sheet \"S\", cell B7: the shared string index 2 is out of range (the workbook has 2 shared strings); the file is damaged"
        );
        let bytes = stored(r#"<row r="1"><c r="A1" t="s"><v>-1</v></c></row>"#, None);
        assert!(read_with_limits(&bytes, Limits::DEFAULT).is_err());
    }

    #[test]
    fn absurd_references_are_errors() {
        for (data, expect) in [
            (
                r#"<row r="1"><c r="ZZZZZZZZ1"><v>1</v></c></row>"#,
                "beyond Excel's last column XFD",
            ),
            (
                r#"<row r="1"><c r="XFE1"><v>1</v></c></row>"#,
                "beyond Excel's last column XFD",
            ),
            (
                r#"<row r="1"><c r="12"><v>1</v></c></row>"#,
                "not a valid cell reference",
            ),
            (
                r#"<row r="0"><c r="A1"><v>1</v></c></row>"#,
                "row number \"0\" is not valid",
            ),
            (
                r#"<row r="99999999999"><c><v>1</v></c></row>"#,
                "is not valid",
            ),
        ] {
            let err = read_with_limits(&stored(data, None), Limits::DEFAULT).unwrap_err();
            assert!(err.message.contains(expect), "{data}: {}", err.message);
        }
        // XFD itself is fine.
        let rows = &read_with_limits(
            &stored(r#"<row r="1"><c r="XFD1"><v>1</v></c></row>"#, None),
            Limits::DEFAULT,
        )
        .unwrap()[0]
            .rows;
        assert_eq!(rows[0].cells.len(), 16_384);
    }

    #[test]
    fn size_caps_refuse_large_parts_and_too_many_cells() {
        // A sheet part of a few kB (deflated to much less) against a 1 kB part cap.
        let big: String = (1..=200)
            .map(|i| format!(r#"<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>"#))
            .collect();
        let bytes = workbook(&big, None, CompressionMethod::Deflated);
        let small = Limits {
            part_bytes: 1000,
            ..Limits::DEFAULT
        };
        let err = read_with_limits(&bytes, small).unwrap_err();
        assert!(err.message.contains("too large"), "{}", err.message);
        assert!(read_with_limits(&bytes, Limits::DEFAULT).is_ok());

        // The same, with the declared uncompressed size patched to lie (10 bytes): the zip reader does not
        // stop at the declared size, so the capped read must.
        let mut lying = bytes.clone();
        patch_declared_size(&mut lying, "xl/worksheets/sheet1.xml", 10);
        let err = read_with_limits(&lying, small).unwrap_err();
        assert!(err.message.contains("too large"), "{}", err.message);

        let few_cells = Limits {
            cells: 100,
            ..Limits::DEFAULT
        };
        let err = read_with_limits(&bytes, few_cells).unwrap_err();
        assert!(err.message.contains("more than"), "{}", err.message);
    }

    /// Rewrites the uncompressed-size field of `name` in its local header and its central-directory entry.
    fn patch_declared_size(zip: &mut [u8], name: &str, size: u32) {
        let name = name.as_bytes();
        let mut i = 0;
        while i + 46 <= zip.len() {
            let sig = &zip[i..i + 4];
            if sig == b"PK\x03\x04" {
                let n = u16::from_le_bytes([zip[i + 26], zip[i + 27]]) as usize;
                if zip.get(i + 30..i + 30 + n) == Some(name) {
                    zip[i + 22..i + 26].copy_from_slice(&size.to_le_bytes());
                }
            } else if sig == b"PK\x01\x02" {
                let n = u16::from_le_bytes([zip[i + 28], zip[i + 29]]) as usize;
                if zip.get(i + 46..i + 46 + n) == Some(name) {
                    zip[i + 24..i + 28].copy_from_slice(&size.to_le_bytes());
                }
            }
            i += 1;
        }
    }

    #[test]
    fn escapes() {
        assert_eq!(decode_escapes("a_x000D_b".into()), "a\rb");
        assert_eq!(decode_escapes("_x005F_x0041_".into()), "_x0041_");
        assert_eq!(
            decode_escapes("snake_x_case_x12".into()),
            "snake_x_case_x12"
        );
        assert_eq!(decode_escapes("_x+041_".into()), "_x+041_");
        assert_eq!(decode_escapes("é_x00e9_".into()), "éé");
    }

    #[test]
    fn references_and_targets() {
        assert_eq!(parse_reference("A1"), Ok((0, Some(1))));
        assert_eq!(parse_reference("ab12"), Ok((27, Some(12))));
        assert_eq!(parse_reference("XFD1048576"), Ok((16_383, Some(1_048_576))));
        assert!(parse_reference("A1048577").is_err());
        assert!(parse_reference("").is_err());
        assert!(parse_reference("$A$1").is_err());
        assert_eq!(
            resolve_target("xl/", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve_target("xl/", "/xl/worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve_target("xl/", "../xl/./worksheets/s.xml"),
            "xl/worksheets/s.xml"
        );
        assert_eq!(resolve_target("xl/", "../../../x.xml"), "x.xml");
        for (i, s) in [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")] {
            assert_eq!(column_letters(i), s);
            assert_eq!(parse_reference(s).unwrap().0, i);
        }
    }

    #[test]
    fn garbage_never_panics() {
        let good = workbook(
            r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>2</v></c></row>"#,
            Some("<si><r><t>a</t></r><r><t>b</t></r></si>"),
            CompressionMethod::Deflated,
        );
        assert_eq!(
            read_with_limits(&good, Limits::DEFAULT).unwrap()[0].rows[0].cells,
            ["ab", "2"]
        );
        // Every truncation, and a byte flipped at every position: an error or a result, never a panic.
        for len in 0..good.len() {
            let _ = read_with_limits(&good[..len], Limits::DEFAULT);
        }
        for i in 0..good.len() {
            let mut bad = good.clone();
            bad[i] ^= 0x5A;
            let _ = read_with_limits(&bad, Limits::DEFAULT);
        }
    }

    #[test]
    fn serials() {
        let t = |raw: &str| serial_to_datetime(raw).map(|d| d.to_string());
        assert_eq!(t("1").as_deref(), Some("1900-01-01 00:00:00"));
        assert_eq!(t("59").as_deref(), Some("1900-02-28 00:00:00"));
        assert_eq!(t("60"), None);
        assert_eq!(t("61").as_deref(), Some("1900-03-01 00:00:00"));
        assert_eq!(t("0.5"), None);
        assert_eq!(t("-1"), None);
        assert_eq!(t("abc"), None);
        assert_eq!(t("2958465.5").as_deref(), Some("9999-12-31 12:00:00"));
        assert_eq!(t("2958466"), None);
        assert_eq!(t("4.6159E4").as_deref(), Some("2026-05-17 00:00:00"));
        // 23:59:59.9996 rounds to the next day's midnight.
        assert_eq!(
            t("45657.9999999954").as_deref(),
            Some("2025-01-01 00:00:00")
        );
    }
}
