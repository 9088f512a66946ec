//! A worker for the stop-signal tests: finite and endless streams, its limits read from the
//! environment (`E2E_STREAM_GRACE_MS`, `E2E_MAX_STREAM_MS`), and a file `exit-<pid>` holding
//! the exit status, written when `serve` returns or a signal ends the process (rr may lose a
//! worker's last stderr lines, so its log cannot tell).

use std::path::PathBuf;
use std::time::Duration;

use http::{Request, Response};
use rr_http::{Body, HttpWorker};

fn millis(name: &str) -> Option<Duration> {
    let ms: u64 = std::env::var(name).ok()?.parse().ok()?;
    Some(Duration::from_millis(ms))
}

/// `n` chunks of `line <i>\n`, `ms` milliseconds apart (both from the query, e.g. `n=20&ms=50`).
fn paced(req: &Request<Body>, endless: bool) -> Body {
    let query = req.uri().query().unwrap_or("");
    let param = |key: &str, default: u64| {
        query
            .split('&')
            .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('=')?.parse().ok())
            .unwrap_or(default)
    };
    let n = if endless { u64::MAX } else { param("n", 20) };
    let pause = Duration::from_millis(param("ms", 50));
    Body::chunks((0..n).map(move |i| {
        if i > 0 {
            std::thread::sleep(pause);
        }
        format!("line {i}\n")
    }))
}

fn main() -> Result<(), rr_http::Error> {
    let dir = PathBuf::from(std::env::var("E2E_DIR").unwrap_or_default());
    let _ = std::fs::write(dir.join("pids").join(std::process::id().to_string()), "");
    let mut worker = HttpWorker::from_env()?;
    let exit_file = dir.join(format!("exit-{}", std::process::id()));
    if let Some(signals) = worker.stop_signals() {
        let exit_file = exit_file.clone();
        signals.on_exit(move |code| {
            let _ = std::fs::write(&exit_file, code.to_string());
        });
    }
    if let Some(grace) = millis("E2E_STREAM_GRACE_MS") {
        worker = worker.with_stream_grace(grace);
    }
    if let Some(max) = millis("E2E_MAX_STREAM_MS") {
        worker = worker.with_max_stream_duration(max);
    }
    worker.serve(|req: Request<Body>| match req.uri().path() {
        "/finite" => Response::new(paced(&req, false)),
        "/endless" => Response::new(paced(&req, true)),
        _ => Response::new(Body::from(std::process::id().to_string())),
    })?;
    std::fs::write(&exit_file, "0")?;
    rr_http::log!("e2e-signal-worker: serve returned, exiting 0");
    Ok(())
}
