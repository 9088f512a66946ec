//! Each example exits cleanly (status 0) when rr closes its pipes, as a worker must when rr goes
//! away.
//!
//! This integration test also makes `cargo test --workspace` build the example binaries, which
//! `e2e/tests/examples.rs` runs under the real rr.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const EXAMPLES: [(&str, &str); 8] = [
    ("hello", env!("CARGO_BIN_EXE_hello")),
    ("echo", env!("CARGO_BIN_EXE_echo")),
    ("streaming", env!("CARGO_BIN_EXE_streaming")),
    ("early_hints", env!("CARGO_BIN_EXE_early_hints")),
    ("uploads", env!("CARGO_BIN_EXE_uploads")),
    ("axum", env!("CARGO_BIN_EXE_axum")),
    ("jobs_consumer", env!("CARGO_BIN_EXE_jobs_consumer")),
    ("jobs_producer", env!("CARGO_BIN_EXE_jobs_producer")),
];

/// Removes a directory when dropped, so a failing run leaves nothing behind either.
struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn examples_exit_cleanly_when_the_relay_closes() {
    let upload_dir =
        TempDir(std::env::temp_dir().join(format!("rr-examples-{}", std::process::id())));
    let upload_dir = &upload_dir.0;
    for (name, exe) in EXAMPLES {
        let mut child = Command::new(exe)
            .env_remove("RR_RELAY")
            .env("UPLOAD_DIR", upload_dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {exe}: {e}"));
        let deadline = Instant::now() + Duration::from_secs(10);
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait for the example") {
                break status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{name} did not exit after its stdin closed");
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        assert!(status.success(), "{name} exited with {status}");
    }
}
