//! The protobuf `http.v1` encoding.

use std::collections::BTreeMap;

use bytes::Bytes;
use prost::Message;
use prost::encoding as pb;
use rr_proto::http::v1::{HeaderValue, Request, Response};

use super::{RequestHead, ResponseHead};
use crate::RequestError;
use crate::uploads::Uploads;

pub(super) fn decode_request(context: &Bytes) -> Result<RequestHead, RequestError> {
    // Decoding from `Bytes` makes the header values slices of the frame, not copies.
    let req = Request::decode(context.clone()).map_err(RequestError::protobuf)?;
    Ok(RequestHead {
        remote_addr: req.remote_addr,
        protocol: req.protocol,
        method: req.method,
        uri: req.uri,
        raw_query: req.raw_query,
        headers: req.header.into_iter().map(|(k, v)| (k, v.value)).collect(),
        cookies: cookies_from(req.cookies),
        parsed: req.parsed,
        uploads: uploads_from(req.uploads),
        attributes: attributes_from(req.attributes),
    })
}

/// Cookie name → its first value (rr sends one), in key order.
pub(super) fn cookies_from(map: BTreeMap<String, HeaderValue>) -> Vec<(String, String)> {
    map.into_iter()
        .filter_map(|(k, v)| {
            let value = v.value.into_iter().next()?;
            Some((k, String::from_utf8_lossy(&value).into_owned()))
        })
        .collect()
}

/// Attribute name → its values as text, in key order.
pub(super) fn attributes_from(map: BTreeMap<String, HeaderValue>) -> Vec<(String, Vec<String>)> {
    map.into_iter()
        .map(|(k, v)| {
            let values = v
                .value
                .iter()
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .collect();
            (k, values)
        })
        .collect()
}

/// The uploads tree, when the field holds one.
pub(super) fn uploads_from(json: Bytes) -> Option<Uploads> {
    Some(json)
        .filter(|u| !u.is_empty())
        .map(|json| Uploads::from_json(&json))
}

pub(super) fn encode_response(mut head: ResponseHead) -> Vec<u8> {
    // Straight into the buffer with prost's field encoders, in the key order of the generated
    // code's map, so the bytes are the same; no map is built. Names sent twice (the responder
    // never does) are left to the generated code, whose map keeps the last.
    head.headers.sort_by(|a, b| a.0.cmp(&b.0));
    if head.headers.windows(2).any(|w| w[0].0 == w[1].0) {
        return encode_response_generated(head);
    }
    let status = i64::from(head.status);
    // As prost's maps: an empty key and an empty value message are left out of the entry.
    let value_len = |values: &Vec<Bytes>| pb::bytes::encoded_len_repeated(1, values);
    let entry_len = |name: &String, values: &Vec<Bytes>| {
        let key = if name.is_empty() {
            0
        } else {
            pb::string::encoded_len(1, name)
        };
        let value = match value_len(values) {
            0 => 0,
            n => pb::key_len(2) + pb::encoded_len_varint(n as u64) + n,
        };
        key + value
    };
    let mut len = if status == 0 {
        0
    } else {
        pb::int64::encoded_len(1, &status)
    };
    for (name, values) in &head.headers {
        let entry = entry_len(name, values);
        len += pb::key_len(2) + pb::encoded_len_varint(entry as u64) + entry;
    }
    let mut out = Vec::with_capacity(len);
    if status != 0 {
        pb::int64::encode(1, &status, &mut out);
    }
    for (name, values) in &head.headers {
        pb::encode_key(2, pb::WireType::LengthDelimited, &mut out);
        pb::encode_varint(entry_len(name, values) as u64, &mut out);
        if !name.is_empty() {
            pb::string::encode(1, name, &mut out);
        }
        if !values.is_empty() {
            pb::encode_key(2, pb::WireType::LengthDelimited, &mut out);
            pb::encode_varint(value_len(values) as u64, &mut out);
            pb::bytes::encode_repeated(1, values, &mut out);
        }
    }
    debug_assert_eq!(out.len(), len);
    out
}

/// The generated code's encoding: the reference [`encode_response`] matches.
pub(super) fn encode_response_generated(head: ResponseHead) -> Vec<u8> {
    // The head is consumed: names and values move into the message instead of being cloned.
    let response = Response {
        status: i64::from(head.status),
        headers: head
            .headers
            .into_iter()
            .map(|(name, value)| (name, HeaderValue { value }))
            .collect(),
    };
    response.encode_to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    use rr_testkit::unhex;

    #[test]
    fn encodes_vector_b_context() {
        let head = super::super::vector_b_head();
        assert_eq!(
            encode_response(head),
            unhex(rr_testkit::vectors::http::B_CONTEXT)
        );
    }

    #[test]
    fn encodes_vector_c_context() {
        let head = ResponseHead {
            status: 204,
            headers: vec![(
                "Set-Cookie".into(),
                vec![
                    Bytes::from_static(b"a=1; Path=/"),
                    Bytes::from_static(b"b=2; Path=/"),
                ],
            )],
        };
        assert_eq!(
            encode_response(head),
            unhex(rr_testkit::vectors::http::C_CONTEXT)
        );
    }

    #[test]
    fn decodes_vector_a_context() {
        let ctx = Bytes::from(unhex(rr_testkit::vectors::http::A_CONTEXT));
        let head = decode_request(&ctx).unwrap();
        assert_eq!(head.remote_addr, "127.0.0.1");
        assert_eq!(head.protocol, "HTTP/1.1");
        assert_eq!(head.method, "GET");
        assert_eq!(head.uri, "http://localhost:8080/hello?name=world");
        assert_eq!(
            head.headers,
            vec![
                ("Accept".to_owned(), vec![Bytes::from_static(b"*/*")]),
                (
                    "User-Agent".to_owned(),
                    vec![Bytes::from_static(b"curl/8.5.0")]
                ),
            ]
        );
        assert!(!head.parsed);
        assert_eq!(head.uploads, None);
    }

    #[test]
    fn direct_encoding_is_the_generated_codes_bytes_on_random_heads() {
        let mut rng = fastrand::Rng::with_seed(0x5eed_0011);
        let names = [
            "Content-Type",
            "Set-Cookie",
            "X-A",
            "x-a",
            "Vary",
            "",
            "Trailer",
        ];
        let values: [&[u8]; 4] = [b"", b"text/html", b"a=1; Path=/", b"\xff\x00"];
        for case in 0..5_000 {
            let mut headers: Vec<(String, Vec<Bytes>)> = Vec::new();
            for _ in 0..rng.usize(0..6) {
                let name = names[rng.usize(..names.len())].to_owned();
                let vs = (0..rng.usize(0..3))
                    .map(|_| Bytes::from_static(values[rng.usize(..values.len())]))
                    .collect();
                headers.push((name, vs));
            }
            let status = [0, 100, 200, 204, 404, 599][rng.usize(..6)];
            let head = ResponseHead { status, headers };
            assert_eq!(
                encode_response(head.clone()),
                encode_response_generated(head.clone()),
                "case {case}: {head:?}"
            );
        }
    }
}
