//! The consolidation ("dream") prompts: a system prompt for the dreaming sub-agent and one instruction per
//! phase. The runner sends the phases in order as successive user messages of one conversation, so each phase
//! builds on what the previous ones read.

use crate::store::{INDEX_FILE, INDEX_LINE_LIMIT, SESSIONS_DIR, TOPICS_DIR};
use std::fmt;
use std::fmt::Write as _;
use time::{Date, OffsetDateTime};

/// The four phases of a dream, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DreamPhase {
    /// List the directory, read `MEMORY.md`, skim the topic files.
    Orient,
    /// Read the session logs written since the last dream.
    Gather,
    /// Merge new facts into topic files; newer facts win; relative dates become absolute.
    Consolidate,
    /// Drop what is stale and rewrite `MEMORY.md` as a short index.
    PruneAndIndex,
}

impl DreamPhase {
    pub const ALL: [DreamPhase; 4] =
        [DreamPhase::Orient, DreamPhase::Gather, DreamPhase::Consolidate, DreamPhase::PruneAndIndex];

    /// 1 to 4.
    pub fn number(self) -> usize {
        match self {
            DreamPhase::Orient => 1,
            DreamPhase::Gather => 2,
            DreamPhase::Consolidate => 3,
            DreamPhase::PruneAndIndex => 4,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            DreamPhase::Orient => "orient",
            DreamPhase::Gather => "gather",
            DreamPhase::Consolidate => "consolidate",
            DreamPhase::PruneAndIndex => "prune and index",
        }
    }
}

impl fmt::Display for DreamPhase {
    /// `2/4 gather`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{} {}", self.number(), Self::ALL.len(), self.name())
    }
}

/// The system prompt of the dreaming sub-agent.
pub const DREAM_SYSTEM_PROMPT: &str = "You are Claurst's memory consolidation process, running in the background \
between the user's coding sessions. You maintain a small directory of Markdown notes that future sessions rely \
on: MEMORY.md (a short index loaded into every session) and topics/*.md (one subject per file), plus read-only \
session logs under sessions/. You have only the memory tools (memory_list, memory_read, memory_write, \
memory_append, memory_delete); they work on paths relative to the memory directory and cannot reach anything \
else. There is no user to talk to: work through the phase you are given, then reply with a one-line note of \
what you did.

Principles:
- Keep what will help later sessions: the user's preferences and conventions, facts about their projects and \
environment, decisions and their reasons, recurring problems and their fixes. Drop chatter and one-off details.
- Never invent facts. Everything you write must come from the existing notes or the session logs.
- When two notes disagree, the more recent one wins; keep the older only if it explains a change.
- Write absolute dates (2026-04-01), never relative ones (yesterday, last week).
- Prefer editing an existing topic file to creating a near-duplicate; one subject per file, with a short, \
lowercase, hyphenated name.";

/// What the phase prompts need to know about this dream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DreamBrief {
    pub today: Date,
    /// The last successful dream, if any.
    pub previous_dream: Option<OffsetDateTime>,
    /// Relative paths of the session logs to gather from, oldest first.
    pub session_logs: Vec<String>,
}

/// The instruction for one phase.
pub fn consolidation_prompt(phase: DreamPhase, brief: &DreamBrief) -> String {
    let mut prompt = format!("Phase {phase} of the memory consolidation. Today is {}.\n\n", brief.today);
    match phase {
        DreamPhase::Orient => prompt.push_str(&format!(
            "Orient yourself. Call memory_list to see what exists, read {INDEX_FILE} first, then skim the topic \
             files under {TOPICS_DIR}/ that the index points to (and any it does not). Do not change anything \
             yet. Reply with a short note of the subjects the memory covers."
        )),
        DreamPhase::Gather => gather(&mut prompt, brief),
        DreamPhase::Consolidate => prompt.push_str(&format!(
            "Consolidate. Merge what you gathered into the topic files under {TOPICS_DIR}/ with memory_write \
             (read a file before rewriting it). Add new facts to the topic they belong to, or create a topic \
             when none fits. Where a new fact contradicts an old one, keep the newer and remove the older. Turn \
             every relative date or time (\"yesterday\", \"next week\", \"this morning\") into an absolute date, \
             using the date of the session log entry it came from. Do not edit {INDEX_FILE} yet."
        )),
        DreamPhase::PruneAndIndex => prompt.push_str(&format!(
            "Prune and index. Remove what is stale, superseded or no longer useful: trim topic files, merge \
             near-duplicates and delete topic files that are empty or obsolete (memory_delete). Then rewrite \
             {INDEX_FILE} with memory_write as a short index of at most {max} lines (well under {INDEX_LINE_LIMIT}): \
             the handful of facts every session needs, then one line per topic file saying what it holds. End \
             with a one-line summary of what this consolidation changed.",
            max = INDEX_LINE_LIMIT / 2
        )),
    }
    prompt
}

fn gather(prompt: &mut String, brief: &DreamBrief) {
    match brief.previous_dream {
        Some(at) => {
            let _ = write!(prompt, "Gather. The last consolidation was on {}. ", at.date());
        }
        None => prompt.push_str("Gather. This is the first consolidation. "),
    }
    if brief.session_logs.is_empty() {
        let _ = write!(
            prompt,
            "There are no new session logs under {SESSIONS_DIR}/, so there is nothing new to gather; reply \
             that nothing was gathered."
        );
        return;
    }
    prompt.push_str("Read these session logs with memory_read, oldest first:\n");
    for log in &brief.session_logs {
        let _ = writeln!(prompt, "- {log}");
    }
    prompt.push_str(
        "\nNote what is new or changed compared with the existing notes: lasting facts, preferences, decisions \
         and corrections. Entries dated before the last consolidation were already merged; skip them. Do not \
         change anything yet. Reply with a short list of what you found.",
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn phases_are_numbered_and_named() {
        let shown: Vec<String> = DreamPhase::ALL.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["1/4 orient", "2/4 gather", "3/4 consolidate", "4/4 prune and index"]);
    }

    #[test]
    fn the_gather_prompt_lists_the_logs_since_the_last_dream() {
        let brief = DreamBrief {
            today: date!(2026 - 04 - 02),
            previous_dream: Some(datetime!(2026-03-30 08:00 UTC)),
            session_logs: vec!["sessions/2026-03-30.log".into(), "sessions/2026-04-01.log".into()],
        };
        let prompt = consolidation_prompt(DreamPhase::Gather, &brief);
        assert!(prompt.contains("Today is 2026-04-02"), "{prompt}");
        assert!(prompt.contains("last consolidation was on 2026-03-30"), "{prompt}");
        assert!(prompt.contains("- sessions/2026-04-01.log"), "{prompt}");
        let empty = DreamBrief { session_logs: Vec::new(), ..brief };
        assert!(consolidation_prompt(DreamPhase::Gather, &empty).contains("nothing new to gather"));
        let index = consolidation_prompt(DreamPhase::PruneAndIndex, &empty);
        assert!(index.contains("at most 100 lines"), "{index}");
    }
}
