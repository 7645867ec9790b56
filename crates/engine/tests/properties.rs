//! Property tests over random ledgers (issue 4): every breakdown sums to the totals exactly, the P&L
//! layers are ordered when costs are non-negative, and the revenue, unit and cost figures of every SKU
//! and of the totals are what an independent oracle (`Oracle`, below) computes from the generated rows
//! with the rules of docs/metrics.md §1–§3 written out in this file — never from the engine's accessors.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{NaiveDate, NaiveDateTime};
use margin_engine::costs::CostsTable;
use margin_engine::import::{ExportKind, FileData, ImportReport, ImportedFile};
use margin_engine::ledger::{AdSpendRow, AffiliateRow, AffiliateStatus, LineStatus, OrderLine};
use margin_engine::metrics::Figures;
use margin_engine::money::Currency;
use margin_engine::report;
use margin_engine::settings::{MarketingEntry, Settings};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap, HashSet};

fn cents(c: i64) -> Decimal {
    Decimal::new(c, 2)
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 5, 1 + d % 20).unwrap()
}

fn at(d: u32) -> NaiveDateTime {
    day(d).and_hms_opt(12, 0, 0).unwrap()
}

fn file(kind: ExportKind, data: FileData) -> ImportedFile {
    ImportedFile {
        report: ImportReport {
            name: format!("{kind:?}"),
            kind,
            currency: Some(Currency::USD),
            market: Some("US".into()),
            date_order: None,
            encoding: "UTF-8".into(),
            evidence: String::new(),
            rows: 0,
            used_rows: 0,
            skipped: Vec::new(),
            used_columns: Vec::new(),
            ignored_columns: Vec::new(),
            date_range: None,
            warnings: Vec::new(),
            vat_in_export: false,
        },
        data,
    }
}

/// (order, sku, status, quantity, returned, subtotal cents, seller discount %, platform discount cents, day)
type LineSpec = (u8, u8, u8, i64, i64, i64, i64, i64, u32);

fn lines_from(specs: &[LineSpec]) -> Vec<OrderLine> {
    let mut seen = std::collections::HashSet::new();
    specs
        .iter()
        .filter(|s| seen.insert((s.0, s.1)))
        .map(
            |&(order, sku, status, qty, ret, sub, disc_pct, platform, d)| {
                let status = match status % 5 {
                    0 => LineStatus::Cancelled,
                    1 => LineStatus::Returned,
                    2 => LineStatus::Sample,
                    _ => LineStatus::Sold,
                };
                let sub = if status == LineStatus::Sample { 0 } else { sub };
                OrderLine {
                    order_id: format!("5760000000000{order:05}"),
                    sku_id: format!("SKU{sku}").into(),
                    seller_sku: "".into(),
                    product_name: format!("Product {}", sku % 3).into(),
                    variation: "".into(),
                    category: "".into(),
                    status,
                    quantity: qty,
                    return_quantity: ret,
                    subtotal_before_discount: cents(sub),
                    seller_discount: cents(sub * disc_pct / 100),
                    platform_discount: cents(platform),
                    order_shipping: cents(399),
                    order_taxes: cents(sub / 10),
                    tax_rate: None,
                    currency: Currency::USD,
                    created: at(d),
                    latest: at(d),
                    // Seven buyers: an order's buyer (several orders each), as hashed by the import.
                    buyer: u64::from(order % 7) + 1,
                }
            },
        )
        .collect()
}

/// An affiliate row on line `l`: creator `c % 4`, content type `kind % 3`, standard commission `c` cents.
fn affiliate_row(l: &OrderLine, c: i64, kind: u8, status: AffiliateStatus) -> AffiliateRow {
    AffiliateRow {
        order_id: l.order_id.clone(),
        sku_id: l.sku_id.to_string(),
        seller_sku: String::new(),
        product_id: String::new(),
        product_name: String::new(),
        creator: format!("creator{}", c % 4),
        content_type: ["Video", "Livestream", "Showcase"][usize::from(kind % 3)].to_string(),
        content_id: format!("{kind}"),
        status,
        quantity: l.quantity,
        fully_returned: false,
        commission_base: l.gross_sales(),
        standard: (cents(c), None),
        shop_ads: (Decimal::ZERO, None),
        bonus: (Decimal::ZERO, None),
        created: l.created,
    }
}

/// An amount in sixths of a cent: exact for every refund share this file generates (quantities 1 to 3
/// make shares in halves and thirds, which are not finite decimals).
type Sixths = i128;

/// What the generated rows must give, per SKU, summed row by row with docs/metrics.md §1–§3 written
/// out here (not by calling `OrderLine::gross_sales`, `units_returned` or any `Figures` accessor).
#[derive(Debug, Default, Clone, PartialEq)]
struct Expected {
    gmv: Decimal,
    cancelled_sales: Decimal,
    /// Σ gross × units returned / quantity, exactly.
    refunds: Sixths,
    /// What each line keeps: sold lines their gross, returned lines gross × units kept / quantity,
    /// cancelled and sample lines nothing. Summed on its own, not as gmv − cancelled − refunds.
    net_sales: Sixths,
    units_sold: i64,
    units_returned: i64,
    sample_units: i64,
    cogs: Decimal,
    sample_cost: Decimal,
    /// Per-unit fulfilment of the shipped units (sold and returned).
    fulfillment: Decimal,
    affiliate_commission: Decimal,
}

impl Expected {
    fn add(&mut self, o: &Expected) {
        self.gmv += o.gmv;
        self.cancelled_sales += o.cancelled_sales;
        self.refunds += o.refunds;
        self.net_sales += o.net_sales;
        self.units_sold += o.units_sold;
        self.units_returned += o.units_returned;
        self.sample_units += o.sample_units;
        self.cogs += o.cogs;
        self.sample_cost += o.sample_cost;
        self.fulfillment += o.fulfillment;
        self.affiliate_commission += o.affiliate_commission;
    }
}

/// The oracle: expected figures per SKU, and the distinct orders that have a sold or returned line.
struct Oracle {
    skus: BTreeMap<String, Expected>,
    orders: u64,
    /// Buyers with an order, and those with two or more (docs/metrics.md §2).
    buyers: (u64, u64),
}

fn sixths_of_cents(amount: Decimal) -> Sixths {
    let c = amount * Decimal::from(600);
    assert!(c.fract().is_zero(), "{amount} is not whole cents");
    i128::try_from(c).unwrap()
}

impl Oracle {
    /// `unit_costs`: SKU → unit cost; `commissions`: (line index, amount counted), one per distinct
    /// (order, SKU, creator, content, commission kind): an affiliate row per such key, the later wins.
    fn new(
        lines: &[OrderLine],
        unit_costs: &HashMap<String, Decimal>,
        commissions: &[(usize, Decimal)],
        settings: &Settings,
    ) -> Oracle {
        let mut skus: BTreeMap<String, Expected> = BTreeMap::new();
        let mut orders = HashSet::new();
        let mut buyer_orders: HashMap<u64, HashSet<String>> = HashMap::new();
        for l in lines {
            let e = skus.entry(l.sku_id.to_string()).or_default();
            let cost = unit_costs.get(&*l.sku_id).copied();
            // §2: gross_sales = subtotal before discount − seller discount (platform discounts are
            // reimbursed and play no part).
            let gross = l.subtotal_before_discount - l.seller_discount;
            let qty = i128::from(l.quantity);
            assert_eq!(
                6 % qty,
                0,
                "a share of quantity {qty} is not whole sixths of a cent"
            );
            match l.status {
                // §1: a sample has no revenue; its units cost unit cost + sample shipping (§3).
                LineStatus::Sample => {
                    e.sample_units += l.quantity;
                    e.sample_cost += Decimal::from(l.quantity)
                        * (cost.unwrap_or_default() + settings.sample_shipping_per_unit);
                }
                // §1: a cancelled line is in gmv and wholly in cancelled sales; nothing shipped.
                LineStatus::Cancelled => {
                    e.gmv += gross;
                    e.cancelled_sales += gross;
                }
                LineStatus::Sold | LineStatus::Returned => {
                    orders.insert(l.order_id.clone());
                    buyer_orders
                        .entry(l.buyer)
                        .or_default()
                        .insert(l.order_id.clone());
                    // §1: units returned = min(return quantity, quantity), on returned lines only.
                    let returned = if l.status == LineStatus::Returned {
                        l.return_quantity.min(l.quantity)
                    } else {
                        0
                    };
                    let kept = l.quantity - returned;
                    e.gmv += gross;
                    e.refunds += sixths_of_cents(gross) * i128::from(returned) / qty;
                    e.net_sales += sixths_of_cents(gross) * i128::from(kept) / qty;
                    e.units_sold += kept;
                    e.units_returned += returned;
                    // §3: cost of the units kept; returned units were shipped too.
                    e.cogs += Decimal::from(kept) * cost.unwrap_or_default();
                    e.fulfillment += Decimal::from(l.quantity) * settings.fulfillment_per_unit;
                }
            }
        }
        for &(i, c) in commissions {
            let l = &lines[i];
            skus.entry(l.sku_id.to_string())
                .or_default()
                .affiliate_commission += c;
        }
        Oracle {
            skus,
            orders: orders.len() as u64,
            buyers: (
                buyer_orders.len() as u64,
                buyer_orders.values().filter(|o| o.len() >= 2).count() as u64,
            ),
        }
    }

    fn totals(&self) -> Expected {
        let mut t = Expected::default();
        for e in self.skus.values() {
            t.add(e);
        }
        t
    }
}

/// Shares are kept to 12 decimal places (`money::SHARE_DP`), each within 0.5e-12 of the exact value:
/// a sum of at most a few dozen is within this of the exact sum, far below any currency's minor unit,
/// while a wrong rule is off by at least a third of a cent.
fn tolerance() -> Decimal {
    Decimal::new(1, 9)
}

/// An engine amount against an exact one in sixths of a cent (see `tolerance`).
fn assert_close(what: &str, got: Decimal, sixths: Sixths) -> Result<(), TestCaseError> {
    let expected = Decimal::from_i128_with_scale(sixths, 0) / Decimal::from(600);
    prop_assert!(
        (got - expected).abs() <= tolerance(),
        "{what}: engine {got}, oracle {expected}"
    );
    Ok(())
}

/// The engine's figures of one group against the oracle's.
fn check(what: &str, f: &Figures, e: &Expected) -> Result<(), TestCaseError> {
    prop_assert_eq!(f.gmv, e.gmv, "{} gmv", what);
    prop_assert_eq!(
        f.cancelled_sales,
        e.cancelled_sales,
        "{} cancelled_sales",
        what
    );
    assert_close(&format!("{what} refunds"), f.refunds, e.refunds)?;
    assert_close(&format!("{what} net_sales"), f.net_sales(), e.net_sales)?;
    // US prices exclude sales tax and no VAT rate is set: no VAT inside net sales (§2).
    prop_assert_eq!(f.output_vat, Decimal::ZERO, "{} output_vat", what);
    prop_assert_eq!(f.units_sold, e.units_sold, "{} units_sold", what);
    prop_assert_eq!(
        f.units_returned,
        e.units_returned,
        "{} units_returned",
        what
    );
    prop_assert_eq!(f.sample_units, e.sample_units, "{} sample_units", what);
    prop_assert_eq!(f.cogs, e.cogs, "{} cogs", what);
    prop_assert_eq!(f.sample_cost, e.sample_cost, "{} sample_cost", what);
    prop_assert_eq!(f.fulfillment, e.fulfillment, "{} fulfillment", what);
    prop_assert_eq!(
        f.affiliate_commission(),
        e.affiliate_commission,
        "{} affiliate_commission",
        what
    );
    Ok(())
}

fn money_fields(f: &Figures) -> Vec<(&'static str, Decimal)> {
    vec![
        ("gmv", f.gmv),
        ("cancelled_sales", f.cancelled_sales),
        ("refunds", f.refunds),
        ("output_vat", f.output_vat),
        ("cogs", f.cogs),
        ("platform_fees", f.platform_fees),
        ("fulfillment", f.fulfillment),
        ("shipping", f.shipping),
        ("returns_cost", f.returns_cost),
        ("affiliate_commission", f.affiliate_commission()),
        ("ad_spend", f.ad_spend),
        ("sample_cost", f.sample_cost),
        ("other_marketing", f.other_marketing),
        ("overhead", f.overhead),
        ("cm1", f.cm1()),
        ("cm2", f.cm2()),
        ("net_profit", f.net_profit()),
    ]
}

fn sum_of<'a>(groups: impl Iterator<Item = &'a Figures>) -> Vec<(&'static str, Decimal)> {
    let mut acc: Option<Vec<(&'static str, Decimal)>> = None;
    for g in groups {
        let f = money_fields(g);
        acc = Some(match acc {
            None => f,
            Some(a) => a
                .into_iter()
                .zip(f)
                .map(|((k, x), (_, y))| (k, x + y))
                .collect(),
        });
    }
    acc.unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn breakdowns_sum_to_the_totals_and_layers_are_ordered(
        specs in prop::collection::vec((0u8..25, 0u8..6, 0u8..5, 1i64..4, 0i64..4, 1i64..20_000, 0i64..60, 0i64..300, 0u32..14), 1..60),
        costs in prop::collection::vec((0u8..6, 0i64..5_000), 0..6),
        commissions in prop::collection::vec((0usize..60, 0i64..2_000, 0u8..3, 0u8..4), 0..20),
        ads in prop::collection::vec((0u32..16, 0i64..10_000), 0..8),
        shipping in 0i64..800, fulfil in 0i64..300, restock in 0i64..100, overhead in 0i64..500_000,
        marketing in prop::collection::vec((0u32..16, 0i64..5_000), 0..3),
    ) {
        let lines = lines_from(&specs);
        let affiliate: Vec<AffiliateRow> = commissions
            .iter()
            .filter_map(|&(i, c, status, kind)| {
                let l = lines.get(i % lines.len())?;
                Some(affiliate_row(l, c, kind, if status == 0 { AffiliateStatus::Ineligible } else { AffiliateStatus::Pending }))
            })
            .collect();
        // The oracle's commissions: one per (line, creator, content), the later row winning; an
        // Ineligible row counts 0 (docs/metrics.md §3).
        let mut counted: HashMap<(usize, i64, u8), Decimal> = HashMap::new();
        for &(i, c, status, kind) in &commissions {
            counted.insert((i % lines.len(), c % 4, kind), if status == 0 { Decimal::ZERO } else { cents(c) });
        }
        let counted: Vec<(usize, Decimal)> = counted.into_iter().map(|((i, _, _), c)| (i, c)).collect();
        let ad_rows: Vec<AdSpendRow> = ads
            .iter()
            .map(|&(d, c)| AdSpendRow { date: day(d), cost: cents(c), gross_revenue: None, orders: None, campaign: format!("c{d}") })
            .collect();
        // Rows of the same day and campaign are one row (the later wins), as the ads import keeps them.
        let ad_rows_total: Decimal = ads.iter().map(|&(d, c)| (d, c)).collect::<HashMap<u32, i64>>().values().map(|&c| cents(c)).sum();
        let marketing_total: Decimal = marketing.iter().map(|&(_, a)| cents(a)).sum();
        let mut table = CostsTable::default();
        let mut unit_costs = HashMap::new();
        for (sku, c) in &costs {
            table.set_unit_cost(&format!("SKU{sku}"), Some(cents(*c)));
            unit_costs.insert(format!("SKU{sku}"), cents(*c));
        }
        let settings = Settings {
            shipping_per_order: cents(shipping),
            fulfillment_per_unit: cents(fulfil),
            restock_rate: Decimal::new(restock, 2),
            overhead_per_month: cents(overhead),
            other_marketing: marketing.iter().map(|&(d, a)| MarketingEntry { date: day(d), amount: cents(a), label: "x".into() }).collect(),
            ..Settings::default()
        };
        let oracle = Oracle::new(&lines, &unit_costs, &counted, &settings);
        let files = vec![
            file(ExportKind::Orders, FileData::Orders(lines)),
            file(ExportKind::AffiliateOrders, FileData::Affiliate(affiliate)),
            file(ExportKind::GmvMaxCampaign, FileData::Ads(ad_rows)),
        ];
        let (_, a) = report::build_with_settings(&files, &table, &settings, None, None).unwrap();
        let totals = money_fields(&a.totals);
        prop_assert_eq!(&sum_of(a.skus.iter().map(|s| &s.figures)), &totals, "SKUs");
        prop_assert_eq!(&sum_of(a.days.iter().map(|(_, f)| f)), &totals, "days");
        prop_assert_eq!(&sum_of(a.channels.iter().map(|(_, f)| f)), &totals, "channels");
        prop_assert_eq!(&sum_of(a.product_groups.iter().map(|(_, f)| f)), &totals, "product groups");
        let t = &a.totals;
        let expected = oracle.totals();
        check("totals", t, &expected)?;
        prop_assert_eq!(t.orders, oracle.orders, "orders");
        prop_assert_eq!((t.buyers, t.repeat_buyers), oracle.buyers, "buyers");
        // Shipping is seller-paid per order (§3), on orders with a sold or returned line.
        prop_assert_eq!(t.shipping, cents(shipping) * Decimal::from(oracle.orders), "shipping");
        // Ad spend and other marketing are spread over the sales of their days: whatever the spread,
        // everything spent is counted once when there were sales to carry it.
        if expected.net_sales > 0 {
            prop_assert_eq!(t.ad_spend, ad_rows_total, "ad_spend");
            prop_assert_eq!(t.other_marketing, marketing_total, "other_marketing");
        }
        prop_assert!(t.cm1() <= t.gross_profit(), "cm1 {} > gross profit {}", t.cm1(), t.gross_profit());
        prop_assert!(t.cm2() <= t.cm1(), "cm2 {} > cm1 {}", t.cm2(), t.cm1());
        for s in &a.skus {
            let f = &s.figures;
            prop_assert!(f.cm2() <= f.cm1() && f.cm1() <= f.gross_profit(), "SKU {}", s.sku_id);
            check(&format!("SKU {}", s.sku_id), f, oracle.skus.get(&s.sku_id).unwrap_or(&Expected::default()))?;
        }
        // Every SKU with a line is in the table.
        let listed: HashSet<&str> = a.skus.iter().map(|s| s.sku_id.as_str()).collect();
        for sku in oracle.skus.keys() {
            prop_assert!(listed.contains(sku.as_str()), "SKU {} missing", sku);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, failure_persistence: None, ..ProptestConfig::default() })]

    /// A period's figures are summed from the cells the whole files were gathered into once
    /// (`metrics::Cube`): they must be exactly what the period's own lines, ad days and marketing
    /// entries give when nothing else is loaded. And the spread spend adds up to what was spent.
    #[test]
    fn a_period_is_what_its_lines_alone_give(
        specs in prop::collection::vec((0u8..25, 0u8..6, 0u8..5, 1i64..4, 0i64..4, 1i64..20_000, 0i64..60, 0i64..300, 0u32..14), 1..60),
        commissions in prop::collection::vec((0usize..60, 0i64..2_000, 0u8..3), 0..20),
        ads in prop::collection::vec((0u32..16, 1i64..10_000), 0..8),
        marketing in prop::collection::vec((0u32..16, 1i64..5_000), 0..3),
        overhead in 0i64..500_000,
        from in 0u32..14, len in 0u32..8,
    ) {
        let (p_from, p_to) = (day(from), day((from + len).min(19)));
        let inside = |d: NaiveDate| d >= p_from && d <= p_to;
        // An order's lines share its creation time (it is the order's), as in every export.
        let specs: Vec<LineSpec> = specs.into_iter().map(|s| (s.0, s.1, s.2, s.3, s.4, s.5, s.6, s.7, u32::from(s.0) % 14)).collect();
        let lines = lines_from(&specs);
        let affiliate: Vec<AffiliateRow> = commissions
            .iter()
            .filter_map(|&(i, c, kind)| {
                let l = lines.get(i % lines.len())?;
                Some(affiliate_row(l, c, kind, AffiliateStatus::Pending))
            })
            .collect();
        let ad_rows: Vec<AdSpendRow> = ads
            .iter()
            .enumerate()
            .map(|(k, &(d, c))| AdSpendRow { date: day(d), cost: cents(c), gross_revenue: None, orders: None, campaign: format!("c{k}") })
            .collect();
        let entries: Vec<MarketingEntry> = marketing
            .iter()
            .map(|&(d, a)| MarketingEntry { date: day(d), amount: cents(a), label: "x".into() })
            .collect();
        let settings_of = |entries: Vec<MarketingEntry>| Settings {
            overhead_per_month: cents(overhead),
            other_marketing: entries,
            ..Settings::default()
        };
        let files_of = |lines: Vec<OrderLine>, affiliate: Vec<AffiliateRow>, ads: Vec<AdSpendRow>| vec![
            file(ExportKind::Orders, FileData::Orders(lines)),
            file(ExportKind::AffiliateOrders, FileData::Affiliate(affiliate)),
            file(ExportKind::GmvMaxCampaign, FileData::Ads(ads)),
        ];
        let in_period_lines: Vec<OrderLine> = lines.iter().filter(|l| inside(l.created.date())).cloned().collect();
        let period_net_sales = Oracle::new(&in_period_lines, &HashMap::new(), &[], &settings_of(Vec::new())).totals().net_sales;
        let whole = files_of(lines.clone(), affiliate.clone(), ad_rows.clone());
        let alone = files_of(
            lines.into_iter().filter(|l| inside(l.created.date())).collect(),
            affiliate.into_iter().filter(|r| inside(r.created.date())).collect(),
            ad_rows.iter().filter(|r| inside(r.date)).cloned().collect(),
        );
        let table = CostsTable::default();
        let period = Some((p_from, p_to));
        let (_, a) = report::build_with_settings(&whole, &table, &settings_of(entries.clone()), None, period).unwrap();
        let in_period: Vec<MarketingEntry> = entries.iter().filter(|e| inside(e.date)).cloned().collect();
        let (_, mut b) = report::build_with_settings(&alone, &table, &settings_of(in_period), None, period).unwrap();
        // Where spend comes from is a matter of the files loaded, not of the period.
        b.ads_source = a.ads_source;
        prop_assert_eq!(&a, &b);
        // Spread spend sums to what was spent, to the last digit, whenever there were sales to carry it.
        if period_net_sales > 0 {
            let spent: Decimal = ad_rows.iter().filter(|r| inside(r.date)).map(|r| r.cost).sum();
            prop_assert_eq!(a.totals.ad_spend, spent);
            let other: Decimal = entries.iter().filter(|e| inside(e.date)).map(|e| e.amount).sum();
            prop_assert_eq!(a.totals.other_marketing, other);
            // Overhead: the monthly amount per day of the month (every generated day is in May 2026,
            // 31 days) times the period's days; the engine sums daily shares (see `tolerance`).
            let days = (p_to - p_from).num_days() + 1;
            let expected = Decimal::from(overhead) * Decimal::from(days) / Decimal::from(3100);
            prop_assert!((a.totals.overhead - expected).abs() <= tolerance(), "overhead {} vs {}", a.totals.overhead, expected);
        }
    }
}
