//! [`Body`] polled as an `http_body::Body` (feature `tower`), for the tower/axum front door.

use bytes::Bytes;

use super::{Body, BoxError, Kind};

#[cfg_attr(docsrs, doc(cfg(feature = "tower")))]
impl http_body::Body for Body {
    type Data = Bytes;
    type Error = BoxError;

    /// A complete body (every request body) is handed out in one frame, at once. A channel
    /// body never blocks: without a chunk waiting it is pending, and the producer's next send
    /// (or the last sender going away) wakes the task. An iterator
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
                    // Registered first, then looked again: a send in between is not missed.
                    if let Ok(mut waker) = channel.shared.waker.lock() {
                        *waker = Some(cx.waker().clone());
                    }
                    match channel.rx.try_recv() {
                        Ok(chunk) => Some(chunk),
                        Err(TryRecvError::Disconnected) => None,
                        Err(TryRecvError::Empty) => return Poll::Pending,
                    }
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
