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

struct Count(std::sync::atomic::AtomicUsize);

impl std::task::Wake for Count {
    fn wake(self: std::sync::Arc<Self>) {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

#[test]
fn a_pending_channel_is_woken_by_the_next_send_and_by_the_last_sender_leaving() {
    use std::sync::Arc;
    use std::sync::atomic::Ordering;
    let count = Arc::new(Count(0.into()));
    let waker = Waker::from(Arc::clone(&count));
    let mut cx = Context::from_waker(&waker);
    let (tx, mut body) = Body::channel();
    assert!(Pin::new(&mut body).poll_frame(&mut cx).is_pending());
    std::thread::spawn(move || tx.send("event").unwrap())
        .join()
        .unwrap();
    assert!(
        count.0.load(Ordering::SeqCst) >= 1,
        "the send woke the task"
    );
    assert!(Pin::new(&mut body).poll_frame(&mut cx).is_ready());
    assert!(matches!(
        Pin::new(&mut body).poll_frame(&mut cx),
        std::task::Poll::Ready(None)
    ));
}
