//! [`StreamLimits`]: how long one streamed response may go on.

use std::time::{Duration, Instant};

/// The time limits of a streamed response and when the current one started.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StreamLimits {
    /// How long a stream may go on after a stop signal.
    pub(crate) grace: Duration,
    /// The longest one streamed response may last.
    pub(crate) max: Option<Duration>,
    /// When the current response's first STREAM frame went out.
    started: Option<Instant>,
}

impl StreamLimits {
    pub(crate) fn new(grace: Duration) -> Self {
        Self {
            grace,
            max: None,
            started: None,
        }
    }

    /// Notes a frame of the answer: `more` keeps (or starts) the stream, the last frame ends it.
    pub(crate) fn sent(&mut self, more: bool) {
        self.started = if more {
            Some(self.started.unwrap_or_else(Instant::now))
        } else {
            None
        };
    }

    /// Whether the current stream has outlived a limit; `stop_at` is when a stop signal came.
    pub(crate) fn expired(&self, stop_at: Option<Instant>) -> bool {
        let now = Instant::now();
        let too_long = match (self.started, self.max) {
            (Some(started), Some(max)) => now.duration_since(started) >= max,
            _ => false,
        };
        let grace_over = stop_at.is_some_and(|at| now.duration_since(at) >= self.grace);
        too_long || grace_over
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_expires_after_its_maximum_or_the_grace_after_a_stop() {
        let mut limits = StreamLimits::new(Duration::from_secs(3600));
        limits.max = Some(Duration::ZERO);
        assert!(!limits.expired(None), "no stream, no limit");
        limits.sent(true);
        assert!(limits.expired(None));
        limits.sent(false);
        assert!(!limits.expired(None), "the stream ended");

        let mut limits = StreamLimits::new(Duration::ZERO);
        assert!(!limits.expired(None));
        limits.sent(true);
        assert!(limits.expired(Some(Instant::now())));
        let later = StreamLimits::new(Duration::from_secs(3600));
        assert!(!later.expired(Some(Instant::now())), "still in its grace");
    }
}
