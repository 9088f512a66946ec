//! [`ServerConfig`]: what an end-to-end test asks rr to run (worker, relay, pool, extra YAML).

use std::path::PathBuf;

/// Which RoadRunner build to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// v2025.1.15 (`RR_BINARY`).
    Current,
    /// v2023.3.12 (`RR_BINARY_2023`).
    Legacy,
}

/// How rr talks to its workers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relay {
    /// stdin/stdout.
    Pipes,
    /// A TCP socket on 127.0.0.1.
    Tcp,
    /// A unix socket in the test's directory.
    Unix,
}

/// What to start.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The worker binary.
    pub worker: PathBuf,
    /// Worker relay.
    pub relay: Relay,
    /// Pool size.
    pub num_workers: u32,
    /// Which rr.
    pub variant: Variant,
    /// Accept HTTP/2 over cleartext (h2c).
    pub h2c: bool,
    /// Extra environment for the workers.
    pub env: Vec<(String, String)>,
    /// Extra YAML lines appended under `http:` (indented by the caller with 2 spaces).
    pub http_extra: String,
    /// Extra YAML lines under `http.uploads:` (indented with 4 spaces), e.g. `forbid`.
    pub uploads_extra: String,
    /// `http.pool` extra lines (indented with 4 spaces).
    pub pool_extra: String,
    /// Turn on rr's RPC plugin on a free port.
    pub rpc: bool,
    /// `http.max_request_size` in MiB (64 unless set).
    pub max_request_mb: u32,
    /// Extra KV storages under `kv:` (indented with 2 spaces), beside `local`; needs [`Self::rpc`].
    pub kv_extra: String,
}

impl ServerConfig {
    /// One worker, pipes, the current rr.
    ///
    /// # Example
    ///
    /// ```
    /// let cfg = rr_testkit::rr::ServerConfig::new("./target/debug/e2e-worker");
    /// assert_eq!(cfg.num_workers, 1);
    /// ```
    pub fn new(worker: impl Into<PathBuf>) -> Self {
        Self {
            worker: worker.into(),
            relay: Relay::Pipes,
            num_workers: 1,
            variant: Variant::Current,
            h2c: false,
            env: Vec::new(),
            http_extra: String::new(),
            uploads_extra: String::new(),
            pool_extra: String::new(),
            rpc: false,
            max_request_mb: 64,
            kv_extra: String::new(),
        }
    }

    /// Sets `http.max_request_size` (MiB).
    ///
    /// ```
    /// use rr_testkit::rr::ServerConfig;
    ///
    /// let cfg = ServerConfig::new("./target/debug/e2e-worker").max_request_mb(256);
    /// assert_eq!(cfg.max_request_mb, 256);
    /// ```
    pub fn max_request_mb(mut self, mb: u32) -> Self {
        self.max_request_mb = mb;
        self
    }

    /// Turns on rr's RPC plugin (its address is [`RrServer::rpc`]) and a KV storage `local`.
    ///
    /// # Example
    ///
    /// ```
    /// use rr_testkit::rr::{Relay, ServerConfig};
    /// let cfg = ServerConfig::new("./target/debug/e2e-worker").rpc();
    /// assert!(cfg.rpc);
    /// ```
    pub fn rpc(mut self) -> Self {
        self.rpc = true;
        self
    }

    /// Adds KV storages (YAML under `kv:`, indented with 2 spaces) and turns on RPC.
    ///
    /// # Example
    ///
    /// ```
    /// let cfg = rr_testkit::rr::ServerConfig::new("./w").kv_yaml("  cache:\n    driver: memory\n");
    /// assert!(cfg.rpc && cfg.kv_extra.contains("cache"));
    /// ```
    pub fn kv_yaml(mut self, yaml: &str) -> Self {
        self.rpc = true;
        self.kv_extra.push_str(yaml);
        self
    }

    /// Sets the relay.
    ///
    /// # Example
    ///
    /// ```
    /// use rr_testkit::rr::{Relay, ServerConfig};
    /// let cfg = ServerConfig::new("./target/debug/e2e-worker").relay(Relay::Tcp);
    /// assert_eq!(cfg.relay, Relay::Tcp);
    /// ```
    pub fn relay(mut self, relay: Relay) -> Self {
        self.relay = relay;
        self
    }

    /// Sets the number of workers.
    ///
    /// # Example
    ///
    /// ```
    /// use rr_testkit::rr::{Relay, ServerConfig};
    /// let cfg = ServerConfig::new("./target/debug/e2e-worker").workers(4);
    /// assert_eq!(cfg.num_workers, 4);
    /// ```
    pub fn workers(mut self, n: u32) -> Self {
        self.num_workers = n;
        self
    }

    /// Uses the legacy server.
    ///
    /// # Example
    ///
    /// ```
    /// use rr_testkit::rr::{ServerConfig, Variant};
    /// let cfg = ServerConfig::new("./w").legacy();
    /// assert_eq!(cfg.variant, Variant::Legacy);
    /// ```
    pub fn legacy(mut self) -> Self {
        self.variant = Variant::Legacy;
        self
    }

    /// Adds a worker environment variable.
    ///
    /// # Example
    ///
    /// ```
    /// let cfg = rr_testkit::rr::ServerConfig::new("./w").env("MODE", "slow");
    /// assert_eq!(cfg.env, [("MODE".to_owned(), "slow".to_owned())]);
    /// ```
    pub fn env(mut self, key: &str, value: impl Into<String>) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Turns on h2c.
    ///
    /// # Example
    ///
    /// ```
    /// assert!(rr_testkit::rr::ServerConfig::new("./w").h2c().h2c);
    /// ```
    pub fn h2c(mut self) -> Self {
        self.h2c = true;
        self
    }

    /// Adds YAML lines under `http:`.
    ///
    /// # Example
    ///
    /// ```
    /// let cfg = rr_testkit::rr::ServerConfig::new("./w").http_yaml("  raw_body: true\n");
    /// assert!(cfg.http_extra.contains("raw_body"));
    /// ```
    pub fn http_yaml(mut self, yaml: &str) -> Self {
        self.http_extra.push_str(yaml);
        self
    }

    /// Adds YAML lines under `http.uploads:`.
    ///
    /// # Example
    ///
    /// ```
    /// let cfg = rr_testkit::rr::ServerConfig::new("./w").uploads_yaml("    forbid: [\".php\"]\n");
    /// assert!(cfg.uploads_extra.contains("forbid"));
    /// ```
    pub fn uploads_yaml(mut self, yaml: &str) -> Self {
        self.uploads_extra.push_str(yaml);
        self
    }

    /// Adds YAML lines under `http.pool:`.
    ///
    /// # Example
    ///
    /// ```
    /// let cfg = rr_testkit::rr::ServerConfig::new("./w").pool_yaml("    max_jobs: 1\n");
    /// assert!(cfg.pool_extra.contains("max_jobs"));
    /// ```
    pub fn pool_yaml(mut self, yaml: &str) -> Self {
        self.pool_extra.push_str(yaml);
        self
    }
}
