//! Log lines: the text the assignment's servers printed, rendered from the trace.
//!
//! Lines are not stored during a run (that would cost a string per event); they are
//! rendered on demand from trace events by [`crate::Protocol::log_lines`], so the
//! page, the CLI and the tests all show exactly the same text.

use serde::{Deserialize, Serialize};

use crate::id::NodeId;
use crate::protocol::Protocol;
use crate::time::Tick;
use crate::trace::TraceEvent;

/// One node's log line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogLine {
    /// The node that printed it.
    pub node: NodeId,
    /// When.
    pub at: Tick,
    /// The event that produced it.
    pub event: u64,
    /// The RPC it concerns, if any (for filtering).
    pub rpc: Option<String>,
    /// The text, exactly as printed.
    pub text: String,
}

/// Render every log line of `events`, in order.
pub fn render<'a, P: Protocol + 'a>(
    config: &P::Config,
    events: impl IntoIterator<Item = &'a TraceEvent<P>>,
) -> Vec<LogLine> {
    let mut out = Vec::new();
    for ev in events {
        P::log_lines(config, ev, &mut out);
    }
    out
}
