//! [`AnyRelay`]: the relay chosen at run time from a [`Dsn`].

use std::io;
use std::time::Duration;

use super::{Dsn, PipeRelay, Relay, TcpRelay, UnixRelay};
use crate::{Frame, FrameHead, RelayError};

/// One of the three relay kinds RoadRunner offers, opened from a [`Dsn`].
#[derive(Debug)]
pub enum AnyRelay {
    /// stdin/stdout.
    Pipes(PipeRelay),
    /// TCP.
    Tcp(TcpRelay),
    /// Unix socket.
    Unix(UnixRelay),
}

macro_rules! each {
    ($self:ident, $r:ident => $e:expr) => {
        match $self {
            AnyRelay::Pipes($r) => $e,
            AnyRelay::Tcp($r) => $e,
            AnyRelay::Unix($r) => $e,
        }
    };
}

impl AnyRelay {
    /// Opens the relay `dsn` names.
    ///
    /// For pipes see [`PipeRelay::stdio`]: the relay works on its own duplicates of stdin and
    /// stdout. No mode changes the process's descriptors; keeping `println!` off the frame
    /// channel is the worker's job (`rr-worker` does it).
    ///
    /// # Errors
    ///
    /// [`RelayError::Connect`] when a socket cannot be reached.
    ///
    /// # Example
    ///
    /// ```
    /// use goridge::{AnyRelay, Dsn, Flags, FrameHead, Relay};
    ///
    /// # let rr = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// # let address = format!("tcp://{}", rr.local_addr()?);
    /// // `address` is rr's `server.relay`, e.g. "tcp://127.0.0.1:7000".
    /// let dsn: Dsn = address.parse()?;
    /// let mut relay = AnyRelay::connect(&dsn)?;
    /// assert!(matches!(relay, AnyRelay::Tcp(_)));
    /// relay.send(&FrameHead::new(Flags::CONTROL), &[br#"{"pid":4242}"#])?;
    /// # let (socket, _) = rr.accept()?;
    /// # let mut rr = goridge::StreamRelay::new(socket.try_clone()?, socket);
    /// assert_eq!(&rr.receive()?.payload[..], br#"{"pid":4242}"#);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn connect(dsn: &Dsn) -> Result<Self, RelayError> {
        Ok(match dsn {
            Dsn::Pipes => Self::Pipes(PipeRelay::stdio()?),
            Dsn::Tcp(addr) => Self::Tcp(TcpRelay::connect(addr)?),
            Dsn::Unix(path) => Self::Unix(UnixRelay::connect(path)?),
        })
    }

    /// Limits how long a receive or send over a socket may block (`None`: forever); see
    /// [`TcpRelay::set_timeout`] and [`UnixRelay::set_timeout`].
    ///
    /// # Errors
    ///
    /// An error of kind [`io::ErrorKind::Unsupported`] for pipes; otherwise when the socket
    /// refuses the option.
    ///
    /// # Example
    ///
    /// ```
    /// use std::time::Duration;
    /// use goridge::{AnyRelay, Dsn, Relay, RelayError};
    ///
    /// # let rr = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// # let dsn: Dsn = format!("tcp://{}", rr.local_addr()?).parse()?;
    /// let mut relay = AnyRelay::connect(&dsn)?;
    /// relay.set_timeout(Some(Duration::from_millis(20)))?;
    /// // The server sends nothing: the receive gives up instead of waiting forever.
    /// assert!(matches!(relay.receive(), Err(RelayError::Io(_))));
    ///
    /// let pipes = AnyRelay::connect(&Dsn::Pipes)?;
    /// let refused = pipes.set_timeout(None).unwrap_err();
    /// assert_eq!(refused.kind(), std::io::ErrorKind::Unsupported);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        match self {
            Self::Pipes(_) => Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "the pipes relay has no timeout",
            )),
            Self::Tcp(relay) => relay.set_timeout(timeout),
            Self::Unix(relay) => relay.set_timeout(timeout),
        }
    }

    /// Bounds the time a frame may take once it started; see
    /// [`StreamRelay::with_frame_timeout`](super::StreamRelay::with_frame_timeout). Works for
    /// every relay kind, pipes included.
    ///
    /// ```no_run
    /// let mut relay = goridge::AnyRelay::connect(&"tcp://127.0.0.1:7000".parse()?)?;
    /// relay.set_frame_timeout(Some(std::time::Duration::from_secs(10)));
    /// # Ok::<(), goridge::RelayError>(())
    /// ```
    pub fn set_frame_timeout(&mut self, timeout: Option<Duration>) {
        each!(self, r => r.set_frame_timeout(timeout));
    }
}

impl Relay for AnyRelay {
    fn send(&mut self, head: &FrameHead, parts: &[&[u8]]) -> Result<(), RelayError> {
        each!(self, r => r.send(head, parts))
    }
    fn receive(&mut self) -> Result<Frame, RelayError> {
        each!(self, r => r.receive())
    }
    fn try_receive(&mut self) -> Result<Option<Frame>, RelayError> {
        each!(self, r => r.try_receive())
    }
}
