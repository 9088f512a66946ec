//! `cargo xtask test`: the whole test suite, end-to-end tests through the real `rr` included,
//! then `cargo xtask bench --quick` (every benchmark once, seconds long).

use std::process::Command;

use crate::brokers;
use crate::rr::{self, Variant};
use crate::{Result, paths};

pub(crate) fn run(args: &[String]) -> Result {
    let started = std::time::Instant::now();
    // The brokers boot (RabbitMQ takes seconds) while rr is built or found in the cache.
    let brokers = std::thread::spawn(brokers::Shared::start);
    // Both servers are built before any test runs; a build failure fails the run loudly.
    let current = rr::ensure(Variant::Current);
    let legacy = rr::ensure(Variant::Legacy);
    // Joined before any error returns, so no broker outlives this run.
    let brokers = brokers.join().expect("the broker start thread panicked")?;
    let (current, legacy) = (current?, legacy?);

    let mut cmd = Command::new(paths::cargo());
    cmd.current_dir(paths::root())
        .args(["test", "--workspace", "--all-targets"])
        .args(args)
        .env(Variant::Current.env_var(), &current)
        .env(Variant::Legacy.env_var(), &legacy)
        .envs(brokers.env());
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run cargo test: {e}"))?;
    if !status.success() {
        return Err(format!("cargo test failed ({status})"));
    }
    // Doc tests are not part of --all-targets.
    let status = Command::new(paths::cargo())
        .current_dir(paths::root())
        .args(["test", "--workspace", "--doc"])
        .status()
        .map_err(|e| format!("cannot run cargo test --doc: {e}"))?;
    if !status.success() {
        return Err(format!("doc tests failed ({status})"));
    }
    // Every benchmark once, seconds long, so that none of them rots.
    crate::bench::quick()?;
    drop(brokers);
    crate::release::run()?;
    eprintln!("xtask: all tests passed in {:.0?}", started.elapsed());
    Ok(())
}
