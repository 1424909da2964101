//! `/permissions` editing: the rules of each scope as their files hold them, and adding or removing one,
//! saved to its file (comments kept) and applied to the running session at once.

use crate::agent::Agent;
use crate::events::EventSink;
use claurst_config::{add_rule_to_toml, remove_rule_from_toml, rules_in_toml, write_config_file};
use claurst_permissions::{REMEMBERED_RULES_FILE, Rule, RuleList};
use claurst_protocol::{
    AgentEvent, PermissionRuleView, PermissionRulesView, RuleEdit, RuleListKind, RuleScope,
};
use std::path::PathBuf;

/// A scope kept in a file: where, and whether its lists sit under `[tools]` or at the top.
struct ScopeFile {
    scope: RuleScope,
    path: PathBuf,
    table: Option<&'static str>,
}

fn engine_list(list: RuleListKind) -> RuleList {
    match list {
        RuleListKind::Allow => RuleList::Allow,
        RuleListKind::Ask => RuleList::Ask,
        RuleListKind::Deny => RuleList::Deny,
    }
}

fn list_kind(key: &str) -> RuleListKind {
    match key {
        "ask" => RuleListKind::Ask,
        "deny" => RuleListKind::Deny,
        _ => RuleListKind::Allow,
    }
}

impl Agent {
    fn scope_files(&self) -> Vec<ScopeFile> {
        let mut files = Vec::new();
        if let Some(path) = crate::user_settings::user_config_file() {
            files.push(ScopeFile { scope: RuleScope::User, path, table: Some("tools") });
        }
        let project = self.project_root.join(".claurst.toml");
        files.push(ScopeFile { scope: RuleScope::Project, path: project, table: Some("tools") });
        let local = self.project_root.join(REMEMBERED_RULES_FILE);
        files.push(ScopeFile { scope: RuleScope::Local, path: local, table: None });
        files
    }

    /// Every rule in force with its scope: each file's as written, then what the session holds besides
    /// (flags, rules added for the session).
    pub(crate) fn permission_rules(&self) -> Result<PermissionRulesView, String> {
        let mut view = PermissionRulesView::default();
        for file in self.scope_files() {
            view.files.push((file.scope, file.path.display().to_string()));
            let text = read_or_empty(&file.path)?;
            let rules = rules_in_toml(&text, &file.path, file.table).map_err(|error| error.to_string())?;
            view.rules.extend(rules.into_iter().map(|(list, rule)| PermissionRuleView {
                list: list_kind(&list),
                scope: file.scope,
                rule,
            }));
        }
        let in_files: Vec<(RuleListKind, Rule)> = view
            .rules
            .iter()
            .filter_map(|view| view.rule.parse::<Rule>().ok().map(|rule| (view.list, rule)))
            .collect();
        let engine = self.permissions.lock().map_err(|_| "the permission engine failed".to_string())?;
        for list in RuleListKind::ALL {
            for rule in engine.rules().list(engine_list(list)) {
                if !in_files.iter().any(|(kept_list, kept)| *kept_list == list && kept == rule) {
                    view.rules.push(PermissionRuleView {
                        list,
                        scope: RuleScope::Session,
                        rule: rule.to_string(),
                    });
                }
            }
        }
        Ok(view)
    }

    /// Apply an edit from `/permissions`; answered by the rules in force, or why the edit was refused.
    pub(crate) async fn edit_permission_rule(&self, edit: RuleEdit, sink: &EventSink) {
        let (typed, result) = match &edit {
            RuleEdit::Add(rule) => (rule.rule.clone(), self.add_rule(rule)),
            RuleEdit::Remove(rule) => (rule.rule.clone(), self.remove_rule(rule)),
        };
        let event = match result.and_then(|()| self.permission_rules()) {
            Ok(view) => AgentEvent::PermissionRules(view),
            Err(reason) => AgentEvent::PermissionRuleRefused { rule: typed, reason },
        };
        sink.emit(event).await;
    }

    fn add_rule(&self, view: &PermissionRuleView) -> Result<(), String> {
        let rule: Rule =
            view.rule.parse().map_err(|error: claurst_permissions::RuleParseError| error.to_string())?;
        // Into the engine first: a rule that does not compile (a bad path pattern) is refused before any
        // file is written.
        let added = self
            .permissions
            .lock()
            .map_err(|_| "the permission engine failed".to_string())?
            .add_rule(engine_list(view.list), rule.clone())
            .map_err(|error| error.to_string())?;
        if let Err(reason) = self.save_added_rule(view) {
            if added && let Ok(mut engine) = self.permissions.lock() {
                // Undo: a rule the file does not hold would vanish at the next start, unannounced.
                let _ = engine.remove_rule(engine_list(view.list), &rule);
            }
            return Err(reason);
        }
        Ok(())
    }

    fn save_added_rule(&self, view: &PermissionRuleView) -> Result<(), String> {
        let Some(file) = self.scope_files().into_iter().find(|file| file.scope == view.scope) else {
            return Ok(());
        };
        let text = read_or_empty(&file.path)?;
        let edited = add_rule_to_toml(&text, &file.path, file.table, view.list.as_str(), view.rule.trim())
            .map_err(|error| error.to_string())?;
        if let Some(edited) = edited {
            write_config_file(&file.path, &edited).map_err(|error| error.to_string())?;
        }
        Ok(())
    }

    fn remove_rule(&self, view: &PermissionRuleView) -> Result<(), String> {
        let rule: Rule =
            view.rule.parse().map_err(|error: claurst_permissions::RuleParseError| error.to_string())?;
        if let Some(file) = self.scope_files().into_iter().find(|file| file.scope == view.scope) {
            let text = read_or_empty(&file.path)?;
            let edited = remove_rule_from_toml(&text, &file.path, file.table, view.list.as_str(), &view.rule)
                .map_err(|error| error.to_string())?;
            if let Some(edited) = edited {
                write_config_file(&file.path, &edited).map_err(|error| error.to_string())?;
            }
        }
        // Another scope, or a command-line flag, may hold the same rule: then it stays in force.
        let in_other_file = self.permission_rules()?.rules.iter().any(|other| {
            other.list == view.list
                && other.scope != RuleScope::Session
                && other.rule.parse::<Rule>().is_ok_and(|other| other == rule)
        });
        let from_flags = self
            .flag_rules(view.list)
            .iter()
            .any(|given| given.parse::<Rule>().is_ok_and(|given| given == rule));
        let still_kept = in_other_file || (view.scope != RuleScope::Session && from_flags);
        if !still_kept {
            let mut engine =
                self.permissions.lock().map_err(|_| "the permission engine failed".to_string())?;
            engine.remove_rule(engine_list(view.list), &rule).map_err(|error| error.to_string())?;
        }
        Ok(())
    }
}

impl Agent {
    fn flag_rules(&self, list: RuleListKind) -> &[String] {
        let rules = &self.config.flag_rules;
        match list {
            RuleListKind::Allow => &rules.allow,
            RuleListKind::Ask => &rules.ask,
            RuleListKind::Deny => &rules.deny,
        }
    }
}

fn read_or_empty(path: &std::path::Path) -> Result<String, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(error) => Err(format!("cannot read {}: {error}", path.display())),
    }
}
