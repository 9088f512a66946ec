//! Starting and stopping a real RoadRunner server for one test.

use std::fmt::Write as _;
use std::fs;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use super::RrProcess;
use super::config::{Relay, ServerConfig, Variant};
use super::pids::{kill_leftover_workers, recorded_pids};
use super::ports::{PortLease, lease_port, listeners_on};

/// A running rr; stopped and cleaned up on drop, also when the test fails.
#[derive(Debug)]
pub struct RrServer {
    process: RrProcess,
    /// Where rr serves HTTP.
    pub addr: SocketAddr,
    /// The test's private directory (config, log, sockets, worker pid files, uploads).
    pub dir: PathBuf,
    /// `tcp://127.0.0.1:port` of rr's RPC plugin, when it was turned on.
    pub rpc: Option<String>,
    worker: PathBuf,
    // Held so no other test run picks these ports while rr listens on them.
    _ports: Vec<PortLease>,
}

/// rr's endure grace period: how long rr may take to stop its plugins.
const GRACE: &str = "10s";

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// The path of the rr binary for `variant`, from `RR_BINARY` or `RR_BINARY_2023` (panics with
/// instructions when unset: end-to-end tests are never skipped).
///
/// # Example
///
/// ```no_run
/// let rr = rr_testkit::rr::rr_binary(rr_testkit::rr::Variant::Current);
/// assert!(rr.is_file());
/// ```
pub fn rr_binary(variant: Variant) -> PathBuf {
    let var = match variant {
        Variant::Current => "RR_BINARY",
        Variant::Legacy => "RR_BINARY_2023",
    };
    let path = std::env::var_os(var).unwrap_or_else(|| {
        panic!(
            "{var} is not set: the end-to-end tests need the real RoadRunner server. \
             Run them with `cargo xtask test`, which builds it (needs Go), \
             or set {var} to an rr binary built by `cargo xtask rr`"
        )
    });
    let path = PathBuf::from(path);
    assert!(path.is_file(), "{var}={} is not a file", path.display());
    path
}

impl RrServer {
    /// Writes a config into a fresh directory, starts rr, and waits until it serves HTTP.
    ///
    /// Should another process listen on rr's port as well (SO_REUSEPORT lets it), connections
    /// would be split between the two: rr is then started again on another port.
    ///
    /// # Example
    ///
    /// ```no_run
    /// use rr_testkit::rr::{RrServer, ServerConfig};
    /// let mut rr = RrServer::start(ServerConfig::new("./target/debug/e2e-worker"));
    /// assert!(rr.url("/").starts_with("http://127.0.0.1:"));
    /// ```
    pub fn start(cfg: ServerConfig) -> Self {
        for _ in 0..5 {
            let server = Self::start_once(&cfg);
            if listeners_on(server.addr.port()) == 1 {
                return server;
            }
            eprintln!(
                "another process also listens on {}; starting rr on another port",
                server.addr
            );
        }
        panic!("every port tried for rr was shared with another process");
    }

    fn start_once(cfg: &ServerConfig) -> Self {
        let rr = rr_binary(cfg.variant);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("rr-e2e-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("pids")).expect("create test dir");
        fs::create_dir_all(dir.join("uploads")).expect("create uploads dir");

        let mut ports = vec![lease_port()];
        let port = ports[0].port();
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let relay = match cfg.relay {
            Relay::Pipes => "pipes".to_owned(),
            Relay::Tcp => {
                ports.push(lease_port());
                format!("tcp://127.0.0.1:{}", ports[ports.len() - 1].port())
            }
            Relay::Unix => format!("unix://{}", dir.join("rr.sock").display()),
        };
        let mut env = String::new();
        writeln!(
            env,
            "    E2E_PID_DIR: {:?}",
            dir.join("pids").display().to_string()
        )
        .unwrap();
        writeln!(env, "    E2E_DIR: {:?}", dir.display().to_string()).unwrap();
        for (k, v) in &cfg.env {
            writeln!(env, "    {k}: {v:?}").unwrap();
        }
        let rpc = cfg.rpc.then(|| {
            ports.push(lease_port());
            format!("tcp://127.0.0.1:{}", ports[ports.len() - 1].port())
        });
        // With RPC comes the KV plugin: one in-memory storage named `local`.
        let rpc_yaml = rpc
            .as_ref()
            .map(|addr| {
                format!(
                    "rpc:\n  listen: {addr:?}\nkv:\n  local:\n    driver: memory\n    config: {{}}\n{}",
                    cfg.kv_extra
                )
            })
            .unwrap_or_default();
        let h2 = if cfg.h2c {
            "  http2:\n    h2c: true\n    max_concurrent_streams: 128\n"
        } else {
            ""
        };
        let yaml = format!(
            "version: \"3\"\n\
             server:\n  command: [{cmd:?}]\n  relay: {relay:?}\n  env:\n{env}\
             {rpc_yaml}logs:\n  mode: development\n  level: debug\n\
             http:\n  address: \"127.0.0.1:{port}\"\n  max_request_size: {max_request}\n  uploads:\n    dir: {uploads:?}\n{uploads_extra}{h2}{http_extra}\
             \x20 pool:\n    num_workers: {workers}\n    allocate_timeout: 60s\n    destroy_timeout: 10s\n{pool_extra}",
            cmd = cfg.worker.display().to_string(),
            uploads = dir.join("uploads").display().to_string(),
            workers = cfg.num_workers,
            max_request = cfg.max_request_mb,
            http_extra = cfg.http_extra,
            uploads_extra = cfg.uploads_extra,
            pool_extra = cfg.pool_extra,
        );
        let process = RrProcess::start_with_args(&rr, &dir, &yaml, addr, &["-grace", GRACE])
            .unwrap_or_else(|e| panic!("{e}"));
        Self {
            process,
            addr,
            dir,
            rpc,
            worker: cfg.worker.clone(),
            _ports: ports,
        }
    }

    /// `http://127.0.0.1:port` + `path`.
    ///
    /// # Example
    ///
    /// ```no_run
    /// use rr_testkit::rr::{RrServer, ServerConfig};
    /// let mut rr = RrServer::start(ServerConfig::new("./target/debug/e2e-worker"));
    /// println!("{}", rr.url("/hello?name=world"));
    /// ```
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Everything rr logged so far (worker stderr included).
    ///
    /// # Example
    ///
    /// ```no_run
    /// use rr_testkit::rr::{RrServer, ServerConfig};
    /// let mut rr = RrServer::start(ServerConfig::new("./target/debug/e2e-worker"));
    /// eprintln!("{}", rr.log());
    /// ```
    pub fn log(&self) -> String {
        self.process.log()
    }

    /// Waits up to 5 s for `needle` to appear in rr's log (worker stderr is copied into it
    /// asynchronously, so it may lag behind the HTTP response).
    ///
    /// # Example
    ///
    /// ```no_run
    /// use rr_testkit::rr::{RrServer, ServerConfig};
    /// let mut rr = RrServer::start(ServerConfig::new("./target/debug/e2e-worker"));
    /// assert!(rr.log_contains("http server was started"));
    /// ```
    pub fn log_contains(&self, needle: &str) -> bool {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            if self.log().contains(needle) {
                return true;
            }
            if Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The pids of every worker started so far (each worker records its pid at start).
    ///
    /// # Example
    ///
    /// ```no_run
    /// use rr_testkit::rr::{RrServer, ServerConfig};
    /// let mut rr = RrServer::start(ServerConfig::new("./target/debug/e2e-worker"));
    /// assert!(!rr.worker_pids().is_empty());
    /// ```
    pub fn worker_pids(&self) -> Vec<i32> {
        recorded_pids(&self.dir.join("pids"))
    }

    /// Sends SIGTERM and waits up to `timeout` for rr to exit; returns its exit code.
    ///
    /// # Panics
    ///
    /// When rr does not stop in time (it is killed then).
    ///
    /// # Example
    ///
    /// ```no_run
    /// use rr_testkit::rr::{RrServer, ServerConfig};
    /// let mut rr = RrServer::start(ServerConfig::new("./target/debug/e2e-worker"));
    /// assert_eq!(rr.stop(std::time::Duration::from_secs(10)), Some(0));
    /// ```
    pub fn stop(&mut self, timeout: Duration) -> Option<i32> {
        self.process
            .terminate(timeout)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// rr's pid while it runs.
    ///
    /// # Example
    ///
    /// ```no_run
    /// use rr_testkit::rr::{RrServer, ServerConfig};
    /// let rr = RrServer::start(ServerConfig::new("./target/debug/e2e-worker"));
    /// assert!(rr.pid().is_some());
    /// ```
    pub fn pid(&self) -> Option<i32> {
        i32::try_from(self.process.pid()).ok().filter(|&p| p != 0)
    }

    /// Waits up to `timeout` for rr to exit by itself (after a signal the test sent, say);
    /// returns its exit code.
    ///
    /// # Panics
    ///
    /// When rr does not exit in time (it is killed then).
    ///
    /// # Example
    ///
    /// ```no_run
    /// use rr_testkit::rr::{RrServer, ServerConfig};
    /// let mut rr = RrServer::start(ServerConfig::new("./target/debug/e2e-worker"));
    /// let code = rr.wait_exit(std::time::Duration::from_secs(10));
    /// ```
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<i32> {
        self.process
            .wait_exit(timeout)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// The directory of this test.
    ///
    /// # Example
    ///
    /// ```no_run
    /// use rr_testkit::rr::{RrServer, ServerConfig};
    /// let mut rr = RrServer::start(ServerConfig::new("./target/debug/e2e-worker"));
    /// let log = std::fs::read_to_string(rr.path("rr.log")).unwrap();
    /// ```
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

impl Drop for RrServer {
    fn drop(&mut self) {
        self.process.kill();
        // Workers live in their own process group; make sure none outlives the test.
        kill_leftover_workers(&self.worker, self.worker_pids());
        clean_up_test_dir(&self.dir, || self.log());
    }
}

/// Removes a test's directory; when the test is failing (the thread panics), first prints rr's
/// log, which `log` reads.
///
/// ```
/// let dir = std::env::temp_dir().join("rr-testkit-doc-clean-up");
/// std::fs::create_dir_all(&dir).unwrap();
/// rr_testkit::rr::clean_up_test_dir(&dir, || String::new());
/// assert!(!dir.exists());
/// ```
pub fn clean_up_test_dir(dir: &Path, log: impl FnOnce() -> String) {
    if std::thread::panicking() {
        eprintln!("rr log of the failed test ({}):\n{}", dir.display(), log());
    }
    let _ = fs::remove_dir_all(dir);
}
