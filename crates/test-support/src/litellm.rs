//! [`LiteLlmProxy`]: the LiteLLM proxy, a real OpenAI-compatible server nobody here wrote, run as a child
//! process in front of a [`MockApi`]. OpenAI Chat Completions requests sent to [`LiteLlmProxy::url`] are
//! translated by LiteLLM into Anthropic Messages requests to the mock, and the mock's scripted answers come
//! back translated into Chat Completions responses and `chat.completion.chunk` streams.
//!
//! The proxy is installed by [`install`] (pip, into a cached virtualenv) the first time it is needed.

mod install;

use std::fs::File;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

use crate::MockApi;

pub use install::{InstallError, LITELLM_VERSION, cache_dir, install, venv_dir, venv_python};

/// The model name clients ask the proxy for; it routes to [`UPSTREAM_MODEL`] on the mock.
pub const PROXY_MODEL: &str = "scripted-claude";
/// What LiteLLM sends upstream: the Anthropic provider, and the model name the mock sees in `model`.
pub const UPSTREAM_MODEL: &str = "anthropic/claude-sonnet-4-5";
/// The proxy's master key: clients send it as `Authorization: Bearer …`. The proxy refuses to start without
/// one, and it only ever listens on 127.0.0.1.
pub const PROXY_API_KEY: &str = "sk-claurst-test-5e1d9c3b7a2f4e6d8c0b9a1f3e5d7c9b2a4f6e8d0c1b3a5f";
/// The key LiteLLM sends to the mock as `x-api-key`, so a test can tell it arrived.
pub const UPSTREAM_API_KEY: &str = "sk-ant-litellm-dummy";

/// How long the proxy may take to answer its health check: its imports alone take several seconds, more on
/// a machine busy compiling.
const READY_TIMEOUT: Duration = Duration::from_secs(90);
/// How long a stopped proxy gets to exit after SIGTERM before it is killed.
const STOP_GRACE: Duration = Duration::from_secs(5);

/// The LiteLLM proxy on a free 127.0.0.1 port, forwarding to one [`MockApi`]; dropping it kills the proxy's
/// whole process group.
pub struct LiteLlmProxy {
    child: Child,
    port: u16,
    /// Holds the config and the log for as long as the proxy runs.
    dir: tempfile::TempDir,
}

impl LiteLlmProxy {
    /// Installs the proxy if needed, starts it with `upstream` as its Anthropic endpoint, and returns once it
    /// answers its health check. Panics, showing the proxy's log, if it cannot be installed or does not start.
    pub fn start(upstream: &MockApi) -> LiteLlmProxy {
        let venv = install().unwrap_or_else(|e| panic!("the LiteLLM proxy could not be installed: {e}"));
        let dir = tempfile::tempdir().expect("a temp dir for the LiteLLM proxy's config and log");
        let config = dir.path().join("config.yaml");
        std::fs::write(&config, config_yaml(&upstream.url())).expect("the LiteLLM config is written");
        let log = File::create(dir.path().join("proxy.log")).expect("the LiteLLM log file is created");
        let port = free_port();
        let child = proxy_command(&venv_python(&venv), &config, port)
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("the LiteLLM log file handle is cloned"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start the LiteLLM proxy from {}: {e}", venv.display()));
        let mut proxy = LiteLlmProxy { child, port, dir };
        proxy.wait_until_healthy();
        proxy
    }

    /// The base URL an OpenAI client is configured with: `http://127.0.0.1:PORT/v1` (requests go to
    /// `{url}/chat/completions` and `{url}/models`).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }

    /// The bearer token the proxy accepts ([`PROXY_API_KEY`]).
    pub fn api_key(&self) -> &'static str {
        PROXY_API_KEY
    }

    /// The model name to put in requests ([`PROXY_MODEL`]).
    pub fn model(&self) -> &'static str {
        PROXY_MODEL
    }

    /// Everything the proxy has printed so far: for failure messages.
    pub fn log(&self) -> String {
        std::fs::read(self.log_path()).map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default()
    }

    fn log_path(&self) -> PathBuf {
        self.dir.path().join("proxy.log")
    }

    fn wait_until_healthy(&mut self) {
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("the LiteLLM proxy exited ({status}) before it was ready; its log:\n{}", self.log());
            }
            if health_check_passes(self.port) {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "the LiteLLM proxy did not answer its health check within {READY_TIMEOUT:?}; its log:\n{}",
                    self.log()
                );
            }
            // Polling a child process's readiness: there is no event to wait on short of parsing its log.
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for LiteLlmProxy {
    fn drop(&mut self) {
        // The child leads its own process group (see `proxy_command`), so this reaches any workers it forked.
        let group = Pid::from_raw(i32::try_from(self.child.id()).unwrap_or(i32::MAX));
        let _ = killpg(group, Signal::SIGTERM);
        let deadline = Instant::now() + STOP_GRACE;
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                let _ = killpg(group, Signal::SIGKILL);
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = killpg(group, Signal::SIGKILL);
        let _ = self.child.wait();
    }
}

/// The proxy's config: one model routed to the mock, a master key, and no retries, so that one client
/// request is exactly one upstream request and a mock error reaches the client instead of being retried.
fn config_yaml(upstream_url: &str) -> String {
    // JSON strings are valid YAML scalars, which saves quoting rules of our own.
    let quote = |s: &str| serde_json::Value::from(s).to_string();
    format!(
        "model_list:\n\
         \x20 - model_name: {model}\n\
         \x20   litellm_params:\n\
         \x20     model: {upstream_model}\n\
         \x20     api_base: {api_base}\n\
         \x20     api_key: {upstream_key}\n\
         litellm_settings:\n\
         \x20 num_retries: 0\n\
         router_settings:\n\
         \x20 num_retries: 0\n\
         general_settings:\n\
         \x20 master_key: {master_key}\n",
        model = quote(PROXY_MODEL),
        upstream_model = quote(UPSTREAM_MODEL),
        api_base = quote(upstream_url),
        upstream_key = quote(UPSTREAM_API_KEY),
        master_key = quote(PROXY_API_KEY),
    )
}

fn proxy_command(python: &std::path::Path, config: &std::path::Path, port: u16) -> Command {
    let mut command = Command::new(python);
    command
        .args(["-m", "litellm.proxy.proxy_cli", "--host", "127.0.0.1", "--port"])
        .arg(port.to_string())
        .arg("--config")
        .arg(config)
        // There is no internet in the tests: these make LiteLLM use the copies bundled in the package instead
        // of fetching the latest from GitHub at import time (which would hang until a timeout).
        .env("LITELLM_LOCAL_MODEL_COST_MAP", "True")
        .env("LITELLM_LOCAL_ANTHROPIC_BETA_HEADERS", "True")
        .env("LITELLM_LOCAL_AUTOROUTER_PRESETS", "True")
        .env("LITELLM_LOCAL_BLOG_POSTS", "True")
        .env("LITELLM_LOCAL_POLICY_TEMPLATES", "True")
        // The mock is on 127.0.0.1; an HTTP proxy from the environment must not be asked to reach it.
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost")
        // A master key or database from the developer's environment would change how the proxy behaves.
        .env_remove("LITELLM_MASTER_KEY")
        .env_remove("DATABASE_URL")
        .env("PYTHONUNBUFFERED", "1")
        .process_group(0);
    command
}

/// A port that was free a moment ago. Another process could take it before the proxy binds it; the proxy
/// then exits at once and [`LiteLlmProxy::start`] panics with its log saying so.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1:0 to find a free port");
    listener.local_addr().expect("a bound listener has an address").port()
}

/// Whether `GET /health/liveliness` answers 200 (the endpoint's name is LiteLLM's spelling).
fn health_check_passes(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let request =
        format!("GET /health/liveliness HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0_u8; 12];
    stream.read_exact(&mut head).is_ok() && head.ends_with(b" 200")
}
