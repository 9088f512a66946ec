//! Cutting a streamed [`Body`](crate::Body) into chunks of at most a given size.

use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use bytes::Bytes;

use crate::body::{BoxError, Kind};

/// How long to wait for a channel producer before looking for a STOP from the server again.
const CHANNEL_POLL: Duration = Duration::from_millis(100);

/// What a source has for the sender.
pub(crate) enum Next {
    /// A chunk to send.
    Chunk(Bytes),
    /// Nothing yet (a channel producer is slow); look for a STOP and ask again.
    Idle,
    /// The producer failed; end the response early.
    Failed(BoxError),
    /// The body is complete.
    End,
}

/// Produces the chunks of a streamed body with blocking calls to its iterator, reader or
/// channel; the sync driver of the [`StreamWriter`](crate::stream_writer::StreamWriter) core.
pub(crate) struct ChunkSource {
    kind: Kind,
    /// The most a reader is asked for at once.
    read_size: usize,
}

impl ChunkSource {
    pub(crate) fn new(kind: Kind, read_size: usize) -> Self {
        Self {
            kind,
            read_size: read_size.max(1),
        }
    }

    pub(crate) fn next(&mut self) -> Next {
        match &mut self.kind {
            Kind::Full(bytes) => {
                if bytes.is_empty() {
                    Next::End
                } else {
                    Next::Chunk(std::mem::take(bytes))
                }
            }
            Kind::Chunks(iter) => loop {
                match iter.next() {
                    // Empty chunks carry nothing; skip them rather than send empty frames.
                    Some(Ok(chunk)) if chunk.is_empty() => continue,
                    Some(Ok(chunk)) => return Next::Chunk(chunk),
                    Some(Err(e)) => return Next::Failed(e),
                    None => return Next::End,
                }
            },
            Kind::Reader(reader) => match reader.read_chunk(self.read_size) {
                Ok(Some(chunk)) => Next::Chunk(chunk),
                Ok(None) => Next::End,
                Err(e) => Next::Failed(e.into()),
            },
            Kind::Channel(channel) => recv_chunk(&channel.rx),
        }
    }
}

fn recv_chunk(rx: &Receiver<Result<Bytes, BoxError>>) -> Next {
    match rx.recv_timeout(CHANNEL_POLL) {
        Ok(Ok(chunk)) if chunk.is_empty() => Next::Idle,
        Ok(Ok(chunk)) => Next::Chunk(chunk),
        Ok(Err(e)) => Next::Failed(e),
        Err(RecvTimeoutError::Timeout) => Next::Idle,
        Err(RecvTimeoutError::Disconnected) => Next::End,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Body;

    fn drain(mut src: ChunkSource) -> Vec<Bytes> {
        let mut out = Vec::new();
        loop {
            match src.next() {
                Next::Chunk(c) => out.push(c),
                Next::Idle => {}
                Next::End => return out,
                Next::Failed(e) => panic!("{e}"),
            }
        }
    }

    #[test]
    fn chunks_pass_through_and_empty_ones_are_skipped() {
        let body = Body::chunks(vec!["abcdefg", "", "hi"]);
        let chunks = drain(ChunkSource::new(body.into_kind(), 16));
        assert_eq!(chunks, ["abcdefg", "hi"]);
    }

    #[test]
    fn reader_is_read_in_chunk_size_pieces() {
        let body = Body::reader(std::io::Cursor::new(vec![7u8; 10]));
        let sizes: Vec<_> = drain(ChunkSource::new(body.into_kind(), 4))
            .iter()
            .map(Bytes::len)
            .collect();
        assert_eq!(sizes, [4, 4, 2]);
    }

    #[test]
    fn reader_chunks_reuse_one_buffer_once_sent() {
        let body = Body::reader(std::io::Cursor::new((0..40u8).collect::<Vec<_>>()));
        let mut src = ChunkSource::new(body.into_kind(), 16);
        let mut first = None;
        let mut data = Vec::new();
        while let Next::Chunk(chunk) = src.next() {
            data.extend_from_slice(&chunk);
            assert_eq!(*first.get_or_insert(chunk.as_ptr()), chunk.as_ptr());
        }
        assert_eq!(data, (0..40u8).collect::<Vec<_>>());
    }

    #[test]
    fn channel_ends_when_senders_are_dropped() {
        let (tx, body) = Body::channel();
        let t = std::thread::spawn(move || {
            tx.send("a").unwrap();
            tx.send("b").unwrap();
        });
        let chunks = drain(ChunkSource::new(body.into_kind(), 16));
        t.join().unwrap();
        assert_eq!(chunks, ["a", "b"]);
    }

    #[test]
    fn channel_abort_is_a_failure() {
        let (tx, body) = Body::channel();
        tx.send("a").unwrap();
        tx.abort("upstream closed").unwrap();
        let mut src = ChunkSource::new(body.into_kind(), 16);
        assert!(matches!(src.next(), Next::Chunk(c) if c == "a"));
        assert!(matches!(src.next(), Next::Failed(e) if e.to_string() == "upstream closed"));
    }

    #[test]
    fn producer_error_is_reported() {
        let body = Body::try_chunks(vec![Ok("a"), Err(std::io::Error::other("disk gone"))]);
        let mut src = ChunkSource::new(body.into_kind(), 16);
        assert!(matches!(src.next(), Next::Chunk(c) if c == "a"));
        assert!(matches!(src.next(), Next::Failed(e) if e.to_string() == "disk gone"));
    }
}
