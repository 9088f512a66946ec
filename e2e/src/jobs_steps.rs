//! Steps the jobs tests share: a job for the `local` pipeline, the deliveries of one job, the
//! 1 MiB `keep` job and what the worker kept of it, a pipeline's stat, waiting until `local`
//! is idle, watching that a job is not delivered again, and a worker that has to die.

use std::time::{Duration, Instant};

use bytes::Bytes;
use rr_jobs::{Job, Jobs, PipelineStat};

use crate::{Delivery, JobsServer};

/// A job named `name` for the pipeline `local`, which every jobs test consumes.
pub fn local_job(name: &str, payload: impl Into<Bytes>) -> Job {
    Job::new(name, payload).pipeline("local")
}

/// The deliveries of the job `id` among `records`, in the order they came.
pub fn deliveries_of<'a>(records: &'a [Delivery], id: &str) -> Vec<&'a Delivery> {
    records.iter().filter(|d| d.id == id).collect()
}

/// A `keep` job (the worker writes down its payload and headers) on `local` with 1 MiB of
/// binary payload and a header `tag` of three values: `first`, `second, with comma` and empty.
/// Returns the job and its payload.
pub fn one_mib_keep_job() -> (Job, Vec<u8>) {
    let payload: Vec<u8> = (0..1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let job = local_job("keep", payload.clone())
        .header("tag", "first")
        .header("tag", "second, with comma")
        .header("tag", "");
    (job, payload)
}

/// The stat of the pipeline `name`, if rr has it.
pub fn pipeline_stat(jobs: &mut Jobs, name: &str) -> Option<PipelineStat> {
    jobs.stat()
        .expect("jobs.Stat")
        .into_iter()
        .find(|s| s.pipeline == name)
}

/// The stat of the pipeline `local`.
pub fn local_stat(jobs: &mut Jobs) -> PipelineStat {
    pipeline_stat(jobs, "local").expect("the pipeline local")
}

impl JobsServer {
    /// Pushes `job` and waits until the worker recorded it; returns the job's id and the pid
    /// of the worker that got it.
    pub fn push_and_wait(&self, jobs: &mut Jobs, job: Job) -> (String, i32) {
        let id = jobs.push(job).expect("push");
        let pid = self.wait_delivered(&id, 1)[0].pid;
        (id, pid)
    }

    /// The deliveries of the job `id` so far, in the order they came.
    pub fn delivered(&self, id: &str) -> Vec<Delivery> {
        let mut records = self.deliveries();
        records.retain(|d| d.id == id);
        records
    }

    /// Waits up to 30 s until the job `id` was delivered `n` times or more; returns its
    /// deliveries.
    pub fn wait_delivered(&self, id: &str, n: usize) -> Vec<Delivery> {
        let what = format!("{n} deliveries of {id}");
        let mut records = self.wait_deliveries(&what, |r| deliveries_of(r, id).len() >= n);
        records.retain(|d| d.id == id);
        records
    }

    /// The payload and the headers (as JSON) the worker kept of a `keep` job.
    pub fn kept(&self, id: &str) -> (Vec<u8>, serde_json::Value) {
        let payload = std::fs::read(self.path(&format!("payload-{id}"))).expect("kept payload");
        let headers = std::fs::read(self.path(&format!("headers-{id}.json"))).expect("headers");
        (payload, serde_json::from_slice(&headers).expect("headers"))
    }

    /// Waits up to 30 s until `local` has nothing waiting, delayed or reserved; returns its
    /// stat then.
    pub fn wait_idle(&self, jobs: &mut Jobs) -> PipelineStat {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let s = local_stat(jobs);
            if s.active == 0 && s.delayed == 0 && s.reserved == 0 {
                return s;
            }
            assert!(Instant::now() < deadline, "{s:?}\n{}", self.log());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Watches for `watch` that the job `id` stays at `n` deliveries (one more fails it).
    pub fn assert_stays_delivered(&self, id: &str, n: usize, watch: Duration) {
        let until = Instant::now() + watch;
        while Instant::now() < until {
            let now = self.delivered(id).len();
            assert_eq!(now, n, "deliveries of {id}:\n{}", self.log());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits up to 30 s until the worker `pid` has exited (`what` says why it should).
    pub fn wait_worker_gone(&self, pid: i32, what: &str) {
        let alive = crate::wait_gone(&[pid], Duration::from_secs(30));
        assert!(
            alive.is_empty(),
            "{what}: {pid} still runs:\n{}",
            self.log()
        );
    }
}

impl crate::JobsConfig {
    /// Adds a pool supervisor that kills a worker whose task runs past 1 s (`exec_ttl`).
    pub fn exec_ttl_1s(mut self) -> Self {
        self.pool_extra += "    supervisor:\n      exec_ttl: 1s\n      watch_tick: 100ms\n";
        self
    }
}
