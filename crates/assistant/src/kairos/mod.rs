//! KAIROS, the proactive mode: the agent wakes on ticks, looks at what changed, and acts when acting is cheap
//! and safe (see spec/kairos.md). Compiled only with the `proactive` feature.

pub mod pull_requests;
pub mod send_file;
pub mod watch;

pub use send_file::SendUserFileTool;
pub use watch::Watch;
