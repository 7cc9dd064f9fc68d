//! Log lines of 2PC, rendered from the trace: the assignment's
//! `Phase <phase> of Node <id> sends RPC <rpc> to Phase <phase> of Node <id>` on both
//! the sending and the receiving side (also between the two phases of one node), the
//! seed's `--- Starting 2PC Transaction … ---` header, and one line per state change,
//! write-ahead record, block and recovery. With `old-log-format` (P-10) the seed's own
//! lines are printed instead.
//!
//! Pure rendering: no state.

use crate::id::NodeId;
use crate::log::LogLine;
use crate::protocol::Message;
use crate::trace::{EventKind, TraceEvent};
use crate::twopc::TwoPc;
use crate::twopc::as_submitted::Bug;
use crate::twopc::config::TwoPcConfig;
use crate::twopc::msg::TwoPcMsg;
use crate::twopc::note::TwoPcNote;

/// The assignment's line for `msg` from `from` to `to`.
pub fn rpc_line(config: &TwoPcConfig, from: NodeId, to: NodeId, msg: &TwoPcMsg) -> String {
    format!(
        "Phase {} of Node {} sends RPC {} to Phase {} of Node {}",
        msg.from_phase.name(),
        config.node_name(from),
        msg.rpc(),
        msg.to_phase.name(),
        config.node_name(to)
    )
}

/// Render the lines `event` produces.
pub(crate) fn render(config: &TwoPcConfig, event: &TraceEvent<TwoPc>, out: &mut Vec<LogLine>) {
    let old = config.has(Bug::OldLogFormat);
    let (node, rpc, text) = match &event.kind {
        EventKind::Sent {
            from, to, payload, ..
        } => {
            let text = if old && from != to && config.is_http(*from) {
                // The seed's coordinator: `Node http-node1 sends RPC VoteRequest to Node grpc-node1`.
                format!(
                    "Node {} sends RPC {} to Node {}",
                    config.node_name(*from),
                    payload.rpc(),
                    config.node_name(*to)
                )
            } else {
                rpc_line(config, *from, *to, payload)
            };
            (*from, Some(payload.rpc()), text)
        }
        EventKind::Delivered {
            from, to, payload, ..
        } => {
            let text = if old && from != to {
                if config.is_http(*to) {
                    return; // the seed's coordinator printed nothing on a reply
                }
                format!(
                    "Phase {} of Node {} received RPC {} from Phase {} of Node {}",
                    payload.to_phase.name(),
                    config.node_name(*to),
                    payload.rpc(),
                    payload.from_phase.name(),
                    config.node_name(*from)
                )
            } else {
                rpc_line(config, *from, *to, payload)
            };
            (*to, Some(payload.rpc()), text)
        }
        EventKind::Note { node, note } => (*node, None, note_text(config, note)),
        EventKind::Crashed { node } => (*node, None, "Crashed".to_owned()),
        EventKind::Restarted { node } => (*node, None, "Restarted".to_owned()),
        _ => return,
    };
    out.push(LogLine {
        node,
        at: event.at,
        event: event.event,
        rpc: rpc.map(str::to_owned),
        text,
    });
}

/// The text of a note.
pub fn note_text(config: &TwoPcConfig, note: &TwoPcNote) -> String {
    match note {
        TwoPcNote::TxStarted { tx, body, .. } => {
            format!(
                "--- Starting 2PC Transaction {tx} for {} ---",
                body.filename
            )
        }
        TwoPcNote::Coordinator { tx, from, to } => {
            format!("Coordinator {tx}: {} -> {}", from.name(), to.name())
        }
        TwoPcNote::Participant { tx, from, to } => {
            format!("Participant {tx}: {} -> {}", from.name(), to.name())
        }
        TwoPcNote::Logged(record) => format!("WAL: {record}"),
        TwoPcNote::Learned { tx, decision, from } => {
            format!(
                "Termination: learned {} for {tx} from {}",
                decision.name(),
                config.node_name(*from)
            )
        }
        TwoPcNote::Blocked { tx, filename } => {
            format!(
                "Blocked: all reachable peers READY, coordinator down ({tx}; \"{filename}\" stays locked)"
            )
        }
        TwoPcNote::VoteTimedOut { tx } => format!("Vote timeout in WAIT for {tx} -> GLOBAL_ABORT"),
        TwoPcNote::NoResponse { node, phase, .. } => {
            format!(
                "Node {} failed to respond ({}).",
                config.node_name(*node),
                phase.name()
            )
        }
        TwoPcNote::Recovered {
            records,
            in_doubt,
            aborted,
            resend,
        } => format!(
            "Recovered from WAL: {records} records; {in_doubt} READY (asking for the decision), \
             {aborted} aborted from WAIT, {resend} decisions to resend"
        ),
    }
}
