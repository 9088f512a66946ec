//! Streamed responses: chunk sizes, STOP from the server mid-stream, one chunk per frame.

use super::*;

#[test]
fn streamed_frames_never_exceed_the_chunk_size() {
    let (relay, mut server) = MemoryRelay::pair();
    let (flags, ctx, body) = get_hello();
    send_request(&mut server, flags, &ctx, &body);
    stop_worker(&mut server);
    let t = thread::spawn(move || {
        HttpWorker::new(Worker::new(relay))
            .with_chunk_size(1000)
            .serve(|_| Response::new(Body::reader(std::io::Cursor::new(vec![1u8; 4500]))))
    });
    t.join().unwrap().unwrap();
    let mut sizes = Vec::new();
    while let Ok(Some(f)) = server.try_receive() {
        let ctx = f.options()[0] as usize;
        sizes.push((
            f.payload.len() - ctx,
            f.stream().contains(StreamFlags::STREAM),
        ));
    }
    assert_eq!(
        sizes,
        [
            (1000, true),
            (1000, true),
            (1000, true),
            (1000, true),
            (500, true),
            (0, false)
        ]
    );
}

#[test]
fn stop_mid_stream_ends_the_stream_and_tells_the_producer() {
    let (relay, mut server) = MemoryRelay::pair();
    let (flags, ctx, body) = get_hello();
    send_request(&mut server, flags, &ctx, &body);
    let (gone_tx, gone_rx) = mpsc::channel();
    let worker = thread::spawn(move || {
        let mut first = true;
        HttpWorker::new(Worker::new(relay)).serve(move |_| {
            if !first {
                return Response::new(Body::from("next"));
            }
            first = false;
            let (tx, body) = Body::channel();
            let gone_tx = gone_tx.clone();
            thread::spawn(move || {
                for i in 0.. {
                    if let Err(e) = tx.send(format!("event {i}\n")) {
                        gone_tx.send(e).unwrap();
                        return;
                    }
                }
            });
            Response::new(body)
        })
    });
    // Let a few chunks through, then say the client is gone.
    let mut streamed = 0;
    while streamed < 3 {
        let f = server.receive().unwrap();
        assert!(f.stream().contains(StreamFlags::STREAM));
        streamed += 1;
    }
    server
        .send(
            &FrameHead::new(Flags::EMPTY).with_stream(StreamFlags::STOP),
            &[],
        )
        .unwrap();
    // Frames already in flight may follow; the stream ends with a frame without STREAM.
    loop {
        let f = server.receive().unwrap();
        if !f.stream().contains(StreamFlags::STREAM) {
            assert_eq!(f.flags(), Flags::CODEC_PROTO);
            assert_eq!(f.options(), [0]);
            assert!(f.payload.is_empty());
            break;
        }
    }
    assert_eq!(gone_rx.recv().unwrap(), rr_http::ClientGone);
    // A late STOP while idle is ignored; the next request is served.
    server
        .send(
            &FrameHead::new(Flags::EMPTY).with_stream(StreamFlags::STOP),
            &[],
        )
        .unwrap();
    send_request(&mut server, flags, &ctx, &body);
    let next = server.receive().unwrap();
    assert!(next.payload.ends_with(b"next"));
    stop_worker(&mut server);
    worker.join().unwrap().unwrap();
}

#[test]
fn each_chunk_goes_out_before_the_next_is_produced() {
    let (relay, mut server) = MemoryRelay::pair();
    let (flags, ctx, body) = get_hello();
    send_request(&mut server, flags, &ctx, &body);
    let (go_on_tx, go_on_rx) = mpsc::channel::<()>();
    let go_on_rx = std::sync::Mutex::new(Some(go_on_rx));
    let worker = thread::spawn(move || {
        HttpWorker::new(Worker::new(relay)).serve(move |_| {
            let (tx, body) = Body::channel();
            let go_on = go_on_rx.lock().unwrap().take().unwrap();
            thread::spawn(move || {
                tx.send("event 1").unwrap();
                // The second event waits until the client has seen the first.
                go_on.recv().unwrap();
                tx.send("event 2").unwrap();
            });
            Response::new(body)
        })
    });
    let first = server.receive().unwrap();
    assert!(
        first.payload.ends_with(b"event 1"),
        "the first event is not held back"
    );
    go_on_tx.send(()).unwrap();
    let second = server.receive().unwrap();
    assert_eq!(&second.payload[..], b"event 2");
    let end = server.receive().unwrap();
    assert_eq!(end.stream(), StreamFlags::EMPTY);
    stop_worker(&mut server);
    worker.join().unwrap().unwrap();
}

#[test]
fn body_failing_before_its_first_byte_is_an_error_not_an_empty_200() {
    let frames = run(vec![get_hello()], |_, _| {
        Response::new(Body::try_chunks(vec![Err::<&str, _>(
            std::io::Error::other("db down"),
        )]))
    });
    assert_eq!(frames.len(), 1);
    assert_eq!(frames[0].flags(), Flags::ERROR);
    assert_eq!(&frames[0].payload[..], b"response body failed: db down");
}
