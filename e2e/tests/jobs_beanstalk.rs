//! What rr's beanstalk driver (v5.1.9, in rr v2025.1.15) really does with nacks and requeues,
//! pinned against the shared beanstalkd; each test on its own tube, with beanstalk's `timeout`
//! (every job's TTR) at 3 s.
//!
//! * NACK with requeue puts a copy back (after the delay) but leaves the original reserved: when
//!   its TTR runs out beanstalkd releases it and it is delivered once more.
//! * REQUEUE puts a copy and deletes the original, but the headers it adds are lost, like all
//!   headers (the driver gob-encodes an item whose headers field is unexported).
//! * NACK without requeue deletes the job.
//! * A task running past its TTR is released by beanstalkd and delivered again to another
//!   worker while the first still runs it (rr does not `touch` reserved jobs).
//! * `jobs.Stat` of a beanstalk pipeline reports beanstalkd's server-wide counters (`stats`),
//!   not its tube's (`stats-tube`): jobs of every tube count.

use std::time::Duration;

use rr_e2e::{BrokerDriver, BrokerPipeline, JobsServer, local_job, local_stat, sibling_binary};
use rr_jobs::Jobs;

const TTR: Duration = Duration::from_secs(3);

fn start(env: &[(&str, &str)]) -> (JobsServer, Jobs) {
    let mut pipeline = BrokerPipeline::shared(BrokerDriver::Beanstalk);
    pipeline.beanstalk_timeout = TTR;
    let mut cfg = pipeline.config(sibling_binary("e2e-jobs-worker"), 1);
    for (k, v) in env {
        cfg = cfg.env(k, v);
    }
    let rr = JobsServer::start(cfg);
    let jobs = rr.jobs();
    (rr, jobs)
}

/// Watches for `for_` that `id` is not delivered more than `n` times.
fn stays_at(rr: &JobsServer, id: &str, n: usize, for_: Duration) {
    rr.assert_stays_delivered(id, n, for_);
}

#[test]
fn beanstalk_nack_with_requeue_delivers_the_copy_and_later_the_original_again() {
    let (rr, mut jobs) = start(&[]);
    let id = jobs.push(local_job("nack-requeue-2s", "")).unwrap();
    let d = rr.wait_delivered(&id, 3);
    let (copy, original) = (d[1].at_ms - d[0].at_ms, d[2].at_ms - d[0].at_ms);
    assert!(
        copy >= 2000,
        "the copy came back after {copy} ms, before its 2 s delay"
    );
    // The TTR runs from the reservation, a moment before the worker records the delivery.
    assert!(
        original >= 2500,
        "the original came back after {original} ms, before its TTR"
    );
    // Both later deliveries were acked: nothing comes a fourth time.
    stays_at(&rr, &id, 3, TTR + Duration::from_secs(1));
}

#[test]
fn beanstalk_requeue_loses_the_headers_it_adds() {
    let (rr, mut jobs) = start(&[]);
    // `count` requeues with attempts + 1 until attempts reaches 3; with the header lost it
    // would requeue forever, so three deliveries are enough to see it.
    let id = jobs.push(local_job("count", "")).unwrap();
    let d = rr.wait_delivered(&id, 3);
    let attempts: Vec<Option<&str>> = d.iter().take(3).map(|d| d.attempts.as_deref()).collect();
    assert_eq!(
        attempts,
        [None, None, None],
        "beanstalk drops requeue headers"
    );
}

#[test]
fn beanstalk_nack_deletes_and_a_requeue_policy_retries_plus_the_ttr_redelivery() {
    let (rr, mut jobs) = start(&[("E2E_JOBS_POLICY", "requeue")]);
    let pid = rr.worker_pids()[0];
    let dropped = jobs.push(local_job("nack-drop", "")).unwrap();
    let fail = jobs.push(local_job("fail-once", "")).unwrap();
    rr.wait_delivered(&dropped, 1);
    let d = rr.wait_delivered(&fail, 3);
    assert!(
        d[1].at_ms - d[0].at_ms >= 1000,
        "the policy's 1 s delay: {d:?}"
    );
    stays_at(&rr, &dropped, 1, TTR + Duration::from_secs(1));
    assert_eq!(rr.delivered(&fail).len(), 3);
    assert_eq!(rr.worker_pids(), [pid]);
}

#[test]
fn beanstalk_stat_counts_the_jobs_of_every_tube_on_the_server() {
    use std::io::{BufRead, BufReader, Write};
    let base = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let beanstalkd = rr_brokers::Broker::start(rr_brokers::Kind::Beanstalk, base).unwrap();
    let pipeline = BrokerPipeline::new(BrokerDriver::Beanstalk, Some(beanstalkd.addr()));
    let rr = JobsServer::start(pipeline.config(sibling_binary("e2e-jobs-worker"), 1));
    let mut jobs = rr.jobs();
    // Two jobs put straight into another tube, which rr does not watch.
    let conn = std::net::TcpStream::connect(beanstalkd.addr()).unwrap();
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut line = String::new();
    (&conn).write_all(b"use elsewhere\r\n").unwrap();
    reader.read_line(&mut line).unwrap();
    for _ in 0..2 {
        (&conn).write_all(b"put 0 0 60 1\r\nx\r\n").unwrap();
        line.clear();
        reader.read_line(&mut line).unwrap();
        assert!(line.starts_with("INSERTED"), "{line}");
    }
    let stat = local_stat(&mut jobs);
    assert_eq!(
        (stat.active, stat.queue.as_str()),
        (2, pipeline.queue.as_str())
    );
}

#[test]
fn beanstalk_delivers_a_task_again_while_it_runs_past_its_ttr() {
    let mut pipeline = BrokerPipeline::shared(BrokerDriver::Beanstalk);
    pipeline.beanstalk_timeout = TTR;
    let rr = JobsServer::start(pipeline.config(sibling_binary("e2e-jobs-worker"), 2));
    let mut jobs = rr.jobs();
    let id = jobs.push(local_job("sleep", "5000")).unwrap();
    let d = rr.wait_delivered(&id, 2);
    assert_ne!(
        d[0].pid, d[1].pid,
        "the second worker got it while the first still ran it"
    );
    assert!(
        d[1].at_ms - d[0].at_ms < 5000,
        "delivered again before the first run ended"
    );
}
