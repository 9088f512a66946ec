//! The fast protobuf decode: an `http.v1.Request` read in one pass straight into what the
//! handler sees.
//!
//! [`decode`] walks the wire format with prost's own key, varint and map decoders over the
//! received frame's bytes. Strings are checked in place and copied once into the handler's
//! `String`s; header values become slices of the frame (`Bytes`, one reference count each, no
//! copies) appended to an `http::HeaderMap` as they arrive (standard names without
//! allocation), with no map or vector in between. Cookies are read as slices too; attributes,
//! rare and small, go through prost's map code.
//!
//! The generated code ([`super::proto::decode_request`]) stays the reference: whenever the view
//! meets something whose meaning depends on more than one entry (a header name sent twice, in
//! any case, which a protobuf map resolves by "last one wins" in key order) or anything
//! malformed, [`decode`] returns `None` and the caller decodes with the generated code, so both
//! paths always agree (the property test in `view_tests.rs` checks it).

use std::collections::BTreeMap;

use bytes::Bytes;
use http::header::Entry;
use http::{HeaderMap, HeaderName, HeaderValue, Method, Uri};
use prost::encoding::{
    DecodeContext, WireType, btree_map, decode_key, decode_varint, message, skip_field, string,
};
use rr_proto::http::v1::HeaderValue as PbHeaderValue;

use super::DecodedHead;
use super::proto::{attributes_from, uploads_from};
use crate::ext::Cookies;

/// A request context as the view reads it: slices of the frame until the end.
#[derive(Debug, Default)]
struct RequestView<'a> {
    remote_addr: &'a str,
    protocol: &'a str,
    method: &'a str,
    uri: &'a [u8],
    headers: HeaderMap,
    /// Cookie entries in arrival order: name, first value of the entry.
    cookies: Vec<(&'a [u8], Option<&'a [u8]>)>,
    raw_query: &'a str,
    parsed: bool,
    uploads: &'a [u8],
    attributes: BTreeMap<String, PbHeaderValue>,
}

/// Decodes `context` on the fast path; `None` means "use the generated code".
pub(super) fn decode(context: &Bytes) -> Option<DecodedHead> {
    let mut view = RequestView {
        headers: HeaderMap::with_capacity(24),
        ..RequestView::default()
    };
    let mut buf: &[u8] = context;
    while !buf.is_empty() {
        let (tag, wire_type) = decode_key(&mut buf).ok()?;
        match (tag, wire_type) {
            (8, WireType::Varint) => view.parsed = decode_varint(&mut buf).ok()? != 0,
            (10, WireType::LengthDelimited) => btree_map::merge(
                string::merge,
                message::merge,
                &mut view.attributes,
                &mut buf,
                DecodeContext::default(),
            )
            .ok()?,
            (1..=7 | 9, WireType::LengthDelimited) => {
                let field = length_delimited(&mut buf)?;
                view.field(tag, field, context)?;
            }
            // A known field in the wrong wire type: the generated code reports it.
            (1..=10, _) => return None,
            _ => skip_field(wire_type, tag, &mut buf, DecodeContext::default()).ok()?,
        }
    }
    let method = Method::from_bytes(view.method.as_bytes()).ok()?;
    let uri = match Uri::from_maybe_shared(context.slice_ref(view.uri)) {
        Ok(uri) => uri,
        // Too long or otherwise odd: the generated code's path decides (and reports).
        Err(_) => crate::request::parse_uri(std::str::from_utf8(view.uri).ok()?).ok()?,
    };
    Some(DecodedHead {
        method,
        uri,
        headers: view.headers,
        remote_addr: view.remote_addr.to_owned(),
        protocol: view.protocol.to_owned(),
        raw_query: view.raw_query.to_owned(),
        cookies: cookies(view.cookies)?,
        parsed: view.parsed,
        uploads: uploads_from(context.slice_ref(view.uploads)),
        attributes: attributes_from(view.attributes),
    })
}

/// The bytes of a length-delimited field (its length varint already next in `buf`).
fn length_delimited<'a>(buf: &mut &'a [u8]) -> Option<&'a [u8]> {
    let len = usize::try_from(decode_varint(buf).ok()?).ok()?;
    let (field, rest) = buf.split_at_checked(len)?;
    *buf = rest;
    Some(field)
}

impl<'a> RequestView<'a> {
    /// One length-delimited field of the request; `None` leaves the request to the generated
    /// code. A `string` field must be UTF-8 in every occurrence (prost refuses the message
    /// otherwise), and the last one wins.
    fn field(&mut self, tag: u32, field: &'a [u8], context: &Bytes) -> Option<()> {
        match tag {
            1 => self.remote_addr = std::str::from_utf8(field).ok()?,
            2 => self.protocol = std::str::from_utf8(field).ok()?,
            3 => self.method = std::str::from_utf8(field).ok()?,
            4 => self.uri = std::str::from_utf8(field).ok()?.as_bytes(),
            5 => self.header_entry(field, context)?,
            6 => self.cookies.push(cookie_entry(field)?),
            7 => self.raw_query = std::str::from_utf8(field).ok()?,
            9 => self.uploads = field,
            _ => unreachable!("only the length-delimited fields 1 to 7 and 9 come here"),
        }
        Some(())
    }

    /// One `header` map entry, in the layout every encoder writes: the key, then the `value`
    /// messages; their values are appended in order as slices of `context`. Any other layout
    /// (a key sent twice or after a value, a wire type that does not fit), a name `http`
    /// cannot hold or one already seen leaves the request to the generated code (`None`).
    fn header_entry(&mut self, entry: &[u8], context: &Bytes) -> Option<()> {
        let mut buf = entry;
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
                                    HeaderValue::from_maybe_shared(context.slice_ref(value))
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
fn cookie_entry(entry: &[u8]) -> Option<(&[u8], Option<&[u8]>)> {
    let mut buf = entry;
    let (1, Some(key)) = next_field(&mut buf)? else {
        return None;
    };
    let mut first = None;
    while !buf.is_empty() {
        match next_field(&mut buf)? {
            (2, Some(mut message)) => {
                while !message.is_empty() {
                    match next_field(&mut message)? {
                        (1, Some(value)) => first = first.or(Some(value)),
                        (1, None) => return None,
                        _ => {}
                    }
                }
            }
            (1 | 2, _) => return None,
            _ => {}
        }
    }
    Some((key, first))
}

/// The cookies as the generated map gives them: in key order, the last entry of a name wins,
/// an entry without values drops the name. `None` when a name is not UTF-8.
fn cookies(mut entries: Vec<(&[u8], Option<&[u8]>)>) -> Option<Cookies> {
    // Stable: entries of one name keep their order, so the last one is the one sent last.
    entries.sort_by(|a, b| a.0.cmp(b.0));
    let bytes = entries
        .iter()
        .map(|(name, value)| name.len() + value.map_or(0, <[u8]>::len))
        .sum();
    let mut out = Cookies::with_capacity(entries.len(), bytes);
    let mut i = 0;
    while i < entries.len() {
        let mut last = i;
        while last + 1 < entries.len() && entries[last + 1].0 == entries[i].0 {
            last += 1;
        }
        for (name, _) in &entries[i..=last] {
            std::str::from_utf8(name).ok()?;
        }
        if let (name, Some(value)) = entries[last] {
            let name = std::str::from_utf8(name).ok()?;
            // Checked first: valid UTF-8 (the usual case) borrows without `Utf8Chunks`' walk.
            match std::str::from_utf8(value) {
                Ok(value) => out.push(name, value),
                Err(_) => out.push(name, &String::from_utf8_lossy(value)),
            }
        }
        i = last + 1;
    }
    Some(out)
}

/// The next field of `buf` through prost's key and varint decoding: its tag and, when it is
/// length-delimited, its bytes (other fields are skipped). `None` when malformed.
#[inline]
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
