//! A scenario's period totals kept up to date edit by edit (issue 20): after one cell of the what-if grid
//! changes, its product-group rows and its projected period P&L follow without projecting and adding up
//! every SKU again.
//!
//! [`LiveTotals`] keeps each SKU's period (the [`PeriodSum`] of its [`super::Projection`]) as a leaf of
//! a sum tree over all SKUs, and of one per product group. An update compares the scenario's edits with
//! those the sums are of: only the SKUs whose own or group's edits changed are projected again (every SKU
//! when the elasticity changes), and only the nodes above their leaves are added again — a handful of
//! additions per edited SKU instead of two per SKU of the grid.
//!
//! **Exactness.** Every node of a tree is the sum of its two children and every leaf the projection of its
//! SKU under the scenario, so the sums after any sequence of updates are, to the last digit, those that
//! [`LiveTotals::new`] computes for the last scenario (tested). They add in the tree's order rather than
//! in the SKUs' order as [`super::project_all`] does: the same sums whenever no addition rounds (`Decimal`
//! keeps 28 significant digits), else equal but for the last digits.

use super::projection::{BaselineSku, PeriodSum, ScenarioTotals};
use crate::sort_dyn::SortDyn;
use crate::workspace::{GROUP_PREFIX, Scenario};
use rust_decimal::Decimal;
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// A scenario's edits: target → input name → value.
type Edits = BTreeMap<String, BTreeMap<String, Decimal>>;

/// The sums of `n` leaves: leaf `i` is node `n + i`, node `k < n` is node `2k` + node `2k + 1`, and node 1
/// is the sum of them all (every node below 2n descends from it).
#[derive(Debug, Clone)]
struct SumTree {
    nodes: Vec<PeriodSum>,
    n: usize,
    /// The leaves set by [`SumTree::set`] since the last [`SumTree::add_up`], and the total before.
    stale: Vec<usize>,
    before: Option<PeriodSum>,
}

fn sum_of(a: &PeriodSum, b: &PeriodSum) -> PeriodSum {
    let mut s = a.clone();
    s.add_sum(b);
    s
}

impl SumTree {
    fn new(leaves: Vec<PeriodSum>) -> SumTree {
        let n = leaves.len();
        // Node 0 is unused; with no leaf, node 1 is the empty sum.
        let mut nodes = vec![PeriodSum::default(); n.max(1)];
        nodes.extend(leaves);
        if n == 0 {
            nodes.push(PeriodSum::default());
        }
        for k in (1..n).rev() {
            nodes[k] = sum_of(&nodes[2 * k], &nodes[2 * k + 1]);
        }
        SumTree {
            nodes,
            n,
            stale: Vec::new(),
            before: None,
        }
    }

    fn total(&self) -> &PeriodSum {
        &self.nodes[1]
    }

    fn leaf(&self, i: usize) -> &PeriodSum {
        &self.nodes[self.n + i]
    }

    /// Sets leaf `i`; the sums above it are stale until [`SumTree::add_up`].
    fn set(&mut self, i: usize, sum: PeriodSum) {
        if self.before.is_none() {
            self.before = Some(self.total().clone());
        }
        let k = self.n + i;
        self.nodes[k] = sum;
        self.stale.push(k);
    }

    /// Adds again the nodes above the leaves set, children before parents (a parent's index is below its
    /// children's); says whether the total changed.
    fn add_up(&mut self) -> bool {
        let mut above = vec![false; self.n];
        for k in std::mem::take(&mut self.stale) {
            let mut p = k / 2;
            while p >= 1 && !above[p] {
                above[p] = true;
                p /= 2;
            }
        }
        for p in (1..self.n).rev().filter(|&p| above[p]) {
            self.nodes[p] = sum_of(&self.nodes[2 * p], &self.nodes[2 * p + 1]);
        }
        self.before
            .take()
            .is_some_and(|before| *self.total() != before)
    }
}

/// Distinct keys in order (SKU IDs, product groups) and the items (SKUs) of each.
#[derive(Debug, Clone)]
struct Index {
    keys: Vec<String>,
    items: Vec<Vec<usize>>,
}

impl Index {
    /// The index of item `i`'s key `keys[i]`, and each item's key (index of `keys`) and place among the
    /// key's items.
    fn new(keys: Vec<String>) -> (Index, Vec<(usize, usize)>) {
        let mut distinct = keys.clone();
        distinct.sort_dyn();
        distinct.dedup();
        let mut items: Vec<Vec<usize>> = vec![Vec::new(); distinct.len()];
        let mut place = Vec::with_capacity(keys.len());
        for (i, key) in keys.iter().enumerate() {
            // Every key is among the distinct ones.
            let k = distinct.binary_search(key).unwrap_or_else(|at| at);
            if let Some(of_key) = items.get_mut(k) {
                place.push((k, of_key.len()));
                of_key.push(i);
            }
        }
        (
            Index {
                keys: distinct,
                items,
            },
            place,
        )
    }

    fn find(&self, key: &str) -> Option<usize> {
        self.keys.binary_search_by(|k| k.as_str().cmp(key)).ok()
    }

    /// The items of `key`.
    fn items(&self, key: &str) -> &[usize] {
        self.find(key).map_or(&[], |k| &self.items[k])
    }
}

/// What an [`LiveTotals::update`] found changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// The edit targets (SKU IDs, [`Scenario::group_target`]s, [`Scenario::custom_target`]s) whose edits
    /// differ from the previous scenario's, in order: whatever shows them has to be drawn again.
    pub targets: Vec<String>,
    /// The product groups whose sums changed, in order.
    pub groups: Vec<String>,
    /// Whether the sum of all SKUs changed.
    pub all: bool,
}

/// The period totals of a list of SKUs under a scenario — all of them ([`LiveTotals::all`]) and per
/// product group ([`LiveTotals::group`]) — that follow the scenario's edits one by one
/// ([`LiveTotals::update`]). See the module documentation.
#[derive(Debug, Clone)]
pub struct LiveTotals {
    skus: Vec<BaselineSku>,
    /// The SKUs by ID (a SKU's own edits are keyed by it).
    ids: Index,
    /// The SKUs by product group, and each group's sums.
    groups: Index,
    trees: Vec<SumTree>,
    /// Each SKU's group (index of `groups`) and its place among the group's SKUs.
    place: Vec<(usize, usize)>,
    all: SumTree,
    /// The edits and the elasticity the sums are of.
    edits: Edits,
    elasticity: Decimal,
}

/// A SKU's period under a scenario, as a sum of one.
fn period(sku: &BaselineSku, scenario: &Scenario) -> PeriodSum {
    let p = sku.project(scenario);
    PeriodSum {
        units: p.units,
        totals: p.totals,
    }
}

/// The targets whose edits differ between `old` and `new` (added, removed or changed), in order.
fn changed_targets(old: &Edits, new: &Edits) -> Vec<String> {
    let mut out = Vec::new();
    let (mut a, mut b) = (old.iter().peekable(), new.iter().peekable());
    loop {
        let (next_a, next_b) = match (a.peek(), b.peek()) {
            (None, None) => break,
            (Some((k, _)), None) => {
                out.push(k.to_string());
                (true, false)
            }
            (None, Some((k, _))) => {
                out.push(k.to_string());
                (false, true)
            }
            (Some((ka, va)), Some((kb, vb))) => match ka.cmp(kb) {
                Ordering::Less => {
                    out.push(ka.to_string());
                    (true, false)
                }
                Ordering::Greater => {
                    out.push(kb.to_string());
                    (false, true)
                }
                Ordering::Equal => {
                    if va != vb {
                        out.push(ka.to_string());
                    }
                    (true, true)
                }
            },
        };
        if next_a {
            a.next();
        }
        if next_b {
            b.next();
        }
    }
    out
}

impl LiveTotals {
    /// The totals of `skus` (in this order) under `scenario`.
    pub fn new(skus: Vec<BaselineSku>, scenario: &Scenario) -> LiveTotals {
        let (ids, _) = Index::new(skus.iter().map(|s| s.sku_id.clone()).collect());
        let (groups, place) = Index::new(skus.iter().map(|s| s.group.clone()).collect());
        let leaves: Vec<PeriodSum> = skus.iter().map(|s| period(s, scenario)).collect();
        let trees = groups
            .items
            .iter()
            .map(|items| SumTree::new(items.iter().map(|&i| leaves[i].clone()).collect()))
            .collect();
        LiveTotals {
            all: SumTree::new(leaves),
            skus,
            ids,
            groups,
            trees,
            place,
            edits: scenario.edits.clone(),
            elasticity: scenario.elasticity.unwrap_or_default(),
        }
    }

    /// The SKUs, in the order they were given.
    pub fn skus(&self) -> &[BaselineSku] {
        &self.skus
    }

    /// The sum of every SKU's period.
    pub fn all(&self) -> &PeriodSum {
        self.all.total()
    }

    /// The sum of the periods of the SKUs of product group `name`; `None` when no SKU is in it.
    pub fn group(&self, name: &str) -> Option<&PeriodSum> {
        self.groups.find(name).map(|g| self.trees[g].total())
    }

    /// Both, as [`super::project_all`] gives them.
    pub fn totals(&self) -> ScenarioTotals {
        ScenarioTotals {
            all: self.all().clone(),
            groups: self
                .groups
                .keys
                .iter()
                .zip(&self.trees)
                .map(|(g, tree)| (g.clone(), tree.total().clone()))
                .collect(),
        }
    }

    /// Follows `scenario`: projects again the SKUs whose own edits or whose group's edits differ from
    /// those the sums are of (all of them when the elasticity differs) and adds up again what is above
    /// them. Says what changed.
    pub fn update(&mut self, scenario: &Scenario) -> Changes {
        let targets = changed_targets(&self.edits, &scenario.edits);
        for t in &targets {
            match scenario.edits.get(t) {
                Some(e) => self.edits.insert(t.clone(), e.clone()),
                None => self.edits.remove(t),
            };
        }
        let e = scenario.elasticity.unwrap_or_default();
        let all_dirty = e != self.elasticity;
        self.elasticity = e;
        let mut dirty = vec![all_dirty; self.skus.len()];
        for t in targets.iter().filter(|_| !all_dirty) {
            let group = t.strip_prefix(GROUP_PREFIX).map(|g| self.groups.items(g));
            for &i in self.ids.items(t).iter().chain(group.unwrap_or_default()) {
                dirty[i] = true;
            }
        }
        let mut touched = vec![false; self.trees.len()];
        for i in (0..self.skus.len()).filter(|&i| dirty[i]) {
            let sum = period(&self.skus[i], scenario);
            if *self.all.leaf(i) != sum {
                let (g, at) = self.place[i];
                self.trees[g].set(at, sum.clone());
                self.all.set(i, sum);
                touched[g] = true;
            }
        }
        let mut groups = Vec::new();
        for g in (0..self.trees.len()).filter(|&g| touched[g]) {
            if self.trees[g].add_up() {
                groups.push(self.groups.keys[g].clone());
            }
        }
        let all = self.all.add_up();
        Changes {
            targets,
            groups,
            all,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::whatif::{PeriodTotals, UnitInputs, project_all};
    use rust_decimal_macros::dec;

    fn sku(id: &str, group: &str, inputs: UnitInputs, units: Decimal) -> BaselineSku {
        BaselineSku {
            sku_id: id.to_string(),
            group: group.to_string(),
            price: inputs.evaluate().net_price,
            inputs,
            units,
        }
    }

    /// docs/metrics.md §4: price 40, cost 10, fee 2 % + 0.30, every unit through affiliates at 15 %,
    /// fulfilment 5, overhead 10: cm2 17.90 a unit.
    fn textbook() -> UnitInputs {
        UnitInputs {
            price: dec!(40),
            unit_cost: dec!(10),
            affiliate_share_pct: dec!(100),
            commission_pct: dec!(15),
            fee_pct: dec!(2),
            fee_fixed_per_order: dec!(0.30),
            fulfillment_per_unit: dec!(5),
            overhead_per_unit: dec!(10),
            ..UnitInputs::default()
        }
    }

    /// Price 20, cost 8, fee 2 % + 0.30, no affiliate, fulfilment 2, overhead 1: cm2 9.30 a unit.
    fn mug() -> UnitInputs {
        UnitInputs {
            price: dec!(20),
            unit_cost: dec!(8),
            fee_pct: dec!(2),
            fee_fixed_per_order: dec!(0.30),
            fulfillment_per_unit: dec!(2),
            overhead_per_unit: dec!(1),
            ..UnitInputs::default()
        }
    }

    fn changes(targets: &[&str], groups: &[&str], all: bool) -> Changes {
        Changes {
            targets: targets.iter().map(|t| t.to_string()).collect(),
            groups: groups.iter().map(|g| g.to_string()).collect(),
            all,
        }
    }

    #[test]
    fn follows_edits_as_worked_out_by_hand() {
        // A (Tea): the textbook SKU, 100 units, cm2 17.90 × 100 = 1,790. B (Mugs): a mug, 50 units,
        // 9.30 × 50 = 465. C (Tea): a mug, 10 units, 93. Tea 1,790 + 93 = 1,883; all 2,348.
        let skus = vec![
            sku("A", "Tea", textbook(), dec!(100)),
            sku("B", "Mugs", mug(), dec!(50)),
            sku("C", "Tea", mug(), dec!(10)),
        ];
        let mut s = Scenario::new("S");
        let mut live = LiveTotals::new(skus, &s);
        let cm2 = |l: &LiveTotals, g: &str| l.group(g).map(|x| x.totals.cm2);
        assert_eq!(live.all().totals.cm2, dec!(2348));
        assert_eq!(live.all().units, dec!(160));
        assert_eq!(cm2(&live, "Tea"), Some(dec!(1883)));
        assert_eq!(cm2(&live, "Mugs"), Some(dec!(465)));
        assert_eq!(cm2(&live, "Cups"), None);
        // Nothing changed, nothing to do.
        assert_eq!(live.update(&s), Changes::default());

        // A at 50: fee 2 % × 50 + 0.30 = 1.30, commission 15 % × 50 = 7.50,
        // cm2 = 50 − 10 − 1.30 − 5 − 7.50 = 26.20 → 2,620; Tea 2,620 + 93 = 2,713; all 3,178.
        s.set("A", "price", dec!(50)).unwrap();
        assert_eq!(live.update(&s), changes(&["A"], &["Tea"], true));
        assert_eq!(cm2(&live, "Tea"), Some(dec!(2713)));
        assert_eq!(cm2(&live, "Mugs"), Some(dec!(465)));
        assert_eq!(live.all().totals.cm2, dec!(3178));

        // The Mugs group's fee to 5 %: B's fee 5 % × 20 + 0.30 = 1.30, cm2 = 12 − 1.30 − 2 = 8.70 → 435
        // (C is a mug but in Tea: unchanged); all 2,620 + 435 + 93 = 3,148.
        let mugs = Scenario::group_target("Mugs");
        s.set(&mugs, "fee_pct", dec!(5)).unwrap();
        assert_eq!(live.update(&s), changes(&["group:Mugs"], &["Mugs"], true));
        assert_eq!(cm2(&live, "Mugs"), Some(dec!(435)));
        assert_eq!(live.all().totals.cm2, dec!(3148));

        // A commission rate for Mugs: B sells nothing through affiliates, so no sum moves.
        s.set(&mugs, "commission_pct", dec!(10)).unwrap();
        assert_eq!(live.update(&s), changes(&["group:Mugs"], &[], false));
        // A typed-in product is no SKU of the period.
        s.add_custom("Serum");
        assert_eq!(live.update(&s), changes(&["custom:Serum"], &[], false));

        // Elasticity −1.5: A's price is 25 % up (40 → 50), its volume 1 − 1.5 × 0.25 = 62.5 %: 62.5 units,
        // cm2 26.20 × 62.5 = 1,637.5; B and C keep their prices and volumes. Tea 1,637.5 + 93 = 1,730.5;
        // all 1,730.5 + 435 = 2,165.5; units 62.5 + 50 + 10 = 122.5.
        s.elasticity = Some(dec!(-1.5));
        assert_eq!(live.update(&s), changes(&[], &["Tea"], true));
        assert_eq!(cm2(&live, "Tea"), Some(dec!(1730.5)));
        assert_eq!(live.all().totals.cm2, dec!(2165.5));
        assert_eq!(live.all().units, dec!(122.5));

        // A back to its baseline: 1,790 at 100 units; Tea 1,883; all 1,883 + 435 = 2,318.
        s.clear("A", "price");
        assert_eq!(live.update(&s), changes(&["A"], &["Tea"], true));
        assert_eq!(cm2(&live, "Tea"), Some(dec!(1883)));
        assert_eq!(live.all().totals.cm2, dec!(2318));
        assert_eq!(live.all().units, dec!(160));
    }

    #[test]
    fn no_skus_no_sums() {
        let mut s = Scenario::new("S");
        let mut live = LiveTotals::new(Vec::new(), &s);
        assert_eq!(live.all(), &PeriodSum::default());
        s.set("A", "price", dec!(1)).unwrap();
        assert_eq!(live.update(&s), changes(&["A"], &[], false));
        assert_eq!(live.totals(), project_all(&[], &s, None));
    }

    #[test]
    fn a_repeated_sku_id_follows_its_edits_everywhere() {
        // Two rows of SKU "A" (as the page would never list, but the sums must not forget one).
        let skus = vec![
            sku("A", "Tea", mug(), dec!(10)),
            sku("B", "Tea", mug(), dec!(10)),
            sku("A", "Cups", mug(), dec!(5)),
        ];
        let mut s = Scenario::new("S");
        let mut live = LiveTotals::new(skus.clone(), &s);
        s.set("A", "unit_cost", dec!(9)).unwrap();
        assert_eq!(live.update(&s), changes(&["A"], &["Cups", "Tea"], true));
        assert_eq!(live.totals(), project_all(&skus, &s, None));
    }

    /// A small deterministic generator (64-bit LCG) for the edit sequences below.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 33) % n as u64) as usize
        }
    }

    /// `n` SKUs in 7 groups (one of them holding a single SKU); with `rounding`, VAT and returns make the
    /// per-unit figures 28-digit quotients, whose sums round; without, every sum is exact.
    fn catalogue(n: usize, rounding: bool) -> Vec<BaselineSku> {
        (0..n)
            .map(|i| {
                let inputs = UnitInputs {
                    price: Decimal::from(10 + i % 13) + dec!(0.5),
                    unit_cost: Decimal::from(2 + i % 5),
                    fee_pct: dec!(6),
                    fee_fixed_per_order: dec!(0.30),
                    affiliate_share_pct: Decimal::from(i % 3 * 40),
                    commission_pct: Decimal::from(i % 4 * 5),
                    fulfillment_per_unit: dec!(1.25),
                    vat_pct: if rounding { dec!(7) } else { Decimal::ZERO },
                    return_rate_pct: if rounding {
                        Decimal::from(i % 4)
                    } else {
                        Decimal::ZERO
                    },
                    ..UnitInputs::default()
                };
                let group = if i == 0 {
                    "Solo".to_string()
                } else {
                    format!("G{}", i % 6)
                };
                sku(
                    &format!("{}", 1000 + i),
                    &group,
                    inputs,
                    Decimal::from(1 + i % 9),
                )
            })
            .collect()
    }

    /// One random change of the scenario: a cell of a SKU or of a group set or cleared, a target's edits
    /// removed, the elasticity changed (with `rounding`: volumes then follow prices by 28-digit
    /// quotients), a typed-in product added, or another scenario opened.
    fn random_change(
        r: &mut Lcg,
        s: &mut Scenario,
        skus: &[BaselineSku],
        other: &Scenario,
        rounding: bool,
    ) {
        let names = [
            "price",
            "unit_cost",
            "fee_pct",
            "commission_pct",
            "affiliate_share_pct",
        ];
        let values = [dec!(0), dec!(3), dec!(12.5), dec!(20), dec!(35), dec!(60)];
        let target = |r: &mut Lcg| {
            if r.next(4) == 0 {
                Scenario::group_target(&format!("G{}", r.next(7)))
            } else {
                skus[r.next(skus.len())].sku_id.clone()
            }
        };
        match r.next(20) {
            0..=9 => {
                let t = target(r);
                s.set(&t, names[r.next(names.len())], values[r.next(values.len())])
                    .unwrap();
            }
            10..=12 => {
                let t = target(r);
                s.clear(&t, names[r.next(names.len())]);
            }
            13 => {
                let t = target(r);
                s.edits.remove(&t);
            }
            14..=15 if rounding => {
                s.elasticity = [None, Some(dec!(-1.5)), Some(dec!(-0.8))][r.next(3)]
            }
            16 => {
                s.add_custom(&format!("P{}", r.next(3)));
            }
            17 => *s = other.clone(),
            _ => {}
        }
    }

    fn lines(s: &PeriodSum) -> [Decimal; 15] {
        let PeriodTotals {
            net_revenue,
            platform_fees,
            affiliate_commission,
            cogs,
            returns_cost,
            fulfillment,
            shipping,
            ad_spend,
            sample_cost,
            overhead,
            gross_profit,
            cm1,
            cm2,
            net_profit,
        } = s.totals;
        [
            s.units,
            net_revenue,
            platform_fees,
            affiliate_commission,
            cogs,
            returns_cost,
            fulfillment,
            shipping,
            ad_spend,
            sample_cost,
            overhead,
            gross_profit,
            cm1,
            cm2,
            net_profit,
        ]
    }

    /// Edit after edit, against two oracles: the sums of a fresh `LiveTotals` of the same scenario (to the
    /// last digit), and `project_all`, which projects every SKU again and adds them in order (to the last
    /// digit when no addition rounds, else to 10^-15). What `update` says changed is checked against
    /// the scenarios' edits and the fresh sums.
    fn follows_random_edits(rounding: bool, seed: u64) {
        let skus = catalogue(60, rounding);
        let mut r = Lcg(seed);
        let mut other = Scenario::new("Other");
        for _ in 0..15 {
            random_change(&mut r, &mut other, &skus, &Scenario::new("Empty"), rounding);
        }
        let mut s = Scenario::new("S");
        let mut live = LiveTotals::new(skus.clone(), &s);
        let mut prev = (s.clone(), live.totals());
        let tolerance = dec!(0.000000000000001);
        for step in 0..400 {
            random_change(&mut r, &mut s, &skus, &other, rounding);
            let got = live.update(&s);
            let fresh = LiveTotals::new(skus.clone(), &s).totals();
            assert_eq!(
                live.totals(),
                fresh,
                "step {step}: drifted from a fresh sum"
            );
            let full = project_all(&skus, &s, None);
            if rounding {
                let sums = std::iter::once((&fresh.all, &full.all))
                    .chain(fresh.groups.values().zip(full.groups.values()));
                for (a, b) in sums {
                    for (x, y) in lines(a).into_iter().zip(lines(b)) {
                        assert!((x - y).abs() <= tolerance, "step {step}: {x} vs {y}");
                    }
                }
                assert!(fresh.groups.keys().eq(full.groups.keys()));
            } else {
                assert_eq!(fresh, full, "step {step}: differs from project_all");
            }
            // What changed: the targets whose edits differ, the groups whose sums differ.
            let (before, before_sums) = &prev;
            let mut keys: Vec<&String> = before.edits.keys().chain(s.edits.keys()).collect();
            keys.sort();
            keys.dedup();
            let targets: Vec<String> = keys
                .into_iter()
                .filter(|k| before.edits.get(*k) != s.edits.get(*k))
                .cloned()
                .collect();
            let groups: Vec<String> = fresh
                .groups
                .iter()
                .filter(|(g, sum)| before_sums.groups.get(*g) != Some(*sum))
                .map(|(g, _)| g.clone())
                .collect();
            let all = before_sums.all != fresh.all;
            assert_eq!(
                got,
                Changes {
                    targets,
                    groups,
                    all
                },
                "step {step}"
            );
            prev = (s.clone(), fresh);
        }
    }

    #[test]
    fn follows_random_edits_exactly_as_a_full_projection() {
        for seed in [1, 2, 3] {
            follows_random_edits(false, seed);
        }
    }

    #[test]
    fn follows_random_edits_without_drifting_when_sums_round() {
        for seed in [4, 5] {
            follows_random_edits(true, seed);
        }
    }
}
