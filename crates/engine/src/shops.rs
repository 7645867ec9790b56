//! Shops (docs/metrics.md §10): every loaded file belongs to one shop. Files are grouped by the
//! shop-scoped IDs they share — an Order ID or a SKU ID seen in two files puts them in the same shop
//! (an Affiliate or finance export joins the Orders export of its shop) — and never across currencies.
//! A file that shares nothing starts a shop of its own. Files that carry no such ID (ads exports, a
//! costs sheet whose SKUs no loaded order names) go to the only shop of their currency, or stay
//! unassigned with a message saying so: they are never spread over several shops.

use crate::import::{FileData, ImportedFile};
use crate::money::Currency;
use crate::settings::Settings;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

/// One shop: its name, currency and market, and which of the loaded files are its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shop {
    /// Shown everywhere the shop is ("US shop 1" until the user names it; a CLI directory's name).
    pub name: String,
    /// The currency of every amount of its files (`None` when none of them states one).
    pub currency: Option<Currency>,
    /// Its market (`US`, `GB`…), from the currency and the settings' market table.
    pub market: String,
    /// Indices into the loaded files, in load order.
    pub files: Vec<usize>,
    /// What the user's name for the shop is kept under: the smallest SKU ID of its files (SKU IDs
    /// belong to one shop and outlive any one download), else its first file's name.
    #[serde(default)]
    pub key: String,
}

/// The user's answer to "which shop is this file?" for a file that carries no shop-scoped ID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileShop {
    /// The file's name.
    pub file: String,
    /// The shop's [`Shop::key`].
    pub shop: String,
}

/// The user's name for a shop (settings `shop_names`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopName {
    /// [`Shop::key`].
    pub key: String,
    /// The name shown.
    pub name: String,
}

/// The key of a shop made of `idx` (see [`Shop::key`]): a key the settings already keep something
/// under (a name, own settings, a file answer) when it is one of the shop's SKU IDs — so a new download
/// that no longer sells the smallest SKU keeps the shop's name and settings —, else its smallest SKU ID,
/// else its first file's name.
fn key_of(
    files: &[&ImportedFile],
    file_ids: &[Vec<(u8, &str)>],
    idx: &[usize],
    settings: &Settings,
) -> String {
    let skus: Vec<&str> = idx
        .iter()
        .filter_map(|&i| file_ids.get(i))
        .flat_map(|ids| ids.iter().filter(|(tag, _)| *tag == 1).map(|&(_, id)| id))
        .collect();
    let shorter_then_smaller = |a: &&str, b: &&str| a.len().cmp(&b.len()).then(a.cmp(b));
    let stored = settings
        .shop_names
        .iter()
        .map(|n| n.key.as_str())
        .chain(settings.shop_settings.iter().map(|o| o.shop.as_str()))
        .chain(settings.file_shops.iter().map(|a| a.shop.as_str()))
        .filter(|k| skus.contains(k))
        .min_by(shorter_then_smaller);
    stored
        .or_else(|| skus.iter().copied().min_by(shorter_then_smaller))
        .map(str::to_string)
        .or_else(|| {
            idx.first()
                .and_then(|&i| files.get(i))
                .map(|f| f.report.name.clone())
        })
        .unwrap_or_default()
}

/// How the loaded files fall into shops.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grouping {
    /// The shops, in the order of their first file.
    pub shops: Vec<Shop>,
    /// Files no shop could claim (no shop-scoped ID, and no single shop of their currency), by index,
    /// each with the reason in words.
    pub unassigned: Vec<(usize, String)>,
}

/// Whether a file holds a shop-scoped ID ([`ids`] is not empty), without listing them.
fn holds_ids(data: &FileData) -> bool {
    let some =
        |order_id: &str, sku_id: &str| !order_id.trim().is_empty() || !sku_id.trim().is_empty();
    match data {
        FileData::Orders(lines) => lines.iter().any(|l| some(&l.order_id, &l.sku_id)),
        FileData::Affiliate(rows) => rows.iter().any(|r| some(&r.order_id, &r.sku_id)),
        FileData::Finance(rows) => rows.iter().any(|r| some(&r.order_id, &r.sku_id)),
        FileData::Returns(rows) => rows.iter().any(|r| some(&r.order_id, &r.sku_id)),
        FileData::Ads(_) | FileData::Costs(_) | FileData::Content(_) | FileData::GmvMax(_) => false,
    }
}

/// The distinct SKU IDs among a file's [`ids`] (tagged 1 as there), in no particular order.
fn sku_ids(data: &FileData) -> Vec<(u8, &str)> {
    let mut seen: rustc_hash::FxHashSet<&str> = Default::default();
    ids_of_skus(data, &mut |id| {
        seen.insert(id);
    });
    seen.into_iter().map(|id| (1, id)).collect()
}

/// Calls `f` with every non-empty SKU ID of a file (trimmed), as [`ids`] reads them.
fn ids_of_skus<'a>(data: &'a FileData, f: &mut dyn FnMut(&'a str)) {
    let mut each = |id: &'a str| {
        let id = id.trim();
        if !id.is_empty() {
            f(id);
        }
    };
    match data {
        FileData::Orders(lines) => lines.iter().for_each(|l| each(&l.sku_id)),
        FileData::Affiliate(rows) => rows.iter().for_each(|r| each(&r.sku_id)),
        FileData::Finance(rows) => rows.iter().for_each(|r| each(&r.sku_id)),
        FileData::Returns(rows) => rows.iter().for_each(|r| each(&r.sku_id)),
        FileData::Ads(_) | FileData::Costs(_) | FileData::Content(_) | FileData::GmvMax(_) => {}
    }
}

/// The shop-scoped IDs of a file: order IDs and SKU IDs (kept apart, so an order ID never meets a
/// SKU ID that happens to have the same digits).
fn ids(data: &FileData) -> Vec<(u8, &str)> {
    /// Pushes an ID unless it is the one just pushed under its tag: an order's lines are adjacent and a
    /// SKU repeats line after line, so most repeats are dropped here without hashing.
    fn push<'a>(out: &mut Vec<(u8, &'a str)>, last: &mut [&'a str; 2], tag: u8, id: &'a str) {
        let id = id.trim();
        let slot = &mut last[usize::from(tag)];
        if !id.is_empty() && *slot != id {
            *slot = id;
            out.push((tag, id));
        }
    }
    let mut out: Vec<(u8, &str)> = Vec::new();
    let mut last = [""; 2];
    match data {
        FileData::Orders(lines) => {
            for l in lines {
                push(&mut out, &mut last, 0, &l.order_id);
                push(&mut out, &mut last, 1, &l.sku_id);
            }
        }
        FileData::Affiliate(rows) => {
            for r in rows {
                push(&mut out, &mut last, 0, &r.order_id);
                push(&mut out, &mut last, 1, &r.sku_id);
            }
        }
        FileData::Finance(rows) => {
            for r in rows {
                push(&mut out, &mut last, 0, &r.order_id);
                push(&mut out, &mut last, 1, &r.sku_id);
            }
        }
        FileData::Returns(rows) => {
            for r in rows {
                push(&mut out, &mut last, 0, &r.order_id);
                push(&mut out, &mut last, 1, &r.sku_id);
            }
        }
        FileData::Ads(_) | FileData::Costs(_) | FileData::Content(_) | FileData::GmvMax(_) => {}
    }
    out
}

/// Union–find over file indices.
struct Sets(Vec<usize>);

impl Sets {
    fn find(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }
    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            // The earlier file leads the shop.
            self.0[a.max(b)] = a.min(b);
        }
    }
}

/// Whether two files' currencies allow them in one shop (a file that states none joins any).
fn same_currency(a: Option<Currency>, b: Option<Currency>) -> bool {
    a.is_none() || b.is_none() || a == b
}

/// Groups `files` into shops (see the module docs). Shops are named "<market> shop <n>" in the
/// order of their first file, `n` counting within the market.
pub fn group(files: &[&ImportedFile], settings: &Settings) -> Grouping {
    let mut sets = Sets((0..files.len()).collect());
    // The currency of each set, by its root: a set takes the first currency any of its files states,
    // and two sets join only when their currencies agree (a file that states none joins either, once).
    let mut set_currency: Vec<Option<Currency>> = files.iter().map(|f| f.report.currency).collect();
    // Every file that holds an ID (an ID may sit in shops of two currencies: each is a candidate).
    let mut owners: HashMap<(u8, &str), Vec<usize>> = HashMap::default();
    let has_ids: Vec<bool> = files.iter().map(|f| holds_ids(&f.data)).collect();
    // One file with IDs has nothing to share them with: no list or map of every ID (a 1 GB export's
    // million orders, some 70 MB in wasm32 while the list grows) is needed.
    let joinable = has_ids.iter().filter(|&&h| h).count() > 1;
    // Without joins, only the shops' keys read IDs: each file's distinct SKU IDs ([`key_of`] asks
    // which SKU IDs a shop has, never how often or in what order).
    let file_ids: Vec<Vec<(u8, &str)>> = files
        .iter()
        .map(|f| {
            if joinable {
                ids(&f.data)
            } else {
                sku_ids(&f.data)
            }
        })
        .collect();
    for (i, keys) in file_ids.iter().enumerate().filter(|_| joinable) {
        for &key in keys {
            let list = owners.entry(key).or_default();
            if list.last() == Some(&i) {
                continue;
            }
            for &j in list.iter() {
                let (ri, rj) = (sets.find(i), sets.find(j));
                if ri != rj && same_currency(set_currency[ri], set_currency[rj]) {
                    let c = set_currency[ri].or(set_currency[rj]);
                    sets.union(ri, rj);
                    let r = sets.find(ri);
                    set_currency[r] = c;
                }
            }
            list.push(i);
        }
    }
    let currency = |i: usize| set_currency.get(i).copied().flatten();
    // SKU IDs and seller SKUs per shop root, to place costs sheets (only when a costs sheet is loaded).
    let mut skus: HashMap<&str, usize> = HashMap::default();
    let any_costs = files.iter().any(|f| matches!(f.data, FileData::Costs(_)));
    for (i, f) in files.iter().enumerate().filter(|_| any_costs) {
        if let FileData::Orders(lines) = &f.data {
            let root = sets.find(i);
            for l in lines {
                skus.entry(&l.sku_id).or_insert(root);
                if !l.seller_sku.is_empty() {
                    skus.entry(&l.seller_sku).or_insert(root);
                }
            }
        }
    }
    let mut roots: Vec<usize> = (0..files.len())
        .filter(|&i| has_ids[i])
        .map(|i| sets.find(i))
        .collect();
    roots.dedup();
    let mut order: Vec<usize> = Vec::new();
    for r in roots {
        if !order.contains(&r) {
            order.push(r);
        }
    }
    let mut unassigned = Vec::new();
    let mut member: Vec<Option<usize>> = (0..files.len())
        .map(|i| has_ids[i].then(|| sets.find(i)))
        .collect();
    // The user's answer for a file that carries no ID (settings `file_shops`), by shop key.
    let keyed: Vec<(usize, String)> = order
        .iter()
        .map(|&r| {
            let idx: Vec<usize> = (0..files.len()).filter(|&i| member[i] == Some(r)).collect();
            (r, key_of(files, &file_ids, &idx, settings))
        })
        .collect();
    for (i, f) in files.iter().enumerate().filter(|(i, _)| !has_ids[*i]) {
        // The file's own currency against each shop's (its set's).
        let candidates: Vec<usize> = order
            .iter()
            .copied()
            .filter(|&r| same_currency(f.report.currency, currency(r)))
            .collect();
        let chosen = settings
            .file_shops
            .iter()
            .find(|a| a.file == f.report.name)
            .and_then(|a| keyed.iter().find(|(_, k)| *k == a.shop))
            .map(|(r, _)| *r)
            .filter(|r| candidates.contains(r));
        if let Some(r) = chosen {
            member[i] = Some(r);
            continue;
        }
        let by_sku = match &f.data {
            FileData::Costs(t) => {
                let mut votes: HashMap<usize, usize> = HashMap::default();
                for sku in t
                    .entries
                    .iter()
                    .map(|e| e.sku.as_str())
                    .chain(t.skus.iter().map(|s| s.sku.as_str()))
                {
                    if let Some(&r) = skus.get(sku.trim()) {
                        *votes.entry(r).or_default() += 1;
                    }
                }
                votes
                    .into_iter()
                    .max_by_key(|&(r, n)| (n, std::cmp::Reverse(r)))
                    .map(|(r, _)| r)
            }
            _ => None,
        };
        match (by_sku, candidates.as_slice()) {
            (Some(r), _) => member[i] = Some(r),
            (None, [only]) => member[i] = Some(*only),
            (None, []) if order.is_empty() => {
                // Nothing with IDs is loaded: the file is a shop of its own (a costs sheet alone).
                member[i] = Some(i);
                order.push(i);
            }
            (None, []) => unassigned.push((
                i,
                format!(
                    "{} is not in any loaded shop: no shop{} is loaded",
                    f.report.name,
                    currency(i).map_or(String::new(), |c| format!(" in {c}"))
                ),
            )),
            (None, _) => unassigned.push((
                i,
                format!(
                    "{} names no order or SKU of a loaded shop, and {} shops could own it: say which (on the page, beside this message; on the command line, put it in the shop's directory)",
                    f.report.name,
                    candidates.len()
                ),
            )),
        }
    }
    let mut shops: Vec<Shop> = Vec::new();
    let mut per_market: HashMap<String, usize> = HashMap::default();
    for root in order {
        let idx: Vec<usize> = (0..files.len())
            .filter(|&i| member[i] == Some(root))
            .collect();
        let currency =
            currency(root).or_else(|| idx.iter().find_map(|&i| files[i].report.currency));
        let market = currency.map_or_else(|| "Shop".to_string(), |c| settings.market_of(c));
        let n = per_market.entry(market.clone()).or_default();
        *n += 1;
        let key = key_of(files, &file_ids, &idx, settings);
        let name = settings
            .shop_names
            .iter()
            .find(|s| s.key == key && !s.name.trim().is_empty())
            .map_or_else(
                || format!("{market} shop {n}"),
                |s| s.name.trim().to_string(),
            );
        shops.push(Shop {
            name,
            currency,
            market,
            files: idx,
            key,
        });
    }
    Grouping { shops, unassigned }
}

/// A named shop made of the files at `files` (a CLI directory, or the user's own choice on the page).
pub fn named(name: &str, files: &[ImportedFile], idx: Vec<usize>, settings: &Settings) -> Shop {
    let currency = idx.iter().find_map(|&i| files[i].report.currency);
    Shop {
        name: name.to_string(),
        currency,
        market: currency.map_or_else(|| "Shop".to_string(), |c| settings.market_of(c)),
        files: idx,
        key: name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{ImportOptions, import_file};

    fn file(name: &str, text: &str) -> ImportedFile {
        import_file(name, text.as_bytes(), ImportOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {}", e.user_message()))
    }

    const HEAD: &str = "Order ID,Order Status,SKU ID,Seller SKU,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n";

    fn orders(name: &str, order: &str, sku: &str, seller_sku: &str) -> ImportedFile {
        file(
            name,
            &format!(
                "{HEAD}{order},Completed,{sku},{seller_sku},1,USD 10.00,USD 0.00,05/10/2026 09:00:00 AM,05/10/2026 09:00:05 AM\n"
            ),
        )
    }

    fn orders_in(name: &str, cur: &str, order: &str, sku: &str) -> ImportedFile {
        file(
            name,
            &format!(
                "{HEAD}{order},Completed,{sku},X,1,{cur} 10.00,{cur} 0.00,10/05/2026 09:00:00,10/05/2026 09:00:05\n"
            ),
        )
    }

    #[test]
    fn an_id_in_two_currencies_joins_each_currencys_files_and_never_the_two() {
        // A USD shop holds SKU 7001 first; two GBP downloads share that SKU ID (IDs are per shop, and the
        // GBP shop's happen to collide): the GBP files are one shop, the USD file another.
        let usd = orders_in("us.csv", "USD", "5001", "7001");
        let gb1 = orders_in("gb1.csv", "GBP", "8001", "7001");
        let gb2 = orders_in("gb2.csv", "GBP", "8002", "7001");
        let files = [&usd, &gb1, &gb2];
        let g = group(&files, &Settings::default());
        let got: Vec<(Option<Currency>, Vec<usize>)> = g
            .shops
            .iter()
            .map(|s| (s.currency, s.files.clone()))
            .collect();
        assert_eq!(
            got,
            [
                (Currency::from_code("USD"), vec![0]),
                (Currency::from_code("GBP"), vec![1, 2])
            ]
        );
    }

    #[test]
    fn a_shop_keeps_the_key_its_name_is_kept_under_when_it_sells_that_sku() {
        let may = orders("may.csv", "5001", "1001", "A");
        // June's download joins May's through an order ID and also sells SKU 1000, now the smallest.
        let june = orders("june.csv", "5001", "1000", "B");
        let g = group(&[&may, &june], &Settings::default());
        assert_eq!(g.shops[0].key, "1000");
        let mut s = Settings::default();
        s.shop_names.push(ShopName {
            key: "1001".into(),
            name: "Acme".into(),
        });
        // Named under "1001" (while May's alone was loaded): it keeps that key and its name.
        let g = group(&[&may, &june], &s);
        assert_eq!(g.shops.len(), 1);
        assert_eq!(
            (g.shops[0].key.as_str(), g.shops[0].name.as_str()),
            ("1001", "Acme")
        );
    }

    fn names(g: &Grouping) -> Vec<(String, Vec<usize>)> {
        g.shops
            .iter()
            .map(|s| (s.name.clone(), s.files.clone()))
            .collect()
    }

    #[test]
    fn shared_ids_join_files_and_a_file_sharing_nothing_starts_a_shop() {
        let a = orders("a.csv", "5001", "1001", "MUG");
        // Another download of shop A: a new order, the same SKU.
        let a2 = orders("a2.csv", "5002", "1001", "MUG");
        let b = orders("b.csv", "6001", "2001", "MUG");
        let files = [&a, &b, &a2];
        let g = group(&files, &Settings::default());
        assert_eq!(
            names(&g),
            [
                ("US shop 1".to_string(), vec![0, 2]),
                ("US shop 2".to_string(), vec![1])
            ]
        );
        assert!(g.unassigned.is_empty());
        // The smallest SKU ID keys a shop; the user's name for that key replaces the default.
        assert_eq!(g.shops[1].key, "2001");
        let mut named = Settings::default();
        named.shop_names.push(ShopName {
            key: "2001".to_string(),
            name: "Acme Home".to_string(),
        });
        let g = group(&files, &named);
        assert_eq!(g.shops[0].name, "US shop 1");
        assert_eq!(g.shops[1].name, "Acme Home");
    }

    #[test]
    fn a_costs_sheet_goes_to_the_shop_whose_skus_it_names_and_otherwise_to_none_of_several() {
        let a = orders("a.csv", "5001", "1001", "MUG-A");
        let b = orders("b.csv", "6001", "2001", "MUG-B");
        let costs_b = file("costs_b.csv", "SKU,Unit cost\n2001,4.00\n");
        let costs_none = file("costs_x.csv", "SKU,Unit cost\n9999,4.00\n");
        let files = [&a, &b, &costs_b, &costs_none];
        let g = group(&files, &Settings::default());
        assert_eq!(
            names(&g),
            [
                ("US shop 1".to_string(), vec![0]),
                ("US shop 2".to_string(), vec![1, 2])
            ]
        );
        assert_eq!(g.unassigned.len(), 1);
        assert_eq!(g.unassigned[0].0, 3);
        assert!(
            g.unassigned[0].1.contains("2 shops could own it"),
            "{}",
            g.unassigned[0].1
        );
        // The user says which shop the sheet is: it goes there.
        let mut answered = Settings::default();
        answered.file_shops.push(FileShop {
            file: "costs_x.csv".into(),
            shop: "1001".into(),
        });
        let g2 = group(&files, &answered);
        assert_eq!(g2.shops[0].files, [0, 3]);
        assert!(g2.unassigned.is_empty());
        // With one shop loaded, a sheet naming none of its SKUs is still that shop's.
        let g = group(&[&a, &costs_none], &Settings::default());
        assert_eq!(names(&g), [("US shop 1".to_string(), vec![0, 1])]);
    }
}
