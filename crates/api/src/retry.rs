//! When to try a failed request again.

use std::time::Duration;

/// Exponential backoff with a cap; a server's `retry-after` wins when it asks for longer, never when shorter.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self { max_attempts: 5, base_delay: Duration::from_millis(500), max_delay: Duration::from_secs(30) }
    }
}

impl RetryPolicy {
    /// Delay before attempt `next_attempt` (2 for the first retry).
    pub fn delay(&self, next_attempt: u32, retry_after: Option<Duration>) -> Duration {
        let exponent = next_attempt.saturating_sub(2).min(16);
        let backoff = self.base_delay.saturating_mul(1 << exponent).min(self.max_delay);
        // A server that names a longer delay knows best, but never make the user wait more than a minute per
        // attempt. A shorter one (a storm of `retry-after: 0`) does not cut the backoff: retrying at once
        // against a server that is refusing work only adds to its load and burns the attempts.
        match retry_after {
            Some(asked) => asked.min(Duration::from_secs(60)).max(backoff),
            None => backoff,
        }
    }
}

/// Parse a `retry-after` header given in seconds (the HTTP-date form is not used by the Messages API).
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    value.trim().parse::<f64>().ok().filter(|s| s.is_finite() && *s >= 0.0).map(Duration::from_secs_f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay(2, None), Duration::from_millis(500));
        assert_eq!(policy.delay(3, None), Duration::from_millis(1000));
        assert_eq!(policy.delay(4, None), Duration::from_millis(2000));
        assert_eq!(policy.delay(20, None), Duration::from_secs(30));
    }

    #[test]
    fn retry_after_is_honoured() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay(2, Some(Duration::from_secs(7))), Duration::from_secs(7));
        assert_eq!(
            policy.delay(2, Some(Duration::ZERO)),
            Duration::from_millis(500),
            "the backoff is a floor"
        );
        assert_eq!(policy.delay(4, Some(Duration::from_millis(100))), Duration::from_secs(2));
        assert_eq!(policy.delay(2, Some(Duration::from_secs(600))), Duration::from_secs(60));
        assert_eq!(parse_retry_after(" 2 "), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after("0.5"), Some(Duration::from_millis(500)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
    }
}
