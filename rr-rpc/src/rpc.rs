//! [`Rpc`]: the informer, resetter and rpc plugins' methods.

use std::time::Duration;

use goridge::{RpcClient, RpcError};
use serde::Deserialize;

use crate::Kv;

/// The default address of rr's RPC plugin, used when `RR_RPC` is not set.
pub const DEFAULT_ADDRESS: &str = "tcp://127.0.0.1:6001";

/// A connection to rr's RPC socket.
#[derive(Debug)]
pub struct Rpc {
    client: RpcClient,
}

/// One worker process of a pool, as `informer.Workers` reports it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct WorkerInfo {
    /// Process id.
    pub pid: i64,
    /// State code (see `status_str`).
    #[serde(default)]
    pub status: i64,
    /// The state as text, e.g. `ready`, `working`.
    #[serde(default, rename = "statusStr")]
    pub status_str: String,
    /// Requests (executions) served.
    #[serde(default, rename = "numExecs")]
    pub num_execs: u64,
    /// Start time, Unix nanoseconds.
    #[serde(default)]
    pub created: i64,
    /// Resident memory in bytes.
    #[serde(default, rename = "memoryUsage")]
    pub memory_usage: u64,
    /// CPU use in percent.
    #[serde(default, rename = "CPUPercent")]
    pub cpu_percent: f64,
    /// The command line that started it (rr v2025.1.15 leaves it empty).
    #[serde(default)]
    pub command: String,
}

#[derive(Deserialize)]
struct WorkerList {
    #[serde(default)]
    workers: Option<Vec<WorkerInfo>>,
}

impl Rpc {
    /// Connects to `dsn` (`tcp://host:port` or `unix://path`); every call waits at most
    /// `timeout` for its reply.
    ///
    /// # Errors
    ///
    /// When the address is invalid or cannot be reached.
    ///
    /// # Example
    ///
    /// ```
    /// use std::time::Duration;
    /// use rr_rpc::Rpc;
    ///
    /// # let rr = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// # let dsn = format!("tcp://{}", rr.local_addr()?);
    /// // `dsn` is rr's `rpc.listen`, e.g. "tcp://127.0.0.1:6001".
    /// let mut rpc = Rpc::connect(&dsn, Duration::from_secs(5))?;
    /// assert!(rpc.client_mut().is_connected());
    /// assert!(Rpc::connect("udp://127.0.0.1:6001", Duration::from_secs(5)).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn connect(dsn: &str, timeout: Duration) -> Result<Self, RpcError> {
        Ok(Self {
            client: RpcClient::connect(dsn, timeout)?,
        })
    }

    /// Connects to the address in `RR_RPC` (set by rr for its workers when the rpc plugin
    /// listens), or [`DEFAULT_ADDRESS`].
    ///
    /// # Errors
    ///
    /// As [`connect`](Self::connect).
    ///
    /// # Example
    ///
    /// In a worker rr started (it needs rr's rpc plugin listening):
    ///
    /// ```no_run
    /// let mut rpc = rr_rpc::Rpc::from_env(std::time::Duration::from_secs(5))?;
    /// eprintln!("served by rr {}", rpc.version()?);
    /// # Ok::<(), rr_rpc::RpcError>(())
    /// ```
    pub fn from_env(timeout: Duration) -> Result<Self, RpcError> {
        let dsn = std::env::var("RR_RPC")
            .ok()
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| DEFAULT_ADDRESS.to_owned());
        Self::connect(&dsn, timeout)
    }

    /// rr's version (`rpc.Version`).
    ///
    /// # Errors
    ///
    /// [`RpcError`] when the call fails.
    ///
    /// # Example
    ///
    /// Against a running rr with the rpc plugin:
    ///
    /// ```no_run
    /// let mut rpc = rr_rpc::Rpc::connect("tcp://127.0.0.1:6001", std::time::Duration::from_secs(5))?;
    /// let version = rpc.version()?;
    /// assert_eq!(version.split('.').count(), 3, "year.minor.patch, e.g. 2025.1.15");
    /// # Ok::<(), rr_rpc::RpcError>(())
    /// ```
    pub fn version(&mut self) -> Result<String, RpcError> {
        self.client.call_json("rpc.Version", &true)
    }

    /// The workers of `plugin`'s pool, e.g. `"http"` (`informer.Workers`); empty for a plugin
    /// without workers.
    ///
    /// # Errors
    ///
    /// [`RpcError`] when the call fails.
    ///
    /// # Example
    ///
    /// Against a running rr with the rpc plugin:
    ///
    /// ```no_run
    /// let mut rpc = rr_rpc::Rpc::connect("tcp://127.0.0.1:6001", std::time::Duration::from_secs(5))?;
    /// for worker in rpc.workers("http")? {
    ///     eprintln!("{} {}: {} requests", worker.pid, worker.status_str, worker.num_execs);
    /// }
    /// # Ok::<(), rr_rpc::RpcError>(())
    /// ```
    pub fn workers(&mut self, plugin: &str) -> Result<Vec<WorkerInfo>, RpcError> {
        let list: WorkerList = self.client.call_json("informer.Workers", plugin)?;
        Ok(list.workers.unwrap_or_default())
    }

    /// Replaces every worker of `plugin`'s pool with a fresh one (`resetter.Reset`).
    ///
    /// # Errors
    ///
    /// [`RpcError::Remote`] for an unknown plugin; other [`RpcError`]s when the call fails.
    ///
    /// # Example
    ///
    /// Against a running rr with the rpc plugin:
    ///
    /// ```no_run
    /// let mut rpc = rr_rpc::Rpc::connect("tcp://127.0.0.1:6001", std::time::Duration::from_secs(5))?;
    /// let before: Vec<i64> = rpc.workers("http")?.iter().map(|w| w.pid).collect();
    /// rpc.reset("http")?;
    /// let after: Vec<i64> = rpc.workers("http")?.iter().map(|w| w.pid).collect();
    /// assert!(after.iter().all(|pid| !before.contains(pid)), "every worker was replaced");
    /// # Ok::<(), rr_rpc::RpcError>(())
    /// ```
    pub fn reset(&mut self, plugin: &str) -> Result<(), RpcError> {
        let _: bool = self.client.call_json("resetter.Reset", plugin)?;
        Ok(())
    }

    /// Starts one more worker in `plugin`'s pool (`informer.AddWorker`).
    ///
    /// # Errors
    ///
    /// [`RpcError`] when the call fails.
    ///
    /// # Example
    ///
    /// Against a running rr with the rpc plugin:
    ///
    /// ```no_run
    /// let mut rpc = rr_rpc::Rpc::connect("tcp://127.0.0.1:6001", std::time::Duration::from_secs(5))?;
    /// let before = rpc.workers("http")?.len();
    /// rpc.add_worker("http")?;
    /// assert_eq!(rpc.workers("http")?.len(), before + 1);
    /// # Ok::<(), rr_rpc::RpcError>(())
    /// ```
    pub fn add_worker(&mut self, plugin: &str) -> Result<(), RpcError> {
        let _: Option<bool> = self.client.call_json("informer.AddWorker", plugin)?;
        Ok(())
    }

    /// Stops one worker of `plugin`'s pool (`informer.RemoveWorker`).
    ///
    /// # Errors
    ///
    /// [`RpcError`] when the call fails.
    ///
    /// # Example
    ///
    /// Against a running rr with the rpc plugin:
    ///
    /// ```no_run
    /// let mut rpc = rr_rpc::Rpc::connect("tcp://127.0.0.1:6001", std::time::Duration::from_secs(5))?;
    /// let before = rpc.workers("http")?.len();
    /// rpc.remove_worker("http")?;
    /// assert_eq!(rpc.workers("http")?.len(), before - 1);
    /// # Ok::<(), rr_rpc::RpcError>(())
    /// ```
    pub fn remove_worker(&mut self, plugin: &str) -> Result<(), RpcError> {
        let _: Option<bool> = self.client.call_json("informer.RemoveWorker", plugin)?;
        Ok(())
    }

    /// The KV storage named `storage` (a key of the `kv:` config section).
    ///
    /// # Example
    ///
    /// Against a running rr whose `kv:` section has a storage `local`:
    ///
    /// ```no_run
    /// let mut rpc = rr_rpc::Rpc::connect("tcp://127.0.0.1:6001", std::time::Duration::from_secs(5))?;
    /// let mut local = rpc.kv("local");
    /// local.set("greeting", "hello", None)?;
    /// assert_eq!(local.get("greeting")?.as_deref(), Some(&b"hello"[..]));
    /// # Ok::<(), rr_rpc::RpcError>(())
    /// ```
    pub fn kv(&mut self, storage: &str) -> Kv<'_> {
        Kv::new(&mut self.client, storage)
    }

    /// The underlying client, for methods without a typed wrapper.
    ///
    /// # Example
    ///
    /// Against a running rr with the rpc plugin, a method without a typed wrapper:
    ///
    /// ```no_run
    /// let mut rpc = rr_rpc::Rpc::connect("tcp://127.0.0.1:6001", std::time::Duration::from_secs(5))?;
    /// let resettable: Vec<String> = rpc.client_mut().call_json("resetter.List", &true)?;
    /// assert!(resettable.iter().any(|plugin| plugin == "http"));
    /// # Ok::<(), rr_rpc::RpcError>(())
    /// ```
    pub fn client_mut(&mut self) -> &mut RpcClient {
        &mut self.client
    }
}
