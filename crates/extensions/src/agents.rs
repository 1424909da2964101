//! Sub-agent definitions: the kinds of focused helper the model may start with the `agent` tool. Three are
//! built in (`general-purpose`, `explore`, `plan`); Markdown files in `agents/` and `--agents JSON` add more.
//!
//! A definition only says what a sub-agent is (its instructions, tools and model); the agent
//! (`claurst-assistant`) runs it. Where two sources define the same name, the stronger wins (see
//! [`AgentSource`]); a file or `--agents` may replace a built-in.

mod command_line;
mod markdown;
mod save;

pub use command_line::parse_command_line;
pub use markdown::{load_agents, parse_definition};
pub use save::save_definition;

use crate::Origin;
use std::path::PathBuf;

/// The model value that means "the session's model" (also what an absent `model` means).
pub const INHERIT_MODEL: &str = "inherit";
/// The model value that means "the provider's fast, cheap model" (the `explore` agent's).
pub const FAST_MODEL: &str = "fast";

/// Where a definition comes from, in order of precedence: when two define the same name, the earlier wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AgentSource {
    /// `--agents JSON`.
    CommandLine,
    /// A Markdown file in an `agents/` folder.
    File(Origin),
    /// Shipped with Claurst.
    BuiltIn,
}

impl AgentSource {
    /// How `/agents` names the place.
    pub fn label(self) -> &'static str {
        match self {
            AgentSource::CommandLine => "command line",
            AgentSource::File(origin) => origin.label(),
            AgentSource::BuiltIn => "built-in",
        }
    }
}

/// One kind of sub-agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentDefinition {
    /// What the model names in the `agent` tool's `agent_type` (`explore`, `reviewer`).
    pub name: String,
    /// When to use it: the model reads this to choose.
    pub description: String,
    /// The tools it is offered, by Claurst's names; `None` offers every tool of the session (except `agent`
    /// past the depth limit).
    pub tools: Option<Vec<String>>,
    /// `None` or [`INHERIT_MODEL`]: the session's model; [`FAST_MODEL`]: the provider's fast model; an alias
    /// (`haiku`, `sonnet`, `opus`) or a model id (`PROVIDER/MODEL` too).
    pub model: Option<String>,
    /// Its system prompt (the Markdown body of its file).
    pub system_prompt: String,
    /// It may only read: it runs in plan mode whatever the session's mode, so no write of any tool passes.
    pub read_only: bool,
    pub source: AgentSource,
    /// Its file, when it has one.
    pub path: Option<PathBuf>,
}

impl AgentDefinition {
    /// How front-ends list it.
    pub fn view(&self) -> claurst_protocol::AgentTypeView {
        claurst_protocol::AgentTypeView {
            name: self.name.clone(),
            description: self.description.clone(),
            scope: self.source.label().to_string(),
            tools: self.tools.clone(),
            model: self.model.clone(),
            path: self.path.as_ref().map(|path| path.display().to_string()),
        }
    }
}

/// Why `name` cannot name an agent, or `None` when it can: lowercase ASCII letters, digits and hyphens,
/// starting with a letter or digit (the model types it, and a saved definition's file is `<name>.md`).
pub fn name_problem(name: &str) -> Option<String> {
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    if name.is_empty() {
        Some("the name is empty".to_string())
    } else if name.len() > MAX_NAME_LEN {
        Some(format!("the name `{name}` is longer than {MAX_NAME_LEN} characters"))
    } else if !name.chars().all(allowed) || name.starts_with('-') {
        Some(format!(
            "the name `{name}` may only hold lowercase letters, digits and hyphens (such as `code-reviewer`)"
        ))
    } else {
        None
    }
}

/// Longer names are a mistake (a description pasted in the wrong key), not a name.
const MAX_NAME_LEN: usize = 64;

/// Why `model` is not a model value, or `None` when it is one: `inherit`, `fast`, an alias or an id.
/// Which aliases and ids exist depends on the provider, so only the shape is checked here.
fn model_problem(model: &str) -> Option<String> {
    (model.is_empty() || model.contains(char::is_whitespace)).then(|| {
        format!(
            "`{model}` is not a model: write inherit, fast, haiku, sonnet, opus or a model id such as \
             claude-sonnet-4-5"
        )
    })
}

/// Tool names as Claurst knows them: Claude Code's names (`Read`, `Task`) become ours (`read_file`,
/// `agent`); other names (ours, `mcp__server__tool`, unknown ones the agent reports when it runs) stay as
/// written. A name listed twice is kept once.
pub fn claurst_tools(names: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut tools: Vec<String> = Vec::new();
    for name in names {
        let name = claurst_protocol::tool_names::to_claurst(&name).to_string();
        if !name.is_empty() && !tools.contains(&name) {
            tools.push(name);
        }
    }
    tools
}

/// The tools a read-only built-in agent is offered. Shell commands stay possible: plan mode lets through only
/// those the read-only classifier accepts.
const READ_ONLY_TOOLS: &[&str] = &["read_file", "grep", "search_files", "list_dir", "bash", "web_fetch"];

const GENERAL_PURPOSE_PROMPT: &str = "You are a sub-agent of Claurst, a coding agent working in the user's \
project. Another agent gave you one task; do it completely with the tools you have, then answer with a report \
for that agent, which sees only your final message.

- Work on your own: nobody can answer questions while you work. When something is ambiguous, make the \
reasonable choice and say which one you made.
- Search widely when you do not know where something is; read enough of the code to be sure before changing it.
- Do what the task asks and no more. Do not create files unless the task needs them.
- Your final message is the report: what you found or changed (with `path:line` references), what you could \
not do and why, and anything the other agent must check. Keep it complete but brief; do not narrate your steps.";

const EXPLORE_PROMPT: &str = "You are an exploring sub-agent of Claurst. Another agent asked you to find \
something out in the user's project. You may only read: search, list and read files, and run read-only shell \
commands (`git log`, `ls`). Any attempt to change something is refused.

- Start broad (search for names, list folders), then read the files that matter. Run independent searches \
together.
- Match the thoroughness the task asks for: a quick lookup answers fast, a thorough study checks every place.
- Answer with a report the other agent can act on without reading everything again: the facts, with \
`path:line` references and short quotes where they decide the answer. Say plainly what you could not find.";

const PLAN_PROMPT: &str = "You are a planning sub-agent of Claurst. Another agent asked you for an \
implementation plan. You may only read: study the code, its conventions and its tests; any attempt to change \
something is refused.

Answer with the plan alone:
1. The goal in one or two sentences, and what you learnt that shapes the approach.
2. The steps in order, each naming the files and functions to change (`path:line`) and what changes.
3. How to verify it: the tests to add or run, and the commands.
4. Risks and open questions the other agent should decide.";

/// The built-in agents: `general-purpose`, `explore` and `plan`.
pub fn built_in() -> Vec<AgentDefinition> {
    let agent =
        |name: &str, description: &str, prompt: &str, read_only: bool, model: Option<&str>| AgentDefinition {
            name: name.to_string(),
            description: description.to_string(),
            tools: read_only.then(|| READ_ONLY_TOOLS.iter().map(|tool| (*tool).to_string()).collect()),
            model: model.map(str::to_string),
            system_prompt: prompt.to_string(),
            read_only,
            source: AgentSource::BuiltIn,
            path: None,
        };
    vec![
        agent(
            "general-purpose",
            "Researches questions and carries out multi-step tasks with every tool. Use it for work that needs \
             many searches or steps whose details should not fill your context.",
            GENERAL_PURPOSE_PROMPT,
            false,
            None,
        ),
        agent(
            "explore",
            "Fast, read-only search of the codebase: finds files, definitions and usages and reports them. Say \
             how thorough it should be (quick, medium, very thorough).",
            EXPLORE_PROMPT,
            true,
            Some(FAST_MODEL),
        ),
        agent(
            "plan",
            "Read-only: studies the code and returns a step-by-step implementation plan with the files to \
             change, the tests to run and the risks.",
            PLAN_PROMPT,
            true,
            None,
        ),
    ]
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_built_in_agents_and_what_they_may_do() {
        let agents = built_in();
        let names: Vec<&str> = agents.iter().map(|agent| agent.name.as_str()).collect();
        assert_eq!(names, ["general-purpose", "explore", "plan"]);
        assert!(agents[0].tools.is_none() && !agents[0].read_only);
        assert!(agents[1].read_only && agents[1].model.as_deref() == Some(FAST_MODEL));
        assert!(!agents[2].tools.as_ref().unwrap().iter().any(|tool| tool == "write_file"));
        assert_eq!(agents[1].view().scope, "built-in");
    }

    #[test]
    fn names_are_lowercase_words_joined_by_hyphens() {
        for good in ["reviewer", "code-reviewer", "v2", "explore"] {
            assert_eq!(name_problem(good), None, "{good}");
        }
        for bad in ["", "Reviewer", "code reviewer", "-x", "a_b", "../x", &"x".repeat(65)] {
            assert!(name_problem(bad).is_some(), "{bad:?}");
        }
    }

    #[test]
    fn claude_code_tool_names_become_ours_and_others_stay() {
        let tools = claurst_tools(
            ["Read", " Grep", "read_file", "Task", "mcp__db__query", "Teleport", ""].map(String::from),
        );
        assert_eq!(tools, ["read_file", "grep", "agent", "mcp__db__query", "Teleport"]);
    }

    #[test]
    fn a_model_is_one_word() {
        assert_eq!(model_problem("haiku"), None);
        assert_eq!(model_problem("openai/gpt-5"), None);
        assert!(model_problem("claude sonnet").unwrap().contains("not a model"));
    }
}
