//! The tables `cargo xtask bench [http]` prints: every run, the medians per worker, the ratios.

use rr_testkit::median;

use super::http::RunResult;
use super::http_args::{Args, NUM_WORKERS, WorkerKind};

/// Prints the runs and, per worker, the medians over the rounds as Markdown tables, then the
/// ratios.
pub(super) fn print_report(args: &Args, runs: &[RunResult]) {
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
    let summary: Vec<(WorkerKind, [f64; 5])> = kinds
        .iter()
        .map(|&k| {
            (
                k,
                [
                    median(of(k).map(|r| r.load.requests_per_sec())),
                    median(of(k).map(|r| r.load.latency_ms(0.5))),
                    median(of(k).map(|r| r.load.latency_ms(0.99))),
                    median(of(k).map(|r| r.cpu_us_per_req[0])),
                    median(of(k).map(|r| r.cpu_us_per_req[1])),
                ],
            )
        })
        .collect();
    println!("\nmedians over {} round(s):\n", args.rounds);
    println!(
        "| worker | req/s | p50 ms | p99 ms | worker CPU µs/req | rr CPU µs/req | workers ÷ rr CPU |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (k, [rps, p50, p99, cpu, rr]) in &summary {
        println!(
            "| {} | {rps:.0} | {p50:.3} | {p99:.3} | {cpu:.1} | {rr:.1} | {:.1} % |",
            k.name(),
            100.0 * cpu / rr
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
