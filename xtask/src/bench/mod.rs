//! `cargo xtask bench`: HTTP load through the real RoadRunner server against a Rust worker (and,
//! for comparison, a Go or PHP worker speaking the same protocol).
//!
//! Per run: a `.rr.yaml` in `target/bench/<worker>/` (127.0.0.1 on a free port, pipes relay,
//! two workers, logs at level error), rr started there, one probe request, then the load
//! generator of [`load`] (keep-alive HTTP/1.1 connections on std threads, a warm-up, then a
//! measured window), then SIGTERM to rr. Besides requests per second and latency it reads the
//! CPU time the workers, rr and the load generator used in the window from `/proc`, which
//! separates the worker's own cost from rr's on a machine where everything shares the cores.
//!
//! With several workers (`--worker rust,go`) and `--rounds N` the runs alternate (rust, go,
//! rust, go, …) so that drifts of a noisy machine hit both alike; the summary gives ratios.

mod load;
mod server;

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use crate::rr::{self, Variant};
use crate::{Result, paths};

use self::load::{LoadConfig, LoadReport, WindowHooks};
use self::server::RrProcess;

const USAGE: &str = "\
usage: cargo xtask bench [--worker rust|go|php[,...]] [--rounds N] [--connections N]
                         [--duration SECS] [--warmup SECS] [--path /hello|/echo]
                         [--request simple|realistic]

  --worker LIST     workers to run, comma-separated, in this order each round (default rust):
                    rust = e2e-worker (release), go = xtask/go-worker, php = php-worker.php
                    (needs `php` on PATH; a manual comparison, not part of CI)
  --rounds N        how many times to run the list, alternating (default 1, at most 10)
  --connections N   keep-alive connections, one thread each (default 8, at most 64)
  --duration SECS   measured window per run (default 10, at most 120)
  --warmup SECS     load before the window, not measured (default 2, at most 30)
  --path PATH       /hello (default) or /echo; the Go and PHP workers serve /hello only
  --request KIND    simple (default): Host, User-Agent and Accept, like curl; realistic: a
                    browser's 17 header lines with 4 cookies, and a 7-parameter query
";

/// The body `/hello` answers with, in every worker.
const HELLO: &[u8] = b"Hello RoadRunner!";
/// The header lines of `--request simple`, like curl's.
const SIMPLE_HEADERS: &str = "User-Agent: rr-rs-xtask-bench/1\r\nAccept: */*\r\n";

/// The realistic request the criterion benchmarks decode too (`rr_benches`): its query on the
/// first line, then its header lines.
const REALISTIC_REQUEST: &str = include_str!("../../../benches/realistic-request.txt");

/// Workers in rr's pool.
const NUM_WORKERS: u32 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WorkerKind {
    Rust,
    Go,
    Php,
}

impl WorkerKind {
    fn parse(s: &str) -> Result<Self> {
        match s {
            "rust" => Ok(Self::Rust),
            "go" => Ok(Self::Go),
            "php" => Ok(Self::Php),
            other => Err(format!(
                "unknown worker `{other}` (rust, go or php)\n\n{USAGE}"
            )),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Rust => "rust",
            Self::Go => "go",
            Self::Php => "php",
        }
    }
}

#[derive(Debug)]
struct Args {
    workers: Vec<WorkerKind>,
    rounds: u32,
    connections: usize,
    duration: Duration,
    warmup: Duration,
    path: String,
    realistic: bool,
}

impl Args {
    /// Path and query of the requests.
    fn target(&self) -> String {
        if self.realistic {
            let query = REALISTIC_REQUEST.lines().next().unwrap_or_default();
            format!("{}?{query}", self.path)
        } else {
            self.path.clone()
        }
    }

    /// Header lines after `Host`.
    fn headers(&self) -> String {
        if self.realistic {
            REALISTIC_REQUEST
                .lines()
                .skip(1)
                .map(|h| format!("{h}\r\n"))
                .collect()
        } else {
            SIMPLE_HEADERS.to_owned()
        }
    }
}

fn parse_args(args: &[String]) -> Result<Option<Args>> {
    let mut parsed = Args {
        workers: vec![WorkerKind::Rust],
        rounds: 1,
        connections: 8,
        duration: Duration::from_secs(10),
        warmup: Duration::from_secs(2),
        path: "/hello".into(),
        realistic: false,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_owned())),
            _ => (arg.as_str(), None),
        };
        if matches!(flag, "-h" | "--help") {
            return Ok(None);
        }
        let mut value = || {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| format!("{flag} needs a value\n\n{USAGE}"))
        };
        let number = |v: String, min: u64, max: u64| -> Result<u64> {
            v.parse::<u64>()
                .ok()
                .filter(|n| (min..=max).contains(n))
                .ok_or_else(|| format!("{flag} {v}: expected a whole number in {min}..={max}"))
        };
        match flag {
            "--worker" | "--workers" => {
                parsed.workers = value()?
                    .split(',')
                    .map(WorkerKind::parse)
                    .collect::<Result<_>>()?;
            }
            "--rounds" => parsed.rounds = number(value()?, 1, 10)? as u32,
            "--connections" => parsed.connections = number(value()?, 1, 64)? as usize,
            "--duration" => parsed.duration = Duration::from_secs(number(value()?, 1, 120)?),
            "--warmup" => parsed.warmup = Duration::from_secs(number(value()?, 0, 30)?),
            "--path" => parsed.path = value()?,
            "--request" => {
                parsed.realistic = match value()?.as_str() {
                    "simple" => false,
                    "realistic" => true,
                    other => return Err(format!("--request {other}: simple or realistic")),
                }
            }
            other => return Err(format!("unknown flag {other}\n\n{USAGE}")),
        }
    }
    if !matches!(parsed.path.as_str(), "/hello" | "/echo") {
        return Err(format!("--path {}: /hello or /echo", parsed.path));
    }
    if parsed.path != "/hello" && parsed.workers.iter().any(|&w| w != WorkerKind::Rust) {
        return Err("the Go and PHP workers only serve /hello".into());
    }
    Ok(Some(parsed))
}

pub(crate) fn run(args: &[String]) -> Result {
    let Some(args) = parse_args(args)? else {
        print!("{USAGE}");
        return Ok(());
    };
    let rr = rr::ensure(Variant::Current)?;
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
            let result = run_once(&rr, kind, command, &args, ticks, round)?;
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
fn prepare(kind: WorkerKind) -> Result<String> {
    match kind {
        WorkerKind::Rust => existing(paths::build_release("rr-e2e", "e2e-worker")?),
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

struct RunResult {
    kind: WorkerKind,
    round: u32,
    load: LoadReport,
    /// CPU microseconds per counted response: workers (all), rr, load generator.
    cpu_us_per_req: [f64; 3],
    /// The largest peak RSS among the workers, KiB.
    worker_rss_kib: u64,
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

/// The median (the mean of the middle two for an even count).
fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = values.collect();
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    if v.len() % 2 == 1 {
        v[mid]
    } else {
        (v[mid - 1] + v[mid]) / 2.0
    }
}

/// Prints the runs and, per worker, the medians over the rounds as Markdown tables, then the
/// ratios.
fn print_report(args: &Args, runs: &[RunResult]) {
    println!(
        "\n{} connections, {} s warm-up + {} s measured per run, GET {} ({} request), {NUM_WORKERS} workers, pipes relay\n",
        args.connections,
        args.warmup.as_secs(),
        args.duration.as_secs(),
        args.path,
        if args.realistic {
            "realistic"
        } else {
            "simple"
        },
    );
    println!(
        "| run | worker | req/s | p50 ms | p99 ms | responses | worker CPU µs/req | rr CPU µs/req | load-gen CPU µs/req | worker peak RSS MiB |"
    );
    println!("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (i, r) in runs.iter().enumerate() {
        println!(
            "| {} | {} | {:.0} | {:.3} | {:.3} | {} | {:.1} | {:.1} | {:.1} | {:.1} |",
            i + 1,
            r.kind.name(),
            r.load.requests_per_sec(),
            r.load.latency_ms(0.5),
            r.load.latency_ms(0.99),
            r.load.ok,
            r.cpu_us_per_req[0],
            r.cpu_us_per_req[1],
            r.cpu_us_per_req[2],
            r.worker_rss_kib as f64 / 1024.0
        );
    }
    let mut kinds: Vec<WorkerKind> = Vec::new();
    for r in runs {
        if !kinds.contains(&r.kind) {
            kinds.push(r.kind);
        }
    }
    let of = |k: WorkerKind| runs.iter().filter(move |r| r.kind == k);
    let summary: Vec<(WorkerKind, [f64; 4])> = kinds
        .iter()
        .map(|&k| {
            (
                k,
                [
                    median(of(k).map(|r| r.load.requests_per_sec())),
                    median(of(k).map(|r| r.load.latency_ms(0.5))),
                    median(of(k).map(|r| r.load.latency_ms(0.99))),
                    median(of(k).map(|r| r.cpu_us_per_req[0])),
                ],
            )
        })
        .collect();
    println!("\nmedians over {} round(s):\n", args.rounds);
    println!("| worker | req/s | p50 ms | p99 ms | worker CPU µs/req |");
    println!("|---|---:|---:|---:|---:|");
    for (k, [rps, p50, p99, cpu]) in &summary {
        println!(
            "| {} | {rps:.0} | {p50:.3} | {p99:.3} | {cpu:.1} |",
            k.name()
        );
    }
    let Some((first, base)) = summary.first() else {
        return;
    };
    for (k, other) in &summary[1..] {
        println!(
            "\n{f} vs {o}: throughput {:.3}× ({f} req/s ÷ {o} req/s), p50 latency {:.3}×, p99 latency {:.3}× ({f} ÷ {o}; below 1 is faster), worker CPU per request {:.3}× ({f} ÷ {o}; below 1 is cheaper)",
            base[0] / other[0],
            base[1] / other[1],
            base[2] / other[2],
            base[3] / other[3],
            f = first.name(),
            o = k.name(),
        );
        // Per round, the two runs next to each other.
        let pairs: Vec<String> = (1..=args.rounds)
            .filter_map(|round| {
                let a = runs.iter().find(|r| r.kind == *first && r.round == round)?;
                let b = runs.iter().find(|r| r.kind == *k && r.round == round)?;
                Some(format!(
                    "{:.3}",
                    a.load.requests_per_sec() / b.load.requests_per_sec()
                ))
            })
            .collect();
        println!("throughput ratio per round: {}", pairs.join(", "));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<Option<Args>> {
        parse_args(&list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>())
    }

    #[test]
    fn parses_flags_and_bounds() {
        let a = args(&["--worker", "rust,go", "--rounds=2", "--connections", "4"])
            .unwrap()
            .unwrap();
        assert_eq!(a.workers, [WorkerKind::Rust, WorkerKind::Go]);
        assert_eq!((a.rounds, a.connections), (2, 4));
        assert_eq!(a.target(), "/hello");
        assert!(args(&["--connections", "0"]).is_err());
        assert!(args(&["--duration", "121"]).is_err());
        assert!(args(&["--worker", "java"]).is_err());
        assert!(args(&["--worker", "go", "--path", "/echo"]).is_err());
        assert!(args(&["--help"]).unwrap().is_none());
        let r = args(&["--request", "realistic"]).unwrap().unwrap();
        assert!(r.target().starts_with("/hello?q=running+shoes&"));
        assert_eq!(r.headers().matches("\r\n").count(), 17);
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median([3.0, 1.0, 2.0].into_iter()), 2.0);
        assert_eq!(median([4.0, 1.0, 2.0, 3.0].into_iter()), 2.5);
        assert!(median(std::iter::empty()).is_nan());
    }
}
