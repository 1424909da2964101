//! The name a companion goes by when the model could not be asked for one.

use crate::rng::Mulberry32;

/// First syllables; the first draw after the stats indexes this table.
pub(crate) const ONSETS: [&str; 16] = [
    "Bo", "Pip", "Mo", "Zu", "Ki", "Lu", "Fen", "Tam", "Ru", "Wix", "Nim", "Oda", "Bel", "Quil", "Sa", "Tik",
];

/// Linking sounds, possibly empty; the second draw.
pub(crate) const MIDDLES: [&str; 8] = ["", "a", "i", "o", "u", "el", "er", "in"];

/// Endings; the third draw.
pub(crate) const ENDINGS: [&str; 16] = [
    "ble", "wick", "sy", "pop", "lo", "mo", "ra", "nix", "bit", "dle", "zo", "fen", "ty", "rin", "go",
    "belle",
];

/// Three draws, one per table, concatenated.
pub(crate) fn roll(rng: &mut Mulberry32) -> String {
    let onset = ONSETS[rng.pick(ONSETS.len())];
    let middle = MIDDLES[rng.pick(MIDDLES.len())];
    let ending = ENDINGS[rng.pick(ENDINGS.len())];
    format!("{onset}{middle}{ending}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_capitalised_and_short() {
        for seed in 0..500 {
            let name = roll(&mut Mulberry32::new(seed));
            assert!(name.chars().next().is_some_and(char::is_uppercase), "{name}");
            assert!(name.len() <= 12, "{name}");
        }
    }
}
