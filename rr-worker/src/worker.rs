//! [`Worker`]: the generic worker loop over any [`Relay`].

use std::time::Duration;

use goridge::{AnyRelay, Flags, Frame, FrameHead, Options, Relay, RelayError, StreamFlags};

use crate::control::{Control, STOP_REQUEST, pid_reply};
use crate::stream_limits::StreamLimits;
use crate::{Environment, Payload, StopSignals, WorkerError};

mod stopping;

/// How long a streamed response may go on after a stop signal, unless set otherwise with
/// [`Worker::with_stream_grace`]: 5 s, half of the 10 s RoadRunner gives a worker it stops.
pub const DEFAULT_STREAM_GRACE: Duration = Duration::from_secs(5);

/// Where the worker is in the request/response cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// No request is being answered.
    Idle,
    /// A request was handed out; nothing sent for it yet.
    Pending,
    /// Frames with STREAM set were sent; the final frame is owed.
    Streaming,
}

/// A RoadRunner worker: hands out payloads, sends answers, handles control frames itself.
///
/// The caller only ever sees payloads. The pid handshake, the server's stop command and stray
/// stream-control frames (a STOP or PONG arriving after a response ended) are dealt with
/// inside [`wait_payload`](Self::wait_payload).
///
/// For every payload handed out, send exactly one answer: [`respond`](Self::respond), a series
/// of [`send`](Self::send) calls ending with `more = false`, [`error`](Self::error), or
/// [`request_stop`](Self::request_stop). The worker refuses a second answer.
///
/// # Example
///
/// An echo worker, tested here against an in-memory server:
///
/// ```
/// use goridge::{Flags, FrameHead, MemoryRelay, Options, Relay};
/// use rr_worker::Worker;
///
/// let (relay, mut server) = MemoryRelay::pair();
/// let head = FrameHead::new(Flags::CODEC_RAW).with_options(Options::one(0));
/// server.send(&head, &[b"ping"])?;
/// server.send(&FrameHead::new(Flags::CONTROL | Flags::CODEC_JSON), &[br#"{"stop":true}"#])?;
///
/// let mut worker = Worker::new(relay);
/// while let Some(payload) = worker.wait_payload()? {
///     worker.respond(&payload)?;
/// }
/// assert_eq!(&server.receive()?.payload[..], b"ping");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Worker<R = AnyRelay> {
    relay: R,
    state: State,
    /// The server asked us to stop while we were streaming; honoured at the next wait.
    stop_pending: bool,
    /// SIGTERM/SIGINT handling, when installed.
    signals: Option<StopSignals>,
    /// How long a streamed response may go on.
    limits: StreamLimits,
}

impl Worker<AnyRelay> {
    /// Connects to the server the environment names (`RR_RELAY`, pipes by default), as
    /// [`connect`](Self::connect) does.
    ///
    /// In every relay mode descriptor 1 is redirected to stderr, so `println!` output ends up
    /// in RoadRunner's log (in pipes mode instead of breaking the protocol).
    ///
    /// # Errors
    ///
    /// When `RR_RELAY` is invalid or the server cannot be reached.
    ///
    /// ```no_run
    /// let worker = rr_worker::Worker::from_env()?;
    /// # Ok::<(), rr_worker::WorkerError>(())
    /// ```
    pub fn from_env() -> Result<Self, WorkerError> {
        Self::connect(&Environment::from_env()?)
    }

    /// Connects to the server `env.relay` names.
    ///
    /// Descriptor 1 is then pointed at stderr in every relay mode, so `println!` output ends up
    /// in RoadRunner's log (with pipes, the relay keeps its own copy of the original stdout as
    /// the frame channel), and with pipes descriptor 0 at `/dev/null`; see
    /// [`redirect_stdout_to_stderr`](crate::redirect_stdout_to_stderr).
    ///
    /// # Errors
    ///
    /// When the server cannot be reached, a descriptor cannot be redirected or the signal
    /// handlers cannot be installed.
    ///
    /// It also installs [`StopSignals`]: on SIGTERM or SIGINT the worker finishes the payload
    /// in flight and [`wait_payload`](Self::wait_payload) returns `Ok(None)`.
    ///
    /// ```no_run
    /// let env = rr_worker::Environment::from_env()?;
    /// let worker = rr_worker::Worker::connect(&env)?;
    /// # Ok::<(), rr_worker::WorkerError>(())
    /// ```
    pub fn connect(env: &Environment) -> Result<Self, WorkerError> {
        let relay = AnyRelay::connect(&env.relay)?;
        crate::stdio::isolate(&env.relay)?;
        let signals = StopSignals::install().map_err(RelayError::Io)?;
        Ok(Self::new(relay).with_stop_signals(signals))
    }
}

impl<R: Relay> Worker<R> {
    /// A worker speaking over `relay`, without signal handling (see
    /// [`with_stop_signals`](Self::with_stop_signals)).
    ///
    /// ```
    /// let (relay, _server) = goridge::MemoryRelay::pair();
    /// let worker = rr_worker::Worker::new(relay);
    /// ```
    pub fn new(relay: R) -> Self {
        Self {
            relay,
            state: State::Idle,
            stop_pending: false,
            signals: None,
            limits: StreamLimits::new(DEFAULT_STREAM_GRACE),
        }
    }

    /// The relay.
    ///
    /// ```
    /// let (relay, _server) = goridge::MemoryRelay::pair();
    /// let mut worker = rr_worker::Worker::new(relay);
    /// let _relay: &mut goridge::MemoryRelay = worker.relay_mut();
    /// ```
    pub fn relay_mut(&mut self) -> &mut R {
        &mut self.relay
    }

    /// Waits for the next payload. `Ok(None)` means: stop now, the server asked for it (or
    /// closed the relay); exit the process with status 0.
    ///
    /// After a stop signal that came while a payload was in flight (see [`StopSignals`]),
    /// every payload that still arrives is answered with a stop request, so RoadRunner gives
    /// it to another worker and stops this one; `Ok(None)` follows its stop.
    ///
    /// A data frame without the context-length option, or with a context length beyond its
    /// payload, is answered with an error frame (RoadRunner logs it; for HTTP its client gets
    /// a 500) and the next frame is awaited.
    ///
    /// # Errors
    ///
    /// When the relay fails, a frame is malformed (bad header, truncated, stalled) or a
    /// control frame is not understood. The worker is unusable then: exit, RoadRunner
    /// replaces it.
    pub fn wait_payload(&mut self) -> Result<Option<Payload>, WorkerError> {
        if self.state != State::Idle {
            return Err(WorkerError::Misuse(
                "wait_payload called before the previous payload was answered",
            ));
        }
        if self.stop_pending {
            return Ok(None);
        }
        if let Some(signals) = &self.signals {
            // From here on a signal ends the process at once: nothing is in flight.
            signals.enter_idle();
        }
        loop {
            let frame = match self.relay.receive() {
                Ok(frame) => frame,
                Err(RelayError::Closed) => return Ok(None),
                Err(e) => return Err(e.into()),
            };
            if frame.flags().contains(Flags::CONTROL) {
                if self.handle_control(&frame)? == Control::Stop {
                    return Ok(None);
                }
                continue;
            }
            if frame.stream().contains(StreamFlags::STOP)
                || frame.stream().contains(StreamFlags::PONG)
            {
                // Late leftovers of a finished stream (`docs/worker.md`): nothing to do.
                continue;
            }
            let payload = match Payload::from_frame(frame) {
                Ok(payload) => payload,
                Err(e) => {
                    // A whole frame with wrong metadata leaves the stream in step: answer it
                    // with an error, as rr-http answers a context it cannot decode.
                    crate::log!("rr-worker: refused a malformed request: {e}");
                    let text = format!("rr-worker: malformed request: {e}");
                    self.relay
                        .send(&FrameHead::new(Flags::ERROR), &[text.as_bytes()])?;
                    continue;
                }
            };
            if let Some(signals) = self.signals.clone() {
                if !signals.enter_busy() {
                    // A signal came while we read this frame; the process is ending right now.
                    return Ok(None);
                }
                if signals.is_requested() {
                    // Stopping after a signal: rr gives this payload to another worker.
                    self.state = State::Pending;
                    let sent = self.request_stop();
                    signals.enter_idle();
                    sent?;
                    continue;
                }
            }
            self.state = State::Pending;
            return Ok(Some(payload));
        }
    }

    /// Answers the pending payload with one complete frame.
    ///
    /// # Errors
    ///
    /// [`WorkerError::Misuse`] when no payload is pending; relay errors.
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

    /// Checks, without blocking, whether the server asked to abort the stream being sent
    /// (its client went away). After `true`, end the answer with `send(codec, b"", b"", false)`.
    ///
    /// # Errors
    ///
    /// Relay errors; [`WorkerError::UnexpectedPayload`] if the server sent a new request.
    pub fn stream_stopped(&mut self) -> Result<bool, WorkerError> {
        while let Some(frame) = self.relay.try_receive()? {
            if frame.flags().contains(Flags::CONTROL) {
                if self.handle_control(&frame)? == Control::Stop {
                    self.stop_pending = true;
                }
                continue;
            }
            if frame.stream().contains(StreamFlags::STOP) {
                return Ok(true);
            }
            if frame.stream().contains(StreamFlags::PONG) {
                continue;
            }
            return Err(WorkerError::UnexpectedPayload);
        }
        Ok(false)
    }

    /// Parses a CONTROL frame and answers it when it asks for our pid; returns what it asked
    /// for, so the caller can deal with a stop.
    fn handle_control(&mut self, frame: &Frame) -> Result<Control, WorkerError> {
        let control = Control::parse(&frame.payload)?;
        if control == Control::Pid {
            self.relay
                .send(&FrameHead::new(Flags::CONTROL), &[&pid_reply()])?;
        }
        Ok(control)
    }

    /// Answers the pending payload with an error: RoadRunner logs `message` and, for HTTP,
    /// answers its client with the internal error status. The worker stays in service.
    ///
    /// # Errors
    ///
    /// [`WorkerError::Misuse`] when no payload is pending or a stream was started (an error
    /// frame mid-stream makes RoadRunner discard the worker; end the stream instead).
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
    pub fn request_stop(&mut self) -> Result<(), WorkerError> {
        if self.state != State::Pending {
            return Err(WorkerError::Misuse(
                "a stop request must be the whole answer to a payload",
            ));
        }
        self.send(Flags::EMPTY, STOP_REQUEST, b"", false)
    }
}
