//! Turning `http::response::Parts` into a [`ResponseHead`], with the checks the server needs.

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Response, StatusCode, header};

use crate::ResponseError;
use crate::canonical::canonical_header_name;
use crate::codec::ResponseHead;

/// What kind of response a head is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// The response that ends the exchange: 200..=599.
    Final,
    /// An interim response: 1xx except 101.
    Informational,
}

/// Whether `status` can be sent ahead of the final response: 1xx except 101 (a protocol switch
/// rr cannot make).
pub(crate) fn is_informational(status: StatusCode) -> bool {
    status.is_informational() && status != StatusCode::SWITCHING_PROTOCOLS
}

/// `103 Early Hints` with one `Link` header per item; `Err` holds the first link a header value
/// cannot hold.
pub(crate) fn early_hints<I, S>(links: I) -> Result<Response<()>, S>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut response = Response::new(());
    *response.status_mut() = StatusCode::EARLY_HINTS;
    for link in links {
        let Ok(value) = HeaderValue::from_str(link.as_ref()) else {
            return Err(link);
        };
        response.headers_mut().append(header::LINK, value);
    }
    Ok(response)
}

/// Validates the status and headers and converts them for the wire.
pub(crate) fn head(
    status: StatusCode,
    headers: &HeaderMap,
    kind: Kind,
) -> Result<ResponseHead, ResponseError> {
    let code = status.as_u16();
    match kind {
        Kind::Final if !(200..=599).contains(&code) => {
            return Err(ResponseError::FinalStatus(code));
        }
        Kind::Informational if !is_informational(status) => {
            return Err(ResponseError::InformationalStatus(code));
        }
        _ => {}
    }
    let mut out: Vec<(String, Vec<Bytes>)> = Vec::with_capacity(headers.keys_len());
    // The map yields every value of a name in a row, names in the order `keys()` gives them:
    // one pass groups them without looking each name up again.
    let mut current: Option<&HeaderName> = None;
    for (name, value) in headers {
        if current != Some(name) {
            current = Some(name);
            out.push((canonical_header_name(name.as_str()), Vec::new()));
        }
        let Some((canonical, values)) = out.last_mut() else {
            unreachable!("an entry was pushed for this name");
        };
        let bytes = value.as_bytes();
        check_value(canonical, bytes)?;
        values.push(if name == header::TRAILER {
            Bytes::from(canonical_trailer_list(bytes))
        } else {
            Bytes::copy_from_slice(bytes)
        });
    }
    Ok(ResponseHead {
        status: code,
        headers: out,
    })
}

/// `http::HeaderValue`'s safe constructors already refuse CR and LF; a value built with the
/// unsafe unchecked constructor is checked here, so no response can be split.
fn check_value(name: &str, value: &[u8]) -> Result<(), ResponseError> {
    if value.iter().any(|b| *b == b'\r' || *b == b'\n') {
        return Err(ResponseError::HeaderValue {
            name: name.to_owned(),
        });
    }
    Ok(())
}

/// The server matches the names a `Trailer` header lists against header keys exactly, so they
/// are canonicalised too.
fn canonical_trailer_list(value: &[u8]) -> String {
    String::from_utf8_lossy(value)
        .split(',')
        .map(|item| canonical_header_name(item.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn statuses_are_checked_per_kind() {
        let h = HeaderMap::new();
        assert!(head(StatusCode::OK, &h, Kind::Final).is_ok());
        assert!(matches!(
            head(StatusCode::EARLY_HINTS, &h, Kind::Final),
            Err(ResponseError::FinalStatus(103))
        ));
        assert!(matches!(
            head(StatusCode::from_u16(600).unwrap(), &h, Kind::Final),
            Err(ResponseError::FinalStatus(600))
        ));
        assert!(head(StatusCode::EARLY_HINTS, &h, Kind::Informational).is_ok());
        assert!(matches!(
            head(StatusCode::SWITCHING_PROTOCOLS, &h, Kind::Informational),
            Err(ResponseError::InformationalStatus(101))
        ));
        assert!(matches!(
            head(StatusCode::OK, &h, Kind::Informational),
            Err(ResponseError::InformationalStatus(200))
        ));
    }

    #[test]
    fn names_are_canonical_and_values_grouped_in_order() {
        let mut h = HeaderMap::new();
        h.append("set-cookie", HeaderValue::from_static("a=1"));
        h.append("x-id", HeaderValue::from_static("7"));
        h.append("set-cookie", HeaderValue::from_static("b=2"));
        h.append(
            "trailer",
            HeaderValue::from_static("x-checksum, server-timing"),
        );
        let out = head(StatusCode::OK, &h, Kind::Final).unwrap();
        assert_eq!(
            out.headers,
            vec![
                (
                    "Set-Cookie".to_owned(),
                    vec![Bytes::from_static(b"a=1"), Bytes::from_static(b"b=2")]
                ),
                ("X-Id".to_owned(), vec![Bytes::from_static(b"7")]),
                (
                    "Trailer".to_owned(),
                    vec![Bytes::from_static(b"X-Checksum, Server-Timing")]
                ),
            ]
        );
    }

    #[test]
    fn newline_in_a_value_is_refused() {
        assert!(check_value("X-Ok", b"a\tb c").is_ok());
        for bad in [&b"a\r\nSet-Cookie: x=1"[..], b"a\nb", b"\r"] {
            assert!(
                matches!(check_value("X-Evil", bad), Err(ResponseError::HeaderValue { name }) if name == "X-Evil")
            );
        }
    }
}
