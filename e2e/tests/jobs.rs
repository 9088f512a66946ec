//! Jobs through the real rr (memory driver): pushed from Rust with `rr_jobs::Jobs`, consumed
//! by `e2e-jobs-worker` (on `rr_jobs`), every reply type and failure answered as promised.

use std::time::Duration;

use rr_e2e::{
    JobsConfig, JobsServer, deliveries_of, local_job, local_stat, one_mib_keep_job, sibling_binary,
};

fn server(workers: u32) -> JobsServer {
    JobsServer::start(JobsConfig::memory(
        sibling_binary("e2e-jobs-worker"),
        workers,
    ))
}

#[test]
fn one_job_is_consumed_exactly_once_and_acked() {
    let rr = server(2);
    let mut jobs = rr.jobs();
    let (id, _) = rr.push_and_wait(&mut jobs, local_job("ack", "hello"));
    let d = &rr.delivered(&id)[0];
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
    rr.push_and_wait(&mut jobs, local_job("ack", ""));
    rr.wait_idle(&mut jobs);
    assert_eq!(rr.delivered(&id).len(), 1, "{:?}", rr.deliveries());
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
    let (job, payload) = one_mib_keep_job();
    let job = job.header("Other-Case", "ünïcode \"quoted\"");
    let (id, _) = rr.push_and_wait(&mut jobs, job);
    rr.wait_idle(&mut jobs);
    let (got, headers) = rr.kept(&id);
    assert!(
        got == payload,
        "payload differs: {} bytes vs {}",
        got.len(),
        payload.len()
    );
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
    let id = jobs.push(local_job("nack-requeue-2s", "")).unwrap();
    let d = rr.wait_delivered(&id, 2);
    let gap = d[1].at_ms - d[0].at_ms;
    assert!(
        gap >= 2000,
        "came back after {gap} ms, before the 2 s delay"
    );
    rr.wait_idle(&mut jobs);
    assert_eq!(rr.delivered(&id).len(), 2, "acked the second time");
}

#[test]
fn requeue_with_an_attempts_header_counts_up() {
    let rr = server(1);
    let mut jobs = rr.jobs();
    let id = jobs.push(local_job("count", "")).unwrap();
    rr.wait_delivered(&id, 4);
    rr.wait_idle(&mut jobs);
    let d = rr.delivered(&id);
    let attempts: Vec<Option<&str>> = d.iter().map(|d| d.attempts.as_deref()).collect();
    assert_eq!(attempts, [None, Some("1"), Some("2"), Some("3")]);
}

#[test]
fn nack_without_requeue_is_gone_for_good() {
    let rr = server(1);
    let mut jobs = rr.jobs();
    let id = jobs.push(local_job("nack-drop", "")).unwrap();
    rr.wait_delivered(&id, 1);
    // Jobs pushed after it are consumed; it never comes back.
    let later: Vec<String> = (0..3)
        .map(|_| jobs.push(local_job("ack", "")).unwrap())
        .collect();
    rr.wait_deliveries("the later jobs", |r| {
        later.iter().all(|l| !deliveries_of(r, l).is_empty())
    });
    let s = rr.wait_idle(&mut jobs);
    assert_eq!((s.active, s.delayed), (0, 0));
    assert_eq!(rr.delivered(&id).len(), 1);
}

#[test]
fn handler_error_and_panic_get_a_nack_without_requeue_and_the_worker_survives() {
    let rr = server(1);
    let mut jobs = rr.jobs();
    let pid = rr.worker_pids()[0];
    let fail = jobs.push(local_job("fail", "")).unwrap();
    let panic = jobs.push(local_job("panic", "")).unwrap();
    let next = jobs.push(local_job("ack", "")).unwrap();
    let records = rr.wait_deliveries("three jobs", |r| !deliveries_of(r, &next).is_empty());
    rr.wait_idle(&mut jobs);
    let records = [records, rr.deliveries()].concat();
    assert!(
        records.iter().all(|d| d.pid == pid),
        "one worker served all: {records:?}"
    );
    assert_eq!(rr.worker_pids(), [pid], "no worker was replaced");
    assert_eq!(
        (rr.delivered(&fail).len(), rr.delivered(&panic).len()),
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
    let fail = jobs.push(local_job("fail-once", "")).unwrap();
    let panic = jobs.push(local_job("panic-once", "")).unwrap();
    rr.wait_deliveries("both twice", |r| {
        deliveries_of(r, &fail).len() >= 2 && deliveries_of(r, &panic).len() >= 2
    });
    rr.wait_idle(&mut jobs);
    assert_eq!(
        (rr.delivered(&fail).len(), rr.delivered(&panic).len()),
        (2, 2)
    );
    for id in [&fail, &panic] {
        let d = rr.delivered(id);
        assert!(
            d[1].at_ms - d[0].at_ms >= 1000,
            "the policy's 1 s delay: {d:?}"
        );
    }
    assert_eq!(rr.worker_pids(), [pid]);
}
