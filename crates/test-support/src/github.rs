//! [`MockGitHub`], the GitHub REST endpoints KAIROS's pull-request watcher reads, over real HTTP on 127.0.0.1.
//!
//! Tests change pull requests through its methods (push a commit, add a review, complete a check run) and the
//! server answers as GitHub does: JSON lists paged with `per_page`/`page`, an `ETag` on every answer and
//! `304 Not Modified` when `If-None-Match` names it, and a `403` with `x-ratelimit-remaining: 0` while a rate
//! limit is in force.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::{Value, json};

use crate::server::{Respond, Server};
use crate::wire::{CapturedRequest, Framing, Response};

/// A scripted GitHub API on its own thread; dropping it shuts it down.
pub struct MockGitHub {
    state: Arc<GitHubState>,
    server: Server,
}

#[derive(Default)]
struct GitHubState {
    model: Mutex<Model>,
    /// `304 Not Modified` answers given so far.
    not_modified: AtomicUsize,
}

#[derive(Default)]
struct Model {
    pulls: HashMap<(String, u64), Pull>,
    /// Ids shared by reviews, comments and check runs, increasing as GitHub's do.
    last_id: u64,
    /// While set, every request is refused with a rate-limit 403 resetting at this Unix time.
    rate_limited_until: Option<u64>,
}

struct Pull {
    state: String,
    merged: bool,
    head: String,
    title: String,
    commits: Vec<Value>,
    reviews: Vec<Value>,
    comments: Vec<Value>,
    review_comments: Vec<Value>,
    /// Check runs by head sha.
    checks: HashMap<String, Vec<Value>>,
}

impl MockGitHub {
    pub fn start() -> MockGitHub {
        let state = Arc::new(GitHubState::default());
        let server = Server::start("mock-github", Arc::clone(&state) as Arc<dyn Respond>);
        MockGitHub { state, server }
    }

    /// The API root (`http://127.0.0.1:PORT`), as `[kairos] github_api_url` would name it.
    pub fn url(&self) -> String {
        self.server.url()
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<CapturedRequest> {
        self.server.requests()
    }

    /// Blocks until at least `n` requests have arrived and returns them all; panics after `timeout`.
    pub fn wait_for_requests(&self, n: usize, timeout: Duration) -> Vec<CapturedRequest> {
        self.server.wait_for_requests(n, timeout)
    }

    /// How many requests were answered `304 Not Modified` (their `If-None-Match` named the current version).
    pub fn not_modified_count(&self) -> usize {
        self.state.not_modified.load(Ordering::SeqCst)
    }

    /// Opens pull request `repo#number` (`repo` is `owner/name`) with one commit, `head_sha`.
    pub fn open_pull(&self, repo: &str, number: u64, title: &str, head_sha: &str) {
        let pull = Pull {
            state: "open".into(),
            merged: false,
            head: head_sha.into(),
            title: title.into(),
            commits: vec![commit_json(head_sha, "Initial commit")],
            reviews: Vec::new(),
            comments: Vec::new(),
            review_comments: Vec::new(),
            checks: HashMap::new(),
        };
        self.model().pulls.insert((repo.into(), number), pull);
    }

    /// Pushes a commit: it becomes the head.
    pub fn push_commit(&self, repo: &str, number: u64, sha: &str, message: &str) {
        self.with_pull(repo, number, |pull, _| {
            pull.commits.push(commit_json(sha, message));
            pull.head = sha.into();
        });
    }

    /// Submits a review (`state`: `APPROVED`, `CHANGES_REQUESTED`, `COMMENTED`, `PENDING`); returns its id.
    pub fn add_review(&self, repo: &str, number: u64, author: &str, state: &str, body: &str) -> u64 {
        self.with_pull(repo, number, |pull, id| {
            pull.reviews.push(json!({"id": id, "user": {"login": author}, "state": state, "body": body}));
            id
        })
    }

    /// Adds a comment to the conversation; returns its id.
    pub fn add_comment(&self, repo: &str, number: u64, author: &str, body: &str) -> u64 {
        self.with_pull(repo, number, |pull, id| {
            pull.comments.push(json!({"id": id, "user": {"login": author}, "body": body}));
            id
        })
    }

    /// Adds a review comment on a line of `path`; returns its id.
    pub fn add_review_comment(&self, repo: &str, number: u64, author: &str, path: &str, body: &str) -> u64 {
        self.with_pull(repo, number, |pull, id| {
            pull.review_comments
                .push(json!({"id": id, "user": {"login": author}, "path": path, "body": body}));
            id
        })
    }

    /// Creates or updates the check run `name` of the current head (`status`: `queued`, `in_progress`,
    /// `completed`; `conclusion` set when completed).
    pub fn set_check_run(&self, repo: &str, number: u64, name: &str, status: &str, conclusion: Option<&str>) {
        self.with_pull(repo, number, |pull, id| {
            let runs = pull.checks.entry(pull.head.clone()).or_default();
            let fields =
                json!({"name": name, "status": status, "conclusion": conclusion, "head_sha": pull.head});
            match runs.iter_mut().find(|run| run["name"] == name) {
                Some(run) => {
                    run["status"] = fields["status"].clone();
                    run["conclusion"] = fields["conclusion"].clone();
                }
                None => {
                    let mut run = fields;
                    run["id"] = json!(id);
                    runs.push(run);
                }
            }
        });
    }

    /// Sets the state: `"open"` or `"closed"`, merged or not.
    pub fn set_state(&self, repo: &str, number: u64, state: &str, merged: bool) {
        self.with_pull(repo, number, |pull, _| {
            pull.state = state.into();
            pull.merged = merged;
        });
    }

    /// Refuses every request with GitHub's rate-limit 403 until [`MockGitHub::lift_rate_limit`]; the
    /// answer says the limit resets at `reset_unix_secs`.
    pub fn rate_limit_until(&self, reset_unix_secs: u64) {
        self.model().rate_limited_until = Some(reset_unix_secs);
    }

    pub fn lift_rate_limit(&self) {
        self.model().rate_limited_until = None;
    }

    fn model(&self) -> MutexGuard<'_, Model> {
        self.state.model.lock().expect("mock-github model poisoned by a panicking test thread")
    }

    fn with_pull<T>(&self, repo: &str, number: u64, change: impl FnOnce(&mut Pull, u64) -> T) -> T {
        let mut model = self.model();
        model.last_id += 1;
        let id = model.last_id;
        let pull = model
            .pulls
            .get_mut(&(repo.to_owned(), number))
            .unwrap_or_else(|| panic!("mock-github: open_pull({repo:?}, {number}) first"));
        change(pull, id)
    }
}

fn commit_json(sha: &str, message: &str) -> Value {
    json!({"sha": sha, "commit": {"message": message, "author": {"name": "Test Author"}}})
}

impl Respond for GitHubState {
    fn respond(&self, request: &CapturedRequest) -> Response {
        let model = self.model.lock().expect("mock-github model poisoned by a panicking test thread");
        if let Some(reset) = model.rate_limited_until {
            let mut response = Response::json(
                403,
                &json!({"message": "API rate limit exceeded", "documentation_url": "https://docs.github.com"}),
            );
            response.headers.push(("x-ratelimit-remaining".into(), "0".into()));
            response.headers.push(("x-ratelimit-reset".into(), reset.to_string()));
            return response;
        }
        match answer(&model, request) {
            Some(body) => {
                let response = with_etag(request, &body);
                if response.status == 304 {
                    self.not_modified.fetch_add(1, Ordering::SeqCst);
                }
                response
            }
            None => Response::json(404, &json!({"message": "Not Found"})),
        }
    }
}

/// The JSON body for a known endpoint, `None` for anything else.
fn answer(model: &Model, request: &CapturedRequest) -> Option<Value> {
    let parts: Vec<&str> = request.path_only().trim_start_matches('/').split('/').collect();
    let query = Query::parse(&request.path);
    match parts.as_slice() {
        ["repos", owner, name, "pulls", number] => {
            let pull = find(model, owner, name, number)?;
            Some(json!({
                "number": number.parse::<u64>().ok()?,
                "title": pull.title,
                "state": pull.state,
                "merged": pull.merged,
                "head": {"sha": pull.head},
                "html_url": format!("https://github.com/{owner}/{name}/pull/{number}"),
            }))
        }
        ["repos", owner, name, "pulls", number, "commits"] => {
            Some(query.page(&find(model, owner, name, number)?.commits))
        }
        ["repos", owner, name, "pulls", number, "reviews"] => {
            Some(query.page(&find(model, owner, name, number)?.reviews))
        }
        ["repos", owner, name, "pulls", number, "comments"] => {
            Some(query.page(&find(model, owner, name, number)?.review_comments))
        }
        ["repos", owner, name, "issues", number, "comments"] => {
            Some(query.page(&find(model, owner, name, number)?.comments))
        }
        ["repos", owner, name, "commits", sha, "check-runs"] => {
            let repo = format!("{owner}/{name}");
            let runs: Vec<Value> = model
                .pulls
                .iter()
                .filter(|((pull_repo, _), _)| *pull_repo == repo)
                .filter_map(|(_, pull)| pull.checks.get(*sha))
                .flatten()
                .cloned()
                .collect();
            Some(json!({"total_count": runs.len(), "check_runs": query.page(&runs)}))
        }
        _ => None,
    }
}

fn find<'m>(model: &'m Model, owner: &str, name: &str, number: &str) -> Option<&'m Pull> {
    model.pulls.get(&(format!("{owner}/{name}"), number.parse().ok()?))
}

/// `per_page` (default 30, at most 100) and `page` (from 1), as GitHub reads them.
struct Query {
    per_page: usize,
    page: usize,
}

impl Query {
    fn parse(target: &str) -> Query {
        let mut query = Query { per_page: 30, page: 1 };
        let pairs = target.split_once('?').map(|(_, q)| q).unwrap_or_default();
        for (key, value) in pairs.split('&').filter_map(|pair| pair.split_once('=')) {
            match (key, value.parse::<usize>()) {
                ("per_page", Ok(n)) => query.per_page = n.clamp(1, 100),
                ("page", Ok(n)) => query.page = n.max(1),
                _ => {}
            }
        }
        query
    }

    fn page(&self, items: &[Value]) -> Value {
        let start = (self.page - 1) * self.per_page;
        Value::Array(items.iter().skip(start).take(self.per_page).cloned().collect())
    }
}

/// `200` with an `ETag` derived from the body, or `304` when the client already holds that version.
fn with_etag(request: &CapturedRequest, body: &Value) -> Response {
    let text = body.to_string();
    let etag = format!("\"{:016x}\"", fnv1a(text.as_bytes()));
    let mut response = if request.header("if-none-match") == Some(etag.as_str()) {
        Response::new(304, "application/json", Vec::new(), Framing::Length)
    } else {
        Response::new(200, "application/json; charset=utf-8", text.into_bytes(), Framing::Length)
    };
    response.headers.push(("etag".into(), etag));
    response.headers.push(("x-ratelimit-remaining".into(), "4999".into()));
    response
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3))
}
