//! The language servers of one session: the server for a file is chosen by its extension, started on first
//! use, and reused by every later call until the session ends.

use crate::error::LspError;
use crate::server::{LanguageServer, ServerCommand};
use claurst_config::{LspConfig, LspServerConfig};
use std::collections::HashMap;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

/// What starts a server: a process normally, something in memory in tests.
pub type Launcher = Arc<
    dyn Fn(ServerCommand, PathBuf) -> Pin<Box<dyn Future<Output = Result<LanguageServer, LspError>> + Send>>
        + Send
        + Sync,
>;

/// A started (or starting) server per language.
type Slot = Arc<OnceCell<Arc<LanguageServer>>>;

/// The servers for one project.
pub struct LspManager {
    root: PathBuf,
    config: LspConfig,
    launcher: Launcher,
    servers: Mutex<HashMap<String, Slot>>,
    starts: AtomicUsize,
}

/// The server for a file, and the LSP language id to open it with.
pub struct ServerForFile {
    pub server: Arc<LanguageServer>,
    pub language_id: String,
}

impl LspManager {
    /// Servers as `config` describes them, for the project at `root`. Nothing starts yet.
    pub fn new(root: impl Into<PathBuf>, config: LspConfig) -> Self {
        let launcher: Launcher =
            Arc::new(|command, root| Box::pin(async move { LanguageServer::start(&command, &root).await }));
        Self::with_launcher(root, config, launcher)
    }

    pub fn with_launcher(root: impl Into<PathBuf>, config: LspConfig, launcher: Launcher) -> Self {
        Self {
            root: root.into(),
            config,
            launcher,
            servers: Mutex::new(HashMap::new()),
            starts: AtomicUsize::new(0),
        }
    }

    pub fn config(&self) -> &LspConfig {
        &self.config
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// How many servers this manager has started (a server that failed to start counts too).
    pub fn starts(&self) -> usize {
        self.starts.load(Ordering::Relaxed)
    }

    /// The configured server for `path`'s extension, if any.
    pub fn configured_for(&self, path: &Path) -> Option<&LspServerConfig> {
        let extension = path.extension()?.to_str()?;
        self.config.server_for_extension(extension)
    }

    /// Whether a server for `path`'s language is running now (a call about it starts nothing).
    pub fn is_running_for(&self, path: &Path) -> bool {
        let Some(config) = self.configured_for(path) else { return false };
        let servers = self.servers.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        servers.get(&config.language).and_then(|slot| slot.get()).is_some_and(|server| !server.is_closed())
    }

    /// The running server for `path`, started now when it is the first file of its language.
    pub async fn server_for(&self, path: &Path) -> Result<ServerForFile, LspError> {
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
        let Some(config) = self.config.server_for_extension(extension) else {
            let known = self.config.servers.iter().map(|s| s.language.as_str()).collect::<Vec<_>>();
            return Err(LspError::NoServerFor { extension: extension.to_string(), known: known.join(", ") });
        };
        let slot = self.slot(&config.language);
        let server = slot
            .get_or_try_init(|| {
                self.starts.fetch_add(1, Ordering::Relaxed);
                let command = ServerCommand { language: config.language.clone(), command: config.command.clone() };
                tracing::debug!(language = %config.language, command = ?config.command, "starting language server");
                let launching = (self.launcher)(command, self.root.clone());
                async move { launching.await.map(Arc::new) }
            })
            .await?
            .clone();
        if server.is_closed() {
            // It died: forget it, so the next call starts it again, and say so now.
            self.forget(&config.language, &slot);
            return Err(LspError::Closed);
        }
        Ok(ServerForFile { server, language_id: language_id(extension, &config.language) })
    }

    fn slot(&self, language: &str) -> Slot {
        let mut servers = self.servers.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        Arc::clone(servers.entry(language.to_string()).or_default())
    }

    fn forget(&self, language: &str, slot: &Slot) {
        let mut servers = self.servers.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if servers.get(language).is_some_and(|current| Arc::ptr_eq(current, slot)) {
            servers.remove(language);
        }
    }

    /// Stop every server: politely when no call is using it, by killing its process group otherwise.
    pub async fn shutdown(&self) {
        let slots: Vec<Slot> = {
            let mut servers = self.servers.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            servers.drain().map(|(_, slot)| slot).collect()
        };
        for slot in slots {
            let Ok(cell) = Arc::try_unwrap(slot) else { continue };
            let Some(server) = cell.into_inner() else { continue };
            if let Ok(server) = Arc::try_unwrap(server) {
                server.shutdown().await;
            }
        }
    }

    /// The process ids of the running servers (for tests that check nothing is left behind).
    pub fn pids(&self) -> Vec<u32> {
        let servers = self.servers.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        servers.values().filter_map(|slot| slot.get()).filter_map(|server| server.pid()).collect()
    }
}

/// The LSP language id of a file: the standard one for the extensions the built-in servers handle, the
/// configuration's language name otherwise.
fn language_id(extension: &str, language: &str) -> String {
    let id = match extension {
        "py" | "pyi" => "python",
        "ts" | "mts" | "cts" => "typescript",
        "tsx" => "typescriptreact",
        "js" | "mjs" | "cjs" => "javascript",
        "jsx" => "javascriptreact",
        "rs" => "rust",
        "go" => "go",
        _ => language,
    };
    id.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connection::Connection;
    use crate::framing::{FrameDecoder, encode};
    use serde_json::{Value, json};
    use std::time::Duration;
    use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};

    /// A language server in memory: answers every request with null (`initialize` with no capabilities) and
    /// publishes one diagnostic for each document opened or changed.
    async fn fake_server(mut stream: DuplexStream) {
        let mut decoder = FrameDecoder::default();
        let mut buffer = vec![0u8; 4096];
        loop {
            let Ok(read) = stream.read(&mut buffer).await else { return };
            if read == 0 {
                return;
            }
            decoder.push(&buffer[..read]);
            while let Ok(Some(body)) = decoder.next_message() {
                let message: Value = serde_json::from_slice(&body).unwrap();
                let method = message["method"].as_str().unwrap_or_default();
                let reply = if let Some(id) = message.get("id") {
                    let result =
                        if method == "initialize" { json!({"capabilities": {}}) } else { Value::Null };
                    json!({"jsonrpc": "2.0", "id": id, "result": result})
                } else if method == "textDocument/didOpen" || method == "textDocument/didChange" {
                    let document = &message["params"]["textDocument"];
                    json!({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": {
                        "uri": document["uri"], "version": document["version"],
                        "diagnostics": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}},
                                         "message": format!("version {}", document["version"])}]
                    }})
                } else {
                    continue;
                };
                stream.write_all(&encode(reply.to_string().as_bytes())).await.unwrap();
            }
        }
    }

    fn in_memory_launcher() -> Launcher {
        Arc::new(|command: ServerCommand, root: PathBuf| {
            Box::pin(async move {
                let (ours, theirs) = tokio::io::duplex(64 * 1024);
                tokio::spawn(fake_server(theirs));
                let (read, write) = tokio::io::split(ours);
                let server = LanguageServer::over(&command.language, Connection::new(read, write), None);
                server.initialize(&root).await?;
                Ok(server)
            })
        })
    }

    #[tokio::test]
    async fn servers_start_on_first_use_once_per_language_and_are_reused() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b, c) = (dir.path().join("a.py"), dir.path().join("b.py"), dir.path().join("c.go"));
        for file in [&a, &b, &c] {
            std::fs::write(file, "x = 1\n").unwrap();
        }
        let manager = LspManager::with_launcher(dir.path(), LspConfig::default(), in_memory_launcher());
        assert_eq!(manager.starts(), 0, "nothing starts before it is needed");
        assert!(!manager.is_running_for(&a));

        let first = manager.server_for(&a).await.unwrap();
        assert!(manager.is_running_for(&b), "the python server serves every python file");
        assert!(!manager.is_running_for(&c), "the go server has not started");
        assert_eq!((first.server.language(), first.language_id.as_str()), ("python", "python"));
        let again = manager.server_for(&b).await.unwrap();
        assert!(Arc::ptr_eq(&first.server, &again.server), "the python server is reused");
        assert_eq!(manager.starts(), 1);
        manager.server_for(&c).await.unwrap();
        assert_eq!(manager.starts(), 2, "another language starts its own server");

        let published =
            first.server.diagnostics(&a, "python", Duration::from_secs(5)).await.unwrap().unwrap();
        assert_eq!(published.diagnostics[0].message, "version 1");
        std::fs::write(&a, "x = 2\n").unwrap();
        let published =
            first.server.diagnostics(&a, "python", Duration::from_secs(5)).await.unwrap().unwrap();
        assert_eq!(
            published.diagnostics[0].message, "version 2",
            "a changed file is sent with a new version"
        );
        manager.shutdown().await;
    }

    #[tokio::test]
    async fn files_without_a_server_and_missing_programs_are_clear_errors() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = LspConfig::default();
        config.servers[2].command = vec!["claurst-no-such-language-server".into(), "--stdio".into()];
        let manager = LspManager::new(dir.path(), config);
        let error = manager.server_for(&dir.path().join("notes.txt")).await.err().unwrap();
        assert!(error.to_string().contains("no language server is configured for `.txt` files"), "{error}");
        let error = manager.server_for(&dir.path().join("a.py")).await.err().unwrap().to_string();
        assert!(error.contains("`claurst-no-such-language-server --stdio` is not installed"), "{error}");
        assert!(error.contains("[lsp.python] command = "), "{error}");
    }
}
