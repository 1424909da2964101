//! `/add-dir`: another working directory for the rest of the session, as `--add-dir` gives at start.

use crate::agent::Agent;
use std::path::Path;

impl Agent {
    /// Let file tools read and write in `dir` (relative to the project root) without asking, like the
    /// project; says what happened. The directory must exist.
    pub(crate) fn add_directory(&self, dir: &Path) -> String {
        let full = self.project_root.join(dir);
        let full = match std::fs::canonicalize(&full) {
            Ok(path) if path.is_dir() => path,
            Ok(path) => return format!("{} is not a directory; nothing was added.", path.display()),
            Err(error) => return format!("Cannot add {}: {error}", full.display()),
        };
        let added = self
            .permissions
            .lock()
            .map_err(|_| "the permission engine is poisoned".to_string())
            .and_then(|mut engine| engine.add_directory(&full).map_err(|error| error.to_string()));
        if let Err(error) = added {
            return format!("Cannot add {}: {error}", full.display());
        }
        // A custom command's run engine is a copy: it learns the directory too.
        if let Ok(mut run) = self.run_permissions.lock()
            && let Some(engine) = run.as_mut()
        {
            let _ = engine.add_directory(&full);
        }
        if let Some(sandbox) = &self.shell_sandbox {
            sandbox.add_directory(full.clone());
        }
        format!(
            "Added {} as a working directory for this session: file tools may read and write there like in \
             the project, and sandboxed shell commands may write there too.",
            full.display()
        )
    }
}
