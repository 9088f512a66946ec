//! The consumer against an in-memory rr: one reply per task for every outcome (ack, reply,
//! error, panic, drop, unreadable context), and the worker keeps serving afterwards.

use std::time::Duration;

use goridge::{Flags, FrameHead, MemoryRelay, Options, Relay};
use rr_jobs::{Consumer, FailurePolicy, Nack, Reply, Requeue, Task};
use rr_worker::Worker;
use serde_json::{Value, json};

/// Queues tasks (context, body) and then the stop command on the rr side.
fn rr_with(tasks: &[(&str, &[u8])]) -> (Consumer<MemoryRelay>, MemoryRelay) {
    let (relay, mut rr) = MemoryRelay::pair();
    for (context, body) in tasks {
        let head =
            FrameHead::new(Flags::CODEC_RAW).with_options(Options::one(context.len() as u32));
        rr.send(&head, &[context.as_bytes(), body]).unwrap();
    }
    rr.send(
        &FrameHead::new(Flags::CONTROL | Flags::CODEC_JSON),
        &[br#"{"stop":true}"#],
    )
    .unwrap();
    (Consumer::new(Worker::new(relay)), rr)
}

fn ctx(id: &str, job: &str) -> String {
    json!({"id": id, "job": job, "driver": "memory", "pipeline": "local", "headers": {"h": ["1", "2"]}})
        .to_string()
}

/// Every reply rr received, as JSON, checking each is one final non-error frame.
fn replies(rr: &mut MemoryRelay) -> Vec<Value> {
    let mut out = Vec::new();
    while let Some(frame) = rr.try_receive().unwrap() {
        assert!(!frame.flags().contains(Flags::ERROR));
        assert!(frame.stream().is_empty(), "no STREAM bit");
        assert_eq!(frame.options(), [0], "an empty context");
        out.push(serde_json::from_slice(&frame.payload).unwrap());
    }
    out
}

#[test]
fn serve_answers_ok_err_panic_and_replies_once_each_and_keeps_serving() {
    let (c1, c2, c3, c4, c5) = (
        ctx("1", "ok"),
        ctx("2", "err"),
        ctx("3", "panic"),
        ctx("4", "requeue"),
        ctx("5", "ok"),
    );
    let (mut consumer, mut rr) =
        rr_with(&[(&c1, b"a"), (&c2, b""), (&c3, b""), (&c4, b""), (&c5, b"e")]);
    let mut seen = Vec::new();
    consumer
        .serve(|task: &Task| {
            seen.push(task.id().to_owned());
            assert_eq!(task.headers().get_all("h"), ["1", "2"]);
            match task.name() {
                "err" => Err("it failed"),
                "panic" => panic!("boom {}", task.id()),
                "requeue" => Ok(Reply::from(Requeue::new("later").header("attempts", "1"))),
                _ => Ok(Reply::Ack),
            }
        })
        .unwrap();
    assert_eq!(seen, ["1", "2", "3", "4", "5"]);
    let r = replies(&mut rr);
    assert_eq!(r.len(), 5);
    assert_eq!(r[0], json!({"type": 2, "data": {}}));
    assert_eq!(
        r[1],
        json!({"type": 3, "data": {"message": "it failed", "requeue": false, "delay_seconds": 0}})
    );
    assert_eq!(r[2]["type"], 3);
    assert_eq!(r[2]["data"]["message"], "the handler panicked: boom 3");
    assert_eq!(
        r[3],
        json!({"type": 4, "data": {"message": "later", "delay_seconds": 0, "headers": {"attempts": ["1"]}}})
    );
    assert_eq!(r[4], json!({"type": 2, "data": {}}));
}

#[test]
fn the_policy_decides_what_failures_send() {
    let (c1, c2) = (ctx("1", "err"), ctx("2", "panic"));
    let (consumer, mut rr) = rr_with(&[(&c1, b""), (&c2, b"")]);
    let mut consumer = consumer.with_policy(FailurePolicy::requeue(Duration::from_secs(4)));
    consumer
        .serve(|task: &Task| -> Result<(), String> {
            if task.name() == "panic" {
                panic!("p");
            }
            Err("e".into())
        })
        .unwrap();
    for reply in replies(&mut rr) {
        assert_eq!(reply["type"], 3);
        assert_eq!(reply["data"]["requeue"], true);
        assert_eq!(reply["data"]["delay_seconds"], 4);
    }
}

#[test]
fn explicit_loop_every_answer_and_a_dropped_delivery_is_nacked() {
    let (c1, c2, c3, c4) = (ctx("1", "a"), ctx("2", "b"), ctx("3", "c"), ctx("4", "d"));
    let (mut consumer, mut rr) = rr_with(&[(&c1, b""), (&c2, b""), (&c3, b""), (&c4, b"")]);
    while let Some(delivery) = consumer.receive().unwrap() {
        match delivery.id() {
            "1" => delivery.ack().unwrap(),
            "2" => delivery
                .nack(Nack::new("n").requeue(true).delay(Duration::from_secs(2)))
                .unwrap(),
            "3" => delivery
                .requeue(Requeue::new("r").delay(Duration::from_secs(1)))
                .unwrap(),
            _ => drop(delivery),
        }
    }
    let types: Vec<_> = replies(&mut rr)
        .iter()
        .map(|r| (r["type"].clone(), r["data"]["message"].clone()))
        .collect();
    assert_eq!(
        types,
        [
            (json!(2), Value::Null),
            (json!(3), json!("n")),
            (json!(4), json!("r")),
            (json!(3), json!("the task was dropped without a reply")),
        ]
    );
}

#[test]
fn a_panic_in_the_explicit_loop_still_answers_the_task() {
    let c1 = ctx("1", "a");
    let (mut consumer, mut rr) = rr_with(&[(&c1, b"")]);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _delivery = consumer.receive().unwrap().unwrap();
        panic!("handler bug");
    }));
    assert!(result.is_err());
    let r = replies(&mut rr);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0]["type"], 3);
    assert!(
        consumer.receive().unwrap().is_none(),
        "then the stop command"
    );
}

#[test]
fn an_unreadable_context_is_nacked_and_the_next_task_served() {
    let c2 = ctx("2", "ok");
    let (mut consumer, mut rr) = rr_with(&[("not json", b"x"), (&c2, b"y")]);
    let mut seen = Vec::new();
    consumer
        .serve(|task: &Task| {
            seen.push(task.payload().clone());
            Ok::<_, String>(())
        })
        .unwrap();
    assert_eq!(seen, [bytes::Bytes::from_static(b"y")]);
    let r = replies(&mut rr);
    assert_eq!(
        (r[0]["type"].clone(), r[1]["type"].clone()),
        (json!(3), json!(2))
    );
    assert_eq!(r[0]["data"]["requeue"], false);
}

#[test]
fn a_binary_payload_and_kafka_fields_arrive_intact() {
    let payload: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    let kafka = json!({"id": "k", "job": "j", "driver": "kafka", "pipeline": "p", "queue": "t",
        "topic": "t", "partition": 3, "offset": 99, "headers": {}, "new_key": true})
    .to_string();
    let (mut consumer, mut rr) = rr_with(&[(&kafka, &payload)]);
    let delivery = consumer.receive().unwrap().unwrap();
    assert_eq!(&delivery.payload()[..], &payload[..]);
    assert_eq!(delivery.queue(), Some("t"));
    let at = delivery.kafka().unwrap();
    assert_eq!((at.topic, at.partition, at.offset), ("t", 3, 99));
    delivery.ack().unwrap();
    assert_eq!(replies(&mut rr).len(), 1);
}
