//! An async closure as the handler, without writing a tower `Service`: `rr_http::serve_fn`
//! runs it on a current-thread tokio runtime. Answers, streaming, errors, panics and stopping
//! work as with the sync `serve`; 103 Early Hints go through the request's `HintSender`.
//!
//! Run it with `cargo xtask demo async_fn` (or point a `.rr.yaml` at the built binary), then try
//! `curl -i http://127.0.0.1:8080/slow`.

use std::time::Duration;

use http::{Request, Response, StatusCode};
use rr_http::{Body, HintSender, HttpError};

fn main() -> Result<(), rr_http::Error> {
    rr_http::serve_fn(handle)
}

async fn handle(req: Request<Body>) -> Result<Response<Body>, HttpError> {
    match req.uri().path() {
        "/" => Ok(Response::new(Body::from("Hello from an async closure!"))),
        // Awaits a timer: the runtime runs while a request is handled.
        "/slow" => {
            tokio::time::sleep(Duration::from_millis(20)).await;
            let waited = tokio::spawn(async { "waited 20 ms" }).await;
            Ok(Response::new(Body::from(
                waited.map_err(HttpError::internal)?,
            )))
        }
        // 103 Early Hints before the page, sent while the handler still works.
        "/page" => {
            if let Some(hints) = req.extensions().get::<HintSender>() {
                hints
                    .early_hints(["</app.css>; rel=preload; as=style"])
                    .map_err(HttpError::from)?;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
            Ok(Response::new(Body::from("<html>page</html>")))
        }
        // Streamed like on the sync path: each chunk is a frame rr flushes to the client.
        "/stream" => Ok(Response::new(Body::chunks(
            (1..=5).map(|i| format!("chunk {i}\n")),
        ))),
        "/missing" => Err(HttpError::new(StatusCode::NOT_FOUND, "no such page")),
        "/panic" => panic!("the async handler panicked on purpose"),
        _ => Ok(Response::new(Body::from(std::process::id().to_string()))),
    }
}
