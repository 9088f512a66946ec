//! [`serve`]: run a closure as the request handler, with errors and panics turned into 500s.

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};

use goridge::Relay;
use http::{Request, Response};

use crate::into_response::text;
use crate::{Body, Error, HttpError, HttpWorker, IntoReply, Responder};

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
/// The handler may return anything that implements [`IntoReply`]: a `Response<B>`, a
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
    T: IntoReply,
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
    T: IntoReply,
{
    HttpWorker::from_env()?.serve_with_hints(handler)
}

impl<R: Relay> HttpWorker<R> {
    /// Runs the [`serve`] loop on this worker.
    ///
    /// # Errors
    ///
    /// When the relay fails.
    ///
    /// # Example
    ///
    /// ```
    /// # use goridge::Relay;
    /// # let (relay, mut rr) = rr_testkit::ScriptedServer::pair();
    /// # rr.raw(rr_testkit::vectors::http::http_a_get_request().wire).stop();
    /// use rr_http::{Body, HttpError, HttpWorker};
    ///
    /// let worker = HttpWorker::new(rr_http::rr_worker::Worker::new(relay));
    /// worker.serve(|request| {
    ///     let greeting = format!("you asked for {}", request.uri().path());
    ///     Ok::<_, HttpError>(http::Response::new(Body::from(greeting)))
    /// })?; // returns once rr stops the worker
    /// assert!(rr.receive()?.payload.ends_with(b"you asked for /hello")); // what RoadRunner got
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn serve<F, T>(self, mut handler: F) -> Result<(), Error>
    where
        F: FnMut(Request<Body>) -> T,
        T: IntoReply,
    {
        self.serve_with_hints(move |req, _| handler(req))
    }

    /// Runs the [`serve_with_hints`] loop on this worker.
    ///
    /// # Errors
    ///
    /// When the relay fails.
    ///
    /// # Example
    ///
    /// ```
    /// # use goridge::Relay;
    /// # let (relay, mut rr) = rr_testkit::ScriptedServer::pair();
    /// # rr.raw(rr_testkit::vectors::http::http_a_get_request().wire).stop();
    /// use rr_http::{Body, HttpError, HttpWorker};
    /// use rr_http::rr_worker::goridge::StreamFlags;
    ///
    /// let worker = HttpWorker::new(rr_http::rr_worker::Worker::new(relay));
    /// worker.serve_with_hints(|_request, hints| {
    ///     hints.early_hints(["</app.css>; rel=preload; as=style"])?;
    ///     Ok::<_, HttpError>(http::Response::new(Body::from("<html>…</html>")))
    /// })?;
    /// // What RoadRunner got: the 103 first (STREAM set, more follows), then the page.
    /// assert!(rr.receive()?.stream().contains(StreamFlags::STREAM));
    /// assert!(rr.receive()?.payload.ends_with("<html>…</html>".as_bytes()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn serve_with_hints<F, T>(mut self, mut handler: F) -> Result<(), Error>
    where
        F: FnMut(Request<Body>, &mut Hints<'_>) -> T,
        T: IntoReply,
    {
        while let Some((req, mut responder)) = self.next_request()? {
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                #[cfg(feature = "tracing")]
                let _span = crate::tracing::request_span(&req).entered();
                let mut hints = Hints {
                    sink: &mut responder,
                };
                handler(req, &mut hints).into_reply()
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
            // A refused response was answered with a 500 already; only relay failures get here.
            result?;
        }
        Ok(())
    }
}

pub(crate) fn answer_error<R: Relay>(
    responder: Responder<'_, R>,
    err: HttpError,
) -> Result<(), Error> {
    rr_worker::log!("rr-http: handler error: {}", err.message());
    match err.status() {
        Some(status) => responder
            .respond(text(status, Body::from(err.message().to_owned())))
            .map(drop),
        None => responder.error(err.message()),
    }
}

pub(crate) fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "non-text panic payload".to_owned()
    }
}
