#!/usr/bin/env bash
# Serves the app at http://127.0.0.1:8080/ with live rebuilds. Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$PWD/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH" TRUNK_SKIP_VERSION_CHECK=true
cargo fetch --locked
exec trunk serve --address 127.0.0.1 --port "${PORT:-8080}" "$@"
