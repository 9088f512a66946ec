//! goridge's RPC client against rr's real RPC plugin: version, workers, remote errors.
//! (rr-rpc's typed calls, reset included, are in `rr_rpc.rs`.)

use std::time::Duration;

use goridge::{RpcClient, RpcError};
use rr_e2e::{Request, RrServer, ServerConfig, test_worker};
use serde::Deserialize;

/// The reply of `informer.Workers`, decoded with rr-rpc's worker type.
#[derive(Debug, Deserialize)]
struct Workers {
    workers: Vec<rr_rpc::WorkerInfo>,
}

fn client(rr: &RrServer) -> RpcClient {
    RpcClient::connect(rr.rpc.as_deref().unwrap(), Duration::from_secs(10)).unwrap()
}

#[test]
fn version_and_workers_with_their_executions() {
    let rr = RrServer::start(ServerConfig::new(test_worker()).workers(2).rpc());
    let mut rpc = client(&rr);
    let version: String = rpc.call_json("rpc.Version", &true).unwrap();
    assert_eq!(version, "2025.1.15");

    for _ in 0..4 {
        assert_eq!(Request::get("/hello").send(rr.addr).status, 200);
    }
    let list: Workers = rpc.call_json("informer.Workers", "http").unwrap();
    let mut pids: Vec<i32> = list.workers.iter().map(|w| w.pid as i32).collect();
    pids.sort_unstable();
    assert_eq!(pids, rr.worker_pids());
    assert_eq!(list.workers.iter().map(|w| w.num_execs).sum::<u64>(), 4);
    assert!(list.workers.iter().all(|w| w.memory_usage > 0));
}

#[test]
fn unknown_method_is_a_remote_error_and_the_connection_stays_usable() {
    let rr = RrServer::start(ServerConfig::new(test_worker()).rpc());
    let mut rpc = client(&rr);
    let err = rpc
        .call_json::<_, bool>("nosuch.Method", &true)
        .unwrap_err();
    assert!(
        matches!(err, RpcError::Remote { ref message, .. } if message.contains("nosuch")),
        "{err}"
    );
    let version: String = rpc.call_json("rpc.Version", &true).unwrap();
    assert!(!version.is_empty());
}
