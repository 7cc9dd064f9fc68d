//! [`SortedSet`]: a set kept as a sorted `Vec`, with the part of `BTreeSet`'s API the
//! engine uses.

use std::borrow::Borrow;
use std::fmt;
use std::marker::PhantomData;
use std::slice;

use serde::de::{SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An ordered set: `BTreeSet`'s behaviour on a sorted `Vec`.
///
/// Invariant: `items` is strictly ascending, so the derived `PartialEq` compares the
/// same sequence that `BTreeSet`'s does.
#[derive(Clone, PartialEq, Eq)]
pub struct SortedSet<T> {
    items: Vec<T>,
}

impl<T> SortedSet<T> {
    /// An empty set (does not allocate).
    pub const fn new() -> Self {
        SortedSet { items: Vec::new() }
    }

    /// The number of elements.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Remove every element, keeping the allocation.
    pub fn clear(&mut self) {
        self.items.clear();
    }

    /// The elements in ascending order.
    pub fn iter(&self) -> slice::Iter<'_, T> {
        self.items.iter()
    }

    /// The smallest element.
    pub fn first(&self) -> Option<&T> {
        self.items.first()
    }

    /// The largest element.
    pub fn last(&self) -> Option<&T> {
        self.items.last()
    }

    /// Keep only the elements for which `keep` returns true (visited in order).
    pub fn retain(&mut self, keep: impl FnMut(&T) -> bool) {
        self.items.retain(keep);
    }
}

impl<T: Ord> SortedSet<T> {
    /// Where `value` is (`Ok`) or would be inserted (`Err`).
    fn search<Q>(&self, value: &Q) -> Result<usize, usize>
    where
        T: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.items.binary_search_by(|x| x.borrow().cmp(value))
    }

    /// Whether `value` is in the set.
    pub fn contains<Q>(&self, value: &Q) -> bool
    where
        T: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.search(value).is_ok()
    }

    /// Add `value`; false if it was already there (the stored one is kept).
    pub fn insert(&mut self, value: T) -> bool {
        match self.search(&value) {
            Ok(_) => false,
            Err(i) => {
                self.items.insert(i, value);
                true
            }
        }
    }

    /// Remove `value`; false if it was not there.
    pub fn remove<Q>(&mut self, value: &Q) -> bool
    where
        T: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        match self.search(value) {
            Ok(i) => {
                self.items.remove(i);
                true
            }
            Err(_) => false,
        }
    }
}

impl<T> Default for SortedSet<T> {
    fn default() -> Self {
        SortedSet::new()
    }
}

impl<T: fmt::Debug> fmt::Debug for SortedSet<T> {
    /// `{x, ..}`, exactly as `BTreeSet` prints (the explorer hashes this text).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl<'a, T> IntoIterator for &'a SortedSet<T> {
    type Item = &'a T;
    type IntoIter = slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T> IntoIterator for SortedSet<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    /// The elements by value, in ascending order.
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<T: Ord> Extend<T> for SortedSet<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for x in iter {
            self.insert(x);
        }
    }
}

impl<T: Ord> FromIterator<T> for SortedSet<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut set = SortedSet::new();
        set.extend(iter);
        set
    }
}

impl<T: Serialize> Serialize for SortedSet<T> {
    /// A sequence, as `BTreeSet` serializes.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de, T: Deserialize<'de> + Ord> Deserialize<'de> for SortedSet<T> {
    /// A sequence, as `BTreeSet` deserializes (duplicates collapse).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SeqVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de> + Ord> Visitor<'de> for SeqVisitor<T> {
            type Value = SortedSet<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a sequence")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut set = SortedSet::new();
                while let Some(x) = access.next_element()? {
                    set.insert(x);
                }
                Ok(set)
            }
        }

        deserializer.deserialize_seq(SeqVisitor(PhantomData))
    }
}

// Native only: proptest is a native dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::SortedSet;

    proptest! {
        /// Inserts and removes answer as `BTreeSet`'s do, and the two stay equal in
        /// iteration, `Debug` and JSON.
        #[test]
        fn behaves_like_btreeset(ops in proptest::collection::vec((any::<bool>(), 0u8..48), 0..200)) {
            let mut model = BTreeSet::new();
            let mut set = SortedSet::new();
            for (add, x) in ops {
                if add {
                    prop_assert_eq!(set.insert(x), model.insert(x));
                } else {
                    prop_assert_eq!(set.remove(&x), model.remove(&x));
                }
                prop_assert!(set.iter().eq(model.iter()));
            }
            for x in 0..48u8 {
                prop_assert_eq!(set.contains(&x), model.contains(&x));
            }
            prop_assert_eq!(set.len(), model.len());
            prop_assert_eq!(set.first(), model.first());
            prop_assert_eq!(set.last(), model.last());
            prop_assert_eq!(format!("{set:?}"), format!("{model:?}"));
            let json = serde_json::to_string(&set).expect("serializes");
            prop_assert_eq!(&json, &serde_json::to_string(&model).expect("serializes"));
            let back: SortedSet<u8> = serde_json::from_str(&json).expect("deserializes");
            prop_assert_eq!(&back, &set);
            let collected: SortedSet<u8> = model.iter().rev().copied().collect();
            prop_assert_eq!(&collected, &set);
            let mut kept = set.clone();
            kept.retain(|x| !x.is_multiple_of(3));
            model.retain(|x| !x.is_multiple_of(3));
            prop_assert!(kept.into_iter().eq(model));
        }
    }

    #[test]
    fn duplicates_collapse() {
        let set: SortedSet<(u16, u16)> = [(2, 1), (0, 3), (2, 1)].into_iter().collect();
        assert_eq!(format!("{set:?}"), "{(0, 3), (2, 1)}");
        let dup: SortedSet<String> = serde_json::from_str(r#"["b", "a", "b"]"#).expect("seq");
        assert_eq!(format!("{dup:?}"), r#"{"a", "b"}"#);
    }
}
