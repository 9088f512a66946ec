//! `cargo xtask bench pipes`: round trips over the pipes relay with no rr in between.
//!
//! `rr-benches`' `pipes-bench` plays rr's side (pid handshake, then one realistic GET frame in
//! flight at a time, every response checked) against the hello example (`ours`), a floor
//! process that reads each frame without decoding it and writes a canned answer (`floor`), a
//! worker on prost alone (`prost`) and, with `--with go,php`, the Go and PHP workers of the
//! load benchmark. This task builds them all and hands their commands over.

use crate::{Result, paths};

use super::http::prepare;
use super::http_args::WorkerKind;

const USAGE: &str = "\
usage: cargo xtask bench pipes [--with KIND[,...]] [--quick] [pipes-bench flags]

  --with LIST   also measure workers of `cargo xtask bench`: go, php, rust-async (serve_fn),
                rust-axum (an axum Router through serve_service)
  --static      also the floor and ours linked statically against musl (`floor-musl`,
                `ours-musl`; rustup adds the x86_64-unknown-linux-musl target when missing):
                no ld.so and no glibc CPU detection at start
  --quick       a smoke run of a few seconds (1 round, short windows, small memory and pool runs)
  other flags go to pipes-bench: --rounds N --duration S --warmup S --memory N --pool N
                --busy-cpus --tsv PATH --svg PATH, --starts N (start-to-ready alone, N starts
                per worker: wall time, on-CPU time and page faults up to the pid reply)
";

/// Builds the workers and the driver, then runs the driver.
pub(crate) fn run(args: &[String]) -> Result {
    let mut extra: Vec<WorkerKind> = Vec::new();
    let mut pass: Vec<String> = Vec::new();
    let mut statics = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "-h" | "--help" => {
                print!("{USAGE}");
                return Ok(());
            }
            "--with" => {
                let list = it
                    .next()
                    .ok_or(format!("--with needs a value\n\n{USAGE}"))?;
                for name in list.split(',') {
                    match WorkerKind::parse(name)? {
                        WorkerKind::Rust | WorkerKind::Floor => {}
                        WorkerKind::RustJson => {
                            return Err("--with rust-json: pipes-bench sends protobuf frames; \
                                        the JSON codec is measured through rr 2023 by \
                                        `cargo xtask bench --worker rust-json`"
                                .into());
                        }
                        kind => extra.push(kind),
                    }
                }
            }
            "--static" => statics = true,
            "--quick" => pass.extend(
                [
                    "--rounds",
                    "1",
                    "--duration",
                    "0.3",
                    "--warmup",
                    "0.05",
                    "--memory",
                    "2000",
                    "--pool",
                    "4",
                ]
                .map(String::from),
            ),
            _ => pass.push(arg.clone()),
        }
    }
    let driver = paths::build_release("rr-benches", "pipes-bench")?;
    let mut workers = vec![
        (
            "floor",
            paths::build_release("rr-benches", "floor-worker")?
                .display()
                .to_string(),
        ),
        (
            "ours",
            paths::build_release("rr-examples", "hello")?
                .display()
                .to_string(),
        ),
        (
            "prost",
            paths::build_release("rr-benches", "prost-worker")?
                .display()
                .to_string(),
        ),
    ];
    if statics {
        ensure_musl()?;
        for (name, package, bin) in [
            ("floor-musl", "rr-benches", "floor-worker"),
            ("ours-musl", "rr-examples", "hello"),
        ] {
            let path = paths::build_release_for(package, bin, Some(MUSL))?;
            workers.push((name, path.display().to_string()));
        }
    }
    for kind in extra {
        workers.push((kind.name(), prepare(kind)?));
    }
    crate::cmd::run(
        std::process::Command::new(driver).args(pass).args(
            workers
                .iter()
                .map(|(name, command)| format!("{name}={command}")),
        ),
        "pipes-bench",
    )
}

/// The static build's target triple.
const MUSL: &str = "x86_64-unknown-linux-musl";

/// Adds the musl standard library through rustup unless it is installed.
fn ensure_musl() -> Result {
    let installed = std::process::Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|e| format!("cannot run rustup (needed for --static): {e}"))?;
    if String::from_utf8_lossy(&installed.stdout)
        .lines()
        .any(|l| l.trim() == MUSL)
    {
        return Ok(());
    }
    eprintln!("xtask: rustup target add {MUSL} (for --static)");
    crate::cmd::run(
        std::process::Command::new("rustup").args(["target", "add", MUSL]),
        &format!("rustup target add {MUSL}"),
    )
}
