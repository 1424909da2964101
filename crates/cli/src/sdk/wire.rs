//! The lines of the stream-json protocol: what a driving program writes on stdin, and the control messages
//! Claurst writes back. Event lines (assistant, user, result…) are `output`'s.

use claurst_protocol::ImageSource;
use serde_json::{Value, json};

/// One line read from stdin.
#[derive(Debug, Clone, PartialEq)]
pub enum Inbound {
    /// A user message: a prompt for the next turn.
    User(UserPrompt),
    /// The program asks Claurst something (`initialize`, `interrupt`, `set_model`…).
    ControlRequest { request_id: String, request: Value },
    /// The program's answer to a request Claurst sent (`can_use_tool`, `hook_callback`, `mcp_message`).
    ControlResponse { request_id: String, outcome: Result<Value, String> },
    /// A line Claurst does not act on (`keep_alive`, a cancel of a request it never sent); not an error.
    Ignored,
}

/// A prompt as a user message carries it: its text blocks joined, and its images.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UserPrompt {
    pub text: String,
    pub images: Vec<ImageSource>,
}

/// Read one line. The error says what is wrong with it, for stderr; the session goes on.
pub fn parse_line(line: &str) -> Result<Inbound, String> {
    let value: Value = serde_json::from_str(line).map_err(|error| format!("not JSON ({error})"))?;
    match value.get("type").and_then(Value::as_str) {
        Some("user") => user_prompt(&value).map(Inbound::User),
        Some("control_request") => Ok(Inbound::ControlRequest {
            request_id: string_field(&value, "request_id")?,
            request: value.get("request").cloned().ok_or("a control_request without `request`")?,
        }),
        Some("control_response") => control_response(&value),
        Some("keep_alive" | "control_cancel_request") => Ok(Inbound::Ignored),
        Some(other) => Err(format!("unknown message type `{other}` (expected user or control_request)")),
        None => Err("a message without `type`".into()),
    }
}

fn string_field(value: &Value, key: &str) -> Result<String, String> {
    value.get(key).and_then(Value::as_str).map(str::to_string).ok_or_else(|| format!("`{key}` is missing"))
}

/// `message.content` as a string, or as text and image blocks.
fn user_prompt(value: &Value) -> Result<UserPrompt, String> {
    let content = value.pointer("/message/content").ok_or("a user message without `message.content`")?;
    if let Some(text) = content.as_str() {
        return Ok(UserPrompt { text: text.to_string(), images: Vec::new() });
    }
    let blocks = content.as_array().ok_or("`message.content` must be a string or a list of blocks")?;
    let mut prompt = UserPrompt::default();
    let mut texts = Vec::new();
    for block in blocks {
        match block.get("type").and_then(Value::as_str) {
            Some("text") => texts.push(block.get("text").and_then(Value::as_str).unwrap_or_default()),
            Some("image") => prompt.images.push(image_source(block)?),
            Some(other) => return Err(format!("unsupported content block `{other}` in a user message")),
            None => return Err("a content block without `type`".into()),
        }
    }
    prompt.text = texts.join("\n\n");
    Ok(prompt)
}

fn image_source(block: &Value) -> Result<ImageSource, String> {
    let source = block.get("source").ok_or("an image block without `source`")?;
    if source.get("type").and_then(Value::as_str) != Some("base64") {
        return Err("only base64 image sources are supported (`source.type`: \"base64\")".into());
    }
    Ok(ImageSource {
        kind: "base64".into(),
        media_type: string_field(source, "media_type").map_err(|error| format!("image source: {error}"))?,
        data: string_field(source, "data").map_err(|error| format!("image source: {error}"))?,
    })
}

fn control_response(value: &Value) -> Result<Inbound, String> {
    let response = value.get("response").ok_or("a control_response without `response`")?;
    let request_id = string_field(response, "request_id")?;
    let outcome = match response.get("subtype").and_then(Value::as_str) {
        Some("success") => Ok(response.get("response").cloned().unwrap_or(Value::Null)),
        Some("error") => {
            Err(response.get("error").and_then(Value::as_str).unwrap_or("unknown error").to_string())
        }
        _ => Err("a control_response whose `subtype` is neither success nor error".to_string()),
    };
    Ok(Inbound::ControlResponse { request_id, outcome })
}

/// The success answer to the program's request `request_id`.
pub fn success(request_id: &str, response: Value) -> Value {
    json!({
        "type": "control_response",
        "response": {"subtype": "success", "request_id": request_id, "response": response},
    })
}

/// The error answer to the program's request `request_id`.
pub fn error(request_id: &str, message: &str) -> Value {
    json!({
        "type": "control_response",
        "response": {"subtype": "error", "request_id": request_id, "error": message},
    })
}

/// A request Claurst sends to the program; `request` holds its `subtype` and fields.
pub fn request(request_id: &str, request: Value) -> Value {
    json!({"type": "control_request", "request_id": request_id, "request": request})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_messages_as_string_or_blocks() {
        let line = r#"{"type":"user","message":{"role":"user","content":"hi"},"parent_tool_use_id":null}"#;
        assert_eq!(
            parse_line(line).unwrap(),
            Inbound::User(UserPrompt { text: "hi".into(), images: vec![] })
        );
        let line = r#"{"type":"user","message":{"role":"user","content":[
            {"type":"text","text":"what is"},
            {"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAA"}},
            {"type":"text","text":"this?"}]}}"#
            .replace('\n', "");
        let Inbound::User(prompt) = parse_line(&line).unwrap() else { panic!() };
        assert_eq!(prompt.text, "what is\n\nthis?");
        assert_eq!(prompt.images[0].media_type, "image/png");
        assert_eq!(prompt.images[0].data, "AAA");
    }

    #[test]
    fn control_lines() {
        let line = r#"{"type":"control_request","request_id":"r1","request":{"subtype":"interrupt"}}"#;
        assert_eq!(
            parse_line(line).unwrap(),
            Inbound::ControlRequest { request_id: "r1".into(), request: json!({"subtype": "interrupt"}) }
        );
        let line = r#"{"type":"control_response","response":{"subtype":"success","request_id":"c1","response":{"behavior":"allow"}}}"#;
        assert_eq!(
            parse_line(line).unwrap(),
            Inbound::ControlResponse { request_id: "c1".into(), outcome: Ok(json!({"behavior": "allow"})) }
        );
        let line =
            r#"{"type":"control_response","response":{"subtype":"error","request_id":"c2","error":"boom"}}"#;
        assert_eq!(
            parse_line(line).unwrap(),
            Inbound::ControlResponse { request_id: "c2".into(), outcome: Err("boom".into()) }
        );
    }

    #[test]
    fn bad_lines_say_what_is_wrong() {
        assert!(parse_line("{").unwrap_err().starts_with("not JSON"));
        assert!(
            parse_line(r#"{"type":"assistant"}"#).unwrap_err().contains("unknown message type `assistant`")
        );
        assert!(parse_line(r#"{"type":"user","message":{}}"#).unwrap_err().contains("message.content"));
        let url_image =
            r#"{"type":"user","message":{"content":[{"type":"image","source":{"type":"url","url":"x"}}]}}"#;
        assert!(parse_line(url_image).unwrap_err().contains("base64"));
    }
}
