//! Project tasks, run as `cargo xtask <task>` (the alias lives in `.cargo/config.toml`).
//!
//! * `codegen [--check]`: regenerate `rr-proto/src/generated/` from `proto/` (or verify it is fresh).
//! * `rr [--legacy] [--print-path]`: build the pinned RoadRunner server once, cached under `target/rr/`.
//! * `test [cargo test args]`: build `rr`, start the brokers, run every test of the workspace,
//!   then the release checks (MSRV lint, publish dry run, feature matrix).
//! * `brokers -- <command>`: run a command with the test brokers started (e.g. one e2e test).
//! * `demo [example] [--addr 127.0.0.1:8080]`: serve an example worker through the real `rr`.

mod bench;
mod brokers;
mod cmd;
mod codegen;
mod demo;
mod paths;
mod release;
mod rr;
mod test;
mod tidy;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  codegen [--check]                 regenerate rr-proto/src/generated (or fail if stale)
  rr [--legacy] [--print-path]      build the pinned RoadRunner server (cached in target/rr)
  test [-- <cargo test args>]       build rr, start the brokers (installed when missing),
                                    and run the whole test suite, e2e included
  brokers -- <command> [args]       run a command with the test brokers started and their
                                    addresses in RR_E2E_AMQP, _BEANSTALK, _REDIS, _MEMCACHED
  demo [NAME] [--addr HOST:PORT]    serve an example worker through rr until Ctrl-C: hello
                                    (default), echo, streaming, early_hints, uploads, axum
                                    or jobs, on 127.0.0.1:8080 unless --addr is given
  release                           MSRV lint, publish dry run, feature matrix (part of test)
  bench [--worker rust,go] [...]    load through rr: req/s, latency, CPU per request (--help)
  bench jobs [--consumer rust,go]   jobs through rr (memory driver): jobs/s, CPU per job (--help)
  bench pipes [--with go,php]       pipe round trips against a floor, memory, start (--help)
  bench stream                      64 KiB to 1 GiB bodies through rr, both ways
  bench full                        every row of BENCHMARKS.md's tables in one run (~15 min)
";

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let task = args.next();
    let rest: Vec<String> = args.collect();
    let result = match task.as_deref() {
        Some("codegen") => codegen::run(&rest),
        Some("rr") => rr::run(&rest),
        Some("test") => test::run(&rest),
        Some("brokers") => brokers::run(&rest),
        Some("demo") => demo::run(&rest),
        Some("bench") => bench::run(&rest),
        Some("release") => release::run(),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown or missing task\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}
