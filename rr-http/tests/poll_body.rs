//! `rr_http::Body` polled as an `http_body::Body` (feature `tower`): no blocking on a channel,
//! and a reader's chunks reuse one buffer instead of allocating one per poll.
#![cfg(feature = "tower")]

use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use http_body::Body as _;
use rr_http::Body;

fn poll(body: &mut Body) -> Poll<Option<bytes::Bytes>> {
    let mut cx = Context::from_waker(Waker::noop());
    Pin::new(body)
        .poll_frame(&mut cx)
        .map(|f| f.map(|f| f.unwrap().into_data().unwrap()))
}

#[test]
fn an_empty_channel_is_pending_instead_of_blocking() {
    let (tx, mut body) = Body::channel();
    assert!(poll(&mut body).is_pending());
    tx.send("a").unwrap();
    assert_eq!(poll(&mut body), Poll::Ready(Some("a".into())));
    drop(tx);
    assert_eq!(poll(&mut body), Poll::Ready(None));
}

#[test]
fn a_reader_reuses_one_buffer_across_polls() {
    let mut body = Body::reader(std::io::Cursor::new(vec![1u8; 200_000]));
    let first = match poll(&mut body) {
        Poll::Ready(Some(chunk)) => chunk.as_ptr(),
        other => panic!("{other:?}"),
    };
    let mut total = 65_536;
    while let Poll::Ready(Some(chunk)) = poll(&mut body) {
        assert_eq!(
            chunk.as_ptr(),
            first,
            "the same memory, not a new allocation"
        );
        total += chunk.len();
    }
    assert_eq!(total, 200_000);
}
