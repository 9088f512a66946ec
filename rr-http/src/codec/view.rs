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
    DecodeContext, WireType, btree_map, bytes as pb_bytes, check_wire_type, decode_key,
    decode_varint, message, skip_field, string,
};
use prost::{DecodeError, Message};
use rr_proto::http::v1::HeaderValue as PbHeaderValue;

use super::DecodedHead;
use super::proto::{attributes_from, uploads_from};

/// A request context as the view reads it.
#[derive(Debug, Default)]
struct RequestView {
    remote_addr: Bytes,
    protocol: Bytes,
    method: Bytes,
    uri: Bytes,
    headers: HeaderMap,
    /// Cookie entries in arrival order: name, first value of the entry.
    cookies: Vec<(Bytes, Option<Bytes>)>,
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
        // Too long or otherwise odd: the generated code's path decides (and reports).
        Err(_) => crate::request::parse_uri(std::str::from_utf8(&view.uri).ok()?).ok()?,
    };
    Some(DecodedHead {
        method,
        uri,
        headers: view.headers,
        remote_addr: string(view.remote_addr)?,
        protocol: string(view.protocol)?,
        raw_query: string(view.raw_query)?,
        cookies: cookies(view.cookies)?,
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
    /// One `header` map entry, in the layout every encoder writes: the key, then the `value`
    /// messages; their values are appended in order as slices of `entry`. Any other layout (a
    /// key sent twice or after a value, a wire type that does not fit), a name `http` cannot
    /// hold or one already seen leaves the request to the generated code.
    fn header_entry(&mut self, entry: &Bytes) {
        if self.append_entry(entry).is_none() {
            self.ambiguous = true;
        }
    }

    fn append_entry(&mut self, entry: &Bytes) -> Option<()> {
        let mut buf: &[u8] = entry;
        let (1, Some(key)) = next_field(&mut buf)? else {
            return None;
        };
        let Entry::Vacant(vacant) = self.headers.entry(HeaderName::from_bytes(key).ok()?) else {
            return None;
        };
        let mut slot = Slot::Vacant(vacant);
        while !buf.is_empty() {
            match next_field(&mut buf)? {
                (2, Some(mut message)) => {
                    while !message.is_empty() {
                        match next_field(&mut message)? {
                            (1, Some(value)) => {
                                // A slice of the frame, not a copy.
                                if let Ok(value) =
                                    HeaderValue::from_maybe_shared(entry.slice_ref(value))
                                {
                                    slot = slot.append(value);
                                }
                            }
                            (1, None) => return None,
                            _ => {}
                        }
                    }
                }
                (1 | 2, _) => return None,
                _ => {}
            }
        }
        Some(())
    }
}

/// The entry of a header name in the map: vacant until its first valid value.
enum Slot<'a> {
    Vacant(http::header::VacantEntry<'a, HeaderValue>),
    Occupied(http::header::OccupiedEntry<'a, HeaderValue>),
}

impl<'a> Slot<'a> {
    fn append(self, value: HeaderValue) -> Self {
        match self {
            Self::Vacant(vacant) => Self::Occupied(vacant.insert_entry(value)),
            Self::Occupied(mut occupied) => {
                occupied.append(value);
                Self::Occupied(occupied)
            }
        }
    }
}

/// One `cookies` entry in the usual layout (key, then `value` messages): its name and the
/// first of its values, as slices of `entry`.
fn cookie_entry(entry: &Bytes) -> Option<(Bytes, Option<Bytes>)> {
    let mut buf: &[u8] = entry;
    let (1, Some(key)) = next_field(&mut buf)? else {
        return None;
    };
    let mut first = None;
    while !buf.is_empty() {
        match next_field(&mut buf)? {
            (2, Some(mut message)) => {
                while !message.is_empty() {
                    match next_field(&mut message)? {
                        (1, Some(value)) => {
                            first = first.or_else(|| Some(entry.slice_ref(value)));
                        }
                        (1, None) => return None,
                        _ => {}
                    }
                }
            }
            (1 | 2, _) => return None,
            _ => {}
        }
    }
    Some((entry.slice_ref(key), first))
}

/// The cookies as the generated map gives them: in key order, the last entry of a name wins,
/// an entry without values drops the name. `None` when a name is not UTF-8.
fn cookies(mut entries: Vec<(Bytes, Option<Bytes>)>) -> Option<Vec<(String, String)>> {
    // Stable: entries of one name keep their order, so the last one is the one sent last.
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out: Vec<(String, String)> = Vec::with_capacity(entries.len());
    let mut i = 0;
    while i < entries.len() {
        let mut last = i;
        while last + 1 < entries.len() && entries[last + 1].0 == entries[i].0 {
            last += 1;
        }
        for (name, _) in &entries[i..=last] {
            std::str::from_utf8(name).ok()?;
        }
        if let (name, Some(value)) = &entries[last] {
            let name = std::str::from_utf8(name).ok()?.to_owned();
            out.push((name, String::from_utf8_lossy(value).into_owned()));
        }
        i = last + 1;
    }
    Some(out)
}

/// The next field of `buf` through prost's key and varint decoding: its tag and, when it is
/// length-delimited, its bytes (other fields are skipped). `None` when malformed.
fn next_field<'a>(buf: &mut &'a [u8]) -> Option<(u32, Option<&'a [u8]>)> {
    let (tag, wire_type) = decode_key(buf).ok()?;
    if wire_type != WireType::LengthDelimited {
        skip_field(wire_type, tag, buf, DecodeContext::default()).ok()?;
        return Some((tag, None));
    }
    let len = usize::try_from(decode_varint(buf).ok()?).ok()?;
    let (field, rest) = buf.split_at_checked(len)?;
    *buf = rest;
    Some((tag, Some(field)))
}

/// A `string` field kept as a slice of the frame. The last occurrence wins, but prost refuses
/// the message for any occurrence that is not UTF-8: a replaced one is checked here (and sets
/// `ambiguous`), the last one by [`string`].
fn string_field(
    wire_type: WireType,
    value: &mut Bytes,
    ambiguous: &mut bool,
    buf: &mut impl Buf,
    ctx: DecodeContext,
) -> Result<(), DecodeError> {
    // The last value is checked once, when it becomes a `String`; one it replaces here.
    if !value.is_empty() {
        *ambiguous |= std::str::from_utf8(value).is_err();
    }
    pb_bytes::merge(wire_type, value, buf, ctx)
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
                self.header_entry(&entry);
                Ok(())
            }
            6 => {
                let mut entry = Bytes::new();
                pb_bytes::merge(wire_type, &mut entry, buf, ctx)?;
                match cookie_entry(&entry) {
                    Some(cookie) => self.cookies.push(cookie),
                    None => self.ambiguous = true,
                }
                Ok(())
            }
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
