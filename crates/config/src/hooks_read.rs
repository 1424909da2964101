//! Which hooks are configured for a session: Claurst's config files and Claude Code's settings files.
//!
//! Unlike MCP servers, hooks do not replace one another: every definition runs (as in Claude Code), except
//! that the same command for the same event and matcher runs once.

use crate::LoadedConfig;
use crate::error::ConfigError;
use crate::hooks::{HookDefinition, HookScope, read_hooks};
use sha2::{Digest, Sha256};
use std::path::Path;

/// The hooks of a session.
#[derive(Debug, Clone, Default)]
pub struct HookSet {
    /// Every definition, user files first, in file order.
    pub hooks: Vec<HookDefinition>,
    /// Problems that did not stop reading (unknown keys or events).
    pub warnings: Vec<String>,
}

impl HookSet {
    /// The hooks the project defines (and the user must trust before they run).
    pub fn project_hooks(&self) -> impl Iterator<Item = &HookDefinition> {
        self.hooks.iter().filter(|hook| hook.scope.needs_trust())
    }

    /// A digest of the project's hook definitions: a trust decision holds for exactly these. `None` when the
    /// project defines no hooks.
    pub fn project_fingerprint(&self) -> Option<String> {
        project_fingerprint(&self.hooks)
    }
}

/// [`HookSet::project_fingerprint`] over `hooks` (the user's own are left out).
pub fn project_fingerprint(hooks: &[HookDefinition]) -> Option<String> {
    let canonical: Vec<serde_json::Value> = hooks
        .iter()
        .filter(|hook| hook.scope.needs_trust())
        .map(|hook| {
            serde_json::json!([
                hook.event.name(),
                hook.matcher,
                hook.command,
                hook.timeout.as_millis() as u64
            ])
        })
        .collect();
    if canonical.is_empty() {
        return None;
    }
    let digest = Sha256::digest(serde_json::Value::Array(canonical).to_string().as_bytes());
    Some(digest.iter().map(|byte| format!("{byte:02x}")).collect())
}

/// Every hook for the session `loaded` describes: the `[hooks]` read with the TOML files, then Claude Code's
/// `~/.claude/settings.json`, `.claude/settings.json` and `.claude/settings.local.json`. A mistake in one of
/// Claude Code's files is a warning and that file's hooks are left out: Claurst does not own those files, and
/// must not refuse to start over them. (A file that cannot be read at all is still an error.)
pub fn hook_definitions(loaded: &LoadedConfig) -> Result<HookSet, ConfigError> {
    let mut warnings = Vec::new();
    let mut hooks = loaded.config.hooks.clone();
    let sources = loaded.sources;
    let claude_files = [
        (loaded.paths.home().join(".claude/settings.json"), HookScope::ClaudeUser, sources.user),
        (loaded.project_root.join(".claude/settings.json"), HookScope::ClaudeProject, sources.project),
        (loaded.project_root.join(".claude/settings.local.json"), HookScope::ClaudeLocal, sources.local),
    ];
    for (file, scope, _) in claude_files.into_iter().filter(|(_, _, wanted)| *wanted) {
        match read_settings_file(&file, scope, &mut warnings) {
            Ok(read) => hooks.extend(read),
            Err(error @ ConfigError::Read { .. }) => return Err(error),
            Err(error) => warnings.push(format!("{error}\n  the hooks in this file are ignored until then")),
        }
    }
    // User definitions first: they are the user's own, and come first in listings.
    hooks.sort_by_key(|hook| hook.scope.needs_trust());
    let mut seen = std::collections::HashSet::new();
    hooks.retain(|hook| seen.insert((hook.event, hook.matcher.clone(), hook.command.clone())));
    Ok(HookSet { hooks, warnings })
}

/// The `hooks` section of one of Claude Code's settings files; none when the file or the section is absent.
fn read_settings_file(
    file: &Path,
    scope: HookScope,
    warnings: &mut Vec<String>,
) -> Result<Vec<HookDefinition>, ConfigError> {
    let Some(text) = crate::file::read_if_present(file)? else {
        return Ok(Vec::new());
    };
    let settings: serde_json::Value = serde_json::from_str(&text).map_err(|error| ConfigError::Hooks {
        at: file.display().to_string(),
        message: format!("this is not valid JSON: {error}"),
    })?;
    match settings.get("hooks") {
        None => Ok(Vec::new()),
        Some(hooks) => read_hooks(hooks, scope, file, warnings),
    }
}

/// `[hooks]` in a TOML config file, as definitions from `scope`.
pub(crate) fn read_toml_hooks(
    value: &toml::Value,
    scope: HookScope,
    file: &Path,
    warnings: &mut Vec<String>,
) -> Result<Vec<HookDefinition>, ConfigError> {
    let json = serde_json::to_value(value).map_err(|error| ConfigError::Hooks {
        at: format!("{}: key `hooks`", file.display()),
        message: format!("cannot be read: {error}"),
    })?;
    read_hooks(&json, scope, file, warnings)
}
