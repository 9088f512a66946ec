//! A generic RoadRunner worker: what every worker process does, whatever its plugin.
#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod control;
mod env;
mod error;
mod log;
mod payload;
mod stdio;
mod worker;

pub use self::env::Environment;
pub use self::error::WorkerError;
#[doc(hidden)]
pub use self::log::write_line as write_log_line;
pub use self::payload::Payload;
pub use self::stdio::redirect_stdout_to_stderr;
pub use self::worker::Worker;

pub use goridge;
