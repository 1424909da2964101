//! Worktree names: what a user may type, and the one Claurst makes up when they type none.

use super::WorktreeError;

const MAX_NAME_CHARS: usize = 64;

/// Words a generated name starts with: short, easy to type, easy to tell apart.
const WORDS: [&str; 16] = [
    "amber", "birch", "cedar", "delta", "ember", "fjord", "glade", "harbor", "iris", "juniper", "kestrel",
    "lagoon", "maple", "nova", "orchid", "pine",
];

/// Accept `name` when it is one path component git also takes as part of a branch name: letters, digits,
/// `-`, `_` and `.`, not starting with `.` or `-`, no `..`, not ending in `.lock` or `.`.
pub fn validate_name(name: &str) -> Result<(), WorktreeError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    let valid = !name.is_empty()
        && name.chars().count() <= MAX_NAME_CHARS
        && name.chars().all(allowed)
        && !name.starts_with(['.', '-'])
        && !name.ends_with('.')
        && !name.ends_with(".lock")
        && !name.contains("..");
    if valid { Ok(()) } else { Err(WorktreeError::InvalidName(name.to_string())) }
}

/// A fresh name such as `cedar-3f9a1c`: a word and a short id from a new UUID.
pub fn generated_name() -> String {
    let id = uuid::Uuid::new_v4();
    let bytes = id.as_bytes();
    let word = WORDS[usize::from(bytes[0]) % WORDS.len()];
    let short: String = id.simple().to_string().chars().skip(2).take(6).collect();
    format!("{word}-{short}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_single_safe_components() {
        for good in ["fix-login", "a", "v1.2", "under_score", "x".repeat(64).as_str()] {
            assert!(validate_name(good).is_ok(), "{good}");
        }
        for bad in ["", "..", "a..b", "a/b", "../x", ".hidden", "-flag", "ends.", "x.lock", "sp ace", "é"] {
            assert!(validate_name(bad).is_err(), "{bad}");
        }
        assert!(validate_name(&"x".repeat(65)).is_err());
    }

    #[test]
    fn generated_names_are_valid_and_differ() {
        let first = generated_name();
        let second = generated_name();
        assert!(validate_name(&first).is_ok(), "{first}");
        assert_ne!(first, second);
        let (word, id) = first.split_once('-').unwrap();
        assert!(WORDS.contains(&word));
        assert_eq!(id.len(), 6);
    }
}
