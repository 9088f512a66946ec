//! `cargo xtask bench`: benchmarks that need processes, pipes or the real RoadRunner server.
//!
//! * `bench [http] [...]` ([`http`]): HTTP load through rr against the Rust, Go and PHP workers.
//! * `bench jobs [...]` ([`jobs`]): jobs through rr (memory driver), Rust and Go consumers.
//! * `bench pipes [...]` ([`pipes`]): round trips over the pipes relay, no rr, against a floor.
//! * `bench stream [--quick]` ([`stream`]): 64 KiB to 1 GiB bodies through rr, both ways.
//! * `bench full` ([`full`]): every row of the performance tables in one run, step by step.
//! * `bench --quick`: a smoke run of every benchmark, seconds long (part of `cargo xtask test`).
//!
//! Each benchmark lives in its own module; this one only picks it by its first argument.

mod full;
mod http;
mod http_args;
mod http_report;
mod jobs;
mod load;
mod pipes;
mod server;
mod stream;

use crate::Result;

/// Runs the benchmark the first argument names (`http` when it is a flag or missing).
pub(crate) fn run(args: &[String]) -> Result {
    match args.first().map(String::as_str) {
        Some("http") => http::run(&args[1..]),
        Some("jobs") => jobs::run(&args[1..]),
        Some("pipes") => pipes::run(&args[1..]),
        Some("stream") => stream::run(&args[1..]),
        Some("full") => full::run(&args[1..]),
        Some("--quick") if args.len() == 1 => quick(),
        _ => http::run(args),
    }
}

/// Every benchmark once, as briefly as it still checks its answers: benchmarks that never run
/// rot.
pub(crate) fn quick() -> Result {
    let started = std::time::Instant::now();
    pipes::run(&["--quick".to_owned()])?;
    stream::run(&["--quick".to_owned()])?;
    http::run(&["--duration", "1", "--warmup", "0", "--connections", "2"].map(String::from))?;
    jobs::run(&["--rounds", "1", "--jobs", "1000"].map(String::from))?;
    eprintln!(
        "xtask: bench --quick: every benchmark ran in {:.0?}",
        started.elapsed()
    );
    Ok(())
}
