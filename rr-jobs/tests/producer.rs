//! The producer against an in-memory rr RPC socket: the protobuf each method sends, the
//! replies it decodes, and the typed errors.

use goridge::{Flags, FrameHead, MemoryRelay, Options, Relay, RpcClient, RpcError};
use prost::Message;
use rr_jobs::{Job, Jobs, JobsError, Memory};
use rr_proto::jobs::v1 as pb;

/// Queues rr's replies (seq 1, 2, …): `Ok(body)` or `Err(error text)`.
fn rr_replying(replies: &[(&str, Result<Vec<u8>, &str>)]) -> (Jobs<MemoryRelay>, MemoryRelay) {
    let (relay, mut rr) = MemoryRelay::pair();
    for (seq, (method, reply)) in replies.iter().enumerate() {
        let (flags, body) = match reply {
            Ok(body) => (Flags::CODEC_PROTO, body.clone()),
            Err(text) => (Flags::CODEC_PROTO | Flags::ERROR, text.as_bytes().to_vec()),
        };
        let options = Options::from_slice(&[seq as u32 + 1, method.len() as u32]).unwrap();
        rr.send(
            &FrameHead::new(flags).with_options(options),
            &[method.as_bytes(), &body],
        )
        .unwrap();
    }
    (Jobs::new(RpcClient::new(relay)), rr)
}

/// The next call rr received: method and protobuf argument.
fn call(rr: &mut MemoryRelay) -> (String, Vec<u8>) {
    let frame = rr.receive().unwrap();
    assert!(frame.flags().contains(Flags::CODEC_PROTO), "protobuf codec");
    let len = frame.options()[1] as usize;
    let method = String::from_utf8(frame.payload[..len].to_vec()).unwrap();
    (method, frame.payload[len..].to_vec())
}

#[test]
fn push_sends_one_job_with_a_generated_id() {
    let (mut jobs, mut rr) = rr_replying(&[("jobs.Push", Ok(vec![]))]);
    let id = jobs
        .push(
            Job::new("mail", vec![0u8, 255])
                .pipeline("local")
                .priority(2)
                .header("a", "1")
                .header("a", "2"),
        )
        .unwrap();
    let (method, arg) = call(&mut rr);
    assert_eq!(method, "jobs.Push");
    let job = pb::PushRequest::decode(&arg[..]).unwrap().job.unwrap();
    assert_eq!(job.id, id);
    assert_eq!(uuid::Uuid::parse_str(&id).unwrap().get_version_num(), 4);
    assert_eq!(&job.payload[..], [0, 255]);
    assert_eq!(job.headers["a"].value, ["1", "2"]);
    let options = job.options.unwrap();
    assert_eq!((options.pipeline.as_str(), options.priority), ("local", 2));
}

#[test]
fn rr_errors_are_remote_errors_with_its_text() {
    let (mut jobs, _rr) = rr_replying(&[("jobs.Push", Err("no such pipeline, requested: nope"))]);
    let err = jobs.push(Job::new("a", "").pipeline("nope")).unwrap_err();
    assert!(
        matches!(&err, JobsError::Rpc(RpcError::Remote { message, .. }) if message.contains("requested: nope")),
        "{err}"
    );
}

/// The pushed ids, the ids not pushed and `certain` of a [`JobsError::PartialBatch`] (any
/// other error fails the test).
fn partial_batch(err: JobsError) -> (Vec<String>, Vec<String>, bool) {
    match err {
        JobsError::PartialBatch {
            pushed,
            not_pushed,
            certain,
            ..
        } => (pushed, not_pushed, certain),
        other => panic!("not a partial batch: {other}"),
    }
}

#[test]
fn a_batch_failing_partway_reports_which_jobs_went_in() {
    let (mut jobs, _rr) = rr_replying(&[(
        "jobs.PushBatch",
        Err("rpc_push_batch: jobs_plugin_push_batch: no such pipeline, requested: missing-2"),
    )]);
    let batch = [
        ("1", "local"),
        ("2", "missing"),
        ("3", "missing-2"),
        ("4", "local"),
    ]
    .map(|(id, p)| Job::new("j", "").with_id(id).pipeline(p));
    let (pushed, not_pushed, certain) = partial_batch(jobs.push_batch(batch).unwrap_err());
    assert!(certain);
    assert_eq!(pushed, ["1", "2"]);
    assert_eq!(not_pushed, ["3", "4"]);
}

#[test]
fn a_batch_failing_for_another_reason_is_uncertain() {
    let (mut jobs, _rr) = rr_replying(&[("jobs.PushBatch", Err("broker closed"))]);
    let batch = ["1", "2"].map(|id| Job::new("j", "").with_id(id).pipeline("p"));
    let (pushed, not_pushed, certain) = partial_batch(jobs.push_batch(batch).unwrap_err());
    assert!(!certain);
    assert!(pushed.is_empty());
    assert_eq!(not_pushed, ["1", "2"]);
}

#[test]
fn a_job_without_pipeline_is_refused_before_sending() {
    let (mut jobs, mut rr) = rr_replying(&[]);
    assert!(matches!(
        jobs.push(Job::new("a", "")),
        Err(JobsError::NoPipeline { .. })
    ));
    assert!(rr.try_receive().unwrap().is_none());
}

#[test]
fn declare_list_pause_resume_destroy_stat() {
    let names = |n: &[&str]| {
        pb::Pipelines {
            pipelines: n.iter().map(|s| s.to_string()).collect(),
        }
        .encode_to_vec()
    };
    let stats = pb::Stats {
        stats: vec![pb::Stat {
            pipeline: "local".into(),
            driver: "memory".into(),
            active: 3,
            ready: true,
            priority: 10,
            ..Default::default()
        }],
    }
    .encode_to_vec();
    let (mut jobs, mut rr) = rr_replying(&[
        ("jobs.Declare", Ok(vec![])),
        ("jobs.List", Ok(names(&["local", "rt"]))),
        ("jobs.Pause", Ok(vec![])),
        ("jobs.Resume", Ok(vec![])),
        ("jobs.Destroy", Ok(names(&["rt"]))),
        ("jobs.Stat", Ok(stats)),
    ]);
    jobs.declare(Memory::new("rt").prefetch(7)).unwrap();
    let (method, arg) = call(&mut rr);
    let declared = pb::DeclareRequest::decode(&arg[..]).unwrap().pipeline;
    assert_eq!(method, "jobs.Declare");
    assert_eq!(declared.get("driver").map(String::as_str), Some("memory"));
    assert_eq!(declared.get("name").map(String::as_str), Some("rt"));
    assert_eq!(declared.get("prefetch").map(String::as_str), Some("7"));

    assert_eq!(jobs.list().unwrap(), ["local", "rt"]);
    assert_eq!(call(&mut rr).0, "jobs.List");
    jobs.pause(&["rt"]).unwrap();
    let (method, arg) = call(&mut rr);
    assert_eq!(
        (
            method.as_str(),
            pb::Pipelines::decode(&arg[..]).unwrap().pipelines
        ),
        ("jobs.Pause", vec!["rt".to_owned()])
    );
    jobs.resume(&["rt"]).unwrap();
    assert_eq!(call(&mut rr).0, "jobs.Resume");
    assert_eq!(jobs.destroy(&["rt"]).unwrap(), ["rt"]);
    assert_eq!(call(&mut rr).0, "jobs.Destroy");
    let stat = jobs.stat().unwrap();
    assert_eq!(
        (stat[0].pipeline.as_str(), stat[0].active, stat[0].ready),
        ("local", 3, true)
    );
}

#[test]
fn a_reply_that_is_not_protobuf_is_a_typed_error() {
    let (mut jobs, _rr) = rr_replying(&[("jobs.List", Ok(vec![0xff, 0xff, 0xff]))]);
    assert!(matches!(
        jobs.list(),
        Err(JobsError::BadReply {
            method: "jobs.List",
            ..
        })
    ));
}
