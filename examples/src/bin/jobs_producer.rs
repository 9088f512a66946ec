//! An HTTP worker that pushes one job per request and waits for the jobs worker
//! (`jobs_consumer`) to consume it: `GET /?name=ann` pushes a `greet` job to the memory
//! pipeline `demo`, then polls rr's KV storage `local` until the consumer stored its answer
//! under the job's id, and returns that answer.
//!
//! Run both with `cargo xtask demo jobs`, then try `curl 'http://127.0.0.1:8080/?name=ann'`.

use std::time::{Duration, Instant};

use http::{Request, StatusCode};
use rr_http::{Body, HttpError, RequestExt};
use rr_jobs::{Job, Jobs};

fn main() -> Result<(), rr_http::Error> {
    // Connected at the first request (rr may start its workers before its RPC socket
    // listens) to `RR_RPC`, which rr sets for its workers; every call times out after 5 s.
    let mut clients: Option<(Jobs, rr_rpc::Rpc)> = None;
    rr_http::serve(move |req: Request<Body>| -> Result<String, HttpError> {
        let (jobs, rpc) = match &mut clients {
            Some(c) => c,
            None => clients.insert((
                Jobs::from_env(Duration::from_secs(5)).map_err(HttpError::internal)?,
                rr_rpc::Rpc::from_env(Duration::from_secs(5)).map_err(HttpError::internal)?,
            )),
        };
        let name = req
            .query()
            .get("name")
            .and_then(|v| v.as_str().map(str::to_owned));
        let name = name.unwrap_or_else(|| "RoadRunner".to_owned());
        let job = Job::json("greet", &serde_json::json!({ "name": name }))
            .map_err(HttpError::internal)?
            .pipeline("demo");
        let started = Instant::now();
        let id = jobs.push(job).map_err(HttpError::internal)?;
        while started.elapsed() < Duration::from_secs(5) {
            if let Some(answer) = rpc.kv("local").get(&id).map_err(HttpError::internal)? {
                let answer = String::from_utf8_lossy(&answer);
                return Ok(format!("{answer} in {:?}\n", started.elapsed()));
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        Err(HttpError::new(
            StatusCode::GATEWAY_TIMEOUT,
            format!("job {id} was not consumed within 5 s"),
        ))
    })
}
