#!/usr/bin/env bash
# Native throughput benchmarks — not part of the tests (scripts/test.sh never runs this).
#
#   scripts/bench.sh [--big] [--runs N] [--browser]
#
# --browser: then also the in-browser benchmarks (a release build of the page, then
# scripts/bench-browser/run.mjs: import vs Papa Parse and interaction speed; with --big, 1 GB in a tab).
#
# Builds the CLI with the `native` profile (release at opt-level 3), writes deterministic generated
# exports into target/bench-data (US Orders of 10 MB and 100 MB, with --big also 1 GB, plus an Affiliate
# orders export joined to each), runs `margin-lab bench` on them, then DuckDB (PyPI `duckdb`, installed
# into target/bench-venv) with `read_csv` + GROUP BY per SKU on the same Orders files, and prints a
# summary table; then end to end on real-row files (a real export repeated under fresh Order IDs,
# `margin-lab generate repeat`): the report as a process against DuckDB (scripts/bench/end_to_end.py).
# Figures are best-of-N wall-clock times; on a shared machine run it more than once.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

big=0
runs=5
browser=0
while [ $# -gt 0 ]; do
  case "$1" in
    --big) big=1 ;;
    --runs) runs="$2"; shift ;;
    --browser) browser=1 ;;
    *) echo "usage: scripts/bench.sh [--big] [--runs N] [--browser]" >&2; exit 1 ;;
  esac
  shift
done

threads=$(nproc)
cargo build --profile native -p margin-lab-cli
bin=target/native/margin-lab
data=target/bench-data
mkdir -p "$data"
sizes=(10MB 100MB)
[ "$big" = 1 ] && sizes+=(1GB)

# Generated files are deterministic (seeds fixed); they are written again when the binary is newer.
for s in "${sizes[@]}"; do
  orders="$data/us_orders_$s.csv"
  if [ ! -s "$orders" ] || [ "$bin" -nt "$orders" ]; then
    echo "generating $orders"
    "$bin" generate orders --market us --seed 1 --days 60 --size "$s" --out "$orders"
    "$bin" generate affiliate --market us --seed 2 --from-orders "$orders" --out "$data/us_affiliate_$s.csv"
  fi
done

venv=target/bench-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import duckdb' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet duckdb
fi

summary=()
for s in "${sizes[@]}"; do
  orders="$data/us_orders_$s.csv"
  aff="$data/us_affiliate_$s.csv"
  echo
  echo "== $s: Orders export =="
  out=$("$bin" bench --runs "$runs" --threads "$threads" "$orders")
  echo "$out"
  echo "== $s: Affiliate orders export (importer alone) =="
  "$bin" bench --runs "$runs" --threads "$threads" "$aff" | grep -E "records|stage|bare|import:"
  echo "== $s: DuckDB, same Orders export =="
  duck=$("$venv/bin/python" scripts/bench/duckdb_sku.py --threads "$threads" --runs "$runs" "$orders")
  echo "$duck"
  # MB/s columns: bare loop, import + aggregation on 1 and N threads, full report JSON on N, DuckDB.
  col() { echo "$out" | grep -F "$1" | head -1 | awk '{print $(NF-2), $NF}'; }
  read -r bare _ <<<"$(col 'bare csv ByteRecord loop')"
  read -r agg1 r1 <<<"$(col 'import + aggregation, 1 thread')"
  read -r aggn rn <<<"$(col "import + aggregation, $threads threads")"
  read -r json rj <<<"$(col "full report (JSON), $threads threads")"
  duckmbs=$(echo "$duck" | tail -1 | awk '{for (i = 1; i <= NF; i++) if ($i == "MB/s") print $(i-1)}')
  summary+=("$(printf '%-6s %10s %10s %6s %10s %6s %10s %6s %10s' "$s" "$bare" "$agg1" "$r1" "$aggn" "$rn" "$json" "$rj" "$duckmbs")")
done

echo
echo "Summary (MB/s; × = share of the bare csv loop's throughput; $threads threads; best of $runs)"
printf '%-6s %10s %10s %6s %10s %6s %10s %6s %10s\n' size "bare loop" "imp+agg 1" "×" "imp+agg $threads" "×" "report $threads" "×" DuckDB
for line in "${summary[@]}"; do echo "$line"; done

# End to end on real rows (issue 20): a real US Orders export (tests/fixtures) repeated under fresh Order
# IDs to 200 MB (and 1 GB with --big) — real rows are wider and quirkier than generated ones. The report as a
# process against DuckDB's per-SKU query (on an open connection, and as a Python process) and the bare loop.
real=(200MB)
[ "$big" = 1 ] && real+=(1GB)
real_files=()
for s in "${real[@]}"; do
  f="$data/us_real_$s.csv"
  if [ ! -s "$f" ] || [ "$bin" -nt "$f" ]; then
    echo "generating $f"
    "$bin" generate repeat --from tests/fixtures/tiktok/us_orders_2026-05-17.csv --size "$s" --out "$f"
  fi
  real_files+=("$f")
done
echo
echo "== End to end on real rows: margin-lab report --json vs DuckDB =="
"$venv/bin/python" scripts/bench/end_to_end.py --bin "$bin" --threads "$threads" --runs "$runs" "${real_files[@]}"

if [ "$browser" = 1 ]; then
  echo
  echo "== In the browser (headless Chromium) =="
  scripts/setup.sh --test
  export PATH="$PWD/node_modules/.bin:$PATH"
  trunk build --release --public-url /margin-lab/
  MARGIN_LAB_BIN="$PWD/$bin" node scripts/bench-browser/run.mjs
  if [ "$big" = 1 ]; then
    MARGIN_LAB_BIN="$PWD/$bin" node scripts/bench-browser/run.mjs --gb
  fi
fi
