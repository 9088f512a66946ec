//! [`Worker`]: the generic worker loop over any [`Relay`].

use std::time::Duration;

use goridge::{AnyRelay, Flags, Frame, FrameHead, Relay, RelayError, StreamFlags};

use crate::control::{Control, pid_reply};
use crate::stream_limits::StreamLimits;
use crate::{Environment, Payload, StopSignals, WorkerError};

mod answers;
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
    ///
    /// # Example
    ///
    /// ```
    /// use goridge::Flags;
    /// use rr_worker::Worker;
    ///
    /// # let (relay, mut rr) = rr_testkit::ScriptedServer::pair();
    /// # rr.pid_request(1000).request(Flags::CODEC_RAW, b"ctx", b"body").stop();
    /// let mut worker = Worker::new(relay);
    /// // rr asks for the pid first; that is answered inside, the request comes out.
    /// let payload = worker.wait_payload()?.expect("a request");
    /// assert_eq!((&payload.context[..], &payload.body[..]), (&b"ctx"[..], &b"body"[..]));
    /// worker.respond(&payload)?;
    /// // Then rr asks the worker to stop.
    /// assert_eq!(worker.wait_payload()?, None);
    /// # Ok::<(), rr_worker::WorkerError>(())
    /// ```
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

    /// Checks, without blocking, whether the server asked to abort the stream being sent
    /// (its client went away). After `true`, end the answer with `send(codec, b"", b"", false)`.
    ///
    /// # Errors
    ///
    /// Relay errors; [`WorkerError::UnexpectedPayload`] if the server sent a new request.
    ///
    /// # Example
    ///
    /// ```
    /// use goridge::{Flags, Relay, StreamFlags};
    /// use rr_worker::Worker;
    ///
    /// # let (relay, mut rr) = rr_testkit::ScriptedServer::pair();
    /// # rr.request(Flags::CODEC_RAW, b"", b"events, please");
    /// let mut worker = Worker::new(relay);
    /// let _request = worker.wait_payload()?.expect("a request");
    /// worker.send(Flags::CODEC_RAW, b"", b"event 1\n", true)?;
    /// assert!(!worker.stream_stopped()?);
    /// // … the client goes away, rr sends STOP …
    /// # rr.stream_bits(StreamFlags::STOP);
    /// assert!(worker.stream_stopped()?);
    /// worker.send(Flags::CODEC_RAW, b"", b"", false)?; // end the answer
    /// # Ok::<(), rr_worker::WorkerError>(())
    /// ```
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
}
