//! What `/proc` tells about a process: its executable, parent, CPU time and peak memory.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

/// The executable of `pid`, if it runs and we may see it.
pub(super) fn exe(pid: u32) -> Option<PathBuf> {
    fs::read_link(format!("/proc/{pid}/exe")).ok()
}

/// Fields of `/proc/PID/stat` after the `(comm)` field, split on spaces.
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    Some(rest.split(' ').map(str::to_owned).collect())
}

/// The pids whose parent is `parent`.
///
/// # Example
///
/// ```
/// let child = std::process::Command::new("sleep").arg("5").spawn().unwrap();
/// assert!(rr_testkit::rr::process::children_of(std::process::id()).contains(&child.id()));
/// # let mut child = child; child.kill().unwrap(); child.wait().unwrap();
/// ```
pub fn children_of(parent: u32) -> Vec<u32> {
    let mut pids: Vec<u32> = fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .filter(|&pid| {
            // After the comm: state (0), ppid (1).
            stat_fields(pid).and_then(|f| f.get(1)?.parse::<u32>().ok()) == Some(parent)
        })
        .collect();
    pids.sort_unstable();
    pids
}

/// User + system CPU time of `pid` so far (0 if it is gone), in clock ticks.
///
/// # Example
///
/// ```
/// assert_eq!(rr_testkit::rr::process::cpu_ticks(u32::MAX), 0);
/// ```
pub fn cpu_ticks(pid: u32) -> u64 {
    // utime and stime are fields 14 and 15 of the whole line: 11 and 12 after the comm.
    stat_fields(pid)
        .map(|f| {
            let get = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
            get(11) + get(12)
        })
        .unwrap_or(0)
}

/// Clock ticks per second (`getconf CLK_TCK`, 100 if that fails).
///
/// # Example
///
/// ```
/// assert!(rr_testkit::rr::process::ticks_per_sec() > 0);
/// ```
pub fn ticks_per_sec() -> u64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok()?.trim().parse().ok())
        .unwrap_or(100)
}

/// Peak resident memory (`VmHWM`) of `pid` in KiB.
///
/// # Example
///
/// ```
/// assert!(rr_testkit::rr::process::peak_rss_kib(std::process::id()) > 0);
/// ```
pub fn peak_rss_kib(pid: u32) -> u64 {
    fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))?
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

/// Our own CPU time (the load generator's), in clock ticks.
///
/// # Example
///
/// ```
/// let _ticks: u64 = rr_testkit::rr::process::own_cpu_ticks();
/// ```
pub fn own_cpu_ticks() -> u64 {
    cpu_ticks(std::process::id())
}
