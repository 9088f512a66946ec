//! Building an `http::Request<Body>` from a decoded request head.

use bytes::Bytes;
use http::header::HOST;
use http::uri::{PathAndQuery, Uri};
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, Version};

use crate::codec::{Codec, DecodedHead, RequestHead};
use crate::ext::{Attributes, Cookies, ParsedForm, Protocol, RawQuery, RemoteAddr};
use crate::{Body, RequestError};
use rr_worker::Payload;

/// Maps a payload the HTTP plugin sent into an `http::Request`, picking the codec with
/// [`Codec::detect`]: the seam for code that drives an [`rr_worker::Worker`] itself instead of
/// an [`HttpWorker`](crate::HttpWorker).
///
/// The request carries the same extensions [`HttpWorker::next_request`](crate::HttpWorker::next_request)
/// gives ([`RequestExt`](crate::RequestExt) reads them).
///
/// # Errors
///
/// [`RequestError`] when the context is not a request in its codec, or its method is not an
/// HTTP token. Nothing else is refused: header names or values the `http` crate cannot hold
/// are skipped, and an URI it cannot parse is percent-encoded, or cut down to its path.
///
/// ```
/// use rr_http::{RequestExt, decode_request};
/// use rr_http::rr_worker::{Payload, goridge::Flags};
///
/// let context = br#"{"method":"GET","uri":"http://example.com/a?x[]=1","rawQuery":"x[]=1",
///     "protocol":"HTTP/1.1","headers":{"Accept":["*/*"]}}"#;
/// let req = decode_request(Payload::new(Flags::CODEC_JSON, &context[..], ""))?;
/// assert_eq!(req.uri().path(), "/a");
/// assert_eq!(req.headers()["host"], "example.com");
/// assert_eq!(req.query_as::<std::collections::HashMap<String, Vec<u32>>>()?["x"], [1]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn decode_request(payload: Payload) -> Result<Request<Body>, RequestError> {
    let codec = Codec::detect(payload.codec, &payload.context);
    decode(codec, &payload.context, payload.body)
}

/// Decodes a request payload (context ‖ body) in `codec` into an `http::Request`: in one pass
/// where the codec has one ([`Codec::decode_fast`]), else through the generated code.
pub(crate) fn decode(
    codec: Codec,
    context: &Bytes,
    body: Bytes,
) -> Result<Request<Body>, RequestError> {
    let head = match codec.decode_fast(context) {
        Some(head) => head,
        None => convert(codec.decode_request(context)?)?,
    };
    Ok(assemble(head, body))
}

/// The generated code's head in the handler's types.
pub(crate) fn convert(head: RequestHead) -> Result<DecodedHead, RequestError> {
    let method = Method::from_bytes(head.method.as_bytes())
        .map_err(|_| RequestError::Method(head.method.clone()))?;
    let uri = parse_uri(&head.uri)?;
    let mut headers = HeaderMap::with_capacity(head.headers.len() + 1);
    for (name, values) in head.headers {
        // Names Go accepted but `http` does not (e.g. empty) are skipped, as PHP skips empty names.
        let Ok(name) = HeaderName::from_bytes(name.as_bytes()) else {
            continue;
        };
        for value in values {
            if let Ok(value) = HeaderValue::from_maybe_shared(value) {
                headers.append(name.clone(), value);
            }
        }
    }
    Ok(DecodedHead {
        method,
        uri,
        headers,
        remote_addr: head.remote_addr,
        protocol: head.protocol,
        raw_query: head.raw_query,
        cookies: Cookies::new(head.cookies),
        parsed: head.parsed,
        uploads: head.uploads,
        attributes: head.attributes,
    })
}

/// [`assemble`] for the codec's tests.
#[cfg(test)]
pub(crate) fn assemble_for_tests(head: DecodedHead, body: Bytes) -> Request<Body> {
    assemble(head, body)
}

/// The request a handler gets: `Host` restored from the URI when missing, rr's extra fields as
/// extensions.
fn assemble(head: DecodedHead, body: Bytes) -> Request<Body> {
    let DecodedHead {
        method,
        uri,
        mut headers,
        ..
    } = head;
    // Go moves Host out of the header map; put it back from the URI (host and port only,
    // never the userinfo of an absolute-form request line).
    if !headers.contains_key(HOST) {
        let host = uri
            .authority()
            .and_then(|a| a.as_str().rsplit('@').next())
            .filter(|h| !h.is_empty());
        if let Some(value) = host.and_then(|h| HeaderValue::from_str(h).ok()) {
            headers.insert(HOST, value);
        }
    }

    let mut request = Request::new(Body::from(body));
    *request.method_mut() = method;
    *request.uri_mut() = uri;
    *request.version_mut() = version(&head.protocol);
    *request.headers_mut() = headers;
    // Each extension is a boxed value in a hash map, so the empty ones are left out: the
    // accessors of `RequestExt` and the axum extractors give an empty value for them, and the
    // tower path puts them in for `Extension` (`tower::prepare`).
    let ext = request.extensions_mut();
    ext.insert(Protocol(head.protocol));
    ext.insert(RawQuery(head.raw_query));
    if !head.remote_addr.is_empty() {
        ext.insert(RemoteAddr(head.remote_addr));
    }
    if !head.cookies.is_empty() {
        ext.insert(head.cookies);
    }
    if !head.attributes.is_empty() {
        ext.insert(Attributes::new(head.attributes));
    }
    if head.parsed {
        ext.insert(ParsedForm);
    }
    if let Some(uploads) = head.uploads {
        ext.insert(uploads);
    }
    request
}

/// The server sends an absolute URI as Go received it. Go lets through bytes the `http` crate
/// refuses (`"`, `<`, `>`, `{`, `|`, non-ASCII…); those are percent-encoded and parsing is tried
/// again. If even that fails (e.g. an empty host, `http:///x`), the path and query are kept.
///
/// A URI longer than [`MAX_URI_LEN`] (before or after encoding) is an error: cutting it down to
/// `/` would hand the handler a different request.
pub(crate) fn parse_uri(raw: &str) -> Result<Uri, RequestError> {
    if let Ok(uri) = raw.parse::<Uri>() {
        return Ok(uri);
    }
    let encoded = percent_encode_invalid(raw);
    if encoded.len() > MAX_URI_LEN {
        return Err(RequestError::UriTooLong(raw.len()));
    }
    if let Ok(uri) = encoded.parse::<Uri>() {
        return Ok(uri);
    }
    let after_scheme = encoded
        .split_once("://")
        .map_or(encoded.as_str(), |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    Ok(match path.parse::<PathAndQuery>() {
        Ok(pq) => Uri::from(pq),
        Err(_) => Uri::from_static("/"),
    })
}

/// The longest URI an `http::Uri` holds (the `http` crate's limit).
pub(crate) const MAX_URI_LEN: usize = u16::MAX as usize - 1;

/// Percent-encodes every byte that is neither unreserved, reserved (RFC 3986) nor `%`.
fn percent_encode_invalid(raw: &str) -> String {
    const KEEP: &[u8] = b"-._~:/?#[]@!$&'()*+,;=%";
    let mut out = String::with_capacity(raw.len());
    for b in raw.bytes() {
        if b.is_ascii_alphanumeric() || KEEP.contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn version(protocol: &str) -> Version {
    match protocol {
        "HTTP/1.0" => Version::HTTP_10,
        "HTTP/2.0" | "HTTP/2" => Version::HTTP_2,
        "HTTP/3.0" | "HTTP/3" => Version::HTTP_3,
        "HTTP/0.9" => Version::HTTP_09,
        _ => Version::HTTP_11,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(head: RequestHead, body: Bytes) -> Result<Request<Body>, RequestError> {
        Ok(assemble(convert(head)?, body))
    }

    #[test]
    fn uri_falls_back_to_path_and_query() {
        let uri = |raw: &str| parse_uri(raw).unwrap();
        assert_eq!(uri("http:///x?y=1"), "/x?y=1");
        assert_eq!(
            uri("http://h/search?q=\"rust\"&x=<b>"),
            "http://h/search?q=%22rust%22&x=%3Cb%3E"
        );
        assert_eq!(uri("http://h:8080/a?b"), "http://h:8080/a?b");
        assert_eq!(uri("garbage with spaces"), "/");
    }

    #[test]
    fn a_uri_too_long_for_http_is_an_error_not_slash() {
        let long = format!("http://h/x?q={}", "a".repeat(MAX_URI_LEN));
        assert!(matches!(parse_uri(&long), Err(RequestError::UriTooLong(n)) if n == long.len()));
        // Percent-encoding can push a URI over the limit too.
        let grows = format!("http://h/x?q={}", "<".repeat(MAX_URI_LEN / 2));
        assert!(matches!(
            parse_uri(&grows),
            Err(RequestError::UriTooLong(_))
        ));
        let fits = format!("http://h/x?q={}", "a".repeat(1000));
        assert_eq!(parse_uri(&fits).unwrap().query().map(str::len), Some(1002));
    }

    #[test]
    fn host_restored_and_values_kept_in_order() {
        let head = RequestHead {
            method: "GET".into(),
            uri: "http://example.com:8080/p".into(),
            protocol: "HTTP/2.0".into(),
            headers: vec![(
                "X-Multi".into(),
                vec![Bytes::from_static(b"1"), Bytes::from_static(b"2")],
            )],
            ..RequestHead::default()
        };
        let req = build(head, Bytes::new()).unwrap();
        assert_eq!(req.headers()[HOST], "example.com:8080");
        let multi: Vec<_> = req.headers().get_all("x-multi").iter().collect();
        assert_eq!(multi, ["1", "2"]);
        assert_eq!(req.version(), Version::HTTP_2);

        let head = RequestHead {
            method: "GET".into(),
            uri: "http://user:pw@example.com/p".into(),
            ..RequestHead::default()
        };
        let req = build(head, Bytes::new()).unwrap();
        assert_eq!(req.headers()[HOST], "example.com", "no userinfo in Host");
    }

    #[test]
    fn bad_method_is_a_typed_error() {
        let head = RequestHead {
            method: "GE T".into(),
            ..RequestHead::default()
        };
        assert!(matches!(
            build(head, Bytes::new()),
            Err(RequestError::Method(_))
        ));
    }
}
