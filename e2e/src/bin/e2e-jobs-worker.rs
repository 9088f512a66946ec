//! The jobs worker the end-to-end jobs tests run under rr: the job's name picks the behaviour.
//!
//! Every delivery is first recorded as one JSON line in `$E2E_DIR/deliveries.jsonl` (id, job,
//! pipeline, driver, `attempts` header, pid, arrival time, payload length); `keep` also writes
//! the payload and headers to `$E2E_DIR/payload-<id>` and `headers-<id>.json`. Then:
//!
//! * `ack`, `keep`: acknowledge.
//! * `nack-requeue-2s`: first delivery (per id, in this process) nacks with requeue and a 2 s
//!   delay, later ones ack.
//! * `count`: requeue with `attempts` + 1 until it reaches 3, then ack.
//! * `nack-drop`: nack without requeue.
//! * `fail` / `panic`: the handler returns `Err` / panics (the `E2E_JOBS_POLICY` decides the
//!   reply: `requeue` = requeue after 1 s, otherwise no requeue); `fail-once` / `panic-once`
//!   do so only on their first delivery.
//! * `sleep`: sleeps for the payload's number of milliseconds, then acks.

use std::collections::HashMap;
use std::fs::OpenOptions;
use std::io::Write;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rr_jobs::{Consumer, FailurePolicy, Nack, Reply, Requeue, Task};
use serde_json::json;

fn main() -> Result<(), rr_jobs::JobsError> {
    let dir = std::env::var("E2E_DIR").unwrap_or_else(|_| ".".into());
    if let Ok(pids) = std::env::var("E2E_PID_DIR") {
        let _ = std::fs::write(format!("{pids}/{}", std::process::id()), "");
    }
    let policy = match std::env::var("E2E_JOBS_POLICY").as_deref() {
        Ok("requeue") => FailurePolicy::requeue(Duration::from_secs(1)),
        _ => FailurePolicy::discard(),
    };
    let mut seen: HashMap<String, u32> = HashMap::new();
    Consumer::from_env()?
        .with_policy(policy)
        .serve(|task: &Task| handle(task, &dir, &mut seen))
}

fn handle(task: &Task, dir: &str, seen: &mut HashMap<String, u32>) -> Result<Reply, String> {
    record(task, dir);
    let count = seen.entry(task.id().to_owned()).or_default();
    *count += 1;
    let first = *count == 1;
    match task.name() {
        "keep" => {
            std::fs::write(format!("{dir}/payload-{}", task.id()), task.payload())
                .map_err(|e| e.to_string())?;
            let headers = serde_json::to_vec(task.headers()).map_err(|e| e.to_string())?;
            std::fs::write(format!("{dir}/headers-{}.json", task.id()), headers)
                .map_err(|e| e.to_string())?;
            Ok(Reply::Ack)
        }
        "nack-requeue-2s" if first => Ok(Nack::new("again in 2 s")
            .requeue(true)
            .delay(Duration::from_secs(2))
            .into()),
        "count" => {
            let attempts: u32 = task
                .headers()
                .get("attempts")
                .and_then(|a| a.parse().ok())
                .unwrap_or(0);
            if attempts < 3 {
                let next = (attempts + 1).to_string();
                Ok(Requeue::new("count up").header("attempts", next).into())
            } else {
                Ok(Reply::Ack)
            }
        }
        "nack-drop" => Ok(Nack::new("gone").into()),
        "fail" => Err("the handler failed".into()),
        "fail-once" if first => Err("the handler failed once".into()),
        "panic" => panic!("the handler panicked"),
        "panic-once" if first => panic!("the handler panicked once"),
        "sleep" => {
            let ms: u64 = std::str::from_utf8(task.payload())
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            std::thread::sleep(Duration::from_millis(ms));
            Ok(Reply::Ack)
        }
        _ => Ok(Reply::Ack),
    }
}

/// Appends one line with a single write (O_APPEND keeps concurrent workers' lines whole).
fn record(task: &Task, dir: &str) {
    let at_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis() as u64;
    let line = json!({
        "id": task.id(), "job": task.name(), "pipeline": task.pipeline(),
        "driver": task.driver(), "attempts": task.headers().get("attempts"),
        "pid": std::process::id(), "at_ms": at_ms, "len": task.payload().len(),
    });
    let mut line = line.to_string();
    line.push('\n');
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(format!("{dir}/deliveries.jsonl"));
    if let Ok(mut file) = file {
        let _ = file.write_all(line.as_bytes());
    }
}
