//! [`BrokerError`]: why a broker could not be installed, started or stopped.

use std::net::SocketAddr;
use std::time::Duration;

/// Why a broker could not be started or stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BrokerError {
    /// The program is not installed.
    #[error("{program} is missing: install the Debian package {package} (`cargo xtask test` does)")]
    NotInstalled {
        /// The program looked for.
        program: &'static str,
        /// Its package.
        package: &'static str,
    },
    /// Files or processes could not be handled.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The process exited before it answered.
    #[error("{kind} exited before it was ready ({status}); its log:\n{log}")]
    Exited {
        /// Which broker.
        kind: &'static str,
        /// Its exit status.
        status: std::process::ExitStatus,
        /// The end of its log.
        log: String,
    },
    /// It did not answer its protocol in time.
    #[error("{kind} did not answer on {addr} within {timeout:?}; its log:\n{log}")]
    NotReady {
        /// Which broker.
        kind: &'static str,
        /// Where it should answer.
        addr: SocketAddr,
        /// How long we waited.
        timeout: Duration,
        /// The end of its log.
        log: String,
    },
    /// An installation step failed.
    #[error("installing {packages}: {reason}")]
    Install {
        /// The packages being installed.
        packages: String,
        /// What went wrong and what to do.
        reason: String,
    },
}
