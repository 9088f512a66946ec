//! The one launcher of the real RoadRunner server, used by the end-to-end tests.
//!
//! [`RrProcess`] starts an rr binary with a config and stops it again; it is the only code that
//! spawns rr. [`RrServer::start`] builds on it for the end-to-end tests: it writes a config for
//! a test worker into a fresh directory, on ports leased across processes (see `ports.rs`), and
//! panics with rr's log when anything fails. `cargo xtask bench` uses [`RrProcess`] directly.

mod config;
mod pids;
mod ports;
pub mod process;
mod procfs;
mod server;

pub use self::config::{Relay, ServerConfig, Variant};
pub use self::pids::{kill_leftover_workers, pid_alive, recorded_pids, wait_gone};
pub use self::ports::{PortLease, lease_port};
pub use self::process::{RrProcess, config as process_config, free_addr};
pub use self::server::{RrServer, clean_up_test_dir, rr_binary};
