//! [`WorkerError`]: what can go wrong between a worker and the server.

use goridge::RelayError;

/// A worker could not talk to the server. Every variant but [`WorkerError::Relay`] with a
/// closed relay means the server sent something this worker cannot follow; the worker should
/// exit and let RoadRunner start a fresh one.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WorkerError {
    /// The relay failed (I/O, malformed frame, bad DSN).
    #[error(transparent)]
    Relay(#[from] RelayError),
    /// A data frame came without the context-length option (sent as the text of the error
    /// reply; [`Worker::wait_payload`](crate::Worker::wait_payload) goes on).
    #[error("a payload frame has no context-length option")]
    MissingContextLength,
    /// The context length is larger than the payload (sent as the text of the error reply).
    #[error("context length {context} exceeds the payload length {payload}")]
    ContextOutOfBounds {
        /// Context length announced by the option.
        context: u32,
        /// Actual payload length.
        payload: usize,
    },
    /// A control frame was not valid JSON or not a known command.
    #[error("unknown control message {0:?}")]
    UnknownControl(String),
    /// A data frame arrived while a response was being streamed.
    #[error("the server sent a new payload while a response was still being streamed")]
    UnexpectedPayload,
    /// One of RoadRunner's environment variables is unusable (not UTF-8).
    #[error(transparent)]
    Env(#[from] crate::env::EnvError),
    /// The caller used the worker out of order (e.g. streamed after the response ended).
    #[error("worker misuse: {0}")]
    Misuse(&'static str),
}
