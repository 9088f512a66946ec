//! [`JobsServer`]: a real rr with the jobs and RPC plugins and a pool of jobs workers, for the
//! jobs tests; and [`Deliveries`], what the test jobs worker (`e2e-jobs-worker`) recorded.

use std::fmt::Write as _;
use std::fs;
use std::net::TcpStream;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::Variant;
use rr_testkit::rr::rr_binary;
use rr_testkit::rr::{PortLease, RrProcess, lease_port};

/// What to start: jobs workers and pipelines.
#[derive(Debug, Clone)]
pub struct JobsConfig {
    /// The jobs worker binary.
    pub worker: PathBuf,
    /// Jobs workers in the pool.
    pub num_workers: u32,
    /// YAML of `jobs.pipelines` (indented by 4 spaces), e.g. from [`memory_pipeline`].
    pub pipelines: String,
    /// Pipelines consumed from the start.
    pub consume: Vec<String>,
    /// Extra lines under `jobs.pool` (indented by 4 spaces), e.g. a supervisor.
    pub pool_extra: String,
    /// Extra top-level YAML (global driver sections such as `amqp:`).
    pub top_extra: String,
    /// Worker environment.
    pub env: Vec<(String, String)>,
    /// An HTTP worker as `server.command` (the jobs worker then goes to `jobs.pool.command`),
    /// with HTTP on a free port and a memory KV storage `local`.
    pub http_worker: Option<PathBuf>,
}

impl JobsConfig {
    /// `num_workers` workers of `worker`, one memory pipeline `local` consumed.
    pub fn memory(worker: impl Into<PathBuf>, num_workers: u32) -> Self {
        Self {
            worker: worker.into(),
            num_workers,
            pipelines: memory_pipeline("local", 10),
            consume: vec!["local".into()],
            pool_extra: String::new(),
            top_extra: String::new(),
            env: Vec::new(),
            http_worker: None,
        }
    }

    /// Adds a worker environment variable.
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }
}

/// `jobs.pipelines` YAML of one memory pipeline.
pub fn memory_pipeline(name: &str, priority: u32) -> String {
    format!(
        "    {name}:\n      driver: memory\n      config:\n        priority: {priority}\n        prefetch: 10000\n"
    )
}

/// A running rr with jobs workers; stopped and cleaned up on drop.
#[derive(Debug)]
pub struct JobsServer {
    process: RrProcess,
    /// `tcp://127.0.0.1:port` of rr's RPC plugin.
    pub rpc: String,
    /// Where rr serves HTTP, with an HTTP worker.
    pub http: Option<std::net::SocketAddr>,
    /// The test's private directory (config, log, the worker's records).
    pub dir: PathBuf,
    worker: PathBuf,
    _ports: Vec<PortLease>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl JobsServer {
    /// Writes the config, starts rr and waits until its RPC socket answers.
    pub fn start(cfg: JobsConfig) -> Self {
        let rr = rr_binary(Variant::Current);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("rr-e2e-jobs-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("pids")).expect("create test dir");
        let mut ports = vec![lease_port()];
        let rpc = format!("tcp://127.0.0.1:{}", ports[0].port());
        let (command, http, http_yaml) = match &cfg.http_worker {
            None => (cfg.worker.clone(), None, String::new()),
            Some(http_worker) => {
                ports.push(lease_port());
                let addr: std::net::SocketAddr =
                    format!("127.0.0.1:{}", ports[1].port()).parse().unwrap();
                let yaml = format!(
                    "http:\n  address: \"{addr}\"\n  pool:\n    num_workers: 1\n\
                     kv:\n  local:\n    driver: memory\n    config: {{}}\n"
                );
                (http_worker.clone(), Some(addr), yaml)
            }
        };
        let jobs_command = match &cfg.http_worker {
            Some(_) => format!("    command: [{:?}]\n", cfg.worker.display().to_string()),
            None => String::new(),
        };
        let mut env = String::new();
        for (k, v) in [
            (
                "E2E_PID_DIR".to_owned(),
                dir.join("pids").display().to_string(),
            ),
            ("E2E_DIR".to_owned(), dir.display().to_string()),
        ]
        .into_iter()
        .chain(cfg.env.iter().cloned())
        {
            writeln!(env, "    {k}: {v:?}").unwrap();
        }
        let consume: Vec<String> = cfg.consume.iter().map(|c| format!("{c:?}")).collect();
        let yaml = format!(
            "version: \"3\"\n\
             rpc:\n  listen: {rpc:?}\n\
             server:\n  command: [{cmd:?}]\n  relay: pipes\n  env:\n{env}\
             logs:\n  mode: development\n  level: debug\n{top}{http_yaml}\
             jobs:\n  num_pollers: 10\n  consume: [{consume}]\n  pool:\n{jobs_command}    num_workers: {workers}\n    allocate_timeout: 60s\n    destroy_timeout: 10s\n{pool}\
             \x20 pipelines:\n{pipelines}",
            cmd = command.display().to_string(),
            top = cfg.top_extra,
            consume = consume.join(", "),
            workers = cfg.num_workers,
            pool = cfg.pool_extra,
            pipelines = cfg.pipelines,
        );
        // The kit's launcher writes the config and the log and waits for the RPC socket.
        let rpc_addr = rpc.trim_start_matches("tcp://").parse().unwrap();
        let process = RrProcess::start_with_args(&rr, &dir, &yaml, rpc_addr, &["-grace", "10s"])
            .unwrap_or_else(|e| panic!("{e}"));
        let mut server = Self {
            process,
            rpc,
            http,
            dir,
            worker: cfg.worker,
            _ports: ports,
        };
        // Only the test worker records its pid.
        let pids = if cfg.http_worker.is_some() {
            0
        } else {
            cfg.num_workers as usize
        };
        server.wait_ready(pids);
        server
    }

    /// Waits until the RPC port accepts connections and every worker recorded its pid.
    fn wait_ready(&mut self, workers: usize) {
        let addr = self.rpc.trim_start_matches("tcp://").to_owned();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let up = TcpStream::connect(&addr).is_ok()
                && self.http.is_none_or(|h| TcpStream::connect(h).is_ok());
            if up && self.worker_pids().len() >= workers {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "rr did not start; log:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// A producer connected to this rr's RPC, every call timing out after 10 s.
    pub fn jobs(&self) -> rr_jobs::Jobs {
        rr_jobs::Jobs::connect(&self.rpc, Duration::from_secs(10)).expect("connect to rr's RPC")
    }

    /// Everything rr logged so far (worker stderr included).
    pub fn log(&self) -> String {
        self.process.log()
    }

    /// Sends rr SIGTERM and waits up to `timeout` for it to exit; returns its exit code.
    pub fn stop(&mut self, timeout: Duration) -> Option<i32> {
        self.process
            .terminate(timeout)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// The pids of every worker started so far.
    pub fn worker_pids(&self) -> Vec<i32> {
        rr_testkit::rr::recorded_pids(&self.dir.join("pids"))
    }

    /// What the test worker recorded so far.
    pub fn deliveries(&self) -> Vec<Delivery> {
        fs::read_to_string(self.dir.join("deliveries.jsonl"))
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad record {l:?}: {e}")))
            .collect()
    }

    /// Waits up to 30 s until `done` holds for the records; returns them.
    pub fn wait_deliveries(&self, what: &str, done: impl Fn(&[Delivery]) -> bool) -> Vec<Delivery> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let records = self.deliveries();
            if done(&records) {
                return records;
            }
            assert!(
                Instant::now() < deadline,
                "gave up waiting for {what}; records: {records:#?}\nlog:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// A file the test worker wrote.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

/// One delivery as the test worker recorded it (before answering).
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Delivery {
    /// Job id.
    pub id: String,
    /// Job name.
    pub job: String,
    /// Pipeline.
    pub pipeline: String,
    /// Driver.
    pub driver: String,
    /// `attempts` header, if any.
    pub attempts: Option<String>,
    /// The task's queue, if the driver sent one.
    pub queue: Option<String>,
    /// The worker's `RR_MODE`.
    pub mode: Option<String>,
    /// The worker's pid.
    pub pid: i32,
    /// Unix time in milliseconds when it arrived.
    pub at_ms: u64,
    /// Payload length.
    pub len: usize,
}

impl Drop for JobsServer {
    fn drop(&mut self) {
        self.process.kill();
        rr_testkit::rr::kill_leftover_workers(&self.worker, self.worker_pids());
        rr_testkit::rr::clean_up_test_dir(&self.dir, || self.log());
    }
}
