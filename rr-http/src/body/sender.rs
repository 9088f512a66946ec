//! [`BodySender`]: the producer's end of a [`Body::channel`](crate::Body::channel), and
//! [`ClientGone`], what it learns when the response stream stopped.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::SyncSender;

use bytes::Bytes;

use super::{BoxError, ChannelState};

/// Feeds a [`Body::channel`](crate::Body::channel) from another thread.
#[derive(Debug, Clone)]
pub struct BodySender {
    pub(super) tx: SyncSender<Result<Bytes, BoxError>>,
    pub(super) shared: Arc<ChannelState>,
}

impl Drop for BodySender {
    fn drop(&mut self) {
        // The last sender gone ends the body: a task polling it must look again.
        self.shared.wake();
    }
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
    ///
    /// # Example
    ///
    /// ```
    /// use rr_http::{Body, ClientGone};
    ///
    /// let (tx, body) = Body::channel();
    /// tx.send("first")?;
    /// drop(body); // the client went away
    /// assert_eq!(tx.send("second"), Err(ClientGone));
    /// # Ok::<(), ClientGone>(())
    /// ```
    pub fn send(&self, chunk: impl Into<Bytes>) -> Result<(), ClientGone> {
        self.tx.send(Ok(chunk.into())).map_err(|_| ClientGone)?;
        self.shared.wake();
        Ok(())
    }

    /// Ends the response early because the producer failed: the error is logged, and the
    /// client gets what was sent so far (or the internal error status if nothing was).
    ///
    /// # Errors
    ///
    /// [`ClientGone`] when the response had stopped already.
    ///
    /// # Example
    ///
    /// ```
    /// use rr_http::Body;
    ///
    /// let (tx, body) = Body::channel();
    /// tx.send("half of it")?;
    /// tx.abort(std::io::Error::other("the upstream closed"))?;
    /// // The client keeps what was sent; the response ends there.
    /// assert_eq!(body.collect().unwrap_err().to_string(), "the upstream closed");
    /// # Ok::<(), rr_http::ClientGone>(())
    /// ```
    pub fn abort(self, error: impl Into<BoxError>) -> Result<(), ClientGone> {
        self.tx.send(Err(error.into())).map_err(|_| ClientGone)?;
        self.shared.wake();
        Ok(())
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
        self.shared.closed.load(Ordering::Acquire)
    }
}
