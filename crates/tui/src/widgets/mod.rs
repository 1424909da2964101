//! The parts of the screen besides the transcript.

pub mod agents;
pub mod approval;
pub mod mcp_panel;
pub mod mcp_trust;
pub mod picker;
pub mod popup;
pub mod shortcuts;
pub mod side;
pub mod status;
