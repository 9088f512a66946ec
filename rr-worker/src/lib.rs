//! A generic RoadRunner worker: what every worker process does, whatever its plugin.
#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod control;
mod env;
mod error;
mod log;
mod payload;
mod signal;
mod stdio;
mod stream_limits;
mod worker;

pub use self::env::{EnvError, Environment};
pub use self::error::WorkerError;
#[doc(hidden)]
pub use self::log::write_line as write_log_line;
pub use self::payload::Payload;
pub use self::signal::StopSignals;
pub use self::stdio::redirect_stdout_to_stderr;
pub use self::worker::{DEFAULT_STREAM_GRACE, Worker};

pub use goridge;
