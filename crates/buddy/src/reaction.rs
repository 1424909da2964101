//! What the companion does when something happens: which frame it shows and what it may say.

use crate::sprite::Frame;

/// Something the companion reacts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reaction {
    ToolFailed,
    TestsPassed,
    LongWait,
    UserReturned,
    Petted,
    Idle,
}

impl Reaction {
    pub const ALL: [Reaction; 6] = [
        Reaction::ToolFailed,
        Reaction::TestsPassed,
        Reaction::LongWait,
        Reaction::UserReturned,
        Reaction::Petted,
        Reaction::Idle,
    ];

    /// The frame the companion shows while reacting.
    pub const fn frame(self) -> Frame {
        match self {
            Reaction::ToolFailed => Frame::Sad,
            Reaction::TestsPassed | Reaction::UserReturned | Reaction::Petted => Frame::Excited,
            Reaction::LongWait => Frame::Sleepy,
            Reaction::Idle => Frame::Idle,
        }
    }

    /// Everything the companion may say for this reaction. Never empty.
    pub const fn lines(self) -> &'static [&'static str] {
        match self {
            Reaction::ToolFailed => &[
                "Oof. That one bit back.",
                "Plot twist! We regroup.",
                "I saw nothing. Try again?",
                "Errors are just clues.",
            ],
            Reaction::TestsPassed => &[
                "All green! Ship it?",
                "Told you it would pass.",
                "Tiny victory dance!",
                "The tests smile upon us.",
            ],
            Reaction::LongWait => &[
                "...still thinking...",
                "I'll guard the cursor.",
                "*quiet snoring*",
                "Big thoughts take time.",
            ],
            Reaction::UserReturned => {
                &["You're back!", "I kept your seat warm.", "Missed you. A bit.", "Ready when you are."]
            }
            Reaction::Petted => {
                &["Again! Again!", "That's the spot.", "Happy noises.", "You're my favourite human."]
            }
            Reaction::Idle => &["Just vibing.", "Hm.", "Nice code you have there.", "I believe in you."],
        }
    }

    /// One line, chosen by the caller's `index` (wrapping), so the choice is reproducible.
    pub fn line(self, index: usize) -> &'static str {
        let lines = self.lines();
        lines[index % lines.len()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reaction_has_short_lines_and_picks_wrap() {
        for reaction in Reaction::ALL {
            let lines = reaction.lines();
            assert!(!lines.is_empty());
            assert!(lines.iter().all(|l| l.chars().count() <= 28), "{reaction:?}");
            assert_eq!(reaction.line(lines.len()), reaction.line(0));
        }
        assert_eq!(Reaction::ToolFailed.frame(), Frame::Sad);
        assert_eq!(Reaction::LongWait.frame(), Frame::Sleepy);
    }
}
