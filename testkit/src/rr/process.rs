//! [`RrProcess`]: the one place that starts an `rr` binary with a config, waits until it
//! listens, and stops it (with its workers) again; plus reading worker processes' CPU time and
//! memory from `/proc`. Used by [`RrServer`](super::RrServer) for the end-to-end tests and by
//! `cargo xtask bench`.

use std::fs;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rustix::process::{Pid, Signal, kill_process};

use super::procfs::exe;
pub use super::procfs::{children_of, cpu_ticks, own_cpu_ticks, peak_rss_kib, ticks_per_sec};

/// Errors are messages: the callers are test harnesses and a benchmark driver.
pub type Result<T = (), E = String> = std::result::Result<T, E>;

/// A running rr; killed (with its workers) on drop if [`RrProcess::stop`] was not called.
///
/// # Example
///
/// ```no_run
/// use rr_testkit::rr::{RrProcess, free_addr, process_config};
///
/// let addr = free_addr()?;
/// let dir = std::env::temp_dir().join("rr-example");
/// let yaml = process_config("/usr/local/bin/my-worker", addr, 2);
/// let mut rr = RrProcess::start("rr".as_ref(), &dir, &yaml, addr)?;
/// rr.find_workers(2)?;
/// rr.stop()?;
/// # Ok::<(), String>(())
/// ```
#[derive(Debug)]
pub struct RrProcess {
    child: Option<Child>,
    /// The HTTP address rr listens on.
    pub addr: SocketAddr,
    /// The directory holding `.rr.yaml` and `rr.log`.
    pub dir: PathBuf,
    /// The worker processes rr started, once [`RrProcess::find_workers`] saw them.
    pub workers: Vec<u32>,
    /// Their executables, to tell them from a process that reuses a pid later.
    worker_exes: Vec<Option<PathBuf>>,
}

/// `.rr.yaml` for one benchmark run: pipes relay, `num_workers` workers, quiet logs.
///
/// # Example
///
/// ```
/// let yaml = rr_testkit::rr::process_config("./worker", "127.0.0.1:8080".parse().unwrap(), 2);
/// assert!(yaml.contains("num_workers: 2"));
/// ```
pub fn config(command: &str, addr: SocketAddr, num_workers: u32) -> String {
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
///
/// # Errors
///
/// When no port can be bound.
///
/// # Example
///
/// ```
/// assert_eq!(rr_testkit::rr::free_addr()?.ip().to_string(), "127.0.0.1");
/// # Ok::<(), String>(())
/// ```
pub fn free_addr() -> Result<SocketAddr> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot bind 127.0.0.1:0: {e}"))?;
    listener
        .local_addr()
        .map_err(|e| format!("local address: {e}"))
}

impl RrProcess {
    /// Writes `yaml` to `dir/.rr.yaml`, starts `rr -c .rr.yaml serve` there (output into
    /// `dir/rr.log`) and waits up to 60 s until it accepts connections on `addr`.
    ///
    /// # Errors
    ///
    /// When the files cannot be written, rr cannot start, exits early or does not listen.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # let addr = rr_testkit::rr::free_addr()?;
    /// # let yaml = rr_testkit::rr::process_config("./worker", addr, 1);
    /// let mut rr = rr_testkit::rr::RrProcess::start("rr".as_ref(), "/tmp/x".as_ref(), &yaml, addr)?;
    /// rr.stop()?;
    /// # Ok::<(), String>(())
    /// ```
    pub fn start(rr: &Path, dir: &Path, yaml: &str, addr: SocketAddr) -> Result<Self> {
        Self::start_with_args(rr, dir, yaml, addr, &[])
    }

    /// [`start`](Self::start) with extra arguments before `serve` (e.g. `-grace 10s`).
    ///
    /// # Errors
    ///
    /// As [`start`](Self::start).
    ///
    /// # Example
    ///
    /// ```no_run
    /// # let addr = rr_testkit::rr::free_addr()?;
    /// # let yaml = rr_testkit::rr::process_config("./worker", addr, 1);
    /// let dir = std::path::Path::new("/tmp/x");
    /// let rr = rr_testkit::rr::RrProcess::start_with_args("rr".as_ref(), dir, &yaml, addr, &["-grace", "10s"])?;
    /// # Ok::<(), String>(())
    /// ```
    pub fn start_with_args(
        rr: &Path,
        dir: &Path,
        yaml: &str,
        addr: SocketAddr,
        args: &[&str],
    ) -> Result<Self> {
        fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let config = dir.join(".rr.yaml");
        fs::write(&config, yaml).map_err(|e| format!("{}: {e}", config.display()))?;
        let log_path = dir.join("rr.log");
        let log =
            fs::File::create(&log_path).map_err(|e| format!("{}: {e}", log_path.display()))?;
        let log2 = log.try_clone().map_err(|e| format!("rr.log: {e}"))?;
        let child = Command::new(rr)
            .current_dir(dir)
            .args(["-c", ".rr.yaml"])
            .args(args)
            .arg("serve")
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

    /// rr's process id (0 once stopped).
    ///
    /// # Example
    ///
    /// ```no_run
    /// # let addr = rr_testkit::rr::free_addr()?;
    /// # let yaml = rr_testkit::rr::process_config("./worker", addr, 1);
    /// let mut rr = rr_testkit::rr::RrProcess::start("rr".as_ref(), "/tmp/x".as_ref(), &yaml, addr)?;
    /// assert_ne!(rr.pid(), 0);
    /// # Ok::<(), String>(())
    /// ```
    pub fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    /// Everything rr logged so far (worker stderr included).
    ///
    /// # Example
    ///
    /// ```no_run
    /// # let addr = rr_testkit::rr::free_addr()?;
    /// # let yaml = rr_testkit::rr::process_config("./worker", addr, 1);
    /// let mut rr = rr_testkit::rr::RrProcess::start("rr".as_ref(), "/tmp/x".as_ref(), &yaml, addr)?;
    /// eprintln!("{}", rr.log());
    /// # Ok::<(), String>(())
    /// ```
    pub fn log(&self) -> String {
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
    ///
    /// # Errors
    ///
    /// When the number of child processes differs.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # let addr = rr_testkit::rr::free_addr()?;
    /// # let yaml = rr_testkit::rr::process_config("./worker", addr, 1);
    /// let mut rr = rr_testkit::rr::RrProcess::start("rr".as_ref(), "/tmp/x".as_ref(), &yaml, addr)?;
    /// rr.find_workers(1)?;
    /// assert_eq!(rr.workers.len(), 1);
    /// # Ok::<(), String>(())
    /// ```
    pub fn find_workers(&mut self, expected: usize) -> Result {
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

    /// SIGTERM, then up to `timeout` for rr to exit; returns its exit code (`None` when a
    /// signal ended it). Kills rr when the time is up.
    ///
    /// # Errors
    ///
    /// When rr did not exit in time (it is killed then).
    ///
    /// # Example
    ///
    /// ```no_run
    /// # let addr = rr_testkit::rr::free_addr()?;
    /// # let yaml = rr_testkit::rr::process_config("./worker", addr, 1);
    /// let mut rr = rr_testkit::rr::RrProcess::start("rr".as_ref(), "/tmp/x".as_ref(), &yaml, addr)?;
    /// let code = rr.terminate(std::time::Duration::from_secs(10))?;
    /// # Ok::<(), String>(())
    /// ```
    pub fn terminate(&mut self, timeout: Duration) -> Result<Option<i32>> {
        if let Some(child) = &self.child
            && kill_process(Pid::from_child(child), Signal::TERM).is_err()
        {
            self.kill();
        }
        self.wait_exit(timeout)
    }

    /// Waits up to `timeout` for rr to exit by itself; returns its exit code (`None` when a
    /// signal ended it or it had stopped already). Kills rr when the time is up.
    ///
    /// # Errors
    ///
    /// When rr did not exit in time (it is killed then).
    ///
    /// # Example
    ///
    /// ```no_run
    /// # let addr = rr_testkit::rr::free_addr()?;
    /// # let yaml = rr_testkit::rr::process_config("./worker", addr, 1);
    /// let mut rr = rr_testkit::rr::RrProcess::start("rr".as_ref(), "/tmp/x".as_ref(), &yaml, addr)?;
    /// let code = rr.wait_exit(std::time::Duration::from_secs(10))?;
    /// # Ok::<(), String>(())
    /// ```
    pub fn wait_exit(&mut self, timeout: Duration) -> Result<Option<i32>> {
        let Some(mut child) = self.child.take() else {
            return Ok(None);
        };
        let started = Instant::now();
        loop {
            match child.try_wait() {
                Ok(Some(status)) => return Ok(status.code()),
                Ok(None) if started.elapsed() < timeout => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                _ => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(format!(
                        "rr did not stop within {timeout:?}; killed it; log:\n{}",
                        self.log()
                    ));
                }
            }
        }
    }

    /// Kills rr at once (SIGKILL) and reaps it; nothing happens when it already stopped.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # let addr = rr_testkit::rr::free_addr()?;
    /// # let yaml = rr_testkit::rr::process_config("./worker", addr, 1);
    /// let mut rr = rr_testkit::rr::RrProcess::start("rr".as_ref(), "/tmp/x".as_ref(), &yaml, addr)?;
    /// rr.kill();
    /// # Ok::<(), String>(())
    /// ```
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// [`terminate`](Self::terminate) with 15 s, then makes sure no recorded worker outlived
    /// rr.
    ///
    /// # Errors
    ///
    /// When rr did not stop in time or workers outlived it (both are killed then).
    ///
    /// # Example
    ///
    /// ```no_run
    /// # let addr = rr_testkit::rr::free_addr()?;
    /// # let yaml = rr_testkit::rr::process_config("./worker", addr, 1);
    /// let mut rr = rr_testkit::rr::RrProcess::start("rr".as_ref(), "/tmp/x".as_ref(), &yaml, addr)?;
    /// rr.stop()?;
    /// # Ok::<(), String>(())
    /// ```
    pub fn stop(&mut self) -> Result {
        let status = self.terminate(Duration::from_secs(15));
        let leftovers = self.kill_leftover_workers();
        status?;
        if leftovers.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "worker processes {leftovers:?} outlived rr; killed them"
            ))
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
        if self.child.is_some() {
            self.kill();
            self.kill_leftover_workers();
        }
    }
}
