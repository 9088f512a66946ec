//! rr-rpc's typed calls against the real rr: workers, adding/removing workers, KV.

use std::time::{Duration, Instant};

use rr_e2e::{Request, RrServer, ServerConfig, test_worker, wait_gone};
use rr_rpc::{Rpc, RpcError};

fn connect(rr: &RrServer) -> Rpc {
    Rpc::connect(rr.rpc.as_deref().unwrap(), Duration::from_secs(10)).unwrap()
}

#[test]
fn workers_can_be_listed_added_and_removed() {
    let rr = RrServer::start(ServerConfig::new(test_worker()).workers(1).rpc());
    let mut rpc = connect(&rr);
    assert_eq!(Request::get("/hello").send(rr.addr).status, 200);
    let workers = rpc.workers("http").unwrap();
    assert_eq!(workers.len(), 1);
    assert_eq!(workers[0].pid, i64::from(rr.worker_pids()[0]));
    assert_eq!(workers[0].num_execs, 1);
    // rr v2025.1.15 leaves `command` empty in informer.Workers.
    assert_eq!(workers[0].command, "", "{workers:?}");
    assert!(!workers[0].status_str.is_empty());

    rpc.add_worker("http").unwrap();
    assert_eq!(rpc.workers("http").unwrap().len(), 2);
    rpc.remove_worker("http").unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while rpc.workers("http").unwrap().len() != 1 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(rpc.workers("http").unwrap().len(), 1);
    assert!(rpc.workers("nosuch").unwrap().is_empty());
    assert!(rpc.version().unwrap().starts_with("2025.1"));
}

#[test]
fn kv_set_get_has_delete_clear() {
    let rr = RrServer::start(ServerConfig::new(test_worker()).rpc());
    let mut rpc = connect(&rr);
    let mut kv = rpc.kv("local");
    kv.set("a", "1", None).unwrap();
    kv.set("b", b"\x00\xffbinary", None).unwrap();
    assert_eq!(kv.get("a").unwrap().as_deref(), Some(&b"1"[..]));
    assert_eq!(
        kv.get("b").unwrap().as_deref(),
        Some(&b"\x00\xffbinary"[..])
    );
    assert_eq!(kv.get("missing").unwrap(), None);
    assert!(kv.has("a").unwrap());
    assert!(!kv.has("missing").unwrap());
    let mut many = kv.get_many(&["a", "b", "missing"]).unwrap();
    many.sort();
    assert_eq!(
        many,
        [
            ("a".to_owned(), bytes::Bytes::from_static(b"1")),
            ("b".to_owned(), bytes::Bytes::from_static(b"\x00\xffbinary"))
        ]
    );
    kv.delete(&["a"]).unwrap();
    assert!(!kv.has("a").unwrap());
    kv.clear().unwrap();
    assert!(!kv.has("b").unwrap());
}

#[test]
fn kv_values_expire_after_their_ttl() {
    let rr = RrServer::start(ServerConfig::new(test_worker()).rpc());
    let mut rpc = connect(&rr);
    let mut kv = rpc.kv("local");
    kv.set("short", "x", Some(Duration::from_secs(2))).unwrap();
    kv.set("long", "y", Some(Duration::from_secs(3600)))
        .unwrap();
    assert!(
        kv.expiry("short")
            .unwrap()
            .is_some_and(|t| t.ends_with('Z') || t.contains('+'))
    );
    assert!(kv.has("short").unwrap());
    let deadline = Instant::now() + Duration::from_secs(8);
    while kv.has("short").unwrap() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(!kv.has("short").unwrap(), "expired");
    assert!(kv.has("long").unwrap());
}

#[test]
fn unknown_storage_is_a_typed_remote_error() {
    let rr = RrServer::start(ServerConfig::new(test_worker()).rpc());
    let mut rpc = connect(&rr);
    let err = rpc.kv("nosuch").set("k", "v", None).unwrap_err();
    assert!(
        matches!(err, RpcError::Remote { ref message, .. } if message.contains("no such storage")),
        "{err}"
    );
}

#[test]
fn reset_replaces_every_worker() {
    let rr = RrServer::start(ServerConfig::new(test_worker()).workers(2).rpc());
    let mut rpc = connect(&rr);
    let before = rr.worker_pids();
    rpc.reset("http").unwrap();
    let after = rpc.workers("http").unwrap();
    assert_eq!(after.len(), 2);
    assert!(
        after.iter().all(|w| !before.contains(&(w.pid as i32))),
        "{before:?} vs {after:?}"
    );
    let alive = wait_gone(&before, Duration::from_secs(5));
    assert!(
        alive.is_empty(),
        "old workers exited cleanly (still running: {alive:?})"
    );
    assert_eq!(
        Request::get("/hello").send(rr.addr).text(),
        "Hello RoadRunner!"
    );
}
