//! Custom commands, skills and output styles as front-ends see them.

use serde::{Deserialize, Serialize};

/// A command that comes from a file: listed in the `/` menu and `/help`, run with `Op::RunCommand`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionCommandView {
    /// Typed after the slash: `frontend:test`, `pdf-tools`.
    pub name: String,
    /// What follows the name in the menu (`[file]`); may be empty.
    #[serde(default)]
    pub arguments: String,
    pub description: String,
    pub kind: ExtensionKind,
    /// Where it was found, as users read it: `project`, `user`, `project (.claude)`, `user (.claude)`.
    pub scope: String,
}

/// What a file-defined command is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExtensionKind {
    /// A Markdown file in a `commands/` folder.
    Command,
    /// A skill, invoked by the user instead of the model.
    Skill,
}

/// An output style the user may switch to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputStyleView {
    pub name: String,
    pub description: String,
    /// `built-in`, or where its file was found.
    pub scope: String,
}

/// A kind of sub-agent the model may start with the `agent` tool (`/agents` lists them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentTypeView {
    pub name: String,
    /// What it is for: the model reads this to choose.
    pub description: String,
    /// `built-in`, `command line`, or where its file was found.
    pub scope: String,
    /// The tools it is offered; `None` offers every tool of the session.
    #[serde(default)]
    pub tools: Option<Vec<String>>,
    /// The model it runs on as written (`haiku`, a model id); `None` uses the session's model.
    #[serde(default)]
    pub model: Option<String>,
    /// Its file, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// Where a new sub-agent definition is saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgentScope {
    /// `<project>/.claurst/agents/`, shared with the team through the repository.
    Project,
    /// `~/.claurst/agents/`, for every project of this user.
    User,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn views_on_the_wire_and_older_session_infos_still_read() {
        let view = ExtensionCommandView {
            name: "pdf".into(),
            arguments: String::new(),
            description: "Fill forms".into(),
            kind: ExtensionKind::Skill,
            scope: "project (.claude)".into(),
        };
        assert_eq!(
            serde_json::to_string(&view).unwrap(),
            r#"{"name":"pdf","arguments":"","description":"Fill forms","kind":"skill","scope":"project (.claude)"}"#
        );
        let older = r#"{"session_id":"s","model":"m","cwd":"/p","tools":[],"permission_mode":"default"}"#;
        let info: crate::SessionInfo = serde_json::from_str(older).unwrap();
        assert!(info.commands.is_empty() && info.output_styles.is_empty() && info.output_style.is_empty());
    }
}
