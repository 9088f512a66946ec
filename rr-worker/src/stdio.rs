//! Process-level descriptor policy of a worker: keep `println!` and child processes away from
//! the frame channel.

use std::fs::File;
use std::io::{self, Write};
use std::os::fd::AsFd;

use goridge::{Dsn, RelayError};

/// Points descriptor 1 at stderr (after flushing what `std` buffered), so that `println!`
/// output reaches RoadRunner's log instead of the frame channel.
///
/// A worker wants this in every relay mode: with pipes stdout is the frame channel; with
/// `tcp` or `unix` relays RoadRunner does not read the worker's stdout at all.
/// [`Worker::connect`](crate::Worker::connect) calls it; call it yourself only when you build
/// a worker from a relay you opened.
///
/// # Errors
///
/// When flushing stdout or duplicating the descriptor fails.
///
/// # Example
///
/// ```no_run
/// rr_worker::redirect_stdout_to_stderr()?;
/// println!("this line goes to stderr, RoadRunner logs it");
/// # Ok::<(), goridge::RelayError>(())
/// ```
pub fn redirect_stdout_to_stderr() -> Result<(), RelayError> {
    io::stdout().flush()?;
    rustix::stdio::dup2_stdout(io::stderr().as_fd()).map_err(io::Error::from)?;
    Ok(())
}

/// Applies the worker's descriptor policy for the relay `dsn` names, once the relay is open:
/// descriptor 1 goes to stderr in every mode, and with pipes descriptor 0 is pointed at
/// `/dev/null`, so that a child process inheriting stdin cannot swallow request bytes (the
/// pipes relay reads from its own duplicate of descriptor 0).
pub(crate) fn isolate(dsn: &Dsn) -> Result<(), RelayError> {
    redirect_stdout_to_stderr()?;
    if matches!(dsn, Dsn::Pipes) {
        let null = File::open("/dev/null")?;
        rustix::stdio::dup2_stdin(null.as_fd()).map_err(io::Error::from)?;
    }
    Ok(())
}
