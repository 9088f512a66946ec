//! Relays move whole frames between two processes.
//!
//! [`Relay`] is the seam every upper layer talks to: send a frame, receive a frame, and look
//! for a frame without blocking (needed to notice a server's STOP while streaming).
//! Implementations: [`StreamRelay`] over any reader/writer pair (stdin/stdout pipes, TCP,
//! unix sockets), [`MemoryRelay`] for tests, and [`AnyRelay`] chosen at run time from a [`Dsn`].

mod any;
mod dsn;
mod frame_reader;
mod memory;
mod ready;
mod stream;
mod transports;

pub use self::any::AnyRelay;
pub use self::dsn::Dsn;
pub use self::memory::MemoryRelay;
pub use self::ready::ReadReady;
pub use self::stream::StreamRelay;
pub use self::transports::{PipeRelay, TcpRelay, UnixRelay};

use crate::{Frame, FrameHead, RelayError};

/// Sends and receives frames.
pub trait Relay {
    /// Sends one frame whose payload is the concatenation of `parts`, written contiguously.
    ///
    /// Taking the payload in parts lets a worker send context and body without joining them.
    ///
    /// # Errors
    ///
    /// [`RelayError::Frame`] when the parts do not fit a frame, refused before anything is
    /// written (callers rely on this: the relay stays usable); [`RelayError::Io`] when writing
    /// fails.
    fn send(&mut self, head: &FrameHead, parts: &[&[u8]]) -> Result<(), RelayError>;

    /// Blocks until one whole frame has arrived.
    ///
    /// # Errors
    ///
    /// [`RelayError::Closed`] when the peer closed the relay between frames; any other variant
    /// means the relay is unusable.
    fn receive(&mut self) -> Result<Frame, RelayError>;

    /// Returns a frame only if one has (at least partly) arrived already; never waits for one.
    ///
    /// # Errors
    ///
    /// As [`receive`](Self::receive).
    fn try_receive(&mut self) -> Result<Option<Frame>, RelayError>;

    /// Sends a whole frame.
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send).
    fn send_frame(&mut self, frame: &Frame) -> Result<(), RelayError> {
        self.send(&frame.head, &[&frame.payload])
    }
}

/// `Relay` for pointers to a relay (`&mut T`, `Box<T>`): every method goes to the relay.
macro_rules! forward_relay {
    ($($pointer:ty),*) => {$(
        impl<T: Relay + ?Sized> Relay for $pointer {
            fn send(&mut self, head: &FrameHead, parts: &[&[u8]]) -> Result<(), RelayError> {
                (**self).send(head, parts)
            }
            fn receive(&mut self) -> Result<Frame, RelayError> {
                (**self).receive()
            }
            fn try_receive(&mut self) -> Result<Option<Frame>, RelayError> {
                (**self).try_receive()
            }
        }
    )*};
}

forward_relay!(&mut T, Box<T>);
