//! The repository must stand on its own: every Markdown file that code, scripts, tests, the README or the
//! docs name has to exist in it (issue 13: the code cited documents nobody who cloned it could read), and
//! so does every source path they name from the repository's root (a stale path misleads as much).
//!
//! The scan walks the repository from the workspace root, skipping build output and dependencies
//! (`target`, `node_modules`, `dist`, `.git`, the fuzzers' `corpus` and `artifacts`, DuckDB's `.venv-warehouse`), and reads text
//! files by extension. A path is looked up relative to the repository root and relative to the naming
//! file's folder; a path that leaves the repository (`../elsewhere/…`) counts as missing. Web addresses
//! are not files of this repository and are skipped (`https://…`, or a first segment that is a host
//! name such as `github.com/…`). A document cited by a bare upper-case name and a section sign (the
//! form the old, outside documents were cited in) is reported too: cite the `docs/` page instead.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::path::{Component, Path, PathBuf};

/// File extensions whose text is scanned.
const SCANNED: &[&str] = &[
    "rs", "md", "sh", "mjs", "js", "toml", "html", "css", "py", "yml", "yaml",
];

/// Directories never scanned: build output, dependencies, VCS data, fuzzing work folders.
const SKIPPED_DIRS: &[&str] = &[
    "target",
    "node_modules",
    "dist",
    ".git",
    "corpus",
    "artifacts",
    // DuckDB's Python venv for the warehouse proof (scripts/setup.sh --test).
    ".venv-warehouse",
];

/// Top-level folders of the repository: a path starting with one of these names a file in it.
const TOP_LEVEL: &[&str] = &[
    "src", "crates", "scripts", "tests", "fuzz", "public", "docs", ".github", ".cargo", ".ci",
    "sql",
];

/// Extensions of source paths that are checked (besides Markdown files).
const SOURCE_EXTENSIONS: &[&str] = &[
    "rs", "js", "mjs", "sh", "py", "toml", "css", "html", "json", "csv", "xlsx", "yml", "sql",
];

fn repo_root() -> PathBuf {
    let root: PathBuf = [env!("CARGO_MANIFEST_DIR"), "..", ".."].iter().collect();
    root.canonicalize().unwrap()
}

fn text_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap()).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            if !SKIPPED_DIRS.contains(&name.as_str()) {
                text_files(&path, out);
            }
        } else if kind.is_file()
            && let Some(ext) = path.extension().and_then(|e| e.to_str())
            && SCANNED.contains(&ext)
        {
            out.push(path);
        }
    }
}

fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '/' | '-')
}

/// The maximal runs of path characters in a line, with the character just before each run, trailing
/// dots (sentence ends) trimmed.
fn path_tokens(line: &str) -> Vec<(Option<char>, &str)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut before: Option<char> = None;
    let mut prev: Option<char> = None;
    for (i, c) in line
        .char_indices()
        .chain(std::iter::once((line.len(), ' ')))
    {
        if i < line.len() && is_path_char(c) {
            if start.is_none() {
                start = Some(i);
                before = prev;
            }
        } else if let Some(s) = start.take() {
            let token = line[s..i].trim_end_matches('.');
            if !token.is_empty() {
                out.push((before, token));
            }
        }
        prev = Some(c);
    }
    out
}

/// A web address rather than a path: `https://host/…` (the run starts with `//` after a colon) or
/// `host.tld/…` (a first segment with a dot that is not `.` or `..`).
fn is_web_address(before: Option<char>, token: &str) -> bool {
    if before == Some(':') || token.starts_with("//") {
        return true;
    }
    match token.split_once('/') {
        Some((first, _)) => first.contains('.') && first != "." && first != "..",
        None => token.starts_with("www."),
    }
}

/// `path` with `.` and `..` resolved lexically; `None` when it leaves `root`.
fn normalise(root: &Path, path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out.starts_with(root).then_some(out)
}

/// True when `token` names a file of the repository, from its root or from `dir`.
fn exists(root: &Path, dir: &Path, token: &str) -> bool {
    if token.starts_with('/') {
        return false;
    }
    [root.join(token), dir.join(token)]
        .iter()
        .filter_map(|p| normalise(root, p))
        .any(|p| p.is_file())
}

fn extension(token: &str) -> Option<&str> {
    let name = token.rsplit('/').next()?;
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty()).then_some(ext)
}

/// An upper-case word followed by a section sign: a document cited by a bare name (without `.md`, so
/// the file check cannot look it up), the form documents outside the repository were cited in.
fn bare_document_citations(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in line.match_indices('§') {
        let head = line[..i].trim_end_matches(' ');
        let word: String = head
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let preceded_by_path = head[..head.len() - word.len()].ends_with(['/', '.']);
        if word.len() >= 3
            && word.chars().all(|c| c.is_ascii_uppercase() || c == '_')
            && !preceded_by_path
        {
            out.push(word);
        }
    }
    out
}

/// Every problem found, as `file:line: message`.
fn problems(check_sources: bool) -> Vec<String> {
    let root = repo_root();
    let mut files = Vec::new();
    text_files(&root, &mut files);
    let mut out = Vec::new();
    for file in &files {
        let Ok(text) = fs::read_to_string(file) else {
            continue;
        };
        let dir = file.parent().unwrap();
        let shown = file.strip_prefix(&root).unwrap().display().to_string();
        for (n, line) in text.lines().enumerate() {
            let at = format!("{shown}:{}", n + 1);
            for (before, token) in path_tokens(line) {
                if is_web_address(before, token) {
                    continue;
                }
                let Some(ext) = extension(token) else {
                    continue;
                };
                if !check_sources {
                    if ext == "md" && !exists(&root, dir, token) {
                        out.push(format!(
                            "{at}: names `{token}`, which is not in the repository"
                        ));
                    }
                    continue;
                }
                let relative = token.trim_start_matches("./");
                let top = relative.split('/').next().unwrap_or("");
                if SOURCE_EXTENSIONS.contains(&ext)
                    && relative.contains('/')
                    && TOP_LEVEL.contains(&top)
                    && !exists(&root, dir, token)
                {
                    out.push(format!(
                        "{at}: names `{token}`, which is not in the repository"
                    ));
                }
            }
            if !check_sources {
                for word in bare_document_citations(line) {
                    out.push(format!(
                        "{at}: cites `{word} §…`, a document outside the repository: cite the docs/ page"
                    ));
                }
            }
        }
    }
    out
}

#[test]
fn every_markdown_file_named_in_the_repository_exists() {
    let missing = problems(false);
    assert!(
        missing.is_empty(),
        "{} reference(s) to Markdown documents the repository does not have:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

#[test]
fn every_source_path_named_from_the_root_exists() {
    let missing = problems(true);
    assert!(
        missing.is_empty(),
        "{} reference(s) to files the repository does not have:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

#[test]
fn the_scanner_reads_paths_addresses_and_citations_as_intended() {
    // Built at run time so that this file does not itself name missing documents.
    let md = "md";
    let line = format!("see docs/metrics.{md} §7, (FEES.{md}) and ../shared/X.{md}.");
    let tokens: Vec<&str> = path_tokens(&line).into_iter().map(|(_, t)| t).collect();
    let expected = [
        "see".to_string(),
        format!("docs/metrics.{md}"),
        "7".to_string(),
        format!("FEES.{md}"),
        "and".to_string(),
        format!("../shared/X.{md}"),
    ];
    assert_eq!(tokens, expected);
    let url = format!("https://example.com/a/README.{md}");
    assert!(
        path_tokens(&url)
            .iter()
            .all(|(b, t)| is_web_address(*b, t) || extension(t).is_none())
    );
    assert!(is_web_address(
        None,
        &format!("github.com/owner/repo/README.{md}")
    ));
    assert!(!is_web_address(None, &format!("../shared/X.{md}")));
    let root = repo_root();
    assert!(exists(&root, &root, &format!("README.{md}")));
    assert!(!exists(
        &root,
        &root.join("docs"),
        &format!("../../README.{md}")
    ));
    assert!(!exists(&root, &root, &format!("docs/no-such-page.{md}")));
    let cite = |name: &str, ext: &str| format!("as {name}{ext} {} says", '\u{a7}');
    assert_eq!(bare_document_citations(&cite("ABC", "")), ["ABC"]);
    // With the extension it is a file name, which the first check looks up.
    assert!(bare_document_citations(&cite("ABC", ".md")).is_empty());
    assert!(bare_document_citations(&cite("docs/metrics", ".md")).is_empty());
    assert!(bare_document_citations(&cite("and", "")).is_empty());
}
