//! Brokers left behind by a run that was killed (Ctrl-C, SIGKILL): found by the pid file in
//! their directory and their working directory, stopped, and their directory removed.

use std::fs;
use std::path::Path;

use rustix::process::{Pid, Signal, kill_process, kill_process_group};

use crate::rabbitmq;

/// The file in a broker's directory that holds its pid.
pub(crate) const PID_FILE: &str = "broker.pid";
/// The file in a RabbitMQ node's directory that holds its private epmd port.
pub(crate) const EPMD_PORT_FILE: &str = "epmd.port";

/// Stops every broker a previous run left under `base` and removes its directory; returns the
/// directories it cleaned.
///
/// A process counts as that broker only while its working directory is the broker's directory,
/// so a reused pid is never hit.
///
/// ```no_run
/// let cleaned = rr_brokers::reap_stale("target/brokers".as_ref());
/// println!("{cleaned:?}");
/// ```
pub fn reap_stale(base: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(base) else {
        return Vec::new();
    };
    let mut cleaned = Vec::new();
    for dir in entries
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.is_dir())
    {
        let pid = fs::read_to_string(dir.join(PID_FILE))
            .ok()
            .and_then(|p| p.trim().parse::<i32>().ok())
            .and_then(Pid::from_raw);
        if let Some(pid) = pid {
            let cwd = fs::read_link(format!("/proc/{}/cwd", pid.as_raw_nonzero()));
            if cwd.is_ok_and(|cwd| cwd == dir) {
                let _ = kill_process_group(pid, Signal::KILL);
                let _ = kill_process(pid, Signal::KILL);
            }
        }
        if let Some(port) = fs::read_to_string(dir.join(EPMD_PORT_FILE))
            .ok()
            .and_then(|p| p.trim().parse::<u16>().ok())
        {
            rabbitmq::kill_epmd(port);
        }
        if fs::remove_dir_all(&dir).is_ok() {
            cleaned.push(dir.display().to_string());
        }
    }
    cleaned
}
