//! End of stream: clean closes between frames, truncation inside one.

use super::*;

#[test]
fn receive_on_an_empty_stream_reports_closed() {
    assert!(matches!(
        reading(Vec::new()).receive(),
        Err(RelayError::Closed)
    ));
}

#[test]
fn eof_exactly_between_frames_reports_closed() {
    let mut bytes = wire(data_head(3), b"ctxbody");
    bytes.extend(wire(FrameHead::new(Flags::CONTROL), b"{}"));
    let mut relay = reading(bytes);
    relay.receive().expect("first frame");
    relay.receive().expect("second frame");
    assert!(matches!(relay.receive(), Err(RelayError::Closed)));
}

#[test]
fn eof_inside_the_header_reports_truncated_header() {
    let bytes = wire(data_head(3), b"ctxbody");
    for cut in 1..12 {
        match reading(bytes[..cut].to_vec()).receive() {
            Err(RelayError::Truncated {
                part: "header",
                got,
                expected: 12,
            }) => {
                assert_eq!(got, cut);
            }
            other => panic!("cut at {cut}: {other:?}"),
        }
    }
}

#[test]
fn eof_inside_the_options_reports_truncated_options() {
    let head =
        FrameHead::new(Flags::CODEC_JSON).with_options(Options::from_slice(&[1, 2]).expect("two"));
    let bytes = wire(head, b"payload");
    for cut in 12..20 {
        match reading(bytes[..cut].to_vec()).receive() {
            Err(RelayError::Truncated {
                part: "options",
                got,
                expected: 8,
            }) => {
                assert_eq!(got, cut - 12);
            }
            other => panic!("cut at {cut}: {other:?}"),
        }
    }
}

#[test]
fn eof_inside_the_payload_reports_truncated_payload() {
    let bytes = wire(data_head(3), b"ctxbody");
    for cut in 16..bytes.len() {
        match reading(bytes[..cut].to_vec()).receive() {
            Err(RelayError::Truncated {
                part: "payload",
                got,
                expected: 7,
            }) => {
                assert_eq!(got, cut - 16);
            }
            other => panic!("cut at {cut}: {other:?}"),
        }
    }
}

#[test]
fn truncated_error_names_the_part_and_the_byte_counts() {
    let bytes = wire(data_head(3), b"ctxbody");
    let err = reading(bytes[..18].to_vec()).receive().unwrap_err();
    assert_eq!(
        err.to_string(),
        "relay closed in the middle of a frame (2 of 7 bytes of its payload)"
    );
}
