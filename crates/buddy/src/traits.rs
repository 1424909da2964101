//! The rolled traits of a companion besides its species: eyes, hat and stats.

use std::fmt;

use crate::rng::Mulberry32;
use crate::species::Rarity;

/// The eye glyph drawn into every frame except the blinking ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Eyes {
    Dot,
    Round,
    Cheerful,
    Swirl,
    Bullseye,
    Ring,
}

impl Eyes {
    /// In the order the eye roll indexes them.
    pub const ALL: [Eyes; 6] =
        [Eyes::Dot, Eyes::Round, Eyes::Cheerful, Eyes::Swirl, Eyes::Bullseye, Eyes::Ring];

    pub const fn glyph(self) -> char {
        match self {
            Eyes::Dot => '·',
            Eyes::Round => 'o',
            Eyes::Cheerful => '^',
            Eyes::Swirl => '@',
            Eyes::Bullseye => '◉',
            Eyes::Ring => '°',
        }
    }
}

/// A hat worn on the top line of the sprite. Only companions above Common wear one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hat {
    TopHat,
    Crown,
    Wizard,
    Bow,
    Propeller,
    Sprout,
}

impl Hat {
    /// In the order the hat roll indexes them.
    pub const ALL: [Hat; 6] = [Hat::TopHat, Hat::Crown, Hat::Wizard, Hat::Bow, Hat::Propeller, Hat::Sprout];

    /// The hat as one line of single-column glyphs, odd in width so it centres over a column.
    pub const fn glyphs(self) -> &'static str {
        match self {
            Hat::TopHat => "_█_",
            Hat::Crown => r"\^^^/",
            Hat::Wizard => r"_/*\_",
            Hat::Bow => ">o<",
            Hat::Propeller => "-=+=-",
            Hat::Sprout => r"\|/",
        }
    }

    pub const fn name(self) -> &'static str {
        match self {
            Hat::TopHat => "top hat",
            Hat::Crown => "crown",
            Hat::Wizard => "wizard hat",
            Hat::Bow => "bow",
            Hat::Propeller => "propeller cap",
            Hat::Sprout => "sprout",
        }
    }
}

/// One of the five stats, in the order they are rolled and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatKind {
    Debugging,
    Patience,
    Chaos,
    Wisdom,
    Snark,
}

impl StatKind {
    pub const ALL: [StatKind; 5] =
        [StatKind::Debugging, StatKind::Patience, StatKind::Chaos, StatKind::Wisdom, StatKind::Snark];

    /// The upper-case label used on the card.
    pub const fn label(self) -> &'static str {
        match self {
            StatKind::Debugging => "DEBUGGING",
            StatKind::Patience => "PATIENCE",
            StatKind::Chaos => "CHAOS",
            StatKind::Wisdom => "WISDOM",
            StatKind::Snark => "SNARK",
        }
    }

    const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for StatKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The five stats, each from 0 to 100, with one peak (strictly highest) and one dump (strictly lowest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stats {
    values: [u8; 5],
    peak: StatKind,
    dump: StatKind,
}

impl Stats {
    /// Rolls the stats: peak, then dump, then one draw per stat in [`StatKind::ALL`] order.
    pub(crate) fn roll(rarity: Rarity, rng: &mut Mulberry32) -> Stats {
        let peak = StatKind::ALL[rng.pick(5)];
        let others: Vec<StatKind> = StatKind::ALL.into_iter().filter(|&kind| kind != peak).collect();
        let dump = others[rng.pick(others.len())];
        let floor = i32::from(stat_floor(rarity));
        let mut values = [0u8; 5];
        for kind in StatKind::ALL {
            let (base, spread) = match kind {
                _ if kind == peak => (floor + 50, 30),
                _ if kind == dump => (floor - 10, 10),
                _ => (floor, 40),
            };
            let value = base + rng.pick(spread) as i32;
            values[kind.index()] = value.clamp(0, 100) as u8;
        }
        Stats { values, peak, dump }
    }

    pub fn get(&self, kind: StatKind) -> u8 {
        self.values[kind.index()]
    }

    pub fn peak(&self) -> StatKind {
        self.peak
    }

    pub fn dump(&self) -> StatKind {
        self.dump
    }

    /// The stats with their values, in display order.
    pub fn iter(&self) -> impl Iterator<Item = (StatKind, u8)> + '_ {
        StatKind::ALL.into_iter().map(|kind| (kind, self.get(kind)))
    }

    pub fn total(&self) -> u32 {
        self.values.iter().map(|&v| u32::from(v)).sum()
    }
}

/// The floor every non-dump stat starts from; the whole budget rises with it.
pub const fn stat_floor(rarity: Rarity) -> u8 {
    match rarity {
        Rarity::Common => 5,
        Rarity::Uncommon => 15,
        Rarity::Rare => 25,
        Rarity::Epic => 35,
        Rarity::Legendary => 50,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_is_strictly_highest_and_dump_strictly_lowest() {
        for seed in 0..2_000u32 {
            for rarity in Rarity::ALL {
                let stats = Stats::roll(rarity, &mut Mulberry32::new(seed));
                assert_ne!(stats.peak(), stats.dump());
                for (kind, value) in stats.iter() {
                    if kind != stats.peak() {
                        assert!(value < stats.get(stats.peak()), "{rarity} seed {seed}: {stats:?}");
                    }
                    if kind != stats.dump() {
                        assert!(value > stats.get(stats.dump()), "{rarity} seed {seed}: {stats:?}");
                    }
                    assert!(value <= 100);
                }
            }
        }
    }

    #[test]
    fn hats_are_odd_width_single_lines() {
        for hat in Hat::ALL {
            let width = hat.glyphs().chars().count();
            assert!(width % 2 == 1 && width <= 5, "{hat:?}");
        }
    }
}
