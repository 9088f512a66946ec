//! [`ScriptedServer`]: the server end of an in-memory relay, playing RoadRunner's part for
//! worker-side tests: queue the frames rr would send, run the worker, read what it answered.

use goridge::{Flags, Frame, FrameHead, MemoryRelay, Options, Relay, RelayError, StreamFlags};

/// RoadRunner's side of a [`MemoryRelay`] pair.
///
/// Everything queued before the worker runs is read by the worker in order; a worker thread
/// can also be fed while it runs. The scripting methods panic on a closed relay (in a test
/// that is a bug); as a [`Relay`] it sends any frame and receives what the worker sent.
///
/// # Example
///
/// ```
/// use goridge::{Flags, Relay};
/// use rr_testkit::ScriptedServer;
///
/// let (mut worker, mut rr) = ScriptedServer::pair();
/// rr.request(Flags::CODEC_RAW, b"ctx", b"body").stop();
/// let frame = worker.receive()?;
/// assert_eq!((frame.options(), &frame.payload[..]), (&[3][..], &b"ctxbody"[..]));
/// assert!(worker.receive()?.flags().contains(Flags::CONTROL));
/// # Ok::<(), goridge::RelayError>(())
/// ```
#[derive(Debug)]
pub struct ScriptedServer {
    relay: MemoryRelay,
}

impl ScriptedServer {
    /// The worker's relay and the scripted server on the other end.
    ///
    /// # Example
    ///
    /// ```
    /// let (_worker_relay, _rr) = rr_testkit::ScriptedServer::pair();
    /// ```
    pub fn pair() -> (MemoryRelay, Self) {
        let (worker, server) = MemoryRelay::pair();
        (worker, Self { relay: server })
    }

    fn push(&mut self, head: &FrameHead, parts: &[&[u8]]) -> &mut Self {
        self.relay
            .send(head, parts)
            .expect("the worker's end of the relay is gone");
        self
    }

    /// A request frame: `flags`, one option (the context length), context ‖ body.
    ///
    /// # Example
    ///
    /// ```
    /// # use goridge::Relay;
    /// let (mut worker, mut rr) = rr_testkit::ScriptedServer::pair();
    /// rr.request(goridge::Flags::CODEC_PROTO, b"", b"x");
    /// assert_eq!(worker.receive().unwrap().options(), [0]);
    /// ```
    pub fn request(&mut self, flags: Flags, context: &[u8], body: &[u8]) -> &mut Self {
        let len = u32::try_from(context.len()).expect("a context under 4 GiB");
        self.push(
            &FrameHead::new(flags).with_options(Options::one(len)),
            &[context, body],
        )
    }

    /// A CONTROL frame (flags CONTROL | JSON, as rr sends them) carrying `json`.
    ///
    /// # Example
    ///
    /// ```
    /// # use goridge::Relay;
    /// let (mut worker, mut rr) = rr_testkit::ScriptedServer::pair();
    /// rr.control(r#"{"pid":1000}"#);
    /// assert_eq!(worker.receive().unwrap().flags().bits(), 0x09);
    /// ```
    pub fn control(&mut self, json: &str) -> &mut Self {
        self.push(
            &FrameHead::new(Flags::CONTROL | Flags::CODEC_JSON),
            &[json.as_bytes()],
        )
    }

    /// rr's pid request, `{"pid":N}` with rr's pid `N`.
    ///
    /// # Example
    ///
    /// ```
    /// # use goridge::Relay;
    /// let (mut worker, mut rr) = rr_testkit::ScriptedServer::pair();
    /// rr.pid_request(1000);
    /// assert_eq!(&worker.receive().unwrap().payload[..], br#"{"pid":1000}"#);
    /// ```
    pub fn pid_request(&mut self, rr_pid: u32) -> &mut Self {
        self.control(&format!(r#"{{"pid":{rr_pid}}}"#))
    }

    /// rr's stop command, `{"stop":true}`.
    ///
    /// # Example
    ///
    /// ```
    /// # use goridge::Relay;
    /// let (mut worker, mut rr) = rr_testkit::ScriptedServer::pair();
    /// rr.stop();
    /// assert_eq!(&worker.receive().unwrap().payload[..], br#"{"stop":true}"#);
    /// ```
    pub fn stop(&mut self) -> &mut Self {
        self.control(r#"{"stop":true}"#)
    }

    /// A frame with only stream bits (STOP or PONG), flags 0, no options, empty payload.
    ///
    /// # Example
    ///
    /// ```
    /// # use goridge::Relay;
    /// let (mut worker, mut rr) = rr_testkit::ScriptedServer::pair();
    /// rr.stream_bits(goridge::StreamFlags::STOP);
    /// assert!(worker.receive().unwrap().stream().contains(goridge::StreamFlags::STOP));
    /// ```
    pub fn stream_bits(&mut self, bits: StreamFlags) -> &mut Self {
        self.push(&FrameHead::new(Flags::EMPTY).with_stream(bits), &[])
    }

    /// Raw bytes, e.g. a corrupt frame.
    ///
    /// # Example
    ///
    /// ```
    /// # use goridge::Relay;
    /// let (mut worker, mut rr) = rr_testkit::ScriptedServer::pair();
    /// rr.raw(vec![0u8; 12]);
    /// assert!(worker.receive().is_err());
    /// ```
    pub fn raw(&mut self, bytes: Vec<u8>) -> &mut Self {
        self.relay
            .send_raw(bytes)
            .expect("the worker's end of the relay is gone");
        self
    }

    /// Every frame the worker sent that is already there, without waiting.
    ///
    /// # Example
    ///
    /// ```
    /// # use goridge::{Flags, FrameHead, Relay};
    /// let (mut worker, mut rr) = rr_testkit::ScriptedServer::pair();
    /// worker.send(&FrameHead::new(Flags::ERROR), &[b"a"]).unwrap();
    /// worker.send(&FrameHead::new(Flags::ERROR), &[b"b"]).unwrap();
    /// assert_eq!(rr.sent().len(), 2);
    /// ```
    pub fn sent(&mut self) -> Vec<Frame> {
        let mut frames = Vec::new();
        while let Ok(Some(frame)) = self.relay.try_receive() {
            frames.push(frame);
        }
        frames
    }
}

impl Relay for ScriptedServer {
    fn send(&mut self, head: &FrameHead, parts: &[&[u8]]) -> Result<(), RelayError> {
        self.relay.send(head, parts)
    }

    fn receive(&mut self) -> Result<Frame, RelayError> {
        self.relay.receive()
    }

    fn try_receive(&mut self) -> Result<Option<Frame>, RelayError> {
        self.relay.try_receive()
    }
}
