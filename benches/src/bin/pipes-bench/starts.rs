//! `--starts N`: start-to-ready alone, many times. Every round starts each worker once (spawn,
//! pid handshake, stop), so the drifts of a noisy machine hit them alike; per start it records
//! the wall time from spawn to the pid reply, the worker's time on a CPU and its minor page
//! faults up to that reply (from `/proc`, read right after the reply, before the stop).

use std::time::Duration;

use rr_testkit::median;

use crate::procfs::{self, Counters};
use crate::worker::Worker;

/// One start of one worker.
struct Start {
    name: String,
    round: u32,
    ready: Duration,
    /// Time on a CPU from the spawn to the reply, all threads, nanoseconds.
    on_cpu_ns: u64,
    /// Minor page faults of the process up to the reply.
    minor_faults: u64,
}

/// Runs `rounds` rounds over `workers` and prints the tables.
pub(crate) fn run(workers: &[(String, String)], rounds: u32) -> Result<(), String> {
    let mut starts = Vec::new();
    for round in 1..=rounds {
        for (name, command) in workers {
            let worker =
                Worker::start(command).map_err(|e| format!("{name} start {round}: {e}"))?;
            let pid = worker.pid();
            let counters = Counters::of(pid);
            starts.push(Start {
                name: name.clone(),
                round,
                ready: worker.start_to_ready,
                on_cpu_ns: counters.run_ns,
                minor_faults: procfs::minor_faults(pid),
            });
            worker.stop()?;
        }
    }
    print(workers, &starts, rounds);
    Ok(())
}

fn print(workers: &[(String, String)], starts: &[Start], rounds: u32) {
    println!(
        "\nStart-to-ready (spawn → pid reply read), {rounds} start(s) per worker, alternating:\n"
    );
    println!(
        "| worker | min µs | p10 µs | median µs | p90 µs | worker on-CPU µs (median) | minor faults (median) | median ÷ floor | per-round ratio ÷ floor (median) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let ready_us = |name: &str| -> Vec<f64> {
        let mut v: Vec<f64> = starts
            .iter()
            .filter(|s| s.name == name)
            .map(|s| s.ready.as_secs_f64() * 1e6)
            .collect();
        v.sort_by(f64::total_cmp);
        v
    };
    let floor = workers
        .iter()
        .any(|(n, _)| n == "floor")
        .then(|| median(ready_us("floor")));
    for (name, _) in workers {
        let v = ready_us(name);
        let q = |q: f64| v[((v.len() as f64 * q).ceil() as usize).clamp(1, v.len()) - 1];
        let of = || starts.iter().filter(|s| s.name == *name);
        let on_cpu = median(of().map(|s| s.on_cpu_ns as f64 / 1e3));
        let faults = median(of().map(|s| s.minor_faults as f64));
        let (ratio, per_round) = match floor {
            Some(f) => {
                let per_round = median(of().filter_map(|s| {
                    let base = starts
                        .iter()
                        .find(|b| b.name == "floor" && b.round == s.round)?;
                    Some(s.ready.as_secs_f64() / base.ready.as_secs_f64())
                }));
                (
                    format!("{:.2}×", median(v.iter().copied()) / f),
                    format!("{per_round:.2}×"),
                )
            }
            None => ("".into(), "".into()),
        };
        println!(
            "| {name} | {:.0} | {:.0} | {:.0} | {:.0} | {on_cpu:.0} | {faults:.0} | {ratio} | {per_round} |",
            v[0],
            q(0.1),
            median(v.iter().copied()),
            q(0.9),
        );
    }
}
