//! Fuzzes the goridge decoders with arbitrary bytes.
//!
//! The first input byte picks the payload limit, whether the first header's CRC is repaired
//! (so mutations of bytes 0..=5 reach past the CRC check) and the sizes of the pieces the
//! incremental decoder is fed; the rest is the byte stream. Checked: no panic, no huge
//! allocation, `FrameCodec::decode` whole and piecewise and `StreamRelay::receive` agree on
//! the frames and on how the stream ends, and a frame read from canonical bytes (version 1,
//! byte 11 zero) re-encodes to exactly those bytes.
#![no_main]

use std::io::{self, Cursor};

use bytes::BytesMut;
use goridge::{Frame, FrameCodec, FrameError, Relay, RelayError, StreamRelay};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, PartialEq)]
enum End {
    Clean,
    Partial(usize),
    Error(String),
}

fn error_text(err: &FrameError) -> String {
    assert!(
        matches!(
            err,
            FrameError::HeaderLength(_)
                | FrameError::Crc { .. }
                | FrameError::PayloadTooLarge { .. }
        ),
        "decoder produced {err:?}"
    );
    format!("{err:?}")
}

fn wire_len(frame: &Frame) -> usize {
    12 + 4 * frame.options().len() + frame.payload.len()
}

fn decode_pieces(
    codec: &FrameCodec,
    data: &[u8],
    mut piece: impl FnMut() -> usize,
) -> (Vec<Frame>, End) {
    let mut buf = BytesMut::new();
    let mut frames = Vec::new();
    let mut fed = 0;
    loop {
        loop {
            match codec.decode(&mut buf) {
                Ok(Some(frame)) => frames.push(frame),
                Ok(None) => break,
                Err(e) => return (frames, End::Error(error_text(&e))),
            }
        }
        if fed == data.len() {
            let end = if buf.is_empty() {
                End::Clean
            } else {
                End::Partial(buf.len())
            };
            return (frames, end);
        }
        let n = piece().clamp(1, data.len() - fed);
        buf.extend_from_slice(&data[fed..fed + n]);
        fed += n;
    }
}

fuzz_target!(|input: &[u8]| {
    let Some((&control, rest)) = input.split_first() else {
        return;
    };
    let mut data = rest.to_vec();
    if control & 0x80 != 0 && data.len() >= 10 {
        let crc = crc32fast::hash(&data[..6]);
        data[6..10].copy_from_slice(&crc.to_le_bytes());
    }
    let codec = match control & 0x03 {
        0 => FrameCodec::new(),
        1 => FrameCodec::new().with_max_payload(u32::MAX),
        2 => FrameCodec::new().with_max_payload(64),
        _ => FrameCodec::new().with_max_payload(0),
    };

    // Whole buffer.
    let whole = decode_pieces(&codec, &data, || usize::MAX);
    // Pieces of 1..=8 bytes, sizes taken from the control byte.
    let mut step = usize::from((control >> 2) & 0x0F);
    let pieces = decode_pieces(&codec, &data, || {
        step = (step * 5 + 3) % 8;
        step + 1
    });
    assert_eq!(pieces, whole, "piecewise decoding differs");
    let (frames, end) = whole;

    // The relay over a Cursor.
    let mut relay = StreamRelay::new(Cursor::new(&data[..]), io::sink()).with_codec(codec);
    let mut relay_frames = Vec::new();
    let relay_end = loop {
        match relay.receive() {
            Ok(frame) => relay_frames.push(frame),
            Err(e) => break e,
        }
    };
    assert_eq!(relay_frames, frames, "relay decoding differs");
    match (&end, &relay_end) {
        (End::Clean, RelayError::Closed) | (End::Partial(_), RelayError::Truncated { .. }) => {}
        (End::Error(text), RelayError::Frame(e)) => assert_eq!(&error_text(e), text),
        (end, err) => panic!("codec ended with {end:?}, relay with {err:?}"),
    }

    // Re-encoding.
    let mut at = 0;
    for frame in &frames {
        let source = &data[at..at + wire_len(frame)];
        at += wire_len(frame);
        let encoded = frame.to_bytes().expect("a decoded frame is encodable");
        if source[0] >> 4 == 1 && source[11] == 0 {
            assert!(encoded == source, "re-encoding differs");
        } else {
            let mut buf = BytesMut::from(&encoded[..]);
            assert_eq!(codec.decode(&mut buf).expect("valid").as_ref(), Some(frame));
        }
    }
});
