//! Rarity tiers and the species that live in each.

use std::fmt;

/// How rare a companion is. The order of the variants is the order of the table in `spec/buddy.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rarity {
    Common,
    Uncommon,
    Rare,
    Epic,
    Legendary,
}

/// The colour family a front-end should draw a companion in; a hint, not a terminal colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccentColour {
    Grey,
    Green,
    Blue,
    Purple,
    Gold,
}

impl Rarity {
    pub const ALL: [Rarity; 5] =
        [Rarity::Common, Rarity::Uncommon, Rarity::Rare, Rarity::Epic, Rarity::Legendary];

    /// The chance of this rarity, in whole percent. The five add up to 100.
    pub const fn percent(self) -> u32 {
        match self {
            Rarity::Common => 60,
            Rarity::Uncommon => 25,
            Rarity::Rare => 10,
            Rarity::Epic => 4,
            Rarity::Legendary => 1,
        }
    }

    /// The rarity a percentile roll (`0..100`) lands in, walking the table from Common upwards.
    pub fn from_percentile(roll: u32) -> Rarity {
        let mut ceiling = 0;
        for rarity in Rarity::ALL {
            ceiling += rarity.percent();
            if roll < ceiling {
                return rarity;
            }
        }
        Rarity::Legendary
    }

    /// The species of this rarity, in the order the species roll indexes them.
    pub const fn species(self) -> &'static [Species] {
        use Species::*;
        match self {
            Rarity::Common => &[Pebblecrab, Dustbunny, Mossfrog, Twigling, Dewdrop, Puddlefish],
            Rarity::Uncommon => &[Cloudferret, Gustowl, Bramblebear, Thornfox],
            Rarity::Rare => &[Crystaldrake, Deepstag, Lavapup],
            Rarity::Epic => &[Stormwyrm, Voidcat, Aetherling],
            Rarity::Legendary => &[Cosmoshale, Nebulynx],
        }
    }

    /// One to five stars.
    pub const fn stars(self) -> u8 {
        match self {
            Rarity::Common => 1,
            Rarity::Uncommon => 2,
            Rarity::Rare => 3,
            Rarity::Epic => 4,
            Rarity::Legendary => 5,
        }
    }

    pub const fn accent(self) -> AccentColour {
        match self {
            Rarity::Common => AccentColour::Grey,
            Rarity::Uncommon => AccentColour::Green,
            Rarity::Rare => AccentColour::Blue,
            Rarity::Epic => AccentColour::Purple,
            Rarity::Legendary => AccentColour::Gold,
        }
    }

    pub const fn name(self) -> &'static str {
        match self {
            Rarity::Common => "Common",
            Rarity::Uncommon => "Uncommon",
            Rarity::Rare => "Rare",
            Rarity::Epic => "Epic",
            Rarity::Legendary => "Legendary",
        }
    }
}

impl fmt::Display for Rarity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One of the eighteen species a companion can hatch as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Species {
    Pebblecrab,
    Dustbunny,
    Mossfrog,
    Twigling,
    Dewdrop,
    Puddlefish,
    Cloudferret,
    Gustowl,
    Bramblebear,
    Thornfox,
    Crystaldrake,
    Deepstag,
    Lavapup,
    Stormwyrm,
    Voidcat,
    Aetherling,
    Cosmoshale,
    Nebulynx,
}

impl Species {
    /// Every species, grouped by rarity from Common to Legendary.
    pub const ALL: [Species; 18] = {
        use Species::*;
        [
            Pebblecrab,
            Dustbunny,
            Mossfrog,
            Twigling,
            Dewdrop,
            Puddlefish,
            Cloudferret,
            Gustowl,
            Bramblebear,
            Thornfox,
            Crystaldrake,
            Deepstag,
            Lavapup,
            Stormwyrm,
            Voidcat,
            Aetherling,
            Cosmoshale,
            Nebulynx,
        ]
    };

    pub fn rarity(self) -> Rarity {
        Rarity::ALL.into_iter().find(|rarity| rarity.species().contains(&self)).unwrap_or(Rarity::Common)
    }

    pub const fn name(self) -> &'static str {
        use Species::*;
        match self {
            Pebblecrab => "Pebblecrab",
            Dustbunny => "Dustbunny",
            Mossfrog => "Mossfrog",
            Twigling => "Twigling",
            Dewdrop => "Dewdrop",
            Puddlefish => "Puddlefish",
            Cloudferret => "Cloudferret",
            Gustowl => "Gustowl",
            Bramblebear => "Bramblebear",
            Thornfox => "Thornfox",
            Crystaldrake => "Crystaldrake",
            Deepstag => "Deepstag",
            Lavapup => "Lavapup",
            Stormwyrm => "Stormwyrm",
            Voidcat => "Voidcat",
            Aetherling => "Aetherling",
            Cosmoshale => "Cosmoshale",
            Nebulynx => "Nebulynx",
        }
    }
}

impl fmt::Display for Species {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_cover_the_whole_roll() {
        assert_eq!(Rarity::ALL.iter().map(|r| r.percent()).sum::<u32>(), 100);
        assert_eq!(Rarity::from_percentile(0), Rarity::Common);
        assert_eq!(Rarity::from_percentile(59), Rarity::Common);
        assert_eq!(Rarity::from_percentile(60), Rarity::Uncommon);
        assert_eq!(Rarity::from_percentile(84), Rarity::Uncommon);
        assert_eq!(Rarity::from_percentile(85), Rarity::Rare);
        assert_eq!(Rarity::from_percentile(95), Rarity::Epic);
        assert_eq!(Rarity::from_percentile(99), Rarity::Legendary);
    }

    #[test]
    fn every_species_belongs_to_exactly_one_rarity() {
        let listed: usize = Rarity::ALL.iter().map(|r| r.species().len()).sum();
        assert_eq!(listed, Species::ALL.len());
        for species in Species::ALL {
            let owners = Rarity::ALL.iter().filter(|r| r.species().contains(&species)).count();
            assert_eq!(owners, 1, "{species}");
        }
        assert_eq!(Species::Nebulynx.rarity(), Rarity::Legendary);
        assert_eq!(Species::Dewdrop.rarity(), Rarity::Common);
    }
}
