//! Command-line flags.

use clap::{Parser, ValueEnum};
use claurst_protocol::{PermissionMode, SandboxMode};
use std::path::PathBuf;

/// What `--help` opens with: what Claurst is in one sentence, then the invocations most people need.
const ABOUT: &str =
    "Claurst is a coding agent in your terminal: it reads, changes and runs your code, asking before it acts.

Common invocations:
  claurst                                      start an interactive session
  claurst \"fix the failing test\"               start one with a first prompt
  claurst -p \"explain src/\" --output-format json
                                               answer once, print JSON, exit
  claurst -c                                   continue the latest session of this project
  claurst -r                                   pick a saved session to resume";

/// Claurst's command line: every flag, parsed by clap.
#[derive(Debug, Parser)]
#[command(name = "claurst", about = ABOUT, long_about = None, disable_version_flag = true)]
pub struct Args {
    /// Print the version (the Claude Code release whose headless protocol Claurst speaks, then Claurst's own)
    /// and exit.
    #[arg(short = 'v', short_alias = 'V', long)]
    pub version: bool,

    /// The prompt. With -p it is answered and Claurst exits; without, the interactive session starts with it.
    pub prompt: Option<String>,

    /// Answer the prompt without the interactive interface, print the result and exit.
    #[arg(short = 'p', long = "print")]
    pub print: bool,

    /// Never start the interactive interface, even in a terminal (for CI).
    #[arg(long)]
    pub no_interactive: bool,

    /// Run KAIROS, the proactive mode (as `[kairos] enabled = true`). With --no-interactive and no prompt,
    /// Claurst runs as a daemon printing JSON lines until SIGTERM.
    #[cfg(feature = "proactive")]
    #[arg(long)]
    pub kairos: bool,

    /// The model to use, as MODEL or PROVIDER/MODEL (overrides CLAURST_MODEL and [api] model).
    #[arg(long, value_name = "MODEL")]
    pub model: Option<String>,

    /// The provider a bare --model refers to: anthropic, openai, openrouter, ollama, lmstudio, vllm, llamacpp
    /// or a [providers.NAME] (overrides CLAURST_PROVIDER and [api] provider).
    #[arg(long, value_name = "NAME")]
    pub provider: Option<String>,

    /// Let the model think before answering, with at most N tokens (0 turns it off; overrides
    /// [api] thinking_budget).
    #[arg(long, value_name = "N")]
    pub max_thinking_tokens: Option<u32>,

    /// How hard the model should try, for providers that take it: low, medium or high (overrides [api] effort).
    #[arg(long, value_name = "LEVEL")]
    pub effort: Option<claurst_config::Effort>,

    /// Show each tool call and its result on stderr in headless mode, and debug logs in the log file.
    #[arg(long)]
    pub verbose: bool,

    /// Work in this directory instead of the current one.
    #[arg(long, value_name = "DIR")]
    pub cwd: Option<PathBuf>,

    /// Replace Claurst's built-in instructions with this system prompt (`''` sends an empty one).
    #[arg(
        long = "system",
        visible_alias = "system-prompt",
        value_name = "PROMPT",
        conflicts_with = "system_prompt_file"
    )]
    pub system: Option<String>,

    /// Replace Claurst's built-in instructions with the text of this file.
    #[arg(long, value_name = "FILE")]
    pub system_prompt_file: Option<PathBuf>,

    /// Add this text to the end of the system prompt.
    #[arg(long, value_name = "PROMPT")]
    pub append_system_prompt: Option<String>,

    /// Add the text of this file to the end of the system prompt (after --append-system-prompt).
    #[arg(long, value_name = "FILE")]
    pub append_system_prompt_file: Option<PathBuf>,

    /// Permission rules that let calls run without approval, Claude Code's way: `Bash(git diff:*)`, `Read`,
    /// `Edit(src/**)`, `mcp__server`; separated by commas or spaces; repeat for more.
    #[arg(long = "allowedTools", visible_alias = "allowed-tools", value_name = "RULES")]
    pub allowed_tools: Vec<String>,

    /// Permission rules whose calls are refused; a bare tool name also hides the tool from the model.
    #[arg(long = "disallowedTools", visible_alias = "disallowed-tools", value_name = "RULES")]
    pub disallowed_tools: Vec<String>,

    /// The only built-in tools the model gets, by Claurst's or Claude Code's names (`Bash,Read`); `""` for
    /// none, `default` for all. MCP servers' tools are not affected.
    #[arg(long, value_name = "TOOLS")]
    pub tools: Option<String>,

    /// Another directory the tools may read and write in, as in the project; repeat for more.
    #[arg(long = "add-dir", value_name = "DIR")]
    pub add_dir: Vec<PathBuf>,

    /// A Claude Code settings file, or its JSON: `permissions` (allow, deny, ask, defaultMode), `model` and
    /// `env` are honoured.
    #[arg(long, value_name = "FILE|JSON")]
    pub settings: Option<String>,

    /// Which configuration files are read: a comma-separated list of user, project and local; `""` for none.
    #[arg(long, value_name = "SOURCES", value_parser = claurst_config::SettingSources::parse)]
    pub setting_sources: Option<claurst_config::SettingSources>,

    /// Start the new session under this id (a UUID).
    #[arg(long, value_name = "UUID", value_parser = parse_uuid)]
    pub session_id: Option<String>,

    /// With --resume or --continue: go on under a new session id, leaving the saved session as it was.
    #[arg(long)]
    pub fork_session: bool,

    /// How headless mode prints its result.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text, value_name = "FORMAT")]
    pub output_format: OutputFormat,

    /// How headless mode reads its input: `text` (the prompt, plus piped stdin) or `stream-json` (user
    /// messages and control requests as JSON lines on stdin, for many turns, as the Agent SDKs send them).
    #[arg(long, value_enum, default_value_t = InputFormat::Text, value_name = "FORMAT")]
    pub input_format: InputFormat,

    /// With stream-json output, also print the model's raw streaming events as `stream_event` lines.
    #[arg(long)]
    pub include_partial_messages: bool,

    /// Accepted for the Agent SDKs, which pass it: with --input-format stream-json, Claurst always reads the
    /// program's first message (its `initialize`) before the session starts.
    #[arg(long, hide = true)]
    pub await_initialize: bool,

    /// Who approves tool calls that need approval in headless mode: `stdio` asks the program driving Claurst
    /// (a `can_use_tool` control request, as the Agent SDKs answer it).
    #[arg(long, value_name = "TOOL")]
    pub permission_prompt_tool: Option<String>,

    /// Seconds before a bash command is killed (overrides CLAURST_BASH_TIMEOUT and [tools] bash_timeout_secs).
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    pub bash_timeout: Option<u64>,

    /// Stop after this many model requests (headless runs exit non-zero when the limit stops them).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_turns: Option<u32>,

    // Spending and overload (spec/headless.md, "Budget and fallback").
    /// Stop before the next model request once the session's cost passes this many US dollars (exit 3,
    /// result `error_max_budget_usd`).
    #[arg(long, value_name = "AMOUNT", value_parser = parse_budget)]
    pub max_budget_usd: Option<f64>,

    /// When the model is still overloaded after the retries, switch to this model (`MODEL` or
    /// `PROVIDER/MODEL`) and send the request again, once per run.
    #[arg(long, value_name = "MODEL")]
    pub fallback_model: Option<String>,

    /// Continue the most recent session of this project.
    #[arg(short = 'c', long = "continue", conflicts_with = "resume")]
    pub continue_session: bool,

    /// Resume a saved session by id (or id prefix); without an id, pick one in the interface.
    #[arg(short = 'r', long, value_name = "ID", num_args = 0..=1, default_missing_value = "")]
    pub resume: Option<String>,

    /// Run the session in a git worktree of its own: `<repo>/.claurst/worktrees/NAME` on branch
    /// `claurst/NAME`, made from HEAD (or taken up again when it exists). Without NAME, one is made up.
    #[arg(short = 'w', long, value_name = "NAME", num_args = 0..=1, default_missing_value = "")]
    pub worktree: Option<String>,

    /// Plan TASK in a read-only planning session ([ultraplan] model and limits), print the plan and exit.
    #[arg(long, value_name = "TASK")]
    pub ultraplan: Option<String>,

    /// Consolidate the memory directory now (a "dream"), whatever the schedule, then exit.
    #[arg(long)]
    pub dream_now: bool,

    /// How tool calls are approved: default, acceptEdits, plan, bypassPermissions or dontAsk.
    #[arg(long, value_name = "MODE")]
    pub permission_mode: Option<PermissionMode>,

    /// How the kernel sandbox confines shell commands: auto, read-only, workspace-write or off
    /// (overrides [sandbox] mode).
    #[arg(long, value_name = "MODE")]
    pub sandbox: Option<SandboxMode>,

    /// Also use the MCP servers in this file, or in this JSON when it starts with `{`
    /// (`{"mcpServers": {...}}`, Claude Code's format); repeat for more.
    #[arg(long = "mcp-config", value_name = "FILE|JSON")]
    pub mcp_config: Vec<String>,

    /// Use only the MCP servers from --mcp-config, none from the configuration files or .mcp.json.
    #[arg(long)]
    pub strict_mcp_config: bool,

    /// Add kinds of sub-agent for this session, as JSON in Claude Code's shape:
    /// `{"NAME": {"description": "...", "prompt": "...", "tools": ["Read"], "model": "sonnet"}}`.
    /// They take precedence over agent files and built-in agents of the same name.
    #[arg(long, value_name = "JSON", value_parser = parse_agents)]
    pub agents: Option<CommandLineAgents>,
}

/// `--max-budget-usd`: a positive number of dollars.
fn parse_budget(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(amount) if amount.is_finite() && amount > 0.0 => Ok(amount),
        _ => Err(format!("`{text}` is not a positive amount of US dollars (for example 0.50)")),
    }
}

/// The definitions `--agents` gave. A type of its own so that clap takes the list as one value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommandLineAgents(pub Vec<claurst_extensions::agents::AgentDefinition>);

fn parse_agents(json: &str) -> Result<CommandLineAgents, String> {
    claurst_extensions::agents::parse_command_line(json).map(CommandLineAgents)
}

/// A session id as Claude Code takes it: a UUID, written in its usual hyphenated form.
fn parse_uuid(text: &str) -> Result<String, String> {
    match uuid::Uuid::try_parse(text) {
        Ok(id) if text.len() == uuid::fmt::Hyphenated::LENGTH => Ok(id.hyphenated().to_string()),
        _ => Err(format!("`{text}` is not a UUID (such as 123e4567-e89b-12d3-a456-426614174000)")),
    }
}

/// Headless input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// The prompt argument, with piped stdin added as context.
    Text,
    /// JSON lines on stdin: user messages and control requests, answered as they come.
    StreamJson,
}

/// Headless output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// The final answer as plain text.
    Text,
    /// One JSON result object at the end.
    Json,
    /// One JSON object per line as the session happens, then the result object.
    StreamJson,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn print_flag_takes_the_prompt_that_follows() {
        let args = Args::try_parse_from(["claurst", "-p", "fix the test"]).unwrap();
        assert!(args.print);
        assert_eq!(args.prompt.as_deref(), Some("fix the test"));
        let args = Args::try_parse_from(["claurst", "--output-format", "stream-json", "-p", "x"]).unwrap();
        assert_eq!(args.output_format, OutputFormat::StreamJson);
    }

    #[test]
    fn budgets_and_session_ids_are_checked_by_the_parser() {
        let args = Args::try_parse_from(["claurst", "--max-budget-usd", "0.50"]).unwrap();
        assert_eq!(args.max_budget_usd, Some(0.5));
        for bad in ["0", "lots", "NaN", "inf"] {
            let error = Args::try_parse_from(["claurst", "--max-budget-usd", bad]).unwrap_err().to_string();
            assert!(error.contains("positive amount"), "{bad}: {error}");
        }
        let id = "123E4567-E89B-12D3-A456-426614174000";
        let args = Args::try_parse_from(["claurst", "--session-id", id]).unwrap();
        assert_eq!(args.session_id.as_deref(), Some("123e4567-e89b-12d3-a456-426614174000"));
        for bad in
            ["123e4567e89b12d3a456426614174000", "not-a-uuid", "{123e4567-e89b-12d3-a456-426614174000}"]
        {
            assert!(Args::try_parse_from(["claurst", "--session-id", bad]).is_err(), "{bad}");
        }
    }

    #[test]
    fn continue_and_resume() {
        assert!(Args::try_parse_from(["claurst", "-c"]).unwrap().continue_session);
        assert_eq!(Args::try_parse_from(["claurst", "-r"]).unwrap().resume.as_deref(), Some(""));
        assert_eq!(Args::try_parse_from(["claurst", "-r", "abc"]).unwrap().resume.as_deref(), Some("abc"));
        assert_eq!(
            Args::try_parse_from(["claurst", "--resume=abc", "-p", "x"]).unwrap().resume.as_deref(),
            Some("abc")
        );
        assert!(Args::try_parse_from(["claurst", "-c", "-r", "abc"]).is_err());
    }

    #[test]
    fn bad_values_are_rejected_by_the_parser() {
        assert!(Args::try_parse_from(["claurst", "--output-format", "yaml"]).is_err());
        assert!(Args::try_parse_from(["claurst", "--bash-timeout", "0"]).is_err());
        assert!(Args::try_parse_from(["claurst", "--permission-mode", "sometimes"]).is_err());
        let args = Args::try_parse_from(["claurst", "--permission-mode", "acceptEdits"]).unwrap();
        assert_eq!(args.permission_mode, Some(PermissionMode::AcceptEdits));
        assert!(Args::try_parse_from(["claurst", "--sandbox", "sometimes"]).is_err());
        let args = Args::try_parse_from(["claurst", "--sandbox", "off"]).unwrap();
        assert_eq!(args.sandbox, Some(SandboxMode::Off));
        assert!(Args::try_parse_from(["claurst", "--effort", "extreme"]).is_err());
        let args =
            Args::try_parse_from(["claurst", "--effort", "low", "--max-thinking-tokens", "2048"]).unwrap();
        assert_eq!(args.effort, Some(claurst_config::Effort::Low));
        assert_eq!(args.max_thinking_tokens, Some(2048));
    }

    #[test]
    fn agents_json_is_parsed_by_clap() {
        let json = r#"{"reviewer": {"description": "Reviews", "prompt": "Review.", "tools": ["Read"]}}"#;
        let args = Args::try_parse_from(["claurst", "--agents", json, "-p", "x"]).unwrap();
        let agents = args.agents.unwrap().0;
        assert_eq!(agents[0].name, "reviewer");
        assert_eq!(agents[0].tools.as_deref().unwrap(), ["read_file"]);
        let error = Args::try_parse_from(["claurst", "--agents", r#"{"x": {}}"#]).unwrap_err().to_string();
        assert!(error.contains("agent `x`: `description` is missing"), "{error}");
    }

    #[test]
    fn mcp_config_repeats_and_leaves_the_prompt_alone() {
        let args = Args::try_parse_from([
            "claurst",
            "--mcp-config",
            "servers.json",
            "--mcp-config",
            r#"{"mcpServers": {}}"#,
            "--strict-mcp-config",
            "hello",
        ])
        .unwrap();
        assert_eq!(args.mcp_config, ["servers.json", r#"{"mcpServers": {}}"#]);
        assert!(args.strict_mcp_config);
        assert_eq!(args.prompt.as_deref(), Some("hello"));
        let args = Args::try_parse_from(["claurst", "-p", "x"]).unwrap();
        assert!(args.mcp_config.is_empty() && !args.strict_mcp_config);
    }
}
