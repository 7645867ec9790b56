//! Replays every file of fuzz/regressions/<target>/ (the seeds and every crash the fuzzers found) through
//! the same code the fuzz targets run (fuzz/harness.rs, included here), on stable Rust without cargo-fuzz:
//! each must return without a panic. scripts/fuzz.sh runs the fuzzers themselves.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../../../fuzz/harness.rs"]
mod harness;

use std::path::PathBuf;

fn regressions() -> PathBuf {
    [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        "..",
        "fuzz",
        "regressions",
    ]
    .iter()
    .collect()
}

#[test]
fn every_regression_file_runs_without_a_panic() {
    let mut total = 0;
    for (target, run) in harness::TARGETS {
        let dir = regressions().join(target);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        assert!(!files.is_empty(), "no seeds in {}", dir.display());
        for file in files {
            let data = std::fs::read(&file).unwrap();
            // A panic names the file: the harness runs it inside catch_unwind so all are tried in one go.
            let outcome = std::panic::catch_unwind(|| run(&data));
            assert!(outcome.is_ok(), "{target}: {} panicked", file.display());
            total += 1;
        }
    }
    assert!(total >= harness::TARGETS.len());
}

#[test]
fn every_fuzz_target_has_a_regressions_folder() {
    let on_disk: Vec<String> = std::fs::read_dir(regressions())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for (target, _) in harness::TARGETS {
        assert!(on_disk.iter().any(|d| d == target), "{target}");
    }
}

#[test]
fn the_json_seeds_are_valid_documents() {
    // So the fuzzers start from inputs that reach past the parsers.
    for (target, check) in [
        (
            "settings",
            (|t: &str| margin_engine::settings::Settings::from_json(t).is_ok()) as fn(&str) -> bool,
        ),
        ("workspace", |t: &str| {
            margin_engine::workspace::parse(t).is_ok()
        }),
    ] {
        for e in std::fs::read_dir(regressions().join(target)).unwrap() {
            let p = e.unwrap().path();
            if p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("seed-")
            {
                assert!(
                    check(&std::fs::read_to_string(&p).unwrap()),
                    "{}",
                    p.display()
                );
            }
        }
    }
}
