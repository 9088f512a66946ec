//! rr-http through its public API: a request frame in, `http::Request` out, a response frame
//! back, all over an in-memory relay (`rr_benches::Exchange`).
//!
//! * `http/request_round_trip`: decoding vector A and a realistic request (16 headers, cookies,
//!   a query), protobuf and the legacy JSON codec side by side; the answer is a bare 200.
//! * `http/worker_over_stream_relay`: the loop a real worker runs (`next_request`, `respond`)
//!   over a `StreamRelay` that reads the same request frame again and again from memory and
//!   writes into `io::sink()`: no kernel, no threads, the same setup as the Go worker's
//!   `BenchmarkWorkerStep` in `xtask/go-worker/bench_test.go`.
//! * `http/response_head`: the same request (vector A) answered with a bare 200 and with a 200
//!   carrying five headers; the difference is the cost of the five headers (canonical names,
//!   validation, `http.v1.Response` encoding).

use std::hint::black_box;
use std::io;

use bytes::Bytes;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use goridge::{Flags, StreamRelay};
use http::{Request, Response};
use rr_benches::{
    Cycle, Exchange, plain_response, realistic_json_context, realistic_proto_context,
    request_frame, response_with_5_headers, vector_a_context, vector_j_context,
};
use rr_http::{Body, HttpWorker};
use rr_worker::Worker;

/// Reads what a handler typically reads, so decoding cannot be skipped.
fn touch(req: &Request<Body>) {
    black_box(req.method());
    black_box(req.uri().path());
    black_box(req.headers().len());
}

fn request_round_trip(c: &mut Criterion) {
    let cases: [(&str, &str, Bytes); 4] = [
        (
            "protobuf",
            "vector_a",
            request_frame(Flags::CODEC_PROTO, &vector_a_context(), b""),
        ),
        (
            "json",
            "vector_a",
            request_frame(Flags::CODEC_JSON, &vector_j_context(), b""),
        ),
        (
            "protobuf",
            "realistic",
            request_frame(Flags::CODEC_PROTO, &realistic_proto_context(), b""),
        ),
        (
            "json",
            "realistic",
            request_frame(Flags::CODEC_JSON, &realistic_json_context(), b""),
        ),
    ];
    let mut group = c.benchmark_group("http/request_round_trip");
    for (codec, request, frame) in &cases {
        let mut ex = Exchange::new();
        group.bench_with_input(BenchmarkId::new(*codec, request), frame, |b, frame| {
            b.iter(|| {
                let answer = ex.round_trip(frame, |req| {
                    touch(&req);
                    plain_response()
                });
                black_box(answer.payload.len());
            });
        });
    }
    group.finish();
}

fn worker_over_stream_relay(c: &mut Criterion) {
    let cases = [
        (
            "vector_a",
            request_frame(Flags::CODEC_PROTO, &vector_a_context(), b""),
        ),
        (
            "realistic",
            request_frame(Flags::CODEC_PROTO, &realistic_proto_context(), b""),
        ),
    ];
    let mut group = c.benchmark_group("http/worker_over_stream_relay");
    for (name, frame) in cases {
        let relay = StreamRelay::new(Cycle::new(frame), io::sink());
        let mut worker = HttpWorker::new(Worker::new(relay));
        group.bench_function(name, |b| {
            b.iter(|| {
                let (req, responder) = worker.next_request().unwrap().unwrap();
                touch(&req);
                responder.respond(plain_response()).unwrap();
            });
        });
    }
    group.finish();
}

fn response_head(c: &mut Criterion) {
    let frame = request_frame(Flags::CODEC_PROTO, &vector_a_context(), b"");
    type MakeResponse = fn() -> Response<Body>;
    let responses: [(&str, MakeResponse); 2] = [
        ("no_headers", plain_response),
        ("5_headers", response_with_5_headers),
    ];
    let mut group = c.benchmark_group("http/response_head");
    for (name, make) in responses {
        let mut ex = Exchange::new();
        group.bench_function(name, |b| {
            b.iter(|| {
                let answer = ex.round_trip(&frame, |req| {
                    touch(&req);
                    make()
                });
                black_box(answer.payload.len());
            });
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    request_round_trip,
    worker_over_stream_relay,
    response_head
);
criterion_main!(benches);
