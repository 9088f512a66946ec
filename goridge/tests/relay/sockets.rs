//! Unix socket pairs and TCP loopback: the same behaviours over both.

use super::*;

macro_rules! transport_tests {
    ($module:ident, $pair:path) => {
        mod $module {
            use super::*;

            #[test]
            fn round_trips_context_and_body_parts_as_one_payload() {
                let (mut a, mut b) = $pair();
                a.send(&data_head(3), &[b"ctx", b"body"]).expect("send");
                let frame = b.receive().expect("receive");
                assert_eq!(frame.flags(), Flags::CODEC_PROTO);
                assert_eq!(frame.stream(), StreamFlags::EMPTY);
                assert_eq!(frame.options(), [3]);
                assert_eq!(&frame.payload[..], b"ctxbody");
            }

            #[test]
            fn round_trips_in_both_directions_on_one_connection() {
                let (mut a, mut b) = $pair();
                a.send(&FrameHead::new(Flags::CONTROL), &[br#"{"pid":1}"#])
                    .expect("send");
                assert_eq!(&b.receive().expect("receive").payload[..], br#"{"pid":1}"#);
                b.send(&FrameHead::new(Flags::CONTROL), &[br#"{"pid":2}"#])
                    .expect("send");
                assert_eq!(&a.receive().expect("receive").payload[..], br#"{"pid":2}"#);
            }

            #[test]
            fn round_trips_a_20_mib_payload() {
                let (mut a, mut b) = $pair();
                let body = pattern(20 * 1024 * 1024);
                let sent = body.clone();
                // The socket buffer holds far less than 20 MiB: send from another thread.
                let sender = thread::spawn(move || {
                    a.send(&data_head(5), &[b"ctx!!", &sent]).expect("send");
                    a
                });
                let frame = b.receive().expect("receive");
                sender.join().expect("sender thread");
                assert_eq!(frame.options(), [5]);
                assert_eq!(frame.payload.len(), 5 + body.len());
                assert_eq!(&frame.payload[..5], b"ctx!!");
                assert!(frame.payload[5..] == body[..], "20 MiB body differs");
            }

            #[test]
            fn round_trips_ten_options_and_stream_bits() {
                let (mut a, mut b) = $pair();
                a.send(&ten_options_head(), &[b"x"]).expect("send");
                let frame = b.receive().expect("receive");
                assert_eq!(frame.head, ten_options_head());
                assert_eq!(&frame.payload[..], b"x");
            }

            #[test]
            fn round_trips_many_frames_in_order() {
                let (mut a, mut b) = $pair();
                for i in 0..100u32 {
                    a.send(
                        &data_head(0).with_options(Options::one(i)),
                        &[&pattern(i as usize)],
                    )
                    .expect("send");
                }
                for i in 0..100u32 {
                    let frame = b.receive().expect("receive");
                    assert_eq!(frame.options(), [i]);
                    assert_eq!(frame.payload[..], pattern(i as usize)[..]);
                }
            }

            #[test]
            fn try_receive_returns_none_when_nothing_is_waiting() {
                let (_a, mut b) = $pair();
                assert_eq!(b.try_receive().expect("try_receive"), None);
            }

            #[test]
            fn try_receive_returns_the_frame_once_one_was_written() {
                let (mut a, mut b) = $pair();
                assert_eq!(b.try_receive().expect("try_receive"), None);
                a.send(&data_head(3), &[b"ctx", b"body"]).expect("send");
                let frame = try_receive_soon(&mut b);
                assert_eq!(&frame.payload[..], b"ctxbody");
                assert_eq!(b.try_receive().expect("try_receive"), None);
            }

            #[test]
            fn receive_reports_closed_when_the_peer_hangs_up_between_frames() {
                let (mut a, mut b) = $pair();
                a.send(&data_head(0), &[b"last"]).expect("send");
                drop(a);
                assert_eq!(&b.receive().expect("receive").payload[..], b"last");
                assert!(matches!(b.receive(), Err(RelayError::Closed)));
            }

            #[test]
            fn try_receive_reports_closed_when_the_peer_has_hung_up() {
                let (a, mut b) = $pair();
                drop(a);
                assert!(matches!(b.try_receive(), Err(RelayError::Closed)));
            }
        }
    };
}

transport_tests!(unix_socket_pair, unix_pair);
transport_tests!(tcp_loopback, tcp_pair);
