//! Watching GitHub pull requests for KAIROS: `subscribe_pr` / `unsubscribe_pr` change the list, and the tick
//! engine polls it (as a [`Watch`](crate::kairos::Watch)) for new commits, reviews, comments, finished check
//! runs and state changes. See spec/kairos.md §11.

mod changes;
mod client;
mod reference;
mod store;
mod token;
mod tools;
mod watcher;

pub use client::{DEFAULT_API_URL, GitHubError};
pub use reference::PullRef;
pub use store::FILE_NAME as SUBSCRIPTIONS_FILE;
pub use token::TokenSource;
pub use tools::{SUBSCRIBE_PR, SubscribePrTool, UNSUBSCRIBE_PR, UnsubscribePrTool};
pub use watcher::{PullRequestWatch, WatchError};

#[cfg(test)]
mod tests;
