//! A large Orders export read by several threads at once (native builds only: the `parallel` feature,
//! which the CLI turns on; wasm32 has no threads and the page never compiles this).
//!
//! The file's text is cut into one part per thread at record boundaries, each part is read by the same
//! row reader as a whole file, and the parts are joined in file order. The result is the one
//! [`super::read_any`] gives, or this falls back to it:
//!
//! 1. **Where to cut.** A cut must not fall inside a quoted cell (Orders exports quote multi-line cells
//!    such as `Shipping Information`). Each thread first counts the quotes and line feeds of an equal
//!    share of the text; a cut is then the first line feed after the share's start where the number of
//!    quotes before it is even (RFC 4180: an escaped quote `""` counts two, so the parity says whether
//!    a byte is inside quotes).
//! 2. **Checked, not trusted.** A stray quote in an unquoted cell (malformed, but `csv` reads it as a
//!    literal) would fool the parity. So each part's reader, which starts at a checked record boundary,
//!    reads until a record ends at or past the next cut: the cut is a record boundary exactly when a
//!    record ends on it. Otherwise the whole file is read again sequentially.
//! 3. **Decisions once per file.** The file's currency and date order are decided from the first rows
//!    (docs/formats.md §7.6). The first part reads a few hundred rows first; the other parts start from the
//!    decisions taken by then. If any part decides something after that (a file whose first rows carry
//!    no evidence), or meets any error, the file is read again sequentially, so messages and decisions
//!    are those of the sequential reader.
//! 4. **Row numbers.** Each part counts its rows' lines from the line feeds before it (`csv` counts a
//!    line per line feed, quoted ones included), so warnings name the same rows.

use super::orders::{self, Layout, Part, RowState};
use super::table::{CsvRows, Rows};
use super::{ExportKind, ImportError, ImportOptions, ImportedFile, Source};

/// Rows the first part reads before the others start: the rows that decide currency and date order.
const PROBE_ROWS: u64 = 256;

/// Below this, a file is read sequentially (threads would cost more than they save).
pub const MIN_PARALLEL_BYTES: usize = 1 << 20;

/// Reads a file held in memory like [`super::read_any`], with `threads` threads for an Orders export
/// larger than [`MIN_PARALLEL_BYTES`] (every other kind, size or encoding is read sequentially). Same
/// result as `read_any`, byte for byte.
pub fn read_bytes(
    name: &str,
    bytes: &[u8],
    options: ImportOptions,
    threads: usize,
) -> Result<ImportedFile, ImportError> {
    read_bytes_with(name, bytes, options, threads, MIN_PARALLEL_BYTES)
}

/// [`read_bytes`] with the size threshold given: tests split small files too.
pub fn read_bytes_with(
    name: &str,
    bytes: &[u8],
    options: ImportOptions,
    threads: usize,
    min_bytes: usize,
) -> Result<ImportedFile, ImportError> {
    if threads >= 2
        && bytes.len() >= min_bytes
        && let Some(file) = read_split(name, bytes, options, threads)
    {
        return Ok(file);
    }
    super::read_any(name, bytes, options)
}

/// Counts in one share of the text.
#[derive(Clone, Copy, Default)]
struct Counts {
    quotes: u64,
    line_feeds: u64,
}

fn count(bytes: &[u8]) -> Counts {
    // Blocks of 128 bytes counted into byte-wide sums (at most 128, no overflow): the compiler turns
    // the inner loop into vector compares, one pass for both counts.
    let mut counts = Counts::default();
    let mut blocks = bytes.chunks_exact(128);
    for block in &mut blocks {
        let (mut q, mut n) = (0u8, 0u8);
        for &b in block {
            q += u8::from(b == b'"');
            n += u8::from(b == b'\n');
        }
        counts.quotes += u64::from(q);
        counts.line_feeds += u64::from(n);
    }
    for &b in blocks.remainder() {
        counts.quotes += u64::from(b == b'"');
        counts.line_feeds += u64::from(b == b'\n');
    }
    counts
}

/// Rows of one part: a CSV reader over the text from the part's start, stopping before the first
/// record that starts at or after `end`, with line numbers counted from the part's first line.
struct PartRows<'t> {
    rows: CsvRows<&'t [u8]>,
    /// Byte offset of the part in the text.
    start: u64,
    /// Where the next part starts.
    end: u64,
    /// Lines before the part.
    line_offset: u64,
}

impl PartRows<'_> {
    /// Offset in the text of the next record.
    fn next_byte(&self) -> u64 {
        self.start + self.rows.next_byte()
    }
}

impl Rows for PartRows<'_> {
    fn next_row(&mut self, row: &mut csv::StringRecord) -> Result<Option<u64>, ImportError> {
        if self.next_byte() >= self.end {
            return Ok(None);
        }
        Ok(self.rows.next_row(row)?.map(|line| line + self.line_offset))
    }
}

/// What one part's thread hands back.
struct PartResult {
    part: Part,
    state: RowState,
    /// The part ended exactly on the next cut.
    ended_on_cut: bool,
}

/// The split read alone: `None` when the file is not an Orders export in UTF-8, cannot be cut into
/// `threads` parts at checked record boundaries, or its parts do not agree (see the module's notes);
/// the caller then reads it sequentially.
pub fn read_split(
    name: &str,
    bytes: &[u8],
    options: ImportOptions,
    threads: usize,
) -> Option<ImportedFile> {
    if threads < 2 {
        return None;
    }
    if bytes.starts_with(super::ZIP_MAGIC) {
        return None;
    }
    let (text, delimiter) = super::text::utf8_text(bytes)?;
    // The header, found as the sequential reader finds it.
    let mut head = CsvRows::new(name, text, delimiter);
    let (kind, header_line, header, preamble) = super::find_header(name, &mut head).ok()?;
    if kind != ExportKind::Orders {
        return None;
    }
    let src = Source {
        name,
        encoding: super::text::Encoding::Utf8.label(),
        options,
        preamble,
    };
    let data_start = usize::try_from(head.next_byte()).ok()?;
    let layout = Layout::new(&src, header_line, &header).ok()?;

    // 1. Equal shares, counted in parallel; then the cuts.
    let body = text.get(data_start..)?;
    let share = body.len() / threads;
    if share == 0 {
        return None;
    }
    let shares: Vec<&[u8]> = (0..threads)
        .map(|k| {
            let from = k * share;
            let to = if k + 1 == threads {
                body.len()
            } else {
                from + share
            };
            body.get(from..to).unwrap_or(&[])
        })
        .collect();
    let counts: Vec<Counts> = std::thread::scope(|s| {
        let handles: Vec<_> = shares.iter().map(|b| s.spawn(|| count(b))).collect();
        handles
            .into_iter()
            .map(|h| h.join().ok())
            .collect::<Option<Vec<_>>>()
    })?;
    let lines_before_body = count(text.get(..data_start)?).line_feeds;
    // Cuts (offsets in `text`) and the lines before each part.
    let mut cuts = vec![(data_start, lines_before_body)];
    let mut before = Counts {
        quotes: 0,
        line_feeds: lines_before_body,
    };
    for (k, c) in counts.iter().enumerate().take(threads - 1) {
        before.quotes += c.quotes;
        before.line_feeds += c.line_feeds;
        // Scan on from the end of share k for a line feed outside quotes.
        let share_end = data_start + (k + 1) * share;
        let mut quotes = before.quotes;
        let mut feeds = before.line_feeds;
        let mut cut = None;
        for (i, &b) in text.get(share_end..)?.iter().enumerate() {
            match b {
                b'"' => quotes += 1,
                b'\n' => {
                    feeds += 1;
                    if quotes.is_multiple_of(2) {
                        cut = Some((share_end + i + 1, feeds));
                        break;
                    }
                }
                _ => {}
            }
        }
        let (at, lines) = cut?;
        if at <= cuts.last().map_or(0, |c| c.0) || at >= text.len() {
            return None;
        }
        cuts.push((at, lines));
    }
    cuts.push((text.len(), 0));

    // 2. The first part's first rows decide currency and date order.
    let part_rows = |k: usize| -> Option<PartRows<'_>> {
        let (start, lines) = *cuts.get(k)?;
        let (end, _) = *cuts.get(k + 1)?;
        Some(PartRows {
            rows: CsvRows::new(name, text.get(start..)?, delimiter),
            start: start as u64,
            end: end as u64,
            line_offset: lines,
        })
    };
    let mut first_rows = part_rows(0)?;
    let mut first_state = RowState::new(&src, &layout);
    let mut first_part = Part::default();
    let more = orders::read_rows(
        &src,
        &layout,
        &mut first_state,
        &mut first_rows,
        &mut first_part,
        Some(PROBE_ROWS),
        0,
    )
    .ok()?;
    let decided = first_state.clone();

    // 3. Every part in its own thread.
    let run = |mut rows: PartRows<'_>, mut state: RowState, mut part: Part, more: bool| {
        // Orders rows are 500–1,000 bytes: room for the part's lines at once, not by doubling.
        part.lines
            .reserve(usize::try_from((rows.end - rows.start) / 400).unwrap_or(0));
        if more {
            orders::read_rows(&src, &layout, &mut state, &mut rows, &mut part, None, 0).ok()?;
        }
        Some(PartResult {
            part,
            state,
            ended_on_cut: rows.next_byte() == rows.end,
        })
    };
    let mut others = Vec::new();
    for k in 1..threads {
        others.push(part_rows(k)?);
    }
    let results: Vec<Option<PartResult>> = std::thread::scope(|s| {
        let run = &run;
        let decided = &decided;
        let mut handles = vec![s.spawn(move || run(first_rows, first_state, first_part, more))];
        for rows in others {
            handles.push(s.spawn(move || run(rows, decided.clone(), Part::default(), true)));
        }
        handles
            .into_iter()
            .map(|h| h.join().ok().flatten())
            .collect()
    });

    // 4. Join in file order, or give up.
    let mut joined: Option<(Part, RowState)> = None;
    for r in results {
        let r = r?;
        if !r.ended_on_cut || r.state != decided {
            return None;
        }
        match joined.as_mut() {
            None => joined = Some((r.part, r.state)),
            Some((part, _)) => part.append(r.part),
        }
    }
    let (part, state) = joined?;
    Some(orders::finish(&src, &layout, state, part))
}
