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
    /// Sends one informational response, e.g. 103 with `Link` headers. See
    /// [`Responder::send_informational`].
    ///
    /// # Errors
    ///
    /// A status that is not 1xx (or is 101); relay errors.
    pub fn send(&mut self, response: Response<()>) -> Result<(), Error> {
        self.sink.send(response)
    }

    /// Sends `103 Early Hints` with one `Link` header per item.
    ///
    /// # Errors
    ///
    /// A link that is not a valid header value; relay errors.
    pub fn early_hints<I, S>(&mut self, links: I) -> Result<(), Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let response =
            crate::response::early_hints(links).map_err(|_| crate::ResponseError::HeaderValue {
                name: "Link".into(),
            })?;
        self.send(response)
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
    pub fn serve_with_hints<F, T>(mut self, mut handler: F) -> Result<(), Error>
    where
        F: FnMut(Request<Body>, &mut Hints<'_>) -> T,
        T: IntoReply,
    {
        while let Some((req, mut responder)) = self.next_request()? {
            let outcome = catch_unwind(AssertUnwindSafe(|| {
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
    rr_worker::log!("rr-http: handler error: {}", err.message());
    match err.status() {
        Some(status) => responder
            .respond(text(status, Body::from(err.message().to_owned())))
            .map(drop),
        None => responder.error(err.message()),
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
