//! The parts of the screen besides the transcript.

pub mod approval;
pub mod picker;
pub mod popup;
pub mod side;
pub mod status;
