//! Environment references in MCP server definitions, and the fingerprint of a definition as written.
//!
//! Every format replaces `${VAR}` and `${VAR:-default}` in the command, args, env values, url and header values,
//! as Claude Code does for `.mcp.json`, and leaves a bare `$` alone there (shell snippets in args keep working),
//! so a definition means the same in `.mcp.json` and in TOML. TOML header values also take `$VAR`, as
//! `[providers.NAME] headers` do.

use crate::env::Environment;
use crate::mcp::{McpScope, McpServerConfig, McpTransport};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Which references a value may contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    /// `${VAR}` and `${VAR:-default}`.
    Braced,
    /// Also `$VAR`.
    Shell,
}

/// `text` with its references replaced. A variable that is unset (or empty) without a default becomes the
/// empty string and its name is pushed on `missing`.
pub(crate) fn expand(text: &str, syntax: Syntax, env: &Environment, missing: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        match reference(after, syntax) {
            Some((name, default, used)) => {
                match (env.get(name), default) {
                    (Some(value), _) => out.push_str(value),
                    (None, Some(default)) => out.push_str(default),
                    (None, None) => missing.push(name.to_string()),
                }
                rest = &after[used..];
            }
            None => {
                out.push('$');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The reference right after a `$`: (name, default, bytes used), or `None` when it is a literal `$`.
fn reference(after: &str, syntax: Syntax) -> Option<(&str, Option<&str>, usize)> {
    if let Some(inner) = after.strip_prefix('{') {
        let end = inner.find('}')?;
        let body = &inner[..end];
        let (name, default) = match body.split_once(":-") {
            Some((name, default)) => (name, Some(default)),
            None => (body, None),
        };
        return is_name(name).then_some((name, default, end + 2));
    }
    if syntax == Syntax::Braced {
        return None;
    }
    let len = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
    let name = &after[..len];
    is_name(name).then_some((name, None, len))
}

fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The server with its environment references replaced, as its scope's format says. Unset variables are
/// reported as warnings naming the server.
pub(crate) fn expand_server(
    server: &McpServerConfig,
    env: &Environment,
    warnings: &mut Vec<String>,
) -> McpServerConfig {
    let json = matches!(server.scope, McpScope::ProjectJson | McpScope::Flag);
    let mut missing = Vec::new();
    let mut all = |text: &str| expand(text, Syntax::Braced, env, &mut missing);
    let transport = match &server.transport {
        McpTransport::Stdio { command, args, env: vars, cwd } => McpTransport::Stdio {
            command: all(command),
            args: args.iter().map(|arg| all(arg)).collect(),
            env: vars.iter().map(|(key, value)| (key.clone(), all(value))).collect(),
            cwd: cwd.clone(),
        },
        McpTransport::Http { url, headers } => {
            let url = all(url);
            McpTransport::Http { url, headers: expand_headers(headers, json, env, &mut missing) }
        }
        McpTransport::Sse { url, headers } => {
            let url = all(url);
            McpTransport::Sse { url, headers: expand_headers(headers, json, env, &mut missing) }
        }
        McpTransport::Sdk => McpTransport::Sdk,
    };
    missing.sort();
    missing.dedup();
    for name in missing {
        warnings.push(format!(
            "MCP server `{}` ({}): environment variable {name} is not set, so it was replaced by nothing\n  \
             set it, or write ${{{name}:-default}}",
            server.name,
            server
                .source
                .as_ref()
                .map(|file| file.display().to_string())
                .unwrap_or_else(|| "--mcp-config".into()),
        ));
    }
    McpServerConfig { transport, written_target: Some(server.shown_target()), ..server.clone() }
}

fn expand_headers(
    headers: &BTreeMap<String, String>,
    json: bool,
    env: &Environment,
    missing: &mut Vec<String>,
) -> BTreeMap<String, String> {
    let syntax = if json { Syntax::Braced } else { Syntax::Shell };
    headers.iter().map(|(name, value)| (name.clone(), expand(value, syntax, env, missing))).collect()
}

/// A hex SHA-256 of the transport as written (before references are replaced): what the server runs or
/// reaches. Switching it on or off, its timeouts and its tool lists do not change what it is, so they are
/// left out, and a user is not asked again for them.
pub(crate) fn fingerprint(transport: &McpTransport) -> String {
    // serde_json writes arrays in order and BTreeMaps sorted, so the same definition always gives the same
    // bytes, whatever file format and key order it was written in.
    let canonical = match transport {
        McpTransport::Stdio { command, args, env, cwd } => serde_json::json!([
            "stdio",
            command,
            args,
            env,
            cwd.as_ref().map(|dir| dir.to_string_lossy().into_owned())
        ]),
        McpTransport::Http { url, headers } => serde_json::json!(["http", url, headers]),
        McpTransport::Sse { url, headers } => serde_json::json!(["sse", url, headers]),
        McpTransport::Sdk => serde_json::json!(["sdk"]),
    };
    let digest = Sha256::digest(canonical.to_string().as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Environment {
        Environment::from_pairs([("TOKEN", "t0k"), ("HOME", "/home/ada"), ("EMPTY", "")])
    }

    fn braced(text: &str) -> (String, Vec<String>) {
        let mut missing = Vec::new();
        (expand(text, Syntax::Braced, &env(), &mut missing), missing)
    }

    fn shell(text: &str) -> (String, Vec<String>) {
        let mut missing = Vec::new();
        (expand(text, Syntax::Shell, &env(), &mut missing), missing)
    }

    #[test]
    fn braced_references_and_defaults() {
        assert_eq!(braced("Bearer ${TOKEN}").0, "Bearer t0k");
        assert_eq!(braced("${HOME}/x:${NOPE:-fallback}").0, "/home/ada/x:fallback");
        assert_eq!(braced("${EMPTY:-used}").0, "used");
        assert_eq!(braced("${NOPE}"), (String::new(), vec!["NOPE".to_string()]));
        // A bare `$` is literal in JSON, so shell snippets in args survive.
        assert_eq!(braced("echo $TOKEN $ ${} ${1x} ${open").0, "echo $TOKEN $ ${} ${1x} ${open");
    }

    #[test]
    fn shell_references() {
        assert_eq!(shell("Bearer $TOKEN").0, "Bearer t0k");
        assert_eq!(shell("${TOKEN}-$TOKEN.x").0, "t0k-t0k.x");
        assert_eq!(shell("cost: 5$").0, "cost: 5$");
        assert_eq!(shell("$NOPE"), (String::new(), vec!["NOPE".to_string()]));
    }

    #[test]
    fn fingerprint_is_stable_and_follows_what_runs() {
        let stdio = |command: &str| McpTransport::Stdio {
            command: command.into(),
            args: vec!["-y".into(), "server".into()],
            env: BTreeMap::from([("A".into(), "1".into())]),
            cwd: None,
        };
        // Pinned: a change here would re-ask every user about every approved server.
        assert_eq!(
            fingerprint(&stdio("npx")),
            "11f290d1f65fe4fe49800c3e8765d2ec2504ed70abd84b18e0a59c7dec064f66"
        );
        assert_ne!(fingerprint(&stdio("npx")), fingerprint(&stdio("npx2")));
        let http = McpTransport::Http { url: "https://x".into(), headers: BTreeMap::new() };
        let sse = McpTransport::Sse { url: "https://x".into(), headers: BTreeMap::new() };
        assert_ne!(fingerprint(&http), fingerprint(&sse));
    }
}
