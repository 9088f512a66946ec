//! Corrupt headers: CRC, flipped bits, header lengths.

use super::*;

#[test]
fn bad_crc_is_a_typed_crc_error_carrying_the_header() {
    let mut bytes = wire(data_head(3), b"ctxbody");
    bytes[8] ^= 0x10;
    let sent: [u8; 12] = bytes[..12].try_into().expect("12 bytes");
    match reading(bytes).receive() {
        Err(RelayError::Frame(FrameError::Crc {
            expected,
            actual,
            header,
        })) => {
            assert_eq!(header, sent);
            assert_eq!(
                expected,
                u32::from_le_bytes(sent[6..10].try_into().expect("4 bytes"))
            );
            assert_eq!(actual, crc32fast::hash(&sent[..6]));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn any_flipped_bit_in_bytes_0_to_9_is_refused() {
    let bytes = wire(data_head(3), b"ctxbody");
    for bit in 0..80 {
        let mut bad = bytes.clone();
        bad[bit / 8] ^= 1 << (bit % 8);
        match reading(bad).receive() {
            Err(RelayError::Frame(FrameError::Crc { .. } | FrameError::HeaderLength(_))) => {}
            other => panic!("bit {bit}: {other:?}"),
        }
    }
}

#[test]
fn header_length_0_1_2_14_15_is_refused_by_the_relay() {
    for hl in [0u8, 1, 2, 14, 15] {
        let mut bytes = header_with_crc(0x10 | hl, 0, 0).to_vec();
        bytes.extend_from_slice(&[0; 64]);
        match reading(bytes).receive() {
            Err(RelayError::Frame(FrameError::HeaderLength(got))) => assert_eq!(got, hl),
            other => panic!("HL {hl}: {other:?}"),
        }
    }
}

#[test]
fn header_length_0_1_2_14_15_is_refused_by_the_codec() {
    for hl in [0u8, 1, 2, 14, 15] {
        let mut buf = BytesMut::from(&header_with_crc(0x10 | hl, 0, 0)[..]);
        match FrameCodec::new().decode(&mut buf) {
            Err(FrameError::HeaderLength(got)) => assert_eq!(got, hl),
            other => panic!("HL {hl}: {other:?}"),
        }
        assert_eq!(buf.len(), 12, "HL {hl}: the buffer must be left as it was");
    }
}

#[test]
fn header_length_3_to_13_with_any_version_nibble_is_accepted() {
    for version in [0u8, 1, 2, 15] {
        for hl in 3u8..=13 {
            let mut bytes = header_with_crc(version << 4 | hl, 0, 2).to_vec();
            bytes.extend(std::iter::repeat_n(7u8, 4 * usize::from(hl - 3)));
            bytes.extend_from_slice(b"hi");
            let frame = reading(bytes).receive().expect("valid frame");
            assert_eq!(frame.options().len(), usize::from(hl - 3));
            assert_eq!(&frame.payload[..], b"hi");
        }
    }
}
