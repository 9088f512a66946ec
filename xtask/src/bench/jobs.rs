//! `cargo xtask bench jobs`: jobs consumed through the real rr (memory or amqp driver) by our Rust
//! consumer (`e2e-jobs-ack`, on `rr_jobs::serve`) and by a minimal Go consumer on goridge
//! (`xtask/go-jobs-worker`), side by side in one run.
//!
//! Per run: rr with the RPC and jobs plugins, one memory pipeline consumed by N workers, logs
//! at level error. 1,000 warm-up jobs go through first. Then the pipeline is paused, `--jobs`
//! jobs are pushed (with `rr_jobs::Jobs::push_batch`, 1,000 per call), and the window starts
//! at `jobs.Resume`: it ends when the workers' execution counters (`informer.Workers`) have
//! grown by `--jobs`. Jobs per second is jobs / window; CPU per job is the CPU time the
//! workers (and rr) used in the window, from `/proc`, divided by the jobs. With `--driver amqp`
//! a private RabbitMQ (`rr_brokers`) is started once for the whole benchmark.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rr_jobs::{Job, Jobs};
use rr_rpc::Rpc;
use rr_testkit::median;

use super::server::{RrProcess, cpu_ticks, free_addr, ticks_per_sec};
use crate::rr::{self, Variant};
use crate::{Result, paths};

const USAGE: &str = "\
usage: cargo xtask bench jobs [--consumer rust,go] [--driver memory,amqp] [--rounds N]
                              [--jobs N] [--workers N] [--payload BYTES]

  --consumer LIST  consumers, comma-separated, run in this order each round (default rust,go):
                   rust = e2e-jobs-ack (release, rr_jobs::serve), go = xtask/go-jobs-worker
  --driver LIST    drivers, comma-separated (default memory); amqp starts a private RabbitMQ
  --rounds N       how many times to run the list, alternating (default 3, at most 10)
  --jobs N         jobs per measured window (default 20000, at most 90000)
  --workers N      jobs workers in rr's pool (default 2, at most 16)
  --payload BYTES  payload size of each job (default 64, at most 1048576)
";

/// The pipeline every run uses.
const PIPELINE: &str = "bench";
/// Jobs pushed per `jobs.PushBatch` call.
const BATCH: usize = 1000;
/// Jobs consumed before the window.
const WARMUP: u64 = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Consumer {
    Rust,
    Go,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Driver {
    Memory,
    Amqp,
}

#[derive(Debug)]
struct Args {
    consumers: Vec<Consumer>,
    drivers: Vec<Driver>,
    rounds: u32,
    jobs: u64,
    workers: u32,
    payload: usize,
}

/// One measured window.
#[derive(Debug)]
struct Sample {
    consumer: Consumer,
    driver: Driver,
    jobs_per_sec: f64,
    worker_us_per_job: f64,
    rr_us_per_job: f64,
}

pub(crate) fn run(args: &[String]) -> Result {
    let Some(args) = parse(args)? else {
        print!("{USAGE}");
        return Ok(());
    };
    let rr = rr::ensure(Variant::Current)?;
    let mut commands = Vec::new();
    for &c in &args.consumers {
        commands.push((c, prepare(c)?));
    }
    let rabbit = match args.drivers.contains(&Driver::Amqp) {
        true => {
            let base = paths::target_dir().join("bench").join("brokers");
            rr_brokers::ensure_installed(&[rr_brokers::Kind::RabbitMq])
                .map_err(|e| e.to_string())?;
            let broker = rr_brokers::Broker::start(rr_brokers::Kind::RabbitMq, &base)
                .map_err(|e| e.to_string())?;
            Some(broker)
        }
        false => None,
    };
    let amqp = rabbit.as_ref().map(rr_brokers::Broker::amqp_url);
    let mut samples = Vec::new();
    for round in 1..=args.rounds {
        for &driver in &args.drivers {
            for (consumer, command) in &commands {
                let s = run_once(&rr, *consumer, driver, amqp.as_deref(), command, &args)?;
                eprintln!(
                    "xtask: round {round} {:<6} {:<4} {:>9.0} jobs/s  worker CPU {:>6.1} µs/job  rr CPU {:>6.1} µs/job",
                    driver_name(driver),
                    name(*consumer),
                    s.jobs_per_sec,
                    s.worker_us_per_job,
                    s.rr_us_per_job
                );
                samples.push(s);
            }
        }
    }
    drop(rabbit);
    report(&args, &samples);
    Ok(())
}

fn name(c: Consumer) -> &'static str {
    match c {
        Consumer::Rust => "rust",
        Consumer::Go => "go",
    }
}

fn driver_name(d: Driver) -> &'static str {
    match d {
        Driver::Memory => "memory",
        Driver::Amqp => "amqp",
    }
}

fn parse(args: &[String]) -> Result<Option<Args>> {
    let mut out = Args {
        consumers: vec![Consumer::Rust, Consumer::Go],
        drivers: vec![Driver::Memory],
        rounds: 3,
        jobs: 20_000,
        workers: 2,
        payload: 64,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        if flag == "-h" || flag == "--help" {
            return Ok(None);
        }
        let value = it
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n\n{USAGE}"))?;
        let number = |max: u64| -> Result<u64> {
            value
                .parse::<u64>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| format!("{flag} {value}: expected 1..={max}\n\n{USAGE}"))
        };
        match flag.as_str() {
            "--consumer" => {
                out.consumers = value
                    .split(',')
                    .map(|c| match c {
                        "rust" => Ok(Consumer::Rust),
                        "go" => Ok(Consumer::Go),
                        other => Err(format!("unknown consumer `{other}`\n\n{USAGE}")),
                    })
                    .collect::<Result<_>>()?;
            }
            "--driver" => {
                out.drivers = value
                    .split(',')
                    .map(|d| match d {
                        "memory" => Ok(Driver::Memory),
                        "amqp" => Ok(Driver::Amqp),
                        other => Err(format!("unknown driver `{other}`\n\n{USAGE}")),
                    })
                    .collect::<Result<_>>()?;
            }
            "--rounds" => out.rounds = number(10)? as u32,
            "--jobs" => out.jobs = number(90_000)?,
            "--workers" => out.workers = number(16)? as u32,
            "--payload" => out.payload = number(1 << 20)? as usize,
            other => return Err(format!("unknown flag {other}\n\n{USAGE}")),
        }
    }
    Ok(Some(out))
}

/// Builds a consumer; returns its `server.command`.
fn prepare(c: Consumer) -> Result<PathBuf> {
    match c {
        Consumer::Rust => paths::build_release("rr-e2e", "e2e-jobs-ack"),
        Consumer::Go => {
            let src = paths::root().join("xtask").join("go-jobs-worker");
            let out_dir = paths::target_dir().join("bench").join("go-jobs-worker");
            std::fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
            let bin = out_dir.join("go-jobs-worker");
            eprintln!("xtask: building the Go jobs worker ({})", src.display());
            rr::go_build(&src, &bin)?;
            Ok(bin)
        }
    }
}

fn config(command: &Path, rpc: &str, workers: u32, amqp: Option<&str>) -> String {
    let (global, pipeline) = match amqp {
        None => (
            String::new(),
            "driver: memory\n      config:\n        priority: 10\n        prefetch: 100000\n"
                .to_owned(),
        ),
        Some(url) => (
            format!("amqp:\n  addr: {url:?}\n"),
            format!(
                "driver: amqp\n      config:\n        priority: 10\n        prefetch: 1000\n        \
                 queue: \"rr-bench-{pid}\"\n        exchange: \"rr-bench\"\n        \
                 routing_key: \"rr-bench-{pid}\"\n        durable: false\n        \
                 delete_queue_on_stop: true\n",
                pid = std::process::id()
            ),
        ),
    };
    format!(
        "# Written by `cargo xtask bench jobs`; rewritten on every run.\n\
         version: \"3\"\n\
         rpc:\n  listen: {rpc:?}\n{global}\
         server:\n  command: {command:?}\n  relay: pipes\n\
         jobs:\n  consume: [{PIPELINE:?}]\n  pool:\n    num_workers: {workers}\n    \
         allocate_timeout: 60s\n    destroy_timeout: 10s\n  \
         pipelines:\n    {PIPELINE}:\n      {pipeline}\
         logs:\n  mode: production\n  level: error\n",
        command = command.display().to_string(),
    )
}

fn run_once(
    rr: &Path,
    consumer: Consumer,
    driver: Driver,
    amqp: Option<&str>,
    command: &Path,
    args: &Args,
) -> Result<Sample> {
    let amqp = amqp.filter(|_| driver == Driver::Amqp);
    let addr = free_addr()?;
    let rpc = format!("tcp://{addr}");
    let dir = paths::target_dir()
        .join("bench")
        .join(format!("jobs-{}", name(consumer)));
    let mut server = RrProcess::start(rr, &dir, &config(command, &rpc, args.workers, amqp), addr)?;
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.find_workers(args.workers as usize).is_err() {
        if Instant::now() > deadline {
            server.find_workers(args.workers as usize)?;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let timeout = Duration::from_secs(30);
    let mut jobs = Jobs::connect(&rpc, timeout).map_err(|e| e.to_string())?;
    let mut informer = Rpc::connect(&rpc, timeout).map_err(|e| e.to_string())?;
    let payload = vec![b'x'; args.payload];

    let start_execs = execs(&mut informer)?;
    push(&mut jobs, WARMUP, &payload)?;
    wait_execs(&mut informer, start_execs + WARMUP, &server)?;

    jobs.pause(&[PIPELINE]).map_err(|e| e.to_string())?;
    push(&mut jobs, args.jobs, &payload)?;
    let base = execs(&mut informer)?;
    let workers_before: u64 = server.workers.iter().map(|&p| cpu_ticks(p)).sum();
    let rr_before = cpu_ticks(server.pid());
    let started = Instant::now();
    jobs.resume(&[PIPELINE]).map_err(|e| e.to_string())?;
    wait_execs(&mut informer, base + args.jobs, &server)?;
    let window = started.elapsed();
    let workers_used = server.workers.iter().map(|&p| cpu_ticks(p)).sum::<u64>() - workers_before;
    let rr_used = cpu_ticks(server.pid()) - rr_before;
    // Killed, not stopped: rr v2025.1.15 with the jobs plugin waits out its whole grace
    // period on SIGTERM (one poller stays blocked on the empty queue) before it stops workers.
    drop(server);

    let us_per_tick = 1e6 / ticks_per_sec() as f64;
    let n = args.jobs as f64;
    Ok(Sample {
        consumer,
        driver,
        jobs_per_sec: n / window.as_secs_f64(),
        worker_us_per_job: workers_used as f64 * us_per_tick / n,
        rr_us_per_job: rr_used as f64 * us_per_tick / n,
    })
}

fn push(jobs: &mut Jobs, n: u64, payload: &[u8]) -> Result {
    let mut left = n as usize;
    while left > 0 {
        let size = left.min(BATCH);
        let batch = (0..size).map(|_| Job::new("bench", payload.to_vec()).pipeline(PIPELINE));
        jobs.push_batch(batch).map_err(|e| e.to_string())?;
        left -= size;
    }
    Ok(())
}

/// Tasks the jobs workers have executed so far.
fn execs(informer: &mut Rpc) -> Result<u64> {
    let workers = informer.workers("jobs").map_err(|e| e.to_string())?;
    Ok(workers.iter().map(|w| w.num_execs).sum())
}

fn wait_execs(informer: &mut Rpc, target: u64, server: &RrProcess) -> Result {
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let done = execs(informer)?;
        if done >= target {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!(
                "only {done} of {target} jobs consumed; log:\n{}",
                server.log()
            ));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn report(args: &Args, samples: &[Sample]) {
    println!(
        "\njobs through rr: {} jobs per window, {} workers, {}-byte payloads, {} rounds; medians",
        args.jobs, args.workers, args.payload, args.rounds
    );
    println!("| driver | consumer | jobs/s | worker CPU µs/job | rr CPU µs/job |");
    println!("|---|---|---:|---:|---:|");
    for &d in &args.drivers {
        let mut medians = Vec::new();
        for &c in &args.consumers {
            let of = |f: fn(&Sample) -> f64| {
                let mine = samples.iter().filter(|s| s.consumer == c && s.driver == d);
                median(mine.map(f))
            };
            let m = (
                of(|s| s.jobs_per_sec),
                of(|s| s.worker_us_per_job),
                of(|s| s.rr_us_per_job),
            );
            let (driver, consumer) = (driver_name(d), name(c));
            println!(
                "| {driver} | {consumer} | {:.0} | {:.1} | {:.1} |",
                m.0, m.1, m.2
            );
            medians.push((c, m));
        }
        if let [(Consumer::Rust, r), (Consumer::Go, g)] = medians.as_slice() {
            println!(
                "{}: rust/go {:.2}x the jobs per second, {:.2}x the worker CPU per job",
                driver_name(d),
                r.0 / g.0,
                r.1 / g.1
            );
        }
    }
}
