//! Proves the test machinery against a real HTTP client (reqwest) and against raw sockets.

mod api;
mod github;
mod litellm;
mod project;
mod web;

/// A client that never goes through a proxy, whatever the environment says.
fn client() -> reqwest::Client {
    claurst_http::client_builder().no_proxy().build().expect("a plain reqwest client builds")
}
