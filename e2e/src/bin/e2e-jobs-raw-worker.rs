//! A jobs worker below `rr_jobs`' reply types, to pin what rr does with replies `rr_jobs`
//! never sends: on a job's first delivery it answers with the job's payload as the reply body,
//! verbatim (with the STREAM bit when the job is named `stream`); later deliveries are acked.
//! Every delivery is recorded in `$E2E_DIR/deliveries.jsonl` like `e2e-jobs-worker` does.

use std::collections::HashSet;
use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use goridge::Flags;
use rr_jobs::{Reply, Task};
use rr_worker::Worker;

fn main() -> Result<(), rr_worker::WorkerError> {
    let dir = std::env::var("E2E_DIR").unwrap_or_else(|_| ".".into());
    if let Ok(pids) = std::env::var("E2E_PID_DIR") {
        let _ = std::fs::write(format!("{pids}/{}", std::process::id()), "");
    }
    let mut seen = HashSet::new();
    let mut worker = Worker::from_env()?;
    while let Some(payload) = worker.wait_payload()? {
        let Ok(task) = Task::from_parts(&payload.context, payload.body.clone()) else {
            worker.send(Flags::CODEC_JSON, b"", &Reply::Ack.to_json(), false)?;
            continue;
        };
        record(&task, &dir);
        if seen.insert(task.id().to_owned()) {
            let more = task.name() == "stream";
            worker.send(Flags::CODEC_JSON, b"", task.payload(), more)?;
            if more {
                worker.send(Flags::CODEC_JSON, b"", b"", false)?;
            }
        } else {
            worker.send(Flags::CODEC_JSON, b"", &Reply::Ack.to_json(), false)?;
        }
    }
    Ok(())
}

fn record(task: &Task, dir: &str) {
    let at_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis() as u64;
    let mut line = serde_json::json!({
        "id": task.id(), "job": task.name(), "pipeline": task.pipeline(),
        "driver": task.driver(), "attempts": task.headers().get("attempts"),
        "queue": task.queue(), "mode": std::env::var("RR_MODE").ok(),
        "pid": std::process::id(), "at_ms": at_ms, "len": task.payload().len(),
    })
    .to_string();
    line.push('\n');
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(format!("{dir}/deliveries.jsonl"))
    {
        let _ = f.write_all(line.as_bytes());
    }
}
