use super::*;
use ratatui::style::Modifier;

const EDIT: &str = "--- src/lib.rs\n+++ src/lib.rs\n@@ -1,3 +1,3 @@\n fn main() {\n-    let total = 1;\n+    let total = 2;\n }\n";

fn text(line: &Line<'_>) -> String {
    line.spans.iter().map(|span| span.content.as_ref()).collect()
}

#[test]
fn a_summary_heads_numbered_rows() {
    let lines = render("src/lib.rs", EDIT, 40, Theme::monochrome());
    let shown: Vec<String> = lines.iter().map(text).collect();
    assert_eq!(shown[0], "Added 1 line, removed 1 line");
    assert_eq!(shown[1], "1 1   fn main() {");
    assert_eq!(shown[2], "2   -     let total = 1;");
    assert_eq!(shown[3], "  2 +     let total = 2;");
}

#[test]
fn wide_lines_wrap_under_a_blank_gutter() {
    let long = format!("@@ -1 +1 @@\n-short\n+{}\n", "word ".repeat(12));
    let lines = render("notes.txt", &long, 30, Theme::monochrome());
    let shown: Vec<String> = lines.iter().map(text).collect();
    assert!(shown.len() >= 4, "{shown:?}");
    assert!(shown[3].starts_with("      "), "continuation keeps the gutter blank: {shown:?}");
    // Each row after the gutter (`  1 + ` or six blanks), put back together, is the whole line.
    let all: String = shown[2..].iter().map(|line| &line[6..]).collect();
    assert_eq!(all.trim_end(), "word ".repeat(12).trim_end(), "nothing is cut: {shown:?}");
}

#[test]
fn changed_lines_have_backgrounds_and_changed_words_a_stronger_one() {
    let theme = Theme::colored();
    let lines = render("src/lib.rs", EDIT, 40, theme);
    let added = &lines[3];
    let word =
        added.spans.iter().find(|span| span.content.contains('2') && !span.content.contains(' ')).unwrap();
    assert_eq!(word.style.bg, theme.diff_added_word().bg);
    let rest = added.spans.iter().find(|span| span.content.contains("let")).unwrap();
    assert_eq!(rest.style.bg, theme.diff_added_line().bg);
    assert_ne!(theme.diff_added_line().bg, theme.diff_added_word().bg);
}

#[test]
fn without_colour_changed_words_are_underlined_and_nothing_is_coloured() {
    let lines = render("src/lib.rs", EDIT, 40, Theme::monochrome());
    for span in lines.iter().flat_map(|line| &line.spans) {
        assert_eq!((span.style.fg, span.style.bg), (None, None), "{span:?}");
    }
    let word = lines[3].spans.iter().find(|span| span.content == "2;").unwrap();
    assert!(word.style.add_modifier.contains(Modifier::UNDERLINED));
}

#[test]
fn code_is_coloured_by_its_extension() {
    highlight::load_now();
    let lines = render("src/lib.rs", EDIT, 60, Theme::colored());
    let colours: std::collections::HashSet<_> =
        lines[1].spans.iter().skip(2).filter_map(|span| span.style.fg).collect();
    assert!(colours.len() > 1, "{:?}", lines[1]);
}
