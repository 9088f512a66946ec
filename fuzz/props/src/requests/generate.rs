//! The request generator: hostile text from pieces that break naive code, well-formed
//! protobuf and JSON heads built from it, form and upload trees, and byte mutations, all
//! drawn from a [`Draw`](crate::Draw).

use std::collections::BTreeMap;

use bytes::Bytes;
use prost::Message;
use rr_proto::http::v1 as pb;
use serde_json::{Value, json};

use crate::Draw as Rng;

/// Up to `max` random bytes.
pub(super) fn random_bytes(rng: &mut Rng, max: usize) -> Vec<u8> {
    let mut bytes = vec![0; rng.usize(..=max)];
    rng.fill(&mut bytes);
    bytes
}

pub(super) fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[rng.usize(..items.len())]
}

/// Pieces text is built from: what URIs, headers and PHP-style keys are made of, plus the
/// bytes that break naive code (CR, LF, NUL, `%` escapes, brackets, multi-byte characters).
const PIECES: &[&str] = &[
    "a", "Z", "0", "9", "-", "_", ".", "~", "/", "?", "#", "&", "=", "[", "]", "[]", "%", "%2",
    "%41", "%zz", "+", " ", "\t", "\r", "\n", "\0", ":", "@", ";", ",", "\"", "<", ">", "{", "|",
    "\\", "é", "😀", "\u{7f}", "\u{80}", "key", "http://", "https://", "//", "..", "x[a][b]",
    "a[]=1", "%5B%5D", "[[", "]]", "a[", "]a", "0x", "-1", "1e9", "null",
];

pub(super) fn text(rng: &mut Rng, max_pieces: usize) -> String {
    let n = rng.usize(..max_pieces + 1);
    (0..n).map(|_| *pick(rng, PIECES)).collect()
}

pub(super) fn token(rng: &mut Rng) -> String {
    const TOKENS: &[&str] = &[
        "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "PURGE", "X-CUSTOM", "get",
    ];
    (*pick(rng, TOKENS)).to_owned()
}

pub(super) fn method(rng: &mut Rng) -> String {
    if rng.usize(..8) == 0 {
        text(rng, 3)
    } else {
        token(rng)
    }
}

pub(super) fn uri(rng: &mut Rng) -> String {
    match rng.usize(..5) {
        0 => text(rng, 12),
        1 => format!("/{}", text(rng, 8)),
        _ => format!(
            "{}{}{}/{}?{}",
            pick(rng, &["http://", "https://", "", "http:///"]),
            pick(
                rng,
                &[
                    "localhost",
                    "example.com:8080",
                    "user:pw@h",
                    "[::1]:80",
                    "",
                    "ho st"
                ]
            ),
            if rng.usize(..4) == 0 {
                text(rng, 2)
            } else {
                String::new()
            },
            text(rng, 6),
            text(rng, 6)
        ),
    }
}

pub(super) fn header_name(rng: &mut Rng) -> String {
    if rng.usize(..5) == 0 {
        text(rng, 3)
    } else {
        (*pick(
            rng,
            &[
                "Accept",
                "Content-Type",
                "Cookie",
                "Host",
                "X-Forwarded-For",
                "x-lower",
                "",
            ],
        ))
        .to_owned()
    }
}

pub(super) fn values(rng: &mut Rng) -> Vec<String> {
    (0..rng.usize(..3)).map(|_| text(rng, 5)).collect()
}

/// A server-built uploads tree: sometimes well formed, sometimes anything JSON.
pub(super) fn uploads_json(rng: &mut Rng, depth: usize) -> Value {
    let file = |rng: &mut Rng| {
        json!({
            "name": text(rng, 4),
            "mime": text(rng, 2),
            "size": pick(rng, &[json!(0), json!(12), json!(-1), json!("7"), json!(1.5)]).clone(),
            "error": pick(rng, &[json!(0), json!(4), json!(99), json!(null)]).clone(),
            "tmpName": text(rng, 4),
        })
    };
    match rng.usize(..if depth > 3 { 3 } else { 6 }) {
        0 => file(rng),
        1 => json!(text(rng, 3)),
        2 => pick(
            rng,
            &[json!(null), json!(1), json!(true), json!([]), json!({})],
        )
        .clone(),
        3 => Value::Array(
            (0..rng.usize(..3))
                .map(|_| uploads_json(rng, depth + 1))
                .collect(),
        ),
        _ => Value::Object(
            (0..rng.usize(..3))
                .map(|_| (text(rng, 2), uploads_json(rng, depth + 1)))
                .collect(),
        ),
    }
}

/// A form tree as RoadRunner builds it, or something else in its place.
pub(super) fn form_body(rng: &mut Rng, depth: usize) -> Value {
    match rng.usize(..if depth > 3 { 3 } else { 5 }) {
        0 => json!(text(rng, 3)),
        1 => pick(rng, &[json!(null), json!(7), json!(false), json!(-0.5)]).clone(),
        2 => Value::Array((0..rng.usize(..3)).map(|_| json!(text(rng, 2))).collect()),
        _ => Value::Object(
            (0..rng.usize(..4))
                .map(|_| (text(rng, 2), form_body(rng, depth + 1)))
                .collect(),
        ),
    }
}

/// What a generated head holds, to check against what was decoded.
pub(super) struct Expected {
    pub(super) method: String,
    pub(super) headers: BTreeMap<String, Vec<String>>,
    pub(super) cookies: BTreeMap<String, String>,
    pub(super) attributes: BTreeMap<String, Vec<String>>,
    pub(super) raw_query: String,
    pub(super) parsed: bool,
}

pub(super) fn expected(rng: &mut Rng) -> (Expected, String, String, String, Option<Value>) {
    let exp = Expected {
        method: method(rng),
        headers: (0..rng.usize(..5))
            .map(|_| (header_name(rng), values(rng)))
            .collect(),
        cookies: (0..rng.usize(..3))
            .map(|_| (text(rng, 2), text(rng, 3)))
            .collect(),
        attributes: (0..rng.usize(..3))
            .map(|_| (text(rng, 2), values(rng)))
            .collect(),
        raw_query: text(rng, 8),
        parsed: rng.bool(),
    };
    let uploads = (rng.usize(..3) == 0).then(|| uploads_json(rng, 0));
    (exp, uri(rng), text(rng, 3), text(rng, 2), uploads)
}

pub(super) fn proto_head(rng: &mut Rng) -> (Expected, Vec<u8>) {
    let (exp, uri, remote_addr, protocol, uploads) = expected(rng);
    let header = exp
        .headers
        .iter()
        .map(|(name, vals)| {
            let value = vals.iter().map(|v| Bytes::from(v.clone())).collect();
            (name.clone(), pb::HeaderValue { value })
        })
        .collect();
    let msg = pb::Request {
        remote_addr,
        protocol,
        method: exp.method.clone(),
        uri,
        header,
        cookies: exp
            .cookies
            .iter()
            .map(|(k, v)| {
                let value = vec![Bytes::from(v.clone())];
                (k.clone(), pb::HeaderValue { value })
            })
            .collect(),
        raw_query: exp.raw_query.clone(),
        parsed: exp.parsed,
        uploads: uploads.map_or_else(Bytes::new, |u| Bytes::from(u.to_string())),
        attributes: exp
            .attributes
            .iter()
            .map(|(k, v)| {
                let value = v.iter().map(|s| Bytes::from(s.clone())).collect();
                (k.clone(), pb::HeaderValue { value })
            })
            .collect(),
    };
    (exp, msg.encode_to_vec())
}

pub(super) fn json_head(rng: &mut Rng) -> (Expected, Vec<u8>) {
    let (exp, uri, remote_addr, protocol, uploads) = expected(rng);
    let mut head = json!({
        "remoteAddr": remote_addr,
        "protocol": protocol,
        "method": exp.method,
        "uri": uri,
        "headers": exp.headers,
        "cookies": exp.cookies,
        "rawQuery": exp.raw_query,
        "parsed": exp.parsed,
        "attributes": exp.attributes,
    });
    if let Some(u) = uploads {
        head["uploads"] = u;
    }
    (
        exp,
        serde_json::to_vec(&head).expect("a JSON value serialises"),
    )
}

pub(super) fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) {
    for _ in 0..=rng.usize(..4) {
        if bytes.is_empty() {
            bytes.push(rng.u64(..) as u8);
            continue;
        }
        let i = rng.usize(..bytes.len());
        match rng.usize(..4) {
            0 => bytes[i] = rng.u64(..) as u8,
            1 => bytes.truncate(i),
            2 => bytes.insert(i, rng.u64(..) as u8),
            _ => {
                bytes.remove(i);
            }
        }
    }
}
