//! The GMV Max reconciliation figures (docs/metrics.md §6) on a hand-made case: reported vs blended ROAS,
//! the on/off-day incremental estimate and the attribution inflation.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use margin_engine::costs::CostsTable;
use margin_engine::import::{ImportOptions, read_any};
use margin_engine::money::Currency;
use margin_engine::report;
use margin_engine::settings::Settings;

/// Four days of orders: 1 and 2 May 100.00 each, with 20.00 of GMV Max spend each and 200.00 of reported
/// gross revenue each; 3 and 4 May 50.00 each, no spend. No fee rule.
/// - reported ROAS = 400 / 40 = 10.00; blended ROAS = net sales 300 / 40 = 7.50
/// - mean net sales with spend 100, without 50, mean cost 20 → estimate (100 − 50) / 20 = 2.50
/// - incremental net sales = (100 − 50) × 2 days = 100.00; inflation = 400 / 100 = 4.00
/// - 2 days of each kind < 7: a caution
#[test]
fn reconciliation_figures_of_a_hand_made_gmv_max_overview() {
    let usd = ImportOptions {
        currency: Some(Currency::USD),
        ..ImportOptions::default()
    };
    let orders = "Order ID,Order Status,SKU ID,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n\
576000000000000001,Shipped,1001,1,100.00,0,05/01/2026 10:00:00 AM,05/01/2026 10:00:10 AM\n\
576000000000000002,Shipped,1001,1,100.00,0,05/02/2026 10:00:00 AM,05/02/2026 10:00:10 AM\n\
576000000000000003,Shipped,1001,1,50.00,0,05/03/2026 10:00:00 AM,05/03/2026 10:00:10 AM\n\
576000000000000004,Shipped,1001,1,50.00,0,05/04/2026 10:00:00 AM,05/04/2026 10:00:10 AM\n";
    let gmv_max = "By Day,Cost,SKU orders (Current shop),Cost per order (Current shop),Gross revenue (Current shop),ROI,Currency\n\
2026-05-01,20.00,2,10.00,200.00,10,USD\n\
2026-05-02,20.00,2,10.00,200.00,10,USD\n";
    let files = vec![
        read_any("orders.csv", orders.as_bytes(), usd).unwrap(),
        read_any("gmv_max.csv", gmv_max.as_bytes(), usd).unwrap(),
    ];
    let settings = Settings {
        fee_rules: Vec::new(),
        ..Settings::default()
    };
    let b = report::build_detailed(&files, &CostsTable::default(), &settings, None, None).unwrap();
    let ads = &b.report.ads;
    assert_eq!(ads.ad_spend, "40.00");
    assert_eq!(ads.reported_roas.as_deref(), Some("10.00"));
    assert_eq!(ads.blended_roas.as_deref(), Some("7.50"));
    let inc = &ads.incrementality;
    assert_eq!((inc.days_with_spend, inc.days_without_spend), (2, 2));
    assert_eq!(inc.estimate.as_deref(), Some("2.50"));
    assert_eq!(inc.incremental_net_sales.as_deref(), Some("100.00"));
    assert_eq!(ads.attribution_inflation.as_deref(), Some("4.00"));
    assert!(
        inc.caution
            .as_deref()
            .is_some_and(|c| c.starts_with("only 2 days with ad spend and 2 without"))
    );
}
