//! The music queue: the replicated state machine (Raft §5, "replicated state
//! machines"), with the seven operations of Group 15's original Redis service
//! (`reference/seed-systems.md` §2.1).
//!
//! [`MusicQueue::apply`] is a pure, deterministic function of the state and the
//! operation, so every replica that applies the same log reaches the same state, and
//! the linearizability checker uses the very same function as its sequential model.
//!
//! **Validation.** Every rejection changes nothing. The checks that depend only on
//! the request (empty id or title, duration ≤ 0) are made by the node that receives
//! it, before anything is logged ([`Op::validate`]). The checks that depend on the
//! state (a duplicate id on add, an unknown id on remove/vote/metadata) are made at
//! *apply* time, on every replica, in log order ([`MusicQueue::apply`]): deciding them
//! on the leader before appending would race with concurrent entries already in the
//! log, and two adds of the same id in flight would both pass.
//!
//! This module must not know about Raft: no terms, no indices, no nodes.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// A track in the queue (`queue.proto`'s `Track`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Track {
    /// The track's id (a string, as in gRPC).
    pub id: Arc<str>,
    /// Title.
    pub title: Arc<str>,
    /// Artist.
    pub artist: Arc<str>,
    /// Net votes.
    pub votes: i64,
    /// Length in seconds.
    pub duration: i64,
}

impl Track {
    /// A new track with no votes.
    pub fn new(id: &str, title: &str, artist: &str, duration: i64) -> Self {
        Track {
            id: id.into(),
            title: title.into(),
            artist: artist.into(),
            votes: 0,
            duration,
        }
    }
}

/// A client operation on the queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// `AddTrack`: append a track (votes start at 0).
    Add(Track),
    /// `RemoveTrack`: remove the track with this id.
    Remove {
        /// Track id.
        id: Arc<str>,
    },
    /// `VoteTrack`: ±1 on the track, then a stable sort by votes, descending.
    Vote {
        /// Track id.
        id: Arc<str>,
        /// Up (+1) or down (-1).
        up: bool,
    },
    /// `PlayNext`: move the head of the queue into the history.
    Play,
    /// `GetQueue`.
    Queue,
    /// `GetMetadata`: the first queued track with this id.
    Metadata {
        /// Track id.
        id: Arc<str>,
    },
    /// `GetHistory`.
    History,
}

/// The kind of an operation, without its arguments (for notes and log lines).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpKind {
    /// `AddTrack`.
    Add,
    /// `RemoveTrack`.
    Remove,
    /// `VoteTrack`.
    Vote,
    /// `PlayNext`.
    Play,
    /// `GetQueue`.
    Queue,
    /// `GetMetadata`.
    Metadata,
    /// `GetHistory`.
    History,
}

impl OpKind {
    /// The gRPC method name.
    pub fn rpc(self) -> &'static str {
        match self {
            OpKind::Add => "AddTrack",
            OpKind::Remove => "RemoveTrack",
            OpKind::Vote => "VoteTrack",
            OpKind::Play => "PlayNext",
            OpKind::Queue => "GetQueue",
            OpKind::Metadata => "GetMetadata",
            OpKind::History => "GetHistory",
        }
    }

    /// The log command name.
    pub fn cmd(self) -> &'static str {
        match self {
            OpKind::Add => "ADD",
            OpKind::Remove => "REMOVE",
            OpKind::Vote => "VOTE",
            OpKind::Play => "PLAY",
            OpKind::Queue => "GET_QUEUE",
            OpKind::Metadata => "GET_METADATA",
            OpKind::History => "GET_HISTORY",
        }
    }
}

impl Op {
    /// The operation's kind.
    pub fn kind(&self) -> OpKind {
        match self {
            Op::Add(_) => OpKind::Add,
            Op::Remove { .. } => OpKind::Remove,
            Op::Vote { .. } => OpKind::Vote,
            Op::Play => OpKind::Play,
            Op::Queue => OpKind::Queue,
            Op::Metadata { .. } => OpKind::Metadata,
            Op::History => OpKind::History,
        }
    }

    /// The gRPC method name (`QueueService`), as log lines print it.
    pub fn rpc(&self) -> &'static str {
        self.kind().rpc()
    }

    /// The log command name (`Applying log[i] cmd=ADD`).
    pub fn cmd(&self) -> &'static str {
        self.kind().cmd()
    }

    /// The scenario file's `op` name.
    pub fn name(&self) -> &'static str {
        match self {
            Op::Add(_) => "add",
            Op::Remove { .. } => "remove",
            Op::Vote { .. } => "vote",
            Op::Play => "play",
            Op::Queue => "queue",
            Op::Metadata { .. } => "metadata",
            Op::History => "history",
        }
    }

    /// Whether the operation changes the queue.
    pub fn is_write(&self) -> bool {
        matches!(
            self,
            Op::Add(_) | Op::Remove { .. } | Op::Vote { .. } | Op::Play
        )
    }

    /// The checks that depend on the request alone.
    ///
    /// # Errors
    /// The first thing wrong with the request.
    pub fn validate(&self) -> Result<(), Rejection> {
        match self {
            Op::Add(t) => {
                if t.id.trim().is_empty() {
                    Err(Rejection::EmptyId)
                } else if t.title.trim().is_empty() {
                    Err(Rejection::EmptyTitle)
                } else if t.duration <= 0 {
                    Err(Rejection::NonPositiveDuration)
                } else {
                    Ok(())
                }
            }
            Op::Remove { id } | Op::Vote { id, .. } | Op::Metadata { id } => {
                if id.trim().is_empty() {
                    Err(Rejection::EmptyId)
                } else {
                    Ok(())
                }
            }
            Op::Play | Op::Queue | Op::History => Ok(()),
        }
    }
}

/// A successful operation's result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpResult {
    /// A write that changed the queue (add, remove, vote).
    Done,
    /// `PlayNext`: the track moved to the history (none if the queue was empty).
    Played(Option<Track>),
    /// `GetQueue`.
    Queue(Vec<Track>),
    /// `GetHistory`.
    History(Vec<Track>),
    /// `GetMetadata`.
    Track(Track),
}

/// Why a request was rejected. Rejected requests change nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rejection {
    /// `id` is empty.
    EmptyId,
    /// `title` is empty.
    EmptyTitle,
    /// `duration` ≤ 0.
    NonPositiveDuration,
    /// `AddTrack` with an id already queued.
    DuplicateId(Arc<str>),
    /// Remove/vote/metadata of an id not in the queue.
    UnknownId(Arc<str>),
    /// The seed's `"Forwarding failed: DEADLINE_EXCEEDED"` (flaw R4-7): the follower
    /// gave up, and told the client the request failed.
    ForwardFailed,
}

impl Rejection {
    /// Whether the sequential model itself produces this rejection (as opposed to a
    /// transport failure that claims the request had no effect).
    pub fn is_validation(&self) -> bool {
        !matches!(self, Rejection::ForwardFailed)
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::EmptyId => write!(f, "id: must not be empty"),
            Rejection::EmptyTitle => write!(f, "title: must not be empty"),
            Rejection::NonPositiveDuration => write!(f, "duration: must be a positive integer"),
            Rejection::DuplicateId(id) => write!(f, "id: track \"{id}\" is already in the queue"),
            Rejection::UnknownId(id) => write!(f, "id: no track \"{id}\" in the queue"),
            Rejection::ForwardFailed => write!(f, "Forwarding failed: DEADLINE_EXCEEDED"),
        }
    }
}

/// The queue and the play history.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MusicQueue {
    /// Tracks waiting to play, head first.
    pub queue: Vec<Track>,
    /// Tracks played, oldest first.
    pub history: Vec<Track>,
}

impl MusicQueue {
    /// An empty queue.
    pub fn new() -> Self {
        MusicQueue::default()
    }

    /// Apply `op` (the sequential specification). Reads leave the state unchanged.
    ///
    /// # Errors
    /// A [`Rejection`]; the state is then unchanged.
    pub fn apply(&mut self, op: &Op) -> Result<OpResult, Rejection> {
        op.validate()?;
        match op {
            Op::Add(t) => {
                if self.position(&t.id).is_some() {
                    return Err(Rejection::DuplicateId(t.id.clone()));
                }
                // RPUSH, as the original: adding does not re-sort.
                self.queue.push(Track {
                    votes: 0,
                    ..t.clone()
                });
                Ok(OpResult::Done)
            }
            Op::Remove { id } => {
                let pos = self
                    .position(id)
                    .ok_or_else(|| Rejection::UnknownId(id.clone()))?;
                self.queue.remove(pos);
                Ok(OpResult::Done)
            }
            Op::Vote { id, up } => {
                let pos = self
                    .position(id)
                    .ok_or_else(|| Rejection::UnknownId(id.clone()))?;
                self.queue[pos].votes += if *up { 1 } else { -1 };
                // Stable: equal votes keep their queue order (the original service's
                // sort). One entry moved by one vote, so the queue is nearly sorted.
                crate::sorted::sort_small_by_key(&mut self.queue, |t| std::cmp::Reverse(t.votes));
                Ok(OpResult::Done)
            }
            Op::Play => {
                if self.queue.is_empty() {
                    return Ok(OpResult::Played(None));
                }
                let head = self.queue.remove(0);
                self.history.push(head.clone());
                Ok(OpResult::Played(Some(head)))
            }
            Op::Queue => Ok(OpResult::Queue(self.queue.clone())),
            Op::History => Ok(OpResult::History(self.history.clone())),
            Op::Metadata { id } => {
                let pos = self
                    .position(id)
                    .ok_or_else(|| Rejection::UnknownId(id.clone()))?;
                Ok(OpResult::Track(self.queue[pos].clone()))
            }
        }
    }

    /// Whether applying `op` would produce `expected` (without cloning for reads).
    pub fn read_matches(&self, op: &Op, expected: &Result<OpResult, Rejection>) -> Option<bool> {
        match (op, expected) {
            (Op::Queue, Ok(OpResult::Queue(q))) => Some(*q == self.queue),
            (Op::History, Ok(OpResult::History(h))) => Some(*h == self.history),
            (Op::Queue | Op::History, _) => Some(false),
            _ => None,
        }
    }

    fn position(&self, id: &str) -> Option<usize> {
        self.queue.iter().position(|t| &*t.id == id)
    }

    /// The memo key of the linearizability search: a canonical encoding of the
    /// *whole* state, so that two states have equal keys exactly when they are equal.
    ///
    /// Every field of every track counts, in the history as well as in the queue: a
    /// track's votes travel with it into the history, so `[1:0, 1:1]` and
    /// `[1:1, 1:0]` are different states (a 64-bit hash that left the history's votes
    /// out merged them, and the search pruned the branch that explained the answers).
    /// Fields are length-prefixed and numbers varint-coded, which makes the encoding
    /// injective and short (about 20 bytes a track).
    pub fn memo_key(&self) -> MemoKey {
        let mut out = Vec::with_capacity(2 + 24 * (self.queue.len() + self.history.len()));
        for list in [&self.queue, &self.history] {
            put_varint(&mut out, list.len() as u64);
            for t in list {
                for text in [&t.id, &t.title, &t.artist] {
                    put_varint(&mut out, text.len() as u64);
                    out.extend_from_slice(text.as_bytes());
                }
                put_varint(&mut out, zigzag(t.votes));
                put_varint(&mut out, zigzag(t.duration));
            }
        }
        MemoKey(out.into_boxed_slice())
    }
}

/// [`MusicQueue::memo_key`]'s value: the state's canonical encoding. Equal keys
/// imply equal states, so the search can memoise on it without a collision check.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MemoKey(Box<[u8]>);

/// LEB128: seven bits a byte, the high bit set on all but the last.
fn put_varint(out: &mut Vec<u8>, mut x: u64) {
    while x >= 0x80 {
        out.push(u8::try_from(x & 0x7f).expect("masked to seven bits") | 0x80);
        x >>= 7;
    }
    out.push(u8::try_from(x).expect("below 0x80"));
}

/// Signed to unsigned so that small negatives stay short (-1 → 1, 1 → 2).
fn zigzag(x: i64) -> u64 {
    ((x << 1) ^ (x >> 63)).cast_unsigned()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use proptest::prelude::*;

    use super::{MusicQueue, Track};

    fn track() -> impl Strategy<Value = Track> {
        // Small alphabets so that equal and nearly-equal tracks are common; the
        // texts include "" and "1"/"11", so a missing length prefix would show up
        // as a collision ("1" + "1" against "11" + "").
        let text = prop::sample::select(vec!["", "1", "11", "a", "1a"]);
        (text.clone(), text.clone(), text, -2i64..3, -1i64..2).prop_map(
            |(id, title, artist, votes, duration)| Track {
                votes,
                ..Track::new(id, title, artist, duration)
            },
        )
    }

    fn state() -> impl Strategy<Value = MusicQueue> {
        (
            prop::collection::vec(track(), 0..3),
            prop::collection::vec(track(), 0..3),
        )
            .prop_map(|(queue, history)| MusicQueue { queue, history })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        /// Equal keys imply equal states, and equal states have equal keys.
        #[test]
        fn memo_key_is_injective(a in state(), b in state()) {
            prop_assert_eq!(a.memo_key() == b.memo_key(), a == b, "{:?} vs {:?}", a, b);
        }

        /// The same for neighbours: one track of `a` replaced by `t` (often equal to
        /// it, or differing in one field, such as the votes of a played track).
        #[test]
        fn memo_key_tells_neighbours_apart(a in state(), at in 0usize..6, t in track()) {
            let mut b = a.clone();
            let n = b.queue.len();
            if at < n {
                b.queue[at] = t;
            } else if let Some(slot) = b.history.get_mut(at - n) {
                *slot = t;
            }
            prop_assert_eq!(a.memo_key() == b.memo_key(), a == b, "{:?} vs {:?}", a, b);
        }
    }
}
