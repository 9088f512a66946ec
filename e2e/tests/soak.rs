//! Soak: 20,000 requests through the real rr on keep-alive connections (query, cookies, a
//! form body, a streamed body, errors), then every worker's resident memory is compared with
//! what it was after a warm-up. `SOAK_REQUESTS` sets the count (RELIABILITY.md records a
//! 500,000-request run).

use std::io::{BufReader, Write};
use std::net::TcpStream;
use std::time::Instant;

use rr_e2e::{RrServer, ServerConfig, read_response, test_worker};

const CLIENTS: usize = 2;
/// Growth allowed per worker between the warm-up and the end: a leak of even 100 bytes per
/// request would be 1 MiB per 10,000 requests per worker.
const MAX_GROWTH_KB: u64 = 1024;

/// One request of a rotating mix, on a keep-alive connection.
fn request(i: usize) -> Vec<u8> {
    let form = format!("name=n{i}&tags[]=a&tags[]=b&address[city]=c{i}");
    match i % 4 {
        0 => format!(
            "GET /echo?page={i}&filter[a][]=1&filter[a][]=2 HTTP/1.1\r\nHost: x\r\nCookie: sid=s{i}; theme=dark\r\n\r\n"
        ),
        1 => format!(
            "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
            form.len()
        ),
        2 => "GET /chunks HTTP/1.1\r\nHost: x\r\n\r\n".to_owned(),
        _ => "GET /error HTTP/1.1\r\nHost: x\r\n\r\n".to_owned(),
    }
    .into_bytes()
}

fn expected_status(i: usize) -> u16 {
    if i % 4 == 3 { 500 } else { 200 }
}

/// Sends requests `from..to` (step `CLIENTS`) on one connection; returns the failures.
fn client(rr: &RrServer, from: usize, to: usize) -> usize {
    let stream = TcpStream::connect(rr.addr).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    let mut failed = 0;
    for i in (from..to).step_by(CLIENTS) {
        writer.write_all(&request(i)).unwrap();
        let res = read_response(&mut reader, false);
        if res.status != expected_status(i) {
            failed += 1;
        }
    }
    failed
}

fn rss_kb(pid: i32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap()
}

fn run(rr: &RrServer, from: usize, to: usize) -> usize {
    std::thread::scope(|s| {
        let clients: Vec<_> = (0..CLIENTS)
            .map(|c| s.spawn(move || client(rr, from + c, to)))
            .collect();
        clients.into_iter().map(|c| c.join().unwrap()).sum()
    })
}

#[test]
fn twenty_thousand_requests_leave_worker_memory_flat() {
    let total: usize = std::env::var("SOAK_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let warm_up = 2_000.min(total / 4);
    let rr = RrServer::start(ServerConfig::new(test_worker()).workers(2));
    assert_eq!(run(&rr, 0, warm_up), 0, "warm-up");
    let pids = rr.worker_pids();
    assert_eq!(pids.len(), 2);
    let before: Vec<u64> = pids.iter().map(|p| rss_kb(*p)).collect();

    let started = Instant::now();
    let failed = run(&rr, warm_up, total);
    let took = started.elapsed();
    let after: Vec<u64> = pids.iter().map(|p| rss_kb(*p)).collect();
    eprintln!(
        "soak: {} requests in {:.1} s ({:.0}/s), {failed} failed; worker RSS after warm-up \
         {before:?} kB, at the end {after:?} kB",
        total - warm_up,
        took.as_secs_f64(),
        (total - warm_up) as f64 / took.as_secs_f64()
    );
    assert_eq!(failed, 0);
    assert_eq!(rr.worker_pids(), pids, "no worker was replaced");
    for (b, a) in before.iter().zip(&after) {
        assert!(
            a.saturating_sub(*b) <= MAX_GROWTH_KB,
            "RSS grew from {b} to {a} kB"
        );
    }
}
