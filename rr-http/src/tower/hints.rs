//! [`HintSender`]: informational responses (103 Early Hints) from inside a tower service.

use http::Response;
use tokio::sync::mpsc::UnboundedSender;

/// Sends informational (1xx) responses, e.g. `103 Early Hints`, before a tower service's final
/// response. [`serve_service`](crate::serve_service) puts one into every request's extensions;
/// with axum, take it with the `Extension` extractor:
///
/// ```text
/// async fn page(Extension(hints): Extension<rr_http::HintSender>) -> Html<&'static str> {
///     let _ = hints.early_hints(["</app.css>; rel=preload; as=style"]);
///     Html(render_page().await)
/// }
/// ```
///
/// Hints go out in the order they are sent, each before the final response. The handle is
/// `Clone + Send`, so a task the handler spawns may send too, until the final response starts.
///
/// RoadRunner v2025.1.15 has an upstream bug (issue 2381): after a 1xx the client gets status
/// 200 whatever the final status, and the 1xx's headers again. See the crate's guide.
#[derive(Debug, Clone)]
pub struct HintSender {
    tx: UnboundedSender<Response<()>>,
}

/// Why a [`HintSender`] refused an informational response.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HintError {
    /// Not an informational status: 100..=199, except 101 (a protocol switch rr cannot make).
    #[error("{0} is not an informational status (100..=199 except 101)")]
    Status(u16),
    /// A `Link` value with bytes a header value cannot hold (CR, LF, NUL…).
    #[error("{0:?} is not a valid Link header value")]
    Link(String),
    /// The final response to this request has already started: too late for a hint.
    #[error("the final response has already started")]
    Finished,
}

impl HintSender {
    pub(super) fn new(tx: UnboundedSender<Response<()>>) -> Self {
        Self { tx }
    }

    /// A sender whose request has no one to send to: every send is [`HintError::Finished`].
    #[cfg(feature = "axum")]
    pub(crate) fn closed() -> Self {
        Self::new(tokio::sync::mpsc::unbounded_channel().0)
    }

    /// Sends one informational response (status 100..=199 except 101, headers only).
    ///
    /// # Errors
    ///
    /// [`HintError::Status`] for another status; [`HintError::Finished`] once the final
    /// response has started.
    pub fn send(&self, response: Response<()>) -> Result<(), HintError> {
        if !crate::response::is_informational(response.status()) {
            return Err(HintError::Status(response.status().as_u16()));
        }
        self.tx.send(response).map_err(|_| HintError::Finished)
    }

    /// Sends `103 Early Hints` with one `Link` header per item.
    ///
    /// # Errors
    ///
    /// [`HintError::Link`] for a value a header cannot hold; [`HintError::Finished`] once the
    /// final response has started.
    pub fn early_hints<I, S>(&self, links: I) -> Result<(), HintError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let response = crate::response::early_hints(links)
            .map_err(|link| HintError::Link(link.as_ref().to_owned()))?;
        self.send(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::{StatusCode, header};
    use tokio::sync::mpsc::unbounded_channel;

    #[test]
    fn hints_are_checked_then_queued_in_order_until_the_receiver_is_gone() {
        let (tx, mut rx) = unbounded_channel();
        let hints = HintSender::new(tx);
        hints.early_hints(["</a.css>; rel=preload"]).unwrap();
        let mut processing = Response::new(());
        *processing.status_mut() = StatusCode::PROCESSING;
        hints.clone().send(processing).unwrap();

        let mut ok = Response::new(());
        *ok.status_mut() = StatusCode::OK;
        assert!(matches!(hints.send(ok), Err(HintError::Status(200))));
        let mut switching = Response::new(());
        *switching.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
        assert!(matches!(hints.send(switching), Err(HintError::Status(101))));
        assert!(matches!(
            hints.early_hints(["</a>\r\nSet-Cookie: x=1"]),
            Err(HintError::Link(_))
        ));

        let first = rx.try_recv().unwrap();
        assert_eq!(first.status(), StatusCode::EARLY_HINTS);
        assert_eq!(first.headers()[header::LINK], "</a.css>; rel=preload");
        assert_eq!(rx.try_recv().unwrap().status(), StatusCode::PROCESSING);
        assert!(rx.try_recv().is_err(), "refused hints are not queued");

        drop(rx);
        assert!(matches!(
            hints.early_hints(["</late.css>"]),
            Err(HintError::Finished)
        ));
    }
}
