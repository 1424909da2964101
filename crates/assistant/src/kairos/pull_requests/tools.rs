//! `subscribe_pr` and `unsubscribe_pr`: the model's way to change the list of watched pull requests.
//!
//! `subscribe_pr` reads the GitHub API, so it is judged as `web_fetch` is: a fetch of the API's host, asked
//! unless an allow rule covers it (`subscribe_pr`, or `subscribe_pr(domain:api.github.com)`).
//! `unsubscribe_pr` contacts nothing but changes the list, so it asks unless a rule allows it.

use super::reference::PullRef;
use super::watcher::PullRequestWatch;
use async_trait::async_trait;
use claurst_permissions::{Access, Effect};
use claurst_protocol::{ApprovalDetail, ToolFamily};
use claurst_tools::{Tool, ToolResult};
use serde_json::{Value, json};
use std::sync::Arc;

pub const SUBSCRIBE_PR: &str = "subscribe_pr";
pub const UNSUBSCRIBE_PR: &str = "unsubscribe_pr";

fn input_schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "pr": {
                "type": "string",
                "description": "The pull request: \"owner/repo#12\" or its URL (https://github.com/owner/repo/pull/12)"
            },
            "repo": {"type": "string", "description": "\"owner/repo\", with `number` instead of `pr`"},
            "number": {"type": "integer", "minimum": 1, "description": "The pull request's number, with `repo`"}
        },
        "additionalProperties": false
    })
}

/// `owner/repo#12` as written, for titles and approvals; the input as given when it cannot be read.
fn key_argument(input: &Value) -> Option<String> {
    PullRef::from_input(input).ok().map(|pull| pull.to_string())
}

pub struct SubscribePrTool {
    watch: Arc<PullRequestWatch>,
    /// The API root, for the permission engine's host check.
    api_url: String,
}

impl SubscribePrTool {
    pub fn new(watch: Arc<PullRequestWatch>, api_url: &str) -> SubscribePrTool {
        SubscribePrTool { watch, api_url: api_url.trim_end_matches('/').to_string() }
    }

    /// The API address the call reads first, which names the host a domain rule is checked against.
    fn api_address(&self, input: &Value) -> String {
        match PullRef::from_input(input) {
            Ok(pull) => format!("{}/repos/{}/pulls/{}", self.api_url, pull.repo, pull.number),
            Err(_) => self.api_url.clone(),
        }
    }
}

#[async_trait]
impl Tool for SubscribePrTool {
    fn name(&self) -> &str {
        SUBSCRIBE_PR
    }

    fn description(&self) -> &str {
        "Watch a GitHub pull request (KAIROS): from now on, its new commits, reviews, comments, finished check \
         runs and state changes (closed, merged, reopened) arrive as lines in the next <tick> prompts. What is \
         already there is not reported. The list of watched pull requests survives restarts; stop with \
         unsubscribe_pr."
    }

    fn input_schema(&self) -> Value {
        input_schema()
    }

    fn family(&self) -> ToolFamily {
        ToolFamily::Network
    }

    fn key_argument(&self, input: &Value) -> Option<String> {
        key_argument(input)
    }

    fn access(&self, input: &Value) -> Access {
        Access::Fetch { url: self.api_address(input) }
    }

    async fn approval_detail(&self, input: &Value) -> ApprovalDetail {
        ApprovalDetail::Fetch { url: self.api_address(input) }
    }

    async fn execute(&self, input: Value) -> ToolResult {
        let pull = match PullRef::from_input(&input) {
            Ok(pull) => pull,
            Err(error) => return ToolResult::error(format!("{SUBSCRIBE_PR}: {error}")),
        };
        match self.watch.subscribe(&pull).await {
            Ok(line) => ToolResult::ok(line),
            Err(error) => ToolResult::error(format!("{SUBSCRIBE_PR}: {error}")),
        }
    }
}

pub struct UnsubscribePrTool {
    watch: Arc<PullRequestWatch>,
}

impl UnsubscribePrTool {
    pub fn new(watch: Arc<PullRequestWatch>) -> UnsubscribePrTool {
        UnsubscribePrTool { watch }
    }
}

#[async_trait]
impl Tool for UnsubscribePrTool {
    fn name(&self) -> &str {
        UNSUBSCRIBE_PR
    }

    fn description(&self) -> &str {
        "Stop watching a GitHub pull request that subscribe_pr started watching (KAIROS)."
    }

    fn input_schema(&self) -> Value {
        input_schema()
    }

    fn key_argument(&self, input: &Value) -> Option<String> {
        key_argument(input)
    }

    fn access(&self, _input: &Value) -> Access {
        Access::Other { effect: Effect::Mutating }
    }

    async fn execute(&self, input: Value) -> ToolResult {
        let pull = match PullRef::from_input(&input) {
            Ok(pull) => pull,
            Err(error) => return ToolResult::error(format!("{UNSUBSCRIBE_PR}: {error}")),
        };
        match self.watch.unsubscribe(&pull) {
            Ok(()) => ToolResult::ok(format!("Stopped watching {pull}.")),
            Err(error) => ToolResult::error(format!("{UNSUBSCRIBE_PR}: {error}")),
        }
    }
}
