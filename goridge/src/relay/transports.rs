//! [`PipeRelay`], [`TcpRelay`], [`UnixRelay`]: the [`StreamRelay`]s over stdio and sockets,
//! and how each is opened.

use std::fs::File;
use std::io;
use std::net::TcpStream;
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Duration;

use super::StreamRelay;
use crate::RelayError;

/// Frames over stdin/stdout (RoadRunner's `pipes` relay).
pub type PipeRelay = StreamRelay<File, File>;
/// Frames over a TCP connection (`tcp://host:port`).
pub type TcpRelay = StreamRelay<TcpStream, TcpStream>;
/// Frames over a unix socket (`unix://path`).
pub type UnixRelay = StreamRelay<UnixStream, UnixStream>;

impl PipeRelay {
    /// The `pipes` relay: frames in on stdin, out on stdout.
    ///
    /// The relay reads from and writes to its own duplicates of descriptors 0 and 1, so the
    /// process may repoint those descriptors afterwards without touching the frame channel.
    /// That is worker policy and lives in `rr-worker` (its `Worker::connect` sends descriptor 1
    /// to stderr and descriptor 0 to `/dev/null`): this crate never changes process state.
    ///
    /// # Errors
    ///
    /// When a descriptor cannot be duplicated.
    ///
    /// # Example
    ///
    /// A worker started by rr with `relay: pipes` (it needs rr on the other end):
    ///
    /// ```no_run
    /// use goridge::{Flags, FrameHead, Relay, relay::PipeRelay};
    ///
    /// let mut relay = PipeRelay::stdio()?;
    /// let pid_request = relay.receive()?; // {"pid":…} from rr
    /// assert!(pid_request.flags().contains(Flags::CONTROL));
    /// let reply = format!(r#"{{"pid":{}}}"#, std::process::id());
    /// relay.send(&FrameHead::new(Flags::CONTROL), &[reply.as_bytes()])?;
    /// # Ok::<(), goridge::RelayError>(())
    /// ```
    pub fn stdio() -> Result<Self, RelayError> {
        let input = File::from(io::stdin().as_fd().try_clone_to_owned()?);
        let output = File::from(io::stdout().as_fd().try_clone_to_owned()?);
        Ok(Self::new(input, output))
    }
}

/// Connection attempts before giving up (the server may still be starting to listen).
const CONNECT_ATTEMPTS: u32 = 10;
const CONNECT_PAUSE: Duration = Duration::from_millis(50);

fn retry<T>(dsn: &str, mut connect: impl FnMut() -> io::Result<T>) -> Result<T, RelayError> {
    let mut attempt = 1;
    loop {
        match connect() {
            Ok(v) => return Ok(v),
            Err(source) if attempt >= CONNECT_ATTEMPTS => {
                return Err(RelayError::Connect {
                    dsn: dsn.to_owned(),
                    source,
                });
            }
            Err(_) => {
                attempt += 1;
                std::thread::sleep(CONNECT_PAUSE);
            }
        }
    }
}

impl TcpRelay {
    /// Connects to `addr` (`host:port`), retrying briefly; disables Nagle's algorithm.
    ///
    /// # Errors
    ///
    /// [`RelayError::Connect`] when every attempt failed.
    ///
    /// # Example
    ///
    /// ```
    /// use goridge::{Flags, FrameHead, Relay, relay::TcpRelay};
    ///
    /// # let rr = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// # let addr = rr.local_addr()?.to_string();
    /// // `addr` is rr's `server.relay` without `tcp://`, e.g. "127.0.0.1:7000".
    /// let mut relay = TcpRelay::connect(&addr)?;
    /// relay.send(&FrameHead::new(Flags::CODEC_RAW), &[b"hi"])?;
    /// # let (socket, _) = rr.accept()?;
    /// # let mut rr = TcpRelay::new(socket.try_clone()?, socket);
    /// assert_eq!(&rr.receive()?.payload[..], b"hi");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn connect(addr: &str) -> Result<Self, RelayError> {
        let stream = retry(addr, || TcpStream::connect(addr))?;
        stream.set_nodelay(true)?;
        Ok(Self::new(stream.try_clone()?, stream))
    }
}

impl TcpRelay {
    /// Limits how long a receive or send may block (`None`: forever). A receive that times out
    /// fails with an I/O error of kind `WouldBlock` or `TimedOut`.
    ///
    /// # Errors
    ///
    /// When the socket refuses the option.
    ///
    /// # Example
    ///
    /// ```
    /// use std::time::Duration;
    /// use goridge::{Relay, RelayError, relay::TcpRelay};
    ///
    /// # let rr = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// # let addr = rr.local_addr()?.to_string();
    /// let mut relay = TcpRelay::connect(&addr)?;
    /// relay.set_timeout(Some(Duration::from_millis(20)))?;
    /// // Nothing arrives: the receive fails instead of waiting forever.
    /// let Err(RelayError::Io(e)) = relay.receive() else { panic!("expected a timeout") };
    /// assert!(matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        self.reader.get_ref().set_read_timeout(timeout)?;
        self.writer.set_write_timeout(timeout)
    }
}

impl UnixRelay {
    /// Limits how long a receive or send may block (`None`: forever).
    ///
    /// # Errors
    ///
    /// When the socket refuses the option.
    ///
    /// # Example
    ///
    /// ```
    /// use std::os::unix::net::UnixStream;
    /// use std::time::Duration;
    /// use goridge::{Relay, RelayError, relay::UnixRelay};
    ///
    /// let (socket, _rr) = UnixStream::pair()?;
    /// let mut relay = UnixRelay::new(socket.try_clone()?, socket);
    /// relay.set_timeout(Some(Duration::from_millis(20)))?;
    /// // Nothing arrives: the receive fails instead of waiting forever.
    /// let Err(RelayError::Io(e)) = relay.receive() else { panic!("expected a timeout") };
    /// assert!(matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        self.reader.get_ref().set_read_timeout(timeout)?;
        self.writer.set_write_timeout(timeout)
    }
}

impl UnixRelay {
    /// Connects to the unix socket at `path`, retrying briefly.
    ///
    /// # Errors
    ///
    /// [`RelayError::Connect`] when every attempt failed.
    ///
    /// # Example
    ///
    /// ```
    /// use goridge::{Flags, FrameHead, Relay, relay::UnixRelay};
    ///
    /// # let dir = std::env::temp_dir().join(format!("goridge-doc-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir)?;
    /// # let path = dir.join("rr.sock");
    /// # let rr = std::os::unix::net::UnixListener::bind(&path)?;
    /// // `path` is rr's `server.relay` without `unix://`, e.g. "/run/rr/rr.sock".
    /// let mut relay = UnixRelay::connect(&path)?;
    /// relay.send(&FrameHead::new(Flags::CODEC_RAW), &[b"hi"])?;
    /// # let (socket, _) = rr.accept()?;
    /// # let mut rr = UnixRelay::new(socket.try_clone()?, socket);
    /// assert_eq!(&rr.receive()?.payload[..], b"hi");
    /// # std::fs::remove_dir_all(&dir)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn connect(path: impl AsRef<Path>) -> Result<Self, RelayError> {
        let path = path.as_ref();
        let stream = retry(&path.display().to_string(), || UnixStream::connect(path))?;
        Ok(Self::new(stream.try_clone()?, stream))
    }
}
