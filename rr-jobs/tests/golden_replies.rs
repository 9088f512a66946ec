//! Golden bytes of every reply type: the frame bodies rr's jobs plugin parses.

use std::time::Duration;

use rr_jobs::{FailurePolicy, Headers, Nack, Reply, Requeue};

fn body(reply: impl Into<Reply>) -> String {
    String::from_utf8(reply.into().to_json()).unwrap()
}

#[test]
fn ack_is_type_2_with_empty_data() {
    assert_eq!(body(()), r#"{"type":2,"data":{}}"#);
    assert_eq!(body(Reply::Ack), r#"{"type":2,"data":{}}"#);
}

#[test]
fn nack_without_requeue() {
    assert_eq!(
        body(Nack::new("bad input")),
        r#"{"type":3,"data":{"message":"bad input","requeue":false,"delay_seconds":0}}"#
    );
}

#[test]
fn nack_with_requeue_and_delay_uses_the_key_requeue() {
    let nack = Nack::new("db down")
        .requeue(true)
        .delay(Duration::from_secs(7));
    assert_eq!(
        body(nack),
        r#"{"type":3,"data":{"message":"db down","requeue":true,"delay_seconds":7}}"#
    );
}

#[test]
fn requeue_with_delay_and_headers_as_an_object() {
    let requeue = Requeue::new("again")
        .delay(Duration::from_millis(2500))
        .header("attempts", "2")
        .header("tag", "a")
        .header("tag", "b");
    assert_eq!(
        body(requeue),
        r#"{"type":4,"data":{"message":"again","delay_seconds":3,"headers":{"attempts":["2"],"tag":["a","b"]}}}"#
    );
}

#[test]
fn requeue_without_headers_still_sends_an_object() {
    assert_eq!(
        body(Requeue::new("")),
        r#"{"type":4,"data":{"message":"","delay_seconds":0,"headers":{}}}"#
    );
}

#[test]
fn messages_are_json_escaped() {
    assert_eq!(
        body(Nack::new("a \"quote\"\n\u{1}é")),
        "{\"type\":3,\"data\":{\"message\":\"a \\\"quote\\\"\\n\\u0001é\",\"requeue\":false,\"delay_seconds\":0}}"
    );
}

#[test]
fn policies_send_nacks_never_acks_nor_deprecated_types() {
    for policy in [
        FailurePolicy::discard(),
        FailurePolicy::requeue(Duration::from_secs(3)),
    ] {
        let json: serde_json::Value =
            serde_json::from_slice(&Reply::from(policy.nack("x")).to_json()).unwrap();
        assert_eq!(json["type"], 3);
        assert!(json["data"]["requeue"].is_boolean());
        assert!(json["data"].get("redelivery").is_none());
    }
    let headers: Headers = [("a", "1")].into_iter().collect();
    let json = serde_json::to_value(&headers).unwrap();
    assert!(json.is_object());
}
