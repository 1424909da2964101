//! The API's web search in the transcript: the search as a tool-like entry with the pages it found, a failed
//! search, and the sources a reply cites listed under it.

use crate::{app, assert_screen, screen};
use claurst_protocol::{
    AgentEvent, Citation, ContentBlock, Message, ReplyInfo, Role, WebSearchError, WebSearchOutcome,
    WebSearchResult,
};

fn page(url: &str, title: &str) -> WebSearchResult {
    WebSearchResult {
        kind: "web_search_result".into(),
        url: url.into(),
        title: title.into(),
        encrypted_content: "Enc==".into(),
        page_age: None,
    }
}

fn citation(url: &str, title: &str) -> Citation {
    Citation {
        kind: "web_search_result_location".into(),
        url: Some(url.into()),
        title: Some(title.into()),
        cited_text: Some("Rust 2024 is stable".into()),
        other: Default::default(),
    }
}

fn searched_app() -> claurst_tui::App {
    let mut app = app();
    app.handle_agent_event(AgentEvent::RunStarted { prompt: "what is new in rust 2024?".into() });
    app.handle_agent_event(AgentEvent::TextDelta { text: "Let me look that up.".into() });
    app.handle_agent_event(AgentEvent::WebSearchStarted {
        id: "srvtoolu_1".into(),
        query: "rust 2024 edition".into(),
    });
    app.handle_agent_event(AgentEvent::WebSearchFinished {
        id: "srvtoolu_1".into(),
        outcome: WebSearchOutcome::Results(vec![
            page(
                "https://blog.rust-lang.org/2025/02/20/Rust-1.85.0.html",
                "Announcing Rust 1.85.0 and Rust 2024",
            ),
            page(
                "https://doc.rust-lang.org/edition-guide/rust-2024/index.html",
                "Rust 2024 - The Rust Edition Guide",
            ),
        ]),
    });
    app.handle_agent_event(AgentEvent::WebSearchStarted {
        id: "srvtoolu_2".into(),
        query: "rust 2027 edition".into(),
    });
    app.handle_agent_event(AgentEvent::WebSearchFinished {
        id: "srvtoolu_2".into(),
        outcome: WebSearchOutcome::Error(WebSearchError {
            kind: "web_search_tool_result_error".into(),
            error_code: "max_uses_exceeded".into(),
        }),
    });
    let answer = "Rust 2024 shipped with Rust 1.85 in February 2025.";
    app.handle_agent_event(AgentEvent::TextDelta { text: answer.into() });
    let blog = "https://blog.rust-lang.org/2025/02/20/Rust-1.85.0.html";
    let message = Message {
        role: Role::Assistant,
        content: vec![
            ContentBlock::text("Let me look that up."),
            ContentBlock::Text {
                text: answer.into(),
                citations: Some(vec![
                    citation(blog, "Announcing Rust 1.85.0 and Rust 2024"),
                    citation(blog, "Announcing Rust 1.85.0 and Rust 2024"),
                ]),
            },
        ],
    };
    app.handle_agent_event(AgentEvent::AssistantMessage { message, reply: ReplyInfo::default() });
    app
}

#[test]
fn a_search_shows_its_query_results_and_the_cited_sources() {
    for (width, height) in [(80, 24), (200, 60)] {
        let mut app = searched_app();
        let shown = screen(&mut app, width, height);
        assert!(shown.contains("Web search · rust 2024 edition"), "{shown}");
        assert!(shown.contains("Search failed: max uses exceeded"), "{shown}");
        assert_eq!(shown.matches("Sources:").count(), 1, "{shown}");
        assert_screen!(format!("web_search_{width}x{height}"), shown);
    }
}

#[test]
fn a_search_cut_short_by_the_end_of_the_run_stops_spinning() {
    let mut app = app();
    app.handle_agent_event(AgentEvent::RunStarted { prompt: "what is new in rust 2024?".into() });
    app.handle_agent_event(AgentEvent::WebSearchStarted {
        id: "srvtoolu_1".into(),
        query: "rust 2024 edition".into(),
    });
    // Interrupted between the search's start and its results: the results never come.
    crate::run_finished(&mut app, claurst_protocol::RunOutcome::Interrupted);
    assert!(!app.is_animating(), "an idle screen keeps no spinner going");
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("Stopped before the results came"), "{shown}");
}
