//! Messages between Raft nodes: the two RPCs of Figure 2 and their responses, plus
//! the forwarding of client requests to the leader (the seed's followers re-issued
//! the client's `QueueService` call on the leader, §2.3 of the seed notes).
//!
//! Every message carries `shadow`: for a request it says that the sender is the
//! node's shadow instance (flaw R3-1), for a response that it goes back to one. In
//! every mode without that flaw it is `false`.

use serde::{Deserialize, Serialize};

use crate::id::RequestId;
use crate::protocol::Message;

use super::client::Response;
use super::entry::Entry;
use super::music_queue::Op;
use super::types::{LogIndex, Term};

/// A Raft message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RaftMsg {
    /// Invoked by candidates to gather votes (§5.2).
    RequestVote {
        /// Candidate's term.
        term: Term,
        /// Index of the candidate's last log entry (§5.4).
        last_log_index: LogIndex,
        /// Term of the candidate's last log entry (§5.4).
        last_log_term: Term,
        /// Sent by a shadow instance (R3-1).
        shadow: bool,
    },
    /// The answer to [`RaftMsg::RequestVote`].
    RequestVoteResponse {
        /// The voter's current term, for the candidate to update itself.
        term: Term,
        /// True means the candidate received the vote.
        vote_granted: bool,
        /// Goes back to a shadow instance.
        shadow: bool,
    },
    /// Invoked by the leader to replicate log entries (§5.3); also the heartbeat (§5.2).
    AppendEntries {
        /// Leader's term.
        term: Term,
        /// Index of the entry immediately preceding the new ones.
        prev_log_index: LogIndex,
        /// Term of that entry.
        prev_log_term: Term,
        /// Entries to store (empty for a heartbeat).
        entries: Vec<Entry>,
        /// Leader's commit index.
        leader_commit: LogIndex,
        /// Sent by a shadow instance (R3-1).
        shadow: bool,
    },
    /// The answer to [`RaftMsg::AppendEntries`].
    AppendEntriesResponse {
        /// The follower's current term, for the leader to update itself.
        term: Term,
        /// True if the follower held an entry matching `prev_log_index`/`prev_log_term`.
        success: bool,
        /// On success, the index of the last entry the request covered
        /// (`prev_log_index + entries.len()`): the leader's new `match_index`.
        match_index: LogIndex,
        /// On failure, where the leader should retry from (the conflict hint of
        /// §5.3's "optimization"): the first index of the conflicting term, or one
        /// past the follower's last entry.
        conflict_index: LogIndex,
        /// On failure, the term of the conflicting entry, if the follower had one.
        conflict_term: Option<Term>,
        /// Goes back to a shadow instance.
        shadow: bool,
    },
    /// A client request forwarded by a follower to the leader it knows.
    Forward {
        /// The client request.
        request: RequestId,
        /// The operation.
        op: Op,
    },
    /// The leader's answer to a forwarded request, relayed to the client.
    ForwardReply {
        /// The client request.
        request: RequestId,
        /// The operation (for the RPC name).
        op: Op,
        /// The answer.
        response: Response,
    },
}

impl Message for RaftMsg {
    fn rpc(&self) -> &'static str {
        match self {
            RaftMsg::RequestVote { .. } | RaftMsg::RequestVoteResponse { .. } => "RequestVote",
            RaftMsg::AppendEntries { .. } | RaftMsg::AppendEntriesResponse { .. } => {
                "AppendEntries"
            }
            RaftMsg::Forward { op, .. } | RaftMsg::ForwardReply { op, .. } => op.rpc(),
        }
    }

    fn is_reply(&self) -> bool {
        matches!(
            self,
            RaftMsg::RequestVoteResponse { .. }
                | RaftMsg::AppendEntriesResponse { .. }
                | RaftMsg::ForwardReply { .. }
        )
    }
}

impl RaftMsg {
    /// The sender's term, for the RPCs of Figure 2 and their responses (`None` for the
    /// forwarding of client requests, which carries no term).
    pub fn term(&self) -> Option<Term> {
        match self {
            RaftMsg::RequestVote { term, .. }
            | RaftMsg::RequestVoteResponse { term, .. }
            | RaftMsg::AppendEntries { term, .. }
            | RaftMsg::AppendEntriesResponse { term, .. } => Some(*term),
            RaftMsg::Forward { .. } | RaftMsg::ForwardReply { .. } => None,
        }
    }

    /// Whether the message is for (a response to) the receiver's shadow instance, or
    /// a forwarded client call (which the seed sent to the `QueueService` instance).
    pub fn for_client_instance(&self) -> bool {
        match self {
            RaftMsg::RequestVoteResponse { shadow, .. }
            | RaftMsg::AppendEntriesResponse { shadow, .. } => *shadow,
            RaftMsg::Forward { .. } | RaftMsg::ForwardReply { .. } => true,
            RaftMsg::RequestVote { .. } | RaftMsg::AppendEntries { .. } => false,
        }
    }
}
