//! The thread-and-runtime model shared by every mock server: a listener on 127.0.0.1, served from a dedicated
//! thread that owns its own tokio runtime, recording every request, shut down when dropped.
//!
//! Owning the runtime means a mock works the same from a plain `#[test]` that spawns the `claurst` binary and
//! from a `#[tokio::test]` whose own runtime may be single-threaded.

use std::net::SocketAddr;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::io::BufReader;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

use crate::wire::{self, AfterResponse, CapturedRequest, Response};

/// Decides the response to one request; implemented by each kind of mock.
pub(crate) trait Respond: Send + Sync + 'static {
    fn respond(&self, request: &CapturedRequest) -> Response;
}

/// Every request a server has read, in arrival order, with a condition variable to wait on.
#[derive(Default)]
struct RequestLog {
    requests: Mutex<Vec<CapturedRequest>>,
    arrived: Condvar,
}

impl RequestLog {
    fn record(&self, request: CapturedRequest) {
        self.requests.lock().expect("request log poisoned by a panicking test thread").push(request);
        self.arrived.notify_all();
    }
}

/// A running mock server; dropping it stops the thread and closes every connection, stalled ones included.
pub(crate) struct Server {
    addr: SocketAddr,
    name: &'static str,
    log: Arc<RequestLog>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    pub(crate) fn start(name: &'static str, responder: Arc<dyn Respond>) -> Server {
        // Bound here, not on the server thread, so the port is known before `start` returns.
        let listener = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap_or_else(|e| panic!("{name}: cannot bind 127.0.0.1:0: {e}"));
        listener.set_nonblocking(true).expect("a fresh listener can be made non-blocking");
        let addr = listener.local_addr().expect("a bound listener has a local address");
        let log = Arc::new(RequestLog::default());
        let (shutdown, shutdown_rx) = oneshot::channel();
        let thread_log = Arc::clone(&log);
        let thread = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || serve(listener, responder, thread_log, shutdown_rx))
            .unwrap_or_else(|e| panic!("{name}: cannot spawn the server thread: {e}"));
        Server { addr, name, log, shutdown: Some(shutdown), thread: Some(thread) }
    }

    pub(crate) fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub(crate) fn requests(&self) -> Vec<CapturedRequest> {
        self.log.requests.lock().expect("request log poisoned by a panicking test thread").clone()
    }

    pub(crate) fn wait_for_requests(&self, n: usize, timeout: Duration) -> Vec<CapturedRequest> {
        let deadline = Instant::now() + timeout;
        let mut requests = self.log.requests.lock().expect("request log poisoned by a panicking test thread");
        while requests.len() < n {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                let seen: Vec<String> = requests.iter().map(|r| format!("{} {}", r.method, r.path)).collect();
                panic!(
                    "{}: waited {timeout:?} for {n} request(s) but only {} arrived: {seen:?}",
                    self.name,
                    requests.len()
                );
            }
            requests = self
                .log
                .arrived
                .wait_timeout(requests, left)
                .expect("request log poisoned by a panicking test thread")
                .0;
        }
        requests.clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            // An error means the thread already ended (it panicked); joining below reports nothing more useful.
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(
    listener: std::net::TcpListener,
    responder: Arc<dyn Respond>,
    log: Arc<RequestLog>,
    mut shutdown: oneshot::Receiver<()>,
) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("the mock server's tokio runtime can be built");
    runtime.block_on(async move {
        let listener =
            TcpListener::from_std(listener).expect("a non-blocking std listener converts to tokio");
        loop {
            tokio::select! {
                _ = &mut shutdown => break,
                accepted = listener.accept() => {
                    let Ok((stream, _)) = accepted else { continue };
                    tokio::spawn(serve_connection(stream, Arc::clone(&responder), Arc::clone(&log)));
                }
            }
        }
    });
    // Dropping the runtime drops every connection task, closing stalled sockets too.
    drop(runtime);
}

async fn serve_connection(stream: TcpStream, responder: Arc<dyn Respond>, log: Arc<RequestLog>) {
    // Each written piece should leave as its own segment so chunk-splitting tests see real splits.
    let _ = stream.set_nodelay(true);
    let mut stream = BufReader::new(stream);
    // Errors end the connection: a client that hangs up mid-request is not the mock's failure to report.
    while let Ok(Some(request)) = wire::read_request(&mut stream).await {
        let response = responder.respond(&request);
        let wants_close = request.wants_close();
        log.record(request);
        match wire::write_response(&mut stream, &response, wants_close).await {
            Ok(AfterResponse::KeepAlive) => continue,
            Ok(AfterResponse::Close) | Err(_) => return,
        }
    }
}
