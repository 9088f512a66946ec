//! What rr v2025.1.15 does with replies `rr_jobs` never sends (`e2e-jobs-raw-worker` answers a
//! job's first delivery with its payload verbatim), each beside the form `rr_jobs` sends: the
//! job comes back after a correct requeue, and is silently acknowledged, so lost, otherwise.

use std::time::{Duration, Instant};

use rr_e2e::{JobsConfig, JobsServer, sibling_binary};
use rr_jobs::Job;

/// Pushes each `(name, reply)` job; returns how often each was delivered once everything
/// settled (a requeued job comes back once, then the worker acks it).
fn deliveries(cases: &[(&str, &str)]) -> (Vec<usize>, String) {
    let rr = JobsServer::start(JobsConfig::memory(sibling_binary("e2e-jobs-raw-worker"), 1));
    let mut jobs = rr.jobs();
    let ids: Vec<String> = cases
        .iter()
        .map(|(name, reply)| {
            jobs.push(Job::new(*name, reply.to_string()).pipeline("local"))
                .unwrap()
        })
        .collect();
    rr.wait_deliveries("every job once", |r| {
        ids.iter().all(|id| r.iter().any(|d| &d.id == id))
    });
    // Then a marker job, pushed last and acked at once: when it is consumed, every requeue
    // without delay above has come back.
    let marker = jobs
        .push(Job::new("marker", r#"{"type":2,"data":{}}"#).pipeline("local"))
        .unwrap();
    rr.wait_deliveries("the marker", |r| r.iter().any(|d| d.id == marker));
    let until = Instant::now() + Duration::from_millis(500);
    while Instant::now() < until {
        std::thread::sleep(Duration::from_millis(50));
    }
    let records = rr.deliveries();
    let counts = ids
        .iter()
        .map(|id| records.iter().filter(|d| &d.id == id).count())
        .collect();
    (counts, rr.log())
}

#[test]
fn requeue_headers_as_an_array_lose_the_job() {
    let (counts, log) = deliveries(&[
        (
            "object",
            r#"{"type":4,"data":{"message":"m","delay_seconds":0,"headers":{"a":["1"]}}}"#,
        ),
        (
            "array",
            r#"{"type":4,"data":{"message":"m","delay_seconds":0,"headers":[["a","1"]]}}"#,
        ),
    ]);
    assert_eq!(
        counts,
        [2, 1],
        "the object form comes back, the array form is gone"
    );
    assert!(log.contains("response handler error"), "{log}");
}

#[test]
fn the_nack_key_is_requeue_and_redelivery_is_ignored() {
    let (counts, _) = deliveries(&[
        (
            "requeue",
            r#"{"type":3,"data":{"message":"m","requeue":true,"delay_seconds":0}}"#,
        ),
        (
            "redelivery",
            r#"{"type":3,"data":{"message":"m","redelivery":true,"delay_seconds":0}}"#,
        ),
    ]);
    assert_eq!(counts, [2, 1]);
}

#[test]
fn invalid_json_an_unknown_type_and_a_stream_reply_do_not_requeue() {
    let (counts, log) = deliveries(&[
        ("not-json", "this is not json"),
        ("unknown-type", r#"{"type":9,"data":{"requeue":true}}"#),
        ("stream", r#"{"type":4,"data":{"headers":{}}}"#),
        (
            "deprecated-error",
            r#"{"type":1,"data":{"requeue":true,"headers":{}}}"#,
        ),
    ]);
    // The deprecated type 1 with requeue does requeue; the other three are gone.
    assert_eq!(counts, [1, 1, 1, 2], "{log}");
    assert!(log.contains("unknown response type"), "{log}");
}
