//! Slash commands: the menu shows exactly the commands that work.

/// A command as listed in the `/` menu and `/help`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlashCommand {
    pub name: &'static str,
    pub arguments: &'static str,
    pub description: &'static str,
}

/// The built-in commands, in menu order.
pub const BUILT_IN: &[SlashCommand] = &[
    SlashCommand { name: "help", arguments: "", description: "Show commands and keys" },
    SlashCommand { name: "clear", arguments: "", description: "Start a fresh conversation" },
    SlashCommand { name: "model", arguments: "[name]", description: "Show or change the model" },
    SlashCommand { name: "cost", arguments: "", description: "Tokens used and what they cost, per model" },
    SlashCommand {
        name: "compact",
        arguments: "[focus]",
        description: "Summarise older turns to free context",
    },
    SlashCommand {
        name: "resume",
        arguments: "[id]",
        description: "Continue a saved session of this project",
    },
    SlashCommand { name: "init", arguments: "", description: "Write a first CLAURST.md for this project" },
    SlashCommand { name: "status", arguments: "", description: "Session, model, context and directory" },
    SlashCommand { name: "permissions", arguments: "", description: "Permission mode and rules" },
    SlashCommand {
        name: "config",
        arguments: "",
        description: "Configuration in force and where it came from",
    },
    SlashCommand { name: "copy", arguments: "", description: "Copy the last reply to the clipboard" },
    SlashCommand { name: "exit", arguments: "", description: "Quit Claurst" },
];

/// A parsed command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Help,
    Clear,
    Model(Option<String>),
    Cost,
    Status,
    Permissions,
    Config,
    Copy,
    Compact(Option<String>),
    Resume(Option<String>),
    Init,
    Memory,
    EditInstructions,
    Dream,
    /// `/buddy [pet|hide|show]`, listed only when there is a companion.
    #[cfg(feature = "buddy")]
    Buddy(Option<String>),
    Exit,
}

/// Commands whose name starts with `prefix` (without the slash).
pub fn matching(commands: &[SlashCommand], prefix: &str) -> Vec<SlashCommand> {
    let prefix = prefix.to_ascii_lowercase();
    commands.iter().filter(|command| command.name.starts_with(&prefix)).copied().collect()
}

/// Parse `/name args`; the error says what to type instead.
pub fn parse(line: &str) -> Result<Command, String> {
    let line = line.trim();
    let body = line.strip_prefix('/').unwrap_or(line);
    let (name, argument) = match body.split_once(char::is_whitespace) {
        Some((name, rest)) => (name, Some(rest.trim()).filter(|rest| !rest.is_empty())),
        None => (body, None),
    };
    let command = match name.to_ascii_lowercase().as_str() {
        "help" | "?" => Command::Help,
        "clear" | "new" => Command::Clear,
        "model" => Command::Model(argument.map(str::to_string)),
        "cost" => Command::Cost,
        "status" => Command::Status,
        "permissions" => Command::Permissions,
        "config" => Command::Config,
        "copy" => Command::Copy,
        "compact" => Command::Compact(argument.map(str::to_string)),
        "resume" => Command::Resume(argument.map(str::to_string)),
        "init" => Command::Init,
        "memory" if argument == Some("edit") => Command::EditInstructions,
        "memory" => Command::Memory,
        "dream" => Command::Dream,
        #[cfg(feature = "buddy")]
        "buddy" => Command::Buddy(argument.map(str::to_string)),
        "exit" | "quit" => Command::Exit,
        other => return Err(format!("Unknown command /{other}. Type / to see the commands.")),
    };
    Ok(command)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_commands_and_arguments() {
        assert_eq!(parse("/model claude-opus-4-6"), Ok(Command::Model(Some("claude-opus-4-6".into()))));
        assert_eq!(parse("/model"), Ok(Command::Model(None)));
        assert_eq!(parse("/EXIT"), Ok(Command::Exit));
        assert!(parse("/teleport").unwrap_err().contains("Unknown command /teleport"));
    }

    #[test]
    fn every_listed_command_parses() {
        for command in BUILT_IN {
            assert!(
                parse(&format!("/{}", command.name)).is_ok(),
                "/{} is listed but does not parse",
                command.name
            );
        }
    }

    #[test]
    fn menu_filters_by_prefix() {
        let names: Vec<&str> = matching(BUILT_IN, "c").iter().map(|c| c.name).collect();
        assert_eq!(names, ["clear", "cost", "compact", "config", "copy"]);
    }
}
