//! The async front doors: a tower `Service` (an axum `Router`, a tower stack) with
//! [`serve_service`], or an async closure with [`serve_fn`], as a RoadRunner worker.
//!
//! Requests carry every rr extension ([`RemoteAddr`](crate::RemoteAddr),
//! [`Cookies`](crate::Cookies), [`Uploads`](crate::Uploads), [`Attributes`](crate::Attributes),
//! …), so axum's `Extension` extractor reads them, and a [`HintSender`] for 103 Early Hints.
//! Both front doors share one exchange with the sync path (`exchange.rs`): the handler's future
//! runs on a tokio runtime, then the response goes out through the same core as
//! [`serve`](crate::serve)'s, so streaming, the stream limits, a client that leaves, errors,
//! panics and stop signals behave the same on every path.

mod exchange;
mod hints;
mod prepare;

use std::fmt::Display;
use std::future::{Future, poll_fn};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

use goridge::Relay;
use http::{Request, Response};
use http_body::Body as HttpBody;
use tokio::runtime::{Builder, Runtime};
use tokio::sync::mpsc::unbounded_channel;
use tower_service::Service;

pub use self::hints::HintSender;
pub(crate) use self::prepare::FormTree;
use crate::serve::{answer_error, panic_text};
use crate::{Body, BoxError, Error, HttpError, HttpWorker, IntoReply};

/// How long tasks a handler left behind may take to finish once the worker stops, well inside
/// the 10 s RoadRunner gives a worker it stops.
const RUNTIME_SHUTDOWN: Duration = Duration::from_secs(1);

/// Serves `service` until RoadRunner stops the worker.
///
/// ```text
/// let app = axum::Router::new().route("/", axum::routing::get(|| async { "Hello from axum" }));
/// rr_http::serve_service(app)?;
/// ```
///
/// (`examples/src/bin/axum.rs` is the compiled version, tested through rr in `e2e/tests/axum.rs`.)
///
/// The service runs on a tokio runtime with one worker thread, so tasks it spawns go on between
/// requests. A service error or a panic answers that request with rr's internal error status;
/// the worker keeps serving. When the worker stops, the service is dropped and the runtime
/// shut down, giving tasks left behind at most one second.
///
/// # Errors
///
/// When the relay to RoadRunner fails or the tokio runtime cannot start.
pub fn serve_service<S, B>(service: S) -> Result<(), Error>
where
    S: Service<Request<Body>, Response = Response<B>> + Clone + 'static,
    S::Error: Display,
    B: HttpBody + 'static,
    B::Error: Into<BoxError>,
{
    HttpWorker::from_env()?.serve_service(service)
}

/// Serves an async closure until RoadRunner stops the worker, on a current-thread tokio
/// runtime: the asynchronous twin of [`serve`](crate::serve), with the same answers (anything
/// [`IntoReply`]), streaming bodies, errors, panics and stop behaviour. Send 103 Early Hints
/// with the [`HintSender`] in the request's extensions.
///
/// ```no_run
/// fn main() -> Result<(), rr_http::Error> {
///     rr_http::serve_fn(|req: http::Request<rr_http::Body>| async move {
///         tokio::time::sleep(std::time::Duration::from_millis(5)).await;
///         format!("Hello, {}!", req.uri().path())
///     })
/// }
/// ```
///
/// The runtime runs while a request is handled; tasks the handler spawns make progress then
/// (and for one second after the worker stops), not while the worker waits for the next request.
///
/// # Errors
///
/// When the relay to RoadRunner fails or the tokio runtime cannot start.
pub fn serve_fn<F, Fut, T>(handler: F) -> Result<(), Error>
where
    F: FnMut(Request<Body>) -> Fut,
    Fut: Future<Output = T>,
    T: IntoReply,
{
    HttpWorker::from_env()?.serve_fn(handler)
}

impl<R: Relay> HttpWorker<R> {
    /// Runs the [`serve_service`] loop on this worker.
    ///
    /// ```no_run
    /// # #[derive(Clone)] struct App;
    /// # impl tower_service::Service<http::Request<rr_http::Body>> for App {
    /// #     type Response = http::Response<rr_http::Body>;
    /// #     type Error = std::convert::Infallible;
    /// #     type Future = std::future::Ready<Result<Self::Response, Self::Error>>;
    /// #     fn poll_ready(&mut self, _: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), Self::Error>> { std::task::Poll::Ready(Ok(())) }
    /// #     fn call(&mut self, _: http::Request<rr_http::Body>) -> Self::Future { std::future::ready(Ok(http::Response::new("hi".into()))) }
    /// # }
    /// rr_http::HttpWorker::from_env()?.with_chunk_size(16 * 1024).serve_service(App)?;
    /// # Ok::<(), rr_http::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// When the relay fails or the tokio runtime cannot start.
    pub fn serve_service<S, B>(self, service: S) -> Result<(), Error>
    where
        S: Service<Request<Body>, Response = Response<B>> + Clone + 'static,
        S::Error: Display,
        B: HttpBody + 'static,
        B::Error: Into<BoxError>,
    {
        // Every rr extension on each request; a form rr parsed kept out of the body.
        let service = prepare::Prepared(service);
        // One worker thread drives tasks the service spawns while this thread waits on rr.
        let runtime = Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("rr-http-tokio")
            .enable_all()
            .build()?;
        self.serve_async(runtime, move |req| {
            let mut svc = service.clone();
            async move {
                poll_fn(|cx| svc.poll_ready(cx))
                    .await
                    .map_err(|e| HttpError::internal(e.to_string()))?;
                svc.call(req)
                    .await
                    .map_err(|e| HttpError::internal(e.to_string()))
            }
        })
    }

    /// Runs the [`serve_fn`] loop on this worker.
    ///
    /// ```no_run
    /// rr_http::HttpWorker::from_env()?
    ///     .with_max_stream_duration(std::time::Duration::from_secs(20))
    ///     .serve_fn(|_req| async { "hello" })?;
    /// # Ok::<(), rr_http::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// When the relay fails or the tokio runtime cannot start.
    pub fn serve_fn<F, Fut, T>(self, mut handler: F) -> Result<(), Error>
    where
        F: FnMut(Request<Body>) -> Fut,
        Fut: Future<Output = T>,
        T: IntoReply,
    {
        let runtime = Builder::new_current_thread().enable_all().build()?;
        self.serve_async(runtime, move |req| {
            let answer = handler(req);
            async move { answer.await.into_reply() }
        })
    }

    /// The loop under both: one request at a time, each through the shared exchange; then the
    /// handler (and with it the service) is dropped and the runtime shut down.
    fn serve_async<F, Fut, B>(mut self, runtime: Runtime, mut handler: F) -> Result<(), Error>
    where
        F: FnMut(Request<Body>) -> Fut,
        Fut: Future<Output = Result<Response<B>, HttpError>>,
        B: HttpBody + 'static,
        B::Error: Into<BoxError>,
    {
        let served = (|| {
            while let Some((mut req, responder)) = self.next_request()? {
                let (tx, rx) = unbounded_channel();
                req.extensions_mut().insert(HintSender::new(tx));
                // Entered, so the handler may spawn tasks while it builds its future.
                let call = catch_unwind(AssertUnwindSafe(|| {
                    let _guard = runtime.enter();
                    handler(req)
                }));
                match call {
                    Ok(call) => exchange::answer(&runtime, responder, call, rx)?,
                    Err(panic) => {
                        let text = format!("handler panicked: {}", panic_text(panic.as_ref()));
                        answer_error(responder, HttpError::internal(text))?;
                    }
                }
            }
            Ok(())
        })();
        drop(handler);
        runtime.shutdown_timeout(RUNTIME_SHUTDOWN);
        served
    }
}
