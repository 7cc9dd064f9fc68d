//! Small ordered collections: [`SortedMap`] and [`SortedSet`], a `Vec` kept sorted by
//! key and searched by binary search. They stand in for `BTreeMap`/`BTreeSet` in engine
//! and checker state that the page ships. [`sort_small_by_key`] stands in for `std`'s
//! stable sort on short lists, for the same reason.
//!
//! Why not `std`'s B-trees: every key/value type gets its own copy of the B-tree's
//! insert, remove, rebalancing, clone and drop code, about 4–5 KB of wasm each, and the
//! engine has some two dozen of them. A sorted `Vec` needs only a binary search,
//! `Vec::insert`/`Vec::remove`, and `Vec`'s clone and drop. The engine's maps are small
//! (a node per entry, a few transactions or pictures, at most some hundreds of messages
//! in flight with increasing ids, so inserts land at the end), where a `Vec` is as
//! fast as a B-tree or faster.
//!
//! Observable behaviour is exactly a B-tree's, so traces, fingerprints and JSON do not
//! change: iteration is in ascending key order; `Debug` prints `{k: v, ..}` and
//! `{x, ..}`; serde writes and reads a map (a sequence for a set), later duplicates
//! replacing earlier ones; `PartialEq` compares the entries in order, as `BTreeMap`'s
//! does.
//!
//! This module owns the data structures only; it must not grow a general collections
//! API beyond what the engine uses.

mod map;
mod set;
mod small_sort;

pub use map::{Entry, Iter, IterMut, SortedMap};
pub use set::SortedSet;
pub use small_sort::{sort_small_by, sort_small_by_key};
