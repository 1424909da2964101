//! Sub-agents in the interface: one cell per `agent` call with live progress and the report, its transcript
//! under Ctrl+O, its approvals labelled, and `/agents` with the review of a drafted definition.

use crate::{app, assert_screen, key_ops as key, notices, screen, type_keys as type_text};
use claurst_protocol::{
    AgentEvent, AgentScope, AgentTypeView, ApprovalDetail, ApprovalRequest, ApprovalResponder, Decision,
    Message, Op, SessionInfo, SubagentView, ToolCallView, ToolFamily, ToolFinished, Usage,
};
use claurst_tui::App;
use claurst_tui::transcript::Cell;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;

/// The main agent's `agent` call, described as the session describes it.
fn agent_call(id: &str, kind: &str, description: &str) -> ToolCallView {
    ToolCallView {
        title: "agent".into(),
        key_argument: format!("{kind}: {description}"),
        family: ToolFamily::Agent,
        ..ToolCallView::new(id, "agent", json!({"description": description, "agent_type": kind}))
    }
}

/// Wrap `event` as the sub-agent of call `parent` emits it.
fn from(parent: &str, event: AgentEvent) -> AgentEvent {
    AgentEvent::Subagent { parent_id: parent.into(), event: Box::new(event) }
}

/// The main agent starts a sub-agent of `kind` for `description` under call `id`.
fn start_subagent(app: &mut App, id: &str, kind: &str, description: &str) {
    app.handle_agent_event(AgentEvent::ToolCallRequested(agent_call(id, kind, description)));
    app.handle_agent_event(AgentEvent::ToolCallStarted { id: id.into() });
    app.handle_agent_event(AgentEvent::SubagentStarted(SubagentView {
        parent_id: id.into(),
        agent_type: kind.into(),
        description: description.into(),
        model: "claude-haiku-4-5".into(),
        transcript_id: Some(format!("{id}-transcript")),
    }));
}

/// The sub-agent of `parent` says something, then calls `name` and spends `tokens`.
fn subagent_calls(app: &mut App, parent: &str, id: &str, name: &str, input: serde_json::Value, tokens: u64) {
    app.handle_agent_event(from(parent, AgentEvent::TextDelta { text: "streamed, not shown".into() }));
    app.handle_agent_event(from(
        parent,
        AgentEvent::AssistantMessage {
            message: Message::assistant("I'll look at the loader first."),
            reply: Default::default(),
        },
    ));
    app.handle_agent_event(from(parent, AgentEvent::ToolCallRequested(crate::call(id, name, input))));
    app.handle_agent_event(from(parent, AgentEvent::ToolCallStarted { id: id.into() }));
    let total = Usage { input_tokens: tokens - 100, output_tokens: 100, ..Usage::default() };
    app.handle_agent_event(from(
        parent,
        AgentEvent::Usage {
            turn: total,
            session_total: total,
            session_cost_usd: 0.0,
            price_unknown: false,
            context_tokens: tokens,
            context_window: 200_000,
        },
    ));
}

fn finished(id: &str, name: &str, output: &str) -> AgentEvent {
    AgentEvent::ToolCallFinished(ToolFinished {
        id: id.into(),
        name: name.into(),
        output: output.into(),
        is_error: false,
        duration_ms: 40,
        summary: String::new(),
        change: None,
    })
}

fn running_explorer() -> App {
    let mut app = app();
    app.handle_agent_event(AgentEvent::RunStarted { prompt: "where is the config read?".into() });
    app.handle_agent_event(AgentEvent::TextDelta { text: "I'll ask an explorer.".into() });
    start_subagent(&mut app, "call-a", "explore", "Find config loader");
    subagent_calls(&mut app, "call-a", "r1", "read_file", json!({"path": "src/config.rs"}), 4_130);
    app
}

fn finish_explorer(app: &mut App) {
    let output = "fn load() {\n    read(\"claurst.toml\")\n}\nline 4\nline 5\nline 6";
    app.handle_agent_event(from("call-a", finished("r1", "read_file", output)));
    app.handle_agent_event(from(
        "call-a",
        AgentEvent::AssistantMessage {
            message: Message::assistant("Config is read in src/config.rs by `load`."),
            reply: Default::default(),
        },
    ));
    let report = "Config is read in src/config.rs by `load`.\n\n[explore sub-agent: 2 model requests, 4030 input \
                  and 100 output tokens, $0.01, 2.1 s]";
    app.handle_agent_event(finished("call-a", "agent", report));
}

#[test]
fn a_running_sub_agent_shows_its_current_call_tokens_and_time_and_nothing_of_its_stream() {
    let mut app = running_explorer();
    let screen = screen(&mut app, 80, 12);
    assert!(!screen.contains("streamed, not shown"), "{screen}");
    assert_screen!("subagent_running", screen);
    let assistant_text: String = app
        .transcript()
        .cells()
        .filter_map(|cell| match cell {
            Cell::Assistant { markdown, .. } => Some(markdown.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(assistant_text, "I'll ask an explorer.", "the sub-agent's text stays in its cell");
}

#[test]
fn parallel_sub_agents_update_their_own_cells() {
    let mut app = app();
    app.handle_agent_event(AgentEvent::RunStarted { prompt: "split the work".into() });
    start_subagent(&mut app, "call-a", "explore", "Find config loader");
    start_subagent(&mut app, "call-b", "plan", "Plan the migration");
    subagent_calls(&mut app, "call-b", "g1", "grep", json!({"pattern": "migrate"}), 900);
    subagent_calls(&mut app, "call-a", "r1", "read_file", json!({"path": "src/config.rs"}), 2_500);
    app.handle_agent_event(from("call-b", finished("g1", "grep", "src/db.rs:3: migrate()")));
    assert_screen!("subagent_parallel", screen(&mut app, 80, 12));
}

#[test]
fn a_finished_sub_agent_shows_its_report_and_ctrl_o_its_transcript() {
    let mut app = running_explorer();
    finish_explorer(&mut app);
    app.handle_agent_event(AgentEvent::TextDelta { text: "It is `load` in src/config.rs.".into() });
    assert_screen!("subagent_finished", screen(&mut app, 80, 14));
    app.handle_terminal_event(Event::Key(KeyEvent::new(KeyCode::Char('o'), KeyModifiers::CONTROL)));
    assert_screen!("subagent_transcript", screen(&mut app, 80, 22));
}

#[test]
fn a_sub_agents_approval_names_it_and_answers_through_its_responder() {
    let mut app = running_explorer();
    let call = crate::call("b1", "bash", json!({"command": "cargo metadata"}));
    app.handle_agent_event(from("call-a", AgentEvent::ToolCallRequested(call.clone())));
    let (responder, mut answer) = ApprovalResponder::channel();
    app.handle_agent_event(from(
        "call-a",
        AgentEvent::ApprovalRequested(ApprovalRequest {
            call,
            title: "bash(cargo metadata)".into(),
            detail: ApprovalDetail::Command { command: "cargo metadata".into() },
            suggested_rule: "bash(cargo metadata:*)".into(),
            responder,
        }),
    ));
    assert_screen!("subagent_approval", screen(&mut app, 80, 20));
    key(&mut app, KeyCode::Char('y'));
    assert_eq!(answer.try_recv().unwrap(), Decision::AllowOnce);
}

#[test]
fn a_sub_agents_notices_and_hook_reports_are_labelled_with_it() {
    let mut app = running_explorer();
    app.handle_agent_event(from("call-a", AgentEvent::Notice { text: "Retrying later".into() }));
    assert!(notices(&app).contains("explore · Find config loader: Retrying later"), "{}", notices(&app));
}

fn kinds() -> Vec<AgentTypeView> {
    let kind = |name: &str, scope: &str, tools: Option<Vec<&str>>, model: Option<&str>| AgentTypeView {
        name: name.into(),
        description: format!("{name} described"),
        scope: scope.into(),
        tools: tools.map(|tools| tools.into_iter().map(str::to_string).collect()),
        model: model.map(str::to_string),
        path: None,
    };
    vec![
        kind("general-purpose", "built-in", None, None),
        kind("explore", "built-in", Some(vec!["read_file", "grep"]), Some("haiku")),
        kind("reviewer", "project (.claude/agents/reviewer.md)", Some(vec!["read_file"]), None),
    ]
}

fn app_with_kinds() -> App {
    let mut app = app();
    app.handle_agent_event(AgentEvent::SessionStarted(SessionInfo {
        agents: kinds(),
        ..crate::session_info()
    }));
    app
}

#[test]
fn agents_lists_each_kind_with_its_scope_tools_and_model() {
    let mut app = app_with_kinds();
    type_text(&mut app, "/agents");
    assert!(key(&mut app, KeyCode::Enter).is_empty());
    key(&mut app, KeyCode::Down);
    assert_screen!("agents_panel", screen(&mut app, 80, 16));
    // A saved definition shows in the open panel.
    let mut more = kinds();
    more[2].name = "migrations".into();
    app.handle_agent_event(AgentEvent::AgentTypes(more));
    assert!(screen(&mut app, 80, 16).contains("migrations"));
    key(&mut app, KeyCode::Esc);
    assert!(!screen(&mut app, 80, 16).contains("migrations"), "esc closes the panel");
}

const DRAFT: &str = "---\nname: migrations\ndescription: Reviews SQL migrations\ntools: read_file, grep\n---\n\n\
                     You review SQL migrations for locking and data loss.";

fn drafted(app: &mut App) -> Vec<Op> {
    type_text(app, "/agents new reviews SQL migrations");
    let sent = key(app, KeyCode::Enter);
    app.handle_agent_event(AgentEvent::AgentDrafted { name: "migrations".into(), markdown: DRAFT.into() });
    sent
}

#[test]
fn agents_new_drafts_and_p_saves_the_reviewed_draft_to_the_project() {
    let mut app = app_with_kinds();
    assert_eq!(drafted(&mut app), [Op::DraftAgent { description: "reviews SQL migrations".into() }]);
    assert_screen!("agent_review", screen(&mut app, 80, 18));
    assert_eq!(
        key(&mut app, KeyCode::Char('p')),
        [Op::SaveAgent { scope: AgentScope::Project, markdown: DRAFT.into() }]
    );
    assert!(!screen(&mut app, 80, 18).contains("review before saving"), "the review closed");
    let mut app = app_with_kinds();
    drafted(&mut app);
    assert_eq!(
        key(&mut app, KeyCode::Char('u')),
        [Op::SaveAgent { scope: AgentScope::User, markdown: DRAFT.into() }]
    );
}

#[test]
fn esc_discards_the_draft_and_gives_the_description_back() {
    let mut app = app_with_kinds();
    drafted(&mut app);
    assert!(key(&mut app, KeyCode::Esc).is_empty());
    let screen = screen(&mut app, 80, 10);
    assert!(screen.contains("› /agents new reviews SQL migrations"), "{screen}");
    assert!(!screen.contains("review before saving"), "{screen}");
}

#[test]
fn n_in_the_panel_asks_for_a_description() {
    let mut app = app_with_kinds();
    type_text(&mut app, "/agents");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('n'));
    type_text(&mut app, "writes changelogs");
    assert_eq!(key(&mut app, KeyCode::Enter), [Op::DraftAgent { description: "writes changelogs".into() }]);
}

#[test]
fn a_failed_draft_gives_the_description_back_too() {
    let mut app = app_with_kinds();
    type_text(&mut app, "/agents new reviews SQL migrations");
    key(&mut app, KeyCode::Enter);
    assert!(screen(&mut app, 80, 10).contains("Drafting the agent"));
    app.handle_agent_event(AgentEvent::Notice {
        text: "The model could not draft an agent: overloaded".into(),
    });
    let screen = screen(&mut app, 80, 10);
    assert!(screen.contains("› /agents new reviews SQL migrations"), "{screen}");
    assert!(!screen.contains("Drafting the agent"), "{screen}");
}

#[test]
fn a_nested_sub_agents_approval_carries_its_own_label() {
    let mut app = running_explorer();
    let nested = SubagentView {
        parent_id: "inner-agent".into(),
        agent_type: "plan".into(),
        description: "Plan the fix".into(),
        model: "claude-sonnet-4-5".into(),
        transcript_id: None,
    };
    app.handle_agent_event(from("call-a", AgentEvent::SubagentStarted(nested)));
    let (responder, mut answer) = ApprovalResponder::channel();
    let request = ApprovalRequest {
        call: crate::call("w1", "bash", json!({"command": "make plan"})),
        title: "bash(make plan)".into(),
        detail: ApprovalDetail::Command { command: "make plan".into() },
        suggested_rule: "bash(make plan:*)".into(),
        responder,
    };
    app.handle_agent_event(from("call-a", from("inner-agent", AgentEvent::ApprovalRequested(request))));
    assert!(screen(&mut app, 80, 20).contains("plan · Plan the fix asks:"));
    key(&mut app, KeyCode::Char('n'));
    assert_eq!(answer.try_recv().unwrap(), Decision::DenyAndStop);
}
