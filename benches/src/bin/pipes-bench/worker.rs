//! rr's side of the pipes relay: start a worker process, the pid handshake, one request at a
//! time with every response checked, and the stop.

use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use bytes::Bytes;
use goridge::{Flags, Frame, FrameHead, Options, Relay, StreamRelay};
use prost::Message;
use rr_proto::http::v1::Response;

/// The body every benchmarked worker answers with.
pub(crate) const HELLO: &[u8] = b"Hello RoadRunner!";

/// A worker process on the other end of two pipes.
pub(crate) struct Worker {
    child: Child,
    relay: StreamRelay<ChildStdout, ChildStdin>,
    /// From spawning the process to reading its pid reply.
    pub(crate) start_to_ready: Duration,
}

impl Worker {
    /// Starts `command` (split on whitespace) without waiting for it.
    pub(crate) fn spawn(command: &str) -> Result<(Child, Instant), String> {
        let mut words = command.split_whitespace();
        let program = words.next().ok_or("empty worker command")?;
        let started = Instant::now();
        let child = Command::new(program)
            .args(words)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {program}: {e}"))?;
        Ok((child, started))
    }

    /// Sends the pid request to a started process (rr does so right after spawning it).
    pub(crate) fn ask_pid(
        mut child: Child,
    ) -> Result<(Child, StreamRelay<ChildStdout, ChildStdin>), String> {
        let stdin = child.stdin.take().ok_or("no stdin pipe")?;
        let stdout = child.stdout.take().ok_or("no stdout pipe")?;
        let mut relay = StreamRelay::new(stdout, stdin);
        let ask = format!("{{\"pid\":{}}}", std::process::id());
        relay
            .send(
                &FrameHead::new(Flags::CONTROL | Flags::CODEC_JSON),
                &[ask.as_bytes()],
            )
            .map_err(|e| format!("pid request: {e}"))?;
        Ok((child, relay))
    }

    /// Reads the pid reply and checks it names the process.
    pub(crate) fn ready(
        child: Child,
        mut relay: StreamRelay<ChildStdout, ChildStdin>,
        started: Instant,
    ) -> Result<Self, String> {
        let reply = relay.receive().map_err(|e| format!("pid reply: {e}"))?;
        let start_to_ready = started.elapsed();
        let want = format!("\"pid\":{}", child.id());
        let text = String::from_utf8_lossy(&reply.payload);
        if !reply.flags().contains(Flags::CONTROL) || !text.replace(' ', "").contains(&want) {
            return Err(format!(
                "bad pid reply {text:?} (flags {:?})",
                reply.flags()
            ));
        }
        Ok(Self {
            child,
            relay,
            start_to_ready,
        })
    }

    /// Starts `command` and completes the handshake.
    pub(crate) fn start(command: &str) -> Result<Self, String> {
        let (child, started) = Self::spawn(command)?;
        let (child, relay) = Self::ask_pid(child)?;
        Self::ready(child, relay, started)
    }

    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// One request and its checked response; returns how long the round trip took.
    pub(crate) fn round_trip(&mut self, request: &RequestFrame) -> Result<Duration, String> {
        let sent = Instant::now();
        self.relay
            .send(&request.head, &[&request.context])
            .map_err(|e| format!("send: {e}"))?;
        let frame = self.relay.receive().map_err(|e| format!("receive: {e}"))?;
        let took = sent.elapsed();
        check_response(&frame)?;
        Ok(took)
    }

    /// Asks the worker to stop, closes its pipes and waits for it (killing it after 5 s).
    pub(crate) fn stop(self) -> Result<(), String> {
        let Self {
            mut child,
            mut relay,
            ..
        } = self;
        let _ = relay.send(
            &FrameHead::new(Flags::CONTROL | Flags::CODEC_JSON),
            &[b"{\"stop\":true}"],
        );
        drop(relay);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = child.try_wait() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let _ = child.kill();
        let _ = child.wait();
        Err(format!(
            "worker {} did not exit within 5 s of the stop",
            child.id()
        ))
    }
}

/// The request every round trip sends: one protobuf context, no body.
pub(crate) struct RequestFrame {
    head: FrameHead,
    context: Bytes,
}

impl RequestFrame {
    pub(crate) fn new(context: Vec<u8>) -> Self {
        Self {
            head: FrameHead::new(Flags::CODEC_PROTO)
                .with_options(Options::one(context.len() as u32)),
            context: context.into(),
        }
    }

    /// Bytes on the wire: header, one option, the context.
    pub(crate) fn wire_len(&self) -> usize {
        12 + 4 + self.context.len()
    }
}

/// A response must be one protobuf frame: `200` and the hello body.
fn check_response(frame: &Frame) -> Result<(), String> {
    if frame.flags().contains(Flags::CONTROL) || !frame.stream().is_empty() {
        return Err(format!("unexpected frame flags {:?}", frame.flags()));
    }
    let context_len = frame.options().first().copied().unwrap_or(0) as usize;
    if frame.options().len() != 1 || context_len > frame.payload.len() {
        return Err(format!("bad options {:?}", frame.options()));
    }
    let (context, body) = frame.payload.split_at(context_len);
    let head = Response::decode(context).map_err(|e| format!("response context: {e}"))?;
    if head.status != 200 || body != HELLO {
        return Err(format!(
            "response {} with body {:?}",
            head.status,
            String::from_utf8_lossy(body)
        ));
    }
    Ok(())
}
