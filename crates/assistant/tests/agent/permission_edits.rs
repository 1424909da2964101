//! `/permissions` edits: what a file scope loses, and what it must not take with it.

use crate::{config, events_until};
use claurst_assistant::{Agent, AgentConfig, Conversation, FlagRules, spawn_session};
use claurst_protocol::{AgentEvent, Op, PermissionRuleView, RuleEdit, RuleListKind, RuleScope};
use claurst_test_support::{MockApi, TempProject};

fn project_rule(rule: &str) -> PermissionRuleView {
    PermissionRuleView { list: RuleListKind::Allow, scope: RuleScope::Project, rule: rule.into() }
}

async fn edit(config: AgentConfig, edit: RuleEdit) -> AgentEvent {
    let mut session = spawn_session(Agent::try_new(config).unwrap(), Conversation::new());
    session.ops.send(Op::EditPermissionRule(edit)).await.unwrap();
    let events = events_until(&mut session, |event| {
        matches!(event, AgentEvent::PermissionRules(_) | AgentEvent::PermissionRuleRefused { .. })
    })
    .await;
    events.into_iter().last().unwrap()
}

fn allows_in_force(event: &AgentEvent) -> Vec<(RuleScope, String)> {
    let AgentEvent::PermissionRules(view) = event else { panic!("expected the rules, got {event:?}") };
    view.rules
        .iter()
        .filter(|rule| rule.list == RuleListKind::Allow)
        .map(|rule| (rule.scope, rule.rule.clone()))
        .collect()
}

#[tokio::test]
async fn removing_a_project_rule_keeps_the_same_rule_given_by_a_flag() {
    let project = TempProject::new();
    project.write(".claurst.toml", "[tools]\nallow = [\"bash(echo:*)\"]\n");
    let api = MockApi::start();
    let config = AgentConfig {
        // The file's rule and `--allowedTools`' rule, as the command line merges them.
        allow: vec!["bash(echo:*)".into(), "bash(echo:*)".into()],
        flag_rules: FlagRules { allow: vec!["bash(echo:*)".into()], ..FlagRules::default() },
        ..config(&project, &api)
    };
    let event = edit(config, RuleEdit::Remove(project_rule("bash(echo:*)"))).await;
    assert!(!project.read(".claurst.toml").contains("echo"), "the file loses the rule");
    assert_eq!(allows_in_force(&event), [(RuleScope::Session, "bash(echo:*)".to_string())]);
}

#[tokio::test]
async fn removing_a_project_rule_no_flag_gives_takes_it_out_of_force() {
    let project = TempProject::new();
    project.write(".claurst.toml", "[tools]\nallow = [\"bash(echo:*)\"]\n");
    let api = MockApi::start();
    let config = AgentConfig { allow: vec!["bash(echo:*)".into()], ..config(&project, &api) };
    let event = edit(config, RuleEdit::Remove(project_rule("bash(echo:*)"))).await;
    assert!(allows_in_force(&event).iter().all(|(_, rule)| rule != "bash(echo:*)"), "{event:?}");
}

#[tokio::test]
async fn an_invalid_rule_is_refused_and_the_file_is_left_as_it_was() {
    let project = TempProject::new();
    let before = "# mine\n[tools]\nallow = []\n";
    project.write(".claurst.toml", before);
    let api = MockApi::start();
    let event = edit(config(&project, &api), RuleEdit::Add(project_rule("read_file(src/[abc)"))).await;
    assert!(
        matches!(&event, AgentEvent::PermissionRuleRefused { rule, .. } if rule == "read_file(src/[abc)"),
        "{event:?}"
    );
    assert_eq!(project.read(".claurst.toml"), before, "nothing is saved for a refused rule");
}
