//! Logs go to a file under ~/.claurst/logs, never to the screen.

use std::path::Path;
use tracing_subscriber::EnvFilter;

/// Start logging to `~/.claurst/logs/claurst.log` at `level`. Failing to open the log is not fatal: the
/// session runs without logs rather than not at all.
pub fn init(logs_dir: &Path, level: &str) {
    if std::fs::create_dir_all(logs_dir).is_err() {
        return;
    }
    let Ok(file) = std::fs::OpenOptions::new().create(true).append(true).open(logs_dir.join("claurst.log"))
    else {
        return;
    };
    let filter = EnvFilter::new(format!(
        "warn,claurst={level},claurst_cli={level},claurst_api={level},claurst_assistant={level},claurst_tools={level},claurst_tui={level}"
    ));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .try_init();
}
