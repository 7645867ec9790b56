#!/usr/bin/env bash
# Runs every test: formatting, lints, engine and CLI tests, the release build with its size budget, and
# the end-to-end tests of the built page in headless Chromium. Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
# Each step's header says when it started and how long the one before took, so CI logs show where the
# time goes (docs/performance.md "First start on a fresh machine").
last=$SECONDS
clock() { printf '%d:%02d' $(($1 / 60)) $(($1 % 60)); }
step() {
  printf '\n== %s   [at %s; previous step %d s]\n' "$*" "$(clock "$SECONDS")" $((SECONDS - last))
  last=$SECONDS
}

step "setup (scripts/setup.sh --test)"
scripts/setup.sh --test
export PATH="$PWD/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH" TRUNK_SKIP_VERSION_CHECK=true

step "cargo fmt --check"
cargo fmt --all --check

step "clippy (native, every crate and target)"
cargo clippy --locked --workspace --all-targets -- -D warnings

step "clippy (the page, for wasm32)"
cargo clippy --locked -p margin-lab-app --target wasm32-unknown-unknown -- -D warnings

step "engine and CLI tests"
cargo test --locked --workspace

step "warehouse export: DuckDB's SQL over the Parquet equals the report (tests/warehouse/check.py)"
rm -rf target/warehouse-check
.venv-warehouse/bin/python tests/warehouse/check.py "$PWD/target/debug/margin-lab" "$PWD/target/warehouse-check"

step "release build of the page (served under /margin-lab/, as on GitHub Pages)"
cargo fetch --locked
trunk build --release --public-url /margin-lab/

step "bundle budget"
scripts/bundle-size.sh dist

step "end-to-end tests in headless Chromium"
MARGIN_LAB_BIN="$PWD/target/debug/margin-lab" node --test --test-concurrency=1 tests/e2e/

printf '\nAll tests passed in %s (last step %d s).\n' "$(clock "$SECONDS")" $((SECONDS - last))
