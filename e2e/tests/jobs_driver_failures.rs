//! A worker SIGKILLed mid-task and a task past `exec_ttl`, per driver: both fall back to the
//! driver's default nack, and what that does is measured here (memory: `jobs_failures.rs`).
//!
//! | driver | worker SIGKILLed mid-task | task past `exec_ttl` |
//! |---|---|---|
//! | memory | dropped | dropped |
//! | amqp, `requeue_on_fail: true` | back in the queue, consumed again | back, consumed again |
//! | amqp, `requeue_on_fail: false` | rejected: gone | gone |
//! | beanstalk | deleted: gone (not even back after the TTR) | deleted: gone |
//! | boltdb | back in the queue, consumed again | back, consumed again |

use std::time::{Duration, Instant};

use rr_e2e::{BrokerDriver, BrokerPipeline, JobsServer, deliveries_of, local_job, sibling_binary};
use rustix::process::{Pid, Signal, kill_process};

/// How the worker dies.
#[derive(Clone, Copy, PartialEq)]
enum Death {
    Sigkill,
    ExecTtl,
}

/// Pushes a 60 s task, lets it die as `death` says, and returns the number of deliveries of
/// it seen: 2 as soon as it comes back, 1 when it did not within `watch`.
fn deliveries_after(pipeline: &BrokerPipeline, death: Death, watch: Duration) -> usize {
    let mut cfg = pipeline.config(sibling_binary("e2e-jobs-worker"), 1);
    if death == Death::ExecTtl {
        cfg = cfg.exec_ttl_1s();
    }
    let rr = JobsServer::start(cfg);
    let mut jobs = rr.jobs();
    let (id, pid) = rr.push_and_wait(&mut jobs, local_job("sleep", "60000"));
    if death == Death::Sigkill {
        kill_process(Pid::from_raw(pid).unwrap(), Signal::KILL).unwrap();
    }
    rr.wait_worker_gone(pid, "it did not die");
    let until = Instant::now() + watch;
    loop {
        let records = rr.deliveries();
        let of_id = deliveries_of(&records, &id);
        if of_id.len() >= 2 || Instant::now() > until {
            if let Some(again) = of_id.get(1) {
                assert_ne!(again.pid, pid, "redelivered to a new worker");
            }
            return of_id.len();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn amqp(requeue_on_fail: bool) -> BrokerPipeline {
    BrokerPipeline::shared(BrokerDriver::Amqp).requeue_on_fail(requeue_on_fail)
}

fn boltdb() -> BrokerPipeline {
    BrokerPipeline::new(BrokerDriver::Boltdb, None)
}

/// beanstalk with a 2 s TTR, watched past it, so a job merely left reserved would show up.
fn beanstalk_case(death: Death) -> usize {
    let mut pipeline = BrokerPipeline::shared(BrokerDriver::Beanstalk);
    pipeline.beanstalk_timeout = Duration::from_secs(2);
    deliveries_after(&pipeline, death, Duration::from_secs(4))
}

const BACK: Duration = Duration::from_secs(30);
const GONE: Duration = Duration::from_secs(3);

#[test]
fn amqp_with_requeue_on_fail_redelivers_a_sigkilled_task() {
    assert_eq!(deliveries_after(&amqp(true), Death::Sigkill, BACK), 2);
}

#[test]
fn amqp_with_requeue_on_fail_redelivers_a_task_past_exec_ttl() {
    assert_eq!(deliveries_after(&amqp(true), Death::ExecTtl, BACK), 2);
}

#[test]
fn amqp_without_requeue_on_fail_loses_a_sigkilled_task() {
    assert_eq!(deliveries_after(&amqp(false), Death::Sigkill, GONE), 1);
}

#[test]
fn amqp_without_requeue_on_fail_loses_a_task_past_exec_ttl() {
    assert_eq!(deliveries_after(&amqp(false), Death::ExecTtl, GONE), 1);
}

#[test]
fn beanstalk_deletes_a_sigkilled_task() {
    assert_eq!(beanstalk_case(Death::Sigkill), 1);
}

#[test]
fn beanstalk_deletes_a_task_past_exec_ttl() {
    assert_eq!(beanstalk_case(Death::ExecTtl), 1);
}

#[test]
fn boltdb_redelivers_a_sigkilled_task() {
    assert_eq!(deliveries_after(&boltdb(), Death::Sigkill, BACK), 2);
}

#[test]
fn boltdb_redelivers_a_task_past_exec_ttl() {
    assert_eq!(deliveries_after(&boltdb(), Death::ExecTtl, BACK), 2);
}
