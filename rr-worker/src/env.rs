//! [`Environment`]: what RoadRunner tells a worker through environment variables.

use std::ffi::{OsStr, OsString};

use goridge::Dsn;

use crate::WorkerError;

/// The variables [`Environment`] reads; every other variable is left alone.
const NAMES: [&str; 4] = ["RR_RELAY", "RR_MODE", "RR_RPC", "RR_VERSION"];

/// The variables RoadRunner sets for every worker it starts (`docs/worker.md`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    /// `RR_RELAY`: how to reach the server; `pipes` when unset.
    pub relay: Dsn,
    /// `RR_MODE`: the plugin that owns the pool, e.g. `http`, `jobs`.
    pub mode: Option<String>,
    /// `RR_RPC`: the RPC address, when the `rpc` plugin listens.
    pub rpc: Option<String>,
    /// `RR_VERSION`: the server's version.
    pub version: Option<String>,
}

/// One of RoadRunner's variables holds something a worker cannot use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EnvError {
    /// The value is not valid UTF-8.
    #[error("environment variable {name} is not valid UTF-8: {value_lossy:?}")]
    NotUnicode {
        /// The variable, e.g. `RR_RPC`.
        name: &'static str,
        /// The value with invalid bytes replaced by U+FFFD.
        value_lossy: String,
    },
}

impl Environment {
    /// Reads RoadRunner's variables (`RR_RELAY`, `RR_MODE`, `RR_RPC`, `RR_VERSION`) from the
    /// process environment, and nothing else: other variables may hold anything, also bytes
    /// that are not UTF-8.
    ///
    /// ```
    /// let env = rr_worker::Environment::from_env()?;
    /// eprintln!("relay {}, mode {:?}", env.relay, env.mode);
    /// # Ok::<(), rr_worker::WorkerError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`WorkerError::Env`] when one of those variables is not valid UTF-8,
    /// [`WorkerError::Relay`] when `RR_RELAY` is not a valid DSN.
    pub fn from_env() -> Result<Self, WorkerError> {
        Self::from_vars(
            NAMES
                .iter()
                .filter_map(|name| Some((*name, std::env::var_os(name)?))),
        )
    }

    /// Reads the given variables, e.g. in tests. Names other than RoadRunner's are ignored,
    /// whatever their value; values may be `&str`, `String`, `OsString`, …
    ///
    /// ```
    /// use rr_worker::Environment;
    ///
    /// let env = Environment::from_vars([("RR_RELAY", "tcp://127.0.0.1:7000"), ("RR_MODE", "http")])?;
    /// assert_eq!(env.relay.to_string(), "tcp://127.0.0.1:7000");
    /// assert_eq!(env.mode.as_deref(), Some("http"));
    /// assert_eq!(env.rpc, None);
    /// # Ok::<(), rr_worker::WorkerError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`WorkerError::Env`] when one of RoadRunner's variables is not valid UTF-8,
    /// [`WorkerError::Relay`] when `RR_RELAY` is not a valid DSN.
    pub fn from_vars<K, V>(vars: impl IntoIterator<Item = (K, V)>) -> Result<Self, WorkerError>
    where
        K: AsRef<OsStr>,
        V: AsRef<OsStr>,
    {
        let mut env = Self {
            relay: Dsn::Pipes,
            mode: None,
            rpc: None,
            version: None,
        };
        for (key, value) in vars {
            let Some(name) = NAMES.iter().find(|n| OsStr::new(n) == key.as_ref()) else {
                continue;
            };
            let value = text(name, value.as_ref())?;
            let value = Some(value).filter(|s| !s.is_empty());
            match *name {
                "RR_RELAY" => {
                    if let Some(v) = value {
                        env.relay = v.parse()?;
                    }
                }
                "RR_MODE" => env.mode = value,
                "RR_RPC" => env.rpc = value,
                _ => env.version = value,
            }
        }
        Ok(env)
    }
}

/// The value of variable `name` as text.
fn text(name: &'static str, value: &OsStr) -> Result<String, EnvError> {
    OsString::from(value)
        .into_string()
        .map_err(|raw| EnvError::NotUnicode {
            name,
            value_lossy: raw.to_string_lossy().into_owned(),
        })
}

#[cfg(test)]
mod tests {
    use std::os::unix::ffi::OsStrExt;

    use super::*;

    #[test]
    fn only_our_variables_are_read_and_checked() {
        let bad = OsStr::from_bytes(b"\xff\xfe");
        let env = Environment::from_vars([
            (OsStr::new("HOME_LATIN1"), bad),
            (OsStr::new("RR_MODE"), OsStr::new("jobs")),
            (OsStr::new("RR_VERSION"), OsStr::new("")),
        ])
        .unwrap();
        assert_eq!((env.mode.as_deref(), env.version), (Some("jobs"), None));
        let err = Environment::from_vars([("RR_RELAY", bad)]).unwrap_err();
        assert!(matches!(
            &err,
            WorkerError::Env(EnvError::NotUnicode { name: "RR_RELAY", value_lossy })
                if value_lossy == "\u{fffd}\u{fffd}"
        ));
        assert_eq!(
            err.to_string(),
            "environment variable RR_RELAY is not valid UTF-8: \"\u{fffd}\u{fffd}\""
        );
    }
}
