//! `margin-lab warehouse`: every shop's tables (`margin_engine::warehouse`) written as Apache Parquet,
//! Hive-partitioned by shop and month (docs/warehouse.md):
//! `OUT/<table>/shop=<shop>/month=<YYYY-MM>/part-0.parquet`, with `_schema.json` and `_manifest.json`.
//!
//! Deterministic (the same inputs in the same order write the same bytes: no clock, no random names)
//! and idempotent: a shop's files are written under `OUT/.staging-<pid>/` (runs of other shops into the
//! same directory keep apart) and moved into place only when the whole shop succeeded; then the run's
//! partitions replace the shop's — every partition of the shop when the run has no period (it is the
//! shop's whole history), else those of the months the period or the rows touch (a month that now has no
//! row of a table loses its old file). The old partitions move to `OUT/.trash-<pid>/` first and are
//! deleted last; an error on the way puts them back. Rows stream to their partition's file in row groups
//! of [`ROW_GROUP`] rows.

use margin_engine::warehouse::{Cell, Column, Kind, MONEY_SCALE, Sink, columns};
use parquet::basic::Compression;
use parquet::data_type::{
    BoolType, ByteArray, ByteArrayType, FixedLenByteArray, FixedLenByteArrayType, Int32Type,
    Int64Type,
};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Rows per row group: large enough for good compression and statistics, small enough that a
/// partition's buffered rows stay a few megabytes.
pub const ROW_GROUP: usize = 65_536;

/// One column's values waiting for the next row group, with their definition levels (1 = a value,
/// 0 = null) when the column is nullable. Text and amounts are kept as one run of bytes (with each
/// text's end), sliced into values when the row group is written: no allocation per value.
enum Values {
    Text(Vec<u8>, Vec<usize>),
    Date(Vec<i32>),
    /// 16 bytes a value: the unscaled integer, big-endian.
    Money(Vec<u8>),
    Int(Vec<i64>),
    Bool(Vec<bool>),
}

struct Buffer {
    column: Column,
    values: Values,
    levels: Vec<i16>,
    /// Amounts rounded to fit the column ([`margin_engine::warehouse::stored_amount`]).
    rounded: u64,
}

impl Buffer {
    fn new(column: Column) -> Buffer {
        let values = match column.kind {
            Kind::Text => Values::Text(Vec::new(), Vec::new()),
            Kind::Date => Values::Date(Vec::new()),
            Kind::Money => Values::Money(Vec::new()),
            Kind::Int => Values::Int(Vec::new()),
            Kind::Bool => Values::Bool(Vec::new()),
        };
        Buffer {
            column,
            values,
            levels: Vec::new(),
            rounded: 0,
        }
    }

    fn push(&mut self, cell: &Cell<'_>) -> Result<(), String> {
        let name = self.column.name;
        if let Cell::Null = cell {
            if !self.column.nullable {
                return Err(format!("column {name}: a value is required"));
            }
            self.levels.push(0);
            return Ok(());
        }
        if self.column.nullable {
            self.levels.push(1);
        }
        match (&mut self.values, cell) {
            (Values::Text(v, ends), Cell::Text(t)) => {
                v.extend_from_slice(t.as_bytes());
                ends.push(v.len());
            }
            (Values::Text(v, ends), Cell::Owned(t)) => {
                v.extend_from_slice(t.as_bytes());
                ends.push(v.len());
            }
            (Values::Date(v), Cell::Date(d)) => v.push(days_since_epoch(*d)),
            (Values::Money(v), Cell::Money(m)) => {
                let (kept, rounded) = margin_engine::warehouse::stored_amount(*m);
                self.rounded += u64::from(rounded);
                v.extend_from_slice(
                    &unscaled(kept)
                        .ok_or_else(|| {
                            format!("column {name}: {m} does not fit DECIMAL(38,{MONEY_SCALE})")
                        })?
                        .to_be_bytes(),
                );
            }
            (Values::Int(v), Cell::Int(i)) => v.push(*i),
            (Values::Bool(v), Cell::Bool(b)) => v.push(*b),
            _ => return Err(format!("column {name}: a value of another type")),
        }
        Ok(())
    }

    fn clear(&mut self) {
        self.levels.clear();
        match &mut self.values {
            Values::Text(v, ends) => {
                v.clear();
                ends.clear();
            }
            Values::Date(v) => v.clear(),
            Values::Money(v) => v.clear(),
            Values::Int(v) => v.clear(),
            Values::Bool(v) => v.clear(),
        }
    }
}

/// The unscaled integer of `m` at [`MONEY_SCALE`] places (`m` already has at most that many:
/// `warehouse::stored_amount`); `None` when it passes 38 digits.
fn unscaled(m: Decimal) -> Option<i128> {
    let places = MONEY_SCALE.checked_sub(m.scale())?;
    let value = m.mantissa().checked_mul(10_i128.checked_pow(places)?)?;
    (value.unsigned_abs() < 10_u128.pow(38)).then_some(value)
}

fn days_since_epoch(d: chrono::NaiveDate) -> i32 {
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    i32::try_from((d - epoch).num_days()).unwrap_or(i32::MAX)
}

/// The Parquet schema of a table's columns.
fn message_type(table: &str, cols: &[Column]) -> String {
    let mut s = format!("message {table} {{\n");
    for c in cols {
        let rep = if c.nullable { "OPTIONAL" } else { "REQUIRED" };
        let ty = match c.kind {
            Kind::Text => "BYTE_ARRAY".to_string(),
            Kind::Date => "INT32".to_string(),
            Kind::Money => "FIXED_LEN_BYTE_ARRAY (16)".to_string(),
            Kind::Int => "INT64".to_string(),
            Kind::Bool => "BOOLEAN".to_string(),
        };
        let logical = match c.kind {
            Kind::Text => " (STRING)".to_string(),
            Kind::Date => " (DATE)".to_string(),
            Kind::Money => format!(" (DECIMAL(38,{MONEY_SCALE}))"),
            Kind::Int | Kind::Bool => String::new(),
        };
        s.push_str(&format!("  {rep} {ty} {}{logical};\n", c.name));
    }
    s.push('}');
    s
}

/// One partition's open file and its buffered rows.
struct Partition {
    writer: SerializedFileWriter<std::fs::File>,
    buffers: Vec<Buffer>,
    /// Rows buffered for the next row group.
    rows: usize,
    /// Rows in the file.
    total: u64,
}

impl Partition {
    fn flush(&mut self) -> Result<(), String> {
        if self.rows == 0 {
            return Ok(());
        }
        let err = |e: parquet::errors::ParquetError| e.to_string();
        let mut rg = self.writer.next_row_group().map_err(err)?;
        for b in &mut self.buffers {
            let mut col = rg
                .next_column()
                .map_err(err)?
                .ok_or_else(|| "the schema has fewer columns than the table".to_string())?;
            let levels = b.column.nullable.then_some(b.levels.as_slice());
            match &mut b.values {
                Values::Text(v, ends) => {
                    let all = bytes::Bytes::from(std::mem::take(v));
                    let mut start = 0;
                    let values: Vec<ByteArray> = ends
                        .iter()
                        .map(|&end| {
                            let one = ByteArray::from(all.slice(start..end));
                            start = end;
                            one
                        })
                        .collect();
                    col.typed::<ByteArrayType>()
                        .write_batch(&values, levels, None)
                }
                Values::Date(v) => col.typed::<Int32Type>().write_batch(v, levels, None),
                Values::Money(v) => {
                    let all = bytes::Bytes::from(std::mem::take(v));
                    let values: Vec<FixedLenByteArray> = (0..all.len() / 16)
                        .map(|i| {
                            FixedLenByteArray::from(ByteArray::from(all.slice(i * 16..i * 16 + 16)))
                        })
                        .collect();
                    col.typed::<FixedLenByteArrayType>()
                        .write_batch(&values, levels, None)
                }
                Values::Int(v) => col.typed::<Int64Type>().write_batch(v, levels, None),
                Values::Bool(v) => col.typed::<BoolType>().write_batch(v, levels, None),
            }
            .map_err(err)?;
            col.close().map_err(err)?;
            b.clear();
        }
        rg.close().map_err(err)?;
        self.rows = 0;
        Ok(())
    }
}

/// Writes the tables of one shop after another under `out`.
pub struct ParquetSink {
    out: PathBuf,
    /// Where the current shop's files are written until it succeeds.
    staging: PathBuf,
    /// Where its old partitions wait while the new ones are moved into place.
    trash: PathBuf,
    /// The current shop's partition value (its directory name).
    shop: String,
    /// The open partitions of the shop: (table, month, file); a few per shop, searched in order.
    open: Vec<(&'static str, Option<String>, Partition)>,
    /// Every file written, relative to `out`, with its rows.
    pub written: Vec<(String, u64)>,
    /// Amounts rounded to fit `DECIMAL(38,18)` (none in any export seen).
    pub rounded: u64,
}

impl ParquetSink {
    /// A sink writing under `out` (created when missing).
    pub fn new(out: &Path) -> ParquetSink {
        ParquetSink {
            out: out.to_path_buf(),
            // Per process: runs writing other shops into the same directory at once keep apart.
            staging: out.join(format!(".staging-{}", std::process::id())),
            trash: out.join(format!(".trash-{}", std::process::id())),
            shop: String::new(),
            open: Vec::new(),
            written: Vec::new(),
            rounded: 0,
        }
    }

    /// Starts a shop: its rows go under `shop=<value>`, staged until [`ParquetSink::finish_shop`].
    pub fn start_shop(&mut self, value: &str) -> Result<(), String> {
        self.shop = value.to_string();
        self.open.clear();
        if self.staging.exists() {
            std::fs::remove_dir_all(&self.staging)
                .map_err(|e| format!("{}: {e}", self.staging.display()))?;
        }
        Ok(())
    }

    fn dir(&self, root: &Path, table: &str, month: Option<&str>) -> PathBuf {
        let mut d = root.join(table).join(format!("shop={}", self.shop));
        if let Some(m) = month {
            d = d.join(format!("month={m}"));
        }
        d
    }

    /// Closes the shop's files and moves them into place. A table the shop has no row of gets an empty
    /// file (in `first_month`'s partition for a monthly table), so that a reader's glob always finds
    /// every table. `months`: the months the run covers (`None`: the shop's whole history) — the
    /// shop's old partitions of those months (every one, for `None`) are removed first.
    pub fn finish_shop(
        &mut self,
        first_month: &str,
        months: Option<&[String]>,
    ) -> Result<(), String> {
        for t in margin_engine::warehouse::TABLES {
            if !self.open.iter().any(|(table, _, _)| *table == t.name) {
                let m = t.monthly.then_some(first_month);
                let p = self.open_partition(t.name, m)?;
                self.open.push((t.name, m.map(str::to_string), p));
            }
        }
        let mut open = std::mem::take(&mut self.open);
        // In path order, whatever order the rows came in.
        open.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        let mut staged = Vec::with_capacity(open.len());
        for (table, month, mut p) in open {
            p.flush()?;
            self.rounded += p.buffers.iter().map(|b| b.rounded).sum::<u64>();
            p.writer.close().map_err(|e| e.to_string())?;
            staged.push((table, month, p.total));
        }
        // The shop succeeded: its old partitions move aside, the staged ones take their place, and
        // only then are the old ones deleted. An error on the way puts everything back.
        let mut old: Vec<PathBuf> = Vec::new();
        for t in margin_engine::warehouse::TABLES {
            let shop_dir = self.dir(&self.out, t.name, None);
            match (t.monthly, months) {
                (true, Some(months)) => {
                    let staged_months = staged
                        .iter()
                        .filter(|(table, _, _)| *table == t.name)
                        .filter_map(|(_, m, _)| m.clone());
                    for m in months.iter().cloned().chain(staged_months) {
                        let d = self.dir(&self.out, t.name, Some(&m));
                        if d.exists() && !old.contains(&d) {
                            old.push(d);
                        }
                    }
                }
                _ if shop_dir.exists() => old.push(shop_dir),
                _ => {}
            }
        }
        let mut aside: Vec<(PathBuf, PathBuf)> = Vec::new();
        let mut placed: Vec<PathBuf> = Vec::new();
        let swapped = self.swap(&old, &staged, &mut aside, &mut placed);
        if let Err(e) = swapped {
            for p in placed.iter().rev() {
                let _ = std::fs::remove_dir_all(p);
            }
            for (from, to) in aside.iter().rev() {
                let _ = std::fs::rename(to, from);
            }
            return Err(e);
        }
        for (table, month, rows) in staged {
            let rel = self
                .dir(&self.out, table, month.as_deref())
                .join("part-0.parquet")
                .strip_prefix(&self.out)
                .map(|r| r.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            self.written.push((rel, rows));
        }
        for d in [&self.trash, &self.staging] {
            if d.exists() {
                std::fs::remove_dir_all(d).map_err(|e| format!("{}: {e}", d.display()))?;
            }
        }
        Ok(())
    }

    /// Moves the `old` partitions into the trash (recorded in `aside`) and the staged ones into place
    /// (recorded in `placed`), so that the caller can undo what was done when a step fails.
    fn swap(
        &self,
        old: &[PathBuf],
        staged: &[(&'static str, Option<String>, u64)],
        aside: &mut Vec<(PathBuf, PathBuf)>,
        placed: &mut Vec<PathBuf>,
    ) -> Result<(), String> {
        let io = |what: &Path, e: std::io::Error| format!("{}: {e}", what.display());
        for d in old {
            let to = self.trash.join(d.strip_prefix(&self.out).unwrap_or(d));
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
            }
            std::fs::rename(d, &to).map_err(|e| io(d, e))?;
            aside.push((d.clone(), to));
        }
        for (table, month, _) in staged {
            let from = self.dir(&self.staging, table, month.as_deref());
            let to = self.dir(&self.out, table, month.as_deref());
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
            }
            std::fs::rename(&from, &to).map_err(|e| io(&to, e))?;
            placed.push(to);
        }
        Ok(())
    }

    /// Forgets a shop that failed: its staged files go, what `out` held stays.
    pub fn abandon_shop(&mut self) {
        self.open.clear();
        let _ = std::fs::remove_dir_all(&self.staging);
    }

    fn open_partition(&self, table: &str, month: Option<&str>) -> Result<Partition, String> {
        let dir = self.dir(&self.staging, table, month);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let cols = columns(table);
        let schema = parse_message_type(&message_type(table, &cols)).map_err(|e| e.to_string())?;
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by("margin-lab".to_string())
            .build();
        let path = dir.join("part-0.parquet");
        let file = std::fs::File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let writer = SerializedFileWriter::new(file, Arc::new(schema), Arc::new(props))
            .map_err(|e| e.to_string())?;
        Ok(Partition {
            writer,
            buffers: cols.into_iter().map(Buffer::new).collect(),
            rows: 0,
            total: 0,
        })
    }
}

impl Sink for ParquetSink {
    fn row(
        &mut self,
        table: &'static str,
        month: Option<&str>,
        cells: &[Cell<'_>],
    ) -> Result<(), String> {
        let at = match self
            .open
            .iter()
            .position(|(t, m, _)| *t == table && m.as_deref() == month)
        {
            Some(at) => at,
            None => {
                let p = self.open_partition(table, month)?;
                self.open.push((table, month.map(str::to_string), p));
                self.open.len() - 1
            }
        };
        let Some((_, _, p)) = self.open.get_mut(at) else {
            return Err(format!("{table}: the partition could not be opened"));
        };
        if cells.len() != p.buffers.len() {
            return Err(format!(
                "{table}: {} values for {} columns",
                cells.len(),
                p.buffers.len()
            ));
        }
        for (b, c) in p.buffers.iter_mut().zip(cells) {
            b.push(c).map_err(|e| format!("{table}: {e}"))?;
        }
        p.rows += 1;
        p.total += 1;
        if p.rows >= ROW_GROUP {
            p.flush()?;
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn shop_row(name: &str) -> Vec<Cell<'_>> {
        vec![
            Cell::Text(name),
            Cell::Text("USD"),
            Cell::Int(2),
            Cell::Null,
            Cell::Null,
            Cell::Int(1),
        ]
    }

    #[test]
    fn a_shop_that_fails_leaves_what_the_export_held() {
        let out = std::env::temp_dir().join(format!("margin-lab-sink-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&out);
        let mut sink = ParquetSink::new(&out);
        sink.start_shop("a").unwrap();
        sink.row("shops", None, &shop_row("first")).unwrap();
        sink.finish_shop("2026-05", None).unwrap();
        let file = out.join("shops/shop=a/part-0.parquet");
        let before = std::fs::read(&file).unwrap();
        // Every table has a file, so a reader's glob finds them all.
        for t in margin_engine::warehouse::TABLES {
            assert!(out.join(t.name).join("shop=a").exists(), "{}", t.name);
        }
        // A second run of the shop writes a row, then fails: nothing of it reaches the export.
        sink.start_shop("a").unwrap();
        sink.row("shops", None, &shop_row("second")).unwrap();
        sink.abandon_shop();
        assert_eq!(std::fs::read(&file).unwrap(), before);
        assert!(
            !out.join(format!(".staging-{}", std::process::id()))
                .exists()
        );
        // A third run succeeds and replaces it.
        sink.start_shop("a").unwrap();
        sink.row("shops", None, &shop_row("third")).unwrap();
        sink.finish_shop("2026-05", None).unwrap();
        assert_ne!(std::fs::read(&file).unwrap(), before);
        std::fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn amounts_become_their_unscaled_integer_at_eighteen_places() {
        // 1.5 = 1_500_000_000_000_000_000 × 10^-18; −10^-18 = −1.
        assert_eq!(unscaled(dec!(1.5)), Some(1_500_000_000_000_000_000));
        assert_eq!(unscaled(dec!(-0.000000000000000001)), Some(-1));
        // A VND amount with 14 places (a fee rate × a 12-place share): exact.
        assert_eq!(
            unscaled(dec!(159112.58225827469375)),
            Some(159_112_582_258_274_693_750_000)
        );
        // 10^20 needs 39 digits at 18 places: refused, not wrapped.
        assert_eq!(unscaled(dec!(100000000000000000000)), None);
    }
}
