//! [`SortedMap`]: a map kept as a `Vec` of `(key, value)` pairs sorted by key, with the
//! part of `BTreeMap`'s API the engine uses.
//!
//! Every lookup goes through one binary search ([`SortedMap::search`]), so each
//! key type costs one small search function, not a B-tree.

use std::borrow::Borrow;
use std::fmt;
use std::iter::FusedIterator;
use std::marker::PhantomData;
use std::ops::{Bound, Index, RangeBounds};
use std::slice;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An ordered map: `BTreeMap`'s behaviour on a sorted `Vec`.
///
/// Invariant: `entries` is sorted by key, strictly ascending (no two equal keys), so
/// the derived `PartialEq` compares the same sequence of pairs that `BTreeMap`'s does.
#[derive(Clone, PartialEq, Eq)]
pub struct SortedMap<K, V> {
    entries: Vec<(K, V)>,
}

impl<K, V> SortedMap<K, V> {
    /// An empty map (does not allocate).
    pub const fn new() -> Self {
        SortedMap {
            entries: Vec::new(),
        }
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Remove every entry, keeping the allocation.
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// The entries in ascending key order.
    pub fn iter(&self) -> Iter<'_, K, V> {
        Iter(self.entries.iter())
    }

    /// The entries in ascending key order, values mutable.
    pub fn iter_mut(&mut self) -> IterMut<'_, K, V> {
        IterMut(self.entries.iter_mut())
    }

    /// The keys in ascending order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(k, _)| k)
    }

    /// The values in ascending key order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(_, v)| v)
    }

    /// The values in ascending key order, mutable.
    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> + ExactSizeIterator {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    /// The entry with the smallest key.
    pub fn first_key_value(&self) -> Option<(&K, &V)> {
        self.entries.first().map(|(k, v)| (k, v))
    }

    /// The entry with the largest key.
    pub fn last_key_value(&self) -> Option<(&K, &V)> {
        self.entries.last().map(|(k, v)| (k, v))
    }

    /// Keep only the entries for which `keep` returns true (visited in key order).
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }
}

impl<K: Ord, V> SortedMap<K, V> {
    /// Where `key` is (`Ok`) or would be inserted (`Err`): the one search every lookup
    /// uses.
    fn search<Q>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.entries.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    /// The value for `key`.
    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.search(key).ok().map(|i| &self.entries[i].1)
    }

    /// The value for `key`, mutable.
    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.search(key).ok().map(|i| &mut self.entries[i].1)
    }

    /// Whether `key` has a value.
    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.search(key).is_ok()
    }

    /// Set `key` to `value`; the previous value, if any (the stored key is kept, as in
    /// `BTreeMap`).
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.search(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    /// Remove `key`; its value, if it had one.
    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.search(key).ok().map(|i| self.entries.remove(i).1)
    }

    /// The slot for `key`, to read or fill in place.
    pub fn entry(&mut self, key: K) -> Entry<'_, K, V> {
        let at = self.search(&key);
        Entry { map: self, key, at }
    }

    /// The entries whose keys lie in `range`, in ascending key order.
    pub fn range(&self, range: impl RangeBounds<K>) -> Iter<'_, K, V> {
        let start = match range.start_bound() {
            Bound::Included(s) => self.entries.partition_point(|(k, _)| k < s),
            Bound::Excluded(s) => self.entries.partition_point(|(k, _)| k <= s),
            Bound::Unbounded => 0,
        };
        let end = match range.end_bound() {
            Bound::Included(e) => self.entries.partition_point(|(k, _)| k <= e),
            Bound::Excluded(e) => self.entries.partition_point(|(k, _)| k < e),
            Bound::Unbounded => self.entries.len(),
        };
        Iter(self.entries[start..end.max(start)].iter())
    }
}

impl<K, V> Default for SortedMap<K, V> {
    fn default() -> Self {
        SortedMap::new()
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for SortedMap<K, V> {
    /// `{k: v, ..}`, exactly as `BTreeMap` prints (the explorer hashes this text).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K, Q, V> Index<&Q> for SortedMap<K, V>
where
    K: Ord + Borrow<Q>,
    Q: Ord + ?Sized,
{
    type Output = V;

    /// The value for `key`.
    ///
    /// # Panics
    /// If `key` has no value, as `BTreeMap` does.
    fn index(&self, key: &Q) -> &V {
        self.get(key).expect("no entry found for key")
    }
}

/// A vacant or occupied slot of a [`SortedMap`], from [`SortedMap::entry`].
pub struct Entry<'a, K, V> {
    map: &'a mut SortedMap<K, V>,
    key: K,
    at: Result<usize, usize>,
}

impl<'a, K, V> Entry<'a, K, V> {
    /// The value, inserting `make()` first if the key had none.
    pub fn or_insert_with(self, make: impl FnOnce() -> V) -> &'a mut V {
        let i = match self.at {
            Ok(i) => i,
            Err(i) => {
                self.map.entries.insert(i, (self.key, make()));
                i
            }
        };
        &mut self.map.entries[i].1
    }

    /// The value, inserting `value` first if the key had none.
    pub fn or_insert(self, value: V) -> &'a mut V {
        self.or_insert_with(|| value)
    }

    /// The value, inserting `V::default()` first if the key had none.
    pub fn or_default(self) -> &'a mut V
    where
        V: Default,
    {
        self.or_insert_with(V::default)
    }
}

/// The entries of a [`SortedMap`] in ascending key order.
#[derive(Clone, Debug)]
pub struct Iter<'a, K, V>(slice::Iter<'a, (K, V)>);

impl<'a, K, V> Iterator for Iter<'a, K, V> {
    type Item = (&'a K, &'a V);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k, v))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<K, V> DoubleEndedIterator for Iter<'_, K, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (k, v))
    }
}

impl<K, V> ExactSizeIterator for Iter<'_, K, V> {}
impl<K, V> FusedIterator for Iter<'_, K, V> {}

/// The entries of a [`SortedMap`] in ascending key order, values mutable.
#[derive(Debug)]
pub struct IterMut<'a, K, V>(slice::IterMut<'a, (K, V)>);

impl<'a, K, V> Iterator for IterMut<'a, K, V> {
    type Item = (&'a K, &'a mut V);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (&*k, v))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<K, V> DoubleEndedIterator for IterMut<'_, K, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (&*k, v))
    }
}

impl<K, V> ExactSizeIterator for IterMut<'_, K, V> {}
impl<K, V> FusedIterator for IterMut<'_, K, V> {}

impl<'a, K, V> IntoIterator for &'a SortedMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a, K, V> IntoIterator for &'a mut SortedMap<K, V> {
    type Item = (&'a K, &'a mut V);
    type IntoIter = IterMut<'a, K, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

impl<K, V> IntoIterator for SortedMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;

    /// The entries by value, in ascending key order.
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<K: Ord, V> Extend<(K, V)> for SortedMap<K, V> {
    /// Insert each pair in turn: a later value for a key replaces an earlier one.
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for SortedMap<K, V> {
    /// As `BTreeMap`: a later value for a key replaces an earlier one.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut map = SortedMap::new();
        map.extend(iter);
        map
    }
}

impl<K: Serialize, V: Serialize> Serialize for SortedMap<K, V> {
    /// A map, as `BTreeMap` serializes.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de, K, V> Deserialize<'de> for SortedMap<K, V>
where
    K: Deserialize<'de> + Ord,
    V: Deserialize<'de>,
{
    /// A map, as `BTreeMap` deserializes (a later duplicate key wins).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<K, V>(PhantomData<(K, V)>);

        impl<'de, K, V> Visitor<'de> for MapVisitor<K, V>
        where
            K: Deserialize<'de> + Ord,
            V: Deserialize<'de>,
        {
            type Value = SortedMap<K, V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut map = SortedMap::new();
                while let Some((k, v)) = access.next_entry()? {
                    map.insert(k, v);
                }
                Ok(map)
            }
        }

        deserializer.deserialize_map(MapVisitor(PhantomData))
    }
}

// Native only: proptest is a native dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::SortedMap;

    /// One operation of the model test.
    #[derive(Clone, Debug)]
    enum Op {
        Insert(u8, u16),
        Remove(u8),
        Entry(u8, u16),
        Retain(u8),
        Range(u8, u8),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (any::<u8>(), any::<u16>()).prop_map(|(k, v)| Op::Insert(k % 64, v)),
            any::<u8>().prop_map(|k| Op::Remove(k % 64)),
            (any::<u8>(), any::<u16>()).prop_map(|(k, v)| Op::Entry(k % 64, v)),
            any::<u8>().prop_map(|m| Op::Retain(m % 5 + 2)),
            (any::<u8>(), any::<u8>()).prop_map(|(a, b)| Op::Range(a % 70, b % 70)),
        ]
    }

    proptest! {
        /// Every operation answers as `BTreeMap` does, and the two stay equal in
        /// iteration, `Debug` and JSON.
        #[test]
        fn behaves_like_btreemap(ops in proptest::collection::vec(op(), 0..200)) {
            let mut model: BTreeMap<u8, u16> = BTreeMap::new();
            let mut map: SortedMap<u8, u16> = SortedMap::new();
            for op in ops {
                match op {
                    Op::Insert(k, v) => prop_assert_eq!(map.insert(k, v), model.insert(k, v)),
                    Op::Remove(k) => prop_assert_eq!(map.remove(&k), model.remove(&k)),
                    Op::Entry(k, v) => {
                        let a = map.entry(k).or_insert(v);
                        *a = a.wrapping_add(1);
                        let b = model.entry(k).or_insert(v);
                        *b = b.wrapping_add(1);
                    }
                    Op::Retain(m) => {
                        let keep =
                            |k: &u8, v: &mut u16| !(u16::from(*k) + *v % 7).is_multiple_of(u16::from(m));
                        map.retain(keep);
                        model.retain(keep);
                    }
                    Op::Range(a, b) => {
                        let (lo, hi) = (a.min(b), a.max(b));
                        prop_assert!(map.range(lo..=hi).eq(model.range(lo..=hi)));
                        prop_assert!(map.range(lo..hi).eq(model.range(lo..hi)));
                        prop_assert!(map.range(..hi).rev().eq(model.range(..hi).rev()));
                    }
                }
                prop_assert_eq!(map.len(), model.len());
                prop_assert!(map.iter().eq(model.iter()));
            }
            for k in 0..64u8 {
                prop_assert_eq!(map.get(&k), model.get(&k));
                prop_assert_eq!(map.contains_key(&k), model.contains_key(&k));
            }
            prop_assert!(map.keys().eq(model.keys()));
            prop_assert!(map.values().rev().eq(model.values().rev()));
            prop_assert_eq!(map.first_key_value(), model.first_key_value());
            prop_assert_eq!(map.last_key_value(), model.last_key_value());
            prop_assert_eq!(format!("{map:?}"), format!("{model:?}"));
            let json = serde_json::to_string(&map).expect("serializes");
            prop_assert_eq!(&json, &serde_json::to_string(&model).expect("serializes"));
            let back: SortedMap<u8, u16> = serde_json::from_str(&json).expect("deserializes");
            prop_assert_eq!(&back, &map);
            let collected: SortedMap<u8, u16> = model.clone().into_iter().rev().collect();
            prop_assert_eq!(&collected, &map);
            prop_assert!(map.into_iter().eq(model));
        }
    }

    #[test]
    fn borrowed_keys_and_later_duplicates() {
        let mut m: SortedMap<String, u32> = [("b".to_owned(), 1), ("a".to_owned(), 2)]
            .into_iter()
            .collect();
        assert_eq!(m.get("a"), Some(&2));
        if let Some(v) = m.get_mut("b") {
            *v = 5;
        }
        assert_eq!(m.remove("b"), Some(5));
        assert_eq!(m.remove("b"), None);
        *m.entry("c".to_owned()).or_default() += 3;
        assert_eq!(format!("{m:?}"), r#"{"a": 2, "c": 3}"#);
        let dup: SortedMap<String, u32> =
            serde_json::from_str(r#"{"x": 1, "x": 2}"#).expect("deserializes");
        assert_eq!(dup.get("x"), Some(&2));
        let pairs: SortedMap<u8, u8> = [(1, 1), (1, 2)].into_iter().collect();
        assert_eq!(pairs.get(&1), Some(&2));
    }
}
