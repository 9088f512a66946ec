//! [`Dsn`]: the relay address strings RoadRunner uses (`server.relay`, `RR_RELAY`, `RR_RPC`).

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use crate::RelayError;

/// Where a relay goes, parsed from `pipes`, `tcp://host:port` or `unix://path`.
///
/// ```
/// use goridge::Dsn;
///
/// assert_eq!("pipes".parse::<Dsn>().unwrap(), Dsn::Pipes);
/// assert_eq!(
///     "tcp://127.0.0.1:7000".parse::<Dsn>().unwrap(),
///     Dsn::Tcp("127.0.0.1:7000".into())
/// );
/// assert_eq!(
///     "unix:///tmp/rr.sock".parse::<Dsn>().unwrap(),
///     Dsn::Unix("/tmp/rr.sock".into())
/// );
/// assert!("udp://x:1".parse::<Dsn>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Dsn {
    /// Standard input and output of the process.
    Pipes,
    /// A TCP address, `host:port`.
    Tcp(String),
    /// A unix socket path.
    Unix(PathBuf),
}

impl FromStr for Dsn {
    type Err = RelayError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = |reason| RelayError::InvalidDsn {
            dsn: s.to_owned(),
            reason,
        };
        let trimmed = s.trim();
        if trimmed == "pipes" || trimmed.starts_with("pipes://") {
            return Ok(Self::Pipes);
        }
        if let Some(addr) = trimmed.strip_prefix("tcp://") {
            let (host, port) = addr.rsplit_once(':').ok_or_else(|| invalid("no port"))?;
            port.parse::<u16>().map_err(|_| invalid("bad port"))?;
            if host.is_empty() {
                // `tcp://:6001` makes rr listen on every interface; reach it on loopback,
                // as Go's dialer does for an empty host.
                return Ok(Self::Tcp(format!("127.0.0.1:{port}")));
            }
            return Ok(Self::Tcp(addr.to_owned()));
        }
        if let Some(path) = trimmed.strip_prefix("unix://") {
            if path.is_empty() {
                return Err(invalid("no socket path"));
            }
            return Ok(Self::Unix(PathBuf::from(path)));
        }
        Err(invalid("unknown scheme"))
    }
}

impl fmt::Display for Dsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Pipes => f.write_str("pipes"),
            Self::Tcp(addr) => write!(f, "tcp://{addr}"),
            Self::Unix(path) => write!(f, "unix://{}", path.display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_malformed() {
        for bad in [
            "",
            "tcp://",
            "tcp://host",
            "tcp://h:port",
            "unix://",
            "http://x",
        ] {
            assert!(
                matches!(bad.parse::<Dsn>(), Err(RelayError::InvalidDsn { .. })),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn empty_tcp_host_means_loopback() {
        assert_eq!(
            "tcp://:6001".parse::<Dsn>().unwrap(),
            Dsn::Tcp("127.0.0.1:6001".into())
        );
    }

    #[test]
    fn display_round_trips() {
        for good in [
            "pipes",
            "tcp://localhost:6001",
            "unix:///run/rr.sock",
            "tcp://[::1]:80",
        ] {
            assert_eq!(good.parse::<Dsn>().unwrap().to_string(), good);
        }
    }
}
