//! Errors of the HTTP layer.

use goridge::RelayError;
use http::StatusCode;
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
    Protobuf(ContextError),
    /// The legacy JSON request context did not decode.
    #[error("malformed JSON request context: {0}")]
    Json(ContextError),
    /// The method is not a valid HTTP method token.
    #[error("invalid request method {0:?}")]
    Method(String),
    /// The URI is longer than an `http::Uri` can hold (65,534 bytes); the worker answers 414.
    #[error("URI of {0} bytes is longer than the {max} an http::Uri holds", max = crate::request::MAX_URI_LEN)]
    UriTooLong(usize),
}

/// Why a request context did not decode: the decoder's own message. Opaque, so the decoders
/// (prost, serde_json) are not part of this crate's API.
///
/// ```
/// use rr_http::RequestError;
/// use rr_http::rr_worker::{Payload, goridge::Flags};
///
/// let err = rr_http::decode_request(Payload::new(Flags::CODEC_JSON, &b"{oops"[..], "")).unwrap_err();
/// let RequestError::Json(why) = err else { panic!("{err}") };
/// assert!(why.to_string().contains("line 1"), "{why}");
/// ```
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ContextError {
    message: String,
}

impl ContextError {
    fn new(e: impl std::fmt::Display) -> Self {
        Self {
            message: e.to_string(),
        }
    }
}

impl RequestError {
    /// A protobuf context prost could not decode (the decoder's type stays private).
    pub(crate) fn protobuf(e: impl std::fmt::Display) -> Self {
        Self::Protobuf(ContextError::new(e))
    }

    /// A JSON context serde_json could not decode (the decoder's type stays private).
    pub(crate) fn json(e: impl std::fmt::Display) -> Self {
        Self::Json(ContextError::new(e))
    }
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

/// The form of a request could not be read: what [`RequestExt::form`](crate::RequestExt::form)
/// and [`RequestExt::form_as`](crate::RequestExt::form_as) reject a request with. Its
/// [`status`](FormError::status) says how a handler's `?` answers it.
///
/// ```
/// use rr_http::{Body, FormError, RequestExt};
///
/// #[derive(Debug, serde::Deserialize)]
/// struct Login { user: String }
///
/// let req = http::Request::new(Body::from("user=ann")); // not parsed by rr: no form tree
/// let err = req.form_as::<Login>().unwrap_err();
/// assert!(matches!(err, FormError::NotAForm));
/// assert_eq!(err.status(), http::StatusCode::UNSUPPORTED_MEDIA_TYPE);
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FormError {
    /// The request body is not a form RoadRunner parsed (415).
    #[error(
        "the request has no parsed form body (not urlencoded/multipart, or http.raw_body is on)"
    )]
    NotAForm,
    /// The server's form tree is not valid JSON (500: not the client's fault).
    #[error("the form tree sent by the server is not valid JSON: {0}")]
    Json(JsonError),
    /// A field does not fit the target type (400).
    #[error(transparent)]
    Params(#[from] crate::params::ParamsError),
}

impl FormError {
    /// The status a handler answers with: 415 for a body that is no parsed form, 400 for a
    /// field that does not fit, 500 for a broken server tree.
    ///
    /// ```
    /// assert_eq!(rr_http::FormError::NotAForm.status(), http::StatusCode::UNSUPPORTED_MEDIA_TYPE);
    /// ```
    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotAForm => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Json(_) => StatusCode::INTERNAL_SERVER_ERROR,
            Self::Params(_) => StatusCode::BAD_REQUEST,
        }
    }
}

/// Bytes are not the JSON the reader expects: from [`RequestExt::json`](crate::RequestExt::json),
/// and [`FormError::Json`] for a form tree [`Params::from_json_bytes`](crate::params::Params::from_json_bytes)
/// refused (a [`params::JsonError`](crate::params::JsonError) converts into it with `?` or
/// `From`). Opaque (serde_json is not part of this crate's API); ask it what went wrong.
///
/// ```
/// use rr_http::{Body, RequestExt};
///
/// #[derive(Debug, serde::Deserialize)]
/// struct Item { id: u32 }
///
/// let syntax = http::Request::new(Body::from("{oops")).json::<Item>().unwrap_err();
/// assert!(syntax.is_syntax());
/// assert_eq!(syntax.status(), http::StatusCode::BAD_REQUEST);
/// assert_eq!((syntax.line(), syntax.column()), (1, 2));
///
/// let data = http::Request::new(Body::from(r#"{"id":"x"}"#)).json::<Item>().unwrap_err();
/// assert!(data.is_data());
/// assert_eq!(data.status(), http::StatusCode::UNPROCESSABLE_ENTITY);
/// ```
#[derive(Debug, thiserror::Error)]
#[error("the request body is {0}")]
pub struct JsonError(crate::params::JsonError);

impl From<crate::params::JsonError> for JsonError {
    /// The same error, with its status.
    fn from(e: crate::params::JsonError) -> Self {
        Self(e)
    }
}

impl JsonError {
    pub(crate) fn new(e: serde_json::Error) -> Self {
        Self(e.into())
    }

    /// The bytes are not JSON at all.
    ///
    /// ```
    /// # use rr_http::RequestExt;
    /// let err = http::Request::new(rr_http::Body::from("[1,")).json::<Vec<u8>>().unwrap_err();
    /// assert!(!err.is_syntax() && err.is_eof());
    /// ```
    pub fn is_syntax(&self) -> bool {
        self.0.is_syntax()
    }

    /// The JSON is well formed but does not fit the expected type.
    ///
    /// ```
    /// # use rr_http::RequestExt;
    /// let err = http::Request::new(rr_http::Body::from("[300]")).json::<Vec<u8>>().unwrap_err();
    /// assert!(err.is_data());
    /// ```
    pub fn is_data(&self) -> bool {
        self.0.is_data()
    }

    /// The bytes end in the middle of a JSON value (an empty body, too).
    ///
    /// ```
    /// # use rr_http::RequestExt;
    /// let err = http::Request::new(rr_http::Body::empty()).json::<u8>().unwrap_err();
    /// assert!(err.is_eof());
    /// ```
    pub fn is_eof(&self) -> bool {
        self.0.is_eof()
    }

    /// The line (from 1) where the error was found.
    ///
    /// ```
    /// # use rr_http::RequestExt;
    /// let err = http::Request::new(rr_http::Body::from("{\n  x")).json::<serde_json::Value>().unwrap_err();
    /// assert_eq!(err.line(), 2);
    /// ```
    pub fn line(&self) -> usize {
        self.0.line()
    }

    /// The column (from 1) where the error was found.
    ///
    /// ```
    /// # use rr_http::RequestExt;
    /// let err = http::Request::new(rr_http::Body::from("{x")).json::<serde_json::Value>().unwrap_err();
    /// assert_eq!(err.column(), 2);
    /// ```
    pub fn column(&self) -> usize {
        self.0.column()
    }

    /// The status a handler answers with: 422 when well-formed JSON does not fit the type
    /// (as axum's `Json` does), 400 otherwise.
    ///
    /// ```
    /// # use rr_http::RequestExt;
    /// let err = http::Request::new(rr_http::Body::from("nope")).json::<u8>().unwrap_err();
    /// assert_eq!(err.status(), http::StatusCode::BAD_REQUEST);
    /// ```
    pub fn status(&self) -> StatusCode {
        json_status(&self.0)
    }
}

/// [`JsonError::status`], also of a [`params::JsonError`](crate::params::JsonError).
pub(crate) fn json_status(e: &crate::params::JsonError) -> StatusCode {
    if e.is_data() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::BAD_REQUEST
    }
}
