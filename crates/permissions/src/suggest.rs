//! The rule that "allow and remember" would save for a call the user is asked about.

use crate::call::{Call, Facts};
use crate::paths::{Location, Workspace, is_resolved};
use crate::rule::{CommandPattern, EDIT_FAMILY, FETCH_TOOL, READ_FAMILY, Rule, SHELL_TOOL, Specifier};
use crate::shell::CommandPart;

/// Programs whose second word picks a subcommand, so a prefix rule keeps two words (`cargo test:*`).
const SUBCOMMAND_PROGRAMS: &[&str] = &[
    "git",
    "cargo",
    "npm",
    "pnpm",
    "yarn",
    "bun",
    "npx",
    "go",
    "docker",
    "podman",
    "kubectl",
    "gh",
    "pip",
    "pip3",
    "uv",
    "poetry",
    "rustup",
    "dotnet",
    "mvn",
    "gradle",
    "terraform",
    "helm",
    "brew",
    "deno",
    "just",
    "make",
];
/// Package managers whose `run SCRIPT` keeps three words (`npm run test:*`).
const SCRIPT_RUNNERS: &[&str] = &["npm", "pnpm", "yarn", "bun"];

/// The suggested rule for `call`. `part` is the shell command part that needs approval, if known.
pub(crate) fn suggested_rule(call: &Call<'_>, part: Option<&CommandPart>, workspace: &Workspace) -> Rule {
    let tool = call.tool.to_ascii_lowercase();
    let parsed = |text: String| text.parse::<Rule>().ok();
    let suggestion = match &call.facts {
        Facts::Shell(shell) if tool == SHELL_TOOL => Some(command_rule(part, shell.line())),
        Facts::Edit(location) => parsed(format!("{EDIT_FAMILY}({})", dir_pattern(location, workspace))),
        Facts::Read(location) => parsed(format!("{READ_FAMILY}({})", dir_pattern(location, workspace))),
        Facts::Fetch { host: Some(host) } if tool == FETCH_TOOL => {
            parsed(format!("{FETCH_TOOL}(domain:{host})"))
        }
        _ => None,
    };
    suggestion.unwrap_or_else(|| Rule::tool(&tool))
}

/// A prefix rule from the first word(s) of the part, checked to match it; else an exact rule.
fn command_rule(part: Option<&CommandPart>, line: &str) -> Rule {
    let Some(part) = part else {
        return exact_or_bare(line);
    };
    let words = part.words();
    let mut word_counts = Vec::new();
    if words.len() >= 2 && SUBCOMMAND_PROGRAMS.contains(&words[0].as_str()) && !words[1].starts_with('-') {
        if words.len() >= 3 && words[1] == "run" && SCRIPT_RUNNERS.contains(&words[0].as_str()) {
            word_counts.push(3);
        }
        word_counts.push(2);
    }
    word_counts.push(1);
    word_counts
        .into_iter()
        .filter_map(|count| words.get(..count))
        .filter_map(|prefix| format!("{SHELL_TOOL}({}:*)", prefix.join(" ")).parse::<Rule>().ok())
        .find(|rule| matches!(rule.specifier(), Some(Specifier::Command(p)) if p.matches(part.text())))
        .unwrap_or_else(|| exact_or_bare(part.text()))
}

fn exact_or_bare(command: &str) -> Rule {
    format!("{SHELL_TOOL}({command})")
        .parse::<Rule>()
        .ok()
        .filter(|rule| matches!(rule.specifier(), Some(Specifier::Command(CommandPattern::Exact(_)))))
        .unwrap_or_else(|| Rule::tool(SHELL_TOOL))
}

/// Everything in the directory of the file (or in the directory itself).
fn dir_pattern(location: &Location, workspace: &Workspace) -> String {
    // Links nested too deep leave no place to name (its parent would be `/`, a rule allowing everything):
    // the path as given is named instead, which a later call through the same links does not match.
    let path = if is_resolved(&location.physical) { &location.physical } else { &location.lexical };
    let dir = if path.is_dir() { path.as_path() } else { path.parent().unwrap_or(path) };
    workspace.dir_pattern(dir)
}
