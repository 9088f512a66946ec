//! SIGTERM and SIGINT through the real rr: a worker finishes what it is sending, then exits 0;
//! a stream gets a bounded grace; an endless stream is bounded by the worker's own limit so rr
//! can stop within its grace; a second signal ends the worker at once.

use std::io::{BufRead, BufReader, Cursor, Read};
use std::time::{Duration, Instant};

use rr_e2e::{Request, RrServer, ServerConfig, Signal, raw_exchange, sibling_binary, signal};

/// Long enough for nothing in these tests to depend on the machine's speed.
const HANG_GUARD: Duration = Duration::from_secs(30);

fn server(env: &[(&str, &str)]) -> RrServer {
    let mut cfg = ServerConfig::new(sibling_binary("e2e-signal-worker")).workers(1);
    for (k, v) in env {
        cfg = cfg.env(k, *v);
    }
    RrServer::start(cfg)
}

/// Sends `GET path` and returns once the response has started (its status line arrived),
/// with a reader that yields the whole response.
fn start_stream(rr: &RrServer, path: &str) -> BufReader<impl Read> {
    let mut conn = raw_exchange(rr.addr, &Request::get(path).to_bytes(rr.addr));
    let mut status_line = String::new();
    conn.read_line(&mut status_line).unwrap();
    assert!(status_line.starts_with("HTTP/1.1 200"), "{status_line:?}");
    BufReader::new(Cursor::new(status_line.into_bytes()).chain(conn))
}

/// The body of a chunked response, and whether its terminating chunk arrived. rr v2025.1.15
/// closes every connection (`http.Server.Close`) as soon as the last request in flight is done
/// when it stops, which can cut the final `0\r\n\r\n` after all data went out.
fn finish(mut reader: BufReader<impl Read>) -> (Vec<u8>, bool) {
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line).unwrap();
        if line.trim().is_empty() {
            break;
        }
        if let Some(te) = line.to_ascii_lowercase().strip_prefix("transfer-encoding:") {
            assert_eq!(te.trim(), "chunked");
        }
    }
    let mut body = Vec::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return (body, false);
        }
        let size = usize::from_str_radix(line.trim(), 16).unwrap();
        if size == 0 {
            return (body, true);
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..]).unwrap();
        line.clear();
        reader.read_line(&mut line).unwrap();
    }
}

fn lines(n: usize) -> String {
    (0..n).map(|i| format!("line {i}\n")).collect()
}

fn wait_gone(pid: i32) {
    let alive = rr_e2e::wait_gone(&[pid], HANG_GUARD);
    assert!(alive.is_empty(), "worker {pid} is still running");
}

/// The status the worker exited with, as it recorded it (`None`: killed without a word).
fn exit_status(rr: &RrServer, pid: i32) -> Option<String> {
    std::fs::read_to_string(rr.path(&format!("exit-{pid}"))).ok()
}

#[test]
fn sigterm_to_the_whole_process_group_lets_a_finite_stream_complete() {
    // What systemd (KillMode=control-group) and container stops do: rr and every worker at once.
    let mut rr = server(&[("E2E_STREAM_GRACE_MS", "600000")]);
    let worker = rr.worker_pids()[0];
    let stream = start_stream(&rr, "/finite?n=30&ms=50");
    signal(rr.pid().unwrap(), Signal::TERM);
    signal(worker, Signal::TERM);
    let (body, terminated) = finish(stream);
    assert_eq!(
        String::from_utf8(body).unwrap(),
        lines(30),
        "every byte of the stream arrived"
    );
    println!("terminating chunk arrived: {terminated}");
    // The worker waits for rr's stop instead of exiting before it: rr v2025.1.15 replaces a
    // worker that exits while its pool is being destroyed, then waits out its grace, exits 1.
    assert_eq!(rr.wait_exit(HANG_GUARD), Some(0), "{}", rr.log());
    wait_gone(worker);
    assert_eq!(exit_status(&rr, worker).as_deref(), Some("0"));
}

#[test]
fn rr_sigterm_during_a_finite_stream_lets_it_complete() {
    let mut rr = server(&[]);
    let worker = rr.worker_pids()[0];
    let stream = start_stream(&rr, "/finite?n=30&ms=50");
    signal(rr.pid().unwrap(), Signal::TERM);
    let (body, terminated) = finish(stream);
    assert_eq!(String::from_utf8(body).unwrap(), lines(30));
    println!("terminating chunk arrived: {terminated}");
    assert_eq!(rr.wait_exit(HANG_GUARD), Some(0), "rr stopped cleanly");
    wait_gone(worker);
    assert_eq!(exit_status(&rr, worker).as_deref(), Some("0"));
}

#[test]
fn rr_sigterm_during_an_endless_stream_stops_within_rrs_grace_thanks_to_our_limit() {
    // rr waits for every request in flight and never tells a streaming worker to stop; without
    // a limit rr would give up after its grace (10 s here) and exit 1.
    let mut rr = server(&[("E2E_MAX_STREAM_MS", "1500")]);
    let worker = rr.worker_pids()[0];
    let stream = start_stream(&rr, "/endless?ms=20");
    let started = Instant::now();
    signal(rr.pid().unwrap(), Signal::TERM);
    let (body, terminated) = finish(stream);
    let text = String::from_utf8(body).unwrap();
    assert!(text.starts_with(&lines(3)), "{text}");
    assert!(text.ends_with('\n'), "whole chunks only: {text}");
    println!("terminating chunk arrived: {terminated}");
    let code = rr.wait_exit(HANG_GUARD);
    println!(
        "endless stream ended by the limit; rr exited with {code:?} after {:?}",
        started.elapsed()
    );
    assert_eq!(code, Some(0), "rr stopped within its grace:\n{}", rr.log());
    assert!(rr.log().contains("reached its time limit"));
    wait_gone(worker);
    assert_eq!(exit_status(&rr, worker).as_deref(), Some("0"));
}

/// Sends `sig` to the idle worker and asserts it exits 0; returns rr and the worker's pid.
fn an_idle_worker_exits_0_on(sig: Signal) -> (RrServer, i32) {
    let rr = server(&[]);
    let worker = rr.worker_pids()[0];
    signal(worker, sig);
    wait_gone(worker);
    assert_eq!(
        exit_status(&rr, worker).as_deref(),
        Some("0"),
        "{}",
        rr.log()
    );
    (rr, worker)
}

#[test]
fn an_idle_worker_blocked_in_read_exits_0_on_sigterm_and_rr_replaces_it() {
    let (rr, worker) = an_idle_worker_exits_0_on(Signal::TERM);
    let res = Request::get("/pid").send(rr.addr);
    assert_eq!(res.status, 200);
    assert_ne!(res.text(), worker.to_string(), "a fresh worker answers");
}

#[test]
fn an_idle_worker_exits_0_on_sigint_too() {
    an_idle_worker_exits_0_on(Signal::INT);
}

#[test]
fn a_second_signal_ends_a_streaming_worker_at_once() {
    let rr = server(&[("E2E_STREAM_GRACE_MS", "3600000")]);
    let worker = rr.worker_pids()[0];
    let stream = start_stream(&rr, "/endless?ms=20");
    signal(worker, Signal::TERM);
    assert!(
        rr.log_contains("stop signal while busy"),
        "the first signal was seen: {}",
        rr.log()
    );
    signal(worker, Signal::TERM);
    wait_gone(worker);
    assert_eq!(
        exit_status(&rr, worker).as_deref(),
        Some("143"),
        "128 + SIGTERM, without waiting for the stream"
    );
    drop(stream);
}

#[test]
fn rr_stopping_a_tower_worker_drops_its_service_and_runtime_within_rrs_grace() {
    // The axum example: serve_service on a tokio runtime with a worker thread.
    // rr exits 0 only when every worker stopped within its grace.
    let mut rr = RrServer::start(ServerConfig::new(sibling_binary("axum")).workers(1));
    let res = Request::get("/hello?name=rr").send(rr.addr);
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(rr.stop(HANG_GUARD), Some(0), "{}", rr.log());
}
