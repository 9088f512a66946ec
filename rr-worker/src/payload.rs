//! [`Payload`]: the unit of work RoadRunner exchanges with a worker.

use bytes::Bytes;
use goridge::{Flags, Frame};

use crate::WorkerError;

/// A request or response: a context (e.g. a protobuf head) and a body, and the codec flags of
/// the frame that carried them. On the wire: one option = context length, payload = context ‖ body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Payload {
    /// The context part (metadata; its format depends on the plugin and `codec`).
    pub context: Bytes,
    /// The body part.
    pub body: Bytes,
    /// Byte 1 of the frame, e.g. [`Flags::CODEC_PROTO`] for the HTTP plugin.
    pub codec: Flags,
}

impl Payload {
    /// A payload with the given parts and codec.
    ///
    /// # Example
    ///
    /// ```
    /// use goridge::Flags;
    /// use rr_worker::Payload;
    ///
    /// let payload = Payload::new(Flags::CODEC_JSON, r#"{"id":7}"#, "body");
    /// assert_eq!(&payload.context[..], br#"{"id":7}"#);
    /// assert_eq!(&payload.body[..], b"body");
    /// assert_eq!(payload.codec, Flags::CODEC_JSON);
    /// ```
    pub fn new(codec: Flags, context: impl Into<Bytes>, body: impl Into<Bytes>) -> Self {
        Self {
            context: context.into(),
            body: body.into(),
            codec,
        }
    }
}

impl Payload {
    /// Splits a data frame into context and body, without copying.
    pub(crate) fn from_frame(frame: Frame) -> Result<Self, WorkerError> {
        let context_len = frame
            .head
            .options
            .first()
            .ok_or(WorkerError::MissingContextLength)?;
        let payload = frame.payload;
        if context_len as usize > payload.len() {
            return Err(WorkerError::ContextOutOfBounds {
                context: context_len,
                payload: payload.len(),
            });
        }
        let context = payload.slice(..context_len as usize);
        let body = payload.slice(context_len as usize..);
        Ok(Self {
            context,
            body,
            codec: frame.head.flags,
        })
    }
}
