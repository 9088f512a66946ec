//! Pipelines managed from Rust through the real rr (memory driver): pause and resume, a
//! pipeline declared at runtime, destroy, priorities, and a push batch failing partway.

use std::time::{Duration, Instant};

use rr_e2e::{
    Delivery, JobsConfig, JobsServer, local_job, local_stat, pipeline_stat, sibling_binary,
};
use rr_jobs::{Job, JobsError, Memory, RpcError};

fn server() -> JobsServer {
    JobsServer::start(JobsConfig::memory(sibling_binary("e2e-jobs-worker"), 1))
}

fn ids(records: &[Delivery]) -> Vec<&str> {
    records.iter().map(|d| d.id.as_str()).collect()
}

/// Watches for one second that nothing is delivered (a negative check: a delivery fails it).
fn assert_nothing_delivered_for_a_second(rr: &JobsServer, what: &str) {
    let until = Instant::now() + Duration::from_secs(1);
    while Instant::now() < until {
        assert!(rr.deliveries().is_empty(), "{what}: {:?}", rr.deliveries());
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn pause_stops_delivery_and_resume_restarts_it() {
    let rr = server();
    let mut jobs = rr.jobs();
    jobs.pause(&["local"]).unwrap();
    assert!(!local_stat(&mut jobs).ready, "paused");
    let id = jobs.push(local_job("ack", "")).unwrap();
    assert_nothing_delivered_for_a_second(&rr, "delivered while paused");
    // rr v2025.1.15's memory driver counts as `active` only the jobs it handed to rr's queue
    // (in flight); a job waiting in a paused pipeline is counted nowhere.
    let paused = local_stat(&mut jobs);
    assert_eq!((paused.active, paused.delayed, paused.reserved), (0, 0, 0));
    // Its `queue` is the pipeline's name, though tasks carry no `queue` key.
    assert_eq!(paused.queue, "local");
    jobs.resume(&["local"]).unwrap();
    let records = rr.wait_deliveries("the job after resume", |r| !r.is_empty());
    assert_eq!(ids(&records), [id.as_str()]);
    assert!(local_stat(&mut jobs).ready);
}

#[test]
fn a_pipeline_declared_at_runtime_consumes_after_resume_and_destroy_removes_it() {
    let rr = server();
    let mut jobs = rr.jobs();
    jobs.declare(Memory::new("runtime").priority(3).prefetch(100))
        .unwrap();
    let mut list = jobs.list().unwrap();
    list.sort();
    assert_eq!(list, ["local", "runtime"]);
    let s = pipeline_stat(&mut jobs, "runtime").expect("declared");
    assert_eq!(
        (s.driver.as_str(), s.ready, s.priority),
        ("memory", false, 3)
    );

    let id = jobs.push(Job::new("ack", "").pipeline("runtime")).unwrap();
    assert_nothing_delivered_for_a_second(&rr, "a declared pipeline consumed before resume");
    jobs.resume(&["runtime"]).unwrap();
    let records = rr.wait_deliveries("the runtime job", |r| !r.is_empty());
    assert_eq!(
        (records[0].id.as_str(), records[0].pipeline.as_str()),
        (id.as_str(), "runtime")
    );

    // Declaring it again is refused.
    let err = jobs.declare(Memory::new("runtime")).unwrap_err();
    assert!(
        matches!(&err, JobsError::Rpc(RpcError::Remote { message, .. }) if message.contains("already exists")),
        "{err}"
    );

    assert_eq!(jobs.destroy(&["runtime"]).unwrap(), ["runtime"]);
    assert_eq!(jobs.list().unwrap(), ["local"]);
    assert!(pipeline_stat(&mut jobs, "runtime").is_none());
    let err = jobs
        .push(Job::new("ack", "").pipeline("runtime"))
        .unwrap_err();
    assert!(
        matches!(&err, JobsError::Rpc(RpcError::Remote { message, .. }) if message.contains("no such pipeline")),
        "{err}"
    );
}

#[test]
fn priorities_order_delivery_on_the_memory_driver() {
    // rr orders the jobs in its priority queue; its pollers (num_workers + 2 = 3 here) take
    // one each and wait for the worker. So the queue is filled while every poller is busy: one
    // with a sleeping task, two holding fillers. Jobs pushed to a paused pipeline would not do:
    // on resume the driver feeds them to the queue one by one while the pollers already take.
    let rr = server();
    let mut jobs = rr.jobs();
    let blocker = jobs.push(local_job("sleep", "1500")).unwrap();
    rr.wait_deliveries("the blocker", |r| ids(r).contains(&blocker.as_str()));
    for n in 0..2 {
        jobs.push(local_job("ack", "").with_id(format!("filler-{n}")))
            .unwrap();
    }
    // Low priority (a high number) pushed first, urgent ones last.
    let mut pushed = Vec::new();
    for priority in [50, 20, 1] {
        for n in 0..3 {
            let id = format!("p{priority}-{n}");
            let job = local_job("ack", "").with_id(&id).priority(priority);
            jobs.push(job).unwrap();
            pushed.push((priority, id));
        }
    }
    let records = rr.wait_deliveries("every job", |r| r.len() >= pushed.len() + 3);
    let order: Vec<i64> = records
        .iter()
        .filter_map(|d| pushed.iter().find(|(_, id)| *id == d.id).map(|(p, _)| *p))
        .collect();
    let mut sorted = order.clone();
    sorted.sort_unstable();
    assert_eq!(
        order,
        sorted,
        "delivered by priority, lowest first: {:?}",
        ids(&records)
    );
}

#[test]
fn a_push_batch_failing_partway_reports_which_jobs_went_in() {
    let rr = server();
    let mut jobs = rr.jobs();
    let batch = [
        ("b1", "local"),
        ("b2", "local"),
        ("b3", "missing"),
        ("b4", "local"),
    ]
    .map(|(id, p)| Job::new("ack", "").with_id(id).pipeline(p));
    let err = jobs.push_batch(batch).unwrap_err();
    let JobsError::PartialBatch {
        pushed,
        not_pushed,
        certain,
        source,
    } = err
    else {
        panic!("{err}");
    };
    assert!(certain, "{source}");
    assert_eq!(
        (pushed, not_pushed),
        (
            vec!["b1".to_owned(), "b2".into()],
            vec!["b3".to_owned(), "b4".into()]
        )
    );
    // What went in is consumed; nothing else is.
    let records = rr.wait_deliveries("b1 and b2", |r| r.len() >= 2);
    let mut got = ids(&records);
    got.sort_unstable();
    assert_eq!(got, ["b1", "b2"]);
    let ok = jobs
        .push_batch((0..3).map(|_| local_job("ack", "")))
        .unwrap();
    let records = rr.wait_deliveries("the full batch", |r| r.len() >= 5);
    assert!(ok.iter().all(|id| ids(&records).contains(&id.as_str())));
    assert!(!ids(&rr.deliveries()).contains(&"b4"));
}
