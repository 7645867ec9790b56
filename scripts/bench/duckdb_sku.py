#!/usr/bin/env python3
"""DuckDB on the same Orders export, for the comparison in docs/performance.md (run by scripts/bench.sh).

Per SKU ID: SUM(Quantity), SUM(SKU Subtotal Before Discount - SKU Seller Discount) (gross sales, the
base of GMV) and COUNT(DISTINCT Order ID), with `SET threads = N` (2 on the project's machine).

This is a SUBSET of what `margin-lab` computes for the same file: Margin Lab also types and checks
every row (statuses, six timestamps, dates decided per file, currency), classifies lines (unpaid,
samples, cancellations, returns), de-duplicates order lines, models fees per line and groups by day,
channel and product group. DuckDB's figure is the cost of parsing the CSV and one GROUP BY.

usage: duckdb_sku.py [--threads N] [--runs N] FILE...
prints one line per file: name, MB, best seconds, MB/s, rows/s, SKUs found.
"""
import argparse
import os
import time

import duckdb

QUERY = """
SELECT trim("SKU ID", chr(9) || ' ') AS sku,
       SUM("Quantity") AS units,
       SUM("SKU Subtotal Before Discount" - "SKU Seller Discount") AS gross_sales,
       COUNT(DISTINCT "Order ID") AS orders
FROM read_csv(?, header = true, quote = '"', escape = '"',
              types = {'Order ID': 'VARCHAR', 'SKU ID': 'VARCHAR', 'Quantity': 'BIGINT',
                       'SKU Subtotal Before Discount': 'DECIMAL(18,2)',
                       'SKU Seller Discount': 'DECIMAL(18,2)'})
GROUP BY 1
ORDER BY 1
"""

ROWS = """SELECT count(*) FROM read_csv(?, header = true, quote = '"', escape = '"', all_varchar = true)"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    con = duckdb.connect()
    con.execute(f"SET threads = {args.threads}")
    print(f"duckdb {duckdb.__version__}, threads = {args.threads}, best of {args.runs} runs")
    for path in args.files:
        mb = os.path.getsize(path) / 1e6
        rows = con.execute(ROWS, [path]).fetchone()[0]
        best = float("inf")
        result = []
        for _ in range(args.runs):
            t = time.perf_counter()
            result = con.execute(QUERY, [path]).fetchall()
            best = min(best, time.perf_counter() - t)
        print(
            f"  {os.path.basename(path):<40} {mb:8.1f} MB {best:8.3f} s {mb / best:9.1f} MB/s "
            f"{rows / best:11.0f} rows/s  {len(result)} SKUs"
        )


if __name__ == "__main__":
    main()
