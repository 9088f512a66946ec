//! `pipes-bench`: plays rr's side of the pipes relay against worker processes and measures
//! round trips, latency, the workers' CPU, context switches and memory (run it through
//! `cargo xtask bench pipes`, which builds the workers and passes their commands).
//!
//! Per run: spawn the worker, the pid handshake (its start-to-ready time), a warm-up, then a
//! measured window of one request in flight at a time, every response checked. The workers'
//! counters come from `/proc`. Runs alternate between the workers, round after round, so that
//! the drifts of a noisy machine hit them alike. Then, per worker, a memory run (resident memory
//! idle, after 1k and after `--memory` requests) and a pool (`--pool` workers started at once:
//! time until all are ready, their total memory).

mod chart;
mod procfs;
mod report;
mod spinners;
mod starts;
mod worker;

use std::time::{Duration, Instant};

use self::procfs::Counters;
use self::report::{MemoryRun, PoolRun, Run};
use self::worker::{RequestFrame, Worker};

const USAGE: &str = "\
usage: pipes-bench [--rounds N] [--duration SECS] [--warmup SECS] [--memory N] [--pool N]
                   [--busy-cpus] [--tsv PATH] [--svg PATH] NAME=COMMAND...
       pipes-bench --starts N NAME=COMMAND...   (start-to-ready alone, N starts per worker)
       pipes-bench --chart TSV --svg PATH   (redraw the chart of a saved run)

  NAME=COMMAND    a worker to measure; COMMAND is split on whitespace
  --rounds N      alternating rounds over the workers (default 3)
  --duration S    measured window per run, seconds, fractions allowed (default 3)
  --warmup S      round trips before the window, seconds (default 0.5)
  --memory N      requests of the memory run (default 200000; 0 skips it)
  --pool N        workers of the pool run (default 64; 0 skips it)
  --busy-cpus     keep every CPU awake with a lowest-priority (SCHED_IDLE) spinner, as on a
                  loaded server, so wake-ups from idle do not hide the workers' own costs
  --tsv PATH      also write the medians per worker as tab-separated values
  --svg PATH      also draw the medians as a chart (SVG)
  --starts N      no round trips: N alternating rounds of one start per worker (spawn, pid
                  handshake, stop); start-to-ready, on-CPU time and page faults to the reply
  --chart TSV     no run: draw the chart of the medians in TSV (needs --svg)
";

struct Args {
    workers: Vec<(String, String)>,
    rounds: u32,
    duration: Duration,
    warmup: Duration,
    memory: u64,
    pool: usize,
    busy_cpus: bool,
    tsv: Option<String>,
    svg: Option<String>,
    chart: Option<String>,
    starts: u32,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        workers: Vec::new(),
        rounds: 3,
        duration: Duration::from_secs(3),
        warmup: Duration::from_millis(500),
        memory: 200_000,
        pool: 64,
        busy_cpus: false,
        tsv: None,
        svg: None,
        chart: None,
        starts: 0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or(format!("{arg} needs a value\n\n{USAGE}"));
        let secs = |v: String| -> Result<Duration, String> {
            v.parse::<f64>()
                .ok()
                .filter(|s| (0.0..=120.0).contains(s))
                .map(Duration::from_secs_f64)
                .ok_or(format!("{v}: expected seconds in 0..=120"))
        };
        match arg.as_str() {
            "-h" | "--help" => return Err(USAGE.into()),
            "--rounds" => args.rounds = value()?.parse().map_err(|e| format!("--rounds: {e}"))?,
            "--duration" => args.duration = secs(value()?)?,
            "--warmup" => args.warmup = secs(value()?)?,
            "--memory" => args.memory = value()?.parse().map_err(|e| format!("--memory: {e}"))?,
            "--pool" => args.pool = value()?.parse().map_err(|e| format!("--pool: {e}"))?,
            "--busy-cpus" => args.busy_cpus = true,
            "--tsv" => args.tsv = Some(value()?),
            "--svg" => args.svg = Some(value()?),
            "--chart" => args.chart = Some(value()?),
            "--starts" => args.starts = value()?.parse().map_err(|e| format!("--starts: {e}"))?,
            spec => {
                let (name, command) = spec
                    .split_once('=')
                    .ok_or(format!("{spec}: expected NAME=COMMAND\n\n{USAGE}"))?;
                args.workers.push((name.to_owned(), command.to_owned()));
            }
        }
    }
    if args.workers.is_empty() && args.chart.is_none() {
        return Err(format!("no workers given\n\n{USAGE}"));
    }
    if !(1..=20).contains(&args.rounds)
        || args.pool > 256
        || args.memory > 10_000_000
        || args.starts > 10_000
    {
        return Err(
            "--rounds 1..=20, --pool at most 256, --memory at most 10000000, --starts at most 10000"
                .into(),
        );
    }
    Ok(args)
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pipes-bench: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    if let Some(tsv) = &args.chart {
        let svg = args.svg.as_ref().ok_or("--chart needs --svg")?;
        let text = std::fs::read_to_string(tsv).map_err(|e| format!("{tsv}: {e}"))?;
        return draw(&text, svg);
    }
    if args.starts > 0 {
        return starts::run(&args.workers, args.starts);
    }
    let request = RequestFrame::new(rr_benches::realistic_proto_context());
    let ticks = procfs::ticks_per_sec();
    let spinners = args.busy_cpus.then(spinners::Spinners::start).transpose()?;
    if let Some(spinners) = &spinners {
        eprintln!(
            "pipes-bench: CPUs kept busy by {} SCHED_IDLE spinner(s)",
            spinners.count()
        );
    }
    eprintln!(
        "pipes-bench: {} round(s) of {}; {:?} warm-up + {:?} measured per run; request frame {} bytes",
        args.rounds,
        args.workers
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        args.warmup,
        args.duration,
        request.wire_len()
    );
    let mut runs = Vec::new();
    for round in 1..=args.rounds {
        for (name, command) in &args.workers {
            let run = measure(name, command, &request, &args, ticks, round)
                .map_err(|e| format!("{name} round {round}: {e}"))?;
            eprintln!("pipes-bench: {}", run.line());
            runs.push(run);
        }
    }
    let mut memory = Vec::new();
    let mut pools = Vec::new();
    for (name, command) in &args.workers {
        if args.memory > 0 {
            memory.push(memory_run(name, command, &request, args.memory)?);
        }
        if args.pool > 0 {
            pools.push(pool_run(name, command, args.pool)?);
        }
    }
    let summary = report::print(&runs, &memory, &pools, request.wire_len(), args.rounds);
    if let Some(path) = &args.tsv {
        std::fs::write(path, &summary).map_err(|e| format!("{path}: {e}"))?;
    }
    if let Some(path) = &args.svg {
        draw(&summary, path)?;
    }
    Ok(())
}

/// Writes the chart of the medians in `tsv` to `path`.
fn draw(tsv: &str, path: &str) -> Result<(), String> {
    let medians = chart::parse_tsv(tsv)?;
    let caption = "pipes relay, no rr: one realistic 1252-byte GET in flight, medians of pipes-bench (cargo xtask bench pipes)";
    std::fs::write(path, chart::svg(&medians, caption)).map_err(|e| format!("{path}: {e}"))
}

/// One run: start, warm up, measure, stop.
fn measure(
    name: &str,
    command: &str,
    request: &RequestFrame,
    args: &Args,
    ticks: u64,
    round: u32,
) -> Result<Run, String> {
    let mut worker = Worker::start(command)?;
    let until = Instant::now() + args.warmup;
    while Instant::now() < until {
        worker.round_trip(request)?;
    }
    let pid = worker.pid();
    let own = std::process::id();
    let (before, own_before) = (Counters::of(pid), Counters::of(own));
    let mut latencies_ns: Vec<u64> = Vec::with_capacity(1 << 20);
    let started = Instant::now();
    while started.elapsed() < args.duration || latencies_ns.is_empty() {
        latencies_ns.push(worker.round_trip(request)?.as_nanos() as u64);
    }
    let window = started.elapsed();
    let (after, own_after) = (Counters::of(pid), Counters::of(own));
    let peak_rss_kib = procfs::peak_rss_kib(pid);
    let start_to_ready = worker.start_to_ready;
    worker.stop()?;
    latencies_ns.sort_unstable();
    Ok(Run {
        name: name.to_owned(),
        round,
        window,
        latencies_ns,
        worker: after.since(before),
        driver: own_after.since(own_before),
        ticks,
        peak_rss_kib,
        start_to_ready,
    })
}

/// Resident memory idle, after 1k and after `requests` round trips.
fn memory_run(
    name: &str,
    command: &str,
    request: &RequestFrame,
    requests: u64,
) -> Result<MemoryRun, String> {
    let mut worker = Worker::start(command)?;
    let pid = worker.pid();
    let idle_kib = procfs::rss_kib(pid);
    let mut after_1k_kib = idle_kib;
    for i in 1..=requests.max(1000) {
        worker.round_trip(request)?;
        if i == 1000 {
            after_1k_kib = procfs::rss_kib(pid);
        }
    }
    let run = MemoryRun {
        name: name.to_owned(),
        requests: requests.max(1000),
        idle_kib,
        after_1k_kib,
        after_all_kib: procfs::rss_kib(pid),
        peak_kib: procfs::peak_rss_kib(pid),
    };
    worker.stop()?;
    Ok(run)
}

/// `size` workers started at once, as rr starts its pool: every process spawned and asked for
/// its pid, then every reply read.
fn pool_run(name: &str, command: &str, size: usize) -> Result<PoolRun, String> {
    let started = Instant::now();
    let mut pending = Vec::with_capacity(size);
    for _ in 0..size {
        let (child, _) = Worker::spawn(command)?;
        pending.push(Worker::ask_pid(child)?);
    }
    let mut workers = Vec::with_capacity(size);
    for (child, relay) in pending {
        workers.push(Worker::ready(child, relay, started)?);
    }
    let all_ready = started.elapsed();
    let rss_kib = workers.iter().map(|w| procfs::rss_kib(w.pid())).sum();
    let pss_kib = workers.iter().map(|w| procfs::pss_kib(w.pid())).sum();
    for worker in workers {
        worker.stop()?;
    }
    Ok(PoolRun {
        name: name.to_owned(),
        size,
        all_ready,
        rss_kib,
        pss_kib,
    })
}
