//! What a fetched body is, and how the model gets to read it: HTML as text, text as itself, the rest refused.

use crate::files::looks_binary;

/// Column width HTML is wrapped to.
const HTML_WIDTH: usize = 100;

/// How a response body will be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BodyKind {
    Html,
    Text,
}

/// The media type of a `Content-Type` header value, lower-cased, without parameters.
pub(crate) fn media_type(content_type: &str) -> String {
    content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// What the media type alone says about a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TypeVerdict {
    Read(BodyKind),
    /// No type, or the catch-all `application/octet-stream`: look at the bytes.
    Sniff,
    /// Images, PDFs, archives, audio, video…: not readable as text.
    Refuse,
}

pub(crate) fn classify(media_type: &str) -> TypeVerdict {
    let textual_application = [
        "application/json",
        "application/xml",
        "application/javascript",
        "application/x-javascript",
        "application/ecmascript",
        "application/yaml",
        "application/x-yaml",
        "application/toml",
        "application/x-sh",
        "application/sql",
        "application/graphql",
        "application/ld+json",
    ];
    match media_type {
        "" | "application/octet-stream" | "binary/octet-stream" => TypeVerdict::Sniff,
        "text/html" | "application/xhtml+xml" => TypeVerdict::Read(BodyKind::Html),
        text if text.starts_with("text/") => TypeVerdict::Read(BodyKind::Text),
        text if textual_application.contains(&text) || text.ends_with("+json") || text.ends_with("+xml") => {
            TypeVerdict::Read(BodyKind::Text)
        }
        _ => TypeVerdict::Refuse,
    }
}

/// Decide from the first bytes of a body whose type was not given.
pub(crate) fn sniff(head: &[u8]) -> Option<BodyKind> {
    if looks_binary(head) {
        return None;
    }
    let start = String::from_utf8_lossy(&head[..head.len().min(1024)]).to_ascii_lowercase();
    let start = start.trim_start();
    if start.starts_with("<!doctype html") || start.starts_with("<html") {
        Some(BodyKind::Html)
    } else {
        Some(BodyKind::Text)
    }
}

/// HTML as readable text: headings as `#`, lists as `*`, links numbered with their URLs listed at the end.
pub(crate) fn html_to_text(html: &[u8]) -> Result<String, String> {
    html2text::config::plain()
        .link_footnotes(true)
        .allow_width_overflow()
        .string_from_read(html, HTML_WIDTH)
        .map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_media_types() {
        assert_eq!(classify("text/html"), TypeVerdict::Read(BodyKind::Html));
        assert_eq!(classify("text/markdown"), TypeVerdict::Read(BodyKind::Text));
        assert_eq!(classify("application/vnd.api+json"), TypeVerdict::Read(BodyKind::Text));
        assert_eq!(classify(""), TypeVerdict::Sniff);
        assert_eq!(classify("image/png"), TypeVerdict::Refuse);
        assert_eq!(classify("application/pdf"), TypeVerdict::Refuse);
        assert_eq!(media_type("Text/HTML; charset=UTF-8"), "text/html");
    }

    #[test]
    fn sniffs_untyped_bodies() {
        assert_eq!(sniff(b"  <!DOCTYPE html><p>x"), Some(BodyKind::Html));
        assert_eq!(sniff(b"plain words"), Some(BodyKind::Text));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0"), None);
    }

    #[test]
    fn converts_html_to_text() {
        let text = html_to_text(
            b"<html><head><style>p{color:red}</style><script>var x;</script></head><body><h1>Title</h1>\
              <p>Hello <a href=\"https://example.com/\">world</a></p><ul><li>one</li></ul></body></html>",
        )
        .unwrap();
        assert!(text.contains("# Title"), "{text}");
        assert!(text.contains("Hello [world][1]"), "{text}");
        assert!(text.contains("[1]: https://example.com/"), "{text}");
        assert!(text.contains("* one"), "{text}");
        assert!(!text.contains("color") && !text.contains("var x"), "{text}");
    }
}
