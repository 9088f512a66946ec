//! Stopping rr stops its Rust workers within the grace period, leaving no process behind.

use std::time::{Duration, Instant};

use rr_e2e::{Relay, Request, RrServer, ServerConfig, pid_alive, test_worker, wait_gone};

fn stop_leaves_no_orphans(relay: Relay) {
    let mut rr = RrServer::start(ServerConfig::new(test_worker()).relay(relay).workers(3));
    assert_eq!(Request::get("/hello").send(rr.addr).status, 200);
    let pids = rr.worker_pids();
    assert_eq!(pids.len(), 3, "three workers started: {pids:?}");
    assert!(pids.iter().all(|p| pid_alive(*p)));

    let started = Instant::now();
    let code = rr.stop(Duration::from_secs(20));
    let took = started.elapsed();
    assert_eq!(code, Some(0), "rr exits cleanly; log:\n{}", rr.log());
    // rr waits up to 10 s before killing a worker that ignores stop; ours exit at once.
    assert!(took < Duration::from_secs(8), "stop took {took:?}");
    let alive = wait_gone(&pids, Duration::from_secs(2));
    assert!(alive.is_empty(), "orphan workers: {alive:?}");
    assert!(
        // What rr's pool logs before it kills a worker that did not stop.
        !rr.log().contains("killing process"),
        "no worker had to be killed:\n{}",
        rr.log()
    );
}

#[test]
fn stop_over_pipes_leaves_no_orphans() {
    stop_leaves_no_orphans(Relay::Pipes);
}

#[test]
fn stop_over_tcp_leaves_no_orphans() {
    stop_leaves_no_orphans(Relay::Tcp);
}

#[test]
fn stop_over_unix_leaves_no_orphans() {
    stop_leaves_no_orphans(Relay::Unix);
}

#[test]
fn max_jobs_recycles_workers_without_failed_requests() {
    let rr = RrServer::start(
        ServerConfig::new(test_worker())
            .workers(1)
            .pool_yaml("    max_jobs: 3\n"),
    );
    for i in 0..12 {
        let res = Request::get("/pid").send(rr.addr);
        assert_eq!(res.status, 200, "request {i}: {}", res.text());
    }
    assert!(
        rr.worker_pids().len() >= 3,
        "workers were recycled: {:?}",
        rr.worker_pids()
    );
}
