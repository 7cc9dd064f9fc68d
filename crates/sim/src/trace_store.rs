//! The stored trace of a run: trace events in fixed-size chunks, so that a long run
//! can forget its oldest events a chunk at a time.
//!
//! Why chunks: a page left playing at full speed records about 100,000 trace entries a
//! second and keeps only the newest few hundred thousand ([`crate::History::retain_trace`]).
//! In one contiguous `Vec`, forgetting the oldest part moved everything kept to the
//! front and freed the rest in the same call: about 30 ms natively, a visible stall
//! every few seconds. Here forgetting drops whole chunks from the front of a deque and
//! moves nothing, and appending never reallocates what is stored.
//!
//! Positions are global: position `p` is the `p`-th entry of the whole run's trace
//! (its [`TraceEvent::index`] when the run began at event 0). The store holds the
//! positions `start()..end()`; a [`TraceView`] reads a range of them with local
//! indices from 0, the way a slice would.
//!
//! What it must not do: know about events, checkpoints or limits (that is
//! [`crate::History`]'s business); it stores, forgets and reads entries.

use std::collections::VecDeque;
use std::ops::{Bound, RangeBounds};

use serde::ser::{Serialize, SerializeSeq, Serializer};

use crate::protocol::Protocol;
use crate::trace::TraceEvent;

/// Entries per chunk unless told otherwise (about 800 KB of Raft trace events).
pub const DEFAULT_CHUNK: usize = 4096;

/// Trace entries in chunks of equal size (the last one filling up).
#[derive(Clone, Debug)]
pub struct TraceStore<P: Protocol> {
    /// Every chunk but the last holds exactly `chunk` entries.
    chunks: VecDeque<Vec<TraceEvent<P>>>,
    chunk: usize,
    /// The global position of `chunks[0][0]`.
    base: usize,
    /// The oldest position kept (entries of the first chunk before it are forgotten).
    start: usize,
    /// One past the newest position.
    end: usize,
}

impl<P: Protocol> Default for TraceStore<P> {
    fn default() -> Self {
        Self::new(DEFAULT_CHUNK)
    }
}

impl<P: Protocol> TraceStore<P> {
    /// An empty store that allocates `chunk` entries at a time.
    pub fn new(chunk: usize) -> Self {
        TraceStore {
            chunks: VecDeque::new(),
            chunk: chunk.max(1),
            base: 0,
            start: 0,
            end: 0,
        }
    }

    /// Store `chunk` entries per chunk from now on (what is stored is re-chunked).
    pub fn set_chunk(&mut self, chunk: usize) {
        let chunk = chunk.max(1);
        if chunk == self.chunk {
            return;
        }
        let kept = self.all().to_vec();
        let start = self.start;
        *self = TraceStore::new(chunk);
        self.base = start;
        self.start = start;
        self.end = start;
        self.extend_from_slice(&kept);
    }

    /// The oldest position kept.
    pub fn start(&self) -> usize {
        self.start
    }

    /// One past the newest position.
    pub fn end(&self) -> usize {
        self.end
    }

    /// Entries kept.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Entries held in memory: those kept, and the forgotten ones that share the oldest
    /// chunk with kept ones.
    pub fn stored(&self) -> usize {
        self.end - self.base
    }

    /// True when nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }

    /// Append entries at the end.
    pub fn extend_from_slice(&mut self, mut events: &[TraceEvent<P>]) {
        self.end += events.len();
        while !events.is_empty() {
            if self.chunks.back().is_none_or(|c| c.len() == self.chunk) {
                self.chunks.push_back(Vec::with_capacity(self.chunk));
            }
            let Some(last) = self.chunks.back_mut() else {
                break;
            };
            let take = (self.chunk - last.len()).min(events.len());
            last.extend_from_slice(&events[..take]);
            events = &events[take..];
        }
    }

    /// Forget every position before `position` (no further than the end). Chunks that
    /// hold nothing kept are freed; nothing kept moves.
    pub fn forget_before(&mut self, position: usize) {
        self.start = self.start.max(position.min(self.end));
        while let Some(first) = self.chunks.front() {
            if self.base + first.len() > self.start {
                break;
            }
            self.base += first.len();
            self.chunks.pop_front();
        }
        if self.chunks.is_empty() {
            self.base = self.start;
        }
    }

    /// Forget every position from `position` on (no further back than the start).
    pub fn truncate(&mut self, position: usize) {
        let position = position.clamp(self.start, self.end);
        // Whole chunks from the back, then part of the last one left.
        while self.chunks.len() > 1 && self.end - self.chunks.back().map_or(0, Vec::len) >= position
        {
            self.end -= self.chunks.pop_back().map_or(0, |c| c.len());
        }
        if let Some(last) = self.chunks.back_mut() {
            let last_base = self.end - last.len();
            last.truncate(position - last_base);
        }
        self.end = position;
    }

    /// The entry at global position `position` (which must be stored).
    fn at(&self, position: usize) -> &TraceEvent<P> {
        let offset = position - self.base;
        &self.chunks[offset / self.chunk][offset % self.chunk]
    }

    /// The global positions `from..to` (clamped to what is kept).
    pub fn view(&self, from: usize, to: usize) -> TraceView<'_, P> {
        let to = to.clamp(self.start, self.end);
        TraceView {
            store: self,
            from: from.clamp(self.start, to),
            to,
        }
    }

    /// Everything kept.
    pub fn all(&self) -> TraceView<'_, P> {
        self.view(self.start, self.end)
    }
}

/// A read-only range of a [`TraceStore`], indexed from 0 like a slice.
pub struct TraceView<'a, P: Protocol> {
    store: &'a TraceStore<P>,
    /// Global positions `from..to`.
    from: usize,
    to: usize,
}

// Not derived: a derive would ask `P: Clone`, and a view only copies a reference.
#[allow(clippy::expl_impl_clone_on_copy)]
impl<P: Protocol> Clone for TraceView<'_, P> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P: Protocol> Copy for TraceView<'_, P> {}

impl<P: Protocol> std::fmt::Debug for TraceView<'_, P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a, P: Protocol> TraceView<'a, P> {
    /// Entries in the view.
    pub fn len(&self) -> usize {
        self.to - self.from
    }

    /// True when the view is empty.
    pub fn is_empty(&self) -> bool {
        self.to == self.from
    }

    /// The `i`-th entry of the view.
    pub fn get(&self, i: usize) -> Option<&'a TraceEvent<P>> {
        (i < self.len()).then(|| self.store.at(self.from + i))
    }

    /// The first entry.
    pub fn first(&self) -> Option<&'a TraceEvent<P>> {
        self.get(0)
    }

    /// The last entry.
    pub fn last(&self) -> Option<&'a TraceEvent<P>> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    /// The entries in order (double-ended, exact size).
    pub fn iter(&self) -> Iter<'a, P> {
        Iter {
            store: self.store,
            front: self.from,
            back: self.to,
        }
    }

    /// A sub-range, in the view's own indices (clamped to the view).
    #[must_use]
    pub fn range(&self, range: impl RangeBounds<usize>) -> TraceView<'a, P> {
        let lo = match range.start_bound() {
            Bound::Included(&i) => i,
            Bound::Excluded(&i) => i + 1,
            Bound::Unbounded => 0,
        };
        let hi = match range.end_bound() {
            Bound::Included(&i) => i + 1,
            Bound::Excluded(&i) => i,
            Bound::Unbounded => self.len(),
        };
        let hi = hi.min(self.len());
        TraceView {
            store: self.store,
            from: self.from + lo.min(hi),
            to: self.from + hi,
        }
    }

    /// The index of the first entry for which `pred` is false, the entries being
    /// partitioned by it (as `slice::partition_point`).
    pub fn partition_point(&self, mut pred: impl FnMut(&TraceEvent<P>) -> bool) -> usize {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if pred(self.store.at(self.from + mid)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// A copy of the entries.
    pub fn to_vec(&self) -> Vec<TraceEvent<P>> {
        self.iter().cloned().collect()
    }
}

impl<P: Protocol> std::ops::Index<usize> for TraceView<'_, P> {
    type Output = TraceEvent<P>;

    fn index(&self, i: usize) -> &TraceEvent<P> {
        assert!(
            i < self.len(),
            "trace index {i} out of range for a view of {}",
            self.len()
        );
        self.store.at(self.from + i)
    }
}

impl<'a, P: Protocol> IntoIterator for &TraceView<'a, P> {
    type Item = &'a TraceEvent<P>;
    type IntoIter = Iter<'a, P>;

    fn into_iter(self) -> Iter<'a, P> {
        self.iter()
    }
}

impl<'a, P: Protocol> IntoIterator for TraceView<'a, P> {
    type Item = &'a TraceEvent<P>;
    type IntoIter = Iter<'a, P>;

    fn into_iter(self) -> Iter<'a, P> {
        self.iter()
    }
}

impl<P: Protocol> Serialize for TraceView<'_, P> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for e in self {
            seq.serialize_element(e)?;
        }
        seq.end()
    }
}

/// The entries of a [`TraceView`], in order or backwards.
pub struct Iter<'a, P: Protocol> {
    store: &'a TraceStore<P>,
    front: usize,
    back: usize,
}

impl<'a, P: Protocol> Iterator for Iter<'a, P> {
    type Item = &'a TraceEvent<P>;

    fn next(&mut self) -> Option<Self::Item> {
        (self.front < self.back).then(|| {
            self.front += 1;
            self.store.at(self.front - 1)
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back - self.front;
        (n, Some(n))
    }

    fn nth(&mut self, n: usize) -> Option<Self::Item> {
        self.front = self.front.saturating_add(n).min(self.back);
        self.next()
    }
}

impl<P: Protocol> DoubleEndedIterator for Iter<'_, P> {
    fn next_back(&mut self) -> Option<Self::Item> {
        (self.front < self.back).then(|| {
            self.back -= 1;
            self.store.at(self.back)
        })
    }
}

impl<P: Protocol> ExactSizeIterator for Iter<'_, P> {}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use proptest::prelude::*;

    use super::TraceStore;
    use crate::demo::Demo;
    use crate::id::NodeId;
    use crate::time::Tick;
    use crate::trace::{EventKind, TraceEvent};

    fn entry(index: u64) -> TraceEvent<Demo> {
        TraceEvent {
            index,
            event: index / 3,
            at: Tick(index * 10),
            kind: EventKind::Booted { node: NodeId(0) },
        }
    }

    #[derive(Clone, Debug)]
    enum Op {
        Push(usize),
        Forget(usize),
        Truncate(usize),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (0usize..40).prop_map(Op::Push),
            1 => (0usize..100).prop_map(Op::Forget),
            1 => (0usize..60).prop_map(Op::Truncate),
        ]
    }

    proptest! {
        /// The store reads exactly like a `Vec` of the positions `start..end` (the model),
        /// through every kind of read, whatever was appended, forgotten and truncated,
        /// and holds at most one chunk more than it keeps.
        #[test]
        fn reads_like_a_vec(chunk in 1usize..9, ops in prop::collection::vec(op(), 0..40), lo in 0usize..200, hi in 0usize..200) {
            let mut store = TraceStore::<Demo>::new(chunk);
            let mut model: Vec<TraceEvent<Demo>> = Vec::new();
            let mut start = 0usize;
            let mut next = 0u64;
            for op in ops {
                match op {
                    Op::Push(n) => {
                        let batch: Vec<_> = (0..n).map(|_| { next += 1; entry(next - 1) }).collect();
                        store.extend_from_slice(&batch);
                        model.extend(batch);
                    }
                    Op::Forget(k) => {
                        let end = start + model.len();
                        let p = (start + k).min(end);
                        store.forget_before(p);
                        model.drain(..p - start);
                        start = p;
                    }
                    Op::Truncate(k) => {
                        let p = start + k.min(model.len());
                        store.truncate(p);
                        model.truncate(p - start);
                        next = u64::try_from(p).expect("a small position");
                    }
                }
                prop_assert_eq!(store.start(), start);
                prop_assert_eq!(store.len(), model.len());
                prop_assert!(store.stored() < store.len() + chunk.max(1) + 1);
            }
            let all = store.all();
            let idx = |v: &[TraceEvent<Demo>]| v.iter().map(|e| e.index).collect::<Vec<_>>();
            prop_assert_eq!(idx(&all.to_vec()), idx(&model));
            prop_assert_eq!(all.iter().rev().map(|e| e.index).collect::<Vec<_>>(), model.iter().rev().map(|e| e.index).collect::<Vec<_>>());
            let (lo, hi) = (lo.min(model.len()), hi.min(model.len()));
            let (lo, hi) = (lo.min(hi), hi);
            let part = all.range(lo..hi);
            prop_assert_eq!(idx(&part.to_vec()), idx(&model[lo..hi]));
            for (i, e) in model[lo..hi].iter().enumerate() {
                prop_assert_eq!(part[i].index, e.index);
            }
            prop_assert_eq!(part.get(hi - lo).map(|e| e.index), None);
            prop_assert_eq!(part.last().map(|e| e.index), model[lo..hi].last().map(|e| e.index));
            let cut = u64::try_from(start + lo.midpoint(hi)).expect("a small position");
            prop_assert_eq!(all.partition_point(|e| e.index < cut), model.partition_point(|e| e.index < cut));
            prop_assert_eq!(all.iter().skip(lo).len(), model.len() - lo);
            prop_assert_eq!(serde_json::to_string(&part).expect("serialises"), serde_json::to_string(&model[lo..hi]).expect("serialises"));
        }
    }

    #[test]
    fn a_new_chunk_size_keeps_what_is_stored() {
        let mut store = TraceStore::<Demo>::new(4);
        let batch: Vec<_> = (0..10).map(entry).collect();
        store.extend_from_slice(&batch);
        store.forget_before(3);
        store.set_chunk(3);
        assert_eq!(store.start(), 3);
        assert_eq!(
            store.all().iter().map(|e| e.index).collect::<Vec<_>>(),
            (3..10).collect::<Vec<_>>()
        );
        store.extend_from_slice(&[entry(10)]);
        assert_eq!(store.all()[7].index, 10);
    }
}
