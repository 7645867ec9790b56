//! The newest fact wins, and says so (docs/metrics.md §1 and §5): a refund or a cancellation seen in any
//! loaded export — a later Orders export, an Affiliate row `Fully returned or refunded` = Yes, a settled
//! finance refund — overrides an older "Delivered"; returned quantities take the largest seen; the file
//! whose record decided is credited in the report's `files` entries. Ineligible affiliate rows pay no
//! commission; a loaded, sold line still counts for its creator; an unloaded one counts as cancelled.
//!
//! Every file is a small CSV written here; every expected value is tallied by hand in the comments.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use margin_engine::costs::CostsTable;
use margin_engine::import::{ImportOptions, ImportedFile, read_any};
use margin_engine::ledger::LineUpdates;
use margin_engine::report::{self, CreatorEntry, FileEntry, Report, SkuEntry};

fn file(name: &str, csv: &str) -> ImportedFile {
    read_any(name, csv.as_bytes(), ImportOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn build(files: &[ImportedFile]) -> Report {
    report::build(files, &CostsTable::default(), None, None)
        .unwrap()
        .0
}

const ORDERS_HEADER: &str = "Order ID,Order Status,Cancelation/Return Type,SKU ID,Quantity,Sku Quantity of return,\
SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time,Delivered Time,Cancelled Time\n";

/// The older Orders export, downloaded 12 May: three delivered lines.
/// - A (…001), SKU 11, 2 units, 40.00 − 0 = gross 40.00
/// - B (…002), SKU 11, 1 unit, 20.00 − 0 = gross 20.00
/// - C (…003), SKU 22, 1 unit, 30.00 − 5.00 = gross 25.00
fn old_orders() -> ImportedFile {
    let csv = format!(
        "{ORDERS_HEADER}\
         576000000000000001,Delivered,,11,2,0,40.00,0.00,05/01/2026 10:00:00 AM,05/01/2026 10:00:05 AM,05/04/2026 10:00:00 AM,\n\
         576000000000000002,Delivered,,11,1,0,20.00,0.00,05/01/2026 11:00:00 AM,05/01/2026 11:00:05 AM,05/04/2026 11:00:00 AM,\n\
         576000000000000003,Delivered,,22,1,0,30.00,5.00,05/02/2026 10:00:00 AM,05/02/2026 10:00:05 AM,05/05/2026 10:00:00 AM,\n"
    );
    file("us_orders_2026-05-12.csv", &csv)
}

const AFFILIATE_HEADER: &str = "Order ID,SKU ID,Creator Username,Content Type,Content ID,Order Status,Quantity,\
Fully returned or refunded,Currency,Est. Commission Base,Est. standard commission payment,Time Created\n";

fn creator<'a>(r: &'a Report, name: &str) -> &'a CreatorEntry {
    r.creators
        .iter()
        .find(|c| c.creator == name)
        .unwrap_or_else(|| panic!("no creator {name}"))
}

fn sku<'a>(r: &'a Report, id: &str) -> &'a SkuEntry {
    r.skus
        .iter()
        .find(|s| s.sku_id == id)
        .unwrap_or_else(|| panic!("no SKU {id}"))
}

fn entry<'a>(r: &'a Report, name: &str) -> &'a FileEntry {
    r.files
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no file {name}"))
}

#[test]
fn an_affiliate_refund_overrides_an_older_delivered_in_totals_skus_and_creators() {
    // The Affiliate export, downloaded later (late May):
    // - A: alice, Ineligible, 2 units, fully returned = Yes, est. commission 4.00 (paid 0: Ineligible)
    // - B: bob, Pending, 1 unit, No, est. commission 2.00
    // - C: alice, Ineligible, 1 unit, No, est. commission 2.50 (paid 0), line loaded and delivered
    // - D (…004, not in any Orders export): carol, Ineligible, No, base 30.00 → counts as cancelled
    // (Affiliate exports write dates day first: 01/05/2026 is 1 May, inside the days the Orders export
    // covers, 1–2 May — docs/metrics.md §9 — so carol's unloaded rows count for her.)
    // - E (…005, not loaded): carol, Pending, fully returned = Yes, base 20.00, commission 2.00 → a refund
    let affiliate = file(
        "us_affiliate_orders_2026-05.csv",
        &format!(
            "{AFFILIATE_HEADER}\
             576000000000000001,11,alice,Video,v1,Ineligible,2,Yes,USD,40.00,4.00,01/05/2026 10:00:00 AM\n\
             576000000000000002,11,bob,Livestream,l1,Pending,1,No,USD,20.00,2.00,01/05/2026 11:00:00 AM\n\
             576000000000000003,22,alice,Video,v1,Ineligible,1,No,USD,25.00,2.50,02/05/2026 10:00:00 AM\n\
             576000000000000004,22,carol,Video,v2,Ineligible,1,No,USD,30.00,3.00,02/05/2026 12:00:00 PM\n\
             576000000000000005,11,carol,Video,v2,Pending,1,Yes,USD,20.00,2.00,02/05/2026 1:00:00 PM\n"
        ),
    );
    let r = build(&[old_orders(), affiliate]);

    // Totals over the three loaded lines: gmv 40 + 20 + 25 = 85.00; line A now refunded whole (2 of 2
    // units): refunds 40.00; net 85 − 40 = 45.00. Units sold 0 (A) + 1 (B) + 1 (C) = 2, returned 2;
    // orders A, B, C = 3 (a returned line keeps its order); return rate 2 / (2 + 2) = 50.00 %.
    // Commission: A 0 (Ineligible) + B 2.00 + C 0 (Ineligible) = 2.00.
    let t = &r.totals;
    assert_eq!(t.gmv, "85.00");
    assert_eq!(t.refunds, "40.00");
    assert_eq!(t.cancelled_sales, "0.00");
    assert_eq!(t.net_sales, "45.00");
    assert_eq!(t.units_sold, 2);
    assert_eq!(t.units_returned, 2);
    assert_eq!(t.orders, 3);
    assert_eq!(t.return_rate.as_deref(), Some("50.00"));
    assert_eq!(t.affiliate_commission, "2.00");

    // SKU 11: lines A and B, gmv 60.00, refunds 40.00, net 20.00, 1 unit sold, 2 returned.
    // SKU 22: line C, gmv 25.00, net 25.00, 1 unit sold.
    let s11 = &sku(&r, "11").figures;
    assert_eq!(
        (
            s11.gmv.as_str(),
            s11.refunds.as_str(),
            s11.net_sales.as_str()
        ),
        ("60.00", "40.00", "20.00")
    );
    assert_eq!((s11.units_sold, s11.units_returned), (1, 2));
    let s22 = &sku(&r, "22").figures;
    assert_eq!((s22.net_sales.as_str(), s22.units_sold), ("25.00", 1));

    // alice drove A (refunded) and C (Ineligible, yet loaded and delivered: it still counts for her):
    // gross sales 40 + 25 = 65.00, refunds 40.00, net revenue 65 − 40 = 25.00 (US: no VAT), 1 unit
    // (C), orders A and C = 2, commission 0 (both rows Ineligible).
    let alice = creator(&r, "alice");
    assert_eq!(alice.gross_sales, "65.00");
    assert_eq!(alice.refunds, "40.00");
    assert_eq!(alice.net_revenue, "25.00");
    assert_eq!((alice.units, alice.orders), (1, 2));
    assert_eq!(alice.commission, "0.00");
    // bob: B only, 20.00, 1 unit, 1 order, commission 2.00.
    let bob = creator(&r, "bob");
    assert_eq!(
        (bob.gross_sales.as_str(), bob.refunds.as_str()),
        ("20.00", "0.00")
    );
    assert_eq!((bob.units, bob.orders), (1, 1));
    assert_eq!(bob.commission, "2.00");
    // carol's rows are both unloaded: D (Ineligible) counts as cancelled — gmv 30 and cancelled 30, so
    // gross sales 0 and no order; E (fully returned) is a refund of its base: gross sales 20.00, refunds
    // 20.00, 0 units after the return, 1 order; commission E's 2.00 (D pays nothing).
    let carol = creator(&r, "carol");
    assert_eq!(carol.gross_sales, "20.00");
    assert_eq!(carol.refunds, "20.00");
    assert_eq!(carol.net_revenue, "0.00");
    assert_eq!((carol.units, carol.orders), (0, 1));
    assert_eq!(carol.commission, "2.00");
    assert_eq!(carol.unmatched_rows, 2);

    // The override is reported on the file that caused it, and in the warnings.
    let aff = entry(&r, "us_affiliate_orders_2026-05.csv");
    assert_eq!(
        aff.overrides,
        LineUpdates {
            refunded: 1,
            cancelled: 0
        }
    );
    // A, B, C join a loaded line; D and E do not: 3 of 5.
    assert_eq!((aff.joined_rows, aff.rows), (Some(3), 5));
    let orders = entry(&r, "us_orders_2026-05-12.csv");
    assert_eq!(orders.overrides, LineUpdates::default());
    assert_eq!(orders.joined_rows, None);
    assert!(
        r.warnings
            .iter()
            .any(|w| w == "1 line updated by us_affiliate_orders_2026-05.csv: refunded"),
        "{:?}",
        r.warnings
    );
}

#[test]
fn without_the_affiliate_export_the_same_line_is_sold() {
    // The control: the Orders export alone says A was delivered: no refund, 4 units sold (2 + 1 + 1),
    // net sales = gmv = 85.00, no override.
    let r = build(&[old_orders()]);
    assert_eq!(r.totals.refunds, "0.00");
    assert_eq!(r.totals.net_sales, "85.00");
    assert_eq!(r.totals.units_sold, 4);
    assert!(r.warnings.iter().all(|w| !w.contains("updated by")));
}

/// A later Orders export (downloaded 17 May): A returned 1 of its 2 units, B cancelled, C delivered.
fn new_orders() -> ImportedFile {
    let csv = format!(
        "{ORDERS_HEADER}\
         576000000000000001,Completed,Return/Refund,11,2,1,40.00,0.00,05/01/2026 10:00:00 AM,05/01/2026 10:00:05 AM,05/04/2026 10:00:00 AM,\n\
         576000000000000002,Cancelled,Cancel,11,1,1,20.00,0.00,05/01/2026 11:00:00 AM,05/01/2026 11:00:05 AM,,05/06/2026 09:00:00 AM\n\
         576000000000000003,Delivered,,22,1,0,30.00,5.00,05/02/2026 10:00:00 AM,05/02/2026 10:00:05 AM,05/05/2026 10:00:00 AM,\n"
    );
    file("us_orders_2026-05-17.csv", &csv)
}

#[test]
fn a_later_orders_export_cancels_and_refunds_with_the_largest_returned_quantity() {
    // The 2026 statement (per SKU line) settles A's refund: Gross sales refund −40.00 = the whole line
    // (gross 40.00), so 2 units — more than the 1 the later Orders export gives: the largest wins.
    let statement = file(
        "statement_2026-05.csv",
        "Order ID,SKU ID,Type,Order settled date,Currency,Net order margin,Gross sales,Gross sales refund\n\
         576000000000000001,11,Order,2026/05/20,USD,-2.00,40.00,-40.00\n",
    );
    let r = build(&[old_orders(), new_orders(), statement]);
    // gmv 40 + 20 + 25 = 85.00; B cancelled: 20.00; A refunded whole: 40.00; net 85 − 20 − 40 = 25.00.
    // Units sold: C's 1; returned: A's 2; orders: A and C = 2 (a cancelled line has no order).
    let t = &r.totals;
    assert_eq!(t.gmv, "85.00");
    assert_eq!(t.cancelled_sales, "20.00");
    assert_eq!(t.refunds, "40.00");
    assert_eq!(t.net_sales, "25.00");
    assert_eq!((t.units_sold, t.units_returned, t.orders), (1, 2, 2));
    // B was delivered in the older export and cancelled in the later one: the later export decided.
    // A was delivered, then returned 1 unit, then refunded whole by the statement: the statement decided.
    assert_eq!(
        entry(&r, "us_orders_2026-05-17.csv").overrides,
        LineUpdates {
            refunded: 0,
            cancelled: 1
        }
    );
    let fin = entry(&r, "statement_2026-05.csv");
    assert_eq!(
        fin.overrides,
        LineUpdates {
            refunded: 1,
            cancelled: 0
        }
    );
    // The statement's one row joins line A.
    assert_eq!((fin.joined_rows, fin.rows), (Some(1), 1));
    assert_eq!(
        entry(&r, "us_orders_2026-05-12.csv").overrides,
        LineUpdates::default()
    );
    for w in [
        "1 line updated by us_orders_2026-05-17.csv: cancelled",
        "1 line updated by statement_2026-05.csv: refunded",
    ] {
        assert!(r.warnings.iter().any(|x| x == w), "{w}: {:?}", r.warnings);
    }
}

#[test]
fn a_cancellation_in_an_older_export_stays_final_and_the_larger_return_wins_whichever_copy_is_newer()
 {
    // The exports given the other way round change nothing: the newer copies still win on their
    // timestamps, and a terminal state is terminal whichever file says it. Here the older export is the
    // one with the return of 2 units and the cancellation, the newer one (later delivered times) says
    // everything was delivered, with a return of 1 unit on A.
    let older = file(
        "older.csv",
        &format!(
            "{ORDERS_HEADER}\
             576000000000000001,Completed,Return/Refund,11,2,2,40.00,0.00,05/01/2026 10:00:00 AM,05/01/2026 10:00:05 AM,05/04/2026 10:00:00 AM,\n\
             576000000000000002,Cancelled,Cancel,11,1,1,20.00,0.00,05/01/2026 11:00:00 AM,05/01/2026 11:00:05 AM,,05/02/2026 09:00:00 AM\n"
        ),
    );
    let newer = file(
        "newer.csv",
        &format!(
            "{ORDERS_HEADER}\
             576000000000000001,Completed,Return/Refund,11,2,1,40.00,0.00,05/01/2026 10:00:00 AM,05/01/2026 10:00:05 AM,05/09/2026 10:00:00 AM,\n\
             576000000000000002,Delivered,,11,1,0,20.00,0.00,05/01/2026 11:00:00 AM,05/01/2026 11:00:05 AM,05/09/2026 11:00:00 AM,\n"
        ),
    );
    let r = build(&[older, newer]);
    // A: returned 2 of 2 (the larger): refunds 40.00; B: cancelled 20.00. gmv 60.00, net 0.00, no unit
    // sold, 2 returned, 1 order (A).
    let t = &r.totals;
    assert_eq!(
        (
            t.gmv.as_str(),
            t.cancelled_sales.as_str(),
            t.refunds.as_str(),
            t.net_sales.as_str()
        ),
        ("60.00", "20.00", "40.00", "0.00")
    );
    assert_eq!((t.units_sold, t.units_returned, t.orders), (0, 2, 1));
    // Both decided by the older file.
    assert_eq!(
        entry(&r, "older.csv").overrides,
        LineUpdates {
            refunded: 1,
            cancelled: 1
        }
    );
    assert_eq!(entry(&r, "newer.csv").overrides, LineUpdates::default());
    assert!(
        r.warnings
            .iter()
            .any(|w| w == "2 lines updated by older.csv: 1 refunded, 1 cancelled"),
        "{:?}",
        r.warnings
    );
}

#[test]
fn an_order_level_finance_refund_refunds_the_order_it_covers() {
    // The income export is per order. Order C (one line, gross 25.00) is refunded 25.00: its line is
    // refunded whole. Order A (one line of 2 units, gross 40.00) is refunded 20.00: half its gross, so
    // 2 × 20 / 40 = 1 unit. An on-hold estimate is not a settled refund: none here.
    let income = file(
        "income_2026-05.csv",
        "Order/adjustment ID,Type,Order created time,Order settled time,Currency,Total settlement amount,\
         Total revenue,Refund subtotal after seller discounts,Total fees\n\
         576000000000000003,Order,2026/05/02,2026/05/20,USD,-1.00,0.00,-25.00,-1.00\n\
         576000000000000001,Order,2026/05/01,2026/05/20,USD,18.00,20.00,-20.00,-2.00\n\
         576000000000000099,Order,2026/05/01,2026/05/20,USD,9.00,10.00,0.00,-1.00\n",
    );
    let r = build(&[old_orders(), income]);
    // gmv 85.00; refunds: A 40 × 1 / 2 = 20.00, C 25.00 → 45.00; net 40.00. Units: A 1 sold 1
    // returned, B 1 sold, C 1 returned → 2 sold, 2 returned.
    let t = &r.totals;
    assert_eq!(
        (t.refunds.as_str(), t.net_sales.as_str()),
        ("45.00", "40.00")
    );
    assert_eq!((t.units_sold, t.units_returned), (2, 2));
    let fin = entry(&r, "income_2026-05.csv");
    assert_eq!(
        fin.overrides,
        LineUpdates {
            refunded: 2,
            cancelled: 0
        }
    );
    // Orders …003 and …001 are loaded, …099 is not: 2 of 3 rows joined.
    assert_eq!((fin.joined_rows, fin.rows), (Some(2), 3));
}

#[test]
fn a_partial_order_level_refund_of_several_lines_names_no_line() {
    // Order …007 has two lines of 10.00 each; the income export refunds 10.00 of the order: which line
    // is not said, so neither line's class changes (no unit returned), but the money is refunded: the
    // 10.00 is shared by the lines' gross sales, 5.00 each (docs/metrics.md §2: net sales use the
    // finance refund's amount). A refund of the whole 20.00 refunds both lines.
    let orders = file(
        "orders.csv",
        &format!(
            "{ORDERS_HEADER}\
             576000000000000007,Delivered,,11,1,0,10.00,0.00,05/01/2026 10:00:00 AM,05/01/2026 10:00:05 AM,,\n\
             576000000000000007,Delivered,,22,1,0,10.00,0.00,05/01/2026 10:00:00 AM,05/01/2026 10:00:05 AM,,\n"
        ),
    );
    let income = |refund: &str| {
        file(
            "income.csv",
            &format!(
                "Order/adjustment ID,Type,Order created time,Order settled time,Currency,Total settlement amount,\
                 Refund subtotal after seller discounts\n\
                 576000000000000007,Order,2026/05/01,2026/05/20,USD,0.00,{refund}\n"
            ),
        )
    };
    let r = build(&[orders.clone(), income("-10.00")]);
    assert_eq!(
        (r.totals.refunds.as_str(), r.totals.net_sales.as_str()),
        ("10.00", "10.00")
    );
    assert_eq!((r.totals.units_sold, r.totals.units_returned), (2, 0));
    assert_eq!(entry(&r, "income.csv").overrides, LineUpdates::default());
    let r = build(&[orders, income("-20.00")]);
    assert_eq!(r.totals.refunds, "20.00");
    assert_eq!(entry(&r, "income.csv").overrides.refunded, 2);
}
