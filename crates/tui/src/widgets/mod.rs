//! The parts of the screen besides the transcript.

pub mod agents;
pub mod approval;
pub mod config_panel;
pub mod mcp_panel;
pub mod mcp_trust;
pub mod model_picker;
pub mod permissions_panel;
pub mod picker;
pub mod popup;
pub mod rewind;
pub mod shortcuts;
pub mod side;
pub mod status;
