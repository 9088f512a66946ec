//! Fixtures shared by the Criterion benchmarks in `benches/benches/`.
//!
//! * Request contexts: vector A and vector J of `docs/http.md` (from `rr-testkit`), and a realistic
//!   browser request (16 headers, 4 cookies, a query) in both encodings.
//! * [`request_frame`]: a whole request frame as RoadRunner would send it.
//! * [`Exchange`]: an [`HttpWorker`] on one end of a [`MemoryRelay`] pair and the "server" on
//!   the other, for full in-memory request/response round trips through the public API only.
//!
//! Nothing here measures time; the unit tests only check that the fixtures decode as intended.

use std::collections::BTreeMap;
use std::io::{self, Read};

use bytes::{Bytes, BytesMut};
use goridge::{Flags, Frame, FrameCodec, FrameHead, MemoryRelay, Options, Relay};
use http::{Request, Response};
use prost::Message;
use rr_http::{Body, HttpWorker};
use rr_proto::http::v1 as pb;
use rr_worker::Worker;

/// Vector A (`docs/http.md`): `GET /hello?name=world` from curl, 123 bytes of `http.v1.Request`.
pub const VECTOR_A_CONTEXT_HEX: &str = rr_testkit::vectors::http::A_CONTEXT;

/// Vector J (`docs/http.md`): the same GET as vector A in the legacy JSON codec, 250 bytes.
pub const VECTOR_J_CONTEXT: &str = rr_testkit::vectors::http::J_CONTEXT;

pub use rr_testkit::unhex;

/// The `http.v1.Request` context of vector A.
pub fn vector_a_context() -> Vec<u8> {
    unhex(VECTOR_A_CONTEXT_HEX)
}

/// The JSON context of vector J.
pub fn vector_j_context() -> Vec<u8> {
    VECTOR_J_CONTEXT.as_bytes().to_vec()
}

/// The realistic request, shared with `cargo xtask bench --request realistic`: its query on the
/// first line, then its header lines as Go hands them over (canonical names, no `Host`).
const REALISTIC_REQUEST: &str = include_str!("../realistic-request.txt");

/// The query of the realistic request.
pub fn realistic_query() -> &'static str {
    REALISTIC_REQUEST.lines().next().unwrap_or_default()
}

/// The header fields of the realistic request, grouped by name in order: 16 names, 17 lines.
pub fn realistic_headers() -> Vec<(&'static str, Vec<&'static str>)> {
    let mut fields: Vec<(&str, Vec<&str>)> = Vec::new();
    for line in REALISTIC_REQUEST.lines().skip(1) {
        let (name, value) = line.split_once(": ").expect("`Name: value` lines");
        match fields.last_mut() {
            Some((last, values)) if *last == name => values.push(value),
            _ => fields.push((name, vec![value])),
        }
    }
    fields
}

/// The cookies of the realistic request, as the server parses them out of `Cookie`.
pub const REALISTIC_COOKIES: &[(&str, &str)] = &[
    ("_ga", "GA1.2.1234567890.1700000000"),
    ("csrftoken", "Xk2Lr9QvT0pZ"),
    ("session_id", "9f1c2ab7e3d54f0a8b6c"),
    ("theme", "dark"),
];

fn realistic_uri() -> String {
    format!(
        "http://shop.example.com/catalog/search?{}",
        realistic_query()
    )
}

/// The realistic request as an `http.v1.Request` message.
pub fn realistic_request() -> pb::Request {
    let values = |vs: &[&str]| pb::HeaderValue {
        value: vs
            .iter()
            .map(|v| Bytes::copy_from_slice(v.as_bytes()))
            .collect(),
    };
    pb::Request {
        remote_addr: "127.0.0.1".into(),
        protocol: "HTTP/1.1".into(),
        method: "GET".into(),
        uri: realistic_uri(),
        header: realistic_headers()
            .into_iter()
            .map(|(k, vs)| (k.to_owned(), values(&vs)))
            .collect(),
        cookies: REALISTIC_COOKIES
            .iter()
            .map(|(k, v)| ((*k).to_owned(), values(&[v])))
            .collect(),
        raw_query: realistic_query().into(),
        parsed: false,
        uploads: Bytes::new(),
        attributes: BTreeMap::new(),
    }
}

/// The realistic request's protobuf context.
pub fn realistic_proto_context() -> Vec<u8> {
    realistic_request().encode_to_vec()
}

/// The realistic request's legacy JSON context (`docs/http.md`).
pub fn realistic_json_context() -> Vec<u8> {
    let headers: serde_json::Map<String, serde_json::Value> = realistic_headers()
        .into_iter()
        .map(|(k, vs)| (k.to_owned(), serde_json::json!(vs)))
        .collect();
    let cookies: serde_json::Map<String, serde_json::Value> = REALISTIC_COOKIES
        .iter()
        .map(|(k, v)| ((*k).to_owned(), serde_json::json!(v)))
        .collect();
    serde_json::json!({
        "remoteAddr": "127.0.0.1",
        "protocol": "HTTP/1.1",
        "method": "GET",
        "uri": realistic_uri(),
        "headers": headers,
        "cookies": cookies,
        "rawQuery": realistic_query(),
        "parsed": false,
        "uploads": null,
        "attributes": {},
    })
    .to_string()
    .into_bytes()
}

/// A whole frame (header, one option = context length, payload = context ‖ body).
pub fn request_frame(flags: Flags, context: &[u8], body: &[u8]) -> Bytes {
    let context_len = u32::try_from(context.len()).expect("context under 4 GiB");
    let head = FrameHead::new(flags).with_options(Options::one(context_len));
    let mut buf = BytesMut::new();
    FrameCodec::new()
        .encode_parts(&head, &[context, body], &mut buf)
        .expect("frame fits");
    buf.freeze()
}

/// A reader that yields the same bytes (e.g. one frame) over and over, without blocking: the
/// input of a [`StreamRelay`](goridge::StreamRelay) in benchmarks that must not measure the
/// kernel or thread wake-ups.
#[derive(Debug, Clone)]
pub struct Cycle {
    bytes: Bytes,
    pos: usize,
}

impl Cycle {
    /// Cycles over `bytes`, which must not be empty.
    ///
    /// # Panics
    ///
    /// When `bytes` is empty.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        let bytes = bytes.into();
        assert!(!bytes.is_empty(), "nothing to cycle over");
        Self { bytes, pos: 0 }
    }
}

impl Read for Cycle {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(self.bytes.len() - self.pos);
        buf[..n].copy_from_slice(&self.bytes[self.pos..self.pos + n]);
        self.pos = (self.pos + n) % self.bytes.len();
        Ok(n)
    }
}

impl goridge::relay::ReadReady for Cycle {
    fn read_ready(&self) -> io::Result<bool> {
        Ok(true)
    }
}

/// A 200 with five headers, as a typical HTML page answer.
pub fn response_with_5_headers() -> Response<Body> {
    Response::builder()
        .header("content-type", "text/html; charset=utf-8")
        .header("cache-control", "private, max-age=0, must-revalidate")
        .header("x-request-id", "5b0c2f7e-8d1a-4c3b-9e6f-0a1b2c3d4e5f")
        .header(
            "set-cookie",
            "session_id=9f1c2ab7e3d54f0a8b6c; Path=/; HttpOnly",
        )
        .header("vary", "Accept-Encoding")
        .body(Body::from("Hello RoadRunner!"))
        .expect("valid response")
}

/// A 200 without headers.
pub fn plain_response() -> Response<Body> {
    Response::new(Body::from("Hello RoadRunner!"))
}

/// An [`HttpWorker`] over an in-memory relay, and the server end of that relay.
#[derive(Debug)]
pub struct Exchange {
    /// The worker under test.
    pub worker: HttpWorker<MemoryRelay>,
    /// The "server": pushes request frames, receives response frames.
    pub server: MemoryRelay,
}

impl Default for Exchange {
    fn default() -> Self {
        Self::new()
    }
}

impl Exchange {
    /// A fresh worker and server.
    pub fn new() -> Self {
        let (relay, server) = MemoryRelay::pair();
        Self {
            worker: HttpWorker::new(Worker::new(relay)),
            server,
        }
    }

    /// One round trip: the server sends `frame`, the worker decodes it into an
    /// `http::Request`, `handler` answers it, and the server receives the response frame.
    ///
    /// # Panics
    ///
    /// When anything fails: the fixtures are meant to be valid.
    pub fn round_trip(
        &mut self,
        frame: &Bytes,
        handler: impl FnOnce(Request<Body>) -> Response<Body>,
    ) -> Frame {
        self.server
            .send_raw(frame.clone())
            .expect("worker end alive");
        let (request, responder) = self
            .worker
            .next_request()
            .expect("relay works")
            .expect("a request, not a stop");
        responder.respond(handler(request)).expect("response sent");
        self.server.receive().expect("a response frame")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rr_http::RequestExt;

    #[test]
    fn vector_a_decodes_to_the_curl_get() {
        let frame = request_frame(Flags::CODEC_PROTO, &vector_a_context(), b"");
        assert_eq!(
            frame.len(),
            139,
            "docs/http.md, vector A: the whole frame is 139 bytes"
        );
        let mut ex = Exchange::new();
        let mut seen = None;
        let answer = ex.round_trip(&frame, |req| {
            seen = Some((
                req.method().clone(),
                req.uri().to_string(),
                req.headers().len(),
            ));
            plain_response()
        });
        let (method, uri, headers) = seen.unwrap();
        assert_eq!(method, http::Method::GET);
        assert_eq!(uri, "http://localhost:8080/hello?name=world");
        assert!(
            headers >= 2,
            "Accept and User-Agent at least, got {headers}"
        );
        assert_eq!(answer.flags(), Flags::CODEC_PROTO);
        let context_len = answer.options()[0] as usize;
        let head = pb::Response::decode(&answer.payload[..context_len]).unwrap();
        assert_eq!(head.status, 200);
        assert_eq!(&answer.payload[context_len..], b"Hello RoadRunner!");
    }

    #[test]
    fn realistic_fixture_has_16_names_in_17_lines() {
        let headers = realistic_headers();
        assert_eq!(headers.len(), 16);
        assert_eq!(headers.iter().map(|(_, vs)| vs.len()).sum::<usize>(), 17);
        assert!(realistic_query().starts_with("q=running+shoes&"));
    }

    #[test]
    fn realistic_request_decodes_in_both_codecs() {
        for (flags, context) in [
            (Flags::CODEC_PROTO, realistic_proto_context()),
            (Flags::CODEC_JSON, realistic_json_context()),
        ] {
            let frame = request_frame(flags, &context, b"");
            let mut ex = Exchange::new();
            let mut seen = None;
            let answer = ex.round_trip(&frame, |req| {
                seen = Some((
                    req.headers().get_all("cookie").iter().count(),
                    req.headers().len(),
                    req.cookie("session_id").map(str::to_owned),
                    req.uri().query().map(str::to_owned),
                ));
                response_with_5_headers()
            });
            let (cookie_lines, header_lines, session, query) = seen.unwrap();
            assert_eq!(cookie_lines, 2, "{flags:?}");
            assert!(header_lines >= 16, "{flags:?}: {header_lines} header lines");
            assert_eq!(
                session.as_deref(),
                Some("9f1c2ab7e3d54f0a8b6c"),
                "{flags:?}"
            );
            assert_eq!(query.as_deref(), Some(realistic_query()), "{flags:?}");
            assert_eq!(answer.flags(), flags, "the answer uses the request's codec");
        }
    }

    #[test]
    fn vector_j_is_answered_in_json() {
        let frame = request_frame(Flags::CODEC_JSON, &vector_j_context(), b"");
        let answer = Exchange::new().round_trip(&frame, |_| response_with_5_headers());
        assert_eq!(answer.flags(), Flags::CODEC_JSON);
        let context_len = answer.options()[0] as usize;
        let head: serde_json::Value =
            serde_json::from_slice(&answer.payload[..context_len]).unwrap();
        assert_eq!(head["status"], 200);
        assert_eq!(head["headers"].as_object().unwrap().len(), 5);
    }

    /// The Go benchmarks of `xtask/go-worker` decode the very same bytes.
    #[test]
    fn go_testdata_matches_the_fixtures() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../xtask/go-worker/testdata");
        for (file, context) in [
            ("vector_a_request.hex", vector_a_context()),
            ("realistic_request.hex", realistic_proto_context()),
        ] {
            let hex = std::fs::read_to_string(dir.join(file)).unwrap();
            assert_eq!(unhex(hex.trim()), context, "{file}");
        }
    }

    #[test]
    fn cycle_repeats_its_bytes() {
        let mut cycle = Cycle::new(&b"abc"[..]);
        let mut buf = [0u8; 7];
        cycle.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"abcabca");
    }

    #[test]
    fn five_header_response_carries_five_headers() {
        let frame = request_frame(Flags::CODEC_PROTO, &vector_a_context(), b"");
        let answer = Exchange::new().round_trip(&frame, |_| response_with_5_headers());
        let context_len = answer.options()[0] as usize;
        let head = pb::Response::decode(&answer.payload[..context_len]).unwrap();
        assert_eq!(head.status, 200);
        assert_eq!(head.headers.len(), 5);
    }
}
