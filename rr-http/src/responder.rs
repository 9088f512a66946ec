//! [`Responder`]: answers one request: any number of informational responses, then exactly
//! one final response, streamed or not.

use std::panic::{AssertUnwindSafe, catch_unwind};

use goridge::{AnyRelay, Flags, Relay};
use http::{Response, StatusCode};
use rr_worker::Worker;

use crate::body::Kind as BodyKind;
use crate::codec::{Codec, ResponseHead};
use crate::response::{self, Kind};
use crate::stream::{ChunkSource, Next};
use crate::stream_writer::{Step, StreamWriter};
use crate::{Body, Error};

/// How a final response ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Every byte was handed to RoadRunner.
    Complete,
    /// The client went away mid-stream; the producer was stopped and the worker is ready for
    /// the next request.
    ClientGone,
    /// The body's producer failed: the client got a truncated body, or, when nothing had been
    /// sent yet, the internal error status.
    Truncated,
    /// The response could not be sent as it was (a status outside 200..=599, a header value
    /// with CR or LF): the reason was logged once and the client got a plain
    /// `500 Internal Server Error` instead. The worker is fine and goes on.
    Refused,
    /// The stream outlived its time limit (the maximum stream duration, or the grace after a
    /// SIGTERM or SIGINT) and was ended cleanly: the client got a well-formed, shorter body.
    CutShort,
}

/// Answers one request. Obtained from [`HttpWorker::next_request`](crate::HttpWorker::next_request).
///
/// Dropping a `Responder` without answering sends a 500, so a request is never left hanging.
#[derive(Debug)]
pub struct Responder<'a, R: Relay = AnyRelay> {
    worker: &'a mut Worker<R>,
    codec: Codec,
    chunk_size: usize,
    head_request: bool,
    answered: bool,
}

impl<'a, R: Relay> Responder<'a, R> {
    pub(crate) fn new(
        worker: &'a mut Worker<R>,
        codec: Codec,
        chunk_size: usize,
        head_request: bool,
    ) -> Self {
        Self {
            worker,
            codec,
            chunk_size,
            head_request,
            answered: false,
        }
    }

    /// The codec of the request being answered (and so of the response).
    ///
    /// # Example
    ///
    /// ```
    /// # let (relay, mut rr) = rr_testkit::ScriptedServer::pair();
    /// # rr.raw(rr_testkit::vectors::http::http_a_get_request().wire);
    /// use rr_http::{Body, Codec, HttpWorker};
    ///
    /// let mut worker = HttpWorker::new(rr_http::rr_worker::Worker::new(relay));
    /// let (_request, responder) = worker.next_request()?.expect("a request");
    /// assert_eq!(responder.codec(), Codec::Protobuf); // a request of RoadRunner 2025.1
    /// responder.respond(http::Response::new(Body::empty()))?;
    /// # Ok::<(), rr_http::Error>(())
    /// ```
    pub fn codec(&self) -> Codec {
        self.codec
    }

    /// Sends an informational (1xx) response, e.g. 103 Early Hints with `Link` headers, ahead of
    /// the final one. `Response<()>` cannot carry a body, so none is sent.
    ///
    /// ```no_run
    /// # fn f(responder: &mut rr_http::Responder<'_>) -> Result<(), rr_http::Error> {
    /// let hints = http::Response::builder()
    ///     .status(http::StatusCode::EARLY_HINTS)
    ///     .header("link", "</style.css>; rel=preload; as=style")
    ///     .body(())
    ///     .unwrap();
    /// responder.send_informational(hints)?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`ResponseError::InformationalStatus`](crate::ResponseError::InformationalStatus) for a status outside 100..=199 or 101 (nothing is
    /// sent then); relay errors.
    pub fn send_informational(&mut self, response: Response<()>) -> Result<(), Error> {
        let head = response::head(response.status(), response.headers(), Kind::Informational)?;
        let context = self.codec.encode_response(head);
        // STREAM must be set, or the server takes the 1xx as the whole answer (`docs/http.md`, 1xx).
        self.worker.send(self.codec.flags(), &context, b"", true)?;
        Ok(())
    }

    /// Sends the final response: complete bodies in one frame, streamed bodies in frames of at
    /// most the configured chunk size, watching for the client going away between chunks.
    ///
    /// A response that cannot be sent as it is (say status 610) is a mistake in the handler,
    /// not a broken worker: the reason is logged, the client gets a 500, and the result is
    /// `Ok(`[`Delivery::Refused`]`)`, so a loop written with `?` goes on serving.
    ///
    /// ```
    /// # use goridge::{Flags, FrameHead, MemoryRelay, Options, Relay};
    /// # let (relay, mut server) = MemoryRelay::pair();
    /// # let request = br#"{"method":"GET","uri":"/"}"#;
    /// # let head = FrameHead::new(Flags::CODEC_JSON).with_options(Options::one(request.len() as u32));
    /// # server.send(&head, &[request])?;
    /// use rr_http::{Body, Delivery, HttpWorker};
    ///
    /// let mut worker = HttpWorker::new(rr_http::rr_worker::Worker::new(relay));
    /// let (_request, responder) = worker.next_request()?.unwrap();
    /// let wrong = http::Response::builder().status(610).body(Body::empty())?;
    /// assert_eq!(responder.respond(wrong)?, Delivery::Refused); // the client got a 500
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Worker`] when the relay failed: the worker cannot go on and should exit.
    pub fn respond<B: Into<Body>>(mut self, response: Response<B>) -> Result<Delivery, Error> {
        let (parts, body) = response.into_parts();
        let Some(context) = self.final_context(parts.status, &parts.headers)? else {
            // The body's producer is stopped (dropped) with the refused response.
            return Ok(Delivery::Refused);
        };
        let flags = self.codec.flags();
        // Dropping a body that is not sent also stops its producer.
        let body = if self.carries_body(parts.status) {
            body.into()
        } else {
            Body::empty()
        };
        match body.into_kind() {
            BodyKind::Full(bytes) => {
                self.worker.send(flags, &context, &bytes, false)?;
                Ok(Delivery::Complete)
            }
            kind => self.stream(flags, context, ChunkSource::new(kind, self.chunk_size)),
        }
    }

    /// Answers with an error instead of a response: RoadRunner logs `message` and sends its
    /// client the configured internal error status (500 by default). After an informational
    /// response has gone out this is no longer possible, and a plain 500 response is sent.
    ///
    /// # Errors
    ///
    /// Relay errors.
    ///
    /// # Example
    ///
    /// ```
    /// # use goridge::Relay;
    /// # let (relay, mut rr) = rr_testkit::ScriptedServer::pair();
    /// # rr.raw(rr_testkit::vectors::http::http_a_get_request().wire);
    /// use rr_http::HttpWorker;
    /// use rr_http::rr_worker::goridge::Flags;
    ///
    /// let mut worker = HttpWorker::new(rr_http::rr_worker::Worker::new(relay));
    /// let (_request, responder) = worker.next_request()?.expect("a request");
    /// responder.error("the cache is unreachable")?;
    ///
    /// let answer = rr.receive()?; // what RoadRunner got: it logs the text and answers 500
    /// assert!(answer.flags().contains(Flags::ERROR));
    /// assert_eq!(&answer.payload[..], b"the cache is unreachable");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn error(mut self, message: &str) -> Result<(), Error> {
        self.fail(message)
    }

    /// Answers by asking RoadRunner to replace this worker: the same request is given to
    /// another worker, and this one is stopped (the next `next_request` returns `None`).
    /// Use it when the process should not go on (leaked state, a poisoned cache).
    ///
    /// # Errors
    ///
    /// Relay errors; misuse when an informational response was already sent.
    ///
    /// # Example
    ///
    /// ```
    /// # use goridge::Relay;
    /// # let (relay, mut rr) = rr_testkit::ScriptedServer::pair();
    /// # rr.raw(rr_testkit::vectors::http::http_a_get_request().wire);
    /// use rr_http::HttpWorker;
    ///
    /// let mut worker = HttpWorker::new(rr_http::rr_worker::Worker::new(relay));
    /// let (_request, responder) = worker.next_request()?.expect("a request");
    /// responder.recycle()?;
    /// assert_eq!(&rr.receive()?.payload[..], br#"{"stop":true}"#); // what RoadRunner got
    ///
    /// // rr gives the request to another worker and stops this one.
    /// # rr.stop();
    /// assert!(worker.next_request()?.is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn recycle(mut self) -> Result<(), Error> {
        self.answered = true;
        self.worker.request_stop()?;
        Ok(())
    }

    pub(crate) fn fail(&mut self, message: &str) -> Result<(), Error> {
        self.answered = true;
        match self.worker.error(message) {
            Ok(()) => Ok(()),
            Err(rr_worker::WorkerError::Misuse(_)) => {
                self.send_internal_error().map_err(Error::from)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The fallback answer: a plain `500 Internal Server Error` response.
    fn send_internal_error(&mut self) -> Result<(), rr_worker::WorkerError> {
        let head = ResponseHead {
            status: StatusCode::INTERNAL_SERVER_ERROR.as_u16(),
            headers: Vec::new(),
        };
        let context = self.codec.encode_response(head);
        self.worker.send(
            self.codec.flags(),
            &context,
            b"Internal Server Error",
            false,
        )
    }

    /// Sends a streamed body through the [`StreamWriter`] core, pulling each chunk from the
    /// blocking `source` as soon as the previous one went out.
    fn stream(
        &mut self,
        flags: Flags,
        context: Vec<u8>,
        mut source: ChunkSource,
    ) -> Result<Delivery, Error> {
        let mut writer = StreamWriter::new(flags, context, self.chunk_size);
        loop {
            // A producer that panics is treated like one that failed.
            let next = catch_unwind(AssertUnwindSafe(|| source.next()))
                .unwrap_or_else(|_| Next::Failed("the body producer panicked".into()));
            if let Step::Done(delivery) = writer.feed(self, next)? {
                return Ok(delivery);
            }
        }
    }

    /// The encoded head of a final response, or `None` when it was refused (the reason is
    /// logged and a 500 sent: the request is answered).
    pub(crate) fn final_context(
        &mut self,
        status: StatusCode,
        headers: &http::HeaderMap,
    ) -> Result<Option<Vec<u8>>, Error> {
        match response::head(status, headers, Kind::Final) {
            Ok(head) => {
                self.answered = true;
                Ok(Some(self.codec.encode_response(head)))
            }
            Err(e) => {
                rr_worker::log!("rr-http: response refused, answering 500 instead: {e}");
                self.answered = true;
                self.send_internal_error()?;
                Ok(None)
            }
        }
    }

    /// Whether a final response with `status` carries a body: not for 204, 304 or a HEAD
    /// request (Go would fail the write and rr would take it for a client that left).
    pub(crate) fn carries_body(&self, status: StatusCode) -> bool {
        !self.head_request && !matches!(status.as_u16(), 204 | 304)
    }

    /// The size of the frames a streamed body is cut into.
    #[cfg(feature = "tower")]
    pub(crate) fn chunk_size(&self) -> usize {
        self.chunk_size
    }

    /// Sends one frame of the final response.
    pub(crate) fn send_frame(
        &mut self,
        flags: Flags,
        context: &[u8],
        body: &[u8],
        more: bool,
    ) -> Result<(), Error> {
        self.worker.send(flags, context, body, more)?;
        Ok(())
    }

    /// Whether the server asked to abort the stream (its client went away).
    pub(crate) fn stream_stopped(&mut self) -> Result<bool, Error> {
        Ok(self.worker.stream_stopped()?)
    }

    /// Whether the stream outlived its time limit.
    pub(crate) fn stream_expired(&self) -> bool {
        self.worker.stream_expired()
    }
}

impl<R: Relay> Drop for Responder<'_, R> {
    fn drop(&mut self) {
        if self.answered {
            return;
        }
        rr_worker::log!("rr-http: a request was left unanswered (responder dropped); sending 500");
        if let Err(e) = self.send_internal_error() {
            rr_worker::log!("rr-http: could not send the 500: {e}");
        }
    }
}
