//! The fast decode path ([`super::view`]) against the generated code, over random requests:
//! every context either fails on both paths or decodes to the same `http::Request`.

use std::collections::BTreeMap;

use bytes::Bytes;
use http::Request;
use prost::Message;
use rr_proto::http::v1::{HeaderValue, Request as PbRequest};

use super::{Codec, proto};
use crate::Body;
use crate::ext::{Attributes, Cookies, ParsedForm, Protocol, RawQuery, RemoteAddr};
use crate::request::{assemble_for_tests, convert};
use crate::uploads::Uploads;

const NAMES: &[&str] = &[
    "Accept",
    "accept",
    "ACCEPT",
    "User-Agent",
    "Cookie",
    "Host",
    "X-Request-Id",
    "Sec-Ch-Ua",
    "x-custom",
    "",
    "bad name",
    "Content-Type",
    "Referer",
    "\u{e9}t\u{e9}",
];
const VALUES: &[&[u8]] = &[
    b"*/*",
    b"",
    b"text/html; q=0.9",
    b"a\nb",
    b"\x80\xff",
    b"example.com:8080",
    b" spaced ",
    b"\x7f",
    b"gzip, br",
];
const URIS: &[&str] = &[
    "http://localhost:8080/hello?name=world",
    "http://shop.example.com/catalog?q=\"rust\"&x=<b>",
    "http:///x?y=1",
    "http://user:pw@example.com/p",
    "/relative",
    "",
    "garbage with spaces",
];
const METHODS: &[&str] = &["GET", "POST", "PATCH", "CUSTOM", "GE T", ""];

fn pick<T: Copy>(rng: &mut fastrand::Rng, from: &[T]) -> T {
    from[rng.usize(..from.len())]
}

fn values(rng: &mut fastrand::Rng) -> HeaderValue {
    HeaderValue {
        value: (0..rng.usize(0..4))
            .map(|_| Bytes::from_static(pick(rng, VALUES)))
            .collect(),
    }
}

/// One field (or map entry) encoded alone, sometimes twice.
fn field(parts: &mut Vec<Vec<u8>>, rng: &mut fastrand::Rng, msg: PbRequest) {
    parts.push(msg.encode_to_vec());
    if rng.u8(..10) == 0 {
        parts.push(msg.encode_to_vec());
    }
}

/// A random context: every field separately encoded, map entries one by one, all in a random
/// order (Go's map order is random), sometimes with a field sent twice or bytes flipped.
fn random_context(rng: &mut fastrand::Rng) -> Vec<u8> {
    let mut parts: Vec<Vec<u8>> = Vec::new();
    let m = PbRequest {
        remote_addr: pick(rng, &["127.0.0.1", "", "::1"]).into(),
        ..Default::default()
    };
    field(&mut parts, rng, m);
    let m = PbRequest {
        protocol: pick(rng, &["HTTP/1.1", "HTTP/2.0", "HTTP/1.0", "x"]).into(),
        ..Default::default()
    };
    field(&mut parts, rng, m);
    let m = PbRequest {
        method: pick(rng, METHODS).into(),
        ..Default::default()
    };
    field(&mut parts, rng, m);
    let m = PbRequest {
        uri: pick(rng, URIS).into(),
        ..Default::default()
    };
    field(&mut parts, rng, m);
    let m = PbRequest {
        raw_query: pick(rng, &["", "a=1&b[]=2", "q=%22x%22"]).into(),
        ..Default::default()
    };
    field(&mut parts, rng, m);
    let m = PbRequest {
        parsed: rng.bool(),
        ..Default::default()
    };
    field(&mut parts, rng, m);
    if rng.u8(..4) == 0 {
        let uploads = pick(rng, &[&b"{}"[..], b"not json", br#"{"f":{"name":"a.txt","mime":"text/plain","size":3,"error":0,"tmpName":"/tmp/x"}}"#]);
        let m = PbRequest {
            uploads: Bytes::from_static(uploads),
            ..Default::default()
        };
        field(&mut parts, rng, m);
    }
    for _ in 0..rng.usize(0..12) {
        let header = BTreeMap::from([(pick(rng, NAMES).to_owned(), values(rng))]);
        let m = PbRequest {
            header,
            ..Default::default()
        };
        field(&mut parts, rng, m);
    }
    for _ in 0..rng.usize(0..4) {
        let cookies =
            BTreeMap::from([(pick(rng, &["sid", "theme", "_ga"]).to_owned(), values(rng))]);
        let m = PbRequest {
            cookies,
            ..Default::default()
        };
        field(&mut parts, rng, m);
    }
    for _ in 0..rng.usize(0..3) {
        let attributes = BTreeMap::from([(pick(rng, &["role", "tenant"]).to_owned(), values(rng))]);
        let m = PbRequest {
            attributes,
            ..Default::default()
        };
        field(&mut parts, rng, m);
    }
    rng.shuffle(&mut parts);
    let mut context: Vec<u8> = parts.concat();
    if rng.u8(..8) == 0 && !context.is_empty() {
        for _ in 0..rng.usize(1..4) {
            let i = rng.usize(..context.len());
            context[i] = rng.u8(..);
        }
    }
    context
}

/// What a handler can see of a request.
fn seen(req: &Request<Body>) -> impl PartialEq + std::fmt::Debug {
    let ext = req.extensions();
    (
        (
            req.method().clone(),
            req.uri().clone(),
            req.version(),
            req.headers().clone(),
        ),
        ext.get::<Protocol>().cloned(),
        ext.get::<RawQuery>().cloned(),
        ext.get::<RemoteAddr>().cloned(),
        ext.get::<Cookies>().cloned(),
        ext.get::<Attributes>().cloned(),
        ext.get::<ParsedForm>().copied(),
        ext.get::<Uploads>().cloned(),
    )
}

#[test]
fn fast_decode_equals_the_generated_code_on_random_requests() {
    let mut rng = fastrand::Rng::with_seed(0x5eed_0010);
    let (mut fast_taken, mut both_ok) = (0, 0);
    for case in 0..10_000 {
        let context = Bytes::from(random_context(&mut rng));
        let reference = proto::decode_request(&context)
            .and_then(convert)
            .map(|head| assemble_for_tests(head, Bytes::new()));
        if Codec::Protobuf.decode_fast(&context).is_some() {
            fast_taken += 1;
        }
        let fast = crate::request::decode(Codec::Protobuf, &context, Bytes::new());
        match (&reference, &fast) {
            (Ok(a), Ok(b)) => {
                both_ok += 1;
                assert_eq!(seen(a), seen(b), "case {case}: context {context:02x?}");
            }
            (Err(_), Err(_)) => {}
            _ => panic!("case {case}: {reference:?} vs {fast:?} for {context:02x?}"),
        }
    }
    // The generator must reach both paths, or the test proves nothing.
    assert!(fast_taken > 1_000, "fast path taken {fast_taken} times");
    assert!(both_ok > 3_000, "{both_ok} valid cases");
}

#[test]
fn fast_path_takes_the_realistic_request_and_keeps_values_in_the_frame() {
    let context = Bytes::from(
        PbRequest {
            method: "GET".into(),
            uri: "http://h/p".into(),
            header: BTreeMap::from([(
                "User-Agent".into(),
                HeaderValue {
                    value: vec![Bytes::from_static(b"curl/8")],
                },
            )]),
            ..Default::default()
        }
        .encode_to_vec(),
    );
    let head = Codec::Protobuf.decode_fast(&context).expect("fast path");
    let value = head.headers["user-agent"].as_bytes();
    let frame = context.as_ptr_range();
    assert!(
        frame.contains(&value.as_ptr()),
        "the value points into the frame"
    );
}

#[test]
fn fast_path_takes_a_browser_request_with_cookies() {
    let value = |vs: &[&'static str]| HeaderValue {
        value: vs
            .iter()
            .map(|v| Bytes::from_static(v.as_bytes()))
            .collect(),
    };
    let context = Bytes::from(
        PbRequest {
            remote_addr: "127.0.0.1".into(),
            protocol: "HTTP/1.1".into(),
            method: "GET".into(),
            uri: "http://shop.example.com/catalog?q=shoes&color%5B%5D=red".into(),
            header: BTreeMap::from([
                (
                    "Cookie".into(),
                    value(&["sid=9f1c; csrf=Xk2", "theme=dark; _ga=GA1"]),
                ),
                ("Sec-Ch-Ua".into(), value(&["\"Chromium\";v=\"131\""])),
                ("Accept".into(), value(&["text/html"])),
            ]),
            cookies: BTreeMap::from([
                ("sid".into(), value(&["9f1c"])),
                ("csrf".into(), value(&["Xk2"])),
                ("theme".into(), value(&["dark"])),
                ("_ga".into(), value(&["GA1"])),
            ]),
            raw_query: "q=shoes&color%5B%5D=red".into(),
            ..Default::default()
        }
        .encode_to_vec(),
    );
    let head = Codec::Protobuf
        .decode_fast(&context)
        .expect("the fast path");
    assert_eq!(head.headers.get_all("cookie").iter().count(), 2);
    assert_eq!(
        head.cookies.iter().collect::<Vec<_>>(),
        [
            ("_ga", "GA1"),
            ("csrf", "Xk2"),
            ("sid", "9f1c"),
            ("theme", "dark")
        ]
    );
    assert_eq!(head.raw_query, "q=shoes&color%5B%5D=red");
}
