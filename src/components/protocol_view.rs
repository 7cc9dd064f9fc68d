//! The seam for protocol-specific panels (the Raft log grid and music queues, the 2PC
//! galleries and write-ahead logs): a protocol's tab shows whatever `panels` renders
//! beside the generic ones. The demo protocol has none.

use faultlab_sim::demo::Demo;
use yew::{Callback, Html};

use crate::lab::Lab;
use crate::plugin::LabProtocol;
use crate::state::Action;

/// Panels a protocol adds to its tab.
pub trait ProtocolView: LabProtocol {
    /// Extra panels for the side column, rendered from the lab being viewed.
    fn panels(lab: &Lab<Self>, on_action: &Callback<Action>) -> Html {
        let _ = (lab, on_action);
        Html::default()
    }
}

impl ProtocolView for Demo {}
