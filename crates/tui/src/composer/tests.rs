use super::*;

#[test]
fn editing_and_caret_movement() {
    let mut composer = Composer::new();
    composer.insert_str("hello wörld");
    composer.left();
    composer.left();
    composer.backspace();
    assert_eq!(composer.text(), "hello wöld");
    composer.home();
    composer.insert_char('>');
    assert_eq!(composer.text(), ">hello wöld");
    composer.end();
    composer.delete_word_back();
    assert_eq!(composer.text(), ">hello ");
}

#[test]
fn multi_line_navigation_keeps_the_column() {
    let mut composer = Composer::new();
    composer.insert_str("first line");
    composer.newline();
    composer.insert_str("ab");
    assert!(!composer.is_on_first_line());
    composer.up();
    assert!(composer.is_on_first_line());
    assert_eq!(composer.cursor(), 2);
    composer.down();
    assert_eq!(composer.cursor(), composer.text().len());
}

#[test]
fn backslash_enter_continues_the_line() {
    let mut composer = Composer::new();
    composer.insert_str("line one\\");
    assert!(composer.continue_line_after_backslash());
    assert_eq!(composer.text(), "line one\n");
    composer.insert_str("two");
    assert!(!composer.continue_line_after_backslash());
}

#[test]
fn long_pastes_fold_and_expand_on_send() {
    let mut composer = Composer::new();
    composer.insert_str("look: ");
    let pasted: String = (0..20).map(|n| format!("line {n}\n")).collect();
    composer.paste(&pasted);
    assert_eq!(composer.text(), "look: [Pasted text #1 +20 lines]");
    assert_eq!(composer.take_submission(), format!("look: {pasted}"));
    assert!(composer.is_empty());
}

#[test]
fn backspace_removes_a_folded_paste_whole() {
    let mut composer = Composer::new();
    composer.paste(&"x\n".repeat(30));
    composer.backspace();
    assert!(composer.is_empty());
    assert_eq!(composer.take_submission(), "");
}

#[test]
fn layout_places_the_caret() {
    let mut composer = Composer::new();
    composer.insert_str("abcdefghij");
    let (lines, caret) = composer.layout(8, Theme::monochrome(), Style::new());
    assert_eq!(lines.len(), 2);
    assert_eq!(caret, (6, 1));
    composer.home();
    let (_, caret) = composer.layout(8, Theme::monochrome(), Style::new());
    assert_eq!(caret, (2, 0));
}

#[test]
fn history_walks_and_restores_the_draft() {
    let mut history = History::load(None);
    history.record("one");
    history.record("two");
    history.record("two");
    assert_eq!(history.entries(), ["one", "two"]);
    assert_eq!(history.previous("draft"), Some("two"));
    assert_eq!(history.previous("two"), Some("one"));
    assert_eq!(history.previous("one"), Some("one"));
    assert_eq!(history.next(), Some("two"));
    assert_eq!(history.next(), Some("draft"));
    assert_eq!(history.search("ON", None), Some((0, "one")));
}

#[test]
fn history_persists() {
    let dir = std::env::temp_dir().join(format!("claurst-history-{}", std::process::id()));
    let file = dir.join("history.jsonl");
    let _ = std::fs::remove_file(&file);
    let mut history = History::load(Some(file.clone()));
    history.record("multi\nline prompt");
    let reloaded = History::load(Some(file.clone()));
    assert_eq!(reloaded.entries(), ["multi\nline prompt"]);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn token_at_cursor() {
    let mut composer = Composer::new();
    composer.insert_str("read @src/ma");
    assert_eq!(composer.token_at_cursor(), (5, "@src/ma"));
    composer.replace_before_cursor(5, "@src/main.rs ");
    assert_eq!(composer.text(), "read @src/main.rs ");
}
