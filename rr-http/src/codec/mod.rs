//! The two encodings of request and response heads: protobuf `http.v1` (RoadRunner ≥ 2024.1)
//! and the legacy JSON of RoadRunner ≤ 2023.3 (`docs/http.md`).

mod json;
mod proto;
mod view;
#[cfg(test)]
mod view_tests;

use bytes::Bytes;
use goridge::Flags;
use http::{HeaderMap, Method, Uri};

use crate::RequestError;
use crate::uploads::Uploads;

/// How request and response heads are encoded.
///
/// [`HttpWorker`](crate::HttpWorker) picks one per request with [`Codec::detect`] and answers in
/// the same one; [`HttpWorker::with_codec`](crate::HttpWorker::with_codec) pins one instead.
///
/// ```
/// use rr_http::Codec;
/// use rr_http::rr_worker::goridge::Flags;
///
/// // The frame's codec bit decides.
/// assert_eq!(Codec::detect(Flags::CODEC_JSON, b"{}"), Codec::Json);
/// assert_eq!(Codec::detect(Flags::CODEC_PROTO, b"{}"), Codec::Protobuf);
/// // Without one, a context that opens a JSON object is JSON; anything else is protobuf.
/// assert_eq!(Codec::detect(Flags::EMPTY, br#"{"method":"GET"}"#), Codec::Json);
/// assert_eq!(Codec::detect(Flags::EMPTY, b"\x0a\x09127.0.0.1"), Codec::Protobuf);
/// // Responses carry the codec's bit.
/// assert_eq!(Codec::Json.flags(), Flags::CODEC_JSON);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    /// `http.v1` protobuf messages, frame flag `0x80`. Every current RoadRunner.
    Protobuf,
    /// JSON objects, frame flag `0x08`. RoadRunner 2023.3 and older.
    Json,
}

impl Codec {
    /// Picks the codec of a request from its frame flags; when neither codec bit is set, falls
    /// back to the PHP library's test: a context that is a JSON object means JSON.
    ///
    /// # Example
    ///
    /// ```
    /// use rr_http::Codec;
    /// use rr_http::rr_worker::goridge::Flags;
    ///
    /// // RoadRunner 2024.1 and later mark requests CODEC_PROTO.
    /// assert_eq!(Codec::detect(Flags::CODEC_PROTO, b"\x0a\x09127.0.0.1"), Codec::Protobuf);
    /// // RoadRunner 2023.3 sends JSON objects.
    /// assert_eq!(Codec::detect(Flags::CODEC_JSON, br#"{"method":"GET"}"#), Codec::Json);
    /// ```
    pub fn detect(flags: Flags, context: &[u8]) -> Self {
        if flags.contains(Flags::CODEC_PROTO) {
            Self::Protobuf
        } else if flags.contains(Flags::CODEC_JSON) || context.first() == Some(&b'{') {
            Self::Json
        } else {
            Self::Protobuf
        }
    }

    /// The flags byte every response frame in this codec carries.
    ///
    /// # Example
    ///
    /// ```
    /// use rr_http::Codec;
    /// use rr_http::rr_worker::goridge::Flags;
    ///
    /// assert_eq!(Codec::Protobuf.flags(), Flags::CODEC_PROTO);
    /// assert_eq!(Codec::Json.flags().bits(), 0x08);
    /// ```
    pub fn flags(self) -> Flags {
        match self {
            Self::Protobuf => Flags::CODEC_PROTO,
            Self::Json => Flags::CODEC_JSON,
        }
    }

    pub(crate) fn decode_request(self, context: &Bytes) -> Result<RequestHead, RequestError> {
        match self {
            Self::Protobuf => proto::decode_request(context),
            Self::Json => json::decode_request(context),
        }
    }

    /// The one-pass decode into what the handler sees, where the codec has one (protobuf);
    /// `None` means "decode with [`Codec::decode_request`]", which then decides.
    pub(crate) fn decode_fast(self, context: &Bytes) -> Option<DecodedHead> {
        match self {
            Self::Protobuf => view::decode(context),
            Self::Json => None,
        }
    }

    pub(crate) fn encode_response(self, head: ResponseHead) -> Vec<u8> {
        match self {
            Self::Protobuf => proto::encode_response(head),
            Self::Json => json::encode_response(&head),
        }
    }
}

/// A request head, whatever its encoding.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct RequestHead {
    pub(crate) remote_addr: String,
    pub(crate) protocol: String,
    pub(crate) method: String,
    pub(crate) uri: String,
    /// The query exactly as the client sent it (no `?`, not decoded).
    pub(crate) raw_query: String,
    pub(crate) headers: Vec<(String, Vec<Bytes>)>,
    pub(crate) cookies: Vec<(String, String)>,
    pub(crate) parsed: bool,
    /// The uploads tree, when there is one.
    pub(crate) uploads: Option<Uploads>,
    pub(crate) attributes: Vec<(String, Vec<String>)>,
}

/// A request head in the types the handler sees: what both decode paths produce.
#[derive(Debug)]
pub(crate) struct DecodedHead {
    pub(crate) method: Method,
    pub(crate) uri: Uri,
    /// Without `Host` unless the context carried one.
    pub(crate) headers: HeaderMap,
    pub(crate) remote_addr: String,
    pub(crate) protocol: String,
    pub(crate) raw_query: String,
    pub(crate) cookies: crate::ext::Cookies,
    pub(crate) parsed: bool,
    pub(crate) uploads: Option<Uploads>,
    pub(crate) attributes: Vec<(String, Vec<String>)>,
}

/// A response head, headers already in Go's canonical case.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct ResponseHead {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, Vec<Bytes>)>,
}

/// Vector B of `docs/http.md`: `200` with `Content-Type: text/plain; charset=utf-8`.
#[cfg(test)]
pub(crate) fn vector_b_head() -> ResponseHead {
    ResponseHead {
        status: 200,
        headers: vec![(
            "Content-Type".into(),
            vec![Bytes::from_static(b"text/plain; charset=utf-8")],
        )],
    }
}
