#!/usr/bin/env python3
"""Writes the seed inputs of every fuzz target into fuzz/regressions/<target>/seed-*, from the repository's
fixtures (small excerpts only). The inputs follow fuzz/harness.rs: for the header targets the first byte
chooses the header and the overrides (0x00 = the first header, none forced) and the rest are rows; for xlsx,
worksheet XML NUL shared strings NUL workbook XML. Run from anywhere: python3 fuzz/make_seeds.py"""
import io, zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "fuzz" / "regressions"
FIX = ROOT / "tests" / "fixtures"


def w(target, name, data):
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    (d / f"seed-{name}").write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


def s(prefix, text):
    return prefix + text.encode("utf-8")


def rows(path, n, skip=1):
    lines = path.read_bytes().split(b"\n")
    return b"\n".join(lines[skip:skip + n]) + b"\n"


# read_any: whole small files, as dropped.
for p in sorted((FIX / "bad").iterdir()):
    if p.suffix in (".csv", ".xlsx") and p.stat().st_size < 8192:
        w("read_any", p.name, p.read_bytes())
for p in sorted((FIX / "handmade").glob("*.xlsx")):
    w("read_any", p.name, p.read_bytes())
# Known exports Margin Lab refuses by name (import::SIGNATURES' unread entries).
for p in sorted((FIX / "analytics").iterdir()):
    if p.suffix in (".csv", ".xlsx") and p.stat().st_size < 16384:
        w("read_any", "analytics_" + p.name, p.read_bytes())
w("read_any", "us_orders_head.csv", rows(FIX / "tiktok" / "us_orders_2026-05-17.csv", 12, 0))
w("read_any", "uk_affiliate_head.csv", rows(FIX / "tiktok" / "uk_affiliate_orders_2026-05.csv", 8, 0))

# orders: header 0 = US, 1 = UK (first byte 0x10), 2 = minimal (0x20).
w("orders", "us", b"\x00" + rows(FIX / "tiktok" / "us_orders_2026-05-17.csv", 12))
w("orders", "uk", b"\x10" + rows(FIX / "tiktok" / "uk_orders_2026-05-17.csv", 12))
w("orders", "minimal_day_first_gbp", b"\x26" + b"576000000000000001,Shipped,1,2,20.00,1.50,17/05/2026 21:00:00,17/05/2026 21:00:05\n"
  b"576000000000000002,Cancelled,2,1,GBP 9.99,0,18/05/2026 08:00:00,\n")

w("affiliate", "us", b"\x00" + rows(FIX / "tiktok" / "us_affiliate_orders_2026-05.csv", 10))
w("affiliate", "uk", b"\x10" + rows(FIX / "tiktok" / "uk_affiliate_orders_2026-05.csv", 10))

w("finance", "income", s(b"\x00",
    "578012345678901234,Order,2026/05/10,2026/05/17,PHP,850.36,1100,1100,1200,-100,0,0,0,-249.64,-24.64,-55,-60,-150,-110,0,0,0,0,,1140\n"
    "7301234567890123456,GMV Payment for TikTok Ads,2026/05/15,2026/05/17,PHP,-300,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,-300,,0\n"
    "7301234567890123457,Violation fee （settlement fee）,2026/05/16,2026/05/17,PHP,-50,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,-50,578012345678901234,0\n"))
w("finance", "statement", s(b"\x10",
    "577000000000000001,1729000000000000001,Tea,Tea,30.00,-6.10,23.90,2,2026/05/01,2026/05/09,Completed,,34.00,-4.00,0,0,-3.00,0,-1.80,0,-0.60,-0.10,-5.00\n"))
w("finance", "adjustment", s(b"\x20", "ADJ1,Logistics reimbursement,577000000000000001,2026/05/02,2026/05/09,4.50,USD\n"))
w("finance", "onhold", s(b"\x30", "Order,577000000000000002,,2026/05/12,18.20,2026/05/20,Delivery not confirmed,1729000000000000001,1,Tea,20.00,22.00,-1.80,-1.20,-0.60,0\n"))

w("ads", "gmv_max", s(b"\x00", "2026-05-01,25.5,3,8.5,102,4,USD\n2026-05-02,30,4,7.5,150,5,USD\n-,55.5,7,7.93,252,4.54,USD\n"))
w("ads", "ads_manager", s(b"\x10", "2026-05-01,GMV Max | Mugs,1831234567890123,-20,0,-5.5,-25.5,USD,Ad spend\n2026/05/02,Spring,1831234567890124,-30,0,0,-30,USD,Ad spend\n"))

w("costs", "simple", "TEA-1,4.20,,0.80,20,Tea\nTEA-1,4.60,2026-06-01,0.80,20%,Tea\n1729581609641744556,3.00,,,,Mugs\n")
w("costs", "fixtures", rows(FIX / "costs_for_fixtures.csv", 20))

w("settings", "fixtures", (FIX / "settings_for_fixtures.json").read_bytes())
w("settings", "small", '{"version":1,"restock_rate":"0.5","shipping_per_order":"4","overhead_per_month":"100","fulfillment_per_unit":"1.25"}')

for p in ["orders_us_orderskulist.xlsx", "shared_and_inline.xlsx", "numeric_ids.xlsx", "gmv_max_campaign.xlsx"]:
    z = zipfile.ZipFile(FIX / "handmade" / p)
    names = z.namelist()
    sheet = z.read(next(n for n in names if n.startswith("xl/worksheets/sheet")))
    shared = z.read("xl/sharedStrings.xml") if "xl/sharedStrings.xml" in names else b"<sst/>"
    wb = z.read("xl/workbook.xml").replace(b'r:id="rId1"', b'r:id="rId1"')
    w("xlsx", p.replace(".xlsx", ""), sheet + b"\x00" + shared + b"\x00" + wb)

# workspace: schema 1 (the page's old saved costs), schema 2 with a scenario, and a share code.
w("workspace", "schema1", '{"entries":[{"sku":"TEA-1","effective_from":null,"unit_cost":"4.20"}],"skus":[]}')
w("workspace", "schema2", '{"schema":2,"settings":{"version":1,"shipping_per_order":"4.00"},'
  '"costs":{"entries":[{"sku":"TEA-1","effective_from":"2026-05-10","unit_cost":"4.60"}],"skus":[]},'
  '"scenarios":[{"name":"Price up","edits":{"1729581609641744555":{"price":"21.99"},"group:Tea":{"unit_cost":"3.90"}},'
  '"elasticity":"-1.2","target_cm2_pct":"25"}],"saved_at":"2026-05-18T10:00:00Z"}')
