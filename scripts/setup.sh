#!/usr/bin/env bash
# Installs what building and testing Margin Lab needs, from package registries only (crates, npm, Debian).
# Idempotent: every step is skipped when its tool is already there at the right version.
#   scripts/setup.sh          build tools (wasm32 target, trunk, wasm-bindgen CLI, wasm-opt)
#   scripts/setup.sh --test   the same, plus DuckDB (PyPI) and Debian's chromium and chromium-driver for the tests
# On a fresh machine trunk and wasm-bindgen-cli are compiled from crates.io source, both at once in the
# background (logs in a temporary folder, printed if a build fails), while npm, PyPI and apt install in the
# foreground. docs/performance.md "First start on a fresh machine" has the figures.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14   # 0.22 needs a newer rustc than 1.95 (docs/stack.md §1)
# The wasm-bindgen CLI must equal the wasm-bindgen crate exactly, or trunk tries to download one.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

step() { printf '\n== %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# The two CLIs are build tools, not shipped code: they are compiled to build fast rather than to run fastest.
# trunk's own release profile (fat LTO, one codegen unit) is overridden for these commands only; trunk
# at opt-level 0 builds in about half the CPU time of opt-level 1 and runs as fast where it matters (it
# spends its time hashing files for SRI, so sha2 and seahash stay optimised); wasm-bindgen at opt-level 1
# runs as fast as at 3 on the page's wasm (opt-level 0 would make it 3-4× slower). Neither needs TLS here: trunk
# runs offline (Trunk.toml) and the wasm-bindgen CLI downloads nothing, so their default rustls features
# are left out. Measured in docs/performance.md "First start on a fresh machine".
FAST_BUILD=(--config profile.release.lto=false --config profile.release.codegen-units=16
            --config profile.release.debug=false)
TRUNK_BUILD=("${FAST_BUILD[@]}" --config profile.release.opt-level=0
             --config profile.release.package.sha2.opt-level=3 --config profile.release.package.seahash.opt-level=3)
WASM_BINDGEN_BUILD=("${FAST_BUILD[@]}" --config profile.release.opt-level=1)
# Each install gets cargo's own temporary target dir (a shared CARGO_TARGET_DIR would serialise them).
cargo_install() { env -u CARGO_TARGET_DIR -u CARGO_BUILD_TARGET_DIR cargo install "$@"; }

install_trunk() {
  cargo_install "${TRUNK_BUILD[@]}" trunk --version "$TRUNK_VERSION" --locked --no-default-features
}
install_wasm_bindgen() {
  # Its published lock file names a webpki-roots the registry mirror may not serve yet; fall back to
  # resolving the CLI's dependencies afresh (the CLI version itself stays exact).
  cargo_install "${WASM_BINDGEN_BUILD[@]}" wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --locked --no-default-features \
    || { echo "(retrying without --locked)"; \
         cargo_install "${WASM_BINDGEN_BUILD[@]}" wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --no-default-features; }
}

# Background jobs, each in a process group of its own (job control on while starting them), so that a
# failing or interrupted setup stops a whole build, compilers included. All are waited for at the end.
bg_pids=() bg_names=() bg_logs=() bg_start=() log_dir=""
in_background() {  # in_background LOG_NAME "what it does" COMMAND...
  [ -n "$log_dir" ] || log_dir=$(mktemp -d "${TMPDIR:-/tmp}/margin-lab-setup.XXXXXX")
  local log="$log_dir/$1.log" name=$2; shift 2
  step "$name, in the background (log: $log)"
  set -m
  ( if "$@"; then rc=0; else rc=$?; fi; echo "$SECONDS" >"$log.end"; exit "$rc" ) >"$log" 2>&1 </dev/null &
  bg_pids+=("$!") bg_names+=("$name") bg_logs+=("$log") bg_start+=("$SECONDS")
  set +m
}
stop_background() {
  local pid
  for pid in "${bg_pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
}
wait_background() {
  local i failed=0
  for i in "${!bg_pids[@]}"; do
    if wait "${bg_pids[$i]}"; then
      printf '   done in %d s: %s\n' "$(($(cat "${bg_logs[$i]}.end") - bg_start[i]))" "${bg_names[$i]}"
    else
      printf '\n== FAILED: %s. The end of its log, %s:\n' "${bg_names[$i]}" "${bg_logs[$i]}" >&2
      tail -n 40 "${bg_logs[$i]}" | sed 's/^/   /' >&2
      failed=1
    fi
  done
  bg_pids=()
  if [ "$failed" = 1 ]; then exit 1; fi
  rm -rf "$log_dir"
}
trap stop_background EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION\$"; then
  in_background trunk "installing trunk $TRUNK_VERSION (cargo install, a few minutes, once)" install_trunk
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then
  in_background wasm-bindgen-cli "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (cargo install, a few minutes, once)" install_wasm_bindgen
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

if [ "${#bg_pids[@]}" -gt 0 ]; then
  step "waiting for the cargo installs"
  wait_background
fi
