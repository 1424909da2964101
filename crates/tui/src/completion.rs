//! `@` file completion: a gitignore-aware list of the project's files, built in the background, matched
//! fuzzily.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// Files listed at most; a completion list of more is of no use and costs memory.
const MAX_FILES: usize = 100_000;

/// The project's files, relative to its root, once the background walk has finished.
#[derive(Debug, Clone, Default)]
pub struct FileIndex {
    files: Arc<OnceLock<Vec<String>>>,
}

impl FileIndex {
    /// Start listing `root` on a background thread.
    pub fn build(root: PathBuf) -> Self {
        let index = Self::default();
        let files = Arc::clone(&index.files);
        std::thread::spawn(move || {
            let _ = files.set(walk(&root));
        });
        index
    }

    /// An index holding exactly `files` (tests).
    pub fn from_files(files: Vec<String>) -> Self {
        let index = Self::default();
        let _ = index.files.set(files);
        index
    }

    pub fn is_ready(&self) -> bool {
        self.files.get().is_some()
    }

    /// The best `limit` matches for `query`, best first. An empty query lists the first files.
    pub fn find(&self, query: &str, limit: usize) -> Vec<String> {
        let Some(files) = self.files.get() else {
            return Vec::new();
        };
        if query.is_empty() {
            return files.iter().take(limit).cloned().collect();
        }
        let mut matcher = Matcher::new(Config::DEFAULT.match_paths());
        let pattern = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
        let mut matches = pattern.match_list(files.iter(), &mut matcher);
        // Equal scores: shorter paths first, then alphabetical, so results are stable.
        matches.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.len().cmp(&b.0.len())).then(a.0.cmp(b.0)));
        matches.into_iter().take(limit).map(|(path, _)| path.clone()).collect()
    }
}

fn walk(root: &Path) -> Vec<String> {
    let mut files = Vec::new();
    for entry in ignore::WalkBuilder::new(root).build().flatten() {
        if entry.file_type().is_some_and(|kind| kind.is_file())
            && let Ok(relative) = entry.path().strip_prefix(root)
        {
            files.push(relative.to_string_lossy().into_owned());
            if files.len() >= MAX_FILES {
                break;
            }
        }
    }
    files.sort();
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzzy_matches_rank_the_obvious_file_first() {
        let index = FileIndex::from_files(vec![
            "README.md".into(),
            "crates/tui/src/main.rs".into(),
            "src/main.rs".into(),
            "src/manifest.rs".into(),
        ]);
        assert_eq!(index.find("srcmain", 2), ["src/main.rs", "crates/tui/src/main.rs"]);
        assert_eq!(index.find("readme", 5), ["README.md"]);
    }

    #[test]
    fn the_walk_respects_gitignore() {
        let dir = std::env::temp_dir().join(format!("claurst-files-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::create_dir_all(dir.join("target")).unwrap();
        std::fs::create_dir_all(dir.join(".git")).unwrap();
        std::fs::write(dir.join(".gitignore"), "target/\n").unwrap();
        std::fs::write(dir.join("src/lib.rs"), "").unwrap();
        std::fs::write(dir.join("target/out.bin"), "").unwrap();
        assert_eq!(walk(&dir), ["src/lib.rs"]);
        let _ = std::fs::remove_dir_all(dir);
    }
}
