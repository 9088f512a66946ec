//! What `/proc` says about a process: CPU time (ticks and scheduler nanoseconds), context
//! switches, resident memory.

use std::fs;
// Peak RSS and the clock tick rate are read by the one /proc reader of the test kit.
pub(crate) use rr_testkit::rr::process::{peak_rss_kib, ticks_per_sec};

/// One reading of a process's counters.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Counters {
    /// `utime` of `/proc/PID/stat`, clock ticks.
    pub(crate) utime: u64,
    /// `stime`, clock ticks.
    pub(crate) stime: u64,
    /// Time on a CPU, nanoseconds (first field of `/proc/PID/schedstat`).
    pub(crate) run_ns: u64,
    /// `voluntary_ctxt_switches` of `/proc/PID/status`.
    pub(crate) voluntary: u64,
    /// `nonvoluntary_ctxt_switches`.
    pub(crate) involuntary: u64,
}

impl Counters {
    /// Reads the counters of `pid` (zeros for what cannot be read).
    pub(crate) fn of(pid: u32) -> Self {
        let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        // After the `(comm)` field: state is field 0, utime 11, stime 12.
        let rest = stat.rfind(')').map_or("", |i| &stat[i + 1..]);
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let field = |i: usize| fields.get(i).and_then(|v| v.parse().ok()).unwrap_or(0);
        // Per thread: schedstat and the switch counts of `status` cover one thread only, so
        // they are summed over the tasks (a Go worker runs on several).
        let mut c = Self {
            utime: field(11),
            stime: field(12),
            ..Self::default()
        };
        for task in tasks(pid) {
            c.run_ns += fs::read_to_string(format!("/proc/{pid}/task/{task}/schedstat"))
                .ok()
                .and_then(|s| s.split_whitespace().next()?.parse().ok())
                .unwrap_or(0);
            let status = format!("{pid}/task/{task}");
            c.voluntary += status_value(&status, "voluntary_ctxt_switches:");
            c.involuntary += status_value(&status, "nonvoluntary_ctxt_switches:");
        }
        c
    }

    /// What grew from `earlier` to `self`.
    pub(crate) fn since(self, earlier: Self) -> Self {
        Self {
            utime: self.utime.saturating_sub(earlier.utime),
            stime: self.stime.saturating_sub(earlier.stime),
            run_ns: self.run_ns.saturating_sub(earlier.run_ns),
            voluntary: self.voluntary.saturating_sub(earlier.voluntary),
            involuntary: self.involuntary.saturating_sub(earlier.involuntary),
        }
    }
}

/// The thread ids of `pid`.
fn tasks(pid: u32) -> Vec<String> {
    fs::read_dir(format!("/proc/{pid}/task"))
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect()
}

/// A `Name:  value kB`-style field of `/proc/<pid>/status` (0 when missing); `pid` may also be
/// `PID/task/TID`.
pub(crate) fn status_value(pid: impl std::fmt::Display, name: &str) -> u64 {
    fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(name))?
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

/// Minor page faults of `pid` so far (`minflt`, field 10 of `/proc/PID/stat`; 0 when unreadable).
pub(crate) fn minor_faults(pid: u32) -> u64 {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // After the `(comm)` field: state is field 0, minflt 7.
    let rest = stat.rfind(')').map_or("", |i| &stat[i + 1..]);
    rest.split_whitespace()
        .nth(7)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Resident memory now (`VmRSS`), KiB.
pub(crate) fn rss_kib(pid: u32) -> u64 {
    status_value(pid, "VmRSS:")
}

/// Proportional set size (`Pss` of `/proc/PID/smaps_rollup`), KiB: shared pages divided among
/// the processes that map them, so the values of a pool add up to its real footprint.
pub(crate) fn pss_kib(pid: u32) -> u64 {
    fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Pss:"))?
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()
        })
        .unwrap_or(0)
}
