//! [`RpcError`]: what can go wrong with an RPC call.

use crate::RelayError;

/// An RPC call failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RpcError {
    /// The relay failed, or the connection could not be made.
    #[error(transparent)]
    Relay(#[from] RelayError),
    /// No reply within the client's timeout. The connection is unusable afterwards (a late
    /// reply would be taken for the next call's): make a new client.
    #[error("no reply to {method} within the timeout")]
    Timeout {
        /// The method called.
        method: String,
    },
    /// The server answered with an error (e.g. an unknown method or plugin).
    #[error("{method} failed on the server: {message}")]
    Remote {
        /// The method called.
        method: String,
        /// The server's error text.
        message: String,
    },
    /// The reply frame does not belong to the call.
    #[error("malformed reply to {method}: {reason}")]
    BadReply {
        /// The method called.
        method: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// The relay is not a socket (RPC needs `tcp://` or `unix://`).
    #[error("RPC needs a tcp:// or unix:// address, not {0}")]
    NotASocket(String),
    /// A JSON argument or reply did not (de)serialise.
    #[cfg(feature = "json")]
    #[cfg_attr(docsrs, doc(cfg(feature = "json")))]
    #[error("JSON for {method}: {source}")]
    Json {
        /// The method called.
        method: String,
        /// The serde error.
        source: serde_json::Error,
    },
}
