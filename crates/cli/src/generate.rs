//! Synthetic Orders exports shaped like the real ones (docs/formats.md §1), deterministic by seed.
//!
//! The public page's demo data comes from here, so it never publishes a real shop's sales. The files
//! keep every quirk a parser meets in the wild: the UTF-8 BOM, TAB-suffixed IDs and timestamps, `"\t"`
//! for an empty timestamp, multi-line quoted cells, US `MM/DD/YYYY h:mm:ss AM/PM` vs UK
//! `DD/MM/YYYY HH:mm:ss` dates, `GBP 39.99` money, samples, cancellations, returns and multi-SKU orders.

use std::fmt::Write as _;
use std::io::{self, Write};

/// Which market's layout to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Market {
    /// US: 60 columns, plain money, month-first 12-hour dates.
    Us,
    /// UK: 60 columns, `GBP ` money, day-first 24-hour dates, tax columns.
    Uk,
}

/// A small deterministic generator (SplitMix64): the same seed always gives the same file.
pub struct Rng(u64);

impl Rng {
    /// Seeds the generator.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

struct Product {
    sku_id: &'static str,
    seller_sku: &'static str,
    name: &'static str,
    variation: &'static str,
    /// List price in cents / pence.
    price: u64,
}

const US_PRODUCTS: &[Product] = &[
    Product {
        sku_id: "1731000000000000101",
        seller_sku: "ML-MATCHA-100",
        name: "Demo Ceremonial Matcha Powder 100g",
        variation: "100g",
        price: 2999,
    },
    Product {
        sku_id: "1731000000000000102",
        seller_sku: "ML-MATCHA-300",
        name: "Demo Ceremonial Matcha Powder 100g",
        variation: "3 x 100g",
        price: 7499,
    },
    Product {
        sku_id: "1731000000000000103",
        seller_sku: "ML-CHAI-20",
        name: "Demo Masala Chai Tea Bags, 20 count",
        variation: "20 bags",
        price: 1299,
    },
    Product {
        sku_id: "1731000000000000104",
        seller_sku: "ML-TURMERIC-60",
        name: "Demo Turmeric Curcumin Capsules",
        variation: "60 caps",
        price: 2499,
    },
    Product {
        sku_id: "1731000000000000105",
        seller_sku: "ML-MUG-WHT",
        name: "Demo Glass Tea Mug with Infuser",
        variation: "White",
        price: 1999,
    },
    Product {
        sku_id: "1731000000000000106",
        seller_sku: "",
        name: "Demo Sampler Gift Box",
        variation: "Assorted",
        price: 3499,
    },
];

const UK_PRODUCTS: &[Product] = &[
    Product {
        sku_id: "1729000000000000201",
        seller_sku: "UK-MATCHA-100",
        name: "Demo Ceremonial Matcha Powder 100g",
        variation: "100g",
        price: 2499,
    },
    Product {
        sku_id: "1729000000000000202",
        seller_sku: "UK-CHAI-20",
        name: "Demo Masala Chai Tea Bags, 20 count",
        variation: "20 bags",
        price: 999,
    },
    Product {
        sku_id: "1729000000000000203",
        seller_sku: "UK-ASHWA-90",
        name: "Demo Ashwagandha Coffee Blend",
        variation: "Pack of 3",
        price: 3999,
    },
    Product {
        sku_id: "1729000000000000204",
        seller_sku: "UK-MUG-BLK",
        name: "Demo Glass Tea Mug with Infuser",
        variation: "Black",
        price: 1599,
    },
];

const US_HEADER: &[&str] = &[
    "Order ID",
    "Order Status",
    "Order Substatus",
    "Cancelation/Return Type",
    "Normal or Pre-order",
    "SKU ID",
    "Seller SKU",
    "Product Name",
    "Variation",
    " Virtual Bundle Seller SKU",
    "Quantity",
    "Sku Quantity of return",
    "SKU Unit Original Price",
    "SKU Subtotal Before Discount",
    "SKU Platform Discount",
    "SKU Seller Discount",
    "SKU Subtotal After Discount",
    "Shipping Fee After Discount",
    "Original Shipping Fee",
    "Shipping Fee Seller Discount",
    "Co-Funded Shipping Fee Discount",
    "Shipping Fee Platform Discount",
    "Payment platform discount",
    "Retail Delivery Fee",
    "Taxes",
    "Order Amount",
    "Order Refund Amount",
    "Created Time",
    "Paid Time",
    "RTS Time",
    "Shipped Time",
    "Delivered Time",
    "Cancelled Time",
    "Cancel By",
    "Cancel Reason",
    "Fulfillment Type",
    "Warehouse Name",
    "Tracking ID",
    "Delivery Option Type",
    "Delivery Option",
    "Shipping Provider Name",
    "Buyer Message",
    "Buyer Nickname",
    "Buyer Username",
    "Recipient",
    "Phone #",
    "Country",
    "State",
    "City",
    "Zipcode",
    "Address Line 1",
    "Address Line 2",
    "Delivery Instruction",
    "Payment Method",
    "Weight(kg)",
    "Product Category",
    "Package ID",
    "Seller Note",
    "Shipping Information",
    "Combined Listing",
];

const UK_HEADER: &[&str] = &[
    "Order ID",
    "Order Status",
    "Order Substatus",
    "Cancelation/Return Type",
    "Normal or Pre-order",
    "SKU ID",
    "Seller SKU",
    "Product Name",
    "Variation",
    "Quantity",
    "Sku Quantity of return",
    "SKU Unit Original Price",
    "SKU Subtotal Before Discount",
    "SKU Platform Discount",
    "SKU Seller Discount",
    "SKU Subtotal After Discount",
    "Shipping Fee After Discount",
    "Original Shipping Fee",
    "Shipping Fee Seller Discount",
    "Shipping Fee Platform Discount",
    "Taxes",
    "Order Amount",
    "Order Refund Amount",
    "Created Time",
    "Paid Time",
    "RTH Time",
    "Shipped Time",
    "Delivered Time",
    "Cancelled Time",
    "Cancel By",
    "Cancel Reason",
    "Fulfillment Type",
    "Warehouse Name",
    "Tracking ID",
    "Delivery Option",
    "Shipping Provider Name",
    "Buyer Message",
    "Buyer Username",
    "Recipient",
    "Phone #",
    "Zipcode",
    "State",
    "Country",
    "County",
    "Districts",
    "Street Name",
    "House Name or Number",
    "Delivery Instruction",
    "Payment Method",
    "Weight(kg)",
    "Product Category",
    "Package ID",
    "Seller Note",
    "Shipping Information",
    "Checked Status",
    "Checked Marked by",
    "Product Tax Amount",
    "Product Tax Rate",
    "Shipping Tax Amount",
    "Shipping Tax Rate",
];

/// A seller-local timestamp: days since the first day, and seconds in the day.
#[derive(Clone, Copy)]
struct Stamp {
    day: u32,
    secs: u32,
}

/// How much a generator writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Amount {
    /// This many orders (Orders) or rows (Affiliate orders).
    Count(u64),
    /// Whole orders (or rows) until the file reaches this many bytes: the last one written crosses the
    /// size, so the file is at most one order longer (about 1 KB).
    Bytes(u64),
}

impl Amount {
    /// True when `written` orders or rows making `bytes` bytes are enough.
    fn reached(self, written: u64, bytes: u64) -> bool {
        match self {
            Amount::Count(n) => written >= n,
            Amount::Bytes(b) => bytes >= b,
        }
    }
}

/// A writer that counts the bytes written through it.
struct Counted<W: Write> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Counted<W> {
    fn put(&mut self, s: &str) -> io::Result<()> {
        self.bytes += s.len() as u64;
        self.inner.write_all(s.as_bytes())
    }
}

/// The most shops `--shop` can name: shop K's IDs stay within `u64` and inside its own range.
pub const MAX_SHOP: u32 = 9999;

/// A product of one shop's catalogue: the market's catalogue with the shop's own SKU IDs and seller SKUs.
struct ShopProduct {
    sku_id: String,
    seller_sku: String,
    product: &'static Product,
}

/// The market's catalogue as shop `shop` sells it. Shop 0 is the demo shop: the catalogue as it is.
/// Shop K ≥ 1 adds K × 1,000 to every SKU ID (US `1731…`, UK `1729…`: 19 digits, no two shops or markets
/// meet for K ≤ [`MAX_SHOP`]) and prefixes seller SKUs with `S<K>-` (`S0003-ML-MATCHA-100`), so no file
/// of another shop shares a SKU ID or a seller SKU with it and the engine groups it as a shop of its own.
fn shop_products(market: Market, shop: u32) -> Vec<ShopProduct> {
    let products = match market {
        Market::Us => US_PRODUCTS,
        Market::Uk => UK_PRODUCTS,
    };
    products
        .iter()
        .map(|p| {
            if shop == 0 {
                return ShopProduct {
                    sku_id: p.sku_id.to_string(),
                    seller_sku: p.seller_sku.to_string(),
                    product: p,
                };
            }
            let base: u64 = p.sku_id.parse().unwrap_or(0);
            ShopProduct {
                sku_id: (base + u64::from(shop) * 1000).to_string(),
                seller_sku: if p.seller_sku.is_empty() {
                    String::new()
                } else {
                    format!("S{shop:04}-{}", p.seller_sku)
                },
                product: p,
            }
        })
        .collect()
}

/// The first Order ID of shop `shop`'s files. Order IDs step by 7,919 plus under 7,000 per order, so a
/// file of fewer than 10^9 orders stays within 10^13 of its first ID; shops are 10^15 apart and the UK
/// starts 7 × 10^14 after the US, so no two (market, shop) ranges meet.
fn first_order_id(market: Market, shop: u32) -> u64 {
    let base: u64 = match market {
        Market::Us => 576_400_000_000_000_000,
        Market::Uk => 577_100_000_000_000_000,
    };
    base + u64::from(shop) * 1_000_000_000_000_000
}

/// Writes an Orders export over `days` days ending on 2026-05-17 (the fixtures' date) to `out`, row by
/// row (nothing but the current row is held). Returns the bytes written. `shop` 0 is the demo shop (the
/// public demo files); K ≥ 1 up to [`MAX_SHOP`] is another shop's file: its own SKU IDs, seller SKUs and
/// Order IDs, the same layout and, for the same seed, the same amounts and dates.
pub fn write_orders(
    out: impl Write,
    market: Market,
    seed: u64,
    amount: Amount,
    days: u32,
    shop: u32,
) -> io::Result<u64> {
    let mut rng = Rng::new(seed);
    let header = match market {
        Market::Us => US_HEADER,
        Market::Uk => UK_HEADER,
    };
    let products = shop_products(market, shop.min(MAX_SHOP));
    let mut out = Counted {
        inner: out,
        bytes: 0,
    };
    out.put("\u{feff}")?;
    out.put(
        &header
            .iter()
            .map(|h| csv_cell(h))
            .collect::<Vec<_>>()
            .join(","),
    )?;
    out.put("\n")?;
    let first_id = first_order_id(market, shop.min(MAX_SHOP));
    let mut row = RowWriter::default();
    let mut n: u64 = 0;
    while !amount.reached(n, out.bytes) {
        let order_id = first_id + n * 7919 + rng.below(7000);
        n += 1;
        let created = Stamp {
            day: days.saturating_sub(1)
                - (rng.below(u64::from(days)) as u32).min(days.saturating_sub(1)),
            secs: rng.below(86_400) as u32,
        };
        let unpaid = rng.chance(2);
        let cancelled = !unpaid && rng.chance(6);
        let returned = !unpaid && !cancelled && rng.chance(4);
        let sample_order = !unpaid && !cancelled && !returned && rng.chance(7);
        let n_lines = if rng.chance(15) { 2 } else { 1 };
        let mut picked: Vec<usize> = Vec::new();
        while picked.len() < n_lines {
            let p = rng.below(products.len() as u64) as usize;
            if !picked.contains(&p) {
                picked.push(p);
            }
        }
        // A free gift inside a paid multi-SKU order now and then (subtotal 0).
        let gift_line = n_lines == 2 && !sample_order && rng.chance(20);
        for (li, &pi) in picked.iter().enumerate() {
            let sp = &products[pi];
            let p = sp.product;
            let qty: u64 = if sample_order || (gift_line && li == 1) {
                1
            } else if rng.chance(20) {
                2
            } else {
                1
            };
            let free = sample_order || (gift_line && li == 1);
            let unit = if free { 0 } else { p.price };
            let subtotal = unit * qty;
            let seller_discount = if free || !rng.chance(60) {
                0
            } else {
                subtotal * (10 + rng.below(35)) / 100
            };
            let platform_discount = if free || !rng.chance(25) {
                0
            } else {
                (subtotal - seller_discount) * rng.below(15) / 100
            };
            let after = subtotal - seller_discount - platform_discount;
            // Cancellations fill the return quantity too (docs/formats.md §1.5); a return of a 2-unit line
            // sends back one unit now and then.
            let ret_qty = if cancelled || (returned && (qty == 1 || rng.chance(50))) {
                qty
            } else if returned {
                1
            } else {
                0
            };
            let (status, substatus, kind) = if unpaid {
                ("Unpaid", "Unpaid", "")
            } else if cancelled {
                (
                    if market == Market::Us {
                        "Canceled"
                    } else {
                        "Cancelled"
                    },
                    if market == Market::Us {
                        "Canceled"
                    } else {
                        "Cancelled"
                    },
                    "Cancel",
                )
            } else if returned {
                ("Completed", "Completed", "Return/Refund")
            } else if created.day + 3 < days {
                ("Completed", "Completed", "")
            } else if created.day + 1 < days {
                ("Shipped", "In transit", "")
            } else {
                ("To ship", "Awaiting shipment", "")
            };
            let paid = (!unpaid).then_some(Stamp {
                day: created.day,
                secs: (created.secs + 4).min(86_399),
            });
            let shipped = (!unpaid && !cancelled && created.day + 1 < days).then_some(Stamp {
                day: created.day + 1,
                secs: 50_000,
            });
            let cancel_time = cancelled.then_some(Stamp {
                day: created.day,
                secs: (created.secs + 600).min(86_399),
            });
            let money = |cents: u64| fmt_money(market, cents);
            let ts = |s: Option<Stamp>| {
                s.map_or_else(
                    || "\t".to_string(),
                    |s| format!("{}\t", fmt_stamp(market, days, s)),
                )
            };
            let tax_cents = if market == Market::Us {
                after * 7 / 100
            } else {
                0
            };
            let mut cells: Vec<(&'static str, String)> = vec![
                ("Order ID", format!("{order_id}\t")),
                ("Order Status", status.into()),
                ("Order Substatus", substatus.into()),
                ("Cancelation/Return Type", kind.into()),
                (
                    "Normal or Pre-order",
                    if free { String::new() } else { "Normal".into() },
                ),
                ("SKU ID", format!("{}\t", sp.sku_id)),
                ("Seller SKU", sp.seller_sku.clone()),
                ("Product Name", p.name.into()),
                ("Variation", p.variation.into()),
                (" Virtual Bundle Seller SKU", String::new()),
                ("Quantity", qty.to_string()),
                ("Sku Quantity of return", ret_qty.to_string()),
                ("SKU Unit Original Price", money(unit)),
                ("SKU Subtotal Before Discount", money(subtotal)),
                ("SKU Platform Discount", money(platform_discount)),
                ("SKU Seller Discount", money(seller_discount)),
                ("SKU Subtotal After Discount", money(after)),
                ("Shipping Fee After Discount", money(0)),
                ("Original Shipping Fee", money(if free { 0 } else { 599 })),
                ("Shipping Fee Seller Discount", money(0)),
                ("Co-Funded Shipping Fee Discount", money(0)),
                (
                    "Shipping Fee Platform Discount",
                    money(if free { 0 } else { 599 }),
                ),
                ("Payment platform discount", String::new()),
                ("Retail Delivery Fee", money(0)),
                ("Taxes", money(tax_cents)),
                ("Order Amount", money(after + tax_cents)),
                (
                    "Order Refund Amount",
                    if cancelled || returned {
                        money(after)
                    } else {
                        String::new()
                    },
                ),
                ("Created Time", ts(Some(created))),
                ("Paid Time", ts(paid)),
                ("RTS Time", ts(shipped)),
                ("RTH Time", ts(shipped)),
                ("Shipped Time", ts(shipped)),
                ("Delivered Time", ts(None)),
                ("Cancelled Time", ts(cancel_time)),
                (
                    "Cancel By",
                    if cancelled {
                        "User".into()
                    } else {
                        String::new()
                    },
                ),
                (
                    "Cancel Reason",
                    if cancelled {
                        "No longer needed".into()
                    } else {
                        String::new()
                    },
                ),
                ("Fulfillment Type", "Fulfillment by seller".into()),
                ("Warehouse Name", "Demo Warehouse".into()),
                (
                    "Tracking ID",
                    format!("DEMO{:010}", rng.below(10_000_000_000)),
                ),
                ("Delivery Option Type", "Standard".into()),
                ("Delivery Option", "Standard shipping".into()),
                ("Shipping Provider Name", "Demo Post".into()),
                ("Buyer Username", format!("demo_buyer_{}", rng.below(5000))),
                ("Recipient", "D*** B****".into()),
                ("Phone #", "(+1)555*****00".into()),
                (
                    "Payment Method",
                    if free { String::new() } else { "Card".into() },
                ),
                ("Weight(kg)", "0.3".into()),
                ("Product Category", "Food & Beverages".into()),
                ("Package ID", format!("{}\t", order_id + 1)),
                (
                    "Shipping Information",
                    "D*** B****\n(+1)555*****00\nDemo City, 00000".into(),
                ),
                ("Product Tax Amount", money(0)),
                ("Product Tax Rate", "0".into()),
            ];
            if market == Market::Uk {
                cells.retain(|(h, _)| *h != "Phone #");
                cells.push(("Phone #", "(+44)7*******00".into()));
                cells.push(("State", "United Kingdom".into()));
                cells.push(("Country", "England".into()));
            } else {
                cells.push(("Country", "United States".into()));
                cells.push(("State", "California".into()));
            }
            out.put(row.line(header, &cells))?;
        }
    }
    out.inner.flush()?;
    Ok(out.bytes)
}

/// A costs sheet for shop `shop`'s generated SKUs (see [`write_orders`]): a landed cost per unit around
/// 25–35% of the list price.
pub fn costs_csv(market: Market, shop: u32) -> String {
    let mut out = String::from("SKU ID,Seller SKU,Unit cost\n");
    for (i, sp) in shop_products(market, shop.min(MAX_SHOP)).iter().enumerate() {
        // The sampler box is left without a cost on purpose: the page shows how a missing cost looks.
        if sp.seller_sku.is_empty() {
            continue;
        }
        let cost = sp.product.price * (25 + (i as u64 * 3) % 11) / 100;
        let _ = writeln!(
            out,
            "{},{},{}.{:02}",
            sp.sku_id,
            sp.seller_sku,
            cost / 100,
            cost % 100
        );
    }
    out
}

fn fmt_money(market: Market, cents: u64) -> String {
    let plain = format!("{}.{:02}", cents / 100, cents % 100);
    match market {
        Market::Us => {
            // US exports write `12.5` and `0` as often as `12.50` (docs/formats.md §1.5).
            let t = plain.trim_end_matches('0').trim_end_matches('.');
            if t.is_empty() {
                "0".into()
            } else {
                t.to_string()
            }
        }
        Market::Uk => format!("GBP {plain}"),
    }
}

/// Days are counted back from 2026-05-17, the last day of every demo file.
fn fmt_stamp(market: Market, days: u32, s: Stamp) -> String {
    let back = days.saturating_sub(1).saturating_sub(s.day);
    let (y, m, d) = day_before(2026, 5, 17, back);
    let (h, mi, se) = (s.secs / 3600, s.secs / 60 % 60, s.secs % 60);
    match market {
        Market::Us => {
            let (h12, ap) = match h {
                0 => (12, "AM"),
                1..=11 => (h, "AM"),
                12 => (12, "PM"),
                _ => (h - 12, "PM"),
            };
            format!("{m:02}/{d:02}/{y} {h12}:{mi:02}:{se:02} {ap}")
        }
        Market::Uk => format!("{d:02}/{m:02}/{y} {h:02}:{mi:02}:{se:02}"),
    }
}

fn day_before(y: u32, m: u32, d: u32, back: u32) -> (i32, u32, u32) {
    use chrono::Datelike;
    let day = chrono::NaiveDate::from_ymd_opt(y as i32, m, d)
        .and_then(|day| day.checked_sub_days(chrono::Days::new(u64::from(back))))
        .unwrap_or_default();
    (day.year(), day.month(), day.day())
}

/// Lays out CSV rows: each header's cell from `cells` (by name), blank when absent. Rows of one
/// generator name the same cells in the same order, so where each header's cell sits is looked up once
/// and reused while the names stay the same (a 60 × 55 name search per row made the generator slow).
#[derive(Default)]
struct RowWriter {
    names: Vec<&'static str>,
    positions: Vec<Option<usize>>,
    text: String,
}

impl RowWriter {
    /// The row's text, with its line end.
    fn line(&mut self, header: &[&str], cells: &[(&'static str, String)]) -> &str {
        if self.positions.len() != header.len()
            || self.names.len() != cells.len()
            || self.names.iter().zip(cells).any(|(a, (b, _))| a != b)
        {
            self.names = cells.iter().map(|(k, _)| *k).collect();
            self.positions = header
                .iter()
                .map(|h| cells.iter().position(|(k, _)| k == h))
                .collect();
        }
        self.text.clear();
        for (i, p) in self.positions.iter().enumerate() {
            if i > 0 {
                self.text.push(',');
            }
            if let Some((_, v)) = p.and_then(|p| cells.get(p)) {
                push_cell(&mut self.text, v);
            }
        }
        self.text.push('\n');
        &self.text
    }
}

fn csv_cell(v: &str) -> String {
    let mut s = String::new();
    push_cell(&mut s, v);
    s
}

/// Appends a cell, quoted when it holds a comma, a quote or a line break (RFC 4180).
fn push_cell(out: &mut String, v: &str) {
    if v.contains([',', '"', '\n']) {
        out.push('"');
        out.push_str(&v.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(v);
    }
}

/// The seller-side Affiliate orders header: US 30 columns; the UK adds `Creator Region` (docs/formats.md §3.1).
const AFFILIATE_HEADER: &[&str] = &[
    "Order ID",
    "Product ID",
    "Product Name",
    "SKU ID",
    "Price",
    "Payment Amount",
    "Currency",
    "Quantity",
    "Fully returned or refunded",
    "Payment method",
    "Order Status",
    "Creator Username",
    "Creator Region",
    "Content Type",
    "Content ID",
    "commission model",
    "Standard commission rate",
    "Est. Commission Base",
    "Est. standard commission payment",
    "Actual Commission Base",
    "Actual Commission Payment",
    "Shop Ads commission rate",
    "Est. Shop Ads commission payment",
    "Actual Shop Ads commission payment",
    "Est. co-funded creator bonus",
    "Actual co-funded creator bonus",
    "Time Created",
    "Payment time",
    "Order Delivery Time",
    "Time Commission Paid",
    "Platform",
];

const CREATORS: &[&str] = &[
    "demo_tea_time",
    "demo_matcha_mornings",
    "demo_wellness_walks",
    "demo_kitchen_kit",
    "demo_daily_brew",
    "demo_calm_corner",
    "demo_gift_guide",
    "demo_chai_club",
];

const CONTENT_TYPES: &[&str] = &[
    "Video",
    "Video",
    "Video",
    "Livestream",
    "Showcase",
    "External Traffic Program",
];

/// An Affiliate orders export whose rows join the given Orders export's lines (about a third of its paid,
/// non-sample lines), shaped like the real one: day-first dates in every market, `%` rates, a row carries
/// either a standard or a Shop Ads commission, Ineligible rows for cancellations and returns, Actual
/// columns filled once settled. Deterministic by seed. Written row by row to `out`, stopping early when
/// `amount` is reached; returns the bytes written.
pub fn write_affiliate(
    out: impl Write,
    market: Market,
    seed: u64,
    orders: &[margin_engine::ledger::OrderLine],
    amount: Option<Amount>,
) -> io::Result<u64> {
    use margin_engine::ledger::LineStatus;
    let mut rng = Rng::new(seed ^ 0xAFF1_11A7E);
    let header: Vec<&str> = AFFILIATE_HEADER
        .iter()
        .copied()
        .filter(|h| market == Market::Uk || *h != "Creator Region")
        .collect();
    let mut out = Counted {
        inner: out,
        bytes: 0,
    };
    out.put(
        &header
            .iter()
            .map(|h| csv_cell(h))
            .collect::<Vec<_>>()
            .join(","),
    )?;
    out.put("\n")?;
    let mut row = RowWriter::default();
    let mut written = 0u64;
    let latest = orders.iter().map(|l| l.created).max().unwrap_or_default();
    let currency = if market == Market::Uk { "GBP" } else { "USD" };
    for l in orders {
        if amount.is_some_and(|a| a.reached(written, out.bytes)) {
            break;
        }
        if l.status == LineStatus::Sample || !rng.chance(33) {
            continue;
        }
        let creator = CREATORS[rng.below(CREATORS.len() as u64) as usize];
        let content = CONTENT_TYPES[rng.below(CONTENT_TYPES.len() as u64) as usize];
        let shop_ads = rng.chance(30);
        let rate_pct = 10 + rng.below(11); // 10–20 %
        // Gross sales in cents (generated amounts have two decimals and are never negative).
        let base_cents: u64 = margin_engine::money::Currency::USD
            .round(l.gross_sales())
            .to_string()
            .replace('.', "")
            .parse()
            .unwrap_or(0);
        let commission_cents = (base_cents * rate_pct + 50) / 100;
        let ineligible = matches!(l.status, LineStatus::Cancelled | LineStatus::Returned);
        let age_days = (latest - l.created).num_days();
        let settled = !ineligible && age_days > 14;
        let status = if ineligible {
            "Ineligible"
        } else if settled {
            "Settled"
        } else {
            "Pending"
        };
        let money = |c: u64| format!("{}.{:02}", c / 100, c % 100);
        let stamp = |t: chrono::NaiveDateTime| t.format("%d/%m/%Y %H:%M:%S").to_string();
        let (est_std, act_std, est_ads, act_ads) = match (shop_ads, settled) {
            (false, true) => (
                money(commission_cents),
                money(commission_cents),
                String::new(),
                String::new(),
            ),
            (false, false) => (
                money(commission_cents),
                String::new(),
                String::new(),
                String::new(),
            ),
            (true, true) => (
                String::new(),
                String::new(),
                money(commission_cents),
                money(commission_cents),
            ),
            (true, false) => (
                String::new(),
                String::new(),
                money(commission_cents),
                String::new(),
            ),
        };
        let cells: Vec<(&'static str, String)> = vec![
            ("Order ID", l.order_id.clone()),
            (
                "Product ID",
                format!("{}", 1_731_100_000_000_000_000u64 + rng.below(10)),
            ),
            ("Product Name", l.product_name.to_string()),
            ("SKU ID", l.sku_id.to_string()),
            ("Price", money(base_cents)),
            ("Payment Amount", money(base_cents)),
            ("Currency", currency.to_string()),
            ("Quantity", l.quantity.to_string()),
            (
                "Fully returned or refunded",
                if l.status == LineStatus::Returned {
                    "Yes"
                } else {
                    "No"
                }
                .to_string(),
            ),
            ("Payment method", "Not cash on delivery".to_string()),
            ("Order Status", status.to_string()),
            ("Creator Username", creator.to_string()),
            ("Creator Region", "GB".to_string()),
            ("Content Type", content.to_string()),
            (
                "Content ID",
                format!("{}", 7_400_000_000_000_000_000u64 + rng.below(40)),
            ),
            ("commission model", "fixed commission".to_string()),
            (
                "Standard commission rate",
                if shop_ads {
                    String::new()
                } else {
                    format!("{rate_pct}%")
                },
            ),
            ("Est. Commission Base", money(base_cents)),
            ("Est. standard commission payment", est_std),
            (
                "Actual Commission Base",
                if settled {
                    money(base_cents)
                } else {
                    String::new()
                },
            ),
            ("Actual Commission Payment", act_std),
            (
                "Shop Ads commission rate",
                if shop_ads {
                    format!("{rate_pct}%")
                } else {
                    String::new()
                },
            ),
            ("Est. Shop Ads commission payment", est_ads),
            ("Actual Shop Ads commission payment", act_ads),
            ("Time Created", stamp(l.created)),
            ("Payment time", stamp(l.created)),
            ("Platform", "TTS".to_string()),
        ];
        out.put(row.line(&header, &cells))?;
        written += 1;
    }
    out.inner.flush()?;
    Ok(out.bytes)
}

/// A real export's rows repeated until `bytes` are written, each repetition under fresh Order IDs
/// (issue 20's "real-row" benchmark files: real exports are wider and quirkier than generated ones).
///
/// The header (with its BOM) is written once; every data row is copied byte for byte — its quoting,
/// TAB-suffixed cells and multi-line texts included — but for its Order ID, which becomes
/// `base + repetition × distinct orders + the order's index`: 18 digits like the real ones, unique across
/// repetitions, and the rows of one order keep one ID. Writes whole repetitions until `bytes` are
/// reached. Returns the bytes written.
pub fn write_repeated(src: &[u8], bytes: u64, out: &mut impl Write) -> io::Result<u64> {
    const BASE: u64 = 576_000_000_000_000_000;
    let bad = |m: String| io::Error::new(io::ErrorKind::InvalidData, m);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(src);
    rdr.byte_headers()
        .map_err(|e| bad(format!("header: {e}")))?;
    // (start, end) of each data row in `src`, and its order's index.
    let mut starts = Vec::new();
    let mut ids: Vec<Vec<u8>> = Vec::new();
    let mut rec = csv::ByteRecord::new();
    loop {
        let start = rdr.position().byte();
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(bad(format!("row {}: {e}", starts.len() + 2))),
        }
        let id = rec.get(0).unwrap_or_default();
        let digits: Vec<u8> = id.iter().copied().filter(u8::is_ascii_digit).collect();
        if digits.is_empty() {
            return Err(bad(format!("row {}: no Order ID", starts.len() + 2)));
        }
        starts.push(usize::try_from(start).unwrap_or(usize::MAX));
        ids.push(digits);
    }
    let Some(&header_end) = starts.first() else {
        return Err(bad("no data rows to repeat".to_string()));
    };
    let mut distinct = ids.clone();
    distinct.sort_unstable();
    distinct.dedup();
    let index: Vec<u64> = ids
        .iter()
        .map(|d| distinct.binary_search(d).map_or(0, |i| i as u64))
        .collect();
    let orders = distinct.len() as u64;
    let header = src.get(..header_end).unwrap_or_default();
    out.write_all(header)?;
    let mut written = header.len() as u64;
    let ends: Vec<usize> = starts.iter().skip(1).copied().chain([src.len()]).collect();
    let mut rep = 0u64;
    let mut id_buf = String::new();
    while written < bytes {
        for ((&s, &e), (digits, &i)) in starts.iter().zip(&ends).zip(ids.iter().zip(&index)) {
            let row = src.get(s..e).unwrap_or_default();
            // The ID's digits are the row's first bytes (after a quote when the cell is quoted).
            let at = row.iter().position(u8::is_ascii_digit).unwrap_or(0);
            id_buf.clear();
            let _ = write!(id_buf, "{}", BASE + rep * orders + i);
            out.write_all(row.get(..at).unwrap_or_default())?;
            out.write_all(id_buf.as_bytes())?;
            let rest = row.get(at + digits.len()..).unwrap_or_default();
            out.write_all(rest)?;
            written += (at + id_buf.len() + rest.len()) as u64;
            if !row.ends_with(b"\n") {
                out.write_all(b"\n")?;
                written += 1;
            }
        }
        rep += 1;
    }
    Ok(written)
}
