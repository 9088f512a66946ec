//! [`StreamWriter`]: the one core that sends a streamed final response frame by frame,
//! whichever front door produced the body (a blocking [`ChunkSource`](crate::stream::ChunkSource)
//! on the sync path, an `http_body::Body` polled on the async paths).
//!
//! A driver pulls the next [`Next`] from its producer and feeds it here; the writer owns the
//! protocol: the head goes out with the first chunk (or alone when the producer is slow),
//! chunks are cut to the chunk size, STREAM is set on every frame but the last, a STOP from
//! the server (client gone) or an expired time limit ends the stream with an empty final
//! frame, and a producer failing before its first byte becomes an error answer
//! (`docs/http.md`, streamed responses).

use bytes::Bytes;
use goridge::{Flags, Relay};

use crate::stream::Next;
use crate::{Delivery, Error, Responder};

/// What the driver does after feeding one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// Pull the next event from the producer.
    More,
    /// The response is over; drop the producer.
    Done(Delivery),
}

/// Sends one streamed final response.
#[derive(Debug)]
pub(crate) struct StreamWriter {
    flags: Flags,
    /// The encoded head, until it has gone out.
    context: Option<Vec<u8>>,
    chunk_size: usize,
}

impl StreamWriter {
    pub(crate) fn new(flags: Flags, context: Vec<u8>, chunk_size: usize) -> Self {
        Self {
            flags,
            context: Some(context),
            chunk_size: chunk_size.max(1),
        }
    }

    /// Feeds one event of the producer.
    pub(crate) fn feed<R: Relay>(
        &mut self,
        responder: &mut Responder<'_, R>,
        next: Next,
    ) -> Result<Step, Error> {
        match next {
            Next::Chunk(chunk) => self.chunk(responder, chunk),
            Next::Idle => {
                // A slow producer: let the client have the head (e.g. of an event stream) now.
                if let Some(ctx) = self.context.take() {
                    responder.send_frame(self.flags, &ctx, b"", true)?;
                }
                self.check(responder)
            }
            Next::End => {
                let ctx = self.context.take().unwrap_or_default();
                responder.send_frame(self.flags, &ctx, b"", false)?;
                Ok(Step::Done(Delivery::Complete))
            }
            Next::Failed(e) => {
                if self.context.take().is_some() {
                    // Nothing of the response went out: answer with an error instead.
                    rr_worker::log!("rr-http: response body failed before its first byte: {e}");
                    responder.fail(&format!("response body failed: {e}"))?;
                } else {
                    rr_worker::log!(
                        "rr-http: response body failed mid-stream, ending the response early: {e}"
                    );
                    responder.send_frame(self.flags, b"", b"", false)?;
                }
                Ok(Step::Done(Delivery::Truncated))
            }
        }
    }

    /// Sends `chunk` in frames of at most the chunk size, looking for a reason to stop after each.
    fn chunk<R: Relay>(
        &mut self,
        responder: &mut Responder<'_, R>,
        mut chunk: Bytes,
    ) -> Result<Step, Error> {
        while !chunk.is_empty() {
            let piece = chunk.split_to(chunk.len().min(self.chunk_size));
            let ctx = self.context.take().unwrap_or_default();
            responder.send_frame(self.flags, &ctx, &piece, true)?;
            if let Step::Done(delivery) = self.check(responder)? {
                return Ok(Step::Done(delivery));
            }
        }
        Ok(Step::More)
    }

    /// Ends the stream when its time is up or the client is gone (only once the head is out).
    fn check<R: Relay>(&mut self, responder: &mut Responder<'_, R>) -> Result<Step, Error> {
        if self.context.is_some() {
            return Ok(Step::More);
        }
        let delivery = if responder.stream_expired() {
            rr_worker::log!(
                "rr-http: a streamed response reached its time limit and was ended early"
            );
            Delivery::CutShort
        } else if responder.stream_stopped()? {
            // The client is gone; dropping the producer tells a channel producer (its next send
            // fails with ClientGone) and closes readers and iterators.
            Delivery::ClientGone
        } else {
            return Ok(Step::More);
        };
        responder.send_frame(self.flags, b"", b"", false)?;
        Ok(Step::Done(delivery))
    }
}
