//! Identifiers: nodes, messages and client requests. Newtypes so that a message id
//! can never be passed where a node id is expected.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A node's index in the world, `0..n`. Its display name (`"3"`, `"grpc-node2"`)
/// is the protocol's business; see [`crate::Protocol::node_name`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NodeId(pub u16);

impl NodeId {
    /// The index as a `usize`, for indexing per-node vectors.
    pub fn index(self) -> usize {
        usize::from(self.0)
    }

    /// The id of the node at `index`.
    ///
    /// # Panics
    /// If `index` does not fit a `u16` (worlds have at most a few dozen nodes).
    pub fn from_index(index: usize) -> Self {
        NodeId(u16::try_from(index).expect("node index fits in u16"))
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// A message's id, unique within a run and assigned in send order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MsgId(pub u64);

impl fmt::Display for MsgId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "m{}", self.0)
    }
}

/// A client request's id, unique within a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RequestId(pub u64);

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "c{}", self.0)
    }
}
