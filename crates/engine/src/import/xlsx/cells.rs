//! The XML of a workbook's shared strings and worksheets, read into rows of cell text (the package
//! around them — zip, relationships, workbook — is read in `xlsx/mod.rs`).

use super::*;

/// Reads the shared-string table: one string per `<si>`, its `<t>` runs joined, phonetic runs (`<rPh>`) left out.
pub(super) fn parse_shared_strings(text: &str, part: &str) -> Result<Vec<String>, XlsxError> {
    let mut xml = Xml::new(text, part);
    let mut strings = Vec::new();
    let mut current: Option<String> = None;
    let mut in_text = false;
    let mut phonetic = 0usize;
    loop {
        let event = xml.next()?;
        match &event {
            Event::Start(e) => match e.local_name().as_ref() {
                "si" => current = Some(String::new()),
                "t" => in_text = current.is_some() && phonetic == 0,
                "rPh" => phonetic += 1,
                _ => {}
            },
            Event::Empty(e) if e.local_name().as_ref() == "si" => strings.push(String::new()),
            Event::End(e) => match e.local_name().as_ref() {
                "si" => {
                    if let Some(s) = current.take() {
                        strings.push(decode_escapes(s));
                    }
                    in_text = false;
                }
                "t" => in_text = false,
                "rPh" => phonetic = phonetic.saturating_sub(1),
                _ => {}
            },
            Event::Eof => break,
            ev if in_text && is_text(ev) => {
                if let Some(s) = current.as_mut() {
                    xml.push_text(s, ev)?;
                }
            }
            _ => {}
        }
    }
    Ok(strings)
}

/// Decodes Excel's `_xHHHH_` escapes (used for control characters such as `_x000D_`; `_x005F_` is a literal `_`).
pub(super) fn decode_escapes(s: String) -> String {
    if !s.contains("_x") {
        return s;
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(pos) = rest.find("_x") {
        let (before, from) = rest.split_at(pos);
        out.push_str(before);
        let decoded = from
            .get(2..7)
            .filter(|h| h.ends_with('_'))
            .and_then(|h| h.get(..4))
            .filter(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|hex| u32::from_str_radix(hex, 16).ok())
            .and_then(char::from_u32);
        match (decoded, from.get(7..)) {
            (Some(ch), Some(after)) => {
                out.push(ch);
                rest = after;
            }
            _ => {
                out.push_str("_x");
                rest = from.get(2..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    out
}

/// A cell being read.
#[derive(Default)]
struct CellBuild {
    column: usize,
    kind: Option<String>,
    value: Option<String>,
    inline: Option<String>,
}

/// Where text events go while inside a cell.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Capture {
    Nothing,
    Value,
    Inline,
}

/// A row being read.
struct RowBuild {
    number: Option<u32>,
    cells: Vec<String>,
    next_column: usize,
}

pub(super) fn parse_worksheet(
    text: &str,
    part: &str,
    sheet: &str,
    shared: &[String],
    cells_left: &mut usize,
) -> Result<Vec<Row>, XlsxError> {
    let mut xml = Xml::new(text, part);
    let mut rows: Vec<Row> = Vec::new();
    let mut last_number = 0u32;
    let mut row: Option<RowBuild> = None;
    let mut cell: Option<CellBuild> = None;
    let mut capture = Capture::Nothing;
    let mut in_inline = false;
    let mut phonetic = 0usize;

    loop {
        let event = xml.next()?;
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                match e.local_name().as_ref() {
                    "row" => {
                        if let Some(open) = row.take() {
                            finish_row(open, &mut rows, &mut last_number);
                        }
                        let number = match xml.attribute(e, "r")? {
                            Some(r) => Some(parse_row_number(&r).ok_or_else(|| {
                                XlsxError::new(format!(
                                    "sheet \"{sheet}\": the row number \"{r}\" is not valid; the file is damaged"
                                ))
                            })?),
                            None => None,
                        };
                        let open = RowBuild {
                            number,
                            cells: Vec::new(),
                            next_column: 0,
                        };
                        if empty {
                            finish_row(open, &mut rows, &mut last_number);
                        } else {
                            row = Some(open);
                        }
                    }
                    "c" => {
                        let Some(open) = row.as_mut() else {
                            // A cell outside any row is not valid SpreadsheetML; it holds nothing we can place.
                            continue;
                        };
                        let column = match xml.attribute(e, "r")? {
                            Some(r) => {
                                let (column, row_digits) = parse_reference(&r).map_err(|why| {
                                    XlsxError::new(format!(
                                        "sheet \"{sheet}\", row {}: the cell reference \"{r}\" {why}; the file is damaged",
                                        open.number.unwrap_or(last_number.saturating_add(1))
                                    ))
                                })?;
                                if open.number.is_none() {
                                    open.number = row_digits;
                                }
                                column
                            }
                            None => open.next_column,
                        };
                        if column >= MAX_COLUMNS {
                            return Err(XlsxError::new(format!(
                                "sheet \"{sheet}\", row {}: a cell lies beyond Excel's last column XFD; the file is damaged",
                                open.number.unwrap_or(last_number.saturating_add(1))
                            )));
                        }
                        open.next_column = column + 1;
                        if !empty {
                            cell = Some(CellBuild {
                                column,
                                kind: xml.attribute(e, "t")?,
                                ..CellBuild::default()
                            });
                        }
                    }
                    "v" if !empty => {
                        if let Some(c) = cell.as_mut() {
                            c.value = Some(String::new());
                            capture = Capture::Value;
                        }
                    }
                    "is" if !empty => {
                        if let Some(c) = cell.as_mut() {
                            c.inline = Some(String::new());
                            in_inline = true;
                        }
                    }
                    "rPh" if !empty => phonetic += 1,
                    "t" if !empty && in_inline && phonetic == 0 => capture = Capture::Inline,
                    _ => {}
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "row" => {
                    if let Some(open) = row.take() {
                        finish_row(open, &mut rows, &mut last_number);
                    }
                }
                "c" => {
                    if let (Some(c), Some(open)) = (cell.take(), row.as_mut()) {
                        let number = open.number.unwrap_or(last_number.saturating_add(1));
                        let column = c.column;
                        let text = cell_text(c, shared).map_err(|why| {
                            XlsxError::new(format!(
                                "sheet \"{sheet}\", cell {}{number}: {why}; the file is damaged",
                                column_letters(column)
                            ))
                        })?;
                        put_cell(open, column, text, cells_left)?;
                    }
                    capture = Capture::Nothing;
                    in_inline = false;
                    phonetic = 0;
                }
                "v" => capture = Capture::Nothing,
                "t" if capture == Capture::Inline => capture = Capture::Nothing,
                "is" => in_inline = false,
                "rPh" => phonetic = phonetic.saturating_sub(1),
                _ => {}
            },
            Event::Eof => break,
            ev if capture != Capture::Nothing && is_text(ev) => {
                let target = match (capture, cell.as_mut()) {
                    (Capture::Value, Some(c)) => c.value.as_mut(),
                    (Capture::Inline, Some(c)) => c.inline.as_mut(),
                    _ => None,
                };
                if let Some(target) = target {
                    xml.push_text(target, ev)?;
                }
            }
            _ => {}
        }
    }
    if let Some(open) = row.take() {
        finish_row(open, &mut rows, &mut last_number);
    }
    Ok(rows)
}

/// Stores a finished row (when it holds anything) and advances the implicit row counter.
fn finish_row(open: RowBuild, rows: &mut Vec<Row>, last_number: &mut u32) {
    let number = open.number.unwrap_or(last_number.saturating_add(1));
    *last_number = number;
    if !open.cells.is_empty() {
        rows.push(Row {
            number,
            cells: open.cells,
        });
    }
}

/// Puts a non-empty cell text in its column, filling the gap before it with `""`, within the cell budget.
fn put_cell(
    open: &mut RowBuild,
    column: usize,
    text: String,
    cells_left: &mut usize,
) -> Result<(), XlsxError> {
    if text.is_empty() {
        return Ok(());
    }
    if open.cells.len() <= column {
        let added = column + 1 - open.cells.len();
        if added > *cells_left {
            return Err(XlsxError::new(format!(
                "the workbook is too large to read: it has more than {MAX_CELLS} cells"
            )));
        }
        *cells_left -= added;
        open.cells.resize(column + 1, String::new());
    }
    if let Some(slot) = open.cells.get_mut(column) {
        *slot = text;
    }
    Ok(())
}

/// The text of a finished cell, by its type.
fn cell_text(c: CellBuild, shared: &[String]) -> Result<String, String> {
    let value = c.value.unwrap_or_default();
    Ok(match c.kind.as_deref() {
        Some("s") => {
            let raw = value.trim();
            if raw.is_empty() {
                return Ok(String::new());
            }
            let index: usize = raw
                .parse()
                .map_err(|_| format!("the shared string index \"{raw}\" is not a number"))?;
            shared.get(index).cloned().ok_or_else(|| {
                format!(
                    "the shared string index {index} is out of range (the workbook has {} shared strings)",
                    shared.len()
                )
            })?
        }
        Some("inlineStr") => decode_escapes(c.inline.unwrap_or(value)),
        Some("str") => decode_escapes(value),
        Some("b") => match value.trim() {
            "1" | "true" => "TRUE".to_string(),
            "0" | "false" => "FALSE".to_string(),
            _ => value,
        },
        // Numbers (no type or "n"), errors ("e"), ISO dates ("d"): the text as written.
        _ => value,
    })
}

fn parse_row_number(text: &str) -> Option<u32> {
    let n: u32 = text.trim().parse().ok()?;
    (1..=MAX_ROW).contains(&n).then_some(n)
}

/// Splits an A1-style reference into its 0-based column and its row number (if any).
pub(super) fn parse_reference(reference: &str) -> Result<(usize, Option<u32>), &'static str> {
    let reference = reference.trim();
    let letters_end = reference
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(reference.len());
    let (letters, digits) = reference.split_at(letters_end);
    if letters.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("is not a valid cell reference");
    }
    if letters.len() > 3 {
        return Err("lies beyond Excel's last column XFD");
    }
    let mut column = 0usize;
    for b in letters.bytes() {
        column = column * 26 + usize::from(b.to_ascii_uppercase() - b'A' + 1);
    }
    let column = column - 1;
    if column >= MAX_COLUMNS {
        return Err("lies beyond Excel's last column XFD");
    }
    let row = if digits.is_empty() {
        None
    } else {
        Some(parse_row_number(digits).ok_or("has a row number out of range")?)
    };
    Ok((column, row))
}
