//! `FromRequestParts` for rr's request data: each is on every request, empty when rr sent none.

use std::convert::Infallible;

use axum_core::extract::FromRequestParts;
use http::request::Parts;

use crate::{Attributes, Cookies, HintSender, Protocol, RawQuery, RemoteAddr, Uploads};

/// Extractors whose value is the request extension of the same type, or its empty default.
macro_rules! from_extension_or_default {
    ($($t:ty),*) => {$(
        #[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
        impl<S: Send + Sync> FromRequestParts<S> for $t {
            type Rejection = Infallible;

            async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
                Ok(parts.extensions.get::<Self>().cloned().unwrap_or_default())
            }
        }
    )*};
}

from_extension_or_default!(Cookies, Uploads, Attributes);

/// An extractor whose value is the request extension of the same type, or `fallback`, computed
/// from the request's parts.
macro_rules! from_extension_or {
    ($(#[$doc:meta])* $t:ty, |$parts:ident| $fallback:expr) => {
        $(#[$doc])*
        #[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
        impl<S: Send + Sync> FromRequestParts<S> for $t {
            type Rejection = Infallible;

            async fn from_request_parts($parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
                Ok($parts
                    .extensions
                    .get::<Self>()
                    .cloned()
                    .unwrap_or_else(|| $fallback))
            }
        }
    };
}

from_extension_or!(
    /// rr sends every request's address; a request built by hand without one gets `""`.
    RemoteAddr,
    |parts| Self(String::new())
);

from_extension_or!(
    /// rr's query string as the client sent it; without rr's extension (a request built by
    /// hand), the URI's query.
    RawQuery,
    |parts| Self(parts.uri.query().unwrap_or_default().to_owned())
);

from_extension_or!(
    /// rr's protocol string (`HTTP/1.1`, `HTTP/2.0`); without rr's extension, the request's
    /// version in the same form.
    Protocol,
    |parts| {
        let version = format!("{:?}", parts.version);
        Self(if version == "HTTP/2" {
            "HTTP/2.0".into()
        } else {
            version
        })
    }
);

/// The request's handle for 103 Early Hints; outside [`serve_service`](crate::serve_service)
/// a closed one, whose every send is [`HintError::Finished`](crate::HintError::Finished).
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
impl<S: Send + Sync> FromRequestParts<S> for HintSender {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(parts
            .extensions
            .get::<Self>()
            .cloned()
            .unwrap_or_else(HintSender::closed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::HintError;

    async fn extract<T: FromRequestParts<(), Rejection = Infallible>>(req: http::Request<()>) -> T {
        let (mut parts, ()) = req.into_parts();
        match T::from_request_parts(&mut parts, &()).await {
            Ok(value) => value,
        }
    }

    #[tokio::test]
    async fn every_extractor_is_present_on_a_bare_request() {
        let bare = || http::Request::builder().uri("/p?a[]=1").body(()).unwrap();
        assert!(extract::<Cookies>(bare()).await.is_empty());
        assert!(extract::<Uploads>(bare()).await.is_empty());
        assert!(extract::<Attributes>(bare()).await.is_empty());
        assert_eq!(extract::<RemoteAddr>(bare()).await.as_str(), "");
        assert_eq!(extract::<RawQuery>(bare()).await.0, "a[]=1");
        assert_eq!(extract::<Protocol>(bare()).await.0, "HTTP/1.1");
        let hints = extract::<HintSender>(bare()).await;
        assert!(matches!(
            hints.early_hints(["</a.css>"]),
            Err(HintError::Finished)
        ));
    }

    #[tokio::test]
    async fn extractors_read_rr_extensions() {
        let req = http::Request::builder()
            .uri("/p?x=%22")
            .extension(RemoteAddr("10.0.0.1".into()))
            .extension(RawQuery("x=\"".into()))
            .extension(Protocol("HTTP/2.0".into()))
            .extension(Cookies::new(vec![("sid".into(), "a b".into())]))
            .body(())
            .unwrap();
        let (mut parts, ()) = req.into_parts();
        let Ok(cookies) = Cookies::from_request_parts(&mut parts, &()).await;
        assert_eq!(cookies.get("sid"), Some("a b"));
        let Ok(addr) = RemoteAddr::from_request_parts(&mut parts, &()).await;
        assert_eq!(addr.ip(), "10.0.0.1".parse().ok());
        let Ok(raw) = RawQuery::from_request_parts(&mut parts, &()).await;
        assert_eq!(raw.0, "x=\"");
        let Ok(protocol) = Protocol::from_request_parts(&mut parts, &()).await;
        assert_eq!(protocol.0, "HTTP/2.0");
    }
}
