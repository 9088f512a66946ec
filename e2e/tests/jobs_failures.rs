//! What the memory driver does with a job whose worker dies: SIGKILL mid-task, and a task
//! past `exec_ttl` (rr kills the worker). Both fall back to the driver's default nack, which
//! for memory drops the job; rr replaces the worker, and the next job is served.

use std::time::{Duration, Instant};

use rr_e2e::{JobsConfig, JobsServer, local_job, local_stat, sibling_binary};
use rr_jobs::Jobs;
use rustix::process::{Pid, Signal, kill_process};

/// rr with one jobs worker, and a long task (`sleep` for `ms`) pushed and delivered to it:
/// returns rr, the producer, the task's id and the worker's pid.
fn long_task(cfg: JobsConfig, ms: &str) -> (JobsServer, Jobs, String, i32) {
    let rr = JobsServer::start(cfg);
    let mut jobs = rr.jobs();
    let (id, pid) = rr.push_and_wait(&mut jobs, local_job("sleep", ms.to_owned()));
    (rr, jobs, id, pid)
}

fn one_worker() -> JobsConfig {
    JobsConfig::memory(sibling_binary("e2e-jobs-worker"), 1)
}

/// Watches for two seconds that `id` is not delivered again (a redelivery fails it).
fn assert_not_redelivered(rr: &JobsServer, id: &str) {
    rr.assert_stays_delivered(id, 1, Duration::from_secs(2));
}

/// Pushes an `ack` job and waits until a worker other than `dead` consumed it.
fn next_job_is_served_by_a_new_worker(rr: &JobsServer, jobs: &mut Jobs, dead: i32) {
    let (_, by) = rr.push_and_wait(jobs, local_job("ack", ""));
    assert_ne!(by, dead);
}

#[test]
fn memory_drops_a_job_whose_worker_is_sigkilled_mid_task() {
    let (rr, mut jobs, id, pid) = long_task(one_worker(), "60000");
    kill_process(Pid::from_raw(pid).unwrap(), Signal::KILL).unwrap();
    assert_not_redelivered(&rr, &id);
    next_job_is_served_by_a_new_worker(&rr, &mut jobs, pid);
    // rr updates its counters after the ack it logs, so a loaded machine can still see the
    // last job as active for a moment: poll, then assert.
    let deadline = Instant::now() + Duration::from_secs(10);
    let counts = loop {
        let s = local_stat(&mut jobs);
        if (s.active, s.delayed) == (0, 0) || Instant::now() > deadline {
            break (s.active, s.delayed);
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(counts, (0, 0), "the killed job is gone, not queued");
}

#[test]
fn memory_drops_a_job_past_exec_ttl() {
    let (rr, mut jobs, id, pid) = long_task(one_worker().exec_ttl_1s(), "60000");
    rr.wait_worker_gone(pid, "exec_ttl did not kill it");
    assert_not_redelivered(&rr, &id);
    next_job_is_served_by_a_new_worker(&rr, &mut jobs, pid);
}

#[test]
fn a_sigtermed_worker_finishes_its_task_acks_it_and_exits() {
    let (rr, mut jobs, id, pid) = long_task(one_worker(), "1500");
    kill_process(Pid::from_raw(pid).unwrap(), Signal::TERM).unwrap();
    // The task in flight is finished and acknowledged (rr logs it processed), then the worker
    // exits and rr replaces it.
    rr.wait_worker_gone(pid, "it did not exit");
    let processed = rr
        .log()
        .lines()
        .any(|l| l.contains("job was processed successfully") && l.contains(&id));
    assert!(processed, "{id} was not acknowledged:\n{}", rr.log());
    assert_not_redelivered(&rr, &id);
    next_job_is_served_by_a_new_worker(&rr, &mut jobs, pid);
}
