//! `cargo xtask bench full`: every row of the performance tables in one run, one step after
//! the other, so a BENCHMARKS.md section can say "one run, one machine, these conditions".
//!
//! The steps, each announced on stderr with its command, the UTC time and the load average:
//! the in-memory worker step (Criterion, with the `http` types alone beside it) against the Go
//! worker's (`go test -bench`), twice, alternating; pipe round trips on idle CPUs (with the
//! pool and memory runs, redrawing the README's chart) and on busy CPUs; start-to-ready alone,
//! 200 starts per worker, with static (musl) builds of the floor and ours; load through rr for
//! every worker kind with the realistic request; large bodies through rr. PHP rows are in when `php` is on `PATH`.

use std::process::Command;

use crate::{Result, paths};

/// Runs every step; stops at the first that fails.
pub(crate) fn run(args: &[String]) -> Result {
    if let Some(arg) = args.first() {
        return Err(format!(
            "usage: cargo xtask bench full (no arguments; unknown {arg})"
        ));
    }
    let php = Command::new("php")
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success());
    let started = std::time::Instant::now();
    for round in 1..=2 {
        announce(&format!("in-memory step, round {round}: Rust (Criterion)"));
        in_memory_rust()?;
        announce(&format!(
            "in-memory step, round {round}: Go (go test -bench)"
        ));
        in_memory_go()?;
    }
    // PHP's rows come last in each list, when `php` is there.
    let php_too = |list: &str| {
        if php {
            format!("{list},php")
        } else {
            list.to_owned()
        }
    };
    let with = php_too("go,rust-async,rust-axum");
    let chart = paths::root()
        .join("benches")
        .join("pipes-chart.svg")
        .display()
        .to_string();
    let tsv = paths::target_dir()
        .join("bench")
        .join("pipes-full.tsv")
        .display()
        .to_string();
    let pipes = "cargo xtask bench pipes";
    let idle = [
        "--with", &with, "--rounds", "3", "--svg", &chart, "--tsv", &tsv,
    ];
    step(pipes, &idle, super::pipes::run)?;
    let busy = [
        "--with",
        &with,
        "--rounds",
        "3",
        "--busy-cpus",
        "--memory",
        "0",
    ];
    step(pipes, &busy, super::pipes::run)?;
    let starts = ["--with", &php_too("go"), "--static", "--starts", "200"];
    step(pipes, &starts, super::pipes::run)?;
    let workers = php_too("floor,rust,rust-async,rust-axum,rust-json,go");
    let http = [
        "--worker",
        &workers,
        "--rounds",
        "2",
        "--request",
        "realistic",
    ];
    step("cargo xtask bench", &http, super::http::run)?;
    announce("cargo xtask bench stream");
    super::stream::run(&[])?;
    eprintln!(
        "xtask: bench full: every step ran in {:.0?}",
        started.elapsed()
    );
    Ok(())
}

/// Announces the benchmark `task` run with `args`, then runs it.
fn step(task: &str, args: &[&str], run: fn(&[String]) -> Result) -> Result {
    announce(&format!("{task} {}", args.join(" ")));
    run(&args.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>())
}

/// One line on stderr before a step: what runs, when, and how loaded the machine is.
fn announce(step: &str) {
    let now = Command::new("date")
        .args(["-u", "+%H:%M:%S UTC"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let load = std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    eprintln!("\nxtask: bench full: {step} ({now}, load average {load})");
}

/// The Rust worker's in-memory step: `http/worker_over_stream_relay/*` of `rr-benches`.
fn in_memory_rust() -> Result {
    let args = [
        "bench",
        "-p",
        "rr-benches",
        "--bench",
        "http",
        "--",
        "--warm-up-time",
        "1",
        "--measurement-time",
        "3",
        "worker_over_stream_relay|request_types_only",
    ];
    crate::cmd::run(
        Command::new(paths::cargo())
            .current_dir(paths::root())
            .args(args),
        "cargo bench",
    )
}

/// The Go worker's in-memory step: `BenchmarkWorkerStep/*` of `xtask/go-worker`.
fn in_memory_go() -> Result {
    let args = [
        "test",
        "-run",
        "^$",
        "-bench",
        "WorkerStep",
        "-benchmem",
        "-count",
        "3",
    ];
    let dir = paths::root().join("xtask").join("go-worker");
    crate::cmd::run(
        Command::new("go").current_dir(dir).args(args),
        "go test -bench",
    )
}
