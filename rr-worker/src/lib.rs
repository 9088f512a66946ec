//! A generic RoadRunner worker: everything a worker process does that is not specific to one
//! plugin (HTTP, jobs, TCP, a custom plugin).
//!
//! * [`Environment`]: `RR_RELAY`, `RR_MODE`, `RR_RPC`, `RR_VERSION` (only these are read; other
//!   variables may hold bytes that are not UTF-8).
//! * [`Worker`]: the pid handshake, [`Payload`]s in and out, errors, streaming frames,
//!   asking to be replaced, and ending cleanly when the server says stop.
//! * [`StopSignals`]: SIGTERM and SIGINT finish the payload in flight, then the worker exits 0
//!   (a streamed response gets a bounded grace); a second signal exits at once.
//!
//! ```no_run
//! use rr_worker::{Payload, Worker};
//!
//! fn main() -> Result<(), rr_worker::WorkerError> {
//!     let mut worker = Worker::from_env()?;
//!     while let Some(job) = worker.wait_payload()? {
//!         let answer = Payload::new(job.codec, job.context.clone(), job.body.to_ascii_uppercase());
//!         worker.respond(&answer)?;
//!     }
//!     Ok(())
//! }
//! ```
//!
//! Logging goes to stderr (RoadRunner logs every line a worker writes there); in pipes mode
//! stdout is the frame channel and is kept away from `println!`.

mod control;
mod env;
mod error;
mod log;
mod payload;
mod signal;
mod stream_limits;
mod worker;

pub use self::env::{EnvError, Environment};
pub use self::error::WorkerError;
#[doc(hidden)]
pub use self::log::write_line as write_log_line;
pub use self::payload::Payload;
pub use self::signal::StopSignals;
pub use self::worker::{DEFAULT_STREAM_GRACE, Worker};

pub use goridge;
