//! `tracing` support (feature `tracing`): events as single lines on stderr, where RoadRunner's
//! log shows them, each inside a `request` span naming the request's method and path.
//!
//! RoadRunner logs every chunk it reads from a worker's stderr as one entry, with its own time
//! stamp and level. So each event here is written whole in one write, without colours or a
//! time stamp, and a line break inside a message is written as `\n`:
//!
//! ```text
//! 2026-12-02T05:56:15+0000  INFO  server  INFO request{method=POST path=/sheet}: my_app: saved rows=12
//! ```
//!
//! (rr files every line of a worker's stderr under its own `INFO` level and the `server`
//! logger; the event's level is the first word of the message.)
//!
//! [`serve`](crate::serve), [`serve_with_hints`](crate::serve_with_hints) and
//! [`serve_service`](crate::serve_service) open the span for every request; call [`init`]
//! once in `main`. [`rr_worker::log!`](crate::log!) keeps working for code without tracing.

use std::io::{self, Write};

use http::Request;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Installs a global subscriber that logs events of level INFO and above with [`layer`].
///
/// ```no_run
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
///     rr_http::tracing::init()?;
///     rr_http::serve(|req: http::Request<rr_http::Body>| {
///         tracing::info!(bytes = req.body().as_bytes().map_or(0, |b| b.len()), "got it");
///         "ok"
///     })?;
///     Ok(())
/// }
/// ```
///
/// For another level or more layers, build the subscriber yourself around [`layer`].
///
/// # Errors
///
/// [`InitError`] when a global subscriber is set already.
pub fn init() -> Result<(), InitError> {
    tracing_subscriber::registry()
        .with(layer())
        .with(tracing_subscriber::filter::LevelFilter::INFO)
        .try_init()
        .map_err(|e| InitError(e.to_string()))
}

/// The formatting layer [`init`] installs: one line per event on stderr, no colours, no time
/// stamp (rr adds its own), spans and fields as `request{method=GET path=/}: target: message
/// key=value`.
///
/// ```
/// use tracing_subscriber::layer::SubscriberExt;
///
/// let subscriber = tracing_subscriber::registry()
///     .with(rr_http::tracing::layer())
///     .with(tracing_subscriber::filter::LevelFilter::DEBUG);
/// tracing::subscriber::with_default(subscriber, || tracing::debug!("to rr's log"));
/// ```
pub fn layer<S>() -> impl tracing_subscriber::Layer<S> + Send + Sync + 'static
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    layer_to(OneLine)
}

fn layer_to<S, W>(writer: W) -> impl tracing_subscriber::Layer<S> + Send + Sync + 'static
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .without_time()
        .with_writer(writer)
}

/// The span [`serve`](crate::serve) and [`serve_service`](crate::serve_service) open around
/// each request: `request{method=… path=…}` at INFO level. For a loop of your own.
///
/// ```
/// let req = http::Request::post("/sheet?x=1").body(())?;
/// let span = rr_http::tracing::request_span(&req);
/// let _entered = span.enter();
/// tracing::info!("inside the request span");
/// # Ok::<(), http::Error>(())
/// ```
pub fn request_span<B>(req: &Request<B>) -> tracing::Span {
    tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
}

/// [`request_span`], unless the current span is one already (the tower path runs inside the
/// closure path's loop on some threads, not on others): then no span.
#[cfg(feature = "tower")]
pub(crate) fn request_span_once<B>(req: &Request<B>) -> tracing::Span {
    let current = tracing::Span::current();
    let inside = current
        .metadata()
        .is_some_and(|m| m.name() == "request" && m.target() == module_path!());
    if inside {
        tracing::Span::none()
    } else {
        request_span(req)
    }
}

/// A global subscriber could not be installed (one is set already).
#[derive(Debug, thiserror::Error)]
#[error("cannot install the tracing subscriber: {0}")]
pub struct InitError(String);

/// Makes a [`LineBuffer`] per event.
struct OneLine;

impl<'a> MakeWriter<'a> for OneLine {
    type Writer = LineBuffer;

    fn make_writer(&'a self) -> LineBuffer {
        LineBuffer(Vec::with_capacity(256))
    }
}

/// Collects one event and writes it to stderr in one write when dropped, inner line breaks
/// escaped so rr logs it as one entry.
struct LineBuffer(Vec<u8>);

impl Write for LineBuffer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for LineBuffer {
    fn drop(&mut self) {
        let line = one_line(&self.0);
        if !line.is_empty() {
            // Nothing sensible can be done when stderr itself is gone.
            let _ = io::stderr().lock().write_all(&line);
        }
    }
}

/// `text` with every line break but a final one written as `\n`, ending in one line break,
/// without the padding the formatter puts before short level names (` INFO`).
fn one_line(text: &[u8]) -> Vec<u8> {
    let start = text.iter().position(|&b| b != b' ').unwrap_or(text.len());
    let text = &text[start..];
    let body = text.strip_suffix(b"\n").unwrap_or(text);
    let body = body.strip_suffix(b"\r").unwrap_or(body);
    if body.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(body.len() + 8);
    for &b in body {
        match b {
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[test]
    fn line_breaks_inside_an_event_are_escaped() {
        assert_eq!(one_line(b"a\nb\r\n"), b"a\\nb\n");
        assert_eq!(one_line(b" INFO plain\n"), b"INFO plain\n");
        assert_eq!(one_line(b"\n"), b"");
    }

    #[derive(Clone, Default)]
    struct Capture(Arc<Mutex<Vec<u8>>>);

    impl Write for Capture {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn events_carry_the_request_span_without_colours_or_time() {
        let capture = Capture::default();
        let sink = capture.clone();
        let subscriber = tracing_subscriber::registry().with(layer_to(move || sink.clone()));
        tracing::subscriber::with_default(subscriber, || {
            let req = Request::post("/sheet?x=1").body(()).unwrap();
            let _span = request_span(&req).entered();
            #[cfg(feature = "tower")]
            let _nested = request_span_once(&req).entered();
            tracing::info!(rows = 12, "saved");
        });
        let text = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
        // One request span, not two: the nested one was not opened.
        assert_eq!(
            text,
            " INFO request{method=POST path=/sheet}: rr_http::tracing::tests: saved rows=12\n"
        );
    }
}
