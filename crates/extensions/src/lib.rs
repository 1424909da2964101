//! What users add to Claurst without writing code, read from files they keep in their project or home:
//! hooks (commands run around the agent's events).
//!
//! This crate reads definitions and runs them; it decides nothing about the conversation. The agent
//! (`claurst-assistant`) applies the typed outcomes it returns. It must never depend on the agent, a
//! front-end or a terminal.

pub mod hooks;
