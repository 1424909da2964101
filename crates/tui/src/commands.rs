//! Slash commands: the menu shows exactly the commands that work. One list (the built-ins, then each MCP
//! server's prompts) feeds the `/` menu, `/help`, completion and the parser.

use claurst_protocol::{McpPromptView, McpServerView};
use std::borrow::Cow;

/// A command as listed in the `/` menu and `/help`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlashCommand {
    pub name: Cow<'static, str>,
    pub arguments: Cow<'static, str>,
    pub description: Cow<'static, str>,
    pub source: CommandSource,
}

/// Where a command comes from, and so how its line is parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandSource {
    BuiltIn,
    /// `/mcp__<server>__<prompt>`: runs that server's prompt.
    McpPrompt {
        server: String,
        prompt: McpPromptView,
    },
}

impl SlashCommand {
    const fn built_in(name: &'static str, arguments: &'static str, description: &'static str) -> Self {
        Self {
            name: Cow::Borrowed(name),
            arguments: Cow::Borrowed(arguments),
            description: Cow::Borrowed(description),
            source: CommandSource::BuiltIn,
        }
    }

    /// The command running `prompt` of `server`; its arguments read `<required> [optional]`.
    pub fn mcp_prompt(server: &str, prompt: &McpPromptView) -> Self {
        let arguments: Vec<String> = prompt
            .arguments
            .iter()
            .map(|(name, required)| if *required { format!("<{name}>") } else { format!("[{name}]") })
            .collect();
        let description = if prompt.description.is_empty() {
            format!("Prompt from MCP server {server}")
        } else {
            format!("{} (MCP {server})", prompt.description)
        };
        Self {
            name: Cow::Owned(format!("mcp__{server}__{}", prompt.name)),
            arguments: Cow::Owned(arguments.join(" ")),
            description: Cow::Owned(description),
            source: CommandSource::McpPrompt { server: server.to_string(), prompt: prompt.clone() },
        }
    }
}

/// The built-in commands, in menu order.
pub const BUILT_IN: &[SlashCommand] = &[
    SlashCommand::built_in("help", "", "Show commands and keys"),
    SlashCommand::built_in("clear", "", "Start a fresh conversation"),
    SlashCommand::built_in("model", "[name]", "Show or change the model"),
    SlashCommand::built_in("cost", "", "Tokens used and what they cost, per model"),
    SlashCommand::built_in("compact", "[focus]", "Summarise older turns to free context"),
    SlashCommand::built_in("resume", "[id]", "Continue a saved session of this project"),
    SlashCommand::built_in("init", "", "Write a first CLAURST.md for this project"),
    SlashCommand::built_in("status", "", "Session, model, context and directory"),
    SlashCommand::built_in("permissions", "", "Permission mode and rules"),
    SlashCommand::built_in("config", "", "Configuration in force and where it came from"),
    SlashCommand::built_in("mcp", "", "MCP servers: status, tools, reconnect, enable"),
    SlashCommand::built_in("hooks", "", "Hooks: what runs at which event, and where it is defined"),
    SlashCommand::built_in("copy", "", "Copy the last reply to the clipboard"),
    SlashCommand::built_in("exit", "", "Quit Claurst"),
];

/// `/buddy`, listed only when there is a companion.
#[cfg(feature = "buddy")]
pub(crate) const BUDDY: SlashCommand =
    SlashCommand::built_in("buddy", "[pet|hide|show]", "Your companion's card; pet, hide or show it");

/// Replace the MCP prompt commands in `commands` with those `servers` offer now (built-ins keep their place).
pub fn set_mcp_prompts(commands: &mut Vec<SlashCommand>, servers: &[McpServerView]) {
    commands.retain(|command| command.source == CommandSource::BuiltIn);
    for server in servers {
        for prompt in &server.prompts {
            commands.push(SlashCommand::mcp_prompt(&server.name, prompt));
        }
    }
}

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
    Mcp,
    Hooks,
    /// An MCP server's prompt with its arguments by name, in the prompt's order.
    McpPrompt {
        server: String,
        prompt: String,
        arguments: Vec<(String, String)>,
    },
    /// `/buddy [pet|hide|show]`, listed only when there is a companion.
    #[cfg(feature = "buddy")]
    Buddy(Option<String>),
    Exit,
}

/// Commands whose name starts with `prefix` (without the slash).
pub fn matching<'a>(commands: &'a [SlashCommand], prefix: &str) -> Vec<&'a SlashCommand> {
    let prefix = prefix.to_ascii_lowercase();
    commands.iter().filter(|command| command.name.to_ascii_lowercase().starts_with(&prefix)).collect()
}

/// Parse `/name args` against `commands`; the error says what to type instead.
pub fn parse(line: &str, commands: &[SlashCommand]) -> Result<Command, String> {
    let line = line.trim();
    let body = line.strip_prefix('/').unwrap_or(line);
    let (name, argument) = match body.split_once(char::is_whitespace) {
        Some((name, rest)) => (name, Some(rest.trim()).filter(|rest| !rest.is_empty())),
        None => (body, None),
    };
    if let Some(CommandSource::McpPrompt { server, prompt }) =
        commands.iter().find(|command| command.name.eq_ignore_ascii_case(name)).map(|command| &command.source)
    {
        return prompt_command(server, prompt, argument.unwrap_or(""));
    }
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
        "mcp" => Command::Mcp,
        "hooks" => Command::Hooks,
        #[cfg(feature = "buddy")]
        "buddy" => Command::Buddy(argument.map(str::to_string)),
        "exit" | "quit" => Command::Exit,
        other => return Err(format!("Unknown command /{other}. Type / to see the commands.")),
    };
    Ok(command)
}

/// Map the words after `/mcp__server__prompt` onto the prompt's arguments in order: the last argument takes
/// every word left over (so a free-text argument needs no quotes); a required argument left empty is an error.
fn prompt_command(server: &str, prompt: &McpPromptView, words: &str) -> Result<Command, String> {
    let name = format!("mcp__{server}__{}", prompt.name);
    let mut words: Vec<String> = words.split_whitespace().map(str::to_string).collect();
    let count = prompt.arguments.len();
    if count == 0 && !words.is_empty() {
        return Err(format!("/{name} takes no arguments."));
    }
    if words.len() > count {
        let rest = words.split_off(count - 1).join(" ");
        words.push(rest);
    }
    let missing: Vec<&str> = prompt
        .arguments
        .iter()
        .skip(words.len())
        .filter(|(_, required)| *required)
        .map(|(argument, _)| argument.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "/{name} needs {}: type /{name} {}",
            missing.join(", "),
            prompt
                .arguments
                .iter()
                .map(|(argument, required)| if *required {
                    format!("<{argument}>")
                } else {
                    format!("[{argument}]")
                })
                .collect::<Vec<_>>()
                .join(" ")
        ));
    }
    let arguments = prompt.arguments.iter().map(|(argument, _)| argument.clone()).zip(words).collect();
    Ok(Command::McpPrompt { server: server.to_string(), prompt: prompt.name.clone(), arguments })
}

#[cfg(test)]
mod tests {
    use super::*;
    use claurst_protocol::McpServerStatus;

    #[test]
    fn parses_commands_and_arguments() {
        assert_eq!(
            parse("/model claude-opus-4-6", BUILT_IN),
            Ok(Command::Model(Some("claude-opus-4-6".into())))
        );
        assert_eq!(parse("/model", BUILT_IN), Ok(Command::Model(None)));
        assert_eq!(parse("/EXIT", BUILT_IN), Ok(Command::Exit));
        assert!(parse("/teleport", BUILT_IN).unwrap_err().contains("Unknown command /teleport"));
    }

    #[test]
    fn every_listed_command_parses() {
        for command in BUILT_IN {
            assert!(
                parse(&format!("/{}", command.name), BUILT_IN).is_ok(),
                "/{} is listed but does not parse",
                command.name
            );
        }
    }

    #[test]
    fn menu_filters_by_prefix() {
        let names: Vec<&str> = matching(BUILT_IN, "c").iter().map(|c| c.name.as_ref()).collect();
        assert_eq!(names, ["clear", "cost", "compact", "config", "copy"]);
    }

    fn with_prompt(arguments: &[(&str, bool)]) -> Vec<SlashCommand> {
        let mut commands = BUILT_IN.to_vec();
        let server = McpServerView {
            name: "db".into(),
            scope: "user".into(),
            target: "db-server".into(),
            status: McpServerStatus::Ready,
            tools: vec![],
            prompts: vec![McpPromptView {
                name: "query".into(),
                description: "Ask the database".into(),
                arguments: arguments.iter().map(|(name, required)| (name.to_string(), *required)).collect(),
            }],
            resources: vec![],
        };
        set_mcp_prompts(&mut commands, &[server]);
        commands
    }

    fn run_prompt(arguments: &[(&str, &str)]) -> Command {
        Command::McpPrompt {
            server: "db".into(),
            prompt: "query".into(),
            arguments: arguments.iter().map(|(name, value)| (name.to_string(), value.to_string())).collect(),
        }
    }

    #[test]
    fn prompt_words_map_onto_arguments_in_order_and_the_last_takes_the_rest() {
        let commands = with_prompt(&[("table", true), ("question", false)]);
        assert_eq!(commands.last().map(|c| c.arguments.as_ref()), Some("<table> [question]"));
        assert_eq!(parse("/mcp__db__query users", &commands), Ok(run_prompt(&[("table", "users")])));
        assert_eq!(
            parse("/mcp__db__query users who signed up  today", &commands),
            Ok(run_prompt(&[("table", "users"), ("question", "who signed up today")]))
        );
        let error = parse("/mcp__db__query", &commands).unwrap_err();
        assert!(error.contains("needs table"), "{error}");
        assert!(parse("/mcp", &commands) == Ok(Command::Mcp), "/mcp stays the panel");
    }

    #[test]
    fn a_prompt_without_arguments_refuses_words() {
        let commands = with_prompt(&[]);
        assert_eq!(parse("/mcp__db__query", &commands), Ok(run_prompt(&[])));
        assert!(parse("/mcp__db__query now", &commands).unwrap_err().contains("takes no arguments"));
        let rebuilt = {
            let mut commands = commands.clone();
            set_mcp_prompts(&mut commands, &[]);
            commands
        };
        assert_eq!(rebuilt, BUILT_IN.to_vec(), "prompts of a server gone are gone");
    }
}
