//! A stable insertion sort for the engine's short or nearly sorted lists.
//!
//! Why not `slice::sort_by_key`: `std`'s stable sort (driftsort) brings about 3.5 KB
//! of wasm per call site's element and key type, for lists of a handful of timers or
//! replicas, or a queue where one entry moved. Insertion sort is a few dozen bytes,
//! stable, and linear on sorted or nearly sorted input. Its quadratic worst case is
//! why it must only be used where the list is short or already almost in order.

use std::cmp::Ordering;

/// Sorts `v` by `key`, ascending and stable (equal keys keep their order), like
/// `v.sort_by_key(key)`.
pub fn sort_small_by_key<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    sort_small_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` with `compare`, stable, like `v.sort_by(compare)`.
pub fn sort_small_by<T>(v: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    for i in 1..v.len() {
        let mut j = i;
        // Move v[i] left past every element that must come after it.
        while j > 0 && compare(&v[j - 1], &v[j]) == Ordering::Greater {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}

// Native only: proptest is a native dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::sort_small_by_key;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn agrees_with_std_stable_sort(v in proptest::collection::vec((0u8..6, any::<u16>()), 0..40)) {
            let mut ours = v.clone();
            let mut model = v;
            sort_small_by_key(&mut ours, |p| p.0);
            model.sort_by_key(|p| p.0);
            prop_assert_eq!(ours, model);
        }
    }

    #[test]
    fn keeps_equal_keys_in_order() {
        let mut v = vec![(2, 'a'), (1, 'b'), (2, 'c'), (1, 'd'), (0, 'e')];
        sort_small_by_key(&mut v, |p| p.0);
        assert_eq!(v, [(0, 'e'), (1, 'b'), (1, 'd'), (2, 'a'), (2, 'c')]);
    }
}
