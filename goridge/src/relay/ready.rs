//! Non-blocking readiness checks for the readers a [`StreamRelay`](super::StreamRelay) wraps.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, Cursor};
use std::net::TcpStream;
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::net::UnixStream;
use std::process::ChildStdout;
use std::time::Duration;

use rustix::event::{PollFd, PollFlags, Timespec, poll};

/// A reader that can tell, without blocking, whether a read would return at once.
pub trait ReadReady {
    /// `true` when data (or end of file) is waiting to be read.
    ///
    /// # Errors
    ///
    /// When the readiness check itself fails.
    fn read_ready(&self) -> io::Result<bool>;

    /// Waits up to `timeout` for data (or end of file); `true` when it came. Used by a
    /// [`StreamRelay`](super::StreamRelay) with a frame timeout. The default cannot wait and
    /// answers `true` at once, so readers without a descriptor never time out.
    ///
    /// ```
    /// use goridge::relay::ReadReady;
    /// use std::time::Duration;
    ///
    /// let (ours, _peer) = std::os::unix::net::UnixStream::pair()?;
    /// assert!(!ours.wait_ready(Duration::from_millis(1))?);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// When the wait itself fails.
    fn wait_ready(&self, timeout: Duration) -> io::Result<bool> {
        let _ = timeout;
        Ok(true)
    }
}

/// Polls a descriptor, waiting at most `timeout`. Hang-up and error count as ready: the next read
/// reports them.
fn fd_ready(fd: BorrowedFd<'_>, timeout: Duration) -> io::Result<bool> {
    let mut fds = [PollFd::new(&fd, PollFlags::IN)];
    let timeout = Timespec {
        tv_sec: i64::try_from(timeout.as_secs()).unwrap_or(i64::MAX),
        tv_nsec: i64::from(timeout.subsec_nanos()),
    };
    loop {
        match poll(&mut fds, Some(&timeout)) {
            Ok(n) => return Ok(n > 0),
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => return Err(e.into()),
        }
    }
}

macro_rules! fd_ready_impl {
    ($($t:ty),*) => {$(
        impl ReadReady for $t {
            fn read_ready(&self) -> io::Result<bool> {
                fd_ready(self.as_fd(), Duration::ZERO)
            }
            fn wait_ready(&self, timeout: Duration) -> io::Result<bool> {
                fd_ready(self.as_fd(), timeout)
            }
        }
    )*};
}

fd_ready_impl!(File, TcpStream, UnixStream, ChildStdout);

impl ReadReady for &[u8] {
    fn read_ready(&self) -> io::Result<bool> {
        Ok(true)
    }
}

impl<T: AsRef<[u8]>> ReadReady for Cursor<T> {
    fn read_ready(&self) -> io::Result<bool> {
        // An in-memory reader never blocks: at its end it reports EOF at once.
        Ok(true)
    }
}

impl ReadReady for VecDeque<u8> {
    fn read_ready(&self) -> io::Result<bool> {
        Ok(true)
    }
}
