//! [`RpcClient`]: one connection to RoadRunner's RPC socket, calls in sequence.

use std::io;
use std::time::Duration;

use bytes::Bytes;

use super::RpcError;
use crate::relay::Dsn;
use crate::{AnyRelay, Flags, FrameHead, Options, Relay, RelayError};

/// Calls RoadRunner RPC methods over one connection.
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
#[derive(Debug)]
pub struct RpcClient<R = AnyRelay> {
    relay: R,
    seq: u32,
}

impl RpcClient<AnyRelay> {
    /// Connects to `dsn` (`tcp://host:port` or `unix://path`, e.g. the `RR_RPC` variable);
    /// each call waits at most `timeout` for its reply.
    ///
    /// # Errors
    ///
    /// [`RpcError::NotASocket`] for `pipes`; [`RpcError::Relay`] when the address is invalid
    /// or cannot be reached.
    pub fn connect(dsn: &str, timeout: Duration) -> Result<Self, RpcError> {
        let parsed = dsn.parse::<Dsn>()?;
        if parsed == Dsn::Pipes {
            return Err(RpcError::NotASocket(dsn.to_owned()));
        }
        let relay = AnyRelay::connect(&parsed)?;
        relay.set_timeout(Some(timeout)).map_err(RelayError::from)?;
        Ok(Self::new(relay))
    }
}

impl<R: Relay> RpcClient<R> {
    /// A client over an open relay.
    pub fn new(relay: R) -> Self {
        Self { relay, seq: 0 }
    }

    /// Calls `method` with an argument already encoded in `codec` (e.g. [`Flags::CODEC_JSON`],
    /// [`Flags::CODEC_PROTO`], [`Flags::CODEC_RAW`]) and returns the encoded reply.
    ///
    /// # Errors
    ///
    /// [`RpcError::Remote`] when the server reports an error; [`RpcError::Timeout`],
    /// [`RpcError::BadReply`] or [`RpcError::Relay`] when the exchange fails.
    pub fn call_raw(&mut self, method: &str, codec: Flags, arg: &[u8]) -> Result<Bytes, RpcError> {
        self.seq = self.seq.wrapping_add(1);
        let seq = self.seq;
        let method_len = u32::try_from(method.len()).map_err(|_| RpcError::BadReply {
            method: method.to_owned(),
            reason: "method name too long",
        })?;
        let options = Options::from_slice(&[seq, method_len]).map_err(RelayError::from)?;
        let head = FrameHead::new(codec).with_options(options);
        self.relay.send(&head, &[method.as_bytes(), arg])?;

        let frame = match self.relay.receive() {
            Ok(frame) => frame,
            Err(RelayError::Io(e)) if is_timeout(&e) => {
                return Err(RpcError::Timeout {
                    method: method.to_owned(),
                });
            }
            Err(e) => return Err(e.into()),
        };
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
