//! The protobuf `http.v1` encoding.

use bytes::Bytes;
use prost::Message;
use rr_proto::http::v1::{HeaderValue, Request, Response};

use super::{RequestHead, ResponseHead};
use crate::RequestError;
use crate::uploads::Uploads;

pub(super) fn decode_request(context: &Bytes) -> Result<RequestHead, RequestError> {
    // Decoding from `Bytes` makes the header values slices of the frame, not copies.
    let req = Request::decode(context.clone())?;
    Ok(RequestHead {
        remote_addr: req.remote_addr,
        protocol: req.protocol,
        method: req.method,
        uri: req.uri,
        raw_query: req.raw_query,
        headers: req.header.into_iter().map(|(k, v)| (k, v.value)).collect(),
        cookies: req
            .cookies
            .into_iter()
            .filter_map(|(k, v)| {
                let value = v.value.into_iter().next()?;
                Some((k, String::from_utf8_lossy(&value).into_owned()))
            })
            .collect(),
        parsed: req.parsed,
        uploads: Some(req.uploads)
            .filter(|u| !u.is_empty())
            .map(|json| Uploads::from_json(&json)),
        attributes: req
            .attributes
            .into_iter()
            .map(|(k, v)| {
                let values = v
                    .value
                    .iter()
                    .map(|b| String::from_utf8_lossy(b).into_owned())
                    .collect();
                (k, values)
            })
            .collect(),
    })
}

pub(super) fn encode_response(head: ResponseHead) -> Vec<u8> {
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
}
