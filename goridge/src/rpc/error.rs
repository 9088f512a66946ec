//! [`RpcError`]: what can go wrong with an RPC call.

use crate::RelayError;

/// An RPC call failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RpcError {
    /// The relay failed, or the connection could not be made.
    #[error(transparent)]
    Relay(#[from] RelayError),
    /// No reply, or not all of it, within the client's timeout. The connection was dropped
    /// (its late reply would otherwise be taken for the next call's); the next call opens a
    /// new one if the client can. The server may still carry out the call.
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
    /// An earlier call failed and its connection was dropped, and this client (made by
    /// [`RpcClient::new`](crate::RpcClient::new)) cannot open a new one.
    #[error(
        "cannot call {method}: an earlier call failed and the connection was dropped; \
         this client cannot reconnect, make a new client"
    )]
    NotConnected {
        /// The method called.
        method: String,
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
