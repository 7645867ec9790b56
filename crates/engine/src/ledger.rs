//! The ledger: typed order lines from every loaded export, de-duplicated.

use chrono::NaiveDateTime;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// How a paid Orders line counts in money figures (docs/metrics.md §1). Unpaid lines never reach the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineStatus {
    /// `SKU Subtotal Before Discount` = 0: a creator sample or a free gift. No revenue.
    Sample,
    /// Order status Canceled/Cancelled: in GMV and in cancelled sales.
    Cancelled,
    /// `Cancelation/Return Type` = Return/Refund on a line that is not cancelled, or a refund another
    /// loaded export shows ([`Ledger::terminal_facts`]).
    Returned,
    /// Every other paid line.
    Sold,
}

/// One SKU line of one paid order.
///
/// The SKU's texts repeat on every line of the SKU: they are shared (`Arc<str>`, one allocation per
/// distinct text in an import) rather than copied per line; they serialise as plain strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    /// Order ID, as text (19 digits exceed f64).
    pub order_id: String,
    /// Platform SKU ID, as text.
    pub sku_id: Arc<str>,
    /// The seller's own SKU code; may be empty.
    pub seller_sku: Arc<str>,
    /// Product name.
    pub product_name: Arc<str>,
    /// Variation (size, colour…).
    pub variation: Arc<str>,
    /// `Product Category` (decides category fee rates where they differ).
    pub category: Arc<str>,
    /// Classification.
    pub status: LineStatus,
    /// Units ordered.
    pub quantity: i64,
    /// `Sku Quantity of return` (also filled on cancellations; only used on returned lines).
    pub return_quantity: i64,
    /// `SKU Subtotal Before Discount`.
    pub subtotal_before_discount: Decimal,
    /// `SKU Seller Discount` (seller-funded).
    pub seller_discount: Decimal,
    /// `SKU Platform Discount` (TikTok-funded and reimbursed: not a cost, but in the US referral-fee base).
    pub platform_discount: Decimal,
    /// `Shipping Fee After Discount`: buyer-paid shipping of the whole order (repeated on every line).
    pub order_shipping: Decimal,
    /// `Taxes`: sales tax of the whole order (repeated on every line; US).
    pub order_taxes: Decimal,
    /// `Product Tax Rate` as a ratio, when the export has it (UK).
    pub tax_rate: Option<Decimal>,
    /// The currency of every amount on the line.
    pub currency: crate::money::Currency,
    /// `Created Time`: the line's date for every figure.
    pub created: NaiveDateTime,
    /// The newest of the line's timestamps: decides which copy wins when exports overlap.
    pub latest: NaiveDateTime,
    /// The buyer, as a hash of the export's `Buyer Username` made in memory ([`buyer_hash`]); 0 when the
    /// export gives none (or masks it). Never the identifier itself, and never serialised: it only
    /// counts repeat buyers (docs/metrics.md §2 `repeat_purchase_rate`) and cannot leave memory.
    #[serde(skip)]
    pub buyer: u64,
}

/// The in-memory hash of a buyer identifier (docs/metrics.md §2): 0 for an empty cell or a masked one
/// (with `*`, which many buyers share). SipHash keyed once per process (with random keys where the
/// platform has a source of randomness); never stored, serialised or exported.
pub fn buyer_hash(id: &str) -> u64 {
    use std::hash::BuildHasher;
    static KEYS: std::sync::OnceLock<std::collections::hash_map::RandomState> =
        std::sync::OnceLock::new();
    let id = id.trim();
    if id.is_empty() || id.contains('*') {
        return 0;
    }
    let h = KEYS
        .get_or_init(std::collections::hash_map::RandomState::new)
        .hash_one(id);
    // 0 means "no buyer".
    h.max(1)
}

impl OrderLine {
    /// `gross_sales` = SKU Subtotal Before Discount − SKU Seller Discount (docs/metrics.md §2).
    pub fn gross_sales(&self) -> Decimal {
        self.subtotal_before_discount - self.seller_discount
    }

    /// `units_returned` = min(Sku Quantity of return, Quantity) on returned lines, else 0.
    pub fn units_returned(&self) -> i64 {
        match self.status {
            LineStatus::Returned => self.return_quantity.min(self.quantity),
            _ => 0,
        }
    }
}

/// The commission settlement status of an affiliate row (not the order's fulfilment status).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AffiliateStatus {
    /// Not settled yet.
    Pending,
    /// Paid to the creator.
    Settled,
    /// Cancelled or refunded: no commission (docs/metrics.md §3 counts 0).
    Ineligible,
    /// The buyer has not paid.
    Unpaid,
    /// Held.
    Frozen,
    /// A status this version does not know.
    Other,
}

/// Which commission a row carries (a row has either a standard or a Shop Ads commission).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommissionKind {
    /// The standard (open/targeted collaboration) commission.
    Standard,
    /// The Shop Ads commission, for ad-assisted orders.
    ShopAds,
}

/// One row of the seller-side Affiliate orders export (docs/formats.md §3.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffiliateRow {
    /// Order ID (joins the Orders export).
    pub order_id: String,
    /// SKU ID (joins the Orders export); empty in older exports that carry only the seller SKU.
    pub sku_id: String,
    /// Seller SKU, where the export has one (older `creator_order_all` exports).
    pub seller_sku: String,
    /// `Product ID`: maps GMV Max's per-product spend to this SKU (docs/metrics.md §3); empty when the
    /// export has none.
    #[serde(default)]
    pub product_id: String,
    /// Product name.
    pub product_name: String,
    /// `Creator Username`.
    pub creator: String,
    /// `Content Type`: Video, Livestream, Showcase, External Traffic Program.
    pub content_type: String,
    /// `Content ID`: the video or LIVE room.
    pub content_id: String,
    /// Commission settlement status.
    pub status: AffiliateStatus,
    /// Units.
    pub quantity: i64,
    /// `Fully returned or refunded` = Yes.
    pub fully_returned: bool,
    /// `Est. Commission Base` (= gross_sales of the order line).
    pub commission_base: Decimal,
    /// Standard commission: (estimated, actual when filled).
    pub standard: (Decimal, Option<Decimal>),
    /// Shop Ads commission: (estimated, actual when filled).
    pub shop_ads: (Decimal, Option<Decimal>),
    /// Co-funded creator bonus: (estimated, actual when filled).
    pub bonus: (Decimal, Option<Decimal>),
    /// `Time Created`.
    pub created: NaiveDateTime,
}

/// docs/metrics.md §3: the Actual column when it is filled and > 0, else the Est. column.
fn actual_or_est((est, actual): (Decimal, Option<Decimal>)) -> Decimal {
    match actual {
        Some(a) if a > Decimal::ZERO => a,
        _ => est,
    }
}

impl AffiliateRow {
    /// Standard commission counted (0 when Ineligible).
    pub fn standard_commission(&self) -> Decimal {
        if self.status == AffiliateStatus::Ineligible {
            Decimal::ZERO
        } else {
            actual_or_est(self.standard)
        }
    }
    /// Shop Ads commission counted (0 when Ineligible).
    pub fn shop_ads_commission(&self) -> Decimal {
        if self.status == AffiliateStatus::Ineligible {
            Decimal::ZERO
        } else {
            actual_or_est(self.shop_ads)
        }
    }
    /// Co-funded creator bonus counted (0 when Ineligible).
    pub fn bonus(&self) -> Decimal {
        if self.status == AffiliateStatus::Ineligible {
            Decimal::ZERO
        } else {
            actual_or_est(self.bonus)
        }
    }
    /// Everything the seller pays the creator for this row.
    pub fn commission(&self) -> Decimal {
        self.standard_commission() + self.shop_ads_commission() + self.bonus()
    }
    /// The commission this row carries, for de-duplication.
    pub fn kind(&self) -> CommissionKind {
        if self.shop_ads.0 != Decimal::ZERO || self.shop_ads.1.is_some_and(|a| a != Decimal::ZERO) {
            CommissionKind::ShopAds
        } else {
            CommissionKind::Standard
        }
    }
}

/// One row of a Finance export (income transactions, statement P&L, on-hold): money by field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinanceRow {
    /// `Order/adjustment ID` (or `Order ID`, `Adjustment ID`).
    pub id: String,
    /// `Type`: Order, GMV Payment for TikTok Ads, an adjustment type…
    pub kind: String,
    /// The order this row belongs to: the ID itself for order rows, else `Related order ID`.
    pub order_id: String,
    /// SKU ID when the export is per SKU line; empty when per order.
    pub sku_id: String,
    /// Settlement (or estimated settlement) date.
    pub settled: Option<chrono::NaiveDate>,
    /// Order creation date.
    pub created: Option<chrono::NaiveDate>,
    /// True for estimates (the on-hold export), false for settled money.
    pub estimated: bool,
    /// `Sample order type` says sample (the US 2026 statement marks creator samples).
    pub sample: bool,
    /// The row's money, as the export signs it.
    pub amounts: FinanceAmounts,
}

/// The money of one finance row, as the export signs it: revenue positive, fees and other costs
/// negative (docs/formats.md §2). Each field is `None` when the export has no such column or leaves the
/// cell empty. Nested totals are kept as given, never re-added: `total_fees` already holds the fee
/// components below it, and the affiliate commissions and `seller_shipping` where the export nests them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinanceAmounts {
    /// `Total settlement amount` (income), `Net order margin` (2026 statement), `Total estimated
    /// settlement amount` (on-hold): what the row pays into or takes out of the balance.
    pub settlement: Option<Decimal>,
    /// `Total revenue`, `Order income`, `Net sales`.
    pub revenue: Option<Decimal>,
    /// `Subtotal before discounts`, `Gross sales`.
    pub gross_sales: Option<Decimal>,
    /// `Seller discounts` (negative).
    pub seller_discount: Option<Decimal>,
    /// `Refund subtotal after seller discounts`, `Gross sales refund` (negative).
    pub refund: Option<Decimal>,
    /// `Seller discount refund`, `Refund of seller discounts`.
    pub seller_discount_refund: Option<Decimal>,
    /// `Total fees`, `Fees`: every fee component of the row summed, including the affiliate
    /// commissions and the seller shipping fee (negative).
    pub total_fees: Option<Decimal>,
    /// `TikTok Shop commission fee`, `Referral fee`, `Platform commission fee` (negative).
    pub platform_commission: Option<Decimal>,
    /// `Transaction fee` (negative).
    pub transaction_fee: Option<Decimal>,
    /// `Refund administration fee` (negative).
    pub refund_admin_fee: Option<Decimal>,
    /// `Sales tax on referral fees` (negative; US).
    pub sales_tax_on_fees: Option<Decimal>,
    /// `Seller shipping fee`, `TikTok Shop shipping fee`, `Shipping` (negative when the seller pays).
    pub seller_shipping: Option<Decimal>,
    /// `Affiliate commission` (negative).
    pub affiliate_commission: Option<Decimal>,
    /// `Affiliate partner commission` (negative).
    pub affiliate_partner_commission: Option<Decimal>,
    /// `Affiliate Shop Ads commission` (negative).
    pub affiliate_shop_ads_commission: Option<Decimal>,
    /// `Affiliate commission refund` (positive: commission given back on a refund).
    pub affiliate_commission_refund: Option<Decimal>,
    /// `Adjustment amount` (`Ajustment amount` sic): the amount of an adjustment row.
    pub adjustment: Option<Decimal>,
    /// `Customer payment`.
    pub customer_payment: Option<Decimal>,
    /// True when `refund` is before seller discounts (the statement's `Gross sales refund`, next to its
    /// `Seller discount refund`); false when it is after them (the income export's `Refund subtotal
    /// after seller discounts`).
    #[serde(default)]
    pub refund_before_discounts: bool,
}

impl FinanceAmounts {
    /// The refund of the row's sales after seller discounts, as the export signs it (negative = refunded):
    /// the comparable of an order line's gross_sales (docs/metrics.md §2). `None` when the row gives no
    /// refund column.
    pub fn refund_of_sales(&self) -> Option<Decimal> {
        let refund = self.refund?;
        Some(if self.refund_before_discounts {
            refund
                .checked_add(self.seller_discount_refund.unwrap_or_default())
                .unwrap_or(refund)
        } else {
            refund
        })
    }

    /// The affiliate amounts inside `total_fees` (commission, not platform fees), summed.
    pub fn affiliate_in_fees(&self) -> Decimal {
        [
            self.affiliate_commission,
            self.affiliate_partner_commission,
            self.affiliate_shop_ads_commission,
            self.affiliate_commission_refund,
        ]
        .into_iter()
        .flatten()
        .sum()
    }

    /// The platform's fees of the row as the export signs them (negative = charged): `total_fees`
    /// without the affiliate amounts and the seller shipping fee it nests (docs/formats.md §2.1; those are
    /// counted as commission and shipping), or — when the export has no `Total fees` (the US 2026
    /// statement) — its fee components summed.
    pub fn platform_fees(&self) -> Decimal {
        match self.total_fees {
            Some(total) => {
                total - self.affiliate_in_fees() - self.seller_shipping.unwrap_or_default()
            }
            None => [
                self.platform_commission,
                self.transaction_fee,
                self.refund_admin_fee,
                self.sales_tax_on_fees,
            ]
            .into_iter()
            .flatten()
            .sum(),
        }
    }
}

impl FinanceRow {
    /// True for ad spend paid from the shop balance (never counted twice with the ads exports).
    pub fn is_ads_payment(&self) -> bool {
        let k = self.kind.to_lowercase();
        k.contains("gmv payment for tiktok ads") || k.contains("quảng cáo tiktok")
    }
}

/// One day of ad spend from an ads export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdSpendRow {
    /// The day.
    pub date: chrono::NaiveDate,
    /// Cost, positive (Ads Manager's negative `Amount` flipped; a negative cost is a refund of spend).
    pub cost: Decimal,
    /// `Gross revenue` the ads export reports, when it has it.
    pub gross_revenue: Option<Decimal>,
    /// SKU orders the ads export reports, when it has it.
    pub orders: Option<i64>,
    /// Campaign name, when given.
    pub campaign: String,
}

/// Every loaded record, de-duplicated across overlapping uploads, with affiliate rows joined to order
/// lines on (Order ID, SKU ID). It borrows the imported files' records rather than copying them, so a
/// report over a gigabyte of exports does not hold two copies.
#[derive(Debug, Clone, Default)]
pub struct Ledger<'a> {
    lines: Vec<&'a OrderLine>,
    /// Positions in `lines`, found by the hash of (Order ID, SKU ID) ([`line_key_hash`]) and compared
    /// on the line itself: 4 bytes a slot, where a map holding both keys took 20 (in wasm32).
    by_key: hashbrown::HashTable<u32>,
    affiliate: Vec<&'a AffiliateRow>,
    affiliate_keys: HashMap<(&'a str, &'a str, &'a str, &'a str, CommissionKind), usize>,
    finance: Vec<&'a FinanceRow>,
    finance_keys: HashMap<(&'a str, &'a str, Option<chrono::NaiveDate>, &'a str, bool), usize>,
    ads: Vec<&'a AdSpendRow>,
    ads_keys: HashMap<(chrono::NaiveDate, &'a str), usize>,
    /// The source records are added from now ([`Ledger::set_source`]).
    source: u32,
    /// The source of each kept line, affiliate row and finance row (the copy kept).
    line_src: Vec<u32>,
    affiliate_src: Vec<u32>,
    finance_src: Vec<u32>,
    /// What the copies of lines seen more than once said, by line position: at each duplicate, the
    /// copy kept so far and the new one (so every copy is there, some twice).
    copies: Vec<(usize, CopyState)>,
}

/// The hash the ledger's line index files (Order ID, SKU ID) under.
fn line_key_hash(order_id: &str, sku_id: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    order_id.hash(&mut h);
    sku_id.hash(&mut h);
    h.finish()
}

/// The index hash of the line at position `i` (0 for a position past the end, which is never stored).
fn position_hash(lines: &[&OrderLine], i: u32) -> u64 {
    lines
        .get(i as usize)
        .map_or(0, |l| line_key_hash(&l.order_id, &l.sku_id))
}

/// Whether the line at position `i` is (Order ID, SKU ID).
fn is_line(lines: &[&OrderLine], i: u32, order_id: &str, sku_id: &str) -> bool {
    lines
        .get(i as usize)
        .is_some_and(|l| l.order_id == order_id && *l.sku_id == *sku_id)
}

/// What one copy of an order line says about its end: its class, units returned, and its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CopyState {
    status: LineStatus,
    returned: i64,
    src: u32,
}

impl CopyState {
    fn of(line: &OrderLine, src: u32) -> CopyState {
        CopyState {
            status: line.status,
            returned: line.units_returned(),
            src,
        }
    }
}

/// How many lines one file's records changed (docs/metrics.md §1: a refund or a cancellation is
/// terminal): lines another export showed as sold (or with fewer units returned) that this file shows
/// refunded or cancelled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineUpdates {
    /// Lines now counted as refunded (or with more units returned).
    pub refunded: u64,
    /// Lines now counted as cancelled.
    pub cancelled: u64,
}

impl LineUpdates {
    /// All lines updated.
    pub fn total(&self) -> u64 {
        self.refunded + self.cancelled
    }

    /// The import report's line, e.g. "3 lines updated by us_affiliate_orders_2026-05.csv: refunded";
    /// `None` when the file updated nothing.
    ///
    /// # Examples
    /// ```
    /// use margin_engine::ledger::LineUpdates;
    /// let u = LineUpdates { refunded: 3, cancelled: 0 };
    /// assert_eq!(u.sentence("a.csv").as_deref(), Some("3 lines updated by a.csv: refunded"));
    /// let u = LineUpdates { refunded: 1, cancelled: 2 };
    /// assert_eq!(u.sentence("a.csv").as_deref(), Some("3 lines updated by a.csv: 1 refunded, 2 cancelled"));
    /// assert_eq!(LineUpdates::default().sentence("a.csv"), None);
    /// ```
    pub fn sentence(&self, file: &str) -> Option<String> {
        let n = self.total();
        let lines = if n == 1 { "line" } else { "lines" };
        let what = match (self.refunded, self.cancelled) {
            (0, 0) => return None,
            (_, 0) => "refunded".to_string(),
            (0, _) => "cancelled".to_string(),
            (r, c) => format!("{r} refunded, {c} cancelled"),
        };
        Some(format!("{n} {lines} updated by {file}: {what}"))
    }
}

/// The lines a terminal fact changes ([`Ledger::terminal_facts`]), to apply with
/// [`Ledger::apply_facts`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TerminalFacts {
    /// The changed lines: their position among [`Ledger::lines`] and their new copy (the kept copy with
    /// its class and returned quantity changed).
    pub lines: Vec<(usize, OrderLine)>,
    /// Per source (as numbered by [`Ledger::set_source`]): the lines its records updated.
    pub by_source: Vec<LineUpdates>,
}

/// A refund of `returned` units, told by source `src`.
fn refund_state(returned: i64, src: u32) -> CopyState {
    CopyState {
        status: LineStatus::Returned,
        returned,
        src,
    }
}

/// What the records of the lines they touch say ([`Ledger::terminal_facts`]), folded per line.
#[derive(Debug, Default)]
struct Told {
    /// Each line's fold, by position (`u32::MAX`: untouched); sized on first use.
    slot: Vec<u32>,
    lines: Vec<LineTold>,
    /// Per fold: the line's finance refunds summed (amount as signed, first source).
    finance: Vec<Option<(Decimal, u32)>>,
}

/// One line's fold: the first cancellation and the largest return said (the first said on a tie).
#[derive(Debug, Clone, Copy)]
struct LineTold {
    line: usize,
    /// What the kept copy says: (class, units returned).
    kept: (LineStatus, i64),
    cancelled: Option<CopyState>,
    returned: Option<CopyState>,
}

impl Told {
    /// The fold of line `i`, made (with the kept copy's word first) on first use.
    fn slot_of(&mut self, ledger: &Ledger, i: usize) -> usize {
        if self.slot.is_empty() {
            self.slot = vec![u32::MAX; ledger.lines.len()];
        }
        match self.slot.get(i) {
            Some(&k) if k != u32::MAX => k as usize,
            _ => {
                let k = self.lines.len();
                let (Some(&kept), Some(&src)) = (ledger.lines.get(i), ledger.line_src.get(i))
                else {
                    return usize::MAX;
                };
                let state = CopyState::of(kept, src);
                self.lines.push(LineTold {
                    line: i,
                    kept: (state.status, state.returned),
                    cancelled: None,
                    returned: None,
                });
                self.finance.push(None);
                if let Some(s) = self.slot.get_mut(i) {
                    *s = u32::try_from(k).unwrap_or(u32::MAX);
                }
                self.fold(k, state);
                k
            }
        }
    }

    /// Line `i`'s record `c` says its end.
    fn say(&mut self, ledger: &Ledger, i: usize, c: CopyState) {
        let k = self.slot_of(ledger, i);
        self.fold(k, c);
    }

    fn fold(&mut self, k: usize, c: CopyState) {
        let Some(t) = self.lines.get_mut(k) else {
            return;
        };
        // Samples stay samples: they have no money to refund.
        if t.kept.0 == LineStatus::Sample {
            return;
        }
        match c.status {
            LineStatus::Cancelled if t.cancelled.is_none() => {
                t.cancelled = Some(CopyState { returned: 0, ..c });
            }
            LineStatus::Returned if t.returned.is_none_or(|r| c.returned > r.returned) => {
                t.returned = Some(c);
            }
            _ => {}
        }
    }
}

/// The whole units a finance refund of `amount` (positive) takes back from `line`: every unit when it
/// covers the line's gross sales, else the refunded share of its units, rounded, at least one.
fn refunded_units(amount: Decimal, line: &OrderLine) -> i64 {
    use rust_decimal::prelude::ToPrimitive;
    let gross = line.gross_sales();
    if gross <= Decimal::ZERO || amount >= gross {
        return line.quantity;
    }
    crate::money::share(Decimal::from(line.quantity), amount, gross)
        .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .to_i64()
        .unwrap_or(line.quantity)
        .clamp(1, line.quantity.max(1))
}

/// Affiliate rows joined to order lines ([`Ledger::join_affiliate`]).
#[derive(Debug, Clone, Default)]
pub struct Joined<'a> {
    /// Per line (by position in [`Ledger::lines`]); empty when no affiliate row is loaded.
    pub per_line: Vec<Vec<&'a AffiliateRow>>,
    /// Rows whose order line is not loaded.
    pub unmatched: Vec<&'a AffiliateRow>,
}

/// How many records of each kind were seen again in another (or the same) upload.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Duplicates {
    /// Order lines.
    pub lines: usize,
    /// Affiliate rows.
    pub affiliate: usize,
    /// Finance rows.
    pub finance: usize,
    /// Ad spend days.
    pub ads: usize,
}

impl Duplicates {
    /// All duplicates.
    pub fn total(&self) -> usize {
        self.lines + self.affiliate + self.finance + self.ads
    }
}

impl<'a> Ledger<'a> {
    /// An empty ledger.
    pub fn new() -> Ledger<'a> {
        Ledger::default()
    }

    /// Numbers the source (the file) of the records added from now on, for [`Ledger::terminal_facts`]
    /// to say which file updated which lines. Records added before any call come from source 0.
    pub fn set_source(&mut self, source: usize) {
        self.source = u32::try_from(source).unwrap_or(u32::MAX);
    }

    /// Adds lines; the same (Order ID, SKU ID) already present is replaced when the new copy's newest
    /// timestamp is later (docs/metrics.md §1: overlapping exports). Returns how many lines were duplicates.
    pub fn add(&mut self, lines: impl IntoIterator<Item = &'a OrderLine>) -> usize {
        let mut duplicates = 0;
        let new = lines.into_iter();
        let Ledger {
            lines,
            by_key,
            line_src,
            copies,
            source,
            ..
        } = self;
        // One growth for a whole file instead of a rehash at every doubling.
        by_key.reserve(new.size_hint().0, |&i| position_hash(lines, i));
        lines.reserve(new.size_hint().0);
        line_src.reserve(new.size_hint().0);
        let src = *source;
        for line in new {
            let hash = line_key_hash(&line.order_id, &line.sku_id);
            match by_key
                .find(hash, |&i| is_line(lines, i, &line.order_id, &line.sku_id))
                .copied()
            {
                Some(i) => {
                    duplicates += 1;
                    let i = i as usize;
                    let (Some(slot), Some(slot_src)) = (lines.get_mut(i), line_src.get_mut(i))
                    else {
                        continue;
                    };
                    // Every copy's word on the line's end is kept: a refund or a cancellation is
                    // terminal whichever copy says it (docs/metrics.md §1, [`Ledger::terminal_facts`]).
                    copies.push((i, CopyState::of(slot, *slot_src)));
                    copies.push((i, CopyState::of(line, src)));
                    // The same key: the slot's hash does not change.
                    if line.latest > slot.latest {
                        *slot = line;
                        *slot_src = src;
                    }
                }
                None => {
                    // More than 4 billion lines cannot be loaded (nor held in memory) anyway.
                    let Ok(i) = u32::try_from(lines.len()) else {
                        break;
                    };
                    by_key.insert_unique(hash, i, |&j| position_hash(lines, j));
                    lines.push(line);
                    line_src.push(src);
                }
            }
        }
        duplicates
    }

    /// Adds affiliate rows, one per (Order ID, SKU ID, creator, content ID, commission kind); a later
    /// copy replaces an earlier one (its status and actual commissions are newer). Returns duplicates.
    pub fn add_affiliate(&mut self, rows: impl IntoIterator<Item = &'a AffiliateRow>) -> usize {
        let mut duplicates = 0;
        for row in rows {
            let sku = if row.sku_id.is_empty() {
                row.seller_sku.as_str()
            } else {
                row.sku_id.as_str()
            };
            let key = (
                row.order_id.as_str(),
                sku,
                row.creator.as_str(),
                row.content_id.as_str(),
                row.kind(),
            );
            match self.affiliate_keys.get(&key) {
                Some(&i) => {
                    duplicates += 1;
                    if let Some(slot) = self.affiliate.get_mut(i) {
                        *slot = row;
                    }
                    if let Some(slot) = self.affiliate_src.get_mut(i) {
                        *slot = self.source;
                    }
                }
                None => {
                    self.affiliate_keys.insert(key, self.affiliate.len());
                    self.affiliate.push(row);
                    self.affiliate_src.push(self.source);
                }
            }
        }
        duplicates
    }

    /// Adds finance rows, one per (ID, type, settled date, SKU ID, estimate or not). Returns duplicates.
    pub fn add_finance(&mut self, rows: impl IntoIterator<Item = &'a FinanceRow>) -> usize {
        let mut duplicates = 0;
        for row in rows {
            let key = (
                row.id.as_str(),
                row.kind.as_str(),
                row.settled,
                row.sku_id.as_str(),
                row.estimated,
            );
            match self.finance_keys.get(&key) {
                Some(&i) => {
                    duplicates += 1;
                    if let Some(slot) = self.finance.get_mut(i) {
                        *slot = row;
                    }
                    if let Some(slot) = self.finance_src.get_mut(i) {
                        *slot = self.source;
                    }
                }
                None => {
                    self.finance_keys.insert(key, self.finance.len());
                    self.finance.push(row);
                    self.finance_src.push(self.source);
                }
            }
        }
        duplicates
    }

    /// Adds ad spend, one per (day, campaign). Returns duplicates.
    pub fn add_ads(&mut self, rows: impl IntoIterator<Item = &'a AdSpendRow>) -> usize {
        let mut duplicates = 0;
        for row in rows {
            let key = (row.date, row.campaign.as_str());
            match self.ads_keys.get(&key) {
                Some(&i) => {
                    duplicates += 1;
                    if let Some(slot) = self.ads.get_mut(i) {
                        *slot = row;
                    }
                }
                None => {
                    self.ads_keys.insert(key, self.ads.len());
                    self.ads.push(row);
                }
            }
        }
        duplicates
    }

    /// The order lines, in the order they were first seen.
    pub fn lines(&self) -> &[&'a OrderLine] {
        &self.lines
    }

    /// The affiliate rows.
    pub fn affiliate(&self) -> &[&'a AffiliateRow] {
        &self.affiliate
    }

    /// The finance rows.
    pub fn finance(&self) -> &[&'a FinanceRow] {
        &self.finance
    }

    /// The ad spend rows.
    pub fn ads(&self) -> &[&'a AdSpendRow] {
        &self.ads
    }

    /// Number of distinct order lines.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// True when no order line is loaded.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Every affiliate row joined to its order line (docs/metrics.md §3: on Order ID + SKU ID): the rows of
    /// each line (left empty when no affiliate row is loaded: then no line has any), and the rows whose
    /// order line is not loaded.
    pub fn join_affiliate(&self) -> Joined<'a> {
        let mut per_line: Vec<Vec<&'a AffiliateRow>> = if self.affiliate.is_empty() {
            Vec::new()
        } else {
            vec![Vec::new(); self.lines.len()]
        };
        let mut unmatched = Vec::new();
        for &row in &self.affiliate {
            match self.line_of(row) {
                Some(i) => {
                    if let Some(v) = per_line.get_mut(i) {
                        v.push(row);
                    }
                }
                None => unmatched.push(row),
            }
        }
        Joined {
            per_line,
            unmatched,
        }
    }

    /// Frees the (Order ID, SKU ID) index of the lines once everything is added and joined (about
    /// 90 MB at two million lines, which the figures no longer need). Afterwards [`Ledger::add`] no
    /// longer finds duplicates and [`Ledger::line_of`] no line by SKU ID: call it last.
    pub fn release_keys(&mut self) {
        self.by_key = hashbrown::HashTable::new();
        self.line_src = Vec::new();
        self.copies = Vec::new();
    }

    /// The terminal facts of every loaded export (docs/metrics.md §1): a refund or a cancellation seen
    /// anywhere overrides an older "Delivered". A line is cancelled when any copy of it in the Orders
    /// exports is; otherwise it is refunded when any copy says Return/Refund, an affiliate row of it says
    /// `Fully returned or refunded` = Yes (every unit), or a settled finance row refunds it (the units
    /// its refund amount covers), and its units returned are the largest any of them gives. Samples
    /// stay samples. Each line whose end differs from what a copy of it in the Orders exports said is
    /// counted for the source whose record decided it (the kept copy first, then the other copies, the
    /// affiliate rows, the finance rows). Call it after every record is added and before
    /// [`Ledger::release_keys`]; apply the result with [`Ledger::apply_facts`].
    pub fn terminal_facts(&self) -> TerminalFacts {
        // What each line's records say, folded in order of precedence: the kept copy, the other
        // copies as they came, the affiliate rows, the finance rows. Plain vectors, no sort or map of
        // a new type: the page's bundle pays for each.
        let mut told = Told::default();
        for &(i, c) in &self.copies {
            told.say(self, i, c);
        }
        for (row, &src) in self.affiliate.iter().zip(&self.affiliate_src) {
            if row.fully_returned
                && let Some(i) = self.line_of(row)
                && let Some(line) = self.lines.get(i)
            {
                told.say(self, i, refund_state(line.quantity, src));
            }
        }
        self.finance_refunds(&mut told);

        let mut facts = TerminalFacts::default();
        let mut ends: Vec<Option<CopyState>> = Vec::with_capacity(told.lines.len());
        for t in &told.lines {
            let end = t.cancelled.or(t.returned.filter(|r| r.returned > 0));
            ends.push(end);
            if let (Some(end), Some(&kept)) = (end, self.lines.get(t.line))
                && (end.status != kept.status || end.returned != kept.units_returned())
            {
                let mut line = kept.clone();
                line.status = end.status;
                if end.status == LineStatus::Returned {
                    line.return_quantity = end.returned;
                }
                facts.lines.push((t.line, line));
            }
        }
        // A line is updated when its end differs from what a copy of it in the Orders exports said
        // (the kept copy, or another).
        let mut differs: Vec<bool> = ends
            .iter()
            .zip(&told.lines)
            .map(|(end, t)| end.is_some_and(|e| (e.status, e.returned) != t.kept))
            .collect();
        for &(i, c) in &self.copies {
            if let Some(&k) = told.slot.get(i)
                && let (Some(Some(e)), Some(d)) =
                    (ends.get(k as usize), differs.get_mut(k as usize))
            {
                *d |= (e.status, e.returned) != (c.status, c.returned);
            }
        }
        for (end, d) in ends.iter().zip(differs) {
            let Some(end) = end.filter(|_| d) else {
                continue;
            };
            let slot = end.src as usize;
            if facts.by_source.len() <= slot {
                facts.by_source.resize(slot + 1, LineUpdates::default());
            }
            if let Some(u) = facts.by_source.get_mut(slot) {
                match end.status {
                    LineStatus::Cancelled => u.cancelled += 1,
                    _ => u.refunded += 1,
                }
            }
        }
        facts
    }

    /// Settled finance refunds (as the exports sign them: negative), told as refunds of lines: a row
    /// with a SKU refunds its line, the units its amount covers; a row without one refunds its order —
    /// every line when it covers the order's sales, the one line of a one-line order by its amount; a
    /// partial refund of several lines says not which, and changes none.
    fn finance_refunds(&self, told: &mut Told) {
        // Per order: (amount, first source, its lines), through a map type the engine already has.
        let mut order_no: HashMap<&str, u32> = HashMap::default();
        let mut orders: Vec<(Decimal, u32, Vec<usize>)> = Vec::new();
        for (row, &src) in self.finance.iter().zip(&self.finance_src) {
            let refund = row.amounts.refund_of_sales().unwrap_or_default();
            if row.estimated || row.is_ads_payment() || row.order_id.is_empty() || refund.is_zero()
            {
                continue;
            }
            if row.sku_id.is_empty() {
                let next = u32::try_from(orders.len()).unwrap_or(u32::MAX);
                let k = *order_no.entry(row.order_id.as_str()).or_insert_with(|| {
                    orders.push((Decimal::ZERO, src, Vec::new()));
                    next
                });
                if let Some(o) = orders.get_mut(k as usize) {
                    o.0 = o.0.checked_add(refund).unwrap_or(o.0);
                }
            } else if let Some(i) = self.position(&row.order_id, &row.sku_id) {
                // Summed per line in the line's fold slot.
                let k = told.slot_of(self, i);
                match told.finance.get_mut(k) {
                    Some(Some(sum)) => sum.0 = sum.0.checked_add(refund).unwrap_or(sum.0),
                    Some(slot) => *slot = Some((refund, src)),
                    None => {}
                }
            }
        }
        // Refunds are negative; a positive sum is a reversal, not a refund.
        let sums: Vec<(usize, Decimal, u32)> = told
            .finance
            .iter()
            .zip(&told.lines)
            .filter_map(|(f, t)| f.map(|(sum, src)| (t.line, sum, src)))
            .filter(|(_, sum, _)| *sum < Decimal::ZERO)
            .collect();
        for (i, sum, src) in sums {
            if let Some(line) = self.lines.get(i) {
                told.say(self, i, refund_state(refunded_units(-sum, line), src));
            }
        }
        if orders.is_empty() {
            return;
        }
        for (i, l) in self.lines.iter().enumerate() {
            if matches!(l.status, LineStatus::Sold | LineStatus::Returned)
                && let Some(&k) = order_no.get(l.order_id.as_str())
                && let Some(o) = orders.get_mut(k as usize)
            {
                o.2.push(i);
            }
        }
        for (sum, src, of_order) in &orders {
            let amount = -*sum;
            let sales = of_order
                .iter()
                .filter_map(|&i| self.lines.get(i))
                .fold(Decimal::ZERO, |a, l| {
                    a.checked_add(l.gross_sales()).unwrap_or(a)
                });
            if amount <= Decimal::ZERO || (amount < sales && of_order.len() > 1) {
                continue;
            }
            for &i in of_order {
                if let Some(line) = self.lines.get(i) {
                    let units = if amount >= sales {
                        line.quantity
                    } else {
                        refunded_units(amount, line)
                    };
                    told.say(self, i, refund_state(units, *src));
                }
            }
        }
    }

    /// Puts the changed lines of [`Ledger::terminal_facts`] in place of the copies they change.
    pub fn apply_facts(&mut self, facts: &'a TerminalFacts) {
        for (i, line) in &facts.lines {
            if let Some(slot) = self.lines.get_mut(*i) {
                *slot = line;
            }
        }
    }

    /// The position of the line (Order ID, SKU ID) among [`Ledger::lines`], before
    /// [`Ledger::release_keys`].
    pub fn position(&self, order_id: &str, sku_id: &str) -> Option<usize> {
        self.by_key
            .find(line_key_hash(order_id, sku_id), |&i| {
                is_line(&self.lines, i, order_id, sku_id)
            })
            .map(|&i| i as usize)
    }

    /// The order line an affiliate row belongs to: on (Order ID, SKU ID), or — for older exports with
    /// only a seller SKU — the order's line with that seller SKU.
    pub fn line_of(&self, row: &AffiliateRow) -> Option<usize> {
        if !row.sku_id.is_empty() {
            return self.position(&row.order_id, &row.sku_id);
        }
        if row.seller_sku.is_empty() {
            return None;
        }
        self.lines
            .iter()
            .position(|l| l.order_id == row.order_id && *l.seller_sku == *row.seller_sku)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn line(order: &str, sku: &str, latest: &str, qty: i64) -> OrderLine {
        let t = NaiveDateTime::parse_from_str(latest, "%Y-%m-%d %H:%M:%S").unwrap_or_default();
        OrderLine {
            order_id: order.into(),
            sku_id: sku.into(),
            seller_sku: "".into(),
            product_name: "".into(),
            variation: "".into(),
            status: LineStatus::Sold,
            quantity: qty,
            return_quantity: 0,
            subtotal_before_discount: dec!(10),
            seller_discount: dec!(0),
            platform_discount: dec!(0),
            order_shipping: dec!(0),
            order_taxes: dec!(0),
            category: "".into(),
            currency: crate::money::Currency::USD,
            tax_rate: None,
            created: t,
            latest: t,
            buyer: 0,
        }
    }

    #[test]
    fn overlapping_exports_keep_the_newest_copy() {
        let first = [
            line("1", "a", "2026-05-01 10:00:00", 1),
            line("1", "b", "2026-05-01 10:00:00", 1),
        ];
        let second = [
            line("1", "a", "2026-05-03 10:00:00", 2),
            line("1", "b", "2026-04-30 10:00:00", 5),
        ];
        let mut l = Ledger::new();
        l.add(first.iter());
        let dups = l.add(second.iter());
        assert_eq!(dups, 2);
        assert_eq!(l.len(), 2);
        assert_eq!(l.lines()[0].quantity, 2, "newer copy wins");
        assert_eq!(l.lines()[1].quantity, 1, "older copy loses");
    }
}
