//! goridge's RPC client against the real rr when a reply comes late or stops half-way: rr is
//! stopped with SIGSTOP for a moment, and every call after the timed-out one must get its own
//! reply.

use std::io::{self, Read};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use goridge::relay::ReadReady;
use goridge::{Flags, RpcClient, RpcError, StreamRelay};
use rr_e2e::{RrServer, ServerConfig, test_worker};
use rustix::process::{Pid, Signal, kill_process};

const TIMEOUT: Duration = Duration::from_secs(2);

/// Sends SIGCONT to rr when dropped, also when the test fails while rr is stopped.
struct Stopped(Pid);

impl Stopped {
    fn new(rr: &RrServer) -> Self {
        let pid = Pid::from_raw(rr.pid().expect("rr runs")).unwrap();
        kill_process(pid, Signal::STOP).unwrap();
        Self(pid)
    }
}

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = kill_process(self.0, Signal::CONT);
    }
}

fn versions_after(rpc: &mut RpcClient<impl goridge::Relay>) -> Vec<String> {
    let mut failed = Vec::new();
    for i in 0..20 {
        match rpc.call_json::<_, String>("rpc.Version", &true) {
            Ok(version) => assert_eq!(version, "2025.1.15"),
            Err(e) => failed.push(format!("{i}: {e}")),
        }
    }
    eprintln!("{} of the 20 calls after the timeout failed", failed.len());
    failed
}

#[test]
fn after_rr_answered_a_call_too_late_the_next_calls_get_their_own_replies() {
    let rr = RrServer::start(ServerConfig::new(test_worker()).rpc());
    let mut rpc = RpcClient::connect(rr.rpc.as_deref().unwrap(), TIMEOUT).unwrap();
    let version: String = rpc.call_json("rpc.Version", &true).unwrap();
    assert_eq!(version, "2025.1.15");

    let stopped = Stopped::new(&rr);
    let err = rpc
        .call_json::<_, String>("rpc.Version", &true)
        .unwrap_err();
    assert!(matches!(err, RpcError::Timeout { .. }), "{err}");
    drop(stopped); // rr goes on and sends the late reply
    let failed = versions_after(&mut rpc);
    assert!(failed.is_empty(), "{failed:#?}");
}

/// A TCP stream that stops rr (SIGSTOP) as soon as the first bytes of a reply arrive, once
/// armed: rr is then caught in the middle of writing a large reply.
struct StopOnFirstBytes {
    stream: TcpStream,
    armed: Arc<AtomicBool>,
    rr: Pid,
    stopped: Arc<std::sync::Mutex<Option<Stopped>>>,
}

impl Read for StopOnFirstBytes {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.stream.read(buf)?;
        if n > 0 && self.armed.swap(false, Ordering::SeqCst) {
            kill_process(self.rr, Signal::STOP).unwrap();
            *self.stopped.lock().unwrap() = Some(Stopped(self.rr));
        }
        Ok(n)
    }
}

impl ReadReady for StopOnFirstBytes {
    fn read_ready(&self) -> io::Result<bool> {
        self.stream.read_ready()
    }
}

/// `kv.v1.Request { storage: "local", items: [{ key: "big" }] }`, encoded by hand.
const MGET_BIG: &[u8] = b"\x0a\x05local\x12\x05\x0a\x03big";

#[test]
fn after_rr_stopped_in_the_middle_of_a_reply_the_next_calls_get_their_own_replies() {
    let rr = RrServer::start(ServerConfig::new(test_worker()).rpc());
    let dsn = rr.rpc.clone().unwrap();
    // 32 MiB: far more than the socket buffers between rr and us hold, so rr is still
    // writing the reply when it is stopped.
    let value: Vec<u8> = (0..32 << 20).map(|i: u32| (i % 251) as u8).collect();
    let mut typed = rr_rpc::Rpc::connect(&dsn, Duration::from_secs(30)).unwrap();
    typed.kv("local").set("big", &value, None).unwrap();

    let armed = Arc::new(AtomicBool::new(false));
    let stopped = Arc::new(std::sync::Mutex::new(None));
    let rr_pid = Pid::from_raw(rr.pid().unwrap()).unwrap();
    let addr = dsn.strip_prefix("tcp://").unwrap().to_owned();
    let (hook_armed, hook_stopped) = (Arc::clone(&armed), Arc::clone(&stopped));
    let mut rpc = RpcClient::with_reconnect(move || {
        let stream = TcpStream::connect(&addr)?;
        stream.set_read_timeout(Some(TIMEOUT))?;
        let reader = StopOnFirstBytes {
            stream: stream.try_clone()?,
            armed: Arc::clone(&hook_armed),
            rr: rr_pid,
            stopped: Arc::clone(&hook_stopped),
        };
        Ok(StreamRelay::new(reader, stream))
    })
    .unwrap();

    armed.store(true, Ordering::SeqCst);
    let err = rpc
        .call_raw("kv.MGet", Flags::CODEC_PROTO, MGET_BIG)
        .unwrap_err();
    assert!(matches!(err, RpcError::Timeout { .. }), "{err}");
    assert!(
        stopped.lock().unwrap().is_some(),
        "rr was stopped mid-reply"
    );
    stopped.lock().unwrap().take(); // SIGCONT: rr writes the rest of its reply

    let failed = versions_after(&mut rpc);
    assert!(failed.is_empty(), "{failed:#?}");
    let reply = rpc
        .call_raw("kv.MGet", Flags::CODEC_PROTO, MGET_BIG)
        .unwrap();
    assert_eq!(item_value(&reply), &value[..], "the whole value came back");
}

/// The value of the item `big` in an encoded `kv.v1.Response` (key, then value, field 2).
fn item_value(reply: &[u8]) -> &[u8] {
    let key = b"\x0a\x03big\x12";
    let mut at = reply
        .windows(key.len())
        .position(|w| w == key)
        .expect("item big")
        + key.len();
    let (mut len, mut shift) = (0usize, 0);
    loop {
        let byte = reply[at];
        at += 1;
        len |= usize::from(byte & 0x7f) << shift;
        shift += 7;
        if byte & 0x80 == 0 {
            break;
        }
    }
    &reply[at..at + len]
}
