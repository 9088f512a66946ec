//! The worker processes of one test: the pids they recorded, whether they still run, waiting
//! for them to exit, and killing the ones a test left behind.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use rustix::process::{Pid, Signal, kill_process, test_kill_process};

/// `true` while a process with this pid exists.
///
/// # Example
///
/// ```
/// assert!(rr_testkit::rr::pid_alive(std::process::id() as i32));
/// ```
pub fn pid_alive(pid: i32) -> bool {
    Pid::from_raw(pid).is_some_and(|p| test_kill_process(p).is_ok())
}

/// Waits up to `timeout` until none of `pids` runs any more; returns those still running then
/// (empty: all gone).
///
/// # Example
///
/// ```
/// use std::time::Duration;
/// let me = std::process::id() as i32;
/// assert_eq!(rr_testkit::rr::wait_gone(&[me], Duration::from_millis(1)), [me]);
/// ```
pub fn wait_gone(pids: &[i32], timeout: Duration) -> Vec<i32> {
    let deadline = Instant::now() + timeout;
    loop {
        let alive: Vec<i32> = pids.iter().copied().filter(|&p| pid_alive(p)).collect();
        if alive.is_empty() || Instant::now() >= deadline {
            return alive;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The pids the test workers recorded in `dir` (one empty file per worker, named by its pid),
/// sorted.
///
/// # Example
///
/// ```
/// let dir = std::env::temp_dir().join("rr-testkit-doc-recorded-pids");
/// std::fs::create_dir_all(&dir).unwrap();
/// std::fs::write(dir.join("42"), "").unwrap();
/// assert_eq!(rr_testkit::rr::recorded_pids(&dir), [42]);
/// std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn recorded_pids(dir: &Path) -> Vec<i32> {
    let mut pids: Vec<i32> = fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    pids.sort_unstable();
    pids
}

/// Kills (SIGKILL) each process of `pids` that still runs the `worker` binary: a worker a test
/// left behind, never another process that reused one of the pids.
///
/// ```
/// rr_testkit::rr::kill_leftover_workers(std::path::Path::new("/no/such/worker"), [1]);
/// ```
pub fn kill_leftover_workers(worker: &Path, pids: impl IntoIterator<Item = i32>) {
    for pid in pids {
        let exe = fs::read_link(format!("/proc/{pid}/exe")).ok();
        if exe.as_deref() == Some(worker)
            && let Some(p) = Pid::from_raw(pid)
        {
            let _ = kill_process(p, Signal::KILL);
        }
    }
}
