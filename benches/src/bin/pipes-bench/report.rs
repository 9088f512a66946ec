//! The results of `pipes-bench` and the Markdown tables it prints: every run, the medians per
//! worker, the ratios against the first worker named `floor` and `prost`, memory and pools.

use std::time::Duration;

use rr_testkit::median;

use crate::procfs::Counters;

/// One measured window of one worker.
pub(crate) struct Run {
    pub(crate) name: String,
    pub(crate) round: u32,
    pub(crate) window: Duration,
    /// Round-trip times, sorted.
    pub(crate) latencies_ns: Vec<u64>,
    /// The worker's counters over the window.
    pub(crate) worker: Counters,
    /// The driver's own.
    pub(crate) driver: Counters,
    pub(crate) ticks: u64,
    pub(crate) peak_rss_kib: u64,
    pub(crate) start_to_ready: Duration,
}

impl Run {
    fn count(&self) -> f64 {
        self.latencies_ns.len() as f64
    }

    fn round_trips_per_sec(&self) -> f64 {
        self.count() / self.window.as_secs_f64()
    }

    fn latency_us(&self, q: f64) -> f64 {
        let rank = ((self.count() * q).ceil() as usize).clamp(1, self.latencies_ns.len());
        self.latencies_ns[rank - 1] as f64 / 1e3
    }

    /// utime + stime per round trip, µs (tick-sampled).
    fn cpu_us(&self, c: &Counters) -> f64 {
        (c.utime + c.stime) as f64 * 1e6 / self.ticks as f64 / self.count()
    }

    /// The system share of utime + stime.
    fn sys_share(&self) -> f64 {
        let c = &self.worker;
        c.stime as f64 / (c.utime + c.stime).max(1) as f64
    }

    /// Time on a CPU per round trip, µs (the scheduler's nanosecond clock).
    fn run_us(&self, c: &Counters) -> f64 {
        c.run_ns as f64 / 1e3 / self.count()
    }

    fn voluntary(&self) -> f64 {
        self.worker.voluntary as f64 / self.count()
    }

    pub(crate) fn line(&self) -> String {
        format!(
            "{} round {}: {:.0} round trips/s, p50 {:.1} µs, p99 {:.1} µs, worker CPU {:.2} µs/rt (utime+stime; {:.0} % system), on-CPU {:.2} µs/rt, {:.2} voluntary switches/rt, peak RSS {} KiB, start-to-ready {:.0} µs",
            self.name,
            self.round,
            self.round_trips_per_sec(),
            self.latency_us(0.5),
            self.latency_us(0.99),
            self.cpu_us(&self.worker),
            self.sys_share() * 100.0,
            self.run_us(&self.worker),
            self.voluntary(),
            self.peak_rss_kib,
            self.start_to_ready.as_secs_f64() * 1e6,
        )
    }
}

/// Resident memory of one worker over many requests.
pub(crate) struct MemoryRun {
    pub(crate) name: String,
    pub(crate) requests: u64,
    pub(crate) idle_kib: u64,
    pub(crate) after_1k_kib: u64,
    pub(crate) after_all_kib: u64,
    pub(crate) peak_kib: u64,
}

/// A pool started at once.
pub(crate) struct PoolRun {
    pub(crate) name: String,
    pub(crate) size: usize,
    pub(crate) all_ready: Duration,
    pub(crate) rss_kib: u64,
    pub(crate) pss_kib: u64,
}

/// Columns of the medians table, in order.
const COLUMNS: [&str; 9] = [
    "round trips/s",
    "p50 µs",
    "p99 µs",
    "worker CPU µs/rt",
    "worker on-CPU µs/rt",
    "driver on-CPU µs/rt",
    "voluntary switches/rt",
    "peak RSS KiB",
    "start-to-ready µs",
];

fn columns(r: &Run) -> [f64; 9] {
    [
        r.round_trips_per_sec(),
        r.latency_us(0.5),
        r.latency_us(0.99),
        r.cpu_us(&r.worker),
        r.run_us(&r.worker),
        r.run_us(&r.driver),
        r.voluntary(),
        r.peak_rss_kib as f64,
        r.start_to_ready.as_secs_f64() * 1e6,
    ]
}

/// Prints every table; returns the medians as tab-separated values (a header line, then one
/// line per worker).
pub(crate) fn print(
    runs: &[Run],
    memory: &[MemoryRun],
    pools: &[PoolRun],
    frame_len: usize,
    rounds: u32,
) -> String {
    println!(
        "\nPipe round trips: one {frame_len}-byte realistic GET frame in flight at a time, every response checked\n"
    );
    println!("| run | worker | {} | system share |", COLUMNS.join(" | "));
    println!("|---:|---|{}---:|", "---:|".repeat(COLUMNS.len()));
    for (i, r) in runs.iter().enumerate() {
        let c = columns(r);
        println!(
            "| {} | {} | {:.0} | {:.1} | {:.1} | {:.2} | {:.2} | {:.2} | {:.2} | {:.0} | {:.0} | {:.0} % |",
            i + 1,
            r.name,
            c[0],
            c[1],
            c[2],
            c[3],
            c[4],
            c[5],
            c[6],
            c[7],
            c[8],
            r.sys_share() * 100.0
        );
    }
    let mut names: Vec<&str> = Vec::new();
    for r in runs {
        if !names.contains(&r.name.as_str()) {
            names.push(&r.name);
        }
    }
    let medians: Vec<(&str, [f64; 9])> = names
        .iter()
        .map(|&n| {
            let of = || runs.iter().filter(move |r| r.name == n).map(columns);
            (n, std::array::from_fn(|i| median(of().map(|c| c[i]))))
        })
        .collect();
    println!("\nMedians over {rounds} round(s):\n");
    println!("| worker | {} |", COLUMNS.join(" | "));
    println!("|---|{}", "---:|".repeat(COLUMNS.len()));
    let mut tsv = format!("worker\t{}\n", COLUMNS.join("\t"));
    for (n, c) in &medians {
        println!(
            "| {n} | {:.0} | {:.1} | {:.1} | {:.2} | {:.2} | {:.2} | {:.2} | {:.0} | {:.0} |",
            c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8]
        );
        let values: Vec<String> = c.iter().map(|v| format!("{v:.3}")).collect();
        tsv.push_str(&format!("{n}\t{}\n", values.join("\t")));
    }
    for base in ["floor", "prost"] {
        let Some((_, b)) = medians.iter().find(|(n, _)| *n == base) else {
            continue;
        };
        println!(
            "\nAgainst `{base}` (medians; round trips: above 1 is faster; CPU: below 1 is cheaper):\n"
        );
        println!(
            "| worker | round trips ÷ {base} | worker CPU ÷ {base} | worker on-CPU ÷ {base} | per round (round trips) |"
        );
        println!("|---|---:|---:|---:|---|");
        for (n, c) in medians.iter().filter(|(n, _)| *n != base) {
            let per_round: Vec<String> = (1..=rounds)
                .filter_map(|round| {
                    let of = |name: &str| runs.iter().find(|r| r.name == name && r.round == round);
                    let (a, b) = (of(n)?, of(base)?);
                    Some(format!(
                        "{:.2}",
                        a.round_trips_per_sec() / b.round_trips_per_sec()
                    ))
                })
                .collect();
            println!(
                "| {n} | {:.2}× | {:.2}× | {:.2}× | {} |",
                c[0] / b[0],
                c[3] / b[3],
                c[4] / b[4],
                per_round.join(", ")
            );
        }
    }
    if !memory.is_empty() {
        println!("\nResident memory (VmRSS, KiB):\n");
        println!(
            "| worker | idle | after 1k requests | after N requests | N | growth 1k → N | peak (VmHWM) |"
        );
        println!("|---|---:|---:|---:|---:|---:|---:|");
        for m in memory {
            println!(
                "| {} | {} | {} | {} | {} | {:+} | {} |",
                m.name,
                m.idle_kib,
                m.after_1k_kib,
                m.after_all_kib,
                m.requests,
                m.after_all_kib as i64 - m.after_1k_kib as i64,
                m.peak_kib
            );
        }
    }
    if !pools.is_empty() {
        println!("\nPools started at once (spawn and pid handshake of every worker):\n");
        println!("| worker | workers | all ready ms | total RSS MiB | total PSS MiB |");
        println!("|---|---:|---:|---:|---:|");
        for p in pools {
            println!(
                "| {} | {} | {:.1} | {:.1} | {:.1} |",
                p.name,
                p.size,
                p.all_ready.as_secs_f64() * 1e3,
                p.rss_kib as f64 / 1024.0,
                p.pss_kib as f64 / 1024.0
            );
        }
    }
    tsv
}
