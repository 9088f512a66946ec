//! Typed calls to a RoadRunner server over its RPC socket (the `rpc` plugin, `RR_RPC`), from a
//! worker or from a separate tool: list a pool's workers, reset a pool, add or remove workers,
//! and use the KV plugin's storages.
//!
//! ```no_run
//! use std::time::Duration;
//!
//! let mut rr = rr_rpc::Rpc::connect("tcp://127.0.0.1:6001", Duration::from_secs(5))?;
//! for w in rr.workers("http")? {
//!     eprintln!("{} {} execs, {} bytes", w.pid, w.num_execs, w.memory_usage);
//! }
//! rr.kv("local").set("greeting", "hello", Some(Duration::from_secs(60)))?;
//! assert_eq!(rr.kv("local").get("greeting")?.as_deref(), Some(&b"hello"[..]));
//! rr.reset("http")?;
//! # Ok::<(), goridge::RpcError>(())
//! ```

mod kv;
mod rpc;
mod time;

pub use self::kv::Kv;
pub use self::rpc::{DEFAULT_ADDRESS, Rpc, WorkerInfo};
pub use goridge::RpcError;
