//! The permission engine, end to end: the decision table, the attack corpus and generated shell lines.
#![allow(clippy::unwrap_used)] // A test harness: a failed unwrap is a failed test.

mod attacks;
mod decisions;
mod generated;
