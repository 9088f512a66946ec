//! [`log!`](crate::log!): one line to stderr, where RoadRunner picks it up, in a single write.
//!
//! RoadRunner logs each chunk it reads from a worker's stderr as one entry, and `eprintln!`
//! writes a formatted line in several pieces, so one message would become several entries.

use std::io::Write;

/// Writes one whole line to stderr with a single write. Used by [`log!`](crate::log!).
#[doc(hidden)]
///
/// # Example
///
/// What [`log!`](crate::log!) expands to:
///
/// ```
/// rr_worker::write_log_line(format_args!("worker {} ready", std::process::id()));
/// ```
pub fn write_line(args: std::fmt::Arguments<'_>) {
    let mut line = args.to_string();
    line.push('\n');
    // Nothing sensible can be done when stderr itself is gone.
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

/// Like `eprintln!`, but the whole line goes out in one write, so RoadRunner logs it as one
/// entry (it logs each chunk it reads from a worker's stderr separately).
///
/// ```
/// rr_worker::log!("worker {} ready", std::process::id());
/// ```
#[macro_export]
macro_rules! log {
    ($($arg:tt)*) => {
        $crate::write_log_line(format_args!($($arg)*))
    };
}
