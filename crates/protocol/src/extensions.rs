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
