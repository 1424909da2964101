//! Snapshots of everything the companion draws. Each sprite line is fenced with `│` so trailing spaces
//! and the padded width are visible in review.

use time::macros::date;

use crate::{CardDetails, Companion, Eyes, Frame, Hat, Species, SpriteTone};

fn fenced(lines: &[String]) -> String {
    lines.iter().map(|line| format!("│{line}│\n")).collect()
}

fn all_frames(companion: &Companion) -> String {
    let mut out = String::new();
    for frame in Frame::ALL {
        out.push_str(&format!("{}:\n{}", frame.name(), fenced(&companion.frame(frame))));
    }
    out
}

#[test]
fn every_species_in_every_frame() {
    for species in Species::ALL {
        let companion = Companion::custom(species, Eyes::Round, None, SpriteTone::Normal, 1);
        insta::assert_snapshot!(format!("species_{}", species.name().to_lowercase()), all_frames(&companion));
    }
}

#[test]
fn every_hat_on_a_hatted_species() {
    let mut out = String::new();
    for hat in Hat::ALL {
        let companion = Companion::custom(Species::Bramblebear, Eyes::Dot, Some(hat), SpriteTone::Normal, 1);
        out.push_str(&format!("{}:\n{}", hat.name(), fenced(&companion.frame(Frame::Idle))));
    }
    insta::assert_snapshot!("hats", out);
}

#[test]
fn every_eye_glyph() {
    let mut out = String::new();
    for eyes in Eyes::ALL {
        let companion = Companion::custom(Species::Voidcat, eyes, None, SpriteTone::Normal, 1);
        out.push_str(&format!("{eyes:?}:\n{}", fenced(&companion.frame(Frame::Idle))));
    }
    insta::assert_snapshot!("eyes", out);
}

#[test]
fn hatted_species_in_every_frame() {
    let companion =
        Companion::custom(Species::Deepstag, Eyes::Swirl, Some(Hat::Wizard), SpriteTone::Normal, 1);
    insta::assert_snapshot!("deepstag_with_wizard_hat", all_frames(&companion));
}

#[test]
fn shiny_sprite() {
    let companion =
        Companion::custom(Species::Nebulynx, Eyes::Bullseye, Some(Hat::Crown), SpriteTone::Shiny, 1);
    insta::assert_snapshot!("shiny_nebulynx", all_frames(&companion));
}

#[test]
fn petting_hearts() {
    let companion = Companion::hatch("user-2");
    let mut out = String::new();
    for step in 0..crate::HEART_STEPS {
        out.push_str(&format!("step {step}:\n{}", fenced(&companion.petting(step))));
    }
    insta::assert_snapshot!("petting", out);
}

#[test]
fn card_of_a_hatched_companion() {
    let companion = Companion::hatch("alice");
    let details =
        CardDetails { name: companion.fallback_name(), personality: None, hatched_on: date!(2026 - 04 - 01) };
    insta::assert_snapshot!("card_alice", companion.card(&details).join("\n"));
}

#[test]
fn card_of_a_shiny_named_companion() {
    let companion = Companion::hatch("user-1421");
    let details = CardDetails {
        name: "Professor Splash",
        personality: Some(
            "Hums sea shanties at failing builds and insists every bug is a feature of the tide.",
        ),
        hatched_on: date!(2026 - 04 - 01),
    };
    let card = companion.card(&details);
    let width = card[0].chars().count();
    assert!(card.iter().all(|line| line.chars().count() == width), "card lines differ in width");
    assert!(width <= 40);
    insta::assert_snapshot!("card_shiny_legendary", card.join("\n"));
}
