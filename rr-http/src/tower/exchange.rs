//! One request on the async front doors ([`serve_service`](crate::serve_service),
//! [`serve_fn`](crate::serve_fn)): the handler's future runs on the runtime while hints are
//! forwarded, then the response goes out through the same core as on the sync path.
//!
//! One `block_on` drives the handler; one more drives a streamed `http_body` body, polled
//! without blocking (a timer wakes the pump to look for a STOP or an expired limit while the
//! producer is slow). An `rr_http::Body` (complete, iterator, reader, channel) is sent by the
//! sync driver outside the runtime, exactly as [`serve`](crate::serve) sends it.

use std::any::Any;
use std::future::{Future, poll_fn};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::{Pin, pin};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Buf;
use goridge::Relay;
use http::Response;
use http_body::Body as HttpBody;
use http_body_util::BodyExt;
use tokio::runtime::Runtime;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::{Instant, Sleep};

use crate::serve::{answer_error, panic_text};
use crate::stream::Next;
use crate::stream_writer::{Step, StreamWriter};
use crate::{Body, BoxError, Delivery, Error, HttpError, Responder};

/// How long the pump waits for a slow producer before it looks for a STOP or expired limit.
const TICK: Duration = Duration::from_millis(100);

/// Answers one request with what `call` produces.
pub(super) fn answer<R, F, B>(
    runtime: &Runtime,
    mut responder: Responder<'_, R>,
    call: F,
    mut hints: UnboundedReceiver<Response<()>>,
) -> Result<(), Error>
where
    R: Relay,
    F: Future<Output = Result<Response<B>, HttpError>>,
    B: HttpBody + 'static,
    B::Error: Into<BoxError>,
{
    let outcome = runtime.block_on(forwarding_hints(
        CatchPanic(pin!(call)),
        &mut hints,
        &mut responder,
    ));
    // Hints sent while the response was completing still go first; later ones are refused.
    while let Ok(hint) = hints.try_recv() {
        send_hint(&mut responder, hint);
    }
    drop(hints);
    let response = match outcome {
        Ok(Ok(response)) => response,
        Ok(Err(err)) => return answer_error(responder, err),
        Err(panic) => {
            let text = format!("handler panicked: {}", panic_text(panic.as_ref()));
            return answer_error(responder, HttpError::internal(text));
        }
    };
    let (parts, body) = response.into_parts();
    let body = match into_rr_body(body) {
        Ok(body) => {
            return responder
                .respond(Response::from_parts(parts, body))
                .map(drop);
        }
        Err(body) => body,
    };
    if !responder.carries_body(parts.status) {
        return responder
            .respond(Response::from_parts(parts, Body::empty()))
            .map(drop);
    }
    if body.size_hint().exact().is_some() {
        // Known length: collected and sent in one frame.
        let bytes = match runtime.block_on(CatchPanic(pin!(body.collect()))) {
            Ok(Ok(collected)) => collected.to_bytes(),
            Ok(Err(e)) => {
                return answer_error(responder, HttpError::internal(e.into().to_string()));
            }
            Err(_) => return answer_error(responder, HttpError::internal("the body panicked")),
        };
        return responder
            .respond(Response::from_parts(parts, Body::from(bytes)))
            .map(drop);
    }
    let Some(context) = responder.final_context(parts.status, &parts.headers)? else {
        return Ok(());
    };
    let flags = responder.codec().flags();
    let mut writer = StreamWriter::new(flags, context, responder.chunk_size());
    runtime
        .block_on(pump(&mut writer, &mut responder, body))
        .map(drop)
}

/// Feeds the frames of `body` to the core as they come, without blocking in a poll.
async fn pump<R, B>(
    writer: &mut StreamWriter,
    responder: &mut Responder<'_, R>,
    body: B,
) -> Result<Delivery, Error>
where
    R: Relay,
    B: HttpBody,
    B::Error: Into<BoxError>,
{
    let mut body = pin!(body);
    let mut tick = pin!(tokio::time::sleep(TICK));
    loop {
        let next = poll_fn(|cx| poll_next(body.as_mut(), tick.as_mut(), cx)).await;
        if let Step::Done(delivery) = writer.feed(responder, next)? {
            return Ok(delivery);
        }
    }
}

/// The next event of `body`: a data chunk, its end or failure, or `Idle` when `tick` fires
/// first. Trailer frames are skipped (rr takes trailers from headers named in `Trailer`).
fn poll_next<B>(
    mut body: Pin<&mut B>,
    mut tick: Pin<&mut Sleep>,
    cx: &mut Context<'_>,
) -> Poll<Next>
where
    B: HttpBody,
    B::Error: Into<BoxError>,
{
    loop {
        let polled = catch_unwind(AssertUnwindSafe(|| body.as_mut().poll_frame(cx)));
        return match polled {
            Err(_) => Poll::Ready(Next::Failed("the body producer panicked".into())),
            Ok(Poll::Ready(None)) => Poll::Ready(Next::End),
            Ok(Poll::Ready(Some(Err(e)))) => Poll::Ready(Next::Failed(e.into())),
            Ok(Poll::Ready(Some(Ok(frame)))) => match frame.into_data() {
                Ok(mut data) if data.has_remaining() => {
                    Poll::Ready(Next::Chunk(data.copy_to_bytes(data.remaining())))
                }
                _ => continue,
            },
            Ok(Poll::Pending) => {
                if tick.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                tick.as_mut().reset(Instant::now() + TICK);
                Poll::Ready(Next::Idle)
            }
        };
    }
}

/// The body itself when it is an `rr_http::Body`, which the sync driver sends.
fn into_rr_body<B: 'static>(body: B) -> Result<Body, B> {
    let mut slot = Some(body);
    match (&mut slot as &mut dyn Any).downcast_mut::<Option<Body>>() {
        Some(rr) => Ok(rr.take().unwrap_or_default()),
        None => Err(slot.expect("only a Body is taken out of the slot")),
    }
}

/// Drives `call` to completion, sending each hint that arrives meanwhile as soon as it does.
async fn forwarding_hints<F: Future, R: Relay>(
    call: F,
    rx: &mut UnboundedReceiver<Response<()>>,
    responder: &mut Responder<'_, R>,
) -> F::Output {
    let mut call = pin!(call);
    poll_fn(|cx| {
        while let Poll::Ready(Some(hint)) = rx.poll_recv(cx) {
            send_hint(responder, hint);
        }
        call.as_mut().poll(cx)
    })
    .await
}

/// A hint that cannot be sent is not worth failing the request for (the sender checked its
/// status already; what is left are relay errors, which the final response reports too).
fn send_hint<R: Relay>(responder: &mut Responder<'_, R>, hint: Response<()>) {
    if let Err(e) = responder.send_informational(hint) {
        crate::log!("rr-http: an informational response was not sent: {e}");
    }
}

/// A future whose panic becomes an `Err` with the panic's payload.
struct CatchPanic<F>(F);

impl<F: Future + Unpin> Future for CatchPanic<F> {
    type Output = Result<F::Output, Box<dyn Any + Send>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match catch_unwind(AssertUnwindSafe(|| Pin::new(&mut self.0).poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(out)) => Poll::Ready(Ok(out)),
            Err(panic) => Poll::Ready(Err(panic)),
        }
    }
}
