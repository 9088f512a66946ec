//! `cargo xtask bench [http]`: HTTP load through the real RoadRunner server against a Rust worker
//! (and, for comparison, a Go or PHP worker speaking the same protocol).
//!
//! Per run: a `.rr.yaml` in `target/bench/<worker>/` (127.0.0.1 on a free port, pipes relay,
//! two workers, logs at level error), rr started there, one probe request, then the load
//! generator of [`load`](super::load) (keep-alive HTTP/1.1 connections on std threads, a
//! warm-up, then a measured window), then SIGTERM to rr. Besides requests per second and latency
//! it reads the CPU time the workers, rr and the load generator used in the window from `/proc`,
//! which separates the worker's own cost from rr's on a machine where everything shares the
//! cores.
//!
//! With several workers (`--worker rust,go`) and `--rounds N` the runs alternate (rust, go,
//! rust, go, …) so that drifts of a noisy machine hit both alike; the summary gives ratios.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use crate::rr::{self, Variant};
use crate::{Result, paths};

use super::http_args::{Args, HELLO, NUM_WORKERS, USAGE, WorkerKind, parse_args};
use super::http_report::print_report;
use super::load::{self, LoadConfig, LoadReport, WindowHooks};
use super::server::{self, RrProcess};

pub(crate) fn run(args: &[String]) -> Result {
    let Some(args) = parse_args(args)? else {
        print!("{USAGE}");
        return Ok(());
    };
    let rr_current = rr::ensure(Variant::Current)?;
    let rr_legacy = if args.workers.contains(&WorkerKind::RustJson) {
        Some(rr::ensure(Variant::Legacy)?)
    } else {
        None
    };
    let mut commands = Vec::new();
    for &kind in &args.workers {
        if !commands.iter().any(|(k, _)| *k == kind) {
            commands.push((kind, prepare(kind)?));
        }
    }
    let ticks = server::ticks_per_sec();
    eprintln!(
        "xtask: bench: {} connections, {:?} warm-up + {:?} measured per run, GET {} ({} request), {} round(s) of {}",
        args.connections,
        args.warmup,
        args.duration,
        args.path,
        if args.realistic {
            "realistic"
        } else {
            "simple"
        },
        args.rounds,
        args.workers
            .iter()
            .map(|w| w.name())
            .collect::<Vec<_>>()
            .join(", ")
    );

    let mut runs: Vec<RunResult> = Vec::new();
    for round in 1..=args.rounds {
        for &kind in &args.workers {
            let command = &commands
                .iter()
                .find(|(k, _)| *k == kind)
                .expect("prepared")
                .1;
            let rr = match (kind, &rr_legacy) {
                (WorkerKind::RustJson, Some(legacy)) => legacy,
                _ => &rr_current,
            };
            let result = run_once(rr, kind, command, &args, ticks, round)?;
            eprintln!("xtask: {}", result.line());
            runs.push(result);
        }
    }
    print_report(&args, &runs);
    let failed: Vec<&RunResult> = runs
        .iter()
        .filter(|r| r.load.bad > 0 || r.load.errors > 0 || r.load.ok == 0)
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        for r in &failed {
            eprintln!(
                "xtask: {} round {}: {} non-200 (or wrong body), {} errors: {:?}",
                r.kind.name(),
                r.round,
                r.load.bad,
                r.load.errors,
                r.load.samples
            );
        }
        Err("some responses were not 200 or failed; the numbers above are not valid".into())
    }
}

/// Builds a worker; returns the `server.command` that starts it.
pub(super) fn prepare(kind: WorkerKind) -> Result<String> {
    match kind {
        WorkerKind::Rust | WorkerKind::RustJson => {
            existing(paths::build_release("rr-e2e", "e2e-worker")?)
        }
        WorkerKind::RustAsync => existing(paths::build_release("rr-benches", "hello-async")?),
        WorkerKind::RustAxum => existing(paths::build_release("rr-benches", "hello-axum")?),
        WorkerKind::Floor => existing(paths::build_release("rr-benches", "floor-worker")?),
        WorkerKind::Go => {
            let src = paths::root().join("xtask").join("go-worker");
            let out_dir = paths::target_dir().join("bench").join("go-worker");
            std::fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
            let bin = out_dir.join("go-worker");
            eprintln!("xtask: building the Go worker ({})", src.display());
            crate::rr::go_build(&src, &bin)?;
            existing(bin)
        }
        WorkerKind::Php => {
            let version = Command::new("php")
                .arg("-v")
                .output()
                .map_err(|e| format!("`php` not found ({e}); install php-cli for --worker php"))?;
            if !version.status.success() {
                return Err("`php -v` failed".into());
            }
            let script = paths::root()
                .join("xtask")
                .join("src")
                .join("bench")
                .join("php-worker.php");
            let script = existing(script)?;
            // OPcache with the tracing JIT: PHP's fastest configuration for a long-lived loop.
            Ok(format!(
                "php -d opcache.enable_cli=1 -d opcache.jit_buffer_size=64M -d opcache.jit=tracing {script}"
            ))
        }
    }
}

fn existing(path: PathBuf) -> Result<String> {
    if !path.is_file() {
        return Err(format!("{} is missing after its build", path.display()));
    }
    let s = path.display().to_string();
    if s.contains(char::is_whitespace) {
        return Err(format!(
            "{s}: rr splits server.command on spaces; use a path without them"
        ));
    }
    Ok(s)
}

/// CPU time of a set of processes at the opening and closing of the measured window.
struct CpuWindow {
    workers: Vec<u32>,
    rr: u32,
    start: [u64; 3],
    end: [u64; 3],
}

impl CpuWindow {
    fn snapshot(&self) -> [u64; 3] {
        [
            self.workers.iter().map(|&p| server::cpu_ticks(p)).sum(),
            server::cpu_ticks(self.rr),
            server::own_cpu_ticks(),
        ]
    }
}

impl WindowHooks for CpuWindow {
    fn window_opened(&mut self) {
        self.start = self.snapshot();
    }
    fn window_closed(&mut self) {
        self.end = self.snapshot();
    }
}

pub(super) struct RunResult {
    pub(super) kind: WorkerKind,
    pub(super) round: u32,
    pub(super) load: LoadReport,
    /// CPU microseconds per counted response: workers (all), rr, load generator.
    pub(super) cpu_us_per_req: [f64; 3],
    /// The largest peak RSS among the workers, KiB.
    pub(super) worker_rss_kib: u64,
}

impl RunResult {
    fn line(&self) -> String {
        format!(
            "{} round {}: {:.0} req/s, p50 {:.3} ms, p99 {:.3} ms, CPU per request: workers {:.1} µs, rr {:.1} µs, load generator {:.1} µs; worker peak RSS {:.1} MiB",
            self.kind.name(),
            self.round,
            self.load.requests_per_sec(),
            self.load.latency_ms(0.5),
            self.load.latency_ms(0.99),
            self.cpu_us_per_req[0],
            self.cpu_us_per_req[1],
            self.cpu_us_per_req[2],
            self.worker_rss_kib as f64 / 1024.0,
        )
    }
}

fn run_once(
    rr: &std::path::Path,
    kind: WorkerKind,
    command: &str,
    args: &Args,
    ticks: u64,
    round: u32,
) -> Result<RunResult> {
    let addr = server::free_addr()?;
    let dir = paths::target_dir().join("bench").join(kind.name());
    let yaml = server::config(command, addr, NUM_WORKERS);
    let mut rr = RrProcess::start(rr, &dir, &yaml, addr)?;
    let expect_body = (args.path == "/hello").then(|| HELLO.to_vec());
    // One request first: the pool is up and the route answers as expected.
    let probe = load::run(
        &LoadConfig {
            addr,
            path: args.target(),
            headers: args.headers(),
            connections: 1,
            warmup: Duration::ZERO,
            duration: Duration::from_millis(200),
            expect_body: expect_body.clone(),
        },
        &mut NoHooks,
    );
    if probe.ok == 0 || probe.bad > 0 || probe.errors > 0 {
        let log = rr.log();
        rr.stop().ok();
        return Err(format!(
            "{} worker: the probe of {} failed: {:?}; rr log:\n{log}",
            kind.name(),
            args.path,
            probe.samples
        ));
    }
    rr.find_workers(NUM_WORKERS as usize)?;
    let mut cpu = CpuWindow {
        workers: rr.workers.clone(),
        rr: rr.pid(),
        start: [0; 3],
        end: [0; 3],
    };
    let report = load::run(
        &LoadConfig {
            addr,
            path: args.target(),
            headers: args.headers(),
            connections: args.connections,
            warmup: args.warmup,
            duration: args.duration,
            expect_body,
        },
        &mut cpu,
    );
    let worker_rss_kib = rr
        .workers
        .iter()
        .map(|&p| server::peak_rss_kib(p))
        .max()
        .unwrap_or(0);
    rr.stop()?;
    // rr.log holds only rr's "stopping" line after a clean run; keep the config for reference.
    let _ = std::fs::remove_file(dir.join("rr.log"));
    let per_req = |i: usize| {
        let ticks_used = cpu.end[i].saturating_sub(cpu.start[i]) as f64;
        ticks_used * 1e6 / ticks as f64 / report.ok.max(1) as f64
    };
    Ok(RunResult {
        kind,
        round,
        cpu_us_per_req: [per_req(0), per_req(1), per_req(2)],
        load: report,
        worker_rss_kib,
    })
}

struct NoHooks;

impl WindowHooks for NoHooks {
    fn window_opened(&mut self) {}
    fn window_closed(&mut self) {}
}
