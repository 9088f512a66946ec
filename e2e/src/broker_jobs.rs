//! Jobs pipelines on real brokers for [`JobsConfig`](crate::JobsConfig): the YAML of an amqp,
//! beanstalk or boltdb pipeline and the broker's global section, each with names unique to the
//! test so tests can share one broker.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use crate::JobsConfig;

/// A jobs driver backed by a real broker (or a file, for boltdb).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrokerDriver {
    /// rr's `amqp` driver on RabbitMQ.
    Amqp,
    /// rr's `beanstalk` driver on beanstalkd.
    Beanstalk,
    /// rr's `boltdb` driver (a file in the test's directory, no server).
    Boltdb,
}

/// Where the pipeline's queue lives, and how the amqp driver treats failures.
///
/// amqp pipelines declare a durable queue and a durable exchange: with rr's default
/// `exchange_durable: false` the exchange is gone after a RabbitMQ restart until rr redials
/// and declares it again, and jobs pushed in between are accepted by rr and silently lost
/// (seen in `jobs_amqp_faults.rs`: the first 11 jobs pushed after the restart).
#[derive(Debug, Clone)]
pub struct BrokerPipeline {
    /// The driver.
    pub driver: BrokerDriver,
    /// The broker's address (ignored for boltdb).
    pub addr: Option<SocketAddr>,
    /// The RabbitMQ queue, beanstalk tube or boltdb file name (unique per test by default).
    pub queue: String,
    /// amqp `requeue_on_fail`: a crashed worker's job goes back to the queue.
    pub requeue_on_fail: bool,
    /// amqp/boltdb `prefetch`.
    pub prefetch: u32,
    /// beanstalk's global `timeout`, which rr also puts as every job's TTR (time to run): a job
    /// reserved that long without an answer is released by beanstalkd and delivered again.
    pub beanstalk_timeout: Duration,
}

static QUEUES: AtomicU32 = AtomicU32::new(0);

impl BrokerPipeline {
    /// A pipeline of `driver` on the broker at `addr`, with a fresh queue name.
    pub fn new(driver: BrokerDriver, addr: Option<SocketAddr>) -> Self {
        let n = QUEUES.fetch_add(1, Ordering::Relaxed);
        Self {
            driver,
            addr,
            queue: format!("rr-rs-{}-{n}", std::process::id()),
            requeue_on_fail: false,
            prefetch: 100,
            beanstalk_timeout: Duration::from_secs(10),
        }
    }

    /// The shared broker `cargo xtask test` started for `driver` (none for boltdb).
    pub fn shared(driver: BrokerDriver) -> Self {
        let addr = match driver {
            BrokerDriver::Amqp => Some(rr_brokers::shared(rr_brokers::Kind::RabbitMq)),
            BrokerDriver::Beanstalk => Some(rr_brokers::shared(rr_brokers::Kind::Beanstalk)),
            BrokerDriver::Boltdb => None,
        };
        Self::new(driver, addr)
    }

    /// Sets amqp's `requeue_on_fail`.
    pub fn requeue_on_fail(mut self, on: bool) -> Self {
        self.requeue_on_fail = on;
        self
    }

    /// rr's name of the driver.
    pub fn driver_name(&self) -> &'static str {
        match self.driver {
            BrokerDriver::Amqp => "amqp",
            BrokerDriver::Beanstalk => "beanstalk",
            BrokerDriver::Boltdb => "boltdb",
        }
    }

    /// `jobs.pipelines` YAML of this pipeline named `name` (indented by 4 spaces).
    pub fn pipeline_yaml(&self, name: &str) -> String {
        let q = &self.queue;
        let config = match self.driver {
            BrokerDriver::Amqp => format!(
                "        queue: {q:?}\n        routing_key: {q:?}\n        exchange: {q:?}\n\
                 \x20       exchange_type: direct\n        durable: true\n        exchange_durable: true\n\
                 \x20       prefetch: {p}\n        priority: 10\n        requeue_on_fail: {r}\n",
                p = self.prefetch,
                r = self.requeue_on_fail
            ),
            BrokerDriver::Beanstalk => format!(
                "        tube: {q:?}\n        priority: 10\n        tube_priority: 1\n\
                 \x20       reserve_timeout: 1s\n"
            ),
            BrokerDriver::Boltdb => format!(
                "        file: \"{q}.db\"\n        priority: 10\n        prefetch: {p}\n",
                p = self.prefetch
            ),
        };
        format!(
            "    {name}:\n      driver: {d}\n      config:\n{config}",
            d = self.driver_name()
        )
    }

    /// The global section the driver needs (top-level YAML), empty for boltdb.
    pub fn global_yaml(&self) -> String {
        match (self.driver, self.addr) {
            (BrokerDriver::Amqp, Some(a)) => {
                format!("amqp:\n  addr: \"amqp://guest:guest@{a}/\"\n")
            }
            (BrokerDriver::Beanstalk, Some(a)) => {
                let t = self.beanstalk_timeout.as_secs();
                format!("beanstalk:\n  addr: \"tcp://{a}\"\n  timeout: {t}s\n")
            }
            _ => String::new(),
        }
    }

    /// A [`JobsConfig`] of `num_workers` workers of `worker` consuming this pipeline as `local`.
    pub fn config(&self, worker: impl Into<std::path::PathBuf>, num_workers: u32) -> JobsConfig {
        let mut cfg = JobsConfig::memory(worker, num_workers);
        cfg.pipelines = self.pipeline_yaml("local");
        cfg.top_extra = self.global_yaml();
        cfg
    }
}
