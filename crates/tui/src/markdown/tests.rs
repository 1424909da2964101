use super::*;

fn plain(markdown: &str, width: usize) -> Vec<String> {
    render(markdown, width, Theme::monochrome())
        .iter()
        .map(|line| line.spans.iter().map(|s| s.content.as_ref()).collect::<String>())
        .collect()
}

#[test]
fn paragraphs_headings_and_emphasis() {
    let lines = plain("# Title\n\nSome *emphasis* and **strong** text that wraps around.\n", 20);
    assert_eq!(lines, ["Title", "", "Some emphasis and", "strong text that", "wraps around."]);
    let styled = render("**bold**", 20, Theme::colored());
    assert!(styled[0].spans[0].style.add_modifier.contains(Modifier::BOLD));
}

#[test]
fn nested_lists_get_markers_and_hanging_indents() {
    let lines = plain("- one\n- two is a longer item\n  - nested\n3. three\n", 16);
    assert_eq!(lines, ["• one", "• two is a", "  longer item", "  • nested", "", "3. three"]);
}

#[test]
fn code_blocks_are_framed_indented_and_kept_verbatim() {
    let lines = plain("Before\n\n```rust\nfn main() {\n    let x = 1;\n}\n```\nAfter", 20);
    let top = format!("── rust {}", "─".repeat(12));
    let bottom = "─".repeat(20);
    assert_eq!(lines, ["Before", "", &top, "  fn main() {", "      let x = 1;", "  }", &bottom, "", "After"]);
}

#[test]
fn code_blocks_are_highlighted_when_colour_is_on() {
    highlight::load_now();
    let lines = render("```rust\nlet x = 1;\n```", 40, Theme::colored());
    let colours: std::collections::HashSet<_> = lines[1].spans.iter().filter_map(|s| s.style.fg).collect();
    assert!(colours.len() > 1, "expected several colours, got {colours:?}");
}

#[test]
fn links_show_their_target() {
    assert_eq!(plain("See [the docs](https://docs.rs) now.", 60), ["See the docs (https://docs.rs) now."]);
    assert_eq!(plain("<https://docs.rs>", 60), ["https://docs.rs"]);
}

#[test]
fn tables_align_and_fit() {
    let lines = plain("| Tool | Use |\n|---|---:|\n| grep | search |\n| bash | run |\n", 40);
    assert_eq!(lines, ["Tool │    Use", "─────┼───────", "grep │ search", "bash │    run"]);
    let narrow =
        plain("| Column one | Column two |\n|---|---|\n| a long cell value | another long one |\n", 20);
    assert!(narrow.iter().all(|l| unicode_width::UnicodeWidthStr::width(l.as_str()) <= 20), "{narrow:?}");
}

#[test]
fn quotes_and_rules() {
    let lines = plain("> quoted text\n\n---\n\nafter", 30);
    assert_eq!(lines[0], "│ quoted text");
    assert!(lines.iter().any(|l| l.starts_with("───")));
}

#[test]
fn unfinished_markdown_while_streaming_renders() {
    let lines = plain("Here is code:\n\n```py\nprint(1", 30);
    let (top, bottom) = (format!("── py {}", "─".repeat(24)), "─".repeat(30));
    assert_eq!(lines, ["Here is code:", "", &top, "  print(1", &bottom]);
}
