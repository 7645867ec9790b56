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
//! 5. **Read as it is parsed.** The text comes through [`At`]: a slice in memory or a file read by
//!    position. Each thread reads its own share in buffers of a few hundred kilobytes, first to count,
//!    then to parse, so a file on disk is never held whole: reading 200 MB into fresh memory cost more
//!    (the kernel's page faults) than parsing it (docs/performance.md "End to end against DuckDB").

use super::orders::{self, Layout, Part, RowState};
use super::table::{CsvRows, Rows};
use super::{ExportKind, ImportError, ImportOptions, ImportedFile, Source};
use std::io::Read;

/// Bytes read by position: what the split read needs of a file (docs/performance.md "End to end
/// against DuckDB": a file is read by its threads as they parse, never whole).
pub trait At: Sync {
    /// The number of bytes.
    fn size(&self) -> u64;
    /// Reads into `buf` from `offset`; 0 at the end.
    fn read_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<usize>;
}

impl At for [u8] {
    fn size(&self) -> u64 {
        self.len() as u64
    }
    fn read_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
        let from = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.len());
        let rest = self.get(from..).unwrap_or_default();
        let n = rest.len().min(buf.len());
        if let (Some(to), Some(from)) = (buf.get_mut(..n), rest.get(..n)) {
            to.copy_from_slice(from);
        }
        Ok(n)
    }
}

/// A file, read by position without moving its cursor (threads share it).
#[cfg(any(unix, windows))]
impl At for std::fs::File {
    fn size(&self) -> u64 {
        self.metadata().map_or(0, |m| m.len())
    }
    fn read_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
        #[cfg(unix)]
        let n = std::os::unix::fs::FileExt::read_at(self, buf, offset);
        #[cfg(windows)]
        let n = std::os::windows::fs::FileExt::seek_read(self, buf, offset);
        n
    }
}

/// The text of a source: its bytes after a byte-order mark of `base` bytes.
struct Text<'s, S: At + ?Sized> {
    src: &'s S,
    base: u64,
    len: u64,
}

impl<S: At + ?Sized> Text<'_, S> {
    /// Fills `buf` from `offset` (fewer bytes only at the end); `None` on a read error.
    fn fill(&self, buf: &mut [u8], offset: u64) -> Option<usize> {
        let mut n = 0;
        while n < buf.len() {
            let got = self
                .src
                .read_at(buf.get_mut(n..)?, self.base + offset + n as u64)
                .ok()?;
            if got == 0 {
                break;
            }
            n += got;
        }
        Some(n)
    }

    /// A reader of the text from `offset` to its end.
    fn reader(&self, offset: u64) -> std::io::BufReader<TextReader<'_, S>> {
        std::io::BufReader::with_capacity(
            BUFFER,
            TextReader {
                text: self,
                at: offset,
            },
        )
    }
}

/// Reads a [`Text`] on from a position.
struct TextReader<'t, S: At + ?Sized> {
    text: &'t Text<'t, S>,
    at: u64,
}

impl<S: At + ?Sized> Read for TextReader<'_, S> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.at >= self.text.len {
            return Ok(0);
        }
        let left = usize::try_from(self.text.len - self.at).unwrap_or(usize::MAX);
        let want = buf.len().min(left);
        let n = self.text.src.read_at(
            buf.get_mut(..want).unwrap_or_default(),
            self.text.base + self.at,
        )?;
        self.at += n as u64;
        Ok(n)
    }
}

/// The buffer each thread reads through: large enough that a read costs little per byte, small enough
/// to stay in the core's cache.
const BUFFER: usize = 256 * 1024;

/// The bytes after a share's start in which its cut is looked for.
const CUT_WINDOW: usize = 256 * 1024;

/// The first line feed at or after `from` after which the text's next records are whole and `width`
/// fields wide (at most two are looked at; one when the text ends after it), or `None` when none is in
/// the window. A line feed inside a quoted cell is followed by the rest of that cell's record, which is
/// narrower: that guess is passed over. A guess that still is not a record boundary is caught when the
/// part before it is read (the module's note 2).
fn find_cut<S: At + ?Sized>(
    text: &Text<'_, S>,
    from: u64,
    width: usize,
    delimiter: u8,
    window: &mut [u8],
) -> Option<u64> {
    let n = text.fill(window, from)?;
    let window = window.get(..n)?;
    let at_end = from + n as u64 >= text.len;
    for (tries, i) in memchr::memchr_iter(b'\n', window).enumerate() {
        if tries >= 1_000 {
            return None;
        }
        let after = window.get(i + 1..)?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(after);
        let mut record = csv::ByteRecord::new();
        let mut whole = 0;
        while whole < 2 {
            match reader.read_byte_record(&mut record) {
                Ok(true) => {}
                _ => break,
            }
            // A record cut by the window's end is not known whole.
            let ended = usize::try_from(reader.position().byte()).unwrap_or(usize::MAX);
            if (ended >= after.len() && !at_end) || record.len() != width {
                break;
            }
            whole += 1;
        }
        let enough = whole == 2 || (whole == 1 && at_end && reader.is_done());
        if enough {
            return Some(from + i as u64 + 1);
        }
    }
    None
}

/// The first bytes read to find the header; a header further in sends the file to the sequential reader.
const HEAD_BYTES: usize = 1 << 20;

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
struct PartRows<R: Read> {
    rows: CsvRows<R>,
    /// Byte offset of the part in the text.
    start: u64,
    /// Where the next part starts.
    end: u64,
    /// Lines before the part.
    line_offset: u64,
}

impl<R: Read> PartRows<R> {
    /// Offset in the text of the next record.
    fn next_byte(&self) -> u64 {
        self.start + self.rows.next_byte()
    }
}

impl<R: Read> Rows for PartRows<R> {
    fn next_row(&mut self, row: &mut csv::StringRecord) -> Result<Option<u64>, ImportError> {
        if self.next_byte() >= self.end {
            return Ok(None);
        }
        Ok(self.rows.next_row(row)?.map(|line| line + self.line_offset))
    }
}

/// What one part's thread hands back.
struct PartResult {
    /// Line feeds in the part.
    line_feeds: u64,
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
    read_split_at(name, bytes, options, threads)
}

/// [`read_split`] of bytes read by position (a file on disk: see the module's note 5). `None` also
/// when a read fails: the caller's sequential read then says why.
pub fn read_split_at<S: At + ?Sized>(
    name: &str,
    bytes: &S,
    options: ImportOptions,
    threads: usize,
) -> Option<ImportedFile> {
    if threads < 2 {
        return None;
    }
    let size = bytes.size();
    // The head: the byte-order mark, the delimiter and the header are found in it.
    let mut head = vec![0u8; usize::try_from(size).ok()?.min(HEAD_BYTES)];
    let whole = Text {
        src: bytes,
        base: 0,
        len: size,
    };
    let got = whole.fill(&mut head, 0)?;
    head.truncate(got);
    if head.starts_with(super::ZIP_MAGIC) {
        return None;
    }
    let (head_text, delimiter) = super::text::utf8_text(&head)?;
    let base = (head.len() - head_text.len()) as u64;
    let text = Text {
        src: bytes,
        base,
        len: size.checked_sub(base)?,
    };
    // The header, found as the sequential reader finds it.
    let mut header_rows = CsvRows::new(name, head_text, delimiter);
    let (kind, header_line, header, preamble) = super::find_header(name, &mut header_rows).ok()?;
    if kind != ExportKind::Orders {
        return None;
    }
    let src = Source {
        name,
        encoding: super::text::Encoding::Utf8.label(),
        options,
        preamble,
    };
    let data_start = header_rows.next_byte();
    // The header must have ended inside the head (not at a cut end of it).
    if data_start >= head_text.len() as u64 && (head.len() as u64) < size {
        return None;
    }
    let layout = Layout::new(&src, header_line, &header).ok()?;

    // 1. The cuts: from each equal share's start, the first line feed after which whole records of the
    //    header's width follow (see the module's note 1; a wrong guess is caught by note 2's check).
    let body_len = text.len.checked_sub(data_start)?;
    let share = body_len / threads as u64;
    if share == 0 {
        return None;
    }
    let lines_before_body = count(head_text.get(..usize::try_from(data_start).ok()?)?).line_feeds;
    let mut cuts = vec![data_start];
    let mut window = vec![0u8; CUT_WINDOW];
    for k in 1..threads as u64 {
        let at = find_cut(
            &text,
            data_start + k * share,
            header.len(),
            delimiter,
            &mut window,
        )?;
        if at <= cuts.last().copied().unwrap_or(0) || at >= text.len {
            return None;
        }
        cuts.push(at);
    }
    cuts.push(text.len);

    // 2. The first part's first rows decide currency and date order.
    let text = &text;
    // Each part counts its rows' lines from its own start; the lines before it are known once the parts
    // before it are read, and added then (note 4).
    let part_rows = |k: usize, line_offset: u64| {
        let start = *cuts.get(k)?;
        let end = *cuts.get(k + 1)?;
        Some(PartRows {
            rows: CsvRows::with_buffer(name, text.reader(start), delimiter, BUFFER),
            start,
            end,
            line_offset,
        })
    };
    let mut first_rows = part_rows(0, lines_before_body)?;
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
    let run = |mut rows: PartRows<_>, mut state: RowState, mut part: Part, more: bool| {
        // Orders rows are 500–1,000 bytes: room for the part's lines at once, not by doubling.
        part.lines
            .reserve(usize::try_from((rows.end - rows.start) / 400).unwrap_or(0));
        if more {
            orders::read_rows(&src, &layout, &mut state, &mut rows, &mut part, None, 0).ok()?;
        }
        Some(PartResult {
            line_feeds: rows.rows.line_feeds_before(rows.end - rows.start),
            part,
            state,
            ended_on_cut: rows.next_byte() == rows.end,
        })
    };
    let mut others = Vec::new();
    for k in 1..threads {
        others.push(part_rows(k, 0)?);
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

    // 4. Join in file order, or give up. A later part that warned named its rows from its own start:
    //    it is read again knowing the lines before it (warnings are rare; the figures are the same).
    let mut joined: Option<(Part, RowState)> = None;
    let mut lines_before = lines_before_body;
    for (k, r) in results.into_iter().enumerate() {
        let mut r = r?;
        if !r.ended_on_cut || r.state != decided {
            return None;
        }
        if k > 0 && r.part.tally.has_warnings() {
            let mut rows = part_rows(k, lines_before)?;
            let mut state = decided.clone();
            let mut part = Part::default();
            orders::read_rows(&src, &layout, &mut state, &mut rows, &mut part, None, 0).ok()?;
            if rows.next_byte() != rows.end || state != decided {
                return None;
            }
            r.part = part;
        }
        lines_before += r.line_feeds;
        match joined.as_mut() {
            None => joined = Some((r.part, r.state)),
            Some((part, _)) => part.append(r.part),
        }
    }
    let (part, state) = joined?;
    Some(orders::finish(&src, &layout, state, part))
}
