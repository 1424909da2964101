//! Claude Code's tool names and the Claurst tools that do the same job.
//!
//! Scripts, settings files and agent definitions written for Claude Code name tools its way (`Bash`, `Read`,
//! `Task`); Claurst accepts those names wherever a tool is named by the user (permission rules, `--tools`,
//! `--allowedTools`, hook matchers, agent tool lists) and reads them as its own. This table is the only place
//! that knows the correspondence.

/// (Claude Code's name, Claurst's name), one row per tool Claurst has. Claude Code tools without a
/// counterpart are absent: a name here always names a real tool.
const CLAUDE_CODE_NAMES: &[(&str, &str)] = &[
    ("Bash", "bash"),
    ("Read", "read_file"),
    ("Edit", "edit_file"),
    ("Write", "write_file"),
    ("MultiEdit", "multi_edit"),
    ("NotebookEdit", "notebook_edit"),
    ("Grep", "grep"),
    ("Glob", "search_files"),
    ("LS", "list_dir"),
    ("WebFetch", "web_fetch"),
    ("WebSearch", "web_search"),
    ("TodoWrite", "todo_write"),
    ("BashOutput", "bash_output"),
    ("KillShell", "kill_shell"),
    ("KillBash", "kill_shell"),
    ("Task", "agent"),
    ("Agent", "agent"),
    ("Skill", "skill"),
    ("LSP", "lsp"),
    ("AskUserQuestion", "ask_user_question"),
    ("ExitPlanMode", "exit_plan_mode"),
    ("EnterPlanMode", "enter_plan_mode"),
    ("EnterWorktree", "enter_worktree"),
    ("ExitWorktree", "exit_worktree"),
];

/// Claude Code's name for the Claurst tool `ours`, when it has one (`mcp__…` names are the same in both).
pub fn claude_name(ours: &str) -> Option<&'static str> {
    CLAUDE_CODE_NAMES.iter().find(|(_, claurst)| *claurst == ours).map(|(claude, _)| *claude)
}

/// The Claurst tool that does the job of Claude Code's tool `theirs` (`Read` → `read_file`), when there is
/// one. Exact spelling: `read` is not Claude Code's name for anything.
pub fn claurst_name(theirs: &str) -> Option<&'static str> {
    CLAUDE_CODE_NAMES.iter().find(|(claude, _)| *claude == theirs).map(|(_, claurst)| *claurst)
}

/// `name` as Claurst calls the tool: Claude Code's names become ours, every other name (ours, an MCP
/// server's `mcp__server__tool`, an unknown one) stays as written, without surrounding spaces.
pub fn to_claurst(name: &str) -> &str {
    let name = name.trim();
    claurst_name(name).unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claude_code_names_map_to_ours_and_back() {
        assert_eq!(claurst_name("Read"), Some("read_file"));
        assert_eq!(claurst_name("Task"), Some("agent"));
        assert_eq!(claurst_name("read"), None);
        assert_eq!(claurst_name("mcp__db__query"), None);
        for (theirs, ours) in CLAUDE_CODE_NAMES {
            let back = claude_name(ours).expect("every Claurst tool in the table has a Claude Code name");
            assert_eq!(claurst_name(back), Some(*ours), "{theirs}");
        }
    }

    #[test]
    fn other_names_stay_as_written() {
        assert_eq!(to_claurst(" Glob "), "search_files");
        assert_eq!(to_claurst("bash"), "bash");
        assert_eq!(to_claurst("mcp__gh__pr"), "mcp__gh__pr");
        assert_eq!(to_claurst("NotebookEdit"), "notebook_edit");
        assert_eq!(to_claurst("SomethingNew"), "SomethingNew");
        assert_eq!(to_claurst("WebSearch"), "web_search");
    }
}
