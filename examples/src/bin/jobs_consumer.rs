//! A jobs worker: rr hands it every job of its pipelines; it greets the name in the job's JSON
//! payload and stores the greeting in rr's KV storage `local` under the job's id, where the
//! HTTP worker of `jobs_producer` reads it back.
//!
//! Run both with `cargo xtask demo jobs`, then try `curl 'http://127.0.0.1:8080/?name=ann'`.
//! Under rr it is the `jobs.pool.command`; rr starts it with `RR_MODE=jobs` and `RR_RPC`.

use std::time::Duration;

#[derive(serde::Deserialize)]
struct Greet {
    name: String,
}

fn main() -> Result<(), rr_jobs::JobsError> {
    // Connected at the first job: rr may start its workers before its RPC socket listens.
    let mut rpc: Option<rr_rpc::Rpc> = None;
    rr_jobs::serve(|task: &rr_jobs::Task| -> Result<(), rr_jobs::JobsError> {
        let greet: Greet = task.json()?;
        let text = format!(
            "Hello {}! (job {} consumed from pipeline {} by jobs worker {})",
            greet.name,
            task.name(),
            task.pipeline(),
            std::process::id()
        );
        rr_worker::log!("jobs_consumer: {text}");
        let rpc = match &mut rpc {
            Some(rpc) => rpc,
            None => rpc.insert(rr_rpc::Rpc::from_env(Duration::from_secs(5))?),
        };
        rpc.kv("local")
            .set(task.id(), text, Some(Duration::from_secs(600)))?;
        Ok(())
    })
}
