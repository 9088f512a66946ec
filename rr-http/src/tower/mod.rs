//! Serving a tower `Service` (an axum `Router`, a tower stack) as a RoadRunner worker.
//!
//! Requests reach the service as `http::Request<rr_http::Body>` with every rr extension
//! ([`RemoteAddr`](crate::RemoteAddr), [`Cookies`](crate::Cookies), [`Uploads`](crate::Uploads),
//! [`Attributes`](crate::Attributes), …), so axum's `Extension` extractor reads them. The service
//! runs on a tokio runtime with one worker thread; its response body is sent as it is produced,
//! so streaming bodies and server-sent events work, and a client that leaves stops the stream.
//! A [`HintSender`] in the extensions sends 103 Early Hints before the final response.

mod hints;
mod prepare;

use std::fmt::Display;
use std::future::{Future, poll_fn};
use std::task::Poll;

use bytes::{Buf, Bytes};
use goridge::Relay;
use http::{Request, Response};
use http_body::Body as HttpBody;
use http_body_util::BodyExt;
use tokio::runtime::{Builder, Handle};
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};
use tower_service::Service;

pub use self::hints::HintSender;
pub(crate) use self::prepare::FormTree;
use crate::{Body, BoxError, Error, Hints, HttpError, HttpWorker};

/// Serves `service` until RoadRunner stops the worker.
///
/// ```text
/// let app = axum::Router::new().route("/", axum::routing::get(|| async { "Hello from axum" }));
/// rr_http::serve_service(app)?;
/// ```
///
/// (`examples/src/bin/axum.rs` is the compiled version, tested through rr in `e2e/tests/axum.rs`.)
///
/// A service error or a panic answers that request with rr's internal error status; the worker
/// keeps serving. Every request carries a [`HintSender`] extension for 103 Early Hints.
///
/// # Errors
///
/// When the relay to RoadRunner fails or the tokio runtime cannot start.
pub fn serve_service<S, B>(service: S) -> Result<(), Error>
where
    S: Service<Request<Body>, Response = Response<B>> + Clone + Send + 'static,
    S::Future: Send,
    S::Error: Display,
    B: HttpBody + Send + 'static,
    B::Data: Send,
    B::Error: Into<BoxError>,
{
    HttpWorker::from_env()?.serve_service(service)
}

impl<R: Relay> HttpWorker<R> {
    /// Runs the [`serve_service`] loop on this worker.
    ///
    /// # Errors
    ///
    /// When the relay fails or the tokio runtime cannot start.
    pub fn serve_service<S, B>(self, service: S) -> Result<(), Error>
    where
        S: Service<Request<Body>, Response = Response<B>> + Clone + Send + 'static,
        S::Future: Send,
        S::Error: Display,
        B: HttpBody + Send + 'static,
        B::Data: Send,
        B::Error: Into<BoxError>,
    {
        // Every rr extension on each request; a form rr parsed kept out of the body.
        let service = prepare::Prepared(service);
        // One worker thread drives timers and I/O while this thread waits on each request.
        let runtime = Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("rr-http-tokio")
            .enable_all()
            .build()?;
        let handle = runtime.handle().clone();
        self.serve_with_hints(move |mut req, hints| -> Result<Response<Body>, HttpError> {
            let (tx, mut rx) = unbounded_channel();
            req.extensions_mut().insert(HintSender::new(tx));
            let mut svc = service.clone();
            let call = async move {
                poll_fn(|cx| svc.poll_ready(cx)).await?;
                svc.call(req).await
            };
            let response = handle.block_on(forwarding_hints(call, &mut rx, hints));
            // Hints sent while the response was completing still go first; later ones are refused.
            forward_queued(&mut rx, hints);
            drop(rx);
            let (parts, body) = response
                .map_err(|e| HttpError::internal(e.to_string()))?
                .into_parts();
            let body = into_body(body, handle.clone())?;
            Ok(Response::from_parts(parts, body))
        })
    }
}

/// Drives `call` to completion, sending each hint that arrives meanwhile as soon as it does.
async fn forwarding_hints<F: Future>(
    call: F,
    rx: &mut UnboundedReceiver<Response<()>>,
    hints: &mut Hints<'_>,
) -> F::Output {
    let mut call = std::pin::pin!(call);
    poll_fn(|cx| {
        while let Poll::Ready(Some(hint)) = rx.poll_recv(cx) {
            send_hint(hints, hint);
        }
        call.as_mut().poll(cx)
    })
    .await
}

fn forward_queued(rx: &mut UnboundedReceiver<Response<()>>, hints: &mut Hints<'_>) {
    while let Ok(hint) = rx.try_recv() {
        send_hint(hints, hint);
    }
}

/// A hint that cannot be sent is not worth failing the request for (the sender checked its
/// status already; what is left are relay errors, which the final response reports too).
fn send_hint(hints: &mut Hints<'_>, hint: Response<()>) {
    if let Err(e) = hints.send(hint) {
        crate::log!("rr-http: an informational response was not sent: {e}");
    }
}

/// A body of known length is collected and sent in one frame; any other is streamed, each data
/// frame as it comes (trailers are not forwarded).
fn into_body<B>(body: B, handle: Handle) -> Result<Body, HttpError>
where
    B: HttpBody + Send + 'static,
    B::Data: Send,
    B::Error: Into<BoxError>,
{
    if body.size_hint().exact().is_some() {
        let collected = handle
            .block_on(body.collect())
            .map_err(|e| HttpError::internal(e.into().to_string()))?;
        return Ok(Body::from(collected.to_bytes()));
    }
    let mut body = Box::pin(body);
    let chunks = std::iter::from_fn(move || {
        loop {
            match handle.block_on(body.frame())? {
                Err(e) => return Some(Err::<Bytes, BoxError>(e.into())),
                Ok(frame) => {
                    if let Ok(mut data) = frame.into_data() {
                        return Some(Ok(data.copy_to_bytes(data.remaining())));
                    }
                }
            }
        }
    });
    Ok(Body::try_chunks(chunks))
}
