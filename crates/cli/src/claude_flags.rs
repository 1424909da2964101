//! The flags scripts written for Claude Code's headless mode pass, read into Claurst's own settings:
//! permission rules (`--allowedTools`, `--disallowedTools`), the built-in tool list (`--tools`), prompt
//! files, extra directories and a Claude Code settings file (`--settings`).

use crate::args::Args;
use anyhow::{Context, Result, bail};
use claurst_protocol::PermissionMode;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Permission rules from the flags and `--settings`, in Claurst's lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlagRules {
    pub allow: Vec<String>,
    pub ask: Vec<String>,
    pub deny: Vec<String>,
}

/// What `--settings` says that Claurst honours.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClaudeSettings {
    pub rules: FlagRules,
    /// `permissions.defaultMode`.
    pub default_mode: Option<PermissionMode>,
    pub model: Option<String>,
    /// `env`: set for the model's commands and hooks.
    pub env: Vec<(String, String)>,
    /// Keys Claurst does not use, reported with `--verbose`.
    pub ignored: Vec<String>,
}

/// Read the prompt files into the flags they stand for: `--system-prompt-file` becomes the system prompt,
/// `--append-system-prompt-file` is added after `--append-system-prompt`.
pub fn read_prompt_files(args: &mut Args) -> Result<()> {
    if let Some(file) = &args.system_prompt_file {
        args.system = Some(read_prompt_file("--system-prompt-file", file)?);
    }
    if let Some(file) = &args.append_system_prompt_file {
        let text = read_prompt_file("--append-system-prompt-file", file)?;
        args.append_system_prompt = Some(match args.append_system_prompt.take() {
            Some(existing) => format!("{existing}\n\n{text}"),
            None => text,
        });
    }
    Ok(())
}

fn read_prompt_file(flag: &str, file: &Path) -> Result<String> {
    std::fs::read_to_string(file).with_context(|| {
        format!("{flag} {}: cannot read the file\n  pass a readable text file", file.display())
    })
}

/// The rules `--allowedTools` and `--disallowedTools` give, each checked: a rule Claurst cannot read stops
/// the start with the flag and the rule named.
pub fn flag_rules(args: &Args) -> Result<FlagRules> {
    let allow = split_rule_lists(&args.allowed_tools);
    let deny = split_rule_lists(&args.disallowed_tools);
    check_rules("--allowedTools", &allow)?;
    check_rules("--disallowedTools", &deny)?;
    Ok(FlagRules { allow, ask: Vec::new(), deny })
}

fn check_rules(flag: &str, rules: &[String]) -> Result<()> {
    for rule in rules {
        if let Err(error) = rule.parse::<claurst_permissions::Rule>() {
            bail!("{flag} {rule}: {error}");
        }
    }
    Ok(())
}

/// Every rule of each value: separated by commas or whitespace outside parentheses, so that
/// `Bash(git diff:*) Read,Edit` is three rules and the space inside the first stays in it.
pub fn split_rule_lists(values: &[String]) -> Vec<String> {
    let mut rules = Vec::new();
    for value in values {
        let mut depth = 0usize;
        let mut current = String::new();
        for c in value.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                _ => {}
            }
            if depth == 0 && (c == ',' || c.is_whitespace()) {
                rules.extend(Some(std::mem::take(&mut current)).filter(|rule| !rule.is_empty()));
            } else {
                current.push(c);
            }
        }
        rules.extend(Some(current).filter(|rule| !rule.is_empty()));
    }
    rules
}

/// `--tools`: `None` (flag absent or `default`) offers every tool of Claurst's own; otherwise the tools
/// named, by Claurst's names (Claude Code's are translated); `""` names none.
pub fn builtin_tools(args: &Args) -> Option<Vec<String>> {
    let list = args.tools.as_deref()?;
    if list.trim() == "default" {
        return None;
    }
    let names = claurst_extensions::agents::claurst_tools(split_rule_lists(&[list.to_string()]));
    Some(names)
}

/// `--add-dir` directories, absolute (relative ones are taken from `cwd`); each must exist.
pub fn added_directories(args: &Args, cwd: &Path) -> Result<Vec<PathBuf>> {
    args.add_dir
        .iter()
        .map(|dir| {
            let path = cwd.join(dir);
            if !path.is_dir() {
                bail!("--add-dir {}: no such directory\n  pass an existing directory", dir.display());
            }
            path.canonicalize().with_context(|| format!("--add-dir {}: cannot resolve it", dir.display()))
        })
        .collect()
}

/// `--settings`: a file, or inline JSON when the value starts with `{`. Bad JSON or an unreadable file
/// stops the start with the file named.
pub fn read_settings(args: &Args, cwd: &Path) -> Result<Option<ClaudeSettings>> {
    let Some(value) = args.settings.as_deref() else { return Ok(None) };
    let (origin, text) = if value.trim_start().starts_with('{') {
        ("--settings (inline JSON)".to_string(), value.to_string())
    } else {
        let file = cwd.join(value);
        let text = std::fs::read_to_string(&file).with_context(|| {
            format!(
                "--settings {}: cannot read the file\n  pass a settings file or inline JSON",
                file.display()
            )
        })?;
        (format!("--settings {}", file.display()), text)
    };
    let json: Value = serde_json::from_str(&text).with_context(|| {
        format!("{origin}: this is not valid JSON\n  fix the file (Claude Code's settings.json format)")
    })?;
    parse_settings(&json).map(Some).map_err(|message| anyhow::anyhow!("{origin}: {message}"))
}

/// What Claurst takes from a settings object.
fn parse_settings(json: &Value) -> Result<ClaudeSettings, String> {
    let object = json.as_object().ok_or("the settings must be a JSON object")?;
    let mut settings = ClaudeSettings::default();
    for (key, value) in object {
        match key.as_str() {
            "permissions" => read_permissions(value, &mut settings)?,
            "model" => settings.model = Some(string(value, "model")?.to_string()),
            "env" => settings.env = read_env(value)?,
            // Hooks in a settings file are read from Claude Code's settings files, not from this flag.
            other => settings.ignored.push(other.to_string()),
        }
    }
    Ok(settings)
}

fn read_permissions(value: &Value, settings: &mut ClaudeSettings) -> Result<(), String> {
    let object = value.as_object().ok_or("`permissions` must be an object")?;
    for (key, value) in object {
        let list = match key.as_str() {
            "allow" => &mut settings.rules.allow,
            "ask" => &mut settings.rules.ask,
            "deny" => &mut settings.rules.deny,
            "defaultMode" => {
                let mode = string(value, "permissions.defaultMode")?;
                settings.default_mode =
                    Some(mode.parse().map_err(|error| format!("permissions.defaultMode: {error}"))?);
                continue;
            }
            other => {
                settings.ignored.push(format!("permissions.{other}"));
                continue;
            }
        };
        let rules = value.as_array().ok_or(format!("`permissions.{key}` must be a list of rules"))?;
        for rule in rules {
            let rule = string(rule, &format!("permissions.{key}"))?;
            rule.parse::<claurst_permissions::Rule>()
                .map_err(|error| format!("permissions.{key}: {error}"))?;
            list.push(rule.to_string());
        }
    }
    Ok(())
}

fn read_env(value: &Value) -> Result<Vec<(String, String)>, String> {
    let object = value.as_object().ok_or("`env` must be an object of variable names and values")?;
    object
        .iter()
        .map(|(name, value)| match value {
            Value::String(text) => Ok((name.clone(), text.clone())),
            Value::Number(number) => Ok((name.clone(), number.to_string())),
            Value::Bool(flag) => Ok((name.clone(), flag.to_string())),
            _ => Err(format!("env.{name} must be a string")),
        })
        .collect()
}

fn string<'a>(value: &'a Value, key: &str) -> Result<&'a str, String> {
    value.as_str().ok_or_else(|| format!("`{key}` must be a string"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use serde_json::json;

    #[test]
    fn rule_lists_split_on_commas_and_spaces_outside_parentheses() {
        let values = ["Bash(git diff:*) Read,Edit".to_string(), " mcp__gh ".to_string()];
        assert_eq!(split_rule_lists(&values), ["Bash(git diff:*)", "Read", "Edit", "mcp__gh"]);
        assert!(split_rule_lists(&[String::new()]).is_empty());
    }

    #[test]
    fn tools_flag_takes_either_vocabulary() {
        let args = |value: &str| Args::try_parse_from(["claurst", "--tools", value]).unwrap();
        assert_eq!(builtin_tools(&args("Bash,Read")).unwrap(), ["bash", "read_file"]);
        assert_eq!(builtin_tools(&args("")).unwrap(), Vec::<String>::new());
        assert_eq!(builtin_tools(&args("default")), None);
        assert_eq!(builtin_tools(&Args::try_parse_from(["claurst"]).unwrap()), None);
    }

    #[test]
    fn a_bad_rule_in_a_flag_names_the_flag() {
        let args = Args::try_parse_from(["claurst", "--disallowedTools", "Bash(", "-p", "x"]).unwrap();
        let error = flag_rules(&args).unwrap_err().to_string();
        assert!(error.starts_with("--disallowedTools Bash("), "{error}");
    }

    #[test]
    fn settings_take_permissions_model_and_env_and_list_the_rest() {
        let json = json!({
            "permissions": {"allow": ["Bash(ls:*)"], "deny": ["WebFetch"], "defaultMode": "acceptEdits", "additionalDirectories": []},
            "model": "claude-haiku-4-5",
            "env": {"GREETING": "hi", "N": 3},
            "statusLine": {},
        });
        let settings = parse_settings(&json).unwrap();
        assert_eq!(settings.rules.allow, ["Bash(ls:*)"]);
        assert_eq!(settings.rules.deny, ["WebFetch"]);
        assert_eq!(settings.default_mode, Some(PermissionMode::AcceptEdits));
        assert_eq!(settings.model.as_deref(), Some("claude-haiku-4-5"));
        assert_eq!(settings.env, [("GREETING".to_string(), "hi".to_string()), ("N".into(), "3".into())]);
        assert_eq!(settings.ignored, ["permissions.additionalDirectories", "statusLine"]);
        assert!(parse_settings(&json!({"permissions": {"allow": "Bash"}})).is_err());
        assert!(parse_settings(&json!({"permissions": {"defaultMode": "sometimes"}})).is_err());
    }
}
