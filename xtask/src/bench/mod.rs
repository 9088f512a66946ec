//! `cargo xtask bench`: benchmarks that need processes, pipes or the real RoadRunner server.
//!
//! * `bench [http] [...]` ([`http`]): HTTP load through rr against the Rust, Go and PHP workers.
//! * `bench jobs [...]` ([`jobs`]): jobs through rr (memory driver), Rust and Go consumers.
//!
//! Each benchmark lives in its own module; this one only picks it by its first argument.

mod http;
mod http_args;
mod http_report;
mod jobs;
mod load;
mod server;

use crate::Result;

/// Runs the benchmark the first argument names (`http` when it is a flag or missing).
pub(crate) fn run(args: &[String]) -> Result {
    match args.first().map(String::as_str) {
        Some("http") => http::run(&args[1..]),
        Some("jobs") => jobs::run(&args[1..]),
        _ => http::run(args),
    }
}
