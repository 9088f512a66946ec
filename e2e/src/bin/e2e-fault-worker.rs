//! The worker of the fault and hostile-peer tests: routes that sleep, stream, allocate, print
//! to stdout, hash big bodies and uploads, and count headers; it reports its own memory.
//!
//! `E2E_FRAME_TIMEOUT_MS` turns on the relay's frame timeout. When the relay fails, the worker
//! logs `fault-worker exit: <error> VmPeak=<kB> VmHWM=<kB>` on stderr before it exits.

use std::io::{Read, Write};
use std::time::Duration;

use http::{Response, StatusCode};
use rr_http::rr_worker::{self, Worker};
use rr_http::{Body, HttpError, HttpWorker, RequestExt};
use serde_json::json;

fn main() -> Result<(), rr_http::Error> {
    if let Some(dir) = std::env::var_os("E2E_PID_DIR") {
        let _ = std::fs::write(
            std::path::Path::new(&dir).join(std::process::id().to_string()),
            "",
        );
    }
    let mut worker = Worker::from_env()?;
    if let Some(ms) = env_number("E2E_FRAME_TIMEOUT_MS") {
        worker
            .relay_mut()
            .set_frame_timeout(Some(Duration::from_millis(ms)));
    }
    let result = HttpWorker::new(worker).serve(handle);
    if let Err(e) = &result {
        rr_worker::log!(
            "fault-worker exit: {e} VmPeak={} VmHWM={}",
            status_kb("VmPeak"),
            status_kb("VmHWM")
        );
    }
    result
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok()?.parse().ok()
}

/// A line of `/proc/self/status`, in kB.
fn status_kb(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Memory taken by `/alloc`, kept for the worker's life.
static HELD: std::sync::Mutex<Vec<Vec<u8>>> = std::sync::Mutex::new(Vec::new());

fn number(req: &http::Request<Body>, key: &str) -> u64 {
    req.query()
        .get(key)
        .and_then(|v| v.as_str()?.parse().ok())
        .unwrap_or(0)
}

fn handle(mut req: http::Request<Body>) -> Result<Response<Body>, HttpError> {
    let path = req.uri().path().to_owned();
    Ok(match path.as_str() {
        "/pid" => Response::new(Body::from(std::process::id().to_string())),
        "/sleep" => {
            busy();
            std::thread::sleep(Duration::from_millis(number(&req, "ms")));
            Response::new(Body::from("slept"))
        }
        // `n` chunks of 1 KiB, `ms` apart.
        "/stream" => {
            let (n, ms) = (number(&req, "n"), number(&req, "ms"));
            busy();
            Response::new(Body::chunks((0..n).map(move |i| {
                std::thread::sleep(Duration::from_millis(ms));
                format!("{i:04} {}\n", "x".repeat(1018))
            })))
        }
        "/alloc" => {
            let block = vec![1u8; (number(&req, "mb") as usize) << 20];
            HELD.lock().unwrap().push(block);
            Response::new(Body::from(format!(
                "holding, VmRSS {} kB",
                status_kb("VmRSS")
            )))
        }
        // `bytes` bytes printed to stdout (which is stderr for a worker), then a reply.
        "/print" => {
            let line = "p".repeat(1023) + "\n";
            let mut out = std::io::stdout().lock();
            for _ in 0..number(&req, "bytes") / 1024 {
                out.write_all(line.as_bytes())?;
            }
            out.flush()?;
            Response::new(Body::from("printed"))
        }
        "/hash" => {
            let body = std::mem::take(req.body_mut())
                .collect()
                .map_err(|e| HttpError::new(StatusCode::BAD_REQUEST, e.to_string()))?;
            let mut files = Vec::new();
            for (field, file) in req.uploads().files() {
                // Hashed as it is read: the file never sits in memory whole.
                let (mut size, mut hash) = (0usize, FNV_START);
                let mut f = file
                    .open()
                    .map_err(|e| HttpError::new(StatusCode::BAD_REQUEST, e.to_string()))?;
                let mut buf = vec![0; 1 << 16];
                loop {
                    let n = f.read(&mut buf)?;
                    if n == 0 {
                        break;
                    }
                    size += n;
                    hash = fnv_more(hash, &buf[..n]);
                }
                let fnv = format!("{hash:016x}");
                files.push(json!({ "field": field, "size": size, "fnv": fnv }));
            }
            json(&json!({
                "body_size": body.len(),
                "body_fnv": rr_e2e::fnv(&body),
                "files": files,
                "peak_rss_kb": status_kb("VmHWM"),
            }))
        }
        "/headers" => {
            let longest = req.headers().values().map(|v| v.len()).max().unwrap_or(0);
            let query = req.query().as_map().map_or(0, |m| m.len());
            json(&json!({
                "headers": req.headers().len(),
                "longest_value": longest,
                "query_keys": query,
            }))
        }
        _ => Response::builder()
            .status(404)
            .body(Body::from(format!("no route for {path}")))?,
    })
}

/// Marks the worker busy (a file `busy-<pid>` in `E2E_DIR`), so a test knows the request
/// has reached the handler.
fn busy() {
    if let Some(dir) = std::env::var_os("E2E_DIR") {
        let name = format!("busy-{}", std::process::id());
        let _ = std::fs::write(std::path::Path::new(&dir).join(name), "");
    }
}

/// FNV-1a, as `rr_e2e::fnv`, fed piece by piece.
const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv_more(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn json(value: &serde_json::Value) -> Response<Body> {
    Response::builder()
        .header("content-type", "application/json")
        .body(Body::from(value.to_string()))
        .expect("a valid response")
}
