//! RoadRunner jobs in Rust: a jobs worker (consumer) and a producer over rr's RPC.
#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod client;
mod consumer;
mod error;
mod headers;
mod job;
mod pipeline;
mod policy;
mod reply;
mod task;

pub use self::client::{DEFAULT_RPC, Jobs, PipelineStat};
pub use self::consumer::{Consumer, Delivery, serve};
pub use self::error::JobsError;
pub use self::headers::Headers;
pub use self::job::{Job, Kafka};
pub use self::pipeline::{Amqp, Beanstalk, Boltdb, Memory, Pipeline};
pub use self::policy::FailurePolicy;
pub use self::reply::{Nack, Reply, Requeue};
pub use self::task::{KafkaPosition, Task};

pub use goridge::RpcError;
