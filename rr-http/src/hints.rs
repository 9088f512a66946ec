//! Informational responses (103 Early Hints) with one API on every path: [`EarlyHints`] and
//! [`HintError`], for the closure path's [`Hints`](crate::Hints) and the tower path's
//! `HintSender` alike.

use http::Response;

/// Sends informational (1xx) responses, e.g. `103 Early Hints`, before the final response.
///
/// Implemented by [`Hints`](crate::Hints) (handlers given to
/// [`serve_with_hints`](crate::serve_with_hints)) and by `HintSender` (feature `tower`: every
/// request of `serve_service`; an axum extractor with feature `axum`).
/// Both also have these two methods as inherent methods, with the same errors, so code written
/// against one reads the same with the other; take `&mut impl EarlyHints` to serve both:
///
/// ```
/// use rr_http::{EarlyHints, HintError};
///
/// /// The links every page of the site preloads.
/// fn preload_assets(hints: &mut impl EarlyHints) -> Result<(), HintError> {
///     hints.early_hints(["</app.css>; rel=preload; as=style", "</app.js>; rel=preload; as=script"])
/// }
/// # struct Probe(Vec<http::Response<()>>);
/// # impl EarlyHints for Probe {
/// #     fn send(&mut self, r: http::Response<()>) -> Result<(), HintError> { self.0.push(r); Ok(()) }
/// # }
/// # let mut probe = Probe(Vec::new());
/// # preload_assets(&mut probe)?;
/// # assert_eq!(probe.0[0].headers().get_all("link").iter().count(), 2);
/// # Ok::<(), HintError>(())
/// ```
///
/// RoadRunner v2025.1.15 has an upstream bug (issue 2381): after a 1xx the client gets status
/// 200 whatever the final status, and the 1xx's headers again.
pub trait EarlyHints {
    /// Sends one informational response (status 100..=199 except 101, headers only).
    ///
    /// ```
    /// use rr_http::{EarlyHints, HintError};
    ///
    /// fn processing(hints: &mut impl EarlyHints) -> Result<(), HintError> {
    ///     let mut response = http::Response::new(());
    ///     *response.status_mut() = http::StatusCode::PROCESSING;
    ///     hints.send(response)
    /// }
    /// ```
    ///
    /// # Errors
    ///
    /// [`HintError::Status`] for another status, [`HintError::Finished`] once the final
    /// response has started, [`HintError::Relay`] when it could not be sent.
    fn send(&mut self, response: Response<()>) -> Result<(), HintError>;

    /// Sends `103 Early Hints` with one `Link` header per item.
    ///
    /// ```
    /// use rr_http::{EarlyHints, HintError};
    ///
    /// fn hint_css(hints: &mut impl EarlyHints) -> Result<(), HintError> {
    ///     hints.early_hints(["</app.css>; rel=preload; as=style"])
    /// }
    /// ```
    ///
    /// # Errors
    ///
    /// [`HintError::Link`] for a value a header cannot hold, then as [`EarlyHints::send`].
    fn early_hints<I, S>(&mut self, links: I) -> Result<(), HintError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
        Self: Sized,
    {
        self.send(early_hints_response(links)?)
    }
}

/// Why an informational response was not sent.
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
    /// The relay to RoadRunner failed while sending it (the final response will fail too).
    #[error("the informational response could not be sent: {0}")]
    Relay(#[source] Box<crate::Error>),
}

/// The 103 for `links`, or the first link a header cannot hold.
pub(crate) fn early_hints_response<I, S>(links: I) -> Result<Response<()>, HintError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    crate::response::early_hints(links).map_err(|link| HintError::Link(link.as_ref().to_owned()))
}

/// Checks that `response` may go out as an informational response.
pub(crate) fn check_status(response: &Response<()>) -> Result<(), HintError> {
    if crate::response::is_informational(response.status()) {
        Ok(())
    } else {
        Err(HintError::Status(response.status().as_u16()))
    }
}

impl From<crate::Error> for HintError {
    /// What sending on the relay can fail with, as a hint's error.
    fn from(e: crate::Error) -> Self {
        match e {
            crate::Error::Response(crate::ResponseError::InformationalStatus(status)) => {
                Self::Status(status)
            }
            other => Self::Relay(Box::new(other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::StatusCode;

    #[test]
    fn statuses_and_links_are_checked_before_anything_is_sent() {
        let mut ok = Response::new(());
        *ok.status_mut() = StatusCode::OK;
        assert!(matches!(check_status(&ok), Err(HintError::Status(200))));
        *ok.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
        assert!(matches!(check_status(&ok), Err(HintError::Status(101))));
        *ok.status_mut() = StatusCode::CONTINUE;
        assert!(check_status(&ok).is_ok());
        assert!(matches!(
            early_hints_response(["</a>\r\nSet-Cookie: x=1"]),
            Err(HintError::Link(_))
        ));
        let relay = crate::Error::Io(std::io::Error::other("pipe closed"));
        assert!(matches!(HintError::from(relay), HintError::Relay(_)));
    }
}
