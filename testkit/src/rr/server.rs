//! Starting and stopping a real RoadRunner server for one test.

use std::fmt::Write as _;
use std::fs;
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use rustix::process::{Pid, Signal, kill_process, test_kill_process};

use super::ports::{PortLease, lease_port, listeners_on};

/// Which RoadRunner build to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// v2025.1.15 (`RR_BINARY`).
    Current,
    /// v2023.3.12 (`RR_BINARY_2023`).
    Legacy,
}

/// How rr talks to its workers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relay {
    /// stdin/stdout.
    Pipes,
    /// A TCP socket on 127.0.0.1.
    Tcp,
    /// A unix socket in the test's directory.
    Unix,
}

/// What to start.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The worker binary.
    pub worker: PathBuf,
    /// Worker relay.
    pub relay: Relay,
    /// Pool size.
    pub num_workers: u32,
    /// Which rr.
    pub variant: Variant,
    /// Accept HTTP/2 over cleartext (h2c).
    pub h2c: bool,
    /// Extra environment for the workers.
    pub env: Vec<(String, String)>,
    /// Extra YAML lines appended under `http:` (indented by the caller with 2 spaces).
    pub http_extra: String,
    /// Extra YAML lines under `http.uploads:` (indented with 4 spaces), e.g. `forbid`.
    pub uploads_extra: String,
    /// `http.pool` extra lines (indented with 4 spaces).
    pub pool_extra: String,
    /// Turn on rr's RPC plugin on a free port.
    pub rpc: bool,
    /// Extra KV storages under `kv:` (indented with 2 spaces), beside `local`; needs [`Self::rpc`].
    pub kv_extra: String,
}

impl ServerConfig {
    /// One worker, pipes, the current rr.
    pub fn new(worker: impl Into<PathBuf>) -> Self {
        Self {
            worker: worker.into(),
            relay: Relay::Pipes,
            num_workers: 1,
            variant: Variant::Current,
            h2c: false,
            env: Vec::new(),
            http_extra: String::new(),
            uploads_extra: String::new(),
            pool_extra: String::new(),
            rpc: false,
            kv_extra: String::new(),
        }
    }

    /// Turns on rr's RPC plugin (its address is [`RrServer::rpc`]) and a KV storage `local`.
    pub fn rpc(mut self) -> Self {
        self.rpc = true;
        self
    }

    /// Adds KV storages (YAML under `kv:`, indented with 2 spaces) and turns on RPC.
    pub fn kv_yaml(mut self, yaml: &str) -> Self {
        self.rpc = true;
        self.kv_extra.push_str(yaml);
        self
    }

    /// Sets the relay.
    pub fn relay(mut self, relay: Relay) -> Self {
        self.relay = relay;
        self
    }

    /// Sets the number of workers.
    pub fn workers(mut self, n: u32) -> Self {
        self.num_workers = n;
        self
    }

    /// Uses the legacy server.
    pub fn legacy(mut self) -> Self {
        self.variant = Variant::Legacy;
        self
    }

    /// Adds a worker environment variable.
    pub fn env(mut self, key: &str, value: impl Into<String>) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Turns on h2c.
    pub fn h2c(mut self) -> Self {
        self.h2c = true;
        self
    }

    /// Adds YAML lines under `http:`.
    pub fn http_yaml(mut self, yaml: &str) -> Self {
        self.http_extra.push_str(yaml);
        self
    }

    /// Adds YAML lines under `http.uploads:`.
    pub fn uploads_yaml(mut self, yaml: &str) -> Self {
        self.uploads_extra.push_str(yaml);
        self
    }

    /// Adds YAML lines under `http.pool:`.
    pub fn pool_yaml(mut self, yaml: &str) -> Self {
        self.pool_extra.push_str(yaml);
        self
    }
}

/// A running rr; stopped and cleaned up on drop, also when the test fails.
#[derive(Debug)]
pub struct RrServer {
    child: Option<Child>,
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
             http:\n  address: \"127.0.0.1:{port}\"\n  max_request_size: 64\n  uploads:\n    dir: {uploads:?}\n{uploads_extra}{h2}{http_extra}\
             \x20 pool:\n    num_workers: {workers}\n    allocate_timeout: 60s\n    destroy_timeout: 10s\n{pool_extra}",
            cmd = cfg.worker.display().to_string(),
            uploads = dir.join("uploads").display().to_string(),
            workers = cfg.num_workers,
            http_extra = cfg.http_extra,
            uploads_extra = cfg.uploads_extra,
            pool_extra = cfg.pool_extra,
        );
        fs::write(dir.join(".rr.yaml"), yaml).expect("write config");
        let log = fs::File::create(dir.join("rr.log")).expect("create log");
        let child = Command::new(&rr)
            .current_dir(&dir)
            .args(["-c", ".rr.yaml", "-grace", GRACE])
            .arg("serve")
            .env_remove("RR_RELAY")
            .env_remove("RR_RPC")
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", rr.display()));
        let mut server = Self {
            child: Some(child),
            addr,
            dir,
            rpc,
            worker: cfg.worker.clone(),
            _ports: ports,
        };
        server.wait_ready(Duration::from_secs(60));
        server
    }

    fn wait_ready(&mut self, timeout: Duration) {
        let started = Instant::now();
        loop {
            if TcpStream::connect_timeout(&self.addr, Duration::from_millis(200)).is_ok() {
                return;
            }
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                panic!("rr exited before serving ({status}); log:\n{}", self.log());
            }
            assert!(
                started.elapsed() < timeout,
                "rr did not listen on {} within {timeout:?}; log:\n{}",
                self.addr,
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// `http://127.0.0.1:port` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Everything rr logged so far (worker stderr included).
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.join("rr.log")).unwrap_or_default()
    }

    /// Waits up to 5 s for `needle` to appear in rr's log (worker stderr is copied into it
    /// asynchronously, so it may lag behind the HTTP response).
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
    pub fn worker_pids(&self) -> Vec<i32> {
        let mut pids: Vec<i32> = fs::read_dir(self.dir.join("pids"))
            .map(|rd| {
                rd.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                    .collect()
            })
            .unwrap_or_default();
        pids.sort_unstable();
        pids
    }

    /// Sends SIGTERM and waits up to `timeout` for rr to exit; returns its exit code.
    pub fn stop(&mut self, timeout: Duration) -> Option<i32> {
        if let Some(p) = self.pid().and_then(Pid::from_raw) {
            let _ = kill_process(p, Signal::TERM);
        }
        self.wait_exit(timeout)
    }

    /// rr's pid while it runs.
    pub fn pid(&self) -> Option<i32> {
        self.child
            .as_ref()
            .map(|c| Pid::from_child(c).as_raw_nonzero().get())
    }

    /// Waits up to `timeout` for rr to exit (panics after it); returns its exit code.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<i32> {
        let mut child = self.child.take()?;
        let started = Instant::now();
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                return status.code();
            }
            if started.elapsed() > timeout {
                let _ = child.kill();
                let _ = child.wait();
                panic!("rr did not stop within {timeout:?}; log:\n{}", self.log());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The directory of this test.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

/// `true` while a process with this pid exists.
pub fn pid_alive(pid: i32) -> bool {
    Pid::from_raw(pid).is_some_and(|p| test_kill_process(p).is_ok())
}

impl Drop for RrServer {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = kill_process(Pid::from_child(&child), Signal::KILL);
            let _ = child.wait();
        }
        // Workers live in their own process group; make sure none outlives the test.
        for pid in self.worker_pids() {
            // Only a process still running our worker binary (pids get reused).
            let exe = fs::read_link(format!("/proc/{pid}/exe")).ok();
            if exe.as_deref() == Some(self.worker.as_path())
                && let Some(p) = Pid::from_raw(pid)
            {
                let _ = kill_process(p, Signal::KILL);
            }
        }
        if std::thread::panicking() {
            eprintln!(
                "rr log of the failed test ({}):\n{}",
                self.dir.display(),
                self.log()
            );
        }
        let _ = fs::remove_dir_all(&self.dir);
    }
}
