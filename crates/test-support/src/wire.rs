//! HTTP/1.1 on the wire, shared by every mock server: reading one request head and body, and writing one
//! response with the pacing and failure a test asked for.
//!
//! This is deliberately a small subset of HTTP/1.1: enough for reqwest/hyper as a client, strict enough that a
//! malformed request fails the connection rather than being guessed at.

use std::io;
use std::time::Duration;

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// Longest request line or header line we accept; anything longer is a client bug worth failing on.
const MAX_LINE: usize = 64 * 1024;
/// Most header lines we accept in one request head.
const MAX_HEADERS: usize = 200;

/// One HTTP request as the mock server saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct CapturedRequest {
    /// The method, e.g. `POST`.
    pub method: String,
    /// The request target exactly as sent, including any query string (`/v1/messages?beta=true`).
    pub path: String,
    /// Header names lowercased, values as sent, in the order they arrived.
    pub headers: Vec<(String, String)>,
    /// The body parsed as JSON, or `Value::Null` when it is empty or not JSON.
    pub body: serde_json::Value,
    /// The body as text (lossily decoded if it was not UTF-8).
    pub raw_body: String,
    /// When the whole request had been read: for tests that check the spacing of retries.
    pub received_at: std::time::Instant,
}

impl CapturedRequest {
    /// The first value of the header `name` (matched case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    /// The request target without its query string.
    pub fn path_only(&self) -> &str {
        self.path.split('?').next().unwrap_or_default()
    }

    /// The model API wire format this request's path belongs to, if any.
    pub fn wire_format(&self) -> Option<WireFormat> {
        match self.path_only() {
            "/v1/messages" => Some(WireFormat::Messages),
            "/v1/chat/completions" | "/chat/completions" => Some(WireFormat::ChatCompletions),
            _ => None,
        }
    }

    /// Whether the client asked for the connection to be closed after this exchange.
    pub(crate) fn wants_close(&self) -> bool {
        self.header("connection").is_some_and(|v| v.eq_ignore_ascii_case("close"))
    }
}

/// The model APIs the mock speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireFormat {
    /// Anthropic's Messages API (`POST /v1/messages`).
    Messages,
    /// OpenAI's Chat Completions API (`POST /v1/chat/completions` or `/chat/completions`).
    ChatCompletions,
}

/// How the response body is delimited on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Framing {
    /// `Content-Length`: used for plain (non-streamed) bodies.
    Length,
    /// `Transfer-Encoding: chunked`, one HTTP chunk per written piece: how the real API streams SSE.
    Chunked,
}

/// How a response stops short of its full body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cut {
    /// Write this many body bytes, then close the socket without finishing the message.
    Disconnect(usize),
    /// Write this many body bytes, then send nothing more while holding the socket open.
    Stall(usize),
}

/// One response to write: status, headers, body, and how to pace (or sabotage) the writing.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    pub(crate) status: u16,
    /// Extra headers; the framing headers (`Content-Length` / `Transfer-Encoding`) are added when writing.
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
    pub(crate) framing: Framing,
    /// Write the body in pieces of this many bytes, flushing each; `None` writes it in one go.
    pub(crate) piece_len: Option<usize>,
    pub(crate) delay_between_pieces: Duration,
    pub(crate) delay_before_headers: Duration,
    pub(crate) cut: Option<Cut>,
}

impl Response {
    pub(crate) fn new(status: u16, content_type: &str, body: Vec<u8>, framing: Framing) -> Response {
        Response {
            status,
            headers: vec![("content-type".to_owned(), content_type.to_owned())],
            body,
            framing,
            piece_len: None,
            delay_between_pieces: Duration::ZERO,
            delay_before_headers: Duration::ZERO,
            cut: None,
        }
    }

    pub(crate) fn json(status: u16, value: &serde_json::Value) -> Response {
        Response::new(status, "application/json", value.to_string().into_bytes(), Framing::Length)
    }
}

/// What the connection should do after a response has been written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AfterResponse {
    KeepAlive,
    Close,
}

/// Reads one request. `Ok(None)` means the client closed the connection cleanly between requests.
pub(crate) async fn read_request<R>(reader: &mut R) -> io::Result<Option<CapturedRequest>>
where
    R: AsyncBufRead + AsyncWrite + Unpin,
{
    let Some(request_line) = read_line(reader).await? else {
        return Ok(None);
    };
    let mut parts = request_line.split_whitespace();
    let (Some(method), Some(path), Some(_version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid(format!("malformed request line {request_line:?}")));
    };
    let (method, path) = (method.to_owned(), path.to_owned());
    let headers = read_headers(reader).await?;
    let mut request = CapturedRequest {
        method,
        path,
        headers,
        body: serde_json::Value::Null,
        raw_body: String::new(),
        received_at: std::time::Instant::now(),
    };

    if request.header("expect").is_some_and(|v| v.eq_ignore_ascii_case("100-continue")) {
        reader.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").await?;
        reader.flush().await?;
    }
    let body = read_body(reader, &request).await?;
    request.raw_body = String::from_utf8_lossy(&body).into_owned();
    request.body = serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
    request.received_at = std::time::Instant::now();
    Ok(Some(request))
}

async fn read_headers<R: AsyncBufRead + Unpin>(reader: &mut R) -> io::Result<Vec<(String, String)>> {
    let mut headers = Vec::new();
    loop {
        let line =
            read_line(reader).await?.ok_or_else(|| invalid("connection closed inside request head"))?;
        if line.is_empty() {
            return Ok(headers);
        }
        if headers.len() == MAX_HEADERS {
            return Err(invalid(format!("more than {MAX_HEADERS} request headers")));
        }
        let (name, value) =
            line.split_once(':').ok_or_else(|| invalid(format!("malformed header {line:?}")))?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
}

async fn read_body<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    request: &CapturedRequest,
) -> io::Result<Vec<u8>> {
    let chunked = request
        .header("transfer-encoding")
        .is_some_and(|v| v.split(',').any(|coding| coding.trim().eq_ignore_ascii_case("chunked")));
    if chunked {
        return read_chunked_body(reader).await;
    }
    let length = match request.header("content-length") {
        Some(value) => {
            value.parse::<usize>().map_err(|_| invalid(format!("bad Content-Length {value:?}")))?
        }
        None => 0,
    };
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await?;
    Ok(body)
}

async fn read_chunked_body<R: AsyncBufRead + Unpin>(reader: &mut R) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line =
            read_line(reader).await?.ok_or_else(|| invalid("connection closed inside chunked body"))?;
        let size_text = line.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| invalid(format!("bad chunk size line {line:?}")))?;
        if size == 0 {
            // Trailer fields, if any, end with an empty line; we have no use for them.
            read_headers(reader).await?;
            return Ok(body);
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..]).await?;
        let mut crlf = [0; 2];
        reader.read_exact(&mut crlf).await?;
        if crlf != *b"\r\n" {
            return Err(invalid("chunk data not followed by CRLF"));
        }
    }
}

/// Reads one CRLF- (or bare LF-) terminated line without its terminator; `None` on EOF before any byte.
async fn read_line<R: AsyncBufRead + Unpin>(reader: &mut R) -> io::Result<Option<String>> {
    let mut line = Vec::new();
    let read = (&mut *reader).take(MAX_LINE as u64 + 1).read_until(b'\n', &mut line).await?;
    if read == 0 {
        return Ok(None);
    }
    if line.last() != Some(&b'\n') {
        return Err(invalid("request line too long or connection closed mid-line"));
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(Some(String::from_utf8_lossy(&line).into_owned()))
}

/// Writes `response`, honouring its pacing and cut, and says whether the connection may carry another request.
pub(crate) async fn write_response<S>(
    stream: &mut S,
    response: &Response,
    client_wants_close: bool,
) -> io::Result<AfterResponse>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    if !response.delay_before_headers.is_zero() {
        tokio::time::sleep(response.delay_before_headers).await;
    }
    stream.write_all(&head(response, client_wants_close)).await?;
    stream.flush().await?;

    let sendable = match response.cut {
        Some(Cut::Disconnect(n) | Cut::Stall(n)) => &response.body[..n.min(response.body.len())],
        None => &response.body[..],
    };
    let piece_len = response.piece_len.unwrap_or(sendable.len()).max(1);
    for (index, piece) in sendable.chunks(piece_len).enumerate() {
        if index > 0 && !response.delay_between_pieces.is_zero() {
            tokio::time::sleep(response.delay_between_pieces).await;
        }
        write_piece(stream, response.framing, piece).await?;
    }

    match response.cut {
        None => {
            if response.framing == Framing::Chunked {
                stream.write_all(b"0\r\n\r\n").await?;
            }
            stream.flush().await?;
            Ok(if client_wants_close { AfterResponse::Close } else { AfterResponse::KeepAlive })
        }
        Some(Cut::Disconnect(_)) => {
            // A FIN, not a reset: the client must still receive every byte written before the cut.
            stream.shutdown().await?;
            Ok(AfterResponse::Close)
        }
        Some(Cut::Stall(_)) => {
            wait_for_client_to_leave(stream).await;
            Ok(AfterResponse::Close)
        }
    }
}

fn head(response: &Response, client_wants_close: bool) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", response.status, reason_phrase(response.status));
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    match response.framing {
        Framing::Length => head.push_str(&format!("content-length: {}\r\n", response.body.len())),
        Framing::Chunked => head.push_str("transfer-encoding: chunked\r\n"),
    }
    if client_wants_close {
        head.push_str("connection: close\r\n");
    }
    head.push_str("\r\n");
    head.into_bytes()
}

async fn write_piece<S: AsyncWrite + Unpin>(
    stream: &mut S,
    framing: Framing,
    piece: &[u8],
) -> io::Result<()> {
    match framing {
        Framing::Length => stream.write_all(piece).await?,
        Framing::Chunked => {
            stream.write_all(format!("{:x}\r\n", piece.len()).as_bytes()).await?;
            stream.write_all(piece).await?;
            stream.write_all(b"\r\n").await?;
        }
    }
    stream.flush().await
}

/// Holds the connection open, sending nothing, until the client closes it (or the server shuts down and
/// drops this task).
async fn wait_for_client_to_leave<S: AsyncRead + Unpin>(stream: &mut S) {
    let mut sink = [0; 1024];
    while let Ok(read) = stream.read(&mut sink).await {
        if read == 0 {
            break;
        }
    }
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        529 => "Overloaded",
        _ => "Status",
    }
}

fn invalid(message: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.into())
}
