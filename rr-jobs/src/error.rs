//! [`JobsError`]: what can go wrong consuming or producing jobs.

use goridge::RpcError;
use rr_worker::WorkerError;

/// An error of the consumer or the producer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JobsError {
    /// Talking to rr as a worker failed; exit and let rr start a fresh worker.
    #[error(transparent)]
    Worker(#[from] WorkerError),
    /// An RPC call failed (connection, timeout, or rr's error text in [`RpcError::Remote`]).
    #[error(transparent)]
    Rpc(#[from] RpcError),
    /// A task's context is not the JSON object rr sends.
    #[error("the task context is not a jobs context: {0}")]
    BadTask(#[source] serde_json::Error),
    /// A task's payload is not JSON of the type asked for.
    #[error("the task payload does not deserialise: {0}")]
    Payload(#[source] serde_json::Error),
    /// A job was pushed without a pipeline.
    #[error("job {id} has no pipeline: set one with Job::pipeline")]
    NoPipeline {
        /// The job's id.
        id: String,
    },
    /// rr's reply to `method` is not the protobuf message it should be.
    #[error("the reply to {method} is not a jobs.v1 message: {source}")]
    BadReply {
        /// The method called.
        method: &'static str,
        /// The decoder's error.
        source: prost::DecodeError,
    },
    /// `jobs.PushBatch` failed partway: rr pushes in order and stops at the first failure, so
    /// the jobs before it stay queued.
    #[error(
        "push batch failed after {} of {} jobs: {source}",
        pushed.len(),
        pushed.len() + not_pushed.len()
    )]
    PartialBatch {
        /// Ids of the jobs that went in, in order.
        pushed: Vec<String>,
        /// Ids of the jobs that did not (the failing one first).
        not_pushed: Vec<String>,
        /// Whether `pushed` is certain. rr's error names the pipeline for an unknown
        /// pipeline, which pins the failing job; for other failures (a broker refusing a
        /// message) it does not, and every job is reported as not pushed.
        certain: bool,
        /// rr's error.
        source: RpcError,
    },
}
