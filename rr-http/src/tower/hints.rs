//! [`HintSender`]: informational responses (103 Early Hints) from inside a tower service.

use http::Response;
use tokio::sync::mpsc::UnboundedSender;

use crate::hints::{EarlyHints, HintError, check_status, early_hints_response};

/// Sends informational (1xx) responses, e.g. `103 Early Hints`, before a tower service's final
/// response: the tower path's side of [`EarlyHints`], the same methods and errors as the
/// closure path's [`Hints`](crate::Hints). [`serve_service`](crate::serve_service) puts one into
/// every request's extensions; with feature `axum` it is an extractor:
///
/// ```no_run
/// # #[cfg(feature = "axum")]
/// # fn main() -> Result<(), rr_http::Error> {
/// use axum::{Router, response::Html, routing::get};
///
/// async fn page(hints: rr_http::HintSender) -> Html<&'static str> {
///     // A hint that cannot be sent is no reason to fail the page.
///     let _ = hints.early_hints(["</app.css>; rel=preload; as=style"]);
///     Html("<html>…</html>") // rendered meanwhile
/// }
///
/// rr_http::serve_service(Router::new().route("/", get(page)))
/// # }
/// # #[cfg(not(feature = "axum"))]
/// # fn main() {}
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
    /// ```
    /// # #[cfg(feature = "axum")]
    /// async fn slow_report(hints: rr_http::HintSender) -> &'static str {
    ///     let mut processing = http::Response::new(());
    ///     *processing.status_mut() = http::StatusCode::PROCESSING;
    ///     let _ = hints.send(processing);
    ///     "report"
    /// }
    /// ```
    ///
    /// # Errors
    ///
    /// [`HintError::Status`] for another status; [`HintError::Finished`] once the final
    /// response has started.
    pub fn send(&self, response: Response<()>) -> Result<(), HintError> {
        check_status(&response)?;
        self.tx.send(response).map_err(|_| HintError::Finished)
    }

    /// Sends `103 Early Hints` with one `Link` header per item.
    ///
    /// ```
    /// # #[cfg(feature = "axum")]
    /// async fn page(hints: rr_http::HintSender) -> &'static str {
    ///     if let Err(e) = hints.early_hints(["</app.js>; rel=preload; as=script"]) {
    ///         rr_http::log!("no early hints: {e}");
    ///     }
    ///     "<html>…</html>"
    /// }
    /// ```
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
        self.send(early_hints_response(links)?)
    }
}

impl EarlyHints for HintSender {
    fn send(&mut self, response: Response<()>) -> Result<(), HintError> {
        HintSender::send(self, response)
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
