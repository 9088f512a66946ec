//! rr-http through its public API: a request frame in, `http::Request` out, a response frame
//! back, all over an in-memory relay (`rr_benches::Exchange`).
//!
//! * `http/request_round_trip`: decoding vector A and a realistic request (16 headers, cookies,
//!   a query), protobuf and the legacy JSON codec side by side; the answer is a bare 200.
//! * `http/worker_over_stream_relay`: the loop a real worker runs (`next_request`, `respond`)
//!   over a `StreamRelay` that reads the same request frame again and again from memory and
//!   writes into `io::sink()`: no kernel, no threads, the same setup as the Go worker's
//!   `BenchmarkWorkerStep` in `xtask/go-worker/bench_test.go`.
//! * `http/request_types_only/realistic`: the `http::Request` a handler gets for the realistic
//!   request (`HeaderMap` of slices of one buffer, `Uri`, the strings and cookies as
//!   extensions) built from values already cut out, then dropped: what the `http` types cost
//!   alone, with no protobuf walk, no relay and no response. The worker step cannot go below it.
//! * `http/response_head`: the same request (vector A) answered with a bare 200 and with a 200
//!   carrying five headers; the difference is the cost of the five headers (canonical names,
//!   validation, `http.v1.Response` encoding).

use std::hint::black_box;
use std::io;

use bytes::Bytes;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use goridge::{Flags, StreamRelay};
use http::{HeaderMap, HeaderName, HeaderValue, Request, Response, Uri};
use rr_benches::{
    Cycle, Exchange, plain_response, realistic_json_context, realistic_proto_context,
    realistic_request, request_frame, response_with_5_headers, vector_a_context, vector_j_context,
};
use rr_http::{Body, Cookies, HttpWorker, Protocol, RawQuery, RemoteAddr};
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

fn request_types_only(c: &mut Criterion) {
    let pb = realistic_request();
    // Every header value and the URI in one buffer, as in a frame; the handler's values are
    // slices of it.
    let mut buffer = Vec::new();
    let mut headers = Vec::new();
    for (name, values) in &pb.header {
        for value in &values.value {
            headers.push((name.clone(), buffer.len()..buffer.len() + value.len()));
            buffer.extend_from_slice(value);
        }
    }
    let uri = buffer.len()..buffer.len() + pb.uri.len();
    buffer.extend_from_slice(pb.uri.as_bytes());
    let buffer = Bytes::from(buffer);
    let cookies: Vec<(String, String)> = pb
        .cookies
        .iter()
        .map(|(k, v)| (k.clone(), String::from_utf8_lossy(&v.value[0]).into_owned()))
        .collect();
    c.bench_function("http/request_types_only/realistic", |b| {
        b.iter(|| {
            let mut map = HeaderMap::with_capacity(24);
            for (name, range) in &headers {
                let name = HeaderName::from_bytes(name.as_bytes()).unwrap();
                let value = HeaderValue::from_maybe_shared(buffer.slice(range.clone())).unwrap();
                map.append(name, value);
            }
            let mut req = Request::new(Body::empty());
            *req.uri_mut() = Uri::from_maybe_shared(buffer.slice(uri.clone())).unwrap();
            *req.headers_mut() = map;
            let ext = req.extensions_mut();
            ext.insert(Protocol(pb.protocol.as_str().to_owned()));
            ext.insert(RawQuery(pb.raw_query.as_str().to_owned()));
            ext.insert(RemoteAddr(pb.remote_addr.as_str().to_owned()));
            let jar: Cookies = cookies
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            ext.insert(jar);
            touch(&req);
            black_box(req);
        });
    });
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
    request_types_only,
    response_head
);
criterion_main!(benches);
