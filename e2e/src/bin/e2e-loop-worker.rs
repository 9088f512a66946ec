//! A worker on the explicit loop (`HttpWorker::next_request` + `Responder`), for what only that
//! loop offers: recycling the worker, and seeing how a response was delivered.

use std::path::PathBuf;

use http::Response;
use rr_http::{Body, Delivery, HttpWorker};

fn main() -> Result<(), rr_http::Error> {
    if let Some(dir) = std::env::var_os("E2E_PID_DIR") {
        let _ = std::fs::write(PathBuf::from(dir).join(std::process::id().to_string()), "");
    }
    let marker = PathBuf::from(std::env::var("E2E_DIR").unwrap_or_default()).join("recycled");
    let mut worker = HttpWorker::from_env()?;
    while let Some((req, responder)) = worker.next_request()? {
        match req.uri().path() {
            // The first worker to see this asks to be replaced; the next one answers.
            "/recycle" if !marker.exists() => {
                std::fs::write(&marker, std::process::id().to_string())?;
                responder.recycle()?;
            }
            // A user's mistake: 610 is no HTTP status. Written with `?`, as users write it.
            "/invalid" => {
                let res = Response::builder()
                    .status(610)
                    .body(Body::from("x"))
                    .unwrap();
                let delivery = responder.respond(res)?;
                rr_http::log!("e2e: delivery {delivery:?}");
            }
            "/forever" => {
                let endless = std::iter::repeat_n((), usize::MAX).map(|()| "tick\n");
                let delivery = responder.respond(Response::new(Body::chunks(endless)))?;
                rr_http::log!("e2e: delivery {delivery:?}");
            }
            _ => {
                let delivery =
                    responder.respond(Response::new(Body::from(std::process::id().to_string())))?;
                assert_eq!(delivery, Delivery::Complete);
            }
        }
    }
    Ok(())
}
