//! Whole-crate tests: the hatch distribution, pinned companions, and snapshots of everything drawn.

mod distribution;
mod snapshots;
mod stability;
