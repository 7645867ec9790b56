//! `margin-lab`: the Margin Lab engine on files, for agencies' scripts and for benchmarks.
//!
//! ```text
//! margin-lab report [--json] [--costs FILE] [--settings FILE] [--currency CODE] [--from YYYY-MM-DD --to YYYY-MM-DD]
//!                   [--dates month-first|day-first|year-first] [--csv OUT] [--xlsx OUT]
//!                   [--shop NAME] [--reporting-currency CODE --fx CODE=RATE[@YYYY-MM-DD]... | --fx-file FILE]
//!                   FILE|DIRECTORY...
//! margin-lab generate orders --market us|uk [--seed N] [--orders N | --size 100MB] [--days N] [--shop K]
//!                            [--out FILE]
//! margin-lab generate affiliate --market us|uk --from-orders FILE [--seed N] [--size 100MB] [--out FILE]
//! margin-lab generate costs --market us|uk [--shop K] [--out FILE]
//! ```
//! Exit codes: 0 ok, 1 usage, 2 an input file could not be used (the message names file, row, column).

mod bench;
mod generate;
mod warehouse;

use chrono::{Datelike, NaiveDate};
use margin_engine::costs::CostsTable;
use margin_engine::export::{Cell, Sheet};
use margin_engine::fx::{FxRate, FxTable};
use margin_engine::import::values::DateOrder;
use margin_engine::import::{ImportOptions, import_file, parallel};
use margin_engine::metric;
use margin_engine::money::Currency;
use margin_engine::registry::{CreatorFigure, Figure, Unit};
use margin_engine::report::{self, Report, ReportValue};
use margin_engine::settings::Settings;
use margin_engine::shops;
use rust_decimal::Decimal;
use std::io::{BufReader, Write};
use std::process::ExitCode;

const USAGE: &str = "usage:
  margin-lab report [--json] [--costs FILE] [--settings FILE] [--currency CODE] [--from YYYY-MM-DD --to YYYY-MM-DD]
                    [--dates month-first|day-first|year-first] [--csv OUT] [--xlsx OUT]
                    [--shop NAME] [--reporting-currency CODE --fx CODE=RATE[@YYYY-MM-DD]... | --fx-file FILE]
                    [--html OUT [--agency NAME]] FILE|DIRECTORY...
      FILE: Orders, Affiliate orders, Finance, GMV Max (campaign overview, creatives: `ads.by_product`, LIVE
      campaigns: `ads.live_campaigns`) or Ads Manager exports, Seller Center analytics exports
      (LIVE, video, product, shop and affiliate analytics: `live_sessions`, `videos`, `contents`…; CSV or XLSX)
      and costs sheets, recognised by their headers. --dates overrides the day/month order read from the files' evidence.
      --csv / --xlsx also write the per-SKU table to OUT.
      Shops: a DIRECTORY is one shop named after it (its files, not its subdirectories); loose FILEs are
      grouped into shops by the order and SKU IDs they share. The top level is one shop's report (--shop
      NAME, else the first; --currency picks the first shop in it); `shops` holds every shop's report.
      --reporting-currency with rates (--fx GBP=1.27, dated GBP=1.27@2026-05-01; --fx-file: one rate a
      line) adds `portfolio`: every shop converted, and their sum. --html writes the shop's client report
      (one HTML file, that shop only; prints to PDF), prepared by --agency.
  margin-lab warehouse --out DIR [--costs FILE] [--settings FILE] [--currency CODE] [--from YYYY-MM-DD --to YYYY-MM-DD]
                       [--dates month-first|day-first|year-first] [--shop NAME] FILE|DIRECTORY...
      writes every shop's order lines, creators' rows, (SKU, day, channel) cells, ad spend, coverage and
      files as Parquet under DIR/<table>/shop=<shop>/month=<YYYY-MM>/ with DIR/_schema.json and
      DIR/_manifest.json; SQL over them (sql/*.sql) gives the report's figures (docs/warehouse.md).
      A partition written again is replaced. Shops as for report; --shop NAME writes that shop only.
  margin-lab generate orders --market us|uk [--seed N] [--orders N | --size 100MB] [--days N] [--shop K]
                             [--out FILE]
  margin-lab generate costs --market us|uk [--shop K] [--out FILE]
  margin-lab generate affiliate --market us|uk --from-orders FILE [--seed N] [--size 100MB] [--out FILE]
      rows are streamed to the file; --size stops at the first whole order (row) past that many bytes
      (KB, MB, GB = 1000^n; KiB, MiB, GiB = 1024^n); --shop K (1-9999) writes shop K's file: its own
      SKU IDs, seller SKUs and Order IDs, shared with no other K (without it: the demo shop's)
  margin-lab generate repeat --from FILE --size 200MB --out FILE
      a real Orders export's rows repeated under fresh Order IDs (benchmark files of real rows)
  margin-lab settings               print the default settings document (JSON) to edit
  margin-lab bench [--runs N] [--threads N] FILE...
      throughput of each stage (MB/s, rows/s) against a bare csv loop, sequential and split over N threads";

/// A failure and its exit code.
enum Failure {
    Usage(String),
    Input(String),
}

/// Writes to standard output; a closed pipe (`margin-lab settings | head`) ends the output quietly
/// instead of panicking as `println!` does.
fn stdout(text: &str) {
    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes());
}

fn main() -> ExitCode {
    lap("start");
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("report") => run_report(&args[1..]),
        Some("warehouse") => run_warehouse(&args[1..]),
        Some("generate") => run_generate(&args[1..]),
        Some("bench") => run_bench(&args[1..]),
        Some("settings") => {
            stdout(&format!("{}\n", Settings::default().to_json()));
            Ok(())
        }
        Some("-h" | "--help" | "help") => {
            stdout(&format!("{USAGE}\n"));
            Ok(())
        }
        Some(other) => Err(Failure::Usage(format!("unknown command {other:?}"))),
        None => Err(Failure::Usage("no command".to_string())),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(m)) => {
            eprintln!("margin-lab: {m}\n{USAGE}");
            ExitCode::from(1)
        }
        Err(Failure::Input(m)) => {
            eprintln!("margin-lab: {m}");
            ExitCode::from(2)
        }
    }
}

/// Flags and positional arguments, parsed by hand to keep the binary small.
struct Args {
    flags: Vec<(String, Option<String>)>,
    positional: Vec<String>,
}

fn parse_args(args: &[String], with_value: &[&str], switches: &[&str]) -> Result<Args, Failure> {
    let mut out = Args {
        flags: Vec::new(),
        positional: Vec::new(),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if with_value.contains(&a.as_str()) {
            let v = it
                .next()
                .ok_or_else(|| Failure::Usage(format!("{a} needs a value")))?;
            out.flags.push((a.clone(), Some(v.clone())));
        } else if switches.contains(&a.as_str()) {
            out.flags.push((a.clone(), None));
        } else if a.starts_with("--") {
            return Err(Failure::Usage(format!("unknown option {a}")));
        } else {
            out.positional.push(a.clone());
        }
    }
    Ok(out)
}

impl Args {
    fn value(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.as_deref())
    }
    fn has(&self, name: &str) -> bool {
        self.flags.iter().any(|(k, _)| k == name)
    }
}

fn parse_day(flag: &str, v: Option<&str>) -> Result<Option<NaiveDate>, Failure> {
    v.map(|s| {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| Failure::Usage(format!("{flag} {s:?}: write the date as YYYY-MM-DD")))
    })
    .transpose()
}

/// What `report` and `warehouse` read alike: the files (directories as shops), the costs sheet, the
/// settings, the currency and the period.
struct Inputs {
    files: Vec<margin_engine::import::ImportedFile>,
    paths: Vec<(String, Option<usize>)>,
    directories: Vec<String>,
    costs: CostsTable,
    settings: Settings,
    currency: Option<Currency>,
    period: Option<(NaiveDate, NaiveDate)>,
    threads: usize,
}

/// Reads the inputs `a` names (`command` is named in messages).
fn load_inputs(a: &Args, command: &str) -> Result<Inputs, Failure> {
    let date_order = match a.value("--dates") {
        None => None,
        Some("month-first") => Some(DateOrder::MonthFirst),
        Some("day-first") => Some(DateOrder::DayFirst),
        Some("year-first") => Some(DateOrder::YearFirst),
        Some(other) => {
            return Err(Failure::Usage(format!(
                "--dates {other:?}: month-first, day-first or year-first"
            )));
        }
    };
    if a.positional.is_empty() {
        return Err(Failure::Usage(format!(
            "{command} needs at least one export file"
        )));
    }
    let currency = a
        .value("--currency")
        .map(|c| {
            Currency::from_code(c)
                .ok_or_else(|| Failure::Usage(format!("--currency {c:?} is not a currency code")))
        })
        .transpose()?;
    let period = match (
        parse_day("--from", a.value("--from"))?,
        parse_day("--to", a.value("--to"))?,
    ) {
        (None, None) => None,
        (Some(f), Some(t)) if f <= t => Some((f, t)),
        (Some(_), Some(_)) => return Err(Failure::Usage("--from is after --to".to_string())),
        _ => return Err(Failure::Usage("give both --from and --to".to_string())),
    };
    let costs = match a.value("--costs") {
        None => CostsTable::default(),
        Some(path) => {
            let f =
                std::fs::File::open(path).map_err(|e| Failure::Input(format!("{path}: {e}")))?;
            CostsTable::read(path, BufReader::new(f))
                .map_err(|e| Failure::Input(e.user_message()))?
        }
    };
    let settings = match a.value("--settings") {
        None => Settings::default(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Failure::Input(format!("{path}: {e}")))?;
            Settings::from_json(&text).map_err(|e| Failure::Input(format!("{path}: {e}")))?
        }
    };
    let mut files = Vec::new();
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    // A directory is a shop: its files (sorted by name), named after it.
    let mut paths: Vec<(String, Option<usize>)> = Vec::new();
    let mut directories: Vec<String> = Vec::new();
    for path in &a.positional {
        let p = std::path::Path::new(path);
        if p.is_dir() {
            let mut inside: Vec<String> = std::fs::read_dir(p)
                .map_err(|e| Failure::Input(format!("{path}: {e}")))?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|q| q.is_file())
                .map(|q| q.to_string_lossy().into_owned())
                .collect();
            inside.sort();
            if inside.is_empty() {
                return Err(Failure::Input(format!(
                    "{path}: the directory holds no file"
                )));
            }
            let name = p
                .file_name()
                .map_or_else(|| path.clone(), |n| n.to_string_lossy().into_owned());
            paths.extend(inside.into_iter().map(|f| (f, Some(directories.len()))));
            directories.push(name);
        } else {
            paths.push((path.clone(), None));
        }
    }
    for (path, _) in &paths {
        let name = std::path::Path::new(path)
            .file_name()
            .map_or_else(|| path.clone(), |n| n.to_string_lossy().into_owned());
        let open = |e: std::io::Error| Failure::Input(format!("{path}: {e}"));
        let file = std::fs::File::open(path).map_err(open)?;
        let size = file.metadata().map_err(open)?.len();
        let options = ImportOptions {
            date_order,
            currency: None,
            size_hint: Some(size),
        };
        // A large Orders export is read by its threads as they parse it, never whole
        // (docs/performance.md "End to end against DuckDB"); anything else, or a split that does not
        // hold, is read whole and sequentially, which also gives every message.
        let split = if threads >= 2 && size >= parallel::MIN_PARALLEL_BYTES as u64 {
            parallel::read_split_at(&name, &file, options, threads)
        } else {
            None
        };
        let imported = match split {
            Some(f) => f,
            None => {
                let bytes = std::fs::read(path).map_err(open)?;
                lap("read file");
                margin_engine::import::read_any(&name, &bytes[..], options)
                    .map_err(|e| Failure::Input(e.user_message()))?
            }
        };
        files.push(imported);
    }
    Ok(Inputs {
        files,
        paths,
        directories,
        costs,
        settings,
        currency,
        period,
        threads,
    })
}

fn run_report(args: &[String]) -> Result<(), Failure> {
    let a = parse_args(
        args,
        &[
            "--costs",
            "--settings",
            "--currency",
            "--from",
            "--to",
            "--dates",
            "--csv",
            "--xlsx",
            "--shop",
            "--reporting-currency",
            "--fx",
            "--fx-file",
            "--html",
            "--agency",
        ],
        &["--json"],
    )?;
    let Inputs {
        files,
        paths,
        directories,
        costs,
        settings,
        currency,
        period,
        threads,
    } = load_inputs(&a, "report")?;
    lap("read and import");
    // Rates on the command line, else those of the settings document (the page's workspace).
    let fx = match fx_table(&a)? {
        Some(t) => Some(t),
        None => settings.fx.clone(),
    };
    let report = shop_report(
        &files,
        &paths,
        &directories,
        &costs,
        &settings,
        (currency, a.value("--shop")),
        period,
        fx.as_ref(),
        threads,
    )?;
    lap("ledger, figures and report");
    let write = |path: &str, bytes: &[u8]| {
        std::fs::write(path, bytes).map_err(|e| Failure::Input(format!("{path}: {e}")))
    };
    if let Some(path) = a.value("--html") {
        let shop = report
            .shops
            .iter()
            .find(|s| Some(&s.name) == report.shop.as_ref())
            .or(report.shops.first());
        if let Some(s) = shop {
            let html = report::client_html(&report::ClientReport {
                shop: &s.name,
                agency: a.value("--agency").unwrap_or_default(),
                currency: s.report.currency,
                analysis: &s.analysis,
                previous: s.previous.as_ref(),
                coverage: &s.report.coverage,
                alerts: &s.report.alerts,
            });
            write(path, html.as_bytes())?;
        }
    }
    if let Some(path) = a.value("--csv") {
        write(
            path,
            margin_engine::export::to_csv(&sku_sheet(&report)).as_bytes(),
        )?;
    }
    if let Some(path) = a.value("--xlsx") {
        let bytes = margin_engine::export::to_xlsx(&[sku_sheet(&report)])
            .map_err(|e| Failure::Input(format!("{path}: {}", e.user_message())))?;
        write(path, &bytes)?;
    }
    let mut out = std::io::stdout().lock();
    let text = if a.has("--json") {
        serde_json::to_string_pretty(&report).map_err(|e| Failure::Input(e.to_string()))? + "\n"
    } else {
        table(&report)
    };
    // A closed pipe (`| head`) is not an error worth a message.
    let _ = out.write_all(text.as_bytes());
    lap("output");
    // The process ends here: the operating system takes back the files' lines and the report at once,
    // which freeing them piece by piece would take 5 % of a large report's time to do.
    std::mem::forget((files, report));
    Ok(())
}

/// With `MARGIN_LAB_TIMINGS` set, prints the seconds since the process started (since the previous lap)
/// to standard error: where a report's time goes (docs/performance.md "End to end against DuckDB").
fn lap(stage: &str) {
    use std::sync::Mutex;
    use std::time::Instant;
    static LAST: Mutex<Option<(Instant, Instant)>> = Mutex::new(None);
    if std::env::var_os("MARGIN_LAB_TIMINGS").is_none() {
        return;
    }
    let now = Instant::now();
    let Ok(mut last) = LAST.lock() else { return };
    let (start, prev) = last.get_or_insert((now, now));
    eprintln!(
        "{stage:<28} {:8.3} s  (+{:.3} s)",
        now.duration_since(*start).as_secs_f64(),
        now.duration_since(*prev).as_secs_f64()
    );
    *prev = now;
}

/// `margin-lab warehouse`: every shop's tables as partitioned Parquet (docs/warehouse.md).
fn run_warehouse(args: &[String]) -> Result<(), Failure> {
    let a = parse_args(
        args,
        &[
            "--out",
            "--costs",
            "--settings",
            "--currency",
            "--from",
            "--to",
            "--dates",
            "--shop",
        ],
        &[],
    )?;
    let out = a
        .value("--out")
        .ok_or_else(|| Failure::Usage("warehouse needs --out DIR".to_string()))?;
    let out = std::path::Path::new(out);
    let inputs = load_inputs(&a, "warehouse")?;
    let (list, unassigned) = shop_list(
        &inputs.files,
        &inputs.paths,
        &inputs.directories,
        &inputs.settings,
    );
    for why in &unassigned {
        eprintln!("margin-lab: {why}");
    }
    let chosen = a.value("--shop");
    if let Some(name) = chosen
        && !list.iter().any(|s| s.name == name)
    {
        return Err(Failure::Usage(format!(
            "--shop {name:?}: the shops are {}",
            list.iter()
                .map(|s| format!("{:?}", s.name))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    std::fs::create_dir_all(out).map_err(|e| Failure::Input(format!("{}: {e}", out.display())))?;
    let mut sink = warehouse::ParquetSink::new(out);
    let mut shops_json = Vec::new();
    // The months a run with a period covers: their partitions are the run's (docs/warehouse.md).
    let period_months: Option<Vec<String>> = inputs.period.map(|(from, to)| {
        let mut months = Vec::new();
        let mut d = from;
        while d <= to {
            let m = margin_engine::warehouse::month_of(d);
            if months.last() != Some(&m) {
                months.push(m);
            }
            d = d.succ_opt().unwrap_or(to + chrono::Days::new(1));
        }
        months
    });
    // A period that cuts a month: that month's partitions will hold only the period's days.
    if let Some((from, to)) = inputs.period {
        let cut_start = from.day() != 1;
        let cut_end = to.succ_opt().is_some_and(|d| d.day() != 1);
        if cut_start || cut_end {
            eprintln!(
                "margin-lab: {from} to {to} does not cover whole months: the partitions of {} will hold only \
                 these days (docs/warehouse.md)",
                [
                    cut_start.then(|| margin_engine::warehouse::month_of(from)),
                    cut_end.then(|| margin_engine::warehouse::month_of(to))
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" and ")
            );
        }
    }
    // Two names whose partition values agree (a 64-bit hash collision) would overwrite each other.
    let mut values: Vec<(String, &str)> = Vec::new();
    for shop in &list {
        let v = margin_engine::warehouse::partition_value(&shop.name);
        if let Some((_, other)) = values.iter().find(|(w, _)| *w == v) {
            return Err(Failure::Input(format!(
                "shops {other:?} and {:?} would share the partition shop={v}: rename one",
                shop.name
            )));
        }
        values.push((v, &shop.name));
    }
    let mut failed: Option<Failure> = None;
    for shop in &list {
        if chosen.is_some_and(|c| c != shop.name) {
            continue;
        }
        let value = margin_engine::warehouse::partition_value(&shop.name);
        let refs: Vec<&margin_engine::import::ImportedFile> = shop
            .files
            .iter()
            .filter_map(|&i| inputs.files.get(i))
            .collect();
        let own = inputs.settings.for_shop(&shop.key);
        sink.start_shop(&value)
            .map_err(|e| Failure::Input(format!("{}: {e}", out.display())))?;
        let written = margin_engine::warehouse::write_shop(
            &refs,
            &margin_engine::warehouse::ShopInput {
                name: &shop.name,
                costs: &inputs.costs,
                settings: &own,
                currency: shop.currency.or(inputs.currency),
                period: inputs.period,
                threads: inputs.threads,
            },
            &mut sink,
        );
        let written = match written {
            Ok(w) => w,
            Err(e) => {
                // What the export held for this shop stays as it was.
                sink.abandon_shop();
                failed = Some(Failure::Input(format!("shop {:?}: {e}", shop.name)));
                break;
            }
        };
        // The month of an empty table's file: the shop's first, else the period's.
        let month = written
            .months
            .first()
            .cloned()
            .or_else(|| {
                written
                    .period
                    .map(|p| margin_engine::warehouse::month_of(p.0))
            })
            .unwrap_or_else(|| "none".to_string());
        if let Err(e) = sink.finish_shop(&month, period_months.as_deref()) {
            sink.abandon_shop();
            failed = Some(Failure::Input(format!("{}: {e}", out.display())));
            break;
        }
        shops_json.push(serde_json::json!({
            "name": shop.name,
            "partition": value,
            "currency": written.currency.map(|c| c.code().to_string()),
            "period": written.period.map(|(f, t)| [f.to_string(), t.to_string()]),
            "months": written.months,
            "rows": written.rows,
            "files": refs.iter().map(|f| f.report.name.clone()).collect::<Vec<_>>(),
        }));
    }
    let inputs_json: Vec<serde_json::Value> = inputs
        .paths
        .iter()
        .map(|(p, _)| {
            serde_json::json!({
                "path": p,
                "bytes": std::fs::metadata(p).map(|m| m.len()).ok(),
            })
        })
        .collect();
    let files_json: Vec<serde_json::Value> = sink
        .written
        .iter()
        .map(|(f, rows)| serde_json::json!({ "file": f, "rows": rows }))
        .collect();
    let manifest = serde_json::json!({
        "schema_version": margin_engine::warehouse::SCHEMA_VERSION,
        "period": inputs.period.map(|(f, t)| [f.to_string(), t.to_string()]),
        "inputs": inputs_json,
        "shops": shops_json,
        "written": files_json,
        "rounded_amounts": sink.rounded,
        // The shops above were written; a failure stopped the run before the next one.
        "failed": failed.as_ref().map(|f| match f {
            Failure::Input(m) | Failure::Usage(m) => m.clone(),
        }),
    });
    let write = |name: &str, text: String| {
        let path = out.join(name);
        std::fs::write(&path, text + "\n")
            .map_err(|e| Failure::Input(format!("{}: {e}", path.display())))
    };
    write("_schema.json", margin_engine::warehouse::schema_json())?;
    write(
        "_manifest.json",
        serde_json::to_string_pretty(&manifest).map_err(|e| Failure::Input(e.to_string()))?,
    )?;
    if let Some(f) = failed {
        return Err(f);
    }
    stdout(&format!(
        "wrote {} Parquet files for {} shops under {}\n",
        sink.written.len(),
        shops_json.len(),
        out.display()
    ));
    Ok(())
}

/// The reporting currency and rates of `--reporting-currency`, `--fx` and `--fx-file`.
fn fx_table(a: &Args) -> Result<Option<FxTable>, Failure> {
    let mut rates = Vec::new();
    for (k, v) in &a.flags {
        if k == "--fx" {
            rates.push(
                FxRate::parse(v.as_deref().unwrap_or_default())
                    .map_err(|e| Failure::Usage(format!("--fx {e}")))?,
            );
        }
    }
    if let Some(path) = a.value("--fx-file") {
        let text =
            std::fs::read_to_string(path).map_err(|e| Failure::Input(format!("{path}: {e}")))?;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            rates.push(
                FxRate::parse(line)
                    .map_err(|e| Failure::Input(format!("{path}, line {}: {e}", n + 1)))?,
            );
        }
    }
    match a.value("--reporting-currency") {
        None if rates.is_empty() => Ok(None),
        None => Err(Failure::Usage(
            "rates need --reporting-currency (the currency they convert into)".to_string(),
        )),
        Some(c) => {
            let reporting = Currency::from_code(c).ok_or_else(|| {
                Failure::Usage(format!("--reporting-currency {c:?} is not a currency code"))
            })?;
            Ok(Some(FxTable { reporting, rates }))
        }
    }
}

/// The shops of the loaded files (directories as named shops, loose files grouped by shared IDs),
/// every shop's report, and the top level: the chosen shop's report with `shops` and `portfolio`.
#[allow(clippy::too_many_arguments)]
fn shop_report(
    files: &[margin_engine::import::ImportedFile],
    paths: &[(String, Option<usize>)],
    directories: &[String],
    costs: &CostsTable,
    settings: &Settings,
    (currency, chosen): (Option<Currency>, Option<&str>),
    period: Option<(NaiveDate, NaiveDate)>,
    fx: Option<&FxTable>,
    threads: usize,
) -> Result<Report, Failure> {
    let (list, unassigned) = shop_list(files, paths, directories, settings);
    let (entries, portfolio) =
        report::build_shops(files, &list, costs, settings, period, fx, threads)
            .map_err(|e| Failure::Usage(e.to_string()))?;
    let pick = match (chosen, currency) {
        (Some(name), _) => entries.iter().position(|e| e.name == name).ok_or_else(|| {
            Failure::Usage(format!(
                "--shop {name:?}: the shops are {}",
                entries
                    .iter()
                    .map(|e| format!("{:?}", e.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?,
        (None, Some(c)) => entries
            .iter()
            .position(|e| e.currency == Some(c))
            .ok_or_else(|| Failure::Usage(format!("no loaded shop is in {c}")))?,
        (None, None) => 0,
    };
    let Some(top) = entries.get(pick) else {
        return Err(Failure::Usage(
            "none of the files belongs to a shop".to_string(),
        ));
    };
    let mut report = (*top.report).clone();
    if entries.len() > 1 {
        report.warnings.push(format!(
            "{} shops are loaded: this report is {:?}'s; every shop's report is under shops (pick one with --shop)",
            entries.len(),
            top.name
        ));
    } else {
        report.shop = None;
    }
    report.warnings.extend(unassigned.iter().cloned());
    // Each warning with where it matters, the shops' too (docs/metrics.md §12).
    report.notes = margin_engine::review::notes(&report.warnings);
    report.unassigned_files = unassigned;
    report.portfolio = portfolio;
    report.shops = entries;
    Ok(report)
}

/// The shops of the loaded files: directories as named shops, loose files grouped by the IDs they
/// share (a loose costs sheet goes to every shop); with the messages of files no shop could take.
fn shop_list(
    files: &[margin_engine::import::ImportedFile],
    paths: &[(String, Option<usize>)],
    directories: &[String],
    settings: &Settings,
) -> (Vec<shops::Shop>, Vec<String>) {
    let mut list: Vec<shops::Shop> = directories
        .iter()
        .enumerate()
        .map(|(d, name)| {
            let idx = (0..files.len())
                .filter(|&i| paths[i].1 == Some(d))
                .collect();
            shops::named(name, files, idx, settings)
        })
        .collect();
    // Loose files are grouped with the directories' files (an Affiliate export beside `us/` that shares
    // its Order IDs joins that shop); a loose costs sheet applies to every shop (an entry keyed by a SKU
    // ID reaches only the shop selling it, docs/metrics.md §10).
    let is_costs = |i: usize| matches!(files[i].data, margin_engine::import::FileData::Costs(_));
    let loose_costs: Vec<usize> = (0..files.len())
        .filter(|&i| paths[i].1.is_none() && is_costs(i))
        .collect();
    let data: Vec<usize> = (0..files.len()).filter(|&i| !is_costs(i)).collect();
    let mut unassigned = Vec::new();
    if !data.is_empty() {
        let subset: Vec<&margin_engine::import::ImportedFile> =
            data.iter().map(|&i| &files[i]).collect();
        let g = shops::group(&subset, settings);
        for mut s in g.shops {
            s.files = s
                .files
                .iter()
                .filter_map(|&j| data.get(j).copied())
                .collect();
            let dir = s.files.iter().find_map(|&i| paths[i].1);
            let loose: Vec<usize> = s
                .files
                .iter()
                .copied()
                .filter(|&i| paths[i].1.is_none())
                .collect();
            match dir.and_then(|d| list.get_mut(d)) {
                Some(shop) => shop.files.extend(loose),
                None if !loose.is_empty() => list.push(s),
                None => {}
            }
        }
        for (j, why) in g.unassigned {
            let Some(&i) = data.get(j) else { continue };
            // A directory's file is its directory's; a loose one goes to the only shop of its currency.
            if paths[i].1.is_some() {
                continue;
            }
            let c = files[i].report.currency;
            let fits: Vec<usize> = (0..list.len())
                .filter(|&k| c.is_none() || list[k].currency.is_none() || list[k].currency == c)
                .collect();
            match fits.as_slice() {
                [only] => list[*only].files.push(i),
                _ => unassigned.push(why),
            }
        }
    }
    if list.is_empty() && !loose_costs.is_empty() {
        // Only costs sheets: a shop of them, as before shops.
        let subset: Vec<&margin_engine::import::ImportedFile> =
            loose_costs.iter().map(|&i| &files[i]).collect();
        for mut s in shops::group(&subset, settings).shops {
            s.files = s
                .files
                .iter()
                .filter_map(|&j| loose_costs.get(j).copied())
                .collect();
            list.push(s);
        }
    } else {
        for s in &mut list {
            s.files.extend(loose_costs.iter().copied());
        }
    }
    for s in &mut list {
        s.files.sort_unstable();
        s.files.dedup();
    }
    (list, unassigned)
}

/// The figures of the per-SKU sheet (`--csv`, `--xlsx`), after the SKU's own columns: the readable
/// report's SKU figures, then the bottom line and the missing-cost flag.
fn sheet_columns() -> Vec<&'static Figure> {
    let mut c = sku_columns().to_vec();
    c.extend([
        metric!(FIGURES, "net_profit"),
        metric!(FIGURES, "net_margin_pct"),
        metric!(FIGURES, "cost_missing"),
    ]);
    c
}

/// The totals of the readable report, one line each.
fn summary_lines() -> [Vec<&'static Figure>; 3] {
    [
        vec![
            metric!(FIGURES, "gmv"),
            metric!(FIGURES, "cancelled_sales"),
            metric!(FIGURES, "refunds"),
            metric!(FIGURES, "net_sales"),
            metric!(FIGURES, "net_revenue"),
            metric!(FIGURES, "orders"),
            metric!(FIGURES, "units_sold"),
            metric!(FIGURES, "aov"),
        ],
        vec![
            metric!(FIGURES, "cogs"),
            metric!(FIGURES, "gross_profit"),
            metric!(FIGURES, "gross_margin_pct"),
            metric!(FIGURES, "platform_fees"),
            metric!(FIGURES, "fulfillment"),
            metric!(FIGURES, "shipping"),
            metric!(FIGURES, "returns_cost"),
            metric!(FIGURES, "cm1"),
            metric!(FIGURES, "cm1_pct"),
        ],
        vec![
            metric!(FIGURES, "affiliate_commission"),
            metric!(FIGURES, "ad_spend"),
            metric!(FIGURES, "sample_cost"),
            metric!(FIGURES, "other_marketing"),
            metric!(FIGURES, "cm2"),
            metric!(FIGURES, "cm2_pct"),
            metric!(FIGURES, "overhead"),
            metric!(FIGURES, "net_profit"),
            metric!(FIGURES, "net_margin_pct"),
        ],
    ]
}

/// The figures of the readable report's SKU rows, after the SKU ID and product.
fn sku_columns() -> [&'static Figure; 8] {
    [
        metric!(FIGURES, "units_sold"),
        metric!(FIGURES, "gmv"),
        metric!(FIGURES, "net_sales"),
        metric!(FIGURES, "cogs"),
        metric!(FIGURES, "platform_fees"),
        metric!(FIGURES, "cm1"),
        metric!(FIGURES, "cm2"),
        metric!(FIGURES, "cm2_pct"),
    ]
}

/// The figures of the readable report's creator rows, after the creator.
fn creator_columns() -> [&'static CreatorFigure; 6] {
    [
        metric!(CREATOR_FIGURES, "orders"),
        metric!(CREATOR_FIGURES, "units"),
        metric!(CREATOR_FIGURES, "net_revenue"),
        metric!(CREATOR_FIGURES, "commission"),
        metric!(CREATOR_FIGURES, "net_after_commission"),
        metric!(CREATOR_FIGURES, "efficiency"),
    ]
}

/// The per-SKU table for `--csv` and `--xlsx`: the report's figures (docs/metrics.md §8 strings) as cells
/// typed by their registry unit, headed by their registry labels.
fn sku_sheet(r: &Report) -> Sheet {
    let decimal = |v: Option<&ReportValue>| v.and_then(ReportValue::text)?.parse::<Decimal>().ok();
    let cell = |m: &Figure, v: Option<&ReportValue>| match (m.unit, v) {
        (_, None | Some(ReportValue::Null)) => Cell::Empty,
        (_, Some(ReportValue::Count(n))) => Decimal::try_from_i128_with_scale(*n, 0)
            .map_or_else(|_| Cell::text(n.to_string()), Cell::Number),
        (_, Some(ReportValue::Flag(b))) => {
            if *b {
                Cell::text("yes")
            } else {
                Cell::Empty
            }
        }
        (Unit::Money, Some(ReportValue::Text(s))) => s
            .parse::<Decimal>()
            .map_or_else(|_| Cell::text(s.as_str()), |d| Cell::Money(d, r.currency)),
        (Unit::Percent, v) => Cell::percent(decimal(v)),
        (_, Some(ReportValue::Text(s))) => s
            .parse::<Decimal>()
            .map_or_else(|_| Cell::text(s.as_str()), Cell::Number),
    };
    let columns = sheet_columns();
    let headers = ["SKU ID", "Seller SKU", "Product", "Variation", "Unit cost"]
        .into_iter()
        .chain(columns.iter().map(|m| m.label))
        .map(str::to_string)
        .collect();
    Sheet {
        name: format!("SKUs {}", r.currency),
        headers,
        rows: r
            .skus
            .iter()
            .map(|k| {
                let mut row = vec![
                    Cell::text(k.sku_id.as_str()),
                    Cell::text(k.seller_sku.as_str()),
                    Cell::text(k.product_name.as_str()),
                    Cell::text(k.variation.as_str()),
                    k.unit_cost.as_deref().map_or(Cell::Empty, |s| {
                        s.parse::<Decimal>()
                            .map_or_else(|_| Cell::text(s), |d| Cell::Money(d, r.currency))
                    }),
                ];
                row.extend(columns.iter().map(|m| cell(m, k.figures.get(m.key))));
                row
            })
            .collect(),
    }
}

/// A figure as the readable report shows it: the contract's string, `%` after percent points, `—`
/// for a figure that cannot be computed.
fn shown(unit: Unit, v: Option<&ReportValue>) -> String {
    match v {
        Some(ReportValue::Text(t)) if unit == Unit::Percent => format!("{t}%"),
        Some(ReportValue::Text(t)) => t.clone(),
        Some(ReportValue::Count(n)) => n.to_string(),
        Some(ReportValue::Flag(b)) => (if *b { "yes" } else { "no" }).to_string(),
        Some(ReportValue::Null) | None => "—".to_string(),
    }
}

/// A column's width: its label's, at least what its unit needs.
fn width(unit: Unit, label: &str) -> usize {
    let least = match unit {
        Unit::Money => 11,
        Unit::Count => 6,
        Unit::Percent | Unit::Ratio | Unit::Flag => 7,
    };
    label.chars().count().max(least)
}

/// The readable report: totals, then one row per SKU, then the creators; every figure's label and
/// unit come from the registry.
fn table(r: &Report) -> String {
    let mut s = String::new();
    let period = r.period.map_or_else(
        || "no orders".to_string(),
        |p| format!("{} to {}", p.from, p.to),
    );
    s.push_str(&format!("Margin Lab report — {} — {period}\n", r.currency));
    for f in &r.files {
        // Affiliate and finance rows count when they join a loaded order line (docs/metrics.md §8).
        let used = match f.joined_rows {
            Some(j) => format!("{j} joined to loaded orders"),
            None => format!("{} used", f.used_rows),
        };
        s.push_str(&format!(
            "  {} ({}): {} rows, {used}\n",
            f.name,
            f.kind.label(),
            f.rows,
        ));
    }
    s.push('\n');
    for line in summary_lines() {
        let items: Vec<String> = line
            .iter()
            .map(|m| format!("{} {}", m.label, shown(m.unit, r.totals.get(m.key))))
            .collect();
        s.push_str(&items.join("  "));
        s.push('\n');
    }
    s.push('\n');
    let columns = sku_columns();
    let cells = |id: &str, name: &str, values: Vec<String>| {
        let mut line = format!("{id:<20} {name:<28}");
        for (m, v) in columns.iter().zip(values) {
            line.push_str(&format!(" {v:>w$}", w = width(m.unit, m.label)));
        }
        line
    };
    s.push_str(&cells(
        "SKU ID",
        "Product",
        columns.iter().map(|m| m.label.to_string()).collect(),
    ));
    s.push('\n');
    for k in &r.skus {
        let name: String = if k.seller_sku.is_empty() {
            &k.product_name
        } else {
            &k.seller_sku
        }
        .chars()
        .take(28)
        .collect();
        let values = columns
            .iter()
            .map(|m| shown(m.unit, k.figures.get(m.key)))
            .collect();
        s.push_str(&cells(&k.sku_id, &name, values));
        s.push_str(if k.figures.cost_missing {
            "  no cost\n"
        } else {
            "\n"
        });
    }
    s.push_str(&morning_text(r));
    s.push_str(&ads_text(r));
    s.push_str(&cash_text(r));
    if !r.creators.is_empty() {
        let columns = creator_columns();
        let cells = |creator: &str, values: Vec<String>| {
            let mut line = format!("{creator:<28}");
            for (m, v) in columns.iter().zip(values) {
                line.push_str(&format!(" {v:>w$}", w = width(m.unit, m.label)));
            }
            line.push('\n');
            line
        };
        s.push('\n');
        s.push_str(&cells(
            "Creator",
            columns.iter().map(|m| m.label.to_string()).collect(),
        ));
        for c in &r.creators {
            let values = columns
                .iter()
                .map(|m| shown(m.unit, c.get(m.key)))
                .collect();
            s.push_str(&cells(
                &c.creator.chars().take(28).collect::<String>(),
                values,
            ));
        }
    }
    for w in &r.warnings {
        s.push_str(&format!("\nwarning: {w}"));
    }
    if !r.warnings.is_empty() {
        s.push('\n');
    }
    s
}

/// The alerts (each on its own window, docs/metrics.md §12), the rules that could not run and the
/// morning review: yesterday against the day before and the same weekday, and one action per team.
fn morning_text(r: &Report) -> String {
    let mut s = String::new();
    let al = &r.alerts;
    if let Some(a) = al.as_of {
        s.push_str(&format!(
            "\nAlerts as of {a} (each over its own window, not the period):"
        ));
    }
    for a in &al.alerts {
        s.push_str(&format!("\nalert ({}): {}", a.rule, a.message));
    }
    for u in &al.unavailable {
        let days: Vec<String> = u
            .uncovered
            .iter()
            .map(|d| {
                if d.from == d.to {
                    d.from.to_string()
                } else {
                    format!("{} to {}", d.from, d.to)
                }
            })
            .collect();
        // Some rules' needs name the days already.
        let uncovered = if days.is_empty() || u.needs.contains("not covered") {
            String::new()
        } else {
            format!(" (not covered: {})", days.join(", "))
        };
        s.push_str(&format!(
            "\ncould not run ({}): needs {}{uncovered}",
            u.rule, u.needs
        ));
    }
    let rv = &r.review;
    if let (Some(day), Some(y)) = (rv.day, rv.yesterday.as_ref()) {
        s.push_str(&format!(
            "\n\nMorning review of {day}: net sales {}, {} orders, CM2 {}",
            y.net_sales, y.orders, y.cm2
        ));
        for (what, c) in [
            ("the day before", rv.previous_day.as_ref()),
            ("the same weekday a week earlier", rv.same_weekday.as_ref()),
        ] {
            if let Some(c) = c {
                s.push_str(&format!(
                    "\n  against {what} ({}): net sales {}, orders {:+}, CM2 {}",
                    c.day.date,
                    signed(&c.net_sales_change),
                    c.orders_change,
                    signed(&c.cm2_change),
                ));
            }
        }
        for a in &rv.actions {
            let team = match a.team {
                margin_engine::review::Team::Content => "content",
                margin_engine::review::Team::MediaBuying => "media buying",
                margin_engine::review::Team::CreatorPartnerships => "creator partnerships",
                margin_engine::review::Team::Operations => "operations",
            };
            s.push_str(&format!("\n  {team}: {} — {}", a.action, a.why));
        }
    }
    s.push('\n');
    s
}

/// A report amount with its sign: "12.00" → "+12.00", "-3.50" stays.
fn signed(amount: &str) -> String {
    if amount.starts_with('-') {
        amount.to_string()
    } else {
        format!("+{amount}")
    }
}

/// The GMV Max reconciliation (docs/metrics.md §6), when ad spend is loaded.
fn ads_text(r: &Report) -> String {
    let a = &r.ads;
    if a.source == margin_engine::metrics::AdsSource::None {
        return String::new();
    }
    let or_none = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".to_string());
    let mut s = format!(
        "\nAds: spend {}  reported ROAS {}  blended ROAS {}  break-even ROAS {}  blended CPO {}  paid CPO {}  CPO on GMV Max's orders {}",
        a.ad_spend,
        or_none(&a.reported_roas),
        or_none(&a.blended_roas),
        or_none(&a.break_even_roas),
        or_none(&a.blended_cpo),
        or_none(&a.paid_cpo),
        or_none(&a.detail.gmv_max_cpo),
    );
    let i = &a.incrementality;
    s.push_str(&format!(
        "\n  on/off days ({} with spend, {} without): {} of net sales per 1.00 of spend, attribution inflation {}",
        i.days_with_spend,
        i.days_without_spend,
        or_none(&i.estimate),
        or_none(&a.attribution_inflation),
    ));
    if let Some(c) = &i.caution {
        s.push_str(&format!("\n  caution: {c}"));
    }
    s.push('\n');
    s
}

/// Estimated vs settled cash (docs/metrics.md §6), with a finance export.
fn cash_text(r: &Report) -> String {
    let Some(c) = &r.cash else {
        return String::new();
    };
    format!(
        "\nCash: {} settled orders, estimated {} vs settled {} (difference {}); still to come {} ({} orders on hold, {} not in any finance export)\n",
        c.matched_orders,
        c.estimated_settlement_of_matched,
        c.actual_settlement,
        c.settlement_difference,
        c.unsettled.expected_cash,
        c.unsettled.on_hold_orders,
        c.unsettled.not_in_finance_orders,
    )
}

fn run_bench(args: &[String]) -> Result<(), Failure> {
    let a = parse_args(args, &["--runs", "--threads"], &[])?;
    let number = |flag: &str, default: usize| -> Result<usize, Failure> {
        a.value(flag).map_or(Ok(default), |v| {
            v.parse::<usize>()
                .map_err(|_| Failure::Usage(format!("{flag} {v:?} is not a number")))
        })
    };
    let runs = u32::try_from(number("--runs", 3)?).unwrap_or(3);
    let threads = number(
        "--threads",
        std::thread::available_parallelism().map_or(1, usize::from),
    )?;
    if a.positional.is_empty() {
        return Err(Failure::Usage(
            "bench needs at least one export file".to_string(),
        ));
    }
    let text = bench::run(&a.positional, runs, threads).map_err(Failure::Input)?;
    stdout(&text);
    Ok(())
}

fn run_generate(args: &[String]) -> Result<(), Failure> {
    if args.first().map(String::as_str) == Some("repeat") {
        return run_repeat(&args[1..]);
    }
    let a = parse_args(
        args,
        &[
            "--market",
            "--seed",
            "--orders",
            "--size",
            "--days",
            "--out",
            "--from-orders",
            "--shop",
        ],
        &[],
    )?;
    let market = match a.value("--market") {
        Some("us") => generate::Market::Us,
        Some("uk") => generate::Market::Uk,
        _ => return Err(Failure::Usage("--market us|uk is required".to_string())),
    };
    let num = |flag: &str, default: u64| -> Result<u64, Failure> {
        a.value(flag).map_or(Ok(default), |v| {
            v.parse()
                .map_err(|_| Failure::Usage(format!("{flag} {v:?} is not a number")))
        })
    };
    let size = a.value("--size").map(parse_size).transpose()?;
    let seed = num("--seed", 1)?;
    let shop = match a.value("--shop") {
        None => 0,
        Some(v) => v
            .parse::<u32>()
            .ok()
            .filter(|k| (1..=generate::MAX_SHOP).contains(k))
            .ok_or_else(|| {
                Failure::Usage(format!(
                    "--shop {v:?}: a shop number from 1 to {}",
                    generate::MAX_SHOP
                ))
            })?,
    };
    let what = a.positional.first().map(String::as_str);
    // Orders needs no input, affiliate reads its Orders file first: both then stream rows to the output.
    let lines = match what {
        Some("affiliate") => {
            let path = a.value("--from-orders").ok_or_else(|| {
                Failure::Usage("generate affiliate needs --from-orders FILE".to_string())
            })?;
            let f =
                std::fs::File::open(path).map_err(|e| Failure::Input(format!("{path}: {e}")))?;
            Some(
                import_file(
                    path,
                    BufReader::with_capacity(1 << 20, f),
                    ImportOptions::default(),
                )
                .map_err(|e| Failure::Input(e.user_message()))?,
            )
        }
        Some("orders" | "costs") => None,
        _ => {
            return Err(Failure::Usage(
                "generate orders|costs|affiliate".to_string(),
            ));
        }
    };
    let (out, out_name): (Box<dyn Write>, &str) = match a.value("--out") {
        Some(path) => (
            Box::new(
                std::fs::File::create(path).map_err(|e| Failure::Input(format!("{path}: {e}")))?,
            ),
            path,
        ),
        None => (Box::new(std::io::stdout().lock()), "standard output"),
    };
    let mut out = std::io::BufWriter::with_capacity(1 << 20, out);
    let written = match (what, lines) {
        (Some("orders"), _) => {
            let amount = match size {
                Some(bytes) => generate::Amount::Bytes(bytes),
                None => generate::Amount::Count(num("--orders", 1000)?),
            };
            let days = u32::try_from(num("--days", 30)?.clamp(1, 3650)).unwrap_or(30);
            generate::write_orders(&mut out, market, seed, amount, days, shop).map(|_| ())
        }
        (Some("affiliate"), Some(orders)) => generate::write_affiliate(
            &mut out,
            market,
            seed,
            orders.order_lines(),
            size.map(generate::Amount::Bytes),
        )
        .map(|_| ()),
        _ => out.write_all(generate::costs_csv(market, shop).as_bytes()),
    };
    match written.and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`| head`) is not an error worth a message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Input(format!("{out_name}: {e}"))),
    }
}

/// `generate repeat --from FILE --size 200MB --out FILE`: a real export's rows under fresh Order IDs.
fn run_repeat(args: &[String]) -> Result<(), Failure> {
    let a = parse_args(args, &["--from", "--size", "--out"], &[])?;
    let (Some(from), Some(size), Some(path)) =
        (a.value("--from"), a.value("--size"), a.value("--out"))
    else {
        return Err(Failure::Usage(
            "generate repeat needs --from FILE --size SIZE --out FILE".to_string(),
        ));
    };
    let size = parse_size(size)?;
    let src = std::fs::read(from).map_err(|e| Failure::Input(format!("{from}: {e}")))?;
    let f = std::fs::File::create(path).map_err(|e| Failure::Input(format!("{path}: {e}")))?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, f);
    generate::write_repeated(&src, size, &mut out)
        .and_then(|_| out.flush())
        .map_err(|e| Failure::Input(format!("{from} → {path}: {e}")))
}

/// `--size 100MB`: bytes, with an optional unit (KB, MB, GB = powers of 1000, as the bench's MB/s;
/// KiB, MiB, GiB = powers of 1024).
fn parse_size(v: &str) -> Result<u64, Failure> {
    let t = v.trim();
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(t.len());
    let (n, unit) = t.split_at(split);
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "m" | "mb" => 1_000_000,
        "g" | "gb" => 1_000_000_000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        _ => {
            return Err(Failure::Usage(format!(
                "--size {v:?}: a number of bytes, e.g. 10MB, 100MB, 1GB"
            )));
        }
    };
    let whole: u64 = n.parse().map_err(|_| {
        Failure::Usage(format!(
            "--size {v:?}: a whole number with a unit, e.g. 100MB"
        ))
    })?;
    whole
        .checked_mul(mult)
        .filter(|b| *b > 0)
        .ok_or_else(|| Failure::Usage(format!("--size {v:?} is out of range")))
}
