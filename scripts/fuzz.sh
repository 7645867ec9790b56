#!/usr/bin/env bash
# Fuzzes the engine's readers with cargo-fuzz (libFuzzer), on stable Rust: cargo-fuzz passes nightly-only
# flags (-Zsanitizer, -Cpasses=sancov-module…), which RUSTC_BOOTSTRAP=1 lets stable rustc accept. Installs
# cargo-fuzz first if it is missing (from the crate registry).
#
#   scripts/fuzz.sh                    every target for 600 s each, one after another
#   scripts/fuzz.sh 60 orders xlsx     these targets, 60 s each
#   FUZZ_PARALLEL=2 scripts/fuzz.sh    two targets at a time (one core each)
#
# Each target starts from fuzz/regressions/<target>/ (committed seeds and past crashes, read only) and grows
# fuzz/corpus/<target>/ (not committed). A crash is written to fuzz/artifacts/<target>/; copy it into
# fuzz/regressions/<target>/, fix the bug, and `cargo test -p margin-engine --test fuzz_regressions` replays it
# on stable without nightly flags. Logs: fuzz/logs/<target>.log; a summary table is printed at the end.
# The sanitizer is "none" unless FUZZ_SANITIZER=address: the engine forbids unsafe code, so AddressSanitizer
# finds little more than the panics and overflow checks (on in these builds) already do, at ~3/4 the speed.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH" RUSTC_BOOTSTRAP=1

SECONDS_EACH=${1:-600}
shift || true
if ! cargo fuzz --version >/dev/null 2>&1; then
  printf '== installing cargo-fuzz (a minute, once)\n'
  cargo install cargo-fuzz --locked
fi
if [ "$#" -gt 0 ]; then TARGETS=("$@"); else mapfile -t TARGETS < <(cargo fuzz list --fuzz-dir fuzz); fi
PARALLEL=${FUZZ_PARALLEL:-1}
SANITIZER=${FUZZ_SANITIZER:-none}

printf '== building %s target(s)\n' "${#TARGETS[@]}"
cargo fuzz build -s "$SANITIZER" --fuzz-dir fuzz

mkdir -p fuzz/logs
run() {
  local t=$1
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t" "fuzz/regressions/$t"
  printf '== %s: %s s\n' "$t" "$SECONDS_EACH"
  local start=$SECONDS
  # -timeout: an input taking over 10 s is a hang; -rss_limit_mb: over 2 GiB is a memory blow-up.
  cargo fuzz run -s "$SANITIZER" --fuzz-dir fuzz "$t" "fuzz/corpus/$t" "fuzz/regressions/$t" -- \
    -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="fuzz/artifacts/$t/" >"fuzz/logs/$t.log" 2>&1 || true
  echo $((SECONDS - start)) >"fuzz/logs/$t.seconds"
}
i=0
for t in "${TARGETS[@]}"; do
  run "$t" &
  i=$((i + 1))
  if [ $((i % PARALLEL)) -eq 0 ]; then wait; fi
done
wait

printf '\n| target | seconds | execs | execs/s | corpus (files) | crashes |\n|---|---|---|---|---|---|\n'
status=0
for t in "${TARGETS[@]}"; do
  log="fuzz/logs/$t.log"
  # The final stats, or after a crash the last status line ("#123456 ...").
  execs=$(awk '/stat::number_of_executed_units/ { print $NF }' "$log" | tail -1)
  [ -n "$execs" ] || execs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
  secs=$(cat "fuzz/logs/$t.seconds" 2>/dev/null || true)
  corpus=$(find "fuzz/corpus/$t" -type f | wc -l)
  crashes=$(find "fuzz/artifacts/$t" -type f \( -name 'crash-*' -o -name 'oom-*' -o -name 'timeout-*' \) | wc -l)
  [ "$crashes" -eq 0 ] || status=1
  rate=$([ -n "$secs" ] && [ "$secs" -gt 0 ] && echo $((${execs:-0} / secs)) || echo "?")
  printf '| %s | %s | %s | %s | %s | %s |\n' "$t" "${secs:-?}" "${execs:-?}" "$rate" "$corpus" "$crashes"
done
exit "$status"
