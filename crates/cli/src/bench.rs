//! `margin-lab bench FILE...`: throughput of each stage on real or generated exports, against the
//! practical limit (a bare `csv` ByteRecord loop over the same bytes). Wall-clock figures for the
//! README's performance section; not a test.

use margin_engine::costs::CostsTable;
use margin_engine::import::{ImportOptions, read_any};
use margin_engine::report;
use std::io::Read;
use std::time::Instant;

/// One stage's best time over `runs` runs.
struct Stage {
    name: &'static str,
    seconds: f64,
}

/// Runs every stage `runs` times on the files and prints MB/s and rows/s.
pub fn run(paths: &[String], runs: u32) -> Result<String, String> {
    let mut files = Vec::new();
    for p in paths {
        let mut bytes = Vec::new();
        std::fs::File::open(p)
            .and_then(|mut f| f.read_to_end(&mut bytes))
            .map_err(|e| format!("{p}: {e}"))?;
        files.push((p.clone(), bytes));
    }
    let total_bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let mut rows = 0u64;
    let best = |f: &mut dyn FnMut() -> Result<u64, String>| -> Result<(f64, u64), String> {
        let mut best = f64::INFINITY;
        let mut n = 0;
        for _ in 0..runs.max(1) {
            let t = Instant::now();
            n = f()?;
            best = best.min(t.elapsed().as_secs_f64());
        }
        Ok((best, n))
    };
    let mut stages = Vec::new();
    // 1. The practical limit: csv's ByteRecord loop, no decoding of values.
    let (s, n) = best(&mut || {
        let mut n = 0u64;
        for (_, b) in &files {
            let mut r = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(&b[..]);
            let mut rec = csv::ByteRecord::new();
            while r.read_byte_record(&mut rec).map_err(|e| e.to_string())? {
                n += 1;
            }
        }
        Ok(n)
    })?;
    rows = rows.max(n);
    stages.push(Stage {
        name: "bare csv ByteRecord loop",
        seconds: s,
    });
    // 2. Import: detect, decode, type every row.
    let (s, _) = best(&mut || {
        let mut n = 0;
        for (name, b) in &files {
            let f =
                read_any(name, &b[..], ImportOptions::default()).map_err(|e| e.user_message())?;
            n += f.report.rows;
        }
        Ok(n)
    })?;
    stages.push(Stage {
        name: "import (all files)",
        seconds: s,
    });
    // 3. Import + aggregation: the full report, every figure.
    let (s, _) = best(&mut || {
        let imported: Result<Vec<_>, String> = files
            .iter()
            .map(|(name, b)| {
                read_any(name, &b[..], ImportOptions::default()).map_err(|e| e.user_message())
            })
            .collect();
        let imported = imported?;
        let (r, _) = report::build(&imported, &CostsTable::default(), None, None)
            .map_err(|e| e.to_string())?;
        Ok(r.totals.orders)
    })?;
    stages.push(Stage {
        name: "import + aggregation (report)",
        seconds: s,
    });
    let mb = total_bytes as f64 / 1_000_000.0;
    let mut out = format!(
        "{} file(s), {:.1} MB, {rows} CSV records; best of {runs}\n",
        files.len(),
        mb
    );
    let limit = stages.first().map_or(1.0, |s| s.seconds);
    for st in &stages {
        out.push_str(&format!(
            "  {:<32} {:>8.3} s {:>9.1} MB/s {:>12.0} rows/s  {:>5.2}× the bare loop's throughput\n",
            st.name,
            st.seconds,
            mb / st.seconds,
            rows as f64 / st.seconds,
            limit / st.seconds
        ));
    }
    Ok(out)
}
