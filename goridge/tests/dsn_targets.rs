//! The relays connect exactly where the DSN says: the host and port (or socket path) it
//! names, nothing else, and a DSN they cannot parse opens nothing.

use std::io::ErrorKind;
use std::net::TcpListener;
use std::os::unix::net::UnixListener;

use goridge::{AnyRelay, Dsn, RelayError};

/// Nothing connected to `listener` so far.
fn no_connection(listener: &TcpListener) -> bool {
    listener.set_nonblocking(true).unwrap();
    matches!(listener.accept(), Err(e) if e.kind() == ErrorKind::WouldBlock)
}

#[test]
fn a_tcp_dsn_connects_to_its_own_port_and_no_other() {
    let named = TcpListener::bind("127.0.0.1:0").unwrap();
    let other = TcpListener::bind("127.0.0.1:0").unwrap();
    let dsn: Dsn = format!("tcp://{}", named.local_addr().unwrap())
        .parse()
        .unwrap();
    let _relay = AnyRelay::connect(&dsn).unwrap();
    let (_conn, peer) = named.accept().unwrap();
    assert!(peer.ip().is_loopback());
    assert!(no_connection(&other));
}

#[test]
fn a_closed_port_fails_without_trying_elsewhere() {
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = closed.local_addr().unwrap();
    drop(closed);
    let bystander = TcpListener::bind("127.0.0.1:0").unwrap();
    let err = AnyRelay::connect(&format!("tcp://{addr}").parse().unwrap()).unwrap_err();
    assert!(
        matches!(&err, RelayError::Connect { dsn, .. } if *dsn == addr.to_string()),
        "{err}"
    );
    assert!(no_connection(&bystander));
}

#[test]
fn a_unix_dsn_connects_to_its_own_path() {
    let dir = std::env::temp_dir().join(format!("goridge-dsn-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("rr.sock");
    let _ = std::fs::remove_file(&path);
    let listener = UnixListener::bind(&path).unwrap();
    let _relay = AnyRelay::connect(&format!("unix://{}", path.display()).parse().unwrap()).unwrap();
    assert!(listener.accept().is_ok());
    let missing = dir.join("missing.sock");
    let err = AnyRelay::connect(&Dsn::Unix(missing.clone())).unwrap_err();
    assert!(matches!(err, RelayError::Connect { .. }), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn dsns_that_name_no_single_place_are_refused_before_connecting() {
    for bad in [
        "udp://127.0.0.1:7000",
        "http://127.0.0.1:7000",
        "tcp://127.0.0.1",
        "tcp://127.0.0.1:70000",
        "tcp://127.0.0.1:port",
        "unix://",
        "127.0.0.1:7000",
    ] {
        assert!(
            matches!(bad.parse::<Dsn>(), Err(RelayError::InvalidDsn { .. })),
            "{bad}"
        );
    }
    // User info is not a DSN feature: the whole `user@host` is taken as the host name, which
    // does not resolve, so nothing is reached.
    let dsn: Dsn = "tcp://user@127.0.0.1:1".parse().unwrap();
    assert_eq!(dsn, Dsn::Tcp("user@127.0.0.1:1".into()));
    assert!(matches!(
        AnyRelay::connect(&dsn),
        Err(RelayError::Connect { .. })
    ));
}
