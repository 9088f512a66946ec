//! [`Body`]: request and response bodies, complete or streamed.

use std::fmt;
use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use bytes::{Bytes, BytesMut};

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
    closed: Arc<AtomicBool>,
}

impl Drop for ChannelReceiver {
    fn drop(&mut self) {
        self.closed.store(true, Ordering::Release);
    }
}

impl Body {
    /// An empty body.
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
        let closed = Arc::new(AtomicBool::new(false));
        (
            BodySender {
                tx,
                closed: Arc::clone(&closed),
            },
            Self {
                kind: Kind::Channel(ChannelReceiver { rx, closed }),
            },
        )
    }

    /// The bytes of a complete body; `None` for a streamed one. Request bodies are always complete.
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match &self.kind {
            Kind::Full(bytes) => Some(bytes),
            _ => None,
        }
    }

    /// `true` for a streamed body.
    pub fn is_stream(&self) -> bool {
        !matches!(self.kind, Kind::Full(_))
    }

    /// Reads the whole body into memory.
    ///
    /// # Errors
    ///
    /// The first error of a streamed body's producer.
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

/// Feeds a [`Body::channel`] from another thread.
#[derive(Debug, Clone)]
pub struct BodySender {
    tx: SyncSender<Result<Bytes, BoxError>>,
    closed: Arc<AtomicBool>,
}

/// The client of a streamed response went away (or the response ended); stop producing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the client is gone: the response stream was stopped")]
pub struct ClientGone;

impl BodySender {
    /// Sends one chunk, waiting while the channel is full.
    ///
    /// # Errors
    ///
    /// [`ClientGone`] once the response stream has stopped, e.g. because the client disconnected.
    pub fn send(&self, chunk: impl Into<Bytes>) -> Result<(), ClientGone> {
        self.tx.send(Ok(chunk.into())).map_err(|_| ClientGone)
    }

    /// Ends the response early because the producer failed: the error is logged, and the
    /// client gets what was sent so far (or the internal error status if nothing was).
    ///
    /// # Errors
    ///
    /// [`ClientGone`] when the response had stopped already.
    pub fn abort(self, error: impl Into<BoxError>) -> Result<(), ClientGone> {
        self.tx.send(Err(error.into())).map_err(|_| ClientGone)
    }

    /// `true` once the response stream has stopped (the client left, or the response ended):
    /// a producer that sleeps between events can check this instead of sending.
    ///
    /// ```
    /// let (tx, body) = rr_http::Body::channel();
    /// assert!(!tx.is_closed());
    /// drop(body);
    /// assert!(tx.is_closed());
    /// assert_eq!(tx.send("late"), Err(rr_http::ClientGone));
    /// ```
    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }
}

#[cfg(feature = "tower")]
#[cfg_attr(docsrs, doc(cfg(feature = "tower")))]
impl http_body::Body for Body {
    type Data = Bytes;
    type Error = BoxError;

    /// A complete body (every request body) is handed out in one frame, at once. A channel
    /// body never blocks: without a chunk waiting it asks to be polled again (the channel
    /// cannot wake a task, so a task polling it spins until the producer sends). An iterator
    /// or reader body runs its producer inline, which blocks if the producer does (each read
    /// reuses one buffer). [`serve_service`](crate::serve_service) and
    /// [`serve_fn`](crate::serve_fn) never poll a streamed `Body`: they send it the way
    /// [`serve`](crate::serve) does, outside the runtime.
    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, BoxError>>> {
        use std::sync::mpsc::TryRecvError;
        use std::task::Poll;
        let next = match &mut self.kind {
            Kind::Full(bytes) if bytes.is_empty() => None,
            Kind::Full(bytes) => Some(Ok(std::mem::take(bytes))),
            Kind::Chunks(iter) => iter.next(),
            Kind::Reader(body) => body
                .read_chunk(crate::DEFAULT_CHUNK_SIZE)
                .map_err(BoxError::from)
                .transpose(),
            Kind::Channel(channel) => match channel.rx.try_recv() {
                Ok(chunk) => Some(chunk),
                Err(TryRecvError::Disconnected) => None,
                Err(TryRecvError::Empty) => {
                    cx.waker().wake_by_ref();
                    return Poll::Pending;
                }
            },
        };
        Poll::Ready(next.map(|r| r.map(http_body::Frame::data)))
    }

    fn is_end_stream(&self) -> bool {
        matches!(&self.kind, Kind::Full(bytes) if bytes.is_empty())
    }

    fn size_hint(&self) -> http_body::SizeHint {
        match &self.kind {
            Kind::Full(bytes) => http_body::SizeHint::with_exact(bytes.len() as u64),
            _ => http_body::SizeHint::default(),
        }
    }
}
