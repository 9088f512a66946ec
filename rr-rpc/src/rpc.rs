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
    pub fn version(&mut self) -> Result<String, RpcError> {
        self.client.call_json("rpc.Version", &true)
    }

    /// The workers of `plugin`'s pool, e.g. `"http"` (`informer.Workers`); empty for a plugin
    /// without workers.
    ///
    /// # Errors
    ///
    /// [`RpcError`] when the call fails.
    pub fn workers(&mut self, plugin: &str) -> Result<Vec<WorkerInfo>, RpcError> {
        let list: WorkerList = self.client.call_json("informer.Workers", plugin)?;
        Ok(list.workers.unwrap_or_default())
    }

    /// Replaces every worker of `plugin`'s pool with a fresh one (`resetter.Reset`).
    ///
    /// # Errors
    ///
    /// [`RpcError::Remote`] for an unknown plugin; other [`RpcError`]s when the call fails.
    pub fn reset(&mut self, plugin: &str) -> Result<(), RpcError> {
        let _: bool = self.client.call_json("resetter.Reset", plugin)?;
        Ok(())
    }

    /// Starts one more worker in `plugin`'s pool (`informer.AddWorker`).
    ///
    /// # Errors
    ///
    /// [`RpcError`] when the call fails.
    pub fn add_worker(&mut self, plugin: &str) -> Result<(), RpcError> {
        let _: Option<bool> = self.client.call_json("informer.AddWorker", plugin)?;
        Ok(())
    }

    /// Stops one worker of `plugin`'s pool (`informer.RemoveWorker`).
    ///
    /// # Errors
    ///
    /// [`RpcError`] when the call fails.
    pub fn remove_worker(&mut self, plugin: &str) -> Result<(), RpcError> {
        let _: Option<bool> = self.client.call_json("informer.RemoveWorker", plugin)?;
        Ok(())
    }

    /// The KV storage named `storage` (a key of the `kv:` config section).
    pub fn kv(&mut self, storage: &str) -> Kv<'_> {
        Kv::new(&mut self.client, storage)
    }

    /// The underlying client, for methods without a typed wrapper.
    pub fn client_mut(&mut self) -> &mut RpcClient {
        &mut self.client
    }
}
