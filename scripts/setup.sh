#!/usr/bin/env bash
# Installs what building and testing Margin Lab needs, from package registries only (crates, npm, Debian).
# Idempotent: every step is skipped when its tool is already there at the right version.
#   scripts/setup.sh          build tools (wasm32 target, trunk, wasm-bindgen CLI, wasm-opt)
#   scripts/setup.sh --test   the same, plus Debian's chromium and chromium-driver for the browser tests
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14   # 0.22 needs a newer rustc than 1.95 (docs/stack.md §1)
# The wasm-bindgen CLI must equal the wasm-bindgen crate exactly, or trunk tries to download one.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

step() { printf '\n== %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION\$"; then
  step "installing trunk $TRUNK_VERSION (a few minutes, once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then
  step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  # Its published lock file names a webpki-roots the registry mirror may not serve yet; fall back to
  # resolving the CLI's dependencies afresh (the CLI version itself stays exact).
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --locked \
    || cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  step "installing Node.js and npm (Debian)"
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
fi

# wasm-opt from npm binaryen 132 (Debian's binaryen 108 cannot read today's rustc output), and
# playwright-core for the browser tests. Reinstalled only when package-lock.json changed.
if [ ! -x node_modules/.bin/wasm-opt ] || [ package-lock.json -nt node_modules/.installed ]; then
  step "installing npm tools (binaryen, playwright-core)"
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules/.installed
fi

if [ "${1:-}" = "--test" ]; then
  # DuckDB for the warehouse proof (tests/warehouse/check.py), from PyPI into a venv of its own.
  DUCKDB_VERSION=2.0.1
  if ! .venv-warehouse/bin/python -c "import duckdb, sys; sys.exit(duckdb.__version__ != '$DUCKDB_VERSION')" 2>/dev/null; then
    step "installing duckdb $DUCKDB_VERSION (PyPI) into .venv-warehouse"
    if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c "import ensurepip" 2>/dev/null; then
      as_root apt-get update -qq
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv
    fi
    rm -rf .venv-warehouse
    python3 -m venv .venv-warehouse
    .venv-warehouse/bin/pip install --quiet --disable-pip-version-check "duckdb==$DUCKDB_VERSION"
  fi
  if [ -n "${CHROMIUM:-}" ] && [ -x "${CHROMIUM}" ]; then
    : # a browser given by the caller (e.g. Google Chrome on GitHub's runners)
  elif ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    step "installing Debian's chromium and chromium-driver"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
  fi
fi
