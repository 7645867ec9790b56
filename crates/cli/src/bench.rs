//! `margin-lab bench FILE...`: throughput of each stage on real or generated exports, against the
//! practical limit (a bare `csv` ByteRecord loop over the same bytes). Wall-clock figures for
//! docs/performance.md; not a test. Files are read into memory first: disk speed is not
//! measured.

use margin_engine::costs::CostsTable;
use margin_engine::import::{ImportOptions, ImportedFile, parallel, read_any};
use margin_engine::report;
use std::time::Instant;

/// One measured stage.
struct Stage {
    name: String,
    bytes: usize,
    rows: u64,
    seconds: f64,
    /// The bare loop's best time over the same bytes.
    limit: f64,
}

/// The best wall-clock time of `runs` runs of `f`.
fn best(runs: u32, f: &mut dyn FnMut() -> Result<(), String>) -> Result<f64, String> {
    let mut best = f64::INFINITY;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        f()?;
        best = best.min(t.elapsed().as_secs_f64());
    }
    Ok(best)
}

/// CSV records in `bytes`, read as a bare ByteRecord loop (no decoding of values).
fn bare_loop(bytes: &[u8]) -> Result<u64, String> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut rec = csv::ByteRecord::new();
    let mut n = 0;
    while r.read_byte_record(&mut rec).map_err(|e| e.to_string())? {
        n += 1;
    }
    Ok(n)
}

fn import_all(files: &[(String, Vec<u8>)], threads: usize) -> Result<Vec<ImportedFile>, String> {
    files
        .iter()
        .map(|(name, b)| {
            if threads > 1 {
                parallel::read_bytes(name, b, ImportOptions::default(), threads)
            } else {
                read_any(name, &b[..], ImportOptions::default())
            }
            .map_err(|e| e.user_message())
        })
        .collect()
}

fn build(files: &[ImportedFile], threads: usize) -> Result<report::Report, String> {
    let settings = margin_engine::settings::Settings::default();
    report::build_with_threads(
        files,
        &CostsTable::default(),
        &settings,
        None,
        None,
        threads,
    )
    .map(|(r, _)| r)
    .map_err(|e| e.to_string())
}

/// Runs every stage `runs` times on the files with 1 and `threads` threads, and prints a table of
/// MB/s, rows/s and the ratio to the bare loop's throughput.
pub fn run(paths: &[String], runs: u32, threads: usize) -> Result<String, String> {
    let mut files = Vec::new();
    for p in paths {
        let bytes = std::fs::read(p).map_err(|e| format!("{p}: {e}"))?;
        let name = std::path::Path::new(p)
            .file_name()
            .map_or_else(|| p.clone(), |n| n.to_string_lossy().into_owned());
        files.push((name, bytes));
    }
    let total_bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let mut stages: Vec<Stage> = Vec::new();

    // 1. The practical limit, per file and for all files.
    let mut file_limits = Vec::new();
    for (_, b) in &files {
        let mut rows = 0;
        let s = best(runs, &mut || {
            rows = bare_loop(b)?;
            Ok(())
        })?;
        file_limits.push((s, rows));
    }
    let limit: f64 = file_limits.iter().map(|l| l.0).sum();
    let rows: u64 = file_limits.iter().map(|l| l.1).sum();
    stages.push(Stage {
        name: "bare csv ByteRecord loop".into(),
        bytes: total_bytes,
        rows,
        seconds: limit,
        limit,
    });

    // 2. Each importer alone, on its own file, sequential and split.
    let kinds = import_all(&files, 1)?;
    for (((name, b), f), (file_limit, file_rows)) in files.iter().zip(&kinds).zip(&file_limits) {
        let label = f.report.kind.label();
        let s = best(runs, &mut || {
            read_any(name, &b[..], ImportOptions::default())
                .map(|_| ())
                .map_err(|e| e.user_message())
        })?;
        stages.push(Stage {
            name: format!("import: {label}, {name}"),
            bytes: b.len(),
            rows: *file_rows,
            seconds: s,
            limit: *file_limit,
        });
        if threads > 1 && parallel::read_split(name, b, ImportOptions::default(), threads).is_some()
        {
            let s = best(runs, &mut || {
                parallel::read_bytes(name, b, ImportOptions::default(), threads)
                    .map(|_| ())
                    .map_err(|e| e.user_message())
            })?;
            stages.push(Stage {
                name: format!("import: {label}, {name}, {threads} threads"),
                bytes: b.len(),
                rows: *file_rows,
                seconds: s,
                limit: *file_limit,
            });
        }
    }

    // 3. Import + aggregation (every figure of the report), and the full report as JSON text.
    for t in if threads > 1 {
        vec![1, threads]
    } else {
        vec![1]
    } {
        let s = best(runs, &mut || build(&import_all(&files, t)?, t).map(|_| ()))?;
        stages.push(Stage {
            name: format!(
                "import + aggregation, {t} thread{}",
                if t > 1 { "s" } else { "" }
            ),
            bytes: total_bytes,
            rows,
            seconds: s,
            limit,
        });
        let s = best(runs, &mut || {
            let r = build(&import_all(&files, t)?, t)?;
            serde_json::to_string_pretty(&r)
                .map(|_| ())
                .map_err(|e| e.to_string())
        })?;
        stages.push(Stage {
            name: format!(
                "full report (JSON), {t} thread{}",
                if t > 1 { "s" } else { "" }
            ),
            bytes: total_bytes,
            rows,
            seconds: s,
            limit,
        });
    }
    // 4. Aggregation alone (the report from records already imported), for the profile's split.
    for t in if threads > 1 {
        vec![1, threads]
    } else {
        vec![1]
    } {
        let s = best(runs, &mut || build(&kinds, t).map(|_| ()))?;
        stages.push(Stage {
            name: format!(
                "aggregation alone (records → report), {t} thread{}",
                if t > 1 { "s" } else { "" }
            ),
            bytes: total_bytes,
            rows,
            seconds: s,
            limit,
        });
    }

    let mut out = format!(
        "{} file(s), {:.1} MB, {rows} CSV records; best of {runs} runs; {threads} threads where split\n",
        files.len(),
        total_bytes as f64 / 1e6,
    );
    out.push_str(&format!(
        "  {:<58} {:>8} {:>9} {:>9} {:>11} {:>7}\n",
        "stage", "MB", "s", "MB/s", "rows/s", "× bare"
    ));
    for st in &stages {
        out.push_str(&format!(
            "  {:<58} {:>8.1} {:>9.3} {:>9.1} {:>11.0} {:>6.2}×\n",
            st.name,
            st.bytes as f64 / 1e6,
            st.seconds,
            st.bytes as f64 / 1e6 / st.seconds,
            st.rows as f64 / st.seconds,
            st.limit / st.seconds
        ));
    }
    Ok(out)
}
