//! One running broker: its process, ports, directory and log; started, restarted, killed and
//! stopped on demand, stopped when dropped.

use std::fs;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rr_testkit::rr::{PortLease, lease_port};
use rustix::process::{Pid, Signal, kill_process};

use crate::rabbitmq::{self, RabbitPorts};
use crate::{BrokerError, Kind, probe};

/// A broker running on 127.0.0.1 with a private port and data directory.
#[derive(Debug)]
pub struct Broker {
    kind: Kind,
    addr: SocketAddr,
    dir: PathBuf,
    child: Option<Child>,
    rabbit: Option<RabbitPorts>,
    started_in: Duration,
    // Held so nothing else takes these ports while the broker runs (or restarts).
    _leases: Vec<PortLease>,
}

impl Broker {
    /// Starts a private instance under `base/<kind>-<port>/` and waits until it answers.
    ///
    /// ```no_run
    /// let mq = rr_brokers::Broker::start(rr_brokers::Kind::RabbitMq, "target/tmp".as_ref())?;
    /// println!("{} in {:?}", mq.amqp_url(), mq.started_in());
    /// # Ok::<(), rr_brokers::BrokerError>(())
    /// ```
    pub fn start(kind: Kind, base: &Path) -> Result<Self, BrokerError> {
        if !Path::new(kind.program()).is_file() {
            return Err(BrokerError::NotInstalled {
                program: kind.program(),
                package: kind.package(),
            });
        }
        let mut leases = vec![lease_port()];
        let port = leases[0].port();
        let rabbit = (kind == Kind::RabbitMq).then(|| {
            leases.push(lease_port());
            leases.push(lease_port());
            RabbitPorts {
                amqp: port,
                dist: leases[1].port(),
                epmd: leases[2].port(),
            }
        });
        let dir = base.join(format!("{}-{port}", kind.name()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).map_err(io(format!("create {}", dir.display())))?;
        if let Some(ports) = rabbit {
            let file = dir.join(crate::stale::EPMD_PORT_FILE);
            fs::write(&file, ports.epmd.to_string())
                .map_err(io(format!("write {}", file.display())))?;
        }
        let mut broker = Self {
            kind,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            dir,
            child: None,
            rabbit,
            started_in: Duration::ZERO,
            _leases: leases,
        };
        broker.spawn()?;
        Ok(broker)
    }

    /// Which broker this is.
    ///
    /// ```no_run
    /// # let b = rr_brokers::Broker::start(rr_brokers::Kind::Redis, "target/tmp".as_ref())?;
    /// assert_eq!(b.kind(), rr_brokers::Kind::Redis);
    /// # Ok::<(), rr_brokers::BrokerError>(())
    /// ```
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// `127.0.0.1:port`, where it answers.
    ///
    /// ```no_run
    /// # let b = rr_brokers::Broker::start(rr_brokers::Kind::Redis, "target/tmp".as_ref())?;
    /// assert!(b.addr().ip().is_loopback());
    /// # Ok::<(), rr_brokers::BrokerError>(())
    /// ```
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `amqp://guest:guest@127.0.0.1:port/`, the form rr's `amqp.addr` takes.
    ///
    /// ```no_run
    /// # let b = rr_brokers::Broker::start(rr_brokers::Kind::RabbitMq, "target/tmp".as_ref())?;
    /// assert!(b.amqp_url().starts_with("amqp://"));
    /// # Ok::<(), rr_brokers::BrokerError>(())
    /// ```
    pub fn amqp_url(&self) -> String {
        format!("amqp://guest:guest@{}/", self.addr)
    }

    /// The private data directory (its log is `broker.log` there).
    ///
    /// ```no_run
    /// # let b = rr_brokers::Broker::start(rr_brokers::Kind::Redis, "target/tmp".as_ref())?;
    /// assert!(b.dir().join("broker.log").is_file());
    /// # Ok::<(), rr_brokers::BrokerError>(())
    /// ```
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// How long the last start took, from spawning to the first protocol answer.
    ///
    /// ```no_run
    /// # let b = rr_brokers::Broker::start(rr_brokers::Kind::Redis, "target/tmp".as_ref())?;
    /// println!("redis started in {:?}", b.started_in());
    /// # Ok::<(), rr_brokers::BrokerError>(())
    /// ```
    pub fn started_in(&self) -> Duration {
        self.started_in
    }

    /// The end of the broker's log.
    ///
    /// ```no_run
    /// # let b = rr_brokers::Broker::start(rr_brokers::Kind::Redis, "target/tmp".as_ref())?;
    /// eprintln!("{}", b.log_tail());
    /// # Ok::<(), rr_brokers::BrokerError>(())
    /// ```
    pub fn log_tail(&self) -> String {
        let text = fs::read_to_string(self.dir.join("broker.log")).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    /// Stops it gracefully (SIGTERM; SIGKILL after 30 s) and starts it again on the same port
    /// and data directory; returns how long it was unavailable.
    ///
    /// ```no_run
    /// # let mut b = rr_brokers::Broker::start(rr_brokers::Kind::RabbitMq, "target/tmp".as_ref())?;
    /// let down = b.restart()?;
    /// println!("RabbitMQ was down for {down:?}");
    /// # Ok::<(), rr_brokers::BrokerError>(())
    /// ```
    pub fn restart(&mut self) -> Result<Duration, BrokerError> {
        let started = Instant::now();
        self.terminate(Signal::TERM, Duration::from_secs(30));
        self.spawn()?;
        Ok(started.elapsed())
    }

    /// Kills it at once (SIGKILL), as a crash would, leaving its data directory in place.
    ///
    /// ```no_run
    /// # let mut b = rr_brokers::Broker::start(rr_brokers::Kind::Beanstalk, "target/tmp".as_ref())?;
    /// b.kill();
    /// # Ok::<(), rr_brokers::BrokerError>(())
    /// ```
    pub fn kill(&mut self) {
        self.terminate(Signal::KILL, Duration::from_secs(10));
    }

    /// Starts it again after [`Broker::kill`] or [`Broker::stop`] (a no-op while it runs).
    ///
    /// ```no_run
    /// # let mut b = rr_brokers::Broker::start(rr_brokers::Kind::Beanstalk, "target/tmp".as_ref())?;
    /// b.kill();
    /// b.resume()?;
    /// # Ok::<(), rr_brokers::BrokerError>(())
    /// ```
    pub fn resume(&mut self) -> Result<(), BrokerError> {
        if self.child.is_none() {
            self.spawn()?;
        }
        Ok(())
    }

    /// Stops it gracefully (SIGTERM; SIGKILL after 30 s); returns how long stopping took.
    ///
    /// ```no_run
    /// # let mut b = rr_brokers::Broker::start(rr_brokers::Kind::Redis, "target/tmp".as_ref())?;
    /// println!("stopped in {:?}", b.stop());
    /// # Ok::<(), rr_brokers::BrokerError>(())
    /// ```
    pub fn stop(&mut self) -> Duration {
        let started = Instant::now();
        self.terminate(Signal::TERM, Duration::from_secs(30));
        started.elapsed()
    }

    fn command(&self) -> Result<Command, BrokerError> {
        let port = self.addr.port().to_string();
        let dir = &self.dir;
        let mut cmd = match self.kind {
            Kind::RabbitMq => {
                let ports = self.rabbit.expect("RabbitMQ ports are leased at start");
                rabbitmq::command(self.kind.program(), dir, ports)
                    .map_err(io(format!("write RabbitMQ's files in {}", dir.display())))?
            }
            Kind::Beanstalk => {
                let mut cmd = Command::new(self.kind.program());
                // -b: a binlog, so jobs survive a restart; -z: jobs up to 2 MiB (default 65,535 B).
                cmd.args(["-l", "127.0.0.1", "-p", &port, "-z", "2097152", "-b"])
                    .arg(dir);
                cmd
            }
            Kind::Redis => {
                let mut cmd = Command::new(self.kind.program());
                cmd.args(["--bind", "127.0.0.1", "--port", &port, "--save", ""])
                    .args(["--appendonly", "no", "--daemonize", "no", "--dir"])
                    .arg(dir);
                cmd
            }
            Kind::Memcached => {
                let mut cmd = Command::new(self.kind.program());
                // -I 2m: items up to 2 MiB (the default 1 MiB cap cannot hold a 1 MiB value
                // plus its key and header); memcached refuses to run as root without -u.
                cmd.args([
                    "-l",
                    "127.0.0.1",
                    "-p",
                    &port,
                    "-U",
                    "0",
                    "-m",
                    "64",
                    "-I",
                    "2m",
                ]);
                if rustix::process::geteuid().is_root() {
                    cmd.args(["-u", "root"]);
                }
                cmd
            }
        };
        cmd.current_dir(dir);
        Ok(cmd)
    }

    fn spawn(&mut self) -> Result<(), BrokerError> {
        let log_path = self.dir.join("broker.log");
        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .map_err(io(format!("open {}", log_path.display())))?;
        let err_log = log.try_clone().map_err(io("clone a log handle".into()))?;
        let started = Instant::now();
        let child = {
            use std::os::unix::process::CommandExt;
            self.command()?
                .stdin(Stdio::null())
                .stdout(log)
                .stderr(err_log)
                // Its own process group: a Ctrl-C meant for the tests does not reach it.
                .process_group(0)
                .spawn()
                .map_err(io(format!("start {}", self.kind.program())))?
        };
        let pid_file = self.dir.join(crate::stale::PID_FILE);
        fs::write(&pid_file, child.id().to_string())
            .map_err(io(format!("write {}", pid_file.display())))?;
        self.child = Some(child);
        let timeout = match self.kind {
            Kind::RabbitMq => Duration::from_secs(120),
            _ => Duration::from_secs(20),
        };
        loop {
            if probe::answers(self.kind, self.addr) {
                self.started_in = started.elapsed();
                return Ok(());
            }
            let child = self.child.as_mut().expect("spawned above");
            if let Ok(Some(status)) = child.try_wait() {
                self.child = None;
                return Err(BrokerError::Exited {
                    kind: self.kind.name(),
                    status,
                    log: self.log_tail(),
                });
            }
            if started.elapsed() > timeout {
                self.terminate(Signal::KILL, Duration::from_secs(10));
                return Err(BrokerError::NotReady {
                    kind: self.kind.name(),
                    addr: self.addr,
                    timeout,
                    log: self.log_tail(),
                });
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sends `signal` to the broker's process group, waits up to `grace`, then SIGKILLs it.
    fn terminate(&mut self, signal: Signal, grace: Duration) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        let pid = Pid::from_child(&child);
        // The group first (RabbitMQ's erl_child_setup), then the process itself.
        let _ = rustix::process::kill_process_group(pid, signal);
        let _ = kill_process(pid, signal);
        let deadline = Instant::now() + grace;
        loop {
            match child.try_wait() {
                Ok(Some(_)) | Err(_) => break,
                Ok(None) if Instant::now() > deadline => {
                    let _ = rustix::process::kill_process_group(pid, Signal::KILL);
                    let _ = child.kill();
                    let _ = child.wait();
                    break;
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        self.terminate(Signal::TERM, Duration::from_secs(15));
        if let Some(ports) = self.rabbit {
            rabbitmq::kill_epmd(ports.epmd);
        }
        if std::thread::panicking() {
            eprintln!(
                "{} log ({}):\n{}",
                self.kind.name(),
                self.dir.display(),
                self.log_tail()
            );
        } else {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

fn io(what: String) -> impl FnOnce(std::io::Error) -> BrokerError {
    move |source| BrokerError::Io { what, source }
}
