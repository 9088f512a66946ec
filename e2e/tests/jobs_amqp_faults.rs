//! RabbitMQ under faults, through the real rr and its `amqp` driver, every job counted by id:
//! rr stopped with SIGTERM during long tasks, RabbitMQ restarted while 10,000 jobs flow through
//! 4 workers, and two rr servers (as two hosts would run them) sharing one queue.
//! Each test prints its figures (`cargo test ... -- --nocapture` shows them).

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

use rr_brokers::{Broker, Kind};
use rr_e2e::{BrokerDriver, BrokerPipeline, JobsConfig, JobsServer, sibling_binary};
use rr_jobs::{Job, Jobs};

fn worker() -> std::path::PathBuf {
    sibling_binary("e2e-jobs-worker")
}

fn connect(rr: &JobsServer) -> Jobs {
    rr.jobs()
}

/// How often each id was delivered, over all the servers given.
fn counts(servers: &[&JobsServer]) -> HashMap<String, usize> {
    let mut seen = HashMap::new();
    for rr in servers {
        for d in rr.deliveries() {
            *seen.entry(d.id).or_insert(0) += 1;
        }
    }
    seen
}

/// Waits until every id in `ids` was delivered by one of `servers`, or until nothing new has
/// arrived for `quiet` (or `limit` passed); returns the ids never delivered.
fn wait_all(servers: &[&JobsServer], ids: &BTreeSet<String>, limit: Duration) -> Vec<String> {
    let quiet = Duration::from_secs(15);
    let deadline = Instant::now() + limit;
    let (mut last_len, mut last_change) = (0, Instant::now());
    loop {
        let seen = counts(servers);
        let missing: Vec<String> = ids
            .iter()
            .filter(|id| !seen.contains_key(*id))
            .cloned()
            .collect();
        if seen.len() != last_len {
            (last_len, last_change) = (seen.len(), Instant::now());
        }
        if missing.is_empty() || Instant::now() > deadline || last_change.elapsed() > quiet {
            return missing;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Pushes `n` `ack` jobs with ids `{prefix}-{i}` in batches of 500; a failed batch is pushed
/// again (same ids) until it goes in, reconnecting each time. Returns the ids, all pushed.
fn push_acks(
    rr: &JobsServer,
    prefix: &str,
    n: usize,
    mut between: impl FnMut(usize),
) -> BTreeSet<String> {
    let mut jobs = connect(rr);
    let ids: Vec<String> = (0..n).map(|i| format!("{prefix}-{i}")).collect();
    let deadline = Instant::now() + Duration::from_secs(120);
    for (k, chunk) in ids.chunks(500).enumerate() {
        between(k * 500);
        loop {
            let batch = chunk
                .iter()
                .map(|id| Job::new("ack", "x").pipeline("local").with_id(id));
            match jobs.push_batch(batch) {
                Ok(_) => break,
                Err(e) => {
                    assert!(
                        Instant::now() < deadline,
                        "pushing never recovered: {e}\n{}",
                        rr.log()
                    );
                    std::thread::sleep(Duration::from_millis(200));
                    if let Ok(fresh) = Jobs::connect(&rr.rpc, Duration::from_secs(10)) {
                        jobs = fresh;
                    }
                }
            }
        }
    }
    ids.into_iter().collect()
}

#[test]
fn amqp_loses_no_job_when_rr_is_stopped_with_sigterm_during_long_tasks() {
    let pipeline = BrokerPipeline::shared(BrokerDriver::Amqp);
    let mut first = JobsServer::start(pipeline.config(worker(), 2));
    let mut jobs = connect(&first);
    // 2 workers, 10 tasks of 1.5 s each: two run, eight wait in rr or in RabbitMQ.
    let ids: BTreeSet<String> = (0..10)
        .map(|i| {
            let job = Job::new("sleep", "1500")
                .pipeline("local")
                .with_id(format!("long-{i}"));
            jobs.push(job).unwrap()
        })
        .collect();
    first.wait_deliveries("two running tasks", |r| r.len() >= 2);
    let stopping = Instant::now();
    let code = first.stop(Duration::from_secs(30));
    let stop_took = stopping.elapsed();
    let in_first = counts(&[&first]);
    // A second rr on the same queue takes whatever the first handed back.
    let second = JobsServer::start(pipeline.config(worker(), 2));
    let missing = wait_all(
        &[&second],
        &ids.iter()
            .filter(|i| !in_first.contains_key(*i))
            .cloned()
            .collect(),
        Duration::from_secs(60),
    );
    let seen = counts(&[&first, &second]);
    let lost: Vec<&String> = ids.iter().filter(|i| !seen.contains_key(*i)).collect();
    let duplicates: usize = seen.values().map(|n| n - 1).sum();
    let mut twice: Vec<&String> = seen
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(id, _)| id)
        .collect();
    twice.sort();
    eprintln!(
        "SIGTERM during long amqp tasks: rr exited {code:?} after {stop_took:.1?}; \
         {} consumed before the stop, {} after by a second rr, {} lost, {duplicates} duplicates \
         {twice:?}",
        in_first.len(),
        counts(&[&second]).len(),
        lost.len()
    );
    assert!(
        missing.is_empty() && lost.is_empty(),
        "lost {lost:?}\n{}",
        first.log()
    );
    assert!(
        in_first.len() >= 2,
        "the running tasks were consumed before the stop"
    );
}

#[test]
fn rabbitmq_restarted_while_10000_jobs_flow_through_4_workers_loses_none() {
    let base = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let mut mq = Broker::start(Kind::RabbitMq, base).expect("start a private RabbitMQ");
    let pipeline = BrokerPipeline::new(BrokerDriver::Amqp, Some(mq.addr()));
    let rr = JobsServer::start(pipeline.config(worker(), 4));
    let started = Instant::now();
    let mut down_for = Duration::ZERO;
    let ids = push_acks(&rr, "mq-restart", 10_000, |pushed| {
        // Once 4,000 are in, and some consumed, RabbitMQ goes down and comes back.
        if pushed == 4_000 {
            let _ = rr.wait_deliveries("a flow of jobs", |r| r.len() >= 1_000);
            down_for = mq.restart().expect("restart RabbitMQ");
        }
    });
    let missing = wait_all(&[&rr], &ids, Duration::from_secs(120));
    let seen = counts(&[&rr]);
    let duplicates: usize = seen.values().map(|n| n - 1).sum();
    let stray = seen.keys().filter(|k| !ids.contains(*k)).count();
    eprintln!(
        "RabbitMQ restart under load: down {down_for:.1?}; {} pushed, {} consumed, {} lost \
         {missing:?}, {duplicates} duplicates, in {:.1?}",
        ids.len(),
        seen.len(),
        missing.len(),
        started.elapsed()
    );
    assert!(
        missing.is_empty(),
        "jobs lost across the restart: {missing:?}"
    );
    assert_eq!(stray, 0);
}

#[test]
fn two_rr_servers_share_one_rabbitmq_queue_and_lose_nothing() {
    let shared = BrokerPipeline::shared(BrokerDriver::Amqp);
    let config = |shared: &BrokerPipeline| -> JobsConfig { shared.config(worker(), 2) };
    let a = JobsServer::start(config(&shared));
    let b = JobsServer::start(config(&shared));
    let ids = push_acks(&a, "two-hosts", 10_000, |_| {});
    let missing = wait_all(&[&a, &b], &ids, Duration::from_secs(120));
    let (in_a, in_b) = (counts(&[&a]), counts(&[&b]));
    let seen = counts(&[&a, &b]);
    let duplicates: usize = seen.values().map(|n| n - 1).sum();
    eprintln!(
        "two rr on one queue: {} pushed through the first; consumed {} by the first, {} by the \
         second, {} lost, {duplicates} duplicates",
        ids.len(),
        in_a.len(),
        in_b.len(),
        missing.len()
    );
    assert!(missing.is_empty(), "lost {missing:?}");
    assert!(
        !in_a.is_empty() && !in_b.is_empty(),
        "both servers' workers consumed"
    );
}
