//! Making a request from rr safe for tower services that read bodies themselves: every rr
//! extension present, and a form tree rr made out of the body kept apart from the body, with a
//! response that says so when a service tried to read that body anyway.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use bytes::{Buf, Bytes};
use http::{HeaderValue, Request, Response, header};
use http_body::{Body as HttpBody, Frame, SizeHint};
use tower_service::Service;

use crate::{Attributes, Body, BoxError, Cookies, ParsedForm, Uploads};

/// The JSON tree rr sent in place of a urlencoded or multipart body it parsed (`http.raw_body:
/// false`). The tower path moves it here and leaves a body that fails to read, so a framework's
/// own form parser never takes the tree for a form.
#[derive(Debug, Clone)]
pub(crate) struct FormTree(pub(crate) Bytes);

/// The error a body rr parsed already gives when read: it says what to use instead.
#[derive(Debug, thiserror::Error)]
#[error(
    "RoadRunner parsed this form body already (http.raw_body is false), so the raw body is \
     gone: read the fields with rr_http::axum::PhpForm (files with rr_http::Uploads), \
     or set http.raw_body: true in .rr.yaml to read the body yourself (axum's Form, Multipart)"
)]
pub(crate) struct BodyParsedByRr;

/// Puts in what the tower path promises on every request and moves a parsed form's tree out
/// of the body. Returns the flag the left body raises when something reads it.
pub(crate) fn prepare(req: &mut Request<Body>) -> Option<Arc<AtomicBool>> {
    // The sync path leaves empty ones out; `Extension<T>` needs them there.
    let ext = req.extensions_mut();
    ext.get_or_insert_default::<Uploads>();
    ext.get_or_insert_default::<Cookies>();
    ext.get_or_insert_default::<Attributes>();
    req.extensions().get::<ParsedForm>()?;
    let read = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&read);
    let unreadable = Body::try_chunks(std::iter::once_with(move || {
        flag.store(true, Ordering::Relaxed);
        Err::<Bytes, _>(BodyParsedByRr)
    }));
    let tree = std::mem::replace(req.body_mut(), unreadable);
    let tree = tree.as_bytes().cloned().unwrap_or_default();
    req.extensions_mut().insert(FormTree(tree));
    Some(read)
}

/// A service with [`prepare`] applied to each request. When the service read a body rr had
/// parsed and then failed (status 400 and up), its error body, e.g. axum's `failed to read
/// stream`, is replaced by [`BodyParsedByRr`]'s advice; the status stays.
#[derive(Debug, Clone)]
pub(crate) struct Prepared<S>(pub(crate) S);

impl<S, B> Service<Request<Body>> for Prepared<S>
where
    S: Service<Request<Body>, Response = Response<B>>,
    S::Future: 'static,
    B: HttpBody + 'static,
    B::Error: Into<BoxError>,
{
    type Response = Response<Explained<B>>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, S::Error>>>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, mut req: Request<Body>) -> Self::Future {
        let read = prepare(&mut req);
        #[cfg(feature = "tracing")]
        let span = crate::tracing::request_span_once(&req);
        #[cfg(feature = "tracing")]
        let call = span.in_scope(|| self.0.call(req));
        #[cfg(not(feature = "tracing"))]
        let call = self.0.call(req);
        let answer = async move {
            let response = call.await?;
            let tried = read.is_some_and(|r| r.load(Ordering::Relaxed));
            Ok(if tried && response.status().as_u16() >= 400 {
                explain(response)
            } else {
                response.map(|b| Explained::Inner(Box::pin(b)))
            })
        };
        #[cfg(feature = "tracing")]
        let answer = ::tracing::Instrument::instrument(answer, span);
        Box::pin(answer)
    }
}

fn explain<B>(response: Response<B>) -> Response<Explained<B>> {
    static LOGGED: AtomicBool = AtomicBool::new(false);
    let advice = BodyParsedByRr.to_string();
    if !LOGGED.swap(true, Ordering::Relaxed) {
        crate::log!("rr-http: a handler read a request body RoadRunner had parsed: {advice}");
    }
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    Response::from_parts(parts, Explained::Advice(Some(Bytes::from(advice))))
}

/// The service's own response body, or the advice that replaced it.
pub(crate) enum Explained<B> {
    Inner(Pin<Box<B>>),
    Advice(Option<Bytes>),
}

impl<B> std::fmt::Debug for Explained<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Inner(_) => "Explained::Inner",
            Self::Advice(_) => "Explained::Advice",
        })
    }
}

impl<B> HttpBody for Explained<B>
where
    B: HttpBody,
    B::Error: Into<BoxError>,
{
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        match self.get_mut() {
            Self::Inner(body) => body.as_mut().poll_frame(cx).map(|frame| {
                frame.map(|r| {
                    r.map(|f| f.map_data(|mut d| d.copy_to_bytes(d.remaining())))
                        .map_err(Into::into)
                })
            }),
            Self::Advice(text) => Poll::Ready(text.take().map(|t| Ok(Frame::data(t)))),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            Self::Inner(body) => body.is_end_stream(),
            Self::Advice(text) => text.is_none(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Self::Inner(body) => body.size_hint(),
            Self::Advice(text) => SizeHint::with_exact(text.as_ref().map_or(0, |t| t.len() as u64)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RequestExt;

    #[test]
    fn a_parsed_form_moves_out_of_the_body_and_still_reads_as_the_form() {
        let mut req = Request::builder()
            .extension(ParsedForm)
            .body(Body::from(r#"{"a":"1"}"#))
            .unwrap();
        let read = prepare(&mut req).unwrap();
        assert!(req.extensions().get::<Uploads>().is_some());
        assert!(req.extensions().get::<Cookies>().is_some());
        assert!(req.extensions().get::<Attributes>().is_some());
        assert_eq!(
            req.extensions().get::<FormTree>().map(|t| &t.0[..]),
            Some(&br#"{"a":"1"}"#[..])
        );
        let form = req.form().unwrap().unwrap();
        assert_eq!(form.get("a").and_then(|a| a.as_str()), Some("1"));
        assert!(!read.load(Ordering::Relaxed));
        let err = std::mem::take(req.body_mut()).collect().unwrap_err();
        assert!(err.to_string().contains("PhpForm"), "{err}");
        assert!(read.load(Ordering::Relaxed), "reading raised the flag");
    }

    #[test]
    fn other_bodies_stay() {
        let mut req = Request::new(Body::from("a=1"));
        assert!(prepare(&mut req).is_none());
        assert_eq!(req.body().as_bytes().map(|b| &b[..]), Some(&b"a=1"[..]));
        assert!(req.extensions().get::<FormTree>().is_none());
    }

    #[test]
    fn an_error_after_reading_the_parsed_body_is_explained() {
        let mut failed = Response::new(Body::from("failed to read stream"));
        *failed.status_mut() = http::StatusCode::INTERNAL_SERVER_ERROR;
        failed
            .headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from_static("21"));
        let explained = explain(failed);
        assert_eq!(explained.status(), 500);
        assert!(explained.headers().get(header::CONTENT_LENGTH).is_none());
        let Explained::Advice(Some(text)) = explained.body() else {
            panic!("not replaced");
        };
        assert!(
            std::str::from_utf8(text)
                .unwrap()
                .contains("http.raw_body: true")
        );
    }
}
