//! Slash commands: the menu shows exactly the commands that work. One list (the built-ins, the custom
//! commands and skills, then each MCP server's prompts) feeds the `/` menu, `/help`, completion and the
//! parser: a built-in's entry carries what it does, so there is no second table of names to drift.

use claurst_protocol::{ExtensionCommandView, ExtensionKind, McpPromptView, McpServerView};
use std::borrow::Cow;

/// A command as listed in the `/` menu and `/help`: the one definition the parser reads too.
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
    /// One of Claurst's own, with the other names it answers to (`/quit` for `/exit`).
    BuiltIn { action: BuiltIn, aliases: &'static [&'static str] },
    /// `/mcp__<server>__<prompt>`: runs that server's prompt.
    McpPrompt { server: String, prompt: McpPromptView },
    /// A Markdown file in a `commands/` folder; `scope` says where (`project`, `user (.claude)`, …).
    Custom { scope: String },
    /// A skill, run as the user's request.
    Skill { scope: String },
}

/// What a built-in command does: turns the words after its name into a [`Command`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuiltIn {
    Help,
    Clear,
    Model,
    Cost,
    Compact,
    Resume,
    Rewind,
    Init,
    Status,
    Permissions,
    Config,
    Memory,
    Dream,
    Mcp,
    Hooks,
    Skills,
    Agents,
    OutputStyle,
    Theme,
    Copy,
    Vim,
    StatusLine,
    Context,
    Doctor,
    Export,
    AddDir,
    Worktrees,
    ReleaseNotes,
    Bug,
    #[cfg(feature = "buddy")]
    Buddy,
    #[cfg(feature = "proactive")]
    Kairos,
    Exit,
}

impl BuiltIn {
    fn command(self, argument: Option<&str>) -> Command {
        let argument = argument.map(str::to_string);
        match self {
            BuiltIn::Help => Command::Help,
            BuiltIn::Clear => Command::Clear,
            BuiltIn::Model => Command::Model(argument),
            BuiltIn::Cost => Command::Cost,
            BuiltIn::Compact => Command::Compact(argument),
            BuiltIn::Resume => Command::Resume(argument),
            BuiltIn::Rewind => Command::Rewind,
            BuiltIn::Init => Command::Init,
            BuiltIn::Status => Command::Status,
            BuiltIn::Permissions => Command::Permissions,
            BuiltIn::Config => Command::Config,
            BuiltIn::Memory if argument.as_deref() == Some("edit") => Command::EditInstructions,
            BuiltIn::Memory => Command::Memory,
            BuiltIn::Dream => Command::Dream,
            BuiltIn::Mcp => Command::Mcp,
            BuiltIn::Hooks => Command::Hooks,
            BuiltIn::Skills => Command::Skills,
            BuiltIn::Agents => match argument.as_deref().and_then(|words| words.strip_prefix("new")) {
                Some(rest) if rest.is_empty() || rest.starts_with(char::is_whitespace) => {
                    Command::NewAgent(rest.trim().to_string())
                }
                _ => Command::Agents,
            },
            BuiltIn::OutputStyle => Command::OutputStyle(argument),
            BuiltIn::Theme => Command::Theme(argument),
            BuiltIn::Copy => Command::Copy,
            BuiltIn::Vim => Command::Vim,
            BuiltIn::StatusLine => Command::StatusLine(argument),
            BuiltIn::Context => Command::Context,
            BuiltIn::Doctor => Command::Doctor,
            BuiltIn::Export => Command::Export(argument),
            BuiltIn::AddDir => Command::AddDir(argument),
            BuiltIn::Worktrees => Command::Worktrees(argument),
            BuiltIn::ReleaseNotes => Command::ReleaseNotes,
            BuiltIn::Bug => Command::Bug(argument),
            #[cfg(feature = "buddy")]
            BuiltIn::Buddy => Command::Buddy(argument),
            #[cfg(feature = "proactive")]
            BuiltIn::Kairos => Command::Kairos(argument),
            BuiltIn::Exit => Command::Exit,
        }
    }
}

impl SlashCommand {
    const fn built_in(
        name: &'static str,
        arguments: &'static str,
        description: &'static str,
        action: BuiltIn,
        aliases: &'static [&'static str],
    ) -> Self {
        Self {
            name: Cow::Borrowed(name),
            arguments: Cow::Borrowed(arguments),
            description: Cow::Borrowed(description),
            source: CommandSource::BuiltIn { action, aliases },
        }
    }

    /// The command running `prompt` of `server`; its arguments read `<required> [optional]`.
    pub fn mcp_prompt(server: &str, prompt: &McpPromptView) -> Self {
        let description = if prompt.description.is_empty() {
            format!("Prompt from MCP server {server}")
        } else {
            format!("{} (MCP {server})", prompt.description)
        };
        Self {
            name: Cow::Owned(format!("mcp__{server}__{}", prompt.name)),
            arguments: Cow::Owned(argument_hint(prompt)),
            description: Cow::Owned(description),
            source: CommandSource::McpPrompt { server: server.to_string(), prompt: prompt.clone() },
        }
    }

    /// A custom command or a skill found in the project's or the user's files.
    pub fn extension(view: &ExtensionCommandView) -> Self {
        let scope = view.scope.clone();
        let source = match view.kind {
            ExtensionKind::Command => CommandSource::Custom { scope },
            ExtensionKind::Skill => CommandSource::Skill { scope },
        };
        Self {
            name: Cow::Owned(view.name.clone()),
            arguments: Cow::Owned(view.arguments.clone()),
            description: Cow::Owned(view.description.clone()),
            source,
        }
    }

    /// Where a file-defined command comes from, as the menu shows it; empty for the others (an MCP
    /// prompt's description already names its server).
    pub fn origin(&self) -> String {
        match &self.source {
            CommandSource::BuiltIn { .. } | CommandSource::McpPrompt { .. } => String::new(),
            CommandSource::Custom { scope } => scope.clone(),
            CommandSource::Skill { scope } => format!("skill, {scope}"),
        }
    }

    /// The text after the name in the menu and `/help`: arguments, description and origin.
    pub fn detail(&self) -> String {
        let mut detail = format!("{} {}", self.arguments, self.description).trim().to_string();
        if let CommandSource::BuiltIn { aliases, .. } = &self.source
            && !aliases.is_empty()
        {
            let aliases: Vec<String> = aliases.iter().map(|alias| format!("/{alias}")).collect();
            detail.push_str(&format!(" (also {})", aliases.join(", ")));
        }
        let origin = self.origin();
        if !origin.is_empty() {
            detail.push_str(&format!(" · {origin}"));
        }
        detail
    }

    /// Whether `name` (any case) calls this command.
    pub(crate) fn answers_to(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
            || matches!(&self.source, CommandSource::BuiltIn { aliases, .. }
                if aliases.iter().any(|alias| alias.eq_ignore_ascii_case(name)))
    }
}

/// The built-in commands, in menu order. The parser knows no other built-in.
pub const BUILT_IN: &[SlashCommand] = &[
    SlashCommand::built_in("help", "", "Show commands and keys", BuiltIn::Help, &["?"]),
    SlashCommand::built_in("clear", "", "Start a fresh conversation", BuiltIn::Clear, &["new"]),
    SlashCommand::built_in("model", "[name]", "Show or change the model", BuiltIn::Model, &[]),
    SlashCommand::built_in("cost", "", "Tokens used and what they cost, per model", BuiltIn::Cost, &[]),
    SlashCommand::built_in(
        "compact",
        "[focus]",
        "Summarise older turns to free context",
        BuiltIn::Compact,
        &[],
    ),
    SlashCommand::built_in(
        "resume",
        "[id]",
        "Continue a saved session of this project",
        BuiltIn::Resume,
        &[],
    ),
    SlashCommand::built_in(
        "rewind",
        "",
        "Go back to before a turn: code, conversation or both",
        BuiltIn::Rewind,
        &["checkpoint"],
    ),
    SlashCommand::built_in("init", "", "Write a first CLAURST.md for this project", BuiltIn::Init, &[]),
    SlashCommand::built_in("status", "", "Session, model, context and directory", BuiltIn::Status, &[]),
    SlashCommand::built_in("permissions", "", "Permission mode and rules", BuiltIn::Permissions, &[]),
    SlashCommand::built_in(
        "config",
        "",
        "Configuration in force and where it came from",
        BuiltIn::Config,
        &[],
    ),
    SlashCommand::built_in("memory", "[edit]", "Memory report; edit opens CLAURST.md", BuiltIn::Memory, &[]),
    SlashCommand::built_in("dream", "", "When memory was last consolidated", BuiltIn::Dream, &[]),
    SlashCommand::built_in("mcp", "", "MCP servers: status, tools, reconnect, enable", BuiltIn::Mcp, &[]),
    SlashCommand::built_in(
        "hooks",
        "",
        "Hooks: what runs at which event, and where it is defined",
        BuiltIn::Hooks,
        &[],
    ),
    SlashCommand::built_in("skills", "", "Skills the model can load, and where from", BuiltIn::Skills, &[]),
    SlashCommand::built_in(
        "agents",
        "[new <description>]",
        "Kinds of sub-agent; new drafts one for you to review",
        BuiltIn::Agents,
        &[],
    ),
    SlashCommand::built_in(
        "output-style",
        "[name]",
        "Show or change how answers are written",
        BuiltIn::OutputStyle,
        &[],
    ),
    SlashCommand::built_in(
        "theme",
        "[dark|light|colorblind]",
        "Choose the colours (saved to your config)",
        BuiltIn::Theme,
        &[],
    ),
    SlashCommand::built_in("copy", "", "Copy the last reply to the clipboard", BuiltIn::Copy, &[]),
    SlashCommand::built_in("vim", "", "Vim-style editing in the prompt, on or off", BuiltIn::Vim, &[]),
    SlashCommand::built_in(
        "statusline",
        "[command|off]",
        "Show, set or remove the command whose output is the status line",
        BuiltIn::StatusLine,
        &[],
    ),
    SlashCommand::built_in("context", "", "What fills the context window, as a grid", BuiltIn::Context, &[]),
    SlashCommand::built_in(
        "export",
        "[file]",
        "The conversation as Markdown, to a file or the clipboard",
        BuiltIn::Export,
        &[],
    ),
    SlashCommand::built_in(
        "add-dir",
        "<path>",
        "Let tools work in another directory this session",
        BuiltIn::AddDir,
        &[],
    ),
    SlashCommand::built_in(
        "worktrees",
        "[clean]",
        "List or clean up this repository's Claurst worktrees",
        BuiltIn::Worktrees,
        &[],
    ),
    SlashCommand::built_in(
        "doctor",
        "",
        "Check the installation: config, key, API, sandbox",
        BuiltIn::Doctor,
        &[],
    ),
    SlashCommand::built_in("release-notes", "", "What is new in this version", BuiltIn::ReleaseNotes, &[]),
    SlashCommand::built_in(
        "bug",
        "[conversation]",
        "Write a redacted bug report file (conversation only if named)",
        BuiltIn::Bug,
        &[],
    ),
    SlashCommand::built_in("exit", "", "Quit Claurst", BuiltIn::Exit, &["quit"]),
];

/// `/buddy`, listed only when there is a companion.
#[cfg(feature = "buddy")]
pub(crate) const BUDDY: SlashCommand = SlashCommand::built_in(
    "buddy",
    "[pet|hide|show]",
    "Your companion's card; pet, hide or show it",
    BuiltIn::Buddy,
    &[],
);

/// `/kairos`, listed only once the session reports that it runs KAIROS.
#[cfg(feature = "proactive")]
pub(crate) const KAIROS: SlashCommand = SlashCommand::built_in(
    "kairos",
    "[status|pause|resume|log [YYYY-MM-DD]]",
    "KAIROS, the proactive mode: its state, pause, resume, the day's log",
    BuiltIn::Kairos,
    &[],
);

/// Replace the MCP prompt commands in `commands` with those `servers` offer now (others keep their place).
pub fn set_mcp_prompts(commands: &mut Vec<SlashCommand>, servers: &[McpServerView]) {
    commands.retain(|command| !matches!(command.source, CommandSource::McpPrompt { .. }));
    for server in servers {
        for prompt in &server.prompts {
            commands.push(SlashCommand::mcp_prompt(&server.name, prompt));
        }
    }
}

/// Replace the custom commands and skills in `commands` with `views`. A name a built-in already has is
/// left out (the built-in wins), so every listed line parses to what it says.
pub fn set_extensions(commands: &mut Vec<SlashCommand>, views: &[ExtensionCommandView]) {
    commands.retain(|command| {
        !matches!(command.source, CommandSource::Custom { .. } | CommandSource::Skill { .. })
    });
    let built_in_end = commands
        .iter()
        .rposition(|command| matches!(command.source, CommandSource::BuiltIn { .. }))
        .map_or(0, |index| index + 1);
    let added: Vec<SlashCommand> = views
        .iter()
        .filter(|view| !commands.iter().any(|command| command.answers_to(&view.name)))
        .map(SlashCommand::extension)
        .collect();
    commands.splice(built_in_end..built_in_end, added);
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
    Rewind,
    Init,
    Memory,
    EditInstructions,
    Dream,
    Mcp,
    Hooks,
    Skills,
    /// `/agents`: the panel of sub-agent kinds.
    Agents,
    /// `/agents new DESCRIPTION`: ask the model to draft a kind.
    NewAgent(String),
    OutputStyle(Option<String>),
    /// `/vim`: Vim-style editing on or off.
    Vim,
    /// `/statusline [command|off]`.
    StatusLine(Option<String>),
    /// `/theme [NAME]`: set the palette, or pick one with a preview.
    Theme(Option<String>),
    /// An MCP server's prompt with its arguments by name, in the prompt's order.
    McpPrompt {
        server: String,
        prompt: String,
        arguments: Vec<(String, String)>,
    },
    /// A custom command or a skill, with the text typed after its name.
    Extension {
        name: String,
        arguments: String,
    },
    /// `/context`: the context window's grid, asked of the agent.
    Context,
    /// `/doctor`: the installation's health, asked of the agent.
    Doctor,
    /// `/export [file]`: the conversation as Markdown.
    Export(Option<String>),
    /// `/add-dir <path>`: another working directory.
    AddDir(Option<String>),
    /// `/worktrees [clean]`: list or clean the Claurst worktrees.
    Worktrees(Option<String>),
    ReleaseNotes,
    /// `/bug [conversation]`: a report file; the word `conversation` includes the conversation.
    Bug(Option<String>),
    /// `/buddy [pet|hide|show]`, listed only when there is a companion.
    #[cfg(feature = "buddy")]
    Buddy(Option<String>),
    /// `/kairos [status|pause|resume|log [YYYY-MM-DD]]`, listed only in a session that runs KAIROS.
    #[cfg(feature = "proactive")]
    Kairos(Option<String>),
    Exit,
}

/// Commands whose name starts with `prefix` (without the slash).
pub fn matching<'a>(commands: &'a [SlashCommand], prefix: &str) -> Vec<&'a SlashCommand> {
    let prefix = prefix.to_ascii_lowercase();
    commands.iter().filter(|command| command.name.to_ascii_lowercase().starts_with(&prefix)).collect()
}

/// Parse `/name args` against `commands`: only a listed command parses; the error says what to type instead.
pub fn parse(line: &str, commands: &[SlashCommand]) -> Result<Command, String> {
    let line = line.trim();
    let body = line.strip_prefix('/').unwrap_or(line);
    let (name, argument) = match body.split_once(char::is_whitespace) {
        Some((name, rest)) => (name, Some(rest.trim()).filter(|rest| !rest.is_empty())),
        None => (body, None),
    };
    let Some(command) = commands.iter().find(|command| command.answers_to(name)) else {
        return Err(format!("Unknown command /{name}. Type / to see the commands."));
    };
    match &command.source {
        CommandSource::BuiltIn { action, .. } => Ok(action.command(argument)),
        CommandSource::McpPrompt { server, prompt } => prompt_command(server, prompt, argument.unwrap_or("")),
        CommandSource::Custom { .. } | CommandSource::Skill { .. } => Ok(Command::Extension {
            name: command.name.to_string(),
            arguments: argument.unwrap_or_default().to_string(),
        }),
    }
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
        return Err(format!("/{name} needs {}: type /{name} {}", missing.join(", "), argument_hint(prompt)));
    }
    let arguments = prompt.arguments.iter().map(|(argument, _)| argument.clone()).zip(words).collect();
    Ok(Command::McpPrompt { server: server.to_string(), prompt: prompt.name.clone(), arguments })
}

/// A prompt's arguments as the menu and errors show them: `<required> [optional]`.
fn argument_hint(prompt: &McpPromptView) -> String {
    let arguments: Vec<String> = prompt
        .arguments
        .iter()
        .map(|(name, required)| if *required { format!("<{name}>") } else { format!("[{name}]") })
        .collect();
    arguments.join(" ")
}

#[cfg(test)]
mod tests;
