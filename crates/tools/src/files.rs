//! Helpers shared by the file tools.

/// How many bytes at the start of a file are inspected to decide whether it is binary.
const SNIFF_LEN: usize = 8 * 1024;

/// A file is treated as binary when its first bytes hold a NUL or are not mostly valid UTF-8 text.
pub(crate) fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(SNIFF_LEN)];
    if head.contains(&0) {
        return true;
    }
    match std::str::from_utf8(head) {
        Ok(_) => false,
        // A multi-byte character cut at the sniff boundary is still text.
        Err(error) => error.error_len().is_some() && error.valid_up_to() < head.len().saturating_sub(4),
    }
}

pub(crate) use claurst_protocol::image_media_type;

/// Cut `text` to at most `max_chars` characters, on a character boundary.
pub(crate) fn truncate_chars(text: &str, max_chars: usize) -> &str {
    match text.char_indices().nth(max_chars) {
        Some((index, _)) => &text[..index],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_binary() {
        assert!(looks_binary(b"\x89PNG\r\n\x1a\n\0\0"));
        assert!(!looks_binary("plain text ✓\n".as_bytes()));
        assert!(looks_binary(&[0xff, 0xfe, 0xfd, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86]));
    }

    #[test]
    fn truncates_on_char_boundaries() {
        assert_eq!(truncate_chars("héllo", 2), "hé");
        assert_eq!(truncate_chars("hi", 10), "hi");
    }
}
