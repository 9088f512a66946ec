//! Goridge frames: encoding into and decoding from a `BytesMut`; a `StreamRelay` sending to a
//! discarding writer and receiving from an in-memory reader (no kernel, no threads; the same
//! setup as the Go benchmarks in `xtask/go-worker/bench_test.go`); and a `StreamRelay` round
//! trip over a unix socket pair with an echo thread.

use std::hint::black_box;
use std::io;
use std::os::unix::net::UnixStream;
use std::thread;

use bytes::BytesMut;
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use goridge::{Flags, FrameCodec, FrameHead, Options, Relay, RelayError, StreamRelay};
use rr_benches::{Cycle, request_frame};

/// Payload sizes: empty, 1 KiB, 64 KiB, 1 MiB.
const SIZES: &[(usize, &str)] = &[
    (0, "0B"),
    (1024, "1KiB"),
    (64 * 1024, "64KiB"),
    (1024 * 1024, "1MiB"),
];

/// A request-like context in front of each payload (its length is the frame's one option).
const CONTEXT: &[u8] = &[0x42; 64];

fn payload(size: usize) -> Vec<u8> {
    (0..size).map(|i| (i % 251) as u8).collect()
}

fn head() -> FrameHead {
    FrameHead::new(Flags::CODEC_PROTO).with_options(Options::one(CONTEXT.len() as u32))
}

/// Header + option + context + payload appended to a reused `BytesMut`.
fn encode(c: &mut Criterion) {
    let codec = FrameCodec::new();
    let mut group = c.benchmark_group("goridge/encode");
    for &(size, name) in SIZES {
        let body = payload(size);
        group.throughput(Throughput::Bytes((CONTEXT.len() + size) as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), &body, |b, body| {
            let mut buf = BytesMut::with_capacity(64 + CONTEXT.len() + size);
            b.iter(|| {
                buf.clear();
                codec
                    .encode_parts(black_box(&head()), &[CONTEXT, black_box(body)], &mut buf)
                    .unwrap();
                black_box(buf.len());
            });
        });
    }
    group.finish();
}

/// `FrameCodec::decode` of one whole frame. The buffer is refilled outside the measurement
/// (`iter_batched`); decoding hands the payload out without copying it.
fn decode(c: &mut Criterion) {
    let codec = FrameCodec::new();
    let mut group = c.benchmark_group("goridge/decode");
    for &(size, name) in SIZES {
        let wire = request_frame(Flags::CODEC_PROTO, CONTEXT, &payload(size));
        let batch = if size >= 64 * 1024 {
            BatchSize::LargeInput
        } else {
            BatchSize::SmallInput
        };
        group.throughput(Throughput::Bytes(wire.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), &wire, |b, wire| {
            b.iter_batched(
                || BytesMut::from(&wire[..]),
                |mut buf| {
                    let frame = codec.decode(&mut buf).unwrap().unwrap();
                    black_box(frame.options()[0]);
                    frame
                },
                batch,
            );
        });
    }
    group.finish();
}

/// `StreamRelay::send` of one frame (header and option encoded, then one vectored write) into
/// `io::sink()`.
fn relay_send(c: &mut Criterion) {
    let mut group = c.benchmark_group("goridge/stream_relay_send_in_memory");
    for &(size, name) in SIZES {
        let body = payload(size);
        let mut relay = StreamRelay::new(Cycle::new(vec![0]), io::sink());
        group.throughput(Throughput::Bytes((CONTEXT.len() + size) as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), &body, |b, body| {
            b.iter(|| {
                relay
                    .send(black_box(&head()), &[CONTEXT, black_box(body)])
                    .unwrap()
            });
        });
    }
    group.finish();
}

/// `StreamRelay::receive` of one frame from a reader that repeats that frame forever (each
/// receive copies the frame out of the reader, as a read from a pipe would).
fn relay_receive(c: &mut Criterion) {
    let mut group = c.benchmark_group("goridge/stream_relay_receive_in_memory");
    for &(size, name) in SIZES {
        let wire = request_frame(Flags::CODEC_PROTO, CONTEXT, &payload(size));
        let len = wire.len();
        let mut relay = StreamRelay::new(Cycle::new(wire), io::sink());
        group.throughput(Throughput::Bytes(len as u64));
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| {
                let frame = relay.receive().unwrap();
                black_box(frame.options()[0]);
                frame
            });
        });
    }
    group.finish();
}

/// A `StreamRelay` over a `UnixStream` pair: send a frame, an echo thread receives it with its
/// own `StreamRelay` and sends it back, receive it. Throughput counts the payload once per
/// round trip (each byte crosses the socket twice).
fn stream_relay(c: &mut Criterion) {
    let mut group = c.benchmark_group("goridge/stream_relay_round_trip");
    for &(size, name) in SIZES {
        let (ours, theirs) = UnixStream::pair().unwrap();
        let echo = thread::spawn(move || {
            let mut relay = StreamRelay::new(theirs.try_clone().unwrap(), theirs);
            loop {
                match relay.receive() {
                    Ok(frame) => relay.send_frame(&frame).unwrap(),
                    Err(RelayError::Closed) => return,
                    Err(e) => panic!("echo relay: {e}"),
                }
            }
        });
        let mut relay = StreamRelay::new(ours.try_clone().unwrap(), ours);
        let body = payload(size);
        group.throughput(Throughput::Bytes((CONTEXT.len() + size) as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), &body, |b, body| {
            b.iter(|| {
                relay.send(&head(), &[CONTEXT, body]).unwrap();
                let frame = relay.receive().unwrap();
                black_box(frame.payload.len());
            });
        });
        drop(relay);
        echo.join().unwrap();
    }
    group.finish();
}

criterion_group!(
    benches,
    encode,
    decode,
    relay_send,
    relay_receive,
    stream_relay
);
criterion_main!(benches);
