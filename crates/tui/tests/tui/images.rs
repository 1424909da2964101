//! Images in the prompt: a pasted image path becomes a chip, and the prompt goes with its image.

use crate::{app, assert_screen, key_ops, notices, screen, type_keys};
use claurst_protocol::{AgentEvent, ImageSource, Op};
use crossterm::event::{Event, KeyCode};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01";

#[test]
fn a_pasted_image_path_becomes_a_chip_and_is_sent_as_an_image() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("screen shot.png");
    std::fs::write(&path, PNG).unwrap();
    let mut app = app();
    type_keys(&mut app, "what is wrong here ");
    let dropped = path.display().to_string().replace(' ', "\\ ");
    app.handle_terminal_event(Event::Paste(dropped));
    type_keys(&mut app, " ?");
    assert_screen!("image_chip_in_composer_80x24", screen(&mut app, 80, 24));
    assert_screen!("image_chip_in_composer_200x60", screen(&mut app, 200, 60));

    let ops = key_ops(&mut app, KeyCode::Enter);
    let expected = ImageSource::from_image_bytes(PNG).unwrap();
    assert_eq!(
        ops,
        [Op::PromptWithImages { text: "what is wrong here [Image #1] ?".into(), images: vec![expected] }]
    );
    app.handle_agent_event(AgentEvent::RunStarted { prompt: "what is wrong here [Image #1] ?".into() });
    assert_screen!("image_chip_in_transcript_80x24", screen(&mut app, 80, 24));
    assert_screen!("image_chip_in_transcript_200x60", screen(&mut app, 200, 60));
}

#[test]
fn backspace_removes_the_chip_and_its_image() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.png");
    std::fs::write(&path, PNG).unwrap();
    let mut app = app();
    type_keys(&mut app, "look");
    app.handle_terminal_event(Event::Paste(format!("'{}'", path.display())));
    key_ops(&mut app, KeyCode::Backspace);
    assert_eq!(key_ops(&mut app, KeyCode::Enter), [Op::Prompt { text: "look".into() }]);
}

#[test]
fn a_pasted_non_image_is_text_and_a_fake_image_is_refused_with_a_flash_but_kept_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("fake.png");
    std::fs::write(&fake, "not an image").unwrap();
    let mut app = app();
    app.handle_terminal_event(Event::Paste("just words".into()));
    app.handle_terminal_event(Event::Paste(fake.display().to_string()));
    let shown = screen(&mut app, 100, 24);
    assert!(shown.contains("fake.png is not a PNG, JPEG, GIF or WebP image; not attached"), "{shown}");
    // The refused path stays in the prompt as pasted: nothing the user pasted is lost.
    let text = format!("just words{}", fake.display());
    assert_eq!(key_ops(&mut app, KeyCode::Enter), [Op::Prompt { text }]);
    assert!(notices(&app).is_empty());
}

#[test]
fn ctrl_v_leaves_the_clipboard_read_to_the_event_loop() {
    use crossterm::event::{KeyEvent, KeyModifiers};
    // The clipboard program may take seconds: the key only asks for the read, which runs off the loop.
    let mut app = app();
    let ctrl_v = Event::Key(KeyEvent::new(KeyCode::Char('v'), KeyModifiers::CONTROL));
    assert_eq!(app.handle_terminal_event(ctrl_v).0, [claurst_tui::Effect::ReadClipboardImage]);
}

#[test]
fn a_queued_prompt_with_an_image_stays_queued_on_up() {
    // The session does not withdraw a queued prompt that has images: Up must not pretend to take it back
    // (it would run anyway, and again once edited and sent).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.png");
    std::fs::write(&path, PNG).unwrap();
    let mut app = app();
    app.handle_agent_event(AgentEvent::RunStarted { prompt: "first".into() });
    type_keys(&mut app, "and this ");
    app.handle_terminal_event(Event::Paste(path.display().to_string()));
    let sent = key_ops(&mut app, KeyCode::Enter);
    assert!(matches!(sent.as_slice(), [Op::PromptWithImages { .. }]), "{sent:?}");
    assert!(key_ops(&mut app, KeyCode::Up).is_empty(), "no withdrawal is sent");
    let shown = screen(&mut app, 80, 16);
    assert!(shown.contains("queued: and this [Image #1]"), "{shown}");
}

#[test]
fn a_recalled_prompt_does_not_pick_up_the_drafts_image_and_the_draft_gets_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.png");
    std::fs::write(&path, PNG).unwrap();
    let mut app = app();
    app.handle_terminal_event(Event::Paste(path.display().to_string()));
    type_keys(&mut app, " what is this");
    let sent = key_ops(&mut app, KeyCode::Enter);
    assert!(matches!(sent.as_slice(), [Op::PromptWithImages { .. }]), "{sent:?}");

    // A new draft with an image of its own; Up recalls "[Image #1] what is this", which has none attached.
    app.handle_terminal_event(Event::Paste(path.display().to_string()));
    key_ops(&mut app, KeyCode::Up);
    let sent = key_ops(&mut app, KeyCode::Enter);
    assert!(
        matches!(sent.as_slice(), [Op::Prompt { text }] if text == "[Image #1] what is this"),
        "{sent:?}"
    );

    // Walking back down to the draft brings its image back.
    app.handle_terminal_event(Event::Paste(path.display().to_string()));
    key_ops(&mut app, KeyCode::Up);
    key_ops(&mut app, KeyCode::Down);
    let sent = key_ops(&mut app, KeyCode::Enter);
    assert!(
        matches!(sent.as_slice(), [Op::PromptWithImages { images, .. }] if images.len() == 1),
        "{sent:?}"
    );
}
