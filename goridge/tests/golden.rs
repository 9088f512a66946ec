//! Golden frames: every vector of `docs/frames.md` (V1–V22, V5b and the two Go test headers)
//! and the frames of `docs/http.md`, taken from `rr_testkit::vectors`.
//!
//! Each vector is checked in both directions and through every public path:
//!
//! * encoding with `FrameCodec::encode_parts` (payload given as its parts, e.g. context and
//!   body), with `Frame::to_bytes` and with `StreamRelay::send` gives exactly the bytes;
//! * decoding the bytes with `FrameCodec::decode` and with `StreamRelay::receive` gives exactly
//!   the flags, stream bits, options and payload, and consumes exactly the frame.
//!
//! The wire hex is written independently of the expected fields, so neither direction can
//! vouch for the other.

use std::io::{self, Cursor};

use bytes::BytesMut;
use goridge::{Frame, FrameCodec, Relay, RelayError, StreamRelay};
use rr_testkit::hex as to_hex;
use rr_testkit::vectors::{self, FrameVector};

type Vector = FrameVector;

/// Assertions on a decoded or encoded vector.
trait Check {
    fn assert_wire(&self, what: &str, got: &[u8]);
    fn assert_frame(&self, what: &str, frame: &Frame);
}

impl Check for FrameVector {
    fn assert_wire(&self, what: &str, got: &[u8]) {
        assert!(
            got == self.wire.as_slice(),
            "{}: {what} wrote\n  {}\nbut the spec says\n  {}",
            self.name,
            to_hex(got),
            to_hex(&self.wire),
        );
    }

    fn assert_frame(&self, what: &str, frame: &Frame) {
        assert_eq!(
            frame.flags().bits(),
            self.flags,
            "{}: {what}: flags",
            self.name
        );
        assert_eq!(
            frame.stream().bits(),
            self.stream,
            "{}: {what}: stream byte",
            self.name
        );
        assert_eq!(
            frame.options(),
            self.options.as_slice(),
            "{}: {what}: options",
            self.name
        );
        assert!(
            frame.payload[..] == self.payload()[..],
            "{}: {what}: payload\n  {}\nexpected\n  {}",
            self.name,
            to_hex(&frame.payload),
            to_hex(&self.payload()),
        );
        assert_eq!(
            frame,
            &Frame::new(self.head(), self.payload()),
            "{}: {what}",
            self.name
        );
    }
}

fn encode_parts(v: &Vector) {
    let mut out = BytesMut::new();
    FrameCodec::new()
        .encode_parts(&v.head(), &v.parts(), &mut out)
        .expect("encodable");
    v.assert_wire("FrameCodec::encode_parts", &out);
}

fn frame_to_bytes(v: &Vector) {
    let bytes = Frame::new(v.head(), v.payload())
        .to_bytes()
        .expect("encodable");
    v.assert_wire("Frame::to_bytes", &bytes);
}

fn relay_send(v: &Vector) {
    let mut relay = StreamRelay::new(&[][..], Vec::new());
    relay.send(&v.head(), &v.parts()).expect("send");
    let (_, written) = relay.into_inner();
    v.assert_wire("StreamRelay::send", &written);
}

fn codec_decode(v: &Vector) {
    let mut buf = BytesMut::from(&v.wire[..]);
    let frame = FrameCodec::new()
        .decode(&mut buf)
        .expect("valid frame")
        .expect("a whole frame");
    v.assert_frame("FrameCodec::decode", &frame);
    assert!(
        buf.is_empty(),
        "{}: {} bytes left after the frame",
        v.name,
        buf.len()
    );
}

fn relay_receive(v: &Vector) {
    let mut relay = StreamRelay::new(Cursor::new(v.wire.clone()), io::sink());
    let frame = relay.receive().expect("valid frame");
    v.assert_frame("StreamRelay::receive", &frame);
    assert!(
        matches!(relay.receive(), Err(RelayError::Closed)),
        "{}: the relay read past the frame",
        v.name
    );
}

/// Five tests per vector, in a module named after it.
macro_rules! tests_for {
    ($($name:ident,)*) => {
        $(
            mod $name {
                use super::*;

                pub(super) fn vector() -> Vector {
                    vectors::all()
                        .into_iter()
                        .find(|v| v.name == stringify!($name))
                        .expect("a vector of that name")
                }

                #[test]
                fn encode_parts_writes_the_spec_bytes() {
                    encode_parts(&vector());
                }

                #[test]
                fn frame_to_bytes_writes_the_spec_bytes() {
                    frame_to_bytes(&vector());
                }

                #[test]
                fn stream_relay_send_writes_the_spec_bytes() {
                    relay_send(&vector());
                }

                #[test]
                fn codec_decode_reads_the_spec_fields_and_consumes_the_frame() {
                    codec_decode(&vector());
                }

                #[test]
                fn stream_relay_receive_reads_the_spec_fields_and_stops_at_the_frame_end() {
                    relay_receive(&vector());
                }
            }
        )*

        /// Every vector with tests here, in order.
        fn all_vectors() -> Vec<Vector> {
            vec![$($name::vector()),*]
        }
    };
}

tests_for! {
    v01_empty_control,
    v02_pid_request,
    v03_pid_reply,
    v04_stop_command,
    v05_data_context_and_body,
    v05b_data_context_and_body_proto,
    v06_error_frame,
    v07_stream_chunk,
    v08_stream_end,
    v09_stop,
    v10_pong,
    v11_stream_chunk_with_ping,
    v12_stop_request,
    v13_rpc_request_informer_workers,
    v14_rpc_error_reply,
    v15_rpc_request_resetter_reset,
    v16_php_stream_test,
    v17_options_only,
    v18_rpc_request_app_hi,
    v19_rpc_reply_app_hi,
    v20_rpc_proto_request_kv_set,
    v21_ten_options,
    v22_empty_context_body_hello,
    go_test_new_frame,
    go_test_frame_options,
    http_a_get_request,
    http_b_response_200,
    http_c_multi_valued_header,
    http_d1_early_hint,
    http_d2_stream_head_and_first_chunk,
    http_d3_stream_chunk,
    http_d4_stream_end,
    http_e1_server_stop,
    http_e2_server_pong,
    http_e3_worker_stop_ack,
    http_e4_worker_error,
    http_g_post_urlencoded_parsed,
    http_j_legacy_json_request,
    http_j_legacy_json_response,
}

/// All vectors back to back, as one byte stream.
fn concatenated() -> (Vec<Vector>, Vec<u8>) {
    let vectors = all_vectors();
    let stream = vectors
        .iter()
        .flat_map(|v| v.wire.iter().copied())
        .collect();
    (vectors, stream)
}

#[test]
fn every_vector_has_a_distinct_name_and_the_list_is_complete() {
    let vectors = all_vectors();
    // V1–V22 and V5b, 2 Go headers, docs/http.md: A, B, C, D1–D4, E1–E4, G, 2 × J.
    assert_eq!(vectors.len(), 23 + 2 + 14);
    let mut names: Vec<_> = vectors.iter().map(|v| v.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), vectors.len());
}

#[test]
fn codec_decodes_all_vectors_concatenated_in_one_buffer() {
    let (vectors, stream) = concatenated();
    let codec = FrameCodec::new();
    let mut buf = BytesMut::from(&stream[..]);
    for v in &vectors {
        let frame = codec.decode(&mut buf).expect("valid").expect("whole frame");
        v.assert_frame("FrameCodec::decode (concatenated)", &frame);
    }
    assert!(buf.is_empty());
    assert_eq!(codec.decode(&mut buf).expect("empty buffer is fine"), None);
}

#[test]
fn codec_decodes_all_vectors_concatenated_when_fed_one_byte_at_a_time() {
    let (vectors, stream) = concatenated();
    let codec = FrameCodec::new();
    let mut buf = BytesMut::new();
    let mut frames = Vec::new();
    for &byte in &stream {
        buf.extend_from_slice(&[byte]);
        while let Some(frame) = codec.decode(&mut buf).expect("valid") {
            frames.push(frame);
        }
    }
    assert!(buf.is_empty());
    assert_eq!(frames.len(), vectors.len());
    for (v, frame) in vectors.iter().zip(&frames) {
        v.assert_frame("FrameCodec::decode (byte by byte)", frame);
    }
}

#[test]
fn stream_relay_receives_all_vectors_concatenated_then_reports_closed() {
    let (vectors, stream) = concatenated();
    let mut relay = StreamRelay::new(&stream[..], io::sink());
    for v in &vectors {
        let frame = relay.receive().expect("valid frame");
        v.assert_frame("StreamRelay::receive (concatenated)", &frame);
    }
    assert!(matches!(relay.receive(), Err(RelayError::Closed)));
}

#[test]
fn stream_relay_sends_all_vectors_back_to_back_as_the_concatenated_bytes() {
    let (vectors, stream) = concatenated();
    let mut relay = StreamRelay::new(&[][..], Vec::new());
    for v in &vectors {
        relay.send(&v.head(), &v.parts()).expect("send");
    }
    let (_, written) = relay.into_inner();
    assert!(written == stream, "concatenated encoding differs");
}

#[test]
fn v13_and_v19_share_the_crc_because_it_covers_bytes_0_to_5_only() {
    let (v13, v19) = (
        v13_rpc_request_informer_workers::vector(),
        v19_rpc_reply_app_hi::vector(),
    );
    assert_eq!(v13.wire[..10], v19.wire[..10]);
    assert_ne!(v13.wire[12..], v19.wire[12..]);
}

#[test]
fn v9_and_v10_differ_only_in_the_stream_byte() {
    let (v9, v10) = (v09_stop::vector(), v10_pong::vector());
    let differing: Vec<usize> = (0..v9.wire.len())
        .filter(|&i| v9.wire[i] != v10.wire[i])
        .collect();
    assert_eq!(differing, [10]);
}

#[test]
fn every_vector_of_the_kit_is_tested_here() {
    let tested: Vec<_> = all_vectors().into_iter().map(|v| v.name).collect();
    let kit: Vec<_> = vectors::all().into_iter().map(|v| v.name).collect();
    assert_eq!(tested, kit);
}
