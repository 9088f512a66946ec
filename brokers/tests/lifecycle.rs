//! Private instances of the quick brokers: started, answering, restarted with their data,
//! killed and resumed, and gone with their port once dropped. (RabbitMQ's restart is exercised
//! by the jobs tests that restart it under load.)

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::Path;

use rr_brokers::{Broker, Kind};

fn base() -> &'static Path {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
}

/// Sends one line and returns the first line of the answer.
fn ask(broker: &Broker, line: &str) -> String {
    let mut stream = TcpStream::connect(broker.addr()).expect("connect");
    stream.write_all(line.as_bytes()).unwrap();
    let mut answer = String::new();
    BufReader::new(stream).read_line(&mut answer).unwrap();
    answer
}

#[test]
fn beanstalkd_keeps_its_jobs_across_a_restart_and_a_kill() {
    let mut b = Broker::start(Kind::Beanstalk, base()).expect("start beanstalkd");
    assert!(ask(&b, "stats\r\n").starts_with("OK "));
    let mut conn = TcpStream::connect(b.addr()).unwrap();
    conn.write_all(b"put 0 0 60 5\r\nhello\r\n").unwrap();
    let mut line = String::new();
    BufReader::new(&conn).read_line(&mut line).unwrap();
    assert!(line.starts_with("INSERTED "), "{line}");
    drop(conn);

    b.restart().expect("restart beanstalkd");
    assert!(
        ask(&b, "peek-ready\r\n").starts_with("FOUND "),
        "binlog kept the job"
    );
    b.kill();
    assert!(TcpStream::connect(b.addr()).is_err(), "killed means gone");
    b.resume().expect("start beanstalkd again");
    assert!(ask(&b, "peek-ready\r\n").starts_with("FOUND "));
}

#[test]
fn redis_and_memcached_answer_on_private_ports_until_dropped() {
    let redis = Broker::start(Kind::Redis, base()).expect("start redis");
    let memcached = Broker::start(Kind::Memcached, base()).expect("start memcached");
    assert_ne!(redis.addr(), memcached.addr());
    assert_eq!(ask(&redis, "PING\r\n"), "+PONG\r\n");
    assert!(ask(&memcached, "version\r\n").starts_with("VERSION "));
    assert!(redis.dir().starts_with(base()));
    let (r, m) = (redis.addr(), memcached.addr());
    drop(redis);
    drop(memcached);
    assert!(TcpStream::connect(r).is_err());
    assert!(TcpStream::connect(m).is_err());
}
