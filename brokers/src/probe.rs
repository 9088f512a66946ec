//! Readiness: a broker is ready when it answers its own protocol, not when its port opens.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use crate::Kind;

/// One probe: connect, send the kind's greeting, and check the first bytes of the answer.
pub(crate) fn answers(kind: Kind, addr: SocketAddr) -> bool {
    let (request, expect): (&[u8], &[u8]) = match kind {
        // The AMQP 0-9-1 protocol header; the server answers with a method frame (type 1),
        // Connection.Start, once its listeners run.
        Kind::RabbitMq => (b"AMQP\x00\x00\x09\x01", b"\x01\x00\x00"),
        Kind::Beanstalk => (b"stats\r\n", b"OK "),
        Kind::Redis => (b"PING\r\n", b"+PONG"),
        Kind::Memcached => (b"version\r\n", b"VERSION "),
    };
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(500)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    if stream.write_all(request).is_err() {
        return false;
    }
    let mut got = vec![0; expect.len()];
    stream.read_exact(&mut got).is_ok() && got == expect
}
