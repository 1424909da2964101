//! Which pull request a tool call names: `owner/repo#12`, a pull request's web address, or `repo` + `number`.

use serde_json::Value;
use std::fmt;

/// One pull request: `owner/name#number`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PullRef {
    /// `owner/name`.
    pub repo: String,
    pub number: u64,
}

impl fmt::Display for PullRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.repo, self.number)
    }
}

impl PullRef {
    /// Reads the tools' input: `{"pr": "owner/repo#12" | "https://github.com/owner/repo/pull/12"}` or
    /// `{"repo": "owner/repo", "number": 12}`. The error says what was wrong, for the model.
    pub fn from_input(input: &Value) -> Result<PullRef, String> {
        match (input.get("pr"), input.get("repo"), input.get("number")) {
            (Some(pr), None, None) => {
                let text = pr.as_str().ok_or("`pr` must be a string such as \"owner/repo#12\"")?;
                PullRef::parse(text)
            }
            (None, Some(repo), Some(number)) => {
                let repo = repo.as_str().ok_or("`repo` must be a string such as \"owner/repo\"")?;
                let number = number
                    .as_u64()
                    .or_else(|| number.as_str().and_then(|text| text.parse().ok()))
                    .filter(|number| *number > 0)
                    .ok_or("`number` must be a positive whole number")?;
                Ok(PullRef { repo: checked_repo(repo)?, number })
            }
            _ => {
                Err("give either `pr` (\"owner/repo#12\" or a pull request URL) or both `repo` and `number`"
                    .into())
            }
        }
    }

    /// `owner/repo#12`, or a pull request's web address on any host
    /// (`https://github.com/owner/repo/pull/12`, with anything after the number ignored).
    pub fn parse(text: &str) -> Result<PullRef, String> {
        let text = text.trim();
        let bad = || format!("`{text}` is not a pull request: write \"owner/repo#12\" or its URL");
        if let Some(rest) = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://")) {
            let mut parts = rest.split('/').skip(1);
            let (Some(owner), Some(name), Some("pull"), Some(number)) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                return Err(bad());
            };
            let number = number.split(['#', '?']).next().unwrap_or_default();
            return Ok(PullRef {
                repo: checked_repo(&format!("{owner}/{name}"))?,
                number: positive(number).ok_or_else(bad)?,
            });
        }
        let (repo, number) = text.rsplit_once('#').ok_or_else(bad)?;
        Ok(PullRef { repo: checked_repo(repo)?, number: positive(number).ok_or_else(bad)? })
    }
}

fn positive(text: &str) -> Option<u64> {
    text.parse().ok().filter(|number| *number > 0)
}

/// `owner/name` with GitHub's characters only, so it can go into an API path as it is.
fn checked_repo(repo: &str) -> Result<String, String> {
    let valid_part = |part: &str| {
        !part.is_empty()
            && part != "."
            && part != ".."
            && part.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    match repo.split_once('/') {
        Some((owner, name)) if valid_part(owner) && valid_part(name) => Ok(repo.to_string()),
        _ => Err(format!("`{repo}` is not a repository: write \"owner/repo\"")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pr(repo: &str, number: u64) -> PullRef {
        PullRef { repo: repo.into(), number }
    }

    #[test]
    fn reads_every_spelling() {
        assert_eq!(PullRef::from_input(&json!({"pr": "octo/widgets#12"})), Ok(pr("octo/widgets", 12)));
        assert_eq!(
            PullRef::from_input(&json!({"pr": "https://github.com/octo/widgets/pull/12/files"})),
            Ok(pr("octo/widgets", 12))
        );
        assert_eq!(
            PullRef::from_input(&json!({"pr": "https://ghe.example/octo/widgets/pull/7#discussion"})),
            Ok(pr("octo/widgets", 7))
        );
        assert_eq!(
            PullRef::from_input(&json!({"repo": "octo/widgets", "number": 3})),
            Ok(pr("octo/widgets", 3))
        );
        assert_eq!(
            PullRef::from_input(&json!({"repo": "octo/widgets", "number": "3"})),
            Ok(pr("octo/widgets", 3))
        );
    }

    #[test]
    fn refuses_what_is_not_a_pull_request() {
        for input in [
            json!({}),
            json!({"pr": 12}),
            json!({"pr": "octo/widgets"}),
            json!({"pr": "octo#12"}),
            json!({"pr": "octo/widgets#0"}),
            json!({"pr": "../x/y#1"}),
            json!({"pr": "a/b?c#1"}),
            json!({"pr": "https://github.com/octo/widgets/issues/12"}),
            json!({"repo": "octo/widgets"}),
            json!({"repo": "octo/widgets", "number": -1}),
            json!({"pr": "octo/widgets#1", "repo": "octo/widgets", "number": 1}),
        ] {
            assert!(PullRef::from_input(&input).is_err(), "{input}");
        }
    }
}
