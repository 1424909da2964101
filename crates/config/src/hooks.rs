//! Hook definitions: `[hooks]` in the config files and the `hooks` section of Claude Code's settings files.
//!
//! Both are one shape (event → list of `{matcher, hooks: [{type = "command", command, timeout}]}`); TOML is
//! turned into JSON and read by the same code, so the two formats cannot drift apart.

use crate::error::ConfigError;
use claurst_protocol::HookEvent;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a hook may run when its `timeout` is not set.
pub const DEFAULT_HOOK_TIMEOUT: Duration = Duration::from_secs(60);

/// Where a hook was defined; decides whether the project must be trusted before it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HookScope {
    /// `~/.claurst/config.toml`
    User,
    /// `~/.claude/settings.json`
    ClaudeUser,
    /// The project's `.claurst.toml`
    Project,
    /// The project's `.claude/settings.json`
    ClaudeProject,
    /// The project's `.claude/settings.local.json`
    ClaudeLocal,
}

impl HookScope {
    /// Whether hooks from here run only once the user trusts the project's hooks: a cloned repository
    /// wrote them, not the user.
    pub fn needs_trust(self) -> bool {
        matches!(self, HookScope::Project | HookScope::ClaudeProject | HookScope::ClaudeLocal)
    }

    /// As users read it in `/hooks` and `claurst hooks list`.
    pub fn label(self) -> &'static str {
        match self {
            HookScope::User => "user (~/.claurst/config.toml)",
            HookScope::ClaudeUser => "user (~/.claude/settings.json)",
            HookScope::Project => "project (.claurst.toml)",
            HookScope::ClaudeProject => "project (.claude/settings.json)",
            HookScope::ClaudeLocal => "project (.claude/settings.local.json)",
        }
    }
}

/// One command to run at an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookDefinition {
    pub event: HookEvent,
    /// Which tool calls (PreToolUse, PostToolUse) or sources (SessionStart, PreCompact) it is for, as written:
    /// a tool name, `A|B`, a regular expression; empty or `*` is every one.
    pub matcher: String,
    /// Run with `sh -c` in the project directory.
    pub command: String,
    pub timeout: Duration,
    pub scope: HookScope,
    /// The file it was read from.
    pub file: PathBuf,
}

/// The keys a matcher group and a hook may have.
const GROUP_KEYS: &[&str] = &["matcher", "hooks"];
const HOOK_KEYS: &[&str] = &["type", "command", "timeout"];

/// Read a `hooks` table (already JSON) from `file`; `prefix` is how keys are named in messages (`hooks` for
/// TOML, `"hooks"` for JSON). Unknown keys and events are pushed on `warnings`.
pub(crate) fn read_hooks(
    value: &Value,
    scope: HookScope,
    file: &Path,
    warnings: &mut Vec<String>,
) -> Result<Vec<HookDefinition>, ConfigError> {
    let problem = |key: String, message: &str| ConfigError::Hooks {
        at: format!("{}: key `{key}`", file.display()),
        message: message.to_string(),
    };
    let Value::Object(events) = value else {
        return Err(problem(
            "hooks".into(),
            "must be a table of events, e.g. [[hooks.PreToolUse]] with matcher = \"bash\"",
        ));
    };
    let mut hooks = Vec::new();
    for (name, groups) in events {
        let Some(event) = HookEvent::from_name(name) else {
            warnings.push(format!(
                "{}: unknown hook event `{name}` (ignored); known events: {}",
                file.display(),
                HookEvent::ALL.map(HookEvent::name).join(", ")
            ));
            continue;
        };
        let Value::Array(groups) = groups else {
            return Err(problem(format!("hooks.{name}"), "must be a list of {matcher, hooks} entries"));
        };
        for (index, group) in groups.iter().enumerate() {
            let at = format!("hooks.{name}[{index}]");
            let Value::Object(group) = group else {
                return Err(problem(at, "must be a table with `matcher` and `hooks`"));
            };
            warn_unknown(group, GROUP_KEYS, &at, file, warnings);
            let matcher = match group.get("matcher") {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(matcher)) => matcher.clone(),
                Some(_) => {
                    return Err(problem(
                        format!("{at}.matcher"),
                        "must be a string such as \"bash|edit_file\"",
                    ));
                }
            };
            let Some(Value::Array(commands)) = group.get("hooks") else {
                return Err(problem(
                    format!("{at}.hooks"),
                    "must be a list of hooks, e.g. hooks = [{ type = \"command\", command = \"./check.sh\" }]",
                ));
            };
            for (number, hook) in commands.iter().enumerate() {
                let at = format!("{at}.hooks[{number}]");
                let definition =
                    read_hook(hook, &at, file, warnings).map_err(|(key, message)| problem(key, &message))?;
                let (command, timeout) = definition;
                hooks.push(HookDefinition {
                    event,
                    matcher: matcher.clone(),
                    command,
                    timeout,
                    scope,
                    file: file.to_path_buf(),
                });
            }
        }
    }
    Ok(hooks)
}

/// One `{type, command, timeout}`: the command and its timeout, or the key at fault and what to write.
fn read_hook(
    hook: &Value,
    at: &str,
    file: &Path,
    warnings: &mut Vec<String>,
) -> Result<(String, Duration), (String, String)> {
    let Value::Object(hook) = hook else {
        return Err((at.to_string(), "must be a table with `command`".into()));
    };
    warn_unknown(hook, HOOK_KEYS, at, file, warnings);
    match hook.get("type") {
        None => {}
        Some(Value::String(kind)) if kind == "command" => {}
        Some(other) => {
            return Err((
                format!("{at}.type"),
                format!("must be \"command\" (the only kind Claurst runs), found {other}"),
            ));
        }
    }
    let command = match hook.get("command") {
        Some(Value::String(command)) if !command.trim().is_empty() => command.clone(),
        _ => {
            return Err((
                format!("{at}.command"),
                "must be the shell command to run, e.g. command = \"./check.sh\"".into(),
            ));
        }
    };
    let timeout = match hook.get("timeout") {
        None | Some(Value::Null) => DEFAULT_HOOK_TIMEOUT,
        Some(value) => match value.as_f64() {
            Some(secs) if secs > 0.0 && secs <= 86_400.0 => Duration::from_secs_f64(secs),
            _ => {
                return Err((
                    format!("{at}.timeout"),
                    "must be a number of seconds above 0, e.g. timeout = 30".into(),
                ));
            }
        },
    };
    Ok((command, timeout))
}

fn warn_unknown(
    table: &serde_json::Map<String, Value>,
    known: &[&str],
    at: &str,
    file: &Path,
    warnings: &mut Vec<String>,
) {
    for key in table.keys().filter(|key| !known.contains(&key.as_str())) {
        warnings.push(format!(
            "{}: unknown key `{at}.{key}` (ignored); known keys: {}",
            file.display(),
            known.join(", ")
        ));
    }
}

#[cfg(test)]
#[path = "hooks_tests.rs"]
mod tests;
