//! Readers and writers that move one byte at a time.

use super::*;

#[test]
fn reader_giving_one_byte_per_read_still_decodes_every_frame() {
    let frames = [
        Frame::new(FrameHead::new(Flags::CONTROL), &br#"{"pid":1}"#[..]),
        Frame::new(ten_options_head(), pattern(1000)),
        Frame::new(data_head(0), Vec::new()),
        Frame::new(
            FrameHead::new(Flags::EMPTY).with_stream(StreamFlags::STOP),
            Vec::new(),
        ),
    ];
    let bytes: Vec<u8> = frames
        .iter()
        .flat_map(|f| f.to_bytes().expect("encodable"))
        .collect();
    let mut relay = StreamRelay::new(OneByteAtATime::new(Cursor::new(bytes.clone())), io::sink());
    for expected in &frames {
        assert_eq!(&relay.receive().expect("receive"), expected);
    }
    assert!(matches!(relay.receive(), Err(RelayError::Closed)));
    let (reader, _) = relay.into_inner();
    assert!(
        reader.reads >= bytes.len(),
        "only {} reads for {} bytes",
        reader.reads,
        bytes.len()
    );
}

#[test]
fn reader_giving_one_byte_per_read_reports_truncated_payload_at_eof() {
    let bytes = wire(data_head(3), b"ctxbody");
    let cut = bytes.len() - 2;
    let mut relay = StreamRelay::new(
        OneByteAtATime::new(Cursor::new(bytes[..cut].to_vec())),
        io::sink(),
    );
    assert!(matches!(
        relay.receive(),
        Err(RelayError::Truncated {
            part: "payload",
            got: 5,
            expected: 7
        })
    ));
}

#[test]
fn interrupted_reads_are_retried() {
    let frame = Frame::new(ten_options_head(), pattern(300));
    let reader = Interrupting {
        inner: Cursor::new(frame.to_bytes().expect("encodable")),
        interrupt_next: false,
    };
    let mut relay = StreamRelay::new(reader, io::sink());
    assert_eq!(relay.receive().expect("receive"), frame);
}

#[test]
fn writer_taking_one_byte_per_write_still_gets_the_exact_frame() {
    let mut relay = StreamRelay::new(&[][..], OneByteWriter::default());
    relay
        .send(&data_head(3), &[b"ctx", b"", b"body"])
        .expect("send");
    let (_, writer) = relay.into_inner();
    assert_eq!(writer.written, wire(data_head(3), b"ctxbody"));
    assert_eq!(writer.writes, writer.written.len());
}

#[test]
fn send_with_more_parts_than_inline_slots_writes_them_contiguously() {
    let mut relay = StreamRelay::new(&[][..], Vec::new());
    relay
        .send(&data_head(2), &[b"c", b"t", b"", b"b", b"o", b"dy"])
        .expect("send");
    let (_, written) = relay.into_inner();
    assert_eq!(written, wire(data_head(2), b"ctbody"));
}
