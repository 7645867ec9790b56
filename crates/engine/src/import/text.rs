//! Text as spreadsheets leave it: undoes what Excel does to a CSV before the CSV parser sees it
//! (issue 3, item 8). UTF-16 with a BOM is transcoded, text that is not UTF-8 is read as Windows-1252
//! (a superset of Latin-1), and the delimiter (`,`, `;`, TAB, `|`) is sniffed from the first lines.
//! Everything streams: nothing here holds more than one buffer of the file.

use std::io::{self, Read};

/// How many bytes are looked at to decide the encoding and the delimiter.
const SNIFF_BYTES: usize = 64 * 1024;

/// The encoding a file was found to be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// UTF-8 (with or without a BOM).
    Utf8,
    /// UTF-16, little-endian, with a BOM (Excel's "Unicode text").
    Utf16Le,
    /// UTF-16, big-endian, with a BOM.
    Utf16Be,
    /// Windows-1252 / Latin-1 (Excel's "CSV" on Western Windows).
    Windows1252,
}

impl Encoding {
    /// A short label for the import report.
    pub fn label(&self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
}

/// A reader that yields UTF-8 whatever the file's encoding, decided once from its first bytes.
pub struct Utf8Reader<R: Read> {
    inner: R,
    encoding: Encoding,
    /// Bytes read from `inner` but not yet decoded.
    pending: Vec<u8>,
    /// Decoded UTF-8 not yet handed out.
    out: Vec<u8>,
    out_pos: usize,
    eof: bool,
}

/// Wraps `inner`, sniffing its encoding from the first [`SNIFF_BYTES`]. Returns the reader, the
/// encoding, and the first decoded bytes' most likely delimiter.
pub fn utf8_reader<R: Read>(mut inner: R) -> io::Result<(Utf8Reader<R>, Encoding, u8)> {
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    (&mut inner)
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut head)?;
    let (encoding, skip) = if head.starts_with(&[0xFF, 0xFE]) {
        (Encoding::Utf16Le, 2)
    } else if head.starts_with(&[0xFE, 0xFF]) {
        (Encoding::Utf16Be, 2)
    } else if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        (Encoding::Utf8, 3)
    } else if valid_utf8_prefix(&head) {
        (Encoding::Utf8, 0)
    } else {
        (Encoding::Windows1252, 0)
    };
    let mut reader = Utf8Reader {
        inner,
        encoding,
        pending: head[skip..].to_vec(),
        out: Vec::new(),
        out_pos: 0,
        eof: false,
    };
    reader.decode_pending(false);
    let delimiter = sniff_delimiter(&reader.out[reader.out_pos..]);
    Ok((reader, encoding, delimiter))
}

/// The text of a whole file held in memory, when [`utf8_reader`] would read it as UTF-8: the bytes after
/// the BOM, and the delimiter it would sniff (from the same first bytes). `None` for UTF-16 and
/// Windows-1252 files, which only the streaming reader decodes.
pub fn utf8_text(bytes: &[u8]) -> Option<(&[u8], u8)> {
    let head = bytes.get(..SNIFF_BYTES).unwrap_or(bytes);
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return None;
    }
    let skip = if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        3
    } else if valid_utf8_prefix(head) {
        0
    } else {
        return None;
    };
    let text = bytes.get(skip..)?;
    Some((text, sniff_delimiter(head.get(skip..)?)))
}

/// True when `bytes` is UTF-8 except perhaps for a character cut at the end.
fn valid_utf8_prefix(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && bytes.len() - e.valid_up_to() < 4,
    }
}

impl<R: Read> Utf8Reader<R> {
    /// Decodes as much of `pending` as is complete (all of it at the end of the file).
    fn decode_pending(&mut self, at_end: bool) {
        if self.out_pos >= self.out.len() {
            self.out.clear();
            self.out_pos = 0;
        }
        match self.encoding {
            Encoding::Utf8 => {
                self.out.append(&mut self.pending);
            }
            Encoding::Windows1252 => {
                let mut s = String::with_capacity(self.pending.len());
                for &b in &self.pending {
                    s.push(cp1252(b));
                }
                self.pending.clear();
                self.out.extend_from_slice(s.as_bytes());
            }
            Encoding::Utf16Le | Encoding::Utf16Be => {
                let mut units = Vec::with_capacity(self.pending.len() / 2);
                let mut i = 0;
                while i + 1 < self.pending.len() {
                    let pair = [self.pending[i], self.pending[i + 1]];
                    units.push(if self.encoding == Encoding::Utf16Le {
                        u16::from_le_bytes(pair)
                    } else {
                        u16::from_be_bytes(pair)
                    });
                    i += 2;
                }
                // Keep a high surrogate whose partner is still to come.
                let mut keep_from = i;
                if !at_end && units.last().is_some_and(|u| (0xD800..0xDC00).contains(u)) {
                    units.pop();
                    keep_from -= 2;
                }
                let s: String = char::decode_utf16(units)
                    .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
                    .collect();
                self.out.extend_from_slice(s.as_bytes());
                self.pending.drain(..keep_from);
                if at_end {
                    self.pending.clear();
                }
            }
        }
    }
}

impl<R: Read> Read for Utf8Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_pos >= self.out.len() {
            if self.eof {
                return Ok(0);
            }
            let mut chunk = vec![0u8; SNIFF_BYTES];
            let n = self.inner.read(&mut chunk)?;
            if n == 0 {
                self.eof = true;
                self.decode_pending(true);
            } else {
                self.pending.extend_from_slice(&chunk[..n]);
                self.decode_pending(false);
            }
        }
        let n = buf.len().min(self.out.len() - self.out_pos);
        buf[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

/// Windows-1252 to Unicode (0x80–0x9F hold typographic characters; elsewhere it is Latin-1).
fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// The delimiter that splits the first lines into the most, and the same number of, fields
/// (quotes respected). Defaults to `,`.
///
/// # Examples
/// ```
/// use margin_engine::import::text::sniff_delimiter;
/// assert_eq!(sniff_delimiter(b"a;b;c\n1;\"2;x\";3\n"), b';');
/// assert_eq!(sniff_delimiter(b"Order ID\tSKU ID\n1\t2\n"), b'\t');
/// assert_eq!(sniff_delimiter(b"a,b\n1,2\n"), b',');
/// ```
pub fn sniff_delimiter(sample: &[u8]) -> u8 {
    let mut best = (b',', 0usize);
    for d in [b',', b';', b'\t', b'|'] {
        let counts = field_counts(sample, d, 10);
        let Some(&first) = counts.first() else {
            continue;
        };
        // A delimiter must split the header, and the following lines the same way.
        let consistent = counts.iter().filter(|&&c| c == first).count();
        if first > 1 && consistent * 2 >= counts.len() && first > best.1 {
            best = (d, first);
        }
    }
    best.0
}

/// Fields per line for the first `max_lines` lines, respecting double quotes.
fn field_counts(sample: &[u8], delimiter: u8, max_lines: usize) -> Vec<usize> {
    let mut counts = Vec::new();
    let mut fields = 1;
    let mut in_quotes = false;
    for &b in sample {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => {
                counts.push(fields);
                fields = 1;
                if counts.len() == max_lines {
                    return counts;
                }
            }
            _ if b == delimiter && !in_quotes => fields += 1,
            _ => {}
        }
    }
    if fields > 1 {
        counts.push(fields);
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> (String, Encoding, u8) {
        let (mut r, enc, d) = utf8_reader(bytes).unwrap();
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        (s, enc, d)
    }

    #[test]
    fn utf16_with_bom() {
        let text = "Order ID\tSKU ID\n577\t£9\n";
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&le), (text.to_string(), Encoding::Utf16Le, b'\t'));
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be).0, text);
    }

    #[test]
    fn latin1_and_cp1252() {
        // "Café;€ 5" in Windows-1252.
        let bytes = [b'C', b'a', b'f', 0xE9, b';', 0x80, b' ', b'5', b'\n'];
        assert_eq!(
            decode(&bytes),
            ("Café;€ 5\n".to_string(), Encoding::Windows1252, b';')
        );
    }

    #[test]
    fn utf8_with_bom_is_stripped_and_long_files_stream() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        let line = "é,ü,ß\n";
        for _ in 0..30_000 {
            bytes.extend_from_slice(line.as_bytes());
        }
        let (s, enc, d) = decode(&bytes);
        assert_eq!((enc, d), (Encoding::Utf8, b','));
        assert_eq!(s.len(), line.len() * 30_000);
    }

    #[test]
    fn utf16_surrogate_pairs_across_chunks() {
        let text = "😀".repeat(40_000);
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&le).0, text);
    }
}
