//! Paths as `file://` URIs and back.

use std::path::{Path, PathBuf};

/// The `file://` URI of an absolute path (percent-encoded); the path as given when it cannot be one.
pub fn from_path(path: &Path) -> String {
    match url::Url::from_file_path(path) {
        Ok(url) => url.to_string(),
        Err(()) => format!("file://{}", path.display()),
    }
}

/// The path a `file://` URI names, `None` for other schemes.
pub fn to_path(uri: &str) -> Option<PathBuf> {
    url::Url::parse(uri).ok()?.to_file_path().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip_with_encoding() {
        let uri = from_path(Path::new("/tmp/a b/ü.py"));
        assert_eq!(uri, "file:///tmp/a%20b/%C3%BC.py");
        assert_eq!(to_path(&uri), Some(PathBuf::from("/tmp/a b/ü.py")));
        assert_eq!(to_path("untitled:1"), None);
    }
}
