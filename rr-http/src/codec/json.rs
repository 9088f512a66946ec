//! The legacy JSON encoding of RoadRunner ≤ 2023.3 (`docs/http.md`, "The legacy JSON codec").

use std::collections::BTreeMap;

use bytes::Bytes;
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

use super::{RequestHead, ResponseHead};
use crate::RequestError;
use crate::uploads::Uploads;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct JsonRequest {
    #[serde(default)]
    remote_addr: String,
    #[serde(default)]
    protocol: String,
    #[serde(default)]
    method: String,
    #[serde(default)]
    uri: String,
    #[serde(default)]
    raw_query: String,
    #[serde(default)]
    headers: Option<BTreeMap<String, Vec<String>>>,
    #[serde(default)]
    cookies: Option<BTreeMap<String, Value>>,
    #[serde(default)]
    parsed: bool,
    #[serde(default)]
    uploads: Option<Value>,
    #[serde(default)]
    attributes: Option<Map<String, Value>>,
}

pub(super) fn decode_request(context: &Bytes) -> Result<RequestHead, RequestError> {
    let req: JsonRequest = serde_json::from_slice(context).map_err(RequestError::json)?;
    Ok(RequestHead {
        remote_addr: req.remote_addr,
        protocol: req.protocol,
        method: req.method,
        uri: req.uri,
        raw_query: req.raw_query,
        headers: req
            .headers
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| (k, v.into_iter().map(Bytes::from).collect()))
            .collect(),
        cookies: req
            .cookies
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| (k, text_of(v)))
            .collect(),
        parsed: req.parsed,
        uploads: req
            .uploads
            .filter(|u| !u.is_null())
            .map(Uploads::from_value),
        attributes: req
            .attributes
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| {
                let values = match v {
                    Value::Array(items) => items.into_iter().map(text_of).collect(),
                    other => vec![text_of(other)],
                };
                (k, values)
            })
            .collect(),
    })
}

/// A JSON value as text: strings as they are, anything else as JSON.
fn text_of(v: Value) -> String {
    match v {
        Value::String(s) => s,
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

pub(super) fn encode_response(head: &ResponseHead) -> Vec<u8> {
    let body = JsonResponse {
        status: head.status,
        headers: JsonHeaders(&head.headers),
    };
    serde_json::to_vec(&body).expect("strings and numbers always serialise")
}

/// `{"status":…,"headers":{…}}`, in that order, as the PHP library writes it.
#[derive(Serialize)]
struct JsonResponse<'a> {
    status: u16,
    headers: JsonHeaders<'a>,
}

struct JsonHeaders<'a>(&'a [(String, Vec<Bytes>)]);

impl Serialize for JsonHeaders<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, values) in self.0 {
            map.serialize_entry(name, &JsonValues(values))?;
        }
        map.end()
    }
}

/// A header's values as a list of strings.
struct JsonValues<'a>(&'a [Bytes]);

impl Serialize for JsonValues<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|v| String::from_utf8_lossy(v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_vector_j_context() {
        let ctx = Bytes::from_static(br#"{"remoteAddr":"127.0.0.1","protocol":"HTTP/1.1","method":"GET","uri":"http://localhost:8080/hello?name=world","headers":{"Accept":["*/*"],"User-Agent":["curl/8.5.0"]},"cookies":{},"rawQuery":"name=world","parsed":false,"uploads":null,"attributes":{}}"#);
        let head = decode_request(&ctx).unwrap();
        assert_eq!(head.method, "GET");
        assert_eq!(head.uri, "http://localhost:8080/hello?name=world");
        assert_eq!(head.headers.len(), 2);
        assert_eq!(head.uploads, None);
        assert!(head.cookies.is_empty());
    }

    #[test]
    fn encodes_status_and_headers() {
        let head = super::super::vector_b_head();
        assert_eq!(
            encode_response(&head),
            br#"{"status":200,"headers":{"Content-Type":["text/plain; charset=utf-8"]}}"#
        );
        let empty = ResponseHead {
            status: 204,
            headers: vec![],
        };
        assert_eq!(encode_response(&empty), br#"{"status":204,"headers":{}}"#);
    }
}
