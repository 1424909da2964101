//! One pull request's changes since it was last looked at, as lines for the model, and its baseline when a
//! subscription starts.
//!
//! Every step records its progress in the [`Subscription`] (and keeps the ETags it used) only once it has
//! been taken in whole: a step that fails leaves nothing half-seen, and is tried again at the next poll.

use super::client::{Fetched, GitHubClient, GitHubError};
use super::reference::PullRef;
use super::store::{CheckSeen, ListSeen, PullState, Subscription};
use serde_json::Value;

/// GitHub's largest page.
const PER_PAGE: usize = 100;
/// Pages read at most per list and look (GitHub lists at most 250 commits of a pull request anyway).
const MAX_PAGES: u32 = 10;
/// Lines per list and poll; more become one "and N more" line.
const MAX_LINES_PER_LIST: usize = 5;
/// Characters of a message or comment quoted at most.
const QUOTE_CHARS: usize = 120;

/// The lists watched besides the pull request itself.
#[derive(Clone, Copy)]
enum List {
    Reviews,
    Comments,
    ReviewComments,
}

impl List {
    const ALL: [List; 3] = [List::Reviews, List::Comments, List::ReviewComments];

    fn path(self, pull: &PullRef) -> String {
        let PullRef { repo, number } = pull;
        match self {
            List::Reviews => format!("/repos/{repo}/pulls/{number}/reviews"),
            List::Comments => format!("/repos/{repo}/issues/{number}/comments"),
            List::ReviewComments => format!("/repos/{repo}/pulls/{number}/comments"),
        }
    }

    fn seen(self, subscription: &mut Subscription) -> &mut ListSeen {
        match self {
            List::Reviews => &mut subscription.reviews,
            List::Comments => &mut subscription.comments,
            List::ReviewComments => &mut subscription.review_comments,
        }
    }

    /// One item as a line (without the `PR …:` prefix); `None` for items not worth a line (a review
    /// still pending).
    fn describe(self, item: &Value) -> Option<String> {
        let author = item.pointer("/user/login").and_then(Value::as_str).unwrap_or("someone");
        let body = quote(item.get("body").and_then(Value::as_str).unwrap_or_default());
        match self {
            List::Reviews => {
                let state = match item.get("state").and_then(Value::as_str).unwrap_or_default() {
                    "PENDING" => return None,
                    "APPROVED" => "approved".to_string(),
                    "CHANGES_REQUESTED" => "changes requested".to_string(),
                    "COMMENTED" => "commented".to_string(),
                    other => other.to_ascii_lowercase().replace('_', " "),
                };
                Some(if body.is_empty() {
                    format!("review by {author}: {state}")
                } else {
                    format!("review by {author}: {state}: {body}")
                })
            }
            List::Comments => Some(format!("comment by {author}: {body}")),
            List::ReviewComments => {
                let path = item.get("path").and_then(Value::as_str).unwrap_or("a file");
                Some(format!("review comment by {author} on {path}: {body}"))
            }
        }
    }

    fn plural(self) -> &'static str {
        match self {
            List::Reviews => "reviews",
            List::Comments => "comments",
            List::ReviewComments => "review comments",
        }
    }
}

/// Look at `subscription` once more, pushing a line for each change and recording what was seen. Stops at
/// the first error, keeping what earlier steps recorded.
pub async fn poll(
    client: &GitHubClient,
    subscription: &mut Subscription,
    lines: &mut Vec<String>,
) -> Result<(), GitHubError> {
    let pull = PullRef { repo: subscription.repo.clone(), number: subscription.number };
    let prefix = format!("PR {pull}:");
    let mut push = |line: String| lines.push(format!("{prefix} {line}"));
    poll_pull(client, &pull, subscription, &mut push).await?;
    for list in List::ALL {
        let fresh = new_items(client, &list.path(&pull), list.seen(subscription)).await?;
        let described: Vec<String> = fresh.iter().filter_map(|item| list.describe(item)).collect();
        let shown = described.len().min(MAX_LINES_PER_LIST);
        described.iter().take(shown).for_each(|line| push(line.clone()));
        if described.len() > shown {
            push(format!("and {} more {}", described.len() - shown, list.plural()));
        }
    }
    poll_checks(client, &pull, subscription, &mut push).await
}

/// The pull request as it is now, everything already there counted as seen.
pub async fn baseline(client: &GitHubClient, pull: &PullRef) -> Result<Subscription, GitHubError> {
    let path = pull_path(pull);
    let Fetched::Changed { body, etag } = client.get(&path, false).await? else {
        return Err(GitHubError::Body { path, reason: "an unconditional request was answered 304".into() });
    };
    let facts = PullFacts::read(&body, &path)?;
    let commits = list_commits(client, pull).await?;
    let mut subscription = Subscription {
        repo: pull.repo.clone(),
        number: pull.number,
        title: facts.title,
        state: facts.state,
        head: facts.head,
        commits: commits.into_iter().map(|(sha, _)| sha).collect(),
        reviews: ListSeen::default(),
        comments: ListSeen::default(),
        review_comments: ListSeen::default(),
        checks: Vec::new(),
    };
    for list in List::ALL {
        new_items(client, &list.path(pull), list.seen(&mut subscription)).await?;
    }
    poll_checks(client, pull, &mut subscription, &mut |_| {}).await?;
    client.keep_etag(&path, etag);
    Ok(subscription)
}

fn pull_path(pull: &PullRef) -> String {
    format!("/repos/{}/pulls/{}", pull.repo, pull.number)
}

/// What the pull request's own resource says.
struct PullFacts {
    title: String,
    state: PullState,
    head: String,
}

impl PullFacts {
    fn read(body: &Value, path: &str) -> Result<PullFacts, GitHubError> {
        let unreadable =
            |what: &str| GitHubError::Body { path: path.to_string(), reason: format!("no {what}") };
        let head = body.pointer("/head/sha").and_then(Value::as_str).ok_or_else(|| unreadable("head sha"))?;
        let merged = body.get("merged").and_then(Value::as_bool).unwrap_or(false);
        let state = match (body.get("state").and_then(Value::as_str), merged) {
            (_, true) => PullState::Merged,
            (Some("open"), false) => PullState::Open,
            (Some("closed"), false) => PullState::Closed,
            _ => return Err(unreadable("state")),
        };
        let title = body.get("title").and_then(Value::as_str).unwrap_or_default().to_string();
        Ok(PullFacts { title, state, head: head.to_string() })
    }
}

async fn poll_pull(
    client: &GitHubClient,
    pull: &PullRef,
    subscription: &mut Subscription,
    push: &mut impl FnMut(String),
) -> Result<(), GitHubError> {
    let path = pull_path(pull);
    let Fetched::Changed { body, etag } = client.get(&path, true).await? else {
        return Ok(());
    };
    let facts = PullFacts::read(&body, &path)?;
    if facts.head != subscription.head {
        let commits = list_commits(client, pull).await?;
        push(commits_line(&subscription.commits, &commits, &facts.head));
        subscription.commits = commits.into_iter().map(|(sha, _)| sha).collect();
        subscription.head = facts.head;
        subscription.checks.clear();
    }
    let change = match (subscription.state, facts.state) {
        (before, after) if before == after => None,
        (_, PullState::Merged) => Some("merged"),
        (_, PullState::Closed) => Some("closed"),
        (_, PullState::Open) => Some("reopened"),
    };
    if let Some(change) = change {
        push(change.to_string());
    }
    subscription.state = facts.state;
    subscription.title = facts.title;
    client.keep_etag(&path, etag);
    Ok(())
}

/// `2 new commits (head abc1234): message of the newest`.
fn commits_line(seen: &[String], commits: &[(String, String)], head: &str) -> String {
    let fresh = commits.iter().filter(|(sha, _)| !seen.contains(sha)).count();
    let newest = commits.iter().find(|(sha, _)| sha == head).or(commits.last());
    let message = newest.map(|(_, message)| quote(message)).unwrap_or_default();
    let short: String = head.chars().take(7).collect();
    match fresh {
        0 => format!("head moved to {short} (force-push): {message}"),
        1 => format!("1 new commit (head {short}): {message}"),
        n => format!("{n} new commits (head {short}): {message}"),
    }
}

/// The pull request's commits, oldest first: `(sha, message)`.
async fn list_commits(client: &GitHubClient, pull: &PullRef) -> Result<Vec<(String, String)>, GitHubError> {
    let mut commits = Vec::new();
    for page in 1..=MAX_PAGES {
        let path =
            format!("/repos/{}/pulls/{}/commits?per_page={PER_PAGE}&page={page}", pull.repo, pull.number);
        let Fetched::Changed { body, .. } = client.get(&path, false).await? else { break };
        let items = body.as_array().map(Vec::as_slice).unwrap_or_default();
        commits.extend(items.iter().filter_map(|item| {
            let sha = item.get("sha").and_then(Value::as_str)?;
            let message = item.pointer("/commit/message").and_then(Value::as_str).unwrap_or_default();
            Some((sha.to_string(), message.to_string()))
        }));
        if items.len() < PER_PAGE {
            break;
        }
    }
    Ok(commits)
}

/// The items of a list with ids above `seen.last_id`, reading on from `seen.page`; `seen` and the pages'
/// ETags advance only when every page read succeeded.
///
/// The page read first is one that was not full at the last look (new items land on it or after it), so a
/// `304` there means nothing was added.
async fn new_items(
    client: &GitHubClient,
    base: &str,
    seen: &mut ListSeen,
) -> Result<Vec<Value>, GitHubError> {
    let mut page = seen.page.max(1);
    let mut fresh = Vec::new();
    let mut etags = Vec::new();
    for _ in 0..MAX_PAGES {
        let path = format!("{base}?per_page={PER_PAGE}&page={page}");
        let Fetched::Changed { body, etag } = client.get(&path, true).await? else { break };
        let items = body.as_array().map(Vec::as_slice).unwrap_or_default();
        fresh.extend(items.iter().filter(|item| id(item) > seen.last_id).cloned());
        etags.push((path, etag));
        if items.len() < PER_PAGE {
            break;
        }
        page += 1;
    }
    for (path, etag) in etags {
        client.keep_etag(&path, etag);
    }
    seen.page = page;
    seen.last_id = fresh.iter().map(id).max().unwrap_or(0).max(seen.last_id);
    Ok(fresh)
}

fn id(item: &Value) -> u64 {
    item.get("id").and_then(Value::as_u64).unwrap_or(0)
}

/// Check runs of the head that completed, or completed again with another conclusion, since the last look.
async fn poll_checks(
    client: &GitHubClient,
    pull: &PullRef,
    subscription: &mut Subscription,
    push: &mut impl FnMut(String),
) -> Result<(), GitHubError> {
    let path = format!("/repos/{}/commits/{}/check-runs?per_page={PER_PAGE}", pull.repo, subscription.head);
    let Fetched::Changed { body, etag } = client.get(&path, true).await? else {
        return Ok(());
    };
    let runs = body.get("check_runs").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    for run in runs {
        let run_id = id(run);
        let known = subscription.checks.iter().position(|check| check.id == run_id);
        if run.get("status").and_then(Value::as_str) != Some("completed") {
            // Running again: its next completion is news even with the same conclusion.
            if let Some(at) = known {
                subscription.checks.remove(at);
            }
            continue;
        }
        let conclusion = run.get("conclusion").and_then(Value::as_str).unwrap_or("none");
        if known.is_some_and(|at| subscription.checks[at].conclusion == conclusion) {
            continue;
        }
        let name = run.get("name").and_then(Value::as_str).unwrap_or("a check");
        push(format!("check {name}: {}", conclusion.replace('_', " ")));
        match known {
            Some(at) => subscription.checks[at].conclusion = conclusion.to_string(),
            None => subscription.checks.push(CheckSeen { id: run_id, conclusion: conclusion.to_string() }),
        }
    }
    client.keep_etag(&path, etag);
    Ok(())
}

/// The first line of `text`, cut to [`QUOTE_CHARS`].
fn quote(text: &str) -> String {
    let line = text.lines().map(str::trim).find(|line| !line.is_empty()).unwrap_or_default();
    if line.chars().count() <= QUOTE_CHARS {
        return line.to_string();
    }
    let cut: String = line.chars().take(QUOTE_CHARS - 1).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_lines_count_new_commits_and_quote_the_head() {
        let seen = vec!["a1".to_string()];
        let commits = vec![
            ("a1".to_string(), "First".to_string()),
            ("b2".to_string(), "Second".to_string()),
            ("c3c3c3c3c3".to_string(), "Fix the parser\n\nLong body".to_string()),
        ];
        assert_eq!(
            commits_line(&seen, &commits, "c3c3c3c3c3"),
            "2 new commits (head c3c3c3c): Fix the parser"
        );
        let rewritten = vec![("a1".to_string(), "First".to_string())];
        assert_eq!(commits_line(&seen, &rewritten, "a1"), "head moved to a1 (force-push): First");
    }

    #[test]
    fn quotes_are_one_line_and_bounded() {
        assert_eq!(quote("\n  hello \nworld"), "hello");
        let long = "x".repeat(300);
        assert_eq!(quote(&long).chars().count(), QUOTE_CHARS);
    }
}
