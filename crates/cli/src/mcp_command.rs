//! `claurst mcp`: add, list, inspect and remove MCP server definitions, answer the trust question from the
//! command line, and serve Claurst's own tools over MCP. Shaped like `claude mcp …`.
//!
//! Scopes: `user` is `~/.claurst/config.toml` (the default: Claurst has no per-user-per-project "local"
//! file), `project` is the project's `.mcp.json` (shared with the repository, and with Claude Code). Nothing
//! here connects to a server.

mod edit;
mod show;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use claurst_config::{ClaurstPaths, Environment};
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

/// Configure the MCP servers Claurst connects to.
#[derive(Debug, Parser)]
#[command(name = "claurst mcp")]
struct McpArgs {
    #[command(subcommand)]
    command: McpCommand,
}

#[derive(Debug, Subcommand)]
enum McpCommand {
    #[command(flatten)]
    Manage(ManageCommand),
    /// Serve Claurst's own tools over MCP on stdin and stdout.
    #[command(disable_help_flag = true)]
    Serve {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<OsString>,
    },
}

/// The subcommands that read and write definitions and decisions.
#[derive(Debug, Subcommand)]
enum ManageCommand {
    /// Add a server: `claurst mcp add NAME -- COMMAND [ARGS...]` or `claurst mcp add NAME URL`.
    Add(AddArgs),
    /// Add a server from its JSON definition, as in .mcp.json: `claurst mcp add-json NAME '{"command": ...}'`.
    AddJson(AddJsonArgs),
    /// List the servers defined for this project, and where.
    List,
    /// Show everything about one server (literal env and header values are masked).
    Get { name: String },
    /// Remove a server from the file that defines it.
    Remove {
        name: String,
        /// Where to remove it from, when several places define it.
        #[arg(short, long, value_enum)]
        scope: Option<Scope>,
    },
    /// Let a server this project defines (.claurst.toml, .mcp.json) start, as its definition stands now.
    Approve { name: String },
    /// Never start a server this project defines, until its definition changes.
    Deny { name: String },
    /// Forget every approval and denial of this project's servers, so Claurst asks again.
    ResetProjectChoices,
}

/// Where a definition is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Scope {
    /// `~/.claurst/config.toml`: yours, in every project.
    User,
    /// The project's `.mcp.json` (shared through the repository; removal also looks in `.claurst.toml`).
    Project,
}

/// How Claurst reaches the server being added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Transport {
    /// Start COMMAND and speak on its stdin and stdout.
    Stdio,
    /// Streamable HTTP at URL.
    Http,
    /// The older HTTP+SSE transport at URL.
    Sse,
}

#[derive(Debug, clap::Args)]
struct AddArgs {
    /// Where to write the definition.
    #[arg(short, long, value_enum, default_value_t = Scope::User)]
    scope: Scope,
    /// stdio for a command; http or sse for a URL (default: http for an http(s):// URL, else stdio).
    #[arg(short, long, value_enum)]
    transport: Option<Transport>,
    /// An environment variable for a stdio server (repeatable).
    #[arg(short, long = "env", value_name = "KEY=VALUE")]
    env: Vec<String>,
    /// A header for an http or sse server (repeatable).
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    headers: Vec<String>,
    /// The server's name: its tools appear as mcp__NAME__TOOL.
    name: String,
    /// The program to start, or the server's URL.
    #[arg(value_name = "COMMAND_OR_URL")]
    target: String,
    /// The program's arguments (put `--` before the command when they start with `-`).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
}

#[derive(Debug, clap::Args)]
struct AddJsonArgs {
    /// Where to write the definition.
    #[arg(short, long, value_enum, default_value_t = Scope::User)]
    scope: Scope,
    name: String,
    /// `{"command": "...", "args": [...], "env": {...}}` or `{"type": "http", "url": "...", "headers": {...}}`.
    json: String,
}

/// Where this invocation reads and writes.
struct Place {
    env: Environment,
    paths: ClaurstPaths,
    cwd: PathBuf,
    project_root: PathBuf,
}

impl Place {
    fn current() -> Result<Self> {
        let env = Environment::from_process();
        let paths = ClaurstPaths::from_env(&env)?;
        let cwd = std::env::current_dir().context("cannot read the current directory")?;
        let project_root = claurst_config::find_project_root(&cwd);
        Ok(Self { env, paths, cwd, project_root })
    }
}

/// `claurst mcp …` (the arguments after `mcp`).
pub fn run() -> ExitCode {
    // `claurst mcp` is the program name in usage and errors.
    let args = McpArgs::parse_from(
        std::iter::once(OsString::from("claurst mcp")).chain(std::env::args_os().skip(2)),
    );
    let command = match args.command {
        McpCommand::Serve { args } => return crate::mcp_serve::run(args),
        McpCommand::Manage(command) => command,
    };
    match Place::current().and_then(|place| run_with(command, &place)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("Error: {error:#}");
            ExitCode::from(crate::headless::EXIT_ERROR)
        }
    }
}

fn run_with(command: ManageCommand, place: &Place) -> Result<()> {
    match command {
        ManageCommand::Add(args) => edit::add(args, place),
        ManageCommand::AddJson(args) => edit::add_json(args, place),
        ManageCommand::List => show::list(place),
        ManageCommand::Get { name } => show::get(&name, place),
        ManageCommand::Remove { name, scope } => edit::remove(&name, scope, place),
        ManageCommand::Approve { name } => show::decide(&name, claurst_config::TrustChoice::Approve, place),
        ManageCommand::Deny { name } => show::decide(&name, claurst_config::TrustChoice::Deny, place),
        ManageCommand::ResetProjectChoices => show::reset_project_choices(place),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> McpCommand {
        McpArgs::try_parse_from(std::iter::once("claurst mcp").chain(args.iter().copied())).unwrap().command
    }

    #[test]
    fn add_takes_the_command_and_its_arguments() {
        for args in [
            &["add", "-e", "K=V", "db", "npx", "-y", "db-server", "--port", "1"][..],
            &["add", "-e", "K=V", "db", "--", "npx", "-y", "db-server", "--port", "1"][..],
        ] {
            let McpCommand::Manage(ManageCommand::Add(add)) = parse(args) else { panic!("{args:?}") };
            assert_eq!((add.name.as_str(), add.target.as_str()), ("db", "npx"));
            assert_eq!(add.args, ["-y", "db-server", "--port", "1"]);
            assert_eq!(add.env, ["K=V"]);
            assert_eq!(add.scope, Scope::User);
        }
        let McpCommand::Manage(ManageCommand::Add(add)) =
            parse(&["add", "--scope", "project", "-t", "sse", "-H", "A: b", "web", "http://x"])
        else {
            panic!()
        };
        assert_eq!(
            (add.scope, add.transport, add.headers),
            (Scope::Project, Some(Transport::Sse), vec!["A: b".to_string()])
        );
    }

    #[test]
    fn serve_passes_every_argument_on() {
        let McpCommand::Serve { args } = parse(&["serve", "--help", "-x"]) else { panic!() };
        assert_eq!(args, ["--help", "-x"]);
    }

    #[test]
    fn bad_scopes_are_rejected() {
        assert!(McpArgs::try_parse_from(["claurst mcp", "remove", "x", "--scope", "local"]).is_err());
        assert!(McpArgs::try_parse_from(["claurst mcp", "add", "x"]).is_err());
    }
}
