//! The RPC client after a call fails half-way: a reply that comes too late, or stops in the
//! middle, must not be read as the next call's. Against a fake RPC server of our own that
//! holds a reply (or its second half) until the test releases it.

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use goridge::{Flags, Frame, FrameHead, Relay, RpcClient, RpcError, StreamRelay};

/// How long the client waits for a reply; the held calls always run into it.
const TIMEOUT: Duration = Duration::from_secs(2);

/// A fake RPC server: `Echo.*` answers at once with the argument (after the method name, as
/// rr does), `Hold.Late` answers only
/// once released, `Hold.Half` sends the first 25 bytes of its answer, the rest once released,
/// `Drop.Connection` closes the connection without answering.
struct FakeRpc {
    dsn: String,
    release: Sender<()>,
    connections: Arc<Mutex<u32>>,
}

impl FakeRpc {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let dsn = format!("tcp://{}", listener.local_addr().unwrap());
        let (release, held) = channel::<()>();
        let held = Arc::new(Mutex::new(held));
        let connections = Arc::new(Mutex::new(0));
        let counter = Arc::clone(&connections);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                *counter.lock().unwrap() += 1;
                let held = Arc::clone(&held);
                thread::spawn(move || serve(stream, &held));
            }
        });
        Self {
            dsn,
            release,
            connections,
        }
    }

    fn release(&self) {
        self.release.send(()).unwrap();
    }

    fn connections(&self) -> u32 {
        *self.connections.lock().unwrap()
    }
}

fn reply_bytes(request: &Frame) -> Vec<u8> {
    let head = FrameHead::new(Flags::CODEC_RAW).with_options(request.head.options);
    Frame::new(head, request.payload.clone())
        .to_bytes()
        .unwrap()
}

fn serve(stream: TcpStream, held: &Mutex<Receiver<()>>) {
    let mut out = stream.try_clone().unwrap();
    let mut relay = StreamRelay::new(stream.try_clone().unwrap(), stream);
    while let Ok(request) = relay.receive() {
        let method_len = request.options()[1] as usize;
        let method = String::from_utf8_lossy(&request.payload[..method_len]).into_owned();
        let reply = reply_bytes(&request);
        let sent = match method.as_str() {
            "Hold.Late" => {
                let _ = held.lock().unwrap().recv();
                out.write_all(&reply)
            }
            "Hold.Half" => {
                let first = out.write_all(&reply[..25]);
                let _ = held.lock().unwrap().recv();
                first.and_then(|()| out.write_all(&reply[25..]))
            }
            "Drop.Connection" => return,
            _ => out.write_all(&reply),
        };
        // The client may have closed the connection since: a write error ends this one.
        if sent.is_err() {
            return;
        }
    }
}

fn call(rpc: &mut RpcClient, method: &str, arg: &str) -> Result<String, RpcError> {
    let body = rpc.call_raw(method, Flags::CODEC_RAW, arg.as_bytes())?;
    Ok(String::from_utf8(body.to_vec()).unwrap())
}

/// After a held call timed out and its reply went out, 20 more calls: every one must get its
/// own reply.
fn next_calls_succeed(server: &FakeRpc, rpc: &mut RpcClient) {
    let mut failed = Vec::new();
    for i in 0..20 {
        let arg = format!("call {i}");
        match call(rpc, "Echo.Call", &arg) {
            Ok(body) => assert_eq!(body, arg),
            Err(e) => failed.push(format!("{i}: {e}")),
        }
    }
    eprintln!(
        "{} of 20 calls after the timeout failed; {} connections made",
        failed.len(),
        server.connections()
    );
    assert!(failed.is_empty(), "failed calls: {failed:#?}");
}

fn timed_out(result: Result<String, RpcError>, method: &str) {
    assert!(
        matches!(&result, Err(RpcError::Timeout { method: m }) if m == method),
        "{result:?}"
    );
}

#[test]
fn a_late_reply_is_not_taken_for_the_next_calls() {
    let server = FakeRpc::start();
    let mut rpc = RpcClient::connect(&server.dsn, TIMEOUT).unwrap();
    assert_eq!(call(&mut rpc, "Echo.Call", "first").unwrap(), "first");
    timed_out(call(&mut rpc, "Hold.Late", "late"), "Hold.Late");
    assert!(!rpc.is_connected(), "a timed-out connection is dropped");
    server.release();
    next_calls_succeed(&server, &mut rpc);
    assert_eq!(server.connections(), 2, "one reconnection");
}

#[test]
fn a_reply_cut_in_the_middle_is_not_read_as_the_next_frame() {
    let server = FakeRpc::start();
    let mut rpc = RpcClient::connect(&server.dsn, TIMEOUT).unwrap();
    timed_out(call(&mut rpc, "Hold.Half", "half a reply"), "Hold.Half");
    server.release();
    next_calls_succeed(&server, &mut rpc);
    assert_eq!(server.connections(), 2, "one reconnection");
}

#[test]
fn a_connection_closed_by_the_server_fails_one_call_then_reconnects() {
    let server = FakeRpc::start();
    let mut rpc = RpcClient::connect(&server.dsn, TIMEOUT).unwrap();
    let err = call(&mut rpc, "Drop.Connection", "").unwrap_err();
    assert!(matches!(err, RpcError::Relay(_)), "{err}");
    // The failed call is not repeated on its own (it may have run on the server).
    assert_eq!(call(&mut rpc, "Echo.Call", "again").unwrap(), "again");
    assert_eq!(server.connections(), 2);
}

#[test]
fn a_client_that_cannot_reconnect_says_so_after_a_timeout() {
    let server = FakeRpc::start();
    let addr = server.dsn.strip_prefix("tcp://").unwrap();
    let relay = goridge::relay::TcpRelay::connect(addr).unwrap();
    relay.set_timeout(Some(TIMEOUT)).unwrap();
    let mut rpc = RpcClient::new(relay);
    assert_eq!(
        rpc.call_raw("Echo.Call", Flags::CODEC_RAW, b"x").unwrap(),
        &b"x"[..]
    );
    let err = rpc
        .call_raw("Hold.Late", Flags::CODEC_RAW, b"")
        .unwrap_err();
    assert!(matches!(err, RpcError::Timeout { .. }), "{err}");
    server.release();
    let err = rpc
        .call_raw("Echo.Call", Flags::CODEC_RAW, b"y")
        .unwrap_err();
    assert!(
        matches!(&err, RpcError::NotConnected { method } if method == "Echo.Call"),
        "{err}"
    );
    assert!(err.to_string().contains("new client"), "{err}");
}

#[test]
fn a_reconnecting_client_over_any_relay() {
    let server = FakeRpc::start();
    let addr = server.dsn.strip_prefix("tcp://").unwrap().to_owned();
    let mut rpc = RpcClient::with_reconnect(move || {
        let relay = goridge::relay::TcpRelay::connect(&addr)?;
        relay.set_timeout(Some(TIMEOUT))?;
        Ok(relay)
    })
    .unwrap();
    let err = rpc
        .call_raw("Hold.Half", Flags::CODEC_RAW, b"")
        .unwrap_err();
    assert!(matches!(err, RpcError::Timeout { .. }), "{err}");
    server.release();
    assert_eq!(
        rpc.call_raw("Echo.Call", Flags::CODEC_RAW, b"z").unwrap(),
        &b"z"[..]
    );
    assert!(rpc.is_connected());
}
