//! The jobs examples under the real rr, as `cargo xtask demo jobs` runs them: the HTTP worker
//! `jobs_producer` pushes one job per request, the jobs worker `jobs_consumer` consumes it.

use rr_e2e::{JobsConfig, JobsServer, Request, memory_pipeline, sibling_binary};

#[test]
fn each_request_pushes_a_job_that_the_jobs_worker_consumes() {
    let mut cfg = JobsConfig::memory(sibling_binary("jobs_consumer"), 2);
    cfg.http_worker = Some(sibling_binary("jobs_producer"));
    cfg.pipelines = memory_pipeline("demo", 10);
    cfg.consume = vec!["demo".into()];
    let rr = JobsServer::start(cfg);
    let addr = rr.http.unwrap();
    for name in ["ann", "bob"] {
        let res = Request::get(&format!("/?name={name}")).send(addr);
        assert_eq!(res.status, 200, "{}\n{}", res.text(), rr.log());
        let text = res.text();
        let want = format!("Hello {name}! (job greet consumed from pipeline demo by jobs worker ");
        assert!(text.starts_with(&want), "{text}");
    }
    assert!(
        rr.log().contains("jobs_consumer: Hello bob!"),
        "{}",
        rr.log()
    );
}
