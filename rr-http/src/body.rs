//! [`Body`]: request and response bodies, complete or streamed.

use std::fmt;
use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Arc, Mutex};

use bytes::{Bytes, BytesMut};

#[cfg(feature = "tower")]
mod polled;
mod sender;

pub use self::sender::{BodySender, ClientGone};

/// A boxed error of a body producer.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A body: complete bytes, or a stream of chunks produced while the response is sent.
///
/// Requests always carry complete bytes ([`Body::as_bytes`]). A response body is one of:
///
/// * complete bytes: `Body::from("text")`, `Body::from(vec)`, `Body::from(bytes)` — sent in one frame;
/// * an iterator of chunks: [`Body::chunks`], [`Body::try_chunks`];
/// * a reader, e.g. a file: [`Body::reader`], read one chunk at a time;
/// * a channel another thread writes into: [`Body::channel`].
///
/// Streamed bodies are sent as they are produced, so memory stays at about one chunk, and the
/// producer learns when the client has gone (see [`BodySender::send`]).
pub struct Body {
    kind: Kind,
}

pub(crate) enum Kind {
    Full(Bytes),
    Chunks(Box<dyn Iterator<Item = Result<Bytes, BoxError>> + Send>),
    Reader(ReaderBody),
    Channel(ChannelReceiver),
}

/// A reader and the one buffer its chunks are split off: once a chunk is sent and dropped, the
/// next read reuses the same memory.
pub(crate) struct ReaderBody {
    reader: Box<dyn Read + Send>,
    buf: BytesMut,
}

impl ReaderBody {
    /// Reads at most `size` bytes and splits them off as a chunk (`None` at the end),
    /// retrying interrupted reads.
    pub(crate) fn read_chunk(&mut self, size: usize) -> std::io::Result<Option<Bytes>> {
        self.buf.clear();
        self.buf.resize(size, 0);
        loop {
            match self.reader.read(&mut self.buf) {
                Ok(0) => return Ok(None),
                Ok(n) => return Ok(Some(self.buf.split_to(n).freeze())),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
}

/// The body's end of a channel; marks the channel closed when dropped, so producers can check
/// [`BodySender::is_closed`] without sending.
pub(crate) struct ChannelReceiver {
    pub(crate) rx: Receiver<Result<Bytes, BoxError>>,
    pub(crate) shared: Arc<ChannelState>,
}

/// What both ends of a channel body share.
#[derive(Debug, Default)]
pub(crate) struct ChannelState {
    /// The body end is gone.
    closed: AtomicBool,
    /// The task polling the body, woken by the next send (the body as an `http_body::Body`).
    pub(crate) waker: Mutex<Option<std::task::Waker>>,
}

impl ChannelState {
    fn wake(&self) {
        let waker = self.waker.lock().ok().and_then(|mut w| w.take());
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl Drop for ChannelReceiver {
    fn drop(&mut self) {
        self.shared.closed.store(true, Ordering::Release);
    }
}

impl Body {
    /// An empty body.
    ///
    /// # Example
    ///
    /// ```
    /// let body = rr_http::Body::empty();
    /// assert!(!body.is_stream());
    /// assert_eq!(body.as_bytes().map(|b| b.len()), Some(0));
    /// ```
    pub const fn empty() -> Self {
        Self {
            kind: Kind::Full(Bytes::new()),
        }
    }

    /// A body streamed from an iterator of chunks; each chunk is sent as soon as it is produced
    /// (cut to the configured chunk size if larger).
    ///
    /// ```
    /// use rr_http::Body;
    ///
    /// let body = Body::chunks((1..=3).map(|i| format!("line {i}\n")));
    /// assert_eq!(body.collect()?, "line 1\nline 2\nline 3\n");
    /// # Ok::<(), rr_http::BoxError>(())
    /// ```
    pub fn chunks<I>(chunks: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Bytes> + 'static,
        I::IntoIter: Send + 'static,
    {
        Self::try_chunks(chunks.into_iter().map(Ok::<_, std::convert::Infallible>))
    }

    /// A body streamed from an iterator of fallible chunks. An `Err` ends the response early
    /// (the client sees a truncated body) and is logged to stderr.
    ///
    /// # Example
    ///
    /// ```
    /// use rr_http::Body;
    ///
    /// let rows = vec![Ok("row 1\n"), Err("the database went away"), Ok("row 2\n")];
    /// let body = Body::try_chunks(rows);
    /// assert!(body.is_stream());
    /// // The producer's error ends the body; `row 2` is never produced.
    /// assert_eq!(body.collect().unwrap_err().to_string(), "the database went away");
    /// ```
    pub fn try_chunks<I, T, E>(chunks: I) -> Self
    where
        I: IntoIterator<Item = Result<T, E>>,
        I::IntoIter: Send + 'static,
        T: Into<Bytes> + 'static,
        E: Into<BoxError> + 'static,
    {
        Self {
            kind: Kind::Chunks(Box::new(
                chunks
                    .into_iter()
                    .map(|r| r.map(Into::into).map_err(Into::into)),
            )),
        }
    }

    /// A body streamed from a reader (a file, a pipe), one chunk per read.
    ///
    /// ```
    /// use rr_http::Body;
    ///
    /// let body = Body::reader(std::io::Cursor::new(vec![b'x'; 100_000]));
    /// assert_eq!(body.collect()?.len(), 100_000);
    /// # Ok::<(), rr_http::BoxError>(())
    /// ```
    pub fn reader(reader: impl Read + Send + 'static) -> Self {
        Self {
            kind: Kind::Reader(ReaderBody {
                reader: Box::new(reader),
                buf: BytesMut::new(),
            }),
        }
    }

    /// A body fed by another thread through the returned [`BodySender`]; the body ends when
    /// every sender is dropped. The channel holds four chunks, so a fast producer waits for
    /// the client instead of filling memory (memory is about four of the producer's chunks).
    ///
    /// ```
    /// use rr_http::Body;
    ///
    /// let (tx, body) = Body::channel();
    /// std::thread::spawn(move || {
    ///     for i in 0..3 {
    ///         if tx.send(format!("data: {i}\n\n")).is_err() {
    ///             return; // the client went away
    ///         }
    ///     }
    /// });
    /// assert_eq!(body.collect()?, "data: 0\n\ndata: 1\n\ndata: 2\n\n");
    /// # Ok::<(), rr_http::BoxError>(())
    /// ```
    pub fn channel() -> (BodySender, Self) {
        const DEPTH: usize = 4;
        let (tx, rx) = sync_channel(DEPTH);
        let shared = Arc::new(ChannelState::default());
        (
            BodySender {
                tx,
                shared: Arc::clone(&shared),
            },
            Self {
                kind: Kind::Channel(ChannelReceiver { rx, shared }),
            },
        )
    }

    /// The bytes of a complete body; `None` for a streamed one. Request bodies are always complete.
    ///
    /// # Example
    ///
    /// ```
    /// use rr_http::Body;
    ///
    /// let body = Body::from("hello");
    /// assert_eq!(body.as_bytes().map(|b| &b[..]), Some(&b"hello"[..]));
    /// assert!(Body::chunks(["a", "b"]).as_bytes().is_none());
    /// ```
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match &self.kind {
            Kind::Full(bytes) => Some(bytes),
            _ => None,
        }
    }

    /// `true` for a streamed body.
    ///
    /// # Example
    ///
    /// ```
    /// use rr_http::Body;
    ///
    /// assert!(!Body::from(vec![1, 2, 3]).is_stream());
    /// assert!(Body::reader(std::io::empty()).is_stream());
    /// ```
    pub fn is_stream(&self) -> bool {
        !matches!(self.kind, Kind::Full(_))
    }

    /// Reads the whole body into memory.
    ///
    /// # Errors
    ///
    /// The first error of a streamed body's producer.
    ///
    /// # Example
    ///
    /// ```
    /// use rr_http::Body;
    ///
    /// assert_eq!(Body::from("complete").collect()?, "complete");
    /// assert_eq!(Body::chunks(["one, ", "two"]).collect()?, "one, two");
    /// # Ok::<(), rr_http::BoxError>(())
    /// ```
    pub fn collect(self) -> Result<Bytes, BoxError> {
        match self.kind {
            Kind::Full(bytes) => Ok(bytes),
            Kind::Chunks(iter) => concat(iter),
            Kind::Reader(mut body) => {
                let mut out = Vec::new();
                body.reader.read_to_end(&mut out)?;
                Ok(out.into())
            }
            Kind::Channel(channel) => concat(channel.rx.iter()),
        }
    }

    pub(crate) fn into_kind(self) -> Kind {
        self.kind
    }
}

/// Joins chunks into one, stopping at the first error.
fn concat(chunks: impl Iterator<Item = Result<Bytes, BoxError>>) -> Result<Bytes, BoxError> {
    let mut out = BytesMut::new();
    for chunk in chunks {
        out.extend_from_slice(&chunk?);
    }
    Ok(out.freeze())
}

impl Default for Body {
    fn default() -> Self {
        Self::empty()
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Full(bytes) => f.debug_tuple("Body").field(bytes).finish(),
            Kind::Chunks(_) => f.write_str("Body(<chunks>)"),
            Kind::Reader(_) => f.write_str("Body(<reader>)"),
            Kind::Channel(_) => f.write_str("Body(<channel>)"),
        }
    }
}

macro_rules! from_full {
    ($($t:ty),*) => {$(
        impl From<$t> for Body {
            fn from(value: $t) -> Self {
                Self { kind: Kind::Full(Bytes::from(value)) }
            }
        }
    )*};
}

from_full!(Bytes, Vec<u8>, String, &'static str, &'static [u8]);

impl From<()> for Body {
    fn from((): ()) -> Self {
        Self::empty()
    }
}
