//! How the stream relay reads: whole small frames in one `read`, several frames out of one
//! `read`, frames cut anywhere across reads, and received frames that stay intact while the
//! relay reuses its buffer.

use super::*;

/// Hands out the bytes in the given pieces, one piece (or what fits) per `read`, and counts
/// the calls.
struct Pieces {
    pieces: Vec<Vec<u8>>,
    next: usize,
    offset: usize,
    reads: usize,
}

impl Pieces {
    fn new(pieces: Vec<Vec<u8>>) -> Self {
        Self {
            pieces,
            next: 0,
            offset: 0,
            reads: 0,
        }
    }
}

impl Read for Pieces {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.reads += 1;
        let Some(piece) = self.pieces.get(self.next) else {
            return Ok(0);
        };
        let n = buf.len().min(piece.len() - self.offset);
        buf[..n].copy_from_slice(&piece[self.offset..self.offset + n]);
        self.offset += n;
        if self.offset == piece.len() {
            self.next += 1;
            self.offset = 0;
        }
        Ok(n)
    }
}

impl ReadReady for Pieces {
    fn read_ready(&self) -> io::Result<bool> {
        Ok(true)
    }
}

fn sample_frames() -> Vec<Frame> {
    vec![
        Frame::new(data_head(5), pattern(1252)),
        Frame::new(FrameHead::new(Flags::CONTROL), &br#"{"pid":1}"#[..]),
        Frame::new(ten_options_head(), pattern(300)),
        Frame::new(data_head(0), Vec::new()),
    ]
}

#[test]
fn a_small_frame_takes_one_read() {
    let frames = sample_frames();
    let pieces = frames
        .iter()
        .map(|f| f.to_bytes().expect("encodable"))
        .collect();
    let mut relay = StreamRelay::new(Pieces::new(pieces), io::sink());
    for expected in &frames {
        assert_eq!(&relay.receive().expect("receive"), expected);
    }
    assert!(matches!(relay.receive(), Err(RelayError::Closed)));
    let (reader, _) = relay.into_inner();
    assert_eq!(
        reader.reads,
        frames.len() + 1,
        "one read per frame, one for the end"
    );
}

#[test]
fn several_frames_in_one_read_are_all_handed_out() {
    let frames = sample_frames();
    let all: Vec<u8> = frames
        .iter()
        .flat_map(|f| f.to_bytes().expect("encodable"))
        .collect();
    let mut relay = StreamRelay::new(Pieces::new(vec![all]), io::sink());
    for expected in &frames {
        assert_eq!(&relay.receive().expect("receive"), expected);
    }
    assert!(matches!(relay.receive(), Err(RelayError::Closed)));
    let (reader, _) = relay.into_inner();
    assert_eq!(reader.reads, 2, "one read for every frame, one for the end");
}

#[test]
fn frames_cut_anywhere_across_two_reads_decode() {
    let frames = &sample_frames()[1..];
    let all: Vec<u8> = frames
        .iter()
        .flat_map(|f| f.to_bytes().expect("encodable"))
        .collect();
    for cut in 1..all.len() {
        let pieces = vec![all[..cut].to_vec(), all[cut..].to_vec()];
        let mut relay = StreamRelay::new(Pieces::new(pieces), io::sink());
        for expected in frames {
            assert_eq!(&relay.receive().expect("receive"), expected, "cut at {cut}");
        }
        assert!(matches!(relay.receive(), Err(RelayError::Closed)));
    }
}

#[test]
fn frames_larger_than_the_read_buffer_arrive_whole_in_any_pieces() {
    let frames = [
        Frame::new(data_head(7), pattern(200_000)),
        Frame::new(data_head(0), pattern(10)),
        Frame::new(data_head(3), pattern(1_000_000)),
        Frame::new(data_head(1), pattern(70_000)),
    ];
    let all: Vec<u8> = frames
        .iter()
        .flat_map(|f| f.to_bytes().expect("encodable"))
        .collect();
    for piece in [1000, 4096, 65_536, 65_537, 300_000, all.len()] {
        let pieces = all.chunks(piece).map(<[u8]>::to_vec).collect();
        let mut relay = StreamRelay::new(Pieces::new(pieces), io::sink());
        for expected in &frames {
            assert_eq!(
                &relay.receive().expect("receive"),
                expected,
                "pieces of {piece}"
            );
        }
        assert!(matches!(relay.receive(), Err(RelayError::Closed)));
    }
}

#[test]
fn frames_kept_by_the_caller_stay_intact_while_later_ones_arrive() {
    // More than the relay's buffer in all, so it has to renew the buffer while the first
    // frames are still held.
    let frames: Vec<Frame> = (0..200)
        .map(|i| Frame::new(data_head(i % 7), pattern(1000 + i * 13)))
        .collect();
    let all: Vec<u8> = frames
        .iter()
        .flat_map(|f| f.to_bytes().expect("encodable"))
        .collect();
    let pieces = all.chunks(3000).map(<[u8]>::to_vec).collect();
    let mut relay = StreamRelay::new(Pieces::new(pieces), io::sink());
    let mut kept = Vec::new();
    for (i, expected) in frames.iter().enumerate() {
        let frame = relay.receive().expect("receive");
        assert_eq!(&frame, expected);
        if i % 2 == 0 {
            kept.push(frame);
        }
    }
    assert!(
        kept.iter().eq(frames.iter().step_by(2)),
        "a kept frame changed"
    );
}
