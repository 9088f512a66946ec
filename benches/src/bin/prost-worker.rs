//! A straightforward worker on prost alone, for the pipe round-trip benchmark: no `http` types,
//! no rr-http. It decodes every request with the generated `http.v1.Request` code (maps of
//! owned strings), builds a `http.v1.Response` and sends it with the goridge relay, as a worker
//! written by hand on top of goridge and rr-proto would.

use goridge::relay::{PipeRelay, Relay};
use goridge::{Flags, FrameHead, Options, RelayError};
use prost::Message;
use rr_proto::http::v1::{Request, Response};

fn main() -> Result<(), RelayError> {
    let mut relay = PipeRelay::stdio()?;
    loop {
        let frame = match relay.receive() {
            Ok(frame) => frame,
            Err(RelayError::Closed) => return Ok(()),
            Err(e) => return Err(e),
        };
        if frame.flags().contains(Flags::CONTROL) {
            if frame.payload.starts_with(b"{\"stop\"") {
                return Ok(());
            }
            let reply = format!("{{\"pid\":{}}}", std::process::id());
            relay.send(&FrameHead::new(Flags::CONTROL), &[reply.as_bytes()])?;
            continue;
        }
        let context_len = frame.options().first().copied().unwrap_or(0) as usize;
        let context = frame.payload.slice(..context_len.min(frame.payload.len()));
        let request = Request::decode(context).map_err(std::io::Error::other)?;
        if request.method.is_empty() {
            return Err(std::io::Error::other("request without a method").into());
        }
        let head = Response {
            status: 200,
            headers: Default::default(),
        }
        .encode_to_vec();
        relay.send(
            &FrameHead::new(Flags::CODEC_PROTO).with_options(Options::one(head.len() as u32)),
            &[&head, b"Hello RoadRunner!"],
        )?;
    }
}
