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
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

use crate::MockApi;

pub use install::{InstallError, LITELLM_VERSION, install};

use crate::cached_install::venv_python;

/// The model name clients ask the proxy for; it routes to [`UPSTREAM_MODEL`] on the mock.
pub const PROXY_MODEL: &str = "scripted-claude";
/// The LiteLLM route: its Anthropic provider, with `claude-sonnet-4-5` as the `model` the mock receives.
pub const UPSTREAM_MODEL: &str = "anthropic/claude-sonnet-4-5";
/// The key LiteLLM sends to the mock as `x-api-key`, so a test can tell it arrived.
pub const UPSTREAM_API_KEY: &str = "sk-ant-litellm-dummy";

/// How long the proxy may take to answer its first request: its imports alone take several seconds, more on
/// a machine busy compiling.
const READY_TIMEOUT: Duration = Duration::from_secs(90);
/// How many times a proxy that lost its port to another process is started again on a new one.
const PORT_ATTEMPTS: usize = 3;
/// How long a stopped proxy gets to exit after SIGTERM before it is killed.
const STOP_GRACE: Duration = Duration::from_secs(5);

/// The LiteLLM proxy on a free 127.0.0.1 port, forwarding to one [`MockApi`]; dropping it kills the proxy's
/// whole process group.
///
/// ```no_run
/// use claurst_test_support::litellm::LiteLlmProxy;
/// use claurst_test_support::{MockApi, Reply, Turn};
///
/// let api = MockApi::start();
/// api.push(Reply::stream(Turn::text_only("Hello.")));
/// let proxy = LiteLlmProxy::start(&api);
/// // An OpenAI-compatible client: base URL `proxy.url()`, bearer key `proxy.api_key()`, model
/// // `proxy.model()`. Its requests reach `api` as Messages API requests (see `api.requests()`).
/// # let _ = (proxy.url(), proxy.api_key(), proxy.model());
/// ```
pub struct LiteLlmProxy {
    child: Child,
    port: u16,
    /// The master key, different for every proxy so that the readiness check can tell ours from another
    /// test's proxy that happens to hold the port (see [`free_port`]).
    api_key: String,
    /// Holds the config and the log for as long as the proxy runs.
    dir: tempfile::TempDir,
}

impl LiteLlmProxy {
    /// Installs the proxy if needed, starts it with `upstream` as its Anthropic endpoint, and returns once it
    /// answers `GET /v1/models` with its key. Panics, showing the proxy's log, if it cannot be installed or does not start.
    pub fn start(upstream: &MockApi) -> LiteLlmProxy {
        let venv = install().unwrap_or_else(|e| panic!("the LiteLLM proxy could not be installed: {e}"));
        let python = venv_python(&venv);
        for _ in 1..PORT_ATTEMPTS {
            let mut proxy = LiteLlmProxy::spawn(&python, upstream);
            match proxy.wait_until_ready() {
                Readiness::Ready => return proxy,
                Readiness::PortTaken => continue,
            }
        }
        let mut proxy = LiteLlmProxy::spawn(&python, upstream);
        match proxy.wait_until_ready() {
            Readiness::Ready => proxy,
            Readiness::PortTaken => {
                panic!("the LiteLLM proxy found its port taken; its log:\n{}", proxy.log())
            }
        }
    }

    fn spawn(python: &std::path::Path, upstream: &MockApi) -> LiteLlmProxy {
        let dir = tempfile::tempdir().expect("a temp dir for the LiteLLM proxy's config and log");
        let api_key = unique_key();
        let config = dir.path().join("config.yaml");
        std::fs::write(&config, config_yaml(&upstream.url(), &api_key))
            .expect("the LiteLLM config is written");
        let log = File::create(dir.path().join("proxy.log")).expect("the LiteLLM log file is created");
        let port = free_port();
        let child = proxy_command(python, &config, port)
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("the LiteLLM log file handle is cloned"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start the LiteLLM proxy with {}: {e}", python.display()));
        LiteLlmProxy { child, port, api_key, dir }
    }

    /// The base URL an OpenAI client is configured with: `http://127.0.0.1:PORT/v1` (requests go to
    /// `{url}/chat/completions` and `{url}/models`).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }

    /// The bearer token this proxy accepts (its master key; the proxy refuses to start without one).
    pub fn api_key(&self) -> &str {
        &self.api_key
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

    /// Waits until the proxy answers an authenticated request with its own key; panics if it exits or takes
    /// too long, except that losing its port to another process is reported for a retry.
    fn wait_until_ready(&mut self) -> Readiness {
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                let log = self.log();
                if log.contains("address already in use") {
                    return Readiness::PortTaken;
                }
                panic!("the LiteLLM proxy exited ({status}) before it was ready; its log:\n{log}");
            }
            if answers_with_our_key(self.port, &self.api_key) {
                return Readiness::Ready;
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

/// How a start attempt ended, short of a panic.
enum Readiness {
    Ready,
    PortTaken,
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
fn config_yaml(upstream_url: &str, master_key: &str) -> String {
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
        master_key = quote(master_key),
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
/// then exits at once and [`LiteLlmProxy::start`] tries again on another port.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1:0 to find a free port");
    listener.local_addr().expect("a bound listener has an address").port()
}

/// A master key no other proxy has: long and random-looking enough for LiteLLM's weak-key check.
fn unique_key() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default();
    let count = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("sk-claurst-test-{:08x}{count:08x}{nanos:032x}", std::process::id())
}

/// Whether `GET /v1/models` with `key` answers 200: the proxy is up, has loaded its config, and is ours (any
/// other proxy would refuse the key).
fn answers_with_our_key(port: u16, key: &str) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let request = format!(
        "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {key}\r\n\
         Connection: close\r\n\r\n"
    );
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0_u8; 12];
    stream.read_exact(&mut head).is_ok() && head.ends_with(b" 200")
}
