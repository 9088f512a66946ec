//! [`AnyRelay`]: the relay chosen at run time from a [`Dsn`].

use super::{Dsn, PipeRelay, Relay, TcpRelay, UnixRelay};
use crate::{Frame, FrameHead, RelayError};

/// One of the three relay kinds RoadRunner offers, opened from a [`Dsn`].
#[derive(Debug)]
pub enum AnyRelay {
    /// stdin/stdout.
    Pipes(PipeRelay),
    /// TCP.
    Tcp(TcpRelay),
    /// Unix socket.
    Unix(UnixRelay),
}

impl AnyRelay {
    /// Opens the relay `dsn` names (for pipes: see [`PipeRelay::stdio`]). With every relay,
    /// descriptor 1 is pointed at stderr, so `println!` output ends up in RoadRunner's log.
    ///
    /// # Errors
    ///
    /// [`RelayError::Connect`] when a socket cannot be reached.
    pub fn connect(dsn: &Dsn) -> Result<Self, RelayError> {
        Ok(match dsn {
            Dsn::Pipes => Self::Pipes(PipeRelay::stdio()?),
            Dsn::Tcp(addr) => {
                super::stream::redirect_stdout_to_stderr()?;
                Self::Tcp(TcpRelay::connect(addr)?)
            }
            Dsn::Unix(path) => {
                super::stream::redirect_stdout_to_stderr()?;
                Self::Unix(UnixRelay::connect(path)?)
            }
        })
    }
}

macro_rules! each {
    ($self:ident, $r:ident => $e:expr) => {
        match $self {
            AnyRelay::Pipes($r) => $e,
            AnyRelay::Tcp($r) => $e,
            AnyRelay::Unix($r) => $e,
        }
    };
}

impl Relay for AnyRelay {
    fn send(&mut self, head: &FrameHead, parts: &[&[u8]]) -> Result<(), RelayError> {
        each!(self, r => r.send(head, parts))
    }
    fn receive(&mut self) -> Result<Frame, RelayError> {
        each!(self, r => r.receive())
    }
    fn try_receive(&mut self) -> Result<Option<Frame>, RelayError> {
        each!(self, r => r.try_receive())
    }
}
