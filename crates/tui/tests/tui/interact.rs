//! The question picker and the plan hand-off: what they show, and what the keys answer.

use crate::{app, assert_screen, call, key_ops, notices, screen, type_keys};
use claurst_protocol::{
    AgentEvent, PlanChoice, PlanRequest, Question, QuestionOption, QuestionReply, QuestionRequest, Responder,
};
use claurst_tui::App;
use crossterm::event::KeyCode;
use serde_json::json;
use tokio::sync::oneshot;

fn option(label: &str, description: &str) -> QuestionOption {
    QuestionOption { label: label.into(), description: description.into() }
}

fn database() -> Question {
    Question {
        question: "Which database should the service use?".into(),
        header: "Database".into(),
        options: vec![
            option("Postgres", "A server; the team knows it well"),
            option("SQLite", "One file, nothing to run"),
        ],
        multi_select: false,
    }
}

fn extras() -> Question {
    Question {
        question: "Which extras should it ship with?".into(),
        header: "Extras".into(),
        options: vec![
            option("Auth", "Sign-in with the company's SSO"),
            option("Metrics", "Prometheus endpoint"),
            option("Tracing", "OpenTelemetry spans"),
        ],
        multi_select: true,
    }
}

fn ask(app: &mut App, questions: Vec<Question>) -> oneshot::Receiver<QuestionReply> {
    let call = call("q1", "ask_user_question", json!({ "questions": questions }));
    app.handle_agent_event(AgentEvent::ToolCallRequested(call.clone()));
    let (responder, reply) = Responder::channel();
    app.handle_agent_event(AgentEvent::QuestionAsked(QuestionRequest { call, questions, responder }));
    reply
}

fn review(app: &mut App, plan: &str) -> oneshot::Receiver<PlanChoice> {
    let call = call("p1", "exit_plan_mode", json!({"plan": plan}));
    app.handle_agent_event(AgentEvent::ToolCallRequested(call.clone()));
    let (responder, reply) = Responder::channel();
    app.handle_agent_event(AgentEvent::PlanReviewRequested(PlanRequest {
        call,
        plan: plan.into(),
        responder,
    }));
    reply
}

const PLAN: &str = "## Plan: add a health check\n\n1. Add `GET /health` in `src/routes.rs`\n2. Answer **200** \
                    with the build version\n3. Cover it with a test in `tests/health.rs`\n\n```rust\nasync fn \
                    health() -> &'static str { \"ok\" }\n```";

#[test]
fn single_choice_picker() {
    let mut app = app();
    let _reply = ask(&mut app, vec![database()]);
    assert_screen!("question_single_80x24", screen(&mut app, 80, 24));
    assert_screen!("question_single_200x60", screen(&mut app, 200, 60));
}

#[test]
fn multi_select_picker_with_other_typed() {
    let mut app = app();
    let _reply = ask(&mut app, vec![database(), extras()]);
    key_ops(&mut app, KeyCode::Tab);
    key_ops(&mut app, KeyCode::Char(' '));
    key_ops(&mut app, KeyCode::Down);
    key_ops(&mut app, KeyCode::Down);
    key_ops(&mut app, KeyCode::Char(' '));
    key_ops(&mut app, KeyCode::Char('4'));
    type_keys(&mut app, "Audit log");
    assert_screen!("question_multi_other_80x24", screen(&mut app, 80, 24));
    assert_screen!("question_multi_other_200x60", screen(&mut app, 200, 60));
}

#[test]
fn every_question_answered_replies_in_order() {
    let mut app = app();
    let mut reply = ask(&mut app, vec![database(), extras()]);
    key_ops(&mut app, KeyCode::Char('2'));
    key_ops(&mut app, KeyCode::Char('1'));
    key_ops(&mut app, KeyCode::Char('3'));
    assert!(reply.try_recv().is_err(), "a multi-select question waits for enter");
    key_ops(&mut app, KeyCode::Enter);
    assert_eq!(
        reply.try_recv().unwrap(),
        QuestionReply::Answered(vec!["SQLite".into(), "Auth, Tracing".into()])
    );
    assert!(notices(&app).contains("Which database should the service use? → SQLite"), "{}", notices(&app));
}

#[test]
fn other_opens_a_text_field_and_esc_declines() {
    let mut app = app();
    let mut reply = ask(&mut app, vec![database()]);
    key_ops(&mut app, KeyCode::Up);
    key_ops(&mut app, KeyCode::Enter);
    type_keys(&mut app, "MySQL");
    key_ops(&mut app, KeyCode::Enter);
    assert_eq!(reply.try_recv().unwrap(), QuestionReply::Answered(vec!["MySQL".into()]));

    let mut reply = ask(&mut app, vec![database()]);
    key_ops(&mut app, KeyCode::Esc);
    assert_eq!(reply.try_recv().unwrap(), QuestionReply::Declined(None));
}

#[test]
fn plan_hand_off() {
    let mut app = app();
    let _reply = review(&mut app, PLAN);
    assert_screen!("plan_review_80x24", screen(&mut app, 80, 24));
    assert_screen!("plan_review_200x60", screen(&mut app, 200, 60));
}

#[test]
fn keep_planning_takes_typed_feedback() {
    let mut app = app();
    let mut reply = review(&mut app, PLAN);
    key_ops(&mut app, KeyCode::Char('3'));
    type_keys(&mut app, "use a trait");
    assert_screen!("plan_review_feedback_80x24", screen(&mut app, 80, 24));
    key_ops(&mut app, KeyCode::Enter);
    assert_eq!(reply.try_recv().unwrap(), PlanChoice::KeepPlanning("use a trait".into()));
}

#[test]
fn an_approved_plan_stays_in_the_transcript() {
    let mut app = app();
    let mut reply = review(&mut app, PLAN);
    key_ops(&mut app, KeyCode::Down);
    key_ops(&mut app, KeyCode::Enter);
    assert_eq!(reply.try_recv().unwrap(), PlanChoice::ApproveAskFirst);
    app.handle_agent_event(AgentEvent::PermissionModeChanged(claurst_protocol::PermissionMode::Default));
    assert_screen!("plan_approved_80x24", screen(&mut app, 80, 24));
}

/// The caret's column at 80x24.
fn caret_column(app: &mut App) -> u16 {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    terminal.draw(|frame| claurst_tui::draw(frame, app)).unwrap();
    terminal.get_cursor_position().unwrap().x
}

#[test]
fn the_caret_follows_wide_characters_by_their_columns() {
    let mut app = app();
    let _reply = ask(&mut app, vec![database()]);
    key_ops(&mut app, KeyCode::Up);
    key_ops(&mut app, KeyCode::Enter);
    type_keys(&mut app, "ab");
    let before = caret_column(&mut app);
    type_keys(&mut app, "日本");
    assert_eq!(caret_column(&mut app), before + 4, "two wide characters take four columns");

    let mut app = crate::app();
    let _reply = review(&mut app, PLAN);
    key_ops(&mut app, KeyCode::Char('3'));
    type_keys(&mut app, "ab");
    let before = caret_column(&mut app);
    type_keys(&mut app, "日本");
    assert_eq!(caret_column(&mut app), before + 4, "two wide characters take four columns");
}
