//! `margin-lab warehouse`: every shop's tables (`margin_engine::warehouse`) written as Apache Parquet,
//! Hive-partitioned by shop and month (docs/warehouse.md):
//! `OUT/<table>/shop=<shop>/month=<YYYY-MM>/part-0.parquet`, with `_schema.json` and `_manifest.json`.
//!
//! Deterministic (the same inputs write the same bytes: no clock, no random names) and idempotent per
//! partition: a partition written by a run replaces what was there. Rows stream to their partition's
//! file in row groups of [`ROW_GROUP`] rows, so no table is held whole.

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
            (Values::Money(v), Cell::Money(m)) => v.extend_from_slice(
                &unscaled(*m)
                    .ok_or_else(|| {
                        format!("column {name}: {m} does not fit DECIMAL(38,{MONEY_SCALE})")
                    })?
                    .to_be_bytes(),
            ),
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

/// The unscaled integer of `m` at [`MONEY_SCALE`] places; `None` when `m` has more places (the engine
/// keeps at most 12: a value with more would be rounded, and the sums would no longer be the report's).
fn unscaled(m: Decimal) -> Option<i128> {
    if m.scale() > MONEY_SCALE {
        let mut n = m.normalize();
        if n.scale() > MONEY_SCALE {
            return None;
        }
        n.rescale(MONEY_SCALE);
        return Some(n.mantissa());
    }
    let mut r = m;
    r.rescale(MONEY_SCALE);
    (r == m && r.scale() == MONEY_SCALE).then(|| r.mantissa())
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
    /// The current shop's partition value (its directory name).
    shop: String,
    /// The open partitions of the shop: (table, month, file); a few per shop, searched in order.
    open: Vec<(&'static str, Option<String>, Partition)>,
    /// Every file written, relative to `out`, with its rows.
    pub written: Vec<(String, u64)>,
}

impl ParquetSink {
    /// A sink writing under `out` (created when missing).
    pub fn new(out: &Path) -> ParquetSink {
        ParquetSink {
            out: out.to_path_buf(),
            shop: String::new(),
            open: Vec::new(),
            written: Vec::new(),
        }
    }

    /// Starts a shop: its rows go under `shop=<value>`.
    pub fn start_shop(&mut self, value: &str) {
        self.shop = value.to_string();
    }

    fn dir(&self, table: &str, month: Option<&str>) -> PathBuf {
        let mut d = self.out.join(table).join(format!("shop={}", self.shop));
        if let Some(m) = month {
            d = d.join(format!("month={m}"));
        }
        d
    }

    /// Closes every open partition of the current shop. A table the shop has no row of gets an empty
    /// file (in `month`'s partition for a monthly table), so that a reader's glob always finds every
    /// table.
    pub fn finish_shop(&mut self, month: &str) -> Result<(), String> {
        for t in margin_engine::warehouse::TABLES {
            if !self.open.iter().any(|(table, _, _)| *table == t.name) {
                let m = t.monthly.then_some(month);
                let p = self.open_partition(t.name, m)?;
                self.open.push((t.name, m.map(str::to_string), p));
            }
        }
        let mut open = std::mem::take(&mut self.open);
        // In path order, whatever order the rows came in.
        open.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        for (table, month, mut p) in open {
            p.flush()?;
            p.writer.close().map_err(|e| e.to_string())?;
            let rel = self
                .dir(table, month.as_deref())
                .join("part-0.parquet")
                .strip_prefix(&self.out)
                .map(|r| r.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            self.written.push((rel, p.total));
        }
        Ok(())
    }

    fn open_partition(&self, table: &str, month: Option<&str>) -> Result<Partition, String> {
        let dir = self.dir(table, month);
        // Idempotent: what a partition held before this run is replaced, not added to.
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
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

/// A shop's name as a partition value: letters, digits, `-`, `_` and `.` kept, anything else `_`
/// (Hive partition values are directory names; the `shops` table keeps the name as given).
pub fn partition_value(name: &str) -> String {
    let v: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if v.is_empty() || v.chars().all(|c| c == '.') {
        "shop".to_string()
    } else {
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn amounts_become_their_unscaled_integer_at_twelve_places() {
        // 1.5 = 1_500_000_000_000 × 10^-12; −0.000000000001 = −1.
        assert_eq!(unscaled(dec!(1.5)), Some(1_500_000_000_000));
        assert_eq!(unscaled(dec!(-0.000000000001)), Some(-1));
        // Trailing zeros past 12 places are no rounding.
        assert_eq!(unscaled(dec!(2.50000000000000)), Some(2_500_000_000_000));
        // A 13th significant place would be rounded: refused.
        assert_eq!(unscaled(dec!(0.0000000000001)), None);
    }

    #[test]
    fn shop_names_become_directory_names() {
        assert_eq!(partition_value("US shop 1"), "US_shop_1");
        assert_eq!(partition_value("a/b=c"), "a_b_c");
        assert_eq!(partition_value(".."), "shop");
    }
}
