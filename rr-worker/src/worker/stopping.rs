//! How a [`Worker`] stops: its stop signals, the grace a stream gets after one, and the
//! longest a single streamed response may last.

use std::time::Duration;

use goridge::Relay;

use super::Worker;
use crate::StopSignals;

impl<R: Relay> Worker<R> {
    /// Stops gracefully on the signals `signals` watches: the payload in flight is answered,
    /// then [`wait_payload`](Self::wait_payload) returns `Ok(None)`.
    ///
    /// ```
    /// let (relay, _server) = goridge::MemoryRelay::pair();
    /// let signals = rr_worker::StopSignals::unregistered();
    /// let worker = rr_worker::Worker::new(relay).with_stop_signals(signals);
    /// ```
    pub fn with_stop_signals(mut self, signals: StopSignals) -> Self {
        self.signals = Some(signals);
        self
    }

    /// How long a streamed response may go on after a stop signal before
    /// [`stream_expired`](Self::stream_expired) says to end it (default [`DEFAULT_STREAM_GRACE`](crate::DEFAULT_STREAM_GRACE)).
    ///
    /// ```
    /// let (relay, _server) = goridge::MemoryRelay::pair();
    /// let worker = rr_worker::Worker::new(relay).with_stream_grace(std::time::Duration::from_secs(2));
    /// ```
    pub fn with_stream_grace(mut self, grace: Duration) -> Self {
        self.limits.grace = grace;
        self
    }

    /// The longest one streamed response may last, counted from its first frame; after it
    /// [`stream_expired`](Self::stream_expired) says to end it. Unlimited by default. Set it
    /// below rr's grace period (`-grace`, endure's `grace_period`, 30 s by default) so an
    /// endless stream (server-sent events) cannot hold rr's shutdown: rr waits for every
    /// request in flight and never tells a streaming worker to stop.
    ///
    /// ```
    /// let (relay, _server) = goridge::MemoryRelay::pair();
    /// let worker = rr_worker::Worker::new(relay).with_max_stream_duration(std::time::Duration::from_secs(20));
    /// ```
    pub fn with_max_stream_duration(mut self, limit: Duration) -> Self {
        self.limits.max = Some(limit);
        self
    }

    /// The stop signals this worker honours, if any.
    ///
    /// ```
    /// let (relay, _server) = goridge::MemoryRelay::pair();
    /// assert!(rr_worker::Worker::new(relay).stop_signals().is_none());
    /// ```
    pub fn stop_signals(&self) -> Option<&StopSignals> {
        self.signals.as_ref()
    }

    /// `true` when the response being streamed should end now: it has lasted longer than
    /// [`with_max_stream_duration`](Self::with_max_stream_duration) allows, or a stop signal
    /// came longer than the [stream grace](Self::with_stream_grace) ago. End it with
    /// `send(codec, b"", b"", false)`.
    ///
    /// ```
    /// let (relay, _server) = goridge::MemoryRelay::pair();
    /// assert!(!rr_worker::Worker::new(relay).stream_expired());
    /// ```
    pub fn stream_expired(&self) -> bool {
        let stop_at = self.signals.as_ref().and_then(StopSignals::requested_at);
        self.limits.expired(stop_at)
    }
}
