//! The shared brokers of a test run: installed when missing, started once on 127.0.0.1 with
//! private ports and data directories under `target/brokers/`, their addresses handed to the
//! tests in environment variables, stopped at the end.
//!
//! `cargo xtask brokers -- <command>` runs any command with them, e.g. one e2e test.

use std::process::Command;
use std::time::Instant;

use rr_brokers::{Broker, Kind};

use crate::{Result, paths};

/// Running brokers; dropping this stops them.
#[derive(Debug)]
pub(crate) struct Shared {
    brokers: Vec<Broker>,
}

impl Shared {
    /// Installs what is missing, then starts one of each kind, all at once.
    pub(crate) fn start() -> Result<Self> {
        let started = Instant::now();
        let installed = rr_brokers::ensure_installed(&Kind::ALL).map_err(|e| e.to_string())?;
        if !installed.is_empty() {
            eprintln!(
                "xtask: installed {} in {:.1?}",
                installed.join(", "),
                started.elapsed()
            );
        }
        let base = paths::target_dir().join("brokers");
        for dir in rr_brokers::reap_stale(&base) {
            eprintln!("xtask: stopped a broker an interrupted run left in {dir}");
        }
        let brokers = std::thread::scope(|s| {
            let handles: Vec<_> = Kind::ALL
                .iter()
                .map(|kind| s.spawn(|| Broker::start(*kind, &base)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a broker start thread panicked"))
                .collect::<std::result::Result<Vec<_>, _>>()
        })
        .map_err(|e| format!("starting the test brokers: {e}"))?;
        let times: Vec<String> = brokers
            .iter()
            .map(|b| format!("{} {:.1?}", b.kind().name(), b.started_in()))
            .collect();
        eprintln!(
            "xtask: brokers ready in {:.1?} ({})",
            started.elapsed(),
            times.join(", ")
        );
        Ok(Self { brokers })
    }

    /// `(variable, 127.0.0.1:port)` for every broker.
    pub(crate) fn env(&self) -> Vec<(&'static str, String)> {
        self.brokers
            .iter()
            .map(|b| (b.kind().env_var(), b.addr().to_string()))
            .collect()
    }
}

/// `cargo xtask brokers -- <command> [args]`: the command runs with the brokers' variables set
/// (and `RR_BINARY`, `RR_BINARY_2023`), and the brokers stop when it ends.
pub(crate) fn run(args: &[String]) -> Result {
    let args = match args.first().map(String::as_str) {
        Some("--") => &args[1..],
        _ => args,
    };
    let Some((program, rest)) = args.split_first() else {
        return Err("usage: cargo xtask brokers -- <command> [args]".into());
    };
    let shared = Shared::start()?;
    let current = crate::rr::ensure(crate::rr::Variant::Current)?;
    let legacy = crate::rr::ensure(crate::rr::Variant::Legacy)?;
    let mut cmd = Command::new(program);
    cmd.args(rest)
        .envs(shared.env())
        .env(crate::rr::Variant::Current.env_var(), current)
        .env(crate::rr::Variant::Legacy.env_var(), legacy);
    for (var, addr) in shared.env() {
        eprintln!("xtask: {var}={addr}");
    }
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    drop(shared);
    if !status.success() {
        return Err(format!("{program} failed ({status})"));
    }
    Ok(())
}
