//! The hatched companion and the order its traits are rolled in.

use crate::name;
use crate::rng::{Mulberry32, seed_for};
use crate::species::{AccentColour, Rarity, Species};
use crate::sprite::{self, Frame, Look, SpriteTone};
use crate::traits::{Eyes, Hat, Stats};

/// The chance of a shiny companion, rolled independently of everything else.
pub const SHINY_CHANCE: f64 = 0.01;

/// A user's companion: everything that follows from their user id and nothing else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Companion {
    rarity: Rarity,
    species: Species,
    eyes: Eyes,
    hat: Option<Hat>,
    tone: SpriteTone,
    stats: Stats,
    fallback_name: String,
}

/// How a front-end should colour a companion: a tone and a colour family, never a terminal colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Palette {
    pub tone: SpriteTone,
    pub accent: AccentColour,
}

impl Companion {
    /// Hatches the companion of `user_id`. The same id always hatches the same companion.
    ///
    /// Draws happen in a fixed order (rarity, species, eyes, hat, shiny, stats, fallback name) and each
    /// step always consumes the same number of draws, so adding a later step never changes earlier ones.
    pub fn hatch(user_id: &str) -> Companion {
        let mut rng = Mulberry32::new(seed_for(user_id));
        let rarity = Rarity::from_percentile(rng.pick(100) as u32);
        let species_of_rarity = rarity.species();
        let species = species_of_rarity[rng.pick(species_of_rarity.len())];
        let eyes = Eyes::ALL[rng.pick(Eyes::ALL.len())];
        // Common companions draw for a hat too and discard it, keeping the stream aligned for every rarity.
        let hat_draw = Hat::ALL[rng.pick(Hat::ALL.len())];
        let hat = (rarity != Rarity::Common).then_some(hat_draw);
        let tone = if rng.next_f64() < SHINY_CHANCE { SpriteTone::Shiny } else { SpriteTone::Normal };
        let stats = Stats::roll(rarity, &mut rng);
        let fallback_name = name::roll(&mut rng);
        Companion { rarity, species, eyes, hat, tone, stats, fallback_name }
    }

    pub fn rarity(&self) -> Rarity {
        self.rarity
    }

    pub fn species(&self) -> Species {
        self.species
    }

    pub fn eyes(&self) -> Eyes {
        self.eyes
    }

    pub fn hat(&self) -> Option<Hat> {
        self.hat
    }

    pub fn is_shiny(&self) -> bool {
        self.tone == SpriteTone::Shiny
    }

    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// The name to use until (or unless) the model names the companion.
    pub fn fallback_name(&self) -> &str {
        &self.fallback_name
    }

    pub fn palette(&self) -> Palette {
        Palette { tone: self.tone, accent: self.rarity.accent() }
    }

    /// One frame of the sprite: lines of equal width, shiny sparkles and hat included.
    pub fn frame(&self, frame: Frame) -> Vec<String> {
        sprite::render(&self.look(), frame)
    }

    /// The excited frame with hearts floating above it, for `/buddy pet`. `step` animates the hearts and
    /// wraps around [`sprite::HEART_STEPS`].
    pub fn petting(&self, step: usize) -> Vec<String> {
        let body = self.frame(Frame::Excited);
        let width = body.first().map_or(0, |line| line.chars().count());
        let mut lines = sprite::hearts_overlay(step, width).to_vec();
        lines.extend(body);
        lines
    }

    fn look(&self) -> Look {
        Look { species: self.species, eyes: self.eyes, hat: self.hat, tone: self.tone }
    }

    /// A companion with chosen traits, for previews and snapshot tests of combinations a hatch may not
    /// produce (such as a hat on a Common species).
    #[cfg(test)]
    pub(crate) fn custom(
        species: Species,
        eyes: Eyes,
        hat: Option<Hat>,
        tone: SpriteTone,
        seed: u32,
    ) -> Companion {
        let rarity = species.rarity();
        let mut rng = Mulberry32::new(seed);
        let stats = Stats::roll(rarity, &mut rng);
        let fallback_name = name::roll(&mut rng);
        Companion { rarity, species, eyes, hat, tone, stats, fallback_name }
    }
}
