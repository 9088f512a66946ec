//! The explicit loop (`HttpWorker::next_request` + `Responder`) against a scripted in-memory
//! server: what is fatal to the worker and what only ends one request.

use goridge::{Flags, Frame, FrameHead, MemoryRelay, Options, Relay};
use http::Response;
use rr_http::{Body, Delivery, HttpWorker};
use rr_worker::Worker;

/// `GET http://localhost:8080/hello?name=world` as rr v2025 sends it (vector A of the spec).
const GET_HELLO: &str = "0a093132372e302e302e311208485454502f312e311a034745542226687474703a2f2f6c6f63616c686f73743a383038302f68656c6c6f3f6e616d653d776f726c642a0f0a0641636365707412050a032a2f2a2a1a0a0a557365722d4167656e74120c0a0a6375726c2f382e352e303a0a6e616d653d776f726c64";

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn send_get(server: &mut MemoryRelay) {
    let ctx = unhex(GET_HELLO);
    let head = FrameHead::new(Flags::CODEC_PROTO).with_options(Options::one(ctx.len() as u32));
    server.send(&head, &[&ctx]).unwrap();
}

fn send_stop(server: &mut MemoryRelay) {
    let head = FrameHead::new(Flags::CONTROL | Flags::CODEC_JSON);
    server.send(&head, &[br#"{"stop":true}"#]).unwrap();
}

fn frames(server: &mut MemoryRelay) -> Vec<Frame> {
    std::iter::from_fn(|| server.try_receive().unwrap()).collect()
}

/// The protobuf head of a response starts with field 1 (status) as a varint.
fn status_of(frame: &Frame) -> u16 {
    let p = &frame.payload;
    assert_eq!(p[0], 0x08, "a response head with a status: {frame:?}");
    (u16::from(p[1] & 0x7f)) | (u16::from(p[2]) << 7)
}

#[test]
fn an_invalid_response_is_answered_with_one_500_and_the_loop_goes_on() {
    let (relay, mut server) = MemoryRelay::pair();
    send_get(&mut server);
    send_get(&mut server);
    send_stop(&mut server);
    let mut worker = HttpWorker::new(Worker::new(relay));
    let mut deliveries = Vec::new();
    // Written the way users write it: `?` on every call.
    let result = (|| -> Result<(), rr_http::Error> {
        let mut n = 0;
        while let Some((_req, responder)) = worker.next_request()? {
            n += 1;
            let status = if n == 1 { 610 } else { 200 };
            let res = Response::builder()
                .status(status)
                .body(Body::from("hi"))
                .unwrap();
            deliveries.push(responder.respond(res)?);
        }
        Ok(())
    })();
    result.expect("a refused response is not fatal");
    assert_eq!(deliveries, [Delivery::Refused, Delivery::Complete]);
    let sent = frames(&mut server);
    assert_eq!(sent.len(), 2, "exactly one answer per request: {sent:?}");
    assert_eq!(status_of(&sent[0]), 500);
    assert!(sent[0].payload.ends_with(b"Internal Server Error"));
    assert_eq!(status_of(&sent[1]), 200);
    assert!(sent[1].payload.ends_with(b"hi"));
}

#[test]
fn an_informational_status_as_the_final_response_is_refused_not_fatal() {
    let (relay, mut server) = MemoryRelay::pair();
    send_get(&mut server);
    let mut worker = HttpWorker::new(Worker::new(relay));
    let (_req, responder) = worker.next_request().unwrap().unwrap();
    let res = Response::builder()
        .status(103)
        .body(Body::from("x"))
        .unwrap();
    assert_eq!(responder.respond(res).unwrap(), Delivery::Refused);
    let sent = frames(&mut server);
    assert_eq!(sent.len(), 1);
    assert_eq!(status_of(&sent[0]), 500);
}

#[test]
fn a_relay_failure_is_fatal() {
    let (relay, mut server) = MemoryRelay::pair();
    send_get(&mut server);
    let mut worker = HttpWorker::new(Worker::new(relay));
    let (_req, responder) = worker.next_request().unwrap().unwrap();
    drop(server);
    let err = responder
        .respond(Response::new(Body::from("x")))
        .unwrap_err();
    assert!(matches!(err, rr_http::Error::Worker(_)), "{err:?}");
}
