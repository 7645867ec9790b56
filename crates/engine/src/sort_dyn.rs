//! One stable sort for the page (issue 20, download size). Every `sort_by`/`sort_by_key` call site
//! instantiates the standard library's stable sort anew (drift sort, quicksort, small sorts: ~3 KB of
//! wasm each, ~150 KB for the page). On wasm32, `sort_by_dyn` sorts a list of positions with a `dyn`
//! comparator — one instantiation for the whole page — and then moves the elements into that order.
//! A stable sort's result is determined by the order alone, so it is the standard sort's: equal
//! elements keep their order. Native builds (the CLI, benchmarks) call the standard sort directly.
use std::cmp::Ordering;

/// The stable sorts of slices, through one instantiation of the standard sort on wasm32.
pub trait SortDyn<T> {
    /// `slice::sort_by`: the same order.
    fn sort_by_dyn(&mut self, cmp: impl FnMut(&T, &T) -> Ordering);
    /// `slice::sort_by_key`: the same order.
    fn sort_by_key_dyn<K: Ord>(&mut self, mut key: impl FnMut(&T) -> K) {
        self.sort_by_dyn(|a, b| key(a).cmp(&key(b)));
    }
    /// `slice::sort`: the same order.
    fn sort_dyn(&mut self)
    where
        T: Ord,
    {
        self.sort_by_dyn(T::cmp);
    }
}

impl<T> SortDyn<T> for [T] {
    fn sort_by_dyn(&mut self, cmp: impl FnMut(&T, &T) -> Ordering) {
        if cfg!(target_arch = "wasm32") {
            sort_by_positions(self, cmp);
        } else {
            self.sort_by(cmp);
        }
    }
}

/// Sorts the positions `0..v.len()` by their elements (stable), then puts the elements in that order.
fn sort_by_positions<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..v.len()).collect();
    {
        let v = &*v;
        sort_positions(&mut order, &mut |a, b| cmp(&v[a], &v[b]));
    }
    permute(v, &order);
}

#[inline(never)]
fn sort_positions(order: &mut [usize], cmp: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|a, b| cmp(*a, *b));
}

/// Puts the element at `order[i]` at `i` for every `i`, following each cycle of the permutation once.
fn permute<T>(v: &mut [T], order: &[usize]) {
    let mut done = vec![false; v.len()];
    for start in 0..v.len() {
        let mut i = start;
        while !done[i] {
            done[i] = true;
            let j = order[i];
            if j == start {
                break;
            }
            v.swap(i, j);
            i = j;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_order_as_the_standard_stable_sort() {
        // Many equal keys, so stability shows; pseudo-random, reproducible.
        let mut x: u32 = 12345;
        for len in [0usize, 1, 2, 3, 7, 20, 33, 100, 1000] {
            let v: Vec<(u32, usize)> = (0..len)
                .map(|i| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    ((x >> 16) % 10, i)
                })
                .collect();
            let mut want = v.clone();
            want.sort_by_key(|p| p.0);
            let mut got = v.clone();
            sort_by_positions(&mut got, |a, b| a.0.cmp(&b.0));
            assert_eq!(got, want, "len {len}");
            let mut desc = v.clone();
            desc.sort_by_key(|p| std::cmp::Reverse(p.0));
            let mut got = v;
            sort_by_positions(&mut got, |a, b| b.0.cmp(&a.0));
            assert_eq!(got, desc, "len {len}, descending");
        }
    }
}
