//! Output too long for the model: its head and tail are shown, and the whole is saved to a file the model can
//! read in parts. Shell output and MCP results both go through here.

use crate::files::truncate_chars;
use std::path::{Path, PathBuf};

/// `text` as the model sees it: whole when at most `max_chars` characters, otherwise its head and tail with
/// the whole saved under `dir` (as `<prefix>-….txt`; the file is written off the async threads, it can be
/// tens of MiB). `what` names the text in the note ("output", "result").
pub async fn present_long_text(text: &str, dir: &Path, max_chars: usize, prefix: &str, what: &str) -> String {
    // Counting bytes first avoids a pass over the characters of every short text.
    if text.len() <= max_chars {
        return text.to_string();
    }
    let total = text.chars().count();
    if total <= max_chars {
        return text.to_string();
    }
    let (whole, dir, prefix) = (text.to_string(), dir.to_path_buf(), prefix.to_string());
    let saved = tokio::task::spawn_blocking(move || save(&whole, &dir, &prefix))
        .await
        .unwrap_or_else(|error| Err(std::io::Error::other(error)));
    let half = (max_chars / 2).saturating_sub(200);
    let head = truncate_chars(text, half);
    let tail_start = text.char_indices().nth(total - half).map(|(index, _)| index).unwrap_or(text.len());
    let tail = text[tail_start..].trim_end_matches('\n');
    let location = match saved {
        Ok(path) => format!(
            "The full {what} ({total} characters) was saved to {}; read it in parts with read_file or search it with grep.",
            path.display()
        ),
        Err(error) => format!("The full {what} ({total} characters) could not be saved ({error})."),
    };
    format!("{head}\n\n[… {} characters omitted …]\n\n{tail}\n\n{location}", total - 2 * half)
}

fn save(text: &str, dir: &Path, prefix: &str) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let file = tempfile::Builder::new().prefix(&format!("{prefix}-")).suffix(".txt").tempfile_in(dir)?;
    std::fs::write(file.path(), text)?;
    let (_, path) = file.keep().map_err(|error| error.error)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn short_text_is_whole_and_long_text_is_cut_and_saved() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(present_long_text("short", dir.path(), 100, "mcp", "result").await, "short");
        let long = format!("{}{}", "h".repeat(5_000), "t".repeat(5_000));
        let shown = present_long_text(&long, dir.path(), 1_000, "mcp", "result").await;
        assert!(shown.len() < 1_500, "{}", shown.len());
        assert!(shown.starts_with("hhh") && shown.contains("ttt\n\nThe full result (10000 characters)"));
        let saved: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(std::fs::read_to_string(saved[0].as_ref().unwrap().path()).unwrap(), long);
    }
}
