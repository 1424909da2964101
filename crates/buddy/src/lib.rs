//! The BUDDY companion's pure core: who a user's companion is and how it looks.
//!
//! This crate owns the deterministic hatch (an FNV-1a seed and the Mulberry32 stream, see
//! `spec/buddy.md`), the rarity, species, eyes, hat, shiny and stat rolls, the hand-drawn sprites and
//! their frames, reactions and what the companion says, the `/buddy` card as plain text, the fallback
//! name, and the small `buddy.json` file under `~/.claurst/`.
//!
//! It must never depend on a terminal or UI crate (ratatui, crossterm, …) nor on another Claurst crate:
//! it hands out lines of text and colour hints, and the front-end decides how to draw them.

mod card;
mod companion;
mod name;
mod reaction;
mod rng;
mod species;
mod sprite;
mod store;
mod traits;

pub use card::{CARD_INNER_WIDTH, CardDetails};
pub use companion::{Companion, Palette, SHINY_CHANCE};
pub use reaction::Reaction;
pub use rng::{Mulberry32, SALT, fnv1a32, seed_for};
pub use species::{AccentColour, Rarity, Species};
pub use sprite::{Frame, HEART, HEART_STEPS, SPARKLE, SPRITE_HEIGHT, SpriteTone, hearts_overlay};
pub use store::{BuddyError, BuddyProfile, BuddyStore, FORMAT_VERSION};
pub use traits::{Eyes, Hat, StatKind, Stats, stat_floor};

#[cfg(test)]
mod tests;
