//! The log lines of the assignment's servers, rendered from trace events
//! (DESIGN.md §3). The RPC lines are the assignment's format, which the submitted Q3
//! server printed: `Node <id> sends RPC <rpc> to Node <id>` on the sender and
//! `Node <id> runs RPC <rpc> called by Node <id>` on the receiver. Responses are
//! return values of those RPCs and get no line of their own (the seed printed none).
//! Client calls and the role, append, commit and apply lines are the seed's Q3/Q4
//! texts (`reference/seed-systems.md` §2.3–2.4, §4.2).

use crate::id::NodeId;
use crate::log::LogLine;
use crate::protocol::Message;
use crate::trace::{EventKind, TraceEvent};

use super::config::RaftConfig;
use super::message::RaftMsg;
use super::note::RaftNote;

fn name(id: NodeId) -> usize {
    id.index() + 1
}

/// Render the lines of one trace event.
pub fn render(config: &RaftConfig, event: &TraceEvent<super::Raft>, out: &mut Vec<LogLine>) {
    let line = |node: NodeId, rpc: Option<&str>, text: String| LogLine {
        node,
        at: event.at,
        event: event.event,
        rpc: rpc.map(str::to_owned),
        text,
    };
    match &event.kind {
        EventKind::Sent {
            from, to, payload, ..
        } if !payload.is_reply() => {
            let rpc = payload.rpc();
            out.push(line(
                *from,
                Some(rpc),
                format!("Node {} sends RPC {rpc} to Node {}", name(*from), name(*to)),
            ));
        }
        EventKind::Delivered {
            from, to, payload, ..
        } if !payload.is_reply() => {
            let rpc = payload.rpc();
            // The seed's client and its forwarding stub sent no node-id metadata, so
            // its leaders logged forwarded calls as "called by Node unknown".
            let caller =
                if matches!(payload, RaftMsg::Forward { .. }) && config.mode.is_as_submitted() {
                    "unknown".to_owned()
                } else {
                    name(*from).to_string()
                };
            out.push(line(
                *to,
                Some(rpc),
                format!("Node {} runs RPC {rpc} called by Node {caller}", name(*to)),
            ));
        }
        EventKind::Request { node, request, .. } => {
            let rpc = request.rpc();
            out.push(line(
                *node,
                Some(rpc),
                format!("Node {} runs RPC {rpc} called by Node unknown", name(*node)),
            ));
        }
        EventKind::Note { node, note } => {
            let text = match note {
                RaftNote::Started { .. } => {
                    format!("Raft Node {} started on port 50051", name(*node))
                }
                RaftNote::ElectionTimeout => "Election timeout -> start election".to_owned(),
                RaftNote::BecameCandidate { term } => format!("Became CANDIDATE for term {term}"),
                RaftNote::BecameLeader { term } => {
                    format!("Won election and became LEADER for term {term}")
                }
                RaftNote::BecameFollower { term } => format!("Transition to FOLLOWER term={term}"),
                RaftNote::LeaderAppended { index, op } => match op
                    .map(super::music_queue::OpKind::cmd)
                {
                    Some("ADD") => format!("Leader appended log[{}]", index.seed_position()),
                    Some(cmd) => format!("Leader appended {cmd} log[{}]", index.seed_position()),
                    None => format!("Leader appended NOOP log[{}]", index.seed_position()),
                },
                RaftNote::CommitAdvanced { index } => {
                    format!("Advanced commit_index -> {}", index.seed_position())
                }
                RaftNote::Applying { index, op } => {
                    let cmd = op.map_or("NOOP", super::music_queue::OpKind::cmd);
                    format!("Applying log[{}] cmd={cmd}", index.seed_position())
                }
                RaftNote::Committed { op } => format!("{} committed", op.rpc()),
            };
            out.push(line(*node, None, text));
        }
        _ => {}
    }
}
