//! A worker on rr-worker alone, below the HTTP layer: it keeps each request context exactly as
//! rr sent it (in `E2E_DIR/context-<n>`) and answers with a fixed JSON response head in a frame
//! whose flags byte is `E2E_RESPONSE_FLAGS` (hex): what a legacy rr accepts, seen from the wire.

use std::path::PathBuf;

use rr_http::rr_worker::Worker;
use rr_http::rr_worker::goridge::Flags;

fn main() -> Result<(), rr_http::rr_worker::WorkerError> {
    let dir = PathBuf::from(std::env::var("E2E_DIR").unwrap_or_default());
    let flags = std::env::var("E2E_RESPONSE_FLAGS")
        .ok()
        .and_then(|hex| u8::from_str_radix(hex.trim_start_matches("0x"), 16).ok())
        .map_or(Flags::CODEC_JSON, Flags::from_bits);
    let mut worker = Worker::from_env()?;
    let mut n = 0;
    while let Some(payload) = worker.wait_payload()? {
        let _ = std::fs::write(dir.join(format!("context-{n}")), &payload.context);
        n += 1;
        let head = br#"{"status":200,"headers":{"Content-Type":["text/plain"]}}"#;
        worker.send(flags, head, b"raw answer", false)?;
    }
    Ok(())
}
