//! The end-to-end test harness: starts the real `rr` binary on 127.0.0.1 with a Rust worker
//! and talks HTTP to it.
//!
//! The path of `rr` comes from `RR_BINARY` (and `RR_BINARY_2023` for the legacy server), which
//! `cargo xtask test` sets after building them. Without it the tests fail with a message that
//! says so; they are never skipped.

mod broker_jobs;
mod client;
mod jobs;
mod jobs_steps;

pub use self::broker_jobs::{BrokerDriver, BrokerPipeline};
pub use self::client::{HttpResponse, Request, curl, fnv, multipart, raw_exchange, read_response};
pub use self::jobs::{Delivery, JobsConfig, JobsServer, memory_pipeline};
pub use self::jobs_steps::{deliveries_of, local_job, local_stat, one_mib_keep_job, pipeline_stat};
// The rr launcher lives in the shared test kit (also used by the benches and xtask).
pub use rr_testkit::rr::{Relay, RrServer, ServerConfig, Variant, pid_alive, wait_gone};
pub use rustix::process::Signal;

/// The e2e test worker binary built alongside these tests.
pub fn test_worker() -> std::path::PathBuf {
    sibling_binary("e2e-worker")
}

/// A binary built into the same target directory as the running test (e.g. an example).
pub fn sibling_binary(name: &str) -> std::path::PathBuf {
    let exe = std::env::current_exe().expect("current test executable");
    // target/<profile>/deps/<test>-<hash> → target/<profile>/<name>
    let dir = exe
        .parent()
        .and_then(|d| d.parent())
        .expect("target/<profile>");
    let path = dir.join(name);
    assert!(
        path.is_file(),
        "{} is not built: run the tests with `cargo xtask test` (or `cargo test --workspace`)",
        path.display()
    );
    path
}

/// Sends `sig` to process `pid` (a process that is gone already is ignored).
pub fn signal(pid: i32, sig: Signal) {
    if let Some(p) = rustix::process::Pid::from_raw(pid) {
        let _ = rustix::process::kill_process(p, sig);
    }
}
