//! `subscriptions.json`: the watched pull requests and what has been seen of each, so that the list
//! survives restarts and nothing reported is reported again. Written whole to a temporary file and renamed
//! over the old one (`write_atomically`), so a crash leaves the old list or the new, never half of one.

use serde::{Deserialize, Serialize};
use std::path::Path;

pub const FILE_NAME: &str = "subscriptions.json";
const VERSION: u32 = 1;

/// Open, closed without merging, or merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PullState {
    Open,
    Closed,
    Merged,
}

/// A check run of the head commit that has completed, with its conclusion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckSeen {
    pub id: u64,
    pub conclusion: String,
}

/// One list (reviews, comments, review comments): the highest id seen (GitHub's ids only grow, so newer
/// items have higher ids) and the page holding the newest items, where the next look starts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListSeen {
    pub last_id: u64,
    pub page: u32,
}

/// A watched pull request and what has been seen of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    /// `owner/name`.
    pub repo: String,
    pub number: u64,
    pub title: String,
    pub state: PullState,
    /// The head commit's sha.
    pub head: String,
    /// The shas of the pull request's commits, as last listed.
    pub commits: Vec<String>,
    pub reviews: ListSeen,
    pub comments: ListSeen,
    pub review_comments: ListSeen,
    /// Completed check runs of `head`.
    pub checks: Vec<CheckSeen>,
}

#[derive(Serialize, Deserialize)]
struct SubscriptionsFile {
    version: u32,
    subscriptions: Vec<Subscription>,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot read {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("cannot save {path}: {reason}")]
    Write { path: String, reason: String },
}

/// The subscriptions in `file`; none when it does not exist.
pub fn load(file: &Path) -> Result<Vec<Subscription>, StoreError> {
    let read_error = |reason: String| StoreError::Read { path: file.display().to_string(), reason };
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(read_error(error.to_string())),
    };
    let parsed: SubscriptionsFile =
        serde_json::from_str(&text).map_err(|error| read_error(error.to_string()))?;
    if parsed.version != VERSION {
        return Err(read_error(format!("version {} is not one this Claurst reads", parsed.version)));
    }
    Ok(parsed.subscriptions)
}

/// Replace `file` with `subscriptions`, atomically.
pub fn save(file: &Path, subscriptions: &[Subscription]) -> Result<(), StoreError> {
    let write_error = |reason: String| StoreError::Write { path: file.display().to_string(), reason };
    let dir = file.parent().ok_or_else(|| write_error("it has no folder".into()))?;
    std::fs::create_dir_all(dir).map_err(|error| write_error(error.to_string()))?;
    let document = SubscriptionsFile { version: VERSION, subscriptions: subscriptions.to_vec() };
    let text = serde_json::to_string_pretty(&document).map_err(|error| write_error(error.to_string()))?;
    claurst_config::write_atomically(file, text.as_bytes()).map_err(|error| write_error(error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subscription() -> Subscription {
        Subscription {
            repo: "octo/widgets".into(),
            number: 12,
            title: "Faster widgets".into(),
            state: PullState::Open,
            head: "abc".into(),
            commits: vec!["abc".into()],
            reviews: ListSeen { last_id: 4, page: 1 },
            comments: ListSeen::default(),
            review_comments: ListSeen::default(),
            checks: vec![CheckSeen { id: 9, conclusion: "success".into() }],
        }
    }

    #[test]
    fn saves_and_loads_the_same_list_leaving_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("kairos").join(FILE_NAME);
        assert_eq!(load(&file).unwrap(), Vec::new());
        save(&file, &[subscription()]).unwrap();
        save(&file, &[subscription(), subscription()]).unwrap();
        assert_eq!(load(&file).unwrap(), vec![subscription(), subscription()]);
        let names: Vec<_> =
            std::fs::read_dir(file.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from(FILE_NAME)]);
    }

    #[test]
    fn an_unreadable_file_is_an_error_not_an_empty_list() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(FILE_NAME);
        std::fs::write(&file, "{\"version\": 1, \"subscr").unwrap();
        assert!(matches!(load(&file), Err(StoreError::Read { .. })));
    }
}
