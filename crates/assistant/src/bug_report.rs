//! `/bug`: a report file for a bug, written so it can be shared: secrets are redacted, and the
//! conversation is left out unless the user asks for it.

use crate::agent::Agent;
use crate::conversation::Conversation;
use std::path::PathBuf;

/// Key names whose values are secrets (compared case-insensitively, as parts of the key).
const SECRET_WORDS: &[&str] = &["key", "token", "secret", "password", "auth", "credential", "cookie"];
/// Tables whose every value is redacted: environment variables and HTTP headers carry keys.
const SECRET_TABLES: &[&str] = &["env", "headers", "http_headers"];
/// What replaces a secret.
const REDACTED: &str = "[redacted]";
/// Where to file the report.
const ISSUES_URL: &str = "https://github.com/claurst/claurst/issues/new";

/// What the front-end adds to the report.
pub(crate) struct BugReportRequest {
    pub(crate) terminal: (u16, u16),
    pub(crate) recent: Vec<String>,
    pub(crate) include_conversation: bool,
}

impl Agent {
    /// Write the report under `~/.claurst/bug-reports/`; the notice names the file and where to file it.
    pub(crate) fn write_bug_report(&self, request: &BugReportRequest, conversation: &Conversation) -> String {
        let text = self.bug_report_text(request, conversation);
        let env = claurst_config::Environment::from_process();
        let dir = match claurst_config::ClaurstPaths::from_env(&env) {
            Ok(paths) => paths.claurst_dir().join("bug-reports"),
            Err(_) => self.project_root.join(".claurst").join("bug-reports"),
        };
        let stamp = time::OffsetDateTime::now_utc().unix_timestamp();
        let path = dir.join(format!("bug-{stamp}.md"));
        match std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, text)) {
            Ok(()) => format!(
                "Bug report written to {} (API keys, tokens and environment values redacted{}). Read it, then \
                 attach it to a new issue at {ISSUES_URL}",
                path.display(),
                if request.include_conversation {
                    "; the conversation is included"
                } else {
                    "; no conversation"
                }
            ),
            Err(error) => format!("Cannot write the bug report to {}: {error}", path.display()),
        }
    }

    fn bug_report_text(&self, request: &BugReportRequest, conversation: &Conversation) -> String {
        let mut text = String::from("# Claurst bug report\n\n");
        text.push_str(&format!("- version: {}\n", env!("CARGO_PKG_VERSION")));
        text.push_str(&format!("- OS: {} {}\n", std::env::consts::OS, std::env::consts::ARCH));
        text.push_str(&format!("- terminal: {}x{}\n", request.terminal.0, request.terminal.1));
        text.push_str(&format!("- model: {}\n", self.model()));
        text.push_str(&format!("- permission mode: {}\n", self.permission_mode()));
        text.push_str(&format!("- messages in the conversation: {}\n", conversation.messages().len()));
        text.push_str("\n## Configuration (secrets redacted)\n");
        for file in self.config_files() {
            let contents = std::fs::read_to_string(&file).unwrap_or_default();
            text.push_str(&format!("\n### {}\n\n```toml\n{}\n```\n", file.display(), redact_toml(&contents)));
        }
        text.push_str("\n## Recent events and errors\n\n");
        if request.recent.is_empty() {
            text.push_str("(none)\n");
        }
        for event in &request.recent {
            text.push_str(&format!("- {}\n", event.replace('\n', " ")));
        }
        if request.include_conversation {
            text.push_str("\n## Conversation\n\n```json\n");
            text.push_str(&serde_json::to_string_pretty(conversation.messages()).unwrap_or_default());
            text.push_str("\n```\n");
        }
        scrub_secret_values(&text, self.config.api_key.as_deref())
    }

    /// The configuration files Claurst reads for this project, those that exist.
    fn config_files(&self) -> Vec<PathBuf> {
        let env = claurst_config::Environment::from_process();
        let global = claurst_config::ClaurstPaths::from_env(&env).map(|paths| paths.global_config()).ok();
        global
            .into_iter()
            .chain([self.project_root.join(".claurst.toml")])
            .filter(|path| path.is_file())
            .collect()
    }
}

/// A TOML file with the value of every secret-looking key, and of every key in an `env` or `headers`
/// table, replaced by `[redacted]`. Line-based on purpose: a file with a syntax error is reported too.
pub(crate) fn redact_toml(text: &str) -> String {
    let mut in_secret_table = false;
    let mut lines = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            let table = trimmed.trim_matches(|c| c == '[' || c == ']').to_ascii_lowercase();
            in_secret_table = table.rsplit('.').next().is_some_and(|last| SECRET_TABLES.contains(&last));
            lines.push(line.to_string());
            continue;
        }
        match line.split_once('=') {
            Some((key, _)) if in_secret_table || is_secret_key(key) => {
                lines.push(format!("{}= \"{REDACTED}\"", key));
            }
            _ => lines.push(line.to_string()),
        }
    }
    lines.join("\n")
}

fn is_secret_key(key: &str) -> bool {
    let key = key.trim().trim_matches('"').to_ascii_lowercase();
    SECRET_TABLES.contains(&key.as_str()) || SECRET_WORDS.iter().any(|word| key.contains(word))
}

/// `text` with the values of secret-looking environment variables (and the configured key) removed
/// wherever they appear: a key pasted into a notice or a prompt must not leave in a report.
fn scrub_secret_values(text: &str, configured_key: Option<&str>) -> String {
    let mut secrets: Vec<String> = std::env::vars()
        .filter(|(name, _)| is_secret_key(name))
        .map(|(_, value)| value)
        .chain(configured_key.map(str::to_string))
        .filter(|value| value.trim().len() >= 8)
        .collect();
    // Longest first, so a secret containing another is removed whole.
    secrets.sort_by_key(|secret| std::cmp::Reverse(secret.len()));
    secrets.iter().fold(text.to_string(), |text, secret| text.replace(secret.as_str(), REDACTED))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_and_env_tables_are_redacted() {
        let text = "[api]\nmodel = \"m\"\napi_key = \"sk-live\"\n[mcp.servers.x.env]\nTOKEN = \"abc\"\nPLAIN = \"v\"\n[ui]\ntheme = \"dark\"";
        let redacted = redact_toml(text);
        assert!(!redacted.contains("sk-live") && !redacted.contains("abc") && !redacted.contains("\"v\""));
        assert!(redacted.contains("model = \"m\"") && redacted.contains("theme = \"dark\""));
    }

    #[test]
    fn configured_key_is_scrubbed_everywhere() {
        assert_eq!(scrub_secret_values("use sk-123456789 now", Some("sk-123456789")), "use [redacted] now");
    }
}
