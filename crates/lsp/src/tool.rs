//! `lsp`: code intelligence from the project's language servers, one tool with an `operation`.

use crate::error::LspError;
use crate::manager::{LspManager, ServerForFile};
use crate::position::to_lsp;
use crate::present::{self, Files};
use async_trait::async_trait;
use claurst_permissions::Access;
use claurst_protocol::ToolFamily;
use claurst_tools::{Tool, ToolContext, ToolResult};
use lsp_types::{DocumentSymbolResponse, GotoDefinitionResponse, Hover, Location};
use serde::Deserialize;
use serde_json::{Value, json};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// How long a diagnostics call waits for the server to analyse a file it has just been told about (a cold
/// server may index the project first).
pub const DIAGNOSTICS_TIMEOUT: Duration = Duration::from_secs(20);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Operation {
    Diagnostics,
    Definition,
    References,
    Hover,
    DocumentSymbols,
}

impl Operation {
    fn needs_position(self) -> bool {
        matches!(self, Operation::Definition | Operation::References | Operation::Hover)
    }

    fn name(self) -> &'static str {
        match self {
            Operation::Diagnostics => "diagnostics",
            Operation::Definition => "definition",
            Operation::References => "references",
            Operation::Hover => "hover",
            Operation::DocumentSymbols => "document_symbols",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LspInput {
    operation: Operation,
    file_path: String,
    line: Option<u32>,
    character: Option<u32>,
}

pub struct LspTool {
    context: Arc<ToolContext>,
    manager: Arc<LspManager>,
}

impl LspTool {
    pub fn new(context: Arc<ToolContext>, manager: Arc<LspManager>) -> Self {
        Self { context, manager }
    }

    async fn answer(&self, request: LspInput) -> Result<String, String> {
        let path = self.context.resolve(&request.file_path);
        let shown = self.context.display(&path);
        if !path.is_file() {
            return Err(format!("lsp: {shown} is not a file. Pass an existing source file as `file_path`."));
        }
        let ServerForFile { server, language_id } =
            self.manager.server_for(&path).await.map_err(|e| format!("lsp: {e}"))?;
        let root = self.context.project_root();
        let mut files = Files::new(&root);
        if request.operation == Operation::Diagnostics {
            return match server.diagnostics(&path, &language_id, DIAGNOSTICS_TIMEOUT).await.map_err(fail)? {
                Some(published) => Ok(present::diagnostics(&mut files, &path, &published.diagnostics)),
                None => Err(format!(
                    "lsp: the {} language server published no diagnostics for {shown} within {} s (it may still \
                     be indexing the project); try again shortly.",
                    server.language(),
                    DIAGNOSTICS_TIMEOUT.as_secs()
                )),
            };
        }
        server.sync(&path, &language_id).await.map_err(fail)?;
        let document = json!({"uri": crate::uri::from_path(&path)});
        let position = match request.operation.needs_position() {
            true => Some(lsp_position(&path, &shown, request.line, request.character)?),
            false => None,
        };
        let at = |position: Option<(u32, u32)>| {
            let (line, character) = position.unwrap_or_default();
            json!({"textDocument": document, "position": {"line": line, "character": character}})
        };
        match request.operation {
            Operation::Definition => {
                let raw = server.request("textDocument/definition", at(position)).await.map_err(fail)?;
                let found: Option<GotoDefinitionResponse> = parse(raw)?;
                Ok(present::locations(&mut files, "definition", present::definition_locations(found)))
            }
            Operation::References => {
                let mut params = at(position);
                params["context"] = json!({"includeDeclaration": true});
                let raw = server.request("textDocument/references", params).await.map_err(fail)?;
                let found: Option<Vec<Location>> = parse(raw)?;
                Ok(present::locations(&mut files, "reference", found.unwrap_or_default()))
            }
            Operation::Hover => {
                let raw = server.request("textDocument/hover", at(position)).await.map_err(fail)?;
                Ok(present::hover(parse::<Option<Hover>>(raw)?))
            }
            Operation::DocumentSymbols => {
                let raw =
                    server.request("textDocument/documentSymbol", json!({"textDocument": document})).await;
                let found: Option<DocumentSymbolResponse> = parse(raw.map_err(fail)?)?;
                Ok(present::symbols(&mut files, &path, found))
            }
            Operation::Diagnostics => Err("lsp: diagnostics were answered above".into()),
        }
    }
}

/// The LSP position of the model's 1-based `line` and `character`.
fn lsp_position(
    path: &Path,
    shown: &str,
    line: Option<u32>,
    character: Option<u32>,
) -> Result<(u32, u32), String> {
    let (Some(line), Some(character)) = (line, character) else {
        return Err("lsp: this operation needs `line` and `character` (both 1-based) of the symbol.".into());
    };
    let text = std::fs::read_to_string(path).map_err(|e| format!("lsp: cannot read {shown}: {e}"))?;
    to_lsp(&text, line, character).ok_or_else(|| {
        format!(
            "lsp: {shown} has no line {line}; lines are 1-based and the file has {} lines.",
            text.lines().count()
        )
    })
}

fn fail(error: LspError) -> String {
    format!("lsp: {error}")
}

fn parse<T: serde::de::DeserializeOwned>(raw: Value) -> Result<T, String> {
    serde_json::from_value(raw)
        .map_err(|e| format!("lsp: the language server's answer was not understood: {e}"))
}

#[async_trait]
impl Tool for LspTool {
    fn name(&self) -> &str {
        "lsp"
    }

    fn title(&self) -> String {
        "LSP".to_string()
    }

    fn family(&self) -> ToolFamily {
        ToolFamily::Read
    }

    fn description(&self) -> &str {
        "Ask the project's language server (rust-analyzer, typescript-language-server, pyright, gopls, or the \
         one configured for the file's language) about a source file. Operations: `diagnostics` (type errors \
         and warnings in file_path), `document_symbols` (an outline of file_path), and, at a 1-based `line` \
         and `character` in file_path, `definition` (where the symbol there is defined), `references` (every \
         use of it) and `hover` (its type and documentation). More precise than grep for code navigation and \
         for checking an edit compiles. The server starts on first use, which can take a few seconds."
    }

    fn input_schema(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "operation": {
                    "type": "string",
                    "enum": ["diagnostics", "definition", "references", "hover", "document_symbols"],
                    "description": "What to ask the language server"
                },
                "file_path": {"type": "string", "description": "Absolute path, or a path relative to the project root"},
                "line": {"type": "integer", "minimum": 1, "description": "1-based line of the symbol (definition, references, hover)"},
                "character": {"type": "integer", "minimum": 1, "description": "1-based character of the symbol in that line"}
            },
            "required": ["operation", "file_path"],
            "additionalProperties": false
        })
    }

    fn key_argument(&self, input: &Value) -> Option<String> {
        let operation = input.get("operation")?.as_str()?;
        let path = input.get("file_path")?.as_str()?;
        match (input.get("line").and_then(Value::as_u64), input.get("character").and_then(Value::as_u64)) {
            (Some(line), Some(character)) => Some(format!("{operation} {path}:{line}:{character}")),
            _ => Some(format!("{operation} {path}")),
        }
    }

    fn is_read_only(&self, _input: &Value) -> bool {
        true
    }

    /// Starting a language server runs the project's code outside the sandbox (rust-analyzer runs build
    /// scripts and proc macros, typescript-language-server the project's own TypeScript): a call that would
    /// start one is asked like another program's tool (a rule `lsp` allows it). Once the server runs, calls
    /// about files read them, and are judged as reads.
    fn access(&self, input: &Value) -> Access {
        let path = input.get("file_path").and_then(Value::as_str).unwrap_or_default();
        let path = self.context.resolve(path);
        if self.manager.is_running_for(&path) {
            Access::Read { path }
        } else {
            Access::External { read_only_hint: true }
        }
    }

    fn summary(&self, input: &Value, result: &ToolResult) -> Option<String> {
        if result.is_error {
            return None;
        }
        // Every answer but a hover starts with a line that says what was found.
        if input.get("operation").and_then(Value::as_str) == Some("hover") {
            return Some(format!("Hover: {} lines", result.output.lines().count()));
        }
        let first = result.output.lines().next()?;
        Some(first.trim_end_matches(':').to_string())
    }

    async fn execute(&self, input: Value) -> ToolResult {
        let request: LspInput = match serde_json::from_value(input) {
            Ok(request) => request,
            Err(error) => {
                return ToolResult::error(format!(
                    "lsp: invalid input: {error}. Pass `operation` (diagnostics, definition, references, hover or \
                     document_symbols) and `file_path`, with 1-based `line` and `character` for definition, \
                     references and hover."
                ));
            }
        };
        let operation = request.operation.name();
        tracing::debug!(operation, file = %request.file_path, "lsp call");
        match self.answer(request).await {
            Ok(text) => ToolResult::ok(text),
            Err(text) => ToolResult::error(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use claurst_config::LspConfig;

    fn tool() -> LspTool {
        let context = Arc::new(ToolContext::new("/work/p", "/tmp/s", Duration::from_secs(1)));
        LspTool::new(context, Arc::new(LspManager::new("/work/p", LspConfig::default())))
    }

    #[test]
    fn a_call_that_would_start_a_server_is_judged_as_another_programs_tool() {
        let lsp = tool();
        // No server runs yet: starting one runs the project's code, so the call asks unless a rule allows it.
        // Once one runs, calls are judged as reads of their file (tests/lsp/pyright.rs covers that).
        let inside = json!({"operation": "hover", "file_path": "src/a.py", "line": 3, "character": 7});
        assert_eq!(lsp.access(&inside), Access::External { read_only_hint: true });
        let outside = json!({"operation": "diagnostics", "file_path": "../other/b.py"});
        assert_eq!(lsp.access(&outside), Access::External { read_only_hint: true });
        assert!(lsp.is_read_only(&outside));
        assert_eq!((lsp.title(), lsp.family()), ("LSP".to_string(), ToolFamily::Read));
        assert_eq!(lsp.key_argument(&inside).as_deref(), Some("hover src/a.py:3:7"));
        assert_eq!(lsp.key_argument(&outside).as_deref(), Some("diagnostics ../other/b.py"));
    }

    #[tokio::test]
    async fn bad_input_and_files_without_a_server_are_errors_that_say_what_to_pass() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "hi\n").unwrap();
        let context = Arc::new(ToolContext::new(dir.path(), dir.path().join(".s"), Duration::from_secs(1)));
        let lsp = LspTool::new(context, Arc::new(LspManager::new(dir.path(), LspConfig::default())));
        let bad = lsp.execute(json!({"operation": "rename", "file_path": "notes.txt"})).await;
        assert!(bad.is_error && bad.output.starts_with("lsp: invalid input"), "{}", bad.output);
        let missing = lsp.execute(json!({"operation": "diagnostics", "file_path": "gone.py"})).await;
        assert_eq!(
            missing.output,
            "lsp: gone.py is not a file. Pass an existing source file as `file_path`."
        );
        let text = lsp.execute(json!({"operation": "document_symbols", "file_path": "notes.txt"})).await;
        assert!(text.is_error && text.output.contains("no language server is configured for `.txt` files"));
    }
}
