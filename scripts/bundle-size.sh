#!/usr/bin/env bash
# Fails when the page's wasm + JS + CSS exceed the gzip budget (issue 7: 500 KB). Demo data is not counted:
# it is fetched only when the user asks for it.
set -euo pipefail
DIST="${1:-dist}"
BUDGET=$((500 * 1024))
total=0
for f in "$DIST"/*.wasm "$DIST"/*.js "$DIST"/*.css; do
  [ -e "$f" ] || continue
  size=$(gzip -9 -c "$f" | wc -c)
  printf '  %-40s %8d bytes raw %8d gzip\n' "$(basename "$f")" "$(wc -c < "$f")" "$size"
  total=$((total + size))
done
printf '  total gzip: %d bytes (budget %d)\n' "$total" "$BUDGET"
if [ "$total" -gt "$BUDGET" ]; then
  echo "bundle over budget by $((total - BUDGET)) bytes" >&2
  exit 1
fi
