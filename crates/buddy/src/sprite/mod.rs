//! Hand-drawn sprites and the compositing rules that turn them into frames.
//!
//! Every species has three drawn poses (idle, excited, sad), five lines tall, with `$` marking where the eye
//! glyph goes. The other frames are derived: blinking replaces the eyes with `-`, sleeping adds snore marks.
//! Hats go on the top line, centred over the head; shiny companions get a sparkle gutter on either side.
//! Every glyph used occupies one terminal column, so a line's width is its `char` count.

mod common;
mod epic;
mod legendary;
mod rare;
mod uncommon;

use crate::species::Species;
use crate::traits::{Eyes, Hat};

/// Height of every sprite, in lines. The top line is where hats go.
pub const SPRITE_HEIGHT: usize = 5;

/// The placeholder in the drawn art that the eye glyph replaces.
const EYE_SLOT: char = '$';
/// What closed eyes look like.
const CLOSED_EYE: char = '-';
/// The sparkle that marks a shiny companion, visible without colour.
pub const SPARKLE: char = '✦';
/// The heart shown while being petted.
pub const HEART: char = '♥';

/// One animation frame of a companion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Frame {
    /// Standing about, eyes open.
    Idle,
    /// The idle pose with eyes closed; alternate it with `Idle` to blink.
    Blink,
    /// Pleased: tests passed, the user came back, being petted.
    Excited,
    /// Downcast: a tool failed.
    Sad,
    /// Dozing during a long wait: eyes closed, with snore marks.
    Sleepy,
}

impl Frame {
    pub const ALL: [Frame; 5] = [Frame::Idle, Frame::Blink, Frame::Excited, Frame::Sad, Frame::Sleepy];

    pub const fn name(self) -> &'static str {
        match self {
            Frame::Idle => "idle",
            Frame::Blink => "blink",
            Frame::Excited => "excited",
            Frame::Sad => "sad",
            Frame::Sleepy => "sleepy",
        }
    }
}

/// How a front-end should colour a sprite. Without colour, shiny is still shown by [`SPARKLE`] glyphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpriteTone {
    Normal,
    Shiny,
}

type Pose = [&'static str; SPRITE_HEIGHT];

/// The drawn art of one species.
pub(crate) struct Art {
    /// The column of the head's centre; hats are centred on it.
    hat_col: usize,
    idle: Pose,
    excited: Pose,
    sad: Pose,
}

impl Art {
    pub(crate) fn of(species: Species) -> &'static Art {
        use Species::*;
        match species {
            Pebblecrab => &common::PEBBLECRAB,
            Dustbunny => &common::DUSTBUNNY,
            Mossfrog => &common::MOSSFROG,
            Twigling => &common::TWIGLING,
            Dewdrop => &common::DEWDROP,
            Puddlefish => &common::PUDDLEFISH,
            Cloudferret => &uncommon::CLOUDFERRET,
            Gustowl => &uncommon::GUSTOWL,
            Bramblebear => &uncommon::BRAMBLEBEAR,
            Thornfox => &uncommon::THORNFOX,
            Crystaldrake => &rare::CRYSTALDRAKE,
            Deepstag => &rare::DEEPSTAG,
            Lavapup => &rare::LAVAPUP,
            Stormwyrm => &epic::STORMWYRM,
            Voidcat => &epic::VOIDCAT,
            Aetherling => &epic::AETHERLING,
            Cosmoshale => &legendary::COSMOSHALE,
            Nebulynx => &legendary::NEBULYNX,
        }
    }

    fn poses(&self) -> [&Pose; 3] {
        [&self.idle, &self.excited, &self.sad]
    }

    /// The width every frame of this species is padded to: its widest drawn line.
    fn width(&self) -> usize {
        self.poses().iter().flat_map(|pose| pose.iter()).map(|line| line.chars().count()).max().unwrap_or(0)
    }

    fn pose(&self, frame: Frame) -> &Pose {
        match frame {
            Frame::Idle | Frame::Blink | Frame::Sleepy => &self.idle,
            Frame::Excited => &self.excited,
            Frame::Sad => &self.sad,
        }
    }
}

/// Everything that decides how a sprite is drawn, independent of any terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Look {
    pub species: Species,
    pub eyes: Eyes,
    pub hat: Option<Hat>,
    pub tone: SpriteTone,
}

/// A rectangle of single-column glyphs that overlays can be stamped onto.
struct Canvas {
    rows: Vec<Vec<char>>,
}

impl Canvas {
    fn from_pose(pose: &Pose, width: usize, eye: char) -> Canvas {
        let rows = pose
            .iter()
            .map(|line| {
                let mut row: Vec<char> = line.chars().map(|c| if c == EYE_SLOT { eye } else { c }).collect();
                row.resize(width, ' ');
                row
            })
            .collect();
        Canvas { rows }
    }

    fn width(&self) -> usize {
        self.rows.first().map_or(0, Vec::len)
    }

    /// Writes `text` on `row` starting at `col`, clipping anything that would fall outside.
    fn stamp(&mut self, row: usize, col: usize, text: &str) {
        let Some(cells) = self.rows.get_mut(row) else {
            return;
        };
        for (cell, glyph) in cells.iter_mut().skip(col).zip(text.chars()) {
            *cell = glyph;
        }
    }

    fn is_blank(&self, row: usize, cols: std::ops::Range<usize>) -> bool {
        self.rows.get(row).is_some_and(|cells| cols.into_iter().all(|c| cells.get(c) == Some(&' ')))
    }

    fn into_lines(self) -> Vec<String> {
        self.rows.into_iter().map(|row| row.into_iter().collect()).collect()
    }
}

/// Draws one frame as lines of equal width.
pub(crate) fn render(look: &Look, frame: Frame) -> Vec<String> {
    let art = Art::of(look.species);
    let eye = match frame {
        Frame::Blink | Frame::Sleepy => CLOSED_EYE,
        Frame::Idle | Frame::Excited | Frame::Sad => look.eyes.glyph(),
    };
    let mut canvas = Canvas::from_pose(art.pose(frame), art.width(), eye);
    if let Some(hat) = look.hat {
        let glyphs = hat.glyphs();
        let start = art.hat_col.saturating_sub(glyphs.chars().count() / 2);
        canvas.stamp(0, start, glyphs);
    }
    if frame == Frame::Sleepy {
        add_snore(&mut canvas);
    }
    let lines = canvas.into_lines();
    match look.tone {
        SpriteTone::Normal => lines,
        SpriteTone::Shiny => add_sparkles(lines),
    }
}

/// Puts `zZ` in the two rightmost columns of the highest line where they and the column before them are
/// free, so the snore never touches the art.
fn add_snore(canvas: &mut Canvas) {
    let width = canvas.width();
    let Some(gap) = width.checked_sub(3) else { return };
    if let Some(row) = (0..SPRITE_HEIGHT).find(|&row| canvas.is_blank(row, gap..width)) {
        canvas.stamp(row, gap + 1, "zZ");
    }
}

/// Frames a sprite with a one-column gutter on each side, sparkles on lines 0 and 3 (left) and 1 and 4
/// (right), so shiny companions stand out even under `NO_COLOR`.
fn add_sparkles(lines: Vec<String>) -> Vec<String> {
    lines
        .into_iter()
        .enumerate()
        .map(|(row, line)| {
            let left = if row % 3 == 0 { SPARKLE } else { ' ' };
            let right = if row % 3 == 1 { SPARKLE } else { ' ' };
            format!("{left}{line}{right}")
        })
        .collect()
}

/// How many distinct steps the petting hearts cycle through.
pub const HEART_STEPS: usize = 3;

/// Two lines of hearts drifting upwards, drawn above the sprite while it is petted. `step` wraps around
/// [`HEART_STEPS`]; `width` is the width of the sprite underneath.
pub fn hearts_overlay(step: usize, width: usize) -> [String; 2] {
    let quarter = width / 4;
    let centre = width / 2;
    let three_quarters = width - 1 - quarter;
    let (upper, lower): (&[usize], &[usize]) = match step % HEART_STEPS {
        0 => (&[], &[centre]),
        1 => (&[centre], &[quarter, three_quarters]),
        _ => (&[quarter, three_quarters], &[centre]),
    };
    [heart_line(upper, width), heart_line(lower, width)]
}

fn heart_line(columns: &[usize], width: usize) -> String {
    (0..width).map(|col| if columns.contains(&col) { HEART } else { ' ' }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pose_is_drawn_to_the_size_limits_with_two_eye_slots_at_most() {
        for species in Species::ALL {
            let art = Art::of(species);
            assert!(art.width() <= 14, "{species} is {} wide", art.width());
            for pose in art.poses() {
                let eyes: usize = pose.iter().map(|l| l.matches(EYE_SLOT).count()).sum();
                assert!((1..=2).contains(&eyes), "{species} has {eyes} eye slots");
            }
        }
    }

    #[test]
    fn hats_fit_inside_the_sprite() {
        for species in Species::ALL {
            let art = Art::of(species);
            for hat in Hat::ALL {
                let half = hat.glyphs().chars().count() / 2;
                assert!(art.hat_col >= half && art.hat_col + half < art.width(), "{species} {hat:?}");
            }
        }
    }

    #[test]
    fn every_species_has_room_to_snore() {
        for species in Species::ALL {
            for hat in [None, Some(Hat::Crown)] {
                let look = Look { species, eyes: Eyes::Dot, hat, tone: SpriteTone::Normal };
                let sleepy = render(&look, Frame::Sleepy).join("\n");
                assert!(sleepy.contains("zZ"), "{species} {hat:?}:\n{sleepy}");
            }
        }
    }

    #[test]
    fn hearts_stay_inside_the_width() {
        for step in 0..HEART_STEPS {
            for line in hearts_overlay(step, 9) {
                assert_eq!(line.chars().count(), 9);
            }
        }
    }
}
