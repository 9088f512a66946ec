//! [`HttpWorker`]: HTTP requests in, responses out, over a generic [`Worker`].

use goridge::{AnyRelay, Relay};
use http::Request;
use rr_worker::Worker;

use crate::codec::Codec;
use crate::{Body, Error, RequestError, Responder, request};

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
    ///
    /// # Example
    ///
    /// In a worker process rr started (it needs rr on the other end):
    ///
    /// ```no_run
    /// use rr_http::{Body, HttpWorker};
    ///
    /// let mut worker = HttpWorker::from_env()?.with_chunk_size(16 * 1024);
    /// while let Some((_request, responder)) = worker.next_request()? {
    ///     responder.respond(http::Response::new(Body::from("hello")))?;
    /// }
    /// # Ok::<(), rr_http::Error>(())
    /// ```
    pub fn from_env() -> Result<Self, Error> {
        Ok(Self::new(Worker::from_env()?))
    }
}

impl<R: Relay> HttpWorker<R> {
    /// An HTTP worker on top of a generic worker.
    ///
    /// # Example
    ///
    /// ```
    /// # let (relay, mut rr) = rr_testkit::ScriptedServer::pair();
    /// # rr.raw(rr_testkit::vectors::http::http_a_get_request().wire);
    /// use rr_http::{Body, HttpWorker};
    /// use rr_http::rr_worker::Worker;
    ///
    /// let mut worker = HttpWorker::new(Worker::new(relay));
    /// let (request, responder) = worker.next_request()?.expect("a request");
    /// assert_eq!(request.uri().path(), "/hello");
    /// responder.respond(http::Response::new(Body::from("hi")))?;
    /// # Ok::<(), rr_http::Error>(())
    /// ```
    pub fn new(worker: Worker<R>) -> Self {
        Self {
            worker,
            chunk_size: DEFAULT_CHUNK_SIZE,
            codec: None,
        }
    }

    /// Sets the size of the frames streamed bodies are cut into (default [`DEFAULT_CHUNK_SIZE`]).
    ///
    /// # Example
    ///
    /// ```
    /// # let (relay, mut rr) = rr_testkit::ScriptedServer::pair();
    /// # rr.raw(rr_testkit::vectors::http::http_a_get_request().wire);
    /// use rr_http::{Body, HttpWorker};
    /// use rr_http::rr_worker::Worker;
    ///
    /// let mut worker = HttpWorker::new(Worker::new(relay)).with_chunk_size(4);
    /// let (_request, responder) = worker.next_request()?.expect("a request");
    /// responder.respond(http::Response::new(Body::chunks(["abcdefgh"])))?;
    ///
    /// // What RoadRunner got: the 8-byte chunk in frames of at most 4 body bytes.
    /// let bodies: Vec<_> = rr.sent()
    ///     .iter()
    ///     .map(|frame| frame.payload.slice(frame.options()[0] as usize..))
    ///     .collect();
    /// assert_eq!(bodies, ["abcd", "efgh", ""]);
    /// # Ok::<(), rr_http::Error>(())
    /// ```
    pub fn with_chunk_size(mut self, bytes: usize) -> Self {
        self.chunk_size = bytes.max(1);
        self
    }

    /// The longest one streamed response may last; after it the stream is ended cleanly and
    /// [`Responder::respond`] returns [`Delivery::CutShort`](crate::Delivery::CutShort).
    /// Unlimited by default. Keep it below rr's grace period (30 s by default): rr waits for
    /// every request in flight when it stops and never tells a streaming worker, so an endless
    /// stream (server-sent events) would otherwise hold rr's shutdown until rr gives up.
    /// See [`Worker::with_max_stream_duration`].
    ///
    /// ```
    /// # let (relay, _server) = goridge::MemoryRelay::pair();
    /// # let worker = rr_http::rr_worker::Worker::new(relay);
    /// let worker = rr_http::HttpWorker::new(worker)
    ///     .with_max_stream_duration(std::time::Duration::from_secs(20));
    /// ```
    pub fn with_max_stream_duration(mut self, limit: std::time::Duration) -> Self {
        self.worker = self.worker.with_max_stream_duration(limit);
        self
    }

    /// How long a streamed response may go on after SIGTERM or SIGINT before it is ended
    /// cleanly (default [`DEFAULT_STREAM_GRACE`](rr_worker::DEFAULT_STREAM_GRACE), 5 s). A
    /// response that is not streamed is always finished. See [`Worker::with_stream_grace`].
    ///
    /// ```
    /// # let (relay, _server) = goridge::MemoryRelay::pair();
    /// # let worker = rr_http::rr_worker::Worker::new(relay);
    /// let worker = rr_http::HttpWorker::new(worker)
    ///     .with_stream_grace(std::time::Duration::from_secs(8));
    /// ```
    pub fn with_stream_grace(mut self, grace: std::time::Duration) -> Self {
        self.worker = self.worker.with_stream_grace(grace);
        self
    }

    /// The SIGTERM/SIGINT handling of this worker ([`HttpWorker::from_env`] installs it), e.g.
    /// to set [`StopSignals::on_exit`](rr_worker::StopSignals::on_exit).
    ///
    /// ```
    /// # let (relay, _server) = goridge::MemoryRelay::pair();
    /// let worker = rr_http::HttpWorker::new(rr_http::rr_worker::Worker::new(relay));
    /// assert!(worker.stop_signals().is_none(), "Worker::new installs none");
    /// ```
    pub fn stop_signals(&self) -> Option<&rr_worker::StopSignals> {
        self.worker.stop_signals()
    }

    /// Forces a codec instead of detecting it from each request (protobuf for RoadRunner ≥
    /// 2024.1, JSON for 2023.3 and older).
    ///
    /// # Example
    ///
    /// ```
    /// # use goridge::Relay;
    /// # let (relay, mut rr) = rr_testkit::ScriptedServer::pair();
    /// # rr.raw(rr_testkit::vectors::http::http_j_legacy_json_request().wire);
    /// use rr_http::{Body, Codec, HttpWorker};
    /// use rr_http::rr_worker::{Worker, goridge::Flags};
    ///
    /// // Only ever served by RoadRunner 2023.3:
    /// let mut worker = HttpWorker::new(Worker::new(relay)).with_codec(Codec::Json);
    /// let (request, responder) = worker.next_request()?.expect("a request");
    /// assert_eq!(request.uri().path(), "/hello");
    /// responder.respond(http::Response::new(Body::from("hi")))?;
    /// assert_eq!(rr.receive()?.flags(), Flags::CODEC_JSON); // what RoadRunner got
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
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
    ///
    /// # Example
    ///
    /// ```
    /// # use goridge::Relay;
    /// # let (relay, mut rr) = rr_testkit::ScriptedServer::pair();
    /// # rr.raw(rr_testkit::vectors::http::http_a_get_request().wire).stop();
    /// use rr_http::{Body, HttpWorker};
    ///
    /// let mut worker = HttpWorker::new(rr_http::rr_worker::Worker::new(relay));
    /// while let Some((request, responder)) = worker.next_request()? {
    ///     let name = request.uri().query().unwrap_or_default().to_owned();
    ///     responder.respond(http::Response::new(Body::from(name)))?;
    /// }
    /// // The loop ended because rr asked the worker to stop.
    /// assert!(rr.receive()?.payload.ends_with(b"name=world")); // what RoadRunner got
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
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
                Err(RequestError::UriTooLong(len)) => {
                    // A request we can read but not represent: the client learns why.
                    rr_worker::log!(
                        "rr-http: answered 414 to a request: {}",
                        RequestError::UriTooLong(len)
                    );
                    let responder = Responder::new(&mut self.worker, codec, self.chunk_size, false);
                    let mut res = http::Response::new(Body::from("URI Too Long\n"));
                    *res.status_mut() = http::StatusCode::URI_TOO_LONG;
                    responder.respond(res)?;
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
