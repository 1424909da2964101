//! The command list and its parser agree.

#![allow(clippy::unwrap_used)]

use super::*;
use claurst_protocol::McpServerStatus;

#[test]
fn parses_commands_and_arguments() {
    assert_eq!(parse("/model claude-opus-4-6", BUILT_IN), Ok(Command::Model(Some("claude-opus-4-6".into()))));
    assert_eq!(parse("/model", BUILT_IN), Ok(Command::Model(None)));
    assert_eq!(parse("/EXIT", BUILT_IN), Ok(Command::Exit));
    assert!(parse("/teleport", BUILT_IN).unwrap_err().contains("Unknown command /teleport"));
}

#[test]
fn every_built_in_action_is_listed_and_parses_to_itself() {
    let all = [
        BuiltIn::Help,
        BuiltIn::Clear,
        BuiltIn::Model,
        BuiltIn::Cost,
        BuiltIn::Compact,
        BuiltIn::Resume,
        BuiltIn::Rewind,
        BuiltIn::Init,
        BuiltIn::Status,
        BuiltIn::Permissions,
        BuiltIn::Config,
        BuiltIn::Memory,
        BuiltIn::Dream,
        BuiltIn::Mcp,
        BuiltIn::Hooks,
        BuiltIn::Skills,
        BuiltIn::Agents,
        BuiltIn::OutputStyle,
        BuiltIn::Theme,
        BuiltIn::Copy,
        BuiltIn::Vim,
        BuiltIn::StatusLine,
        BuiltIn::Context,
        BuiltIn::Doctor,
        BuiltIn::Export,
        BuiltIn::AddDir,
        BuiltIn::Worktrees,
        BuiltIn::ReleaseNotes,
        BuiltIn::Bug,
        BuiltIn::Exit,
    ];
    for action in all {
        // A new `BuiltIn` fails to compile here until it is named in `all` (and then fails the assertion
        // until it is listed): the parser cannot learn a command the menu does not show.
        match action {
            BuiltIn::Help
            | BuiltIn::Clear
            | BuiltIn::Model
            | BuiltIn::Cost
            | BuiltIn::Compact
            | BuiltIn::Resume
            | BuiltIn::Rewind
            | BuiltIn::Init
            | BuiltIn::Status
            | BuiltIn::Permissions
            | BuiltIn::Config
            | BuiltIn::Memory
            | BuiltIn::Dream
            | BuiltIn::Mcp
            | BuiltIn::Hooks
            | BuiltIn::Skills
            | BuiltIn::Agents
            | BuiltIn::OutputStyle
            | BuiltIn::Theme
            | BuiltIn::Copy
            | BuiltIn::Vim
            | BuiltIn::StatusLine
            | BuiltIn::Context
            | BuiltIn::Doctor
            | BuiltIn::Export
            | BuiltIn::AddDir
            | BuiltIn::Worktrees
            | BuiltIn::ReleaseNotes
            | BuiltIn::Bug
            | BuiltIn::Exit => {}
            #[cfg(feature = "buddy")]
            BuiltIn::Buddy => {}
            // Listed apart (`KAIROS`), once the session runs KAIROS; tests/tui/kairos.rs parses it.
            #[cfg(feature = "proactive")]
            BuiltIn::Kairos => {}
        }
        let listed = BUILT_IN.iter().find(
            |command| matches!(command.source, CommandSource::BuiltIn { action: listed, .. } if listed == action),
        );
        let listed = listed.unwrap_or_else(|| panic!("{action:?} is not in BUILT_IN"));
        assert_eq!(parse(&format!("/{}", listed.name), BUILT_IN), Ok(action.command(None)));
    }
}

#[test]
fn only_listed_names_and_aliases_parse() {
    for command in BUILT_IN {
        let CommandSource::BuiltIn { action, aliases } = &command.source else { unreachable!() };
        for alias in *aliases {
            assert_eq!(parse(&format!("/{alias}"), BUILT_IN), Ok(action.command(None)), "/{alias}");
        }
    }
    assert_eq!(parse("/memory edit", BUILT_IN), Ok(Command::EditInstructions));
    assert_eq!(parse("/dream", BUILT_IN), Ok(Command::Dream));
    // The buddy's command parses only when the companion lists it.
    assert!(parse("/buddy", BUILT_IN).is_err());
    let names = names(BUILT_IN);
    for name in ["memory", "dream", "skills", "output-style"] {
        assert!(names.contains(&name.to_string()), "/{name} missing from the list");
    }
}

fn names(commands: &[SlashCommand]) -> Vec<String> {
    commands.iter().map(|command| command.name.to_string()).collect()
}

fn extension(name: &str, kind: ExtensionKind, scope: &str) -> ExtensionCommandView {
    ExtensionCommandView {
        name: name.into(),
        arguments: "[x]".into(),
        description: format!("{name} described"),
        kind,
        scope: scope.into(),
    }
}

#[test]
fn custom_commands_and_skills_are_listed_after_the_built_ins_and_parse() {
    let mut commands = with_prompt(&[]);
    let views = [
        extension("frontend:test", ExtensionKind::Command, "project"),
        extension("pdf", ExtensionKind::Skill, "user (.claude)"),
        extension("help", ExtensionKind::Command, "project"),
    ];
    set_extensions(&mut commands, &views);
    let listed = names(&commands);
    let at = listed.iter().position(|name| name == "frontend:test").unwrap();
    assert_eq!(listed[at - 1], "exit");
    assert_eq!(listed[at + 1], "pdf");
    assert!(listed.last().unwrap().starts_with("mcp__"), "MCP prompts stay last");
    assert_eq!(listed.iter().filter(|name| *name == "help").count(), 1, "a built-in keeps its name");
    assert_eq!(
        parse("/frontend:test a b", &commands),
        Ok(Command::Extension { name: "frontend:test".into(), arguments: "a b".into() })
    );
    assert_eq!(commands[at + 1].detail(), "[x] pdf described · skill, user (.claude)");
    for command in &commands {
        assert!(parse(&format!("/{}", command.name), &commands).is_ok(), "/{}", command.name);
    }
    set_extensions(&mut commands, &[]);
    assert_eq!(commands, with_prompt(&[]));
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
    assert_eq!(names, ["clear", "cost", "compact", "config", "copy", "context"]);
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

#[test]
fn agents_opens_the_panel_and_new_takes_the_description() {
    assert_eq!(parse("/agents", BUILT_IN), Ok(Command::Agents));
    assert_eq!(
        parse("/agents new  reviews SQL migrations", BUILT_IN),
        Ok(Command::NewAgent("reviews SQL migrations".into()))
    );
    assert_eq!(parse("/agents new", BUILT_IN), Ok(Command::NewAgent(String::new())));
    assert_eq!(parse("/agents newest", BUILT_IN), Ok(Command::Agents));
}
