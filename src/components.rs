//! The page's views. Each is a thin function component: it reads a lab (or a small
//! value derived from one) and dispatches [`crate::state::Action`]s; geometry and
//! formatting live in [`crate::layout`], state changes in [`crate::state`].

pub mod bus_canvas;
pub mod cluster;
pub mod controls;
pub mod help;
pub mod hunt_bar;
pub mod log_panel;
pub mod message_panel;
pub mod node_panel;
pub mod parts;
pub mod protocol_view;
pub mod requests_panel;
pub mod scenario_picker;
pub mod settings;
pub mod share_bar;
pub mod spacetime;
pub mod tour_card;
pub mod tour_menu;
pub mod violations;

use yew::{Callback, Properties};

use crate::lab::Lab;
use crate::plugin::LabProtocol;
use crate::state::Action;

/// Props of a view of one tab's lab.
#[derive(Properties)]
pub struct LabProps<P: LabProtocol> {
    /// The lab to show (compared by version).
    pub lab: Lab<P>,
    /// Where actions go (the reducer's dispatcher).
    pub on_action: Callback<Action>,
}

impl<P: LabProtocol> PartialEq for LabProps<P> {
    fn eq(&self, other: &Self) -> bool {
        self.lab == other.lab && self.on_action == other.on_action
    }
}
