//! [`IntoReply`]: what a handler may return, and how each kind becomes a response.

use std::fmt;

use bytes::Bytes;
use http::header::{self, HeaderName, HeaderValue};
use http::{HeaderMap, Response, StatusCode};

use crate::{Body, HttpError};

/// What a handler given to [`serve`](crate::serve) returns: anything that becomes a response,
/// or an [`HttpError`].
///
/// | type | response |
/// |---|---|
/// | `Response<B>` (`B: Into<Body>`), [`Body`] | as it is |
/// | `String`, `&'static str` | 200, `text/plain; charset=utf-8` |
/// | `Bytes`, `Vec<u8>`, `&'static [u8]` | 200, `application/octet-stream` |
/// | `StatusCode`, `()` | that status (200 for `()`), empty body |
/// | `(StatusCode, R)` | `R`'s response with that status |
/// | `(StatusCode, HeaderMap, R)`, `(StatusCode, [(K, V); N], R)` | `R`'s response with that status and those headers (replacing `R`'s of the same name) |
/// | `Result<R, E>` with `E: Into<HttpError>` | `R`'s response, or the error's (see [`HandlerError`](crate::HandlerError)) |
///
/// It is called `IntoReply` (method [`into_reply`](IntoReply::into_reply)), not
/// `IntoResponse`, so that a file can `use axum::response::IntoResponse` and
/// `rr_http::IntoReply` together: the types above implement both, and two traits with one
/// method name would make every `.into_response()` call ambiguous. The old name,
/// [`IntoResponse`], is kept as a deprecated alias.
///
/// ```
/// use http::{StatusCode, header};
/// use rr_http::IntoReply;
///
/// let res = (StatusCode::CREATED, [(header::LOCATION, "/items/7")], "created").into_reply().unwrap();
/// assert_eq!(res.status(), StatusCode::CREATED);
/// assert_eq!(res.headers()[header::LOCATION], "/items/7");
/// assert_eq!(res.headers()[header::CONTENT_TYPE], "text/plain; charset=utf-8");
///
/// let res = bytes::Bytes::from_static(b"\x89PNG").into_reply().unwrap();
/// assert_eq!(res.headers()[header::CONTENT_TYPE], "application/octet-stream");
/// ```
pub trait IntoReply {
    /// Converts into a response, or into the error to report.
    ///
    /// ```
    /// use rr_http::IntoReply;
    ///
    /// let res = (http::StatusCode::ACCEPTED, vec![1u8, 2]).into_reply().unwrap();
    /// assert_eq!(res.status(), 202);
    /// assert_eq!(res.body().as_bytes().map(|b| &b[..]), Some(&[1u8, 2][..]));
    /// ```
    ///
    /// # Errors
    ///
    /// The handler's error, or a header of a tuple that is not a valid header.
    fn into_reply(self) -> Result<Response<Body>, HttpError>;
}

/// The old name of [`IntoReply`]: every `IntoReply` type is one. Bounds and
/// `.into_response()` calls keep compiling (with a deprecation warning).
///
/// ```
/// #![allow(deprecated)]
/// use rr_http::IntoResponse;
///
/// let res = "hello".into_response().unwrap();
/// assert_eq!(res.status(), 200);
/// ```
#[deprecated(
    since = "0.1.0",
    note = "renamed to `IntoReply` (method `into_reply`), so it can be used next to axum's `IntoResponse`"
)]
pub trait IntoResponse: IntoReply + Sized {
    /// [`IntoReply::into_reply`].
    ///
    /// ```
    /// #![allow(deprecated)]
    /// use rr_http::IntoResponse;
    ///
    /// assert_eq!(http::StatusCode::GONE.into_response().unwrap().status(), 410);
    /// ```
    ///
    /// # Errors
    ///
    /// As [`IntoReply::into_reply`].
    fn into_response(self) -> Result<Response<Body>, HttpError> {
        self.into_reply()
    }
}

#[allow(deprecated)]
impl<T: IntoReply> IntoResponse for T {}

impl<B: Into<Body>> IntoReply for Response<B> {
    fn into_reply(self) -> Result<Response<Body>, HttpError> {
        Ok(self.map(Into::into))
    }
}

impl IntoReply for Body {
    fn into_reply(self) -> Result<Response<Body>, HttpError> {
        Ok(Response::new(self))
    }
}

macro_rules! typed_body {
    ($content_type:literal: $($t:ty),*) => {$(
        impl IntoReply for $t {
            fn into_reply(self) -> Result<Response<Body>, HttpError> {
                Ok(with_type(Body::from(self), $content_type))
            }
        }
    )*};
}

typed_body!("text/plain; charset=utf-8": &'static str, String);
typed_body!("application/octet-stream": Bytes, Vec<u8>, &'static [u8]);

impl IntoReply for StatusCode {
    fn into_reply(self) -> Result<Response<Body>, HttpError> {
        let mut res = Response::new(Body::empty());
        *res.status_mut() = self;
        Ok(res)
    }
}

impl IntoReply for () {
    fn into_reply(self) -> Result<Response<Body>, HttpError> {
        Ok(Response::new(Body::empty()))
    }
}

impl<R: IntoReply> IntoReply for (StatusCode, R) {
    fn into_reply(self) -> Result<Response<Body>, HttpError> {
        let mut res = self.1.into_reply()?;
        *res.status_mut() = self.0;
        Ok(res)
    }
}

impl<R: IntoReply> IntoReply for (StatusCode, HeaderMap, R) {
    fn into_reply(self) -> Result<Response<Body>, HttpError> {
        let (status, headers, inner) = self;
        let mut res = (status, inner).into_reply()?;
        set_headers(res.headers_mut(), headers.into_iter());
        Ok(res)
    }
}

impl<R, K, V, const N: usize> IntoReply for (StatusCode, [(K, V); N], R)
where
    R: IntoReply,
    K: TryInto<HeaderName>,
    K::Error: fmt::Display,
    V: TryInto<HeaderValue>,
    V::Error: fmt::Display,
{
    fn into_reply(self) -> Result<Response<Body>, HttpError> {
        let (status, pairs, inner) = self;
        let mut headers = Vec::with_capacity(N);
        for (name, value) in pairs {
            let name = name
                .try_into()
                .map_err(|e| HttpError::internal(format!("invalid header name: {e}")))?;
            let value = value
                .try_into()
                .map_err(|e| HttpError::internal(format!("invalid value of {name}: {e}")))?;
            headers.push((Some(name), value));
        }
        let mut res = (status, inner).into_reply()?;
        set_headers(res.headers_mut(), headers.into_iter());
        Ok(res)
    }
}

impl<T: IntoReply, E: Into<HttpError>> IntoReply for Result<T, E> {
    fn into_reply(self) -> Result<Response<Body>, HttpError> {
        self.map_err(Into::into)?.into_reply()
    }
}

/// Adds `headers` (in `HeaderMap::into_iter` form: `None` repeats the previous name), each
/// name replacing the values the response had for it; several values of one name are kept.
fn set_headers(
    target: &mut HeaderMap,
    headers: impl Iterator<Item = (Option<HeaderName>, HeaderValue)>,
) {
    let mut current: Option<HeaderName> = None;
    let mut replaced: Vec<HeaderName> = Vec::new();
    for (name, value) in headers {
        if let Some(name) = name {
            current = Some(name);
        }
        let Some(name) = &current else { continue };
        if !replaced.contains(name) {
            target.remove(name);
            replaced.push(name.clone());
        }
        target.append(name.clone(), value);
    }
}

fn with_type(body: Body, content_type: &'static str) -> Response<Body> {
    let mut res = Response::new(body);
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    res
}

/// A plain-text response: how an error with a status is answered.
pub(crate) fn text(status: StatusCode, body: Body) -> Response<Body> {
    let mut res = with_type(body, "text/plain; charset=utf-8");
    *res.status_mut() = status;
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content_type(res: &Response<Body>) -> Option<&str> {
        res.headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
    }

    #[test]
    fn byte_bodies_are_octet_streams_and_text_is_text() {
        for res in [
            Bytes::from_static(b"b").into_reply(),
            vec![b'b'].into_reply(),
            (&b"b"[..]).into_reply(),
        ] {
            let res = res.unwrap();
            assert_eq!(res.status(), StatusCode::OK);
            assert_eq!(content_type(&res), Some("application/octet-stream"));
            assert_eq!(res.body().as_bytes().map(|b| &b[..]), Some(&b"b"[..]));
        }
        let res = (StatusCode::NOT_FOUND, String::from("gone"))
            .into_reply()
            .unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        assert_eq!(content_type(&res), Some("text/plain; charset=utf-8"));
        let res = (StatusCode::OK, Body::from("raw")).into_reply().unwrap();
        assert_eq!(
            content_type(&res),
            None,
            "a Body says nothing about its type"
        );
        assert_eq!(().into_reply().unwrap().status(), StatusCode::OK);
    }

    #[test]
    fn tuple_headers_replace_the_body_type_and_keep_repeated_names() {
        let res = (
            StatusCode::OK,
            [
                ("content-type", "image/png"),
                ("set-cookie", "a=1"),
                ("set-cookie", "b=2"),
            ],
            vec![0u8; 3],
        )
            .into_reply()
            .unwrap();
        assert_eq!(content_type(&res), Some("image/png"));
        let cookies: Vec<_> = res.headers().get_all(header::SET_COOKIE).iter().collect();
        assert_eq!(cookies, ["a=1", "b=2"]);

        let mut map = HeaderMap::new();
        map.append(header::VARY, HeaderValue::from_static("accept"));
        map.append(header::VARY, HeaderValue::from_static("cookie"));
        let res = (StatusCode::CREATED, map, "made").into_reply().unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
        assert_eq!(res.headers().get_all(header::VARY).iter().count(), 2);
        assert_eq!(content_type(&res), Some("text/plain; charset=utf-8"));

        let err = (StatusCode::OK, [("bad name", "x")], "b")
            .into_reply()
            .unwrap_err();
        assert_eq!(err.status(), None);
        assert!(
            err.message().starts_with("invalid header name"),
            "{}",
            err.message()
        );
        let err = (StatusCode::OK, [("x-ok", "a\nb")], "b")
            .into_reply()
            .unwrap_err();
        assert!(err.message().contains("x-ok"), "{}", err.message());
    }
}
