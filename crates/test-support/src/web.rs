//! [`MockWeb`], a tiny static site for web-fetch tests: fixed responses by path, 404 for anything else.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::server::{Respond, Server};
use crate::wire::{CapturedRequest, Framing, Response};

/// One page (or redirect, or error) served by [`MockWeb`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebResponse {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
    /// Sent as the `Location` header, for redirects.
    pub location: Option<String>,
    /// Any other headers, e.g. `content-encoding` for a compressed body.
    pub headers: Vec<(String, String)>,
}

impl WebResponse {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> WebResponse {
        WebResponse {
            status,
            content_type: content_type.to_owned(),
            body: body.into(),
            location: None,
            headers: Vec::new(),
        }
    }

    /// `200 text/html; charset=utf-8`.
    pub fn html(body: &str) -> WebResponse {
        WebResponse::new(200, "text/html; charset=utf-8", body)
    }

    /// `200 text/plain; charset=utf-8`.
    pub fn text(body: &str) -> WebResponse {
        WebResponse::new(200, "text/plain; charset=utf-8", body)
    }

    /// A redirect with this status (301, 302, 307, 308…) to `location`, which may be a path or a full URL.
    pub fn redirect(status: u16, location: &str) -> WebResponse {
        WebResponse { location: Some(location.to_owned()), ..WebResponse::new(status, "text/plain", "") }
    }

    /// Adds a response header; the body is sent as given (compress it yourself for `content-encoding`).
    pub fn header(mut self, name: &str, value: &str) -> WebResponse {
        self.headers.push((name.to_ascii_lowercase(), value.to_owned()));
        self
    }

    fn to_response(&self) -> Response {
        let mut response = Response::new(self.status, &self.content_type, self.body.clone(), Framing::Length);
        if let Some(location) = &self.location {
            response.headers.push(("location".to_owned(), location.clone()));
        }
        response.headers.extend(self.headers.iter().cloned());
        response
    }
}

/// A static HTTP site on 127.0.0.1, served from its own thread; dropping it shuts it down.
///
/// A request is matched first on its full target (with query string), then on its path alone.
pub struct MockWeb {
    routes: Arc<Routes>,
    server: Server,
}

impl MockWeb {
    pub fn start() -> MockWeb {
        let routes = Arc::new(Routes::default());
        let server = Server::start("mock-web", Arc::clone(&routes) as Arc<dyn Respond>);
        MockWeb { routes, server }
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn url(&self) -> String {
        self.server.url()
    }

    /// Serves `response` at `path` (which starts with `/`), replacing any earlier route there.
    pub fn route(&self, path: &str, response: WebResponse) {
        assert!(path.starts_with('/'), "MockWeb routes are absolute paths; got {path:?}");
        self.routes
            .by_path
            .lock()
            .expect("routes poisoned by a panicking test thread")
            .insert(path.to_owned(), response);
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<CapturedRequest> {
        self.server.requests()
    }

    /// Blocks until at least `n` requests have arrived and returns them all; panics after `timeout`.
    pub fn wait_for_requests(&self, n: usize, timeout: Duration) -> Vec<CapturedRequest> {
        self.server.wait_for_requests(n, timeout)
    }
}

#[derive(Default)]
struct Routes {
    by_path: Mutex<HashMap<String, WebResponse>>,
}

impl Respond for Routes {
    fn respond(&self, request: &CapturedRequest) -> Response {
        let routes = self.by_path.lock().expect("routes poisoned by a panicking test thread");
        match routes.get(&request.path).or_else(|| routes.get(request.path_only())) {
            Some(page) => page.to_response(),
            None => {
                WebResponse::new(404, "text/plain; charset=utf-8", format!("no route for {}", request.path))
                    .to_response()
            }
        }
    }
}
