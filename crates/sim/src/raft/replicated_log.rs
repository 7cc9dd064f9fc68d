//! The replicated log of one node (Raft §5.3): entries 1.., each with the running
//! fingerprint of the prefix ending at it, and a count of truncations.
//!
//! The prefix fingerprints make the Log Matching check cheap (two logs with the same
//! fingerprint at an index hold the same prefix), and the truncation counter lets the
//! Leader Append-Only check see any removal. Every change to a log goes through this
//! type, whatever the mode, so the checkers see buggy modes' changes too.
//!
//! It must not decide *whether* to change the log: that is the node's job.

use serde::{Deserialize, Serialize};

use super::entry::{Entry, mix};
use super::types::{LogIndex, Term};

/// A node's log.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Log {
    entries: Vec<Entry>,
    #[serde(skip)]
    prefix: Vec<u64>,
    #[serde(skip)]
    truncations: u64,
    /// Counts every mutation (append or truncation), so a node can tell cheaply
    /// whether its log changed in a handler (and must be synced). Not part of
    /// equality: two logs with the same entries and history are equal however they
    /// were built.
    #[serde(skip)]
    version: u64,
}

impl PartialEq for Log {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
            && self.prefix == other.prefix
            && self.truncations == other.truncations
    }
}

impl Eq for Log {}

impl Log {
    /// An empty log.
    pub fn new() -> Self {
        Log::default()
    }

    /// The index of the last entry (0 when empty).
    pub fn last_index(&self) -> LogIndex {
        LogIndex(self.entries.len() as u64)
    }

    /// The term of the last entry (0 when empty).
    pub fn last_term(&self) -> Term {
        self.entries.last().map_or(Term::ZERO, |e| e.term)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the log is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The term at `index`: `Some(0)` for index 0, `None` past the end.
    pub fn term_at(&self, index: LogIndex) -> Option<Term> {
        if index == LogIndex::ZERO {
            Some(Term::ZERO)
        } else {
            self.entries.get(index.slot()).map(|e| e.term)
        }
    }

    /// The entry at `index`.
    pub fn entry(&self, index: LogIndex) -> Option<&Entry> {
        if index == LogIndex::ZERO {
            None
        } else {
            self.entries.get(index.slot())
        }
    }

    /// Every entry, index 1 first.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The fingerprint of the prefix ending at `index` (0 for index 0).
    pub fn prefix_fingerprint(&self, index: LogIndex) -> Option<u64> {
        if index == LogIndex::ZERO {
            Some(0)
        } else {
            self.prefix.get(index.slot()).copied()
        }
    }

    /// How many times entries have been removed from this log (ever).
    pub fn truncations(&self) -> u64 {
        self.truncations
    }

    /// A counter that moves on every change to the log.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Append one entry; returns its index.
    pub fn append(&mut self, entry: Entry) -> LogIndex {
        self.version += 1;
        let prev = self.prefix.last().copied().unwrap_or(0);
        self.prefix.push(mix(prev, entry.fingerprint()));
        self.entries.push(entry);
        self.last_index()
    }

    /// Remove the entry at `index` and every entry after it.
    pub fn truncate_from(&mut self, index: LogIndex) {
        let keep = index.slot();
        if keep < self.entries.len() {
            self.entries.truncate(keep);
            self.prefix.truncate(keep);
            self.truncations += 1;
            self.version += 1;
        }
    }

    /// Up to `max` entries starting at `from`.
    pub fn entries_from(&self, from: LogIndex, max: usize) -> Vec<Entry> {
        let start = usize::try_from(from.0.max(1) - 1)
            .unwrap_or(usize::MAX)
            .min(self.entries.len());
        let end = start.saturating_add(max).min(self.entries.len());
        self.entries[start..end].to_vec()
    }

    /// The last index holding an entry of `term`, if any.
    pub fn last_index_of_term(&self, term: Term) -> Option<LogIndex> {
        self.entries
            .iter()
            .rposition(|e| e.term == term)
            .map(LogIndex::from_slot)
    }

    /// The first index holding an entry of `term`, searching back from `from`.
    pub fn first_index_of_term_before(&self, term: Term, from: LogIndex) -> LogIndex {
        let mut i = from;
        while i.0 > 1 && self.term_at(i.prev()) == Some(term) {
            i = i.prev();
        }
        i
    }

    /// Replace the whole log with `entries` (the seed's `self.log = list(request.entries)`).
    /// Counts as a truncation if any existing entry is removed or changed.
    pub fn replace_all(&mut self, entries: &[Entry]) {
        let common = self
            .entries
            .iter()
            .zip(entries)
            .take_while(|(a, b)| a.term == b.term && a.fingerprint() == b.fingerprint())
            .count();
        if common < self.entries.len() {
            self.truncate_from(LogIndex::from_slot(common));
        }
        for e in &entries[common..] {
            self.append(e.clone());
        }
    }

    /// Rebuild the derived fingerprints (after deserialising).
    pub fn rebuild(&mut self) {
        let entries = std::mem::take(&mut self.entries);
        self.prefix.clear();
        for e in entries {
            self.append(e);
        }
    }
}
