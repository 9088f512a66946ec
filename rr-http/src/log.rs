//! Log lines to stderr, where RoadRunner picks them up.
//!
//! RoadRunner logs each chunk it reads from a worker's stderr as one entry, and `eprintln!`
//! writes a formatted line in several pieces, so one message would become several entries.
//! [`log!`] formats the whole line first and writes it at once.

use std::io::Write;

/// Writes one whole line to stderr with a single write.
pub(crate) fn write_line(args: std::fmt::Arguments<'_>) {
    let mut line = args.to_string();
    line.push('\n');
    // Nothing sensible can be done when stderr itself is gone.
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

/// `eprintln!`, but one write per line (see the module docs).
macro_rules! log {
    ($($arg:tt)*) => {
        $crate::log::write_line(format_args!($($arg)*))
    };
}

pub(crate) use log;
