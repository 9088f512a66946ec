//! Starting rr with one worker kind, finding its worker processes, reading their CPU time and
//! memory from `/proc`, and stopping everything again.

use std::fs;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::Result;

/// A running rr; killed (with its workers) on drop if [`RrProcess::stop`] was not called.
#[derive(Debug)]
pub(crate) struct RrProcess {
    child: Option<Child>,
    pub(crate) addr: SocketAddr,
    pub(crate) dir: PathBuf,
    /// The worker processes rr started, once [`RrProcess::find_workers`] saw them.
    pub(crate) workers: Vec<u32>,
    /// Their executables, to tell them from a process that reuses a pid later.
    worker_exes: Vec<Option<PathBuf>>,
}

/// `.rr.yaml` for one benchmark run: pipes relay, two workers, quiet logs.
pub(crate) fn config(command: &str, addr: SocketAddr, num_workers: u32) -> String {
    format!(
        "# Written by `cargo xtask bench`; rewritten on every run.\n\
         version: \"3\"\n\
         server:\n  command: {command:?}\n  relay: pipes\n\
         http:\n  address: \"{addr}\"\n  pool:\n    num_workers: {num_workers}\n    \
         allocate_timeout: 60s\n    destroy_timeout: 10s\n\
         logs:\n  mode: production\n  level: error\n"
    )
}

/// A free port on 127.0.0.1 (free when asked; rr binds it a moment later).
pub(crate) fn free_addr() -> Result<SocketAddr> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot bind 127.0.0.1:0: {e}"))?;
    listener
        .local_addr()
        .map_err(|e| format!("local address: {e}"))
}

impl RrProcess {
    /// Writes `yaml` to `dir/.rr.yaml`, starts rr there (output into `dir/rr.log`) and waits
    /// until it accepts connections.
    pub(crate) fn start(rr: &Path, dir: &Path, yaml: &str, addr: SocketAddr) -> Result<Self> {
        fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let config = dir.join(".rr.yaml");
        fs::write(&config, yaml).map_err(|e| format!("{}: {e}", config.display()))?;
        let log_path = dir.join("rr.log");
        let log =
            fs::File::create(&log_path).map_err(|e| format!("{}: {e}", log_path.display()))?;
        let log2 = log.try_clone().map_err(|e| format!("rr.log: {e}"))?;
        let child = Command::new(rr)
            .current_dir(dir)
            .args(["-c", ".rr.yaml", "serve"])
            .env_remove("RR_RELAY")
            .env_remove("RR_RPC")
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log2)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", rr.display()))?;
        let mut server = Self {
            child: Some(child),
            addr,
            dir: dir.to_path_buf(),
            workers: Vec::new(),
            worker_exes: Vec::new(),
        };
        server.wait_listening(Duration::from_secs(60))?;
        Ok(server)
    }

    pub(crate) fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    pub(crate) fn log(&self) -> String {
        fs::read_to_string(self.dir.join("rr.log")).unwrap_or_default()
    }

    fn wait_listening(&mut self, timeout: Duration) -> Result {
        let started = Instant::now();
        loop {
            if TcpStream::connect_timeout(&self.addr, Duration::from_millis(200)).is_ok() {
                return Ok(());
            }
            let child = self.child.as_mut().expect("running");
            if let Ok(Some(status)) = child.try_wait() {
                return Err(format!(
                    "rr exited before serving ({status}); log:\n{}",
                    self.log()
                ));
            }
            if started.elapsed() > timeout {
                return Err(format!(
                    "rr did not listen on {} within {timeout:?}; log:\n{}",
                    self.addr,
                    self.log()
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Records rr's child processes (its workers); fails unless there are `expected` of them.
    pub(crate) fn find_workers(&mut self, expected: usize) -> Result {
        self.workers = children_of(self.pid());
        self.worker_exes = self.workers.iter().map(|&pid| exe(pid)).collect();
        if self.workers.len() != expected {
            return Err(format!(
                "expected {expected} worker processes under rr (pid {}), found {:?}",
                self.pid(),
                self.workers
            ));
        }
        Ok(())
    }

    /// SIGTERM (through `kill`), then up to 15 s for rr to stop its workers and exit.
    pub(crate) fn stop(&mut self) -> Result {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        let pid = child.id().to_string();
        let signalled = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .is_ok_and(|s| s.success());
        if !signalled {
            let _ = child.kill();
        }
        let started = Instant::now();
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if started.elapsed() < Duration::from_secs(15) => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                _ => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break None;
                }
            }
        };
        let leftovers = self.kill_leftover_workers();
        match status {
            None => Err("rr did not stop within 15 s of SIGTERM; killed it".into()),
            Some(_) if !leftovers.is_empty() => Err(format!(
                "worker processes {leftovers:?} outlived rr; killed them"
            )),
            Some(_) => Ok(()),
        }
    }

    /// The recorded workers that still run (same pid, same executable).
    fn alive_workers(&self) -> Vec<u32> {
        self.workers
            .iter()
            .zip(&self.worker_exes)
            .filter(|(pid, recorded)| recorded.is_some() && exe(**pid) == **recorded)
            .map(|(pid, _)| *pid)
            .collect()
    }

    /// Gives the workers 2 s to exit after rr did, then kills those still running; returns
    /// their pids.
    fn kill_leftover_workers(&self) -> Vec<u32> {
        let deadline = Instant::now() + Duration::from_secs(2);
        let mut alive = self.alive_workers();
        while !alive.is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
            alive = self.alive_workers();
        }
        for pid in &alive {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .stderr(Stdio::null())
                .status();
        }
        alive
    }
}

impl Drop for RrProcess {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
            self.kill_leftover_workers();
        }
    }
}

/// The executable of `pid`, if it runs and we may see it.
fn exe(pid: u32) -> Option<PathBuf> {
    fs::read_link(format!("/proc/{pid}/exe")).ok()
}

/// Fields of `/proc/PID/stat` after the `(comm)` field, split on spaces.
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    Some(rest.split(' ').map(str::to_owned).collect())
}

/// The pids whose parent is `parent`.
pub(crate) fn children_of(parent: u32) -> Vec<u32> {
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
pub(crate) fn cpu_ticks(pid: u32) -> u64 {
    // utime and stime are fields 14 and 15 of the whole line: 11 and 12 after the comm.
    stat_fields(pid)
        .map(|f| {
            let get = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
            get(11) + get(12)
        })
        .unwrap_or(0)
}

/// Clock ticks per second (`getconf CLK_TCK`, 100 if that fails).
pub(crate) fn ticks_per_sec() -> u64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok()?.trim().parse().ok())
        .unwrap_or(100)
}

/// Peak resident memory (`VmHWM`) of `pid` in KiB.
pub(crate) fn peak_rss_kib(pid: u32) -> u64 {
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
pub(crate) fn own_cpu_ticks() -> u64 {
    cpu_ticks(std::process::id())
}
