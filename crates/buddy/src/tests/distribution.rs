use std::collections::HashMap;

use crate::{Companion, Rarity, Species};

const SAMPLE: usize = 100_000;

/// `SAMPLE` consecutive ids give shares within five standard deviations of the table. The test is
/// deterministic; the tolerance only says how far off a correct implementation could plausibly be.
fn assert_share(label: &str, count: usize, expected: f64) {
    let n = SAMPLE as f64;
    let share = count as f64 / n;
    let sd = (expected * (1.0 - expected) / n).sqrt();
    assert!(
        (share - expected).abs() <= 5.0 * sd,
        "{label}: {share:.4} is more than 5 sd ({sd:.5}) from {expected}"
    );
}

#[test]
fn rarity_species_and_shiny_follow_the_table_over_a_hundred_thousand_users() {
    let mut rarities: HashMap<Rarity, usize> = HashMap::new();
    let mut species: HashMap<Species, usize> = HashMap::new();
    let mut shiny = 0;
    for i in 0..SAMPLE {
        let companion = Companion::hatch(&format!("user-{i}"));
        *rarities.entry(companion.rarity()).or_default() += 1;
        *species.entry(companion.species()).or_default() += 1;
        shiny += usize::from(companion.is_shiny());
        assert_eq!(companion.hat().is_some(), companion.rarity() != Rarity::Common);
    }
    for rarity in Rarity::ALL {
        let expected = f64::from(rarity.percent()) / 100.0;
        assert_share(rarity.name(), rarities.get(&rarity).copied().unwrap_or(0), expected);
        let within = rarity.species().len() as f64;
        for s in rarity.species() {
            assert_share(s.name(), species.get(s).copied().unwrap_or(0), expected / within);
        }
    }
    assert_eq!(species.len(), Species::ALL.len(), "every species hatches for someone");
    assert_share("shiny", shiny, 0.01);
}

#[test]
fn stat_budget_grows_with_rarity() {
    let mut totals: HashMap<Rarity, (u64, u64)> = HashMap::new();
    for i in 0..20_000 {
        let companion = Companion::hatch(&format!("budget-{i}"));
        let entry = totals.entry(companion.rarity()).or_default();
        entry.0 += u64::from(companion.stats().total());
        entry.1 += 1;
    }
    let means: Vec<f64> = Rarity::ALL.iter().map(|r| totals[r].0 as f64 / totals[r].1 as f64).collect();
    assert!(means.windows(2).all(|pair| pair[0] < pair[1]), "{means:?}");
}
