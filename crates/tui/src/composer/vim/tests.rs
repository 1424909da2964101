#![allow(clippy::unwrap_used)]
use super::*;

/// A composer holding `text` with the caret at `|` (removed), and Vim in NORMAL.
fn normal(text: &str) -> (Composer, Vim) {
    let at = text.find('|').unwrap();
    let mut composer = Composer::new();
    composer.text = text.replacen('|', "", 1);
    composer.cursor = at;
    (composer, Vim { mode: VimMode::Normal, ..Vim::default() })
}

fn keys(composer: &mut Composer, vim: &mut Vim, keys: &str) {
    for key in keys.chars() {
        let code = if key == '\u{1b}' { KeyCode::Esc } else { KeyCode::Char(key) };
        if vim.handle_key(composer, KeyEvent::new(code, KeyModifiers::NONE)) == VimOutcome::PassThrough {
            composer.insert_char(key);
        }
    }
}

/// The text with `|` at the caret after `typed`.
fn after(text: &str, typed: &str) -> String {
    let (mut composer, mut vim) = normal(text);
    keys(&mut composer, &mut vim, typed);
    let mut shown = composer.text.clone();
    shown.insert(composer.cursor, '|');
    shown
}

#[test]
fn motions_move_by_characters_words_and_lines() {
    assert_eq!(after("hel|lo world", "h"), "he|llo world");
    assert_eq!(after("hel|lo", "ll"), "hell|o", "l stops on the last character");
    assert_eq!(after("|foo.bar baz", "w"), "foo|.bar baz");
    assert_eq!(after("|foo.bar baz", "ww"), "foo.|bar baz");
    assert_eq!(after("foo |bar", "b"), "|foo bar");
    assert_eq!(after("|foo bar", "e"), "fo|o bar");
    assert_eq!(after("|foo bar", "ee"), "foo ba|r");
    assert_eq!(after("  ab|c", "0"), "|  abc");
    assert_eq!(after("  ab|c", "^"), "  |abc");
    assert_eq!(after("|abc", "$"), "ab|c");
    assert_eq!(after("one\ntw|o\nthree", "gg"), "|one\ntwo\nthree");
    assert_eq!(after("|one\ntwo\n  three", "G"), "one\ntwo\n  |three");
    assert_eq!(after("o|ne\ntwo", "j"), "one\nt|wo");
    assert_eq!(after("one\nt|wo", "k"), "o|ne\ntwo");
}

#[test]
fn operators_delete_change_and_yank() {
    assert_eq!(after("a|bc", "x"), "a|c");
    assert_eq!(after("one\n|two\nthree", "dd"), "one\n|three");
    assert_eq!(after("one\n|two", "dd"), "|one");
    assert_eq!(after("|foo bar", "dw"), "|bar");
    assert_eq!(after("foo |bar", "dw"), "foo| ", "dw at the last word stops at the line's end");
    assert_eq!(after("|foo bar", "cwnew\u{1b}"), "ne|w bar");
    assert_eq!(after("one |two", "ccx\u{1b}"), "|x");
    assert_eq!(after("keep |this", "D"), "keep| ");
    assert_eq!(after("keep |this", "Cthat\u{1b}"), "keep tha|t");
    assert_eq!(after("foo b|ar", "db"), "foo |ar");
}

#[test]
fn insert_commands_place_the_caret_and_esc_steps_back() {
    assert_eq!(after("a|b", "iX\u{1b}"), "a|Xb");
    assert_eq!(after("a|b", "aX\u{1b}"), "ab|X");
    assert_eq!(after("|ab", "AX\u{1b}"), "ab|X");
    assert_eq!(after("  a|b", "IX\u{1b}"), "  |Xab");
    assert_eq!(after("o|ne\ntwo", "onew\u{1b}"), "one\nne|w\ntwo");
    assert_eq!(after("one\nt|wo", "Onew\u{1b}"), "one\nne|w\ntwo");
}

#[test]
fn paste_puts_back_what_was_deleted_or_yanked() {
    assert_eq!(after("|one\ntwo", "yyjp"), "one\ntwo\n|one");
    assert_eq!(after("|one\ntwo", "ddp"), "two\n|one");
    assert_eq!(after("|foo bar", "dwP"), "foo| bar");
    assert_eq!(after("|ab", "xp"), "b|a");
}

#[test]
fn undo_restores_each_change_in_turn() {
    assert_eq!(after("|foo bar", "dwxu"), "|bar");
    assert_eq!(after("|foo bar", "dwxuu"), "|foo bar");
    assert_eq!(after("a|b", "iXYZ\u{1b}u"), "a|b", "an insert session undoes at once");
}

#[test]
fn unknown_keys_in_normal_insert_nothing_and_enter_passes_through() {
    assert_eq!(after("a|b", "zq!"), "a|b");
    let (mut composer, mut vim) = normal("a|b");
    let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(vim.handle_key(&mut composer, enter), VimOutcome::PassThrough);
    assert_eq!(vim.mode(), VimMode::Insert, "the next prompt starts in INSERT");
}
