//! One running language server: its process (in a process group of its own, so nothing it starts outlives
//! it), the `initialize` handshake, the documents it has open and their versions, and its shutdown.

use crate::connection::{Connection, Published};
use crate::error::LspError;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Mutex;
use std::time::Duration;

/// How long a server may take to answer `initialize` (a cold start of a large server indexes first).
const INITIALIZE_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a query (definition, hover…) may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a server may take to shut down politely before it is killed.
const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(2);

/// How to start a server: the command and the LSP language id of each extension it serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerCommand {
    /// The configuration's name for the language (`python`), used in messages.
    pub language: String,
    pub command: Vec<String>,
}

/// A document as the server knows it.
#[derive(Debug, Clone)]
struct OpenDocument {
    version: i32,
    text: String,
}

/// A running server. Dropping it kills its process group; [`LanguageServer::shutdown`] first asks it to stop.
pub struct LanguageServer {
    language: String,
    connection: Connection,
    process: Option<tokio::process::Child>,
    documents: Mutex<HashMap<PathBuf, OpenDocument>>,
}

impl LanguageServer {
    /// Start `command` in `root` and complete the `initialize` handshake.
    pub async fn start(command: &ServerCommand, root: &Path) -> Result<LanguageServer, LspError> {
        let (program, args) = command.command.split_first().ok_or_else(|| LspError::NotInstalled {
            language: command.language.clone(),
            command: String::new(),
        })?;
        let mut server_command = tokio::process::Command::new(program);
        // A server runs the project's code (build scripts, plugins): it gets no API key or token.
        for name in claurst_tools::credential_variables() {
            server_command.env_remove(name);
        }
        let mut child = server_command
            .args(args)
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .process_group(0)
            .kill_on_drop(true)
            .spawn()
            .map_err(|source| match source.kind() {
                std::io::ErrorKind::NotFound => LspError::NotInstalled {
                    language: command.language.clone(),
                    command: command.command.join(" "),
                },
                _ => LspError::Spawn {
                    language: command.language.clone(),
                    command: command.command.join(" "),
                    source,
                },
            })?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(LspError::Closed);
        };
        let server = LanguageServer::over(&command.language, Connection::new(stdout, stdin), Some(child));
        server.initialize(root).await?;
        Ok(server)
    }

    /// A server reached through `connection` (a process we started, or an in-memory one in tests).
    pub fn over(language: &str, connection: Connection, process: Option<tokio::process::Child>) -> Self {
        Self { language: language.to_string(), connection, process, documents: Mutex::new(HashMap::new()) }
    }

    pub fn language(&self) -> &str {
        &self.language
    }

    /// The process id of the server, when it is a process.
    pub fn pid(&self) -> Option<u32> {
        self.process.as_ref().and_then(tokio::process::Child::id)
    }

    pub fn is_closed(&self) -> bool {
        self.connection.is_closed()
    }

    pub async fn initialize(&self, root: &Path) -> Result<(), LspError> {
        let root_uri = crate::uri::from_path(root);
        let name = root.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        let params = json!({
            "processId": std::process::id(),
            "clientInfo": {"name": "claurst", "version": env!("CARGO_PKG_VERSION")},
            "rootUri": root_uri,
            "rootPath": root,
            "workspaceFolders": [{"uri": root_uri, "name": name}],
            "capabilities": client_capabilities(),
        });
        self.connection.request("initialize", params, INITIALIZE_TIMEOUT).await?;
        self.connection.notify("initialized", json!({})).await
    }

    /// Tell the server the current content of `path` (opening it, or sending the change): its version now,
    /// and whether the server learnt anything new.
    pub async fn sync(&self, path: &Path, language_id: &str) -> Result<(i32, bool), LspError> {
        let text = tokio::fs::read_to_string(path)
            .await
            .map_err(|error| LspError::Protocol(format!("cannot read {}: {error}", path.display())))?;
        let uri = crate::uri::from_path(path);
        let known = lock(&self.documents).get(path).cloned();
        let version = match known {
            Some(document) if document.text == text => return Ok((document.version, false)),
            Some(document) => {
                let version = document.version + 1;
                let params = json!({
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"text": text}],
                });
                self.connection.notify("textDocument/didChange", params).await?;
                version
            }
            None => {
                let params = json!({
                    "textDocument": {"uri": uri, "languageId": language_id, "version": 1, "text": text},
                });
                self.connection.notify("textDocument/didOpen", params).await?;
                1
            }
        };
        lock(&self.documents).insert(path.to_path_buf(), OpenDocument { version, text });
        Ok((version, true))
    }

    /// The diagnostics for `path` once the server has analysed its current content, waiting up to `timeout`
    /// for them; `None` when the server published nothing for this version in time.
    pub async fn diagnostics(
        &self,
        path: &Path,
        language_id: &str,
        timeout: Duration,
    ) -> Result<Option<Published>, LspError> {
        let uri = crate::uri::from_path(path);
        let before = self.connection.published(&uri);
        let (version, changed) = self.sync(path, language_id).await?;
        // Unchanged, and already analysed at this version: the last publish is still the answer.
        if !changed && before.count > 0 && before.version.is_none_or(|analysed| analysed >= version) {
            return Ok(Some(before));
        }
        Ok(self.connection.wait_for_publish(&uri, before.count, version, timeout).await)
    }

    /// Send a request about a document and return its raw result.
    pub async fn request(&self, method: &str, params: Value) -> Result<Value, LspError> {
        self.connection.request(method, params, REQUEST_TIMEOUT).await
    }

    /// Ask the server to stop (`shutdown`, then `exit`), and kill its process group if it has not exited
    /// within a moment.
    pub async fn shutdown(mut self) {
        if !self.connection.is_closed() {
            let _ = self.connection.request("shutdown", Value::Null, SHUTDOWN_TIMEOUT).await;
            let _ = self.connection.notify("exit", Value::Null).await;
        }
        if let Some(process) = self.process.as_mut() {
            let exited = tokio::time::timeout(SHUTDOWN_TIMEOUT, process.wait()).await;
            if exited.is_err() {
                tracing::debug!(language = %self.language, "language server did not exit; killing it");
            }
        }
        // Drop kills whatever is left of the group (children a server started, or the server itself).
    }
}

impl Drop for LanguageServer {
    fn drop(&mut self) {
        if let Some(pid) = self.process.as_ref().and_then(tokio::process::Child::id) {
            // The server leads its own group: this reaches the helpers it started too. A group already
            // gone (the server exited) is no error worth reporting.
            if let Ok(group) = i32::try_from(pid) {
                let _ = killpg(Pid::from_raw(group), Signal::SIGKILL);
            }
        }
        if let Some(mut process) = self.process.take() {
            // Reap it so no zombie is left, without blocking the caller.
            let _ = process.start_kill();
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(async move {
                    let _ = process.wait().await;
                });
            }
        }
    }
}

/// What we can do with the server's answers: plain or markdown hover text, nested document symbols,
/// versioned diagnostics.
fn client_capabilities() -> Value {
    json!({
        "textDocument": {
            "synchronization": {"dynamicRegistration": false, "didSave": false},
            "publishDiagnostics": {"relatedInformation": false, "versionSupport": true},
            "hover": {"contentFormat": ["plaintext", "markdown"]},
            "definition": {"linkSupport": true},
            "references": {},
            "documentSymbol": {"hierarchicalDocumentSymbolSupport": true},
        },
        "workspace": {"configuration": true},
        "general": {"positionEncodings": ["utf-16"]},
    })
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
