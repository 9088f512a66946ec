//! Ports for rr that no other test, in this process or any other, is using.
//!
//! rr listens with SO_REUSEPORT: two rr processes of one user can bind the
//! same port and the kernel then splits connections between them, silently. A port the kernel
//! handed out once and took back is free for anyone, so when two test runs share a machine
//! (CI next to a developer's run), both may pick it; a request then lands in the other run's rr
//! and is reset when that rr is killed. A test therefore leases each port: an exclusive
//! `flock` on a file named after it, held until the server is dropped, and every run of this
//! harness skips ports leased by another.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Mutex;

/// A port held for one test; the lease ends when this is dropped.
#[derive(Debug)]
pub struct PortLease {
    port: u16,
    // Never read: holding the open file is what holds the lock.
    _lock: File,
}

impl PortLease {
    /// The leased port.
    ///
    /// # Example
    ///
    /// ```
    /// let lease = rr_testkit::rr::lease_port();
    /// assert_ne!(lease.port(), 0);
    /// ```
    pub fn port(&self) -> u16 {
        self.port
    }
}

fn lease_dir() -> PathBuf {
    std::env::temp_dir().join("rr-e2e-ports")
}

/// An ephemeral port no other test of any process running this harness holds.
///
/// # Example
///
/// ```
/// let (a, b) = (rr_testkit::rr::lease_port(), rr_testkit::rr::lease_port());
/// assert_ne!(a.port(), b.port());
/// ```
pub fn lease_port() -> PortLease {
    static GIVEN: Mutex<BTreeSet<u16>> = Mutex::new(BTreeSet::new());
    let dir = lease_dir();
    fs::create_dir_all(&dir).expect("create the port lease directory");
    loop {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
        let port = listener.local_addr().expect("local addr").port();
        drop(listener);
        // Ports this process gave out stay given: a lease is per process for flock.
        if !GIVEN.lock().unwrap_or_else(|e| e.into_inner()).insert(port) {
            continue;
        }
        let file = File::create(dir.join(port.to_string())).expect("create a port lease file");
        match file.try_lock() {
            Ok(()) => return PortLease { port, _lock: file },
            Err(std::fs::TryLockError::WouldBlock) => continue,
            Err(std::fs::TryLockError::Error(e)) => panic!("cannot lock a port lease: {e}"),
        }
    }
}

/// How many sockets listen on `port` (IPv4 and IPv6), as /proc/net shows them.
pub(crate) fn listeners_on(port: u16) -> usize {
    let mut count = 0;
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Ok(text) = fs::read_to_string(table) else {
            continue;
        };
        // Columns: sl local_address rem_address st ...; LISTEN is state 0A.
        count += text
            .lines()
            .skip(1)
            .filter(|line| {
                let mut cols = line.split_whitespace().skip(1);
                let local = cols.next().unwrap_or_default();
                let state = cols.nth(1).unwrap_or_default();
                state == "0A"
                    && local
                        .rsplit(':')
                        .next()
                        .and_then(|p| u16::from_str_radix(p, 16).ok())
                        == Some(port)
            })
            .count();
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leased_port_is_not_leased_again_while_held() {
        let a = lease_port();
        let b = lease_port();
        assert_ne!(a.port(), b.port());
        // Another open file description of the same lease file cannot take the lock.
        let again = File::create(lease_dir().join(a.port().to_string())).unwrap();
        assert!(matches!(
            again.try_lock(),
            Err(std::fs::TryLockError::WouldBlock)
        ));
        drop(a);
        assert!(again.try_lock().is_ok());
    }

    #[test]
    fn listeners_are_counted_per_port() {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        assert_eq!(listeners_on(port), 1);
        drop(l);
        assert_eq!(listeners_on(port), 0);
    }
}
