//! The rewind dialog: Esc Esc and `/rewind` ask for the turns, the list, the restore choice, and what a
//! rewind leaves on screen.

use crate::{app, assert_screen, key_ops, notices, screen, type_keys};
use claurst_protocol::{
    AgentEvent, HistoryItem, Message, Op, RestoreScope, RewindReport, SkippedFileView, TurnView,
};
use claurst_tui::App;
use crossterm::event::KeyCode;

fn turns() -> Vec<TurnView> {
    vec![
        TurnView {
            turn: 1,
            prompt: "Create the lexer module with a Token enum".into(),
            time: "Dec 02 05:41".into(),
            files: vec!["src/lexer.rs".into(), "src/lib.rs".into()],
        },
        TurnView {
            turn: 2,
            prompt: "What does the parser do?".into(),
            time: "Dec 02 05:44".into(),
            files: vec![],
        },
        TurnView {
            turn: 3,
            prompt: "Rename Token to Lexeme everywhere and fix the tests".into(),
            time: "Dec 02 05:52".into(),
            files: vec!["src/lexer.rs".into(), "src/parser.rs".into(), "tests/lexer.rs".into()],
        },
    ]
}

/// The app with the rewind list open, through Esc Esc.
fn open_list() -> App {
    let mut app = app();
    assert!(key_ops(&mut app, KeyCode::Esc).is_empty(), "one Esc only arms");
    assert_eq!(key_ops(&mut app, KeyCode::Esc), vec![Op::ListCheckpoints]);
    app.handle_agent_event(AgentEvent::Checkpoints(turns()));
    app
}

#[test]
fn esc_esc_on_an_empty_idle_composer_opens_the_list_newest_selected() {
    let mut app = open_list();
    assert_screen!("rewind_list_80x24", screen(&mut app, 80, 24));
    assert_screen!("rewind_list_200x60", screen(&mut app, 200, 60));
}

#[test]
fn choosing_a_turn_asks_what_to_restore() {
    let mut app = open_list();
    key_ops(&mut app, KeyCode::Up);
    assert!(key_ops(&mut app, KeyCode::Enter).is_empty());
    assert_screen!("rewind_choice_80x24", screen(&mut app, 80, 24));
    assert_screen!("rewind_choice_200x60", screen(&mut app, 200, 60));
    assert_eq!(key_ops(&mut app, KeyCode::Enter), vec![Op::Rewind { turn: 2, scope: RestoreScope::Both }]);
}

#[test]
fn each_answer_sends_its_scope_and_never_mind_sends_nothing() {
    for (digit, scope) in
        [('2', Some(RestoreScope::Conversation)), ('3', Some(RestoreScope::Code)), ('4', None)]
    {
        let mut app = open_list();
        key_ops(&mut app, KeyCode::Enter);
        let ops = key_ops(&mut app, KeyCode::Char(digit));
        let expected: Vec<Op> = scope.map(|scope| Op::Rewind { turn: 3, scope }).into_iter().collect();
        assert_eq!(ops, expected);
        assert!(!screen(&mut app, 80, 24).contains("Rewind:"), "the dialog closed");
    }
}

#[test]
fn esc_steps_back_then_closes() {
    let mut app = open_list();
    key_ops(&mut app, KeyCode::Enter);
    key_ops(&mut app, KeyCode::Esc);
    assert!(screen(&mut app, 80, 24).contains("pick a turn"), "Esc on the choice returns to the list");
    key_ops(&mut app, KeyCode::Esc);
    assert!(!screen(&mut app, 80, 24).contains("Rewind:"));
}

#[test]
fn esc_esc_does_not_rewind_with_text_in_the_composer_or_while_busy() {
    let mut app = app();
    type_keys(&mut app, "draft");
    assert!(key_ops(&mut app, KeyCode::Esc).is_empty());
    assert!(key_ops(&mut app, KeyCode::Esc).is_empty());

    let mut app = app_busy();
    assert_eq!(key_ops(&mut app, KeyCode::Esc), vec![Op::Interrupt], "Esc still interrupts a run");
    assert_eq!(key_ops(&mut app, KeyCode::Esc), vec![Op::Interrupt]);
}

fn app_busy() -> App {
    let mut app = app();
    app.handle_agent_event(AgentEvent::RunStarted { prompt: "go".into() });
    app
}

#[test]
fn slash_rewind_asks_for_the_turns_and_an_empty_session_says_so() {
    let mut app = app();
    type_keys(&mut app, "/rewind");
    assert_eq!(key_ops(&mut app, KeyCode::Enter), vec![Op::ListCheckpoints]);
    app.handle_agent_event(AgentEvent::Checkpoints(Vec::new()));
    assert!(notices(&app).contains("Nothing to rewind yet"), "{}", notices(&app));
    // Turns nobody asked for (another front-end's request) open nothing.
    app.handle_agent_event(AgentEvent::Checkpoints(turns()));
    assert!(!screen(&mut app, 80, 24).contains("Rewind:"));
}

#[test]
fn a_rewind_redraws_the_conversation_and_puts_the_prompt_back() {
    let mut app = app();
    app.handle_agent_event(AgentEvent::HistoryLoaded {
        session_id: "0f6c2a".into(),
        calls: Vec::new(),
        items: vec![
            HistoryItem::Message(Message::user("Create the lexer module with a Token enum")),
            HistoryItem::Message(Message::assistant("Created src/lexer.rs.")),
        ],
    });
    app.handle_agent_event(AgentEvent::Rewound(RewindReport {
        turn: 3,
        scope: RestoreScope::Both,
        restored: vec!["src/lexer.rs".into(), "src/parser.rs".into()],
        skipped: vec![SkippedFileView {
            path: "tests/lexer.rs".into(),
            reason: "changed outside Claurst since it wrote it; kept as it is".into(),
        }],
        prompt: Some("Rename Token to Lexeme everywhere and fix the tests".into()),
    }));
    let shown = screen(&mut app, 80, 24);
    assert!(!shown.contains("Resumed."), "{shown}");
    assert_screen!("rewound_80x24", shown);
}
