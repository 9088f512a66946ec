//! Non-blocking readiness checks for the readers a [`StreamRelay`](super::StreamRelay) wraps.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, Cursor};
use std::net::TcpStream;
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::net::UnixStream;
use std::process::ChildStdout;

use rustix::event::{PollFd, PollFlags, Timespec, poll};

/// A reader that can tell, without blocking, whether a read would return at once.
pub trait ReadReady {
    /// `true` when data (or end of file) is waiting to be read.
    ///
    /// # Errors
    ///
    /// When the readiness check itself fails.
    fn read_ready(&self) -> io::Result<bool>;
}

/// Polls a descriptor with a zero timeout. Hang-up and error count as ready: the next read
/// reports them.
fn fd_ready(fd: BorrowedFd<'_>) -> io::Result<bool> {
    let mut fds = [PollFd::new(&fd, PollFlags::IN)];
    let zero = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    loop {
        match poll(&mut fds, Some(&zero)) {
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
                fd_ready(self.as_fd())
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
