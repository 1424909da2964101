//! A small Server-Sent Events decoder.
//!
//! Bytes arrive in arbitrary pieces (a TCP segment may end inside a line, or inside a UTF-8 character); the
//! decoder buffers until a line is complete and yields an event at each blank line. It follows the SSE
//! format: `event:` and `data:` fields (one optional space after the colon), multi-line data joined with
//! `\n`, comment lines starting with `:`, and `\n`, `\r\n` or `\r` line endings.

/// One decoded event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` field; `None` means the default type `message`.
    pub event: Option<String>,
    pub data: String,
}

/// Incremental decoder. Feed it bytes; collect complete events.
#[derive(Debug, Default)]
pub struct SseDecoder {
    /// Bytes of the line being received (not yet terminated).
    line: Vec<u8>,
    /// A `\r` ended the previous piece; a `\n` starting the next piece belongs to the same line ending.
    pending_cr: bool,
    event: Option<String>,
    data: Vec<String>,
}

impl SseDecoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Decode `bytes`, appending every event completed by them to `out`.
    pub fn feed(&mut self, mut bytes: &[u8], out: &mut Vec<SseEvent>) {
        while let Some(&first) = bytes.first() {
            if self.pending_cr {
                self.pending_cr = false;
                if first == b'\n' {
                    bytes = &bytes[1..];
                    continue;
                }
            }
            // Copy up to the next line ending in one go rather than byte by byte: streams are mostly data.
            let Some(end) = bytes.iter().position(|&byte| byte == b'\n' || byte == b'\r') else {
                self.line.extend_from_slice(bytes);
                return;
            };
            self.line.extend_from_slice(&bytes[..end]);
            self.pending_cr = bytes[end] == b'\r';
            self.end_line(out);
            bytes = &bytes[end + 1..];
        }
    }

    /// Whether a partial event is buffered (the stream ended mid-event if this is true at EOF).
    pub fn has_partial(&self) -> bool {
        !self.line.is_empty() || !self.data.is_empty() || self.event.is_some()
    }

    fn end_line(&mut self, out: &mut Vec<SseEvent>) {
        let line = std::mem::take(&mut self.line);
        if line.is_empty() {
            self.dispatch(out);
            return;
        }
        let text = String::from_utf8_lossy(&line);
        if text.starts_with(':') {
            return;
        }
        let (field, value) = match text.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (text.as_ref(), ""),
        };
        match field {
            "event" => self.event = Some(value.to_string()),
            "data" => self.data.push(value.to_string()),
            // `id` and `retry` carry nothing the Messages API uses.
            _ => {}
        }
    }

    fn dispatch(&mut self, out: &mut Vec<SseEvent>) {
        if self.data.is_empty() {
            self.event = None;
            return;
        }
        out.push(SseEvent { event: self.event.take(), data: std::mem::take(&mut self.data).join("\n") });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECORDED: &str = "event: message_start\ndata: {\"type\":\"message_start\"}\n\n: keep-alive comment\n\nevent: content_block_delta\r\ndata: {\"text\":\"héllo ✓\"}\r\n\r\nevent: multi\rdata: line one\rdata:line two\r\rdata: no event name\n\n";

    fn expected() -> Vec<SseEvent> {
        vec![
            SseEvent { event: Some("message_start".into()), data: "{\"type\":\"message_start\"}".into() },
            SseEvent { event: Some("content_block_delta".into()), data: "{\"text\":\"héllo ✓\"}".into() },
            SseEvent { event: Some("multi".into()), data: "line one\nline two".into() },
            SseEvent { event: None, data: "no event name".into() },
        ]
    }

    #[test]
    fn decodes_whole_stream() {
        let mut decoder = SseDecoder::new();
        let mut out = Vec::new();
        decoder.feed(RECORDED.as_bytes(), &mut out);
        assert_eq!(out, expected());
        assert!(!decoder.has_partial());
    }

    #[test]
    fn any_split_point_gives_the_same_events() {
        let bytes = RECORDED.as_bytes();
        for split in 0..=bytes.len() {
            let mut decoder = SseDecoder::new();
            let mut out = Vec::new();
            decoder.feed(&bytes[..split], &mut out);
            decoder.feed(&bytes[split..], &mut out);
            assert_eq!(out, expected(), "split at byte {split}");
        }
    }

    #[test]
    fn byte_by_byte_gives_the_same_events() {
        let mut decoder = SseDecoder::new();
        let mut out = Vec::new();
        for byte in RECORDED.as_bytes() {
            decoder.feed(std::slice::from_ref(byte), &mut out);
        }
        assert_eq!(out, expected());
    }

    #[test]
    fn an_unterminated_event_is_partial() {
        let mut decoder = SseDecoder::new();
        let mut out = Vec::new();
        decoder.feed(b"event: x\ndata: {\"a\"", &mut out);
        assert!(out.is_empty());
        assert!(decoder.has_partial());
    }
}
