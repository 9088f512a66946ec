//! What the memory driver does with a job whose worker dies: SIGKILL mid-task, and a task
//! past `exec_ttl` (rr kills the worker). Both fall back to the driver's default nack, which
//! for memory drops the job; rr replaces the worker, and the next job is served.

use std::time::{Duration, Instant};

use rr_e2e::{JobsConfig, JobsServer, sibling_binary};
use rr_jobs::{Job, Jobs};
use rustix::process::{Pid, Signal, kill_process};

/// Watches for two seconds that `id` is not delivered again (a redelivery fails it).
fn assert_not_redelivered(rr: &JobsServer, id: &str) {
    let until = Instant::now() + Duration::from_secs(2);
    while Instant::now() < until {
        let n = rr.deliveries().iter().filter(|d| d.id == id).count();
        assert_eq!(n, 1, "{id} delivered again:\n{}", rr.log());
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Pushes an `ack` job and waits until a worker other than `dead` consumed it.
fn next_job_is_served_by_a_new_worker(rr: &JobsServer, jobs: &mut Jobs, dead: i32) {
    let id = jobs.push(Job::new("ack", "").pipeline("local")).unwrap();
    let records = rr.wait_deliveries("a job after the kill", |r| r.iter().any(|d| d.id == id));
    let by = records.iter().find(|d| d.id == id).unwrap().pid;
    assert_ne!(by, dead);
}

#[test]
fn memory_drops_a_job_whose_worker_is_sigkilled_mid_task() {
    let rr = JobsServer::start(JobsConfig::memory(sibling_binary("e2e-jobs-worker"), 1));
    let mut jobs = rr.jobs();
    let id = jobs
        .push(Job::new("sleep", "60000").pipeline("local"))
        .unwrap();
    let records = rr.wait_deliveries("the long task", |r| !r.is_empty());
    let pid = records[0].pid;
    kill_process(Pid::from_raw(pid).unwrap(), Signal::KILL).unwrap();
    assert_not_redelivered(&rr, &id);
    next_job_is_served_by_a_new_worker(&rr, &mut jobs, pid);
    // rr updates its counters after the ack it logs, so a loaded machine can still see the
    // last job as active for a moment: poll, then assert.
    let deadline = Instant::now() + Duration::from_secs(10);
    let counts = loop {
        let s = jobs
            .stat()
            .unwrap()
            .into_iter()
            .find(|s| s.pipeline == "local")
            .unwrap();
        if (s.active, s.delayed) == (0, 0) || Instant::now() > deadline {
            break (s.active, s.delayed);
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(counts, (0, 0), "the killed job is gone, not queued");
}

#[test]
fn memory_drops_a_job_past_exec_ttl() {
    let mut cfg = JobsConfig::memory(sibling_binary("e2e-jobs-worker"), 1);
    cfg.pool_extra = "    supervisor:\n      exec_ttl: 1s\n      watch_tick: 100ms\n".into();
    let rr = JobsServer::start(cfg);
    let mut jobs = rr.jobs();
    let id = jobs
        .push(Job::new("sleep", "60000").pipeline("local"))
        .unwrap();
    let records = rr.wait_deliveries("the long task", |r| !r.is_empty());
    let pid = records[0].pid;
    let deadline = Instant::now() + Duration::from_secs(30);
    while rr_e2e::pid_alive(pid) {
        assert!(
            Instant::now() < deadline,
            "exec_ttl did not kill {pid}:\n{}",
            rr.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_not_redelivered(&rr, &id);
    next_job_is_served_by_a_new_worker(&rr, &mut jobs, pid);
}

#[test]
fn a_sigtermed_worker_finishes_its_task_acks_it_and_exits() {
    let rr = JobsServer::start(JobsConfig::memory(sibling_binary("e2e-jobs-worker"), 1));
    let mut jobs = rr.jobs();
    let id = jobs
        .push(Job::new("sleep", "1500").pipeline("local"))
        .unwrap();
    let records = rr.wait_deliveries("the long task", |r| !r.is_empty());
    let pid = records[0].pid;
    kill_process(Pid::from_raw(pid).unwrap(), Signal::TERM).unwrap();
    // The task in flight is finished and acknowledged (rr logs it processed), then the worker
    // exits and rr replaces it.
    let deadline = Instant::now() + Duration::from_secs(30);
    while rr_e2e::pid_alive(pid) {
        assert!(
            Instant::now() < deadline,
            "{pid} did not exit:\n{}",
            rr.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let processed = rr
        .log()
        .lines()
        .any(|l| l.contains("job was processed successfully") && l.contains(&id));
    assert!(processed, "{id} was not acknowledged:\n{}", rr.log());
    assert_not_redelivered(&rr, &id);
    next_job_is_served_by_a_new_worker(&rr, &mut jobs, pid);
}
