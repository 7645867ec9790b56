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

# The content layer's targets (first byte 0x00, 0x10, 0x20 = the first, second, third header): rows of the
# real analytics exports after their header.
A = FIX / "analytics"
w("live", "old_schema", b"\x00" + "CONFIRA AS PEÇAS,2026-04-15 10:06,14049,\"R$ 5.626,28\",\"R$ 5.005,80\",79,62,\"R$ 71,51\",70,\"R$ 39,31\",\"R$ 549,67\",9107,7109,271,60,43,6020,630,26,47820,3343,0.367080,0.020939\nBora,2026-03-19 11:01,-1773928881,\"R$ 1.686,71\",\"R$ 1.686,71\",23,21,\"R$ 73,34\",23,\"R$ 15,87\",\"R$ 269,79\",6252,5329,304,40,23,6059,230,6,30862,1423,0.227607,0.016163\n".encode("utf-8"))
w("live", "new_schema", b"\x10" + rows(A / "mx_Creator-Live-Performance_20260604180014.csv", 3, 3))
w("live", "core_stats", b"\x20" + rows(A / "mx_Live_Performance_Core_Stats_20260604172313.csv", 5, 4))
w("video", "list", b"\x00" + rows(A / "mx_Video_Performance_List_20260604172857.csv", 4, 4))
w("video", "core_stats", b"\x10" + rows(A / "mx_Video_Performance_Core_Stats_20260604172700.csv", 5, 4))
w("product_analytics", "product_list", b"\x00" + rows(A / "mx_product_list_20260529.csv", 2, 4))
w("product_analytics", "card_list", b"\x10" + rows(A / "mx_Products_Card_List_20260604173545.csv", 3, 4))
w("product_analytics", "card_traffic", b"\x20" + rows(A / "mx_Product_Card_Traffic_Stats_20260604173430.csv", 5, 4))
w("shop_analytics", "key_metrics", b"\x00" + rows(A / "mx_Shop_Analytics_Key_metrics_20260604.csv", 12, 3))
w("shop_analytics", "overview", b"\x10" + "\"2383519,18\",\"300355,01\",\"2870873,03\",31981,379.12,2283247,19626.08,31844,29304,\"1,96%\"\n\nDados diários\n"
  "Data,Valor bruto da mercadoria (R$),Reembolsos (R$),Valor bruto da mercadoria (com cofinanciamento do TikTok),Itens vendidos,Clientes únicos,Visualizações de página,Visitas à página da loja,Pedido de SKU,Pedidos,Taxa de conversão\n"
  "01/01/2026,6205,\"2589,16\",\"7233,79\",75,71,9297,6497,75,72,\"1,09%\"\n".encode("utf-8"))
w("affiliate_analytics", "creator_list", b"\x00" + "creator_31d8d794,\"R$ 256.417,28\",\"R$ 20.506,13\",3290,3505,282,\"R$ 77,94\",6,23,77,\"R$ 29.841,13\",0\n".encode("utf-8"))
w("affiliate_analytics", "core_metrics", b"\x10" + "\"R$ 262.302,96\",3317,\"R$ 30.986,04\",402,277,\"R$ 84,26\",1070,3210,48,234,11,53,8,23,68,\"R$ 22.250,35\"\n".encode("utf-8"))

# GMV Max's detail exports (first byte: bits 4–5 the header — 0x00 English, 0x10 the BR fixture's Portuguese, 0x20
# Vietnamese with the currency in its headers —, bit 6 a file name with no window). Rows of the real fixtures
# (tests/fixtures/analytics, as CSV) and hand-made ones on the sample orders' product and LIVE session.
w("gmv_max_creatives", "en", b"\x00" + "Spring,900,1731000000000000001,Video,t,71,acc,2026-05-01 10:00,Delivering,Affiliate,24.00,3,8.00,150.00,6.25,USD\n"
  "Spring,900,1731000000000000001,Product card,-,N/A,-,-,Delivering,N/A,6.000,1,6.000,40.000,6.67,USD\n"
  "Spring,900,N/A,Video,t,74,acc,2026-05-02 10:00,Delivering,Affiliate,1.00,0,0.000,0.000,0.00,USD\n".encode("utf-8"))
w("gmv_max_creatives", "pt", b"\x10" + "[GMV-MAX][MARMORIZADA-CARD-PRINCIPAL],1837899752347697,1731763836201109087,Vídeo,#calçajeans #wideleg #tiktokshop #viral ,7534839834393824518,creator_de573da0,2025-08-04 18:06,Veiculado,Autorização em massa de afiliados,77.470,4,19.368,332.400,4.29,2580,198,0.0767,0.0253,0.4401,0.2056,0.1171,0.0607,0.0433,0.0282,BRL\n"
  "[GMV-MAX][WIDE ROSA BEBE]- 20.01.26,1854840775919618,1733537963414488671,Cartão do produto,-,N/A,-,-,Veiculado,N/A,0.870,1,0.870,94.900,109.08,69,1,0.0145,0.0,-,-,-,-,-,-,BRL\n"
  "[GMV-MAX][MIX-PRODUTOS][TESTE-P/ESCALA]-03.02.26,1856121057236017,1733690547643385439,Vídeo,#jeans #wideleg ,7610116870481464596,creator_de573da0,2026-02-23 14:40,Veiculado,Autorização em massa de afiliados,13.830,1,13.830,94.900,6.86,222,11,0.0495,0.0909,0.5625,0.2404,0.1154,0.0529,0.0385,0.024,BRL\n".encode("utf-8"))
w("gmv_max_creatives", "vn_no_window", b"\x60" + "Xuân,900,1731000000000000001,Video,t,71,acc,2026-05-01 10:00,Đang phân phối,N/A,77.470,4,19.368,332.400,4.29\n".encode("utf-8"))
w("gmv_max_live", "vn", b"\x00" + "Mega Live 4/5,2026-05-05 07:11:37,Ended,LGM_Kênh,1836499576371265,9536465.000,9536007.000,1013,1013,9414.082,90366055.117,90366055.117,9.48,10655,895.023,3304,2886.339,38,VND\n"
  "Mega Live 6/5,2026-05-06 07:00:08,Ended,LGM_Kênh,1836499576371265,6169551.000,6169551.000,674,674,9153.636,61392996.565,61392996.565,9.95,6844,901.454,1810,3408.592,30,VND\n".encode("utf-8"))
w("gmv_max_live", "usd_joins_the_sample_session", b"\x00" + "Evening,2026-05-17 21:40:00,Ended,LGM,555,12.500,12.000,3,3,4.167,80.000,80.000,6.40,500,0.025,100,0.125,2,USD\n"
  "Late,2026-05-17 23:00:00,Ended,LGM,555,5.000,5.000,0,0,0.000,0.000,0.000,0.00,10,0.500,1,5.000,0,USD\n".encode("utf-8"))

# returns: header 0 = the full Returns & refunds header, 1 = the columns the importer reads (0x10). The
# requests name SKUs of the harness's sample Orders export, so the return-rate rule counts them.
w("returns", "full", b"\x00" + "4035123456789012341\t,577396316691665747\t,USD 34.98,Completed,Delivered,Card,1729581609641744555\t,TEA-1,Tea,Default,b***r,Return and refund,"
  "15/05/2026 09:12:40\t,Damaged,USD 17.49,2,TRK1,Completed,Refunded,16/05/2026 10:00:00\t,,,,,\n"
  "4035123456789012342,577396316691665749,USD 19.99,Completed,Delivered,Card,,TEA-1,Tea,Default,b***r,Refund only,"
  "2026-05-17 08:00,Not as described,USD 19.99,,,Request Rejected,,,,,,,\n".encode("utf-8"))
w("returns", "minimal_month_first", b"\x10" + b"R1,577396316691665747,1729581609641744555,05/13/2026 9:00:00 AM,1,Completed,05/14/2026 9:00:00 AM\n"
  b"R2,577396316691665748,,05/16/2026 9:00:00 PM,x,Completed,\nR3,5.77E+17,1729581609641744556,13/13/2026,1,,\n")
