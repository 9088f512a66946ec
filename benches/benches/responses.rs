//! Responses through each front door over an in-memory relay, for the one request/response
//! core: what a complete and a streamed body cost on the sync closure path, and on the
//! tower path (a tower `Service`) with an `http_body` stream and with an `rr_http::Body`.
//!
//! * `responses/sync/*`: `next_request` + `respond`, one request per iteration, over a
//!   `StreamRelay` reading the same request frame again and again and writing into `io::sink()`.
//! * `responses/tower/*`: `serve_service` answering 100 requests, then stopping (one iteration =
//!   100 requests plus starting and stopping the tokio runtime).
//!
//! Streamed bodies are 16 chunks of 4 KiB; the reader body is 256 KiB read 64 KiB at a time.

use std::convert::Infallible;
use std::future::{Ready, ready};
use std::io::{self, Cursor, Read};
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use criterion::{Criterion, criterion_group, criterion_main};
use goridge::{Flags, FrameCodec, FrameHead, StreamRelay};
use http::{Request, Response};
use rr_benches::{Cycle, request_frame, vector_a_context};
use rr_http::{Body, HttpWorker};
use rr_worker::Worker;

/// A reader that never has a STOP waiting, so streaming never reads ahead.
struct Quiet<R>(R);

impl<R: Read> Read for Quiet<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

impl<R> goridge::relay::ReadReady for Quiet<R> {
    fn read_ready(&self) -> io::Result<bool> {
        Ok(false)
    }
}

fn chunk() -> Bytes {
    Bytes::from_static(&[b'x'; 4096])
}

fn chunks_body() -> Body {
    Body::chunks((0..16).map(|_| chunk()))
}

fn sync(c: &mut Criterion) {
    let frame = request_frame(Flags::CODEC_PROTO, &vector_a_context(), b"");
    let mut group = c.benchmark_group("responses/sync");
    type MakeBody = fn() -> Body;
    let cases: [(&str, MakeBody); 3] = [
        ("full_64KiB", || {
            Body::from(Bytes::from_static(&[b'x'; 65536]))
        }),
        ("chunks_16x4KiB", chunks_body),
        ("reader_256KiB", || {
            Body::reader(Cursor::new(Bytes::from_static(&[b'x'; 262_144])))
        }),
    ];
    for (name, body) in cases {
        let relay = StreamRelay::new(Quiet(Cycle::new(frame.clone())), io::sink());
        let mut worker = HttpWorker::new(Worker::new(relay));
        group.bench_function(name, |b| {
            b.iter(|| {
                let (_req, responder) = worker.next_request().unwrap().unwrap();
                responder.respond(Response::new(body())).unwrap();
            });
        });
    }
    group.finish();
}

/// An `http_body` body of 16 ready chunks of unknown total length (so it is streamed).
struct Sixteen(usize);

impl http_body::Body for Sixteen {
    type Data = Bytes;
    type Error = Infallible;
    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Infallible>>> {
        if self.0 == 16 {
            return Poll::Ready(None);
        }
        self.0 += 1;
        Poll::Ready(Some(Ok(http_body::Frame::data(chunk()))))
    }
}

/// A service answering every request with what `make` builds.
struct Answer<B>(fn() -> B);

impl<B> Clone for Answer<B> {
    fn clone(&self) -> Self {
        Self(self.0)
    }
}

impl<B> tower_service::Service<Request<Body>> for Answer<B> {
    type Response = Response<B>;
    type Error = Infallible;
    type Future = Ready<Result<Response<B>, Infallible>>;
    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }
    fn call(&mut self, _req: Request<Body>) -> Self::Future {
        ready(Ok(Response::new((self.0)())))
    }
}

/// Frames one at a time: a read never goes past the end of the current frame, so the relay
/// never holds the next request while a response streams (as with rr, which sends one request
/// and waits for its answer).
struct Frames {
    frames: Vec<Bytes>,
    at: usize,
}

impl Read for Frames {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some(frame) = self.frames.get_mut(self.at) else {
            return Ok(0);
        };
        let n = buf.len().min(frame.len());
        buf[..n].copy_from_slice(&frame.split_to(n));
        if frame.is_empty() {
            self.at += 1;
        }
        Ok(n)
    }
}

/// 100 request frames, then rr's stop.
fn hundred_requests() -> Vec<Bytes> {
    let frame = request_frame(Flags::CODEC_PROTO, &vector_a_context(), b"");
    let mut all = vec![frame; 100];
    let mut stop = BytesMut::new();
    FrameCodec::new()
        .encode_parts(
            &FrameHead::new(Flags::CONTROL | Flags::CODEC_JSON),
            &[br#"{"stop":true}"#],
            &mut stop,
        )
        .unwrap();
    all.push(stop.freeze());
    all
}

fn tower(c: &mut Criterion) {
    let input = hundred_requests();
    let mut group = c.benchmark_group("responses/tower");
    let run = |svc_http: Option<Answer<Sixteen>>, svc_rr: Option<Answer<Body>>| {
        let frames = Frames {
            frames: input.clone(),
            at: 0,
        };
        let relay = StreamRelay::new(Quiet(frames), io::sink());
        let worker = HttpWorker::new(Worker::new(relay));
        match (svc_http, svc_rr) {
            (Some(svc), _) => worker.serve_service(svc).unwrap(),
            (_, Some(svc)) => worker.serve_service(svc).unwrap(),
            _ => unreachable!(),
        }
    };
    group.bench_function("http_body_16x4KiB_x100", |b| {
        b.iter(|| run(Some(Answer(|| Sixteen(0))), None));
    });
    group.bench_function("rr_body_chunks_16x4KiB_x100", |b| {
        b.iter(|| run(None, Some(Answer(chunks_body))));
    });
    group.finish();
}

criterion_group!(benches, sync, tower);
criterion_main!(benches);
