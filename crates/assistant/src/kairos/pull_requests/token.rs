//! Where the GitHub token comes from: `GH_TOKEN`, then `GITHUB_TOKEN`, then `gh auth token`, else none.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// `gh auth token` answers from its own config at once; a slow `gh` (a keyring prompt) is not waited for.
const GH_TIMEOUT: Duration = Duration::from_secs(3);

type EnvLookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// How the client finds its token, asked once, at the first request.
#[derive(Clone)]
pub struct TokenSource {
    env: EnvLookup,
    /// The `gh` program to ask last; `None`: never ask.
    gh: Option<PathBuf>,
}

impl TokenSource {
    /// The process environment, then `gh` on the `PATH`.
    pub fn standard() -> TokenSource {
        TokenSource { env: Arc::new(|name| std::env::var(name).ok()), gh: Some(PathBuf::from("gh")) }
    }

    /// Variables looked up through `env`, then the `gh` program named, if any (tests).
    pub fn with(
        env: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
        gh: Option<PathBuf>,
    ) -> TokenSource {
        TokenSource { env: Arc::new(env), gh }
    }

    /// The token and where it came from; `None`: requests go unauthenticated. `host` is the API's host,
    /// passed to `gh` when it is not github.com (GitHub Enterprise).
    pub(crate) async fn resolve(&self, host: Option<&str>) -> Option<(String, &'static str)> {
        for name in ["GH_TOKEN", "GITHUB_TOKEN"] {
            if let Some(token) =
                (self.env)(name).map(|token| token.trim().to_string()).filter(|t| !t.is_empty())
            {
                return Some((token, name));
            }
        }
        let gh = self.gh.as_ref()?;
        ask_gh(gh, host).await.map(|token| (token, "gh auth token"))
    }
}

async fn ask_gh(gh: &PathBuf, host: Option<&str>) -> Option<String> {
    let mut command = tokio::process::Command::new(gh);
    command.args(["auth", "token"]).stdin(std::process::Stdio::null()).kill_on_drop(true);
    if let Some(host) = host.filter(|host| *host != "api.github.com") {
        command.args(["--hostname", host]);
    }
    // Not installed, failing, or too slow: all mean "no token from gh".
    let output = tokio::time::timeout(GH_TIMEOUT, command.output()).await.ok()?.ok()?;
    let token = String::from_utf8(output.stdout).ok()?.trim().to_string();
    (output.status.success() && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + Send + Sync + 'static {
        let map: HashMap<String, String> =
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |name| map.get(name).cloned()
    }

    #[tokio::test]
    async fn gh_token_wins_over_github_token() {
        let source = TokenSource::with(env(&[("GH_TOKEN", "one"), ("GITHUB_TOKEN", "two")]), None);
        assert_eq!(source.resolve(None).await, Some(("one".into(), "GH_TOKEN")));
        let source = TokenSource::with(env(&[("GH_TOKEN", " "), ("GITHUB_TOKEN", "two")]), None);
        assert_eq!(source.resolve(None).await, Some(("two".into(), "GITHUB_TOKEN")));
    }

    #[tokio::test]
    async fn asks_gh_last_and_goes_without_when_it_cannot() {
        let dir = tempfile::tempdir().unwrap();
        let gh = dir.path().join("gh");
        std::fs::write(&gh, "#!/bin/sh\n[ \"$1 $2\" = \"auth token\" ] && echo gho_from_gh\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&gh, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let source = TokenSource::with(env(&[]), Some(gh));
        assert_eq!(source.resolve(None).await, Some(("gho_from_gh".into(), "gh auth token")));
        let missing = TokenSource::with(env(&[]), Some(dir.path().join("no-such-gh")));
        assert_eq!(missing.resolve(None).await, None);
    }
}
