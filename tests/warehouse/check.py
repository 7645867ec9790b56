"""The warehouse export's proof (docs/warehouse.md): for each case, `margin-lab warehouse` writes the
Parquet tables, DuckDB runs sql/*.sql over them, and every figure of `margin-lab report --json` on the
same files — every shop's totals, SKUs, days, product groups, channels and creators — must equal the
SQL's, value for value (money in the currency's minor unit, ratios to 2 places).

Expected values come from the report, an independent path: the report sums cells in Rust, the SQL sums
the exported lines in DuckDB. Run by scripts/test.sh:
    python tests/warehouse/check.py MARGIN_LAB_BINARY SCRATCH_DIR
"""
import csv
import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
SQL = [ROOT / "sql" / f for f in ("load_duckdb.sql", "macros_duckdb.sql", "figures.sql")]
FIX = ROOT / "tests" / "fixtures"

# Not in the export: buyer IDs never leave memory (docs/warehouse.md).
SKIPPED = {"repeat_purchase_rate"}
# Descriptive columns of an entry, not figures.
LABELS = {"sku_id", "seller_sku", "product_name", "variation", "unit_cost", "date", "channel",
          "product_group", "creator", "content_types", "key"}


def run(binary, *args):
    out = subprocess.run([binary, *args], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"margin-lab {' '.join(args)} failed:\n{out.stderr}")
    return out.stdout


def same(report_value, sql_value):
    if report_value is None or sql_value is None:
        return report_value is None and sql_value is None
    if isinstance(report_value, bool):
        return bool(sql_value) == report_value
    if isinstance(report_value, int):
        return int(sql_value) == report_value
    return Decimal(str(report_value)) == Decimal(str(sql_value))


def rows(con, sql, params):
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def compare(case, shop, what, report_entries, sql_rows, key, problems):
    by_key = {str(r["key"] if "key" in r else r[key]): r for r in sql_rows}
    report_keys = {str(e[key]) for e in report_entries}
    if report_keys != set(by_key):
        problems.append(f"{case}/{shop}/{what}: report has {sorted(report_keys - set(by_key))[:5]} "
                        f"the SQL lacks; SQL has {sorted(set(by_key) - report_keys)[:5]} the report lacks")
    checked = 0
    for e in report_entries:
        r = by_key.get(str(e[key]))
        if r is None:
            continue
        for name, value in e.items():
            if name in LABELS or name in SKIPPED or isinstance(value, (list, dict)):
                continue
            if name not in r:
                problems.append(f"{case}/{shop}/{what}: the SQL has no {name}")
                continue
            checked += 1
            if not same(value, r[name]):
                problems.append(f"{case}/{shop}/{what} {e[key]} {name}: report {value}, SQL {r[name]}")
    return checked


def check_case(binary, scratch, case, args):
    out = scratch / case
    report = json.loads(run(binary, "report", "--json", *args))
    run(binary, "warehouse", "--out", str(out), *args)
    manifest = json.loads((out / "_manifest.json").read_text())
    partition = {s["name"]: s["partition"] for s in manifest["shops"]}
    con = duckdb.connect()
    con.execute(f"SET file_search_path = '{out}'")
    for f in SQL:
        con.execute(f.read_text())
    problems, checked = [], 0
    shops = report["shops"] or [{"name": None, "report": report}]
    if len(shops) != len(manifest["shops"]):
        problems.append(f"{case}: {len(shops)} shops in the report, {len(manifest['shops'])} written")
    for s in shops:
        name = s["name"] if s["name"] is not None else manifest["shops"][0]["name"]
        p = partition[name]
        r = s["report"]
        fig = lambda b: rows(con, "SELECT * FROM ml_figures WHERE shop = ? AND breakdown = ?", [p, b])
        checked += compare(case, name, "totals", [dict(r["totals"], key="")], fig("total"), "key", problems)
        checked += compare(case, name, "skus", r["skus"], fig("sku"), "sku_id", problems)
        checked += compare(case, name, "days", r["days"], fig("day"), "date", problems)
        checked += compare(case, name, "product_groups", r["product_groups"], fig("product_group"),
                           "product_group", problems)
        checked += compare(case, name, "channels", r["channels"], fig("channel"), "channel", problems)
        creators = rows(con, "SELECT *, creator AS key FROM ml_creators WHERE shop = ?", [p])
        checked += compare(case, name, "creators", r["creators"], creators, "creator", problems)
        # Per day, the creators add up to the creators' figures (their money is additive over days).
        off = con.execute(
            "SELECT count(*) FROM (SELECT creator, sum(net_revenue) AS nr, sum(cm) AS cm FROM ml_creators_daily "
            "WHERE shop = ? GROUP BY creator) d JOIN (SELECT creator, sum(c.net_revenue) AS nr, "
            "sum(c.cm1) - sum(c.affiliate_commission) AS cm FROM ml_creator_lines c WHERE shop = ? AND in_creator_figures "
            "GROUP BY creator) w USING (creator) WHERE d.nr <> w.nr OR d.cm <> w.cm", [p, p]).fetchone()[0]
        if off:
            problems.append(f"{case}/{name}: {off} creators' days do not add up to the creator")
        # The lines add up to the cells: the daily table is the lines grouped.
        diff = con.execute(
            "SELECT count(*) FROM (SELECT sku_id, order_date AS day, channel, sum(cm2) AS cm2, "
            "sum(net_profit) AS np, count(*) AS n FROM ml_lines WHERE shop = ? GROUP BY ALL) l "
            "FULL JOIN (SELECT * FROM ml_daily WHERE shop = ?) d USING (sku_id, day, channel) "
            "WHERE l.cm2 IS DISTINCT FROM d.cm2 OR l.np IS DISTINCT FROM d.net_profit "
            "OR l.n IS DISTINCT FROM d.lines", [p, p]).fetchone()[0]
        if diff:
            problems.append(f"{case}/{name}: {diff} daily cells differ from their lines' sums")
    print(f"{case}: {len(shops)} shops, {checked} figures equal the report")
    if checked == 0:
        problems.append(f"{case}: nothing was compared")
    return problems


def generated_shops(binary, scratch):
    """Three shops as directories (two US, one UK with VAT), each with Orders, Affiliate and costs."""
    base = scratch / "generated"
    for k, market in ((1, "us"), (2, "uk"), (3, "us")):
        d = base / f"shop {k}"
        d.mkdir(parents=True, exist_ok=True)
        orders = d / "orders.csv"
        run(binary, "generate", "orders", "--market", market, "--shop", str(k), "--seed", str(k),
            "--orders", "1500", "--days", "45", "--out", str(orders))
        run(binary, "generate", "affiliate", "--market", market, "--from-orders", str(orders),
            "--seed", str(k), "--out", str(d / "affiliate.csv"))
        run(binary, "generate", "costs", "--market", market, "--shop", str(k), "--out", str(d / "costs.csv"))
    return [str(base / f"shop {k}") for k in (1, 2, 3)]


AMOUNT_COLUMNS = ("SKU Unit Original Price", "SKU Subtotal Before Discount", "SKU Platform Discount",
                  "SKU Seller Discount", "SKU Subtotal After Discount", "Shipping Fee After Discount",
                  "Original Shipping Fee", "Shipping Fee Seller Discount", "Co-Funded Shipping Fee Discount",
                  "Shipping Fee Platform Discount", "Payment platform discount", "Retail Delivery Fee", "Taxes",
                  "Order Amount", "Order Refund Amount")


def foreign_currency(src, dst, code, factor):
    """A generated US Orders export as another market's: every amount × factor, written `123 VND` as VN
    exports write them (docs/formats.md). VND's fee bases carry 14 decimal places; IDR × 10^8 makes totals past
    10^12, where DuckDB's own DECIMAL arithmetic would overflow a naive unscaling."""
    with open(src, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    cols = [i for i, h in enumerate(header) if h.strip() in AMOUNT_COLUMNS]
    with open(dst, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        for r in rows[1:]:
            for i in cols:
                if i < len(r) and r[i].strip():
                    r[i] = f"{(Decimal(r[i].strip()) * factor).normalize():f} {code}"
            w.writerow(r)
    return str(dst)


def rerun_and_collisions(binary, scratch, tiktok, costs):
    """Re-running replaces a shop's partitions (a month that now has no row loses its old file), a shop
    written alone later never touches another shop's files, and names that differ only in characters a
    directory cannot hold get their own partitions."""
    problems = []
    base = scratch / "names"
    for name, market in (("us shop", "us"), ("us_shop", "uk")):
        d = base / name
        d.mkdir(parents=True, exist_ok=True)
        for kind in ("orders_2026-05-17.csv", "affiliate_orders_2026-05.csv"):
            shutil.copy(tiktok / f"{market}_{kind}", d / kind)
    out = scratch / "names_out"
    both = ["--costs", costs, str(base / "us shop"), str(base / "us_shop")]
    run(binary, "warehouse", "--out", str(out), *both)
    # us_shop again alone, without its Affiliate export: its creators must be gone, the other shop untouched.
    (base / "us_shop" / "affiliate_orders_2026-05.csv").unlink()
    run(binary, "warehouse", "--out", str(out), "--shop", "us_shop", *both)
    report = json.loads(run(binary, "report", "--json", *both))
    con = duckdb.connect()
    con.execute(f"SET file_search_path = '{out}'")
    for f in SQL:
        con.execute(f.read_text())
    names = dict(con.execute("SELECT name, shop FROM ml_shops").fetchall())
    if sorted(names) != ["us shop", "us_shop"] or len(set(names.values())) != 2:
        problems.append(f"names: shops table {names}")
        return problems
    for s in report["shops"]:
        p = names[s["name"]]
        got = con.execute("SELECT gmv, orders FROM ml_figures WHERE shop = ? AND breakdown = 'total'", [p]).fetchone()
        want = (Decimal(s["report"]["totals"]["gmv"]), s["report"]["totals"]["orders"])
        if got is None or (Decimal(got[0]), got[1]) != want:
            problems.append(f"names: {s['name']} totals {got} in SQL, {want} in the report")
        creators = con.execute("SELECT count(*) FROM ml_creators WHERE shop = ?", [p]).fetchone()[0]
        if creators != len(s["report"]["creators"]):
            problems.append(f"names: {s['name']} has {creators} creators in SQL, {len(s['report']['creators'])} in the report")
    print(f"rerun and names: {len(report['shops'])} shops checked after a partial re-run")
    return problems


def settings_with_allocations(scratch):
    """Fulfilment, shipping and overhead, dated other marketing, manual per-SKU ad spend and custom
    costs of every kind: every allocation of docs/metrics.md §3 reaches the lines."""
    s = {
        "version": 1,
        "fulfillment_per_unit": "1.25",
        "shipping_per_order": "4.00",
        "overhead_per_month": "3100",
        "restock_rate": "0.4",
        "return_shipping_per_unit": "2.10",
        "sample_shipping_per_unit": "3.33",
        "other_marketing": [
            {"date": "2026-05-15", "amount": "120.00", "label": "agency retainer"},
            {"date": "2026-05-16", "amount": "33.33", "label": "boosted post"},
        ],
        "custom_costs": [
            {"name": "Software", "layer": "overhead", "kind": "monthly", "amount": "299.99"},
            {"name": "Agency fee", "layer": "marketing", "kind": "percent", "percent": "7.5", "of": "net_sales"},
            {"name": "Photos", "layer": "marketing", "kind": "one_time", "amount": "450", "date": "2026-05-16"},
        ],
    }
    p = scratch / "settings_allocations.json"
    p.write_text(json.dumps(s))
    return str(p)


def main():
    binary, scratch = sys.argv[1], Path(sys.argv[2])
    scratch.mkdir(parents=True, exist_ok=True)
    tiktok = FIX / "tiktok"
    costs = str(FIX / "costs_for_fixtures.csv")
    generated = generated_shops(binary, scratch)
    first_orders = Path(generated[0]) / "orders.csv"
    sku = next(iter(json.loads(run(binary, "report", "--json", str(first_orders)))["skus"]))["sku_id"]
    gen_settings = scratch / "settings_generated.json"
    gen_settings.write_text(json.dumps({
        "version": 1, "overhead_per_month": "5000", "fulfillment_per_order": "0.85",
        "ad_spend_per_sku": [[sku, "777.77"]],
    }))
    gen_settings_foreign = scratch / "settings_foreign.json"
    gen_settings_foreign.write_text(json.dumps({
        "version": 1, "overhead_per_month": "125000000", "shipping_per_order": "15000",
        "markets": [{"currency": "VND", "market": "VN"}, {"currency": "IDR", "market": "ID"}],
    }))
    cases = {
        "us_fixtures_costs": ["--costs", costs, str(tiktok / "us_orders_2026-05-17.csv"),
                              str(tiktok / "us_affiliate_orders_2026-05.csv")],
        "uk_fixtures_vat_allocations": ["--costs", costs, "--settings", settings_with_allocations(scratch),
                                        str(tiktok / "uk_orders_2026-05-17.csv"),
                                        str(tiktok / "uk_affiliate_orders_2026-05.csv")],
        "us_and_uk_shops_one_period": ["--costs", costs, "--from", "2026-05-16", "--to", "2026-05-17",
                                       *[str(p) for p in sorted(tiktok.glob("*.csv"))]],
        "handmade_cash_finance": ["--settings", str(FIX / "handmade" / "cash" / "settings.json"),
                                  *[str(p) for p in sorted((FIX / "handmade" / "cash").glob("*.csv"))]],
        "handmade_ads_costs_sheet": [str(FIX / "handmade" / "orders_us_orderskulist.xlsx"),
                                     str(FIX / "handmade" / "ads_manager_cost.xlsx"),
                                     str(FIX / "handmade" / "costs_sheet.xlsx")],
        "generated_three_shops": ["--settings", str(gen_settings), *generated],
        # A VND shop (no minor unit; fee bases with 14 places) and an IDR shop whose totals pass 10^12.
        "vnd_shop_with_allocations": ["--settings", str(gen_settings_foreign),
                                      foreign_currency(first_orders, scratch / "vnd_orders.csv", "VND", 25000)],
        "idr_shop_past_10_to_the_12": [foreign_currency(first_orders, scratch / "idr_orders.csv", "IDR",
                                                        100000000)],
        # No order line at all (a finance export alone, IDR: no minor unit): the totals are still there, zero.
        "finance_only_idr": [str(FIX / "finance" / "id_finance_income_20260317001253.xlsx")],
    }
    problems = []
    for case, args in cases.items():
        problems += check_case(binary, scratch, case, args)
    problems += rerun_and_collisions(binary, scratch, tiktok, costs)
    # Idempotent per partition: writing the same shop again replaces its files, byte for byte.
    again = scratch / "us_fixtures_costs_again"
    for target in (again, again):
        run(binary, "warehouse", "--out", str(target), *cases["us_fixtures_costs"])
    first = sorted(p.relative_to(scratch / "us_fixtures_costs") for p in (scratch / "us_fixtures_costs").rglob("*.parquet"))
    second = sorted(p.relative_to(again) for p in again.rglob("*.parquet"))
    if first != second or any((scratch / "us_fixtures_costs" / f).read_bytes() != (again / f).read_bytes() for f in first):
        problems.append("writing the same files twice did not give the same Parquet files")
    if problems:
        print("\n".join(problems[:60]))
        sys.exit(f"{len(problems)} differences between the report and the warehouse SQL")
    print("warehouse SQL equals the report in every case")


if __name__ == "__main__":
    main()
