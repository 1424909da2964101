//! [`PullRequestWatch`]: the watched pull requests, shared by `subscribe_pr`/`unsubscribe_pr` (which change the
//! list) and the tick engine (which polls it through [`Watch`]).

use super::changes;
use super::client::{GitHubClient, GitHubError, clock};
use super::reference::PullRef;
use super::store::{self, PullState, Subscription};
use super::token::TokenSource;
use crate::kairos::Watch;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::SystemTime;

/// Why a subscription could not be changed, for the tools' error results.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error("cannot watch {pull}: {source}")]
    GitHub { pull: PullRef, source: GitHubError },
    #[error("{0} is not subscribed")]
    NotSubscribed(PullRef),
    #[error(transparent)]
    Store(#[from] store::StoreError),
}

/// The pull requests KAIROS watches, and what it has seen of each (kept in `subscriptions.json`).
pub struct PullRequestWatch {
    client: GitHubClient,
    file: PathBuf,
    subscriptions: Mutex<Vec<Subscription>>,
    /// Lines owed to the next poll whatever GitHub says (the list could not be read at start).
    pending: Mutex<Vec<String>>,
    /// The rate-limit pause already reported, so that it is reported once.
    reported_pause: Mutex<Option<SystemTime>>,
    /// The last error reported for each pull request, so that a lasting failure is reported once.
    reported_errors: Mutex<HashMap<String, String>>,
}

impl PullRequestWatch {
    /// The watch kept in `dir/subscriptions.json`, talking to the GitHub API at `api_url`
    /// (`https://api.github.com`, or a GitHub Enterprise `https://HOST/api/v3`). A list that cannot be read
    /// is moved aside to `subscriptions.json.unreadable` and the first poll says so.
    pub fn open(dir: &Path, api_url: &str, tokens: TokenSource) -> Arc<PullRequestWatch> {
        let file = dir.join(store::FILE_NAME);
        let mut pending = Vec::new();
        let subscriptions = store::load(&file).unwrap_or_else(|error| {
            let aside = file.with_extension("json.unreadable");
            let moved = std::fs::rename(&file, &aside).is_ok();
            let note = if moved { format!(" (moved to {})", aside.display()) } else { String::new() };
            pending.push(format!("Watched pull requests lost: {error}{note}"));
            Vec::new()
        });
        Arc::new(PullRequestWatch {
            client: GitHubClient::new(api_url, tokens),
            file,
            subscriptions: Mutex::new(subscriptions),
            pending: Mutex::new(pending),
            reported_pause: Mutex::default(),
            reported_errors: Mutex::default(),
        })
    }

    /// Start watching `pull`: read it once (to check it exists and to take what is already there as seen)
    /// and save the list. Answers one line for the model.
    pub async fn subscribe(&self, pull: &PullRef) -> Result<String, WatchError> {
        if let Some(known) = lock(&self.subscriptions).iter().find(|s| is(s, pull)) {
            return Ok(format!("Already watching {pull}: {}", summary(known)));
        }
        let subscription = changes::baseline(&self.client, pull)
            .await
            .map_err(|source| WatchError::GitHub { pull: pull.clone(), source })?;
        let line = summary(&subscription);
        {
            let mut subscriptions = lock(&self.subscriptions);
            if !subscriptions.iter().any(|s| is(s, pull)) {
                subscriptions.push(subscription);
            }
            store::save(&self.file, &subscriptions)?;
        }
        let token_note = match self.client.token_origin().await {
            Some(_) => "",
            None => {
                " Note: no GitHub token (GH_TOKEN, GITHUB_TOKEN or `gh auth login`), so requests are \
                 unauthenticated: public repositories only, 60 requests an hour."
            }
        };
        Ok(format!(
            "Watching {pull}: {line}. New commits, reviews, comments, check results and state changes will arrive \
             with the next ticks.{token_note}"
        ))
    }

    /// Stop watching `pull` and save the list.
    pub fn unsubscribe(&self, pull: &PullRef) -> Result<(), WatchError> {
        let mut subscriptions = lock(&self.subscriptions);
        let before = subscriptions.len();
        subscriptions.retain(|s| !is(s, pull));
        if subscriptions.len() == before {
            return Err(WatchError::NotSubscribed(pull.clone()));
        }
        store::save(&self.file, &subscriptions)?;
        lock(&self.reported_errors).remove(&pull.to_string());
        Ok(())
    }

    async fn poll_all(&self) -> Vec<String> {
        let mut lines = std::mem::take(&mut *lock(&self.pending));
        let mut polled = lock(&self.subscriptions).clone();
        if polled.is_empty() {
            return lines;
        }
        for subscription in &mut polled {
            let key = format!("{}#{}", subscription.repo, subscription.number);
            match changes::poll(&self.client, subscription, &mut lines).await {
                Ok(()) => {
                    lock(&self.reported_errors).remove(&key);
                }
                Err(GitHubError::RateLimited { until }) => {
                    self.report_pause(until, &mut lines);
                    break;
                }
                Err(error) => self.report_error(key, error, &mut lines),
            }
        }
        self.merge(polled, &mut lines);
        lines
    }

    /// Keep what this poll saw for the pull requests still watched (a tool may have changed the list while
    /// the poll ran), and save when anything changed: a quiet poll writes nothing.
    fn merge(&self, polled: Vec<Subscription>, lines: &mut Vec<String>) {
        let mut subscriptions = lock(&self.subscriptions);
        let mut changed = false;
        for seen in polled {
            let current = subscriptions.iter_mut().find(|s| s.repo == seen.repo && s.number == seen.number);
            if let Some(current) = current.filter(|current| **current != seen) {
                *current = seen;
                changed = true;
            }
        }
        if !changed {
            return;
        }
        if let Err(error) = store::save(&self.file, &subscriptions) {
            lines.push(format!("Watched pull requests: {error}"));
        }
    }

    fn report_pause(&self, until: SystemTime, lines: &mut Vec<String>) {
        let mut reported = lock(&self.reported_pause);
        if *reported != Some(until) {
            *reported = Some(until);
            lines.push(format!(
                "GitHub rate limit reached: pull request polling pauses until {}.",
                clock(until)
            ));
        }
    }

    fn report_error(&self, key: String, error: GitHubError, lines: &mut Vec<String>) {
        let text = error.to_string();
        let mut reported = lock(&self.reported_errors);
        if reported.get(&key) != Some(&text) {
            lines.push(format!("PR {key}: cannot poll ({text}); trying again at the next tick."));
            reported.insert(key, text);
        }
    }
}

#[async_trait::async_trait]
impl Watch for PullRequestWatch {
    async fn poll(&self) -> Vec<String> {
        self.poll_all().await
    }

    fn watched(&self) -> Vec<String> {
        lock(&self.subscriptions).iter().map(|s| format!("{}#{}", s.repo, s.number)).collect()
    }
}

fn is(subscription: &Subscription, pull: &PullRef) -> bool {
    subscription.repo == pull.repo && subscription.number == pull.number
}

/// `"Title" (open, head abc1234)`.
fn summary(subscription: &Subscription) -> String {
    let state = match subscription.state {
        PullState::Open => "open",
        PullState::Closed => "closed",
        PullState::Merged => "merged",
    };
    let head: String = subscription.head.chars().take(7).collect();
    format!("\"{}\" ({state}, head {head}, {} commits)", subscription.title, subscription.commits.len())
}

/// The lists hold plain data that every writer leaves whole, so a panic elsewhere cannot leave them torn.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
