//! [`HttpError`], what a handler's error becomes, and [`HandlerError`], the trait that decides
//! the status of an error type.

use std::error::Error as StdError;
use std::fmt;

use http::StatusCode;

use crate::params::ParamsError;
use crate::{FormError, JsonError, UploadError};

/// The status a handler's error is answered with, decided by its type.
///
/// Implement it for your own error type, and a handler may return `Result<_, YourError>`
/// (or use `?` on it where it returns `Result<_, HttpError>`). The default status is 500:
/// the error's text goes to RoadRunner's log and rr answers with its `internal_error_code`.
/// Any other status is answered with the error's text as a plain-text body.
///
/// rr-http implements it for its own errors (query, form, JSON and upload rejections carry
/// their status: 400 for client data), for `io::Error`, `http::Error` and the `http` crate's
/// parse errors (500), for `Box<dyn Error>` and, with the `anyhow` feature, `anyhow::Error`.
/// A box (or an `anyhow::Error`) has no type left to ask, so its source chain is searched
/// for an [`HttpError`] or one of rr-http's errors, whose status is used; 500 otherwise. To
/// give a boxed error a status, box an [`HttpError`].
///
/// ```
/// use http::StatusCode;
/// use rr_http::{HandlerError, HttpError};
///
/// #[derive(Debug, thiserror::Error)]
/// enum AppError {
///     #[error("no such user")]
///     NotFound,
///     #[error("database down")]
///     Database,
/// }
///
/// impl HandlerError for AppError {
///     fn status(&self) -> StatusCode {
///         match self {
///             AppError::NotFound => StatusCode::NOT_FOUND,
///             AppError::Database => StatusCode::INTERNAL_SERVER_ERROR,
///         }
///     }
/// }
///
/// fn handler(id: u32) -> Result<String, AppError> {
///     if id == 7 { Ok("Ann".into()) } else { Err(AppError::NotFound) }
/// }
///
/// let err = HttpError::from(handler(1).unwrap_err());
/// assert_eq!((err.status(), err.message()), (Some(StatusCode::NOT_FOUND), "no such user"));
/// assert_eq!(HttpError::from(AppError::Database).status(), None); // rr's internal error
/// ```
pub trait HandlerError: fmt::Display {
    /// The status to answer with; 500 (RoadRunner's internal error status) by default.
    ///
    /// ```
    /// use rr_http::HandlerError;
    ///
    /// let err = std::io::Error::other("disk full");
    /// assert_eq!(err.status(), http::StatusCode::INTERNAL_SERVER_ERROR);
    /// ```
    fn status(&self) -> StatusCode {
        StatusCode::INTERNAL_SERVER_ERROR
    }
}

/// A handler's error: a status and a message.
///
/// Every [`HandlerError`] converts into one, so `?` works on rr-http's own errors, on
/// `io::Error`, `http::Error`, boxed errors and your own types; for any other error say what
/// it means with [`HttpError::new`] or [`HttpError::internal`] (`map_err(HttpError::internal)`).
/// A 500 ([`HttpError::internal`], or [`HttpError::new`] with 500) goes to RoadRunner's log
/// and rr answers with its `internal_error_code`; any other status is answered with the
/// message as a plain-text body. `HttpError` is a `std::error::Error`, so it can be boxed or
/// wrapped in an `anyhow::Error`, keeping its status.
///
/// ```
/// use rr_http::HttpError;
/// use http::StatusCode;
///
/// fn find(id: &str) -> Result<String, HttpError> {
///     let id: u32 = id.parse().map_err(|_| HttpError::new(StatusCode::BAD_REQUEST, "id must be a number"))?;
///     Ok(std::fs::read_to_string(format!("/srv/{id}.txt"))?) // io::Error: 500
/// }
/// assert_eq!(find("x").unwrap_err().status(), Some(StatusCode::BAD_REQUEST));
/// assert_eq!(find("1").unwrap_err().status(), None);
/// ```
#[derive(Debug)]
pub struct HttpError {
    /// `None`: RoadRunner's internal error status.
    status: Option<StatusCode>,
    message: String,
}

impl HttpError {
    /// An error answered with `status` and `message` as the body (a 500 is answered like
    /// [`HttpError::internal`]).
    ///
    /// ```
    /// let err = rr_http::HttpError::new(http::StatusCode::NOT_FOUND, "no such page");
    /// assert_eq!(err.message(), "no such page");
    /// ```
    pub fn new(status: StatusCode, message: impl fmt::Display) -> Self {
        Self {
            status: (status != StatusCode::INTERNAL_SERVER_ERROR).then_some(status),
            message: message.to_string(),
        }
    }

    /// An error answered with RoadRunner's internal error status; `message` goes to its log.
    /// Takes any `Display`, so `map_err(HttpError::internal)` works on any error.
    ///
    /// ```
    /// use rr_http::HttpError;
    ///
    /// let err = "x".parse::<u8>().map_err(HttpError::internal).unwrap_err();
    /// assert_eq!((err.status(), err.message()), (None, "invalid digit found in string"));
    /// ```
    pub fn internal(message: impl fmt::Display) -> Self {
        Self {
            status: None,
            message: message.to_string(),
        }
    }

    /// The status to answer with; `None` means RoadRunner's internal error status.
    ///
    /// ```
    /// let err = rr_http::HttpError::new(http::StatusCode::CONFLICT, "taken");
    /// assert_eq!(err.status(), Some(http::StatusCode::CONFLICT));
    /// ```
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }

    /// The message.
    ///
    /// ```
    /// assert_eq!(rr_http::HttpError::internal("db down").message(), "db down");
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for HttpError {}

impl<E: HandlerError> From<E> for HttpError {
    /// The error's [`status`](HandlerError::status) and text.
    fn from(e: E) -> Self {
        Self::new(e.status(), e)
    }
}

impl HandlerError for ParamsError {
    /// 400: the client sent data that does not fit.
    ///
    /// ```
    /// use rr_http::HandlerError;
    ///
    /// let err = rr_http::params::from_query_str::<u8>("").unwrap_err();
    /// assert_eq!(err.status(), http::StatusCode::BAD_REQUEST);
    /// ```
    fn status(&self) -> StatusCode {
        StatusCode::BAD_REQUEST
    }
}

impl HandlerError for crate::params::JsonError {
    /// As [`JsonError::status`]: 400 for bytes that are not JSON.
    fn status(&self) -> StatusCode {
        crate::error::json_status(self)
    }
}

impl HandlerError for FormError {
    /// See [`FormError::status`].
    fn status(&self) -> StatusCode {
        FormError::status(self)
    }
}

impl HandlerError for JsonError {
    /// See [`JsonError::status`].
    fn status(&self) -> StatusCode {
        JsonError::status(self)
    }
}

impl HandlerError for UploadError {
    /// See [`UploadError::status`].
    fn status(&self) -> StatusCode {
        UploadError::status(self)
    }
}

impl HandlerError for crate::Error {}
impl HandlerError for crate::ResponseError {}
impl HandlerError for std::io::Error {}
impl HandlerError for http::Error {}
impl HandlerError for http::header::InvalidHeaderValue {}
impl HandlerError for crate::HintError {}
impl HandlerError for http::header::InvalidHeaderName {}
impl HandlerError for http::status::InvalidStatusCode {}
impl HandlerError for http::uri::InvalidUri {}
impl HandlerError for http::method::InvalidMethod {}

impl HandlerError for Box<dyn StdError + Send + Sync> {
    /// The status of the first [`HttpError`] or rr-http error in the source chain; 500.
    fn status(&self) -> StatusCode {
        status_in_chain(self.as_ref())
    }
}

impl HandlerError for Box<dyn StdError> {
    /// The status of the first [`HttpError`] or rr-http error in the source chain; 500.
    fn status(&self) -> StatusCode {
        status_in_chain(self.as_ref())
    }
}

#[cfg(feature = "anyhow")]
impl HandlerError for anyhow::Error {
    /// The status of the first [`HttpError`] or rr-http error in the chain; 500.
    fn status(&self) -> StatusCode {
        let inner: &(dyn StdError + 'static) = self.as_ref();
        status_in_chain(inner)
    }
}

/// A type-erased error has no type left to ask: find the first error of ours in the chain.
fn status_in_chain(err: &(dyn StdError + 'static)) -> StatusCode {
    let mut next = Some(err);
    while let Some(e) = next {
        if let Some(status) = known_status(e) {
            return status;
        }
        next = e.source();
    }
    StatusCode::INTERNAL_SERVER_ERROR
}

fn known_status(e: &(dyn StdError + 'static)) -> Option<StatusCode> {
    if let Some(e) = e.downcast_ref::<HttpError>() {
        return Some(e.status.unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
    }
    if let Some(e) = e.downcast_ref::<ParamsError>() {
        return Some(e.status());
    }
    if let Some(e) = e.downcast_ref::<FormError>() {
        return Some(e.status());
    }
    if let Some(e) = e.downcast_ref::<JsonError>() {
        return Some(e.status());
    }
    if let Some(e) = e.downcast_ref::<crate::params::JsonError>() {
        return Some(crate::error::json_status(e));
    }
    e.downcast_ref::<UploadError>().map(UploadError::status)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::parse_query;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Page {
        page: u32,
    }

    fn bad_page() -> ParamsError {
        parse_query("page=x").deserialize::<Page>().unwrap_err()
    }

    #[test]
    fn rejections_carry_their_status_also_when_boxed() {
        assert_eq!(
            HttpError::from(bad_page()).status(),
            Some(StatusCode::BAD_REQUEST)
        );
        let boxed: Box<dyn StdError + Send + Sync> = Box::new(bad_page());
        assert_eq!(
            HttpError::from(boxed).status(),
            Some(StatusCode::BAD_REQUEST)
        );
        let boxed: Box<dyn StdError> = Box::new(HttpError::new(StatusCode::GONE, "gone"));
        let err = HttpError::from(boxed);
        assert_eq!(
            (err.status(), err.message()),
            (Some(StatusCode::GONE), "gone")
        );
        let io = std::io::Error::other("disk");
        assert_eq!(HttpError::from(io).status(), None);
        #[derive(Debug, thiserror::Error)]
        #[error("loading the page failed")]
        struct Wrapper(#[source] ParamsError);
        let nested = Wrapper(bad_page());
        let boxed: Box<dyn StdError + Send + Sync> = Box::new(nested);
        assert_eq!(
            HttpError::from(boxed).status(),
            Some(StatusCode::BAD_REQUEST),
            "found in the source chain"
        );
    }

    /// `rr_params` knows no HTTP: its JSON error gets its status here, alone, boxed and
    /// converted into rr-http's `JsonError` (whose message stays what it was).
    #[test]
    fn the_json_error_of_params_has_the_status_of_rr_https() {
        let bad = || crate::params::Params::from_json_bytes(b"{oops").unwrap_err();
        assert_eq!(
            HttpError::from(bad()).status(),
            Some(StatusCode::BAD_REQUEST)
        );
        let boxed: Box<dyn StdError + Send + Sync> = Box::new(bad());
        assert_eq!(
            HttpError::from(boxed).status(),
            Some(StatusCode::BAD_REQUEST)
        );
        let ours = JsonError::from(bad());
        assert_eq!(ours.status(), StatusCode::BAD_REQUEST);
        assert!(ours.is_syntax());
        assert!(
            ours.to_string().starts_with(
                "the request body is not valid JSON for the expected type: key must be a string"
            ),
            "{ours}"
        );
    }

    #[test]
    fn http_error_is_a_std_error_and_500_is_internal() {
        let err: Box<dyn StdError + Send + Sync> =
            HttpError::new(StatusCode::IM_A_TEAPOT, "t").into();
        assert_eq!(err.to_string(), "t");
        assert_eq!(
            HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, "x").status(),
            None
        );
    }

    #[cfg(feature = "anyhow")]
    #[test]
    fn anyhow_errors_keep_the_status_of_an_http_error_inside() {
        let err = anyhow::Error::from(HttpError::new(StatusCode::NOT_FOUND, "nope"))
            .context("while looking");
        assert_eq!(HttpError::from(err).status(), Some(StatusCode::NOT_FOUND));
        let err = anyhow::anyhow!("plain");
        assert_eq!(HttpError::from(err).status(), None);
    }
}
