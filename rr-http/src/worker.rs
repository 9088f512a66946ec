//! [`HttpWorker`]: HTTP requests in, responses out, over a generic [`Worker`].

use goridge::{AnyRelay, Relay};
use http::Request;
use rr_worker::Worker;

use crate::codec::Codec;
use crate::{Body, Error, Responder, request};

/// A request and the [`Responder`] that answers it.
pub type Exchange<'a, R> = (Request<Body>, Responder<'a, R>);

/// The default size of the frames a streamed body is cut into: 64 KiB.
pub const DEFAULT_CHUNK_SIZE: usize = 64 * 1024;

/// An HTTP worker: hands out `http::Request`s with a [`Responder`] each.
///
/// ```no_run
/// use rr_http::{Body, HttpWorker};
///
/// let mut worker = HttpWorker::from_env()?;
/// while let Some((request, responder)) = worker.next_request()? {
///     let body = format!("you asked for {}", request.uri().path());
///     responder.respond(http::Response::new(Body::from(body)))?;
/// }
/// # Ok::<(), rr_http::Error>(())
/// ```
///
/// Most programs use [`serve`](crate::serve) instead, which runs this loop around a closure
/// and turns errors and panics into 500s.
#[derive(Debug)]
pub struct HttpWorker<R = AnyRelay> {
    worker: Worker<R>,
    chunk_size: usize,
    codec: Option<Codec>,
}

impl HttpWorker<AnyRelay> {
    /// Connects to RoadRunner as the environment says (`RR_RELAY`; pipes by default).
    ///
    /// # Errors
    ///
    /// When the relay cannot be opened.
    pub fn from_env() -> Result<Self, Error> {
        Ok(Self::new(Worker::from_env()?))
    }
}

impl<R: Relay> HttpWorker<R> {
    /// An HTTP worker on top of a generic worker.
    pub fn new(worker: Worker<R>) -> Self {
        Self {
            worker,
            chunk_size: DEFAULT_CHUNK_SIZE,
            codec: None,
        }
    }

    /// Sets the size of the frames streamed bodies are cut into (default [`DEFAULT_CHUNK_SIZE`]).
    pub fn with_chunk_size(mut self, bytes: usize) -> Self {
        self.chunk_size = bytes.max(1);
        self
    }

    /// Forces a codec instead of detecting it from each request (protobuf for RoadRunner ≥
    /// 2024.1, JSON for 2023.3 and older).
    pub fn with_codec(mut self, codec: Codec) -> Self {
        self.codec = Some(codec);
        self
    }

    /// Waits for the next request. `Ok(None)`: RoadRunner asked this worker to stop; return
    /// from `main`.
    ///
    /// A request that cannot be decoded is answered with an error frame (RoadRunner logs it
    /// and answers 500) and the next one is awaited.
    ///
    /// # Errors
    ///
    /// When the relay fails; the worker cannot go on and should exit.
    pub fn next_request(&mut self) -> Result<Option<Exchange<'_, R>>, Error> {
        loop {
            let Some(payload) = self.worker.wait_payload()? else {
                return Ok(None);
            };
            let codec = self
                .codec
                .unwrap_or_else(|| Codec::detect(payload.codec, &payload.context));
            match request::decode(codec, &payload.context, payload.body) {
                Ok(req) => {
                    let head_request = req.method() == http::Method::HEAD;
                    let responder =
                        Responder::new(&mut self.worker, codec, self.chunk_size, head_request);
                    return Ok(Some((req, responder)));
                }
                Err(e) => {
                    rr_worker::log!("rr-http: cannot decode a request: {e}");
                    self.worker
                        .error(&format!("rr-http: cannot decode the request: {e}"))?;
                }
            }
        }
    }
}
