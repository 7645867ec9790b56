#!/usr/bin/env python3
"""End to end on the same file (issue 20; docs/performance.md "End to end against DuckDB"; run by scripts/bench.sh).

For each Orders export, best of N wall-clock times of:
  * `margin-lab report --json FILE` as a process (reading the file, every figure, the JSON to /dev/null);
  * DuckDB's per-SKU query (duckdb_sku.py's: SUM of units and gross sales, COUNT DISTINCT orders) on a
    connection already open, `SET threads = N` — the query alone;
  * the same query as a process (`python3 -c 'import duckdb; …'`): what an analyst's script costs;
  * the bare `csv` ByteRecord loop over the file's bytes in memory (`margin-lab bench`'s first line): the
    floor of reading any CSV with the `csv` crate, one thread.
and the ratios: DuckDB time / report time (≥ 1.0: the report is faster) and bare-loop time / report time.

usage: end_to_end.py --bin target/native/margin-lab [--threads N] [--runs N] FILE...
"""
import argparse
import os
import subprocess
import sys
import time

import duckdb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from duckdb_sku import QUERY  # noqa: E402


def best(runs, fn):
    t_best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        t_best = min(t_best, time.perf_counter() - t)
    return t_best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    con = duckdb.connect()
    con.execute(f"SET threads = {a.threads}")
    script = (
        "import duckdb, sys\n"
        f"c = duckdb.connect(); c.execute('SET threads = {a.threads}')\n"
        f"c.execute({QUERY!r}, [sys.argv[1]]).fetchall()\n"
    )
    print(f"duckdb {duckdb.__version__}, threads = {a.threads}, best of {a.runs} runs; load {os.getloadavg()[0]:.2f}")
    for path in a.files:
        mb = os.path.getsize(path) / 1e6
        run = lambda argv: subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)  # noqa: E731
        report = best(a.runs, lambda: run([a.bin, "report", "--json", path]))
        query = best(a.runs, lambda: con.execute(QUERY, [path]).fetchall())
        process = best(a.runs, lambda: run([sys.executable, "-c", script, path]))
        out = subprocess.run([a.bin, "bench", "--runs", str(a.runs), "--threads", "1", path],
                             capture_output=True, text=True, check=True).stdout
        bare = next(float(l.split()[-4]) for l in out.splitlines() if "bare csv ByteRecord loop" in l)
        print(f"  {os.path.basename(path)} ({mb:.1f} MB)")
        print(f"    margin-lab report --json (process)   {report:7.3f} s  {mb / report:7.1f} MB/s")
        print(f"    DuckDB query (open connection)        {query:7.3f} s  {mb / query:7.1f} MB/s  ratio {query / report:.2f}")
        print(f"    DuckDB query (python process)         {process:7.3f} s  {mb / process:7.1f} MB/s  ratio {process / report:.2f}")
        print(f"    bare csv loop (in memory, 1 thread)   {bare:7.3f} s  {mb / bare:7.1f} MB/s  ratio {bare / report:.2f}")


if __name__ == "__main__":
    main()
