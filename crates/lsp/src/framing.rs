//! The base protocol's framing: each JSON-RPC message is preceded by a `Content-Length` header and a blank
//! line. The decoder accepts bytes as they arrive, however the reads split them.

use crate::error::LspError;

/// The largest message accepted: a server sending more is broken, and buffering it would exhaust memory.
const MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;

/// `body` with its header, ready to write.
pub fn encode(body: &[u8]) -> Vec<u8> {
    let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    frame.extend_from_slice(body);
    frame
}

/// Bytes received so far, cut into message bodies as soon as each is complete.
#[derive(Debug, Default)]
pub struct FrameDecoder {
    buffer: Vec<u8>,
}

impl FrameDecoder {
    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// The next complete message body, `None` until one has fully arrived.
    pub fn next_message(&mut self) -> Result<Option<Vec<u8>>, LspError> {
        let Some(header_end) = find(&self.buffer, b"\r\n\r\n") else {
            if self.buffer.len() > 8 * 1024 {
                return Err(LspError::Protocol("a header longer than 8 KiB".into()));
            }
            return Ok(None);
        };
        let header = std::str::from_utf8(&self.buffer[..header_end])
            .map_err(|_| LspError::Protocol("a header that is not UTF-8".into()))?;
        let length = content_length(header)?;
        if length > MAX_MESSAGE_BYTES {
            return Err(LspError::Protocol(format!("a message of {length} bytes")));
        }
        let body_start = header_end + 4;
        if self.buffer.len() < body_start + length {
            return Ok(None);
        }
        let body = self.buffer[body_start..body_start + length].to_vec();
        self.buffer.drain(..body_start + length);
        Ok(Some(body))
    }
}

/// The `Content-Length` of a header block (other headers, such as `Content-Type`, are ignored).
fn content_length(header: &str) -> Result<usize, LspError> {
    header
        .split("\r\n")
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.trim().eq_ignore_ascii_case("content-length").then(|| value.trim().parse::<usize>())
        })
        .ok_or_else(|| LspError::Protocol(format!("a header without Content-Length: {header:?}")))?
        .map_err(|_| LspError::Protocol(format!("a bad Content-Length in {header:?}")))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(decoder: &mut FrameDecoder) -> Vec<String> {
        let mut out = Vec::new();
        while let Some(body) = decoder.next_message().unwrap() {
            out.push(String::from_utf8(body).unwrap());
        }
        out
    }

    #[test]
    fn a_message_split_across_reads_is_whole_once_complete() {
        let frame = encode(br#"{"jsonrpc":"2.0","id":1}"#);
        let mut decoder = FrameDecoder::default();
        for (index, byte) in frame.iter().enumerate() {
            decoder.push(&[*byte]);
            let complete = decoder.next_message().unwrap();
            if index + 1 < frame.len() {
                assert_eq!(complete, None, "complete after {index} bytes");
            } else {
                assert_eq!(complete.as_deref(), Some(&br#"{"jsonrpc":"2.0","id":1}"#[..]));
            }
        }
    }

    #[test]
    fn several_messages_in_one_read_come_out_in_order() {
        let mut bytes = encode(b"{\"a\":1}");
        bytes.extend(encode("{\"b\":\"é\"}".as_bytes()));
        bytes.extend(
            b"Content-Length: 7\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{\"c\":3}",
        );
        bytes.extend(b"Content-Len");
        let mut decoder = FrameDecoder::default();
        decoder.push(&bytes);
        assert_eq!(all(&mut decoder), ["{\"a\":1}", "{\"b\":\"é\"}", "{\"c\":3}"]);
        decoder.push(b"gth: 2\r\n\r\n{}");
        assert_eq!(all(&mut decoder), ["{}"]);
    }

    #[test]
    fn a_header_without_a_length_is_an_error() {
        let mut decoder = FrameDecoder::default();
        decoder.push(b"Content-Type: x\r\n\r\n{}");
        assert!(matches!(decoder.next_message(), Err(LspError::Protocol(_))));
    }
}
