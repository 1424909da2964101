//! `/bug`: a report file for a bug, written so it can be shared: secrets are redacted, and the
//! conversation is left out unless the user asks for it.

use crate::agent::Agent;
use crate::conversation::Conversation;
use regex::Regex;
use std::path::PathBuf;
use std::sync::LazyLock;

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
                "Bug report written to {} (configuration secrets redacted; {}). Read it before sharing, then \
                 attach it to a new issue at {ISSUES_URL}",
                path.display(),
                if request.include_conversation {
                    "the conversation is included and only scrubbed of known key values and common token \
                     shapes, so check it for anything private"
                } else {
                    "no conversation"
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
        scrub_patterns(&scrub_secret_values(&text, self.config.api_key.as_deref()))
    }

    /// The configuration files Claurst reads for this project, those that exist.
    fn config_files(&self) -> Vec<PathBuf> {
        crate::user_settings::user_config_file()
            .into_iter()
            .chain([self.project_root.join(".claurst.toml")])
            .filter(|path| path.is_file())
            .collect()
    }
}

/// A TOML file with the value of every secret-looking key, of every key in an `env` or `headers` table,
/// and every string of an `args` array (command lines often carry `--token X`) replaced by `[redacted]`.
/// Line-based on purpose: a file with a syntax error is reported too.
pub(crate) fn redact_toml(text: &str) -> String {
    let mut in_secret_table = false;
    // Inside a multi-line `args = [` array, until its closing bracket.
    let mut in_args = false;
    let mut lines = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if in_args {
            in_args = !closes_array(trimmed);
            lines.push(redact_strings(line));
            continue;
        }
        if trimmed.starts_with('[') {
            in_secret_table = is_secret_table(trimmed);
            lines.push(line.to_string());
            continue;
        }
        match line.split_once('=') {
            Some((key, value)) if is_args_key(key) => {
                in_args = value.trim_start().starts_with('[') && !closes_array(value);
                lines.push(format!("{key}={}", redact_strings(value)));
            }
            Some((key, _)) if in_secret_table || is_secret_key(key) => {
                lines.push(format!("{}= \"{REDACTED}\"", key));
            }
            _ => lines.push(line.to_string()),
        }
    }
    lines.join("\n")
}

/// Whether a table header (`[a.b.env]`, `[[x]]`, possibly followed by `# a comment`) names a table whose
/// values are all secret.
fn is_secret_table(header: &str) -> bool {
    let name = header.split('#').next().unwrap_or_default().trim();
    let name = name.trim_matches(|c: char| c == '[' || c == ']' || c.is_whitespace()).to_ascii_lowercase();
    name.rsplit('.').next().is_some_and(|last| SECRET_TABLES.contains(&last.trim().trim_matches('"')))
}

fn is_args_key(key: &str) -> bool {
    key.trim().trim_matches('"').eq_ignore_ascii_case("args")
}

/// Whether this part of an array line ends the array (a `]` outside a comment; strings are redacted
/// anyway, so a `]` inside one only ends the redaction early on an odd line).
fn closes_array(text: &str) -> bool {
    text.split('#').next().unwrap_or_default().contains(']')
}

/// Every quoted string in `text` replaced by `"[redacted]"`.
fn redact_strings(text: &str) -> String {
    static STRINGS: LazyLock<Option<Regex>> =
        LazyLock::new(|| Regex::new(r#""(?:[^"\\]|\\.)*"|'[^']*'"#).ok());
    match STRINGS.as_ref() {
        Some(strings) => strings.replace_all(text, format!("\"{REDACTED}\"")).into_owned(),
        // Unreachable with a valid pattern; redacting the whole value is the safe answer.
        None => format!(" \"{REDACTED}\""),
    }
}

/// Well-known secret shapes and what replaces them (`$1` keeps a prefix such as `Bearer `).
const SECRET_PATTERNS: &[(&str, &str)] = &[
    // Anthropic / OpenAI style keys (`sk-…`, `sk-ant-…`).
    (r"\bsk-[A-Za-z0-9_\-]{8,}", REDACTED),
    // GitHub tokens.
    (r"\bgh[pousr]_[A-Za-z0-9]{16,}", REDACTED),
    (r"\bgithub_pat_[A-Za-z0-9_]{16,}", REDACTED),
    // Slack tokens.
    (r"\bxox[abpr]-[A-Za-z0-9\-]{8,}", REDACTED),
    // AWS access key ids.
    (r"\bAKIA[0-9A-Z]{16}\b", REDACTED),
    // Authorization headers.
    (r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=\-]{8,}", "${1}[redacted]"),
    // Command-line options that take a secret: `--api-key X`, `--token=X`.
    (
        r#"(?i)(--(?:api[-_]?key|[a-z_\-]*token|secret|password|passwd)(?:=|\s+|"\s*,\s*"))[^\s"',\]]+"#,
        "${1}[redacted]",
    ),
    // Credentials in URLs: `scheme://user:pass@host`.
    (r#"(?i)\b([a-z][a-z0-9+.\-]*://)[^/\s:@"']+:[^/\s@"']+@"#, "${1}[redacted]@"),
    // Secret-looking query parameters: `?token=…`, `&api_key=…`.
    (
        r#"(?i)([?&][a-z0-9_\-]*(?:token|key|secret|password|passwd|signature|auth)[a-z0-9_\-]*=)[^&\s"'#]+"#,
        "${1}[redacted]",
    ),
];

static COMPILED_PATTERNS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    SECRET_PATTERNS
        .iter()
        .filter_map(|(pattern, replacement)| Regex::new(pattern).ok().map(|regex| (regex, *replacement)))
        .collect()
});

/// `text` with every well-known secret shape replaced, wherever it is in the report (configuration,
/// events, conversation): a last net for secrets no key name or known value gave away.
fn scrub_patterns(text: &str) -> String {
    COMPILED_PATTERNS.iter().fold(text.to_string(), |text, (regex, replacement)| {
        regex.replace_all(&text, *replacement).into_owned()
    })
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
    fn every_secret_pattern_compiles() {
        assert_eq!(COMPILED_PATTERNS.len(), SECRET_PATTERNS.len());
        assert!(redact_strings("\"a\"").contains(REDACTED));
    }

    #[test]
    fn well_known_secret_shapes_are_scrubbed() {
        let cases = [
            ("key sk-ant-api03-AbCdEf123456_xyz here", "key [redacted] here"),
            ("openai sk-proj1234567890abcd", "openai [redacted]"),
            ("gh ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", "gh [redacted]"),
            ("gh gho_ABCDEFGHIJKLMNOPQRSTUVWX", "gh [redacted]"),
            ("pat github_pat_11ABCDEFG0123456789_abcdefXYZ", "pat [redacted]"),
            ("slack xoxb-1234-5678-abcdefgh and xoxp-99999999-abc", "slack [redacted] and [redacted]"),
            ("aws AKIAIOSFODNN7EXAMPLE.", "aws [redacted]."),
            ("Authorization: Bearer eyJhbGciOi.abc-def_ghi", "Authorization: Bearer [redacted]"),
            ("run tool --api-key hunter2secret --verbose", "run tool --api-key [redacted] --verbose"),
            ("run --token=abc123 --auth-token xyz", "run --token=[redacted] --auth-token [redacted]"),
            ("[\"--token\", \"abc123\"]", "[\"--token\", \"[redacted]\"]"),
            (
                "clone https://bob:s3cret@example.com/repo.git",
                "clone https://[redacted]@example.com/repo.git",
            ),
            (
                "GET https://api.x.io/v1?user=me&access_token=abc123&api_key=zz#frag",
                "GET https://api.x.io/v1?user=me&access_token=[redacted]&api_key=[redacted]#frag",
            ),
            ("?password=p%40ss&page=2", "?password=[redacted]&page=2"),
        ];
        for (input, expected) in cases {
            assert_eq!(scrub_patterns(input), expected, "{input}");
        }
        let harmless = "task-list skip sk-8 https://example.com/a?page=2 Bearer  x";
        assert_eq!(scrub_patterns(harmless), harmless);
    }

    #[test]
    fn args_arrays_are_redacted_on_one_line_or_many() {
        let text = "[mcp_servers.gh]\ncommand = \"gh-mcp\"\nargs = [\"--token\", \"abc\"]\n[mcp_servers.db]\nargs = [\n  \"--password\",\n  'pw1', # note\n]\ntimeout = 5";
        let redacted = redact_toml(text);
        assert!(
            !redacted.contains("abc") && !redacted.contains("pw1") && !redacted.contains("--password"),
            "{redacted}"
        );
        assert!(redacted.contains("args = [\"[redacted]\", \"[redacted]\"]"), "{redacted}");
        assert!(redacted.contains("command = \"gh-mcp\"") && redacted.contains("timeout = 5"), "{redacted}");
    }

    #[test]
    fn a_secret_table_header_with_a_trailing_comment_is_still_recognised() {
        let text = "[mcp_servers.x.env] # secrets\nPLAIN = \"v\"\n[mcp_servers.x.\"headers\"]   # more\nX = \"h\"\n[ui] # look\ntheme = \"dark\"";
        let redacted = redact_toml(text);
        assert!(!redacted.contains("\"v\"") && !redacted.contains("\"h\""), "{redacted}");
        assert!(redacted.contains("theme = \"dark\""), "{redacted}");
    }

    #[test]
    fn configured_key_is_scrubbed_everywhere() {
        assert_eq!(scrub_secret_values("use sk-123456789 now", Some("sk-123456789")), "use [redacted] now");
    }
}
