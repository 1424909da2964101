//! The watcher against a local server speaking the GitHub endpoints it reads.

use super::*;
use crate::kairos::Watch;
use claurst_test_support::MockGitHub;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const REPO: &str = "octo/widgets";

fn pull(number: u64) -> PullRef {
    PullRef { repo: REPO.into(), number }
}

fn token(value: &'static str) -> TokenSource {
    TokenSource::with(move |name| (name == "GH_TOKEN").then(|| value.to_string()), None)
}

fn no_token() -> TokenSource {
    TokenSource::with(|_| None, None)
}

/// A mock with pull request #12 open at head `aaaa111`, and a watch of it in a fresh folder.
async fn watching() -> (MockGitHub, tempfile::TempDir, std::sync::Arc<PullRequestWatch>) {
    let github = MockGitHub::start();
    github.open_pull(REPO, 12, "Faster widgets", "aaaa1111");
    let dir = tempfile::tempdir().unwrap();
    let watch = PullRequestWatch::open(dir.path(), &github.url(), token("gh-token"));
    watch.subscribe(&pull(12)).await.unwrap();
    (github, dir, watch)
}

fn subscriptions_file(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join(SUBSCRIPTIONS_FILE)
}

#[tokio::test]
async fn what_was_there_before_subscribing_is_not_news() {
    let github = MockGitHub::start();
    github.open_pull(REPO, 12, "Faster widgets", "aaaa1111");
    github.add_review(REPO, 12, "ada", "APPROVED", "");
    github.add_comment(REPO, 12, "bob", "first!");
    github.add_review_comment(REPO, 12, "cy", "src/lib.rs", "nit");
    github.set_check_run(REPO, 12, "build", "completed", Some("success"));
    let dir = tempfile::tempdir().unwrap();
    let watch = PullRequestWatch::open(dir.path(), &github.url(), token("t"));
    let answer = watch.subscribe(&pull(12)).await.unwrap();
    assert!(
        answer.starts_with("Watching octo/widgets#12: \"Faster widgets\" (open, head aaaa111"),
        "{answer}"
    );
    assert!(!answer.contains("no GitHub token"), "{answer}");
    assert!(subscriptions_file(&dir).exists());
    assert_eq!(watch.watched(), vec!["octo/widgets#12"]);
    assert_eq!(watch.poll().await, Vec::<String>::new());
}

#[tokio::test]
async fn a_quiet_poll_sends_the_etags_and_gets_304s() {
    let (github, dir, watch) = watching().await;
    let saved = std::fs::metadata(subscriptions_file(&dir)).unwrap().modified().unwrap();
    let before = github.requests().len();
    assert_eq!(watch.poll().await, Vec::<String>::new());
    let now = std::fs::metadata(subscriptions_file(&dir)).unwrap().modified().unwrap();
    assert_eq!(now, saved, "a quiet poll writes nothing");
    let polled = &github.requests()[before..];
    // The pull request, three lists and the head's check runs: each one conditional, each one a 304.
    assert_eq!(polled.len(), 5, "{:?}", polled.iter().map(|r| &r.path).collect::<Vec<_>>());
    assert!(polled.iter().all(|r| r.header("if-none-match").is_some()), "every request is conditional");
    assert_eq!(github.not_modified_count(), 5);
    assert!(polled.iter().all(|r| r.header("authorization") == Some("Bearer gh-token")));
}

#[tokio::test]
async fn each_change_is_one_line_reported_once() {
    let (github, _dir, watch) = watching().await;
    github.push_commit(REPO, 12, "bbbb2222", "Make widgets faster\n\nDetails follow.");
    github.push_commit(REPO, 12, "cccc3333", "Fix the flaky test");
    github.add_review(REPO, 12, "ada", "CHANGES_REQUESTED", "");
    github.add_review(REPO, 12, "me", "PENDING", "draft");
    github.add_comment(REPO, 12, "bob", "Looks good\nmore text");
    github.add_review_comment(REPO, 12, "cy", "src/lib.rs", "rename this");
    github.set_check_run(REPO, 12, "build", "completed", Some("failure"));
    github.set_check_run(REPO, 12, "lint", "in_progress", None);
    assert_eq!(
        watch.poll().await,
        vec![
            "PR octo/widgets#12: 2 new commits (head cccc333): Fix the flaky test",
            "PR octo/widgets#12: review by ada: changes requested",
            "PR octo/widgets#12: comment by bob: Looks good",
            "PR octo/widgets#12: review comment by cy on src/lib.rs: rename this",
            "PR octo/widgets#12: check build: failure",
        ]
    );
    assert_eq!(watch.poll().await, Vec::<String>::new(), "nothing is reported twice");

    // A re-run that completes is news even with the same conclusion; a finished one is.
    github.set_check_run(REPO, 12, "build", "in_progress", None);
    assert_eq!(watch.poll().await, Vec::<String>::new());
    github.set_check_run(REPO, 12, "build", "completed", Some("success"));
    github.set_check_run(REPO, 12, "lint", "completed", Some("action_required"));
    assert_eq!(
        watch.poll().await,
        vec!["PR octo/widgets#12: check build: success", "PR octo/widgets#12: check lint: action required"]
    );
}

#[tokio::test]
async fn state_changes_are_reported() {
    let (github, _dir, watch) = watching().await;
    github.set_state(REPO, 12, "closed", false);
    assert_eq!(watch.poll().await, vec!["PR octo/widgets#12: closed"]);
    github.set_state(REPO, 12, "open", false);
    assert_eq!(watch.poll().await, vec!["PR octo/widgets#12: reopened"]);
    github.set_state(REPO, 12, "closed", true);
    assert_eq!(watch.poll().await, vec!["PR octo/widgets#12: merged"]);
}

#[tokio::test]
async fn a_new_watch_on_the_same_folder_reports_nothing_already_reported() {
    let (github, dir, watch) = watching().await;
    github.add_comment(REPO, 12, "bob", "one");
    assert_eq!(watch.poll().await, vec!["PR octo/widgets#12: comment by bob: one"]);
    drop(watch);

    let restarted = PullRequestWatch::open(dir.path(), &github.url(), token("t"));
    assert_eq!(restarted.watched(), vec!["octo/widgets#12"]);
    assert_eq!(restarted.poll().await, Vec::<String>::new());
    github.add_comment(REPO, 12, "bob", "two");
    assert_eq!(restarted.poll().await, vec!["PR octo/widgets#12: comment by bob: two"]);
}

#[tokio::test]
async fn a_rate_limit_pauses_every_request_until_its_reset() {
    let (github, _dir, watch) = watching().await;
    let reset = SystemTime::now() + Duration::from_secs(3600);
    let reset_secs = reset.duration_since(UNIX_EPOCH).unwrap().as_secs();
    github.rate_limit_until(reset_secs);
    github.add_comment(REPO, 12, "bob", "while limited");
    let before = github.requests().len();
    let lines = watch.poll().await;
    let until = client::clock(UNIX_EPOCH + Duration::from_secs(reset_secs));
    assert_eq!(lines, vec![format!("GitHub rate limit reached: pull request polling pauses until {until}.")]);
    assert_eq!(github.requests().len(), before + 1, "the first refusal stops the poll");

    // Lifted early on the server's side, but the reset has not come: no request goes out, nothing is said.
    github.lift_rate_limit();
    assert_eq!(watch.poll().await, Vec::<String>::new());
    assert_eq!(github.requests().len(), before + 1);
}

#[tokio::test]
async fn after_the_reset_polling_resumes() {
    let (github, _dir, watch) = watching().await;
    github.rate_limit_until(SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() - 1);
    github.add_comment(REPO, 12, "bob", "after the limit");
    assert_eq!(watch.poll().await.len(), 1, "the limit is reported");
    github.lift_rate_limit();
    assert_eq!(watch.poll().await, vec!["PR octo/widgets#12: comment by bob: after the limit"]);
}

#[tokio::test]
async fn an_error_is_one_line_once_and_retried() {
    let (github, dir, watch) = watching().await;
    let url = github.url();
    drop(github);
    let lines = watch.poll().await;
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("PR octo/widgets#12: cannot poll (GitHub cannot be reached at"),
        "{lines:?}"
    );
    assert_eq!(watch.poll().await, Vec::<String>::new(), "the same error is not said again");
    assert_eq!(watch.watched(), vec!["octo/widgets#12"], "the subscription stays");
    drop((dir, url));
}

#[tokio::test]
async fn an_unknown_pull_request_is_refused_and_nothing_is_stored() {
    let github = MockGitHub::start();
    let dir = tempfile::tempdir().unwrap();
    let watch = PullRequestWatch::open(dir.path(), &github.url(), token("t"));
    let error = watch.subscribe(&pull(99)).await.unwrap_err().to_string();
    assert!(error.contains("cannot watch octo/widgets#99") && error.contains("404"), "{error}");
    assert!(!subscriptions_file(&dir).exists());
    assert!(watch.watched().is_empty());
    let error = watch.unsubscribe(&pull(99)).unwrap_err().to_string();
    assert_eq!(error, "octo/widgets#99 is not subscribed");
}

#[tokio::test]
async fn unsubscribing_stops_the_polls_and_survives_a_restart() {
    let (github, dir, watch) = watching().await;
    watch.unsubscribe(&pull(12)).unwrap();
    let before = github.requests().len();
    assert_eq!(watch.poll().await, Vec::<String>::new());
    assert_eq!(github.requests().len(), before, "nothing watched, nothing asked");
    let restarted = PullRequestWatch::open(dir.path(), &github.url(), token("t"));
    assert!(restarted.watched().is_empty());
}

#[tokio::test]
async fn gh_token_is_sent_before_github_token_and_none_is_said_plainly() {
    let github = MockGitHub::start();
    github.open_pull(REPO, 12, "Faster widgets", "aaaa1111");
    let dir = tempfile::tempdir().unwrap();
    let both = TokenSource::with(
        |name| match name {
            "GH_TOKEN" => Some("from-gh-token".into()),
            "GITHUB_TOKEN" => Some("from-github-token".into()),
            _ => None,
        },
        None,
    );
    let watch = PullRequestWatch::open(dir.path(), &github.url(), both);
    watch.subscribe(&pull(12)).await.unwrap();
    let seen: Vec<_> =
        github.requests().iter().map(|r| r.header("authorization").map(str::to_string)).collect();
    assert!(
        !seen.is_empty() && seen.iter().all(|h| h.as_deref() == Some("Bearer from-gh-token")),
        "{seen:?}"
    );

    let anonymous_dir = tempfile::tempdir().unwrap();
    let anonymous = PullRequestWatch::open(anonymous_dir.path(), &github.url(), no_token());
    let before = github.requests().len();
    let answer = anonymous.subscribe(&pull(12)).await.unwrap();
    assert!(answer.contains("no GitHub token"), "{answer}");
    assert!(github.requests()[before..].iter().all(|r| r.header("authorization").is_none()));
}

#[tokio::test]
async fn an_unreadable_list_is_moved_aside_and_said_once() {
    let github = MockGitHub::start();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(SUBSCRIPTIONS_FILE), "{ torn").unwrap();
    let watch = PullRequestWatch::open(dir.path(), &github.url(), no_token());
    let lines = watch.poll().await;
    assert_eq!(lines.len(), 1);
    assert!(lines[0].starts_with("Watched pull requests lost: cannot read"), "{lines:?}");
    assert!(dir.path().join("subscriptions.json.unreadable").exists());
    assert_eq!(watch.poll().await, Vec::<String>::new());
}

#[tokio::test]
async fn long_lists_are_read_from_the_page_holding_the_newest_items() {
    let github = MockGitHub::start();
    github.open_pull(REPO, 12, "Busy", "aaaa1111");
    for n in 0..100 {
        github.add_comment(REPO, 12, "bot", &format!("old {n}"));
    }
    let dir = tempfile::tempdir().unwrap();
    let watch = PullRequestWatch::open(dir.path(), &github.url(), token("t"));
    watch.subscribe(&pull(12)).await.unwrap();
    assert_eq!(watch.poll().await, Vec::<String>::new());

    // Page 1 is full and unchanged: the look starts on page 2, where the new comment is.
    github.add_comment(REPO, 12, "bob", "the 101st");
    let before = github.requests().len();
    assert_eq!(watch.poll().await, vec!["PR octo/widgets#12: comment by bob: the 101st"]);
    let comment_pages: Vec<String> = github.requests()[before..]
        .iter()
        .filter(|r| r.path_only() == "/repos/octo/widgets/issues/12/comments")
        .map(|r| r.path.clone())
        .collect();
    assert_eq!(comment_pages, vec!["/repos/octo/widgets/issues/12/comments?per_page=100&page=2"]);

    for n in 0..7 {
        github.add_comment(REPO, 12, "carol", &format!("burst {n}"));
    }
    let lines = watch.poll().await;
    assert_eq!(lines.len(), 6, "{lines:?}");
    assert_eq!(lines[0], "PR octo/widgets#12: comment by carol: burst 0");
    assert_eq!(lines[5], "PR octo/widgets#12: and 2 more comments");
}
