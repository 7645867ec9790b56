//! Rows from any source (a CSV stream or an XLSX sheet) and columns mapped by header name through
//! alias tables (docs/formats.md §7.1: never by position).

use super::{ImportError, normalise_header, values::trim_cell};

/// One column of an export as the importer knows it: a field key, whether the export is unusable
/// without it, and its header spellings (normalised) across markets and versions.
pub type ColumnSpec = (&'static str, bool, &'static [&'static str]);

/// Where each known field sits in one file's header.
#[derive(Debug, Clone)]
pub struct ColumnMap {
    /// The header as written (trimmed), for messages.
    pub raw: Vec<String>,
    fields: Vec<(&'static str, usize)>,
}

impl ColumnMap {
    /// Maps a header row. A missing required column is an error naming it.
    pub fn new(
        file: &str,
        header_line: u64,
        raw: &[String],
        spec: &[ColumnSpec],
        export: &str,
    ) -> Result<ColumnMap, ImportError> {
        let normalised: Vec<String> = raw.iter().map(|h| normalise_header(h)).collect();
        let mut fields = Vec::new();
        for (key, required, aliases) in spec {
            match normalised
                .iter()
                .position(|h| aliases.contains(&h.as_str()))
            {
                Some(i) => fields.push((*key, i)),
                None if *required => {
                    let shown = title_case(aliases.first().copied().unwrap_or(key));
                    return Err(ImportError {
                        file: file.to_string(),
                        row: Some(header_line),
                        column: Some(shown.clone()),
                        message: format!(
                            "the {export} has no \"{shown}\" column; it is needed to compute margins. Export the file again \
                             with all columns"
                        ),
                    });
                }
                None => {}
            }
        }
        Ok(ColumnMap {
            raw: raw.iter().map(|h| trim_cell(h).to_string()).collect(),
            fields,
        })
    }

    /// The column index of a field, if the file has it.
    pub fn index(&self, key: &str) -> Option<usize> {
        self.fields.iter().find(|(k, _)| *k == key).map(|(_, i)| *i)
    }

    /// True when the file has the field.
    pub fn has(&self, key: &str) -> bool {
        self.index(key).is_some()
    }

    /// The header of a field as the file writes it (for messages), or the key.
    pub fn header(&self, key: &str) -> String {
        self.index(key)
            .and_then(|i| self.raw.get(i).cloned())
            .unwrap_or_else(|| key.to_string())
    }

    /// A field's cell in a row ("" when the file or the row lacks it).
    pub fn cell<'r>(&self, row: &'r csv::StringRecord, key: &str) -> &'r str {
        self.index(key).and_then(|i| row.get(i)).unwrap_or("")
    }

    /// The column of every field of `spec`, in `spec`'s order, for readers that look cells up by a
    /// field's position in their spec on every row instead of by its name.
    pub fn indices(&self, spec: &[ColumnSpec]) -> Vec<Option<usize>> {
        spec.iter().map(|(key, _, _)| self.index(key)).collect()
    }

    /// Headers of the columns read, in file order.
    pub fn used(&self) -> Vec<String> {
        let mut idx: Vec<usize> = self.fields.iter().map(|(_, i)| *i).collect();
        idx.sort_unstable();
        idx.dedup();
        idx.iter()
            .filter_map(|&i| self.raw.get(i).cloned())
            .collect()
    }

    /// Headers of the columns not read.
    pub fn ignored(&self) -> Vec<String> {
        self.raw
            .iter()
            .enumerate()
            .filter(|(i, h)| !h.is_empty() && !self.fields.iter().any(|(_, j)| j == i))
            .map(|(_, h)| h.clone())
            .collect()
    }
}

/// A source of rows: each call fills `row` and returns its 1-based line (CSV) or row number (XLSX),
/// or `None` at the end.
pub trait Rows {
    /// The next row.
    fn next_row(&mut self, row: &mut csv::StringRecord) -> Result<Option<u64>, ImportError>;
}

/// Rows of a CSV stream.
pub struct CsvRows<R: std::io::Read> {
    reader: csv::Reader<Newlines<R>>,
    file: String,
}

/// The input of a [`CsvRows`], noting where its line feeds are as the CSV reader takes it in: a record's
/// last line is 1 + the line feeds before its own terminator, and its first line that less the line feeds
/// inside its quoted fields. The `csv` crate's own line numbers are one too low
/// after a CRLF line end (BurntSushi/rust-csv#395), and every real export of some markets ends its lines
/// with CRLF. Only the line feeds the reader has taken in and no record has passed are kept (its buffer's
/// worth), so a gigabyte costs no more memory than a kilobyte.
pub struct Newlines<R> {
    inner: R,
    /// Bytes taken in so far.
    taken: u64,
    log: std::cell::RefCell<NewlineLog>,
}

#[derive(Default)]
struct NewlineLog {
    /// Line feeds before the last record asked about.
    passed: u64,
    /// Offsets of the line feeds taken in and not yet passed, in order.
    pending: std::collections::VecDeque<u64>,
}

impl<R> Newlines<R> {
    /// The 1-based line of the byte at `offset` (offsets asked about never go back).
    fn line_at(&self, offset: u64) -> u64 {
        let mut log = self.log.borrow_mut();
        while log.pending.front().is_some_and(|&nl| nl < offset) {
            log.pending.pop_front();
            log.passed += 1;
        }
        log.passed + 1
    }
}

impl<R: std::io::Read> std::io::Read for Newlines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let taken = self.taken;
        let log = self.log.get_mut();
        for i in memchr::memchr_iter(b'\n', buf.get(..n).unwrap_or_default()) {
            log.pending.push_back(taken + i as u64);
        }
        self.taken += n as u64;
        Ok(n)
    }
}

impl<R: std::io::Read> CsvRows<R> {
    /// Reads `input` as CSV with `delimiter`, without a header (the header is found by signature).
    pub fn new(file: &str, input: R, delimiter: u8) -> CsvRows<R> {
        Self::with_buffer(file, input, delimiter, 8 * 1024)
    }

    /// [`CsvRows::new`] reading `input` `buffer` bytes at a time (the `csv` crate's default is 8 KiB).
    pub fn with_buffer(file: &str, input: R, delimiter: u8, buffer: usize) -> CsvRows<R> {
        CsvRows {
            reader: csv::ReaderBuilder::new()
                .buffer_capacity(buffer)
                .has_headers(false)
                .flexible(true)
                .delimiter(delimiter)
                .from_reader(Newlines {
                    inner: input,
                    taken: 0,
                    log: std::cell::RefCell::default(),
                }),
            file: file.to_string(),
        }
    }

    /// The line a record or an error at `pos` starts on.
    fn line(&self, pos: &csv::Position) -> u64 {
        self.reader.get_ref().line_at(pos.byte())
    }
}

impl<R: std::io::Read> Rows for CsvRows<R> {
    fn next_row(&mut self, row: &mut csv::StringRecord) -> Result<Option<u64>, ImportError> {
        match self.reader.read_record(row) {
            Ok(true) => {
                // The last byte of the record's terminator (or of the file).
                let end = self.reader.position().byte().saturating_sub(1);
                let inside = memchr::memchr_iter(b'\n', row.as_byte_record().as_slice()).count();
                let last = self.reader.get_ref().line_at(end);
                Ok(Some(last.saturating_sub(inside as u64).max(1)))
            }
            Ok(false) => Ok(None),
            Err(e) => Err(ImportError {
                file: self.file.clone(),
                row: e.position().map(|p| self.line(p)),
                column: None,
                message: match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => {
                        "the file is not readable text from this row on".to_string()
                    }
                    csv::ErrorKind::Io(io) => format!("the file could not be read: {io}"),
                    _ => format!("the file is not a readable CSV from this row on ({e})"),
                },
            }),
        }
    }
}

impl<R: std::io::Read> CsvRows<R> {
    /// Byte offset (in the input) where the next record starts.
    pub fn next_byte(&self) -> u64 {
        self.reader.position().byte()
    }

    /// Line feeds in the input before `offset` (no earlier than any offset asked about before).
    pub fn line_feeds_before(&self, offset: u64) -> u64 {
        self.reader.get_ref().line_at(offset) - 1
    }
}

#[cfg(test)]
mod line_tests {
    use super::{CsvRows, Rows};

    /// Every record's line, CRLF or LF, with a blank line, a quoted line break and a preamble.
    #[test]
    fn records_are_numbered_by_their_first_line() {
        for eol in ["\n", "\r\n"] {
            let text = [
                "period,,", "", "h1,h2", "a,1", "", "b,2", "c,\"x", "y\"", "d,4",
            ]
            .join(eol)
                + eol;
            let mut rows = CsvRows::new("t.csv", text.as_bytes(), b',');
            let mut r = csv::StringRecord::new();
            let mut got = Vec::new();
            while let Some(line) = rows.next_row(&mut r).unwrap() {
                got.push((r.get(0).unwrap_or_default().to_string(), line));
            }
            let want: Vec<(String, u64)> = [
                ("period", 1),
                ("h1", 3),
                ("a", 4),
                ("b", 6),
                ("c", 7),
                ("d", 9),
            ]
            .iter()
            .map(|(k, l)| ((*k).to_string(), *l))
            .collect();
            assert_eq!(got, want, "{eol:?}");
        }
    }
}

/// Rows of an already-read sheet (XLSX), with their sheet row numbers.
pub struct SheetRows {
    rows: std::vec::IntoIter<(u64, Vec<String>)>,
}

impl SheetRows {
    /// Rows as (row number, cells).
    pub fn new(rows: Vec<(u64, Vec<String>)>) -> SheetRows {
        SheetRows {
            rows: rows.into_iter(),
        }
    }
}

impl Rows for SheetRows {
    fn next_row(&mut self, row: &mut csv::StringRecord) -> Result<Option<u64>, ImportError> {
        match self.rows.next() {
            Some((n, cells)) => {
                row.clear();
                for c in &cells {
                    row.push_field(c);
                }
                Ok(Some(n))
            }
            None => Ok(None),
        }
    }
}

/// Counts and warnings of one file's import, shared by every kind's reader.
#[derive(Debug, Default)]
pub struct Tally {
    /// Data rows read.
    pub rows: u64,
    skipped: std::collections::BTreeMap<&'static str, u64>,
    warnings: Vec<String>,
    extra_warnings: u64,
}

/// Row-level warnings kept verbatim; beyond this they are only counted.
const MAX_WARNINGS: usize = 20;

impl Tally {
    /// True when a row gave a warning.
    pub fn has_warnings(&self) -> bool {
        !self.warnings.is_empty() || self.extra_warnings > 0
    }
    /// Counts a skipped row.
    pub fn skip(&mut self, reason: &'static str) {
        *self.skipped.entry(reason).or_default() += 1;
    }
    /// Adds the counts and warnings of the rows that follow (a later part of the same file read apart),
    /// as if they had been counted here: the first 20 warnings of both in order are kept verbatim.
    pub fn merge(&mut self, next: Tally) {
        self.rows += next.rows;
        for (reason, n) in next.skipped {
            *self.skipped.entry(reason).or_default() += n;
        }
        for w in next.warnings {
            self.warn(w);
        }
        self.extra_warnings += next.extra_warnings;
    }
    /// Records a warning (the first 20 verbatim).
    pub fn warn(&mut self, w: String) {
        if self.warnings.len() < MAX_WARNINGS {
            self.warnings.push(w);
        } else {
            self.extra_warnings += 1;
        }
    }
    /// Skips a row because of one cell, with a warning naming row and column.
    pub fn skip_cell(&mut self, line: u64, column: &str, why: &str) {
        self.skip("unreadable value");
        self.warn(format!(
            "row {line}, column \"{column}\": {why}; row skipped"
        ));
    }
    /// The skipped counts for the report.
    pub fn skipped(&self) -> Vec<super::SkipCount> {
        self.skipped
            .iter()
            .map(|(r, c)| super::SkipCount {
                reason: (*r).to_string(),
                count: *c,
            })
            .collect()
    }
    /// The warnings for the report, with a count of the ones not kept.
    pub fn warnings(&self) -> Vec<String> {
        let mut w = self.warnings.clone();
        if self.extra_warnings > 0 {
            w.push(format!(
                "… and {} more rows with the same kinds of problem",
                self.extra_warnings
            ));
        }
        w
    }
    /// Rows skipped for one reason.
    pub fn skipped_for(&self, reason: &str) -> u64 {
        self.skipped.get(reason).copied().unwrap_or(0)
    }
}

/// True when every cell of a row is blank.
pub fn is_blank(row: &csv::StringRecord) -> bool {
    row.iter().all(|c| trim_cell(c).is_empty())
}

/// `sku subtotal before discount` → `Sku Subtotal Before Discount`, for messages about a missing column.
fn title_case(normalised: &str) -> String {
    normalised
        .split(' ')
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or_else(String::new, |f| {
                f.to_uppercase().collect::<String>() + c.as_str()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Keeps a file to one currency (nothing is ever added across currencies): the first currency seen
/// becomes the file's, a different one later is an error naming the row and column. Returns whether this
/// was the first sighting, so the caller can record the evidence.
pub fn one_currency(
    file_currency: &mut Option<crate::money::Currency>,
    found: crate::money::Currency,
    file: &str,
    line: u64,
    column: String,
) -> Result<bool, ImportError> {
    match *file_currency {
        None => {
            *file_currency = Some(found);
            Ok(true)
        }
        Some(c) if c == found => Ok(false),
        Some(c) => Err(ImportError {
            file: file.to_string(),
            row: Some(line),
            column: Some(column),
            message: format!(
                "{found} in a file of {c}; one file holds one shop's currency — export each market separately"
            ),
        }),
    }
}
