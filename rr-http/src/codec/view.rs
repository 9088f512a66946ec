//! The fast protobuf decode: an `http.v1.Request` read in one pass straight into what the
//! handler sees.
//!
//! [`RequestView`] implements [`prost::Message`], so prost walks the wire format; its
//! `merge_field` keeps strings and header values as slices of the received frame (`Bytes`, no
//! copies) and appends header entries to an `http::HeaderMap` as they arrive (standard names
//! without allocation), with no map or vector in between. Cookies, attributes and uploads,
//! rare or small, go through prost's own map code.
//!
//! The generated code ([`super::proto::decode_request`]) stays the reference: whenever the view
//! meets something whose meaning depends on more than one entry (a header name sent twice, in
//! any case, which a protobuf map resolves by "last one wins" in key order) or anything
//! malformed, [`decode`] returns `None` and the caller decodes with the generated code, so both
//! paths always agree (the property test in `view_tests.rs` checks it).

use std::collections::BTreeMap;

use bytes::{Buf, Bytes};
use http::header::Entry;
use http::{HeaderMap, HeaderName, HeaderValue, Method, Uri};
use prost::encoding::{
    DecodeContext, WireType, btree_map, bytes as pb_bytes, check_wire_type, decode_key, message,
    skip_field, string,
};
use prost::{DecodeError, Message};
use rr_proto::http::v1::HeaderValue as PbHeaderValue;

use super::DecodedHead;
use super::proto::{attributes_from, cookies_from, uploads_from};

/// A request context as the view reads it.
#[derive(Debug, Default)]
struct RequestView {
    remote_addr: Bytes,
    protocol: Bytes,
    method: Bytes,
    uri: Bytes,
    headers: HeaderMap,
    cookies: BTreeMap<String, PbHeaderValue>,
    raw_query: Bytes,
    parsed: bool,
    uploads: Bytes,
    attributes: BTreeMap<String, PbHeaderValue>,
    /// A header entry the view cannot place on its own: the generated code must decide.
    ambiguous: bool,
}

/// Decodes `context` on the fast path; `None` means "use the generated code".
pub(super) fn decode(context: &Bytes) -> Option<DecodedHead> {
    let mut view = RequestView {
        headers: HeaderMap::with_capacity(24),
        ..RequestView::default()
    };
    view.merge(context.clone()).ok()?;
    if view.ambiguous {
        return None;
    }
    let method = Method::from_bytes(&view.method).ok()?;
    let uri = match Uri::from_maybe_shared(view.uri.clone()) {
        Ok(uri) => uri,
        Err(_) => crate::request::parse_uri(std::str::from_utf8(&view.uri).ok()?),
    };
    Some(DecodedHead {
        method,
        uri,
        headers: view.headers,
        remote_addr: string(view.remote_addr)?,
        protocol: string(view.protocol)?,
        raw_query: string(view.raw_query)?,
        cookies: cookies_from(view.cookies),
        parsed: view.parsed,
        uploads: uploads_from(view.uploads),
        attributes: attributes_from(view.attributes),
    })
}

/// A protobuf `string` field: UTF-8 or the message is invalid.
fn string(bytes: Bytes) -> Option<String> {
    String::from_utf8(Vec::from(bytes)).ok()
}

impl RequestView {
    /// One `header` map entry: its key (the last one, as protobuf says), then every value of
    /// every `value` field, appended in order.
    fn header_entry(&mut self, entry: Bytes) -> Result<(), DecodeError> {
        let ctx = DecodeContext::default();
        let mut key = Bytes::new();
        let mut buf = entry.clone();
        while buf.has_remaining() {
            let (tag, wire_type) = decode_key(&mut buf)?;
            match tag {
                1 => {
                    pb_bytes::merge(wire_type, &mut key, &mut buf, ctx.clone())?;
                    // Every occurrence must be UTF-8, as in a protobuf `string`.
                    self.ambiguous |= std::str::from_utf8(&key).is_err();
                }
                _ => skip_field(wire_type, tag, &mut buf, ctx.clone())?,
            }
        }
        let Ok(name) = HeaderName::from_bytes(&key) else {
            // A name `http` cannot hold (never from Go's server): the generated code decides.
            self.ambiguous = true;
            return Ok(());
        };
        let mut entry_slot = match self.headers.entry(name) {
            Entry::Occupied(_) => {
                self.ambiguous = true;
                return Ok(());
            }
            Entry::Vacant(vacant) => Some(vacant),
        };
        let mut occupied = None;
        let mut buf = entry;
        while buf.has_remaining() {
            let (tag, wire_type) = decode_key(&mut buf)?;
            if tag != 2 {
                skip_field(wire_type, tag, &mut buf, ctx.clone())?;
                continue;
            }
            let mut value_msg = Bytes::new();
            pb_bytes::merge(wire_type, &mut value_msg, &mut buf, ctx.clone())?;
            while value_msg.has_remaining() {
                let (tag, wire_type) = decode_key(&mut value_msg)?;
                if tag != 1 {
                    skip_field(wire_type, tag, &mut value_msg, ctx.clone())?;
                    continue;
                }
                let mut value = Bytes::new();
                pb_bytes::merge(wire_type, &mut value, &mut value_msg, ctx.clone())?;
                let Ok(value) = HeaderValue::from_maybe_shared(value) else {
                    continue;
                };
                match (&mut occupied, entry_slot.take()) {
                    (Some(slot), _) => http::header::OccupiedEntry::append(slot, value),
                    (None, Some(vacant)) => occupied = Some(vacant.insert_entry(value)),
                    (None, None) => unreachable!("the vacant entry is used up only by an insert"),
                }
            }
        }
        Ok(())
    }
}

/// A `string` field kept as a slice of the frame; each occurrence must be UTF-8 (the last one
/// wins, but prost refuses the message for any bad one), or `ambiguous` is set.
fn string_field(
    wire_type: WireType,
    value: &mut Bytes,
    ambiguous: &mut bool,
    buf: &mut impl Buf,
    ctx: DecodeContext,
) -> Result<(), DecodeError> {
    pb_bytes::merge(wire_type, value, buf, ctx)?;
    *ambiguous |= std::str::from_utf8(value).is_err();
    Ok(())
}

impl Message for RequestView {
    fn encode_raw(&self, _buf: &mut impl bytes::BufMut) {
        unreachable!("a request view is only decoded")
    }

    fn merge_field(
        &mut self,
        tag: u32,
        wire_type: WireType,
        buf: &mut impl Buf,
        ctx: DecodeContext,
    ) -> Result<(), DecodeError> {
        match tag {
            1 => string_field(
                wire_type,
                &mut self.remote_addr,
                &mut self.ambiguous,
                buf,
                ctx,
            ),
            2 => string_field(wire_type, &mut self.protocol, &mut self.ambiguous, buf, ctx),
            3 => string_field(wire_type, &mut self.method, &mut self.ambiguous, buf, ctx),
            4 => string_field(wire_type, &mut self.uri, &mut self.ambiguous, buf, ctx),
            5 => {
                let mut entry = Bytes::new();
                pb_bytes::merge(wire_type, &mut entry, buf, ctx)?;
                self.header_entry(entry)
            }
            6 => check_wire_type(WireType::LengthDelimited, wire_type).and_then(|()| {
                btree_map::merge(string::merge, message::merge, &mut self.cookies, buf, ctx)
            }),
            7 => string_field(
                wire_type,
                &mut self.raw_query,
                &mut self.ambiguous,
                buf,
                ctx,
            ),
            8 => prost::encoding::bool::merge(wire_type, &mut self.parsed, buf, ctx),
            9 => pb_bytes::merge(wire_type, &mut self.uploads, buf, ctx),
            10 => check_wire_type(WireType::LengthDelimited, wire_type).and_then(|()| {
                btree_map::merge(
                    string::merge,
                    message::merge,
                    &mut self.attributes,
                    buf,
                    ctx,
                )
            }),
            _ => skip_field(wire_type, tag, buf, ctx),
        }
    }

    fn encoded_len(&self) -> usize {
        0
    }

    fn clear(&mut self) {
        *self = Self::default();
    }
}
