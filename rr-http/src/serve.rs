//! [`serve`]: run a closure as the request handler, with errors and panics turned into 500s.

use std::any::Any;
use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};

use goridge::Relay;
use http::{Request, Response, StatusCode, header};

use crate::params::ParamsError;
use crate::{Body, Error, FormError, HttpWorker, JsonError, Responder};

/// What a handler returns: anything that becomes a response, or a [`HttpError`].
pub trait IntoResponse {
    /// Converts into a response, or into the error to report.
    ///
    /// # Errors
    ///
    /// The handler's error.
    fn into_response(self) -> Result<Response<Body>, HttpError>;
}

impl<B: Into<Body>> IntoResponse for Response<B> {
    fn into_response(self) -> Result<Response<Body>, HttpError> {
        Ok(self.map(Into::into))
    }
}

macro_rules! text_response {
    ($($t:ty),*) => {$(
        impl IntoResponse for $t {
            fn into_response(self) -> Result<Response<Body>, HttpError> {
                Ok(text(StatusCode::OK, Body::from(self)))
            }
        }
    )*};
}

text_response!(&'static str, String);

impl IntoResponse for StatusCode {
    fn into_response(self) -> Result<Response<Body>, HttpError> {
        let mut res = Response::new(Body::empty());
        *res.status_mut() = self;
        Ok(res)
    }
}

impl<B: Into<Body>> IntoResponse for (StatusCode, B) {
    fn into_response(self) -> Result<Response<Body>, HttpError> {
        Ok(text(self.0, self.1.into()))
    }
}

impl<T: IntoResponse, E: Into<HttpError>> IntoResponse for Result<T, E> {
    fn into_response(self) -> Result<Response<Body>, HttpError> {
        self.map_err(Into::into)?.into_response()
    }
}

fn text(status: StatusCode, body: Body) -> Response<Body> {
    let mut res = Response::new(body);
    *res.status_mut() = status;
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    res
}

/// A handler's error. Any `Display` error converts into one (so `?` works on `io::Error`,
/// `serde_json::Error`, `Box<dyn Error>`, …) and is answered with RoadRunner's internal error
/// status (500), its text logged by RoadRunner; errors about the request itself (a query,
/// form or JSON body that does not fit) are answered with 400 and their message. Give it a
/// status with [`HttpError::new`] to answer with that status and the message as a plain-text
/// body instead.
///
/// ```
/// use rr_http::HttpError;
/// use http::StatusCode;
///
/// fn find(id: &str) -> Result<String, HttpError> {
///     let id: u32 = id.parse().map_err(|_| HttpError::new(StatusCode::BAD_REQUEST, "id must be a number"))?;
///     std::fs::read_to_string(format!("/srv/{id}.txt")).map_err(HttpError::from) // → 500
/// }
/// assert_eq!(find("x").unwrap_err().status(), Some(StatusCode::BAD_REQUEST));
/// ```
pub struct HttpError {
    status: Option<StatusCode>,
    message: String,
}

impl HttpError {
    /// An error answered with `status` and `message` as the body.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status: Some(status),
            message: message.into(),
        }
    }

    /// An error answered with RoadRunner's internal error status; `message` goes to its log.
    pub fn internal(message: impl Into<String>) -> Self {
        Self {
            status: None,
            message: message.into(),
        }
    }

    /// The status to answer with; `None` means RoadRunner's internal error status.
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Debug for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpError")
            .field("status", &self.status)
            .field("message", &self.message)
            .finish()
    }
}

impl<E: fmt::Display + 'static> From<E> for HttpError {
    /// Errors about what the client sent ([`ParamsError`], [`FormError`], [`JsonError`], also
    /// inside a `Box<dyn Error>`'s source chain) become 400 Bad Request with their message;
    /// every other error becomes an internal error.
    fn from(e: E) -> Self {
        if is_client_error(&e) {
            return Self::new(StatusCode::BAD_REQUEST, e.to_string());
        }
        Self::internal(e.to_string())
    }
}

fn is_client_error(e: &(dyn Any + 'static)) -> bool {
    let boxed: Option<&(dyn std::error::Error + 'static)> =
        if let Some(b) = e.downcast_ref::<Box<dyn std::error::Error + Send + Sync>>() {
            Some(b.as_ref())
        } else {
            e.downcast_ref::<Box<dyn std::error::Error>>()
                .map(|b| b.as_ref())
        };
    let direct = e.is::<ParamsError>() || e.is::<FormError>() || e.is::<JsonError>();
    direct
        || std::iter::successors(boxed, |err| err.source())
            .any(|err| err.is::<ParamsError>() || err.is::<FormError>() || err.is::<JsonError>())
}

impl From<HttpError> for Box<dyn std::error::Error + Send + Sync> {
    /// Lets `?` carry an `HttpError` out of code that returns boxed errors.
    fn from(e: HttpError) -> Self {
        match e.status {
            Some(status) => format!("{status}: {}", e.message).into(),
            None => e.message.into(),
        }
    }
}

/// Sends informational (1xx) responses from inside a handler given to [`serve_with_hints`].
pub struct Hints<'a> {
    sink: &'a mut dyn HintSink,
}

impl fmt::Debug for Hints<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Hints")
    }
}

trait HintSink {
    fn send(&mut self, response: Response<()>) -> Result<(), Error>;
}

impl<R: Relay> HintSink for Responder<'_, R> {
    fn send(&mut self, response: Response<()>) -> Result<(), Error> {
        self.send_informational(response)
    }
}

impl Hints<'_> {
    /// Sends one informational response, e.g. 103 with `Link` headers, right away. See
    /// [`EarlyHints`](crate::EarlyHints), the API this shares with the tower path.
    ///
    /// ```no_run
    /// rr_http::serve_with_hints(|_req, hints| {
    ///     let mut processing = http::Response::new(());
    ///     *processing.status_mut() = http::StatusCode::PROCESSING;
    ///     hints.send(processing)?;
    ///     Ok::<_, rr_http::HttpError>("slow report")
    /// })?;
    /// # Ok::<(), rr_http::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`HintError::Status`](crate::HintError::Status) for a status that is not 1xx (or is
    /// 101); [`HintError::Relay`](crate::HintError::Relay) when the relay fails.
    pub fn send(&mut self, response: Response<()>) -> Result<(), crate::HintError> {
        crate::hints::check_status(&response)?;
        Ok(self.sink.send(response)?)
    }

    /// Sends `103 Early Hints` with one `Link` header per item.
    ///
    /// ```no_run
    /// rr_http::serve_with_hints(|_req, hints| {
    ///     hints.early_hints(["</app.css>; rel=preload; as=style"])?;
    ///     Ok::<_, rr_http::HttpError>("<html>…</html>")
    /// })?;
    /// # Ok::<(), rr_http::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`HintError::Link`](crate::HintError::Link) for a value a header cannot hold; relay
    /// errors as [`Hints::send`].
    pub fn early_hints<I, S>(&mut self, links: I) -> Result<(), crate::HintError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.send(crate::hints::early_hints_response(links)?)
    }
}

impl crate::EarlyHints for Hints<'_> {
    fn send(&mut self, response: Response<()>) -> Result<(), crate::HintError> {
        Hints::send(self, response)
    }
}

/// Serves `handler` as a RoadRunner HTTP worker until RoadRunner stops it.
///
/// ```no_run
/// fn main() -> Result<(), rr_http::Error> {
///     rr_http::serve(|req: http::Request<rr_http::Body>| {
///         http::Response::new(rr_http::Body::from(format!("Hello, {}!", req.uri().path())))
///     })
/// }
/// ```
///
/// The handler may return anything that implements [`IntoResponse`]: a `Response<B>`, a
/// `String`, `(StatusCode, body)`, or a `Result` of those whose error converts into an
/// [`HttpError`]. An error or a panic answers that one request with a 500 (or the error's
/// status) and logs its text through RoadRunner; the worker keeps serving.
///
/// # Errors
///
/// When the relay to RoadRunner fails; the process should then exit.
pub fn serve<F, T>(mut handler: F) -> Result<(), Error>
where
    F: FnMut(Request<Body>) -> T,
    T: IntoResponse,
{
    HttpWorker::from_env()?.serve_with_hints(move |req, _| handler(req))
}

/// Like [`serve`], with a [`Hints`] handle for informational responses (103 Early Hints).
///
/// ```no_run
/// fn main() -> Result<(), rr_http::Error> {
///     rr_http::serve_with_hints(|_req, hints| {
///         hints.early_hints(["</app.css>; rel=preload; as=style"])?;
///         Ok::<_, rr_http::HttpError>(http::Response::new(rr_http::Body::from("<html>…</html>")))
///     })
/// }
/// ```
///
/// # Errors
///
/// When the relay to RoadRunner fails.
pub fn serve_with_hints<F, T>(handler: F) -> Result<(), Error>
where
    F: FnMut(Request<Body>, &mut Hints<'_>) -> T,
    T: IntoResponse,
{
    HttpWorker::from_env()?.serve_with_hints(handler)
}

impl<R: Relay> HttpWorker<R> {
    /// Runs the [`serve`] loop on this worker.
    ///
    /// # Errors
    ///
    /// When the relay fails.
    pub fn serve<F, T>(self, mut handler: F) -> Result<(), Error>
    where
        F: FnMut(Request<Body>) -> T,
        T: IntoResponse,
    {
        self.serve_with_hints(move |req, _| handler(req))
    }

    /// Runs the [`serve_with_hints`] loop on this worker.
    ///
    /// # Errors
    ///
    /// When the relay fails.
    pub fn serve_with_hints<F, T>(mut self, mut handler: F) -> Result<(), Error>
    where
        F: FnMut(Request<Body>, &mut Hints<'_>) -> T,
        T: IntoResponse,
    {
        while let Some((req, mut responder)) = self.next_request()? {
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                #[cfg(feature = "tracing")]
                let _span = crate::tracing::request_span(&req).entered();
                let mut hints = Hints {
                    sink: &mut responder,
                };
                handler(req, &mut hints).into_response()
            }));
            let result = match outcome {
                Ok(Ok(response)) => responder.respond(response).map(drop),
                Ok(Err(err)) => answer_error(responder, err),
                Err(panic) => {
                    let text = panic_text(panic.as_ref());
                    answer_error(
                        responder,
                        HttpError::internal(format!("handler panicked: {text}")),
                    )
                }
            };
            match result {
                Ok(()) => {}
                // The response could not be encoded; the responder logged why and sent a 500.
                Err(Error::Response(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

fn answer_error<R: Relay>(responder: Responder<'_, R>, err: HttpError) -> Result<(), Error> {
    rr_worker::log!("rr-http: handler error: {}", err.message);
    match err.status {
        Some(status) => responder
            .respond(text(status, Body::from(err.message)))
            .map(drop),
        None => responder.error(&err.message),
    }
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "non-text panic payload".to_owned()
    }
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

    #[test]
    fn client_errors_become_400_even_when_boxed() {
        let err = parse_query("page=x").deserialize::<Page>().unwrap_err();
        assert_eq!(HttpError::from(err).status(), Some(StatusCode::BAD_REQUEST));
        let boxed: Box<dyn std::error::Error + Send + Sync> =
            Box::new(parse_query("page=x").deserialize::<Page>().unwrap_err());
        assert_eq!(
            HttpError::from(boxed).status(),
            Some(StatusCode::BAD_REQUEST)
        );
        let io = std::io::Error::other("disk");
        assert_eq!(HttpError::from(io).status(), None);
    }
}
