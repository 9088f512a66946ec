//! A closure worker that logs with `tracing` (rr-http feature `tracing`), for what rr's log
//! shows of its events.

use http::Request;
use rr_http::Body;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    rr_http::tracing::init()?;
    tracing::info!("worker {} ready", std::process::id());
    rr_http::serve(|req: Request<Body>| {
        let size = req.body().as_bytes().map_or(0, |b| b.len());
        tracing::info!(size, "handled");
        tracing::warn!("first line\nsecond line");
        tracing::debug!("below the default level");
        "traced"
    })?;
    Ok(())
}
