//! The simulated network: messages in flight, latency, loss, duplication and
//! partitions.
//!
//! The bus owns no randomness and no clock: the world draws the dice and stamps the
//! times, then asks the bus whether two nodes can talk. Every message in flight is an
//! [`Envelope`] with its id and its `sent_at`/`deliver_at`, so the page can draw it
//! moving and the user can drop it, deliver it now or duplicate it.

use crate::sorted::SortedSet;

use serde::{Deserialize, Serialize};

use crate::id::{MsgId, NodeId};
use crate::time::{Tick, Ticks};

/// A message on the wire.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Envelope<M> {
    /// Unique id, in send order.
    pub id: MsgId,
    /// Sender.
    pub from: NodeId,
    /// Receiver.
    pub to: NodeId,
    /// When it left the sender.
    pub sent_at: Tick,
    /// When it arrives (or dies, if `lost`).
    pub deliver_at: Tick,
    /// Decided lost at send time by the loss rate: it flies, then dies at `deliver_at`.
    pub lost: bool,
    /// Set when this envelope is a duplicate of another one.
    pub copy_of: Option<MsgId>,
    /// The payload.
    pub msg: M,
    /// The queue sequence number of its current delivery slot (stale slots are skipped).
    #[serde(skip)]
    pub(crate) slot: u64,
}

/// Network parameters, all changeable during a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NetConfig {
    /// Shortest one-way latency (at least 1 ms, so that every effect happens strictly
    /// after its cause in virtual time).
    pub latency_min: Ticks,
    /// Longest one-way latency.
    pub latency_max: Ticks,
    /// Probability that a message is lost.
    pub drop_rate: f64,
    /// Probability that a message is delivered twice.
    pub duplicate_rate: f64,
    /// Probability that a message is held back (reordered): it gets up to
    /// `reorder_window` of extra latency, so messages sent after it overtake it.
    #[serde(default)]
    pub reorder_rate: f64,
    /// The longest extra hold of a reordered message. The default, 4 s, outlives an
    /// election timeout (1.5–3 s in the assignment), which is what lets a reply from
    /// one term reach its sender in the next (the stale-reply bugs of Raft §5.1).
    #[serde(default = "default_reorder_window")]
    pub reorder_window: Ticks,
}

fn default_reorder_window() -> Ticks {
    Ticks(4_000)
}

impl Default for NetConfig {
    fn default() -> Self {
        NetConfig {
            latency_min: Ticks(10),
            latency_max: Ticks(40),
            drop_rate: 0.0,
            duplicate_rate: 0.0,
            reorder_rate: 0.0,
            reorder_window: default_reorder_window(),
        }
    }
}

impl NetConfig {
    /// Clamp the configuration to sane values: latency at least 1 ms and ordered,
    /// rates within `[0, 1]`.
    #[must_use]
    pub fn normalised(mut self) -> Self {
        self.latency_min = Ticks(self.latency_min.0.max(1));
        self.latency_max = Ticks(self.latency_max.0.max(self.latency_min.0));
        self.drop_rate = clamp_rate(self.drop_rate);
        self.duplicate_rate = clamp_rate(self.duplicate_rate);
        self.reorder_rate = clamp_rate(self.reorder_rate);
        self.reorder_window = Ticks(self.reorder_window.0.min(crate::fault::MAX_HOLD_MS));
        self
    }
}

fn clamp_rate(p: f64) -> f64 {
    // Not `f64::clamp`: its NaN/order assertion formats floats with `Debug`, which
    // would pull core's float printer into the page.
    #[allow(clippy::manual_clamp)]
    if p.is_nan() { 0.0 } else { p.max(0.0).min(1.0) }
}

/// Who can talk to whom, and how slowly: partition groups, individually cut links and
/// slow links.
///
/// Two nodes are connected iff they are in the same group and their link is not cut.
/// With no partition every node is in group 0. A slow link adds its extra latency to
/// every message sent over it, either way.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topology {
    /// `group[i]` is node i's partition group.
    group: Vec<u16>,
    /// Cut links, stored as `(min, max)` pairs.
    cut: SortedSet<(NodeId, NodeId)>,
    /// Slow links, `(min, max)` pairs with their extra latency, sorted by pair.
    #[serde(default)]
    slow: Vec<((NodeId, NodeId), Ticks)>,
}

impl Topology {
    /// A fully connected topology of `n` nodes.
    pub fn connected(n: usize) -> Self {
        Topology {
            group: vec![0; n],
            cut: SortedSet::new(),
            slow: Vec::new(),
        }
    }

    /// Whether `a` and `b` can exchange messages. A node can always talk to itself.
    pub fn can_talk(&self, a: NodeId, b: NodeId) -> bool {
        if a == b {
            return true;
        }
        self.group[a.index()] == self.group[b.index()] && !self.cut.contains(&ordered(a, b))
    }

    /// Split the nodes into `groups`. Nodes named in no group form one more group
    /// together (so `[[1, 2]]` cuts {1, 2} off from everyone else).
    pub fn partition(&mut self, groups: &[Vec<NodeId>]) {
        let rest = u16::try_from(groups.len()).unwrap_or(u16::MAX);
        for g in &mut self.group {
            *g = rest;
        }
        for (gi, members) in groups.iter().enumerate() {
            for n in members {
                self.group[n.index()] = u16::try_from(gi).unwrap_or(u16::MAX);
            }
        }
    }

    /// Cut `node` off from every other node.
    pub fn isolate(&mut self, node: NodeId) {
        let fresh = self
            .group
            .iter()
            .copied()
            .max()
            .unwrap_or(0)
            .saturating_add(1);
        self.group[node.index()] = fresh;
    }

    /// Cut or restore the single link between `a` and `b`.
    pub fn set_link(&mut self, a: NodeId, b: NodeId, up: bool) {
        if up {
            self.cut.remove(&ordered(a, b));
        } else {
            self.cut.insert(ordered(a, b));
        }
    }

    /// Slow the link between `a` and `b` by `extra` (zero restores it).
    pub fn set_slow(&mut self, a: NodeId, b: NodeId, extra: Ticks) {
        let key = ordered(a, b);
        match self.slow.binary_search_by_key(&key, |(k, _)| *k) {
            Ok(i) if extra.0 == 0 => {
                self.slow.remove(i);
            }
            Ok(i) => self.slow[i].1 = extra,
            Err(_) if extra.0 == 0 => {}
            Err(i) => self.slow.insert(i, (key, extra)),
        }
    }

    /// The extra latency of the link between `a` and `b`.
    pub fn extra_latency(&self, a: NodeId, b: NodeId) -> Ticks {
        if self.slow.is_empty() {
            return Ticks(0);
        }
        let key = ordered(a, b);
        self.slow
            .binary_search_by_key(&key, |(k, _)| *k)
            .map_or(Ticks(0), |i| self.slow[i].1)
    }

    /// The slow links and their extra latency.
    pub fn slow_links(&self) -> impl Iterator<Item = ((NodeId, NodeId), Ticks)> + '_ {
        self.slow.iter().copied()
    }

    /// Remove every partition, restore every cut link and every slow one.
    pub fn heal(&mut self) {
        for g in &mut self.group {
            *g = 0;
        }
        self.cut.clear();
        self.slow.clear();
    }

    /// True when some pair of nodes cannot talk.
    pub fn is_partitioned(&self) -> bool {
        !self.cut.is_empty() || self.group.windows(2).any(|w| w[0] != w[1])
    }

    /// The partition groups, each a sorted list of nodes, in order of their first node.
    pub fn groups(&self) -> Vec<Vec<NodeId>> {
        let mut keys: Vec<u16> = Vec::new();
        let mut out: Vec<Vec<NodeId>> = Vec::new();
        for (i, g) in self.group.iter().enumerate() {
            if let Some(pos) = keys.iter().position(|k| k == g) {
                out[pos].push(NodeId::from_index(i));
            } else {
                keys.push(*g);
                out.push(vec![NodeId::from_index(i)]);
            }
        }
        out
    }

    /// True when a heal would change something: a partition, a cut link or a slow one.
    pub fn needs_heal(&self) -> bool {
        self.is_partitioned() || !self.slow.is_empty()
    }

    /// The individually cut links.
    pub fn cut_links(&self) -> impl Iterator<Item = (NodeId, NodeId)> + '_ {
        self.cut.iter().copied()
    }
}

fn ordered(a: NodeId, b: NodeId) -> (NodeId, NodeId) {
    if a <= b { (a, b) } else { (b, a) }
}

/// Why a message did not arrive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DropReason {
    /// Lost by the random loss rate.
    Loss,
    /// Sender and receiver were partitioned.
    Partition,
    /// The receiver was down.
    NodeDown,
    /// The user dropped it.
    User,
}
