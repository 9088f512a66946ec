//! Ports leased across processes, by the same rule as the e2e harness (an exclusive `flock` on
//! `$TMPDIR/rr-e2e-ports/<port>`), so a broker's port is never handed to an rr or another broker.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Mutex;

/// A port held until this is dropped.
#[derive(Debug)]
pub struct PortLease {
    port: u16,
    // Never read: holding the open file is what holds the lock.
    _lock: File,
}

impl PortLease {
    /// The leased port.
    ///
    /// ```
    /// let lease = rr_brokers::lease_port();
    /// assert_ne!(lease.port(), 0);
    /// ```
    pub fn port(&self) -> u16 {
        self.port
    }
}

/// An ephemeral port of 127.0.0.1 that no other process using this rule holds.
///
/// ```
/// let (a, b) = (rr_brokers::lease_port(), rr_brokers::lease_port());
/// assert_ne!(a.port(), b.port());
/// ```
pub fn lease_port() -> PortLease {
    static GIVEN: Mutex<BTreeSet<u16>> = Mutex::new(BTreeSet::new());
    let dir = std::env::temp_dir().join("rr-e2e-ports");
    fs::create_dir_all(&dir).expect("create the port lease directory");
    loop {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
        let port = listener.local_addr().expect("local addr").port();
        drop(listener);
        if !GIVEN.lock().unwrap_or_else(|e| e.into_inner()).insert(port) {
            continue;
        }
        let file = File::create(lease_file(&dir, port)).expect("create a port lease file");
        match file.try_lock() {
            Ok(()) => return PortLease { port, _lock: file },
            Err(fs::TryLockError::WouldBlock) => continue,
            Err(fs::TryLockError::Error(e)) => panic!("cannot lock a port lease: {e}"),
        }
    }
}

fn lease_file(dir: &std::path::Path, port: u16) -> PathBuf {
    dir.join(port.to_string())
}
