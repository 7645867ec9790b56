//! # margin-engine
//!
//! Margin Lab's engine: reads TikTok Shop Seller Center exports, builds a de-duplicated ledger of order
//! lines and computes every figure of docs/metrics.md exactly, in `rust_decimal`. It has no web dependency:
//! the page (through WebAssembly), the `margin-lab` CLI and the tests all call the same functions.
//!
//! ```
//! use margin_engine::{costs::CostsTable, import::{import_file, ImportOptions}, report};
//! let csv = "Order ID,Order Status,SKU ID,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n\
//!            576000000000000001,Shipped,1729000000000000001,2,40.00,5.00,05/17/2026 9:00:00 PM,05/17/2026 9:00:05 PM\n";
//! let file = import_file("orders.csv", csv.as_bytes(), ImportOptions::default()).unwrap();
//! let (r, _) = report::build(&[file], &CostsTable::default(), None, None).unwrap();
//! assert_eq!(r.totals.net_sales, "35.00");
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod alerts;
pub mod content;
pub mod costs;
pub mod coverage;
pub mod edits;
pub mod export;
pub mod fees;
pub mod fx;
pub mod gmv_max;
pub mod history;
pub mod import;
pub mod ledger;
pub mod metrics;
pub mod money;
pub mod registry;
pub mod report;
pub mod review;
pub mod settings;
pub mod shops;
pub mod sort_dyn;
pub mod warehouse;
pub mod whatif;
pub mod workspace;
