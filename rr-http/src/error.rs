//! Errors of the HTTP layer.

use goridge::RelayError;
use rr_worker::WorkerError;

/// The crate's error: something the worker cannot recover from by itself.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The generic worker failed (relay, protocol).
    #[error(transparent)]
    Worker(#[from] WorkerError),
    /// A request from the server could not be decoded.
    #[error(transparent)]
    Request(#[from] RequestError),
    /// A response could not be encoded.
    #[error(transparent)]
    Response(#[from] ResponseError),
    /// An I/O error of the program around the worker (lets `main` use `?` on I/O).
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl From<RelayError> for Error {
    fn from(e: RelayError) -> Self {
        Self::Worker(e.into())
    }
}

/// The server sent a request this worker cannot read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// The protobuf request context did not decode.
    #[error("malformed protobuf request context: {0}")]
    Protobuf(#[from] prost::DecodeError),
    /// The legacy JSON request context did not decode.
    #[error("malformed JSON request context: {0}")]
    Json(#[from] serde_json::Error),
    /// The method is not a valid HTTP method token.
    #[error("invalid request method {0:?}")]
    Method(String),
}

/// A response cannot be sent as it is. Nothing was sent when this is returned from
/// encoding a head, so the request can still be answered otherwise.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ResponseError {
    /// The status cannot be a final status (outside 200..=599).
    #[error("status {0} cannot end a response: a final status is 200..=599")]
    FinalStatus(u16),
    /// The status is not an informational (1xx) status other than 101.
    #[error("status {0} is not an informational status (100..=199 except 101)")]
    InformationalStatus(u16),
    /// A header value holds CR or LF, which would split the response.
    #[error("header {name:?} has a value with CR or LF, refused to prevent response splitting")]
    HeaderValue {
        /// The header's name.
        name: String,
    },
}

/// The form of a request could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FormError {
    /// The request body is not a form RoadRunner parsed.
    #[error(
        "the request has no parsed form body (not urlencoded/multipart, or http.raw_body is on)"
    )]
    NotAForm,
    /// The server's form tree is not valid JSON.
    #[error("the form tree sent by the server is not valid JSON: {0}")]
    Json(serde_json::Error),
    /// A field does not fit the target type.
    #[error(transparent)]
    Params(#[from] crate::params::ParamsError),
}

/// The request body is not the JSON the handler expects.
#[derive(Debug, thiserror::Error)]
#[error("the request body is not valid JSON for the expected type: {0}")]
pub struct JsonError(#[from] pub serde_json::Error);
