//! How a [`Worker`] answers the payload it handed out: one response, a stream of frames, an
//! error, or a request to be replaced.

use goridge::{Flags, FrameHead, Options, Relay, RelayError, StreamFlags};

use super::{State, Worker};
use crate::control::STOP_REQUEST;
use crate::{Payload, WorkerError};

impl<R: Relay> Worker<R> {
    /// Answers the pending payload with one complete frame.
    ///
    /// # Errors
    ///
    /// [`WorkerError::Misuse`] when no payload is pending; relay errors.
    ///
    /// # Example
    ///
    /// ```
    /// use goridge::{Flags, Relay};
    /// use rr_worker::{Payload, Worker};
    ///
    /// # let (relay, mut rr) = rr_testkit::ScriptedServer::pair();
    /// # rr.request(Flags::CODEC_RAW, b"", b"ping");
    /// let mut worker = Worker::new(relay);
    /// let request = worker.wait_payload()?.expect("a request");
    /// worker.respond(&Payload::new(request.codec, "", "pong"))?;
    ///
    /// let answer = rr.receive()?; // what RoadRunner got
    /// assert_eq!((answer.options(), &answer.payload[..]), (&[0][..], &b"pong"[..]));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn respond(&mut self, payload: &Payload) -> Result<(), WorkerError> {
        self.send(payload.codec, &payload.context, &payload.body, false)
    }

    /// Sends one frame of the answer: `more = true` sets STREAM (more frames follow), `false`
    /// ends the answer.
    ///
    /// # Errors
    ///
    /// [`WorkerError::Misuse`] when no payload is pending; relay errors. A frame too long for
    /// the 32-bit length field ([`RelayError::Frame`]) is refused before anything is sent and
    /// leaves the payload waiting for its answer.
    ///
    /// # Example
    ///
    /// A response in two frames:
    ///
    /// ```
    /// use goridge::{Flags, Relay, StreamFlags};
    /// use rr_worker::Worker;
    ///
    /// # let (relay, mut rr) = rr_testkit::ScriptedServer::pair();
    /// # rr.request(Flags::CODEC_RAW, b"", b"");
    /// let mut worker = Worker::new(relay);
    /// let _request = worker.wait_payload()?.expect("a request");
    /// worker.send(Flags::CODEC_RAW, b"", b"part 1, ", true)?;
    /// worker.send(Flags::CODEC_RAW, b"", b"part 2", false)?;
    ///
    /// let (first, last) = (rr.receive()?, rr.receive()?); // what RoadRunner got
    /// assert!(first.stream().contains(StreamFlags::STREAM));
    /// assert!(!last.stream().contains(StreamFlags::STREAM));
    /// assert_eq!(&last.payload[..], b"part 2");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn send(
        &mut self,
        codec: Flags,
        context: &[u8],
        body: &[u8],
        more: bool,
    ) -> Result<(), WorkerError> {
        if self.state == State::Idle {
            return Err(WorkerError::Misuse("no payload is waiting for an answer"));
        }
        let stream = if more {
            StreamFlags::STREAM
        } else {
            StreamFlags::EMPTY
        };
        // The cast never truncates a frame that gets sent: a context longer than u32::MAX makes
        // the whole payload (context + body) longer too, and every relay refuses that with
        // RelayError::Frame before writing anything (the `Relay::send` contract).
        let head = FrameHead::new(codec)
            .with_stream(stream)
            .with_options(Options::one(context.len() as u32));
        match self.relay.send(&head, &[context, body]) {
            // Refused before anything was written: the payload is still waiting for its answer.
            Err(e @ RelayError::Frame(_)) => Err(e.into()),
            result => {
                // The answer counts as given once we tried: a failed write leaves the relay
                // unusable anyway.
                self.state = if more { State::Streaming } else { State::Idle };
                self.limits.sent(more);
                result.map_err(WorkerError::from)
            }
        }
    }

    /// Answers the pending payload with an error: RoadRunner logs `message` and, for HTTP,
    /// answers its client with the internal error status. The worker stays in service.
    ///
    /// # Errors
    ///
    /// [`WorkerError::Misuse`] when no payload is pending or a stream was started (an error
    /// frame mid-stream makes RoadRunner discard the worker; end the stream instead).
    ///
    /// # Example
    ///
    /// ```
    /// use goridge::{Flags, Relay};
    /// use rr_worker::Worker;
    ///
    /// # let (relay, mut rr) = rr_testkit::ScriptedServer::pair();
    /// # rr.request(Flags::CODEC_RAW, b"", b"");
    /// let mut worker = Worker::new(relay);
    /// let _request = worker.wait_payload()?.expect("a request");
    /// worker.error("the database is down")?;
    ///
    /// let answer = rr.receive()?; // what RoadRunner got
    /// assert!(answer.flags().contains(Flags::ERROR));
    /// assert_eq!(&answer.payload[..], b"the database is down");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn error(&mut self, message: &str) -> Result<(), WorkerError> {
        match self.state {
            State::Idle => return Err(WorkerError::Misuse("no payload is waiting for an answer")),
            State::Streaming => {
                return Err(WorkerError::Misuse(
                    "cannot send an error in the middle of a stream",
                ));
            }
            State::Pending => {}
        }
        self.state = State::Idle;
        self.relay
            .send(&FrameHead::new(Flags::ERROR), &[message.as_bytes()])?;
        Ok(())
    }

    /// Answers the pending payload by asking to be replaced: RoadRunner gives the same payload
    /// to another worker and then stops this one (the next [`wait_payload`](Self::wait_payload)
    /// returns `None`).
    ///
    /// # Errors
    ///
    /// [`WorkerError::Misuse`] when no payload is pending or a stream was started.
    ///
    /// # Example
    ///
    /// ```
    /// use goridge::{Flags, Relay};
    /// use rr_worker::Worker;
    ///
    /// # let (relay, mut rr) = rr_testkit::ScriptedServer::pair();
    /// # rr.request(Flags::CODEC_RAW, b"", b"");
    /// let mut worker = Worker::new(relay);
    /// let _request = worker.wait_payload()?.expect("a request");
    /// worker.request_stop()?;
    /// assert_eq!(&rr.receive()?.payload[..], br#"{"stop":true}"#); // what RoadRunner got
    ///
    /// // rr hands the request to another worker and stops this one.
    /// # rr.stop();
    /// assert_eq!(worker.wait_payload()?, None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn request_stop(&mut self) -> Result<(), WorkerError> {
        if self.state != State::Pending {
            return Err(WorkerError::Misuse(
                "a stop request must be the whole answer to a payload",
            ));
        }
        self.send(Flags::EMPTY, STOP_REQUEST, b"", false)
    }
}
