//! The worker of `cargo xtask bench stream`: `GET /stream?size=N` streams N bytes through
//! `Body::reader` from a reader that only copies a fixed block (so the benchmark measures
//! rr-http's streaming, not the making of the bytes); anything else answers `Hello RoadRunner!`
//! after the whole request body has arrived.

use std::io::Read;

use rr_http::{Body, RequestExt};

/// Hands out `left` bytes, copied from one 64 KiB block.
struct Block {
    block: Vec<u8>,
    left: u64,
}

impl Read for Block {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(self.block.len()).min(self.left as usize);
        buf[..n].copy_from_slice(&self.block[..n]);
        self.left -= n as u64;
        Ok(n)
    }
}

fn main() -> Result<(), rr_http::Error> {
    rr_http::serve(|req: http::Request<Body>| {
        if req.uri().path() == "/stream" {
            let size = req
                .query_as::<std::collections::HashMap<String, u64>>()
                .ok()
                .and_then(|q| q.get("size").copied())
                .unwrap_or(0);
            let block = vec![b'x'; 64 * 1024];
            return http::Response::new(Body::reader(Block { block, left: size }));
        }
        http::Response::new(Body::from("Hello RoadRunner!"))
    })
}
