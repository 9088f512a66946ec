//! [`Environment`]: what RoadRunner tells a worker through environment variables.

use goridge::Dsn;

use crate::WorkerError;

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

impl Environment {
    /// Reads the process environment.
    ///
    /// # Errors
    ///
    /// [`WorkerError::Relay`] when `RR_RELAY` is not a valid DSN.
    pub fn from_env() -> Result<Self, WorkerError> {
        Self::from_vars(std::env::vars())
    }

    /// Reads the given variables, e.g. in tests.
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
    /// [`WorkerError::Relay`] when `RR_RELAY` is not a valid DSN.
    pub fn from_vars<K, V>(vars: impl IntoIterator<Item = (K, V)>) -> Result<Self, WorkerError>
    where
        K: AsRef<str>,
        V: Into<String>,
    {
        let mut env = Self {
            relay: Dsn::Pipes,
            mode: None,
            rpc: None,
            version: None,
        };
        for (key, value) in vars {
            let non_empty = |v: V| Some(v.into()).filter(|s: &String| !s.is_empty());
            match key.as_ref() {
                "RR_RELAY" => {
                    if let Some(v) = non_empty(value) {
                        env.relay = v.parse()?;
                    }
                }
                "RR_MODE" => env.mode = non_empty(value),
                "RR_RPC" => env.rpc = non_empty(value),
                "RR_VERSION" => env.version = non_empty(value),
                _ => {}
            }
        }
        Ok(env)
    }
}
