//! [`Jobs`]: the producer, typed calls to rr's `jobs.*` RPC methods (protobuf codec).

use std::time::Duration;

use goridge::{AnyRelay, Flags, Relay, RpcClient, RpcError};
use prost::Message;
use rr_proto::jobs::v1 as pb;

use crate::{Job, JobsError, Pipeline};

/// The default address of rr's RPC plugin, used when `RR_RPC` is not set.
pub const DEFAULT_RPC: &str = "tcp://127.0.0.1:6001";

/// A connection to rr's RPC socket for the jobs plugin. Every call waits at most the timeout
/// given at connect for its reply ([`RpcError::Timeout`]; make a new client afterwards).
///
/// ```no_run
/// use std::time::Duration;
/// use rr_jobs::{Job, Jobs, Memory};
///
/// let mut jobs = Jobs::connect("tcp://127.0.0.1:6001", Duration::from_secs(5))?;
/// let id = jobs.push(Job::new("mail", r#"{"to":"ann"}"#).pipeline("local"))?;
/// jobs.declare(Memory::new("runtime").prefetch(100))?;
/// jobs.resume(&["runtime"])?;
/// for stat in jobs.stat()? {
///     eprintln!("{}: {} waiting, {} in workers", stat.pipeline, stat.active, stat.reserved);
/// }
/// # let _ = id;
/// # Ok::<(), rr_jobs::JobsError>(())
/// ```
#[derive(Debug)]
pub struct Jobs<R = AnyRelay> {
    client: RpcClient<R>,
}

/// One pipeline's state, from [`Jobs::stat`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PipelineStat {
    /// The pipeline's name.
    pub pipeline: String,
    /// Its driver.
    pub driver: String,
    /// The broker's queue, if the driver has one.
    pub queue: String,
    /// Jobs waiting for delivery.
    pub active: i64,
    /// Jobs waiting for their delay.
    pub delayed: i64,
    /// Jobs delivered to workers and not yet answered.
    pub reserved: i64,
    /// Whether it consumes (false while paused or not yet resumed).
    pub ready: bool,
    /// Its priority.
    pub priority: u64,
}

impl From<pb::Stat> for PipelineStat {
    fn from(s: pb::Stat) -> Self {
        Self {
            pipeline: s.pipeline,
            driver: s.driver,
            queue: s.queue,
            active: s.active,
            delayed: s.delayed,
            reserved: s.reserved,
            ready: s.ready,
            priority: s.priority,
        }
    }
}

impl Jobs<AnyRelay> {
    /// Connects to `dsn` (`tcp://host:port` or `unix://path`).
    ///
    /// ```no_run
    /// let jobs = rr_jobs::Jobs::connect("tcp://127.0.0.1:6001", std::time::Duration::from_secs(5))?;
    /// # Ok::<(), rr_jobs::JobsError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// When the address is invalid or cannot be reached.
    pub fn connect(dsn: &str, timeout: Duration) -> Result<Self, JobsError> {
        Ok(Self::new(RpcClient::connect(dsn, timeout)?))
    }

    /// Connects to `RR_RPC` (set by rr for its workers), or [`DEFAULT_RPC`].
    ///
    /// ```no_run
    /// let jobs = rr_jobs::Jobs::from_env(std::time::Duration::from_secs(5))?;
    /// # Ok::<(), rr_jobs::JobsError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`connect`](Self::connect).
    pub fn from_env(timeout: Duration) -> Result<Self, JobsError> {
        let dsn = std::env::var("RR_RPC")
            .ok()
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| DEFAULT_RPC.to_owned());
        Self::connect(&dsn, timeout)
    }
}

impl<R: Relay> Jobs<R> {
    /// A producer over an open RPC client (e.g. over a [`goridge::MemoryRelay`] in tests).
    ///
    /// ```
    /// let (relay, _rr) = goridge::MemoryRelay::pair();
    /// let jobs = rr_jobs::Jobs::new(goridge::RpcClient::new(relay));
    /// # let _ = jobs;
    /// ```
    pub fn new(client: RpcClient<R>) -> Self {
        Self { client }
    }

    fn call<T: Message + Default>(
        &mut self,
        method: &'static str,
        arg: &impl Message,
    ) -> Result<T, JobsError> {
        let reply = self
            .client
            .call_raw(method, Flags::CODEC_PROTO, &arg.encode_to_vec())?;
        T::decode(reply).map_err(|source| JobsError::BadReply { method, source })
    }

    /// Pushes one job (`jobs.Push`); returns its id (generated when the job had none).
    ///
    /// # Errors
    ///
    /// [`JobsError::NoPipeline`]; [`RpcError::Remote`] with rr's text, e.g.
    /// `no such pipeline, requested: …`; other RPC failures.
    pub fn push(&mut self, job: Job) -> Result<String, JobsError> {
        let job = job.into_proto()?;
        let id = job.id.clone();
        self.call::<pb::Empty>("jobs.Push", &pb::PushRequest { job: Some(job) })?;
        Ok(id)
    }

    /// Pushes jobs in order in one call (`jobs.PushBatch`); returns their ids.
    ///
    /// # Errors
    ///
    /// [`JobsError::PartialBatch`] when rr stops partway: it tells which jobs went in.
    /// [`JobsError::NoPipeline`] before anything is sent.
    pub fn push_batch(
        &mut self,
        jobs: impl IntoIterator<Item = Job>,
    ) -> Result<Vec<String>, JobsError> {
        let jobs = jobs
            .into_iter()
            .map(Job::into_proto)
            .collect::<Result<Vec<_>, _>>()?;
        let ids: Vec<String> = jobs.iter().map(|j| j.id.clone()).collect();
        let pipelines: Vec<String> = jobs
            .iter()
            .map(|j| {
                j.options
                    .as_ref()
                    .map(|o| o.pipeline.clone())
                    .unwrap_or_default()
            })
            .collect();
        match self.call::<pb::Empty>("jobs.PushBatch", &pb::PushBatchRequest { jobs }) {
            Ok(_) => Ok(ids),
            Err(JobsError::Rpc(source @ RpcError::Remote { .. })) => {
                let failed = failing_index(&source, &pipelines);
                let at = failed.unwrap_or(0);
                let mut pushed = ids;
                let not_pushed = pushed.split_off(at);
                Err(JobsError::PartialBatch {
                    pushed,
                    not_pushed,
                    certain: failed.is_some(),
                    source,
                })
            }
            Err(e) => Err(e),
        }
    }

    /// The names of every pipeline (`jobs.List`).
    ///
    /// # Errors
    ///
    /// RPC failures.
    pub fn list(&mut self) -> Result<Vec<String>, JobsError> {
        Ok(self
            .call::<pb::Pipelines>("jobs.List", &pb::Empty {})?
            .pipelines)
    }

    /// Declares a pipeline at runtime (`jobs.Declare`); it consumes after
    /// [`resume`](Self::resume) unless rr's `jobs.consume` lists it.
    ///
    /// # Errors
    ///
    /// [`RpcError::Remote`] e.g. `pipeline already exists`; RPC failures.
    pub fn declare(&mut self, pipeline: impl Into<Pipeline>) -> Result<(), JobsError> {
        let pipeline = pipeline.into().into_keys();
        self.call::<pb::Empty>("jobs.Declare", &pb::DeclareRequest { pipeline })?;
        Ok(())
    }

    /// Stops delivering from `pipelines` (`jobs.Pause`); pushes are still accepted.
    ///
    /// # Errors
    ///
    /// [`RpcError::Remote`] for an unknown pipeline; RPC failures.
    pub fn pause(&mut self, pipelines: &[&str]) -> Result<(), JobsError> {
        self.call::<pb::Empty>("jobs.Pause", &names(pipelines))?;
        Ok(())
    }

    /// Starts delivering from `pipelines` again, or for the first time (`jobs.Resume`).
    ///
    /// # Errors
    ///
    /// [`RpcError::Remote`] for an unknown pipeline; RPC failures.
    pub fn resume(&mut self, pipelines: &[&str]) -> Result<(), JobsError> {
        self.call::<pb::Empty>("jobs.Resume", &names(pipelines))?;
        Ok(())
    }

    /// Stops and removes `pipelines` (`jobs.Destroy`); returns the ones destroyed.
    ///
    /// # Errors
    ///
    /// [`RpcError::Remote`] for an unknown pipeline; RPC failures.
    pub fn destroy(&mut self, pipelines: &[&str]) -> Result<Vec<String>, JobsError> {
        Ok(self
            .call::<pb::Pipelines>("jobs.Destroy", &names(pipelines))?
            .pipelines)
    }

    /// Every pipeline's state (`jobs.Stat`).
    ///
    /// # Errors
    ///
    /// RPC failures.
    pub fn stat(&mut self) -> Result<Vec<PipelineStat>, JobsError> {
        let stats = self.call::<pb::Stats>("jobs.Stat", &pb::Empty {})?;
        Ok(stats.stats.into_iter().map(PipelineStat::from).collect())
    }
}

fn names(pipelines: &[&str]) -> pb::Pipelines {
    pb::Pipelines {
        pipelines: pipelines.iter().map(|p| (*p).to_owned()).collect(),
    }
}

/// Which job made a batch fail. rr pushes in order and, for an unknown pipeline, says
/// `no such pipeline, requested: NAME`: the failing job is the first one routed there.
fn failing_index(error: &RpcError, pipelines: &[String]) -> Option<usize> {
    let RpcError::Remote { message, .. } = error else {
        return None;
    };
    const MARK: &str = "no such pipeline, requested: ";
    let start = message.find(MARK)? + MARK.len();
    let rest = &message[start..];
    // The longest name the text starts with ("ab" rather than "a" for "requested: ab").
    let name = pipelines
        .iter()
        .filter(|p| rest.starts_with(p.as_str()))
        .max_by_key(|p| p.len())?;
    pipelines.iter().position(|p| p == name)
}
