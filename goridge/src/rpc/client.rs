//! [`RpcClient`]: one connection to RoadRunner's RPC socket, calls in sequence; a connection
//! left out of step by a failed call is dropped and reopened for the next call.

use std::fmt;
use std::io;
use std::time::Duration;

use bytes::Bytes;

use super::RpcError;
use crate::relay::Dsn;
use crate::{AnyRelay, Flags, Frame, FrameHead, Options, Relay, RelayError};

/// Opens a fresh connection for a client whose last one was dropped.
type Reconnect<R> = Box<dyn FnMut() -> Result<R, RelayError> + Send + Sync>;

/// Calls RoadRunner RPC methods over one connection.
///
/// A call that fails in a way that can leave bytes of its reply on the connection (a timeout,
/// a reply cut short, a reply that is not the call's, any I/O error) drops the connection, so
/// that a late reply is never read as the next call's. The next call opens a new connection
/// when the client knows how ([`connect`](Self::connect), [`with_reconnect`](Self::with_reconnect));
/// a client made by [`new`](Self::new) answers [`RpcError::NotConnected`] instead. A failed
/// call is never repeated by the client: the server may have carried it out.
///
/// ```no_run
/// use goridge::{Flags, RpcClient};
/// use std::time::Duration;
///
/// let mut rpc = RpcClient::connect("tcp://127.0.0.1:6001", Duration::from_secs(5))?;
/// let reply = rpc.call_raw("rpc.Version", Flags::CODEC_JSON, b"true")?;
/// eprintln!("rr {}", String::from_utf8_lossy(&reply));
/// # Ok::<(), goridge::RpcError>(())
/// ```
pub struct RpcClient<R = AnyRelay> {
    /// The open connection; `None` after a failed call dropped it.
    relay: Option<R>,
    seq: u32,
    reconnect: Option<Reconnect<R>>,
}

impl<R: fmt::Debug> fmt::Debug for RpcClient<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RpcClient")
            .field("relay", &self.relay)
            .field("seq", &self.seq)
            .field("reconnects", &self.reconnect.is_some())
            .finish()
    }
}

impl RpcClient<AnyRelay> {
    /// Connects to `dsn` (`tcp://host:port` or `unix://path`, e.g. the `RR_RPC` variable).
    /// Each call waits at most `timeout` for its reply to start, and at most `timeout` more for
    /// the rest of it. After a failed call the next one connects again to `dsn`.
    ///
    /// # Errors
    ///
    /// [`RpcError::NotASocket`] for `pipes`; [`RpcError::Relay`] when the address is invalid
    /// or cannot be reached.
    ///
    /// # Example
    ///
    /// ```
    /// use std::time::Duration;
    /// use goridge::{RpcClient, RpcError};
    ///
    /// # let rr = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// # let dsn = format!("tcp://{}", rr.local_addr()?);
    /// // `dsn` is rr's `rpc.listen` (workers find it in `RR_RPC`), e.g. "tcp://127.0.0.1:6001".
    /// let rpc = RpcClient::connect(&dsn, Duration::from_secs(5))?;
    /// assert!(rpc.is_connected());
    ///
    /// let pipes = RpcClient::connect("pipes", Duration::from_secs(5));
    /// assert!(matches!(pipes, Err(RpcError::NotASocket(_))));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn connect(dsn: &str, timeout: Duration) -> Result<Self, RpcError> {
        let parsed = dsn.parse::<Dsn>()?;
        if parsed == Dsn::Pipes {
            return Err(RpcError::NotASocket(dsn.to_owned()));
        }
        Self::with_reconnect(move || {
            let mut relay = AnyRelay::connect(&parsed)?;
            relay.set_timeout(Some(timeout))?;
            relay.set_frame_timeout(Some(timeout));
            Ok(relay)
        })
    }
}

impl<R: Relay> RpcClient<R> {
    /// A client over an open relay. It cannot reconnect: after a call that dropped the
    /// connection every call fails with [`RpcError::NotConnected`].
    ///
    /// ```
    /// use goridge::{MemoryRelay, RpcClient};
    ///
    /// let (relay, _server) = MemoryRelay::pair();
    /// let rpc = RpcClient::new(relay);
    /// assert!(rpc.is_connected());
    /// ```
    pub fn new(relay: R) -> Self {
        Self {
            relay: Some(relay),
            seq: 0,
            reconnect: None,
        }
    }

    /// A client that opens its connection with `connect`, now and again after every call that
    /// dropped the connection. `connect` also sets the relay's timeouts, if any.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use goridge::relay::TcpRelay;
    ///
    /// let mut rpc = goridge::RpcClient::with_reconnect(|| {
    ///     let relay = TcpRelay::connect("127.0.0.1:6001")?;
    ///     relay.set_timeout(Some(Duration::from_secs(5)))?;
    ///     Ok(relay)
    /// })?;
    /// rpc.call_raw("rpc.Version", goridge::Flags::CODEC_JSON, b"true")?;
    /// # Ok::<(), goridge::RpcError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`RpcError::Relay`] when the first connection cannot be opened.
    pub fn with_reconnect(
        mut connect: impl FnMut() -> Result<R, RelayError> + Send + Sync + 'static,
    ) -> Result<Self, RpcError> {
        let relay = connect()?;
        Ok(Self {
            relay: Some(relay),
            seq: 0,
            reconnect: Some(Box::new(connect)),
        })
    }

    /// `false` once a failed call dropped the connection and no new one was opened yet.
    ///
    /// ```
    /// let (relay, _server) = goridge::MemoryRelay::pair();
    /// assert!(goridge::RpcClient::new(relay).is_connected());
    /// ```
    pub fn is_connected(&self) -> bool {
        self.relay.is_some()
    }

    /// Calls `method` with an argument already encoded in `codec` (e.g. [`Flags::CODEC_JSON`],
    /// [`Flags::CODEC_PROTO`], [`Flags::CODEC_RAW`]) and returns the encoded reply.
    ///
    /// ```no_run
    /// # use std::time::Duration;
    /// let mut rpc = goridge::RpcClient::connect("tcp://127.0.0.1:6001", Duration::from_secs(5))?;
    /// let reply = rpc.call_raw("rpc.Version", goridge::Flags::CODEC_JSON, b"true")?;
    /// assert!(reply.starts_with(b"\""));
    /// # Ok::<(), goridge::RpcError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`RpcError::Remote`] when the server reports an error (the connection stays open);
    /// [`RpcError::Timeout`], [`RpcError::BadReply`] or [`RpcError::Relay`] when the exchange
    /// fails (the connection is dropped); [`RpcError::NotConnected`] when an earlier failure
    /// dropped it and this client cannot open a new one.
    pub fn call_raw(&mut self, method: &str, codec: Flags, arg: &[u8]) -> Result<Bytes, RpcError> {
        let method_len = u32::try_from(method.len()).map_err(|_| RpcError::BadReply {
            method: method.to_owned(),
            reason: "method name too long",
        })?;
        let relay = match (&mut self.relay, &mut self.reconnect) {
            (Some(relay), _) => relay,
            (slot @ None, Some(connect)) => slot.insert(connect()?),
            (None, None) => {
                return Err(RpcError::NotConnected {
                    method: method.to_owned(),
                });
            }
        };
        self.seq = self.seq.wrapping_add(1);
        match exchange(relay, self.seq, method, method_len, codec, arg) {
            Ok(body) => Ok(body),
            Err(Failure::InStep(e)) => Err(e),
            Err(Failure::OutOfStep(e)) => {
                self.relay = None;
                Err(e)
            }
        }
    }

    /// Calls `method` with a JSON argument and decodes the JSON reply.
    ///
    /// ```no_run
    /// # use std::time::Duration;
    /// let mut rpc = goridge::RpcClient::connect("tcp://127.0.0.1:6001", Duration::from_secs(5))?;
    /// let reset: bool = rpc.call_json("resetter.Reset", &"http")?;
    /// # Ok::<(), goridge::RpcError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`call_raw`](Self::call_raw), plus [`RpcError::Json`].
    #[cfg(feature = "json")]
    #[cfg_attr(docsrs, doc(cfg(feature = "json")))]
    pub fn call_json<A, T>(&mut self, method: &str, arg: &A) -> Result<T, RpcError>
    where
        A: serde::Serialize + ?Sized,
        T: serde::de::DeserializeOwned,
    {
        let json = |source| RpcError::Json {
            method: method.to_owned(),
            source,
        };
        let arg = serde_json::to_vec(arg).map_err(json)?;
        let reply = self.call_raw(method, Flags::CODEC_JSON, &arg)?;
        serde_json::from_slice(&reply).map_err(json)
    }
}

/// How a call failed, and whether the connection can carry the next one.
enum Failure {
    /// Nothing of this call is left on the connection.
    InStep(RpcError),
    /// Bytes of this call (its request or its reply) may still be on the connection.
    OutOfStep(RpcError),
}

/// One request and its reply.
fn exchange<R: Relay>(
    relay: &mut R,
    seq: u32,
    method: &str,
    method_len: u32,
    codec: Flags,
    arg: &[u8],
) -> Result<Bytes, Failure> {
    let options = Options::from_slice(&[seq, method_len])
        .map_err(|e| Failure::InStep(RelayError::from(e).into()))?;
    let head = FrameHead::new(codec).with_options(options);
    match relay.send(&head, &[method.as_bytes(), arg]) {
        Ok(()) => {}
        // Refused before anything was written (the argument does not fit a frame).
        Err(e @ RelayError::Frame(_)) => return Err(Failure::InStep(e.into())),
        Err(e) => return Err(Failure::OutOfStep(e.into())),
    }
    let frame = relay.receive().map_err(|e| {
        Failure::OutOfStep(match e {
            RelayError::Io(e) if is_timeout(&e) => RpcError::Timeout {
                method: method.to_owned(),
            },
            RelayError::Stalled { .. } => RpcError::Timeout {
                method: method.to_owned(),
            },
            e => e.into(),
        })
    })?;
    match read_reply(frame, seq, method) {
        Ok(body) => Ok(body),
        Err(e @ RpcError::Remote { .. }) => Err(Failure::InStep(e)),
        Err(e) => Err(Failure::OutOfStep(e)),
    }
}

/// Checks that `frame` answers call `seq` and takes its body (or its error text).
fn read_reply(frame: Frame, seq: u32, method: &str) -> Result<Bytes, RpcError> {
    let bad = |reason| RpcError::BadReply {
        method: method.to_owned(),
        reason,
    };
    let [reply_seq, reply_method_len] = frame.options() else {
        return Err(bad("a reply carries exactly two options"));
    };
    if *reply_seq != seq {
        return Err(bad("the reply's sequence number is not the call's"));
    }
    let skip = *reply_method_len as usize;
    if skip > frame.payload.len() {
        return Err(bad("the method length exceeds the payload"));
    }
    let body = frame.payload.slice(skip..);
    if frame.flags().contains(Flags::ERROR) {
        return Err(RpcError::Remote {
            method: method.to_owned(),
            message: String::from_utf8_lossy(&body).into_owned(),
        });
    }
    Ok(body)
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MemoryRelay;

    fn reply(server: &mut MemoryRelay, flags: Flags, options: &[u32], payload: &[u8]) {
        let head = FrameHead::new(flags).with_options(Options::from_slice(options).unwrap());
        server.send(&head, &[payload]).unwrap();
    }

    #[test]
    fn request_is_vector_v13_and_reply_body_follows_the_method() {
        let (relay, mut server) = MemoryRelay::pair();
        reply(
            &mut server,
            Flags::CODEC_JSON,
            &[1, 16],
            b"informer.Workers{\"workers\":[]}",
        );
        let mut rpc = RpcClient::new(relay);
        let body = rpc
            .call_raw("informer.Workers", Flags::CODEC_JSON, b"\"http\"")
            .unwrap();
        assert_eq!(&body[..], b"{\"workers\":[]}");
        let sent = server.receive().unwrap().to_bytes().unwrap();
        let mut v13 = vec![
            0x15, 0x08, 0x16, 0, 0, 0, 0x09, 0x71, 0xdb, 0xa7, 0, 0, 1, 0, 0, 0, 0x10, 0, 0, 0,
        ];
        v13.extend_from_slice(b"informer.Workers\"http\"");
        assert_eq!(sent, v13);
    }

    #[test]
    fn error_reply_is_a_remote_error() {
        let (relay, mut server) = MemoryRelay::pair();
        // Vector V14: error text "boom" after the method name.
        reply(
            &mut server,
            Flags::CODEC_JSON | Flags::ERROR,
            &[1, 16],
            b"informer.Workersboom",
        );
        let err = RpcClient::new(relay)
            .call_raw("informer.Workers", Flags::CODEC_JSON, b"")
            .unwrap_err();
        assert!(matches!(err, RpcError::Remote { message, .. } if message == "boom"));
    }

    #[test]
    fn mismatched_replies_are_refused() {
        for (options, payload) in [
            (&[2u32, 1][..], &b"x"[..]),
            (&[1], b"x"),
            (&[1, 9], b"short"),
        ] {
            let (relay, mut server) = MemoryRelay::pair();
            reply(&mut server, Flags::CODEC_JSON, options, payload);
            let err = RpcClient::new(relay)
                .call_raw("m", Flags::CODEC_JSON, b"")
                .unwrap_err();
            assert!(
                matches!(err, RpcError::BadReply { .. }),
                "{options:?}: {err}"
            );
        }
    }

    #[test]
    fn pipes_are_not_an_rpc_address() {
        assert!(matches!(
            RpcClient::connect("pipes", Duration::from_secs(1)),
            Err(RpcError::NotASocket(_))
        ));
    }
}
