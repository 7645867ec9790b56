//! Platform fees as dated data (docs/fees.md C.10), computed per order line and per unit.
//!
//! A fee schedule is a list of [`FeeRule`] rows. Every rule of a market in force on a date applies, and
//! their amounts add up (SEA markets stack a commission and a transaction fee, docs/fees.md C.4). A new market
//! or a new rate is a row edit, never a new branch in the code (docs/style.md §4). [`default_rules`] seeds the
//! table from docs/fees.md; the user's saved workspace keeps an edited copy.
//!
//! Two computations read the table:
//! - [`line_fees`]: the modelled fee of one Orders-export line (docs/metrics.md §3 `platform_fees` when no
//!   finance export is loaded), with the part returned on a return and the refund administration fee;
//! - [`unit_fee`]: the fee of one unit at a price, as a piecewise-linear function of the price, for the
//!   what-if solvers (docs/metrics.md §7).
//!
//! The seeded table (`default_rules`, with its sources) is in `rules.rs`; the types and both
//! computations are here.
//!
//! Nothing is rounded here: fees are exact decimals, rounded only when shown (docs/metrics.md preamble).

use crate::sort_dyn::SortDyn;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

mod rules;
pub use rules::default_rules;

/// A fee rule's source as the page shows it: without the leading reference to the docs
/// (`docs/fees.md C.1: `), and with a later mention of them written as "the fee table".
///
/// ```
/// use margin_engine::fees::plain_source;
/// assert_eq!(plain_source("docs/fees.md C.4/C.10: fee 2 % — https://x.test [3P]"), "fee 2 % — https://x.test [3P]");
/// assert_eq!(plain_source("Earlier rate not in docs/fees.md; see"), "Earlier rate not in the fee table; see");
/// assert_eq!(plain_source("My statement, May 2025"), "My statement, May 2025");
/// assert_eq!(plain_source("A saved rule: see docs/fees.md."), "A saved rule: see the fee table.");
/// ```
pub fn plain_source(source: &str) -> String {
    let body = match source.split_once(": ") {
        Some((head, body)) if head.to_ascii_lowercase().contains(".md") => body,
        _ => source,
    };
    // Any later word naming a Markdown document (the fee table, however a saved rule spells it).
    let mut out = String::with_capacity(body.len());
    for (i, word) in body.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let core = word.trim_end_matches(['.', ',', ';', ':', ')']);
        if core.to_ascii_lowercase().ends_with(".md") {
            out.push_str("the fee table");
            out.push_str(&word[core.len()..]);
        } else {
            out.push_str(word);
        }
    }
    out
}

/// What a fee's rate is applied to (docs/fees.md C.10).
///
/// With the line's `gross_sales` (item price after seller discount, docs/metrics.md §2), `platform_discount`
/// (TikTok-funded, reimbursed to the seller), `buyer_shipping` and `tax` (sales tax collected on top of
/// the price, US only), the order export's money fields give (docs/fees.md C.1, order money fields):
///
/// - customer payment = gross_sales − platform_discount + buyer_shipping + tax;
/// - net sales (what the buyer paid for the items) = gross_sales − platform_discount.
///
/// Each base is then exactly as its name says, and is never below zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeBase {
    /// `gross_sales`: item price after seller discount, without shipping; platform discounts do not
    /// lower it (SEA commissions, TH Commerce Growth Fee; docs/fees.md C.4).
    ItemAfterSellerDiscount,
    /// US referral fee: customer payment + platform discount − tax = `gross_sales + buyer_shipping`
    /// (docs/fees.md C.1; docs/metrics.md §3 "6 % × (gross_sales + the line's share of buyer-paid shipping)").
    CustomerPaymentPlusPlatformDiscountMinusTax,
    /// UK/EU commission: net sales + buyer-paid shipping + platform discount = `gross_sales +
    /// buyer_shipping` (docs/fees.md C.3; the integrator's example: £100 − £10 seller − £10 platform discount
    /// + £5 shipping → base £95).
    NetSalesPlusBuyerShippingPlusPlatformDiscount,
    /// SEA transaction fees: customer payment = `gross_sales − platform_discount + buyer_shipping + tax`.
    /// The "− refund" of the name is the return: pair this base with [`Refundable::ProRata`].
    CustomerPaymentMinusRefund,
}

impl FeeBase {
    /// The base amount of a line, never below zero.
    ///
    /// # Examples
    /// ```
    /// use margin_engine::fees::{FeeBase, LineFeeInput};
    /// use rust_decimal_macros::dec;
    /// let line = LineFeeInput {
    ///     gross_sales: dec!(90), platform_discount: dec!(10), buyer_shipping: dec!(5), tax: dec!(7),
    ///     ..LineFeeInput::new("GB", chrono::NaiveDate::from_ymd_opt(2026, 5, 1).unwrap())
    /// };
    /// assert_eq!(FeeBase::ItemAfterSellerDiscount.amount(&line), dec!(90));
    /// assert_eq!(FeeBase::NetSalesPlusBuyerShippingPlusPlatformDiscount.amount(&line), dec!(95));
    /// assert_eq!(FeeBase::CustomerPaymentPlusPlatformDiscountMinusTax.amount(&line), dec!(95));
    /// assert_eq!(FeeBase::CustomerPaymentMinusRefund.amount(&line), dec!(92));
    /// ```
    pub fn amount(self, line: &LineFeeInput<'_>) -> Decimal {
        let customer_payment =
            line.gross_sales - line.platform_discount + line.buyer_shipping + line.tax;
        let net_sales = line.gross_sales - line.platform_discount;
        let base = match self {
            FeeBase::ItemAfterSellerDiscount => line.gross_sales,
            FeeBase::CustomerPaymentPlusPlatformDiscountMinusTax => {
                customer_payment + line.platform_discount - line.tax
            }
            FeeBase::NetSalesPlusBuyerShippingPlusPlatformDiscount => {
                net_sales + line.buyer_shipping + line.platform_discount
            }
            FeeBase::CustomerPaymentMinusRefund => customer_payment,
        };
        base.max(Decimal::ZERO)
    }
}

/// What happens to a fee when units of the line are returned and refunded (docs/fees.md C.5).
///
/// With `r` of the line's `n` units returned:
///
/// | variant | rate part and per-item part | per-order part | refund admin fee |
/// |---|---|---|---|
/// | `Full` | returned × r/n | returned only when the line is fully returned (r = n) | none |
/// | `ProRata` | returned × r/n | returned × r/n | none |
/// | `No` | kept | kept | none |
/// | `MinusRefundAdminFee` | as `Full` | as `Full` | `refund_admin_fee_rate` × returned, at most `refund_admin_fee_cap` per SKU line |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Refundable {
    /// Returned on a full return; on a partial return the fixed per-order part is kept (US launch
    /// rule: "partial refund → the $0.30 is not returned", docs/fees.md C.1).
    Full,
    /// Returned in proportion to the units returned (UK/EU commission base subtracts the refund).
    ProRata,
    /// Never returned (TH Commerce Growth Fee, order processing fees).
    No,
    /// As `Full`, minus a refund administration fee (US referral fee from 2024-04-01).
    MinusRefundAdminFee,
}

/// A category's own rate in a rule (e.g. EU electronics 7 % instead of 9 %).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryRate {
    /// The category name as the Orders export's `Product Category` writes it; matched ignoring case and
    /// surrounding spaces.
    pub category: String,
    /// The rate as a ratio (`0.07` for 7 %).
    pub rate: Decimal,
}

/// One dated fee rule of one market (docs/fees.md C.10). Rates are ratios (`0.06` for 6 %).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeRule {
    /// ISO country code of the market: `US`, `GB`, `DE`, `TH`… (matched ignoring case).
    pub market: String,
    /// The fee's name as TikTok calls it, e.g. `Referral fee`, `Commerce Growth Fee`.
    pub name: String,
    /// First day the rule applies (inclusive); `None` = since always.
    #[serde(default)]
    pub effective_from: Option<NaiveDate>,
    /// Last day the rule applies (inclusive); `None` = until further notice.
    #[serde(default)]
    pub effective_to: Option<NaiveDate>,
    /// What the rate is applied to.
    pub base: FeeBase,
    /// Rate as a ratio, for categories without an override.
    pub rate: Decimal,
    /// Amount charged once per order (on the order's first line).
    #[serde(default)]
    pub fixed_per_order: Decimal,
    /// Amount charged per unit.
    #[serde(default)]
    pub fixed_per_item: Decimal,
    /// Cap of the rate part per unit (TH THB 199, ID Rp40,000); fixed parts are not capped.
    #[serde(default)]
    pub cap_per_item: Option<Decimal>,
    /// The rate already includes the tax charged on the fee (VAT/GST/SST). When false the tax on the
    /// fee is not modelled (shown in the settings table).
    pub tax_inclusive: bool,
    /// What a return does to the fee.
    pub refundable: Refundable,
    /// With [`Refundable::MinusRefundAdminFee`]: the share of the returned fee kept as refund
    /// administration fee (US: `0.20`). Ignored otherwise.
    #[serde(default)]
    pub refund_admin_fee_rate: Decimal,
    /// Cap of the refund administration fee per SKU line (US: 5.00). `None` = no cap.
    #[serde(default)]
    pub refund_admin_fee_cap: Option<Decimal>,
    /// Rates of particular categories, replacing `rate`.
    #[serde(default)]
    pub category_overrides: Vec<CategoryRate>,
    /// Where the rule comes from (docs/fees.md source URL or note), shown in the settings table.
    #[serde(default)]
    pub source: String,
    /// docs/fees.md marks the rule UNCERTAIN: a default for the user to check, not a fact.
    #[serde(default)]
    pub uncertain: bool,
}

impl FeeRule {
    /// True when the rule is of `market` (ignoring case and spaces) and `date` is within its inclusive
    /// effective range.
    ///
    /// # Examples
    /// ```
    /// use margin_engine::fees::default_rules;
    /// use chrono::NaiveDate;
    /// let rules = default_rules();
    /// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let six = rules.iter().find(|r| r.market == "US" && r.effective_to.is_none()).unwrap();
    /// assert!(!six.in_force("us", day(2024, 3, 31)));
    /// assert!(six.in_force("us", day(2024, 4, 1)));
    /// ```
    pub fn in_force(&self, market: &str, date: NaiveDate) -> bool {
        self.market.trim().eq_ignore_ascii_case(market.trim())
            && self.effective_from.is_none_or(|from| from <= date)
            && self.effective_to.is_none_or(|to| date <= to)
    }

    /// The rate for a category: its override when one matches (ignoring case and surrounding spaces),
    /// else `rate`.
    pub fn rate_for(&self, category: Option<&str>) -> Decimal {
        category
            .and_then(|c| {
                self.category_overrides
                    .iter()
                    .find(|o| o.category.trim().eq_ignore_ascii_case(c.trim()))
            })
            .map_or(self.rate, |o| o.rate)
    }

    /// The fee part of one line under this rule (`rule` is its index, copied into the part).
    fn line_part(&self, rule: usize, line: &LineFeeInput<'_>) -> FeePart {
        let a = self.line_amounts(line);
        FeePart {
            rule,
            name: self.name.clone(),
            uncertain: self.uncertain,
            base: a.base,
            rate: a.rate,
            cap_applied: a.cap_applied,
            charged: a.charged,
            returned: a.returned,
            refund_admin_fee: a.refund_admin_fee,
        }
    }

    /// The amounts of [`FeeRule::line_part`], without the rule's name (the aggregation asks this of
    /// every line and needs only the sums).
    fn line_amounts(&self, line: &LineFeeInput<'_>) -> PartAmounts {
        let rate = self.rate_for(line.category);
        let mut part = PartAmounts {
            base: Decimal::ZERO,
            rate,
            cap_applied: false,
            charged: Decimal::ZERO,
            returned: Decimal::ZERO,
            refund_admin_fee: Decimal::ZERO,
        };
        let items = line.quantity.max(0);
        // docs/metrics.md §3: no fee on cancelled lines; a line without units has nothing to charge.
        if line.cancelled || items == 0 {
            return part;
        }
        let n = Decimal::from(items);
        part.base = self.base.amount(line);
        let uncapped = rate * part.base;
        let rate_part = match self.cap_per_item {
            Some(cap) if uncapped > cap * n => {
                part.cap_applied = true;
                cap * n
            }
            _ => uncapped,
        };
        let per_item = self.fixed_per_item * n;
        let per_order = if line.first_line_of_order {
            self.fixed_per_order
        } else {
            Decimal::ZERO
        };
        part.charged = rate_part + per_item + per_order;

        let returned_units = line.units_returned.clamp(0, items);
        let share = |amount: Decimal| -> Decimal {
            if returned_units == items {
                amount
            } else {
                amount * Decimal::from(returned_units) / n
            }
        };
        let fully_returned = returned_units == items;
        part.returned = match self.refundable {
            Refundable::No => Decimal::ZERO,
            Refundable::ProRata => share(rate_part) + share(per_item) + share(per_order),
            Refundable::Full | Refundable::MinusRefundAdminFee => {
                let order_part = if fully_returned {
                    per_order
                } else {
                    Decimal::ZERO
                };
                share(rate_part) + share(per_item) + order_part
            }
        };
        if self.refundable == Refundable::MinusRefundAdminFee {
            part.refund_admin_fee = capped(
                self.refund_admin_fee_rate * part.returned,
                self.refund_admin_fee_cap,
            );
        }
        part
    }
}

/// One rule's amounts on one line (a [`FeePart`] without its rule's identity).
struct PartAmounts {
    base: Decimal,
    rate: Decimal,
    cap_applied: bool,
    charged: Decimal,
    returned: Decimal,
    refund_admin_fee: Decimal,
}

/// `amount`, at most `cap` when there is one.
fn capped(amount: Decimal, cap: Option<Decimal>) -> Decimal {
    cap.map_or(amount, |c| amount.min(c))
}

/// One Orders-export line as the fee rules need it. All amounts are the line's, in its currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineFeeInput<'a> {
    /// ISO country code of the shop's market.
    pub market: &'a str,
    /// The date the rules are looked up on (the order date, docs/metrics.md §1).
    pub date: NaiveDate,
    /// `Product Category`, for category overrides.
    pub category: Option<&'a str>,
    /// SKU subtotal before discount − seller discount (item after seller discount).
    pub gross_sales: Decimal,
    /// TikTok-funded discount on the line (reimbursed to the seller; added back in the US/UK bases).
    pub platform_discount: Decimal,
    /// The line's share of buyer-paid shipping.
    pub buyer_shipping: Decimal,
    /// The line's share of sales tax collected on top of the price (US); excluded from the US base.
    pub tax: Decimal,
    /// Units on the line (`Quantity`).
    pub quantity: i64,
    /// Units returned and refunded, clamped to 0..=quantity.
    pub units_returned: i64,
    /// Cancelled lines pay no fee (docs/metrics.md §3).
    pub cancelled: bool,
    /// Fixed per-order parts are charged once per order, on its first line.
    pub first_line_of_order: bool,
}

impl<'a> LineFeeInput<'a> {
    /// A line of one unit in `market` on `date` with every amount zero, first line of its order; set the
    /// rest with struct update syntax.
    pub fn new(market: &'a str, date: NaiveDate) -> Self {
        LineFeeInput {
            market,
            date,
            category: None,
            gross_sales: Decimal::ZERO,
            platform_discount: Decimal::ZERO,
            buyer_shipping: Decimal::ZERO,
            tax: Decimal::ZERO,
            quantity: 1,
            units_returned: 0,
            cancelled: false,
            first_line_of_order: true,
        }
    }
}

/// One rule's share of a line's fee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeePart {
    /// Index of the rule in the slice given to [`line_fees`].
    pub rule: usize,
    /// The rule's name.
    pub name: String,
    /// The rule is marked UNCERTAIN.
    pub uncertain: bool,
    /// The base amount ([`FeeBase::amount`]); 0 on a cancelled line.
    pub base: Decimal,
    /// The rate applied (after the category override).
    pub rate: Decimal,
    /// The per-item cap limited the rate part.
    pub cap_applied: bool,
    /// Fee charged at sale: rate part (capped) + fixed per item × quantity + fixed per order (first line).
    pub charged: Decimal,
    /// Part of `charged` given back on the line's return ([`Refundable`]).
    pub returned: Decimal,
    /// Refund administration fee charged on the return.
    pub refund_admin_fee: Decimal,
}

/// The modelled platform fee of one line: the sum of its [`FeePart`]s.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineFee {
    /// Σ charged.
    pub charged: Decimal,
    /// Σ returned on the return.
    pub returned: Decimal,
    /// Σ refund administration fees.
    pub refund_admin_fee: Decimal,
    /// One part per rule in force; empty when the market has no rule on that date, so the caller can
    /// say the fee is not modelled rather than zero.
    pub parts: Vec<FeePart>,
}

impl LineFee {
    /// What the line costs the seller in fees: charged − returned + refund administration fee.
    ///
    /// # Examples
    /// ```
    /// use margin_engine::fees::{default_rules, line_fees, LineFeeInput};
    /// use rust_decimal_macros::dec;
    /// let date = chrono::NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
    /// // docs/fees.md C.1: a $40 item fully returned — referral fee 2.40 returned, 0.48 kept as RAF.
    /// let fee = line_fees(&default_rules(), &LineFeeInput {
    ///     gross_sales: dec!(40), units_returned: 1, ..LineFeeInput::new("US", date)
    /// });
    /// assert_eq!((fee.charged, fee.returned, fee.refund_admin_fee), (dec!(2.40), dec!(2.40), dec!(0.48)));
    /// assert_eq!(fee.net(), dec!(0.48));
    /// ```
    pub fn net(&self) -> Decimal {
        self.charged - self.returned + self.refund_admin_fee
    }

    /// False when no rule of the market was in force: the fee is unknown, not zero.
    pub fn is_modelled(&self) -> bool {
        !self.parts.is_empty()
    }
}

/// The modelled fee of one line under every rule of its market in force on its date.
///
/// Per rule, with `n` = quantity and `r` = units returned (clamped to 0..=n):
/// - charged = min(rate × base, cap_per_item × n) + fixed_per_item × n + fixed_per_order (first line
///   of the order only); 0 for a cancelled line or one without units;
/// - returned per [`Refundable`];
/// - refund administration fee = min(refund_admin_fee_rate × returned, refund_admin_fee_cap) with
///   [`Refundable::MinusRefundAdminFee`] (the cap is per SKU line, i.e. per call).
///
/// # Examples
/// ```
/// use margin_engine::fees::{default_rules, line_fees, LineFeeInput};
/// use rust_decimal_macros::dec;
/// let date = chrono::NaiveDate::from_ymd_opt(2024, 1, 15).unwrap();
/// // docs/metrics.md §4: 2 % + 0.30 on 40.00 = 1.10.
/// let fee = line_fees(&default_rules(), &LineFeeInput { gross_sales: dec!(40), ..LineFeeInput::new("US", date) });
/// assert_eq!(fee.charged, dec!(1.10));
/// // No rule for Brazil: nothing is modelled.
/// assert!(!line_fees(&default_rules(), &LineFeeInput::new("BR", date)).is_modelled());
/// ```
pub fn line_fees(rules: &[FeeRule], line: &LineFeeInput<'_>) -> LineFee {
    let mut fee = LineFee::default();
    for (i, rule) in rules.iter().enumerate() {
        if !rule.in_force(line.market, line.date) {
            continue;
        }
        let part = rule.line_part(i, line);
        fee.charged += part.charged;
        fee.returned += part.returned;
        fee.refund_admin_fee += part.refund_admin_fee;
        fee.parts.push(part);
    }
    fee
}

/// [`line_fees`] without the parts: the same sums, and whether any rule was in force (the fee is
/// modelled). The aggregation needs only these, for every line.
pub fn line_fee_sums(rules: &[FeeRule], line: &LineFeeInput<'_>) -> LineFeeSums {
    let mut fee = LineFeeSums::default();
    for rule in rules {
        if !rule.in_force(line.market, line.date) {
            continue;
        }
        let part = rule.line_amounts(line);
        fee.charged += part.charged;
        fee.returned += part.returned;
        fee.refund_admin_fee += part.refund_admin_fee;
        fee.modelled = true;
    }
    fee
}

/// The sums of a [`LineFee`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineFeeSums {
    /// Σ charged.
    pub charged: Decimal,
    /// Σ returned on the return.
    pub returned: Decimal,
    /// Σ refund administration fees.
    pub refund_admin_fee: Decimal,
    /// Some rule of the market was in force ([`LineFee::is_modelled`]).
    pub modelled: bool,
}

impl LineFeeSums {
    /// charged − returned + refund administration fee ([`LineFee::net`]).
    pub fn net(&self) -> Decimal {
        self.charged - self.returned + self.refund_admin_fee
    }
}

/// One rule's fee per unit as a function of the unit price `p` (what-if, docs/metrics.md §7).
///
/// fee(p) = min(rate × p, cap_per_item) + fixed_per_unit. The price is the only base: the what-if has
/// no buyer shipping, platform discount or sales tax, so every [`FeeBase`] reduces to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitFeeComponent {
    /// Index of the rule in the slice given to [`unit_fee`].
    pub rule: usize,
    /// The rule's name.
    pub name: String,
    /// Rate after the category override.
    pub rate: Decimal,
    /// Cap of the rate part per unit.
    pub cap_per_item: Option<Decimal>,
    /// fixed_per_item + fixed_per_order / units_per_order.
    pub fixed_per_unit: Decimal,
    /// What a return does to the fee.
    pub refundable: Refundable,
    /// Share of the returned fee kept as refund administration fee (with `MinusRefundAdminFee`).
    pub refund_admin_fee_rate: Decimal,
    /// The per-SKU-line cap spread over the units of an order: cap / units_per_order.
    pub refund_admin_fee_cap_per_unit: Option<Decimal>,
    /// The rule is marked UNCERTAIN.
    pub uncertain: bool,
}

impl UnitFeeComponent {
    /// True when the cap limits the rate part at `price` (rate × price > cap).
    pub fn capped_at(&self, price: Decimal) -> bool {
        self.cap_per_item
            .is_some_and(|cap| self.rate * price.max(Decimal::ZERO) > cap)
    }

    /// The fee of one unit sold at `price` (a negative price counts as 0).
    pub fn fee_at(&self, price: Decimal) -> Decimal {
        capped(self.rate * price.max(Decimal::ZERO), self.cap_per_item) + self.fixed_per_unit
    }

    /// The fee given back when a unit sold at `price` is returned. The what-if treats a returned unit
    /// as its order's whole return, so `Full` gives back the per-order share too.
    pub fn refunded_at(&self, price: Decimal) -> Decimal {
        match self.refundable {
            Refundable::No => Decimal::ZERO,
            Refundable::Full | Refundable::ProRata | Refundable::MinusRefundAdminFee => {
                self.fee_at(price)
            }
        }
    }

    /// The refund administration fee on a unit sold at `price` and returned.
    pub fn refund_admin_fee_at(&self, price: Decimal) -> Decimal {
        if self.refundable == Refundable::MinusRefundAdminFee {
            capped(
                self.refund_admin_fee_rate * self.refunded_at(price),
                self.refund_admin_fee_cap_per_unit,
            )
        } else {
            Decimal::ZERO
        }
    }

    /// What the seller still pays on a returned unit: fee − refunded + refund administration fee.
    pub fn retained_at(&self, price: Decimal) -> Decimal {
        self.fee_at(price) - self.refunded_at(price) + self.refund_admin_fee_at(price)
    }
}

/// Which cap starts binding at a [`Breakpoint`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakpointKind {
    /// The rate part reaches `cap_per_item`: above it the fee stops growing with the price.
    FeeCap,
    /// The refund administration fee reaches its cap.
    RefundAdminFeeCap,
}

/// A price where the per-unit fee function changes slope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breakpoint {
    /// The unit price (exact up to the 28 significant digits of a `Decimal` division).
    pub price: Decimal,
    /// Index of the component (in [`UnitFee::components`]) whose cap starts binding.
    pub component: usize,
    /// Which cap.
    pub kind: BreakpointKind,
}

/// The fee per unit as a piecewise-linear function of the unit price, read at one price.
///
/// Between consecutive [`breakpoints`](UnitFee::breakpoints) the fee is `slope × price + intercept`;
/// the fields describe the piece holding `price`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitFee {
    /// The price the figures below are read at.
    pub price: Decimal,
    /// Units per order used to spread per-order amounts (at least 1).
    pub units_per_order: Decimal,
    /// One component per rule in force; empty when the market has no rule on that date.
    pub components: Vec<UnitFeeComponent>,
    /// Fee of one unit sold at `price`.
    pub fee: Decimal,
    /// d fee / d price on the piece holding `price`: Σ rates of the uncapped components.
    pub slope: Decimal,
    /// fee − slope × price: Σ fixed parts + Σ caps of the capped components.
    pub intercept: Decimal,
    /// Prices where a cap starts binding, ascending.
    pub breakpoints: Vec<Breakpoint>,
    /// Refund administration fee per returned unit at `price`.
    pub refund_admin_fee: Decimal,
    /// Fee still paid on a returned unit at `price` (non-refunded parts + refund administration fee).
    pub retained_on_return: Decimal,
}

impl UnitFee {
    /// The fee of one unit at any price.
    pub fn fee_at(&self, price: Decimal) -> Decimal {
        self.components.iter().map(|c| c.fee_at(price)).sum()
    }

    /// The refund administration fee per returned unit at any price.
    pub fn refund_admin_fee_at(&self, price: Decimal) -> Decimal {
        self.components
            .iter()
            .map(|c| c.refund_admin_fee_at(price))
            .sum()
    }

    /// The fee still paid on a returned unit at any price.
    pub fn retained_at(&self, price: Decimal) -> Decimal {
        self.components.iter().map(|c| c.retained_at(price)).sum()
    }

    /// False when no rule of the market was in force: the fee is unknown, not zero.
    pub fn is_modelled(&self) -> bool {
        !self.components.is_empty()
    }
}

/// The fee per unit at `price` under every rule of `market` in force on `date`, as a piecewise-linear
/// function of the price, with the refund administration fee per returned unit.
///
/// Per-order parts are spread over `units_per_order` (values below 1 count as 1: an order has at
/// least one unit); the refund administration fee's per-SKU-line cap likewise.
///
/// # Examples
/// ```
/// use margin_engine::fees::{default_rules, unit_fee};
/// use rust_decimal_macros::dec;
/// let date = chrono::NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
/// let th = unit_fee(&default_rules(), "TH", date, None, dec!(1000), dec!(1));
/// assert_eq!((th.fee, th.slope, th.intercept), (dec!(64.2), dec!(0.0642), dec!(0)));
/// assert_eq!(th.breakpoints[0].price.round_dp(2), dec!(3099.69)); // 199 / 0.0642
/// let us = unit_fee(&default_rules(), "US", date, None, dec!(40), dec!(1));
/// assert_eq!((us.fee, us.refund_admin_fee), (dec!(2.40), dec!(0.48)));
/// ```
pub fn unit_fee(
    rules: &[FeeRule],
    market: &str,
    date: NaiveDate,
    category: Option<&str>,
    price: Decimal,
    units_per_order: Decimal,
) -> UnitFee {
    let u = units_per_order.max(Decimal::ONE);
    let components: Vec<UnitFeeComponent> = rules
        .iter()
        .enumerate()
        .filter(|(_, r)| r.in_force(market, date))
        .map(|(i, r)| UnitFeeComponent {
            rule: i,
            name: r.name.clone(),
            rate: r.rate_for(category),
            cap_per_item: r.cap_per_item,
            fixed_per_unit: r.fixed_per_item + r.fixed_per_order / u,
            refundable: r.refundable,
            refund_admin_fee_rate: r.refund_admin_fee_rate,
            refund_admin_fee_cap_per_unit: r.refund_admin_fee_cap.map(|c| c / u),
            uncertain: r.uncertain,
        })
        .collect();

    let mut breakpoints = Vec::new();
    for (i, c) in components.iter().enumerate() {
        let fee_cap_at = c
            .cap_per_item
            .and_then(|cap| cap.checked_div(c.rate))
            .filter(|p| *p > Decimal::ZERO);
        if let Some(p) = fee_cap_at {
            breakpoints.push(Breakpoint {
                price: p,
                component: i,
                kind: BreakpointKind::FeeCap,
            });
        }
        // RAF = rate_raf × (rate × p + fixed) reaches its cap at p = (cap / rate_raf − fixed) / rate,
        // if that is before the fee cap (after it the refunded fee, hence the RAF, is constant).
        if c.refundable == Refundable::MinusRefundAdminFee {
            let raf_cap_at = c
                .refund_admin_fee_cap_per_unit
                .and_then(|cap| cap.checked_div(c.refund_admin_fee_rate))
                .and_then(|fee| (fee - c.fixed_per_unit).checked_div(c.rate))
                .filter(|p| *p > Decimal::ZERO && fee_cap_at.is_none_or(|f| *p < f));
            if let Some(p) = raf_cap_at {
                breakpoints.push(Breakpoint {
                    price: p,
                    component: i,
                    kind: BreakpointKind::RefundAdminFeeCap,
                });
            }
        }
    }
    breakpoints.sort_by_key_dyn(|b| b.price);

    let p = price.max(Decimal::ZERO);
    let slope = components
        .iter()
        .filter(|c| !c.capped_at(p))
        .map(|c| c.rate)
        .sum();
    let fee: Decimal = components.iter().map(|c| c.fee_at(p)).sum();
    let refund_admin_fee = components.iter().map(|c| c.refund_admin_fee_at(p)).sum();
    let retained_on_return = components.iter().map(|c| c.retained_at(p)).sum();
    UnitFee {
        price,
        units_per_order: u,
        intercept: fee - slope * p,
        fee,
        slope,
        components,
        breakpoints,
        refund_admin_fee,
        retained_on_return,
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn line_fee_sums_are_the_sums_of_line_fees() {
        use rust_decimal_macros::dec;
        let rules = default_rules();
        for market in ["US", "GB", "ID", "BR"] {
            for (day, qty, returned, first) in [
                ("2024-01-10", 1, 0, true),
                ("2026-05-17", 2, 1, false),
                ("2026-05-17", 3, 3, true),
                ("2026-05-17", 0, 0, true),
            ] {
                let date = NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
                let input = LineFeeInput {
                    gross_sales: dec!(41.37),
                    platform_discount: dec!(2.10),
                    buyer_shipping: dec!(5.99),
                    tax: dec!(2.90),
                    quantity: qty,
                    units_returned: returned,
                    first_line_of_order: first,
                    ..LineFeeInput::new(market, date)
                };
                let full = line_fees(&rules, &input);
                let sums = line_fee_sums(&rules, &input);
                assert_eq!(
                    (
                        sums.charged,
                        sums.returned,
                        sums.refund_admin_fee,
                        sums.modelled
                    ),
                    (
                        full.charged,
                        full.returned,
                        full.refund_admin_fee,
                        full.is_modelled()
                    ),
                    "{market} {day}"
                );
                assert_eq!(sums.net(), full.net());
            }
        }
    }

    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn rules_round_trip_through_json_with_snake_case_enums() {
        let rules = default_rules();
        let text = serde_json::to_string(&rules).unwrap();
        assert!(text.contains("\"customer_payment_plus_platform_discount_minus_tax\""));
        assert!(text.contains("\"minus_refund_admin_fee\""));
        assert!(text.contains("\"rate\":\"0.06\""), "decimals as strings");
        let back: Vec<FeeRule> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, rules);
    }

    #[test]
    fn category_override_matches_ignoring_case_and_spaces() {
        let rules = default_rules();
        let th = rules.iter().find(|r| r.market == "TH").unwrap();
        assert_eq!(th.rate_for(Some(" electronics ")), dec!(0.0535));
        assert_eq!(th.rate_for(Some("Beauty")), dec!(0.0642));
        assert_eq!(th.rate_for(None), dec!(0.0642));
    }
}
