//! Things outside the project that KAIROS watches between ticks (pull requests).

/// A source of outside changes, polled when a tick comes due.
///
/// Contract:
/// - `poll` returns what changed since its previous call, one line for the model each ("PR owner/repo#12: new
///   review by ada (changes requested)"); empty when nothing did. It is called at every due tick, so it must
///   be cheap when nothing changed (conditional requests, no work between polls) and must never fail: errors
///   become a line of their own once, or a log entry, and the next poll tries again.
/// - `watched` names what is watched now, for front-ends (`owner/repo#12`), without I/O.
#[async_trait::async_trait]
pub trait Watch: Send + Sync {
    async fn poll(&self) -> Vec<String>;
    fn watched(&self) -> Vec<String>;
}
