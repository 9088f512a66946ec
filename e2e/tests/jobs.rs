//! Jobs through the real rr (memory driver): pushed from Rust with `rr_jobs::Jobs`, consumed
//! by `e2e-jobs-worker` (on `rr_jobs`), every reply type and failure answered as promised.

use std::time::Duration;

use rr_e2e::{Delivery, JobsConfig, JobsServer, sibling_binary};
use rr_jobs::{Job, Jobs, PipelineStat};

fn server(workers: u32) -> JobsServer {
    JobsServer::start(JobsConfig::memory(
        sibling_binary("e2e-jobs-worker"),
        workers,
    ))
}

fn local_stat(jobs: &mut Jobs) -> PipelineStat {
    jobs.stat()
        .unwrap()
        .into_iter()
        .find(|s| s.pipeline == "local")
        .expect("local")
}

fn of<'a>(records: &'a [Delivery], id: &str) -> Vec<&'a Delivery> {
    records.iter().filter(|d| d.id == id).collect()
}

/// Waits until the pipeline has nothing waiting, delayed or reserved.
fn wait_idle(rr: &JobsServer, jobs: &mut Jobs) -> PipelineStat {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let s = local_stat(jobs);
        if s.active == 0 && s.delayed == 0 && s.reserved == 0 {
            return s;
        }
        assert!(std::time::Instant::now() < deadline, "{s:?}\n{}", rr.log());
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn one_job_is_consumed_exactly_once_and_acked() {
    let rr = server(2);
    let mut jobs = rr.jobs();
    let id = jobs
        .push(Job::new("ack", "hello").pipeline("local"))
        .unwrap();
    let records = rr.wait_deliveries("the job", |r| !of(r, &id).is_empty());
    let d = &of(&records, &id)[0];
    assert_eq!(
        (
            d.job.as_str(),
            d.pipeline.as_str(),
            d.driver.as_str(),
            d.len
        ),
        ("ack", "local", "memory", 5)
    );
    // A later job arrives after the first was answered; the first never comes again.
    let next = jobs.push(Job::new("ack", "").pipeline("local")).unwrap();
    let records = rr.wait_deliveries("the second job", |r| !of(r, &next).is_empty());
    wait_idle(&rr, &mut jobs);
    assert_eq!(of(&rr.deliveries(), &id).len(), 1, "{records:?}");
    assert!(
        rr.log().contains("job was processed successfully"),
        "{}",
        rr.log()
    );
}

#[test]
fn rr_refuses_a_push_with_an_empty_id() {
    use prost::Message;
    let rr = server(1);
    let mut rpc = goridge::RpcClient::connect(&rr.rpc, Duration::from_secs(10)).unwrap();
    let job = rr_proto::jobs::v1::Job {
        job: "ack".into(),
        options: Some(rr_proto::jobs::v1::Options {
            pipeline: "local".into(),
            ..Default::default()
        }),
        ..Default::default()
    };
    let arg = rr_proto::jobs::v1::PushRequest { job: Some(job) }.encode_to_vec();
    let err = rpc
        .call_raw("jobs.Push", goridge::Flags::CODEC_PROTO, &arg)
        .unwrap_err();
    assert!(
        err.to_string().contains("empty ID field not allowed"),
        "{err}"
    );
}

#[test]
fn a_1_mib_binary_payload_and_multi_valued_headers_arrive_byte_for_byte() {
    let rr = server(1);
    let mut jobs = rr.jobs();
    let payload: Vec<u8> = (0..1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let job = Job::new("keep", payload.clone())
        .pipeline("local")
        .header("tag", "first")
        .header("tag", "second, with comma")
        .header("tag", "")
        .header("Other-Case", "ünïcode \"quoted\"");
    let id = jobs.push(job).unwrap();
    rr.wait_deliveries("the big job", |r| !of(r, &id).is_empty());
    wait_idle(&rr, &mut jobs);
    let got = std::fs::read(rr.path(&format!("payload-{id}"))).unwrap();
    assert!(
        got == payload,
        "payload differs: {} bytes vs {}",
        got.len(),
        payload.len()
    );
    let headers: serde_json::Value =
        serde_json::from_slice(&std::fs::read(rr.path(&format!("headers-{id}.json"))).unwrap())
            .unwrap();
    assert_eq!(
        headers["tag"],
        serde_json::json!(["first", "second, with comma", ""])
    );
    assert_eq!(
        headers["Other-Case"],
        serde_json::json!(["ünïcode \"quoted\""])
    );
    let stat = local_stat(&mut jobs);
    assert_eq!(
        (stat.active, stat.delayed, stat.reserved, stat.ready),
        (0, 0, 0, true)
    );
    assert_eq!(stat.driver, "memory");
}

#[test]
fn nack_with_requeue_and_delay_comes_back_no_sooner_than_the_delay() {
    let rr = server(1);
    let mut jobs = rr.jobs();
    let id = jobs
        .push(Job::new("nack-requeue-2s", "").pipeline("local"))
        .unwrap();
    let records = rr.wait_deliveries("the requeued delivery", |r| of(r, &id).len() >= 2);
    let d = of(&records, &id);
    let gap = d[1].at_ms - d[0].at_ms;
    assert!(
        gap >= 2000,
        "came back after {gap} ms, before the 2 s delay"
    );
    wait_idle(&rr, &mut jobs);
    assert_eq!(of(&rr.deliveries(), &id).len(), 2, "acked the second time");
}

#[test]
fn requeue_with_an_attempts_header_counts_up() {
    let rr = server(1);
    let mut jobs = rr.jobs();
    let id = jobs.push(Job::new("count", "").pipeline("local")).unwrap();
    rr.wait_deliveries("four deliveries", |r| of(r, &id).len() >= 4);
    wait_idle(&rr, &mut jobs);
    let records = rr.deliveries();
    let attempts: Vec<Option<&str>> = of(&records, &id)
        .iter()
        .map(|d| d.attempts.as_deref())
        .collect();
    assert_eq!(attempts, [None, Some("1"), Some("2"), Some("3")]);
}

#[test]
fn nack_without_requeue_is_gone_for_good() {
    let rr = server(1);
    let mut jobs = rr.jobs();
    let id = jobs
        .push(Job::new("nack-drop", "").pipeline("local"))
        .unwrap();
    rr.wait_deliveries("the dropped job", |r| !of(r, &id).is_empty());
    // Jobs pushed after it are consumed; it never comes back.
    let later: Vec<String> = (0..3)
        .map(|_| jobs.push(Job::new("ack", "").pipeline("local")).unwrap())
        .collect();
    rr.wait_deliveries("the later jobs", |r| {
        later.iter().all(|l| !of(r, l).is_empty())
    });
    let s = wait_idle(&rr, &mut jobs);
    assert_eq!((s.active, s.delayed), (0, 0));
    assert_eq!(of(&rr.deliveries(), &id).len(), 1);
}

#[test]
fn handler_error_and_panic_get_a_nack_without_requeue_and_the_worker_survives() {
    let rr = server(1);
    let mut jobs = rr.jobs();
    let pid = rr.worker_pids()[0];
    let fail = jobs.push(Job::new("fail", "").pipeline("local")).unwrap();
    let panic = jobs.push(Job::new("panic", "").pipeline("local")).unwrap();
    let next = jobs.push(Job::new("ack", "").pipeline("local")).unwrap();
    let records = rr.wait_deliveries("three jobs", |r| !of(r, &next).is_empty());
    wait_idle(&rr, &mut jobs);
    let records = [records, rr.deliveries()].concat();
    assert!(
        records.iter().all(|d| d.pid == pid),
        "one worker served all: {records:?}"
    );
    assert_eq!(rr.worker_pids(), [pid], "no worker was replaced");
    let records = rr.deliveries();
    assert_eq!(
        (of(&records, &fail).len(), of(&records, &panic).len()),
        (1, 1)
    );
    let log = rr.log();
    assert!(log.contains("the handler failed"), "{log}");
    assert!(log.contains("the handler panicked"), "{log}");
}

#[test]
fn with_a_requeue_policy_failed_jobs_come_back_and_succeed() {
    let cfg =
        JobsConfig::memory(sibling_binary("e2e-jobs-worker"), 1).env("E2E_JOBS_POLICY", "requeue");
    let rr = JobsServer::start(cfg);
    let mut jobs = rr.jobs();
    let pid = rr.worker_pids()[0];
    let fail = jobs
        .push(Job::new("fail-once", "").pipeline("local"))
        .unwrap();
    let panic = jobs
        .push(Job::new("panic-once", "").pipeline("local"))
        .unwrap();
    rr.wait_deliveries("both twice", |r| {
        of(r, &fail).len() >= 2 && of(r, &panic).len() >= 2
    });
    wait_idle(&rr, &mut jobs);
    let records = rr.deliveries();
    assert_eq!(
        (of(&records, &fail).len(), of(&records, &panic).len()),
        (2, 2)
    );
    for id in [&fail, &panic] {
        let d = of(&records, id);
        assert!(
            d[1].at_ms - d[0].at_ms >= 1000,
            "the policy's 1 s delay: {d:?}"
        );
    }
    assert_eq!(rr.worker_pids(), [pid]);
}
