//! Positions as the model writes them (1-based line, 1-based character in the line) and as LSP counts them
//! (0-based line, UTF-16 code units).

/// The LSP position of 1-based `line` and `character` in `text`; `None` when the line does not exist.
pub fn to_lsp(text: &str, line: u32, character: u32) -> Option<(u32, u32)> {
    let index = line.checked_sub(1)?;
    let line_text = text.split('\n').nth(index as usize)?;
    let chars = character.saturating_sub(1) as usize;
    let units: usize = line_text.chars().take(chars).map(char::len_utf16).sum();
    Some((index, u32::try_from(units).unwrap_or(u32::MAX)))
}

/// The 1-based line and character of an LSP position in `text` (the character counted in characters).
pub fn from_lsp(text: &str, line: u32, utf16: u32) -> (u32, u32) {
    let Some(line_text) = text.split('\n').nth(line as usize) else {
        return (line + 1, utf16 + 1);
    };
    let mut units = 0u32;
    let mut chars = 0u32;
    for ch in line_text.chars() {
        if units >= utf16 {
            break;
        }
        units += ch.len_utf16() as u32;
        chars += 1;
    }
    (line + 1, chars + 1)
}

/// Line `line` (0-based) of `text`, trimmed, for showing a location.
pub fn line_text(text: &str, line: u32) -> Option<&str> {
    text.split('\n').nth(line as usize).map(str::trim)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_beyond_the_basic_plane_count_twice_in_utf16() {
        let text = "a\n😀b = 1\n";
        assert_eq!(to_lsp(text, 2, 2), Some((1, 2)));
        assert_eq!(from_lsp(text, 1, 2), (2, 2));
        assert_eq!(to_lsp(text, 1, 1), Some((0, 0)));
        assert_eq!(to_lsp(text, 9, 1), None);
        assert_eq!(line_text(text, 1), Some("😀b = 1"));
    }
}
