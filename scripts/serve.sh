#!/usr/bin/env bash
# Serves the app at http://127.0.0.1:8080/ with live rebuilds. Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH" TRUNK_SKIP_VERSION_CHECK=true

# First start (no trunk or wasm-bindgen yet): build the page while setup.sh compiles the two tools, with the
# very `cargo build` trunk runs, so that trunk then finds it done. Its own process group (set -m), stopped
# if setup fails or is interrupted. A failed build here is left for trunk to report.
prebuild=""
stop_prebuild() { if [ -n "$prebuild" ]; then kill -TERM -- "-$prebuild" 2>/dev/null || true; fi; }
trap stop_prebuild EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if ! command -v trunk >/dev/null || ! command -v wasm-bindgen >/dev/null; then
  if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    prebuild_log=$(mktemp "${TMPDIR:-/tmp}/margin-lab-prebuild.XXXXXX")
    printf '\n== building the page alongside the tool installs (log: %s)\n' "$prebuild_log"
    set -m
    ( if cargo fetch --locked && cargo build --locked --target wasm32-unknown-unknown --bin app; then rc=0; else rc=$?; fi
      echo "$SECONDS" >"$prebuild_log.end"; exit "$rc" ) >"$prebuild_log" 2>&1 </dev/null &
    prebuild=$! prebuild_start=$SECONDS
    set +m
  fi
fi

scripts/setup.sh
cargo fetch --locked

if [ -n "$prebuild" ]; then
  printf '\n== waiting for the page build\n'
  if wait "$prebuild"; then
    printf '   done in %d s\n' $(($(cat "$prebuild_log.end") - prebuild_start))
    rm -f "$prebuild_log" "$prebuild_log.end"
  else
    echo "   it failed; trunk reports why below"
  fi
  prebuild=""
fi
exec trunk serve --address 127.0.0.1 --port "${PORT:-8080}" "$@"
