//! Diagnostics after an edit: when `[lsp] diagnostics_after_edit` is on, the file tools' results end with what
//! the language server now reports for the edited file.

use crate::manager::LspManager;
use crate::present::{self, Files};
use async_trait::async_trait;
use claurst_tools::EditObserver;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// How long an edit's result waits for the server's verdict; past it the edit's result goes back without.
pub const AFTER_EDIT_TIMEOUT: Duration = Duration::from_secs(5);

/// Reports the diagnostics of each edited file that a configured and installed server handles.
pub struct DiagnosticsAfterEdit {
    manager: Arc<LspManager>,
}

impl DiagnosticsAfterEdit {
    pub fn new(manager: Arc<LspManager>) -> Self {
        Self { manager }
    }
}

#[async_trait]
impl EditObserver for DiagnosticsAfterEdit {
    async fn after_edit(&self, path: &Path) -> Option<String> {
        self.manager.configured_for(path)?;
        // A server that is not installed, or fails, leaves the edit's result as it was: the edit succeeded.
        let found = match self.manager.server_for(path).await {
            Ok(found) => found,
            Err(error) => {
                tracing::debug!(%error, "no diagnostics after the edit");
                return None;
            }
        };
        let published = match found.server.diagnostics(path, &found.language_id, AFTER_EDIT_TIMEOUT).await {
            Ok(Some(published)) => published,
            Ok(None) => return None,
            Err(error) => {
                tracing::debug!(%error, "no diagnostics after the edit");
                return None;
            }
        };
        let mut files = Files::new(self.manager.root());
        let text = present::diagnostics(&mut files, path, &published.diagnostics);
        Some(format!(
            "Diagnostics from the {} language server after this change:\n{text}",
            found.server.language()
        ))
    }
}
