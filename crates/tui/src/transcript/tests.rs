use super::*;
use crate::theme::Theme;
use std::time::Instant;

fn context() -> RenderContext {
    RenderContext { theme: Theme::monochrome(), detailed: false, now: Instant::now() }
}

fn text(lines: &[Line<'_>]) -> Vec<String> {
    lines.iter().map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect()).collect()
}

fn numbered(count: usize) -> Transcript {
    let mut transcript = Transcript::new();
    for n in 0..count {
        transcript.push(Cell::User { text: format!("prompt {n}") });
    }
    transcript
}

#[test]
fn following_shows_the_end() {
    let mut transcript = numbered(10);
    let lines = text(&transcript.visible_lines(40, 3, &context()));
    assert_eq!(lines, ["› prompt 8", "", "› prompt 9"]);
}

#[test]
fn scrolling_up_holds_the_view_while_output_arrives() {
    let mut transcript = numbered(10);
    let ctx = context();
    transcript.visible_lines(40, 3, &ctx);
    transcript.scroll_up(4, 40, 3, &ctx);
    let before = text(&transcript.visible_lines(40, 3, &ctx));
    assert_eq!(before, ["› prompt 6", "", "› prompt 7"]);
    transcript.push(Cell::User { text: "new output".into() });
    assert_eq!(text(&transcript.visible_lines(40, 3, &ctx)), before, "the view must not jump");
    assert!(!transcript.is_following());
}

#[test]
fn scrolling_back_down_resumes_following() {
    let mut transcript = numbered(10);
    let ctx = context();
    transcript.scroll_up(6, 40, 3, &ctx);
    transcript.scroll_down(100, 40, 3, &ctx);
    assert!(transcript.is_following());
    transcript.push(Cell::User { text: "latest".into() });
    assert_eq!(text(&transcript.visible_lines(40, 3, &ctx)).last().unwrap(), "› latest");
}

#[test]
fn top_and_bottom() {
    let mut transcript = numbered(10);
    let ctx = context();
    transcript.scroll_to_top();
    assert_eq!(text(&transcript.visible_lines(40, 2, &ctx)), ["› prompt 0", ""]);
    transcript.scroll_to_bottom();
    assert_eq!(text(&transcript.visible_lines(40, 1, &ctx)), ["› prompt 9"]);
}

#[test]
fn resizing_rewraps_everything() {
    let mut transcript = Transcript::new();
    transcript.push(Cell::User { text: "a fairly long prompt that needs wrapping".into() });
    let ctx = context();
    let wide = transcript.visible_lines(60, 10, &ctx);
    let narrow = transcript.visible_lines(16, 10, &ctx);
    assert_eq!(wide.len(), 1);
    assert!(narrow.len() > 2);
    assert!(narrow.iter().all(|l| crate::markdown::wrap::line_width(l) <= 16));
}

#[test]
fn scrolling_past_the_top_stops_there() {
    let mut transcript = numbered(3);
    let ctx = context();
    transcript.scroll_up(1000, 40, 2, &ctx);
    assert_eq!(text(&transcript.visible_lines(40, 2, &ctx))[0], "› prompt 0");
}

#[test]
fn the_layout_cache_stays_bounded() {
    let mut transcript = numbered(5000);
    let ctx = context();
    transcript.scroll_to_top();
    for _ in 0..2000 {
        transcript.scroll_down(5, 40, 20, &ctx);
        transcript.visible_lines(40, 20, &ctx);
    }
    assert!(transcript.cache.len() <= CACHE_LIMIT);
}
