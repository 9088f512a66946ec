//! The floor of the pipe round-trip benchmark: a "worker" that does the least a worker can.
//!
//! It answers the pid request, then for every frame on stdin reads it into one buffer (finding
//! its end from the length field, no CRC check, no decoding) and writes one canned response
//! frame: the bytes the hello example sends (`200`, no headers, `Hello RoadRunner!`). Any
//! worker costs at least this much: one `read` and one `write` per request.

use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::AsFd;

use goridge::Flags;
use goridge::{FrameCodec, FrameHead, Options};
use prost::Message;
use rr_proto::http::v1::Response;

fn main() -> io::Result<()> {
    // The descriptors themselves: std's stdin buffer and stdout's line buffering would add
    // copies or split writes.
    let mut input = File::from(io::stdin().as_fd().try_clone_to_owned()?);
    let mut output = File::from(io::stdout().as_fd().try_clone_to_owned()?);
    let canned = frame(
        Flags::CODEC_PROTO,
        &Response {
            status: 200,
            headers: Default::default(),
        }
        .encode_to_vec(),
        b"Hello RoadRunner!",
    );
    let pid_reply = frame(
        Flags::CONTROL,
        b"",
        format!("{{\"pid\":{}}}", std::process::id()).as_bytes(),
    );
    let mut buf = vec![0u8; 64 * 1024];
    let mut filled = 0;
    loop {
        // One frame: header (12 bytes + options), then the payload length it announces.
        let frame_len = loop {
            if filled >= 12 {
                let options = usize::from(buf[0] & 0x0F).saturating_sub(3) * 4;
                let payload = u32::from_le_bytes([buf[2], buf[3], buf[4], buf[5]]) as usize;
                let len = 12 + options + payload;
                if filled >= len {
                    break len;
                }
                if len > buf.len() {
                    buf.resize(len, 0);
                }
            }
            match input.read(&mut buf[filled..])? {
                0 => return Ok(()),
                n => filled += n,
            }
        };
        let control = buf[1] & Flags::CONTROL.bits() != 0;
        if control && buf[12..frame_len].starts_with(b"{\"stop\"") {
            return Ok(());
        }
        if control {
            output.write_all(&pid_reply)?;
        } else {
            output.write_all(&canned)?;
        }
        buf.copy_within(frame_len..filled, 0);
        filled -= frame_len;
    }
}

/// One whole frame, encoded once at start.
fn frame(flags: Flags, context: &[u8], body: &[u8]) -> Vec<u8> {
    let mut head = FrameHead::new(flags);
    if !context.is_empty() {
        head = head.with_options(Options::one(context.len() as u32));
    }
    let mut out = bytes::BytesMut::new();
    FrameCodec::new()
        .encode_parts(&head, &[context, body], &mut out)
        .expect("a small frame");
    out.to_vec()
}
